"""Screenshots at 360 px (issue 19), from the demo as it builds today, into docs/screenshots/:
a ledger's lines, a 低保 list, a points ranking, the search page with results, the finance charts.
Each shows its subject on the first screen of a 360×740 phone, no wider than the phone."""

from __future__ import annotations

import struct

import pytest

from tests.browser.test_phone import VILLAGE, YEAR, first_record
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
SMALL = {"width": 360, "height": 740}
SHOTS = {  # name: (address below the village, what must be on the screen)
    "360-ledger": (f"{YEAR}/finance/2026-10/", ".vp-ledger tbody tr"),
    "360-dibao": (f"{YEAR - 1}/affairs/2025-q3-dibao/", ".vp-table tbody tr"),
    "360-points": (f"{YEAR}/points/{first_record('points')}/", ".vp-points tbody tr"),
    "360-search": (f"{YEAR}/search/?q=低保", ".pagefind-ui__result"),
    "360-finance-charts": (f"{YEAR}/finance/", ".vp-figure svg"),
}


@pytest.mark.parametrize("name", list(SHOTS))
def test_screenshot_at_360px(browser, demo_url: str, name: str):
    address, subject = SHOTS[name]
    context = browser.new_context(viewport=SMALL, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{demo_url}{VILLAGE}/{address}", wait_until="networkidle")
        target = page.locator(subject).first
        target.wait_for(timeout=10_000)
        if name not in ("360-search", "360-finance-charts"):  # those start at the top of the page
            target.evaluate("el => window.scrollTo(0, el.closest('table').getBoundingClientRect().top + scrollY - 80)")
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < SMALL["height"], f"{name}: {subject} is not on the screen"
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
        png = page.screenshot()
    finally:
        context.close()
    assert struct.unpack(">II", png[16:24]) == (SMALL["width"], SMALL["height"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(png)
