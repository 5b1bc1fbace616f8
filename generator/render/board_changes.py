"""What each village's newest publication changed, for the township board (moved out of
render/pages.py to keep that module under 400 lines)."""

from __future__ import annotations

from typing import Any

from generator.domain.chain import CLOSE
from generator.domain.model import PortalVillage

# So many changed records are named per village; the village's log (changes/) has them all.
BOARD_CHANGES_EACH = 5


def board_changes(village: PortalVillage) -> dict[str, Any] | None:
    """What the village's newest publication changed: how many records were added, changed and
    removed, and the first few (kind, title, link). None for a village not published now (it has
    not changed since) or with nothing changed."""
    if village.chain is None or not village.chain.entries:
        return None
    summary = village.summary
    newest = max(entry.time[:10] for entry in village.chain.entries)
    counts = {"added": 0, "changed": 0, "removed": 0}
    items = []
    for entry in village.chain.entries:
        if entry.action == CLOSE or entry.time[:10] != newest:
            continue
        for kind in counts:
            for key in getattr(entry.changes, kind):
                counts[kind] += 1
                title = summary.titles.get(f"{entry.year}/{key}", key)
                items.append((kind, title, "" if kind == "removed" else f"{entry.year}/{key}/"))
    if not items:
        return None
    return {"village": summary, "day": newest, "counts": counts, "items": items[:BOARD_CHANGES_EACH],
            "more": len(items) > BOARD_CHANGES_EACH}
