"""The message catalogue: every word the portal shows, to villagers and to clerks.

Texts live in `themes/messages/<lang>/*.yml` and, for each record kind, in
`themes/kinds/<section>/messages.<lang>.yml`; all are merged into one catalogue (a key defined
twice is an error). A township or village can reword any of them with a
`messages:` mapping in `site_config/`, using the same dotted keys.
"""

from __future__ import annotations

from datetime import date
import re
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
            part = _flatten(yaml.load(handle, Loader=yaml.CSafeLoader) or {})  # libyaml, the fast loader
        twice = texts.keys() & part.keys()
        if twice:
            raise ValueError(f"{path}: messages defined twice: {', '.join(sorted(twice))}")
        texts.update(part)
    return texts


class _Lenient(dict):
    """Leaves a placeholder visible rather than failing when a reworded text names an unknown one."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _NamedOnly(Formatter):
    """Placeholders are names, nothing more: no attribute or index access ({village.__class__}),
    no conversion or format spec (a width of a billion). Anything else is shown as written.
    (Settings refuse such texts as they are read; this holds whatever reaches it.)"""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not _NAME.fullmatch(field_name):
            return "{" + field_name + "}", field_name
        return self.get_value(field_name, args, kwargs), field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        return value

    def format_field(self, value: Any, format_spec: str) -> str:
        return format(value) if isinstance(value, str) else str(value)


_FORMATTER = _NamedOnly()


def fields_of(template: str) -> list[str] | None:
    """The placeholders' names of a template, or None when it is not one (a stray brace, a
    placeholder that is no plain name, a conversion or format spec)."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError:
        return None
    names = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _NAME.fullmatch(name) or spec or conversion:
            return None
        names.append(name)
    return names


def template_problem(catalogue: "Catalogue", key: str, text: Any) -> tuple[str, dict[str, str]] | None:
    """What is wrong with a reworded text for `key`, as (message key, parameters), or None."""
    if key not in catalogue:
        return "message_unknown_key", {}
    if not isinstance(text, str):
        return None  # a number or a date: shown as it is
    names = fields_of(text)
    if names is None:
        return "message_template_bad", {}
    allowed = fields_of(catalogue.default(key)) or []
    unknown = [name for name in names if name not in allowed]
    if unknown:
        return "message_unknown_field", {"name": unknown[0], "allowed": "、".join(allowed) or "—"}
    return None


class Catalogue:
    def __init__(self, language: str = DEFAULT_LANGUAGE, overrides: Mapping[str, Any] | None = None) -> None:
        self.language = language
        texts = dict(_load(DEFAULT_LANGUAGE))
        if language != DEFAULT_LANGUAGE:
            texts.update(_load(language))
        self._defaults = dict(texts)
        texts.update(_flatten(overrides or {}))
        self._texts = texts

    def text(self, key: str, **params: Any) -> str:
        template = self._texts.get(key)
        if template is None:
            raise KeyError(f"message {key!r} is missing from the catalogue")
        if not params:
            return template
        try:
            return _FORMATTER.vformat(template, (), _Lenient(params))
        except (ValueError, IndexError, KeyError):  # a stray brace: the text as written
            return template

    def default(self, key: str) -> str:
        """The catalogue's own text for `key`, whatever the settings reword it as."""
        return self._defaults.get(key, "")

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
