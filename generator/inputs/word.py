"""A record's body written in Word (issue 24): `<id>.docx` beside `<id>.yml`.

The file is hostile like any other: its size and its parts' unpacked sizes are limited as an
.xlsx file's are, a document with macros (vbaProject.bin, a .docm renamed) or a DTD in its XML
is refused, and mammoth (which never opens a file outside the document) turns what is left into
HTML, which is read here into what the portal keeps:

- the text as Markdown (headings, paragraphs, lists, bold and italic), so that it goes through
  the very sanitising any typed body does (render/text.py): Word's own characters are escaped,
  and a link keeps its words only;
- each table, its first row as the header, to be shown and published as a data table;
- each embedded image's bytes; an image linked from elsewhere is dropped;
- each paragraph's and table row's text with its place (第3段, 第1个表格第2行): Word has no
  lines, and the personal-number audit must say where a number is.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import mammoth

from generator.inputs.attachments import image_size
from generator.inputs.files import DEFAULT_LIMITS, Limits, bad_character, read_bytes
from generator.inputs.problems import Location, Problems

WORD_SUFFIX = ".docx"
# Word files that are not read: with macros (refused as such), or in a format to save as .docx.
WORD_WITH_MACROS = (".docm", ".dotm")
WORD_OTHER_FORMATS = (".doc", ".dot", ".dotx", ".odt", ".rtf", ".wps")  # .wps: WPS 文字's own
# Pictures published as photos; any other (a chart's EMF, a GIF) is left out.
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
_MACRO_PARTS = re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$", re.I)
# mammoth parses each XML part whole with minidom, many times the part's size in memory: no part
# may be larger than this (a notice of 200,000 characters, formatted, is a few MB of XML).
XML_PART_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class WordTable:
    columns: list[str]
    rows: list[list[str]]  # the rows under the header; a cell's paragraphs on lines of their own
    after: int  # how many of the document's blocks come before it
    caption: str = ""  # the short paragraph just above the table (附：补助名单), if any, taken from the text


@dataclass(frozen=True)
class WordImage:
    """A picture embedded in the document, to be published as a photo (render/photos.py)."""

    data: bytes
    alt: str  # its 替代文字 (alt text) in Word: the photo's caption
    width: int  # upright, as checked (inputs/attachments.py)
    height: int


@dataclass(frozen=True)
class Block:
    markdown: str
    text: str  # as plain text: a paragraph as 第N段 counts it
    list_number: int = 0  # the list it is an item of (1, 2 … in the document), 0 for none


@dataclass
class WordBody:
    """What a record keeps of its Word file: its blocks of text (headings, paragraphs, list
    items) and its tables, in the document's order."""

    location: Location  # the .docx file
    blocks: list[Block] = field(default_factory=list)
    tables: list[WordTable] = field(default_factory=list)
    images: list[WordImage] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        """Each paragraph's text, numbered from 1 as 第N段 (empty ones are not counted)."""
        return [block.text for block in self.blocks]

    def pieces(self, title: str) -> list[tuple[str, WordTable | None]]:
        """The body in the document's order: Markdown, the table after it, … the Markdown after
        the last table. Without the first paragraph when it is the record's title (Word notices
        begin with it; the page shows the title already), nor a paragraph that is a table's caption."""
        skipped = {0} if self.blocks and self.blocks[0].text == " ".join(title.split()) else set()
        skipped |= {table.after - 1 for table in self.tables if table.caption}
        pieces, start = [], 0
        for table in [*self.tables, None]:
            end = table.after if table is not None else len(self.blocks)
            kept = [block for index, block in enumerate(self.blocks[start:end], start) if index not in skipped]
            pieces.append((_markdown(kept), table))
            start = end
        return pieces

    def body(self, title: str) -> str:
        """The text as the record's body (its tables are shown where they are: `pieces`)."""
        return "\n\n".join(text for text, _ in self.pieces(title) if text)

    def places(self) -> Iterator[tuple[Location, str, dict[str, int], str]]:
        """Every text of the document with where it is, as (location, the message key a problem
        in it takes, the place in words, the text): a paragraph (its number as the line), a
        table's row as Word counts it (the header is row 1), a picture's alt text."""
        for number, text in enumerate(self.paragraphs, 1):
            yield self.location.at(number), "word_personal_number", {"paragraph": number}, text
        for number, table in enumerate(self.tables, 1):
            for row, cells in enumerate([table.columns, *table.rows], 1):
                for cell in cells:
                    yield self.location, "word_table_personal_number", {"table": number, "row": row}, cell
        for number, image in enumerate(self.images, 1):
            yield self.location, "word_image_personal_number", {"image": number}, image.alt

    def texts(self) -> Iterator[str]:
        """The text shown beside the body: the tables' captions and cells, the pictures' captions."""
        for table in self.tables:
            yield table.caption
            yield from table.columns
            for row in table.rows:
                yield from row
        yield from (image.alt for image in self.images)


