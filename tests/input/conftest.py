"""Fixtures for the tests of what clerks put in: a small portal in a temporary folder, and a
count of the inputs the fuzzing tests tried, printed at the end of the run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator.inputs.messages import Catalogue
from tests.unit.conftest import Portal

# How many inputs each fuzzing test tried (hypothesis examples), reported after the run.
FUZZ_COUNTS: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter) -> None:
    if FUZZ_COUNTS:
        terminalreporter.section("fuzzing: inputs tried")
        for name, count in sorted(FUZZ_COUNTS.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(FUZZ_COUNTS.values())}")


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Portal:
    # Problems name files relative to the working folder, as a clerk would type them.
    monkeypatch.chdir(tmp_path)
    return Portal(tmp_path)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue()


@pytest.fixture(scope="session")
def english() -> Catalogue:
    return Catalogue("en")
