"""朗读 (issue 19): a record page reads itself with the phone's Chinese voice: the title, the facts,
the balances and the text, amounts and years said as a villager says them; no Chinese voice, no
button. The phone's voices are stood in for, to hear what would be said."""

from __future__ import annotations

import pytest

from tests.browser.test_phone import pages
from tests.conftest import PHONE

pytestmark = pytest.mark.browser

VOICES = """(voices) => {
  window.vpSpoken = [];
  const synth = {speaking: false, getVoices: () => voices, addEventListener() {}, cancel() { this.speaking = false; },
                 speak(u) { this.speaking = true; window.vpSpoken.push([u.text, u.lang]); }};
  Object.defineProperty(window, "speechSynthesis", {value: synth});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def visit(browser, url: str, voices: list[dict]):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(f"({VOICES})({voices!r})".replace("True", "true"))
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return context, page


def test_no_chinese_voice_no_button(browser, demo_url: str):
    context, page = visit(browser, pages(demo_url)["ledger"], [{"lang": "en-US", "name": "English"}])
    try:
        assert page.locator(".vp-listen").is_hidden()
    finally:
        context.close()


def test_a_ledger_is_read_aloud_with_amounts_and_years_in_words(browser, demo_url: str):
    context, page = visit(browser, pages(demo_url)["ledger"], [{"lang": "zh-CN", "name": "普通话"}])
    try:
        button = page.locator(".vp-listen")
        assert button.is_visible() and button.inner_text() == "朗读"
        button.click()
        spoken = page.evaluate("window.vpSpoken")
        text = "".join(part for part, _ in spoken)
        assert {lang for _, lang in spoken} == {"zh-CN"}
        assert page.locator("h1").inner_text().replace("2026年", "二〇二六年") in text
        assert "期初余额" in text and "元" in text and "¥" not in text
        assert button.inner_text() == "停止朗读"
        said = page.evaluate("""() => [vpSaid("¥63,888.00"), vpSaid("¥1,025,880.02"), vpSaid("¥10,005.50"),
                                      vpSaid("¥100,000.00"), vpSaid("2026年10月4日")]""")
        assert said == ["六万三千八百八十八元", "一百零二万五千八百八十元二分", "一万零五元五角", "十万元",
                        "二〇二六年10月4日"]
    finally:
        context.close()
