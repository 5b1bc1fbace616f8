"""村规民约: the demo's rules (柳塘村: adopted, then revised with 补充条款) copied into the test
village and broken one rule at a time; the article in force on a day; 红黑榜 clauses checked
against it and linked to it on the page."""

from __future__ import annotations

from datetime import date
from urllib.parse import unquote

import pytest

from tests.builder import Portal
from tests.conftest import ROOT

AS_OF = date(2026, 11, 25)
DEMO = ROOT / "content" / "liutang"
RULES = "content/testv/2026/rules/2026-village-rules.yml"
HEADER = "户主姓名,组别,红/黑榜,事由,村规民约条款,积分,有效期至\n"


def demo(relative: str) -> str:
    return (DEMO / relative).read_text(encoding="utf-8")


def village(portal: Portal, rules: str | None = None, clauses: dict[str, list[str]] | None = None) -> None:
    """The demo's rules and the two decisions they name; a 红黑榜 posting on each day given,
    one red entry per clause."""
    files = {RULES: rules if rules is not None else demo("2026/rules/2026-village-rules.yml"),
             "content/testv/2025/decisions/2025-village-rules.yml": demo("2025/decisions/2025-village-rules.yml"),
             "content/testv/2025/decisions/2025-rules-supplement.yml": demo("2025/decisions/2025-rules-supplement.yml")}
    for day, cited in (clauses or {}).items():
        folder = f"content/testv/{day[:4]}/red-black/{day}"
        files[f"{folder}.yml"] = f"title: 红黑榜\ndate: {day}\nposted_until: {day[:8]}28\nissuer: 测试村村民委员会\n"
        files[f"{folder}.csv"] = HEADER + "".join(f"王大山{i},一组,红,评比优秀,{clause},10,\n" for i, clause in enumerate(cited))
    portal.files(files)


def problems(portal: Portal, key: str):
    checked = portal.check(AS_OF)
    return [p for p in checked.problems if p.key == key], checked


def test_the_demo_rules_pass_and_their_clauses_resolve(portal):
    village(portal, clauses={"2025-07-22": ["第二条（环境卫生）"], "2026-05-12": ["补充条款第二条（防火）", "第2条"]})
    checked = portal.check(AS_OF)
    assert [p.key for p in checked.problems.errors] == []
    assert not [p for p in checked.problems if "/rules/" in p.location.path]
    rules = next(r for r in checked.villages[0].records if r.section == "rules")
    # Before the revision of 2025-11-01, 第二条 was the adopted text and there was no 补充条款.
    before, after = rules.rules_in_force(date(2025, 7, 22)), rules.rules_in_force(date(2026, 5, 12))
    assert before.cite("补充条款第二条（防火）") is None
    assert unquote(before.cite("第二条（环境卫生）").address) == "2026/rules/2026-village-rules/#第2条-2025-03-18"
    assert after.cite("第二条（环境卫生）").address.endswith("#第2条")
    assert "农药瓶" in after.articles[("", 2)].article.text and "农药瓶" not in before.articles[("", 2)].article.text
    assert rules.rules_in_force(date(2025, 3, 17)) is None  # before it was adopted


def test_a_clause_the_rules_in_force_do_not_have_is_an_error_at_its_cell(portal):
    village(portal, clauses={"2026-07-22": ["第二条（环境卫生）", "补充条款第九条（防火）"]})
    found, _ = problems(portal, "redblack_clause_unknown")
    assert len(found) == 1
    assert (found[0].location.path.endswith("2026-07-22.csv"), found[0].location.line) == (True, 3)
    assert found[0].location.column == "村规民约条款"
    assert found[0].params["clause"] == "补充条款第九条（防火）" and "第七条（邻里和睦）" in found[0].params["articles"]


def test_a_clause_naming_another_title_is_an_error(portal):
    village(portal, clauses={"2026-05-12": ["第三条（环境卫生）"]})
    found, _ = problems(portal, "redblack_clause_title_differs")
    assert [p.params["article"] for p in found] == ["第三条（移风易俗）"]


def test_a_village_without_rules_keeps_its_clauses_as_text(portal):
    portal.files({"content/testv/2026/red-black/2026-h1.yml": "title: 红黑榜\ndate: 2026-07-20\nposted_until: 2026-08-02\n",
                  "content/testv/2026/red-black/2026-h1.csv": HEADER + "王大山,一组,红,评比优秀,第九十九条（没有）,10,\n"})
    checked = portal.check(AS_OF)
    assert [p.key for p in checked.problems.errors] == []
    assert '<td data-label="村规民约条款">第九十九条（没有）</td>' in portal.page("red-black", "2026-h1")


def test_the_red_black_page_links_each_clause_to_the_article_in_force_on_its_day(portal):
    village(portal, clauses={"2026-05-12": ["第二条（环境卫生）"], "2025-07-22": ["第二条（环境卫生）"]})
    assert [p.key for p in portal.check(AS_OF).problems.errors] == []
    now = portal.page("red-black", "2026-05-12", year=2026)
    assert '<a href="../../../2026/rules/2026-village-rules/#第2条">第二条（环境卫生）</a>' in now
    section = portal.page("red-black", year=2026)  # the count by clause links too
    assert '<a href="../../2026/rules/2026-village-rules/#第2条">第二条（环境卫生）</a>' in section
    # The text was published in 2026: a 2025 list keeps its clause as text (and is not judged by
    # it), as a year archived and exported on its own never leans on a later one.
    then = portal.page("red-black", "2025-07-22", year=2025)
    assert "/rules/" not in then and '<td data-label="村规民约条款">第二条（环境卫生）</td>' in then
    # The rules page has both anchors: the text in force, and the one the revision replaced.
    rules = portal.page("rules", "2026-village-rules", year=2026)
    assert 'id="第2条"' in rules and 'id="第2条-2025-03-18"' in rules and 'id="补充条款第2条"' in rules
    assert '<li><a href="#补充条款第2条">补充条款第二条（防火）</a></li>' in rules  # the index of articles
    assert 'href="../../../2025/decisions/2025-rules-supplement/"' in rules


@pytest.mark.parametrize(("change", "key", "field"), [
    (("adopted_by: decisions/2025-village-rules", "adopted_by: decisions/2019-village-rules"), "rules_decision_unknown", "adopted_by"),
    (("  - number: 第七条", "  - number: 第六条"), "rules_number_twice", "articles.6.number"),
    (("  - number: 第八条", "  - number: 第捌条"), "rules_bad_number", "articles.7.number"),
    (("revised_on: 2025-11-01", "revised_on: 2025-01-01"), "rules_revision_before_adoption", "revisions.0.revised_on"),
])
def test_each_error_of_a_broken_demo_record_is_located(portal, change, key, field):
    text = demo("2026/rules/2026-village-rules.yml")
    assert change[0] in text
    village(portal, rules=text.replace(change[0], change[1], 1))
    found, checked = problems(portal, key)
    assert len(found) == 1 and found[0] in checked.problems.errors
    rules = next(r for r in checked.villages[0].records if r.section == "rules")
    assert found[0].location.line == rules.source.document.line_of(field)


@pytest.mark.parametrize(("change", "key"), [
    (("adopted_by: decisions/2025-village-rules\n", ""), "rules_without_decision"),
    (("adopted_on: 2025-03-18", "adopted_on: 2025-03-10"), "rules_before_decision"),
])
def test_a_decision_missing_or_later_is_a_finding(portal, change, key):
    village(portal, rules=demo("2026/rules/2026-village-rules.yml").replace(*change, 1))
    found, checked = problems(portal, key)
    assert len(found) == 1 and not checked.problems.errors
