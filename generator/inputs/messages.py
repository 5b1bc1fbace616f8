"""The message catalogue: every word the portal shows, to villagers and to clerks.

Texts live in `themes/messages/<lang>/*.yml` and, for each record kind, in
`themes/kinds/<section>/messages.<lang>.yml`; all are merged into one catalogue (a key defined
twice is an error). A township or village can reword any of them with a
`messages:` mapping in `site_config/`, using the same dotted keys.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from string import Formatter
from typing import Any, Mapping

import yaml

from generator.fs.paths import KIND_THEMES, MESSAGES

DEFAULT_LANGUAGE = "zh"


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat


@lru_cache(maxsize=8)
def _load(language: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    paths = sorted((MESSAGES / language).glob("*.yml")) + sorted(KIND_THEMES.glob(f"*/messages.{language}.yml"))
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            part = _flatten(yaml.load(handle, Loader=yaml.CSafeLoader) or {})  # libyaml: a tenth of the time
        twice = texts.keys() & part.keys()
        if twice:
            raise ValueError(f"{path}: messages defined twice: {', '.join(sorted(twice))}")
        texts.update(part)
    return texts


class _Lenient(dict):
    """Leaves a placeholder visible rather than failing when a reworded text names an unknown one."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    def __init__(self, language: str = DEFAULT_LANGUAGE, overrides: Mapping[str, Any] | None = None) -> None:
        self.language = language
        texts = dict(_load(DEFAULT_LANGUAGE))
        if language != DEFAULT_LANGUAGE:
            texts.update(_load(language))
        texts.update(_flatten(overrides or {}))
        self._texts = texts

    def text(self, key: str, **params: Any) -> str:
        template = self._texts.get(key)
        if template is None:
            raise KeyError(f"message {key!r} is missing from the catalogue")
        if not params:
            return template
        return Formatter().vformat(template, (), _Lenient(params))

    def __contains__(self, key: str) -> bool:
        return key in self._texts

    def section(self, prefix: str) -> dict[str, str]:
        """All texts under a topic, keyed by their last part: e.g. the labels of a record's fields."""
        start = prefix + "."
        return {key[len(start):]: value for key, value in self._texts.items() if key.startswith(start)}


def cn_date(day: date | None, catalogue: Catalogue) -> str:
    if day is None:
        return ""
    return catalogue.text("format.date", year=day.year, month=day.month, day=day.day)
