"""The township board (乡镇首页): what each village's summary carries for it, besides the three
disclosures' statuses (model.VillageSummary, kept in village.json so a village not rebuilt keeps
its lines): every finding in the public's words with the record it concerns, what is posted now,
and the year's rates (公开及时率, inquiries answered in time, 红黑榜 coverage).

Findings are weighed so the township reads the worst first: a meeting that could not decide, a
contract without its decision, a cadre to be removed weigh more than a posting a day short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from generator.domain import compliance
from generator.domain.kinds import KINDS, CheckContext, Record
from generator.domain.settings import VillageSettings
from generator.inputs.messages import Catalogue
from generator.inputs.problems import Problem

# How serious a finding is, by its key's beginning (the longest match wins); others weigh 1.
# 3: the procedure's outcome is void or a person must go; 2: a step the law requires is missing.
WEIGHTS = {
    "decision_quorum": 3, "decision_majority": 3, "decision_party_quorum": 2, "decision_party_majority": 2,
    "contract_without_decision": 3, "contract_decision_not_passed": 3, "contract_signed_before_decision": 3,
    "evaluation_unqualified_again": 3, "evaluation_unqualified": 2, "disclosure_overdue": 3,
    "ledger_period_missing": 3, "supervision_on_villagers_committee": 2, "supervision_trust_below_half": 2,
    "election_": 2, "decision_step_skipped": 2, "decision_topics_late": 2, "contract_no_township_review": 2,
    "contract_signed_during_posting": 2, "posting_missing": 2, "inquiry_unanswered": 2,
}


def weight(key: str) -> int:
    found = [prefix for prefix in WEIGHTS if key.startswith(prefix)]
    return WEIGHTS[max(found, key=len)] if found else 1


@dataclass(frozen=True)
class BoardFinding:
    """One finding as one line of the board: the sentence, its basis, the record it concerns."""

    key: str
    weight: int
    text: str
    basis: str
    year: int
    link: str  # from the village's folder: <year>/<section>/<id>/#findings, or the compliance page
    record: str  # the record's title; "" for a lapse of a whole category
    section: str  # the section's title


@dataclass(frozen=True)
class BoardPosting:
    """A notice on the board now."""

    title: str
    link: str  # from the village's folder
    until: str  # ISO date of the posting period's last day


@dataclass(frozen=True)
class Rate:
    """One of the year's rates: `done` of `total` (periods disclosed of periods due, inquiries
    answered in time of those answered or overdue, households reached of all), and the target
    share where a rule sets one."""

    key: str  # party | affairs | finance | inquiries | red-black
    done: int
    total: int
    target: float | None = None

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None


def _by_path(records: list[Record]) -> dict[str, Record]:
    found: dict[str, Record] = {}
    for record in records:
        found[record.source.location.path] = record
        if record.source.table_location is not None:
            found[record.source.table_location.path] = record
    return found


def findings(records: list[Record], problems: list[Problem], catalogue: Catalogue) -> list[BoardFinding]:
    """Every finding of the village, worst first, then newest year, then by record."""
    by_path = _by_path(records)
    result = []
    for problem in problems:
        record = by_path.get(problem.location.path)
        text, basis = problem.message(catalogue), problem.basis(catalogue)
        if record is not None:
            result.append(BoardFinding(problem.key, weight(problem.key), text, basis, record.year,
                                       f"{record.year}/{record.url}#findings", record.heading(catalogue),
                                       catalogue.text(f"sections.{record.section}.title")))
        else:  # a lapse, at the year folder: its page is the year's compliance page
            name = PurePosixPath(problem.location.path).name
            year = int(name) if name.isdigit() else 0
            result.append(BoardFinding(problem.key, weight(problem.key), text, basis, year,
                                       f"{year}/compliance/#lapses" if year else "", "",
                                       catalogue.text("compliance.title")))
    return sorted(result, key=lambda item: (-item.weight, -item.year, item.link, item.text))


def posted(records: list[Record], day: date, catalogue: Catalogue) -> list[BoardPosting]:
    """What is on the village's board on `day`, the soonest to come down first."""
    live = sorted((record for record in records if record.is_posted_on(day)),
                  key=lambda record: (record.posted_until, record.id))
    return [BoardPosting(record.heading(catalogue), f"{record.year}/{record.url}",
                         record.posted_until.isoformat())  # type: ignore[union-attr]
            for record in live]


def rates(records: list[Record], problems: list[Problem], settings: VillageSettings, day: date) -> list[Rate]:
    """The year of `day`: for each disclosure the periods that had one of those ended by `day`
    (since the portal's first disclosure); inquiries answered in time; 红黑榜 coverage."""
    result = []
    start = min((record.date for record in records if compliance.counts(record)), default=None)
    rules = compliance.rules_of(settings)
    for category in compliance.CATEGORIES:
        months = rules.months(category)
        days = {record.date for record in compliance.disclosures(records, category, day)}
        done = total = 0
        first, end = compliance.period_of(date(day.year, 1, 1), months)
        while end <= day:
            if start is not None and end >= start:
                total += 1
                done += any(first <= when <= end for when in days)
            first = _next_day(end)
            end = compliance.period_of(first, months)[1]
        result.append(Rate(category, done, total))
    late = {problem.location.path for problem in problems
            if problem.key in ("inquiry_answered_late", "inquiry_unanswered")}
    asked = [record for record in records if record.section == "inquiries" and record.year == day.year]
    counted = [record for record in asked
               if getattr(record, "answered", None) is not None or record.source.location.path in late]
    result.append(Rate("inquiries", sum(1 for record in counted if record.source.location.path not in late),
                       len(counted)))
    lists = [record for record in records if record.section == "red-black" and record.year == day.year]
    view: Any = KINDS["red-black"].section_view(lists, CheckContext(settings, records, year=day.year)) if lists else None
    if view is not None and settings.households:
        result.append(Rate("red-black", view.coverage.reached, settings.households, float(view.coverage.target)))
    return result


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)
