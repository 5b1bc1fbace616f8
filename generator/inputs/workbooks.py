"""A year's workbook: `finance/<year>.xlsx` with one sheet a month (1月, 01, 2026-01 …) or a
quarter (第一季度, Q1, 2026-Q1), as clerks keep a year's ledgers, read as that year's records.

What a sheet cannot hold (the day each month went up on the board, its posting period, who
issued it) comes from one small YAML beside it, `<year>.yml`: keys for every sheet at the top,
and each period's own under its code:

    issuer: 河口村村民委员会
    2026-01:
      date: 2026-02-08
      posted_until: 2026-02-23

or from a row above the sheet's header, `公布日期：2026年2月8日  公示至：2026年2月23日`
(inputs/sheet_facts.py); where both give a fact they must agree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from generator.inputs.files import Limits
from generator.inputs.problems import Location, Problems
from generator.inputs.readers import Document, Table, read_yaml
from generator.inputs.sheet_facts import facts_of, same_fact, title_of
from generator.inputs.spreadsheets import read_xlsx_sheets

_CHINESE = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
            "十一": 11, "十二": 12}
_MONTH = re.compile(r"^(?:(\d{4})\s*[-年./]\s*)?(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*(?:月份?)?$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*[-年]?\s*)?(?:第?([1-4一二三四])季度?|[Qq]([1-4]))$")
PERIOD_KEY = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])$")


def sheet_period(title: str, year: int) -> str | None:
    """The period a sheet's name says (2026-01, 2026-Q1); None when it says none of that year."""
    text = title.strip()
    match = _MONTH.match(text)
    if match and (match[1] is None or int(match[1]) == year):
        month = _CHINESE.get(match[2]) or (int(match[2]) if match[2].isdigit() else 0)
        if 1 <= month <= 12:
            return f"{year}-{month:02d}"
    match = _QUARTER.match(text)
    if match and (match[1] is None or int(match[1]) == year):
        quarter = match[2] or match[3]
        return f"{year}-Q{_CHINESE.get(quarter) or int(quarter)}"
    return None


def workbook_records(workbook: Path, facts: Path | Document | None, where: str, year: int, taken: set[str],
                     problems: Problems, root: Path, limits: Limits,
                     prefix: str | None = None) -> Iterator[tuple[str, Document, Table]]:
    """(record id, its document, its table) for each sheet of the year's workbook; `taken` are
    the ids of the folder's own record files, which a sheet may not repeat. Without `prefix`
    (a year's ledgers) a record's id is its period, also its `period`; with one (a list kept a
    sheet a quarter, `2026-dibao.xlsx`) it is `<prefix>-q1`, `<prefix>-01`."""
    location = Location(f"{where}/{workbook.name}")
    before = len(problems)
    document = facts if isinstance(facts, Document) or facts is None else \
        read_yaml(facts, Location(f"{where}/{facts.name}"), problems, root, limits)
    sheets = read_xlsx_sheets(workbook, location, problems, root, limits)
    if len(problems) > before:
        return
    common = {key: value for key, value in (document.data if document else {}).items() if not PERIOD_KEY.match(key)}
    seen: dict[str, str] = {}
    for title, table in sheets:
        period = sheet_period(title, year)
        if period is None:
            problems.add(location, "workbook_sheet_name", sheet=title, year=year)
            continue
        if period in seen:
            problems.add(location, "workbook_sheet_twice", sheet=title, other=seen[period], period=period)
            continue
        seen[period] = title
        id = f"{prefix}-{period.partition('-')[2].lower()}" if prefix else period
        if id in taken:
            problems.add(location, "workbook_and_files", period=period, workbook=workbook.name, record=f"{id}.yml")
            continue
        if table is None:
            continue
        found = _document(document, common, period, table.location)
        _add_sheet_facts(found, table, problems)
        if prefix:  # a list's record has no accounting period: the sheet only says which one it is
            found.data.pop("period")
            title = title_of(table.above)  # a list's sheet is titled as it is posted; a ledger's heading is the kind's
            if title is not None and "title" not in found.data:
                found.data["title"] = title[0]
        yield id, found, table


def _document(document: Document | None, common: dict, period: str, location: Location) -> Document:
    """The sheet's record as if it were a YAML file of its own: the common keys, the period's
    own over them, and its period; each key located on its line of `<year>.yml` (without one, on
    the sheet: a missing fact names the sheet it is missing from)."""
    if document is None:
        return Document(location, {"period": period}, {})
    own = document.data.get(period)
    data = {**common, **(own if isinstance(own, dict) else {}), "period": period}
    lines = {key: line for key, line in document.lines.items() if not PERIOD_KEY.match(key.split(".")[0])}
    prefix = period + "."
    lines.update({key[len(prefix):]: line for key, line in document.lines.items() if key.startswith(prefix)})
    return Document(document.location, data, lines)


def _add_sheet_facts(document: Document, table: Table, problems: Problems) -> None:
    """The facts written above the sheet's header, located on their row, where the YAML has none;
    where it has one, the two must agree."""
    facts, twice = facts_of(table.above)
    for line, label in twice:
        problems.add(table.location.at(line), "sheet_fact_twice", label=label)
    for field, (text, line) in facts.items():
        if field not in document.data:
            document.data[field] = text
            if document.location.path == table.location.path:  # no YAML: the record's facts are the sheet's
                document.lines[field] = line
        elif not same_fact(document.data[field], text):
            problems.add(table.location.at(line), "sheet_fact_differs", field=field, stated=text,
                         written=document.data[field], file=Path(document.location.path).name)
