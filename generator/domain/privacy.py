"""Personal numbers: recognise resident ID, mobile and bank card numbers, and mask them.

Subsidy lists are public by policy, but the numbers in them are shown masked (`138****1234`,
`43*************618`); a full number anywhere else in a record stops the build.

One reading of digits in text (`digit_view`) serves the record check, column masking and the
last scan of the output alike, so that a form one of them misses, all miss, and tests see it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any, Iterator

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB/T 2260: the provinces' codes, the first two digits of every resident ID.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
# Mobile number blocks in use (MIIT): an amount or serial outside them is not a phone number.
_MOBILE_BLOCKS = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}")
# Card issuers (UnionPay 62, Visa 4, Mastercard 51-55 and 2221-2720, JCB 35, Discover 65, old
# domestic 60/9555-9559): a collective's account number starts otherwise, and is public.
_CARD_ISSUERS = re.compile(r"(?:62|60|65|4|5[1-5]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)|35|955[5-9])")
# What right after a number makes it an amount (13800000000分), not a phone number.
_UNITS = "元分角块万亿"
_CURRENCY = ("¥", "￥")


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


def _born(yyyymmdd: str) -> bool:
    try:
        day = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= day <= date.today()


def resident_id_ok(number: str) -> bool:
    """GB 11643: a province's code, a real birth date not in the future, and the check character
    (18 characters); the 15-digit IDs issued before 1999 have no check digit and a two-digit year."""
    if not number[:2].isdigit() or int(number[:2]) not in _PROVINCES or number[2:4] == "00":
        return False
    if len(number) == 15:
        return number.isdigit() and _born("19" + number[6:12])
    return id_checksum_ok(number) and _born(number[6:14])


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


def card_ok(digits: str) -> bool:
    return 16 <= len(digits) <= 19 and bool(_CARD_ISSUERS.match(digits)) and luhn_ok(digits)


def mobile_ok(digits: str) -> bool:
    return len(digits) == 11 and bool(_MOBILE_BLOCKS.fullmatch(digits))


@dataclass(frozen=True)
class Found:
    kind: NumberKind
    text: str  # as written in the text
    start: int = 0
    end: int = 0
    digits: str = ""  # as read: ASCII digits (and X)


# -- one reading of the digits in a text ----------------------------------------------------------

# Characters that mean nothing between two digits: format characters (category Cf: zero-width
# spaces and joiners, bidi marks, soft hyphens, the BOM).
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
# Separators typed between digit groups (with spaces around them or not): ASCII, full-width, dots
# and dashes of every kind, and the asterisks of Markdown emphasis.
_SEPARATORS = "\\-./_*\u00b7\u30fb\u2022\u2027\u2219\u22c5\u2010-\u2015\u2212\uff0d\uff0e\uff0f\uff3f\uff0a"
_SPACES = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_DIGITS = "\\dXx\uff38\uff58\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089+\uff0b"
# Inline markup a browser shows as nothing between two digits (1381234<b>5678</b>).
_INLINE_TAG = r"</?(?:a|b|i|u|s|em|strong|span|code|sub|sup|mark|del|ins|small|font|abbr)\b[^<>]{0,300}>"
# A stretch of text a number could be written in: every number lies inside one; only those
# with enough digits are read closely, which spares the reading of plain prose.
_STRETCH = re.compile("(?:[" + _DIGITS + _SEPARATORS + _SPACES + _INVISIBLE + "]|%[0-9A-Fa-f]{2}|" + _INLINE_TAG + ")+")
_ENOUGH = re.compile(r"(?:\D*\d){11}")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_TAG = re.compile(_INLINE_TAG)
_DASHES = set("-_*\u00b7\u30fb\u2022\u2027\u2219\u22c5/") | {chr(c) for c in range(0x2010, 0x2016)} | {"\u2212"}


@lru_cache(maxsize=4096)
def _read_char(char: str) -> str:
    """What one character is in a number: a digit, 'X', '-' (separator), ' ' (space), '' (nothing)
    or itself."""
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) == 1 and "0" <= folded <= "9":
        return folded
    value = unicodedata.decimal(char, None)
    if value is not None:
        return str(value)
    if folded in ("x", "X"):
        return "X"
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category == "Zs" or char == "\t":
        return " "
    if folded == ".":
        return "."
    if folded in _DASHES:
        return "-"
    return char


def digit_view(text: str) -> tuple[str, list[int], list[int]]:
    """`text` as a number reader sees it, character by character: every digit an ASCII digit,
    X for the ID check character, '-' for a separator and ' ' for a space; invisible characters,
    inline tags and nothing else dropped, %-encoded characters decoded. With each character's
    start and end in `text`, so that a match maps back to what was written."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            match = _PERCENT.match(text, index)
            if match:
                decoded = _read_char(chr(int(match.group(1), 16)))
                if decoded:
                    chars.append(decoded)
                    starts.append(index)
                    ends.append(match.end())
                index = match.end()
                continue
        elif char == "<":
            match = _TAG.match(text, index)
            if match:
                index = match.end()
                continue
        read = _read_char(char)
        if read:
            chars.append(read)
            starts.append(index)
            ends.append(index + 1)
        index += 1
    return "".join(chars), starts, ends


