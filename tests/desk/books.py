"""A village's ledgers as the clerk's own workbook for the year: a sheet a month (1月 …), each a
现金日记账 export with its title row, and above its header the day it went up on the board and
its posting period (公布日期：…  公示至：…); for the desk's tests over HTTP and in Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from tests.input.test_clerk_files import export_rows, xlsx_bytes


def year_workbook(finance: Path, removed: bool = True) -> dict[str, list[list[str]]]:
    """The sheets of `finance`'s ledgers as one workbook; the ledgers' files are removed (the clerk
    keeps the year in one workbook now) unless `removed` is False."""
    sheets = {}
    for path in sorted(finance.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        rows = export_rows(text, list(csv.DictReader(io.StringIO(path.with_suffix(".csv").read_text(encoding="utf-8")))))
        facts = f"公布日期：{data['date']:%Y年%-m月%-d日}  公示至：{data['posted_until']:%Y年%-m月%-d日}  公布单位：{data['issuer']}"
        sheets[f"{int(path.stem[5:])}月"] = [rows[0], [facts], *rows[1:]]
        if removed:
            path.unlink()
            path.with_suffix(".csv").unlink()
    return sheets


def workbook_bytes(sheets: dict[str, list[list[str]]]) -> bytes:
    return xlsx_bytes(sheets)