def _markdown(blocks: list[Block]) -> str:
    """A list's items one to a line (a tight list), every other block after a blank line."""
    joined = "".join(("\n" if block.list_number and block.list_number == before else "\n\n") + block.markdown
                     for block, before in zip(blocks, [0] + [block.list_number for block in blocks]))
    return joined.strip("\n")


def read_word(path: Path, location: Location, problems: Problems, root: Path | None = None,
              limits: Limits = DEFAULT_LIMITS) -> WordBody | None:
    """The Word file's body, or None with a located problem: never an exception."""
    raw = read_bytes(path, location, problems, limits.table_bytes, root)
    if raw is None or not _safe_package(raw, location, problems, limits):
        return None
    reader = _Reader(limits)
    try:
        result = mammoth.convert_to_html(io.BytesIO(raw), convert_image=mammoth.images.img_element(reader.image))
        reader.feed(result.value)
        reader.close()
    except _TooLong:
        problems.add(location, "word_too_long", limit=limits.text_chars)
        return None
    except Exception:  # noqa: BLE001 - whatever a broken document does to the converter, the clerk hears it is broken
        problems.add(location, "word_unreadable")
        return None
    body = reader.body(location)
    for text in (*body.paragraphs, *body.texts(), *(alt for _, alt in reader.images)):
        bad = bad_character(text)
        if bad is not None:
            problems.add(location, "word_control_character", code=bad[1])
            return None
    before = len(problems)
    for number, (data, alt) in enumerate(reader.images, 1):
        # Checked as a photo of the record's folder is: decoded whole, within the pixel limit.
        size = image_size(data, f"Word 文件第 {number} 张图片", location, problems)
        if size is not None:
            body.images.append(WordImage(data, " ".join(alt.split()), *size))
    return body if len(problems) == before else None


