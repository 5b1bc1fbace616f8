"""A record's body written in Word (issue 24): `<id>.docx` beside `<id>.yml`, made here as a
clerk's Word writes it (tests/word_files.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook
from PIL import Image

from generator.inputs.files import Limits
from generator.inputs.load import record_files
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Location, Problems
from generator.inputs.word import read_word
from generator.domain.kinds import KINDS
from tests.unit._support import resident_id
from tests.word_files import notice_docx

AFFAIRS = "content/testv/2026/affairs"
NOTICE = "title: 关于发放耕地地力保护补贴的公告\ndate: 2026-05-10\nposted_until: 2026-05-20\ncategory: 其他\n"
ROWS = [["姓名", "组别", "补贴金额"], ["张三", "一组", "1,200.00"], ["李四", "二组", "800"]]


def _notice(portal, name: str, blocks, yml: str = NOTICE) -> Path:
    """Record `name` of the village's affairs: its YAML, and its body as a Word file of `blocks`."""
    portal.record(2026, "affairs", f"{name}.yml", yml)
    return notice_docx(portal.root / AFFAIRS / f"{name}.docx", "关于发放耕地地力保护补贴的公告", blocks)


def test_a_word_notice_is_the_records_page_with_its_table_as_open_data_and_its_image_a_photo(portal):
    _notice(portal, "subsidy", yml=NOTICE + "word_images_checked_by: 李会计\n", blocks=[
        ("p", "各位村民："),
        ("h2", "一、补贴对象"),
        ("bold", ("补贴", "按时足额", "发放到户，<script>alert(1)</script> 照常显示。")),
        ("bullets", ["承包耕地的农户", "流转耕地的种粮大户"]),
        ("numbers", ["核实面积", "张榜公示"]),
        ("link", ("详情见", "http://evil.example/x", "县农业农村局网站")),
        ("p", "附：补贴名单"),
        ("table", ROWS),
        ("p", "特此公告。"),
        ("image", (800, 600, "村委会公示栏")),
    ])
    checked = portal.check()
    assert not checked.problems.errors, [str(p.location) + p.key for p in checked.problems.errors]
    page = portal.page("affairs", "subsidy")
    body = page.split('<div class="vp-body">')[1].split('<p class="vp-back">')[0]
    # The document's title is the page's title, not repeated; Word's heading 2 under the page's headings.
    assert "关于发放耕地地力保护补贴的公告" not in body and "<h2>一、补贴对象</h2>" in body
    assert "<ul>\n<li>承包耕地的农户</li>\n<li>流转耕地的种粮大户</li>\n</ul>" in body
    assert "<ol>\n<li>核实面积</li>\n<li>张榜公示</li>\n</ol>" in body
    assert "<strong>按时足额</strong>" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 照常显示" in body and "<script" not in page
    # A link keeps its words, never its address.
    assert "县农业农村局网站" in body and "evil.example" not in page
    # The table: a data table of the page where it stands in the document (labelled for a phone),
    # the short paragraph above it its caption; and its CSV and JSON.
    assert body.index("张榜公示") < body.index("<caption>附：补贴名单</caption>") < body.index("特此公告")
    assert page.count("附：补贴名单") == 2  # the caption, and the scroll box's name
    assert '<td data-label="补贴金额">1,200.00</td>' in body
    folder = portal.root / "docs/2026/affairs/subsidy"
    with open(folder / "table-1.csv", encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == ROWS
    package = json.loads((portal.root / "docs/2026/datapackage.json").read_text(encoding="utf-8"))
    assert any(resource["path"] == "affairs/subsidy/table-1.csv" for resource in package["resources"])
    # The image: a photo of the page, through the photos' pipeline (sizes, no metadata), its alt text its caption.
    assert '<figcaption>村委会公示栏</figcaption>' in page and 'srcset="photo-1-360.webp 360w, photo-1-720.webp 720w' in page
    with Image.open(folder / "photo-1-360.jpg") as published:
        assert published.size == (360, 270) and not published.getexif()


def test_a_word_files_pictures_need_a_caption_and_someone_who_looked_at_them(portal):
    _notice(portal, "pictures", [("p", "正文。"), ("image", (40, 30)), ("image", (40, 30, "新装的水表"))])
    errors = {(str(problem.location), problem.key, tuple(problem.params.items())) for problem in portal.check().problems.errors}
    assert errors == {(f"{AFFAIRS}/pictures.yml:1", "word_images_not_checked", (("name", "pictures.docx"), ("count", 2))),
                      (f"{AFFAIRS}/pictures.docx", "word_image_caption_missing", (("number", 1),))}


def test_a_full_id_number_in_a_word_body_stops_the_build_at_its_paragraph_and_row(portal, english):
    number = resident_id("43012219850612003")
    _notice(portal, "ids", [
        ("p", "各位村民："),
        ("p", f"申请人张三（身份证号 {number}）的补贴已核实。"),
        ("table", [["姓名", "身份证号"], ["张三", "4301**********0034"], ["李四", number]]),
    ])
    errors = portal.check().problems.errors
    found = {(str(problem.location), problem.key, tuple(sorted(problem.params.items()))) for problem in errors}
    docx = f"{AFFAIRS}/ids.docx"
    assert found == {
        (f"{docx}:3", "word_personal_number", (("number_kind", "id"), ("paragraph", 3))),
        (docx, "word_table_personal_number", (("number_kind", "id"), ("row", 3), ("table", 1))),
    }
    paragraph = next(problem for problem in errors if problem.key == "word_personal_number")
    assert "Word 文件第 3 段有完整的身份证号码" in paragraph.message(Catalogue("zh"))
    assert "Paragraph 3" in paragraph.message(english)


def _rezipped(source: Path, target: Path, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item.filename))
            if data is not None:
                new.writestr(item.filename, data)


