"""What every record kind shares: where it came from, its posting period, its rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.inputs.attachments import Attachment
from generator.inputs.problems import Location, Problem, Severity
from generator.inputs.readers import Document
from generator.inputs.word import WordBody
from generator.domain.kinds.fields import ClerkDate, Text, without_blank_tail
from generator.domain.kinds.media import Photo, Scan, check_media

if TYPE_CHECKING:
    from generator.domain.settings import VillageSettings

# The instance attribute that holds a record's Source (Record.placed).
_SOURCE = "_vp_source"


@dataclass(frozen=True)
class Source:
    """Where a record was read from: its file and lines, and its place in the portal."""

    document: Document
    village: str
    year: int
    section: str
    id: str
    table_location: Location | None = None
    table_lines: tuple[int, ...] = ()
    fingerprint: str = ""
    # The files of the record's own folder (inputs/attachments.py): what `photos` and `scans` name.
    attachments: tuple[Attachment, ...] = ()
    # The body as written in Word (inputs/word.py): its tables and images, and where each
    # paragraph is, for the problems found in it.
    word: WordBody | None = None

    @property
    def key(self) -> str:
        """The record's name in manifests and correction notices: section/id."""
        return f"{self.section}/{self.id}"

    @property
    def location(self) -> Location:
        return self.document.location

    def location_of(self, dotted: str) -> Location:
        return self.location.at(self.document.line_of(dotted))


class KindRules(BaseModel):
    """The settings of one kind's rules; a kind extends it with its own numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The shortest posting period (公示期) in days; None where the kind has none.
    posting_days: int | None = Field(None, ge=0)
    # More names clerks here give the table's columns (header → field), beside the kind's own.
    table_headers: dict[str, str] = {}


@dataclass
class CheckContext:
    """What a rule may look at besides the record: settings, "today", the village's records."""

    settings: VillageSettings
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The year a section page is made for: a kind's rules asked without a record are that year's.
    year: int | None = None
    _named: dict[tuple[str, str], list[Record]] | None = field(default=None, repr=False)

    def named(self, section: str, id: str) -> list[Record]:
        """The village's records of `section` with the id `id`, every year. (Indexed once: rules
        that look records up by name would otherwise read every year's records for each.)"""
        if self._named is None:
            self._named = {}
            for record in self.records:
                self._named.setdefault((record.section, record.id), []).append(record)
        return self._named.get((section, id), [])

    @property
    def today(self) -> date:
        return self.settings.today()

    def rules(self, kind: type[Record] | Record, on: date | int | None = None) -> Any:
        """A kind's rules in force on a day (`rules.<section>.changes`): for a record, on its
        rules_day; for a kind alone, on `on` (a year: its last day), else the context's year,
        else today. Every rule reads its numbers here, so a change dated later never judges a
        record before it."""
        if on is None:
            on = kind.rules_day if isinstance(kind, Record) else self.year or self.today
        return self.settings.rules.of(kind.section, on)

    # `record`, `dotted`, `row` and `key` are positional-only, so that a message parameter of the
    # same name (row=…, record=…) is a parameter of the message, not a clash.
    def report(self, record: Record, dotted: str, key: str, /, severity: Severity = Severity.ERROR,
               **params: Any) -> None:
        self.problems.append(Problem(record.source.location_of(dotted), key, params, severity))

    def report_row(self, record: Record, row: int, key: str, /, column: str | None = None,
                   severity: Severity = Severity.ERROR, **params: Any) -> None:
        source = record.source
        if source.table_location is not None and row < len(source.table_lines):
            location = source.table_location.at(source.table_lines[row], column)
        else:  # the rows were written in the YAML file itself
            location = source.location_of(f"{record.table_field}.{row}")
        self.problems.append(Problem(location, key, params, severity))


