"""红黑榜: households commended (红榜) or criticised (黑榜) under the village rules (003, 004).

One record is one posting of the lists (e.g. the half-year list the village rules call for):
the YAML gives the posting, a spreadsheet beside it one row per entry — 户主姓名, 组别, 红/黑榜,
事由, 村规民约条款, 积分, 有效期至.

- 004: "持续保持红黑榜评选比例，确保全年覆盖面达到全村农户数的60%以上": the households the
  year's lists reach, counted once however often they appear, against `settings.households`;
  under `coverage_target` is a finding on the year's latest posting.
- 003/004: the black list is for education (警醒、教育转化), not punishment. The name of a
  household on it is masked as the table is read (张*明; `black_names`), so the full name never
  reaches a page, a search index or a message; and a black entry whose 有效期至 is past is no
  longer shown: pages list `entries_shown(today)`, and say only how many were withdrawn.
  Red entries stay (commendations are a public record; their 有效期至 is only shown).
- Counting a household once needs its name, which the model no longer has after masking: each
  entry keeps a one-way key of its group and full name (never printed).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Part, Text, parse_date, parse_text

RED = "红"
BLACK = "黑"
_BOARDS = {"红": RED, "红榜": RED, "red": RED, "黑": BLACK, "黑榜": BLACK, "black": BLACK}

SECTION = "red-black"


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张明 → 张*, 欧阳小明 → 欧**明: the first and (from three characters) the
    last character stay."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def household_key(group: str, name: str) -> str:
    """A one-way key for counting a household once: letters only, so it can never look like a
    personal number; it is kept off the pages."""
    digest = hashlib.blake2b(f"{group.strip()}\x1f{name.strip()}".encode(), digest_size=8).hexdigest()
    return "".join("abcdefghijklmnop"[int(char, 16)] for char in digest)


def _board(value: Any) -> str:
    text = parse_text(value)
    board = _BOARDS.get(text.lower())
    if board is None:
        raise PydanticCustomError("vp_redblack_bad_board", "red or black", {"value": text})
    return board


def _black_names(info: ValidationInfo) -> str:
    """The `black_names` setting, from the settings the model stage passes (if it does), in force
    on the list's day (RedBlackList._on_its_day)."""
    context = info.context or {}
    rules = context.get("rules")
    if rules is None and context.get("settings") is not None:
        rules = context["settings"].rules
    if rules is not None:
        return rules.of(SECTION, context.get("day")).black_names
    return RedBlackList.Rules().black_names


class Entry(Part):
    """One household on the red or black list, masked as it is read."""

    household: Text  # 户主姓名: for a black entry, as `black_names` says (masked by default)
    group: Text = ""  # 组别
    board: Annotated[str, BeforeValidator(_board)]  # 红 | 黑
    cause: Text  # 事由
    clause: Text  # 村规民约条款
    points: int | None = None  # 积分: red ≥ 0 (reward), black ≤ 0 (deduction)
    valid_until: ClerkDate | None = None  # 有效期至

    _key: str = PrivateAttr(default="")
    # The article of the village rules the clause cites, as check found it (`Citation`).
    _citation: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _masked(cls, data: Any, handler: Any, info: ValidationInfo) -> Entry:
        key = ""
        if isinstance(data, dict):
            data = {name: (None if value == "" and name in ("points", "valid_until") else value)
                    for name, value in data.items()}
            if isinstance(data.get("points"), str):
                data["points"] = data["points"].strip().removeprefix("+")
            name = parse_text(data.get("household"))
            key = household_key(parse_text(data.get("group")), name)
            if _BOARDS.get(str(data.get("board", "")).strip().lower()) == BLACK:
                shown = _black_names(info)
                data["household"] = mask_name(name) if shown == "mask" else "" if shown == "hide" else name
        entry = handler(data)
        entry._key = key
        return entry

    @model_validator(mode="after")
    def _black_has_an_end(self) -> Entry:
        if self.board == BLACK and self.valid_until is None:
            raise PydanticCustomError("vp_redblack_black_needs_until", "a black entry needs an end date", {})
        return self

    @property
    def key(self) -> str:
        return self._key

    @property
    def citation(self) -> Any:
        """The article of the rules in force the clause cites (its `heading` and `address`,
        from the village's folder), once checked; None where the village records no rules."""
        return self._citation

    @property
    def is_black(self) -> bool:
        return self.board == BLACK

    def shown_on(self, day: date) -> bool:
        """A black entry leaves the pages once its period is over; a red one stays."""
        return not (self.is_black and self.valid_until is not None and self.valid_until < day)


