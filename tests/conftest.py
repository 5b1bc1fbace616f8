"""Shared fixtures: a small test portal (tests/builder.py), the demo portal built once per test
session, served on 127.0.0.1, and a phone-sized Chromium page (Debian's chromium, driven by
Playwright)."""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from generator.inputs.messages import Catalogue
from generator.pipeline.build import build
from generator.tools.serve import make_server
from tests.builder import VILLAGE, Portal, write_files  # noqa: F401  (write_files: imported from here by tests)

ROOT = Path(__file__).resolve().parent.parent
DEMO_AS_OF = date(2026, 11, 25)  # the demo's records are written as of this day
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
PHONE = {"width": 390, "height": 844}

# The inputs the fuzzing tests tried (tests/input/conftest.py), gathered from the tests' reports:
# with pytest-xdist the tests run in other processes.
FUZZ_TRIED: Counter[str] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for name, value in report.user_properties:
        if name == "fuzz_counts" and report.when == "teardown":
            FUZZ_TRIED.update(value)


def pytest_terminal_summary(terminalreporter) -> None:
    if FUZZ_TRIED:
        terminalreporter.section("fuzzing: inputs tried")
        for name, count in sorted(FUZZ_TRIED.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(FUZZ_TRIED.values())}")


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portal (content/ and site_config/ of the repository), built once."""
    out = tmp_path_factory.mktemp("demo") / "public"
    build(ROOT / "content", ROOT / "site_config", out, as_of=DEMO_AS_OF)
    return out


@pytest.fixture(scope="session")
def demo_url(demo_out: Path) -> Iterator[str]:
    """The demo portal served as `village-portal serve` serves it."""
    server = make_server(demo_out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A phone-sized page that remembers every request it made."""

    def __init__(self, page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))  # uncaught exceptions

    def goto(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")

    def page_width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")

    def open_menu(self) -> None:
        """Tap the header's menu button; wait for Material's script, which that brings in."""
        self.page.locator(".md-header label[for=__drawer]").click()
        self.page.wait_for_function("() => document.querySelector('script[src*=\"bundle.\"]') !== null")
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def phone(browser) -> Iterator[Visit]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        yield Visit(context.new_page())
    finally:
        context.close()


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Portal:
    """A small portal in tmp_path (tests/builder.py), also the working folder: problems name
    files relative to it, as a clerk would type them."""
    monkeypatch.chdir(tmp_path)
    return Portal(tmp_path)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue()


@pytest.fixture
def site_config(tmp_path: Path) -> Path:
    """A copy of the repository's site_config/ with a village `testv` (测试村) added."""
    config = tmp_path / "site_config"
    shutil.copytree(ROOT / "site_config", config)
    (config / "testv.yml").write_text(VILLAGE, encoding="utf-8")
    return config
