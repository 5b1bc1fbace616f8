"""Issue 24 at 360 px: a small power's flow (小微权力清单) is numbered boxes one under another
joined by arrows, and a service guide (办事指南) is a numbered list of steps, neither wider than
the phone, with 大字 too. Screenshots into docs/screenshots/ (360-powers, 360-services,
360-roster: the roster's rows as labelled blocks)."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
SMALL = {"width": 360, "height": 740}
PAGES = {"360-powers": "hekou/2026/powers/2026-small-projects/",
         "360-services": "hekou/2026/services/2026-dibao/",
         "360-roster": "hekou/2026/roster/2026-roster/"}


def _open(browser, url: str, large: bool = False):
    context = browser.new_context(viewport=SMALL, device_scale_factor=1, is_mobile=True, has_touch=True)
    if large:
        context.add_init_script("localStorage.setItem('vp-larger', '1')")
    page = context.new_page()
    page.goto(url, wait_until="load")
    return context, page


@pytest.mark.parametrize("large", [False, True], ids=["text", "large-text"])
def test_the_flow_is_boxes_one_under_another_joined_by_arrows(browser, demo_url: str, large: bool):
    context, page = _open(browser, demo_url + PAGES["360-powers"], large)
    try:
        boxes = page.locator(".vp-flow-step")
        assert boxes.count() == 5
        rects = [boxes.nth(index).bounding_box() for index in range(5)]
        assert len({round(rect["x"]) for rect in rects}) == 1  # one column
        for upper, lower in zip(rects, rects[1:]):
            assert lower["y"] >= upper["y"] + upper["height"] + 20  # room for the arrow between
        arrows = [boxes.nth(index).evaluate("el => getComputedStyle(el, '::before').content") for index in range(5)]
        assert arrows == ["none"] + ['"↓"'] * 4
        assert page.locator(".vp-flow-number").first.inner_text() == "第 1 步"
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
        if not large:
            page.locator(".vp-flow").evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 120)")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "360-powers.png"))
    finally:
        context.close()


@pytest.mark.parametrize("name", ["360-services", "360-roster"])
def test_the_guide_and_the_roster_fit_the_phone(browser, demo_url: str, name: str):
    context, page = _open(browser, demo_url + PAGES[name])
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= SMALL["width"]
        if name == "360-services":
            numbers = page.locator(".vp-guide-number")
            assert [numbers.nth(index).inner_text() for index in range(numbers.count())] == ["1", "2", "3", "4", "5"]
            target = page.locator("h2", has_text="要带的材料")
        else:  # each row a block: its name first, then each value under its column's name
            cell = page.locator(".vp-roster tbody tr").first.locator("td").nth(1)
            assert cell.evaluate("el => getComputedStyle(el, '::before').content") == '"职务或身份"'
            target = page.locator(".vp-roster").first
        target.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 80)")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    finally:
        context.close()
