"""一事一议: a public-works project the villagers decided, and its money in and out (001, 004).

A project rests on a decision (四议两公开, `decisions/<id>`) that must have passed before work
starts. Its money comes from villagers (筹资, levied within a ceiling per person a year; 捐资,
given freely) and from subsidies (财政奖补 and others) or the collective; it goes out in spending
lines. Each sum may name its 凭证号: it must then be a line of the finance ledger of the period
that holds its date, with the same amount, so the project's page and the ledger cannot tell two
stories. At the end, the acceptance: the day, who accepted it, the result.

The seeds give no figure for the 筹资 ceiling (004 only says villagers 筹集建设维护资金 by
一事一议); provinces set it (commonly 15 to 20 yuan a person a year under the 2007 村民一事一议
筹资筹劳管理办法), so it is a setting, `rules.projects.levy_per_person`, and a ceiling per
household `levy_per_household` where a province sets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Money, Part, Text

# Where a project's money comes from. 村民筹资 is levied by the villagers' own decision and
# capped a person a year; 村民捐资 is given freely and has no ceiling.
LEVY = "村民筹资"
FUND_SOURCES = (LEVY, "村民捐资", "财政奖补", "其他补助", "村集体自筹", "其他")


class Fund(Part):
    """One sum of money the project receives."""

    source: Text  # one of FUND_SOURCES
    payer: Text = ""  # who gave it: 七至十四组村民（152户）, 县财政局
    amount: Money
    received: ClerkDate | None = None  # the day it came in; empty while it is only promised
    voucher: Text = ""  # 凭证号 of its line in that month's ledger
    persons: int | None = Field(None, ge=1)  # for 村民筹资: how many people it was levied on
    households: int | None = Field(None, ge=1)

    @field_validator("source")
    @classmethod
    def _known_source(cls, source: str) -> str:
        # A validator of the field, so that the mistake is reported at its own line.
        if source not in FUND_SOURCES:
            raise PydanticCustomError("vp_project_unknown_fund_source", "unknown source",
                                      {"value": source, "allowed": "、".join(FUND_SOURCES)})
        return source

    @model_validator(mode="after")
    def _voucher_dated(self) -> Fund:
        if self.voucher and self.received is None:
            raise PydanticCustomError("vp_project_voucher_without_date", "voucher without date",
                                      {"voucher": self.voucher})
        return self


class Spending(Part):
    """One payment out of the project's money."""

    paid: ClerkDate
    purpose: Text
    amount: Money
    voucher: Text = ""


class Acceptance(Part):
    """竣工验收."""

    accepted_on: ClerkDate
    accepted_by: Text  # who accepted: 镇农业综合服务中心、村“两委”、村务监督委员会、村民代表
    result: Literal["合格", "不合格"]
    note: Text = ""


@dataclass(frozen=True)
class LinkedRecord:
    """A record the project names, as the page links it: its year, section and id, and words."""

    year: int
    section: str
    id: str
    words: str = ""


@dataclass(frozen=True)
class SourceTotal:
    source: str
    amount: Decimal


