"""Problems found in the input: values with a location, collected and reported together.

An *error* means the records contradict themselves or cannot be read: nothing is published.
A *finding* means a procedure was not followed: the build goes on and the portal shows it.
A *note* tells the clerk something the tool did not read (a hidden file): only `check` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterable, Iterator

from generator.inputs.messages import Catalogue


class Severity(StrEnum):
    ERROR = "error"
    FINDING = "finding"
    NOTE = "note"


@dataclass(frozen=True)
class Sheet:
    """The worksheet of an `.xlsx` file a table was read from, and the letter of each column,
    so that a problem names the cell a clerk clicks on (第7行 C列（支出）)."""

    name: str | None = None  # named only when the workbook has more than one sheet
    letters: tuple[tuple[str, str], ...] = ()  # (the clerk's header, its column letter)

    def letter(self, column: str | None) -> str | None:
        return next((letter for header, letter in self.letters if header == column), None)


@dataclass(frozen=True, order=True)
class Location:
    """Where in the clerk's files something is: a file, and the line (or row) in it."""

    path: str
    line: int | None = None
    column: str | None = None  # a table's column header
    sheet: Sheet | None = field(default=None, compare=False)  # for spreadsheets: the sheet and its columns

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
        return text

    def at(self, line: int | None, column: str | None = None) -> Location:
        return Location(self.path, line if line is not None else self.line, column or self.column, self.sheet)

    @property
    def cell(self) -> str | None:
        """The spreadsheet cell, e.g. "C7", where the row and the column's letter are known."""
        letter = self.sheet.letter(self.column) if self.sheet else None
        return f"{letter}{self.line}" if letter and self.line is not None else None

    def prefix(self, catalogue: Catalogue) -> str:
        """For a spreadsheet, the row and cell in words: 第7行 C列（支出）："""
        if self.sheet is None:
            return ""
        if self.line is None:  # the sheet as a whole (a fact missing from it)
            return catalogue.text("problem.in_whole_sheet", sheet=self.sheet.name) if self.sheet.name else ""
        letter = self.sheet.letter(self.column)
        if letter:
            text = catalogue.text("problem.in_cell", row=self.line, letter=letter, column=self.column)
        else:
            text = catalogue.text("problem.in_row", row=self.line)
        if self.sheet.name:
            text = catalogue.text("problem.in_sheet", sheet=self.sheet.name) + text
        return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong, named by a message key so any catalogue can word it."""

    location: Location
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR

    def message(self, catalogue: Catalogue) -> str:
        text = catalogue.text(f"problem.{self.key}", **_worded(self.params, catalogue))
        if self.location.cell:
            return self.location.prefix(catalogue) + text
        if self.location.column and f"“{self.location.column}”" not in text:
            text = catalogue.text("problem.in_column", column=self.location.column) + text
        return self.location.prefix(catalogue) + text

    def basis(self, catalogue: Catalogue) -> str:
        """The rule a finding rests on (依据), as the pages show it under the finding; "" if none."""
        key = f"basis.{self.key}"
        return catalogue.text(key, **_worded(self.params, catalogue)) if key in catalogue else ""

    def fix(self, catalogue: Catalogue) -> str:
        """What the clerk does about a finding: only `check` says it, never the public pages."""
        key = f"fix.{self.key}"
        return catalogue.text(key, **_worded(self.params, catalogue)) if key in catalogue else ""

    def render(self, catalogue: Catalogue) -> str:
        label = catalogue.text(f"severity.{self.severity}")
        text = f"{self.location}: {label}{self.message(catalogue)}"
        if self.severity is Severity.FINDING:
            for part, name in ((self.basis(catalogue), "basis_label"), (self.fix(catalogue), "fix_label")):
                if part:
                    text += f"\n    {catalogue.text(f'findings.{name}')}{part}"
        return text

    def as_json(self, catalogue: Catalogue) -> dict[str, Any]:
        return {
            "file": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": str(self.severity),
            "code": self.key,
            "message": self.message(catalogue),
        } | ({"basis": self.basis(catalogue), "fix": self.fix(catalogue)} if self.severity is Severity.FINDING else {}) | (
            {"cell": self.location.cell} if self.location.cell else {}) | (
            {"sheet": self.location.sheet.name} if self.location.sheet and self.location.sheet.name else {})


# Parameters whose values are names in code, worded through a section of the catalogue.
_WORDED = {"field": "fields", "number_kind": "number_kinds", "reason": "reasons"}


def _worded(params: dict[str, Any], catalogue: Catalogue) -> dict[str, Any]:
    worded = dict(params)
    for name, section in _WORDED.items():
        key = f"{section}.{params.get(name)}"
        if key in catalogue:
            worded[name] = catalogue.text(key)
    return worded


class Problems:
    """An ordered collection of problems; stages add to it and never stop at the first."""

    def __init__(self, items: Iterable[Problem] = ()) -> None:
        self._items: list[Problem] = list(items)

    def add(self, location: Location, key: str, severity: Severity = Severity.ERROR, **params: Any) -> None:
        self._items.append(Problem(location, key, params, severity))

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Problem]:
        return sorted(self._items, key=lambda p: (p.location.path, p.location.line or 0, p.key))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.ERROR]

    @property
    def findings(self) -> list[Problem]:
        return [p for p in self.sorted() if p.severity is Severity.FINDING]


class InputError(Exception):
    """Raised by a stage when the input cannot go further; carries every problem found."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems.errors)} error(s) in the input")
        self.problems = problems

    def __reduce__(self) -> tuple[type, tuple[Problems]]:  # raised in a build worker (--jobs)
        return (InputError, (self.problems,))


def relative(path: Path, root: Path | None = None) -> str:
    """The path as a clerk would type it: relative to the working folder when possible."""
    base = root or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)
