"""The feed (issue #4): each village's newest records as an Atom feed, linked from its pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

from generator.domain.chain import PUBLISH, Chain
from generator.inputs.messages import Catalogue
from generator.archive.publish import FEED_SIZE, VillagePlan
from generator.domain.model import FeedEntry, VillageSummary
from generator.archive.publish import feed as render_feed
from generator.render.pages import environment

ATOM = "{http://www.w3.org/2005/Atom}"
VILLAGE = "hekou"


def feed(demo_out: Path, village: str = VILLAGE) -> ET.Element:
    root = ET.parse(demo_out / village / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    return root


def resolve(demo_out: Path, base: str, href: str) -> Path:
    """Where a relative link from the file at `base` (a path under the output folder) leads."""
    target = urljoin(f"http://host/{base}", href).removeprefix("http://host/")
    path = demo_out / target
    return path / "index.html" if target.endswith("/") or path.is_dir() else path


def test_the_feed_is_atom_with_the_newest_records_first(demo_out: Path):
    root = feed(demo_out)
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    entries = root.findall(f"{ATOM}entry")
    records = len(list((demo_out / VILLAGE).glob("[0-9][0-9][0-9][0-9]/*/*/index.html")))
    assert len(entries) == min(FEED_SIZE, records) and len(entries) > 10
    days = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert days == sorted(days, reverse=True)
    # The feed's date is its newest record's, not the build's clock: rebuilds give the same bytes.
    assert root.findtext(f"{ATOM}updated") == days[0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00\+08:00", days[0])
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")


def test_every_entry_links_to_a_page_that_exists(demo_out: Path):
    for village in ("hekou", "liutang"):
        for entry in feed(demo_out, village).findall(f"{ATOM}entry"):
            href = entry.find(f"{ATOM}link").get("href")
            assert not href.startswith("/")
            assert resolve(demo_out, f"{village}/feed.xml", href).is_file(), href


def test_every_page_of_a_village_links_to_its_feed(demo_out: Path):
    site = demo_out / VILLAGE / "2025"
    pages = [page for page in sorted(site.rglob("index.html")) if page.relative_to(site).parts[0] != "assets"]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        link = re.search(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', html)
        assert link, page
        assert resolve(demo_out, page.relative_to(demo_out).as_posix(), link.group(1)) == demo_out / VILLAGE / "feed.xml"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="../feed.xml" type="application/atom+xml">订阅更新</a>' in home


def test_record_text_is_text_in_the_feed(tmp_path: Path):
    title = '<script>alert("x")</script> & 通知'
    chain = Chain([])
    chain.append(PUBLISH, 2025, 1, "0" * 64)
    plan = VillagePlan(VillageSummary("testv", "测试村", [2025], "2025-03-01", 1), tmp_path, chain,
                       notices=[FeedEntry(2025, "affairs/a/", title, title, date(2025, 3, 1))])
    root = ET.fromstring(render_feed(plan, environment(Catalogue())).encode("utf-8"))
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == title
    assert entry.find(f"{ATOM}link").get("href") == "2025/affairs/a/"
    assert root.find(f"{ATOM}script") is None and entry.find(f"{ATOM}script") is None
