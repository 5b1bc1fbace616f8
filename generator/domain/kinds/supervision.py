"""村务监督委员会: the village affairs supervision committee, its members and its reports (000, 003).

One record is the committee as it stands in one year: its members (name, post, the trust votes
of the year's evaluation), its term, and the reports it made on what the village disclosed.

Rules of 003, each number a setting (`rules.supervision.*`):
- "行政村人口在5000人以下的原则上设3人，5000人以上的原则上设5人": a committee of another
  size is a finding (the village's population comes from its settings; without one the size
  cannot be judged and nothing is said). "其中主任1名": likewise the number of chairs.
- "对年度测评信任票数达不到半数的村务监督委员会成员，终止其任职资格，另行选配": a member
  whose trust votes are under half of those who voted is a finding naming the member. More
  trust votes than voters is an error.
A report dated before the end of the period it covers is an error (it reports on days that
had not happened yet), as is a period that ends before it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Meeting, Part, Text

POSTS = ("主任", "副主任", "委员")
CHAIR = "主任"


class Member(Part):
    """One member of the committee."""

    name: Text
    post: Text = "委员"  # 主任 / 副主任 / 委员
    trust_votes: int | None = Field(None, ge=0)  # 信任票: this year's evaluation
    note: Text = ""  # e.g. 党员，原村民理财小组成员

    @model_validator(mode="after")
    def _known_post(self) -> Member:
        if self.post not in POSTS:
            raise PydanticCustomError("vp_unknown_category", "unknown post",
                                      {"value": self.post, "allowed": "、".join(POSTS)})
        return self


class Evaluation(Meeting):
    """The year's evaluation of the members (held with the cadres' year-end evaluation, 003)."""


class Report(Part):
    """A report of the committee on what was disclosed over a period."""

    date: ClerkDate
    covers_from: ClerkDate
    covers_to: ClerkDate
    title: Text = ""
    body: Text

    @model_validator(mode="after")
    def _forward(self) -> Report:
        if self.covers_to < self.covers_from:
            raise PydanticCustomError("vp_supervision_period_backwards", "period ends before it starts",
                                      {"start": self.covers_from.isoformat(), "end": self.covers_to.isoformat()})
        return self


@dataclass(frozen=True)
class Trust:
    """A member's trust vote as the pages show it."""

    member: Member
    votes: int | None
    voters: int | None
    keeps_seat: bool | None  # None: no vote recorded


@dataclass(frozen=True)
class CommitteeView:
    """What the section page shows: the latest committee of the year and the reports' count."""

    record: Any  # SupervisionCommittee | None
    required_size: int | None
    reports: int


