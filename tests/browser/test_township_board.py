"""The township board in a browser (issue 20): its search over every village's newest year names
each result's village and can keep to one; the board at 360 px and its A4 print, screenshotted to
docs/screenshots/ (board-360.png, board-print.png) from the demo."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"

# A word only in each village's newest records.
WORDS = {"河口村": "尾水", "柳塘村": "冷藏库"}


@pytest.mark.parametrize("village, word", WORDS.items())
def test_township_search_finds_each_villages_word_and_names_the_village(browser, demo_url: str, village, word):
    page = browser.new_page()
    try:
        page.goto(f"{demo_url}search/?q={word}", wait_until="networkidle")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
        titles = [link.inner_text() for link in page.query_selector_all(".pagefind-ui__result-link")]
        links = [link.get_attribute("href") for link in page.query_selector_all(".pagefind-ui__result-link")]
        assert titles and all(title.startswith(f"{village} · ") for title in titles), titles
        assert all(link.split("/")[1] in ("hekou", "liutang") for link in links), links
        # The filter by village: one box a village.
        panel = page.inner_text(".pagefind-ui__filter-panel")
        assert "村" in panel
    finally:
        page.close()


def test_the_board_at_360_px_fits_and_shows_the_worst_village_first(browser, demo_url: str):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1, is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        page.goto(demo_url, wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        first = page.locator(".vp-board section h3").first
        assert first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "board-360.png").write_bytes(page.screenshot(full_page=False))
    finally:
        context.close()


def test_the_board_prints_on_a4_without_the_menus(browser, demo_url: str, tmp_path: Path):
    page = browser.new_page()
    try:
        page.goto(demo_url, wait_until="networkidle")
        page.emulate_media(media="print")
        assert not page.locator(".md-header").is_visible()
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.close()
    assert pdf[:5] == b"%PDF-"
    (tmp_path / "board.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(tmp_path / "board.pdf"),
                        str(tmp_path / "page")], check=True)
        png = next(tmp_path.glob("page*.png"))
        shutil.copy(png, SCREENSHOTS / "board-print.png")
