"""Personal numbers: recognise resident ID, mobile and bank card numbers, and mask them.

Subsidy lists are public by policy, but the numbers in them are shown masked (`138****1234`,
`43*************618`); a full number anywhere else in a record stops the build.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Digits not glued to other digits, so that part of a longer number is not taken for one.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
# Every number below has at least 11 digits, at most one space or dash apart: a cheap first look.
_CANDIDATE = re.compile(r"(?:\d[ -]?){10}\d")
_CARD = re.compile(r"(?<!\d)(\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?:[ -]?\d{1,3})?)(?!\d)")


@dataclass(frozen=True)
class Keep:
    """How many characters of each kind of number stay visible (settings.Masking's defaults)."""

    id_start: int = 2
    id_end: int = 3
    mobile_start: int = 3
    mobile_end: int = 4
    bank_start: int = 0
    bank_end: int = 4


DEFAULT_MASKING = Keep()


class NumberKind(StrEnum):
    ID = "id"
    MOBILE = "mobile"
    BANK = "bank"


def id_checksum_ok(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def _plausible_id15(number: str) -> bool:
    # 15-digit IDs (issued before 1999) carry YYMMDD at positions 7–12.
    month, day = int(number[8:10]), int(number[10:12])
    return 1 <= month <= 12 and 1 <= day <= 31


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass(frozen=True)
class Found:
    kind: NumberKind
    text: str


# Characters a number may be typed with besides ASCII digits, each as the one ASCII character it
# stands for: full-width digits and letters (a Chinese input method in full-width mode), any
# other script's decimal digits, and the spaces and dashes pasted from Word.
_FOLD_EXTRA = {"Ｘ": "X", "ｘ": "x", "－": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "＋": "+",
               "\u3000": " ", "\u00a0": " ", "\u2007": " ", "\u202f": " "}


_TO_FOLD = re.compile("(?![0-9])\\d|[" + "".join(_FOLD_EXTRA) + "]")


def _fold_char(match: re.Match[str]) -> str:
    char = match.group(0)
    value = unicodedata.decimal(char, None)
    return str(value) if value is not None else _FOLD_EXTRA.get(char, char)


def _fold(text: str) -> str:
    """The text with every digit as an ASCII digit, character for character (same length), so
    that a match's span is also the span of the number in the original text."""
    if text.isascii():
        return text
    return _TO_FOLD.sub(_fold_char, text)


# A run of the characters a personal number can be written with, as typed (before folding): every
# number below lies inside one such run of at least 11 characters. Looking only at those runs
# (and the character on either side, for the patterns' look-arounds) spares folding and
# scanning a whole page whose text holds none.
_RUN = re.compile("[\\dXx+ \\-" + re.escape("".join(_FOLD_EXTRA)) + "]{11,}")


def find_personal_numbers(text: str) -> list[Found]:
    """Every full personal number in free text, however its digits are typed (full-width ones
    too); masked ones (with *) never match. `Found.text` is the number as written in `text`."""
    found: list[Found] = []
    for run in _RUN.finditer(text):
        start = max(0, run.start() - 1)
        found += _numbers_in(text[start:run.end() + 1])
    return found


def _numbers_in(text: str) -> list[Found]:
    folded = _fold(text)
    found: list[Found] = []
    if not _CANDIDATE.search(folded):
        return found
    for match in _ID18.finditer(folded):
        if id_checksum_ok(match.group(1)):
            found.append(Found(NumberKind.ID, text[match.start(1):match.end(1)]))
    for match in _ID15.finditer(folded):
        if _plausible_id15(match.group(1)):
            found.append(Found(NumberKind.ID, text[match.start(1):match.end(1)]))
    for match in _MOBILE.finditer(folded):
        found.append(Found(NumberKind.MOBILE, text[match.start(1):match.end(1)]))
    for match in _CARD.finditer(folded):
        digits = re.sub(r"\D", "", match.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not id_checksum_ok(digits[:18]):
            found.append(Found(NumberKind.BANK, text[match.start(1):match.end(1)]))
    return found


def mask_numbers(text: str, kind: NumberKind | None, masking: Any) -> str:
    """`text` with every personal number in it masked per the `masking` settings (`id_start`,
    `id_end`, `mobile_start` …). `kind` is what the text is meant to hold (its column or field):
    there, a number is masked even when it fails its checksum or is not a mobile number."""
    keep = {
        NumberKind.ID: (masking.id_start, masking.id_end),
        NumberKind.MOBILE: (masking.mobile_start, masking.mobile_end),
        NumberKind.BANK: (masking.bank_start, masking.bank_end),
    }
    for found in find_personal_numbers(text):
        text = text.replace(found.text, mask(found.text, *keep[found.kind]))
    if kind is None:
        return text
    folded = _fold(text)
    # A number in an ID or account column is masked even when it fails its checksum, and any
    # telephone number in a phone column (a landline too): what the column is for is personal.
    shape = r"[\d\sXx-]{12,}" if kind is not NumberKind.MOBILE else r"\+?[\d\s()-]{7,}"
    for match in reversed(list(re.finditer(shape, folded))):
        if sum(char.isdigit() for char in match.group(0)) >= (7 if kind is NumberKind.MOBILE else 12):
            start, end = match.span()
            while start < end and not folded[start].isalnum():
                start += 1
            while end > start and not folded[end - 1].isalnum():
                end -= 1
            text = text[:start] + mask(text[start:end], *keep[kind]) + text[end:]
            folded = _fold(text)
    return text


def mask(text: str, keep_start: int, keep_end: int) -> str:
    """`13812341234` → `138****1234`; at least four characters always stay hidden."""
    chars = re.sub(r"[\s\-－\u3000]", "", text)
    keep_start = max(0, keep_start)
    keep_end = max(0, keep_end)
    if keep_start + keep_end > len(chars) - 4:
        keep_start = keep_end = max(0, (len(chars) - 4) // 2)
    hidden = len(chars) - keep_start - keep_end
    return chars[:keep_start] + "*" * hidden + (chars[len(chars) - keep_end:] if keep_end else "")
