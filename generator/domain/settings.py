"""Settings: the township's defaults (`site_config/_defaults.yml`) under each village's own file.

Every number the policies give is a setting here, with the seed documents' value as default,
so a township or a village can override it in one place.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, create_model
from typing import Annotated, Literal

from generator.inputs.files import DEFAULT_LIMITS
from generator.inputs.messages import Catalogue, template_problem
from generator.inputs.problems import Location, Problems, relative
from generator.inputs.readers import Document, read_yaml
from generator.inputs.validation import locate, validate
from generator.domain.kinds.fields import ClerkDate

DEFAULTS_FILE = "_defaults.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(BaseModel):
    """One entry of a kind's `changes:` (e.g. `rules.finance.changes`): the day it applies from
    and the numbers it sets. Its numbers are checked as the kind's rules once laid over those in
    force before it (load_settings), so that rules across numbers (weights adding up) hold too."""

    model_config = ConfigDict(extra="allow", frozen=True)

    from_: ClerkDate = Field(alias="from")

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class _Dated(BaseModel):
    """What a kind's rules gain in `rules:`: numbers changed from a date. A record is judged by
    the rules in force on its day (Record.rules_day), so a change never re-judges a year before it."""

    changes: tuple[Change, ...] = ()
    _timeline: tuple[tuple[date, BaseModel], ...] | None = PrivateAttr(None)

    @classmethod
    def undated(cls) -> type[BaseModel]:
        """The kind's own rules model, without `changes`."""
        return next(base for base in cls.__mro__[1:] if issubclass(base, BaseModel) and base is not _Dated
                    and "changes" not in base.model_fields)

    def apply(self, before: BaseModel, change: Change) -> dict[str, Any]:
        """The data of the rules once `change` is laid over `before`."""
        undated = self.undated()
        return {**{name: getattr(before, name) for name in undated.model_fields}, **change.values}

    def in_order(self) -> list[tuple[int, Change]]:
        """The changes by their day (two of one day: the later written wins), with their index."""
        return sorted(enumerate(self.changes), key=lambda item: item[1].from_)

    def on(self, day: date) -> BaseModel:
        """The rules in force on `day`."""
        if not self.changes:
            return self
        if self._timeline is None:  # load_settings has checked each step; here they only repeat
            timeline, before = [], self
            for _, change in self.in_order():
                before = self.undated().model_validate(self.apply(before, change))
                timeline.append((change.from_, before))
            self._timeline = tuple(timeline)
        rules: BaseModel = self
        for start, later in self._timeline:
            if start > day:
                break
            rules = later
        return rules


def _dated(section: str, rules: type[BaseModel]) -> type[BaseModel]:
    # A global of this module by its own name, so that settings pickle (workers get them).
    name = f"{section.replace('-', '_').title().replace('_', '')}DatedRules"
    model = create_model(name, __base__=(rules, _Dated), __module__=__name__)
    globals()[name] = model
    return model


def _rules_model() -> type[BaseModel]:
    """`rules:` has one entry per record kind (e.g. `rules.finance.posting_days`), each the kind's
    own settings model with the seeds' numbers as defaults and the numbers it changes from a date
    (`changes:`), and `rules.compliance` for how often each of the three disclosures is due (the
    compliance page; not dated: its periods run across any date)."""
    from generator.domain.compliance import ComplianceRules  # noqa: PLC0415 - it imports the kinds
    from generator.domain.kinds import KINDS  # noqa: PLC0415 - the kinds import settings' types

    fields: dict[str, Any] = {}
    for section, kind in KINDS.items():
        dated = _dated(section, kind.Rules)
        fields[section.replace("-", "_")] = (dated, Field(default_factory=dated, alias=section))
    fields["compliance"] = (ComplianceRules, Field(default_factory=ComplianceRules))

    def of(self: BaseModel, section: str, on: date | int | None = None) -> Any:
        """A kind's rules: those in force on the day `on` (a year: its last day); without a day,
        those written without a date (the numbers before any change)."""
        rules = getattr(self, section.replace("-", "_"))
        if on is None or not isinstance(rules, _Dated):
            return rules
        return rules.on(date(on, 12, 31) if isinstance(on, int) else on)

    model = create_model("Rules", __base__=_Strict, **fields)
    model.of = of  # type: ignore[attr-defined]
    return model


