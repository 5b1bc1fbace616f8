"""The village's search covers its earlier years (issue 19), merged only once this year's first
results show (or this year has none), so they do not delay the first result on a slow line."""

from __future__ import annotations

import pytest

from tests.browser.test_phone import VILLAGE, YEAR

pytestmark = pytest.mark.browser


def test_a_word_only_an_earlier_year_has_is_found(phone, demo_url: str):
    # 虫害 is in a 2025 record (party/2025-04-theme-day-tea-picking) and in none of 2026's.
    phone.goto(f"{demo_url}{VILLAGE}/{YEAR}/search/?q=虫害")
    link = phone.page.locator(".pagefind-ui__result-link").first
    link.wait_for(timeout=30_000)
    assert f"/{VILLAGE}/{YEAR - 1}/" in link.get_attribute("href")
    assert phone.console_errors == []


# When (epoch ms, as Playwright times requests) the first result showed its link.
FIRST_SHOWN = """addEventListener("DOMContentLoaded", function () {
  new MutationObserver(function (_, watch) {
    if (!document.querySelector(".pagefind-ui__result-link")) return;
    window.vpFirstShown = performance.timeOrigin + performance.now();
    watch.disconnect();
  }).observe(document.body, {childList: true, subtree: true});
});"""


def test_this_years_results_come_first_then_every_year(browser, demo_url: str):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, service_workers="block")
    context.add_init_script(FIRST_SHOWN)
    page = context.new_page()
    # A slowish line (1 Mbit/s, 100 ms): merged first, the earlier year's files were asked for
    # hundreds of milliseconds before the first result showed.
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 100,
                                                  "downloadThroughput": 125_000, "uploadThroughput": 125_000})
    started: list[tuple[float, str]] = []
    context.on("requestfinished", lambda request: started.append((request.timing["startTime"], request.url)))
    try:
        page.goto(f"{demo_url}{VILLAGE}/{YEAR}/search/?q=道路")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=60_000)
        # Found in both years: the message counts them all (66 pages of the demo) once the earlier
        # year is merged.
        page.wait_for_function("""() => /66/.test(document.querySelector(".pagefind-ui__message").innerText)""",
                               timeout=60_000)
        first = page.evaluate("window.vpFirstShown")
        earlier = [at for at, url in started if f"/{VILLAGE}/{YEAR - 1}/pagefind/" in url]
        assert earlier and min(earlier) >= first, "the earlier year was fetched before the first result"
        assert page.locator(".pagefind-ui__search-input").input_value().strip() == "道路"
    finally:
        context.close()
