"""Stage 7, publish: move built sites into the output folder, and write what ties them together.

    public/index.html                   the township page
    public/<village>/index.html         → the newest year (a plain redirect: no symlinks needed)
    public/<village>/latest/...         → the same page in the newest year, page by page
    public/<village>/versions.json      the years, for Material's version selector (mike's format)
    public/<village>/village.json       the village's summary, for the township page
    public/<village>/<year>/            one complete site per year

Whole folders are swapped in by renames, so a reader never sees half a site.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

VILLAGE_SUMMARY = "village.json"


@dataclass
class VillageSummary:
    id: str
    name: str
    years: list[int]  # newest first
    latest_date: str | None  # ISO date of the newest disclosure
    records: int

    @classmethod
    def read(cls, path: Path) -> VillageSummary:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def swap_in(new: Path, target: Path) -> None:
    """Put folder `new` where `target` is, replacing it; the old one is removed afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    if old.exists():
        shutil.rmtree(old)


def versions(years: list[int], catalogue_year: Any) -> list[dict[str, Any]]:
    """mike's versions.json: newest first, the newest with alias `latest`."""
    return [
        {"version": str(year), "title": catalogue_year(year=year), "aliases": ["latest"] if index == 0 else []}
        for index, year in enumerate(years)
    ]


def _redirect(env: Environment, target: str, title: str) -> str:
    return env.get_template("redirect.html").render(target=target, title=title)


def write_latest(village_dir: Path, newest: int, env: Environment, title: str, staging: Path) -> None:
    """`latest/<page>` for every page of the newest year, each a redirect to that page."""
    site = village_dir / str(newest)
    latest = staging / "latest"
    for page in sorted(site.rglob("index.html")):
        relative = page.relative_to(site)
        if relative.parts[0] in ("assets", "pagefind"):
            continue
        up = "../" * len(relative.parts)
        folder = "/".join(relative.parts[:-1])
        target = f"{up}{newest}/{folder + '/' if folder else ''}"
        stub = latest / relative
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(_redirect(env, target, title), encoding="utf-8")
    swap_in(latest, village_dir / "latest")


def publish_village(
    out: Path,
    summary: VillageSummary,
    built_years: dict[int, Path],
    env: Environment,
    year_title: Any,
    staging: Path,
) -> None:
    village_dir = out / summary.id
    for year, site in sorted(built_years.items()):
        swap_in(site, village_dir / str(year))
    newest = summary.years[0]
    write_latest(village_dir, newest, env, summary.name, staging)
    write_atomic(village_dir / "versions.json",
                 json.dumps(versions(summary.years, year_title), ensure_ascii=False, indent=2) + "\n")
    write_atomic(village_dir / "index.html", _redirect(env, f"{newest}/", summary.name))
    write_atomic(village_dir / VILLAGE_SUMMARY, json.dumps(asdict(summary), ensure_ascii=False, indent=2) + "\n")


def published_villages(out: Path) -> list[VillageSummary]:
    """Every village in the output folder, including those this build did not touch."""
    if not out.is_dir():
        return []
    return [VillageSummary.read(path) for path in sorted(out.glob(f"*/{VILLAGE_SUMMARY}"))]


def publish_township(out: Path, built: Path) -> None:
    """The township page and the theme files it needs, from a small site built beside `out`."""
    out.mkdir(parents=True, exist_ok=True)
    swap_in(built / "assets", out / "assets")
    for name in ("index.html", "404.html"):
        if (built / name).exists():
            os.replace(built / name, out / name)
