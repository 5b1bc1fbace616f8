"""The message catalogue: every problem the code can report has words a clerk can read."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import generator.inputs.messages as messages
from generator.inputs.messages import Catalogue
from generator.fs.paths import ROOT, TEMPLATES
from generator.domain.privacy import NumberKind
from generator.inputs.problems import Location, Problem, Severity
from generator.domain.kinds import KINDS
from generator.domain.kinds.finance import LedgerLine
from generator.inputs.validation import _KEYS

GENERATOR = ROOT / "generator"

def _call_name(call: ast.Call) -> tuple[str, str]:
    """(receiver, name) of a call: `problems.add(...)` -> ("problems", "add")."""
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = func.value
        receiver_name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        return receiver_name, func.attr
    return "", getattr(func, "id", "")


def _strings(nodes: list[ast.expr]) -> list[str]:
    return [node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def problem_keys_in_code() -> dict[str, str]:
    """Every problem key used in generator/, and where (file:line) it is first used.

    A key is the last literal positional argument of a call that reports a problem:
    `problems.add(location, "key")`, `context.report(record, "field", "key")`,
    `context.report_row(record, row, "key")`, and any helper whose name says report/finding/problem
    (e.g. `_row_finding(context, record, row, "key")`); or the `vp_` type of a PydanticCustomError;
    or the key given to `Problem(location, "key")`.
    """
    found: dict[str, str] = {}
    for path in sorted(GENERATOR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            receiver, name = _call_name(node)
            literals = _strings(node.args)
            key = None
            if name == "KeyProblem":
                continue  # its reason is a `key.` text, not a `problem.` one (test below)
            if name == "PydanticCustomError" and literals and literals[0].startswith("vp_"):
                key = literals[0].removeprefix("vp_")
            elif name == "Problem" and len(node.args) > 1:
                key = next(iter(_strings(node.args[1:2])), None)
            elif (name == "add" and "problem" in receiver.lower()) or re.search(r"report|finding|problem", name.lower()):
                key = literals[-1] if literals else None
            if key:
                found.setdefault(key, f"{path.relative_to(ROOT)}:{node.lineno}")
    for key in _KEYS.values():
        found.setdefault(key, "generator/inputs/validation.py (_KEYS)")
    found.setdefault("invalid", "generator/inputs/validation.py (fallback)")
    return found


def test_the_key_scan_finds_the_keys_it_should():
    # Guards the regular expressions above: one key from each way of reporting.
    found = problem_keys_in_code()
    for key in ("yaml_syntax", "table_extra_cells", "bad_section_folder", "village_config_missing",
                "village_not_found", "wrong_year_folder", "posting_too_short", "personal_number",
                "ledger_unknown_account", "ledger_does_not_reconcile", "posting_backwards",
                "bad_date", "amount_cents", "unknown_category", "field_unknown", "invalid"):
        assert key in found, key
    assert len(found) >= 40


def test_every_problem_key_in_the_code_has_text(catalogue: Catalogue):
    missing = {key: where for key, where in problem_keys_in_code().items() if f"problem.{key}" not in catalogue}
    assert not missing, f"problem keys without text in themes/messages: {missing}"


def test_every_signing_key_problem_has_text_in_both_languages():
    # archive/signing.py's KeyProblem("reason", path) is told as `key.<reason>` (tools/archivist.py).
    source = (GENERATOR / "archive" / "signing.py").read_text(encoding="utf-8")
    reasons = set(re.findall(r"KeyProblem\(\"([a-z_]+)\"", source))
    assert reasons
    for language in ("zh", "en"):
        assert not {reason for reason in reasons if f"key.{reason}" not in messages._load(language)}, language


def test_every_literal_catalogue_key_in_the_code_and_templates_exists(catalogue: Catalogue):
    literal = re.compile(r"""(?:catalogue\.text|\bt)\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']\s*[,)]""")
    sources = list(GENERATOR.rglob("*.py")) + list(TEMPLATES.rglob("*.html")) + list((ROOT / "themes" / "kinds").rglob("*.html"))
    missing = []
    for path in sources:
        for key in literal.findall(path.read_text(encoding="utf-8")):
            if key not in catalogue:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing


def test_every_kind_has_a_section_title_and_intro(catalogue: Catalogue):
    for section in KINDS:
        assert f"sections.{section}.title" in catalogue
        assert f"sections.{section}.intro" in catalogue


def test_every_field_a_clerk_types_has_a_chinese_name(catalogue: Catalogue):
    names = {name for kind in KINDS.values() for name in kind.model_fields} | set(LedgerLine.model_fields)
    missing = sorted(name for name in names if f"fields.{name}" not in catalogue)
    assert not missing


