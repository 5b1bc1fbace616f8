"""Stage 7, publish: put built sites into the output folder, with their manifests and the log.

    public/index.html                   the township page
    public/<village>/<year>/            one complete site per year: the snapshot, with
                                        manifest.json and the log up to its publication
    public/<village>/<year>-r<N>/       an earlier revision of a corrected closed year
    public/<village>/log.jsonl          the village's publication log, hash-chained
    public/<village>/changes/           that log for people, in Chinese
    public/<village>/closed/<year>/     the closing notice of a closed year, with its root hash
    public/<village>/index.html         → the newest year (a plain redirect: no symlinks needed)
    public/<village>/latest/...         → the same page in the newest year, page by page
    public/<village>/versions.json      the years, for Material's version selector (mike's format)
    public/<village>/village.json       the village's summary, for the township page
    public/<village>/feed.xml           its newest records, as an Atom feed

Publishing is planned first (manifests and log entries computed, written into the staged
sites) and committed after: each year folder is swapped in by one atomic exchange, so a
publish killed at any moment leaves every year either as it was or as it is now, and the
archive verifiable either way.
"""

from __future__ import annotations

import copy
import filecmp
import json
import os
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment

from generator.domain.chain import LOG_FILE, PUBLISH, Chain, Entry
from generator.archive.manifest import MANIFEST_FILE, Manifest
from generator.fs.files import exchange, write_atomic
from generator.fs.link_copy import link_copy
from generator.render.datapackage import CATALOG
from generator.domain.model import Archive, BuiltYear, FeedEntry, VillageSummary

VILLAGE_SUMMARY = "village.json"
FEED = "feed.xml"
FEED_SIZE = 50  # the newest records a feed lists


@dataclass
class YearPublication:
    year: int
    site: Path  # staged, with its manifest and log copy
    target: Path
    manifest: Manifest
    entry: Entry
    keep_as: Path | None = None  # where the earlier revision stays online


@dataclass
class VillagePlan:
    summary: VillageSummary
    village_dir: Path
    chain: Chain
    years: list[YearPublication] = field(default_factory=list)
    notices: list[FeedEntry] = field(default_factory=list)  # the village's records, every year
    # Years rebuilt from changed inputs into the very pages online: only their manifest changes.
    refreshed: list[Manifest] = field(default_factory=list)

    @property
    def published_years(self) -> list[int]:
        return sorted({e.year for e in self.chain.entries if e.action == PUBLISH}, reverse=True)


def swap_in(new: Path, target: Path) -> None:
    """Put folder `new` at `target` atomically; the old one is removed afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    exchange(new, target)
    if new.exists():
        shutil.rmtree(new)


def plan_village(summary: VillageSummary, built: dict[int, BuiltYear], archive: Archive) -> VillagePlan:
    """Manifests and log entries for every built year whose site or records changed (the feed's
    notices are added where the village is published)."""
    plan = VillagePlan(summary, archive.village_dir, copy.deepcopy(archive.chain))
    for year, built_year in sorted(built.items()):
        target = archive.village_dir / str(year)
        before = Manifest.read(target)
        corrected = archive.closed(year) and before is not None
        revision = before.revision + 1 if corrected and before else (before.revision if before else 1)
        manifest = Manifest.of_files(built_year.files, summary.id, year, revision, built_year.records,
                                     built_year.inputs)
        if before and manifest.root == before.root and manifest.records == before.records:
            # Nothing to publish: the year online is this one already. Its manifest learns the new
            # inputs (no log entry: the root is the same), so the next build skips the year.
            if manifest.inputs != before.inputs:
                plan.refreshed.append(replace(before, inputs=manifest.inputs))
            continue
        entry = plan.chain.append(PUBLISH, year, revision, manifest.root, manifest.changes_since(before),
                                  built_year.correction if corrected else None,
                                  built_year.correction_date if corrected else None)
        manifest.write(built_year.site)
        # The year's copy of the log ends at its own entry: it must hold even if the publish of
        # a later year in this run never happens.
        (built_year.site / LOG_FILE).write_text(Chain(list(plan.chain.entries)).text(), encoding="utf-8")
        keep_as = archive.village_dir / f"{year}-r{before.revision}" if corrected and before else None
        plan.years.append(YearPublication(year, built_year.site, target, manifest, entry, keep_as))
    return plan


def commit_village(plan: VillagePlan, env: Environment, year_title: Callable[..., str]) -> list[Path]:
    """Publish a village as planned; returns the files written (not the years' sites moved in,
    which were scanned as they were built, nor the hard links of earlier revisions)."""
    village_dir = plan.village_dir
    village_dir.mkdir(parents=True, exist_ok=True)
    written = []

    def write(path: Path, text: str) -> None:
        write_atomic(path, text)
        written.append(path)

    for manifest in plan.refreshed:
        write(village_dir / str(manifest.year) / MANIFEST_FILE, manifest.text())
    for publication in plan.years:
        if publication.keep_as is not None and not publication.keep_as.exists():
            # Hard links: the earlier revision stays online without a byte being rewritten.
            link_copy(publication.target, publication.keep_as)
        swap_in(publication.site, publication.target)
    write(village_dir / LOG_FILE, plan.chain.text())
    years = plan.published_years
    if not years:
        return written
    written += write_latest(village_dir, years[0], env, plan.summary.name)
    write(village_dir / "versions.json", json.dumps(versions(years, year_title), ensure_ascii=False, indent=2) + "\n")
    write(village_dir / "index.html", _redirect(env, f"{years[0]}/", plan.summary.name))
    write(village_dir / FEED, feed(plan, env))
    summary = replace(plan.summary, years=years)
    write(village_dir / VILLAGE_SUMMARY, json.dumps(asdict(summary), ensure_ascii=False, indent=2) + "\n")
    return written


def feed(plan: VillagePlan, env: Environment) -> str:
    """The village's Atom feed: its newest records in the years published, newest first."""
    published = set(plan.published_years)
    notices = sorted((notice for notice in plan.notices if notice.year in published),
                     key=lambda notice: (notice.day, notice.year, notice.path), reverse=True)[:FEED_SIZE]
    return env.get_template(FEED).render(village=plan.summary, notices=notices, feed_file=FEED,
                                         feed_id=f"urn:village-portal:{plan.summary.id}")


