"""Legible on a phone (issue #4): body text of at least 16 px, and a "larger text" switch that
persists from page to page without Material's script."""

from __future__ import annotations

import pytest

from tests.browser.test_phone import pages

pytestmark = pytest.mark.browser

TEXT_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize)"


def test_body_text_is_at_least_16px(phone, demo_url: str):
    for name in ("home", "section", "notice", "ledger"):
        phone.goto(pages(demo_url)[name])
        assert phone.page.evaluate(TEXT_SIZE) >= 16, name


def test_larger_text_switch_persists_and_keeps_pages_phone_wide(phone, demo_url: str):
    phone.goto(pages(demo_url)["home"])
    before = phone.page.evaluate(TEXT_SIZE)
    switch = phone.page.locator(".vp-larger")
    assert switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert phone.page.evaluate(TEXT_SIZE) > before
    assert switch.get_attribute("aria-pressed") == "true"
    for name in ("ledger", "township"):
        phone.goto(pages(demo_url)[name])
        assert phone.page.locator(".vp-larger").get_attribute("aria-pressed") == "true"
        assert phone.page_width() <= 390, f"{name} scrolls sideways with larger text"
    phone.page.locator(".vp-larger").click()
    phone.goto(pages(demo_url)["home"])
    assert phone.page.evaluate(TEXT_SIZE) == before
    assert not [url for url in phone.requests if "/javascripts/bundle." in url]
