"""Open data (issue #4): every table of a page can be downloaded as CSV (with a BOM, for Excel)
and JSON from the page, and each village-year's data.json lists every dataset."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.inputs.messages import Catalogue
from generator.render.opendata import PageData, publish_tables

VILLAGE, YEAR = "hekou", 2025
LEDGER = Path(VILLAGE) / str(YEAR) / "finance" / "2025-01"


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would show the Chinese garbled"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def cell_texts(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)]


def test_a_ledgers_csv_has_its_header_and_every_line(demo_out: Path):
    page = (demo_out / LEDGER / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="vp-table vp-ledger">.*?</table>', page, re.S).group(0)
    header = cell_texts(re.search(r"<thead>.*?</thead>", table, re.S).group(0))
    # Every body row group's lines (the last three are a group of their own, kept with the printed
    # closing block: render/keeping.py), not the closing block's own row.
    lines = [cell_texts(row) for body in re.findall(r"<tbody[^>]*>.*?</tbody>", table, re.S)
             for row in re.findall(r"<tr>.*?</tr>", body, re.S)]

    rows = read_csv(demo_out / LEDGER / "table-1.csv")
    # The line's own day: 日期, not the notice's 公开日期 (issue 22).
    assert rows[0] == header == ["日期", "凭证号", "摘要", "科目", "收入", "支出", "余额"]
    assert len(rows) - 1 == len(lines) > 5
    for shown, written in zip(lines, rows[1:]):
        assert written[1:4] == shown[1:4]  # voucher, summary, account: as shown
        # Amounts are plain numbers, dates ISO dates: what a spreadsheet can add up and sort.
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", written[0])
        for amount, shown_amount in zip(written[4:], shown[4:]):
            assert amount == shown_amount.replace("¥", "").replace(",", "")
    # The running balance of the last line is the ledger's closing balance.
    closing = re.search(r"期末余额</th><td[^>]*>¥([\d,.]+)<", page).group(1).replace(",", "")
    assert rows[-1][-1] == closing


def test_the_json_has_the_same_rows_with_amounts_as_numbers(demo_out: Path):
    rows = read_csv(demo_out / LEDGER / "table-1.csv")
    data = json.loads((demo_out / LEDGER / "table-1.json").read_text(encoding="utf-8"))
    assert data["columns"] == rows[0]
    assert data["kind"] == "finance" and data["period"] == "2025-01"
    assert len(data["rows"]) == len(rows) - 1
    for written, row in zip(rows[1:], data["rows"]):
        assert [str(cell) for cell in row[:4]] == written[:4]
        # A missing amount is null, not "" in a number column (issue 22).
        assert [Decimal(written[i]) if written[i] else None for i in (4, 5, 6)] == \
               [Decimal(str(cell)) if cell is not None else None for cell in row[4:]]
        assert isinstance(row[6], float)


def test_lists_are_published_with_their_numbers_masked(demo_out: Path):
    rows = read_csv(demo_out / VILLAGE / str(YEAR) / "affairs" / "2025-q1-dibao" / "table-1.csv")
    assert "身份证号" in rows[0]
    column = rows[0].index("身份证号")
    assert rows[1:] and all("*" in row[column] for row in rows[1:])


def pages(demo_out: Path):
    for site in sorted(demo_out.glob("*/[0-9][0-9][0-9][0-9]")):
        for page in sorted(site.rglob("index.html")):
            if page.relative_to(site).parts[0] not in ("assets", "pagefind", "print"):
                yield site, page


def test_every_table_on_a_page_links_to_its_csv_and_json_and_they_exist(demo_out: Path):
    checked = 0
    for _, page in pages(demo_out):
        html = page.read_text(encoding="utf-8")
        tables = len(re.findall(r'<table class="vp-table[ "]', html))
        # Behind 更多, in Chinese words (issue 19).
        links = re.findall(r'<details class="vp-screen-only vp-download vp-data-links vp-more"[^>]*>'
                           r'<summary>更多</summary>数据下载：'
                           r'<a href="([^"]+\.csv)"[^>]*>表格文件</a> · <a href="([^"]+\.json)"', html)
        assert len(links) == tables, page
        for csv_link, json_link in links:
            assert not csv_link.startswith(("/", "http")), "links must be relative"
            assert (page.parent / csv_link).is_file() and (page.parent / json_link).is_file()
            checked += 1
    assert checked > 50


def test_data_json_lists_every_dataset_of_the_year(demo_out: Path):
    for site in sorted(demo_out.glob("*/[0-9][0-9][0-9][0-9]")):
        catalogue = json.loads((site / "data.json").read_text(encoding="utf-8"))
        assert catalogue["year"] == int(site.name)
        listed = {entry["csv"] for entry in catalogue["datasets"]}
        on_disk = {path.relative_to(site).as_posix() for path in site.rglob("table-*.csv")}
        assert listed == on_disk and listed
        for entry in catalogue["datasets"]:
            assert entry["title"] and entry["kind"] and entry["period"]
            assert (site / entry["csv"]).is_file() and (site / entry["json"]).is_file()
            assert (site / entry["page"] / "index.html").is_file()
    home = (demo_out / VILLAGE / str(YEAR) / "index.html").read_text(encoding="utf-8")
    assert 'href="data.json"' in home


def test_a_ledger_is_listed_with_its_period_and_a_notice_with_its_date(demo_out: Path):
    catalogue = json.loads((demo_out / VILLAGE / str(YEAR) / "data.json").read_text(encoding="utf-8"))
    by_csv = {entry["csv"]: entry for entry in catalogue["datasets"]}
    ledger = by_csv["finance/2025-01/table-1.csv"]
    assert (ledger["kind"], ledger["period"]) == ("finance", "2025-01")
    assert "收支明细" in ledger["title"]
    dibao = by_csv["affairs/2025-q1-dibao/table-1.csv"]
    assert dibao["kind"] == "affairs" and re.fullmatch(r"2025-\d{2}-\d{2}", dibao["period"])


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "-2+3"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_written_as_text(tmp_path: Path, text: str):
    html = (f'<table class="vp-table"><thead><tr><th>摘要</th><th>收入</th></tr></thead>'
            f'<tbody><tr><td>{text}</td><td>¥-1,200.50</td></tr></tbody></table>')
    _, datasets = publish_tables(html, tmp_path, "", PageData("页", "affairs", "2025"), Catalogue())
    assert datasets[0].rows == [[text, Decimal("-1200.50")]]
    assert read_csv(tmp_path / "table-1.csv")[1] == ["'" + text, "-1200.50"]
