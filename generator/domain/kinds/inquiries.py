"""村民质询: a villager's question about a disclosure, and the answer with its date.

A villager asks about something posted (a ledger line, a subsidy list, a contract); the village
answers within `answer_days` days and posts question and answer. Who asked is not public: the
name is shown as the surname only (张某), or left out; personal numbers never appear (the
check stage stops the build on a full one anywhere). The inquiry may name the record it asks
about (`about: finance/2026-03`, or `2025/finance/2025-12` for another year's record): the
page links to it, and a record that does not exist is an error.

Rules, each number a setting (`rules.inquiries.*`):
- answered more than `answer_days` days after it was asked: a finding;
- not answered and already more than `answer_days` days old as of `as_of`: a finding;
- answered before it was asked, or posted before it was asked or answered: an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record, Source
from generator.domain.kinds.fields import ClerkDate, Part, Text, parse_text

_REFERENCE = re.compile(r"^(?:((?:19|20)\d\d)/)?([a-z0-9][a-z0-9-]*)/([a-z0-9][a-z0-9-]*)$")


def mask_name(name: str) -> str:
    """A person's name as the public sees it: the surname and 某 (张某). Compound surnames
    (欧阳, 司马 …) cannot be told from given names reliably, so only the first character stays."""
    name = name.strip()
    return f"{name[0]}某" if name else ""


class Reference(Part):
    """The record an inquiry asks about: its section and id, and its year when not the inquiry's."""

    section: Text
    id: Text
    year: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _REFERENCE.match(value.strip())
            if not match:
                raise PydanticCustomError("vp_inquiry_bad_reference", "not [year/]section/id", {"value": value})
            year, section, record_id = match.groups()
            return {"section": section, "id": record_id, "year": int(year) if year else None}
        return value

    def __str__(self) -> str:
        return f"{self.year}/{self.section}/{self.id}" if self.year else f"{self.section}/{self.id}"


@dataclass(frozen=True)
class InquiryRow:
    """One inquiry as the section page lists it."""

    record: Any  # Inquiry
    state: str  # on_time | late | open | overdue
    days: int  # days taken, or days waiting so far


@dataclass(frozen=True)
class InquiriesView:
    rows: list[InquiryRow]
    limit: int
    counts: list[tuple[str, int]]  # (state, count), in the order of STATES, zero counts left out


STATES = ("on_time", "late", "open", "overdue")


