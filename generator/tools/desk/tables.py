"""A record's table shown back as the clerk's spreadsheet: its rows numbered as Excel numbers them,
and every problem the checks found at its cell (or its row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.inputs.problems import Problem
from generator.tools.desk.files import table_rows

# The header is found among the first rows (a title row may stand above it).
_HEADER_ROWS = 6


@dataclass
class Cell:
    text: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Row:
    number: int  # as Excel numbers it (CSV: the line)
    cells: list[Cell]
    problems: list[Problem] = field(default_factory=list)  # of the row, not of one cell


@dataclass
class Table:
    rows: list[Row]
    problems: list[Problem]  # of the whole table (a missing column …)


def shown_table(path: Path, problems: list[Problem], sheet: str | None = None) -> Table:
    """The table (a workbook's first sheet, or the one named) with `problems` placed on it."""
    raw = table_rows(path, sheet=sheet)
    rows = [Row(number, [Cell(text) for text in values]) for number, values in enumerate(raw, start=1)]
    loose = []
    for problem in problems:
        if Path(problem.location.path).name != path.name:
            continue
        line, column = problem.location.line, problem.location.column
        row = rows[line - 1] if line is not None and 0 < line <= len(rows) else None
        index = _column(raw, column) if column else None
        if row is not None and index is not None and index < len(row.cells):
            row.cells[index].problems.append(problem)
        elif row is not None:
            row.problems.append(problem)
        else:
            loose.append(problem)
    return Table(rows, loose)


def _column(raw: list[list[str]], column: str) -> int | None:
    for values in raw[:_HEADER_ROWS]:
        for index, text in enumerate(values):
            if text.strip() == column:
                return index
    return None
