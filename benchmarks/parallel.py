"""Parallel: `village-portal build --jobs 1` against `--jobs N`, side by side, on a synthetic
county (the issue's size: 40 villages × 2 years × 200 records), with the peak memory (max RSS)
of the largest process of each build.

    python benchmarks/parallel.py [--villages 40] [--years 2] [--records 200] [--jobs 2] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BIN, forget_qr_codes, synth  # noqa: E402

_PROBE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
          "r = subprocess.run(sys.argv[1:], capture_output=True); "
          "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")


def timed(command: list[str]) -> tuple[float, int]:
    """Seconds and the largest max-RSS (KiB) among the command's processes (workers included)."""
    os.sync()  # as common.run: no run pays for writing out the one before
    result = subprocess.run([sys.executable, "-c", _PROBE, *command], capture_output=True, text=True, check=True)
    seconds, rss, code = result.stdout.split()
    if code != "0":
        raise RuntimeError(f"{command} failed")
    return float(seconds), int(rss)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=40)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="vp-bench-parallel-"))
    synth().generate(work, villages=args.villages, years=args.years, records=args.records, seed=3)
    rows = {}
    for jobs in (1, args.jobs):
        shutil.rmtree(work / f"public{jobs}", ignore_errors=True)
        forget_qr_codes()  # neither run finds the other's
        rows[jobs] = timed([str(BIN / "village-portal"), "build", "--content", str(work / "content"), "--config",
                            str(work / "site_config"), "--out", str(work / f"public{jobs}"), "--jobs", str(jobs)])
    count = args.villages * args.years
    lines = [f"{args.villages} villages × {args.years} years × {args.records} records ({count} village-years):", "",
             "| --jobs | seconds | village-years/s | peak memory of the largest process (MiB) |", "|---:|---:|---:|---:|"]
    for jobs, (seconds, rss) in rows.items():
        lines.append(f"| {jobs} | {seconds:.1f} | {count / seconds:.2f} | {rss / 1024:.0f} |")
    lines += ["", f"Speed-up --jobs {args.jobs} over --jobs 1: **{rows[1][0] / rows[args.jobs][0]:.2f}×**."]
    result = "\n".join(lines)
    print(result)
    return result


if __name__ == "__main__":
    main()
