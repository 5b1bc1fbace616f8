"""Stages 4 to 6 for record pages, in one go each: a village-year's thousands of record pages are
rendered (render.YearPages.record), put into their folder's shell (site.Shell), written, looked
over for full personal numbers (audit.scan_page) and spelt out for the search index
(index.spell_out), each page while it is in memory, never read back. They are shared out among
worker processes (by `share`, which the engine gives), and given to the index as they come back, so that Pagefind indexes them while
the next are written; the year's other pages go through the stages one after another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from typing import Callable, Iterable

from generator.site.audit import Leak, leaks_in, scan_page
from generator.site.search_index import Indexing, spell_out, to_index
from generator.render.opendata import Dataset
from generator.render.pages import RenderedRecord, YearPages, page_body
from generator.domain.model import Section
from generator.domain.kinds import Record
from generator.site.mkdocs import LaidOut, Shell, as_markdown_gives, page_names

# Pages a worker writes at a time: small enough to share the work out evenly.
_CHUNK = 25


@dataclass
class RecordPages:
    """The record pages of a village-year, written into its site (`site.RecordLayout`)."""

    pages: YearPages
    site: Path
    shown_as: str  # the site's folder as published, to name a file with a leak
    indexing: Indexing  # the site's search index, given each page as it is written
    # How chunks of pages are shared out among processes (engine.workers.share), or None: here.
    share: Callable[[Callable[[range], list[_Written]], list[range]], Iterable[list[_Written]]] | None = None
    keep_shells: Path | None = None  # where the shells are kept, for serve --watch (preview.py)
    leaks: list[Leak] = field(default_factory=list)
    datasets: dict[str, list[Dataset]] = field(default_factory=dict)  # by page address

    @property
    def folders(self) -> list[str]:
        return sorted({section.name for section, _ in self.pages.records})

    def lay_out(self, shells: dict[str, Shell]) -> LaidOut:
        if self.keep_shells is not None:
            for folder, shell in shells.items():
                shell.save(self.keep_shells / f"{folder}.json")
        records = self.pages.records
        chunks = [range(start, min(start + _CHUNK, len(records))) for start in range(0, len(records), _CHUNK)]
        write = partial(_write, self, shells, records)
        if self.share is None or len(chunks) <= 1:
            done: Iterable[list[_Written]] = map(write, chunks)
        else:
            for _, record in records:  # each template compiled once, here, before the work is shared
                self.pages.env.get_template(f"{record.section}/record.html")
            done = self.share(write, chunks)
        laid_out = LaidOut([], set(), set())
        for shell in shells.values():
            classes, ids = page_names("".join(shell.pieces))
            laid_out.classes |= classes
            laid_out.ids |= ids
        for written in done:
            for page in written:
                laid_out.urls.append(page.url)
                laid_out.classes |= page.classes
                laid_out.ids |= page.ids
                self.leaks += page.leaks
                self.datasets[page.url] = page.datasets
                if page.spelt_out is not None:
                    self.indexing.add(f"{page.url}index.html", page.spelt_out)
        return laid_out


@dataclass
class _Written:
    url: str
    datasets: list[Dataset]
    leaks: list[Leak]
    classes: set[str]
    ids: set[str]
    spelt_out: str | None  # for the search index, if it is indexed


def _write(job: RecordPages, shells: dict[str, Shell], records: list[tuple[Section, Record]],
           chunk: range) -> list[_Written]:
    written = []
    for index in chunk:
        section, record = records[index]
        shell = shells[section.name]
        page = job.pages.record(section, record, job.site)
        content = content_of(page)
        html = in_shell(page, shell, content)
        path = job.site / page.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        classes, ids = page_names(page.html)
        leaks = leaks_in(f"{job.shown_as}/{page.url}index.html", scan_page(html))
        spelt_out = spell_out(shell.for_search(content)) if to_index(content) else None
        written.append(_Written(page.url, page.datasets, leaks, classes, ids, spelt_out))
    return written


def content_of(page: RenderedRecord) -> str:
    """A record's content as MkDocs would have put it into its page: as Markdown gives it back
    from the page's Markdown file (render.write_page)."""
    return as_markdown_gives(page_body(page.html))


def in_shell(page: RenderedRecord, shell: Shell, content: str) -> str:
    """A record's page in its folder's shell, as MkDocs would have laid it out (escaped title and
    description, and the `content_of` the page)."""
    return shell.page(page.url, escape(page.title), escape(page.description), content)
