"""Pages that do not go stale, rebuilds that are quiet: a rebuild a day later from the same records
changes no byte of any year and adds nothing to the log, and the page counts the days a notice
has left from the reader's day (Chromium with its clock set by Playwright)."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.domain.chain import Chain
from generator.pipeline.build import build
from generator.tools.serve import make_server
from tests.archive.test_snapshots import village, files_of

pytestmark = pytest.mark.browser

DAY = date(2025, 12, 20)  # the notices are posted until 2025-12-31
PAGE = "testv/2025/party/2025-03-meeting/"


def test_a_later_rebuild_is_quiet_and_the_page_counts_from_the_readers_day(tmp_path: Path, site_config: Path,
                                                                            browser):
    content, config, out = village(tmp_path)
    build(content, config, out, as_of=DAY)
    years = {year: files_of(out / "testv" / year) for year in ("2025",)}
    entries = len(Chain.read(out / "testv" / "log.jsonl").entries)
    sitemap = (out / "testv" / "2025" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2025-04-02</lastmod>" in sitemap  # the newest record's day, not the build's

    build(content, config, out, as_of=DAY + timedelta(days=1))
    assert {year: files_of(out / "testv" / year) for year in years} == years
    assert len(Chain.read(out / "testv" / "log.jsonl").entries) == entries

    page_html = (out / PAGE / "index.html").read_text(encoding="utf-8")
    assert "还剩 11 天" in page_html  # the build's count, for a reader without script
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        later = DAY + timedelta(days=3)
        page.clock.set_fixed_time(datetime(later.year, later.month, later.day, 9, tzinfo=timezone(timedelta(hours=8))))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{PAGE}")
        assert "公示中，还剩 8 天" in page.locator("[data-vp-until]").first.inner_text()
        page.clock.set_fixed_time(datetime(2026, 1, 5, 9, tzinfo=timezone(timedelta(hours=8))))
        page.reload()
        assert page.locator("[data-vp-until]").first.inner_text() == "公示期已结束"
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("start, lands", [
    ("hekou/2026/print/", "hekou/2025/print/"),  # the same page, which the other year has
    ("hekou/2026/party/2026-03-party-congress/", "hekou/2025/party/"),  # no such record there: its section
    ("hekou/2026/elections/2026-villagers-committee/", "hekou/2025/"),  # no such section: the year's home
])
def test_the_version_selector_keeps_your_place(phone, demo_url: str, start: str, lands: str):
    phone.goto(demo_url + start)
    link = phone.page.locator(".md-version__link", has_text="2025")
    link.wait_for(state="attached")
    with phone.page.expect_navigation():
        link.evaluate("a => a.click()")
    assert phone.page.url == demo_url + lands


@pytest.mark.parametrize("day, stage, step", [
    (date(2026, 11, 28), "公示中（还剩 2 天）", "公示中，还剩 2 天"),
    (date(2026, 11, 30), "公示中（今天是最后一天）", "公示中，今天是最后一天"),
    (date(2026, 12, 5), "公示期满，待签订", "公示期已结束"),
])
def test_a_contract_counts_its_posting_from_the_readers_day(browser, demo_url: str, day: date, stage: str, step: str):
    # The demo is built as of 2026-11-25; this contract is posted until 2026-11-30 (还剩 5 天 then).
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime(day.year, day.month, day.day, 9, tzinfo=timezone(timedelta(hours=8))))
        page.goto(demo_url + "hekou/2026/contracts/2026-niujiaotang-pond/")
        assert page.locator(".vp-facts strong [data-vp-until]").first.inner_text() == stage  # 当前阶段
        assert page.locator(".vp-steps [data-vp-until]").inner_text() == step
        page.goto(demo_url + "hekou/2026/contracts/")
        row = page.locator("tr", has=page.locator("a[href='2026-niujiaotang-pond/']"))
        assert row.locator("[data-vp-until]").inner_text() == stage
    finally:
        context.close()
