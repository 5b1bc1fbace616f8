"""Fixtures for the tests of what clerks put in (the small portal, `portal`, is tests/conftest.py's):
the English catalogue, and a count of the inputs the fuzzing tests tried, printed at the end of
the run."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.inputs.messages import Catalogue

# How many inputs each fuzzing test tried (hypothesis examples), reported after the run.
FUZZ_COUNTS: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter) -> None:
    if FUZZ_COUNTS:
        terminalreporter.section("fuzzing: inputs tried")
        for name, count in sorted(FUZZ_COUNTS.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(FUZZ_COUNTS.values())}")


@pytest.fixture(scope="session")
def english() -> Catalogue:
    return Catalogue("en")
