"""Categories as settings (issue 24): a section's categories and their posting periods are
`rules.<section>.categories`; a village adds its own in its site_config, without code."""

from __future__ import annotations

from datetime import date

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from tests.conftest import ROOT

AS_OF = date(2026, 6, 1)

NOTICE = """\
title: 2026年“美丽庭院”评选结果
date: 2026-05-06
category: {category}
{posted}body: 经村民代表评议，评出“美丽庭院”示范户12户。
"""


def _township(portal) -> None:
    """The demo township's own _defaults.yml: the seed categories as it lists them."""
    portal.write("site_config/_defaults.yml", (ROOT / "site_config" / "_defaults.yml").read_text(encoding="utf-8"))


def _notice(portal, category: str, posted: str = "") -> None:
    portal.record(2026, "affairs", "courtyards.yml", NOTICE.format(category=category, posted=posted))


def test_a_village_adds_its_own_category_and_a_notice_of_it_is_listed_under_it(portal):
    _township(portal)
    portal.village("name: 测试村\nrules:\n  affairs:\n    categories:\n      美丽庭院: 5\n")
    _notice(portal, "美丽庭院", "posted_until: 2026-05-12\n")
    checked = portal.check(AS_OF)
    assert [p.key for p in checked.problems if "/affairs/" in p.location.path] == []
    page = portal.page("affairs", "courtyards")
    assert "美丽庭院" in page and "类别" in page
    assert "courtyards/" in portal.page("affairs")
    # The seed categories are still there beside it, and its own posting period is a rule.
    rules = checked.villages[0].settings.rules.of("affairs", AS_OF)
    assert list(rules.categories)[-1] == "美丽庭院" and rules.categories["惠农补贴"] == 7
    _notice(portal, "美丽庭院", "posted_until: 2026-05-08\n")
    [short] = [p for p in portal.check(AS_OF).problems if "/affairs/" in p.location.path]
    assert (short.key, short.severity, short.params["minimum"]) == ("posting_too_short", Severity.FINDING, 5)
    _notice(portal, "美丽庭院")
    [missing] = [p for p in portal.check(AS_OF).problems if "/affairs/" in p.location.path]
    assert (missing.key, missing.params["minimum"], missing.params["category"]) == ("posting_missing", 5, "美丽庭院")


def test_an_unknown_category_is_a_located_error_listing_the_allowed_ones(portal):
    _township(portal)
    _notice(portal, "美丽庭院")
    [error] = [p for p in portal.check(AS_OF).problems if "/affairs/" in p.location.path]
    assert error.severity is Severity.ERROR and error.key == "unknown_category"
    assert error.location.path.endswith("affairs/courtyards.yml") and error.location.line == 3
    assert error.params["value"] == "美丽庭院"
    assert error.params["allowed"].split("、")[:3] == ["村级规划", "惠农补贴", "土地管理"]
    worded = Catalogue().text("problem.unknown_category", **error.params)
    assert worded.startswith("类别“美丽庭院”不在清单里。可用的类别有：村级规划、惠农补贴")


def test_a_category_added_from_a_date_judges_only_records_from_that_day(portal):
    _township(portal)
    portal.village("name: 测试村\nrules:\n  affairs:\n    changes:\n      - from: 2026-06-01\n"
                   "        categories: {村级规划: null, 惠农补贴: 10, 美丽庭院: null}\n")
    _notice(portal, "美丽庭院")  # posted 2026-05-06: before the change, 美丽庭院 was no category
    assert [p.key for p in portal.check(AS_OF).problems if "/affairs/" in p.location.path] == ["unknown_category"]
    portal.record(2026, "affairs", "courtyards.yml",
                  NOTICE.format(category="美丽庭院", posted="").replace("2026-05-06", "2026-06-02"))
    assert [p.key for p in portal.check(date(2026, 7, 1)).problems if "/affairs/" in p.location.path] == []


def test_new_and_the_desk_offer_the_village_s_own_categories(portal):
    from generator.domain.kinds import KINDS
    from generator.tools.desk.forms import choices_of
    from generator.tools.scaffold import skeleton

    _township(portal)
    portal.village("name: 测试村\nrules:\n  affairs:\n    categories:\n      美丽庭院: 5\n")
    settings = portal.check(AS_OF).villages[0].settings
    text = skeleton(KINDS["affairs"], "2026-new", 2026, Catalogue(), settings)
    allowed = next(line for line in text.splitlines() if "只能写：" in line)
    assert "只能写：村级规划、惠农补贴、土地管理、低保救助、项目建设、值班安排、村规民约、集体经济、其他、美丽庭院；" in allowed
    assert choices_of("affairs", 2026, Catalogue(), settings)["category"][-1] == "美丽庭院"
