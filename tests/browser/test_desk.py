"""The clerk's desk in Chromium, as a clerk uses it (issue 23): a 低保 notice for 河口村 2026 made
in the browser with its list from an .xlsx, the too-short posting period shown beside its field,
fixed, published, and the page found in public/ with the numbers masked; no file touched by hand.
Screenshots of the form and its check results at 1280 px and 390 px go to docs/screenshots/."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
RECORD = "2026-11-dibao-q4"
ID_NUMBER = "430524195808126617"  # a full 身份证号: never on the published page
MOBILE = "13807391234"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _list(path: Path) -> Path:
    """The 低保 list as a clerk keeps it in Excel."""
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "组别", "身份证号", "联系电话", "保障人数", "月保障金额(元)", "变动情况"])
    sheet.append(["罗桂英", "河口四组", ID_NUMBER, MOBILE, 2, 820.00, "新增"])
    sheet.append(["肖福生", "河口六组", "43052419640605323X", "18657600874", 1, 500.00, "续保"])
    book.save(path)
    return path


@pytest.fixture
def desk(tmp_path: Path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    port = _free_port()
    log = (tmp_path / "desk.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "desk", "--port", str(port), "--as-of", "2026-11-25",
         "--content", "content", "--config", "site_config", "--out", "public"],
        cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "static/desk.css", timeout=2)  # up (its pages check every record: slower)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("the desk did not start: " + (tmp_path / "desk.log").read_text(encoding="utf-8"))
            time.sleep(0.3)
    try:
        yield url, tmp_path, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def test_a_clerk_writes_checks_and_publishes_a_dibao_notice(browser, desk) -> None:
    url, folder, process = desk
    xlsx = _list(folder / "低保名单.xlsx")  # where the clerk keeps it, outside content/
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.get_by_role("link", name="2026").first.click()
    assert "河口村 2026年" in page.locator("h1").inner_text()
    page.locator("#affairs").get_by_role("link", name="＋ 新建").click()

    page.fill("#f-record_id", RECORD)
    page.fill("#f-title", "河口村2026年第四季度农村低保对象动态调整公示")
    page.fill("#f-date", "2026年11月20日")  # as clerks write dates
    page.fill("#f-posted_until", "2026-11-22")  # three days, counted inclusively: too short
    page.select_option("#f-category", "低保救助")
    page.fill("#f-issuer", "河口村村民委员会")
    page.fill("#f-body", "经村民代表会议评议，新增低保对象1户。\n\n公示期7天，有异议请向村委会反映。")
    page.set_input_files("#f-table", str(xlsx))
    page.get_by_role("button", name="保存并检查").click()

    finding = page.locator("#field-posted_until .problems li.finding")
    assert "公示期只有 3 天，少于规定的 7 天" in finding.inner_text()
    assert "把“公示截止日期”改到" in finding.inner_text()  # the label the clerk sees, not the YAML key
    assert "检查发现 0 个错误、1 项提醒" in page.locator("#saved").inner_text()
    assert page.locator("#f-category").input_value() == "低保救助"
    assert "现在的表格：2026-11-dibao-q4.xlsx" in page.content()
    assert page.locator("table.sheet tr").count() == 3  # the list shown back as uploaded
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "desk-form-1280.png"), full_page=True)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                            locale="zh-CN")
    small = phone.new_page()
    small.goto(page.url)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390  # nothing to scroll sideways
    small.locator("#field-posted_until").scroll_into_view_if_needed()
    small.screenshot(path=str(SCREENSHOTS / "desk-form-390.png"))
    phone.close()

    page.fill("#f-posted_until", "2026-11-27")
    page.get_by_role("button", name="保存并检查").click()
    assert "已保存。 检查通过" in page.locator("#saved").inner_text()
    assert page.locator("#field-posted_until .problems").count() == 0
    saved = (folder / "content/hekou/2026/affairs" / f"{RECORD}.yml").read_text(encoding="utf-8")
    assert "posted_until: 2026-11-27\n" in saved and "# 公示截止日期" in saved  # the comments `new` writes

    page.get_by_role("link", name="发布到网站").click()
    page.get_by_role("button", name="开始发布").click()
    outcome = page.locator("#outcome")
    outcome.wait_for(timeout=300_000)
    assert "发布完成" in outcome.inner_text(), outcome.inner_text()
    assert "河口村 2026年" in outcome.inner_text()

    # A later edit is previewed as it will be published, before publishing again.
    page.goto(f"{url}r/hekou/2026/affairs/{RECORD}")
    page.fill("#f-title", "河口村2026年第四季度农村低保对象动态调整公示（补充）")
    page.get_by_role("button", name="保存并检查").click()
    page.goto(f"{url}site/hekou/2026/affairs/{RECORD}/")
    preview = page.content()
    assert "（补充）" in page.locator("h1").first.inner_text()
    assert "43*************617" in preview and ID_NUMBER not in preview
    context.close()

    published = folder / "public/hekou/2026/affairs" / RECORD / "index.html"
    html = published.read_text(encoding="utf-8")
    assert "罗桂英" in html and "第四季度农村低保对象" in html and "（补充）" not in html  # as published
    assert ID_NUMBER not in html and MOBILE not in html
    assert "43*************617" in html and "138****1234" in html  # masked as the settings say
    # Nothing of the desk is published.
    for path in (folder / "public").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "csrf" not in text and "文书工作台" not in text and "/static/desk.css" not in text, path
    assert not list((folder / "public").rglob("desk.css"))

    process.send_signal(signal.SIGINT)  # Ctrl+C: the desk ends at once, quietly
    assert process.wait(timeout=10) == 130
    assert "Traceback" not in (folder / "desk.log").read_text(encoding="utf-8")
