"""Issue 24 at 360 px: a 一事一议 project's page (bars of budget, money in and spent; every
凭证号 a link to its ledger) and a 比选's page (every bid, the winner, the contract), no wider than
the phone with 大字 too, their links leading to the records they name. Screenshots into
docs/screenshots/ (360-project, 360-tender)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
SMALL = {"width": 360, "height": 740}
# name: (page, what the screenshot shows, the link it must show, the heading of the page that link leads to)
PAGES = {"360-project": ("hekou/2026/projects/2026-channel-hardening/", ".vp-figure", "记-008", "2026年3月财务收支公开"),
         "360-tender": ("hekou/2026/tenders/2026-channel-hardening/", "h1", "合同：", "灌溉渠道硬化工程施工合同公示")}


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("large", [False, True], ids=["text", "large-text"])
def test_the_page_fits_a_phone_and_its_links_lead_to_the_records_named(browser, demo_url: str, name: str, large: bool):
    address, subject, link, heading = PAGES[name]
    context = browser.new_context(viewport=SMALL, device_scale_factor=1, is_mobile=True, has_touch=True)
    if large:
        context.add_init_script("localStorage.setItem('vp-larger', '1')")
    try:
        page = context.new_page()
        page.goto(demo_url + address, wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
        if not large:
            page.locator(subject).first.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 140)")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        page.locator(".vp-record a", has_text=link).first.click()
        page.wait_for_load_state("load")
        assert heading in page.locator("h1").first.inner_text()
    finally:
        context.close()
