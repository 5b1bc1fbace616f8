"""村民质询: answered within the limit, late, or still waiting; the record asked about; the asker's
privacy; the pages."""

from __future__ import annotations

from datetime import date

from generator.inputs.problems import Severity
from tests.builder import Portal

AS_OF = date(2026, 11, 25)

NOTICE = """\
title: 测试村2026年第三季度低保对象动态调整公示
date: 2026-07-10
posted_until: 2026-07-17
category: 低保救助
issuer: 测试村村民委员会
body: 调整后全村在保低保对象11户17人。
"""

OLD_NOTICE = NOTICE.replace("2026", "2025")

INQUIRY = """\
asked: 2026-07-13
asker: 周玉梅
group: 六组
channel: 当面
about: affairs/dibao
question: |
  退出的户里有一户是因为买了小汽车，这样也要退出吗？
answer: |
  按照县民政局的规定，家庭成员名下有非营运小汽车的，原则上不能享受低保。
answered: 2026-07-17
answered_by: 测试村村民委员会
"""

OPEN = """\
asked: 2026-11-10
asker: 李秋菊
about: affairs/dibao
question: 扩大用房会不会先征求我们组的意见？
"""


def run(portal: Portal, text: str, as_of: date = AS_OF, year: int = 2026, extra: dict[str, str] | None = None):
    portal.files({"content/testv/2026/affairs/dibao.yml": NOTICE, "content/testv/2025/affairs/dibao.yml": OLD_NOTICE,
                  f"content/testv/{year}/inquiries/ask.yml": text} | (extra or {}))
    return portal.check(as_of, frequency=True)


def mine(checked, severity: str | None = None) -> list:
    """The problems located in the inquiry's own file (not the disclosure-frequency ones)."""
    found = [p for p in checked.problems if p.location.path.endswith("ask.yml")]
    return [p for p in found if severity is None or p.severity == Severity(severity)]


def keys(checked, severity: str) -> list[str]:
    return [problem.key for problem in mine(checked, severity)]


def inquiry(checked):
    return next(record for record in checked.villages[0].records if record.section == "inquiries")


def line_of(text: str, key: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(key + ":"))


# -- answered in time -------------------------------------------------------------------------

def test_an_answer_within_ten_days_is_clean(portal):
    checked = run(portal, INQUIRY)
    assert mine(checked) == []
    record = inquiry(checked)
    assert record.days_taken() == 4 and record.date == date(2026, 7, 17)  # posted when answered
    assert record.about_record is not None and record.about_record.title.startswith("测试村2026年")


def test_an_answer_on_the_tenth_day_is_in_time(portal):
    checked = run(portal, INQUIRY.replace("answered: 2026-07-17", "answered: 2026-07-23"))
    assert mine(checked) == []


# -- answered late --------------------------------------------------------------------------

def test_an_answer_after_ten_days_is_a_finding(portal):
    text = INQUIRY.replace("answered: 2026-07-17", "answered: 2026-07-27")
    checked = run(portal, text)
    [finding] = mine(checked, "finding")
    assert finding.key == "inquiry_answered_late"
    assert finding.params["days"] == 14 and finding.params["limit"] == 10
    assert finding.location.line == line_of(text, "answered")


def test_the_answer_limit_is_a_setting(portal):
    portal.village("name: 测试村\nrules:\n  inquiries:\n    answer_days: 15\n")
    checked = run(portal, INQUIRY.replace("answered: 2026-07-17", "answered: 2026-07-27"))
    assert mine(checked) == []


# -- not answered yet -----------------------------------------------------------------------

def test_an_open_question_within_ten_days_is_quiet(portal):
    checked = run(portal, OPEN, as_of=date(2026, 11, 20))
    assert mine(checked) == []
    assert inquiry(checked).date == date(2026, 11, 10)  # posted when asked


def test_an_open_question_past_ten_days_is_a_finding_as_of_the_day(portal):
    checked = run(portal, OPEN, as_of=date(2026, 11, 25))
    [finding] = mine(checked, "finding")
    assert finding.key == "inquiry_unanswered"
    assert finding.params["days"] == 15 and finding.params["as_of"] == "2026-11-25"
    assert finding.location.line == line_of(OPEN, "asked")


def test_an_open_question_on_its_tenth_day_is_still_in_time(portal):
    assert mine(run(portal, OPEN, as_of=date(2026, 11, 20))) == []
    assert keys(run(portal, OPEN, as_of=date(2026, 11, 21)), "finding") == ["inquiry_unanswered"]


# -- dates that contradict each other -------------------------------------------------------

def test_answered_before_asked_is_an_error(portal):
    text = INQUIRY.replace("answered: 2026-07-17", "answered: 2026-07-12")
    checked = run(portal, text)
    [error] = mine(checked, "error")
    assert error.key == "inquiry_answered_before_asked" and error.location.line == line_of(text, "answered")


def test_posted_before_it_was_asked_is_an_error(portal):
    checked = run(portal, "date: 2026-07-12\n" + INQUIRY)
    assert "inquiry_posted_before_asked" in keys(checked, "error")


