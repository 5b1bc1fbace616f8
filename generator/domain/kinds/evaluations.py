"""承诺考评: a village cadre's commitments for the year and the year-end evaluation (002, 001).

One record is one cadre's year: the commitments (承诺事项) with the votes that confirmed them
(承诺确认) and how each was kept (践诺情况); the year-end report and democratic vote (述职、
民主测评: 满意/基本满意/不满意) and the township panel's score (乡评委团打分).

Rules of 002, each number a setting:
- "由群众对每个人的承诺事项表决，'不满意'票超过半数的，不得列为承诺内容": an item whose 不满意
  votes are more than half of the voters is rejected (the page says so); one still reported as
  being carried out is a finding.
- "每人承诺事项原则上不少于a件": the seed's number is lost in the copy; 3 here, a setting.
- "村党支部书记与村委会主任承诺事项不能交叉": the same item for the secretary and the director
  in one year is a finding.
- "'不满意'票超过半数的视为不合格，取消到乡述职资格": unqualified cadres get no township score
  and no rank; "连续两年认定不合格的……撤销党内职务和依法罢免": the second year in a row is a
  finding, on that year's record.
- "再综合村里测评情况、乡述职考评得分，形成村干部的综合考评结果……进行综合排名": the
  composite is the democratic score (votes worth `points_*` each, averaged over the votes cast)
  and the panel score, weighted `vote_weight`/`panel_weight` (the seed gives no weights: equal
  by default), ranked within the village and year.
More votes than voters is an error.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ConfigDict, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Meeting, Part, Text


class Votes(Part):
    """满意 / 基本满意 / 不满意, as the clerk writes them (English names are accepted too)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    satisfied: int = Field(0, ge=0, alias="满意")
    fair: int = Field(0, ge=0, alias="基本满意")
    dissatisfied: int = Field(0, ge=0, alias="不满意")

    @property
    def cast(self) -> int:
        return self.satisfied + self.fair + self.dissatisfied


def more_than_share(count: int, voters: int, share: Decimal) -> bool:
    """"超过半数": strictly more than `share` of the voters."""
    return Decimal(count) > share * Decimal(voters)


def allowed_votes(voters: int, share: Decimal) -> int:
    """The most 不满意 votes that are not yet "more than `share`" of the voters."""
    return math.floor(share * Decimal(voters))


def percent(share: Decimal) -> str:
    return f"{share * 100:.1f}".removesuffix(".0") + "%"


def democratic_score(votes: Votes, points: tuple[Decimal, Decimal, Decimal]) -> Decimal | None:
    """Each vote worth its points (满意, 基本满意, 不满意), averaged over the votes cast."""
    if votes.cast == 0:
        return None
    worth = votes.satisfied * points[0] + votes.fair * points[1] + votes.dissatisfied * points[2]
    return worth / votes.cast


def composite_score(democratic: Decimal, panel: Decimal, vote_weight: Decimal, panel_weight: Decimal) -> Decimal:
    return democratic * vote_weight + panel * panel_weight


def score_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".")


def same_item(text: str) -> str:
    """An item's text compared without spaces, punctuation or full-width forms."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(char for char in folded if not unicodedata.category(char).startswith(("P", "Z", "S", "C")))


class Commitment(Part):
    item: Text  # 承诺事项
    votes: Votes | None = None  # the confirmation vote on this item
    fulfilment: Text = ""  # 践诺情况: one of the rules' `fulfilment_statuses`, empty until known
    progress: Text = ""  # what was done


class Confirmation(Meeting):
    """The meeting that confirmed the commitments (党员、村民代表大会)."""


class YearEnd(Part):
    """述职 and 民主测评 at the year's end, and the township panel's score."""

    held_on: ClerkDate
    voters: int = Field(ge=1)  # 参加测评人数
    votes: Votes
    panel_score: Decimal | None = Field(None, ge=0, le=100)  # 乡述职考评得分
    report: Text = ""  # 述职要点


@dataclass(frozen=True)
class Item:
    """A commitment as the pages show it: confirmed or rejected."""

    commitment: Commitment
    rejected: bool


@dataclass
class Standing:
    """A cadre's year-end result in the village: qualified, composite score, rank."""

    record: CadreEvaluation
    qualified: bool | None  # None: not evaluated yet
    democratic: Decimal | None = None
    composite: Decimal | None = None
    rank: int | None = None
    flagged: bool = False  # unqualified `flag_after_years` years in a row

    @property
    def democratic_text(self) -> str:
        return score_text(self.democratic)

    @property
    def composite_text(self) -> str:
        return score_text(self.composite)


