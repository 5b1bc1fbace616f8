"""Fixtures for the tests of what clerks put in (the small portal, `portal`, is tests/conftest.py's):
the English catalogue, and a count of the inputs the fuzzing tests tried, which each test's report
carries to the end of the run (tests/conftest.py prints them, from whichever process ran it)."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

import pytest

from generator.inputs.messages import Catalogue

# How many inputs each fuzzing test tried (hypothesis examples) in this process.
FUZZ_COUNTS: Counter[str] = Counter()


@pytest.fixture(autouse=True)
def _fuzz_counts_reported(request: pytest.FixtureRequest) -> Iterator[None]:
    before = Counter(FUZZ_COUNTS)
    yield
    tried = FUZZ_COUNTS - before
    if tried:
        request.node.user_properties.append(("fuzz_counts", dict(tried)))


@pytest.fixture(scope="session")
def english() -> Catalogue:
    return Catalogue("en")
