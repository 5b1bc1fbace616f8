"""会议记录: what a village meeting discussed and decided (001, 003).

三会一课 (the branch's 党员大会, 支委会, 党小组会 and 党课), the 村民代表会议, the two committees'
周例会 (001: every week, all members of the 两委): the day, the place, who was expected and who
came (those absent by name), the topics, the decisions taken — each may name the decision record
(`decisions/<id>`) it belongs to — and who kept the record. A representatives' meeting and a
party members' meeting need two thirds present (村民委员会组织法 art. 25; 001). The meeting types
and the meetings that need a quorum are settings.

Villagers named in the topics are free text like any other: the personal-number audit reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field, PrivateAttr, model_validator

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record, Source
from generator.domain.kinds.fields import ClerkDate, Part, Text
from generator.domain.kinds.steps import Share, alias_lines, judge


class Resolved(Part):
    """One decision the meeting took."""

    content: Text
    decision: Text = ""  # the id of its record in 重大决策, if it has one


@dataclass(frozen=True)
class DecisionRef:
    year: int
    id: str
    matter: str


class Minutes(Record):
    section = "minutes"
    order = 62
    disclosure = "affairs"
    listed_when_empty = False
    examples: ClassVar[dict[str, Any]] = {"expected": 7, "present": 7}

    class Rules(KindRules):
        posting_days: int | None = Field(None, ge=0)
        # The meetings a village keeps minutes of (三会一课, 村民代表会议, 周例会 …); a township adds its own.
        meeting_types: tuple[str, ...] = ("支部党员大会", "支部委员会", "党小组会", "党课", "村民代表会议",
                                          "村民会议", "两委会议", "周例会", "村务监督委员会会议")
        # These meetings need at least `quorum` of those expected present (村民委员会组织法 art. 25, 001).
        quorum_meetings: tuple[str, ...] = ("村民代表会议", "支部党员大会")
        quorum: Share = Fraction(2, 3)

    title: Text = ""
    # Left out, the day of the meeting.
    date: ClerkDate = None  # type: ignore[assignment]
    meeting: Text  # one of rules.minutes.meeting_types
    held_on: ClerkDate
    venue: Text = ""
    chair: Text = ""  # 主持人
    recorder: Text  # 记录人
    expected: int = Field(ge=1)  # 应到
    present: int = Field(ge=0)  # 实到
    absent: list[Text] = []  # 缺席的人，写上原因：王某某（外出务工）
    topics: list[Text]
    decisions: list[Resolved] = []
    body: Text = ""
    _decision_refs: dict[int, DecisionRef] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _date_from_meeting(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("date") is None and data.get("held_on") is not None:
            data = {**data, "date": data["held_on"]}
        return data

    def placed(self, source: Source) -> Minutes:
        alias_lines(source, {"date": "held_on"})
        return super().placed(source)  # type: ignore[return-value]

    @property
    def belongs_to_year(self) -> int:
        return self.held_on.year

    def heading(self, catalogue: Any) -> str:
        return self.title or catalogue.text("records.minutes.default_title", day=catalogue.text(
            "format.date", year=self.held_on.year, month=self.held_on.month, day=self.held_on.day),
            meeting=self.meeting)

    def summary(self) -> str:
        return "；".join(self.topics)[:80] or self.meeting

    def decision_ref(self, index: int) -> DecisionRef | None:
        """The decision record the `index`th decision names, once the check found it."""
        return self._decision_refs.get(index)

    # -- rules ------------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        if self.meeting not in rules.meeting_types:
            context.report(self, "meeting", "minutes_unknown_meeting", value=self.meeting,
                           allowed="、".join(rules.meeting_types))
        if self.date < self.held_on:
            context.report(self, "date", "minutes_posted_before_meeting", day=self.date.isoformat(),
                           held=self.held_on.isoformat())
        if self.present > self.expected:
            context.report(self, "present", "minutes_present_exceeds_expected", present=self.present,
                           expected=self.expected)
        elif self.absent and len(self.absent) != self.expected - self.present:
            context.report(self, "absent", "minutes_absent_count", named=len(self.absent),
                           expected=self.expected, present=self.present, missing=self.expected - self.present)
        elif self.meeting in rules.quorum_meetings:
            verdict = judge(self.expected, self.present, quorum=rules.quorum)
            if verdict.quorum_met is False:
                context.report(self, "present", "minutes_no_quorum", Severity.FINDING, meeting=self.meeting,
                               expected=self.expected, present=self.present, needed=verdict.needed_present)
        for index, resolved in enumerate(self.decisions):
            if not resolved.decision:
                continue
            found = context.named("decisions", resolved.decision)
            if not found:
                context.report(self, f"decisions.{index}.decision", "minutes_decision_unknown",
                               decision=resolved.decision)
                continue
            linked = next((record for record in found if record.year == self.year), found[0])
            self._decision_refs[index] = DecisionRef(linked.year, linked.id, linked.summary())
