"""Parallel: `village-portal build --jobs 1` against `--jobs N`, side by side, on a synthetic
county (the issue's size: 40 villages × 2 years × 200 records), with the CPU time each build
used (so the cores it kept busy) and the peak memory (max RSS) of the largest process of each.
Each is run twice, in the order 1, N, N, 1, so that a machine slowing down or speeding up
during the runs weighs on both alike; each figure is the mean of its two runs.

    python benchmarks/parallel.py [--villages 40] [--years 2] [--records 200] [--jobs 2] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import BIN, forget_qr_codes, synth  # noqa: E402

_PROBE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
          "r = subprocess.run(sys.argv[1:], capture_output=True); u = resource.getrusage(resource.RUSAGE_CHILDREN); "
          "r.returncode and sys.stderr.buffer.write(r.stdout[-2000:] + r.stderr[-2000:]); "
          "print(time.perf_counter() - t, u.ru_utime + u.ru_stime, u.ru_maxrss, r.returncode)")


def timed(command: list[str]) -> tuple[float, float, int]:
    """Seconds, CPU seconds (user and system, of every process) and the largest max-RSS (KiB)
    among the command's processes (workers and Pagefind included)."""
    os.sync()  # as common.run: no run pays for writing out the one before
    result = subprocess.run([sys.executable, "-c", _PROBE, *command], capture_output=True, text=True, check=True)
    seconds, cpu, rss, code = result.stdout.split()
    if code != "0":
        raise RuntimeError(f"{command} failed:\n{result.stderr}")
    return float(seconds), float(cpu), int(rss)


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
    runs: dict[int, list[tuple[float, float, int]]] = {1: [], args.jobs: []}
    for number, jobs in enumerate((1, args.jobs, args.jobs, 1)):
        forget_qr_codes()  # no run finds another's
        # Each run into a folder of its own, none removed before the end (common.run says why).
        runs[jobs].append(timed([str(BIN / "village-portal"), "build", "--content", str(work / "content"), "--config",
                                 str(work / "site_config"), "--out", str(work / f"public-{number}"), "--jobs",
                                 str(jobs)]))
    count = args.villages * args.years
    lines = [f"{args.villages} villages × {args.years} years × {args.records} records ({count} village-years); "
             f"runs in the order --jobs 1, {args.jobs}, {args.jobs}, 1, each figure the mean of two:", "",
             "| --jobs | seconds (runs) | village-years/s | CPU seconds | cores kept busy | "
             "peak memory of the largest process (MiB) |", "|---:|---|---:|---:|---:|---:|"]
    wall = {}
    for jobs, measured in runs.items():
        wall[jobs] = statistics.mean(seconds for seconds, _, _ in measured)
        cpu = statistics.mean(used for _, used, _ in measured)
        lines.append(f"| {jobs} | {wall[jobs]:.1f} ({', '.join(f'{seconds:.1f}' for seconds, _, _ in measured)}) | "
                     f"{count / wall[jobs]:.2f} | {cpu:.0f} | {cpu / wall[jobs]:.2f} | "
                     f"{max(rss for _, _, rss in measured) / 1024:.0f} |")
    lines += ["", f"Speed-up --jobs {args.jobs} over --jobs 1: **{wall[1] / wall[args.jobs]:.2f}×**."]
    result = "\n".join(lines)
    print(result)
    return result


if __name__ == "__main__":
    main()
