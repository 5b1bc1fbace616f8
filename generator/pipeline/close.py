"""Closing a year: from then on builds never rewrite it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.archive.portal_manifest import seal
from generator.archive.published import manifest_of
from generator.archive.publish import VillagePlan, commit_portal, published_villages
from generator.archive.signing import load_key
from generator.domain.chain import CLOSE, Chain
from generator.domain.model import Village
from generator.engine import stopping
from generator.engine.staging import sweep_leftovers, working
from generator.fs.files import write_atomic
from generator.inputs.problems import InputError, Location, Problems, relative
from generator.pipeline.check import check
from generator.pipeline.township import build_portal


def close(content: Path, config: Path, out: Path, year: int, only: list[str] | None = None,
          as_of: date | None = None, key: Path | None = None) -> list[Village]:
    """Close a year: from now on builds never rewrite it. The year must be published as its
    records now stand; the log gets a closing entry, the village a closing notice."""
    out = out.resolve()
    signing_key = load_key(key, out) if key else None
    sweep_leftovers(out)
    checked = check(content, config, only, as_of=as_of, out=out)
    problems = Problems(checked.problems.errors)
    closing: list[tuple[Village, Chain]] = []
    for village in checked.villages:
        manifest = manifest_of(village.archive, year)
        location = Location(relative(content / village.id / str(year)))
        if manifest is None:
            problems.add(location, "close_not_published", year=year)
            continue
        if village.archive.closed(year):
            continue
        current = {r.source.key: r.source.fingerprint for r in village.records if r.year == year}
        if current and current != manifest.records:
            problems.add(location, "close_not_current", year=year)
            continue
        chain = Chain(list(village.archive.chain.entries))
        chain.append(CLOSE, year, manifest.revision, manifest.root)
        closing.append((village, chain))
    if problems.errors:
        raise InputError(problems)
    if not closing:
        return []
    with working(out, "close") as work:
        plans = [VillagePlan(village.summary(), village.archive.village_dir, chain) for village, chain in closing]
        first = closing[0][0]
        portal = build_portal(first.settings, first.catalogue, plans, published_villages(out), work / "_portal",
                              signing_key.public if signing_key else "")
        stopping.starting()
        with stopping.publishing(out):  # not cut between one village's log and another's
            for village, chain in closing:
                write_atomic(village.archive.village_dir / "log.jsonl", chain.text())
            commit_portal(out, portal)
            seal(out, signing_key, {village.id for village, _ in closing})  # the closing entry is signed too
    return [village for village, _ in closing]
