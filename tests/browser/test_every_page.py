"""Every page of the demo's newest year read on a 360 px and a 390 px phone, with 大字 off and
on (issue 19): the page never scrolls sideways and no text is cut, and no word of English shows."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

from generator.pipeline.close import close
from generator.tools.serve import make_server
from tests.browser.test_phone import VILLAGE, YEAR
from tests.conftest import DEMO_AS_OF, ROOT

pytestmark = pytest.mark.browser

PHONES = [{"width": 360, "height": 740}, {"width": 390, "height": 844}]

# Each text node's boxes, against the viewport and against every box around it that clips or
# scrolls (a scroll box counts: a value a villager must scroll sideways to see is cut for them).
# Hidden text is left out: not rendered, a closed <details>, the drawer while it is shut, and
# what is read out only (clip-path, as .vp-hidden and a phone's table head are).
CLIPPED = """() => {
  const width = document.documentElement.clientWidth, cut = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility({visibilityProperty: true})) continue;
    if (el.closest(".md-sidebar, script, style, template, noscript")) continue;
    let hidden = false;
    for (let a = el; a; a = a.parentElement) if (getComputedStyle(a).clipPath !== "none") hidden = true;
    if (hidden) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width < 1) continue;
      let inside = box.left >= -0.5 && box.right <= width + 0.5;
      for (let a = el; a && a !== document.body && inside; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === "visible" && style.textOverflow !== "ellipsis") continue;
        const frame = a.getBoundingClientRect();
        inside = box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 && a.scrollWidth <= a.clientWidth + 1;
      }
      if (!inside) { cut.push(node.textContent.trim().slice(0, 30)); break; }
    }
  }
  return cut;
}"""


def year_pages(out: Path) -> list[str]:
    site = out / VILLAGE / str(YEAR)
    return sorted(page.parent.relative_to(out).as_posix() + "/" for page in site.rglob("index.html")
                  if page.relative_to(site).parts[0] not in ("assets", "pagefind"))


@pytest.mark.parametrize("large", [False, True], ids=["text", "large-text"])
@pytest.mark.parametrize("size", PHONES, ids=["360x740", "390x844"])
def test_every_page_fits_the_phone_and_cuts_no_text(browser, demo_out: Path, demo_url: str, size, large: bool):
    context = browser.new_context(viewport=size, device_scale_factor=2, is_mobile=True, has_touch=True)
    if large:
        context.add_init_script("localStorage.setItem('vp-larger', '1')")
    page = context.new_page()
    problems, urls = [], year_pages(demo_out)
    assert len(urls) > 30
    try:
        for url in urls:
            # Laid out once loaded (stylesheets, fonts): the page's own script runs before that.
            page.goto(demo_url + url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            assert page.evaluate("document.documentElement.classList.contains('vp-large-text')") == large
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > size["width"]:
                problems.append(f"{url}: {wide}px wide")
            cut = page.evaluate(CLIPPED)
            if cut:
                problems.append(f"{url}: cut {cut[:5]}")
    finally:
        context.close()
    assert problems == []


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def clerks_words() -> set[str]:
    """Latin words the clerk typed in the records (an app's name, a unit): the records' own
    text, shown as written. The portal's own words are what the test holds to Chinese."""
    words: set[str] = set()
    for path in (ROOT / "content").rglob("*"):  # every village's: the township page quotes them all
        if path.is_file() and path.suffix in (".yml", ".yaml", ".csv", ".md"):
            words |= set(LATIN_WORD.findall(path.read_text(encoding="utf-8")))
    return words


def test_no_english_word_is_shown(phone, demo_out: Path, demo_url: str):
    allowed, found = clerks_words(), {}
    for url in [""] + year_pages(demo_out):
        phone.page.goto(demo_url + url, wait_until="load")  # the text is there once loaded
        shown = set(LATIN_WORD.findall(phone.page.evaluate("document.body.innerText"))) - allowed
        if shown:
            found[url] = sorted(shown)
    assert found == {}


SHORT_HASH = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{4}(?: [0-9a-f]{4}){3}(?![0-9A-Za-z])")


@pytest.fixture(scope="module")
def closed_demo(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the demo with the village's earlier year closed: its closing notice published."""
    out = tmp_path_factory.mktemp("closed") / "public"
    shutil.copytree(demo_out, out, symlinks=True)
    close(ROOT / "content", ROOT / "site_config", out, YEAR - 1, only=[VILLAGE], as_of=DEMO_AS_OF)
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_no_english_word_on_the_log_the_closing_notice_and_the_township_search(phone, closed_demo: str):
    # Hashes, commands and the key are behind 更多 (shut: not shown); 核对码 names the short hash.
    allowed, found = clerks_words(), {}
    for url in [f"{VILLAGE}/changes/", f"{VILLAGE}/closed/{YEAR - 1}/", "search/"]:
        phone.goto(closed_demo + url)
        text = phone.page.evaluate("document.body.innerText")
        assert "核对码" in text or url == "search/", url
        text = SHORT_HASH.sub("", text)  # the 核对码 itself is a code (380f b38d 6b67 34fb)
        assert phone.page.evaluate(CLIPPED) == [], url  # and nothing is cut on the phone
        shown = set(LATIN_WORD.findall(text)) - allowed
        if shown:
            found[url] = sorted(shown)
    assert found == {}
