"""The clerk's files as the desk reads and writes them: every path made from checked names under
the content folder, the YAML written round-trip (the comments `new` writes, and the clerk's own,
stay), and nothing written over a file that changed since the form was opened."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.domain.kinds import KINDS
from generator.inputs.attachments import IMAGE_SUFFIXES
from generator.inputs.load import RECORD_ID, VILLAGE_ID, YEAR
from generator.inputs.word import WORD_SUFFIX

TABLE_SUFFIXES = (".xlsx", ".csv")
# A village's list is a few hundred rows: far below this; anything bigger is not a clerk's table.
MAX_UPLOAD = 5 * 1024 * 1024
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Refused(Exception):
    """A request the desk will not carry out; `key` words it (desk.refused.*)."""

    def __init__(self, key: str, status: int = 400) -> None:
        super().__init__(key)
        self.key, self.status = key, status


@dataclass(frozen=True)
class Place:
    """A record's files: content/<village>/<year>/<section>/<id>.yml and its table beside it."""

    content: Path
    village: str
    year: int
    section: str
    record_id: str

    @classmethod
    def of(cls, content: Path, village: str, year: str | int, section: str, record_id: str) -> Place:
        """Only names the loader itself accepts: no `..`, no slash, nothing outside content/."""
        if not (VILLAGE_ID.match(village) and YEAR.match(str(year)) and section in KINDS
                and RECORD_ID.match(record_id)):
            raise Refused("bad_path", 404)
        place = cls(content.resolve(), village, int(year), section, record_id)
        if not place.folder.resolve().is_relative_to(place.content):  # a symlink out of content/
            raise Refused("bad_path", 404)
        return place

    @property
    def folder(self) -> Path:
        return self.content / self.village / str(self.year) / self.section

    @property
    def yml(self) -> Path:
        yaml_file = self.folder / f"{self.record_id}.yaml"
        return yaml_file if yaml_file.exists() else self.folder / f"{self.record_id}.yml"

    def table(self) -> Path | None:
        return next((path for path in (self.folder / f"{self.record_id}{suffix}" for suffix in TABLE_SUFFIXES)
                     if path.exists()), None)

    def photos(self) -> list[Path]:
        """The photos in the record's folder (inputs/attachments.py), but any link out of content/."""
        folder = self.folder / self.record_id
        if not folder.is_dir() or not folder.resolve().is_relative_to(self.content):
            return []
        return [path for path in sorted(folder.iterdir()) if path.suffix.lower() in IMAGE_SUFFIXES
                and path.is_file() and path.resolve().is_relative_to(self.content)]

    @property
    def word(self) -> Path:
        """The record's body written in Word, whether or not there is one yet."""
        return self.folder / f"{self.record_id}{WORD_SUFFIX}"


@dataclass(frozen=True)
class Book:
    """A workbook whose sheets are records: the year's ledgers, content/<village>/<year>/finance/<year>.xlsx
    (a sheet a month), or a list kept a sheet a period, <section>/<id>.xlsx beside its <id>.yml."""

    content: Path
    village: str
    year: int
    section: str
    stem: str

    @classmethod
    def of(cls, content: Path, village: str, year: str | int, section: str, stem: str) -> Book:
        """Only the workbooks the loader reads as records; the names are checked as a record's are."""
        place = Place.of(content, village, year, section, stem)
        kind = KINDS[section]
        yearly = getattr(kind, "yearly_workbook", False) and stem == str(place.year)
        listed = getattr(kind, "list_workbook", False) and stem != str(place.year) and place.yml.exists()
        if not (yearly or listed):
            raise Refused("bad_path", 404)
        return cls(place.content, village, place.year, section, stem)

    @property
    def folder(self) -> Path:
        return self.content / self.village / str(self.year) / self.section

    @property
    def path(self) -> Path:
        return self.folder / f"{self.stem}.xlsx"

    @property
    def facts(self) -> Path:
        """The YAML beside it: the facts a sheet cannot hold (for a list, the record itself)."""
        return self.folder / f"{self.stem}.yml"


def list_text(category: str, issuer: str, periods: list[str], comment: str) -> str:
    """The YAML beside a list kept a sheet a period: what the periods share, and a key for each
    period (its title and dates come from its sheet, or are written under it later)."""
    data = CommentedMap()
    data["category"] = category
    data["issuer"] = issuer
    for period in periods:
        data[period] = CommentedMap()
    data.yaml_set_start_comment(comment)
    return dump(data)


