"""The demo portal built end to end: the layout later issues rely on, and what a reader gets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.domain.kinds import KINDS

ROOT = Path(__file__).resolve().parents[2]
VILLAGES = sorted(path.name for path in (ROOT / "content").iterdir() if path.is_dir())


def years_of(village: str) -> list[int]:
    return sorted((int(path.name) for path in (ROOT / "content" / village).iterdir()), reverse=True)


def record_ids(village: str, year: int, section: str) -> list[str]:
    folder = ROOT / "content" / village / str(year) / section
    return sorted(path.stem for path in folder.glob("*.yml")) if folder.is_dir() else []


def test_demo_has_two_villages_with_two_years_of_at_least_30_records():
    assert len(VILLAGES) >= 2
    for village in VILLAGES:
        years = years_of(village)
        assert len(years) >= 2
        for year in years:
            count = sum(len(record_ids(village, year, section)) for section in ("party", "affairs", "finance"))
            assert count >= 30, f"{village}/{year} has only {count} party/affairs/finance records"


def test_township_page_links_every_village(demo_out: Path):
    html = (demo_out / "index.html").read_text(encoding="utf-8")
    for village in VILLAGES:
        assert f'href="{village}/"' in html
    assert "石桥镇" in html


def test_each_village_year_is_a_complete_site_with_its_own_search_index(demo_out: Path):
    for village in VILLAGES:
        for year in years_of(village):
            site = demo_out / village / str(year)
            assert (site / "index.html").is_file()
            assert (site / "search" / "index.html").is_file()
            assert (site / "pagefind" / "pagefind.js").is_file()
            assert list((site / "pagefind").glob("pagefind.zh*.pf_meta")), "index is not Chinese"


def test_a_year_keeps_only_the_pagefind_interface_its_search_page_loads(demo_out: Path):
    # Pagefind hands over four interfaces with every index; the search page loads pagefind-ui.
    for village in VILLAGES:
        for year in years_of(village):
            names = {path.name for path in (demo_out / village / str(year) / "pagefind").iterdir() if path.is_file()}
            assert {"pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-worker.js"} <= names
            assert not [name for name in names if "component-ui" in name or "modular-ui" in name
                        or "highlight" in name], names


def test_versions_json_is_mikes_format_newest_first_with_latest_alias(demo_out: Path):
    for village in VILLAGES:
        versions = json.loads((demo_out / village / "versions.json").read_text(encoding="utf-8"))
        years = years_of(village)
        assert [entry["version"] for entry in versions] == [str(year) for year in years]
        assert versions[0]["aliases"] == ["latest"]
        assert all(entry["aliases"] == [] for entry in versions[1:])
        assert versions[0]["title"] == f"{years[0]}年"


def test_latest_and_village_index_lead_to_the_newest_year_without_symlinks(demo_out: Path):
    for village in VILLAGES:
        newest = years_of(village)[0]
        village_dir = demo_out / village
        assert not (village_dir / "latest").is_symlink()
        assert f'url={newest}/"' in (village_dir / "index.html").read_text(encoding="utf-8")
        assert f'url=../{newest}/"' in (village_dir / "latest" / "index.html").read_text(encoding="utf-8")
        some_record = record_ids(village, newest, "party")[0]
        stub = village_dir / "latest" / "party" / some_record / "index.html"
        assert f'url=../../../{newest}/party/{some_record}/"' in stub.read_text(encoding="utf-8")


def test_every_record_has_its_stable_url(demo_out: Path):
    for village in VILLAGES:
        for year in years_of(village):
            for section in KINDS:
                for record_id in record_ids(village, year, section):
                    page = demo_out / village / str(year) / section / record_id / "index.html"
                    assert page.is_file(), f"missing {page}"


def test_section_page_lists_records_newest_first_with_date_title_and_posting_period(demo_out: Path):
    village = VILLAGES[0]
    year = years_of(village)[-1]
    html = (demo_out / village / str(year) / "affairs" / "index.html").read_text(encoding="utf-8")
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers[:3] == ["公开日期", "标题", "公示期"]
    dates = re.findall(r"<tr><td[^>]*>(\d{4})年(\d{1,2})月(\d{1,2})日</td>", html)
    as_tuples = [tuple(map(int, d)) for d in dates]
    assert len(as_tuples) == len(record_ids(village, year, "affairs"))
    assert as_tuples == sorted(as_tuples, reverse=True)


def test_records_are_not_in_the_navigation(demo_out: Path):
    village = VILLAGES[0]
    year = years_of(village)[0]
    html = (demo_out / village / str(year) / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
    assert nav, "Material's navigation is missing"
    for record_id in record_ids(village, year, "party"):
        assert record_id not in nav.group(0)
    for section in ("party/", "affairs/", "finance/", "search/"):
        assert f'href="{section}"' in nav.group(0)


def test_no_page_loads_anything_from_another_host(demo_out: Path):
    external = re.compile(r'(?:src|href)="(?:https?:)?//(?!127\.0\.0\.1)', re.I)
    # The page's own public address (site_url) names it, and the 404 page's links home fall back
    # to it without script: links to the portal itself, nothing is loaded from there.
    canonical = re.compile(r'<link rel="canonical" href="https://cwgk\.shiqiao\.gov\.cn/[^"]*">'
                           r'|<a [^>]*href="https://cwgk\.shiqiao\.gov\.cn/[^"]*">')
    for page in demo_out.rglob("*.html"):
        html = canonical.sub("", page.read_text(encoding="utf-8"))
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        assert not external.search(html), f"{page} loads from another host"


def test_material_search_is_off_and_pagefind_is_on(demo_out: Path):
    village = VILLAGES[0]
    site = demo_out / village / str(years_of(village)[0])
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    assert not (site / "assets" / "javascripts" / "workers").exists()
    assert not list(demo_out.rglob("*.map"))  # nor source maps, on any level
    assert 'class="md-search"' not in (site / "index.html").read_text(encoding="utf-8")
    search_page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert "pagefind/pagefind-ui.js" in search_page
    assert "pagefind" not in (site / "party" / "index.html").read_text(encoding="utf-8").split("<body")[0]


def test_only_the_record_is_indexed_not_the_navigation(demo_out: Path):
    village = VILLAGES[0]
    site = demo_out / village / str(years_of(village)[0])
    record_id = record_ids(village, years_of(village)[0], "party")[0]
    html = (site / "party" / record_id / "index.html").read_text(encoding="utf-8")
    assert html.count("data-pagefind-body") == 1
    body_start = html.index("data-pagefind-body")
    assert html.rfind('class="md-nav', 0, body_start) < html.rfind('<article', 0, body_start)
    assert 'data-pagefind-filter="栏目"' in html and 'data-pagefind-filter="年度"' in html


def test_pages_speak_chinese(demo_out: Path):
    village = VILLAGES[0]
    html = (demo_out / village / str(years_of(village)[0]) / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    for words in ("党务公开", "村务公开", "财务公开", "搜索"):
        assert words in html


def test_ledger_page_shows_balances_and_every_line(demo_out: Path):
    village = VILLAGES[0]
    year = years_of(village)[-1]
    ledger_id = record_ids(village, year, "finance")[0]
    html = (demo_out / village / str(year) / "finance" / ledger_id / "index.html").read_text(encoding="utf-8")
    csv_lines = (ROOT / "content" / village / str(year) / "finance" / f"{ledger_id}.csv").read_text(encoding="utf-8").strip().splitlines()
    assert html.count('<tr><td') >= len(csv_lines) - 1
    for label in ("期初余额", "本期收入合计", "本期支出合计", "期末余额"):
        assert label in html
    assert re.search(r"¥\d{1,3}(,\d{3})*\.\d\d", html)
    # The period the Chinese way (2026年1月), as the clerk's 2026-01 means it.
    period_year, period_month = ledger_id.split("-")
    assert f"<dd>{period_year}年{int(period_month)}月</dd>" in html


@pytest.mark.parametrize("section", ["affairs"])
def test_personal_numbers_in_lists_are_masked(demo_out: Path, section: str):
    # Not glued to letters: a run of a log's SHA-256 (…0e19124106638b…) is no telephone number.
    full_id = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")
    mobile = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
    for page in demo_out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not full_id.search(text), f"full ID number in {page}"
        assert not mobile.search(text), f"full mobile number in {page}"
    masked = [page for page in demo_out.rglob(f"{section}/*/index.html") if "****" in page.read_text(encoding="utf-8")]
    assert masked, "no list with masked numbers in the demo"
