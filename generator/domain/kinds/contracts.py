"""契约公示: a contract (合同) or agreement (协议) and where it stands (000).

Every 契约 goes through the same steps, in order: the text is drafted (起草), the township
reviews it (乡镇审核), it is posted publicly (公示, for at least `posting_days` days), then
signed (签订) and performed (履行). The record is the contract's public posting: its `date`
is the day the text went up on the board and `posted_until` the end of the posting period,
so the portal's home page and "days left" work as for any posted notice. The other steps'
dates are under `steps:`, the later ones left empty while the contract is in progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Money, Text

# 合同 for economic matters (land, assets, enterprises contracted out); 协议 for public welfare,
# village planning, decisions and commitments everyone must keep (000).
CONTRACT_TYPES = ("合同", "协议")

# The steps in their order; "posted" is the record's own date .. posted_until.
STEP_ORDER = ("drafted", "township_review", "posted", "signed", "performed")


class ContractSteps(BaseModel):
    """The dates of the steps other than the posting, as the clerk fills them in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drafted: ClerkDate
    township_review: ClerkDate | None = None
    signed: ClerkDate | None = None
    performed: ClerkDate | None = None

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        # `signed: ""` (or a blank cell pasted in) means "not yet", like `signed:` with nothing.
        if isinstance(data, dict):
            return {key: (None if isinstance(value, str) and not value.strip() else value) for key, value in data.items()}
        return data


@dataclass(frozen=True)
class Step:
    """One step as a page shows it: its dates and whether it is done, under way or to come."""

    key: str  # one of STEP_ORDER
    day: date | None
    until: date | None = None  # the end of the posting period, for "posted"
    status: str = "pending"  # done | current | pending | missing
    days_left: int | None = None  # while the posting period runs


@dataclass(frozen=True)
class DecisionRef:
    """The decision a contract names, as found among the village's 重大决策 records."""

    id: str
    year: int
    matter: str


