"""The publication log of a village: append-only, each entry chained to the one before by hash.

One JSON object per line (`log.jsonl`). An entry's hash is the SHA-256 of its canonical JSON
(sorted keys, no spaces, without the `hash` key); `prev` is the hash of the entry before it, so
changing, removing or reordering any entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

LOG_FILE = "log.jsonl"

PUBLISH = "publish"
CLOSE = "close"


@dataclass(frozen=True)
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def all(self) -> list[str]:
        return sorted(self.added + self.changed + self.removed)


@dataclass(frozen=True)
class Entry:
    seq: int
    time: str
    action: str  # PUBLISH or CLOSE
    year: int
    revision: int
    root: str
    prev: str | None
    changes: Changes = field(default_factory=Changes)
    correction: str | None = None  # the correction notice (section/id) that allowed a closed year to change
    hash: str = ""
    # The day that notice was issued (ISO), usually after the year it corrects; `time` is the build's.
    correction_date: str | None = None

    def _data(self) -> dict[str, Any]:
        data = asdict(self)
        if data["correction_date"] is None:  # absent from entries written before it was kept: their hashes hold
            del data["correction_date"]
        return data

    def body(self) -> dict[str, Any]:
        data = self._data()
        data.pop("hash")
        return data

    def computed_hash(self) -> str:
        canonical = json.dumps(self.body(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def line(self) -> str:
        return json.dumps(self._data(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def parse(cls, line: str) -> Entry:
        data = json.loads(line)
        data["changes"] = Changes(**data.get("changes") or {})
        return cls(**data)


def now() -> str:
    """The time of a publication; SOURCE_DATE_EPOCH makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ChainError(ValueError):
    """The log does not hold together; the message says which entry and why."""


@dataclass
class Chain:
    entries: list[Entry] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Chain:
        if not path.exists():
            return cls()
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        try:
            return cls([Entry.parse(line) for line in lines])
        except (ValueError, TypeError, KeyError) as error:
            raise ChainError(f"{path}: unreadable entry ({error})") from None

    def validate(self) -> None:
        previous: str | None = None
        for index, entry in enumerate(self.entries):
            if entry.seq != index + 1:
                raise ChainError(f"entry {index + 1}: sequence number is {entry.seq}")
            if entry.prev != previous:
                raise ChainError(f"entry {entry.seq}: does not follow the entry before it")
            if entry.hash != entry.computed_hash():
                raise ChainError(f"entry {entry.seq}: its content does not match its hash")
            previous = entry.hash

    def is_prefix_of(self, other: Chain) -> bool:
        return other.entries[: len(self.entries)] == self.entries

    @property
    def head(self) -> str | None:
        return self.entries[-1].hash if self.entries else None

    def append(self, action: str, year: int, revision: int, root: str, changes: Changes = Changes(),
               correction: str | None = None, correction_date: str | None = None) -> Entry:
        entry = Entry(len(self.entries) + 1, now(), action, year, revision, root, self.head, changes, correction,
                      correction_date=correction_date)
        entry = replace(entry, hash=entry.computed_hash())
        self.entries.append(entry)
        return entry

    def text(self) -> str:
        return "".join(entry.line() + "\n" for entry in self.entries)

    # -- what the log says about a year ------------------------------------------------------

    def latest_publication(self, year: int) -> Entry | None:
        return next((e for e in reversed(self.entries) if e.year == year and e.action == PUBLISH), None)

    def closing(self, year: int) -> Entry | None:
        return next((e for e in self.entries if e.year == year and e.action == CLOSE), None)

    def closed_years(self) -> list[int]:
        return sorted({entry.year for entry in self.entries if entry.action == CLOSE})


def longest(chains: list[Chain]) -> Chain:
    """The village's log: the longest of its copies, which every other copy must begin."""
    best = max(chains, key=lambda chain: len(chain.entries), default=Chain())
    for chain in chains:
        if not chain.is_prefix_of(best):
            raise ChainError("two copies of the log disagree")
    return best
