"""党员积分: each member's category and points, the total recomputed with the weights (001).

001: "将党员划分为A、B、C、D、E、F六个类别进行积分制管理……分值分为日常行为积分和年度评议积分
两部分，日常行为积分与评议积分按7:3的比例加权确定。" One record is one posting of a year's
points, for a branch (支部) or party group (党小组): a spreadsheet of members — 姓名, 类别,
日常积分, 年度评议积分 and, if the clerk worked it out, 总分. The portal recomputes every total
with the configured weights; a stated total that disagrees is an error naming both numbers.

The record belongs to the year it is posted in (the year's points are settled in January and
posted then, as the party notices do); `for_year` says which year they score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import Part, Text

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_points(value: Any) -> Decimal:
    """Points as the clerk types them (93, 92.5, ９３分), exactly, at most two decimals."""
    if isinstance(value, bool):
        raise PydanticCustomError("vp_points_bad_number", "not a number of points", {"value": str(value)})
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("分").strip()
        if not _NUMBER.match(text):
            raise PydanticCustomError("vp_points_bad_number", "not a number of points", {"value": str(value)})
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError("vp_points_bad_number", "not a number of points", {"value": str(value)}) from None
    if not number.is_finite():
        raise PydanticCustomError("vp_points_bad_number", "not a number of points", {"value": str(value)})
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        if number != number.quantize(Decimal("0.01")):  # 91.150 is fine, 91.155 is not
            raise PydanticCustomError("vp_points_bad_number", "not a number of points", {"value": str(value)})
    return number


Points = Annotated[Decimal, BeforeValidator(parse_points)]


def weighted_total(daily: Decimal, annual: Decimal, daily_weight: Decimal, annual_weight: Decimal) -> Decimal:
    """001: total = daily × 0.7 + annual × 0.3 (the weights as configured), exactly."""
    return daily * daily_weight + annual * annual_weight


def total_agrees(stated: Decimal, computed: Decimal) -> bool:
    """A stated total agrees when it is the computed one rounded to the stated total's own
    places (93.6 for 93.6; 91.2 or 91.1 or 91 for 91.15): within half a unit of its last digit."""
    exponent = stated.as_tuple().exponent
    assert isinstance(exponent, int)
    half = Decimal(5).scaleb(exponent - 1)
    return abs(stated - computed) <= half


def points_text(value: Decimal) -> str:
    """93.6, 91.15, 90: at most two decimals, no trailing zeros."""
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Member(Part):
    person: Text  # 姓名
    category: Text  # 类别: A–F
    daily: Points  # 日常行为积分
    annual: Points | None = None  # 年度评议积分: empty in a mid-year (interim) list
    total: Points | None = None  # 总分, optional: recomputed anyway

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: (None if value == "" and key in ("annual", "total") else value) for key, value in data.items()}
        return data


@dataclass(frozen=True)
class Scored:
    """A member as the pages show them: the total recomputed (None before the annual review),
    and the place in the list (None for the categories that are scored but not ranked)."""

    member: Member
    total: Decimal | None
    rank: int | None

    @property
    def total_text(self) -> str:
        return points_text(self.total) if self.total is not None else ""


@dataclass
class CategoryTotals:
    code: str
    description: str
    count: int = 0
    sum: Decimal = Decimal(0)
    best: Decimal | None = None

    def add(self, value: Decimal) -> None:
        self.count += 1
        self.sum += value
        self.best = value if self.best is None else max(self.best, value)

    @property
    def average_text(self) -> str:
        return points_text(self.sum / self.count) if self.count else ""

    @property
    def best_text(self) -> str:
        return points_text(self.best) if self.best is not None else ""


@dataclass
class PointsView:
    daily_weight: Decimal
    annual_weight: Decimal
    interim: bool  # only mid-year lists this year: the figures are daily-conduct points
    members: int
    average_text: str
    categories: list[CategoryTotals]


def rank(members: list[Member], daily_weight: Decimal, annual_weight: Decimal,
         unranked: tuple[str, ...] = ()) -> list[Scored]:
    """Highest first (by the total; by daily points while there is no annual review yet); equal
    scores share a place (1, 2, 2, 4); the `unranked` categories come last, without a place."""
    interim = all(member.annual is None for member in members)

    def total(member: Member) -> Decimal | None:
        if member.annual is None:
            return None
        return weighted_total(member.daily, member.annual, daily_weight, annual_weight)

    def score(member: Member) -> Decimal:
        return member.daily if interim else (total(member) or Decimal(0))

    ranked = sorted((m for m in members if m.category not in unranked), key=lambda m: -score(m))
    scored: list[Scored] = []
    for index, member in enumerate(ranked):
        previous = ranked[index - 1] if index else None
        place = scored[-1].rank if previous is not None and score(previous) == score(member) else index + 1
        scored.append(Scored(member, total(member), place))
    rest = sorted((m for m in members if m.category in unranked), key=lambda m: -score(m))
    return scored + [Scored(member, total(member), None) for member in rest]


# 001: the six categories.
DEFAULT_CATEGORIES = {
    "A": "村党组织书记和党员村委会主任",
    "B": "村“两委”中的其他党员",
    "C": "在家无职党员",
    "D": "流出党员",
    "E": "流入和双重管理的党员",
    "F": "年龄较大、长期生病或行动不便的特殊党员",
}


class PartyPoints(Record):
    section = "points"
    order = 15
    disclosure = "party"

    class Rules(KindRules):
        posting_days: int | None = Field(7, ge=0)
        # 001: 日常行为积分与评议积分按7:3的比例加权确定.
        daily_weight: Decimal = Field(Decimal("0.7"), ge=0, le=1)
        annual_weight: Decimal = Field(Decimal("0.3"), ge=0, le=1)
        # 001: the categories, A–F, and who is in each.
        categories: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CATEGORIES))
        # The most points either part can give.
        max_points: Decimal = Field(Decimal(100), gt=0)
        # Categories scored but not ranked (both demo villages: F类党员只评定不排名; not in 001).
        unranked_categories: tuple[str, ...] = ("F",)

        @model_validator(mode="after")
        def _weights_add_up(self) -> Any:
            if self.daily_weight + self.annual_weight != 1:
                raise PydanticCustomError("vp_points_weights_sum", "weights must add up to 1",
                                          {"daily": str(self.daily_weight), "annual": str(self.annual_weight)})
            return self

    table_field = "roster"
    table_columns = {"姓名": "person", "类别": "category", "日常积分": "daily", "日常行为积分": "daily",
                     "年度评议积分": "annual", "评议积分": "annual", "总分": "total", "综合积分": "total",
                     # Other names clerks give the columns (issue 26).
                     "党员姓名": "person", "党员类别": "category", "分类": "category", "日常表现积分": "daily",
                     "年度评议": "annual", "民主评议积分": "annual", "总积分": "total", "合计积分": "total"}

    # The year the points score (posted the January after); the posting's year if not given.
    for_year: int | None = Field(None, ge=1990, le=2100)
    # The branch (支部) or party group (党小组) the list is for; empty for the whole village.
    branch: Text = ""
    body: Text = ""
    roster: list[Member] = []

    @property
    def scored_year(self) -> int:
        return self.for_year or self.date.year

    @property
    def belongs_to_year(self) -> int:
        # The year's points are settled in December or January; they belong to the year they score.
        return self.scored_year

    @property
    def interim(self) -> bool:
        """A mid-year list: daily-conduct points only, the annual review still to come."""
        return all(member.annual is None for member in self.roster)

    def scored(self, rules: Any) -> list[Scored]:
        return rank(self.roster, rules.daily_weight, rules.annual_weight, rules.unranked_categories)

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        if self.for_year is not None and self.for_year > self.date.year:
            context.report(self, "for_year", "points_year_in_future", for_year=self.for_year,
                           posted=self.date.isoformat())
        seen: dict[str, int] = {}
        for index, member in enumerate(self.roster):
            if member.category not in rules.categories:
                context.report_row(self, index, "points_unknown_category", column="类别",
                                   value=member.category, allowed="、".join(rules.categories))
            for column, value in (("日常积分", member.daily), ("年度评议积分", member.annual)):
                if value is not None and not 0 <= value <= rules.max_points:
                    context.report_row(self, index, "points_out_of_range", column=column,
                                       value=points_text(value), maximum=points_text(rules.max_points))
            if member.annual is None:
                if not self.interim:
                    context.report_row(self, index, "points_annual_missing", column="年度评议积分", name=member.person)
                if member.total is not None:
                    context.report_row(self, index, "points_total_without_annual", column="总分", name=member.person,
                                       stated=points_text(member.total))
                computed = None
            else:
                computed = weighted_total(member.daily, member.annual, rules.daily_weight, rules.annual_weight)
            if member.total is not None and computed is not None and member.annual is not None \
                    and not total_agrees(member.total, computed):
                context.report_row(self, index, "points_total_mismatch", column="总分", name=member.person,
                                   stated=points_text(member.total), computed=points_text(computed),
                                   daily=points_text(member.daily), annual=points_text(member.annual),
                                   daily_weight=points_text(rules.daily_weight),
                                   annual_weight=points_text(rules.annual_weight))
            if member.person in seen:
                context.report_row(self, index, "points_duplicate_member", column="姓名",
                                   name=member.person, row=self.table_line(seen[member.person]))
            seen.setdefault(member.person, index)

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> PointsView | None:
        if not records:
            return None
        rules = context.rules(cls)
        # The year's settled lists if there are any; else the mid-year ones, by daily points.
        settled = [record for record in records if not record.interim]
        interim = not settled
        categories = {code: CategoryTotals(code, text) for code, text in rules.categories.items()}
        everyone = CategoryTotals("", "")
        for record in settled or records:
            for scored in record.scored(rules):
                value = scored.member.daily if interim else scored.total
                if value is None:
                    continue
                everyone.add(value)
                if scored.member.category in categories:
                    categories[scored.member.category].add(value)
        return PointsView(rules.daily_weight, rules.annual_weight, interim, everyone.count, everyone.average_text,
                          [group for group in categories.values() if group.count])