def versions(years: list[int], year_title: Callable[..., str]) -> list[dict[str, Any]]:
    """mike's versions.json: newest first, the newest with alias `latest`."""
    return [
        {"version": str(year), "title": year_title(year=year), "aliases": ["latest"] if index == 0 else []}
        for index, year in enumerate(years)
    ]


def _redirect(env: Environment, target: str, title: str) -> str:
    return env.get_template("redirect.html").render(target=target, title=title)


def write_latest(village_dir: Path, newest: int, env: Environment, title: str) -> list[Path]:
    """`latest/<page>` for every page of the newest year, each a redirect to that page. Only what
    differs is written (and returned), and a stub for a page that is gone is removed: a publish
    that adds one page writes one. (Publishing happens in a copy of the output made of hard
    links, so a stub is replaced, never written into.)"""
    site, latest = village_dir / str(newest), village_dir / "latest"
    wanted = {}
    for page in sorted(site.rglob("index.html")):
        relative = page.relative_to(site)
        if relative.parts[0] in ("assets", "pagefind"):
            continue
        up = "../" * len(relative.parts)
        folder = "/".join(relative.parts[:-1])
        wanted[relative] = _redirect(env, f"{up}{newest}/{folder + '/' if folder else ''}", title)
    for stub in sorted(latest.rglob("*"), reverse=True) if latest.is_dir() else []:
        if stub.is_dir():
            if not any(stub.iterdir()):
                stub.rmdir()
        elif stub.relative_to(latest) not in wanted:
            stub.unlink()
    written = []
    for relative, text in wanted.items():
        stub = latest / relative
        if not stub.exists() or stub.read_text(encoding="utf-8") != text:
            write_atomic(stub, text)
            written.append(stub)
    return written


def published_villages(out: Path) -> list[VillageSummary]:
    """Every village in the output folder, including those this build did not touch."""
    if not out.is_dir():
        return []
    return [VillageSummary.read(path) for path in sorted(out.glob(f"*/{VILLAGE_SUMMARY}"))]


def commit_portal(out: Path, built: Path) -> list[Path]:
    """The township page, the villages' changes pages and closing notices, and the theme files
    they share, from the small site built for them beside `out`; returns the files put there. A
    page the same as the one there is left as it is (a closed year's notice, once written)."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / path.relative_to(built) for path in (built / "assets").rglob("*") if path.is_file()]
    swap_in(built / "assets", out / "assets")
    # The pages, and the township's catalogue of the villages' data packages (render/datapackage.py).
    for page in sorted([*built.rglob("*.html"), *built.glob(CATALOG)]):
        target = out / page.relative_to(built)
        if target.is_file() and filecmp.cmp(page, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(page, target)
        written.append(target)
    return written
