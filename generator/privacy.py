"""Personal numbers: recognise resident ID, mobile and bank card numbers, and mask them.

Subsidy lists are public by policy, but the numbers in them are shown masked (`138****1234`,
`43*************618`); a full number anywhere else in a record stops the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Digits not glued to other digits, so that part of a longer number is not taken for one.
_ID18 = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_CARD = re.compile(r"(?<!\d)(\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?:[ -]?\d{1,3})?)(?!\d)")


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


def find_personal_numbers(text: str) -> list[Found]:
    """Every full personal number in free text; masked ones (with *) never match."""
    found: list[Found] = []
    for match in _ID18.finditer(text):
        if id_checksum_ok(match.group(1)):
            found.append(Found(NumberKind.ID, match.group(1)))
    for match in _ID15.finditer(text):
        if _plausible_id15(match.group(1)):
            found.append(Found(NumberKind.ID, match.group(1)))
    for match in _MOBILE.finditer(text):
        found.append(Found(NumberKind.MOBILE, match.group(1)))
    for match in _CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not id_checksum_ok(digits[:18]):
            found.append(Found(NumberKind.BANK, match.group(1)))
    return found


def mask(text: str, keep_start: int, keep_end: int) -> str:
    """`13812341234` → `138****1234`; at least four characters always stay hidden."""
    chars = re.sub(r"[\s-]", "", text)
    keep_start = max(0, keep_start)
    keep_end = max(0, keep_end)
    if keep_start + keep_end > len(chars) - 4:
        keep_start = keep_end = max(0, (len(chars) - 4) // 2)
    hidden = len(chars) - keep_start - keep_end
    return chars[:keep_start] + "*" * hidden + (chars[len(chars) - keep_end:] if keep_end else "")
