"""A record's photos on a phone (issue 24): a record with six photos keeps its first view within
the budget (nothing of the photos before the reader scrolls to them), and a 390 px phone then
loads the smallest file of each, WebP, nothing larger."""

from __future__ import annotations

import threading
from datetime import date
from typing import Iterator

import pytest

from benchmarks.page_weight import BUDGET_KB, first_view
from generator.tools.serve import make_server
from tests.builder import Portal
from tests.input.test_photos import jpeg, notice, photo_entry

pytestmark = pytest.mark.browser

# A notice as long as a real one: its photos come below the first screen.
# A caption that tries to close the <noscript> a photo waits in and run script when it is put in.
PAYLOAD = '</noscript><img src=x onerror="window.__xss=1">'
BODY = "村道维修工程由镇交通站指导，村委会组织实施，施工单位按合同完成路面修补和排水沟清理，村务监督委员会全程监督。"


@pytest.fixture(scope="module")
def six_photos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("photos")
    portal = Portal(root)
    captions = [f"第{n}张照片" for n in range(1, 6)] + [PAYLOAD]
    text = notice("".join(photo_entry(f"p{n}.jpg", f"'{caption}'") for n, caption in enumerate(captions, 1)))
    portal.record(2026, "affairs", "six.yml", text.replace("body: 村道维修。\n", "body: |\n" + f"  {BODY}\n\n" * 6))
    for n in range(1, 7):
        portal.write(f"content/testv/2026/affairs/six/p{n}.jpg", jpeg(seed=n))
    portal.build(root / "public", as_of=date(2026, 6, 1))
    server = make_server(root / "public", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/testv/2026/affairs/six/"
    server.shutdown()
    server.server_close()


def test_six_photos_keep_the_first_view_within_the_budget(phone, six_photos):
    size, urls = first_view(phone.page, six_photos)
    assert size <= BUDGET_KB * 1024, f"{size / 1024:.1f} KB on first view"
    assert not [url for url in urls if "/photo-" in url], "a photo below the first screen loaded before scrolling"


def test_a_phone_loads_only_the_smallest_size_of_each_photo(phone, six_photos):
    phone.goto(six_photos)
    phone.page.locator(".vp-photo").last.scroll_into_view_if_needed()
    phone.page.wait_for_function("document.querySelectorAll('.vp-photo img').length == 6 && "
                                 "[...document.querySelectorAll('.vp-photo img')].every(i => i.complete && i.naturalWidth)")
    photos = sorted(url.rsplit("/", 1)[1] for url in phone.requests if "/photo-" in url)
    assert photos == [f"photo-{n}-360.webp" for n in range(1, 7)]
    # Shown at the photo's shape, two to a row, nothing wider than the phone.
    boxes = phone.page.eval_on_selector_all(".vp-photo img", "all => all.map(i => [i.width, i.height])")
    assert all(150 < width < 195 and abs(height - width * 3 / 4) < 2 for width, height in boxes), boxes
    assert phone.page_width() <= 390
    # The caption put in with its photo is text, in the caption and the alt, and ran nothing.
    assert phone.page.evaluate("window.__xss") is None
    assert phone.page.locator(".vp-photo figcaption").last.inner_text() == PAYLOAD
    assert phone.page.locator(".vp-photo img").last.get_attribute("alt") == PAYLOAD
    assert phone.console_errors == []
