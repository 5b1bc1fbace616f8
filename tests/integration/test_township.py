"""The township front page (issue #4): every village with its latest update and whether each of
the three disclosures (党务, 村务, 财务) is on time or overdue, in words."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import date
from pathlib import Path

from generator.pipeline.check import check
from generator.domain.chain import Chain
from generator.domain.model import VillageSummary
from generator.domain.model import PortalVillage
from generator.render.pages import render_portal
from tests.conftest import DEMO_AS_OF, ROOT


def tiles(html: str) -> dict[str, str]:
    """Each village's row in the township board's table, as text, by the village's link."""
    return {href: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for href, row in re.findall(r'<tr><td><a href="([^"]+)">(.*?)</tr>', html, re.S)}


def township_page(as_of: date, tmp_path: Path) -> str:
    """The township page as the build renders it, for the demo's records as of a day."""
    checked = check(ROOT / "content", ROOT / "site_config", as_of=as_of)
    villages = [PortalVillage(village.summary(), Chain([])) for village in checked.villages]
    render_portal(checked.villages[0].settings.township, villages, tmp_path, checked.villages[0].catalogue)
    return (tmp_path / "index.md").read_text(encoding="utf-8")


def test_every_village_shows_each_disclosure_on_time_in_words(demo_out: Path):
    html = (demo_out / "index.html").read_text(encoding="utf-8")
    shown = tiles(html)
    assert set(shown) == {"hekou/", "liutang/"}
    assert "按 2026年11月25日 计算" in html
    for href, text in shown.items():
        assert (demo_out / href / "index.html").is_file()
        # The board (issue 20) gives each disclosure's periods disclosed of those due, and words
        # only for an overdue one: none is.
        assert "3/3 3/3 10/10" in text and "超期" not in text, text


def test_the_statuses_are_kept_for_villages_not_rebuilt(demo_out: Path):
    summary = json.loads((demo_out / "hekou" / "village.json").read_text(encoding="utf-8"))
    assert summary["as_of"] == DEMO_AS_OF.isoformat()
    assert [status["category"] for status in summary["statuses"]] == ["party", "affairs", "finance"]
    read = VillageSummary.read(demo_out / "hekou" / "village.json")
    assert asdict(read) == summary and all(status.on_time for status in read.statuses)


def test_a_quarter_without_a_party_notice_shows_as_overdue(tmp_path: Path):
    # 河口村 posted no party notice in 2025 Q2 (the last was on 31 March, the next on 3 July):
    # on 2 July the quarter had gone by.
    shown = tiles(township_page(date(2025, 7, 2), tmp_path))
    assert "党务：已超期 2 天" in shown["hekou/"]
    assert "村务：已超期" not in shown["hekou/"] and "财务：已超期" not in shown["hekou/"]
    assert "超期" not in shown["liutang/"]
    # Not by colour alone: the words say it, the colour marks it.
    html = township_page(date(2025, 7, 2), tmp_path / "again")
    assert '<span class="vp-live">党务：已超期 2 天</span>' in html


def test_a_summary_written_before_statuses_were_kept_still_reads(tmp_path: Path):
    path = tmp_path / "village.json"
    path.write_text(json.dumps({"id": "old", "name": "老村", "years": [2024], "latest_date": "2024-12-01",
                                "records": 3}), encoding="utf-8")
    summary = VillageSummary.read(path)
    assert summary.statuses == [] and summary.as_of is None
