"""Ctrl+C (SIGINT to the whole process group, as a terminal sends it) and SIGTERM stop a command at
any moment, at once and quietly: exit 130 or 143 within 5 s, no traceback, no process, working
folder or scratch in memory left, and the output exactly as it was or, only once the final
exchange was done, exactly as the build publishes it (engine/stopping.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.common import synth
from generator.archive.verify import verify
from generator.inputs.messages import Catalogue
from generator.tools.serve import finished_builds
from tests.conftest import ROOT

BEFORE, DAY = "2026-12-30", "2026-12-31"  # the previous build's day, and the interrupted builds'
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1798675200", "PYTHONUNBUFFERED": "1"}
SCRATCH = Path("/dev/shm")
UNCHANGED = Catalogue("zh").text("report.stopped")
PUBLISHED = Catalogue("zh").text("report.stopped_published", out="{out}").partition("{out}")[0]


@dataclass
class County:
    root: Path
    first: Path  # the output as the previous build left it (never built into again)
    before: dict[str, str]  # its files (path → digest)
    after: dict[str, str]  # the files of the output the build of DAY publishes over it
    took: float  # that build's seconds, uninterrupted


def _command(root: Path, out: Path, day: str, *more: str) -> list[str]:
    return [sys.executable, "-m", "generator", *more, "--content", str(root / "content"),
            "--config", str(root / "site_config"), "--out", str(out), "--as-of", day]


def _tree(out: Path) -> dict[str, str]:
    return {path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(out.rglob("*")) if path.is_file()}


def _restore(first: Path, out: Path) -> None:
    """`out` as the previous build left it: hard links, since publishing never writes into a file."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f".{out.name}.cache", ignore_errors=True)
    shutil.copytree(first, out, copy_function=os.link)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    """Two villages of 100 records each (two village-years, built in forked workers), built once."""
    root = tmp_path_factory.mktemp("stopping")
    synth().generate(root, villages=2, years=1, records=100, seed=11)
    defaults = root / "site_config" / "_defaults.yml"
    defaults.write_text(defaults.read_text(encoding="utf-8").replace("as_of: null\n", ""), encoding="utf-8")
    first = root / "first" / "public"
    subprocess.run(_command(root, first, BEFORE, "build"), check=True, capture_output=True, env=ENV)
    reference = root / "reference" / "public"
    _restore(first, reference)
    started = time.monotonic()
    subprocess.run(_command(root, reference, DAY, "build", "--force"), check=True, capture_output=True, env=ENV)
    took = time.monotonic() - started
    return County(root, first, _tree(first), _tree(reference), took)