class Project(Record):
    section = "projects"
    order = 47
    disclosure = "affairs"
    listed_when_empty = False
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.supervision", "print.signature.director")
    # `new` writes the example alone in a year: no decision or ledger to name, a subsidy (no
    # levy, so no head count), spent within the budget.
    examples: ClassVar[dict[str, Any]] = {"funds.0.source": "财政奖补", "funds.0.voucher": "", "funds.0.persons": None,
                                          "funds.0.households": None, "spending.0.amount": "1000.00",
                                          "spending.0.voucher": ""}

    class Rules(KindRules):
        posting_days: int | None = Field(7, ge=0)
        # 村民筹资: at most this many yuan a person a year. The seeds give no figure; provinces
        # commonly set 15–20 (村民一事一议筹资筹劳管理办法, 2007).
        levy_per_person: Decimal | None = Field(Decimal(20), ge=0)
        # 村民筹资: at most this many yuan a household, where a province sets one (none by default).
        levy_per_household: Decimal | None = Field(None, ge=0)

    title: Text = ""
    name: Text  # 项目名称
    decision: Text = ""  # the id of the decision (重大决策) the villagers took
    location: Text = ""
    budget: Money
    started: ClerkDate | None = None
    completed: ClerkDate | None = None
    funds: list[Fund] = []
    spending: list[Spending] = []
    acceptance: Acceptance | None = None
    body: Text = ""
    _links: dict[str, LinkedRecord] = PrivateAttr(default_factory=dict)

    def heading(self, catalogue: Any) -> str:
        return self.title or self.name

    def summary(self) -> str:
        return self.name[:80]

    # -- the money --------------------------------------------------------------------------

    @property
    def raised(self) -> Decimal:
        """The money received so far (a fund without a day is only promised)."""
        return sum((fund.amount for fund in self.funds if fund.received is not None), Decimal("0.00"))

    @property
    def spent(self) -> Decimal:
        return sum((line.amount for line in self.spending), Decimal("0.00"))

    def by_source(self) -> list[SourceTotal]:
        """The funds summed by where they came from, in the order of FUND_SOURCES."""
        totals = {source: sum((f.amount for f in self.funds if f.source == source), Decimal("0.00"))
                  for source in FUND_SOURCES}
        return [SourceTotal(source, amount) for source, amount in totals.items() if amount]

    def share_of_budget(self, amount: Decimal) -> float:
        return float(amount / self.budget) if self.budget else 0.0

    def link(self, dotted: str) -> LinkedRecord | None:
        """The record a field names (`decision`, `funds.0.voucher`), once the check found it."""
        return self._links.get(dotted)

    def stage(self) -> str:
        """Where the project stands, as a key under records.projects.stage."""
        if self.acceptance is not None:
            return "accepted" if self.acceptance.result == "合格" else "failed"
        if self.completed is not None:
            return "awaiting_acceptance"
        return "building" if self.work_started is not None else "planned"

    @property
    def work_started(self) -> date | None:
        """The day work began: as written, else the first payment."""
        return self.started or min((line.paid for line in self.spending), default=None)

    # -- rules ------------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        self._check_decision(context)
        for index, fund in enumerate(self.funds):
            if fund.voucher and fund.received is not None:
                self._check_voucher(context, f"funds.{index}", fund.voucher, fund.received, fund.amount, income=True)
            if fund.source == LEVY:
                self._check_levy(context, index, fund, rules)
        for index, line in enumerate(self.spending):
            if line.voucher:
                self._check_voucher(context, f"spending.{index}", line.voucher, line.paid, line.amount, income=False)
        if self.spent > self.budget:
            context.report(self, "budget", "project_over_budget", Severity.FINDING,
                           budget=self.budget, spent=self.spent, over=self.spent - self.budget)
        start = self.work_started
        if self.acceptance is not None and start is not None and self.acceptance.accepted_on < start:
            context.report(self, "acceptance.accepted_on", "project_accepted_before_start",
                           accepted=self.acceptance.accepted_on.isoformat(), started=start.isoformat())

    def _check_decision(self, context: CheckContext) -> None:
        if not self.decision:
            context.report(self, "name", "project_without_decision", Severity.FINDING)
            return
        found = context.named("decisions", self.decision)
        if not found:
            context.report(self, "decision", "project_decision_unknown", decision=self.decision)
            return
        approved = [(day, record) for record in found if (day := record.approved_on(context)) is not None]
        linked = approved[0][1] if approved else found[0]
        self._links["decision"] = LinkedRecord(linked.year, "decisions", linked.id, linked.summary())
        if not approved:
            context.report(self, "decision", "project_decision_not_passed", Severity.FINDING,
                           decision=self.decision, matter=linked.summary())
            return
        resolved = min(day for day, _ in approved)
        start = self.work_started
        if start is not None and start < resolved:
            context.report(self, "started" if self.started else "spending.0.paid", "project_started_before_decision",
                           Severity.FINDING, started=start.isoformat(), resolved=resolved.isoformat(),
                           matter=linked.summary())

    def _check_voucher(self, context: CheckContext, dotted: str, voucher: str, day: date, amount: Decimal,
                       income: bool) -> None:
        """The 凭证号 is a line of the ledger of the period holding `day`, on the same side, with
        the same amount."""
        ledgers = [record for record in context.records if record.accounts_for(day)]
        if not ledgers:
            context.report(self, f"{dotted}.voucher", "project_voucher_no_ledger", Severity.FINDING,
                           voucher=voucher, day=day.isoformat())
            return
        for ledger in ledgers:
            line = ledger.voucher_line(voucher)
            if line is None:
                continue
            self._links[f"{dotted}.voucher"] = LinkedRecord(ledger.year, ledger.section, ledger.id)
            figure, other = line if income else line[::-1]
            if figure is None:
                context.report(self, f"{dotted}.voucher", "project_voucher_wrong_side", voucher=voucher,
                               ledger=ledger.id, figure=other)
            elif figure != amount:
                context.report(self, f"{dotted}.amount", "project_voucher_amount_differs", voucher=voucher,
                               ledger=ledger.id, amount=amount, figure=figure)
            return
        context.report(self, f"{dotted}.voucher", "project_voucher_unknown", voucher=voucher,
                       ledger=ledgers[0].id, day=day.isoformat())

    def _check_levy(self, context: CheckContext, index: int, fund: Fund, rules: Any) -> None:
        """One 村民筹资 within the ceilings a person and a household (the year's levies together:
        check_all)."""
        for count, ceiling, key in ((fund.persons, rules.levy_per_person, "project_levy_over_person_ceiling"),
                                    (fund.households, rules.levy_per_household, "project_levy_over_household_ceiling")):
            if ceiling is None:
                continue
            if count is None:
                if key == "project_levy_over_person_ceiling":
                    context.report(self, f"funds.{index}.amount", "project_levy_persons_missing", Severity.FINDING,
                                   amount=fund.amount, ceiling=ceiling)
                continue
            each = (fund.amount / count).quantize(Decimal("0.01"))
            if each > ceiling:
                context.report(self, f"funds.{index}.amount", key, Severity.FINDING,
                               amount=fund.amount, count=count, each=each, ceiling=ceiling)

    @classmethod
    def check_all(cls, records: list[Any], context: CheckContext) -> None:
        """The ceiling is a person's levy in a year: levies of several projects received in one
        year add up (each within it alone, their sum may not be)."""
        levies: dict[int, list[tuple[Project, int, Fund]]] = {}
        for record in records:
            for index, fund in enumerate(record.funds):
                if fund.source == LEVY and fund.persons and fund.received is not None:
                    levies.setdefault(fund.received.year, []).append((record, index, fund))
        for year, found in sorted(levies.items()):
            ceiling = context.rules(cls, year).levy_per_person
            each = [(fund.amount / fund.persons).quantize(Decimal("0.01")) for _, _, fund in found]  # type: ignore[operator]
            if ceiling is None or len(found) < 2 or max(each) > ceiling or sum(each) <= ceiling:
                continue  # one levy above the ceiling alone is reported where it stands
            record, index, _ = max(found, key=lambda item: (item[2].received, item[0].id))
            context.report(record, f"funds.{index}.amount", "project_levy_year_over_ceiling", Severity.FINDING,
                           year=year, total=sum(each), ceiling=ceiling,
                           projects="、".join(sorted({item[0].name for item in found})))

    # -- pages ------------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> ProjectsView:
        return ProjectsView(sum((record.budget for record in records), Decimal("0.00")),
                            sum((record.raised for record in records), Decimal("0.00")),
                            sum((record.spent for record in records), Decimal("0.00")))


@dataclass(frozen=True)
class ProjectsView:
    budget: Decimal
    raised: Decimal
    spent: Decimal
