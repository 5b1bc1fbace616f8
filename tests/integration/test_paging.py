"""A long section list in pages of 50, newest first (issue 19): every record reachable by plain
relative links, 上一页/下一页 and page numbers in Chinese words, the list's data file whole."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from generator.render.paging import Paging, split

FIRST = date(2026, 1, 1)


def test_split_pages_and_links():
    pages = split(list(range(120)))
    assert [len(records) for _, records in pages] == [50, 50, 20]
    first, second, last = (pager for pager, _ in pages)
    assert (second.first, second.last, second.total, second.count) == (51, 100, 120, 3)
    assert first.href(2) == "page_2/" and first.href(1) == "./"
    assert second.href(1) == "../" and second.href(3) == "../page_3/" and second.base == "../"
    assert split(list(range(50))) == [(None, list(range(50)))]
    # 40 pages: the first, the last and two either side of the current one; the rest by 上一页/下一页.
    assert Paging(20, 40, 951, 1000, 2000).shown() == [1, None, 18, 19, 20, 21, 22, None, 40]


def test_a_long_section_is_split_and_every_record_is_reachable(portal):
    for day in range(120):
        when = FIRST + timedelta(days=day)
        portal.record(2026, "affairs", f"n{day:03d}.yml",
                      f"title: 第{day}号通知\ndate: {when}\ncategory: 其他\nissuer: 测试村村民委员会\nbody: 内容。\n")
    portal.check(as_of=date(2026, 6, 1))
    first, second, third = (portal.page("affairs", name) for name in ("section", "page_2", "page_3"))
    linked = []
    for page in (first, second, third):
        linked += re.findall(r'<a href="(?:\.\./)?(n\d{3})/">', page)
    assert sorted(linked) == [f"n{day:03d}" for day in range(120)]  # each record once
    assert linked[0] == "n119" and linked[-1] == "n000"  # newest first
    assert "下一页" in first and "上一页" not in first and 'href="page_2/" rel="next"' in first
    assert 'href="../" rel="prev"' in second and 'href="../page_3/" rel="next"' in second
    assert "这是第 2 页，共 3 页：第 51 至 100 条。" in second
    assert "title: 村务公开（第 2 页）" in second  # each page its own title
    assert 'href="../../' in second  # the crumbs reach the year's home from a page's own folder
    # The list's data (table-1) is the whole list, published once, from the first page.
    data = json.loads((portal.root / "docs" / "2026" / "affairs" / "table-1.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == 120
    assert "table-1.csv" in first and "table-1.csv" not in second
