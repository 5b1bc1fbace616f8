"""公开情况: each category disclosed every period (party and affairs quarterly, finance monthly);
statuses on different days, lapses as findings of the check stage, and the page."""

from __future__ import annotations

from datetime import date

from generator.domain import compliance
from generator.domain.compliance import due_after, lapses, period_of, reference_day, statuses
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from generator.render.pages import render_village_year
from tests.builder import Portal


def notice(day: str, category: str = "三会一课") -> str:
    return (f"title: {day}公开的事项\ndate: {day}\nposted_until: {day[:8]}28\ncategory: {category}\n"
            "body: 按规定公开。\n")


def party(day: str) -> tuple[str, str]:
    return f"content/testv/{day[:4]}/party/p-{day}.yml", notice(day)


def affairs(day: str) -> tuple[str, str]:
    return f"content/testv/{day[:4]}/affairs/a-{day}.yml", notice(day, "其他")


def finance(month: str, posted: str, opening: str = "100.00") -> dict[str, str]:
    """A ledger with one line, posted on `posted`, that reconciles."""
    year = month[:4]
    base = f"content/testv/{year}/finance/{month}"
    return {f"{base}.yml": f"period: {month}\ndate: {posted}\nposted_until: {posted[:8]}28\n"
                           f"opening_balance: {opening}\nclosing_balance: {opening}\n"}


def run(portal: Portal, files: dict[str, str], as_of: date, rules: str = ""):
    portal.village("name: 测试村\npopulation: 1200\n" + rules)
    portal.files(files)
    return portal.check(as_of, frequency=True)


def disclosure(checked) -> list:
    return [p for p in checked.problems if p.key.startswith("disclosure_")]


def quarterly_village() -> dict[str, str]:
    """Party and affairs in every quarter of 2026, finance posted every month."""
    files = dict([party("2026-01-10"), party("2026-04-10"), party("2026-07-10"), party("2026-10-10"),
                  affairs("2026-02-10"), affairs("2026-05-10"), affairs("2026-08-10"), affairs("2026-11-10")])
    for month in range(1, 11):
        files |= finance(f"2026-{month:02d}", f"2026-{month + 1:02d}-05")
    return files


# -- periods ----------------------------------------------------------------------------------

def test_periods_are_calendar_months_quarters_and_half_years():
    assert period_of(date(2026, 5, 17), 3) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_of(date(2026, 12, 31), 1) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_of(date(2026, 7, 1), 6) == (date(2026, 7, 1), date(2026, 12, 31))


def test_the_next_disclosure_is_due_by_the_end_of_the_following_period():
    assert due_after(date(2026, 5, 17), 3) == date(2026, 9, 30)
    assert due_after(date(2026, 11, 6), 1) == date(2026, 12, 31)
    assert due_after(date(2026, 12, 5), 1) == date(2027, 1, 31)
    assert due_after(date(2026, 10, 1), 3) == date(2027, 3, 31)


def test_a_past_years_page_looks_at_its_last_day():
    assert reference_day(2025, date(2026, 11, 25)) == date(2025, 12, 31)
    assert reference_day(2026, date(2026, 11, 25)) == date(2026, 11, 25)


# -- on time ----------------------------------------------------------------------------------

def test_every_period_disclosed_is_quiet_and_current(portal):
    checked = run(portal, quarterly_village(), as_of=date(2026, 11, 25))
    assert disclosure(checked) == []
    village = checked.villages[0]
    states = {status.category: status.state for status in statuses(village.records, village.settings)}
    assert states == {"party": "current", "affairs": "current", "finance": "current"}


def test_not_yet_disclosed_this_period_is_due_not_overdue(portal):
    checked = run(portal, quarterly_village(), as_of=date(2026, 12, 20))
    assert disclosure(checked) == []
    village = checked.villages[0]
    [finance_status] = [s for s in statuses(village.records, village.settings) if s.category == "finance"]
    assert finance_status.state == "due" and finance_status.due == date(2026, 12, 31)
    assert finance_status.last.date == date(2026, 11, 5) and finance_status.count == 10


# -- overdue, at different days ---------------------------------------------------------------

def test_party_affairs_are_overdue_the_day_after_the_following_quarter_ends(portal):
    files = dict([party("2025-11-10"), affairs("2026-02-01"), affairs("2026-04-20")])
    at_end = run(portal, files, as_of=date(2026, 3, 31))
    assert [p.key for p in disclosure(at_end) if "party" in p.key] == []
    day_after = run(portal, files, as_of=date(2026, 4, 1))
    [finding] = [p for p in disclosure(day_after) if "party" in p.key]
    assert finding.key == "disclosure_overdue_party" and finding.severity is Severity.FINDING
    assert finding.params["since"] == "2025-11-10" and finding.params["due"] == "2026-03-31"
    assert finding.params["days"] == 1 and finding.params["months"] == 3
    assert finding.location.path.endswith("content/testv/2026") and finding.location.line is None
    village = day_after.villages[0]
    [status] = [s for s in statuses(village.records, village.settings) if s.category == "party"]
    assert status.state == "overdue" and status.days_overdue == 1


def test_finance_is_overdue_after_a_whole_month_without_a_ledger(portal):
    files = finance("2026-09", "2026-10-09")
    assert [p.key for p in disclosure(run(portal, files, as_of=date(2026, 11, 30)))
            if "finance" in p.key] == []
    late = run(portal, files, as_of=date(2026, 12, 1))
    assert "disclosure_overdue_finance" in [p.key for p in disclosure(late)]


