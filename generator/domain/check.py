"""Stage 3, check: the rules. Every rule runs; errors stop the build, findings are published."""

from __future__ import annotations

from itertools import groupby
from typing import Collection

from generator.domain import compliance
from generator.domain.privacy import find_personal_numbers
from generator.inputs.problems import Problem
from generator.domain.kinds import CheckContext, Record
from generator.domain.settings import VillageSettings


def check_village(records: list[Record], settings: VillageSettings, settled: Collection[int] = ()) -> list[Problem]:
    """Every rule over one village's records, all years; returns what they found. The records of
    `settled` years (closed years whose files are those published, modelled by this very tool
    and settings) are not scanned for personal numbers again: their text is the text scanned
    then. Every other rule sees them, as the pages show what the rules derive from them."""
    context = CheckContext(settings, records)
    for record in records:
        record.check(context)
        if record.year not in settled:
            _check_personal_numbers(record, context)
    by_kind = sorted(records, key=lambda record: record.section)
    for _, group in groupby(by_kind, key=lambda record: record.section):
        kind_records = list(group)
        type(kind_records[0]).check_all(kind_records, context)
    # Disclosure frequency (村民委员会组织法 art. 30): every lapse as of `as_of`, per category.
    context.problems.extend(compliance.findings(records, settings))
    return context.problems


def _check_personal_numbers(record: Record, context: CheckContext) -> None:
    """A full ID, mobile or bank card number in a record stops the build, naming the record.

    Lists attached to notices are masked as they are read, so whatever is still whole here was
    typed somewhere it would be published as is.
    """
    # The record's id is its file name and part of its web address.
    for found in find_personal_numbers(record.id):
        context.problems.append(Problem(record.source.location, "record_id_personal_number",
                                        {"name": record.id, "number_kind": str(found.kind)}))
    word = record.word
    for dotted, row, text in record.texts():
        if word is not None and dotted in ("body", "word"):
            continue  # located in the Word file, just below
        for found in find_personal_numbers(text):
            params = {"number_kind": str(found.kind), "record_id": record.id}
            if record.is_table_header(dotted):
                # A list's header: the table file, at the column it names.
                location = record.source.table_location or record.source.location
                context.problems.append(Problem(location.at(None, text), "personal_number", params))
            elif row is not None and record.table_field and dotted.startswith(record.table_field):
                column = record.table_column_of(dotted, text, row)
                context.report_row(record, row, "personal_number", column=column, **params)
            else:
                context.report(record, dotted, "personal_number", **params)
    if word is not None:  # Word has no lines: a paragraph's number, or a table's row
        for location, key, place, text in word.places():
            for found in find_personal_numbers(text):
                context.problems.append(Problem(location, key, {"number_kind": str(found.kind), **place}))
