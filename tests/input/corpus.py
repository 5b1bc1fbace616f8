"""A corpus of personal numbers as clerks (and attackers) write them, made at test time: valid
resident IDs (GB 11643), mobile numbers (blocks in use) and bank cards (issuer, Luhn), each in
every written form below; and legitimate numbers that look like them (contract serials, the
collective's accounts, amounts) that must never be refused."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Callable

from tests.unit._support import luhn_complete, resident_id

Form = Callable[[str, str], str]  # (number, kind) -> the number as written
GROUPS = {"id": (6, 8, 4), "id15": (6, 6, 3), "mobile": (3, 4, 4), "bank": (4, 4, 4, 4)}
OTHER_GROUPS = {"id": (4, 4, 4, 4, 2), "id15": (3, 3, 3, 3, 3), "mobile": (4, 3, 4), "bank": (6, 6)}
PROVINCES = ("11", "32", "43", "51", "65")


def _grouped(number: str, sizes: tuple[int, ...], separator: str) -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start:start + size])
        start += size
    if start < len(number):
        parts.append(number[start:])
    return separator.join(part for part in parts if part)


def _kind(kind: str, number: str) -> str:
    return "id15" if kind == "id" and len(number) == 15 else kind


def _separated(separator: str) -> Form:
    return lambda number, kind: _grouped(number, GROUPS[_kind(kind, number)], separator)


def _other(separator: str) -> Form:
    return lambda number, kind: _grouped(number, OTHER_GROUPS[_kind(kind, number)], separator)


def _between_digits(mark: str) -> Form:
    return lambda number, kind: mark.join(number)


FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
BOLD = str.maketrans("0123456789", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗")

FORMS: dict[str, Form] = {
    **{f"grouped with {name}": _separated(separator) for name, separator in [
        ("spaces", " "), ("no-break spaces", "\u00a0"), ("thin spaces", "\u2009"), ("narrow no-break spaces", "\u202f"),
        ("ideographic spaces", "\u3000"), ("dashes", "-"), ("spaced dashes", " - "), ("no-break spaced dashes", "\u00a0-\u00a0"),
        ("dots", "."), ("slashes", "/"), ("underscores", "_"), ("middle dots", "·"), ("full-width dashes", "－"),
        ("en dashes", "–"), ("spaced dots", " . "), ("spaced slashes", " / "), ("bidi marks", "\u200e"),
        ("zero-width spaces", "\u200b")]},
    **{f"other grouping with {name}": _other(separator) for name, separator in [
        ("spaces", " "), ("dashes", "-"), ("spaced dashes", " - "), ("dots", ".")]},
    **{f"{name} between every digit": _between_digits(mark) for name, mark in [
        ("LRM", "\u200e"), ("RLM", "\u200f"), ("zero-width space", "\u200b"), ("word joiner", "\u2060"),
        ("BOM", "\ufeff"), ("soft hyphen", "\u00ad"), ("zero-width joiner", "\u200d")]},
    "plain": lambda number, kind: number,
    "full-width digits": lambda number, kind: number.translate(FULL_WIDTH),
    "full-width, grouped with ideographic spaces": lambda number, kind: _separated("\u3000")(number, kind).translate(FULL_WIDTH),
    "mathematical bold digits": lambda number, kind: number.translate(BOLD),
    "after Latin letters": lambda number, kind: "sfz" + number,
    "after a colon and letters": lambda number, kind: "ID:" + number + "ok",
    "in a link's address": lambda number, kind: f"[查看](https://x.cn/q?n={number})",
    "%-encoded in a link": lambda number, kind: "[查看](https://x.cn/q?n=" + "".join(f"%{ord(c):02X}" for c in number) + ")",
    "%-encoded with %20 between groups": lambda number, kind: _separated("%20")(number, kind),
    "split by Markdown emphasis": lambda number, kind: f"{number[:7]}**{number[7:]}**",
    "split by inline HTML": lambda number, kind: f"{number[:5]}<b>{number[5:9]}</b>{number[9:]}",
    "bidi marks around spaced groups": lambda number, kind: _separated("\u200f \u200f")(number, kind),
    "country code first": lambda number, kind: ("+86 " if kind == "mobile" else "") + _separated(" ")(number, kind),
    "glued country code": lambda number, kind: ("+86" if kind == "mobile" else "") + number,
}


def valid_ids(rng: random.Random, count: int) -> list[str]:
    found = []
    while len(found) < count:
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(30_000))
        region = rng.choice(PROVINCES) + f"{rng.randrange(1, 30):02d}{rng.randrange(1, 30):02d}"
        if len(found) % 5 == 4:  # an old 15-digit ID
            found.append(region + born.strftime("%y%m%d") + f"{rng.randrange(1000):03d}")
        else:
            found.append(resident_id(region + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"))
    return found


def valid_mobiles(rng: random.Random, count: int) -> list[str]:
    blocks = ["138", "139", "150", "159", "166", "177", "186", "188", "199", "147"]
    return [rng.choice(blocks) + f"{rng.randrange(10**8):08d}" for _ in range(count)]


def valid_cards(rng: random.Random, count: int) -> list[str]:
    prefixes = ["622202", "621700", "623052", "436742", "622848", "625965"]
    return [luhn_complete(rng.choice(prefixes) + "".join(rng.choice("0123456789") for _ in range(rng.choice((9, 12)))))
            for _ in range(count)]


def numbers(seed: int = 25) -> dict[str, list[str]]:
    rng = random.Random(seed)
    return {"id": valid_ids(rng, 10), "mobile": valid_mobiles(rng, 10), "bank": valid_cards(rng, 10)}


def legitimate(seed: int = 25) -> list[str]:
    """At least 100 numbers a record holds that are nobody's: contract serials of 18 digits (a
    date and a sequence), the collective's Luhn-valid 16/19-digit accounts (no card issuer's
    prefix), 11-digit amounts in fen or with cents, vouchers and dates."""
    rng = random.Random(seed)
    found = []
    for _ in range(30):  # contract serials: HT + 18 digits, or 18 bare digits that start with a year
        serial = f"{rng.randrange(2015, 2027)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}" + \
            f"{rng.randrange(10**10):010d}"
        found.append(serial)
    for _ in range(30):  # random 18-digit serials: impossible birth dates or no province
        found.append(f"{rng.choice('0789')}{rng.randrange(10**17):017d}")
    for _ in range(25):  # the collective's accounts (对公账户): Luhn-valid, no card issuer's prefix
        prefix = rng.choice(["1902", "1818", "3301", "7311", "8112", "1207"])
        found.append(luhn_complete(prefix + "".join(rng.choice("0123456789") for _ in range(rng.choice((11, 14))))))
    for _ in range(15):  # amounts in fen, or with cents
        amount = f"1{rng.randrange(3, 10)}{rng.randrange(10**9):09d}"
        found.append(rng.choice([amount + "分", amount + "元", amount + ".00", "¥" + amount]))
    found += ["记-2025-0301", "202503010001", "2025-03-01", "0739-5521234", "430521801301123"]
    return found
