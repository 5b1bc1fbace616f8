"""Bulletins a township can post as they print (issue 22), over the demo's printed PDFs (each
village's newest year: the sheets now on the board): the closing block (posting period, issuer,
date, signature lines) never on a sheet of its own, apart from the body it signs; no text past
the right margin (a table cut at the edge); one subset CID font, no Type 3 glyphs; small files.
Read back with poppler's pdftotext -bbox and pdffonts."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.print.conftest import run_cli

pytestmark = pytest.mark.browser

A4_WIDTH = 595.3
RIGHT_MARGIN = 15 / 25.4 * 72  # print.css: @page margin 15 mm at the sides
_END = re.compile(r'<div class="vp-print-only vp-bulletin-end"[^>]*>(.*?)</div>', re.S)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    missing = [name for name in ("pdftotext", "pdffonts") if shutil.which(name) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make test`, which installs poppler-utils")
    root = tmp_path_factory.mktemp("demo-pdf")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "site_config", root / "site_config")
    for village in ("hekou", "liutang"):
        result = run_cli("pdf", "--village", village, "--year", "2026", "--as-of", "2026-11-25", cwd=root)
        assert result.returncode == 0, result.stderr
    pdfs = sorted((root / "public").rglob("*.pdf"))
    assert len(pdfs) > 80
    return pdfs


def pages_of(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words: (right edge, top, text)."""
    pages = []
    for width, _, body in _PAGE.findall(tool("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")):
        assert abs(float(width) - A4_WIDTH) < 1, pdf
        pages.append([(float(x_max), float(y_min), html_lib.unescape(text))
                      for _, y_min, x_max, _, text in _WORD.findall(body)])
    return pages


def closing_blocks(pdf: Path) -> list[str]:
    """The closing blocks the PDF's page prints, as flat text."""
    page = (pdf.parent / "index.html").read_text(encoding="utf-8")
    return [flat(html_lib.unescape(re.sub(r"<[^>]+>", "", block))) for block in _END.findall(page)]


# Still fails: break-before/break-inside: avoid on the closing block (print.css) do not keep it
# whole nor with the body in Chromium here (a 4-sheet duty roster prints its signatures alone).
@pytest.mark.xfail(strict=True, reason="issue 22: the closing block still breaks away from the body")
def test_no_sheet_holds_only_the_closing_block(printed: list[Path]):
    several = 0
    for pdf in printed:
        blocks = closing_blocks(pdf)
        assert blocks, pdf
        pages = pages_of(pdf)
        several += len(pages) > 1
        for number, words in enumerate(pages, start=1):
            text = flat("".join(word for _, _, word in words))
            # The page counter (第 2 页 共 3 页) is the sheet's, not the body's.
            body = re.sub(r"第\d+页共\d+页", "", text)
            assert body, f"{pdf}: page {number} is empty"
            assert not any(body in block for block in blocks), \
                f"{pdf}: page {number} holds only the closing block: {body[:80]}"
        # The signature lines and the text just above them (the body's end) share the last sheet.
        last = flat("".join(word for _, _, word in pages[-1]))
        assert blocks[-1][:12] in last and len(re.sub(r"第\d+页共\d+页", "", last)) > len(blocks[-1]), pdf
    assert several > 5  # multi-page bulletins were among them


def test_nothing_passes_the_right_margin(printed: list[Path]):
    for pdf in printed:
        for number, words in enumerate(pages_of(pdf), start=1):
            # Nothing cut at the right edge (a table's last column): every word ends inside the margin.
            widest = max(x_max for x_max, _, _ in words)
            assert widest <= A4_WIDTH - RIGHT_MARGIN + 1, f"{pdf}: page {number} has text at x={widest:.0f}"


def test_fonts_are_one_subset_cid_font_and_files_are_small(printed: list[Path]):
    one_page = []
    for pdf in printed:
        fonts = tool("pdffonts", str(pdf)).splitlines()[2:]
        assert fonts and not [line for line in fonts if "Type 3" in line], f"{pdf}: Type 3 glyphs"
        assert all("CID TrueType" in line for line in fonts), fonts
        if pdf.name == "bulletin.pdf" and len(pages_of(pdf)) == 1:
            one_page.append(pdf.stat().st_size)
    assert one_page and statistics.median(one_page) <= 60_000, statistics.median(one_page)