Rules = _rules_model()


class Masking(_Strict):
    """How many characters of a personal number stay visible at the start and end."""

    id_start: int = Field(2, ge=0, le=6)
    id_end: int = Field(3, ge=0, le=4)
    mobile_start: int = Field(3, ge=0, le=3)
    mobile_end: int = Field(4, ge=0, le=4)
    bank_start: int = Field(0, ge=0, le=6)
    bank_end: int = Field(4, ge=0, le=4)


class Limits(_Strict):
    """How much of the clerk's files the tool reads (inputs/files.py says why these defaults)."""

    record_bytes: int = Field(DEFAULT_LIMITS.record_bytes, ge=1024)
    table_bytes: int = Field(DEFAULT_LIMITS.table_bytes, ge=1024)
    xlsx_unpacked_bytes: int = Field(DEFAULT_LIMITS.xlsx_unpacked_bytes, ge=1024)
    table_rows: int = Field(DEFAULT_LIMITS.table_rows, ge=1)
    table_columns: int = Field(DEFAULT_LIMITS.table_columns, ge=1)
    text_chars: int = Field(DEFAULT_LIMITS.text_chars, ge=100)


# Material's colour names: these reach the pages' HTML, so nothing else may.
Colour = Literal["red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan", "teal", "green",
                 "light green", "lime", "yellow", "amber", "orange", "deep orange", "brown", "grey", "blue grey",
                 "black", "white", "custom"]


class Palette(_Strict):
    primary: Colour | None = None
    accent: Colour | None = None
    scheme: Literal["default", "slate"] | None = None


class Theme(_Strict):
    palette: Palette | None = None
    features: list[Annotated[str, StringConstraints(pattern=r"^[a-z]+(\.[a-z_]+)*$")]] | None = None


class MkDocsOptions(_Strict):
    """What a village may set of MkDocs: colours and Material's features. Any other key could
    name a hook, a plugin or a path, that is, code that runs in the build or the browser."""

    theme: Theme = Field(default_factory=Theme)


# The keys of `mkdocs:` settings that reach MkDocs; every other is an error.
MKDOCS_ALLOWED = ("theme.palette", "theme.features")


class Printing(_Strict):
    """Printing for the notice board (公示栏). With `pdf`, every build also prints each record's
    bulletin and the sheets of all current notices to PDF (headless Chromium), and the pages
    link them; `village-portal build --pdf` turns it on for one build."""

    pdf: bool = False


class Township(_Strict):
    name: str
    county: str = ""


class VillageSettings(_Strict):
    id: str
    name: str
    township: Township
    population: int | None = Field(None, ge=0)
    households: int | None = Field(None, ge=0)
    # The public address the township serves the portal at, for permanent links and QR codes.
    site_url: str | None = Field(None, pattern=r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[^\s]*)?$")
    # `print:` in site_config; `print` is the YAML key, `printing` the attribute.
    printing: Printing = Field(default_factory=Printing, alias="print")
    # "Today" for the rules that look at dates; fixed, it makes rebuilds reproducible.
    as_of: date | None = None
    rules: Rules = Field(default_factory=Rules)  # type: ignore[valid-type]
    masking: Masking = Field(default_factory=Masking)
    messages: dict[str, Any] = Field(default_factory=dict)
    # MkDocs configuration for this village's site (theme.palette, theme.features), merged over mkdocs.yml.
    mkdocs_options: MkDocsOptions = Field(default_factory=MkDocsOptions, alias="mkdocs")
    limits: Limits = Field(default_factory=Limits)

    def today(self) -> date:
        return self.as_of or date.today()

    @property
    def mkdocs(self) -> dict[str, Any]:
        return self.mkdocs_options.model_dump(exclude_none=True, exclude_defaults=True)


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, problems: Problems) -> Document | None:
    return read_yaml(path, Location(relative(path)), problems, root=path.parent)


