"""Throughput: one village-year at N records, end to end (load → published, Pagefind included),
against a plain `mkdocs build` with Material's default configuration over the same markdown
pages (the ones our templates render), side by side in the same run.

    python benchmarks/throughput.py [--sizes 100 1000 5000] [--work DIR]

Prints a Markdown table: record pages per second for ours and for plain MkDocs (with Material's
default navigation, i.e. every page in the nav, and with the nav limited to the home page), and
the ratios.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BIN, forget_qr_codes, median, run, synth  # noqa: E402


def _docs(content: Path, config: Path, docs: Path) -> int:
    """Render the village-year's markdown pages with our templates (as the build does)."""
    from generator.pipeline.check import check
    from generator.render.pages import render_village_year

    checked = check(content, config)
    village = checked.villages[0]
    year = village.years[0]
    render_village_year(village.village_year(year), docs, village.catalogue)
    for page in docs.rglob("*.md"):  # our own page templates (e.g. search.html) are not Material's
        text = page.read_text(encoding="utf-8")
        if text.startswith("---"):
            page.write_text(re.sub(r"(?m)^template:.*\n", "", text, count=1), encoding="utf-8")
    return len(village.village_year(year).records)


def _mkdocs_config(folder: Path, docs: Path, nav: bool, site: Path) -> Path:
    config = folder / ("mkdocs-nav.yml" if nav else "mkdocs-nonav.yml")
    text = f"site_name: 基准\ndocs_dir: {docs}\nsite_dir: {site}\ntheme:\n  name: material\n"
    if not nav:
        text += "nav:\n  - index.md\n"
    config.write_text(text, encoding="utf-8")
    return config


# Material's default navigation puts every page into every page: its build grows with the square of
# the pages (64 s at 1,000, so about half an hour at 5,000); above this it is left out.
NAV_LIMIT = 1000


class WarmUp:
    """A site of one page, built untimed by the tool about to be timed. This machine pages out
    what was not touched for a minute (DAMON), and each run here follows a minute of the other
    tool's: warmed up, each run starts with its tool's programs read, as on a machine that uses
    it, and times its build, not the disk reading them in."""

    def __init__(self, work: Path) -> None:
        self.folder = work / "warm-up"
        synth().generate(self.folder, villages=1, years=1, records=5, seed=9)
        (self.folder / "docs").mkdir(exist_ok=True)
        (self.folder / "docs" / "index.md").write_text("# 预热\n", encoding="utf-8")
        self.count = 0

    def _next(self) -> Path:
        self.count += 1
        return self.folder / "runs" / str(self.count)  # none removed before the benchmark ends

    def ours(self) -> None:
        run([str(BIN / "village-portal"), "build", "--content", str(self.folder / "content"), "--config",
             str(self.folder / "site_config"), "--out", str(self._next())])

    def mkdocs(self) -> None:
        run([str(BIN / "mkdocs"), "build", "-q", "-f",
             str(_mkdocs_config(self.folder, self.folder / "docs", False, self._next()))])


def measure(records: int, work: Path, repeats: int, warm: WarmUp) -> dict[str, float | None]:
    folder = work / f"r{records}"
    shutil.rmtree(folder, ignore_errors=True)
    synth().generate(folder, villages=1, years=1, records=records, seed=1)
    content, config = folder / "content", folder / "site_config"
    docs = folder / "docs"
    pages = _docs(content, config, docs)
    ours, nav, nonav = [], [], []
    for number in range(repeats):
        # Each run writes into a folder of its own, all removed when `make bench` ends: on a file
        # system without a journal, as here, files are slow to make for a minute after many were
        # removed (the kernel passes over the inodes freed lately).
        runs = work / "runs" / f"{records}-{number}"
        warm.ours()
        forget_qr_codes()  # each run a first build of these pages
        ours.append(run([str(BIN / "village-portal"), "build", "--content", str(content), "--config", str(config),
                         "--out", str(runs / "public")]))
        if records <= NAV_LIMIT:
            warm.mkdocs()
            nav.append(run([str(BIN / "mkdocs"), "build", "-q", "-f",
                            str(_mkdocs_config(folder, docs, True, runs / "site-nav"))]))
        warm.mkdocs()
        nonav.append(run([str(BIN / "mkdocs"), "build", "-q", "-f",
                          str(_mkdocs_config(folder, docs, False, runs / "site"))]))
    return {"records": pages, "ours": median(ours), "nav": median(nav) if nav else None, "nonav": median(nonav)}


def _against(n: int, ours: float, theirs: float | None) -> str:
    """Their seconds, their pages per second, and ours ÷ theirs in speed; dashes when not run."""
    if theirs is None:
        return "— | — | —"
    return f"{theirs:.1f} | {n / theirs:.0f} | {theirs / ours:.2f}×"


def table(rows: list[dict[str, float | None]]) -> str:
    lines = ["| records | ours (s) | ours pages/s | mkdocs+Material, default nav (s) | pages/s | ours ÷ it | "
             "mkdocs+Material, no nav (s) | pages/s | ours ÷ it |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        n, ours = row["records"], row["ours"]
        lines.append(f"| {n} | {ours:.1f} | {n / ours:.0f} | {_against(n, ours, row['nav'])} | "
                     f"{_against(n, ours, row['nonav'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="vp-bench-"))
    rows = []
    warm = WarmUp(work)
    for size in args.sizes:
        rows.append(measure(size, work, args.repeats if size <= 1000 else 1, warm))
        print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    result = table(rows)
    print(result)
    return result


if __name__ == "__main__":
    main()
