"""Stage 2, model: check each raw record against its kind's typed model.

What comes out are typed records that know their source; what fails becomes located problems.
"""

from __future__ import annotations

import os

from generator.inputs.load import RawRecord
from generator.inputs.problems import Problems
from generator.domain.kinds import Record, Source
from generator.domain.settings import VillageSettings
from generator.domain.tabular import free_list, table_rows
from generator.inputs.validation import TableSource, validate


def model(raw: RawRecord, settings: VillageSettings, problems: Problems) -> Record | None:
    kind = raw.kind
    data = dict(raw.document.data)
    if raw.word is not None and not _word_body(raw, data, problems):
        return None
    table_source = None
    table = raw.table
    if table is not None and kind.table_field:
        if kind.table_columns:
            read = table_rows(kind, table, data, settings.rules.of(kind.section), problems)
            if read is None:
                return None
            data[kind.table_field], table, header_of = read.rows, read.table, read.header_of
        else:
            table = free_list(table, problems)
            if table is None:
                return None
            data[kind.table_field], header_of = table, {}
        table_source = TableSource(kind.table_field, table, header_of)
    record = validate(kind, raw.document, problems, data=data, table=table_source,
                      context={"masking": settings.masking, "rules": settings.rules})
    if record is None:
        return None
    return record.placed(Source(
        document=raw.document,
        village=raw.village,
        year=raw.year,
        section=kind.section,
        id=raw.id,
        table_location=table.location if table else None,
        table_lines=tuple(row.line for row in table.rows) if table else (),
        fingerprint=raw.fingerprint,
        attachments=raw.attachments,
        word=raw.word,
    ))


def _word_body(raw: RawRecord, data: dict, problems: Problems) -> bool:
    """The body written in Word (`<id>.docx`) put where a typed body goes: only a kind whose
    records have one takes it, and only when the YAML does not type one too."""
    word = raw.word
    if "body" not in raw.kind.model_fields:
        problems.add(word.location, "word_no_body")
        return False
    if str(data.get("body") or "").strip():
        problems.add(raw.document.location.at(raw.document.line_of("body")), "word_and_body",
                     name=os.path.basename(word.location.path))
        return False
    data["body"] = word.body(str(data.get("title") or ""))
    return True


def model_village(raws: list[RawRecord], settings: VillageSettings, problems: Problems) -> list[Record]:
    records = (model(raw, settings, problems) for raw in raws)
    return [record for record in records if record is not None]
