"""更正说明: a correction notice, saying what changed in a year's records and why.

A year that was closed can change only through one of these: it names every record added,
changed or removed, and the reason; the year is then published again as a new revision, and
the earlier revision stays online.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from generator.domain.kinds.base import Record
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

    # For `village-portal new`: a correction names records as section/id.
    examples: ClassVar[dict[str, Any]] = {"changes": [{"record": "finance/2025-03", "what": "第5笔支出金额更正"}]}

    reason: Text
    changes: list[CorrectedRecord]

    @property
    def corrected(self) -> set[str]:
        return {item.record for item in self.changes}
