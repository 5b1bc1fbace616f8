"""The last look: no full personal number in any file of a built site (pages, CSV, JSON, feeds,
sitemaps and the text Pagefind indexed); a number found stops the build before anything is
published."""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from generator.archive import publish
from generator.site.audit import PAGEFIND_SIGNATURE, audit_tree, scan_file
from generator.pipeline.build import build
from generator.domain.privacy import NumberKind
from generator.inputs.problems import InputError
from generator.render.pages import RenderedRecord, YearPages
from tests.conftest import write_files
from tests.unit._support import luhn_complete, resident_id

ID = resident_id("43052119800101123")
MOBILE = "13807391234"
CARD = luhn_complete("622202100112345678")
AS_OF = date(2025, 12, 1)

NOTICE = """title: 关于召开党员大会的通知
date: 2025-03-01
posted_until: 2025-03-10
category: 三会一课
body: |
  定于3月5日召开全体党员大会。监督电话 0739-5521386。
"""
DIBAO = """title: 低保名单公示
date: 2025-03-12
posted_until: 2025-03-19
category: 低保救助
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small portal, built once: a notice and a list with masked numbers."""
    root = tmp_path_factory.mktemp("audit")
    write_files(root, {
        "site_config/_defaults.yml": "township:\n  name: 石桥镇\n",
        "site_config/testv.yml": "name: 测试村\n",
        "content/testv/2025/party/2025-03-meeting.yml": NOTICE,
        "content/testv/2025/affairs/2025-03-dibao.yml": DIBAO,
        "content/testv/2025/affairs/2025-03-dibao.csv": f"户主姓名,身份证号,联系电话\n王建国,{ID},{MOBILE}\n",
    })
    out = root / "public"
    build(root / "content", root / "site_config", out, as_of=AS_OF)
    return out


def copy_of(built: Path, tmp_path: Path) -> Path:
    site = tmp_path / "public"
    shutil.copytree(built, site)
    return site


def test_a_clean_build_has_no_leak_and_its_masked_numbers_are_not_taken_for_one(built: Path):
    assert audit_tree(built) == []
    folder = built / "testv" / "2025" / "affairs" / "2025-03-dibao"
    for name in ("index.html", "table-1.csv", "table-1.json"):
        text = (folder / name).read_text(encoding="utf-8")
        assert "138****1234" in text and ID not in text, name


def test_a_number_planted_in_a_page_is_found_and_named(built: Path, tmp_path: Path):
    site = copy_of(built, tmp_path)
    page = site / "testv" / "2025" / "party" / "2025-03-meeting" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("全体党员大会", f"全体党员大会（联系人 {MOBILE}）"),
                    encoding="utf-8")
    [leak] = audit_tree(site, "public")
    assert (leak.file, leak.kind, leak.masked) == (
        "public/testv/2025/party/2025-03-meeting/index.html", NumberKind.MOBILE, "138****1234")


@pytest.mark.parametrize(("relative", "write"), [
    ("feed.xml", lambda path: path.write_text(f"<feed><entry><summary>{ID}</summary></entry></feed>", encoding="utf-8")),
    ("testv/2025/list.csv", lambda path: path.write_text(f"姓名,卡号\n张三,{CARD}\n", encoding="utf-8")),
    # The open data beside a page (CSV with a BOM, for Excel), the year's catalogue, the village's feed.
    ("testv/2025/affairs/2025-03-dibao/table-1.csv",
     lambda path: path.write_text(f"户主姓名,身份证号\n王建国,{ID}\n", encoding="utf-8-sig")),
    ("testv/2025/data.json", lambda path: path.write_text(json.dumps({"title": ID}), encoding="utf-8")),
    ("testv/feed.xml", lambda path: path.write_text(f"<feed><title>{MOBILE}</title></feed>", encoding="utf-8")),
    ("testv/versions.json", lambda path: path.write_text(json.dumps({"title": f"电话{MOBILE}"}), encoding="utf-8")),
    ("testv/2025/sitemap.xml.gz", lambda path: path.write_bytes(gzip.compress(f"<loc>{MOBILE}</loc>".encode()))),
    # Written as character references, or split by the zero-width spaces Pagefind inserts.
    ("testv/2025/x.html", lambda path: path.write_text("".join(f"&#{ord(c)};" for c in MOBILE), encoding="utf-8")),
    ("testv/2025/y.html", lambda path: path.write_text("\u200b".join(MOBILE), encoding="utf-8")),
    ("testv/2025/z.html", lambda path: path.write_text(MOBILE.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                                                       encoding="utf-8")),
])
def test_numbers_in_every_kind_of_output_file_are_found(built: Path, tmp_path: Path, relative: str, write):
    site = copy_of(built, tmp_path)
    path = site / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    write(path)
    leaks = audit_tree(site)
    assert [leak.file for leak in leaks] == [relative]