# Digit groups in a view, and what may stand between two groups of one number.
_GROUP = re.compile(r"\d+")
# A separator has spaces on both sides or none: "3.15. 104.15" (a sentence's or a list's end,
# as Pagefind joins table cells) is two numbers.
_GAP = re.compile(r" {1,3}|[-.]{1,2}| {1,3}[-.]{1,2} {1,3}")


def _groups(view: str) -> Iterator[list[tuple[int, int]]]:
    """Runs of digit groups that can be one number: each run a list of (start, end) in `view`."""
    run: list[tuple[int, int]] = []
    for match in _GROUP.finditer(view):
        if run:
            gap = view[run[-1][1]:match.start()]
            if view[run[-1][1]:run[-1][1] + 1] == "X" or not _GAP.fullmatch(gap):
                yield run
                run = []
        run.append(match.span())
    if run:
        yield run


def _amount_around(view: str, start: int, end: int) -> bool:
    """A number with a unit after it (分, 元) or a currency sign before it is an amount."""
    after = view[end:end + 3].lstrip(" ")
    before = view[max(0, start - 4):start].rstrip(" ")
    cents = re.match(r"\.\d{1,2}(?![\d.-])", view[end:end + 4])  # 13800000000.00
    return (after[:1] != "" and after[:1] in _UNITS) or before.endswith(_CURRENCY) or \
        before.upper().endswith("RMB") or cents is not None


def _candidates(view: str) -> list[tuple[int, int, NumberKind, str]]:
    found = []
    for run in _groups(view):
        for first in range(len(run)):
            digits = ""
            for last in range(first, len(run)):
                digits += view[run[last][0]:run[last][1]]
                if len(digits) > 19:
                    break
                start, end = run[first][0], run[last][1]
                with_x = view[end:end + 1] == "X"
                if len(digits) == 17 and with_x and resident_id_ok(digits + "X"):
                    found.append((start, end + 1, NumberKind.ID, digits + "X"))
                elif len(digits) in (15, 18) and resident_id_ok(digits):
                    found.append((start, end, NumberKind.ID, digits))
                if card_ok(digits):
                    found.append((start, end, NumberKind.BANK, digits))
                if mobile_ok(digits) and not (first == last and _amount_around(view, start, end)):
                    found.append((start, end, NumberKind.MOBILE, digits))
                for prefix in ("86", "0086"):  # +8613812345678: the country code glued on
                    if first == last and digits.startswith(prefix) and mobile_ok(digits[len(prefix):]):
                        found.append((start + len(prefix), end, NumberKind.MOBILE, digits[len(prefix):]))
    return found


_RANK = {NumberKind.ID: 0, NumberKind.BANK: 1, NumberKind.MOBILE: 2}


def _numbers_in(text: str) -> list[Found]:
    """Every personal number in `text`, the longest first where two overlap."""
    view, starts, ends = digit_view(text)
    chosen: list[tuple[int, int, NumberKind, str]] = []
    for candidate in sorted(_candidates(view), key=lambda c: (-(c[1] - c[0]), _RANK[c[2]], c[0])):
        if all(candidate[1] <= other[0] or candidate[0] >= other[1] for other in chosen):
            chosen.append(candidate)
    chosen.sort()
    return [Found(kind, text[starts[start]:ends[end - 1]], starts[start], ends[end - 1], digits)
            for start, end, kind, digits in chosen]


