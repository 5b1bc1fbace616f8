"""A long list of a section's records split into pages (issue 19): at 2,000 records one list
was 42 KB gzip on a phone's first view; 50 a page keeps it under 30 KB. Page 1 is the section's
own address; page n is `<section>/page_n/` (a record's id has no `_`, so no record can be named
so). Links are relative, and every page links the one before and after it: every record is
reachable without script."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, TypeVar

PER_PAGE = 50
# Page numbers linked on either side of the current page; the first and the last always are.
AROUND = 2

T = TypeVar("T")


def folder(number: int) -> str:
    """The page's folder under its section ("" for the first)."""
    return "" if number == 1 else f"page_{number}"


@dataclass(frozen=True)
class Paging:
    """Where one page is in the list: its number, the number of pages, and its records' places."""

    number: int
    count: int
    first: int  # the first record shown, counted from 1
    last: int
    total: int

    @property
    def base(self) -> str:
        """From this page to the section's folder (its records are in it)."""
        return "" if self.number == 1 else "../"

    def href(self, number: int) -> str:
        """A relative link from this page to page `number`."""
        return f"{self.base}{folder(number)}/" if number > 1 else (self.base or "./")

    def shown(self) -> list[int | None]:
        """The page numbers to link, None where some are left out (the next and previous links
        still reach them): 40 numbers would be a screenful on a phone."""
        keep = {1, self.count, *range(self.number - AROUND, self.number + AROUND + 1)}
        numbers: list[int | None] = []
        for number in range(1, self.count + 1):
            if number in keep:
                numbers.append(number)
            elif numbers[-1] is not None:
                numbers.append(None)
        return numbers


def split(records: Sequence[T], per_page: int = PER_PAGE) -> list[tuple[Paging | None, Sequence[T]]]:
    """The pages of a list, in its order; a list that fits on one page is one page with no
    Paging (nothing to show)."""
    if len(records) <= per_page:
        return [(None, records)]
    count = -(-len(records) // per_page)
    return [(Paging(number, count, start + 1, min(start + per_page, len(records)), len(records)),
             records[start:start + per_page])
            for number, start in enumerate(range(0, len(records), per_page), start=1)]
