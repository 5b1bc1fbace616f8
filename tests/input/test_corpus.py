"""Personal numbers planted in every written form (tests/input/corpus.py) in every text field,
table column and file name of every kind: the build publishes none (it stops, each error naming
its record; masked columns publish every number masked, as every output file shows, Pagefind's
fragments decompressed); and no legitimate serial, account or amount is refused."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.domain.kinds import KINDS
from generator.domain.privacy import DEFAULT_MASKING, find_personal_numbers, mask_numbers
from generator.inputs.problems import InputError
from generator.pipeline.build import build
from generator.site.audit import scan_file, scan_page
from generator.tools.examples import example
from tests.input.corpus import FORMS, legitimate, numbers

NUMBERS = numbers()
PLANTS = [(kind, number, form) for kind, found in NUMBERS.items() for number in found[:3] for form in FORMS]
AS_OF = date(2025, 12, 31)


def test_the_corpus_is_large_enough():
    assert len(FORMS) >= 40
    assert len(legitimate()) >= 100


@pytest.mark.parametrize("kind", list(NUMBERS))
def test_every_form_of_every_number_is_found_masked_and_caught_by_the_last_scan(kind):
    missed = []
    for number in NUMBERS[kind]:
        for name, form in FORMS.items():
            text = f"联系人 {form(number, kind)} 谢谢"
            digits = {found.digits.upper() for found in find_personal_numbers(text)}
            masked = mask_numbers(text, None, DEFAULT_MASKING)
            if number.upper() not in digits or find_personal_numbers(masked) or \
                    number.upper() not in {found.digits.upper() for found in scan_page(f"<p>{text}</p>")}:
                missed.append((name, number))
    assert missed == []


def test_no_legitimate_serial_account_or_amount_is_refused():
    refused = [(number, [found.kind for found in find_personal_numbers(f"合同编号 {number}，")])
               for number in legitimate()]
    assert [entry for entry in refused if entry[1]] == []


# -- planted in the records of every kind -----------------------------------------------------------

def _plant(value: Any, written: list[str], index: list[int]) -> Any:
    """Every text in `value` with a planted number after it, each the next one of `written`."""
    if isinstance(value, str):
        index[0] += 1
        return f"{value} {written[index[0] % len(written)]}"
    if isinstance(value, dict):
        return {key: _plant(item, written, index) for key, item in value.items()}
    if isinstance(value, list):
        return [_plant(item, written, index) for item in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


def _write_portal(root: Path) -> dict[str, int]:
    """Every kind's example record once per form, every text of it planted; returns the planted
    records' files (relative) and how many numbers each holds."""
    (root / "site_config").mkdir(parents=True)
    (root / "site_config" / "testv.yml").write_text("name: 测试村\ntownship:\n  name: 石桥镇\n", encoding="utf-8")
    planted: dict[str, int] = {}
    for section, kind in KINDS.items():
        seed = example(kind, 2025)
        folder = root / "content" / "testv" / "2025" / section
        folder.mkdir(parents=True)
        for position, (name, form) in enumerate(FORMS.items()):
            written = [form(number, number_kind) for number_kind, found in NUMBERS.items() for number in found[:2]]
            written = written[position % len(written):] + written[:position % len(written)]
            index = [0]
            data = _plant(_plain(seed.data), written, index)
            stem = f"p-{position}"
            (folder / f"{stem}.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            planted[f"content/testv/2025/{section}/{stem}.yml"] = index[0]
            if seed.rows is not None:
                rows = [_plant(dict(row), written, index) for row in seed.rows]
                out = io.StringIO()
                writer = csv.DictWriter(out, fieldnames=list(seed.rows[0]))
                writer.writeheader()
                writer.writerows(rows)
                (folder / f"{stem}.csv").write_text(out.getvalue(), encoding="utf-8")
        # File names: only ASCII letters, digits and dashes make a record id.
        for number_kind, found in NUMBERS.items():
            number = found[0].lower()
            for stem in (number, "sfz" + number, "n-" + FORMS["grouped with dashes"](number, number_kind)):
                (folder / f"{stem}.yml").write_text(yaml.safe_dump(_plain(seed.data), allow_unicode=True), encoding="utf-8")
                planted[f"content/testv/2025/{section}/{stem}.yml"] = 1
    return planted


def test_planted_in_every_field_column_and_file_name_of_every_kind_none_is_published(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    planted = _write_portal(tmp_path)
    with pytest.raises(InputError) as stopped:
        build(Path("content"), Path("site_config"), Path("public"), as_of=AS_OF)
    assert not (tmp_path / "public").exists()  # nothing published
    errors = stopped.value.problems.errors
    named = {problem.location.path.rsplit(".", 1)[0] for problem in errors}
    unnamed = [path for path in planted if path.rsplit(".", 1)[0] not in named]
    assert unnamed == []  # each planted record stopped the build, the error naming it
    assert len(planted) >= 40 * len(KINDS)


def test_numbers_in_masked_columns_are_published_masked_only(tmp_path, monkeypatch):
    """A subsidy list's ID, phone and account columns hold every form: the build publishes them
    masked, and no output file (pages, feeds, data files, Pagefind's fragments) holds one in full."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site_config").mkdir()
    (tmp_path / "site_config" / "testv.yml").write_text("name: 测试村\ntownship:\n  name: 石桥镇\n", encoding="utf-8")
    folder = tmp_path / "content" / "testv" / "2025" / "affairs"
    folder.mkdir(parents=True)
    (folder / "2025-03-dibao.yml").write_text(
        "title: 低保名单公示\ndate: 2025-03-12\nposted_until: 2025-03-19\ncategory: 低保救助\n", encoding="utf-8")
    rows = [["序号", "姓名", "身份证号", "联系电话", "银行账号"]]
    for position, form in enumerate(FORMS.values()):
        rows.append([str(position + 1), "张三", form(NUMBERS["id"][position % 10], "id"),
                     form(NUMBERS["mobile"][position % 10], "mobile"), form(NUMBERS["bank"][position % 10], "bank")])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    (folder / "2025-03-dibao.csv").write_text(out.getvalue(), encoding="utf-8")
    build(Path("content"), Path("site_config"), Path("public"), as_of=AS_OF)
    files = [path for path in (tmp_path / "public").rglob("*") if path.is_file()]
    assert any(path.suffix == ".pf_fragment" for path in files)
    leaks = {str(path.relative_to(tmp_path)): found for path in files if (found := scan_file(path))}
    assert leaks == {}