def test_hostile_or_misplaced_word_files_are_located_chinese_errors(portal):
    good = _notice(portal, "good", [("p", "正文。")])
    (portal.root / AFFAIRS / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    portal.record(2026, "affairs", "broken.yml", NOTICE)
    shutil.copy(good, portal.root / AFFAIRS / "macro.docm")
    portal.record(2026, "affairs", "macro.yml", NOTICE)
    # A .docm renamed .docx: its macros are still inside.
    portal.record(2026, "affairs", "renamed.yml", NOTICE)
    _rezipped(good, portal.root / AFFAIRS / "renamed.docx",
              lambda name, data: data if name != "word/document.xml" else data)
    with zipfile.ZipFile(portal.root / AFFAIRS / "renamed.docx", "a") as package:
        package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    # Entities that would expand to gigabytes.
    portal.record(2026, "affairs", "laughs.yml", NOTICE)
    bomb = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    _rezipped(good, portal.root / AFFAIRS / "laughs.docx",
              lambda name, data: bomb + data.split(b"?>", 1)[1] if name == "word/document.xml" else data)
    shutil.copy(good, portal.root / AFFAIRS / "orphan.docx")
    (portal.root / AFFAIRS / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    portal.record(2026, "affairs", "both.yml", NOTICE + "body: 正文也写在这里。\n")
    shutil.copy(good, portal.root / AFFAIRS / "both.docx")
    # A list kept a sheet a quarter: each sheet a record, which cannot share one Word body.
    portal.record(2026, "affairs", "sheets.yml", "category: 低保救助\n2026-Q1:\n  title: 第一季度名单\n  date: 2026-03-05\n")
    book = Workbook()
    book.active.title = "第一季度"
    book.active.append(["姓名", "金额"])
    book.active.append(["张三", 300])
    book.save(portal.root / AFFAIRS / "sheets.xlsx")
    shutil.copy(good, portal.root / AFFAIRS / "sheets.docx")
    portal.record(2026, "finance", "2026-05.yml", "title: 5月收支\ndate: 2026-06-05\nperiod: 2026-05\n")
    shutil.copy(good, portal.root / "content/testv/2026/finance/2026-05.docx")
    problems = portal.check().problems
    keys = {(str(problem.location), problem.key) for problem in problems.errors}
    assert {(f"{AFFAIRS}/broken.docx", "word_unreadable"), (f"{AFFAIRS}/macro.docm", "word_macros"),
            (f"{AFFAIRS}/renamed.docx", "word_macros"), (f"{AFFAIRS}/laughs.docx", "word_unreadable"),
            (f"{AFFAIRS}/orphan.docx", "word_without_record"), (f"{AFFAIRS}/old.doc", "word_format_unsupported"),
            (f"{AFFAIRS}/both.yml:5", "word_and_body"), (f"{AFFAIRS}/sheets.docx", "word_with_sheets"),
            ("content/testv/2026/finance/2026-05.docx", "word_no_body")} <= keys
    assert not any("good" in where for where, _ in keys)
    assert all("Word" in problem.message(Catalogue("zh")) for problem in problems.errors if problem.key.startswith("word_"))


def test_a_word_file_unpacking_beyond_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "bomb.docx"
    notice_docx(tmp_path / "plain.docx", "标题", [("p", "正文。")])
    _rezipped(tmp_path / "plain.docx", path, lambda name, data: data)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    assert path.stat().st_size < 100 * 1024
    problems = Problems()
    assert read_word(path, Location("bomb.docx"), problems, limits=Limits(xlsx_unpacked_bytes=2 * 1024 * 1024)) is None
    assert [(problem.key, problem.params["size"]) for problem in problems] == [("word_too_large", "4 MB")]  # the padding and the document
    # One XML part that minidom would hold whole in memory, however generous the limit of the whole.
    _rezipped(tmp_path / "plain.docx", path, lambda name, data: data + b" " * (17 * 1024 * 1024) if name == "word/document.xml" else data)
    problems = Problems()
    assert read_word(path, Location("bomb.docx"), problems) is None
    assert [(p.key, p.params["size"]) for p in problems] == [("word_text_too_large", "17 MB")]


def test_a_damaged_zip_is_unreadable_not_an_exception(tmp_path):
    raw = notice_docx(tmp_path / "plain.docx", "标题", [("p", "正文。")]).read_bytes()
    part = zipfile.ZipFile(io.BytesIO(raw)).getinfo("word/document.xml")
    start = part.header_offset + 30 + len(part.filename) + len(part.extra)
    scrambled = raw[:start + 5] + bytes(byte ^ 0x55 for byte in raw[start + 5:start + 40]) + raw[start + 40:]
    name = raw.find(b"word/document.xml", raw.find(b"PK\x01\x02"))  # its entry in the central directory
    encrypted = bytearray(raw)
    encrypted[part.header_offset + 6] |= 1
    encrypted[name - 46 + 8] |= 1  # the "encrypted" flag, in both headers
    for damaged in (scrambled, bytes(encrypted)):
        (tmp_path / "damaged.docx").write_bytes(damaged)
        problems = Problems()
        assert read_word(tmp_path / "damaged.docx", Location("damaged.docx"), problems) is None
        assert [problem.key for problem in problems] == ["word_unreadable"]


def test_an_image_linked_from_elsewhere_is_dropped_an_embedded_one_kept(tmp_path):
    embedded = notice_docx(tmp_path / "embedded.docx", "标题", [("p", "正文。"), ("image", (40, 30))])
    linked = tmp_path / "linked.docx"

    def link(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return data.replace(b"r:embed=", b"r:link=")
        if name == "word/_rels/document.xml.rels":
            return data.replace(b'Target="media/image1.jpeg"',
                                b'Target="http://127.0.0.1:9/tracker.jpeg" TargetMode="External"')
        return data
    _rezipped(embedded, linked, link)
    problems = Problems()
    assert len(read_word(embedded, Location("embedded.docx"), problems).images) == 1
    body = read_word(linked, Location("linked.docx"), problems)
    assert body is not None and body.images == [] and body.paragraphs == ["标题", "正文。"]
    assert not list(problems)


def test_the_word_file_is_part_of_the_records_fingerprint(portal):
    word = _notice(portal, "subsidy", [("p", "正文。")])
    before = record_files(portal.root / "content/testv", KINDS)
    assert before is not None and "affairs/subsidy" in before[2026]
    notice_docx(word, "关于发放耕地地力保护补贴的公告", [("p", "改过的正文。")])
    after = record_files(portal.root / "content/testv", KINDS)
    assert after[2026]["affairs/subsidy"] != before[2026]["affairs/subsidy"]
    raw_fingerprint = portal.check().villages[0].records[0].source.fingerprint
    assert raw_fingerprint == after[2026]["affairs/subsidy"]
