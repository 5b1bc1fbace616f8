"""Shared by the benchmarks: timing, the synthetic county, the machine's description."""

from __future__ import annotations

import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def synth():
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(command: list[str], **kwargs) -> float:
    """Run a command; return its wall-clock seconds. Fails loudly. The disk's write cache is
    flushed first, so that no run pays for writing out what the one before it wrote (MkDocs with
    its default navigation writes 344 MB at 1,000 pages)."""
    os.sync()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, **kwargs)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def forget_qr_codes() -> None:
    """Put aside the QR codes that earlier builds made on this machine (generator.render.pages keeps
    each one): a run that times a first build must make its codes, as a first build does. Put
    aside, not removed: on a file system without a journal, as here, files are slow to make for
    a minute after many were removed. `remove_forgotten` removes them once the timing is done."""
    from generator.render.pages import qr_folder

    kept = qr_folder()
    if kept.is_dir():
        kept.rename(kept.with_name(f"{kept.name}-forgotten-{time.time_ns()}"))


def remove_forgotten() -> None:
    from generator.render.pages import qr_folder

    kept = qr_folder()
    for folder in kept.parent.glob(f"{kept.name}-forgotten-*"):
        shutil.rmtree(folder, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