def _safe_package(raw: bytes, location: Location, problems: Problems, limits: Limits) -> bool:
    """A Word document's zip within the limits, without macros, its XML without a DTD (Word
    writes none; one could define entities that expand to gigabytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            parts = package.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > limits.xlsx_unpacked_bytes or len(parts) > 10_000:
                problems.add(location, "word_too_large", size=f"{unpacked / 1024 / 1024:.0f} MB",
                             limit=f"{limits.xlsx_unpacked_bytes / 1024 / 1024:.0f} MB")
                return False
            xml = [part for part in parts if part.filename.endswith((".xml", ".rels"))]
            largest = max((part.file_size for part in xml), default=0)
            if largest > XML_PART_BYTES:
                problems.add(location, "word_text_too_large", size=f"{largest / 1024 / 1024:.0f} MB",
                             limit=f"{XML_PART_BYTES / 1024 / 1024:.0f} MB")
                return False
            names = [part.filename for part in parts]
            if "word/document.xml" not in names:
                problems.add(location, "word_unreadable")
                return False
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if any(_MACRO_PARTS.search(name) for name in names) or b"macroEnabled" in types:
                problems.add(location, "word_macros")
                return False
            for part in xml:
                if b"<!DOCTYPE" in package.read(part):
                    problems.add(location, "word_unreadable")
                    return False
    except Exception:  # noqa: BLE001 - a damaged zip raises whatever zipfile or zlib meet (an encrypted part's RuntimeError …)
        problems.add(location, "word_unreadable")
        return False
    return True


class _TooLong(Exception):
    pass


# Characters Markdown reads as markup anywhere in a line, and at a line's start ("1. 关于…" typed
# in Word is a sentence, not a list; "# " not a heading). A backslash before each makes it text.
_INLINE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+[.)])", re.M)
_MARKS = {"strong": "**", "em": "*"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _escaped(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda match: match.group(1) + match.group(2)[:-1] + "\\" + match.group(2)[-1], text)


class _Reader(HTMLParser):
    """mammoth's HTML (h1-h6, p, strong, em, ul/ol/li, table/tr/td, a, img, br) as Markdown,
    tables and images. Anything else keeps its text only."""

    def __init__(self, limits: Limits) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.blocks: list[Block] = []
        self.list_number = 0
        self.tables: list[WordTable] = []
        self.images: list[tuple[bytes, str]] = []  # each embedded picture's bytes and alt text
        self.lists: list[tuple[str, int]] = []  # open lists: (ul|ol, items so far)
        self.line: list[str] | None = None  # the Markdown of the block being read
        self.plain: list[str] = []  # its text, unescaped
        self.prefix = ""
        self.open_marks: list[int] = []  # where in `line` each bold or italic still open began
        self.table: list[list[str]] | None = None  # rows of the table being read
        self.cell: list[str] | None = None
        self.depth = 0  # tables inside tables: read as text of the outer cell
        self.size = 0
        self.last_paragraph = ""

    # -- images: called by mammoth for each one, before the HTML is read ---------------------

    def image(self, image: mammoth.documents.Image) -> dict[str, str]:
        if image.content_type not in IMAGE_TYPES:
            return {}
        try:
            with image.open() as stream:  # a linked image raises here: external files are never opened
                data = stream.read(self.limits.table_bytes + 1)
        except Exception:  # noqa: BLE001 - an image that cannot be read is dropped, the text kept
            return {}
        if len(data) > self.limits.table_bytes:
            return {}
        self.images.append((data, image.alt_text or ""))
        return {}

    # -- the HTML ---------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            if self.table is None:
                self.table, self.depth = [], 1
            else:
                self.depth += 1
        elif self.table is not None:
            if self.depth == 1 and tag == "tr":
                self.table.append([])
            elif self.depth == 1 and tag in ("td", "th"):
                self.cell = []
            elif tag in ("p", "br", "li", "td") and self.cell:
                self.cell.append("\n")
        elif tag in ("ul", "ol"):
            self._end_block()
            self.list_number += not self.lists
            self.lists.append((tag, 0))
        elif tag == "li" and self.lists:
            self._end_block()
            kind, count = self.lists[-1]
            self.lists[-1] = (kind, count + 1)
            indent = "    " * (len(self.lists) - 1)
            self._start_block(indent + ("- " if kind == "ul" else f"{count + 1}. "))
        elif tag in _HEADINGS:
            self._start_block("#" * _HEADINGS[tag] + " ")
        elif tag == "p":
            self._start_block("    " * len(self.lists) if self.lists else "")
        elif tag == "br":
            self._text("\n")
        elif tag in _MARKS and self.line is not None:
            self.open_marks.append(len(self.line))
            self.line.append(_MARKS[tag])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.table is not None:
            self.depth -= 1
            if self.depth == 0:
                self._end_table()
        elif self.table is not None:
            if self.depth == 1 and tag in ("td", "th") and self.cell is not None:
                text = "\n".join(" ".join(line.split()) for line in "".join(self.cell).split("\n"))
                self.table[-1].append("\n".join(line for line in text.split("\n") if line))
                self.cell = None
        elif tag in ("ul", "ol") and self.lists:
            self._end_block()
            self.lists.pop()
        elif tag in ("p", "li", *_HEADINGS):
            self._end_block()
        elif tag in _MARKS and self.line is not None and self.open_marks:
            self._close_mark(self.open_marks.pop())

    def handle_data(self, data: str) -> None:
        if self.table is not None:
            if self.cell is not None:
                self.cell.append(data)
                self._count(data)
            return
        self._text(data)

    # -- blocks -----------------------------------------------------------------------------

    def _start_block(self, prefix: str) -> None:
        self._end_block()
        self.line, self.plain, self.prefix, self.open_marks = [], [], prefix, []

    def _text(self, data: str) -> None:
        if self.line is None:  # text outside any paragraph (mammoth writes none; a nested list's item)
            self._start_block("    " * len(self.lists))
        self._count(data)
        self.plain.append(data)
        self.line.append(_escaped(data) if data != "\n" else "\n")

    def _close_mark(self, start: int) -> None:
        """Bold or italic as Markdown reads it: none around nothing (Word's empty bold runs), the
        spaces Word puts inside a run moved outside it ("** 按时**" is not bold)."""
        mark, inside = self.line[start], "".join(self.line[start + 1:])
        if not inside.strip():
            self.line[start:] = [inside]
            return
        lead, trail = inside[: len(inside) - len(inside.lstrip())], inside[len(inside.rstrip()):]
        self.line[start:] = [lead, mark, inside.strip(), mark, trail]

    def _end_block(self) -> None:
        if self.line is None:
            return
        plain = " ".join("".join(self.plain).split())
        markdown = "".join(self.line).strip()
        self.line = None
        if not plain:
            return
        item = self.list_number if self.lists and self.prefix.lstrip()[:1] in ("-", *"0123456789") else 0
        # A plain paragraph (not a heading, nor a list's item) is a table's caption if the table comes next.
        self.last_paragraph = plain if self.prefix == "" else ""
        indent = self.prefix[: len(self.prefix) - len(self.prefix.lstrip())]
        # A line break inside a paragraph stays one (nl2br); the next line keeps the list's indent.
        lines = [line.strip() for line in markdown.split("\n")]
        self.blocks.append(Block(self.prefix + ("\n" + indent + (" " * (len(self.prefix) - len(indent)))).join(
            line for line in lines if line), plain, item))

    def _end_table(self) -> None:
        rows = [row for row in self.table or [] if any(cell for cell in row)]
        self.table, self.cell = None, None
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        caption = self.last_paragraph if len(self.last_paragraph) <= 40 else ""
        self.tables.append(WordTable(rows[0], rows[1:], len(self.blocks), caption))
        self.last_paragraph = ""

    def _count(self, data: str) -> None:
        self.size += len(data)
        if self.size > self.limits.text_chars:
            raise _TooLong

    def body(self, location: Location) -> WordBody:
        self._end_block()
        return WordBody(location, self.blocks, self.tables)