def _session(leader: int) -> set[int]:
    """The processes of the session `leader` started, zombies aside (they run no more)."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[4]) == leader and fields[0] != "Z":
            found.add(int(pid))
    return found


@dataclass
class Stop:
    code: int
    seconds: float  # from the signal to the end
    said: str  # stdout and stderr
    left: set[int]  # processes of the command still running
    scratch: list[Path]  # scratch folders in memory of its processes


def _stop(process: subprocess.Popen, signum: int, at: float, seen: set[int] | None = None) -> Stop | None:
    """Send `signum` to the group of `process` `at` seconds after it started; None if it had
    ended by then. `seen`: processes of its session seen before (a server's)."""
    seen = set(seen or ())
    deadline = time.monotonic() + at
    while time.monotonic() < deadline:
        seen |= _session(process.pid)  # its processes, to tell its scratch folders from others'
        time.sleep(0.02)
    if process.poll() is not None:
        stdout, stderr = process.communicate()
        assert process.returncode == 0, (stdout or b"").decode() + (stderr or b"").decode()
        return None
    os.killpg(process.pid, signum)
    sent = time.monotonic()
    try:
        stdout, stderr = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
    seconds = time.monotonic() - sent
    left = _session(process.pid)
    for _ in range(50):  # a zombie's parent may take a moment to reap it
        if not left:
            break
        time.sleep(0.02)
        left = _session(process.pid)
    scratch = [folder for folder in SCRATCH.glob("village-portal-scratch-*")
               if int(folder.name.split("-")[3]) in seen]
    return Stop(process.returncode, seconds, (stdout or b"").decode() + (stderr or b"").decode(), left, scratch)


def _check(stop: Stop, signum: int, out: Path, before: dict[str, str], after: dict[str, str] | None) -> bool:
    """What every stop must show; returns whether it came after publishing."""
    what = f"{signal.Signals(signum).name}: {stop.said[-3000:]}"
    assert stop.code == 128 + signum, what
    assert stop.seconds < 5, what
    assert "Traceback" not in stop.said, what
    assert not stop.left, what
    assert not stop.scratch, what
    assert not list(out.parent.glob(f".{out.name}-*")), what  # working folders beside the output
    assert verify(out).failures == [], what
    files = _tree(out)
    if files == before:
        assert UNCHANGED in stop.said, what
        return False
    assert PUBLISHED in stop.said, what  # changed only by the final exchange: said so
    if after is not None:
        assert files == after, what
    return True


def _moments(county: County, signum: int, count: int) -> list[bool]:
    out = county.root / "moments" / "public"
    _restore(county.first, out)
    published = []
    for moment in range(count):
        at = county.took * (moment + 1) / (count + 1)
        while True:
            process = subprocess.Popen(_command(county.root, out, DAY, "build", "--force"), env=ENV,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            stop = _stop(process, signum, at)
            if stop is not None:
                break
            at *= 0.8  # this build was quicker than the first: it had ended
            _restore(county.first, out)
        published.append(_check(stop, signum, out, county.before, county.after))
        if published[-1]:
            _restore(county.first, out)
    return published


def test_ctrl_c_at_any_moment_of_a_build_stops_it_at_once_and_changes_nothing(county: County):
    published = _moments(county, signal.SIGINT, 20)
    assert not all(published)


def test_sigterm_at_any_moment_of_a_build_stops_it_the_same_way(county: County):
    published = _moments(county, signal.SIGTERM, 4)
    assert not all(published)


def test_ctrl_c_during_a_rebuild_of_serve_watch_stops_it_the_same_way(county: County, tmp_path: Path):
    root = tmp_path / "served"
    for folder in ("content", "site_config"):
        shutil.copytree(county.root / folder, root / folder)
    out, log = root / "public", root / "serve.log"
    _restore(county.first, out)  # up to date: its first build publishes nothing
    port = _free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(_command(root, out, BEFORE, "serve", "--watch", "--port", str(port)), env=ENV,
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while finished_builds(f"http://127.0.0.1:{port}/") < 1:
            assert time.monotonic() < deadline and process.poll() is None, log.read_text(encoding="utf-8")
            seen |= _session(process.pid)
            time.sleep(0.1)
        before = _tree(out)
        record = sorted((root / "content" / "v001" / "2026" / "affairs").glob("*.yml"))[0]
        record.write_text(record.read_text(encoding="utf-8").replace("\n", "（修订）\n", 1), encoding="utf-8")
        while "正在生成" not in log.read_text(encoding="utf-8"):  # the rebuild has begun (report.building)
            assert time.monotonic() < deadline and process.poll() is None, log.read_text(encoding="utf-8")
            seen |= _session(process.pid)
            time.sleep(0.05)
        stop = _stop(process, signal.SIGINT, 1.0, seen)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert stop is not None
    stop.said = log.read_text(encoding="utf-8")
    _check(stop, signal.SIGINT, out, before, None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_stop_during_the_final_exchange_is_taken_once_it_is_done(tmp_path: Path):
    # The moments above rarely fall within the exchange itself: a signal is sent from inside it.
    (tmp_path / "public").mkdir()
    (tmp_path / "staged").mkdir()
    (tmp_path / "staged" / "new.html").write_text("new", encoding="utf-8")
    script = """if True:
        import signal, sys
        from pathlib import Path
        from generator.engine import stopping
        from generator.fs.files import exchange
        root = Path(sys.argv[1])
        with stopping.handled():
            try:
                with stopping.publishing(root / "public"):
                    signal.raise_signal(signal.SIGINT)
                    exchange(root / "staged", root / "public")
                print("not stopped")
            except stopping.Stopped as stop:
                sys.exit(stopping.ended(stop))
    """
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=ENV)
    assert done.returncode == 130, done.stderr
    assert (tmp_path / "public" / "new.html").exists()
    assert done.stderr.startswith(PUBLISHED) and "Traceback" not in done.stderr, done.stderr