@dataclass(frozen=True)
class Coverage:
    """The households a year's lists reached, against the target share of all households."""

    year: int
    reached: int
    households: int | None
    target: Decimal

    @property
    def share(self) -> Decimal | None:
        if not self.households:
            return None
        return Decimal(self.reached) / Decimal(self.households)

    @property
    def under(self) -> bool:
        share = self.share
        return share is not None and share < self.target

    @property
    def needed(self) -> int:
        """How many more households would reach the target."""
        if not self.households:
            return 0
        return max(0, math.ceil(self.target * self.households) - self.reached)

    @property
    def share_text(self) -> str:
        return percent(self.share) if self.share is not None else ""

    @property
    def target_text(self) -> str:
        return percent(self.target)


def percent(value: Decimal) -> str:
    text = f"{value * 100:.1f}".removesuffix(".0")
    return f"{text}%"


def coverage(records: list[RedBlackList], year: int, households: int | None, target: Decimal) -> Coverage:
    keys = {entry.key for record in records if record.belongs_to_year == year for entry in record.entries}
    return Coverage(year, len(keys), households, target)


@dataclass
class ClauseCount:
    clause: str
    red: int = 0
    black: int = 0
    citation: Any = None  # the article it cites, as check found it for its first entry


@dataclass
class Month:
    """The postings of one month: how many red and black entries, and under which clauses."""

    year: int
    month: int
    records: list[RedBlackList] = field(default_factory=list)
    red: int = 0
    black: int = 0
    withdrawn: int = 0  # black entries past their 有效期至, no longer shown
    clauses: list[ClauseCount] = field(default_factory=list)


@dataclass
class RedBlackView:
    coverage: Coverage
    months: list[Month]


def cite_the_rules(records: list[RedBlackList], context: CheckContext) -> None:
    """Each entry's clause is an article of the village rules (村规民约) in force on the list's
    day, which it then links to. A village that records no rules keeps its clauses as text; a
    list from before the first text it records is not checked (the rules then are not known), nor
    against a text published in a later year: a year's pages, archived and exported on their own,
    never lean on a later year's."""
    texts = [record for record in context.records if record.rules_in_force(date.max) is not None]
    if not texts:
        return
    for record in records:
        in_force = [found for text in texts
                    if text.year <= record.year and (found := text.rules_in_force(record.date)) is not None]
        if not in_force:
            continue
        rules = max(in_force, key=lambda found: found.adopted)
        for index, entry in enumerate(record.entries):
            citation = rules.cite(entry.clause)
            if citation is None:
                context.report_row(record, index, "redblack_clause_unknown", column="村规民约条款",
                                   clause=entry.clause, day=record.date.isoformat(), articles=rules.headings)
            elif not citation.matches:
                context.report_row(record, index, "redblack_clause_title_differs", column="村规民约条款",
                                   clause=entry.clause, article=citation.heading)
            else:
                entry._citation = citation


