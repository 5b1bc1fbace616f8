"""The year's workbook uploaded in the desk on a phone (issue 26): 河口村's 2026 ledgers as the
clerk keeps them, one .xlsx with a sheet a month, uploaded on the year's page; a mistyped 余额
shown at its sheet, row and cell; the corrected workbook uploaded again, and its months listed
as the year's records. Screenshots at 390 px go to docs/screenshots/."""

from __future__ import annotations

import pytest

from tests.browser.test_desk import SCREENSHOTS, desk  # noqa: F401 - the fixture
from tests.desk.books import workbook_bytes, year_workbook

pytestmark = pytest.mark.browser


def test_a_clerk_uploads_the_years_workbook_on_a_phone(browser, desk) -> None:  # noqa: F811
    url, folder, _ = desk
    sheets = year_workbook(folder / "content/hekou/2026/finance")
    good = workbook_bytes(sheets)
    sheets["3月"][6][-1] = "202921.19"  # 记-003's 余额 mistyped (202290.57)
    (folder / "河口村2026年账（有错）.xlsx").write_bytes(workbook_bytes(sheets))
    (folder / "河口村2026年账.xlsx").write_bytes(good)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                locale="zh-CN")
    page = phone.new_page()
    page.goto(f"{url}v/hekou/2026")
    page.set_input_files("#book-finance-file", str(folder / "河口村2026年账（有错）.xlsx"))
    page.locator("#book-finance").get_by_role("button", name="上传并检查").click()

    assert "检查发现 1 个错误" in page.locator("#saved").inner_text()
    cell = page.locator("#sheet-3 td.cell-problem")
    assert "工作表“3月” 第7行 I列（余额）" in cell.inner_text() and "202290.57" in cell.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # only the sheet itself scrolls sideways
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#sheet-3 h2").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "desk-workbook-error-390.png"))

    page.set_input_files("#book-file", str(folder / "河口村2026年账.xlsx"))
    page.get_by_role("button", name="上传并检查").click()
    saved = page.locator("#saved").inner_text()
    assert "已收到并保存（存为 2026.xlsx），共 10 张工作表。" in saved and "检查通过" in saved
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "desk-workbook-390.png"))

    page.get_by_role("link", name="回到这一年的记录").click()
    months = page.locator("#finance .records li")
    assert months.count() == 10 and "2026年10月" in months.first.inner_text()
    months.last.get_by_role("link").click()  # January: its sheet in the workbook
    assert page.url.endswith("#sheet-2026-01") and page.locator("#sheet-2026-01 h2").is_visible()
    phone.close()
