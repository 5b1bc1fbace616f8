"""Archive size does not slow publishing: one village whose open year is rebuilt and published
beside 1 closed year, and beside 10 closed years, side by side (alternating), repeated.

    python benchmarks/archive.py [--records 60] [--repeats 5] [--work DIR]

Also times the build's staging step alone (a hard-link copy of the whole output folder,
generator.snapshot.link_copy), which is the one cost that grows with the archive.
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


def prepare(folder: Path, closed: int, records: int) -> tuple[Path, Path, Path]:
    from generator.build import build, close

    shutil.rmtree(folder, ignore_errors=True)
    synth().generate(folder, villages=1, years=closed + 1, records=records, seed=2)
    content, config, out = folder / "content", folder / "site_config", folder / "public"
    build(content, config, out, as_of=AS_OF)
    for year in range(2026 - closed, 2026):
        close(content, config, out, year, as_of=AS_OF)
    return content, config, out


def time_stage(out: Path) -> float:
    from generator.snapshot import link_copy

    with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
        started = time.perf_counter()
        link_copy(out, Path(scratch) / "copy")
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="vp-bench-archive-"))
    setups = {n: prepare(work / f"closed{n}", n, args.records) for n in (1, 10)}
    publish: dict[int, list[float]] = {1: [], 10: []}
    stage: dict[int, list[float]] = {1: [], 10: []}
    for _ in range(args.repeats):
        for n, (content, config, out) in setups.items():
            # --force: the same records would otherwise be found up to date and nothing published.
            publish[n].append(run([str(BIN / "village-portal"), "build", "--content", str(content), "--config",
                                   str(config), "--out", str(out), "--as-of", AS_OF.isoformat(), "--force"]))
            stage[n].append(time_stage(out))
    files = {n: sum(1 for path in setups[n][2].rglob("*") if path.is_file()) for n in setups}
    lines = ["| closed years | files in output | publish open year: median (s) | runs (s) | staging link-copy: median (ms) |",
             "|---:|---:|---:|---|---:|"]
    for n in (1, 10):
        lines.append(f"| {n} | {files[n]} | {median(publish[n]):.2f} | {', '.join(f'{t:.2f}' for t in publish[n])} | "
                     f"{median(stage[n]) * 1000:.0f} |")
    ratio = median(publish[10]) / median(publish[1])
    spread = max(publish[1]) / min(publish[1])
    lines.append("")
    lines.append(f"Ratio 10 closed ÷ 1 closed: **{ratio:.2f}×** (run-to-run spread with 1 closed year: "
                 f"{spread:.2f}×). Staging costs {median(stage[10]) * 1000:.0f} ms with 10 closed years "
                 f"({files[10]} files, one link() each) vs {median(stage[1]) * 1000:.0f} ms with 1.")
    result = "\n".join(lines)
    print(result)
    return result


if __name__ == "__main__":
    main()
