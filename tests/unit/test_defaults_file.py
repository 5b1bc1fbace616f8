"""site_config/_defaults.yml shows a township the rule numbers it can change: they must be
the numbers the code really uses, or the file would mislead."""

from __future__ import annotations

from fractions import Fraction

import yaml

from generator.domain.settings import Rules
from tests.conftest import ROOT


def as_number(value):
    if isinstance(value, str) and "/" in value:
        return Fraction(value)
    try:
        return Fraction(str(value))
    except (ValueError, TypeError):
        return value


def test_every_rule_number_written_in_the_defaults_file_is_the_codes_default():
    written = yaml.safe_load((ROOT / "site_config" / "_defaults.yml").read_text(encoding="utf-8"))["rules"]
    defaults = Rules().model_dump(by_alias=True, mode="json")
    for section, values in written.items():
        for name, value in values.items():
            assert as_number(value) == as_number(defaults[section][name]), f"rules.{section}.{name}"


def test_every_kind_has_its_rules_in_the_defaults_file():
    written = yaml.safe_load((ROOT / "site_config" / "_defaults.yml").read_text(encoding="utf-8"))["rules"]
    numeric = {section for section, values in Rules().model_dump(by_alias=True).items()
               if any(value is not None for key, value in values.items() if not isinstance(value, (list, dict, tuple)))}
    assert numeric <= set(written)
