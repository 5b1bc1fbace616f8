"""The README's phone screenshots (docs/screenshots/), taken from the demo by the test suite so that
they always show what the portal builds today."""

from __future__ import annotations

import struct

import pytest

from tests.browser.test_phone import pages
from tests.conftest import PHONE, ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.mark.parametrize("name", ["township", "home", "ledger"])
def test_phone_screenshot_shows_the_pages_title(browser, demo_url: str, name: str):
    # Scale 1: a 390×844 PNG is small enough to keep in the repository.
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(pages(demo_url)[name], wait_until="networkidle")
        heading = page.locator("article h1").first
        box = heading.bounding_box()
        assert heading.is_visible() and box is not None and box["y"] + box["height"] <= PHONE["height"], \
            f"{name}: the page's title is not on the first screen"
        png = page.screenshot()
    finally:
        context.close()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (PHONE["width"], PHONE["height"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(png)