@dataclass
class EvaluationView:
    standings: list[Standing]
    vote_weight: Decimal
    panel_weight: Decimal
    points: tuple[Decimal, Decimal, Decimal]


class CadreEvaluation(Record):
    section = "evaluations"
    order = 16
    disclosure = "party"

    class Rules(KindRules):
        posting_days: int | None = Field(7, ge=0)
        # 002: each cadre makes at least this many commitments (原则上不少于a件: the seed's
        # number is illegible; 3 is this portal's default).
        min_commitments: int = Field(3, ge=0)
        # 002: an item is rejected when its 不满意 votes are more than this share of the voters.
        reject_share: Decimal = Field(Decimal("0.5"), ge=0, le=1)
        # 002: a cadre is unqualified (不合格) when 不满意 votes are more than this share.
        unqualified_share: Decimal = Field(Decimal("0.5"), ge=0, le=1)
        # 002: so many unqualified years in a row → flagged for removal (撤销职务、依法罢免).
        flag_after_years: int = Field(2, ge=1)
        # The composite (综合考评) = democratic score × vote_weight + panel score × panel_weight;
        # a democratic vote is worth points_satisfied / points_fair / points_dissatisfied (of 100).
        vote_weight: Decimal = Field(Decimal("0.5"), ge=0, le=1)
        panel_weight: Decimal = Field(Decimal("0.5"), ge=0, le=1)
        points_satisfied: Decimal = Field(Decimal(100), ge=0, le=100)
        points_fair: Decimal = Field(Decimal(60), ge=0, le=100)
        points_dissatisfied: Decimal = Field(Decimal(0), ge=0, le=100)
        # Whose items must not overlap: posts naming the party secretary and the director.
        secretary_posts: tuple[str, ...] = ("党支部书记", "党总支书记", "党委书记")
        director_posts: tuple[str, ...] = ("村委会主任", "村民委员会主任")
        # 践诺情况: the words a commitment's status may take.
        fulfilment_statuses: tuple[str, ...] = ("已完成", "基本完成", "正在推进", "未完成")

        @model_validator(mode="after")
        def _weights_add_up(self) -> Any:
            if self.vote_weight + self.panel_weight != 1:
                raise PydanticCustomError("vp_evaluation_weights_sum", "weights must add up to 1",
                                          {"vote": str(self.vote_weight), "panel": str(self.panel_weight)})
            return self

    title: Text = ""
    cadre: Text  # 姓名
    post: Text  # 职务, e.g. 党支部书记, 村委会主任, 村委委员
    confirmation: Confirmation | None = None
    commitments: list[Commitment] = []
    evaluation: YearEnd | None = None
    body: Text = ""

    # Set by `check_all`: how many years in a row, ending with this one, the cadre was unqualified.
    _streak: int = PrivateAttr(default=0)

    def heading(self, catalogue: Catalogue) -> str:
        return self.title or catalogue.text("records.evaluations.default_title", cadre=self.cadre, post=self.post,
                                            year=self.date.year)

    def summary(self) -> str:
        return f"{self.cadre}（{self.post}）"

    # -- computed -------------------------------------------------------------------------------

    def items(self, rules: Any) -> list[Item]:
        voters = self.confirmation.voters if self.confirmation else None
        return [Item(commitment, bool(commitment.votes and voters
                                      and more_than_share(commitment.votes.dissatisfied, voters, rules.reject_share)))
                for commitment in self.commitments]

    def confirmed(self, rules: Any) -> list[Commitment]:
        return [item.commitment for item in self.items(rules) if not item.rejected]

    def qualified(self, rules: Any) -> bool | None:
        if self.evaluation is None:
            return None
        return not more_than_share(self.evaluation.votes.dissatisfied, self.evaluation.voters, rules.unqualified_share)

    def is_secretary(self, rules: Any) -> bool:
        return any(post in self.post for post in rules.secretary_posts)

    def is_director(self, rules: Any) -> bool:
        return any(post in self.post for post in rules.director_posts)

    @property
    def unqualified_years(self) -> int:
        return self._streak

    def standing_in(self, records: list[CadreEvaluation], rules: Any) -> Standing | None:
        """This cadre's result among the year's cadres (the section's records)."""
        return next((s for s in standings(records, rules) if s.record is self), None)

    @staticmethod
    def ranked_count(records: list[CadreEvaluation], rules: Any) -> int:
        return sum(1 for standing in standings(records, rules) if standing.rank is not None)

    @staticmethod
    def share_text(share: Decimal) -> str:
        return percent(share)

    @staticmethod
    def limit(voters: int, share: Decimal) -> int:
        return allowed_votes(voters, share)

    def status_counts(self, rules: Any) -> list[tuple[str, int]]:
        confirmed = self.confirmed(rules)
        counts = [(status, sum(1 for c in confirmed if c.fulfilment == status)) for status in rules.fulfilment_statuses]
        return [(status, count) for status, count in counts if count]

    # -- rules ----------------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        voters = self.confirmation.voters if self.confirmation else None
        for index, commitment in enumerate(self.commitments):
            path = f"commitments.{index}"
            if commitment.votes is not None:
                if voters is None:
                    context.report(self, f"{path}.votes", "evaluation_votes_without_meeting")
                elif commitment.votes.cast > voters:
                    context.report(self, f"{path}.votes", "evaluation_votes_exceed_voters",
                                   cast=commitment.votes.cast, voters=voters, what=commitment.item)
            if commitment.fulfilment and commitment.fulfilment not in rules.fulfilment_statuses:
                context.report(self, f"{path}.fulfilment", "evaluation_unknown_status", value=commitment.fulfilment,
                               allowed="、".join(rules.fulfilment_statuses))
        items = self.items(rules)
        for index, item in enumerate(items):
            if item.rejected and item.commitment.fulfilment:
                context.report(self, f"commitments.{index}.fulfilment", "evaluation_rejected_item_pursued",
                               Severity.FINDING, item=item.commitment.item, status=item.commitment.fulfilment,
                               dissatisfied=item.commitment.votes.dissatisfied if item.commitment.votes else 0,
                               voters=voters, share=percent(rules.reject_share),
                               limit=allowed_votes(voters or 0, rules.reject_share))
        confirmed = sum(1 for item in items if not item.rejected)
        if self.commitments and confirmed < rules.min_commitments:
            context.report(self, "commitments", "evaluation_too_few_commitments", Severity.FINDING,
                           cadre=self.cadre, count=confirmed, minimum=rules.min_commitments)
        elif not self.commitments and self.confirmation is not None and rules.min_commitments:
            context.report(self, "confirmation", "evaluation_too_few_commitments", Severity.FINDING,
                           cadre=self.cadre, count=0, minimum=rules.min_commitments)
        if self.evaluation is not None:
            cast = self.evaluation.votes.cast
            if cast > self.evaluation.voters:
                context.report(self, "evaluation.votes", "evaluation_votes_exceed_voters",
                               cast=cast, voters=self.evaluation.voters, what=self.cadre)
            if self.confirmation and self.evaluation.held_on < self.confirmation.held_on:
                context.report(self, "evaluation.held_on", "evaluation_before_confirmation",
                               evaluated=self.evaluation.held_on.isoformat(),
                               confirmed=self.confirmation.held_on.isoformat())

    @classmethod
    def check_all(cls, records: list[Any], context: CheckContext) -> None:
        by_year: dict[int, list[CadreEvaluation]] = {}
        for record in records:
            by_year.setdefault(record.belongs_to_year, []).append(record)
        for year, group in sorted(by_year.items()):
            seen: dict[str, CadreEvaluation] = {}
            for record in sorted(group, key=lambda r: (r.date, r.id)):
                if record.cadre in seen:
                    context.report(record, "cadre", "evaluation_duplicate_cadre", cadre=record.cadre, year=year,
                                   other=seen[record.cadre].source.location.path)
                seen.setdefault(record.cadre, record)
            _check_overlap(group, context.rules(cls, year), context)
        for record in records:
            rules = context.rules(record)
            streak = _unqualified_streak(record, by_year, context)
            record._streak = streak
            if streak >= rules.flag_after_years and record.evaluation is not None:
                context.report(record, "evaluation.votes", "evaluation_unqualified_again", Severity.FINDING,
                               cadre=record.cadre, years=streak,
                               dissatisfied=record.evaluation.votes.dissatisfied, voters=record.evaluation.voters,
                               share=percent(rules.unqualified_share),
                               limit=allowed_votes(record.evaluation.voters, rules.unqualified_share))
            elif streak >= 1 and record.evaluation is not None:
                # 002: 不合格 is itself a finding, before any second year makes it a removal.
                context.report(record, "evaluation.votes", "evaluation_unqualified", Severity.FINDING,
                               cadre=record.cadre, dissatisfied=record.evaluation.votes.dissatisfied,
                               voters=record.evaluation.voters, share=percent(rules.unqualified_share),
                               limit=allowed_votes(record.evaluation.voters, rules.unqualified_share))

    # -- the section page -----------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> EvaluationView | None:
        if not records:
            return None
        rules = context.rules(cls)
        return EvaluationView(standings(records, rules), rules.vote_weight, rules.panel_weight, vote_points(rules))


