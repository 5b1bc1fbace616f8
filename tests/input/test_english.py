"""`--lang en`: every message a clerk or a technician can get has an English text; the portal's
pages stay Chinese."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest

from generator.inputs.messages import DEFAULT_LANGUAGE, Catalogue, _load
from generator.fs.paths import KIND_THEMES, MESSAGES
from generator.domain.kinds import KINDS
from tests.conftest import ROOT, write_files
from tests.unit.test_messages import problem_keys_in_code

TOPICS = ("problem", "severity", "report", "fields", "number_kinds")


def _keys(language: str, topics: tuple[str, ...] = TOPICS) -> set[str]:
    return {key for key in _load(language) if key.split(".")[0] in topics}


def test_every_problem_severity_report_and_field_text_has_english():
    missing = sorted(_keys(DEFAULT_LANGUAGE) - _keys("en"))
    assert not missing, f"no English text for: {missing}"


def test_every_problem_key_the_code_reports_has_english():
    english = _load("en")
    missing = {key: where for key, where in problem_keys_in_code().items() if f"problem.{key}" not in english}
    assert not missing, f"problem keys without English text: {missing}"


def test_every_kind_that_has_problems_or_fields_has_an_english_file():
    for section in KINDS:
        chinese = KIND_THEMES / section / "messages.zh.yml"
        text = chinese.read_text(encoding="utf-8") if chinese.exists() else ""
        if re.search(r"^(problem|fields):", text, re.M):
            assert (KIND_THEMES / section / "messages.en.yml").exists(), section


def test_english_texts_use_the_same_placeholders_as_the_chinese():
    chinese, english = _load(DEFAULT_LANGUAGE), _load("en")

    def names(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    differ = {key: (names(chinese[key]), names(english[key])) for key in english
              if key in chinese and names(chinese[key]) != names(english[key])}
    assert not differ


def test_english_has_no_chinese_words_but_quoted_values():
    # Chinese may appear only as examples of what a clerk types (2025年3月1日, 万, 身份证号 …).
    for key, text in _load("en").items():
        if key.split(".")[0] in TOPICS:
            unquoted = re.sub(r"[“\"(（][^”\")）]*[”\")）]", "", text)
            assert not re.search(r"[\u4e00-\u9fff]{4,}", unquoted), (key, text)


def test_the_site_stays_chinese():
    english = Catalogue("en")
    assert english.text("site.home") == "首页"  # no English UI texts: the pages fall back to Chinese
    assert not (MESSAGES / "en" / "site.yml").exists()
    assert not any(key.split(".")[0] in ("site", "home", "records", "sections", "format") for key in _load("en"))


GOOD = """title: 关于召开党员大会的通知
date: 2025-03-01
posted_until: 2025-03-10
category: 三会一课
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["第2行 E列（收入）：", "错误：", "共发现 2 个错误"]),
    ("en", ["row 2, column E (收入): ", "error: ", "Found 2 errors"]),
])
def test_check_speaks_the_language_asked_for(tmp_path: Path, site_config: Path, lang: str, words: list[str]):
    from io import BytesIO

    from openpyxl import Workbook

    write_files(tmp_path, {
        "content/testv/2025/party/a.yml": GOOD.replace("2025-03-01", "3/1/2025"),
        "content/testv/2025/finance/2025-01.yml": "period: 2025-01\ndate: 2025-02-05\nopening_balance: 0\n"
                                                  "closing_balance: 0\n",
    })
    book = Workbook()
    book.active.append(["日期", "凭证号", "摘要", "科目", "收入", "支出"])
    book.active.append(["2025-01-03", "记-001", "x", "经营收入", "1.2万", None])
    buffer = BytesIO()
    book.save(buffer)
    (tmp_path / "content/testv/2025/finance/2025-01.xlsx").write_bytes(buffer.getvalue())
    result = run("check", "--lang", lang, cwd=tmp_path)
    assert result.returncode == 1
    for text in words:
        assert text in result.stderr, result.stderr
    assert "content/testv/2025/party/a.yml:2:" in result.stderr
    assert "content/testv/2025/finance/2025-01.xlsx:2:" in result.stderr
