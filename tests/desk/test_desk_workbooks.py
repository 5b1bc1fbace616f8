"""The desk takes the clerk's files as they are (issue 26): a year's workbook, a sheet a month,
uploaded on the year's page, saved whole in its place, checked at once and shown back sheet by
sheet, the months listed as records; a 现金日记账 export as a ledger's table, in CSV and xlsx,
its wrong 余额 shown at its cell; and what is unsafe refused as for any upload."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.desk.books import workbook_bytes, year_workbook
from tests.desk.test_desk_http import _answers, _client, _hidden, folder  # noqa: F401 - the fixture
from tests.input.test_clerk_files import csv_text, xlsx_bytes

FINANCE = "content/hekou/2026/finance"
BOOK = "/b/hekou/2026/finance/2026"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _csrf(client) -> str:
    return _hidden(client.get("/publish").text, "csrf")  # the lightest page that has the session's token


def _upload(client, data: bytes, name: str = "河口村2026年现金日记账.xlsx", csrf: str | None = None):
    return client.post(BOOK, data={"csrf": csrf or _csrf(client)}, files={"book": (name, data)},
                       follow_redirects=False)


def test_a_years_workbook_uploaded_on_the_years_page_gives_its_months(folder: Path) -> None:
    sheets = year_workbook(folder / FINANCE)
    client = _client(folder)
    year = client.get("/v/hekou/2026").text
    assert f'action="{BOOK}"' in year and "上传2026年全年账簿" in year  # offered on the year's page
    data = workbook_bytes(sheets)
    saved = _upload(client, data)
    assert (saved.status_code, saved.headers["location"]) == (303, f"{BOOK}?saved=1")
    assert (folder / FINANCE / "2026.xlsx").read_bytes() == data  # whole, in its place, under its own name
    assert [path.name for path in (folder / FINANCE).iterdir()] == ["2026.xlsx"]  # no working file left

    shown = _text(client.get(saved.headers["location"]).text)
    assert "已收到并保存（存为 2026.xlsx），共 10 张工作表。 检查通过，没有发现问题。" in shown
    assert "读出了 10 期的账，已经列在“河口村 2026年”的“财务公开”里。" in shown
    assert "工作表“3月” → " in shown and "公布日期 2026-04-08" in shown

    year = client.get("/v/hekou/2026").text
    months = re.findall(rf'<a href="{BOOK}#sheet-(2026-\d\d)">', year)
    assert sorted(months) == [f"2026-{month:02d}" for month in range(1, 11)]
    assert "查看全年账簿 2026.xlsx" in year


def test_a_wrong_balance_in_the_workbook_is_shown_at_its_sheet_and_row(folder: Path) -> None:
    sheets = year_workbook(folder / FINANCE)
    sheets["3月"][6][-1] = "202921.19"  # 记-003's 余额 mistyped (202290.57)
    client = _client(folder)
    shown = client.get(_upload(client, workbook_bytes(sheets)).headers["location"])
    text = _text(shown.text)
    assert "检查发现 1 个错误" in text
    part = re.search(r'<section class="sheet-part" id="sheet-3">(.*?)</section>', shown.text, re.S).group(1)
    cell = re.search(r'<td class="cell-problem">202921.19(.*?)</td>', part, re.S).group(1)
    assert "工作表“3月” 第7行 I列（余额）：这一行的余额写的是 202921.19，但按上一行余额加收入减支出算出来是 202290.57" in _text(cell)
    assert "这张工作表有错误，改正后才能发布" in _text(part)
    assert '<tr class="bad"><th>7</th>' in part  # the row as Excel numbers it
    # The months without errors are records; March, not yet, is the workbook's error on the year's page.
    year = client.get("/v/hekou/2026").text
    assert f"{BOOK}#sheet-2026-02" in year and f"{BOOK}#sheet-2026-03" not in year
    assert re.search(r"查看全年账簿 2026.xlsx</a>\s*<span class=\"tag error\">1 个错误</span>", year)


def test_a_workbook_without_its_dates_says_which_sheet_lacks_them(folder: Path) -> None:
    sheets = year_workbook(folder / FINANCE)
    del sheets["2月"][1]  # the row 公布日期：… left out
    client = _client(folder)
    text = _text(client.get(_upload(client, workbook_bytes(sheets)).headers["location"]).text)
    assert "工作表“2月”：缺少“公开日期”" in text


@pytest.mark.parametrize(("name", "data", "status"), [
    ("2026.csv", b"\xe6\x97\xa5\xe6\x9c\x9f\n", 415),  # a workbook is an .xlsx
    ("2026.xlsx", b"<html>not a workbook</html>", 415),
    ("2026.xlsx", b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), 413),
])
def test_an_upload_that_is_no_workbook_is_refused(folder: Path, name: str, data: bytes, status: int) -> None:
    client = _client(folder)
    assert _upload(client, data, name).status_code == status
    assert not (folder / FINANCE / "2026.xlsx").exists()


@pytest.mark.parametrize("address", [
    "/b/hekou/2026/finance/..%2F..%2F..%2Fetc%2Fpasswd",
    "/b/hekou/2026/finance/2025",  # a year's workbook is named by its year
    "/b/hekou/2026/affairs/2026",  # not a kind kept a workbook a year
    "/b/hekou/2026/affairs/2026-q3-dibao-x",  # a list's workbook is beside its record
    "/b/..%2F..%2Fetc/2026/finance/2026",
])
def test_a_workbook_out_of_its_place_is_refused(folder: Path, address: str) -> None:
    client = _client(folder)
    csrf = _csrf(client)
    assert client.get(address).status_code == 404
    response = client.post(address, data={"csrf": csrf}, files={"book": ("x.xlsx", workbook_bytes({"1月": [["a"]]}))},
                           follow_redirects=False)
    assert response.status_code == 404
    assert not list(folder.rglob("x.xlsx")) and not (folder / "content/hekou/2026/affairs/2026.xlsx").exists()


def test_a_workbook_without_the_csrf_token_is_refused(folder: Path) -> None:
    client = _client(folder)
    assert _upload(client, workbook_bytes(year_workbook(folder / FINANCE)), csrf="forged").status_code == 403
    assert not (folder / FINANCE / "2026.xlsx").exists()


def test_a_list_kept_a_sheet_a_quarter_uploaded_on_the_years_page(folder: Path) -> None:
    """A 低保 list, a sheet a quarter, each titled and dated above its header as it is posted: a
    notice a quarter, listed in the year and leading to its sheet; replaced on its workbook's page."""
    affairs = folder / "content/hekou/2026/affairs"
    header = ["户主", "姓名", "身份证号", "保障金额"]

    def quarter(number: str, month: int, *rows: list) -> list[list]:
        return [[f"河口村2026年第{number}季度低保名单公示"],
                [f"公布日期：2026年{month}月5日", f"公示至：2026年{month}月12日"], header, *rows]
    first = ["张大山", "张大山", "430521195001011234", 300]
    book = {"第一季度": quarter("一", 3, first), "第二季度": quarter("二", 6, first, ["", "李秀英", "430521195203021245", 300])}
    client = _client(folder)
    year = client.get("/v/hekou/2026").text
    assert 'action="/v/hekou/2026/affairs/lists"' in year and "上传按期分表的名单" in year
    answers = {"csrf": _hidden(year, "csrf"), "record_id": "2026-dibao", "category": "低保救助", "issuer": "河口村村民委员会"}
    data = xlsx_bytes(book, {"第二季度": ["A5:A6"]})
    saved = client.post("/v/hekou/2026/affairs/lists", data=answers, files={"book": ("低保名单.xlsx", data)},
                        follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, "/b/hekou/2026/affairs/2026-dibao?saved=1")
    assert (affairs / "2026-dibao.xlsx").read_bytes() == data
    facts = (affairs / "2026-dibao.yml").read_text(encoding="utf-8")
    assert "category: 低保救助\nissuer: 河口村村民委员会\n2026-Q1: {}\n2026-Q2: {}\n" in facts and facts.startswith("# ")
    assert "检查通过" in client.get(saved.headers["location"]).text

    year = client.get("/v/hekou/2026").text
    form = "/b/hekou/2026/affairs/2026-dibao"
    assert f'<a href="{form}#sheet-2026-dibao-q2">河口村2026年第二季度低保名单公示</a>' in year
    assert 'href="/r/hekou/2026/affairs/2026-dibao"' not in year  # its YAML is no record of its own
    again = client.post("/v/hekou/2026/affairs/lists", data=answers, files={"book": ("低保名单.xlsx", data)},
                        follow_redirects=False)
    assert again.status_code == 409 and (affairs / "2026-dibao.xlsx").read_bytes() == data  # never over a record

    # Corrected: uploaded again on the workbook's page, replacing the list.
    book["第二季度"][-1][-1] = 320
    replaced = client.post(form, data={"csrf": _csrf(client)}, files={"book": ("低保名单.xlsx", xlsx_bytes(book))},
                           follow_redirects=False)
    assert replaced.status_code == 303 and "<td>320</td>" in client.get(form).text


