"""The dated steps of a village procedure, shared by the kinds that follow one: meetings with
their attendance and votes judged against the shares the rules require ("2/3", "三分之二"), and
postings with their periods (decisions, elections)."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.messages import Catalogue
from generator.domain.kinds.base import Source
from generator.domain.kinds.fields import ClerkDate, Part, Text, parse_date

# -- shares ("2/3", "三分之二") ---------------------------------------------------------------

_CHINESE_NUMERALS = "零一二三四五六七八九十"
_CHINESE_SHARE = re.compile(r"^([一二三四五六七八九十百\d]+)分之([一二三四五六七八九十百\d]+)$")
_SLASH_SHARE = re.compile(r"^(\d+)\s*/\s*(\d+)$")


def _chinese_int(text: str) -> int:
    """Chinese numerals up to 百 (三, 十二, 二十, 一百), or plain digits."""
    if text.isdigit():
        return int(text)
    if text in ("百", "一百"):
        return 100

    def digit(char: str) -> int:
        if len(char) != 1 or char not in _CHINESE_NUMERALS[:10]:
            raise ValueError(text)
        return _CHINESE_NUMERALS.index(char)

    if "十" not in text:
        return digit(text)
    tens, _, units = text.partition("十")
    return (digit(tens) if tens else 1) * 10 + (digit(units) if units else 0)


def parse_share(value: Any) -> Fraction:
    """A share as a township clerk writes it: 2/3, 三分之二, 0.6667 or 66.67%; exact, in (0, 1]."""

    def refuse() -> PydanticCustomError:
        return PydanticCustomError("vp_decision_bad_share", "not a share", {"value": str(value)})

    if isinstance(value, bool):
        raise refuse()
    try:
        if isinstance(value, Fraction):
            share = value
        elif isinstance(value, (int, Decimal)):
            share = Fraction(value)
        elif isinstance(value, float):
            share = Fraction(Decimal(str(value)))
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
            if match := _SLASH_SHARE.match(text):
                share = Fraction(int(match[1]), int(match[2]))
            elif match := _CHINESE_SHARE.match(text):
                share = Fraction(_chinese_int(match[2]), _chinese_int(match[1]))
            elif text.endswith("%"):
                share = Fraction(Decimal(text[:-1])) / 100
            else:
                share = Fraction(Decimal(text))
    except (ValueError, ZeroDivisionError, InvalidOperation, ArithmeticError):
        raise refuse() from None
    if not 0 < share <= 1:
        raise refuse()
    return share


Share = Annotated[Fraction, PlainValidator(parse_share),
                  PlainSerializer(lambda share: f"{share.numerator}/{share.denominator}", return_type=str)]


def chinese_numeral(number: int) -> str:
    if 0 <= number <= 10:
        return _CHINESE_NUMERALS[number]
    if number < 20:
        return "十" + _CHINESE_NUMERALS[number - 10]
    if number < 100:
        tens, units = divmod(number, 10)
        return _CHINESE_NUMERALS[tens] + "十" + (_CHINESE_NUMERALS[units] if units else "")
    return str(number)


def share_text(share: Fraction, catalogue: Catalogue) -> str:
    """三分之二 for small fractions, else a percentage (66.67%)."""
    if share.denominator <= 10:
        return catalogue.text("records.decisions.share_fraction", num=chinese_numeral(share.numerator),
                              den=chinese_numeral(share.denominator), fraction=f"{share.numerator}/{share.denominator}")
    percent = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.01"))
    return catalogue.text("records.decisions.share_percent", percent=f"{percent.normalize():f}")


# -- meetings and their verdicts -------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """What the numbers of one meeting say, by the definitions alone.

    `impossible` names the counts that cannot be true (more present than members, more votes
    than people present, a negative count); while any is, nothing is judged (None).
    """

    impossible: tuple[str, ...] = ()
    quorum_met: bool | None = None
    majority_met: bool | None = None
    needed_present: int | None = None  # the fewest present that make a quorum
    needed_agree: int | None = None  # the fewest "for" votes that make a majority

    @property
    def passed(self) -> bool | None:
        if self.quorum_met is None or self.majority_met is None:
            return None
        return self.quorum_met and self.majority_met


def judge(members: int | None, present: int | None, agree: int | None = None, against: int | None = None,
          abstain: int | None = None, quorum: Fraction | None = None, majority: Fraction | None = None) -> Verdict:
    """Quorum: at least `quorum` of the members present. Majority: more than `majority` of those
    present vote for. Either is None where the meeting has no such rule or a count is missing."""
    impossible: list[str] = []
    counts = [count for count in (members, present, agree, against, abstain) if count is not None]
    if any(count < 0 for count in counts):
        impossible.append("negative")
    if members is not None and members <= 0 and "negative" not in impossible:
        impossible.append("no_members")
    if members is not None and present is not None and present > members:
        impossible.append("present_exceeds_members")
    votes = None if agree is None and against is None and abstain is None else (agree or 0) + (against or 0) + (abstain or 0)
    ceiling = present if present is not None else members
    if votes is not None and ceiling is not None and votes > ceiling:
        impossible.append("votes_exceed_present")
    if impossible:
        return Verdict(tuple(impossible))
    quorum_met = needed_present = None
    if quorum is not None and members is not None and present is not None:
        needed_present = math.ceil(quorum * members)
        quorum_met = present >= quorum * members
    majority_met = needed_agree = None
    if majority is not None and present is not None and agree is not None:
        needed_agree = math.floor(majority * present) + 1
        majority_met = agree > majority * present
    return Verdict((), quorum_met, majority_met, needed_present, needed_agree)


# -- the steps ---------------------------------------------------------------------------

class Step(Part):
    date: ClerkDate
    note: Text = ""


class Meeting(Step):
    """A meeting: how many should have come (应到), came (实到), and the vote, where there was one."""

    members: int | None = Field(None, ge=0)
    present: int | None = Field(None, ge=0)
    agree: int | None = Field(None, ge=0)
    against: int | None = Field(None, ge=0)
    abstain: int | None = Field(None, ge=0)

    @property
    def voted(self) -> bool:
        return self.agree is not None or self.against is not None or self.abstain is not None


class PartyMeeting(Meeting):
    """党员大会: the attendance is what its rule is about, so both counts are required."""

    members: int = Field(ge=0)
    present: int = Field(ge=0)


class Resolution(Meeting):
    """村民代表会议: attendance and the vote, both with rules; and the day the branch sent the
    representatives its topics (003: 提前3个工作日), where the clerk recorded it."""

    topics_sent: ClerkDate | None = None
    members: int = Field(ge=0)
    present: int = Field(ge=0)
    agree: int = Field(ge=0)
    against: int = Field(0, ge=0)
    abstain: int = Field(0, ge=0)


class Posting(Step):
    """A posting on the board (公开): from `date` to `until`, the end of its posting period."""

    until: ClerkDate | None = None

    @model_validator(mode="after")
    def _forward(self) -> Posting:
        if self.until is not None and self.until < self.date:
            raise PydanticCustomError("vp_posting_backwards", "until before date",
                                      {"start": self.date.isoformat(), "end": self.until.isoformat()})
        return self

    @property
    def days(self) -> int | None:
        return None if self.until is None else (self.until - self.date).days + 1


def working_days_before(sent: date, meeting: date) -> int:
    """Working days (Monday to Friday) from `sent`, counted if it is one, to the day before the
    meeting: topics sent on a Monday are 3 working days before a Thursday meeting. Public holidays
    are not known to the portal; a township that needs them sets a larger number."""
    days, day = 0, sent
    while day < meeting:
        days += day.weekday() < 5
        day += timedelta(days=1)
    return days


def latest_step(steps: dict[str, Any], order: tuple[str, ...]) -> tuple[str, date, dict[str, Any]] | None:
    """The latest-dated of the steps as the clerk wrote them (unparsable dates are skipped:
    validation names them)."""
    best: tuple[str, date, dict[str, Any]] | None = None
    for key in order:
        raw = steps.get(key)
        if not isinstance(raw, dict) or raw.get("date") is None:
            continue
        try:
            day = parse_date(raw["date"])
        except (ValueError, PydanticCustomError):
            continue
        if best is None or day >= best[1]:
            best = (key, day, raw)
    return best


def alias_lines(source: Source, aliases: dict[str, str]) -> None:
    """Derived fields point at the line of the value they came from."""
    lines = source.document.lines
    for name, dotted in aliases.items():
        if name not in lines and dotted in lines:
            lines[name] = lines[dotted]
