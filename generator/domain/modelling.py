"""Stage 2, model: check each raw record against its kind's typed model.

What comes out are typed records that know their source; what fails becomes located problems.
"""

from __future__ import annotations

from typing import Any

from generator.inputs.load import RawRecord
from generator.inputs.problems import Problems
from generator.inputs.readers import Table
from generator.domain.kinds import Record, Source
from generator.domain.settings import VillageSettings
from generator.inputs.validation import TableSource, validate


def _row_fields(kind: type[Record], table: Table) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Table rows keyed by the model's field names; the headers may be the clerk's or the model's."""
    by_header = dict(kind.table_columns)
    by_header.update({field: field for field in kind.table_columns.values()})
    header_of = {by_header.get(column, column): column for column in table.columns}
    rows = [{by_header.get(column, column): value for column, value in row.cells.items()} for row in table.rows]
    return rows, header_of


def model(raw: RawRecord, settings: VillageSettings, problems: Problems) -> Record | None:
    kind = raw.kind
    data = dict(raw.document.data)
    table_source = None
    if raw.table is not None and kind.table_field:
        if kind.table_columns:
            rows, header_of = _row_fields(kind, raw.table)
            data[kind.table_field] = rows
        else:
            data[kind.table_field], header_of = raw.table, {}
        table_source = TableSource(kind.table_field, raw.table, header_of)
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
        table_location=raw.table.location if raw.table else None,
        table_lines=tuple(row.line for row in raw.table.rows) if raw.table else (),
        fingerprint=raw.fingerprint,
    ))


def model_village(raws: list[RawRecord], settings: VillageSettings, problems: Problems) -> list[Record]:
    records = (model(raw, settings, problems) for raw in raws)
    return [record for record in records if record is not None]