class RedBlackList(Record):
    section = SECTION
    order = 55
    disclosure = "affairs"

    class Rules(KindRules):
        posting_days: int | None = Field(7, ge=0)
        # 004: the lists together reach at least this share of the village's households a year.
        coverage_target: Decimal = Field(Decimal("0.6"), ge=0, le=1)
        # How a household on the black list is named on the pages: "mask" (张*明, the default),
        # "hide" (not named at all, as some village rules say for the web) or "show" (in full).
        black_names: Literal["mask", "hide", "show"] = "mask"

    # For `village-portal new` and `template`: a red-list entry needs no end date; a clause as the
    # rules number it (the example rules' first article).
    examples: ClassVar[dict[str, Any]] = {"entries.board": "红", "entries.clause": "第一条"}
    table_field = "entries"
    table_columns = {"户主姓名": "household", "户主": "household", "组别": "group", "红/黑榜": "board",
                     "红黑榜": "board", "榜别": "board", "事由": "cause", "村规民约条款": "clause",
                     "条款": "clause", "积分": "points", "有效期至": "valid_until",
                     # Other names clerks give the columns (issue 26).
                     "姓名": "household", "户名": "household", "所在组": "group", "村民小组": "group",
                     "组": "group", "事迹或事由": "cause", "理由": "cause", "依据条款": "clause",
                     "分值": "points", "加减分": "points", "有效期": "valid_until", "截止日期": "valid_until"}

    # e.g. 2026年上半年: what the posting covers, as the village rules word it.
    covers: Text = ""
    body: Text = ""
    entries: list[Entry] = []

    @model_validator(mode="wrap")
    @classmethod
    def _on_its_day(cls, data: Any, handler: Any, info: ValidationInfo) -> RedBlackList:
        # Black names are masked as the entries are read, by the `black_names` in force on the
        # list's day (a `changes:` from a date): the entries see the day through the context.
        if isinstance(data, dict) and isinstance(info.context, dict):
            try:
                info.context["day"] = parse_date(data.get("date"))
            except (ValueError, TypeError):
                info.context.pop("day", None)  # the date's own error is reported by its field
        return handler(data)

    # -- what the pages show ------------------------------------------------------------------

    def entries_shown(self, day: date) -> list[Entry]:
        return [entry for entry in self.entries if entry.shown_on(day)]

    def withdrawn(self, day: date) -> int:
        return sum(1 for entry in self.entries if not entry.shown_on(day))

    @property
    def red_count(self) -> int:
        return sum(1 for entry in self.entries if not entry.is_black)

    @property
    def black_count(self) -> int:
        return sum(1 for entry in self.entries if entry.is_black)

    def summary(self) -> str:
        return self.covers or self.title

    # -- rules ----------------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        for index, entry in enumerate(self.entries):
            if entry.valid_until is not None and entry.valid_until < self.date:
                context.report_row(self, index, "redblack_until_before_posting", column="有效期至",
                                   until=entry.valid_until.isoformat(), posted=self.date.isoformat())
            if entry.points is not None and entry.is_black and entry.points > 0:
                context.report_row(self, index, "redblack_black_points_positive", column="积分", points=entry.points)
            if entry.points is not None and not entry.is_black and entry.points < 0:
                context.report_row(self, index, "redblack_red_points_negative", column="积分", points=entry.points)

    @classmethod
    def check_all(cls, records: list[Any], context: CheckContext) -> None:
        cite_the_rules(records, context)
        households = context.settings.households
        if not households:
            return
        today = context.today
        for year in sorted({record.belongs_to_year for record in records}):
            if year > today.year:
                continue
            rules = context.rules(cls, year)
            found = coverage(records, year, households, rules.coverage_target)
            if not found.under:
                continue
            latest = max((r for r in records if r.belongs_to_year == year), key=lambda r: (r.date, r.id))
            day = min(today, date(year, 12, 31))
            context.report(latest, "date", "redblack_coverage_under_target", Severity.FINDING,
                           year=year, day=day.isoformat(), reached=found.reached, households=households,
                           share=found.share_text, target=found.target_text, needed=found.needed)

    # -- the section page -----------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> RedBlackView | None:
        if not records:
            return None
        rules = context.rules(cls)
        year = records[0].belongs_to_year
        found = coverage(records, year, context.settings.households, rules.coverage_target)
        months: dict[tuple[int, int], Month] = {}
        for record in sorted(records, key=lambda r: (r.date, r.id)):
            month = months.setdefault((record.date.year, record.date.month),
                                      Month(record.date.year, record.date.month))
            month.records.append(record)
            clauses: dict[str, ClauseCount] = {clause.clause: clause for clause in month.clauses}
            for entry in record.entries:
                count = clauses.setdefault(entry.clause, ClauseCount(entry.clause, citation=entry.citation))
                if entry.is_black:
                    month.black += 1
                    count.black += 1
                else:
                    month.red += 1
                    count.red += 1
            month.withdrawn += record.withdrawn(context.today)
            month.clauses = sorted(clauses.values(), key=lambda c: (-(c.red + c.black), c.clause))
        return RedBlackView(found, sorted(months.values(), key=lambda m: (m.year, m.month), reverse=True))
