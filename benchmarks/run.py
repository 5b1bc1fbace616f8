"""`make bench`: run the benchmarks and write benchmarks/RESULTS.md (figures, machine, date).

    python benchmarks/run.py [--sizes 100 1000 5000] [--repeats 3] [--archive-repeats 5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import archive, incremental, parallel, search_quality, throughput  # noqa: E402
from benchmarks.common import ROOT, machine, remove_forgotten  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", default=["100", "1000", "5000"])
    parser.add_argument("--repeats", default="3")
    parser.add_argument("--archive-repeats", default="5")
    parser.add_argument("--parallel", nargs=3, default=["40", "2", "200"], metavar=("VILLAGES", "YEARS", "RECORDS"))
    parser.add_argument("--counties", nargs="+", default=["20x100", "40x200"], metavar="VILLAGESxRECORDS")
    parser.add_argument("--watch-records", default="1000")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="vp-bench-"))
    started = datetime.now(timezone.utc)
    speed = throughput.main(["--sizes", *args.sizes, "--repeats", args.repeats, "--work", str(work / "throughput")])
    villages, years, records = args.parallel
    jobs = parallel.main(["--villages", villages, "--years", years, "--records", records, "--jobs", "2",
                          "--work", str(work / "parallel")])
    kept = archive.main(["--repeats", args.archive_repeats, "--work", str(work / "archive")])
    search = search_quality.main(["--demo"])
    changed = incremental.main(["--counties", *args.counties, "--watch-records", args.watch_records,
                                "--work", str(work / "incremental")])
    # The history of earlier runs (from `## History` on) is kept below the new figures.
    history = args.out.read_text(encoding="utf-8").partition("\n## History")[2] if args.out.exists() else ""
    args.out.write_text(f"""# Benchmarks

Run by `make bench` on {started:%Y-%m-%d %H:%M} UTC; machine: {machine()}.
Every comparison runs side by side in the same run (these machines are noisy): compare the
ratios, not the seconds, between runs.

## Throughput: one village-year, end to end (load → published, Pagefind included)

Synthetic records (`benchmarks/synth.py`, seed 1). "Plain MkDocs" is `mkdocs build` with
Material's default configuration over the same markdown pages our templates render, with its
default navigation (every page in the nav) and with the nav limited to the home page. The ratio
is our speed over its speed (above 1 is faster). Medians of {args.repeats} runs up to 1,000
records, one run above. Our build works in as many processes as the machine has cores (its
default `--jobs`: here 2, the record pages shared between them); MkDocs works in one. Templates
are compiled once per machine (Jinja's bytecode cache): these runs find them compiled, as every
build after a machine's first does; QR codes are also kept per machine, and put aside before
each of our runs: each makes its codes, as a first build does. Each run writes into a new
folder, and none is removed until the benchmarks end (on this machine's file system, without a
journal, files are slow to make for a minute after many were removed). Before each timed run
the same tool builds a site of one page, untimed: this machine pages out what was not touched
for a minute (DAMON), and each run follows a minute of the other tool's, so each starts with its
tool's programs read in, as on a machine that uses it.

{speed}

## Parallel: `build --jobs 2` against `--jobs 1`

{jobs}

## Archive: publishing the open year beside 1 and 10 closed years

{kept}

## Search quality: Chinese queries on the demo, 100 and 5,000 records

Queries picked by `benchmarks/search_quality.py` from titles, sentences and table cells; a page is
relevant when its indexed text holds the query. The first query's download is what the search
page fetches for it, beyond the search page itself.

{search}

## Incremental: one record changed, and `serve --watch`

{changed}
""" + (f"\n## History{history}" if history else ""), encoding="utf-8")
    print(f"wrote {args.out}")
    # Removed only now, after every timing (common.forget_qr_codes says why).
    shutil.rmtree(work, ignore_errors=True)
    remove_forgotten()


if __name__ == "__main__":
    main()
