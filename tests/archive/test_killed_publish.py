"""A publish killed at any moment leaves the archive as it was, or complete: verifiable either way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.fs.files import _running
from generator.archive.verify import verify
from tests.archive.test_snapshots import village
from tests.conftest import ROOT


def test_killing_a_publish_at_any_moment_leaves_a_verifiable_archive(tmp_path: Path, site_config: Path):
    content, config, out = village(tmp_path, years=(2025, 2026))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "generator", "build", "--content", str(content), "--config", str(config),
               "--out", str(out), "--as-of", "2025-06-01"]
    subprocess.run(command, check=True, capture_output=True, env=env)
    started = time.monotonic()
    subprocess.run(command[:-1] + ["2025-06-02"], check=True, capture_output=True, env=env)
    full = time.monotonic() - started
    for step in range(8):
        # Each run has something to publish (another day's pages), and is killed part way.
        day = f"2025-06-{step + 3:02d}"
        before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
        process = subprocess.Popen(command[:-1] + [day], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(full * (step + 1) / 9)
        os.killpg(process.pid, signal.SIGKILL)  # the build and its helpers (Pagefind), as a job kill would
        process.wait()
        report = verify(out)
        assert report.failures == [], f"killed after {full * (step + 1) / 9:.2f}s: {report.failures}"
        after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
        assert after == before or (out / "testv" / "2025" / "manifest.json").exists()
    # What the killed runs left beside the output (never in it) and in memory, the next build removes.
    subprocess.run(command[:-1] + ["2025-06-20"], check=True, capture_output=True, env=env)
    assert list(tmp_path.glob(".public-*")) == []
    scratch = "village-portal-scratch-"
    assert not [folder for folder in Path("/dev/shm").glob(f"{scratch}*")
                if not _running(int(folder.name[len(scratch):].partition("-")[0]))]
    assert verify(out).failures == []
