"""What a villager on a phone sees, in real Chromium (Debian's), against the served demo."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

VILLAGE = "liutang"
YEAR = 2026


def first_record(section: str, year: int = YEAR) -> str:
    return sorted((ROOT / "content" / VILLAGE / str(year) / section).glob("*.yml"))[0].stem


def pages(base: str) -> dict[str, str]:
    site = f"{base}{VILLAGE}/{YEAR}/"
    return {
        "township": base,
        "home": site,
        "section": f"{site}affairs/",
        "notice": f"{site}party/{first_record('party')}/",
        "ledger": f"{site}finance/{first_record('finance')}/",
        "search": f"{site}search/",
    }


@pytest.mark.parametrize("name", ["township", "home", "section", "notice", "ledger", "search"])
def test_no_page_scrolls_sideways_on_a_phone(phone, demo_url: str, name: str):
    phone.goto(pages(demo_url)[name])
    assert phone.page_width() <= 390, f"{name} page is {phone.page_width()}px wide on a 390px phone"


def test_wide_ledger_scrolls_inside_its_own_box(phone, demo_url: str):
    phone.goto(pages(demo_url)["ledger"])
    box = phone.page.locator(".vp-table-wrap").last
    overflow = box.evaluate("el => getComputedStyle(el).overflowX")
    assert overflow == "auto"
    assert phone.page_width() <= 390


def test_no_request_leaves_the_machine(phone, demo_url: str):
    for url in pages(demo_url).values():
        phone.goto(url)
    phone.page.fill(".pagefind-ui__search-input", "公示")
    phone.page.wait_for_selector(".pagefind-ui__result", timeout=10_000)
    assert phone.requests, "no requests were recorded"
    elsewhere = [url for url in phone.requests if not url.startswith("http://127.0.0.1:")]
    assert elsewhere == []


def test_a_search_finds_every_file_it_fetches(phone, demo_url: str):
    missing: list[str] = []
    phone.page.on("response", lambda response: response.status >= 400 and missing.append(response.url))
    phone.goto(pages(demo_url)["search"])
    phone.page.fill(".pagefind-ui__search-input", "公示")
    phone.page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)
    phone.page.wait_for_load_state("networkidle")
    assert [url for url in phone.requests if "/pagefind/" in url], "the search fetched nothing"
    assert missing == []


def test_village_address_leads_to_the_newest_year(phone, demo_url: str):
    phone.goto(f"{demo_url}{VILLAGE}/")
    phone.page.wait_for_url(f"**/{VILLAGE}/{YEAR}/")
    assert "柳塘村" in phone.page.title()


def test_version_selector_lists_the_years(phone, demo_url: str):
    phone.goto(pages(demo_url)["home"])
    selector = phone.page.locator(".md-version")
    selector.wait_for(state="attached", timeout=10_000)
    years = phone.page.locator(".md-version__link").all_text_contents()
    assert [year.strip() for year in years] == ["2026年", "2025年"]


def test_an_archived_year_says_so_and_links_to_the_latest(phone, demo_url: str):
    phone.goto(f"{demo_url}{VILLAGE}/2025/")
    banner = phone.page.locator("[data-md-component=outdated]")
    banner.wait_for(state="visible", timeout=10_000)
    assert "往年" in banner.inner_text()
    banner.locator("a").click()
    phone.page.wait_for_url(f"**/{VILLAGE}/{YEAR}/")


def test_search_finds_a_chinese_word_from_the_middle_of_a_sentence(phone, demo_url: str):
    # "参与道路硬化一期、二期工程监督": 道路硬化 sits inside a sentence, not at a word boundary
    # a Western tokenizer would see; the index holds each Chinese character (generator/site/search_index.py).
    record = ROOT / "content" / VILLAGE / str(YEAR) / "party" / "2026-08-development-targets.yml"
    text = record.read_text(encoding="utf-8")
    assert "参与道路硬化一期" in text
    phone.goto(pages(demo_url)["search"])
    phone.page.fill(".pagefind-ui__search-input", "道路硬化")
    phone.page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)  # the reader sees results
    # Every match, not just the first screenful, from the same index through Pagefind's API,
    # the query spelt out as the search box spells it.
    urls = phone.page.evaluate("""async () => {
        const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
        const search = await pagefind.search(vpSearchTerm("道路硬化"));
        return Promise.all(search.results.map(async (result) => (await result.data()).url));
    }""")
    assert any(url.endswith(f"/{VILLAGE}/{YEAR}/party/2026-08-development-targets/") for url in urls), urls