def vote_points(rules: Any) -> tuple[Decimal, Decimal, Decimal]:
    return (rules.points_satisfied, rules.points_fair, rules.points_dissatisfied)


def standings(records: list[CadreEvaluation], rules: Any) -> list[Standing]:
    """The year's cadres: ranked by composite (equal composites share a rank), then those without
    one (unqualified, or not yet scored by the township), then those not yet evaluated."""
    result = []
    for record in records:
        qualified = record.qualified(rules)
        standing = Standing(record, qualified)
        if record.evaluation is not None:
            standing.democratic = democratic_score(record.evaluation.votes, vote_points(rules))
            if qualified and standing.democratic is not None and record.evaluation.panel_score is not None:
                standing.composite = composite_score(standing.democratic, record.evaluation.panel_score,
                                                     rules.vote_weight, rules.panel_weight)
        standing.flagged = record.unqualified_years >= rules.flag_after_years
        result.append(standing)
    ranked = sorted((s for s in result if s.composite is not None), key=lambda s: -s.composite)  # type: ignore[operator]
    for index, standing in enumerate(ranked):
        previous = ranked[index - 1] if index else None
        standing.rank = previous.rank if previous and previous.composite == standing.composite else index + 1
    rest = [s for s in result if s.composite is None]
    rest.sort(key=lambda s: (s.qualified is None, s.record.cadre))
    return ranked + rest