class Inquiry(Record):
    section = "inquiries"
    order = 65
    disclosure = "affairs"
    # A question asked by a villager is not itself one of the village's periodic disclosures:
    # the compliance page does not count it towards 村务公开 (see generator/domain/compliance.py).
    counts_as_disclosure = False

    class Rules(KindRules):
        posting_days: int | None = Field(None, ge=0)
        # A villager's question about a disclosure is answered within this many days (DOMAIN).
        answer_days: int = Field(10, ge=1)

    title: Text = ""
    date: ClerkDate
    asked: ClerkDate
    asker: Text = ""  # shown as the surname only: 张某
    group: Text = ""  # 村民小组, e.g. 第三组
    channel: Text = ""  # how it was asked: 当面、书面、意见箱、电话、微信群
    about: Reference | None = None
    question: Text
    answer: Text = ""
    answered: ClerkDate | None = None
    answered_by: Text = ""

    _about_record: Record | None = PrivateAttr(default=None)

    @field_validator("asker", mode="before")
    @classmethod
    def _mask_asker(cls, value: Any) -> str:
        return mask_name(parse_text(value))

    @model_validator(mode="before")
    @classmethod
    def _date_from_answer(cls, data: Any) -> Any:
        """Without `date`, the inquiry was posted when it was answered, or, while it waits for
        an answer, when it was asked."""
        if isinstance(data, dict) and "date" not in data:
            day = data.get("answered") or data.get("asked")
            if day is not None:
                data = {**data, "date": day}
        return data

    def placed(self, source: Source) -> Inquiry:
        # A derived date points at the line of the date it came from.
        lines = source.document.lines
        if "date" not in lines:
            origin = "answered" if "answered" in lines else "asked"
            if origin in lines:
                lines["date"] = lines[origin]
        return super().placed(source)  # type: ignore[return-value]

    # -- reading --------------------------------------------------------------------------

    @property
    def belongs_to_year(self) -> int:
        # An inquiry stays in the year it was asked, even when answered in the next.
        return self.asked.year

    def heading(self, catalogue: Catalogue) -> str:
        if self.title:
            return self.title
        target = self.about_record
        if target is not None:
            return catalogue.text("records.inquiries.about_title", title=target.heading(catalogue))
        first = next((line.strip("#*- ") for line in self.question.splitlines() if line.strip()), "")
        return catalogue.text("records.inquiries.default_title", question=first[:24])

    def summary(self) -> str:
        first = next((line.strip("#*- ") for line in self.question.splitlines() if line.strip()), "")
        return first[:80] or self.title

    @property
    def about_record(self) -> Record | None:
        """The record asked about, once the check stage has found it."""
        return self._about_record

    def about_url(self, year: int) -> str | None:
        """The link to the record asked about, from the root of the village-year `year`'s site."""
        target = self._about_record
        if target is None:
            return None
        return target.url if target.year == year else f"../{target.year}/{target.url}"

    def days_taken(self) -> int | None:
        return None if self.answered is None else (self.answered - self.asked).days

    def days_waiting(self, today: date) -> int:
        return (today - self.asked).days

    def state(self, today: date, limit: int) -> str:
        days = self.days_taken()
        if days is not None:
            return "late" if days > limit else "on_time"
        return "overdue" if self.days_waiting(today) > limit else "open"

    def resolve(self, records: list[Record]) -> Record | None:
        """The record `about` names among the village's records: of the year it names; without
        one, of this inquiry's year, else the latest earlier year, else any."""
        about = self.about
        if about is None:
            return None
        found = [record for record in records if record.section == about.section and record.id == about.id]
        if about.year is not None:
            found = [record for record in found if record.year == about.year]
        if not found:
            return None
        same = [record for record in found if record.year == self.year]
        earlier = sorted((record for record in found if record.year < self.year), key=lambda record: record.year)
        return (same or earlier[-1:] or found)[0]

    # -- rules ----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        super().check(context)
        limit = context.rules(self).answer_days
        if self.about is not None:
            target = self.resolve(context.named(self.about.section, self.about.id))
            self._about_record = target
            if target is None:
                context.report(self, "about", "inquiry_unknown_record", reference=str(self.about),
                               section=self.about.section, id=self.about.id)
        if self.answer and self.answered is None:
            context.report(self, "answer", "inquiry_answer_without_date")
        if self.answered is not None and not self.answer:
            context.report(self, "answered", "inquiry_date_without_answer")
        if self.answered is not None:
            days = (self.answered - self.asked).days
            if days < 0:
                context.report(self, "answered", "inquiry_answered_before_asked",
                               answered=self.answered.isoformat(), asked=self.asked.isoformat())
            elif days > limit:
                context.report(self, "answered", "inquiry_answered_late", Severity.FINDING,
                               days=days, limit=limit, asked=self.asked.isoformat(),
                               answered=self.answered.isoformat())
            if self.date < self.answered and days >= 0:
                context.report(self, "date", "inquiry_posted_before_answer",
                               day=self.date.isoformat(), answered=self.answered.isoformat())
        else:
            waiting = self.days_waiting(context.today)
            if waiting > limit:
                context.report(self, "asked", "inquiry_unanswered", Severity.FINDING,
                               days=waiting, limit=limit, asked=self.asked.isoformat(),
                               as_of=context.today.isoformat())
        answered_early = self.answered is not None and self.answered < self.asked
        if self.date < self.asked and not answered_early:  # else the same mistake, reported once
            context.report(self, "date", "inquiry_posted_before_asked",
                           day=self.date.isoformat(), asked=self.asked.isoformat())

    # -- pages ----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> InquiriesView:
        limit = context.rules(cls).answer_days
        today = context.today
        rows = []
        for record in sorted(records, key=lambda record: (record.asked, record.id), reverse=True):
            taken = record.days_taken()
            rows.append(InquiryRow(record, record.state(today, limit),
                                   taken if taken is not None else record.days_waiting(today)))
        counts = [(state, sum(1 for row in rows if row.state == state)) for state in STATES]
        return InquiriesView(rows, limit, [(state, count) for state, count in counts if count])
