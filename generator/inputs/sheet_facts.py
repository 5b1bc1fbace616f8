"""The facts a clerk writes above a sheet's header (公布日期：2026年2月5日  公示至：2026年2月20日):
the day the sheet went up on the board, its posting period, who issued it, read as the record's
`date`, `posted_until` and `issuer` where the YAML beside the workbook does not give them; and,
for a list kept a sheet a period, its title row (河口村2026年第一季度低保名单公示) as its title.

Only rows above the header are read, and only labels known here: a title (河口村现金日记账) or
a unit (单位：元) stays a title. The text is kept as written; the kind reads the dates as it reads
the YAML's (2026年2月5日, 2026-02-05 …)."""

from __future__ import annotations

import re

# The labels clerks put before each fact, by the record field the fact fills.
FACT_LABELS = {
    "date": ("公布日期", "公开日期", "公示日期", "张贴日期", "公布时间", "公开时间"),
    "posted_until": ("公示至", "公示截止", "公示截止日期", "截止日期", "公示到"),
    "issuer": ("公布单位", "公开单位", "发布单位", "公示单位"),
    "period_span": ("公示期", "公示期限", "公示时间"),  # 2026年2月5日至2026年2月20日: both days
}
_LABEL = re.compile("(" + "|".join(sorted((label for labels in FACT_LABELS.values() for label in labels),
                                          key=len, reverse=True)) + r")\s*[:：]")
_FIELD = {label: field for field, labels in FACT_LABELS.items() for label in labels}
_SPAN = re.compile(r"^(.+?)\s*(?:至|到|—|－|~|～)\s*(.+)$")
_SEPARATORS = " \t\u3000;；,，。"


def is_fact_row(cells: list[str]) -> bool:
    """A row above the header whose every filled cell starts with a known label (a header cell never has a colon)."""
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(_LABEL.match(cell.strip()) for cell in filled)


def facts_of(rows: tuple[tuple[int, str], ...]) -> tuple[dict[str, tuple[str, int]], list[tuple[int, str]]]:
    """field → (its text, its line) from the rows above a header; and the labels given twice
    (line, label), which are the clerk's to settle."""
    found: dict[str, tuple[str, int]] = {}
    twice: list[tuple[int, str]] = []
    for line, text in rows:
        matches = list(_LABEL.finditer(text))
        for number, match in enumerate(matches):
            end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
            value = text[match.end():end].strip(_SEPARATORS)
            if not value:
                continue
            field = _FIELD[match[1]]
            pairs = [(field, value)]
            if field == "period_span":
                span = _SPAN.match(value)
                pairs = [("date", span[1]), ("posted_until", span[2])] if span else [("date", value)]
            for name, text_value in pairs:
                if name in found:
                    twice.append((line, match[1]))
                else:
                    found[name] = (text_value.strip(_SEPARATORS), line)
    return found, twice


def same_fact(written: object, stated: str) -> bool:
    """Whether the YAML's value and the sheet's say the same: dates by their numbers (2026-02-05
    and 2026年2月5日 agree), anything else by its text."""
    numbers = [int(part) for part in re.findall(r"\d+", str(written))]
    if len(numbers) == 3 and numbers == [int(part) for part in re.findall(r"\d+", stated)]:
        return True
    return str(written).strip() == stated.strip()


def title_of(rows: tuple[tuple[int, str], ...]) -> tuple[str, int] | None:
    """The first row above the header that is no fact (the sheet's title), with its line."""
    return next(((text, line) for line, text in rows if text and not _LABEL.search(text)), None)
