"""The printed bulletin as the pages carry it (no browser): print stylesheet, bulletin head and
end, QR code, signature lines per kind, the print page, the warning without site_url."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path


from generator.pipeline.build import build
from generator.inputs.messages import Catalogue
from generator.domain.kinds import KINDS
from generator.site.mkdocs import page_counter_css
from generator.render.keeping import keep_end_with_body
from tests.print.conftest import (AS_OF, LEDGER_ID, LEDGER_LINES, NOT_POSTED, POSTED_NOW, VILLAGE, YEAR, make_tree,
                                  record_url, run_cli)

SITE = f"{VILLAGE}/{YEAR}"


def page(out: Path, path: str) -> str:
    return (out / SITE / path / "index.html").read_text(encoding="utf-8")


def test_print_stylesheet_is_linked_for_print_only_with_the_catalogues_page_counter(built: Path):
    html = page(built, "affairs/2026-03-dibao")
    assert re.search(r'<link rel="stylesheet" href="[./]*assets/print\.css" media="print">', html)
    assert '<style media="print">:root{--vp-page-counter:"第 " counter(page) " 页 共 " counter(pages) " 页"}</style>' in html
    css = (built / SITE / "assets" / "print.css").read_text(encoding="utf-8")
    assert "size: A4 portrait" in css
    assert "var(--vp-page-counter" in css
    assert "display: table-header-group" in css
    # On screen, the paper-only parts are hidden by the ordinary stylesheet.
    assert ".vp-print-only { display: none !important; }" in (built / SITE / "assets" / "village-portal.css").read_text(encoding="utf-8")


def test_page_counter_words_are_escaped_css_strings():
    assert page_counter_css("第 {page} 页 共 {pages} 页") == '"第 " counter(page) " 页 共 " counter(pages) " 页"'
    hostile = page_counter_css('p. {page}"</style><script>x</script>\\ {pages}')
    assert "</style>" not in hostile and "<" not in hostile
    assert hostile.count('"') == 4  # two strings, each opened and closed; the quote inside is escaped
    assert hostile.startswith('"p. " counter(page) "\\22 ') and hostile.endswith('counter(pages)')
    assert page_counter_css("") == '""'
    assert page_counter_css("第 } 页") == '"第 \\7d  页"'  # a stray brace: the words as they are


def test_record_page_carries_the_bulletin_head_end_and_qr_code(built: Path):
    html = page(built, "affairs/2026-03-dibao")
    head = html[html.index("vp-bulletin-head"):]
    assert "云溪县石桥镇 测试村" in head[:400]
    assert "村务公开" in head[:600]
    assert html.count('class="vp-qr-code"') == 1
    assert 'viewBox="0 0' in html  # sized by the stylesheet (28 mm), not in pixels
    end = html[html.index("vp-bulletin-end"):]
    assert "公示期：2026年3月6日 至 2026年3月13日（8天）" in end
    assert "测试村村民委员会" in end and "2026年3月6日" in end
    assert "村务监督委员会审核" in end and "经办人" in end
    assert f"网上原文：{record_url('affairs', '2026-03-dibao')}" in end
    # Paper-only parts are never search text.
    assert re.search(r'class="vp-print-only vp-bulletin-head" data-pagefind-ignore="all"', html)
    assert re.search(r'class="vp-print-only vp-bulletin-end" data-pagefind-ignore="all"', html)
    # No PDF was made in this build: no link to one.
    assert "bulletin.pdf" not in html and "下载打印版" not in html


def test_signature_lines_follow_the_kind(built: Path):
    ledger = page(built, f"finance/{LEDGER_ID}")
    end = ledger[ledger.index("vp-bulletin-end"):]
    assert [label for label in ("村务监督委员会审核", "报账员", "村委会主任", "经办人") if label in end] == \
        ["村务监督委员会审核", "报账员", "村委会主任"]
    notice = page(built, "party/2026-03-meeting")
    end = notice[notice.index("vp-bulletin-end"):]
    assert "村务监督委员会审核" in end and "经办人" in end and "报账员" not in end


def test_the_closing_block_goes_to_paper_in_one_box_with_the_body_end(built: Path):
    # A table: the closing block is a row of its own after the last line, in one row group with
    # the last three lines (print.css: never broken, the header repeated above it); not data.
    ledger = page(built, f"finance/{LEDGER_ID}")
    assert ledger.count("vp-bulletin-end") == 1
    kept = ledger[ledger.index('<tbody class="vp-keep-end">'):]
    kept = kept[:kept.index("</tbody>")]
    assert re.findall(r"记-\d+", kept) == ["记-198", "记-199", "记-200"]
    assert kept.index("记-200") < kept.index("vp-bulletin-end") and kept.count("<tr") == 4
    data = (built / SITE / "finance" / LEDGER_ID / "table-1.csv").read_text(encoding="utf-8-sig")
    assert len(data.splitlines()) == LEDGER_LINES + 1 and "公示期" not in data and "签字" not in data
    # A notice: its last paragraph and the closing block in one box.
    notice = page(built, "party/2026-03-meeting")
    assert re.search(r'<div class="vp-keep-end"><p>定于3月12日召开全体党员大会。</p>'
                     r'<div class="vp-print-only vp-bulletin-end"', notice)


def test_a_lists_last_item_goes_with_the_closing_block_numbered_on():
    # A decision's steps, longer than a sheet: the last step alone goes over with the closing
    # block, a list of its own numbered on (5., as before), the list before it unchanged.
    end = '<div class="vp-print-only vp-bulletin-end"><p>公示期</p></div>'
    page = (f'<div class="vp-record"><div class="vp-body"><ol class="vp-steps" start="3"><li>提议</li><li>商议</li>'
            f'<li>公开</li></ol></div>\n{end}\n</div>')
    assert keep_end_with_body(page) == (
        '<div class="vp-record"><div class="vp-body"><ol class="vp-steps" start="3"><li>提议</li><li>商议</li></ol>'
        f'<div class="vp-keep-end"><ol class="vp-steps" start="5"><li>公开</li></ol>{end}</div></div>\n\n</div>')


def test_every_kinds_signature_lines_have_words_in_the_catalogue():
    catalogue = Catalogue("zh")
    for section, kind in KINDS.items():
        assert isinstance(kind.signatures, tuple), section
        for key in kind.signatures:
            assert key in catalogue, f"{section}: {key} is not in the message catalogue"


def test_print_page_has_one_sheet_per_notice_posted_now_and_is_linked_from_home(built: Path):
    html = page(built, "print")
    assert html.count('<section class="vp-sheet">') == len(POSTED_NOW)
    for record_id in POSTED_NOW:
        assert f"/{record_id}/" in html
    for record_id in NOT_POSTED:
        assert record_id not in html
    # Each sheet is a whole bulletin with its own QR code to its own record.
    assert html.count('class="vp-qr-code"') == len(POSTED_NOW)
    assert "data-pagefind-body" not in html  # not a second copy of the records in search
    home = page(built, "")
    assert 'href="print/"' in home and "打印全部正在公示的事项" in home
    # Not in the navigation: no page links it but the home page.
    section = page(built, "affairs")
    assert 'href="../print/"' not in section


def test_settings_turn_pdfs_on(tmp_path: Path):
    from generator.inputs.problems import Problems
    from generator.domain.settings import load_settings

    root = make_tree(tmp_path)
    (root / "site_config" / "testv.yml").write_text("name: 测试村\nprint:\n  pdf: true\n", encoding="utf-8")
    problems = Problems()
    settings = load_settings(root / "site_config", ["testv", "hekou"], problems)
    assert not problems.errors
    assert settings["testv"].printing.pdf is True
    assert settings["hekou"].printing.pdf is False
    assert settings["testv"].site_url == "https://cwgk.shiqiao.gov.cn"  # the demo township's, from _defaults.yml


def test_without_site_url_the_build_warns_once_per_village_and_prints_no_code(tmp_path: Path):
    root = make_tree(tmp_path, site_url=None)
    # A second year: still one warning for the village.
    (root / "content" / VILLAGE / "2025" / "party").mkdir(parents=True)
    (root / "content" / VILLAGE / "2025" / "party" / "2025-12-dues.yml").write_text(
        "title: 2025年党费收缴情况公示\ndate: 2025-12-20\nposted_until: 2025-12-27\ncategory: 党费收缴\nbody: 已收齐。\n",
        encoding="utf-8")
    checked = build(root / "content", root / "site_config", root / "public", only=[VILLAGE], as_of=date.fromisoformat(AS_OF))
    assert [warning.key for warning in checked.warnings] == ["no_site_url"]
    assert not checked.problems.findings or all(p.key != "no_site_url" for p in checked.problems)
    html = page(root / "public", "affairs/2026-03-dibao")
    assert "vp-qr-code" not in html and "<svg" not in html.split("vp-bulletin-head", 1)[1].split("</div>", 2)[0]
    assert "网上原文" not in html
    assert "vp-bulletin-end" in html  # the bulletin is printed all the same

    result = run_cli("build", "--village", VILLAGE, "--as-of", AS_OF, cwd=root)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("注意：")]
    assert len(lines) == 1 and "测试村" in lines[0] and "site_url" in lines[0], result.stderr
    assert "错误：" not in result.stderr


def test_with_site_url_there_is_no_warning(tmp_path: Path):
    root = make_tree(tmp_path)
    result = run_cli("build", "--village", VILLAGE, "--as-of", AS_OF, cwd=root)
    assert result.returncode == 0, result.stderr
    assert "注意：" not in result.stderr


def test_pdf_dates_are_the_builds_day():
    from datetime import datetime, timezone

    from generator.render.pdf import _fix_dates

    data = b"<</Producer (Skia/PDF m156)\n/CreationDate (D:20261125053746+00'00')\n/ModDate (D:20261125053746+00'00')>>"
    fixed = _fix_dates(data, datetime(2026, 3, 10, tzinfo=timezone.utc))
    assert len(fixed) == len(data)
    assert b"/CreationDate (D:20260310000000+00'00')" in fixed and b"/ModDate (D:20260310000000+00'00')" in fixed


def test_a_sha256_digest_is_not_a_bank_card_number(tmp_path: Path):
    # A digest whose digits pass a card number's checksum (it happened to a printed PDF's).
    from generator.site.audit import scan_file

    digest = "b7e2582d3801b360feff7f187c0161e42d3873675909245703bed73a4c3774ac"
    (tmp_path / "manifest.json").write_text(f'{{"files": {{"a/bulletin.pdf": "{digest}"}}}}', encoding="utf-8")
    assert scan_file(tmp_path / "manifest.json") == []
    (tmp_path / "page.html").write_text(f"<p>{digest}</p><p>电话 13807391234</p>", encoding="utf-8")
    assert scan_file(tmp_path / "page.html") != []


def test_pdf_for_a_year_without_records_says_so(tmp_path: Path):
    root = make_tree(tmp_path)
    checked = build(root / "content", root / "site_config", root / "public", only=[VILLAGE],
                    as_of=date.fromisoformat(AS_OF), years=[2031])
    assert [(warning.key, warning.params) for warning in checked.warnings] == [("year_not_found", {"year": 2031})]
    assert not (root / "public" / VILLAGE / "2026").exists()