def load_settings(config_dir: Path, village_ids: list[str], problems: Problems) -> dict[str, VillageSettings]:
    """Each village's settings: its own file laid over the township's defaults."""
    defaults_path = config_dir / DEFAULTS_FILE
    defaults = _read(defaults_path, problems) if defaults_path.exists() or defaults_path.is_symlink() else None
    result: dict[str, VillageSettings] = {}
    for village_id in village_ids:
        path = config_dir / f"{village_id}.yml"
        location = Location(relative(path))
        if not path.exists() and not path.is_symlink():
            problems.add(location, "village_config_missing", village=village_id)
            continue
        own = _read(path, problems)
        if own is None:
            continue
        data = deep_merge(defaults.data if defaults else {}, own.data)
        data["id"] = village_id
        # Lines come from the village file where it sets a key, else from the defaults file.
        document = Document(location.at(1), data, own.lines)
        if not _settings_are_data(document, defaults, problems):
            continue  # (validating would only say again that the key is unknown)
        settings = validate(VillageSettings, document, problems, fallback=defaults)
        if settings is not None and _no_personal_numbers(document, defaults, problems) \
                and _changes_hold(settings, document, defaults, problems):
            result[village_id] = settings
    return result


def _changes_hold(settings: VillageSettings, document: Document, defaults: Document | None,
                  problems: Problems) -> bool:
    """Each dated change of a kind's rules, laid over the numbers in force before it, makes valid
    rules (a weight changed alone no longer adds up): else an error on the change's line."""
    clean = True
    for name, field in type(settings.rules).model_fields.items():
        rules = getattr(settings.rules, name)
        if not isinstance(rules, _Dated):
            continue
        before: BaseModel = rules
        for index, change in rules.in_order():
            after = validate(rules.undated(), document, problems, data=rules.apply(before, change),
                             fallback=defaults, at=("rules", field.alias or name, "changes", index))
            if after is None:
                clean = False
                break
            before = after
    return clean


def _settings_are_data(document: Document, defaults: Document | None, problems: Problems) -> bool:
    """No MkDocs key but those allowed reaches MkDocs, and every reworded message is a template of
    the named fields its text has (no attribute or index access, no stray brace): each an error on
    the line that sets it."""
    clean = True
    mkdocs = document.data.get("mkdocs")
    for dotted, _ in _leaves(mkdocs if isinstance(mkdocs, dict) else {}, ""):
        if not any(dotted == key or dotted.startswith(key + ".") for key in MKDOCS_ALLOWED):
            problems.add(locate(("mkdocs", *dotted.split(".")), document, defaults), "settings_mkdocs_key",
                         setting=f"mkdocs.{dotted}")
            clean = False
    messages = document.data.get("messages")
    catalogue = Catalogue()
    for dotted, text in _leaves(messages if isinstance(messages, dict) else {}, ""):
        found = template_problem(catalogue, dotted, text)
        if found is not None:
            problems.add(locate(("messages", *dotted.split(".")), document, defaults), found[0], message=dotted,
                         **found[1])
            clean = False
    return clean


def _leaves(value: dict[str, Any], dotted: str) -> Any:
    """(dotted key, value) of every value of a nested mapping that is not a mapping itself."""
    for key, item in value.items():
        key = f"{dotted}.{key}".lstrip(".")
        if isinstance(item, dict) and item:
            yield from _leaves(item, key)
        else:
            yield key, item


def _no_personal_numbers(document: Document, defaults: Document | None, problems: Problems) -> bool:
    """Settings are published (the village's name, reworded texts …): a full ID, mobile or bank
    card number in any of them is an error on the line that sets it."""
    from generator.domain.privacy import find_personal_numbers

    clean = True
    for dotted, text in _strings(document.data, ""):
        for found in find_personal_numbers(text):
            problems.add(locate(tuple(dotted.split(".")), document, defaults), "settings_personal_number",
                         field=dotted, number_kind=str(found.kind))
            clean = False
    return clean


def _strings(value: Any, dotted: str) -> Any:
    if isinstance(value, str):
        yield dotted, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{dotted}.{key}".lstrip("."))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{dotted}.{index}")