class Record(BaseModel):
    """A published record. Each kind is a subclass in its own module of this package, with:

    - `section`: the folder under `content/<village>/<year>/` and under the site's URL;
    - its fields, as the clerk writes them in YAML (and a sibling table, if `table_field`);
    - its settings, `Rules` (a `KindRules`), under `rules.<section>` in `site_config/`;
    - its rules, in `check` (one record) and `check_all` (all of a village's records);
    - what its section page computes, in `section_view`;
    - its theme folder, `themes/kinds/<section>/`: `record.html`, optionally `section.html`
      (else the common list), and `messages.<lang>.yml` (its section's title and texts).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    section: ClassVar[str]
    order: ClassVar[int] = 100
    # Which of the three disclosures (党务 party, 村务 affairs, 财务 finance) the kind counts towards.
    disclosure: ClassVar[str] = "affairs"
    # Whether publishing one counts as a disclosure in the compliance rules (an answer to an
    # inquiry, say, is not one of the periodic disclosures the law requires).
    counts_as_disclosure: ClassVar[bool] = True
    Rules: ClassVar[type[KindRules]] = KindRules
    # Whether the section is listed in a year that has none of its records.
    listed_when_empty: ClassVar[bool] = True
    # The field a spreadsheet beside the YAML file fills (`<id>.csv` next to `<id>.yml`).
    table_field: ClassVar[str | None] = None
    # Spreadsheet headers in the clerk's words, for the rows of `table_field`: every name each
    # column is known by (header → field; the first of a field is the one `template` writes).
    table_columns: ClassVar[dict[str, str]] = {}
    # Columns `template` writes beside a row's fields, from `table_columns` (a ledger's 余额).
    template_columns: ClassVar[tuple[str, ...]] = ()
    # Whether a year's records may be one workbook, `<section>/<year>.xlsx`, a sheet a period.
    yearly_workbook: ClassVar[bool] = False
    # The signature lines under the printed bulletin (公示栏), as message keys: who reviews and
    # who is answerable for what is posted. A kind needing others overrides this.
    signatures: ClassVar[tuple[str, ...]] = ("print.signature.supervision", "print.signature.handler")
    # Example values for `village-portal new` and `template` (and the tests that fill every kind),
    # by dotted field name (`steps.signed`, `lines.account`); only where the values found from the
    # model's types and the rules' lists of allowed values would not pass the kind's rules.
    examples: ClassVar[dict[str, Any]] = {}
    # Whether a record of the kind is a correction notice (更正说明): the only way a closed year's
    # records may change, naming the records it corrects (`corrected`).
    is_correction: ClassVar[bool] = False
    # Whether the kind's latest record by the year's end is shown in the footer of every page of
    # the village-year's site and on every printed bulletin (its `footer.html`): 监督电话 and the like.
    in_footer: ClassVar[bool] = False

    title: Text
    date: ClerkDate
    posted_until: ClerkDate | None = None
    issuer: Text = ""
    # Photos and scanned papers in the record's folder, for every kind (kinds/media.py).
    photos: list[Photo] = []
    scans: list[Scan] = []
    # Who looked at the pictures of a body written in Word (<id>.docx), published as photos: a
    # picture cannot be searched for personal numbers (kinds/media.py). Only a kind with a body
    # has one: the forms and the skeleton offer it beside `body` alone (tools/fields.py).
    word_images_checked_by: Text = Field("", json_schema_extra={"beside": "body"}, examples=["李会计"])

    @model_validator(mode="before")
    @classmethod
    def _blank_items_left_out(cls, data: Any) -> Any:
        # The skeleton (`new`, the desk's new form) writes a list's item with every line blank:
        # no item. The table's rows are the reader's, counted as the file has them.
        if not isinstance(data, dict):
            return data
        return {name: without_blank_tail(value) if isinstance(value, list) and name != cls.table_field else value
                for name, value in data.items()}

    @field_validator("posted_until")
    @classmethod
    def _posting_period_forward(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("date")
        if value is not None and start is not None and value < start:
            raise PydanticCustomError("vp_posting_backwards", "posted_until before date",
                                      {"start": start.isoformat(), "end": value.isoformat()})
        return value

    # -- identity -------------------------------------------------------------------------

    # The source is kept as a plain attribute of the instance, not a pydantic private one:
    # pydantic finds those only after the ordinary lookup has failed (about 4 µs), and the rules
    # and pages ask a record's source, year and id tens of thousands of times a build. Copies
    # and pickles of the record keep it; dumps and comparisons leave it out.
    @property
    def source(self) -> Source:
        source = self.__dict__.get(_SOURCE)
        assert source is not None, "record made outside the load stage"
        return source

    def placed(self, source: Source) -> Record:
        object.__setattr__(self, _SOURCE, source)
        return self

    @property
    def id(self) -> str:
        return self.source.id

    @property
    def year(self) -> int:
        return self.source.year

    @property
    def url(self) -> str:
        """The record's path inside its village-year site; stable across rebuilds."""
        return f"{self.section}/{self.id}/"

    @property
    def belongs_to_year(self) -> int:
        """The year whose folder this record must be in."""
        return self.date.year

    @property
    def rules_day(self) -> date:
        """The day whose settings judge the record: its date, or for one that belongs to an
        earlier year (December's ledger posted in January, a year's points, a decision finished
        the next year) that year's last day, so a year is never judged by a later year's rules."""
        return min(self.date, date(self.belongs_to_year, 12, 31))

    def minimum_posting_days(self, rules: Any) -> int | None:
        """The shortest posting period the rules ask of this record (a kind whose categories
        each have their own says which)."""
        return rules.posting_days

    @property
    def posting_days(self) -> int | None:
        if self.posted_until is None:
            return None
        return (self.posted_until - self.date).days + 1

    def is_posted_on(self, day: date) -> bool:
        return self.posted_until is not None and self.date <= day <= self.posted_until

    def heading(self, catalogue: Catalogue) -> str:
        """The title as shown; a kind may compose one when the clerk gives none."""
        return self.title

    def approved_on(self, context: CheckContext) -> date | None:
        """The day the villagers' representatives passed the matter, for a record that is a
        decision (四议两公开); None for any other kind, or one not (validly) resolved. Other kinds
        ask it through CheckContext.named, as kinds do not import each other."""
        return None

    def accounts_for(self, day: date) -> bool:
        """Whether the record is the ledger of the period that holds `day`; False for any other
        kind. A record that ties its money to ledger lines by 凭证号 (一事一议) finds the ledger
        this way, as kinds do not import each other."""
        return False

    def voucher_line(self, voucher: str) -> tuple[Decimal | None, Decimal | None] | None:
        """A ledger's line of that 凭证号 as (income, expense); None for any other kind, or for a
        ledger without such a line."""
        return None

    def rules_in_force(self, day: date) -> Any:
        """For a text of the village rules (村规民约): its articles as in force on `day` (with
        `adopted`, the day the text was adopted, and `cite(clause)`, the article a 红黑榜 clause
        names); None for any other kind, or before the text was adopted. Kinds that cite an
        article ask it so, as kinds do not import each other."""
        return None

    @property
    def corrected(self) -> set[str]:
        """The records (section/id) a correction notice corrects; none for other kinds."""
        return set()

    @classmethod
    def read_table(cls, rows: list[dict[str, Any]], report: Callable[..., None], data: dict[str, Any],
                   rules: Any) -> list[int]:
        """The indices of the table's rows that are entries. A 合计 row at the end of a list is
        not one: it is checked against the entries' sums and dropped. A kind whose files hold
        other such rows (a ledger's 上月结转) overrides this; `data` is the record's own fields,
        which it may complete from them, and `report(index, field, key, **params)` locates."""
        kept: list[int] = []
        for index, row in enumerate(rows):
            if not {str(value).strip() for value in row.values()} & _TOTAL_WORDS:
                kept.append(index)
                continue
            for name, value in row.items():
                stated = _decimal(value)
                figures = [_decimal(rows[entry].get(name)) for entry in kept]
                if stated is not None and figures and None not in figures and sum(figures) != stated:
                    report(index, name, "table_total_wrong", stated=str(stated), computed=str(sum(figures)))
        return kept

    @classmethod
    def template_rows(cls, rows: list[dict[str, str]], data: dict[str, Any]) -> list[dict[str, str]]:
        """The example rows of `template` (by header) as the clerk's layout has them; `data` is
        the example record's own fields. A kind whose files hold more rows (a ledger's 上月结转
        and 本月合计) adds them."""
        return rows

    def table_line(self, index: int) -> int | str:
        """The spreadsheet line of the table's row `index`, for a message that points at another
        row (the row's place in the list where the rows were written in the YAML)."""
        lines = self.source.table_lines
        return lines[index] if index < len(lines) else index + 2

    def is_table_header(self, dotted: str) -> bool:
        """Whether a text of `texts()` is a header of the record's table, not a cell (a kind whose
        table keeps the clerk's own headers says so)."""
        return False

    def table_column_of(self, dotted: str, text: str, row: int) -> str | None:
        """The clerk's header of the table column a text of `texts()` was found in."""
        field = dotted.rpartition(".")[2]
        return next((header for header, name in self.table_columns.items() if name == field), None)

    def summary(self) -> str:
        """A line for the page's meta description and search results."""
        return self.title

    @property
    def data_period(self) -> str:
        """The period the record's tables cover, for the open-data catalogue (data.json): the
        day it was posted; a kind that accounts for a period says which."""
        return self.date.isoformat()

    # -- rules ----------------------------------------------------------------------------

    def check(self, context: CheckContext) -> None:
        """The rules about one record. Kinds extend this and call super()."""
        if self.belongs_to_year != self.year:
            context.report(self, "date", "wrong_year_folder", found=self.belongs_to_year, folder=self.year)
        check_media(self, context)
        minimum = self.minimum_posting_days(context.rules(self))
        days = self.posting_days
        if minimum and days is not None and days < minimum:
            context.report(self, "posted_until", "posting_too_short", Severity.FINDING, days=days, minimum=minimum)

    @classmethod
    def check_all(cls, records: list[Any], context: CheckContext) -> None:
        """The rules across all of one village's records of this kind, every year."""

    # -- pages ----------------------------------------------------------------------------

    @classmethod
    def section_view(cls, records: list[Any], context: CheckContext) -> Any:
        """What the section page shows besides the list (totals, shares, ranks), computed from
        the year's records; `context.records` holds the village's records of every year."""
        return None

    # -- text -----------------------------------------------------------------------------

    @property
    def word(self) -> WordBody | None:
        """The Word file the body was written in (its tables, its images), or None."""
        source = self.__dict__.get(_SOURCE)
        return source.word if source is not None else None

    def texts(self) -> Iterator[tuple[str, int | None, str]]:
        """Every piece of text in the record, with the field and table row it came from (the
        tables of a body written in Word as `word`)."""
        yield from _walk(self, "", None)
        if self.word is not None:
            yield from (("word", None, text) for text in self.word.texts())


_TOTAL_WORDS = frozenset({"合计", "总计", "合  计"})


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "").strip()) if str(value).strip() else None
    except ArithmeticError:
        return None


def _walk(value: Any, dotted: str, row: int | None) -> Iterable[tuple[str, int | None, str]]:
    if isinstance(value, str):
        yield dotted, row, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), f"{dotted}.{name}".lstrip("."), row)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, dotted, index if row is None else row)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{dotted}.{key}", row)