def test_posted_before_it_was_answered_is_an_error(portal):
    checked = run(portal, "date: 2026-07-15\n" + INQUIRY)
    assert keys(checked, "error") == ["inquiry_posted_before_answer"]


def test_an_answer_without_its_date_is_an_error(portal):
    text = INQUIRY.replace("answered: 2026-07-17\n", "")
    checked = run(portal, text, as_of=date(2026, 7, 20))
    assert keys(checked, "error") == ["inquiry_answer_without_date"]


def test_an_answer_date_without_the_answer_is_an_error(portal):
    text = INQUIRY.replace("answer: |\n  按照县民政局的规定，家庭成员名下有非营运小汽车的，原则上不能享受低保。\n", "")
    checked = run(portal, text)
    assert keys(checked, "error") == ["inquiry_date_without_answer"]


def test_an_inquiry_answered_next_year_stays_in_the_year_it_was_asked(portal):
    text = INQUIRY.replace("asked: 2026-07-13", "asked: 2025-12-28").replace("answered: 2026-07-17", "answered: 2026-01-05")
    checked = run(portal, text.replace("about: affairs/dibao", "about: 2025/affairs/dibao"), year=2025)
    assert mine(checked) == []


# -- the record asked about -----------------------------------------------------------------

def test_a_reference_to_a_record_that_does_not_exist_is_an_error(portal):
    text = INQUIRY.replace("about: affairs/dibao", "about: finance/2026-03")
    checked = run(portal, text)
    [error] = mine(checked, "error")
    assert error.key == "inquiry_unknown_record"
    assert error.params["section"] == "finance" and error.params["id"] == "2026-03"
    assert error.location.line == line_of(text, "about")


def test_a_reference_to_another_years_record_is_followed_and_linked(portal):
    checked = run(portal, INQUIRY.replace("about: affairs/dibao", "about: 2025/affairs/dibao"))
    assert mine(checked) == []
    record = inquiry(checked)
    assert record.about_record.year == 2025
    assert record.about_url(2026) == "../2025/affairs/dibao/"
    assert 'href="../../../2025/affairs/dibao/"' in portal.page("inquiries", "ask")


def test_a_reference_without_a_year_is_the_inquirys_own_year(portal):
    checked = run(portal, INQUIRY)
    assert inquiry(checked).about_record.year == 2026
    assert 'href="../../affairs/dibao/"' in portal.page("inquiries", "ask")


def test_a_reference_to_a_missing_year_is_an_error(portal):
    checked = run(portal, INQUIRY.replace("about: affairs/dibao", "about: 2024/affairs/dibao"))
    assert keys(checked, "error") == ["inquiry_unknown_record"]


def test_a_malformed_reference_is_an_error(portal):
    checked = run(portal, INQUIRY.replace("about: affairs/dibao", "about: 低保名单"))
    assert keys(checked, "error") == ["inquiry_bad_reference"]


def test_the_reference_may_be_written_as_a_mapping(portal):
    text = INQUIRY.replace("about: affairs/dibao", "about:\n  section: affairs\n  id: dibao\n  year: 2025")
    checked = run(portal, text)
    assert mine(checked) == [] and inquiry(checked).about_record.year == 2025


# -- the asker's privacy ----------------------------------------------------------------------

def test_the_askers_name_is_shown_as_the_surname_only(portal):
    checked = run(portal, INQUIRY)
    assert inquiry(checked).asker == "周某"
    html = portal.page("inquiries", "ask")
    assert "周某（六组）" in html and "玉梅" not in html


def test_a_mobile_number_in_the_question_stops_the_build(portal):
    text = INQUIRY.replace("这样也要退出吗？", "这样也要退出吗？请回电13812345678。")
    checked = run(portal, text)
    assert keys(checked, "error") == ["personal_number"]


def test_an_inquiry_is_not_counted_as_a_disclosure_of_village_affairs(portal):
    from generator.domain import compliance

    checked = run(portal, INQUIRY)
    village = checked.villages[0]
    affairs = [status for status in compliance.statuses(village.records, village.settings)
               if status.category == "affairs"][0]
    assert affairs.last.section == "affairs"  # the notice of 2026-07-10, not the inquiry of 07-17


# -- pages ------------------------------------------------------------------------------------

def test_the_section_page_shows_days_taken_and_marks_late_and_open_ones(portal):
    late = INQUIRY.replace("answered: 2026-07-17", "answered: 2026-07-27")
    run(portal, late, extra={"content/testv/2026/inquiries/open.yml": OPEN})
    html = portal.page("inquiries")
    assert "14 天" in html and "答复超期" in html
    assert "已等 15 天" in html and "超期未答复" in html
    assert "本年度共 2 件质询" in html


def test_the_record_page_shows_question_answer_and_the_limit(portal):
    run(portal, INQUIRY)
    html = portal.page("inquiries", "ask")
    assert "4 天，按时答复" in html and "规定 10 天内答复" in html
    assert "非营运小汽车" in html and "关于“测试村2026年第三季度低保对象动态调整公示”的质询" in html
