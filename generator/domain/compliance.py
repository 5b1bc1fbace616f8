"""公开情况: whether a village discloses as often as the law asks, per category.

村民委员会组织法 art. 30: ordinary village affairs (村务) are disclosed at least once a quarter,
finances (财务) once a month where the collective has many transactions; party affairs (党务)
follow the same quarterly rhythm (the seeds' guidance). Every record kind says which of the three
it counts towards (`Record.disclosure`); a record counts on its `date`, the day it went up on the
board. A kind whose records are not the village's own disclosures (a villager's inquiry) sets
`counts_as_disclosure = False`.

"At least once a quarter" is read as the law words it: every calendar period (month, quarter …,
`rules.compliance.<category>_months` months long, starting in January) has at least one
disclosure. So after a disclosure, the next is due by the end of the period that follows the
period of the last one; a day later it is overdue. Every such lapse is a finding: one still open
as of `as_of` (overdue), and one that a later disclosure closed (late), so that a lapse stays
visible after it was made good. Counting starts at the village's first disclosure of any
category (before it, the portal has nothing to go by).

The findings are located at the village's year folder (`content/<village>/<year>`) of the
period that was missed. The functions here are what other pages reuse: `statuses` for a
village's status on a day (the township front page and the village home), `lapses`, and
`findings` for the check stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from generator.inputs.problems import Location, Problem, Severity
from generator.domain.kinds import KINDS, Record

if TYPE_CHECKING:
    from generator.domain.model import VillageYear
    from generator.domain.settings import VillageSettings

# The three disclosures, in the order the pages show them.
CATEGORIES = ("party", "affairs", "finance")

# A period is a whole number of months that divides the year, so every period starts in January.
Months = Literal[1, 2, 3, 4, 6, 12]


class ComplianceRules(BaseModel):
    """`rules.compliance`: how often each category must be disclosed, in months."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # 党务: quarterly (the seeds' guidance, like village affairs).
    party_months: Months = 3
    # 村务: "一般事项至少每季度公布一次" (村民委员会组织法 art. 30).
    affairs_months: Months = 3
    # 财务: "集体财务往来较多的，财务收支情况应当每月公布一次" (art. 30); a village with few
    # transactions may be set to 3 (quarterly).
    finance_months: Months = 1

    def months(self, category: str) -> int:
        return int(getattr(self, f"{category}_months"))


# -- periods --------------------------------------------------------------------------------

def period_of(day: date, months: int) -> tuple[date, date]:
    """The calendar period of `months` months that holds `day`: (first day, last day)."""
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, _add_months(start, months) - timedelta(days=1)


def due_after(day: date, months: int) -> date:
    """The last day the next disclosure may come after one on `day`: the end of the next period."""
    _, end = period_of(day, months)
    return period_of(end + timedelta(days=1), months)[1]


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


# -- what counts ----------------------------------------------------------------------------

def counts(record: Record) -> bool:
    return record.counts_as_disclosure and record.disclosure in CATEGORIES


def disclosures(records: list[Record], category: str, until: date) -> list[Record]:
    """The village's disclosures of one category up to a day, oldest first."""
    return sorted((record for record in records
                   if counts(record) and record.disclosure == category and record.date <= until),
                  key=lambda record: (record.date, record.section, record.id))


def _start(records: list[Record], until: date) -> date | None:
    """The first day the portal knows of a disclosure of the village (any category)."""
    return min((record.date for record in records if counts(record) and record.date <= until), default=None)


def rules_of(settings: VillageSettings) -> ComplianceRules:
    return settings.rules.compliance  # type: ignore[no-any-return]


# -- the status on a day ----------------------------------------------------------------------

@dataclass(frozen=True)
class DisclosureStatus:
    """One category of one village on one day."""

    category: str  # party | affairs | finance
    months: int  # the required interval
    as_of: date
    last: Record | None  # the latest disclosure on or before `as_of`
    due: date | None  # the last day for the next one; None when the village has no disclosure at all
    count: int  # disclosures of the category in the year of `as_of`, up to `as_of`

    @property
    def last_date(self) -> date | None:
        return self.last.date if self.last else None

    @property
    def state(self) -> str:
        """current: disclosed in this period; due: not yet this period, but in time;
        overdue: a whole period went by without one; none: nothing to go by yet."""
        if self.last is not None and period_of(self.as_of, self.months)[0] <= self.last.date:
            return "current"
        if self.due is None:
            return "none"
        return "due" if self.as_of <= self.due else "overdue"

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def days_overdue(self) -> int:
        return (self.as_of - self.due).days if self.overdue and self.due else 0


def statuses(records: list[Record], settings: VillageSettings, as_of: date | None = None) -> list[DisclosureStatus]:
    """Each category's status for a village as of a day (default: the settings' `as_of`).
    `records` are the village's records of every year."""
    day = as_of or settings.today()
    rules = rules_of(settings)
    start = _start(records, day)
    result = []
    for category in CATEGORIES:
        months = rules.months(category)
        found = disclosures(records, category, day)
        last = found[-1] if found else None
        base = last.date if last else start
        due = due_after(base, months) if base else None
        count = sum(1 for record in found if record.date.year == day.year)
        result.append(DisclosureStatus(category, months, day, last, due, count))
    return result


