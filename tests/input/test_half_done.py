"""Nothing half-done: a build that fails, or is killed at any moment, leaves the output folder
exactly as it was: the same files with the same bytes.

`village-portal build` runs in a subprocess on a copy of the demo, into an output folder that
already holds a published portal, and is killed (SIGKILL, no chance to clean up) at several
points of its run; after each kill the output folder is compared byte for byte. A kill that
lands after the build's last exchange finds the publication complete: that is the one other
state allowed. SOURCE_DATE_EPOCH is fixed, so the complete state is known in advance.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.inputs.messages import Catalogue
from tests.conftest import ROOT

AS_OF = "2026-11-25"
VILLAGE = "hekou"
# Points at which the build is killed, as fractions of the time a whole build takes.
FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.9)
# The publication log records when it was written: fixed, so that two builds give the same bytes.
EPOCH = "1764028800"


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
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(root), "SOURCE_DATE_EPOCH": EPOCH})


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL to the build and whatever it started (Pagefind), as a power cut would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    process.stderr.close()


@dataclass
class Published:
    root: Path
    before: dict[str, str]  # the output as published, before the change
    complete: dict[str, str]  # the output once the change is published in full
    duration: float  # how long a build of one village takes until it publishes

    def restore(self) -> None:
        """Put the output back as it was before the change."""
        shutil.rmtree(self.root / "public")
        shutil.copytree(self.root / "public-before", self.root / "public", symlinks=True)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """A copy of the demo, published once; then one record changed, so a new build changes the
    output; that build is run once to the end to know the complete state, then undone."""
    root = tmp_path_factory.mktemp("half-done")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "site_config", root / "site_config")
    first = start(root)
    _, errors = first.communicate(timeout=600)
    assert first.returncode == 0, errors
    notice = sorted((root / "content" / VILLAGE / "2026" / "party").glob("*.yml"))[0]
    notice.write_text(notice.read_text(encoding="utf-8").replace("title: ", "title: 【更正】", 1), encoding="utf-8")
    before = state(root / "public")
    shutil.copytree(root / "public", root / "public-before", symlinks=True)
    durations = []
    for _ in range(2):  # the faster of two: later builds find more kept (compiled templates …)
        began = time.monotonic()
        timing = start(root, "--village", VILLAGE)
        # Time a build until it says it is publishing.
        _read_until(timing, Catalogue().text("report.publishing"))
        durations.append(time.monotonic() - began)
        _, errors = timing.communicate(timeout=600)
        assert timing.returncode == 0, errors
        complete = state(root / "public")
        shutil.rmtree(root / "public")
        shutil.copytree(root / "public-before", root / "public", symlinks=True)
    return Published(root, before, complete, min(durations))


@pytest.fixture(autouse=True)
def as_before(published: Published) -> None:
    """Each test starts from the output as it was before the change, whatever the last one left."""
    if state(published.root / "public") != published.before:
        published.restore()
    _leftovers(published.root)


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
    delay = published.duration * fraction
    for _ in range(4):  # a build that ended before the kill (a quicker machine now) is tried sooner
        process = start(published.root, "--village", VILLAGE)
        time.sleep(delay)
        still_running = process.poll() is None
        kill(process)
        if still_running:
            break
        published.restore()
        _leftovers(published.root)
        delay *= 0.6
    assert still_running, "the build ended before it was killed, however soon: the test's timing is off"
    assert state(published.root / "public") == published.before
    _leftovers(published.root)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_a_build_killed_while_publishing_leaves_the_output_as_it_was(published, delay: float):
    process = start(published.root, "--village", VILLAGE)
    assert _read_until(process, Catalogue().text("report.publishing")), "the build never started publishing"
    time.sleep(delay)
    kill(process)
    after = state(published.root / "public")
    # Killed before its last exchange: as it was; after it (still tidying up): published in full.
    assert after in (published.before, published.complete), "the output is half-published"
    if after == published.complete:
        published.restore()
    _leftovers(published.root)


def test_a_build_that_fails_leaves_the_output_as_it_was(published):
    broken = published.root / "content" / VILLAGE / "2026" / "party" / "zz-broken.yml"
    broken.write_text("title: 坏了\ndate: 明天\ncategory: 其他\n", encoding="utf-8")
    try:
        process = start(published.root, "--village", VILLAGE)
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 1 and "zz-broken.yml:2" in errors
        assert state(published.root / "public") == published.before
    finally:
        broken.unlink()


def test_the_harness_sees_a_change_a_build_makes(published):
    """The comparisons above would notice: a build left to finish does change the output."""
    root = published.root
    assert published.complete != published.before
    try:
        process = start(root, "--village", VILLAGE)
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, errors
        assert state(root / "public") == published.complete
        assert any("【更正】" in path.read_text(encoding="utf-8")
                   for path in (root / "public" / VILLAGE / "2026" / "party").rglob("index.html"))
        assert not [path for path in root.iterdir() if path.name.startswith(".public-")]
    finally:
        published.restore()
