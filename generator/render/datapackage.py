"""Open data as Frictionless data packages (issue 22), so that a data user loads it as it is:
`frictionless validate`, `pandas`, R's `frictionless`, Excel through CSV.

    <village>/<year>/datapackage.json   every table of the year's pages, a resource with its
                                        Table Schema (names, Chinese titles, types, units,
                                        missing values)
    catalog.json (the township's)       a Frictionless catalog: every village-year's package

A column's type comes from its cells, read back from the page as typed values
(render/opendata.py): the same for every kind, so no kind declares types twice. A column whose
cells are not all of one type is text, written as the page shows it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterable

from generator.inputs.messages import Catalogue

# Cell texts that mean "nothing here": missing values in the data, never text in a typed column.
MISSING = frozenset({"", "—", "－"})
# Where a header ends in its unit, as the clerk writes it: 补贴金额(元), 面积(亩).
_UNIT = re.compile(r"[（(]([^()（）]{1,8})[)）]$")
_NAME = re.compile(r"[^a-z0-9._-]+")
CATALOG = "catalog.json"
_MONEY = "money"  # the unit of amounts in the money format: the catalogue's word (元)


class Money(Decimal):
    """An amount shown in the catalogue's money format (¥12,300.00)."""


class Percent(Decimal):
    """A share shown as 81.7%: the number 81.7 with the unit %."""


class YearMonth(str):
    """A month shown in the catalogue's month format (2025年1月): 2025-01."""


Value = str | int | Decimal | date | bool | None


def field_names(headers: list[str], catalogue: Catalogue) -> list[str]:
    """Each column's name: its header; a blank header named by its place, a repeated one
    numbered (a Table Schema's names are unique and never blank)."""
    names: list[str] = []
    for number, header in enumerate(headers, start=1):
        name = header or catalogue.text("data.column", number=number)
        candidate, count = name, 1
        while candidate in names:
            count += 1
            candidate = f"{name}（{count}）"
        names.append(candidate)
    return names


def typed_columns(names: list[str], headers: list[str], rows: list[list[tuple[str, Value]]],
                  catalogue: Catalogue, declared: list[str | None] | None = None
                  ) -> tuple[list[dict[str, object]], list[list[Value]]]:
    """The Table Schema fields of a table, and its rows with each cell of its field's type
    (a text column keeps every cell as shown). `declared`: a column's type where its template
    gives one (`data-type` on its header: date, number, integer, money; boolean, a `data-flag`
    column), for a column that may have no value at all (a month without income, an inquiry
    still waiting); it holds only if the cells agree."""
    declared = list(declared or [])
    width = len(names)
    rows = [row[:width] + [("", None)] * (width - len(row)) for row in rows]
    fields: list[dict[str, object]] = []
    columns = []
    for index, (name, header) in enumerate(zip(names, headers)):
        cells = [row[index] for row in rows]
        values = [value for _, value in cells if value is not None]
        kind, unit = _column_type(values)
        wanted = declared[index] if index < len(declared) else None
        if wanted and (not values or _agrees(wanted, kind, unit)):
            kind, unit = ("number", _MONEY) if wanted == "money" else (wanted, unit if wanted == kind else None)
        if unit == _MONEY:
            unit = catalogue.text("data.unit_money")
        field: dict[str, object] = {"name": name, "title": header or name, "type": kind}
        if kind in ("number", "integer"):
            unit = (match.group(1) if (match := _UNIT.search(header)) else None) or unit
            if unit:
                field["unit"] = unit
        fields.append(field)
        if kind == "string":
            columns.append([text or None for text, _ in cells])
        else:
            columns.append([value for _, value in cells])
    return fields, [list(row) for row in zip(*columns)] if columns else [[] for _ in rows]


def _agrees(wanted: str, kind: str, unit: str | None) -> bool:
    if wanted == "money":
        return kind == "number" and unit == _MONEY
    return wanted == kind or (wanted == "number" and kind == "integer")


def _column_type(values: list[Value]) -> tuple[str, str | None]:
    """A column's Table Schema type and unit, from its cells' values (missing ones left out)."""
    if not values:
        return "string", None
    kinds = {type(value) for value in values}
    if kinds == {bool}:
        return "boolean", None
    if kinds == {date}:
        return "date", None
    if kinds == {YearMonth}:
        return "yearmonth", None
    if bool in kinds or str in kinds or date in kinds or YearMonth in kinds:
        return "string", None
    if kinds == {Percent}:
        return "number", "%"
    if Percent in kinds:
        return "string", None
    if kinds == {int}:
        return "integer", None
    return "number", (_MONEY if kinds == {Money} else None)


def resource_name(path: str) -> str:
    """A resource's name from its file's path in the year (finance/2025-01/table-1.csv →
    finance-2025-01-table-1): lower case letters, digits and -._ as the standard wants."""
    name = _NAME.sub("-", path.removesuffix(".csv").lower().replace("/", "-")).strip("-")
    return name or "table"


def package_name(*parts: object) -> str:
    return _NAME.sub("-", "-".join(str(part) for part in parts).lower()).strip("-") or "village"


def package(village: str, name: str, year: int, title: str, datasets: Iterable[object]) -> dict[str, object]:
    """The village-year's `datapackage.json`: every dataset a CSV resource with its schema; the
    JSON file, the page and what it is about as the resource's own properties."""
    resources = []
    for dataset in datasets:
        resources.append({
            "name": resource_name(dataset.csv), "path": dataset.csv, "title": dataset.title,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8-sig",  # the BOM that tells Excel the file is UTF-8
            "schema": {"fields": dataset.fields, "missingValues": [""]},
            "kind": dataset.kind, "period": dataset.period, "page": dataset.page or "./", "json": dataset.json,
        })
    return {"profile": "tabular-data-package", "name": package_name(village, year), "title": title,
            "village": village, "village_name": name, "year": year, "resources": resources}


def catalog(township: str, villages: Iterable[tuple[str, str, Iterable[int]]]) -> dict[str, object]:
    """The township's `catalog.json`: a Frictionless catalog of every village-year's package
    (`villages`: id, name, published years)."""
    datasets = [{"name": package_name(village, year), "title": f"{name} {year}",
                 "package": f"{village}/{year}/datapackage.json"}
                for village, name, years in villages for year in sorted(years)]
    return {"name": package_name("township"), "title": township, "datasets": datasets}