def test_a_category_never_disclosed_is_overdue_counting_from_the_villages_first_disclosure(portal):
    files = dict([party("2026-01-10"), party("2026-04-10")])
    early = run(portal, files, as_of=date(2026, 6, 30))
    assert [p.key for p in disclosure(early)] == ["disclosure_overdue_finance"]
    checked = run(portal, files, as_of=date(2026, 7, 1))
    overdue = {p.key: p for p in disclosure(checked)}
    assert set(overdue) == {"disclosure_overdue_affairs", "disclosure_overdue_finance"}
    assert overdue["disclosure_overdue_affairs"].params["due"] == "2026-06-30"
    assert overdue["disclosure_overdue_affairs"].params["since"] == "2026-01-10"
    assert "previous" not in overdue["disclosure_overdue_affairs"].params


def test_intervals_are_settings(portal):
    files = dict([party("2026-01-10"), affairs("2026-01-10")]) | finance("2025-12", "2026-01-08")
    rules = "rules:\n  compliance:\n    finance_months: 3\n"
    assert disclosure(run(portal, files, as_of=date(2026, 5, 20), rules=rules)) == []
    assert [p.key for p in disclosure(run(portal, files, as_of=date(2026, 5, 20)))] == [
        "disclosure_overdue_finance"]


# -- lapses made good stay visible ------------------------------------------------------------

def test_a_lapse_closed_by_a_later_disclosure_is_a_late_finding_in_the_year_it_began(portal):
    files = dict([party("2025-11-10"), party("2026-05-06"), affairs("2025-11-10"), affairs("2026-02-10"),
                  affairs("2026-05-06")]) | finance("2025-10", "2025-11-10")
    rules = "rules:\n  compliance:\n    finance_months: 12\n"
    checked = run(portal, files, as_of=date(2026, 5, 20), rules=rules)
    [finding] = disclosure(checked)
    assert finding.key == "disclosure_late_party"
    assert finding.params == {"months": 3, "due": "2026-03-31", "days": 36, "since": "2025-11-10",
                              "next": "2026-05-06", "previous": "2025-11-10"}
    assert finding.location.path.endswith("content/testv/2026")
    message = finding.message(Catalogue())
    assert "党务公开不及时" in message and "2026-05-06" in message and "36 天" in message


def test_lapses_of_all_categories_as_of_a_day(portal):
    files = dict([party("2026-01-10"), affairs("2026-01-10")]) | finance("2025-12", "2026-01-08")
    checked = run(portal, files, as_of=date(2026, 7, 2))
    village = checked.villages[0]
    found = lapses(village.records, village.settings)
    assert [(lapse.category, lapse.open, lapse.due) for lapse in found] == [
        ("finance", True, date(2026, 2, 28)), ("party", True, date(2026, 6, 30)), ("affairs", True, date(2026, 6, 30))]
    assert [lapse.days for lapse in found] == [124, 2, 2]


def test_the_check_command_prints_them(portal, capsys):
    from generator.cli import main

    files = dict([party("2025-11-10"), affairs("2026-02-10")]) | finance("2026-01", "2026-02-05")
    portal.files(files)
    portal.village("name: 测试村\n")
    main(["check", "--content", str(portal.root / "content"), "--config", str(portal.root / "site_config"),
          "--as-of", "2026-04-10"])
    out = capsys.readouterr()
    assert "党务公开已超期" in out.out + out.err


# -- the page ---------------------------------------------------------------------------------

def test_the_page_shows_statuses_lapses_and_every_finding_with_links(portal):
    files = dict([party("2025-11-10"), affairs("2026-02-10"), affairs("2026-04-01")]) | finance("2026-03", "2026-04-03")
    files["content/testv/2026/affairs/short.yml"] = notice("2026-04-02", "其他").replace(
        "posted_until: 2026-04-28", "posted_until: 2026-04-04")
    checked = run(portal, files, as_of=date(2026, 4, 10))
    village_year = checked.villages[0].village_year(2026)
    view = compliance.year_view(village_year)
    assert [status.state for status in view.statuses] == ["overdue", "current", "current"]
    assert [lapse.key for lapse, _ in view.lapses] == ["disclosure_overdue_party"]
    [item] = view.records
    assert item.record.id == "short" and [finding.key for finding in item.findings] == ["posting_too_short"]

    html = portal.page("compliance")
    assert "已超期 10 天" in html and "党务公开已超期" in html
    assert 'href="../../2025/party/p-2025-11-10/"' in html  # the last party disclosure, in last year's site
    assert 'href="../affairs/short/"' in html and "公示期只有 3 天" in html
    assert "按 2026年4月10日 的情况计算" in html


def test_a_past_years_page_shows_the_status_at_its_end(portal):
    files = dict([party("2025-11-10"), affairs("2025-11-10"), party("2026-02-10"), affairs("2026-02-10")])
    files |= finance("2025-11", "2025-12-05") | finance("2025-12", "2026-01-06", "100.00")
    checked = run(portal, files, as_of=date(2026, 3, 1))
    view = compliance.year_view(checked.villages[0].village_year(2025))
    assert view.as_of == date(2025, 12, 31)
    assert [status.last.date for status in view.statuses] == [date(2025, 11, 10), date(2025, 11, 10), date(2025, 12, 5)]
    assert view.lapses == []


def test_render_writes_the_page_into_the_navigation_before_search(portal):
    checked = run(portal, quarterly_village(), as_of=date(2026, 11, 25))
    village = checked.villages[0]
    nav = render_village_year(village.village_year(2026), portal.root / "docs", village.catalogue)
    pages = [next(iter(item.values())) for item in nav]
    assert pages[-2:] == ["compliance/index.md", "search.md"]
    assert pages.index("compliance/index.md") > pages.index("finance/index.md")
    page = (portal.root / "docs" / "compliance" / "index.md").read_text(encoding="utf-8")
    assert "公开情况" in page and "按时：本季度已公开" in page
