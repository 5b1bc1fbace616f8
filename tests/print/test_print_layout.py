"""Bulletins a township can post as they print (issue 22), over every PDF of the demo (both
villages, every year: each record's bulletin and the print page's sheets): the closing block
(posting period, issuer, date, signature lines) never on a sheet of its own, apart from the body
it signs; no text past the right margin (a table cut at the edge); one subset CID font, no Type 3
glyphs; small files. Read back with poppler's pdftotext -bbox and pdffonts."""

from __future__ import annotations

import functools
import html as html_lib
import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

from generator.render.pdf import BULLETIN, NOTICES, PRINT_PAGE, print_pages

pytestmark = pytest.mark.browser

A4_WIDTH = 595.3
RIGHT_MARGIN = 15 / 25.4 * 72  # print.css: @page margin 15 mm at the sides
_END = re.compile(r'<div class="vp-print-only vp-bulletin-end"[^>]*>(.*?)</div>', re.DOTALL)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
# What the screen shows and paper does not: the data links after a table, the facts the end repeats.
_NOT_PRINTED = re.compile(r'<details class="vp-screen-only.*?</details>|<(dt|dd) class="vp-common">.*?</\1>', re.DOTALL)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def printed(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every bulletin of the demo session's build, printed as `village-portal pdf` prints them
    (render/pdf.py), into hard-linked copies of its year sites (the session's build is shared)."""
    missing = [name for name in ("pdftotext", "pdffonts") if shutil.which(name) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run `make test`, which installs poppler-utils")
    root, pdfs = tmp_path_factory.mktemp("demo-pdf"), []
    for built in sorted(demo_out.glob("*/20[0-9][0-9]")):
        site = root / built.relative_to(demo_out)
        shutil.copytree(built, site, copy_function=os.link, ignore=shutil.ignore_patterns("*.pdf"))
        pages = [page.relative_to(site).as_posix() for page in sorted(site.rglob("index.html"))
                 if "vp-bulletin-end" in page.read_text(encoding="utf-8")]  # records, and the print page's sheets
        jobs = [(page, NOTICES if page == f"{PRINT_PAGE}index.html" else page.replace("index.html", BULLETIN))
                for page in pages]
        print_pages(site, jobs, None)
        pdfs += [site / pdf for _, pdf in jobs]
    assert len(pdfs) > 200 and {pdf.relative_to(root).parts[:2] for pdf in pdfs} == \
        {("hekou", "2025"), ("hekou", "2026"), ("liutang", "2025"), ("liutang", "2026")}
    return pdfs


@functools.cache  # each PDF read once for the three tests
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


def body_end(pdf: Path) -> str:
    """The last words printed above the PDF's last closing block (the body's end: the last cell of
    a table, the end of a paragraph or list item), as flat text."""
    page = (pdf.parent / "index.html").read_text(encoding="utf-8")
    before = _NOT_PRINTED.sub("", page[:page.rindex('<div class="vp-print-only vp-bulletin-end"')])
    texts = [flat(html_lib.unescape(text)) for text in re.findall(r">([^<]*)<", before)]
    return [text for text in texts if text][-1][-8:]


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
        assert blocks[-1][:12] in last and body_end(pdf) in last, f"{pdf}: {body_end(pdf)} not on the last sheet"
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
