"""四议两公开: a major village matter and the six steps of its decision (001, 004).

Every major matter goes through the same six steps, in order: the party branch proposes (提议),
the two committees discuss (商议), the party members' meeting reviews (审议), the villager
representatives' meeting resolves (决议) by a vote, the resolution is posted (决议公开), and the
outcome is posted (实施结果公开). One record follows one matter through all six: the clerk adds
each step under `steps:` as it happens, and the later steps stay out while the matter is in
progress.

The two meetings have rules (村民委员会组织法 art. 25, 001): the representatives' meeting needs
at least two thirds of its members present and a resolution needs more than half of those
present; the party members' meeting likewise needs two thirds present. These shares are
settings, written as a clerk reads them: "2/3", "三分之二", "0.6667" or "66.67%".

The record's `date` (the day it was last updated on the board) and `posted_until` default to
the latest step and, when that step is a posting, the end of its posting period; a matter
belongs to the year it was proposed in, so it stays in that year's folder until it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record, Source
from generator.domain.kinds.fields import ClerkDate, Text
from generator.domain.kinds.steps import (Meeting, PartyMeeting, Posting, Resolution, Share, Step, Verdict, alias_lines, judge,
                                          latest_step, share_text, working_days_before)

class DecisionSteps(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    proposed: Meeting  # 村党组织提议 (支委会)
    discussed: Meeting | None = None  # 村“两委”会商议
    reviewed: PartyMeeting | None = None  # 党员大会审议
    resolved: Resolution | None = None  # 村民代表会议决议
    resolution_posted: Posting | None = None  # 决议公开
    outcome_posted: Posting | None = None  # 实施结果公开


STEP_ORDER = ("proposed", "discussed", "reviewed", "resolved", "resolution_posted", "outcome_posted")
MEETINGS = ("proposed", "discussed", "reviewed", "resolved")
POSTINGS = ("resolution_posted", "outcome_posted")


@dataclass(frozen=True)
class TimelineStep:
    """One of the six steps as the record page shows it."""

    key: str
    number: int  # 1..6
    step: Step | None  # None: not reached (or skipped, when a later step is recorded)
    verdict: Verdict | None = None  # meetings with numbers
    skipped: bool = False


# -- the kind ----------------------------------------------------------------------------

class Decision(Record):
    section = "decisions"
    order = 45
    disclosure = "affairs"
    # The printed bulletin is signed by the supervision committee and the committee's director.
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.supervision", "print.signature.director")
    # Values for `village-portal new` whose meetings add up (the scaffold's zeros would not).
    examples: ClassVar[dict[str, Any]] = {
        "steps.proposed.members": 5, "steps.proposed.present": 5, "steps.proposed.agree": 5,
        "steps.discussed.members": 7, "steps.discussed.present": 7, "steps.discussed.agree": 7,
        "steps.reviewed.members": 46, "steps.reviewed.present": 35, "steps.reviewed.agree": 33,
        "steps.reviewed.abstain": 2,
        "steps.resolved.members": 33, "steps.resolved.present": 28, "steps.resolved.agree": 26,
        "steps.resolved.abstain": 2,
    }

    class Rules(KindRules):
        # The resolution (决议公开) and the outcome (实施结果公开) each stay posted this many days.
        posting_days: int | None = Field(7, ge=0)
        # 村民代表会议: at least this share of its members present (村民委员会组织法 art. 25: 三分之二以上).
        representatives_quorum: Share = Fraction(2, 3)
        # 村民代表会议: a resolution needs MORE than this share of those present voting for (过半数).
        representatives_majority: Share = Fraction(1, 2)
        # 党员大会: at least this share of the party members present (001: likewise two thirds).
        party_quorum: Share = Fraction(2, 3)
        # 党员大会: a review that voted needs MORE than this share of those present for it (过半数).
        party_majority: Share = Fraction(1, 2)
        # 003: the branch tells the representatives the topics "提前3个工作日" before their meeting.
        topics_working_days: int = Field(3, ge=0)

    title: Text = ""
    # Left out, the day of the latest step (see `_dates_from_steps`); a valid record always has one.
    date: ClerkDate = None  # type: ignore[assignment]
    matter: Text
    category: Text = ""
    steps: DecisionSteps
    body: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _dates_from_steps(cls, data: Any) -> Any:
        """Without `date`, the record was last updated on its latest step's day; without
        `posted_until`, it is posted until that step's posting period ends."""
        if not isinstance(data, dict) or data.get("date") is not None or not isinstance(data.get("steps"), dict):
            return data
        latest = latest_step(data["steps"], STEP_ORDER)
        if latest is None:
            return data
        key, day, raw = latest
        data = dict(data)
        data["date"] = day
        if data.get("posted_until") is None and key in POSTINGS and raw.get("until") is not None:
            data["posted_until"] = raw["until"]
        return data

    def placed(self, source: Source) -> Decision:
        # The record's derived date and posting period come from steps: point at their lines.
        alias_lines(source, {"date": f"steps.{self.latest_step}.date",
                              "posted_until": f"steps.{self.latest_step}.until"})
        return super().placed(source)  # type: ignore[return-value]

    # -- reading the steps ------------------------------------------------------------------

    def step(self, key: str) -> Step | None:
        return getattr(self.steps, key)

    @property
    def latest_step(self) -> str:
        """The last of the six steps recorded (in the order, not by date)."""
        return next(key for key in reversed(STEP_ORDER) if self.step(key) is not None)

    @property
    def belongs_to_year(self) -> int:
        # A matter stays in the year it was proposed in, while its later steps are added.
        return self.steps.proposed.date.year

    def heading(self, catalogue: Catalogue) -> str:
        return self.title or self.matter

    def summary(self) -> str:
        return self.matter[:80]

    def share_words(self, share: Fraction, catalogue: Catalogue) -> str:
        """A share as the pages word it (三分之二)."""
        return share_text(share, catalogue)

    def verdict(self, key: str, rules: Any) -> Verdict | None:
        meeting = self.step(key)
        if not isinstance(meeting, Meeting):
            return None
        quorum = {"reviewed": rules.party_quorum, "resolved": rules.representatives_quorum}.get(key)
        majority = {"reviewed": rules.party_majority, "resolved": rules.representatives_majority}.get(key)
        return judge(meeting.members, meeting.present, meeting.agree, meeting.against, meeting.abstain,
                     quorum, majority)

    def approved_on(self, context: CheckContext) -> date | None:
        """The representatives' meeting's day, when it met its quorum and majority."""
        verdict = self.verdict("resolved", context.rules(self))
        if self.steps.resolved is None or verdict is None or verdict.impossible or verdict.passed is False:
            return None
        return self.steps.resolved.date

    def skipped(self) -> list[str]:
        """Steps not recorded although a later one is (the procedure jumped over them)."""
        recorded = [key for key in STEP_ORDER if self.step(key) is not None]
        last = STEP_ORDER.index(recorded[-1])
        return [key for key in STEP_ORDER[:last] if self.step(key) is None and key != "resolved"]

    def timeline(self, rules: Any) -> list[TimelineStep]:
        skipped = set(self.skipped())
        return [TimelineStep(key, number, self.step(key), self.verdict(key, rules), key in skipped)
                for number, key in enumerate(STEP_ORDER, 1)]

    def stage(self) -> str:
        """Where the matter stands: the key of the last step recorded, or `done`."""
        return "done" if self.steps.outcome_posted is not None else self.latest_step

    def procedure_followed(self, rules: Any) -> bool:
        """No meeting short of its quorum or majority, and no step jumped over."""
        verdicts = [self.verdict(key, rules) for key in ("reviewed", "resolved")]
        return not self.skipped() and all(v is None or (v.quorum_met is not False and v.majority_met is not False)
                                          for v in verdicts)

    # -- rules -----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        self._check_order(context)
        self._check_meetings(context, rules)
        if self.steps.resolved is None:
            for key in POSTINGS:
                posting = self.step(key)
                if posting is not None:
                    context.report(self, f"steps.{key}", "decision_posted_unresolved", field=key,
                                   day=posting.date.isoformat())
        for key in self.skipped():
            later = next(k for k in STEP_ORDER[STEP_ORDER.index(key) + 1:] if self.step(k) is not None)
            context.report(self, f"steps.{later}", "decision_step_skipped", Severity.FINDING,
                           field=key, number=STEP_ORDER.index(key) + 1)
        self._check_postings(context, rules)
        latest = max(step.date for key in STEP_ORDER if (step := self.step(key)) is not None)
        if self.date < latest:
            context.report(self, "date", "decision_dated_before_step", date=self.date.isoformat(),
                           day=latest.isoformat())

    def _check_order(self, context: CheckContext) -> None:
        previous: tuple[int, date] | None = None
        for number, key in enumerate(STEP_ORDER, 1):
            step = self.step(key)
            if step is None:
                continue
            if previous is not None and step.date < previous[1]:
                context.report(self, f"steps.{key}.date", "decision_step_out_of_order", field=key, number=number,
                               day=step.date.isoformat(), previous_number=previous[0],
                               previous_day=previous[1].isoformat())
            previous = (number, step.date)

    def _check_meetings(self, context: CheckContext, rules: Any) -> None:
        for key in MEETINGS:
            meeting = self.step(key)
            verdict = self.verdict(key, rules)
            if not isinstance(meeting, Meeting) or verdict is None:
                continue
            where = f"steps.{key}"
            if "present_exceeds_members" in verdict.impossible:
                context.report(self, f"{where}.present", "decision_present_exceeds_members",
                               present=meeting.present, members=meeting.members)
            if "votes_exceed_present" in verdict.impossible:
                votes = (meeting.agree or 0) + (meeting.against or 0) + (meeting.abstain or 0)
                context.report(self, f"{where}.agree", "decision_votes_exceed_present", total=votes,
                               agree=meeting.agree or 0, against=meeting.against or 0,
                               abstain=meeting.abstain or 0,
                               present=meeting.present if meeting.present is not None else meeting.members)
            if "no_members" in verdict.impossible:
                context.report(self, f"{where}.members", "decision_no_members")
            if verdict.quorum_met is False:
                share = rules.party_quorum if key == "reviewed" else rules.representatives_quorum
                context.report(self, f"{where}.present",
                               "decision_party_quorum" if key == "reviewed" else "decision_quorum",
                               Severity.FINDING, members=meeting.members, present=meeting.present,
                               needed=verdict.needed_present, share=_share_code(share))
            if verdict.majority_met is False:
                party = key == "reviewed"
                context.report(self, f"{where}.agree", "decision_party_majority" if party else "decision_majority",
                               Severity.FINDING, present=meeting.present, agree=meeting.agree,
                               needed=verdict.needed_agree,
                               share=_share_code(rules.party_majority if party else rules.representatives_majority))
        resolved = self.steps.resolved
        if resolved is not None and resolved.topics_sent is not None:
            days = working_days_before(resolved.topics_sent, resolved.date)
            if days < rules.topics_working_days:
                context.report(self, "steps.resolved.topics_sent", "decision_topics_late", Severity.FINDING,
                               sent=resolved.topics_sent.isoformat(), meeting=resolved.date.isoformat(),
                               days=days, minimum=rules.topics_working_days)

    def _check_postings(self, context: CheckContext, rules: Any) -> None:
        minimum = rules.posting_days
        for key in POSTINGS:
            posting = self.step(key)
            if not isinstance(posting, Posting) or posting.days is None or not minimum:
                continue
            # The record's own posting period is the base rule's; don't report it twice.
            if (posting.date, posting.until) == (self.date, self.posted_until):
                continue
            if posting.days < minimum:
                context.report(self, f"steps.{key}.until", "posting_too_short", Severity.FINDING,
                               days=posting.days, minimum=minimum)

    # -- pages -----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> DecisionsView:
        rules = context.rules(cls)
        rows = [DecisionRow(record, record.stage(), record.step(record.latest_step).date,
                            record.procedure_followed(rules)) for record in records]
        counts = [(stage, sum(1 for row in rows if row.stage == stage)) for stage in STAGES]
        return DecisionsView(rows, [(stage, count) for stage, count in counts if count],
                             sum(1 for row in rows if not row.followed))


STAGES = ("proposed", "discussed", "reviewed", "resolved", "resolution_posted", "done")


@dataclass(frozen=True)
class DecisionRow:
    record: Decision
    stage: str  # a key of STAGES
    since: date  # the day the matter reached it
    followed: bool  # every meeting met its quorum and majority, no step skipped


@dataclass(frozen=True)
class DecisionsView:
    rows: list[DecisionRow]  # as the section lists them: newest first
    stages: list[tuple[str, int]]  # how many matters stand at each stage, in step order
    not_followed: int  # how many matters show a procedure not followed


# -- helpers shared with elections ----------------------------------------------------------

def _share_code(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"