def fingerprint(path: Path | None) -> str:
    """What the form was opened on: "" for no file."""
    if path is None or not path.exists():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, order and quoting kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # a long title stays on one line, as the clerk wrote it
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> Any:
    return _yaml().load(text)


def dump(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def key_lines(data: Any, prefix: str = "") -> dict[int, str]:
    """1-based line → the key written there, dotted below the top (steps.proposed.date): a
    problem's line names its field."""
    if not hasattr(data, "lc") or not isinstance(data, dict):
        return {}
    lines = {}
    for key in data:
        lines[data.lc.key(key)[0] + 1] = f"{prefix}{key}"
        lines.update(key_lines(data[key], f"{prefix}{key}."))
    return lines


def scalar(kind: str, text: str) -> Any:
    """A form's value as the YAML holds it: a day as a date (written 2026-07-10, unquoted), a
    number as written; anything else as text, which the kind's own parsing reads (2026年7月10日)."""
    text = text.strip()
    if not text:
        return None
    if kind == "date" and _ISO_DAY.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if kind in ("money", "number", "integer"):
        value = load(f"v: {text}")["v"] if re.fullmatch(r"-?\d+(\.\d+)?", text) else text
        return value
    if kind == "yes_no":
        return {"是": True, "否": False}.get(text, text)
    if kind == "long_text":
        return LiteralScalarString(text.replace("\r\n", "\n").rstrip("\n") + "\n")
    if kind in ("nested", "list", "nested_list", "other"):
        return load(text)  # written as YAML in the form
    return text


def shown(value: Any) -> str:
    """A YAML value as its form field shows it."""
    if value is None:
        return ""
    if value is True or value is False:
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return dump(value).rstrip("\n")
    return str(value).rstrip("\n") if isinstance(value, str) else str(value)


def write_atomically(path: Path, data: bytes) -> None:
    """Whole or not at all: a build reading the folder meanwhile sees the old file or the new.
    The working file is hidden (a dot name), so the loader passes it by."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, working = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(working, path)
    except BaseException:
        Path(working).unlink(missing_ok=True)
        raise


def checked_upload(filename: str, data: bytes) -> str:
    """The suffix of an uploaded table, once it is what its name says; else Refused."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise Refused("upload_type", 415)
    if len(data) > MAX_UPLOAD:
        raise Refused("upload_size", 413)
    if suffix == ".xlsx" and not data.startswith(b"PK\x03\x04"):  # an .xlsx is a zip
        raise Refused("upload_type", 415)
    if suffix == ".csv":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                data.decode("gb18030")  # Excel on a Chinese Windows saves CSV so
            except UnicodeDecodeError:
                raise Refused("upload_type", 415) from None
    return suffix


def checked_word_upload(filename: str, data: bytes) -> None:
    """An uploaded body written in Word, once it is what its name says (a .docx is a zip); else
    Refused. What is inside is read as any Word file is, by the check that follows the save."""
    if Path(filename or "").suffix.lower() != WORD_SUFFIX or not data.startswith(b"PK\x03\x04"):
        raise Refused("word_type", 415)
    if len(data) > MAX_UPLOAD:
        raise Refused("upload_size", 413)


def table_rows(path: Path, limit: int = 500, sheet: str | None = None) -> list[list[str]]:
    """The table as the clerk sees it in Excel (its first sheet, or the one named): every row,
    numbered from 1 by the caller."""
    if path.suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")
        return [row for row in csv.reader(io.StringIO(text))][:limit]
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        shown = book[sheet] if sheet is not None else book.worksheets[0]
        return [["" if cell is None else str(cell) for cell in row]
                for row in shown.iter_rows(max_row=limit, values_only=True)]
    finally:
        book.close()


def sheet_names(source: Path | bytes) -> list[str]:
    """A workbook's visible sheets (a file, or an upload's bytes), in the order of their tabs."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source, read_only=True)
    except Exception:  # noqa: BLE001 - a damaged upload: the checks say what is wrong with it
        return []
    try:
        return [str(sheet.title) for sheet in book.worksheets if getattr(sheet, "sheet_state", "visible") == "visible"]
    finally:
        book.close()
