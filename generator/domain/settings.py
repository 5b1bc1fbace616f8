"""Settings: the township's defaults (`site_config/_defaults.yml`) under each village's own file.

Every number the policies give is a setting here, with the seed documents' value as default,
so a township or a village can override it in one place.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from generator.inputs.problems import Location, Problems, relative
from generator.inputs.readers import Document, read_yaml
from generator.inputs.validation import validate

DEFAULTS_FILE = "_defaults.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _rules_model() -> type[BaseModel]:
    """`rules:` has one entry per record kind (e.g. `rules.finance.posting_days`), each the kind's
    own settings model with the seeds' numbers as defaults, and `rules.compliance` for how often
    each of the three disclosures is due (the compliance page)."""
    from generator.domain.compliance import ComplianceRules  # noqa: PLC0415 - it imports the kinds
    from generator.domain.kinds import KINDS  # noqa: PLC0415 - the kinds import settings' types

    fields: dict[str, Any] = {
        section.replace("-", "_"): (kind.Rules, Field(default_factory=kind.Rules, alias=section))
        for section, kind in KINDS.items()
    }
    fields["compliance"] = (ComplianceRules, Field(default_factory=ComplianceRules))

    def of(self: BaseModel, section: str) -> Any:
        return getattr(self, section.replace("-", "_"))

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
    site_url: str | None = None
    # `print:` in site_config; `print` is the YAML key, `printing` the attribute.
    printing: Printing = Field(default_factory=Printing, alias="print")
    # "Today" for the rules that look at dates; fixed, it makes rebuilds reproducible.
    as_of: date | None = None
    rules: Rules = Field(default_factory=Rules)  # type: ignore[valid-type]
    masking: Masking = Field(default_factory=Masking)
    messages: dict[str, Any] = Field(default_factory=dict)
    # Extra MkDocs configuration for this village's site (e.g. theme.palette), merged over mkdocs.yml.
    mkdocs: dict[str, Any] = Field(default_factory=dict)

    def today(self) -> date:
        return self.as_of or date.today()


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, problems: Problems) -> Document | None:
    return read_yaml(path, Location(relative(path)), problems)


def load_settings(config_dir: Path, village_ids: list[str], problems: Problems) -> dict[str, VillageSettings]:
    """Each village's settings: its own file laid over the township's defaults."""
    defaults_path = config_dir / DEFAULTS_FILE
    defaults = _read(defaults_path, problems) if defaults_path.exists() else None
    result: dict[str, VillageSettings] = {}
    for village_id in village_ids:
        path = config_dir / f"{village_id}.yml"
        location = Location(relative(path))
        if not path.exists():
            problems.add(location, "village_config_missing", village=village_id)
            continue
        own = _read(path, problems)
        if own is None:
            continue
        data = deep_merge(defaults.data if defaults else {}, own.data)
        data["id"] = village_id
        # Lines come from the village file where it sets a key, else from the defaults file.
        document = Document(location.at(1), data, own.lines)
        settings = validate(VillageSettings, document, problems, fallback=defaults)
        if settings is not None and _no_personal_numbers(document, defaults, problems):
            result[village_id] = settings
    return result


def _no_personal_numbers(document: Document, defaults: Document | None, problems: Problems) -> bool:
    """Settings are published (the village's name, reworded texts …): a full ID, mobile or bank
    card number in any of them is an error on the line that sets it."""
    from generator.domain.privacy import find_personal_numbers
    from generator.inputs.validation import locate

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
