"""Incremental: the full build of a synthetic county against the rebuild after one record of one
village changed (earlier years closed, so each village has one open year), and the time from a
clerk's edit to the new title in an open page under `village-portal serve --watch`.

    python benchmarks/incremental.py [--counties 20x100 40x200] [--years 2]
                                     [--watch-records 1000] [--work DIR]

A county is VILLAGESxRECORDS (records a year). What a rebuild costs whatever the county's size
(starting Python, looking at every village's files) weighs more in a small one: hence two.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BIN, forget_qr_codes, run, synth  # noqa: E402
from benchmarks.page_weight import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from generator.tools.serve import finished_builds  # noqa: E402

LAST_YEAR = 2026
EDITED = "（修订）"
EDITS = 3


def first_notice(content: Path) -> tuple[Path, str]:
    """The first party notice of the first village's open year, and its page's address."""
    village = sorted(path for path in content.iterdir() if path.is_dir())[0]
    record = sorted((village / str(LAST_YEAR) / "party").glob("*.yml"))[0]
    return record, f"{village.name}/{LAST_YEAR}/party/{record.stem}/"


def edit_title(record: Path, mark: str = EDITED) -> None:
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\n", f"{mark}\n", 1), encoding="utf-8")  # the first line is the title


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, its children included) of a command: on a
    shared machine the CPU seconds say more."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def county(work: Path, villages: int, years: int, records: int) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of the full build, of a rebuild with nothing changed, and of a
    rebuild after one record changed."""
    synth().generate(work, villages=villages, years=years, records=records, seed=4)
    shutil.rmtree(work / "public", ignore_errors=True)
    paths = ["--content", str(work / "content"), "--config", str(work / "site_config"), "--out", str(work / "public")]
    command = [str(BIN / "village-portal"), "build", *paths]
    forget_qr_codes()  # the full build is a first one; the rebuilds find the codes it made
    times = {"full": timed(command)}
    for year in range(LAST_YEAR - years + 1, LAST_YEAR):
        run([str(BIN / "village-portal"), "close", "--year", str(year), *paths])
    times["unchanged"] = timed(command)
    # A rebuild stages its publish from the copy of the output the one before kept (build._stage),
    # listing only the folders changed since. The first after a build into an empty folder has no
    # such copy and links the whole archive; the next lists every folder once more (that copy made
    # them all). A county's nightly builds and a clerk's edits are past both: two come untimed.
    for warm_up in range(2):
        edit_title(first_notice(work / "content")[0], f"（预改{warm_up + 1}）")
        run(command)
    changed = []
    for edit in range(EDITS):  # a rebuild is short, and this machine's disk noisy: the median of three
        edit_title(first_notice(work / "content")[0], f"（修订{edit + 1}）")
        changed.append(timed(command))
    times["changed"] = sorted(changed)[EDITS // 2]
    return times


def watch_latency(work: Path, records: int) -> float:
    """Seconds from saving an edited title to Chromium showing it, in a page opened before."""
    from playwright.sync_api import sync_playwright

    synth().generate(work, villages=1, years=1, records=records, seed=5)
    shutil.rmtree(work / "public", ignore_errors=True)
    with socket.socket() as probe:  # a free port: other builds may be serving on this machine
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with (work / "serve.log").open("w", encoding="utf-8") as log:
        server = subprocess.Popen([str(BIN / "village-portal"), "serve", "--watch", "--port", str(port), "--content",
                                   str(work / "content"), "--config", str(work / "site_config"), "--out",
                                   str(work / "public")], stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 1800
        while finished_builds(url) < 1:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"serve --watch did not finish its first build: see {work / 'serve.log'}")
            time.sleep(0.5)
        record, page_path = first_notice(work / "content")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url + page_path, wait_until="load")
            started = time.perf_counter()
            edit_title(record)
            page.wait_for_function(f"document.querySelector('h1').innerText.includes('{EDITED}')", timeout=600_000)
            seconds = time.perf_counter() - started
            browser.close()
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", nargs="+", default=["20x100", "40x200"], metavar="VILLAGESxRECORDS")
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--watch-records", type=int, default=1000)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="vp-bench-incremental-"))
    counties = [tuple(int(number) for number in county.split("x")) for county in args.counties]
    rows = {"full": "full (every village-year)", "unchanged": "nothing changed (every year skipped)",
            "changed": f"one record changed (one village-year rebuilt; median of {EDITS} edits)"}
    lines = [f"Counties of {args.years} years; after the full build every year but {LAST_YEAR} is closed, then one "
             "record of one village changes (after two untimed rebuilds that do the same: the first two after a build "
             "into an empty folder look through the whole archive to stage their publish; no later one does):", "",
             "| county | build | wall (s) | ÷ full | CPU (s) | ÷ full |", "|---|---|---:|---:|---:|---:|"]
    summary = []
    for villages, records in counties:
        times = county(work / f"county-{villages}x{records}", villages, args.years, records)
        name = f"{villages} villages × {records} records ({villages * args.years} village-years)"
        full_wall, full_cpu = times["full"]
        for key, label in rows.items():
            wall, cpu = times[key]
            lines.append(f"| {name} | {label} | {wall:.1f} | 1/{full_wall / wall:.0f} | {cpu:.1f} | "
                         f"1/{full_cpu / cpu:.0f} |")
        wall, cpu = times["changed"]
        summary.append(f"{villages} villages: 1/{full_wall / wall:.1f} wall-clock, 1/{full_cpu / cpu:.1f} CPU")
    latency = watch_latency(work / "watch", args.watch_records)
    lines += ["", f"One record changed, against the full build (target under 1/20): {'; '.join(summary)}.", "",
              f"`serve --watch`, one village-year of {args.watch_records} records: an edited title is shown in the "
              f"open page (Chromium) **{latency:.1f} s** after it is saved (target 3 s)."]
    result = "\n".join(lines)
    print(result)
    return result


if __name__ == "__main__":
    main()
