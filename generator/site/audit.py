"""The last look before anything is published: no full personal number in any output file.

The check stage refuses a full ID, mobile or bank card number in the records, and lists mask
them as they are read; this scan is the proof that none slipped through by another way (a
setting, a template, a search index). It reads every file a villager's browser could fetch
that carries text from the records: pages, feeds, sitemaps, CSV and JSON files, and the text
Pagefind indexed (its fragments, gzip-compressed JSON behind a `pagefind_dcd` signature).
Theme code (JavaScript, CSS), images and fonts carry no record text and are left out.

A number found stops the build with an error naming the file as it would be published and,
where its digits are in a record's text, that record. Numbers are read as the check stage reads
them (privacy.digit_view): invisible characters, separators and %-encoding alike.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from generator.domain.privacy import DEFAULT_MASKING, Found, NumberKind, digit_view, find_personal_numbers, mask_numbers
from generator.inputs.problems import Location, Problems

# Files whose text a reader or a machine gets: scanned as text.
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".atom", ".rss", ".json", ".jsonl", ".csv", ".txt", ".md",
                 ".svg", ".webmanifest", ".ics", ".vcf", ".yml", ".yaml"}
# Pagefind's index: every file is gzip; fragments hold each page's indexed text and metadata.
PAGEFIND_SIGNATURE = b"pagefind_dcd"
PAGEFIND_TEXT = {".pf_fragment", ".pf_meta", ".pf_filter"}
# An icon's geometry (inline SVG of the theme: "M12 2C6.48 2 2 6.48 …") is no text a villager reads.
_GEOMETRY = re.compile(r'\s(?:d|viewBox|points|transform|x[12]?|y[12]?|cx|cy|r|rx|ry|width|height)="[^"]*"')
# Character references that can make or hide a digit in a browser: &#49; &#x31; &shy; …
_REFERENCES = re.compile(r"&(?:#|[A-Za-z]+;)")
# A SHA-256 digest (manifests, the log, closing notices: 64 hex digits with at least one letter)
# is not a personal number, though a run of its digits can pass a card number's checksum.
_DIGEST = re.compile(r"(?<![0-9A-Za-z])(?=[0-9]*[a-f])[0-9a-f]{64}(?![0-9A-Za-z])")
# Its short form for paper (snapshot.short: `d167 3849 1216 1403`, with a letter in its 16 digits),
# whose digit groups can read as a mobile number (167 3849 1216).
_SHORT_DIGEST = re.compile(r"(?<![0-9A-Za-z])(?=[0-9 ]{0,18}[a-f])[0-9a-f]{4}(?: [0-9a-f]{4}){3}(?![0-9A-Za-z])")
# What either digest starts with: without it, there is none to take out.
_HEX = re.compile(r"[0-9a-f]{4}(?:[0-9a-f]{12}| [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4})")
# An output file bigger than this is not a page: it is read in part only.
_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Leak:
    """A full personal number in an output file, named as it would be published."""

    file: str
    kind: NumberKind
    masked: str  # the number masked, so that the report itself shows no full number
    digits: str = ""  # the number as read, to find the record it came from (never shown)


def texts_of(path: Path) -> Iterator[str]:
    """The text of an output file a scan must look at (nothing, for theme code and images)."""
    suffix = path.suffix.lower()
    if suffix == ".gz":  # sitemap.xml.gz and the like
        inner = Path(path.stem)
        if inner.suffix.lower() in TEXT_SUFFIXES:
            data = _gunzip(path.read_bytes())
            if data is not None:
                yield from _decoded(data, html_like=inner.suffix.lower() in {".html", ".htm", ".xml", ".svg"})
        return
    if suffix in PAGEFIND_TEXT:
        yield from _pagefind_texts(path.read_bytes())
        return
    if suffix in TEXT_SUFFIXES:
        yield from _decoded(_read(path), html_like=suffix in {".html", ".htm", ".xml", ".atom", ".rss", ".svg"})


def _read(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_MAX_BYTES)


def _gunzip(data: bytes) -> bytes | None:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return None


def _visible(text: str) -> str:
    return _GEOMETRY.sub("", text) if '="' in text else text


def _decoded(data: bytes, html_like: bool) -> Iterator[str]:
    yield from _texts(data.decode("utf-8", errors="replace"), html_like)


def _texts(text: str, html_like: bool) -> Iterator[str]:
    yield _visible(text)
    # A number written with character references (&#49;&#51;&#56;…) is a number in the browser.
    if html_like and _REFERENCES.search(text):
        yield _visible(html.unescape(text))


def _pagefind_texts(data: bytes) -> Iterator[str]:
    raw = _gunzip(data)
    if raw is None:
        raw = data
    raw = raw.removeprefix(PAGEFIND_SIGNATURE)
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        # Metadata and filters are CBOR, not JSON: their strings are in the bytes as UTF-8.
        yield _visible(raw.decode("utf-8", errors="replace"))
        return
    for text in _strings(parsed):
        yield _visible(text)
        if _REFERENCES.search(text):
            yield _visible(html.unescape(text))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def scan_file(path: Path) -> list[Found]:
    """Every full personal number in one output file (each once)."""
    return _scan(texts_of(path))


def scan_page(html: str) -> list[Found]:
    """Every full personal number in a page, as `scan_file` finds it once the page is written."""
    return _scan(_texts(html, html_like=True))


def _scan(texts: Iterable[str]) -> list[Found]:
    found: dict[tuple[NumberKind, str], Found] = {}
    for text in texts:
        if _HEX.search(text):  # taking digests out costs more than the scan: only where one can be
            text = _SHORT_DIGEST.sub(" ", _DIGEST.sub(" ", text))
        for number in find_personal_numbers(text):
            found.setdefault((number.kind, number.text), number)
    return list(found.values())


def audit_files(root: Path, files: Iterable[Path], shown_as: str = "") -> list[Leak]:
    """Scan `files` (under `root`); each leak names its file as `shown_as/<path under root>`."""
    leaks = []
    prefix = shown_as.rstrip("/") + "/" if shown_as else ""
    for path in sorted(files):
        leaks += leaks_in(prefix + path.relative_to(root).as_posix(), scan_file(path))
    return leaks


def leaks_in(file: str, found: list[Found]) -> list[Leak]:
    return [Leak(file, number.kind, mask_numbers(number.text, number.kind, DEFAULT_MASKING), number.digits)
            for number in found]


def audit_tree(root: Path, shown_as: str = "", scanned: set[str] = frozenset()) -> list[Leak]:
    """Scan every file under `root` (a built site, or a whole output folder), but those
    `scanned` already (paths under `root`)."""
    files = (path for path in root.rglob("*") if path.is_file() and path.relative_to(root).as_posix() not in scanned)
    return audit_files(root, files, shown_as)


def problems_of(leaks: list[Leak], records: Iterable[Any] = ()) -> Problems:
    """The leaks as errors: each on the record whose text holds the number's digits (`records`
    have `id`, `texts()` and `source.location`), else on the output file."""
    sources = _digits_by_record(records) if leaks else []
    problems = Problems()
    for leak in leaks:
        record = next((record for record, digits in sources if leak.digits and leak.digits.rstrip("X") in digits), None)
        params = {"file": leak.file, "number_kind": str(leak.kind), "masked": leak.masked}
        if record is None:
            problems.add(Location(leak.file), "output_personal_number", **params)
        else:
            problems.add(record.source.location, "output_personal_number_record", record=record.id, **params)
    return problems


def _digits_by_record(records: Iterable[Any]) -> list[tuple[Any, str]]:
    """Each record and every digit of its text (and file name), as the number reader reads them."""
    found = []
    for record in records:
        texts = [record.id, *(text for _, _, text in record.texts())]
        found.append((record, "\n".join("".join(c for c in digit_view(text)[0] if c.isdigit()) for text in texts)))
    return found
