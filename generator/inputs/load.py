"""Stage 1, load: find every record file under `content/` and read it, keeping line numbers.

    content/<village>/<year>/<section>/<record-id>.yml   (+ <record-id>.csv for its table)
    content/<village>/<year>/<section>/<record-id>.docx  its body, written in Word (inputs/word.py)
    content/<village>/<year>/<section>/<record-id>/      its photos and scans (inputs/attachments.py)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ClassVar, Collection, Mapping, Protocol

from generator.fs.files import record_hash
from generator.inputs.attachments import LEFT_BY_THE_SYSTEM, MEDIA_SUFFIXES, Attachment, read_attachments
from generator.inputs.files import DEFAULT_LIMITS, Limits, entry_problem
from generator.inputs.problems import Location, Problems, Severity, relative
from generator.inputs.readers import TABLE_READERS, Document, Table, read_yaml
from generator.inputs.word import WORD_OTHER_FORMATS, WORD_SUFFIX, WORD_WITH_MACROS, WordBody, read_word
from generator.inputs.workbooks import PERIOD_KEY, workbook_records

VILLAGE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
YEAR = re.compile(r"^(19|20)\d\d$")
RECORD_SUFFIXES = (".yml", ".yaml")
# Spreadsheet formats that cannot be read: the clerk is asked to save as .xlsx or .csv.
UNSUPPORTED_TABLES = (".xls", ".et", ".ods", ".numbers", ".xlsm", ".xlsb")


class Kind(Protocol):
    """What loading knows of a record kind (domain/kinds), whose section folder it reads: whether
    its records have a table beside them."""

    table_field: ClassVar[str | None]
    # Optionally `yearly_workbook: ClassVar[bool]`: whether `<year>.xlsx` (a sheet a period) may
    # hold the year's records (inputs/workbooks.py).


@dataclass
class RawRecord:
    """One record's files as read, before they are checked against its kind's model."""

    kind: Any  # the Kind whose folder it is in: its model, in domain/kinds
    village: str
    year: int
    id: str
    document: Document
    table: Table | None = None
    fingerprint: str = ""  # hash of the source files, to tell what changed between publications
    attachments: tuple[Attachment, ...] = ()  # the photos and scans of its folder
    word: WordBody | None = None  # the body, written in Word: <record-id>.docx beside the YAML


def _ignored(path: Path) -> bool:
    return _ignored_name(path.name)


def _ignored_name(name: str) -> bool:
    # Hidden files, and the lock files Excel and WPS leave beside an open spreadsheet.
    return name.startswith((".", "~$", "~"))


def _entries(folder: Path, root: Path, problems: Problems) -> list[Path]:
    """The folder's entries the tool reads: each hidden or lock file is named (a record file
    that is hidden is an error: it would silently not be published), and a link out of `root`,
    a link loop, a FIFO or a device is an error naming it."""
    entries = []
    for path in sorted(folder.iterdir()):
        if _ignored(path):
            hidden_record = path.name.startswith(".") and path.suffix.lower() in (*RECORD_SUFFIXES, *TABLE_READERS)
            problems.add(Location(relative(path)), "hidden_record_file" if hidden_record else "ignored_file",
                         Severity.ERROR if hidden_record else Severity.NOTE, name=path.name)
            continue
        unsafe = entry_problem(path, root)
        if unsafe is not None:  # named as the link itself, not where it leads
            problems.add(Location(relative(path.parent) + os.sep + path.name), unsafe[0], name=path.name, **unsafe[1])
            continue
        entries.append(path)
    return entries


def villages_in(content_dir: Path, problems: Problems) -> list[str]:
    if not content_dir.is_dir():
        problems.add(Location(relative(content_dir)), "content_missing")
        return []
    found = []
    for path in _entries(content_dir, content_dir, problems):
        if not path.is_dir():
            continue
        if VILLAGE_ID.match(path.name):
            found.append(path.name)
        else:
            problems.add(Location(relative(path)), "bad_village_folder", name=path.name)
    return found


def load(content_dir: Path, villages: list[str], problems: Problems, kinds: Mapping[str, Kind],
         skip: dict[str, set[int]] | None = None, limits: Limits = DEFAULT_LIMITS) -> dict[str, list[RawRecord]]:
    """Every record of the villages, in the section folders `kinds` names (section → kind), but
    those of the years `skip` names (village → years); no file is read beyond the `limits`."""
    skip = skip or {}
    reading = _Reading(content_dir, problems, limits)
    return {village: list(_load_village(content_dir / village, village, reading, kinds, skip.get(village, set())))
            for village in villages}


@dataclass(frozen=True)
class _Reading:
    root: Path  # content/: nothing outside it is read
    problems: Problems
    limits: Limits


def _load_village(folder: Path, village: str, reading: _Reading, kinds: Mapping[str, Kind], skip: set[int]):
    problems = reading.problems
    for year_dir in _entries(folder, reading.root, problems):
        if not (year_dir.is_dir() and YEAR.match(year_dir.name)):
            problems.add(Location(relative(year_dir)), "bad_year_folder", name=year_dir.name)
            continue
        if int(year_dir.name) in skip:
            continue
        for section_dir in _entries(year_dir, reading.root, problems):
            kind = kinds.get(section_dir.name) if section_dir.is_dir() else None
            if kind is None:
                problems.add(Location(relative(section_dir)), "bad_section_folder", name=section_dir.name,
                             allowed="、".join(kinds))
                continue
            yield from _load_section(section_dir, kind, village, int(year_dir.name), reading)


def _load_section(folder: Path, kind: Kind, village: str, year: int, reading: _Reading):
    problems = reading.problems
    files = _entries(folder, reading.root, problems)
    stems = {path.stem for path in files if path.suffix.lower() in RECORD_SUFFIXES}
    tables: dict[str, list[Path]] = {}  # each record's table files, looked up once per folder
    words: dict[str, Path] = {}  # each record's Word file
    for path in files:
        if path.suffix.lower() in TABLE_READERS:
            tables.setdefault(path.stem, []).append(path)
        elif path.suffix.lower() == WORD_SUFFIX:
            words[path.stem] = path
    where = relative(folder)  # once per folder: resolving a path is slow beside reading a small file
    book = tables.get(str(year), []) if getattr(kind, "yearly_workbook", False) else []
    if book:  # the year's workbook: its `<year>.yml` holds the sheets' facts, and is no record
        yield from _load_workbook(book, folder, kind, village, year, stems, where, reading)
        stems.discard(str(year))
        files = [path for path in files if path.stem != str(year)]
    folders = {path.name: path for path in files if path.is_dir()}  # a record's photos and scans
    for path in files:
        suffix = path.suffix.lower()
        location = Location(os.path.join(where, path.name))
        if path.name in folders:
            if path.name not in stems:
                problems.add(location, "attachment_folder_without_record", name=path.name, record=path.name + ".yml")
            continue
        if suffix in TABLE_READERS:
            if path.stem not in stems:
                problems.add(location, "table_without_record", record=path.stem + ".yml")
            elif kind.table_field is None:
                problems.add(location, "table_not_expected")
            continue
        if suffix in UNSUPPORTED_TABLES:
            problems.add(location, "table_format_unsupported", name=path.name)
            continue
        if suffix in (WORD_SUFFIX, *WORD_WITH_MACROS, *WORD_OTHER_FORMATS):
            if suffix in WORD_WITH_MACROS:
                problems.add(location, "word_macros")
            elif suffix in WORD_OTHER_FORMATS:
                problems.add(location, "word_format_unsupported", name=path.name)
            elif path.stem not in stems:
                problems.add(location, "word_without_record", record=path.stem + ".yml")
            continue
        if suffix not in RECORD_SUFFIXES or not path.is_file():
            problems.add(location, "unexpected_file", name=path.name)
            continue
        if not RECORD_ID.match(path.stem):
            problems.add(location, "bad_record_id", name=path.stem)
            continue
        document = read_yaml(path, location, problems, reading.root, reading.limits)
        if document is None:
            continue
        before = len(problems)
        table_files = tables.get(path.stem, [])
        if getattr(kind, "list_workbook", False) and [file.suffix.lower() for file in table_files] == [".xlsx"] \
                and any(PERIOD_KEY.match(key) for key in document.data):
            # A list kept a sheet a period (2026-dibao.xlsx, 第一季度 …), its facts by period in the YAML.
            if path.stem in words:  # one Word body for records of every period: it belongs in each one's YAML
                problems.add(Location(os.path.join(where, words[path.stem].name)), "word_with_sheets")
            for id, sheet_document, table in workbook_records(table_files[0], document, where, year, stems,
                                                              problems, reading.root, reading.limits, path.stem):
                yield RawRecord(kind, village, year, id, sheet_document, table,
                                _sheet_fingerprint(table_files[0], id, sheet_document, table))
            continue
        table = _read_table(path.stem, table_files, where, reading) if kind.table_field else None
        word_files = [words[path.stem]] if path.stem in words else []
        word = read_word(word_files[0], Location(os.path.join(where, word_files[0].name)), problems, reading.root,
                         reading.limits) if word_files else None
        folder = folders.get(path.stem)
        attachments = read_attachments(folder, location.path.rsplit(".", 1)[0], reading.root, problems) if folder else ()
        if len(problems) > before:
            continue  # an unreadable table would only add confusing follow-on errors
        yield RawRecord(kind, village, year, path.stem, document, table,
                        record_hash([path, *table_files, *word_files, *(folder / a.name for a in attachments)]), attachments, word)


def _load_workbook(book: list[Path], folder: Path, kind: Kind, village: str, year: int, stems: set[str], where: str,
                   reading: _Reading):
    if len(book) > 1 or book[0].suffix.lower() != ".xlsx":
        reading.problems.add(Location(os.path.join(where, book[0].name)), "table_twice", record=str(year),
                             files="、".join(path.name for path in book))
        return
    facts = folder / f"{year}.yml" if str(year) in stems else None
    taken = stems - {str(year)}
    for id, document, table in workbook_records(book[0], facts, where, year, taken, reading.problems,
                                                reading.root, reading.limits):
        yield RawRecord(kind, village, year, id, document, table, _sheet_fingerprint(book[0], id, document, table))


def _sheet_fingerprint(book: Path, id: str, document: Document, table: Table) -> str:
    """A sheet's own fingerprint (its cells and its facts), not the workbook's: a closed year's
    correction of one month does not make the other eleven "changed"."""
    content = json.dumps([book.name, id, table.columns, [row.cells for row in table.rows], document.data],
                         ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def record_files(folder: Path, sections: Collection[str],
                 hash_of: Callable[[list[str]], str] = record_hash) -> dict[int, dict[str, str]] | None:
    """A village's records as files, without reading them: year → section/id → fingerprint (as
    `load` makes it, `hash_of` the record's files), in the folders of `sections`. None when the folder holds anything else
    (`load` says what is wrong).
    (os.scandir and string paths, no Path objects: it runs on every build, over every file of
    every year the village has.)"""
    groups: dict[tuple[int, str, str], list[str]] = {}
    attached: dict[tuple[int, str, str], list[str]] = {}  # the photos and scans in a record's folder
    top = str(folder)
    pending = [(top, ())]
    while pending:
        root, parts = pending.pop()
        with os.scandir(root) as entries:
            for entry in entries:
                if _ignored_name(entry.name):
                    if entry.name.startswith(".") and os.path.splitext(entry.name)[1].lower() in (
                            *RECORD_SUFFIXES, *TABLE_READERS):
                        return None  # a hidden record file is an error `load` reports
                    continue
                # A link, a FIFO or a device: `load` says what is wrong (hashing a FIFO would wait forever).
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, (*parts, entry.name)))
                    continue
                if not entry.is_file(follow_symlinks=False):
                    return None
                if len(parts) == 3 and entry.name.lower() in LEFT_BY_THE_SYSTEM:
                    continue  # Windows' Thumbs.db beside a record's photos
                media = len(parts) == 3 and os.path.splitext(entry.name)[1].lower() in MEDIA_SUFFIXES
                if len(parts) != 2 + media or not YEAR.match(parts[0]) or parts[1] not in sections:
                    return None
                if media:
                    attached.setdefault((int(parts[0]), parts[1], parts[2]), []).append(entry.path)
                    continue
                stem = os.path.splitext(entry.name)[0]
                groups.setdefault((int(parts[0]), parts[1], stem), []).append(entry.path)
    if not attached.keys() <= groups.keys():
        return None  # a folder of photos without its record: `load` says so
    found: dict[int, dict[str, str]] = {}
    for (year, section, stem), paths in sorted(groups.items()):
        suffixes = sorted(os.path.splitext(path)[1].lower() for path in paths)
        records = [suffix for suffix in suffixes if suffix in RECORD_SUFFIXES]
        kind = sections.get(section) if isinstance(sections, Mapping) else None
        workbook = stem == str(year) and getattr(kind, "yearly_workbook", False) and suffixes in ([".xlsx"], [".xlsx", ".yml"])
        if not workbook and (len(records) != 1 or
                             any(suffix not in (*TABLE_READERS, WORD_SUFFIX) for suffix in suffixes if suffix not in records)):
            return None
        found.setdefault(year, {})[f"{section}/{stem}"] = hash_of(paths + attached.get((year, section, stem), []))
    return found


def _read_table(stem: str, paths: list[Path], where: str, reading: _Reading) -> Table | None:
    """The record's table: `<id>.csv` or `<id>.xlsx` beside it (either case of the suffix)."""
    problems = reading.problems
    if len(paths) > 1:
        problems.add(Location(os.path.join(where, paths[0].name)), "table_twice", record=stem,
                     files="、".join(path.name for path in paths))
        return None
    for path in paths:
        return TABLE_READERS[path.suffix.lower()](path, Location(os.path.join(where, path.name)), problems,
                                                  reading.root, reading.limits)
    return None
