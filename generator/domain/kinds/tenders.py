"""招投标 / 比选结果: how a project or lease was awarded (000).

The result of a tender or a 比选 is posted for a few days before the contract is signed: which
project, by which method, who bid at what price, who won, and the contract it led to
(`contracts/<id>`). The winner must be one of the bidders; a winner who did not offer the
lowest price needs the reason written down (综合得分最高, a shorter term …); the contract's amount
is the winning price. The methods a township allows are a setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field, PrivateAttr

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Money, Part, Text


class Bidder(Part):
    name: Text
    price: Money
    note: Text = ""  # 工期、得分 …


@dataclass(frozen=True)
class ContractRef:
    """The contract a tender led to, as found among the village's 契约公示 records."""

    year: int
    id: str
    words: str
    amount: Decimal | None


class Tender(Record):
    section = "tenders"
    order = 48
    disclosure = "affairs"
    listed_when_empty = False
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.supervision", "print.signature.director")
    # For `new` and `template`: the winner is the example's one bidder.
    examples: ClassVar[dict[str, Any]] = {"winner": "示例投标单位", "bidders": [
        {"name": "示例投标单位", "price": "1200.00", "note": ""}]}

    class Rules(KindRules):
        # 招标投标法实施条例 第五十四条: the result is posted at least 3 days.
        posting_days: int | None = Field(3, ge=0)
        # How the village may award work; a township adds its own.
        methods: tuple[str, ...] = ("公开招标", "邀请招标", "比选", "竞争性谈判", "竞争性磋商", "询价", "单一来源")
        # 比选 and the like need at least this many bidders; fewer is a finding.
        min_bidders: int = Field(3, ge=1)

    title: Text = ""
    project: Text  # 项目名称
    method: Text
    opened: ClerkDate  # 开标 / 比选 day
    venue: Text = ""
    supervised_by: Text = ""
    bidders: list[Bidder]
    winner: Text
    # Why the winner was chosen though another bidder offered less.
    winner_reason: Text = ""
    contract: Text = ""  # the id of the contract (契约公示) it led to
    body: Text = ""
    _contract_ref: ContractRef | None = PrivateAttr(None)

    def heading(self, catalogue: Any) -> str:
        return self.title or catalogue.text("records.tenders.default_title", project=self.project)

    def summary(self) -> str:
        return self.project[:80]

    @property
    def winning_bid(self) -> Bidder | None:
        return next((bidder for bidder in self.bidders if bidder.name == self.winner), None)

    @property
    def lowest_price(self) -> Decimal | None:
        return min((bidder.price for bidder in self.bidders), default=None)

    @property
    def contract_ref(self) -> ContractRef | None:
        return self._contract_ref

    # -- rules ------------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        if self.method not in rules.methods:
            context.report(self, "method", "tender_unknown_method", value=self.method, allowed="、".join(rules.methods))
        if self.date < self.opened:
            context.report(self, "date", "tender_posted_before_opening", day=self.date.isoformat(),
                           opened=self.opened.isoformat())
        if len(self.bidders) < rules.min_bidders:
            context.report(self, "bidders", "tender_too_few_bidders", Severity.FINDING,
                           count=len(self.bidders), minimum=rules.min_bidders)
        won = self.winning_bid
        if won is None:
            context.report(self, "winner", "tender_winner_not_a_bidder", winner=self.winner,
                           bidders="、".join(bidder.name for bidder in self.bidders))
        elif won.price != self.lowest_price and not self.winner_reason:
            context.report(self, "winner", "tender_winner_not_lowest", Severity.FINDING, winner=self.winner,
                           price=won.price, lowest=self.lowest_price,
                           cheapest="、".join(b.name for b in self.bidders if b.price == self.lowest_price))
        self._check_contract(context, won)

    def _check_contract(self, context: CheckContext, won: Bidder | None) -> None:
        if not self.contract:
            return
        found = context.named("contracts", self.contract)
        if not found:
            context.report(self, "contract", "tender_contract_unknown", contract=self.contract)
            return
        # The contract of the tender's year, else the first of that id.
        linked = next((record for record in found if record.year == self.year), found[0])
        # Duck-typed: a contract's amount (契约公示), None where it states none.
        amount = getattr(linked, "amount", None)
        self._contract_ref = ContractRef(linked.year, linked.id, linked.summary(), amount)
        if won is not None and amount is not None and amount != won.price:
            context.report(self, "contract", "tender_contract_amount_differs", Severity.FINDING,
                           contract=self.contract, amount=amount, price=won.price, winner=won.name)
        # Duck-typed too: the day the contract was signed (契约公示's steps.signed).
        signed = getattr(getattr(linked, "steps", None), "signed", None)
        if signed is not None and self.posted_until is not None and signed <= self.posted_until:
            context.report(self, "contract", "tender_contract_signed_during_posting", Severity.FINDING,
                           contract=self.contract, signed=signed.isoformat(), until=self.posted_until.isoformat())
