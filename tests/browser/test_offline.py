"""Offline (issue 19): a record a villager opened opens again without a signal, saying 离线; the
year's home page too, though not opened; back online, 离线 goes."""

from __future__ import annotations

import pytest

from tests.browser.test_phone import pages
from tests.conftest import PHONE

pytestmark = pytest.mark.browser

KEPT = """async (url) => {
  await navigator.serviceWorker.ready;  // registered 3 s after the page loaded
  for (let i = 0; i < 150; i++) {
    const names = await caches.keys();
    for (const name of names) if (await (await caches.open(name)).match(url)) return true;
    await new Promise((done) => setTimeout(done, 100));
  }
  return false;
}"""


def test_an_opened_record_opens_offline_and_says_so(browser, demo_url: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        record, home = pages(demo_url)["notice"], pages(demo_url)["home"]
        page.goto(record, wait_until="networkidle")
        title = page.locator("h1").inner_text()
        assert page.locator("#vp-offline").is_hidden()
        assert page.evaluate(KEPT, record) and page.evaluate(KEPT, home)
        context.set_offline(True)
        page.reload(wait_until="load")
        assert page.locator("h1").inner_text() == title
        assert page.locator("#vp-offline").is_visible() and "离线" in page.locator("#vp-offline").inner_text()
        page.goto(home, wait_until="load")
        assert "柳塘村" in page.locator("h1").inner_text()
        context.set_offline(False)
        page.goto(record, wait_until="networkidle")
        assert page.locator("#vp-offline").is_hidden()
    finally:
        context.close()