def _stretches(text: str) -> Iterator[tuple[int, str]]:
    """The stretches of `text` that hold at least 11 digits, with where each starts."""
    for match in _STRETCH.finditer(text):
        if _ENOUGH.match(match.group()) or "%3" in match.group():
            yield match.start(), match.group()


def find_personal_numbers(text: str) -> list[Found]:
    """Every full personal number in free text, however its digits are typed or grouped (see
    `digit_view`); masked ones (with *) never match. `Found.text` is the number as written."""
    found = []
    for offset, stretch in _stretches(text):
        view = stretch
        # A unit or currency sign next to the stretch decides whether a number is an amount.
        before = text[max(0, offset - 4):offset]
        after = text[offset + len(stretch):offset + len(stretch) + 2]
        for number in _numbers_in(before + view + after):
            start = number.start - len(before) + offset
            end = number.end - len(before) + offset
            if offset <= start and end <= offset + len(stretch):
                found.append(Found(number.kind, text[start:end], start, end, number.digits))
    return found


# -- masking ----------------------------------------------------------------------------------------

def _keep(masking: Any) -> dict[NumberKind, tuple[int, int]]:
    return {NumberKind.ID: (masking.id_start, masking.id_end),
            NumberKind.MOBILE: (masking.mobile_start, masking.mobile_end),
            NumberKind.BANK: (masking.bank_start, masking.bank_end)}


# In a column that holds personal numbers, any stretch of this many digits is one (a landline in
# a phone column, an ID with a wrong check digit in an ID column).
_COLUMN_DIGITS = {NumberKind.ID: 12, NumberKind.MOBILE: 7, NumberKind.BANK: 12}
_COLUMN_SHAPE = re.compile(r"[\dX](?:[\dX\-. ()+]*[\dX])?")


def mask_numbers(text: str, kind: NumberKind | None, masking: Any) -> str:
    """`text` with every personal number in it masked per the `masking` settings (`id_start`,
    `id_end`, `mobile_start` …). `kind` is what the text is meant to hold (its column or field):
    there, a number is masked even when it fails its checksum or is not a mobile number."""
    keep = _keep(masking)
    spans = [(found.start, found.end, keep[found.kind]) for found in find_personal_numbers(text)]
    if kind is not None and _STRETCH.search(text):
        view, starts, ends = digit_view(text)
        for match in _COLUMN_SHAPE.finditer(view):
            if sum(char.isdigit() for char in match.group()) >= _COLUMN_DIGITS[kind]:
                start, end = starts[match.start()], ends[match.end() - 1]
                if all(end <= other[0] or start >= other[1] for other in spans):
                    spans.append((start, end, keep[kind]))
    for start, end, (keep_start, keep_end) in sorted(spans, reverse=True):
        text = text[:start] + _masked(text[start:end], keep_start, keep_end) + text[end:]
    return text


def _masked(written: str, keep_start: int, keep_end: int) -> str:
    """A number as written, masked: its digits (as typed) with the middle ones as stars, and
    every separator and invisible character between them gone."""
    view, starts, ends = digit_view(written)
    chars = [written[start:end] if end - start == 1 else char
             for char, start, end in zip(view, starts, ends) if char.isdigit() or char == "X"]
    return mask("".join(chars), keep_start, keep_end) if len(chars) == len("".join(chars)) else \
        _mask_chars(chars, keep_start, keep_end)


def _mask_chars(chars: list[str], keep_start: int, keep_end: int) -> str:
    keep_start, keep_end = max(0, keep_start), max(0, keep_end)
    if keep_start + keep_end > len(chars) - 4:
        keep_start = keep_end = max(0, (len(chars) - 4) // 2)
    hidden = len(chars) - keep_start - keep_end
    return "".join(chars[:keep_start]) + "*" * hidden + ("".join(chars[len(chars) - keep_end:]) if keep_end else "")


def mask(text: str, keep_start: int, keep_end: int) -> str:
    """`13812341234` → `138****1234`; at least four characters always stay hidden."""
    return _mask_chars(list(re.sub(r"[\s\-－\u3000]", "", text)), keep_start, keep_end)