def test_the_text_pagefind_indexed_is_scanned(built: Path, tmp_path: Path):
    site = copy_of(built, tmp_path)
    fragments = sorted((site / "testv" / "2025" / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments, "Pagefind wrote no fragments"
    raw = gzip.decompress(fragments[0].read_bytes())
    assert raw.startswith(PAGEFIND_SIGNATURE)
    fragment = json.loads(raw[len(PAGEFIND_SIGNATURE):])
    assert scan_file(fragments[0]) == []
    fragment["content"] += " 联系人\u200b" + "\u200b".join([MOBILE[:3], MOBILE[3:7], MOBILE[7:]])
    fragments[0].write_bytes(gzip.compress(PAGEFIND_SIGNATURE + json.dumps(fragment, ensure_ascii=False).encode()))
    [leak] = audit_tree(site)
    assert leak.file.endswith(".pf_fragment") and leak.kind is NumberKind.MOBILE


def test_a_root_hash_is_not_taken_for_a_number_but_a_card_in_groups_of_four_is(tmp_path: Path):
    # The changes page and the closing notice print a root hash's short form for paper; this one's
    # digits read as a mobile number (167 3849 1216). A card number is written in fours too.
    card = luhn_complete("622202020000123")
    grouped = " ".join(card[i:i + 4] for i in range(0, 16, 4))
    page = tmp_path / "changes.html"
    page.write_text(f"<p>根哈希 <code>d167 3849 1216 1403</code>，全文 <code>{'d167384912161403' + 'a' * 48}</code></p>",
                    encoding="utf-8")
    assert scan_file(page) == []
    page.write_text(f"<p>根哈希 <code>d167 3849 1216 1403</code>，银行卡 {grouped}</p>", encoding="utf-8")
    assert [found.kind for found in scan_file(page)] == [NumberKind.BANK]


def test_theme_code_and_images_are_not_scanned(built: Path, tmp_path: Path):
    site = copy_of(built, tmp_path)
    (site / "assets" / "x.js").write_text(f"var n = '{MOBILE}';", encoding="utf-8")
    (site / "assets" / "x.png").write_bytes(MOBILE.encode())
    assert audit_tree(site) == []


def _build_with_a_leak(tmp_path: Path) -> tuple[InputError, Path]:
    """Build a one-notice village into an output folder published before; returns the error."""
    write_files(tmp_path, {
        "site_config/_defaults.yml": "township:\n  name: 石桥镇\n",
        "site_config/testv.yml": "name: 测试村\n",
        "content/testv/2025/party/2025-03-meeting.yml": NOTICE,
    })
    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("published before", encoding="utf-8")
    with pytest.raises(InputError) as stopped:
        build(Path("content"), Path("site_config"), out, as_of=AS_OF)
    return stopped.value, out


def _stopped_before_publishing(error: InputError, out: Path, tmp_path: Path, file: str) -> None:
    [problem] = error.problems.errors
    assert problem.key == "output_personal_number"
    assert problem.location.path == file
    assert ID not in str(problem.params) and problem.params["masked"] == ID[:2] + "*" * 13 + ID[-3:]
    assert sorted(path.name for path in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "published before"
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".public-build-")]


def test_a_leak_stops_the_build_before_anything_is_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A number that got past every check (here: planted by a broken stage) is found in the built
    site; the build stops with the file named, and the output folder is as it was."""
    monkeypatch.chdir(tmp_path)
    real_catalogue = YearPages.write_catalogue

    def catalogue_and_leak(self: YearPages, site: Path, *args: object) -> None:
        real_catalogue(self, site, *args)
        page = site / "index.html"
        page.write_text(page.read_text(encoding="utf-8") + f"<p>{ID}</p>", encoding="utf-8")

    monkeypatch.setattr(YearPages, "write_catalogue", catalogue_and_leak)
    error, out = _build_with_a_leak(tmp_path)
    _stopped_before_publishing(error, out, tmp_path, "public/testv/2025/index.html")


def test_a_leak_in_a_record_page_stops_the_build_naming_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Record pages are scanned as they are written (generator/site/record_pages.py), never read back: a
    number in one (here planted by a broken template) still stops the build, naming the page."""
    monkeypatch.chdir(tmp_path)
    real_record = YearPages.record

    def record_with_leak(self: YearPages, *args: object) -> RenderedRecord:
        page = real_record(self, *args)
        return replace(page, html=page.html + f"<p>{ID}</p>")

    monkeypatch.setattr(YearPages, "record", record_with_leak)
    error, out = _build_with_a_leak(tmp_path)
    _stopped_before_publishing(error, out, tmp_path, "public/testv/2025/party/2025-03-meeting/index.html")


def test_a_number_in_the_settings_is_a_located_error(portal):
    portal.write("site_config/testv.yml", f"name: 测试村\npopulation: 1200\nmessages:\n  site:\n    home: 首页 {MOBILE}\n")
    portal.record(2025, "party", "a.yml", NOTICE)
    [problem] = portal.check().problems.errors
    assert (problem.location.path, problem.location.line, problem.key) == (
        "site_config/testv.yml", 5, "settings_personal_number")
    assert problem.params["field"] == "messages.site.home"


def test_a_number_as_a_file_name_is_a_located_error(portal):
    portal.record(2025, "party", f"{MOBILE}.yml", NOTICE)
    assert [(p.location.path, p.key) for p in portal.check().problems.errors] == [
        (f"content/testv/2025/party/{MOBILE}.yml", "record_id_personal_number")]


def test_a_leak_in_what_publishing_writes_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Publishing writes files of its own (the feed, the log, the latest/ redirects, the township
    pages): each is looked at before the output folder changes."""
    monkeypatch.chdir(tmp_path)
    real_feed = publish.feed
    monkeypatch.setattr(publish, "feed", lambda plan, env: real_feed(plan, env).replace("</feed>", f"<!-- {ID} --></feed>"))
    error, out = _build_with_a_leak(tmp_path)
    _stopped_before_publishing(error, out, tmp_path, f"public/testv/{publish.FEED}")