class Contract(Record):
    section = "contracts"
    order = 40
    disclosure = "affairs"

    class Rules(KindRules):
        # A contract's text stays posted at least this many days before it is signed (000).
        posting_days: int | None = Field(7, ge=0)
        # 000: "契约涉及的内容必须由村两委班子和村民代表议事会议进行讨论通过": a contract whose
        # amount is above this many yuan names the decision (四议两公开) that approved it. The seed
        # sets no floor, so by default every contract with an amount needs one.
        decision_above: Decimal = Field(Decimal(0), ge=0)

    contract_type: Text
    party_a: Text
    party_b: Text
    subject: Text
    amount: Money | None = None
    amount_note: Text = ""
    term_start: ClerkDate | None = None
    term_end: ClerkDate | None = None
    steps: ContractSteps
    # The record id (file name) of the decision in 重大决策 that approved the contract.
    decision: Text = ""
    body: Text = ""
    # Kept by check for the page, which sees the record but not the village's other records.
    _decision_ref: DecisionRef | None = PrivateAttr(None)

    @field_validator("contract_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in CONTRACT_TYPES:
            raise PydanticCustomError("vp_contract_unknown_type", "合同 or 协议",
                                      {"value": value, "allowed": "、".join(CONTRACT_TYPES)})
        return value

    @model_validator(mode="after")
    def _term_forward(self) -> Contract:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise PydanticCustomError("vp_contract_term_backwards", "term ends before it starts",
                                      {"start": self.term_start.isoformat(), "end": self.term_end.isoformat()})
        return self

    def summary(self) -> str:
        return f"{self.contract_type}：{self.subject}"[:80]

    @property
    def decision_ref(self) -> DecisionRef | None:
        """The decision the contract names, once checked; None if it names none or none such."""
        return self._decision_ref

    # -- the steps ------------------------------------------------------------------------

    def step_dates(self) -> list[tuple[str, date | None]]:
        """Each step with the day it happened (the posting: the day it began)."""
        return [("drafted", self.steps.drafted), ("township_review", self.steps.township_review),
                ("posted", self.date), ("signed", self.steps.signed), ("performed", self.steps.performed)]

    def days_posted_before_signing(self) -> int | None:
        """How many days the text was on the board before the day it was signed."""
        if self.steps.signed is None or self.posted_until is None:
            return None
        last = min(self.posted_until, self.steps.signed - timedelta(days=1))
        return max((last - self.date).days + 1, 0)

    def timeline(self, today: date) -> list[Step]:
        signed = self.steps.signed is not None and self.steps.signed <= today
        result = []
        for key, day in self.step_dates():
            if key == "posted":
                result.append(self._posting_step(today, signed))
            elif day is None:
                later = any(other for name, other in self.step_dates()[STEP_ORDER.index(key) + 1:] if name != "posted")
                # A step never recorded although the contract went past it (e.g. no township review).
                missing = key == "township_review" or later
                current = key == "performed" and signed
                result.append(Step(key, None, status="missing" if missing else "current" if current else "pending"))
            else:
                result.append(Step(key, day, status="done" if day <= today else "pending"))
        return result

    def _posting_step(self, today: date, signed: bool) -> Step:
        if today < self.date:
            return Step("posted", self.date, self.posted_until, "pending")
        if self.posted_until is not None and today <= self.posted_until and not signed:
            return Step("posted", self.date, self.posted_until, "current", (self.posted_until - today).days)
        return Step("posted", self.date, self.posted_until, "done")

    def stage(self, today: date) -> str:
        """Where the contract stands today, as a key under records.contracts.stage."""
        steps = self.steps
        if steps.performed is not None and steps.performed <= today:
            return "performed"
        if steps.signed is not None and steps.signed <= today:
            return "performing"
        if today < self.date:
            return "drafted"
        if self.posted_until is not None and today <= self.posted_until:
            return "posting"
        return "awaiting_signature"

    # -- rules ----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        self._check_order(context)
        steps = self.steps
        if steps.signed is not None and self.posted_until is None:
            context.report(self, "steps.signed", "contract_signed_unposted", signed=steps.signed.isoformat())
        if steps.performed is not None and steps.signed is None:
            context.report(self, "steps.performed", "contract_performed_unsigned",
                           performed=steps.performed.isoformat())
        if steps.township_review is None:
            context.report(self, "steps", "contract_no_township_review", Severity.FINDING)
        self._check_decision(context)
        minimum = context.rules(self).posting_days
        days = self.days_posted_before_signing()
        announced = self.posting_days
        # A posting period announced too short is the base rule's finding; this one is about a
        # contract signed before an adequate period had run.
        if minimum and days is not None and days < minimum and (announced is None or announced >= minimum):
            context.report(self, "steps.signed", "contract_signed_during_posting", Severity.FINDING,
                           signed=steps.signed.isoformat(), start=self.date.isoformat(),  # type: ignore[union-attr]
                           end=self.posted_until.isoformat(), days=days, minimum=minimum)  # type: ignore[union-attr]

    def _check_decision(self, context: CheckContext) -> None:
        """The decision it names exists and passed, before the contract was signed; a contract
        above the threshold names one."""
        if not self.decision:
            threshold = context.rules(self).decision_above
            if self.amount is not None and self.amount > threshold:
                context.report(self, "amount", "contract_without_decision", Severity.FINDING,
                               amount=self.amount, threshold=threshold)
            return
        found = context.named("decisions", self.decision)
        if not found:
            context.report(self, "decision", "contract_decision_unknown", decision=self.decision)
            return
        approved = [day for record in found if (day := record.approved_on(context)) is not None]
        # The decision named as the public knows it: its matter (a decision's summary), not its id.
        matter = found[0].summary()
        # The page links the year's record that resolved it, else the first of that id.
        linked = next((record for record in found if record.approved_on(context) is not None), found[0])
        self._decision_ref = DecisionRef(linked.id, linked.year, linked.summary())
        if not approved:
            context.report(self, "decision", "contract_decision_not_passed", Severity.FINDING,
                           decision=self.decision, matter=matter)
        elif self.steps.signed is not None and min(approved) > self.steps.signed:
            context.report(self, "steps.signed", "contract_signed_before_decision", Severity.FINDING,
                           signed=self.steps.signed.isoformat(), resolved=min(approved).isoformat(),
                           decision=self.decision, matter=matter)

    def _check_order(self, context: CheckContext) -> None:
        """A step dated before the last recorded step it follows contradicts the record."""
        previous: tuple[str, date] | None = None
        for key, day in self.step_dates():
            if day is None:
                continue
            if previous is not None and day < previous[1]:
                # The posting's start is the record's own `date`; the other steps are under `steps:`.
                name, dotted = ("date", "date") if key == "posted" else (key, f"steps.{key}")
                context.report(self, dotted, "contract_step_out_of_order", field=name, day=day.isoformat(),
                               previous=previous[0], previous_day=previous[1].isoformat())
            previous = (key, day)

    # -- pages ----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> ContractsView:
        today = context.today
        rows = [ContractRow(record, record.stage(today)) for record in records]
        counts = {stage: sum(1 for row in rows if row.stage == stage) for stage in STAGES}
        return ContractsView(rows, [(stage, count) for stage, count in counts.items() if count])


STAGES = ("drafted", "posting", "awaiting_signature", "performing", "performed")


@dataclass(frozen=True)
class ContractRow:
    record: Contract
    stage: str  # a key of STAGES


@dataclass(frozen=True)
class ContractsView:
    rows: list[ContractRow]  # as the section lists them: newest first
    stages: list[tuple[str, int]]  # how many contracts stand at each stage, in step order
