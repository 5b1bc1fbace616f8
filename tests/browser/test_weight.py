"""A page's first view stays light (issue #4): measured from Chromium's own request log."""

from __future__ import annotations

import pytest

from benchmarks.page_weight import BUDGET_KB, first_view, site_pages

from tests.browser.test_phone import VILLAGE, YEAR

pytestmark = pytest.mark.browser

NAMES = ["township", "home", "section", "record", "ledger"]


@pytest.mark.parametrize("name", NAMES)
def test_first_view_is_within_the_budget_and_loads_no_search(phone, demo_url: str, demo_out, name: str):
    url = site_pages(demo_url, demo_out, VILLAGE, YEAR)[name]
    size, urls = first_view(phone.page, url)
    assert size <= BUDGET_KB * 1024, f"{name}: {size / 1024:.1f} KB on first view"
    assert not [u for u in urls if "/pagefind/" in u], "search loaded before the reader opened it"
    assert not [u for u in urls if "/javascripts/bundle." in u], "Material's script loaded on first view"
    assert phone.console_errors == []


def test_opening_the_menu_brings_materials_script_and_keeps_working(phone, demo_url: str, demo_out):
    phone.goto(site_pages(demo_url, demo_out, VILLAGE, YEAR)["record"])
    phone.open_menu()
    assert phone.page.locator("#__drawer").is_checked()
    assert any("/javascripts/bundle." in url for url in phone.requests)
    # The version selector is built once, by the page, not a second time by Material.
    assert phone.page.locator(".md-version").count() == 1
    assert phone.console_errors == []