def _unqualified_streak(record: CadreEvaluation, by_year: dict[int, list[CadreEvaluation]],
                        context: CheckContext) -> int:
    """How many years in a row, ending with this record's, the cadre was unqualified (each year
    by its own rules)."""
    streak, year = 0, record.belongs_to_year
    current: CadreEvaluation | None = record
    while current is not None and current.qualified(context.rules(current)) is False:
        streak += 1
        year -= 1
        current = next((r for r in by_year.get(year, []) if r.cadre == record.cadre), None)
    return streak


def _check_overlap(records: list[CadreEvaluation], rules: Any, context: CheckContext) -> None:
    """The secretary's and the director's items must not overlap (002); one person holding both
    posts (一肩挑) makes one set of commitments."""
    secretaries = [r for r in records if r.is_secretary(rules) and not r.is_director(rules)]
    directors = [r for r in records if r.is_director(rules) and not r.is_secretary(rules)]
    for director in directors:
        for index, item in enumerate(director.items(rules)):
            if item.rejected:
                continue
            for secretary in secretaries:
                if any(same_item(item.commitment.item) == same_item(other.item) for other in secretary.confirmed(rules)):
                    context.report(director, f"commitments.{index}.item", "evaluation_items_overlap",
                                   Severity.FINDING, item=item.commitment.item, director=director.cadre,
                                   secretary=secretary.cadre)
