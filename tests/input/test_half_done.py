"""Nothing half-done: a build that fails, or is killed at any moment, leaves the output folder
exactly as it was: the same files with the same bytes.

`village-portal build` runs in a subprocess on a copy of the demo, into an output folder that
already holds a published portal, and is killed (SIGKILL, no chance to clean up) at several
points of its run; after each kill the output folder is compared byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.messages import Catalogue
from tests.conftest import ROOT

AS_OF = "2026-11-25"
VILLAGE = "hekou"
# Points at which the build is killed, as fractions of the time a whole build takes.
FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.9)


def state(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with each file's SHA-256."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = "link:" + os.readlink(path)
        elif path.is_dir():
            found[relative] = "dir"
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def start(root: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--content", "content", "--config", "site_config",
         "--out", "public", "--as-of", AS_OF, *extra],
        cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(root)})


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL to the build and whatever it started (Pagefind), as a power cut would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    process.stderr.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], float]:
    """A copy of the demo, published once; then one record changed, so a new build would change
    the output. Returns the folder, the output's state, and how long a build of one village takes."""
    root = tmp_path_factory.mktemp("half-done")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "site_config", root / "site_config")
    first = start(root)
    _, errors = first.communicate(timeout=600)
    assert first.returncode == 0, errors
    notice = sorted((root / "content" / VILLAGE / "2026" / "party").glob("*.yml"))[0]
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: 【更正】", 1), encoding="utf-8")
    began = time.monotonic()
    timing = start(root, "--village", VILLAGE)
    # Time a build without letting it publish: killed as soon as it says it is publishing.
    _read_until(timing, Catalogue().text("report.publishing"))
    duration = time.monotonic() - began
    kill(timing)
    return root, state(root / "public"), duration


def _read_until(process: subprocess.Popen[str], words: str) -> bool:
    for line in process.stderr:
        if words in line:
            return True
    return False


def _leftovers(root: Path) -> None:
    # A killed build leaves its working folder beside the output (never in it); tidy for the next.
    for path in root.iterdir():
        if path.name.startswith(".public-"):
            shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("fraction", FRACTIONS)
def test_a_build_killed_at_any_moment_leaves_the_output_as_it_was(published, fraction: float):
    root, before, duration = published
    process = start(root, "--village", VILLAGE)
    time.sleep(duration * fraction)
    still_running = process.poll() is None
    kill(process)
    assert still_running, "the build ended before it was killed: the test's timing is off"
    assert state(root / "public") == before
    _leftovers(root)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_a_build_killed_while_publishing_leaves_the_output_as_it_was(published, delay: float):
    root, before, _ = published
    process = start(root, "--village", VILLAGE)
    assert _read_until(process, Catalogue().text("report.publishing")), "the build never started publishing"
    time.sleep(delay)
    finished = process.poll() is not None
    kill(process)
    after = state(root / "public")
    if finished and process.returncode == 0:
        pytest.skip("the build finished before it could be killed")
    assert after == before
    _leftovers(root)


def test_a_build_that_fails_leaves_the_output_as_it_was(published):
    root, before, _ = published
    broken = root / "content" / VILLAGE / "2026" / "party" / "zz-broken.yml"
    broken.write_text("title: 坏了\ndate: 明天\ncategory: 其他\n", encoding="utf-8")
    try:
        process = start(root, "--village", VILLAGE)
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 1 and "zz-broken.yml:2" in errors
        assert state(root / "public") == before
    finally:
        broken.unlink()


def test_the_harness_sees_a_change_a_build_makes(published):
    """The comparisons above would notice: a build left to finish does change the output."""
    root, before, _ = published
    saved = root / "public-saved"
    shutil.copytree(root / "public", saved, symlinks=True)
    try:
        process = start(root, "--village", VILLAGE)
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, errors
        after = state(root / "public")
        assert after != before
        assert any("【更正】" in path.read_text(encoding="utf-8")
                   for path in (root / "public" / VILLAGE / "2026" / "party").rglob("index.html"))
        assert not [path for path in root.iterdir() if path.name.startswith(".public-")]
    finally:
        shutil.rmtree(root / "public")
        saved.rename(root / "public")
