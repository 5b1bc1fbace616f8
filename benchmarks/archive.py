"""Archive size does not slow publishing: one village whose open year is rebuilt and published
beside 1 closed year, and beside 10 closed years, side by side (alternating), repeated. The two
villages have the same open year and the same year before it; one has nine more behind them.

    python benchmarks/archive.py [--records 60] [--repeats 5] [--work DIR]

Also times the build's staging step alone (generator.fs.link_copy: the copy of the output
folder made of hard links that a publish works in), from nothing and, as a build does it, from the
copy the previous build kept.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BIN, median, run, synth  # noqa: E402

AS_OF = date(2026, 12, 31)


def prepare(folder: Path, closed: int, records: int, like: Path | None = None) -> tuple[Path, Path, Path]:
    """The village with its closed years, published and closed (the cache of their records empty).
    With `like` (a village with more years), that village's newest `closed` + 1 years, file for
    file: the year published is the same, only the archive behind it differs."""
    from generator.pipeline.build import build
    from generator.pipeline.close import close

    shutil.rmtree(folder, ignore_errors=True)
    if like is None:
        synth().generate(folder, villages=1, years=closed + 1, records=records, seed=2)
    else:
        shutil.copytree(like / "content", folder / "content")
        shutil.copytree(like / "site_config", folder / "site_config")
        for year in (folder / "content").glob("*/20[0-9][0-9]"):
            if int(year.name) < 2026 - closed:
                shutil.rmtree(year)
    content, config, out = folder / "content", folder / "site_config", folder / "public"
    build(content, config, out, as_of=AS_OF)
    for year in range(2026 - closed, 2026):
        close(content, config, out, year, as_of=AS_OF)
    return content, config, out


def time_stage(out: Path) -> tuple[float, float]:
    """Seconds to stage `out` from nothing, and from the previous build's copy (as a build does)."""
    from generator.fs.paths import cache_folder
    from generator.fs.link_copy import link_copy

    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        started = time.perf_counter()
        link_copy(out, Path(scratch) / "copy")
        whole = time.perf_counter() - started
        link_copy(cache_folder(out) / "previous", Path(scratch) / "from-previous")
        started = time.perf_counter()
        link_copy(out, Path(scratch) / "from-previous")
        return whole, time.perf_counter() - started


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="vp-bench-archive-"))
    ten = prepare(work / "closed10", 10, args.records)
    setups = {1: prepare(work / "closed1", 1, args.records, like=work / "closed10"), 10: ten}
    # --force: the same records would otherwise be found up to date and nothing published.
    commands = {n: [str(BIN / "village-portal"), "build", "--content", str(content), "--config", str(config),
                    "--out", str(out), "--as-of", AS_OF.isoformat(), "--force"]
                for n, (content, config, out) in setups.items()}
    # The first publish after closing reads the closed years and keeps their records: timed apart.
    first = {n: run(commands[n]) for n in setups}
    publish: dict[int, list[float]] = {1: [], 10: []}
    stage: dict[int, list[float]] = {1: [], 10: []}
    restage: dict[int, list[float]] = {1: [], 10: []}
    for _ in range(args.repeats):
        for n, (_, _, out) in setups.items():
            publish[n].append(run(commands[n]))
            whole, again = time_stage(out)
            stage[n].append(whole)
            restage[n].append(again)
    files = {n: sum(1 for path in setups[n][2].rglob("*") if path.is_file()) for n in setups}
    lines = ["| closed years | files in output | first publish after closing (s) | publish open year: median (s) "
             "| runs (s) | link-copy from nothing: median (ms) | from the previous copy (ms) |",
             "|---:|---:|---:|---:|---|---:|---:|"]
    for n in (1, 10):
        lines.append(f"| {n} | {files[n]} | {first[n]:.2f} | {median(publish[n]):.2f} | "
                     f"{', '.join(f'{t:.2f}' for t in publish[n])} | "
                     f"{median(stage[n]) * 1000:.0f} | {median(restage[n]) * 1000:.0f} |")
    ratio = median(publish[10]) / median(publish[1])
    spread = max(publish[1]) / min(publish[1])
    lines.append("")
    lines.append(f"Ratio 10 closed ÷ 1 closed: **{ratio:.2f}×** (run-to-run spread with 1 closed year: "
                 f"{spread:.2f}×). Staging from nothing costs {median(stage[10]) * 1000:.0f} ms with 10 closed "
                 f"years ({files[10]} files, one link() each) vs {median(stage[1]) * 1000:.0f} ms with 1; from the "
                 f"previous build's copy, as a build stages, {median(restage[10]) * 1000:.0f} ms vs "
                 f"{median(restage[1]) * 1000:.0f} ms.")
    result = "\n".join(lines)
    print(result)
    return result


if __name__ == "__main__":
    main()
