"""更正说明: a correction notice, saying what changed in a year's records and why.

A year that was closed can change only through one of these: it names every record added,
changed or removed, and the reason; the year is then published again as a new revision, and
the earlier revision stays online.

A notice lives in the folder of the year it corrects but carries the day it was really made,
usually in a later year: back-dating it into the corrected year would make it a false record.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from generator.domain.kinds.base import CheckContext, Record
from generator.domain.kinds.fields import Part, Text

_REFERENCE = re.compile(r"^[a-z0-9-]+/[a-z0-9][a-z0-9-]*$")


class CorrectedRecord(Part):
    record: Text  # section/id, e.g. finance/2025-03
    what: Text  # what was changed, in the clerk's words

    @field_validator("record")
    @classmethod
    def _reference(cls, value: str) -> str:
        if not _REFERENCE.match(value):
            raise PydanticCustomError("vp_bad_record_reference", "not section/id", {"value": value})
        return value


class Correction(Record):
    section = "corrections"
    order = 200
    listed_when_empty = False
    is_correction = True
    # It fixes an earlier disclosure, it is not one of the periodic ones the law asks for: dated in
    # a later year, it would otherwise stand as that year's latest 村务公开 on the compliance page.
    counts_as_disclosure = False

    # For `village-portal new`: a correction names records as section/id.
    examples: ClassVar[dict[str, Any]] = {"changes": [{"record": "finance/2025-03", "what": "第5笔支出金额更正"}]}

    reason: Text
    changes: list[CorrectedRecord]

    @property
    def corrected(self) -> set[str]:
        return {item.record for item in self.changes}

    @property
    def belongs_to_year(self) -> int:
        """The year it corrects, the folder it is in, whichever year it was made in."""
        return self.year

    def check(self, context: CheckContext) -> None:
        super().check(context)
        if self.date.year < self.year:  # made before the year it corrects began: it belongs to an earlier one
            context.report(self, "date", "wrong_year_folder", found=self.date.year, folder=self.year)
            return  # (so before every record of the year: saying that too would say it twice)
        if self.date > context.today:
            context.report(self, "date", "correction_in_future", date=self.date.isoformat(),
                           today=context.today.isoformat())
        for key in sorted(self.corrected):
            section, _, id = key.partition("/")
            for record in context.named(section, id):
                if record.year == self.year and record.date > self.date:
                    context.report(self, "date", "correction_before_record", date=self.date.isoformat(),
                                   record=key, record_date=record.date.isoformat())
