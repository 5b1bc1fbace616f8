"""换届选举: an election of the villagers' committee and the notices it must post in time (003).

Seed 003 lists what an election posts: the election committee, the voters, the election day,
the candidates and the result, with three legal deadlines: the voter list at least 20 days
before election day, the final candidates at least 7 days before (other provinces: 5), the
result within 3 days after. Each number is a setting. The clerk adds each notice under
`notices:` on the day it goes up; a notice not yet due shows its deadline, one overdue or late
is a finding.

The record's `date` (the day it was last updated on the board) defaults to its latest notice,
and an election belongs to the year of its election day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record, Source
from generator.domain.kinds.steps import Posting, alias_lines, latest_step
from generator.domain.kinds.fields import ClerkDate, Text

# The notices in the order an election posts them.
NOTICE_ORDER = ("committee", "schedule", "voter_list", "preliminary_candidates", "final_candidates", "results")
# The notices with a legal deadline, and the setting that gives it (days before, or for the
# results after, election day).
DEADLINES = {"voter_list": "voter_list_days_before", "final_candidates": "final_candidates_days_before",
             "results": "results_days_after"}
# The findings of a notice posted after its deadline, and of one still missing after it.
LATE = {"voter_list": "election_voter_list_late", "final_candidates": "election_final_candidates_late",
        "results": "election_results_late"}
MISSING = {"voter_list": "election_voter_list_missing", "final_candidates": "election_final_candidates_missing",
           "results": "election_results_missing"}
NOTICES = "notices"  # where a missing notice is reported: the record's list of notices


class ElectionNotices(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    committee: Posting | None = None  # 村民选举委员会组成公告
    schedule: Posting | None = None  # 选举日、投票地点和方式公告
    voter_list: Posting | None = None  # 选民名单
    preliminary_candidates: Posting | None = None  # 初步候选人
    final_candidates: Posting | None = None  # 正式候选人
    results: Posting | None = None  # 选举结果


@dataclass(frozen=True)
class NoticeStatus:
    """One notice as the pages show it."""

    key: str
    notice: Posting | None
    deadline: date | None  # None: the law sets none for this notice
    status: str  # on_time | late | pending | missing | posted (no deadline) | not_posted (no deadline)
    days_late: int = 0
    days_from_election: int | None = None  # posted N days before (negative: after) election day


class Election(Record):
    section = "elections"
    order = 50
    disclosure = "affairs"
    # Elections come every few years: a year without one has no 换届选举 section.
    listed_when_empty: ClassVar[bool] = False
    # Election notices are issued and signed by the villagers' election committee.
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.election_committee",)

    class Rules(KindRules):
        # 选民名单 posted at least this many days before election day (003: 选举日前20天).
        voter_list_days_before: int = Field(20, ge=0)
        # 正式候选人 posted at least this many days before election day (003: 7; some provinces 5).
        final_candidates_days_before: int = Field(7, ge=0)
        # 选举结果 posted at most this many days after election day (003: 3天内).
        results_days_after: int = Field(3, ge=0)

    title: Text = ""
    # Left out, the day of the latest notice (see `_dates_from_notices`).
    date: ClerkDate = None  # type: ignore[assignment]
    election: Text
    election_day: ClerkDate
    notices: ElectionNotices = ElectionNotices()
    body: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _dates_from_notices(cls, data: Any) -> Any:
        """Without `date`, the record was last updated when its latest notice went up."""
        if not isinstance(data, dict) or data.get("date") is not None:
            return data
        notices = data.get("notices")
        latest = latest_step(notices, NOTICE_ORDER) if isinstance(notices, dict) else None
        if latest is None:
            if notices and isinstance(notices, dict):
                return data  # the notices' own dates are wrong: validation names them
            raise PydanticCustomError("vp_election_no_date", "no date and no notice", {})
        _, day, raw = latest
        data = dict(data)
        data["date"] = day
        if data.get("posted_until") is None and raw.get("until") is not None:
            data["posted_until"] = raw["until"]
        return data

    def placed(self, source: Source) -> Election:
        latest = self.latest_notice
        if latest:
            alias_lines(source, {"date": f"notices.{latest}.date", "posted_until": f"notices.{latest}.until"})
        return super().placed(source)  # type: ignore[return-value]

    @property
    def latest_notice(self) -> str | None:
        posted = [(notice.date, NOTICE_ORDER.index(key), key) for key in NOTICE_ORDER
                  if (notice := self.notice(key)) is not None]
        return max(posted)[2] if posted else None

    def notice(self, key: str) -> Posting | None:
        return getattr(self.notices, key)

    @property
    def belongs_to_year(self) -> int:
        return self.election_day.year

    def heading(self, catalogue: Catalogue) -> str:
        return self.title or self.election

    def summary(self) -> str:
        return self.election[:80]

    # -- deadlines -------------------------------------------------------------------------

    def deadline(self, key: str, rules: Any) -> date | None:
        setting = DEADLINES.get(key)
        if setting is None:
            return None
        days = getattr(rules, setting)
        return self.election_day + timedelta(days=days if key == "results" else -days)

    def statuses(self, rules: Any, today: date) -> list[NoticeStatus]:
        result = []
        for key in NOTICE_ORDER:
            notice = self.notice(key)
            deadline = self.deadline(key, rules)
            before = None if notice is None else (self.election_day - notice.date).days
            if deadline is None:
                status = "posted" if notice else "not_posted"
                result.append(NoticeStatus(key, notice, None, status, days_from_election=before))
            elif notice is None:
                result.append(NoticeStatus(key, None, deadline, "missing" if today > deadline else "pending"))
            elif notice.date > deadline:
                result.append(NoticeStatus(key, notice, deadline, "late", (notice.date - deadline).days, before))
            else:
                result.append(NoticeStatus(key, notice, deadline, "on_time", days_from_election=before))
        return result

    # -- rules -----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        results = self.notices.results
        if results is not None and results.date < self.election_day:
            context.report(self, "notices.results.date", "election_results_before_vote",
                           day=results.date.isoformat(), election_day=self.election_day.isoformat())
        preliminary, final = self.notices.preliminary_candidates, self.notices.final_candidates
        if preliminary is not None and final is not None and final.date < preliminary.date:
            context.report(self, "notices.final_candidates.date", "election_final_before_preliminary",
                           day=final.date.isoformat(), preliminary=preliminary.date.isoformat())
        latest = self.latest_notice
        latest_day = self.notice(latest).date if latest else None  # type: ignore[union-attr]
        if latest_day is not None and self.date < latest_day:
            context.report(self, "date", "election_dated_before_notice", date=self.date.isoformat(),
                           day=latest_day.isoformat())
        for status in self.statuses(rules, context.today):
            if status.deadline is None:
                continue
            days = getattr(rules, DEADLINES[status.key])
            if status.status == "late" and status.notice is not None:
                before = status.days_from_election or 0
                actual = -before if status.key == "results" else max(before, 0)
                context.report(self, f"notices.{status.key}.date", LATE[status.key], Severity.FINDING,
                               day=status.notice.date.isoformat(), deadline=status.deadline.isoformat(),
                               election_day=self.election_day.isoformat(), days=days,
                               actual=actual, late=status.days_late)
            elif status.status == "missing":
                context.report(self, NOTICES, MISSING[status.key], Severity.FINDING,
                               deadline=status.deadline.isoformat(), election_day=self.election_day.isoformat(),
                               days=days)

    # -- pages -----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> ElectionsView:
        rules, today = context.rules(cls), context.today
        rows = []
        for record in records:
            statuses = [status for status in record.statuses(rules, today) if status.deadline is not None]
            rows.append(ElectionRow(record, statuses))
        return ElectionsView(rows)


@dataclass(frozen=True)
class ElectionRow:
    record: Election
    deadlines: list[NoticeStatus]  # the notices with a legal deadline, in order


@dataclass(frozen=True)
class ElectionsView:
    rows: list[ElectionRow]  # newest first
