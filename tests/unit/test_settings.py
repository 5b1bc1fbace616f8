"""Settings: the township's `_defaults.yml` under each village's own file, every mistake located."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.inputs.problems import Problems
from generator.domain.settings import VillageSettings, deep_merge, load_settings

DEFAULTS = """\
township:
  name: 石桥镇
  county: 云溪县
as_of: 2025-12-31
rules:
  party:
    posting_days: 7
  finance:
    posting_days: 15
masking:
  id_start: 2
  id_end: 3
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "site_config"
    folder.mkdir()
    return folder


def _load(config: Path, defaults: str | None, village: str | None) -> tuple[dict[str, VillageSettings], Problems]:
    if defaults is not None:
        (config / "_defaults.yml").write_text(defaults, encoding="utf-8")
    if village is not None:
        (config / "hekou.yml").write_text(village, encoding="utf-8")
    problems = Problems()
    return load_settings(config, ["hekou"], problems), problems


def _located(problems: Problems) -> list[tuple[str, int | None, str]]:
    return [(p.location.path, p.location.line, p.key) for p in problems]


def test_village_file_is_laid_over_the_defaults(config: Path):
    settings, problems = _load(config, DEFAULTS, "name: 河口村\ntownship:\n  name: 新桥镇\nrules:\n  finance:\n    posting_days: 10\n")
    assert len(problems) == 0
    hekou = settings["hekou"]
    assert hekou.id == "hekou" and hekou.name == "河口村"
    # Deep merge: the village renames the township but keeps the county from the defaults.
    assert (hekou.township.name, hekou.township.county) == ("新桥镇", "云溪县")
    assert hekou.rules.of("finance").posting_days == 10
    assert hekou.rules.of("party").posting_days == 7      # from the defaults
    assert hekou.rules.of("affairs").posting_days == 7    # the seeds' number, set nowhere
    assert hekou.today() == date(2025, 12, 31)
    assert (hekou.masking.id_start, hekou.masking.mobile_start, hekou.masking.mobile_end) == (2, 3, 4)


def test_the_seeds_numbers_apply_without_any_defaults_file(config: Path):
    settings, problems = _load(config, None, "name: 河口村\ntownship:\n  name: 石桥镇\n")
    assert len(problems) == 0
    rules = settings["hekou"].rules
    assert (rules.of("party").posting_days, rules.of("affairs").posting_days, rules.of("finance").posting_days) == (7, 7, 15)


def test_unknown_key_in_the_village_file_is_located_there(config: Path):
    _, problems = _load(config, DEFAULTS, "name: 河口村\npopulaton: 1200\n")
    assert _located(problems) == [("site_config/hekou.yml", 2, "field_unknown")]
    assert next(iter(problems)).params["field"] == "populaton"


def test_unknown_key_in_the_defaults_is_located_in_the_defaults(config: Path):
    _, problems = _load(config, DEFAULTS + "sit_url: https://example.org\n", "name: 河口村\n")
    assert _located(problems) == [("site_config/_defaults.yml", 13, "field_unknown")]


def test_misspelt_rule_is_located_at_its_line(config: Path):
    _, problems = _load(config, DEFAULTS, "name: 河口村\nrules:\n  finance:\n    postng_days: 10\n")
    assert _located(problems) == [("site_config/hekou.yml", 4, "field_unknown")]


def test_unknown_section_under_rules_is_located(config: Path):
    _, problems = _load(config, DEFAULTS, "name: 河口村\nrules:\n  farm:\n    posting_days: 3\n")
    assert _located(problems) == [("site_config/hekou.yml", 3, "field_unknown")]


def test_misspelt_rule_in_the_defaults_is_located_in_the_defaults_even_if_the_village_sets_rules(config: Path):
    defaults = DEFAULTS.replace("    posting_days: 15\n", "    posting_days: 15\n    postng_days: 3\n")
    _, problems = _load(config, defaults, "name: 河口村\nrules:\n  party:\n    posting_days: 5\n")
    assert _located(problems) == [("site_config/_defaults.yml", 10, "field_unknown")]


def test_misspelt_rule_in_the_defaults_is_located_in_the_defaults(config: Path):
    defaults = DEFAULTS.replace("    posting_days: 15\n", "    posting_days: 15\n    postng_days: 3\n")
    _, problems = _load(config, defaults, "name: 河口村\n")
    assert _located(problems) == [("site_config/_defaults.yml", 10, "field_unknown")]


def test_wrong_value_is_located_and_named(config: Path):
    _, problems = _load(config, DEFAULTS, "name: 河口村\nrules:\n  finance:\n    posting_days: 十五\nmasking:\n  id_start: 9\n")
    assert _located(problems) == [("site_config/hekou.yml", 4, "bad_integer"), ("site_config/hekou.yml", 6, "too_large")]


def test_missing_village_config_is_a_problem(config: Path):
    settings, problems = _load(config, DEFAULTS, None)
    assert settings == {}
    assert _located(problems) == [("site_config/hekou.yml", None, "village_config_missing")]
    assert next(iter(problems)).params == {"village": "hekou"}


def test_missing_village_name_is_a_problem(config: Path):
    settings, problems = _load(config, DEFAULTS, "population: 1200\n")
    assert settings == {}
    assert [(path, key) for path, _, key in _located(problems)] == [("site_config/hekou.yml", "field_missing")]
    assert next(iter(problems)).params["field"] == "name"


def test_broken_defaults_file_is_a_located_syntax_problem(config: Path):
    _, problems = _load(config, "township:\n  name: 石桥镇\n\tcounty: 云溪县\n", "name: 河口村\n")
    assert ("site_config/_defaults.yml", 3, "yaml_syntax") in _located(problems)


def test_the_village_id_comes_from_the_file_name_not_its_content(config: Path):
    settings, problems = _load(config, DEFAULTS, "name: 河口村\nid: other\n")
    assert len(problems) == 0
    assert settings["hekou"].id == "hekou"


def test_deep_merge_keeps_both_sides_and_prefers_the_override():
    base = {"a": {"x": 1, "y": {"p": 1}}, "b": 1}
    merged = deep_merge(base, {"a": {"y": {"q": 2}}, "c": 3})
    assert merged == {"a": {"x": 1, "y": {"p": 1, "q": 2}}, "b": 1, "c": 3}
    assert base == {"a": {"x": 1, "y": {"p": 1}}, "b": 1}  # the defaults are not changed
    assert deep_merge({"a": {"x": 1}}, {"a": None}) == {"a": None}