def test_severities_and_number_kinds_have_words(catalogue: Catalogue):
    for severity in Severity:
        assert f"severity.{severity}" in catalogue
    for kind in NumberKind:
        assert f"number_kinds.{kind}" in catalogue


def test_problem_messages_name_the_field_in_chinese_and_the_column(catalogue: Catalogue):
    problem = Problem(Location("content/v/2025/finance/2025-01.csv", 3, "收入"), "bad_amount",
                      {"field": "income", "value": "abc"})
    # The field is named in Chinese; the column is not repeated when the text already names it.
    assert problem.render(catalogue) == (
        "content/v/2025/finance/2025-01.csv:3: 错误：“收入”的金额“abc”看不懂，请只写数字，例如 12300.50。")
    elsewhere = Problem(Location("a.csv", 4, "备注"), "ledger_duplicate_voucher", {"voucher": "记-1"})
    assert elsewhere.render(catalogue) == "a.csv:4: 错误：“备注”列：凭证号“记-1”重复了。"
    finding = Problem(Location("a.yml", 3), "posting_too_short", {"days": 5, "minimum": 7}, Severity.FINDING)
    # `check` says the rule it rests on and, for the clerk only, how to put it right.
    assert finding.render(catalogue).splitlines() == [
        "a.yml:3: 提醒：公示期只有 5 天，少于规定的 7 天。",
        "    依据：《村民委员会组织法》第三十条和本镇设置：每类公告至少公示规定的天数。",
        "    怎么改：把 posted_until 改到公示期满的那一天；已经撤下的，重新张贴补足天数后再改。"]


def test_a_missing_key_is_an_error_not_a_blank():
    with pytest.raises(KeyError):
        Catalogue().text("problem.no_such_key")


def test_unknown_placeholder_in_a_reworded_text_stays_visible():
    catalogue = Catalogue(overrides={"problem": {"ledger_gap": "对不上：{opening} / {no_such}"}})
    assert catalogue.text("problem.ledger_gap", opening="1.00") == "对不上：1.00 / {no_such}"


def test_overrides_reword_a_text_nested_or_dotted():
    nested = Catalogue(overrides={"problem": {"posting_too_short": "公示不足 {minimum} 天"}})
    dotted = Catalogue(overrides={"problem.posting_too_short": "公示不足 {minimum} 天"})
    for catalogue in (nested, dotted):
        assert catalogue.text("problem.posting_too_short", days=3, minimum=7) == "公示不足 7 天"
        # Everything not reworded keeps its text.
        assert catalogue.text("site.home") == "首页"
    assert Catalogue().text("problem.posting_too_short", days=3, minimum=7) == "公示期只有 3 天，少于规定的 7 天。"


# -- a key defined twice ---------------------------------------------------------------------

@pytest.fixture
def theme_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the catalogue at a scratch theme; the real catalogue is reloaded afterwards."""
    messages_dir, kinds_dir = tmp_path / "messages", tmp_path / "kinds"
    (messages_dir / "zh").mkdir(parents=True)
    kinds_dir.mkdir()
    monkeypatch.setattr(messages, "MESSAGES", messages_dir)
    monkeypatch.setattr(messages, "KIND_THEMES", kinds_dir)
    messages._load.cache_clear()
    yield messages_dir / "zh", kinds_dir
    messages._load.cache_clear()


def test_a_key_defined_in_two_message_files_is_refused(theme_folders):
    common, kinds = theme_folders
    (common / "portal.yml").write_text("site:\n  home: 首页\nproblem:\n  ledger_gap: 对不上\n", encoding="utf-8")
    (kinds / "finance").mkdir()
    (kinds / "finance" / "messages.zh.yml").write_text("problem:\n  ledger_gap: 又一个\n", encoding="utf-8")
    with pytest.raises(ValueError, match="problem.ledger_gap"):
        Catalogue()


def test_a_key_defined_twice_in_common_files_is_refused(theme_folders):
    common, _ = theme_folders
    (common / "a.yml").write_text("site:\n  home: 首页\n", encoding="utf-8")
    (common / "b.yml").write_text("site.home: 主页\n", encoding="utf-8")
    with pytest.raises(ValueError, match="site.home"):
        Catalogue()


def test_distinct_keys_from_several_files_merge(theme_folders):
    common, kinds = theme_folders
    (common / "a.yml").write_text("site:\n  home: 首页\n", encoding="utf-8")
    (kinds / "party").mkdir()
    (kinds / "party" / "messages.zh.yml").write_text("sections:\n  party:\n    title: 党务公开\n", encoding="utf-8")
    catalogue = Catalogue()
    assert catalogue.text("site.home") == "首页"
    assert catalogue.text("sections.party.title") == "党务公开"


def test_the_real_catalogue_loads_without_duplicates():
    messages._load.cache_clear()
    assert "problem.yaml_syntax" in Catalogue()
