"""Stage 2, model: check each raw record against its kind's typed model.

What comes out are typed records that know their source; what fails becomes located problems.
"""

from __future__ import annotations

from generator.inputs.load import RawRecord
from generator.inputs.problems import Problems
from generator.domain.kinds import Record, Source
from generator.domain.settings import VillageSettings
from generator.domain.tabular import free_list, table_rows
from generator.inputs.validation import TableSource, validate


def model(raw: RawRecord, settings: VillageSettings, problems: Problems) -> Record | None:
    kind = raw.kind
    data = dict(raw.document.data)
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
    ))


def model_village(raws: list[RawRecord], settings: VillageSettings, problems: Problems) -> list[Record]:
    records = (model(raw, settings, problems) for raw in raws)
    return [record for record in records if record is not None]