class SupervisionCommittee(Record):
    section = "supervision"
    order = 60
    disclosure = "affairs"

    class Rules(KindRules):
        posting_days: int | None = Field(7, ge=0)
        # 003: "行政村人口在5000人以下的原则上设3人，5000人以上的原则上设5人".
        population_threshold: int = Field(5000, ge=1)
        size_below: int = Field(3, ge=1)
        size_from: int = Field(5, ge=1)
        # 003: "其中主任1名".
        chairs: int = Field(1, ge=0)
        # 003: "信任票数达不到半数的……终止其任职资格": a member keeps the seat with at least
        # this share of the voters' trust votes.
        trust_share: Decimal = Field(Decimal("0.5"), gt=0, le=1)
        # 003: "原则上由非村民委员会成员……担任主任": who may not also sit on the villagers'
        # committee: the chair (the seed), every member (stricter), or no rule.
        not_on_villagers_committee: Literal["chair", "all", "none"] = "chair"

    title: Text = ""
    term_start: ClerkDate
    term_end: ClerkDate | None = None
    committee_members: list[Member] = Field(min_length=1)
    evaluation: Evaluation | None = None
    reports: list[Report] = []
    body: Text = ""
    # Who sits on the villagers' committee (村委会), as the committee knows it: the roster the
    # rule on who may supervise is judged against. (The villager representatives and their
    # households are the roster kind's: its rule is judged there, not twice.)
    villagers_committee: list[Text] = []

    @model_validator(mode="after")
    def _consistent(self) -> SupervisionCommittee:
        if self.term_end is not None and self.term_end < self.term_start:
            raise PydanticCustomError("vp_supervision_term_backwards", "term ends before it starts",
                                      {"start": self.term_start.isoformat(), "end": self.term_end.isoformat()})
        return self

    def heading(self, catalogue: Catalogue) -> str:
        return self.title or catalogue.text("records.supervision.default_title", year=self.date.year)

    def summary(self) -> str:
        names = "、".join(f"{member.name}（{member.post}）" for member in self.committee_members)
        return names[:80]

    # -- reading --------------------------------------------------------------------------

    @property
    def size(self) -> int:
        return len(self.committee_members)

    @property
    def reports_newest_first(self) -> list[Report]:
        return sorted(self.reports, key=lambda report: (report.date, report.covers_to), reverse=True)

    @staticmethod
    def percent(share: Decimal) -> str:
        return percent(share)

    def trust(self, share: Decimal) -> list[Trust]:
        voters = self.evaluation.voters if self.evaluation else None
        result = []
        for member in self.committee_members:
            if member.trust_votes is None or voters is None:
                result.append(Trust(member, member.trust_votes, voters, None))
            else:
                result.append(Trust(member, member.trust_votes, voters, keeps_seat(member.trust_votes, voters, share)))
        return result

    # -- rules ----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        required = required_size(context.settings.population, rules)
        if required is not None and self.size != required:
            context.report(self, "committee_members", "supervision_size", Severity.FINDING,
                           size=self.size, required=required, population=context.settings.population,
                           threshold=rules.population_threshold)
        chairs = sum(1 for member in self.committee_members if member.post == CHAIR)
        if chairs != rules.chairs:
            context.report(self, "committee_members", "supervision_chairs", Severity.FINDING,
                           chairs=chairs, required=rules.chairs)
        self._check_trust(context, rules)
        self._check_villagers_committee(context, rules)
        for index, report in enumerate(self.reports):
            if report.date < report.covers_to:
                context.report(self, f"reports.{index}.date", "supervision_report_too_early",
                               day=report.date.isoformat(), end=report.covers_to.isoformat())

    def _check_villagers_committee(self, context: CheckContext, rules: Any) -> None:
        barred = {"chair": (CHAIR,), "all": POSTS, "none": ()}[rules.not_on_villagers_committee]
        committee = set(self.villagers_committee)
        for index, member in enumerate(self.committee_members):
            if member.post in barred and member.name in committee:
                context.report(self, f"committee_members.{index}.name", "supervision_on_villagers_committee",
                               Severity.FINDING, name=member.name, post=member.post)

    def _check_trust(self, context: CheckContext, rules: Any) -> None:
        voted = [(index, member) for index, member in enumerate(self.committee_members) if member.trust_votes is not None]
        if voted and self.evaluation is None:
            index, member = voted[0]
            context.report(self, f"committee_members.{index}.trust_votes", "supervision_trust_without_evaluation",
                           name=member.name)
            return
        if self.evaluation is None:
            return
        voters = self.evaluation.voters
        for index, member in voted:
            votes = member.trust_votes or 0
            if votes > voters:
                context.report(self, f"committee_members.{index}.trust_votes", "supervision_trust_exceeds_voters",
                               name=member.name, votes=votes, voters=voters)
            elif not keeps_seat(votes, voters, rules.trust_share):
                context.report(self, f"committee_members.{index}.trust_votes", "supervision_trust_below_half",
                               Severity.FINDING, name=member.name, votes=votes, voters=voters,
                               needed=votes_needed(voters, rules.trust_share), share=percent(rules.trust_share))

    # -- pages ----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> CommitteeView:
        latest = max(records, key=lambda record: (record.date, record.id), default=None)
        rules = context.rules(cls)
        return CommitteeView(latest, required_size(context.settings.population, rules),
                             sum(len(record.reports) for record in records))


def required_size(population: int | None, rules: Any) -> int | None:
    """The committee's size for a village of this many people; None when it is not known."""
    if population is None:
        return None
    return rules.size_below if population < rules.population_threshold else rules.size_from


def keeps_seat(votes: int, voters: int, share: Decimal) -> bool:
    """"达不到半数" loses the seat: exactly half of the voters is enough to keep it."""
    return Decimal(votes) >= share * Decimal(voters)


def votes_needed(voters: int, share: Decimal) -> int:
    """The fewest trust votes that keep the seat."""
    needed = share * Decimal(voters)
    whole = int(needed)
    return whole if whole == needed else whole + 1


def percent(share: Decimal) -> str:
    return f"{share * 100:.1f}".removesuffix(".0") + "%"