def test_a_list_whose_sheets_name_no_period_is_refused(folder: Path) -> None:
    client = _client(folder)
    answers = {"csrf": _csrf(client), "record_id": "2026-dibao", "category": "低保救助", "issuer": "河口村村民委员会"}
    data = xlsx_bytes({"名单": [["姓名"], ["张大山"]], "汇总": [["合计"], ["1"]]})
    refused = client.post("/v/hekou/2026/affairs/lists", data=answers, files={"book": ("名单.xlsx", data)})
    assert refused.status_code == 400 and "按季度" in refused.text
    assert not list((folder / "content/hekou/2026/affairs").glob("2026-dibao*"))


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_cash_journal_export_is_a_ledgers_table(folder: Path, form: str) -> None:
    """The ledger's table as the accounting software exports it (title row, 凭证字号, 科目编码 and
    科目名称, 借方, 贷方, 余额, 上月结转 and 本月合计): accepted as it is; a wrong 余额 at its cell."""
    ledger = "/r/hekou/2026/finance/2026-03"
    sheet = year_workbook(folder / FINANCE, removed=False)["3月"]
    del sheet[1]  # the ledger's own YAML has its dates
    client = _client(folder)

    def upload(rows: list[list[str]]):
        answers = _answers(client.get(ledger).text)
        data = csv_text(rows).encode("utf-8") if form == "csv" else xlsx_bytes({"现金日记账": rows})
        return client.post(ledger, data=answers, files={"table": (f"现金日记账.{form}", data)})

    accepted = upload(sheet)
    assert "检查通过，没有发现问题。" in _text(accepted.text)
    assert (folder / FINANCE / f"2026-03.{form}").exists()
    assert not (folder / FINANCE / ("2026-03.csv" if form == "xlsx" else "2026-03.xlsx")).exists()
    assert "本月合计" in accepted.text  # the file shown back as the clerk wrote it

    sheet[5][-1] = "202921.19"  # 记-003's 余额 mistyped (202290.57)
    refused = upload(sheet)
    cell = re.search(r'<td class="cell-problem">202921.19(.*?)</td>', refused.text, re.S)
    assert cell is not None
    assert "这一行的余额写的是 202921.19，但按上一行余额加收入减支出算出来是 202290.57" in _text(cell.group(1))
    assert '<tr class="bad"><th>6</th>' in refused.text


def test_beside_the_years_own_ledger_files_the_upload_is_folded_with_a_warning(folder: Path) -> None:
    year = _client(folder).get("/v/hekou/2026").text
    box = year[year.index('id="book-finance"'):year.index('<ul class="records">', year.index('id="book-finance"'))]
    assert "<details><summary>上传2026年全年账簿" in box  # not open: this year's ledgers are files of their own
    assert "这一年已经有 10 期的账是单独的文件" in box


def test_a_damaged_workbook_is_kept_and_said_to_be_unreadable(folder: Path) -> None:
    client = _client(folder)
    saved = _upload(client, b"PK\x03\x04" + b"\x00" * 200)  # a zip's first bytes, then nothing
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"])
    assert shown.status_code == 200 and "整个账簿的问题" in shown.text and "打不开" in shown.text
    assert "Traceback" not in shown.text and client.get("/v/hekou/2026").status_code == 200
