"""Search finds a record whenever its text holds the query (issue 8), in real Chromium on the demo.

These queries used to miss their record: Pagefind's dictionary cut the record's text one way when
it indexed it, the browser cut the query another way when the reader searched (发布单位柳塘村村民
委员会 was indexed as 柳|塘村|村民|委员|会, so the village's own name missed half its records).
generator/site/search_index.py and themes/overrides/assets/search.js make both sides single characters,
searched side by side.
"""

from __future__ import annotations

import pytest

from tests.browser.test_phone import VILLAGE, YEAR, pages

pytestmark = pytest.mark.browser

USED_TO_MISS = {
    "工厂冷藏库扩": "decisions/2026-cold-storage/",  # a title: 茶叶加工厂冷藏库扩建
    "步候选人": "elections/2026-villagers-committee/",  # mid-sentence: 主任初步候选人3名
    "二条": "red-black/2026-h1/",  # a table cell: 第二条（环境卫生）
    "柳塘村": "finance/2026-01/",  # the village's own name: 发布单位 柳塘村村民委员会
}

# Every result of a query, searched as the search box searches it, with its text as indexed.
SEARCH = """async (query) => {
    const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
    const search = await pagefind.search(vpSearchTerm(query));
    return Promise.all(search.results.map(async (result) => {
        const data = await result.data();
        return [data.url, data.content.replaceAll("\\u200b", "")];
    }));
}"""


@pytest.mark.parametrize("query", USED_TO_MISS)
def test_a_query_finds_its_record_and_only_records_that_hold_it(phone, demo_url: str, query: str):
    phone.goto(pages(demo_url)["search"])
    results = phone.page.evaluate(SEARCH, query)
    urls = [url for url, _ in results]
    assert f"/{VILLAGE}/{YEAR}/{USED_TO_MISS[query]}" in urls, urls
    assert [url for url, text in results if query not in text] == []


def test_the_reader_sees_the_record_in_the_search_box(phone, demo_url: str):
    phone.goto(pages(demo_url)["search"])
    phone.page.fill(".pagefind-ui__search-input", "步候选人")
    link = phone.page.locator(f".pagefind-ui__result-link[href$='/{USED_TO_MISS['步候选人']}']")
    link.first.wait_for(timeout=10_000)
    shown = phone.page.inner_text(".pagefind-ui__results")
    assert "候选人" in shown
    assert "\u200b" not in shown  # the index's spelt-out text is not what the reader sees
    assert phone.console_errors == []
