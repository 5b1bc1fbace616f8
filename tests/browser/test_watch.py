"""`village-portal serve --watch`: a clerk's edit shows in the open page without reloading it,
and a record with an error is named by file and line while the last good site stays served."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from generator.tools.serve import finished_builds
from tests.archive.test_snapshots import notice
from tests.conftest import ROOT, write_files

pytestmark = pytest.mark.browser

RECORD = "content/testv/2026/party/2026-03-meeting.yml"
PAGE = "testv/2026/party/2026-03-meeting/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds} s: {what}")
        time.sleep(0.2)


def _serve_watching(folder: Path) -> tuple[subprocess.Popen, str, Path]:
    """`serve --watch` of `folder`'s content/ and site_config/: the server, its address, its log."""
    port, log = _free_port(), folder / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--watch", "--port", str(port), "--as-of", "2026-06-01",
             "--content", "content", "--config", "site_config", "--out", "public"],
            cwd=folder, stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
    return server, f"http://127.0.0.1:{port}/", log


@pytest.fixture
def watched(tmp_path: Path, site_config: Path) -> Iterator[tuple[str, Path, Path]]:
    write_files(tmp_path, {RECORD: notice("2026年第一季度党员大会召开情况", "2026-03-28", "应到党员42名，实到38名。")})
    server, url, log = _serve_watching(tmp_path)
    try:
        _wait(lambda: finished_builds(url) == 1, 120, "the first build")
        yield url, tmp_path, log
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_edit_shows_in_the_open_page_and_an_error_keeps_the_last_good_site(browser, watched):
    url, folder, log = watched
    page = browser.new_page()
    try:
        page.goto(url + PAGE, wait_until="load")
        assert "党员大会召开情况" in page.inner_text("h1")
        record = folder / RECORD
        record.write_text(record.read_text(encoding="utf-8").replace("党员大会召开情况", "党员大会召开情况（修订）"),
                          encoding="utf-8")
        page.wait_for_function("document.querySelector('h1').innerText.includes('（修订）')", timeout=60_000)
        # Shown first as a preview (preview.py), then as published: two reloads.
        _wait(lambda: finished_builds(url) == 3, 60, "the edit published")

        record.write_text(record.read_text(encoding="utf-8").replace("date: 2026-03-28", "date: 2026-13-28"),
                          encoding="utf-8")
        _wait(lambda: f"{Path(RECORD)}:2: " in log.read_text(encoding="utf-8"), 60, "the error, by file and line")
        assert finished_builds(url) == 3  # the failed build is not counted: open pages stay as they are
        page.reload(wait_until="load")
        assert "（修订）" in page.inner_text("h1")
    finally:
        page.close()


def test_published_files_carry_no_reload_script(watched):
    _, folder, _ = watched
    html = (folder / "public" / PAGE / "index.html").read_text(encoding="utf-8")
    assert "__vp_reload" not in html


def _running_in(folder: Path) -> list[str]:
    """The processes whose working folder is `folder` (a server's, and what it started)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd") == str(folder):
                found.append(Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " "))
        except OSError:
            pass  # ended meanwhile, or not ours to look at
    return found


def test_a_server_stopped_in_the_middle_of_a_build_leaves_nothing_running(tmp_path: Path):
    # As a service manager stops it (SIGTERM): its build's worker processes and Pagefind end too.
    shutil.copytree(ROOT / "content", tmp_path / "content")  # the demo: builds that take seconds
    shutil.copytree(ROOT / "site_config", tmp_path / "site_config")
    server, url, log = _serve_watching(tmp_path)
    try:
        _wait(lambda: finished_builds(url) == 1, 120, "the first build")
        building = log.read_text(encoding="utf-8").count("正在生成")
        record = sorted((tmp_path / "content" / "hekou" / "2026" / "party").glob("*.yml"))[0]
        record.write_text(record.read_text(encoding="utf-8").replace("\n", "（修订）\n", 1), encoding="utf-8")
        _wait(lambda: log.read_text(encoding="utf-8").count("正在生成") > building, 30, "the rebuild")
    finally:
        server.terminate()
        server.wait(timeout=60)
    _wait(lambda: not _running_in(tmp_path), 15, f"every process of the server ended: {_running_in(tmp_path)}")
