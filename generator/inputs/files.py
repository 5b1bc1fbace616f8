"""Opening the clerk's files as if they were hostile: only regular files inside the folder they
belong to (content/ or site_config/), never a link out of it, a FIFO or a device, and never more
bytes than a limit per kind of file. Whatever is wrong is a located problem, never a hang."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from generator.inputs.problems import Location, Problems

# Encodings a clerk's file may come in: Excel on Chinese Windows saves GB18030/GBK.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Limits:
    """How much the tool reads (settings.Limits has the same names and these defaults). A village's
    year of records is a few megabytes; these leave room a hundred times over."""

    record_bytes: int = 2 * 1024 * 1024  # a .yml file
    table_bytes: int = 20 * 1024 * 1024  # a .csv, .xlsx or .docx file, as stored
    xlsx_unpacked_bytes: int = 100 * 1024 * 1024  # an .xlsx or .docx file's parts, unpacked
    table_rows: int = 100_000
    table_columns: int = 200
    text_chars: int = 200_000  # one text: a notice's body, a cell


DEFAULT_LIMITS = Limits()


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def entry_problem(path: Path, root: Path | None) -> tuple[str, dict[str, str]] | None:
    """What makes a folder entry unsafe to follow, as (message key, parameters): a link that
    loops or leads out of `root`, or anything that is neither a regular file nor a folder."""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as error:
        if path.is_symlink():
            return ("file_link_loop", {}) if error.errno == 40 else ("file_link_broken", {})
        return ("file_unreadable", {})
    except RuntimeError:  # a loop, as older Pythons say it
        return ("file_link_loop", {})
    if root is not None and not _inside(real, os.path.realpath(root)):
        return "file_link_outside", {"target": real}
    mode = os.stat(real).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "file_not_regular", {}
    return None


def read_bytes(path: Path, location: Location, problems: Problems, limit: int, root: Path | None = None) -> bytes | None:
    """The file's bytes, or None with a problem: opened without following a link out of `root`,
    without blocking (a FIFO), and only if it is a regular file of at most `limit` bytes."""
    found = entry_problem(path, root)
    if found is not None:
        problems.add(location, found[0], **found[1])
        return None
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; it is refused just below.
        descriptor = os.open(os.path.realpath(path), os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        problems.add(location, "file_unreadable")
        return None
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            problems.add(location, "file_not_regular")
            return None
        if info.st_size > limit:
            problems.add(location, "file_too_large", size=_size(info.st_size), limit=_size(limit))
            return None
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        problems.add(location, "file_too_large", size=_size(len(data)), limit=_size(limit))
        return None
    return data


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def read_text(path: Path, location: Location, problems: Problems, limit: int, root: Path | None = None) -> str | None:
    """A clerk's text file (`read_bytes`), decoded (`decode`); None, with the problem said, if not."""
    raw = read_bytes(path, location, problems, limit, root)
    return decode(raw, location, problems) if raw is not None else None


def decode(raw: bytes, location: Location, problems: Problems) -> str | None:
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.add(location, "encoding")
    return None


# Characters no clerk means to publish: control characters but tab and line breaks, surrogates
# (from a YAML escape), and Unicode's non-characters (U+FFFE, U+FDD0 …), which make a feed
# ill-formed XML.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                  + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
                  + "]")


def bad_character(text: str) -> tuple[int, str] | None:
    """The first character of `text` that may not be in a record, and where it is."""
    match = _BAD.search(text)
    return (match.start(), f"U+{ord(match.group()):04X}") if match else None
