"""Helpers for the unit tests: personal numbers computed here, independently of generator.domain.privacy."""

from __future__ import annotations

import itertools
from typing import Any

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # GB 11643: remainder -> check character


def resident_id(first17: str) -> str:
    """A resident ID number with its GB 11643 check character."""
    assert len(first17) == 17 and first17.isdigit()
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS))
    return first17 + _ID_CHECK[total % 11]


def resident_id_ending(suffix: str, region: str = "430521", birth: str = "19800101") -> str:
    """A checksum-valid ID whose last characters are `suffix` (e.g. "618", "X")."""
    for sequence in itertools.product("0123456789", repeat=3):
        for day in range(1, 29):
            first17 = region + birth[:6] + f"{day:02d}" + "".join(sequence)
            number = resident_id(first17)
            if number.endswith(suffix):
                return number
    raise AssertionError(f"no ID ending in {suffix}")


def with_wrong_check(number: str) -> str:
    """The same ID with a check character that does not match."""
    wrong = "1" if number[17] != "1" else "2"
    return number[:17] + wrong


def luhn_complete(prefix: str) -> str:
    """`prefix` plus the one digit that makes it pass the Luhn check (a bank card number)."""
    for digit in "0123456789":
        candidate = prefix + digit
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def luhn_broken(prefix: str) -> str:
    good = luhn_complete(prefix)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def with_key(checked: Any, key: str) -> list[Any]:
    """The problems of a `generator.pipeline.build.check` result with this message key."""
    return [problem for problem in checked.problems if problem.key == key]


def keys(checked: Any) -> list[str]:
    return [problem.key for problem in checked.problems]
