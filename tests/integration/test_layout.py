"""Record pages are laid out in the shell of a stand-in page (site.Shell, generator/site/record_pages.py),
not by MkDocs one by one: the site must be the very site MkDocs makes of every page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.pipeline.check import check
from generator.site.search_index import Indexing, spell_out
from generator.engine.workers import share
from generator.site.record_pages import RecordPages
from generator.render.pages import YearPages, render_village_year
from generator.site.mkdocs import build_site
from tests.conftest import ROOT


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_the_demo_year_is_the_site_mkdocs_lays_out_page_by_page(tmp_path: Path):
    [village] = check(ROOT / "content", ROOT / "site_config", ["hekou"], as_of=date(2026, 11, 25)).villages
    village_year, catalogue = village.village_year(2026), village.catalogue
    common = {"site_name": "河口村 2026年", "catalogue": catalogue, "site_url": "https://cwgk.example.cn/hekou/2026/"}

    # Every page a Markdown file, every one laid out by MkDocs.
    nav = render_village_year(village_year, tmp_path / "mkdocs" / "docs", catalogue)
    build_site(tmp_path / "mkdocs" / "docs", tmp_path / "mkdocs" / "site", nav=nav, **common)

    # As the build does it: record pages in their folder's shell, in two processes.
    pages = YearPages(village_year, catalogue)
    nav = pages.write_docs(tmp_path / "ours" / "docs")
    indexing = Indexing(tmp_path / "ours" / "site")
    records = RecordPages(pages, tmp_path / "ours" / "site", "hekou/2026", indexing, share(2))
    laid_out = build_site(tmp_path / "ours" / "docs", tmp_path / "ours" / "site", nav=nav, records=records, **common)
    pages.write_catalogue(tmp_path / "ours" / "site", records.datasets)

    theirs, ours = _files(tmp_path / "mkdocs" / "site"), _files(tmp_path / "ours" / "site")
    assert len(village_year.records) > 25  # more than one share of pages: both processes wrote some
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []
    assert b"affairs/2026-01-channel-project/" in ours["sitemap.xml"]

    # Each record page was given to the index as it was written, as the search reads it (only its
    # <html> tag and content): the very index of the whole pages given in the same order.
    indexing.finish()
    whole = Indexing(tmp_path / "mkdocs" / "site")
    for url in laid_out.urls:
        whole.add(f"{url}index.html", spell_out(theirs[f"{url}index.html"].decode("utf-8")))
    whole.finish()
    index = _files(tmp_path / "ours" / "site" / "pagefind")
    assert index == _files(tmp_path / "mkdocs" / "site" / "pagefind")
    assert json.loads(index["pagefind-entry.json"])["languages"]["zh"]["page_count"] == len(village_year.records)
