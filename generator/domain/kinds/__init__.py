"""The record kinds. Each module here defines one kind; importing the package registers them all.

Adding a kind means adding a module here (model and rules) and a template in
`themes/templates/records/`: nothing else branches on the kind.
"""

from __future__ import annotations

import importlib
import pkgutil

from generator.domain.kinds.base import CheckContext, Record, Source

_SHARED = {"accounting", "base", "fields", "notice"}


def _concrete(cls: type[Record]) -> list[type[Record]]:
    found: list[type[Record]] = []
    for sub in cls.__subclasses__():
        if "section" in sub.__dict__:
            found.append(sub)
        found.extend(_concrete(sub))
    return found


def _discover() -> dict[str, type[Record]]:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _SHARED:
            importlib.import_module(f"{__name__}.{module.name}")
    kinds = sorted(_concrete(Record), key=lambda kind: kind.order)
    return {kind.section: kind for kind in kinds}


KINDS: dict[str, type[Record]] = _discover()

__all__ = ["KINDS", "CheckContext", "Record", "Source"]