# -- lapses ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lapse:
    """A period that went by without a disclosure of a category: after `previous` (the last
    disclosure before it, None at the portal's start), the next was due by `due` and came with
    `next`, or has not come as of `as_of`."""

    category: str
    months: int
    previous: Record | None
    since: date  # the previous disclosure's day, or the portal's start
    due: date
    next: Record | None
    as_of: date

    @property
    def open(self) -> bool:
        return self.next is None

    @property
    def year(self) -> int:
        """The year of the period that was missed."""
        return self.due.year

    @property
    def days(self) -> int:
        """How many days past `due`: until the next disclosure, or until `as_of` while open."""
        end = self.as_of if self.next is None else self.next.date
        return (end - self.due).days

    @property
    def key(self) -> str:
        return f"disclosure_{'overdue' if self.open else 'late'}_{self.category}"

    def problem(self, folder: str) -> Problem:
        params: dict[str, Any] = {"months": self.months, "due": self.due.isoformat(), "days": self.days,
                                  "since": self.since.isoformat()}
        if self.open:
            params["as_of"] = self.as_of.isoformat()
        else:
            params["next"] = self.next.date.isoformat()  # type: ignore[union-attr]
        if self.previous is not None:
            params["previous"] = self.previous.date.isoformat()
        return Problem(Location(f"{folder}/{self.year}"), self.key, params, Severity.FINDING)


def lapses(records: list[Record], settings: VillageSettings, as_of: date | None = None) -> list[Lapse]:
    """Every lapse of every category up to a day, oldest first."""
    day = as_of or settings.today()
    rules = rules_of(settings)
    start = _start(records, day)
    if start is None:
        return []
    result = []
    for category in CATEGORIES:
        months = rules.months(category)
        previous: Record | None = None
        since = start
        for record in disclosures(records, category, day):
            due = due_after(since, months)
            if record.date > due:
                result.append(Lapse(category, months, previous, since, due, record, day))
            previous, since = record, record.date
        due = due_after(since, months)
        if day > due:
            result.append(Lapse(category, months, previous, since, due, None, day))
    return sorted(result, key=lambda lapse: (lapse.due, CATEGORIES.index(lapse.category)))


def village_folder(records: list[Record]) -> str | None:
    """The village's content folder (`content/<village>`), as the records' locations give it."""
    for record in records:
        return str(PurePosixPath(record.source.location.path).parents[2])
    return None


def findings(records: list[Record], settings: VillageSettings) -> list[Problem]:
    """The check stage's findings: every lapse as of `as_of`, at the year folder it concerns."""
    folder = village_folder(records)
    if folder is None:
        return []
    return [lapse.problem(folder) for lapse in lapses(records, settings)]


# -- the page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordFindings:
    """A record of the year and what the rules found in it."""

    record: Record
    findings: list[Problem]


@dataclass
class ComplianceView:
    """What the compliance page of a village-year shows."""

    year: int
    as_of: date  # the day the statuses are computed for: `as_of`, or 31 December of a past year
    statuses: list[DisclosureStatus]
    lapses: list[tuple[Lapse, Problem]]  # the year's lapses, with their findings
    records: list[RecordFindings] = field(default_factory=list)

    @property
    def overdue(self) -> list[DisclosureStatus]:
        return [status for status in self.statuses if status.overdue]

    @property
    def finding_count(self) -> int:
        return len(self.lapses) + sum(len(item.findings) for item in self.records)

    def link(self, record: Record) -> str:
        """A record's address from the root of this village-year's site."""
        return link(record, self.year)


def reference_day(year: int, as_of: date) -> date:
    """The day a year's page looks at: `as_of` in its year, the year's last day once it is over."""
    return date(year, 12, 31) if as_of.year > year else as_of


def link(record: Record, year: int) -> str:
    """A record's address from the root of the village-year `year`'s site."""
    return record.url if record.year == year else f"../{record.year}/{record.url}"


def year_view(village_year: VillageYear) -> ComplianceView:
    """The compliance page of a village-year: the statuses, the year's lapses, and every finding
    of the year's records (from every kind) with the record it concerns."""
    settings = village_year.settings
    records = village_year.all_records
    year = village_year.year
    as_of = village_year.today
    folder = village_folder(records) or ""
    year_lapses = [(lapse, lapse.problem(folder)) for lapse in lapses(records, settings, as_of) if lapse.year == year]
    by_path: dict[str, Record] = {}
    for record in village_year.records:
        by_path[record.source.location.path] = record
        if record.source.table_location is not None:
            by_path[record.source.table_location.path] = record
    grouped: dict[int, RecordFindings] = {}
    for finding in village_year.findings:
        record = by_path.get(finding.location.path)
        if record is None:
            continue
        grouped.setdefault(id(record), RecordFindings(record, [])).findings.append(finding)
    order = {section: index for index, section in enumerate(KINDS)}
    items = sorted(grouped.values(), key=lambda item: (order.get(item.record.section, len(order)),
                                                       item.record.date, item.record.id))
    return ComplianceView(year, reference_day(year, as_of),
                          statuses(records, settings, reference_day(year, as_of)), year_lapses, items)
