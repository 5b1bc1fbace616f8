"""One village-year, from its records to a finished site folder: render → site → index → audit."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Callable, Iterator

from generator.archive.manifest import FORMAT, digests
from generator.domain.model import BuiltYear, Village
from generator.domain.settings import deep_merge
from generator.engine.staging import scratch
from generator.engine.workers import share
from generator.inputs.problems import InputError
from generator.render.pages import YearPages
from generator.render.pdf import print_bulletins
from generator.site.audit import audit_tree
from generator.site.audit import problems_of as leak_problems
from generator.site.mkdocs import build_site
from generator.site.record_pages import RecordPages
from generator.site.search_index import Indexing

Progress = Callable[[str], None]


def build_village_year(village: Village, year: int, work: Path, progress: Progress,
                       published_as: str = "", inputs: str = "", workers: int = 1,
                       keep_shells: Path | None = None) -> BuiltYear:
    """One village-year, from its records to a finished site folder: render → site → index →
    audit (no full personal number in any file; `published_as` names the site's folder in errors).
    `inputs` is the fingerprint of what it is made from, for its manifest; its record pages are
    rendered in `workers` processes, and their shells kept in `keep_shells` (preview.py)."""
    catalogue = village.catalogue
    village_year = village.village_year(year)
    progress(catalogue.text("report.building", village=village.settings.name, year=year,
                            count=len(village_year.records)))
    site = work / "site"
    shown_as = published_as or f"{village.id}/{year}"
    pages = YearPages(village_year, catalogue)
    indexing = Indexing(site)
    with scratch() as folder:
        docs = folder / "docs"
        nav = pages.write_docs(docs)
        # The record pages are written, scanned and given to the index as MkDocs lays out the rest.
        records = RecordPages(pages, site, shown_as, indexing, share(workers) if workers > 1 else None, keep_shells)
        # The sitemap's lastmod is the newest record's day, not the build's: rebuilt on a later day
        # from the same records, a year's sitemap is the same bytes.
        with _build_time(max((record.date for record in village_year.records), default=date(year, 1, 1))):
            laid_out = build_site(docs, site, site_name=pages.site_name, nav=nav, catalogue=catalogue,
                                  overrides=deep_merge(village.settings.mkdocs, {"extra": {"home": _home(village, year),
                                                                                        "footer": str(pages.footer)}}),
                                  site_url=_site_url(village, year),
                                  records=records)
            pages.write_catalogue(site, records.datasets)
            if village.settings.printing.pdf:  # the printed bulletins, as files of the year's site
                print_bulletins(site, village_year, progress, catalogue)
    # While Pagefind makes the index: every file not scanned as it was written, and the digests
    # of all; then the index's files.
    indexing.seal()
    leaks = records.leaks + audit_tree(site, shown_as, laid_out.files)
    files = digests(site)
    indexing.finish()
    leaks += audit_tree(site / "pagefind", f"{shown_as}/pagefind")
    if leaks:
        raise InputError(leak_problems(leaks, village_year.records))
    files |= {f"pagefind/{path}": digest for path, digest in digests(site / "pagefind").items()}
    corrected = village.corrected.get(year)
    notice = corrected.notice if corrected else None
    fingerprints = {record.source.key: record.source.fingerprint for record in village_year.records}
    return BuiltYear(site, dict(sorted(files.items())), fingerprints, notice.source.key if notice else None, inputs,
                     notice.date.isoformat() if notice else None)


@contextmanager
def _build_time(day: date) -> Iterator[None]:
    """MkDocs stamps the sitemap with the build time: make it `day` unless SOURCE_DATE_EPOCH
    says otherwise, so the same records give the same bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(day, time(), tzinfo=timezone.utc).timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _site_url(village: Village, year: int) -> str | None:
    base = village.settings.site_url
    return f"{base.rstrip('/')}/{village.id}/{year}/" if base else None


def _home(village: Village, year: int) -> dict[str, str]:
    """How the year's 404 page finds the year's home under any sub-path (overrides/404.html)."""
    return {"path": f"{village.id}/{year}/", "format": FORMAT, "url": _site_url(village, year) or ""}
