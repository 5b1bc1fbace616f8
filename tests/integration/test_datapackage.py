"""Open data a data user loads as it is (issue 22): each village-year is a Frictionless data
package (datapackage.json) that `frictionless` finds valid, with typed values, and the township's
catalog.json lists every village-year's package, so its ledgers load as one typed table."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

frictionless = pytest.importorskip("frictionless", reason="the test extras: pip install -e '.[test]'")

from benchmarks.common import synth  # noqa: E402
from generator.pipeline.check import check  # noqa: E402
from generator.render.pages import render_village_year  # noqa: E402

VILLAGE, YEAR = "hekou", 2025


def years(out: Path) -> list[Path]:
    return sorted(out.glob("*/[0-9][0-9][0-9][0-9]"))


def assert_valid(package: Path) -> dict:
    report = frictionless.validate(str(package))
    errors = [f"{task.name}: {error.note}" for task in report.tasks for error in task.errors]
    assert report.valid and not errors, errors[:10]
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    on_disk = {path.relative_to(package.parent).as_posix() for path in package.parent.rglob("table-*.csv")}
    assert {resource["path"] for resource in descriptor["resources"]} == on_disk and on_disk
    return descriptor


def test_every_village_year_of_the_demo_is_a_valid_data_package(demo_out: Path):
    for site in years(demo_out):
        descriptor = assert_valid(site / "datapackage.json")
        assert descriptor["year"] == int(site.name) and descriptor["title"]
        for resource in descriptor["resources"]:
            for field in resource["schema"]["fields"]:
                assert field["name"] and field["title"] and field["type"] in (
                    "string", "number", "integer", "date", "yearmonth", "boolean"), (resource["path"], field)


def fields_of(descriptor: dict, path: str) -> dict[str, dict]:
    [resource] = [resource for resource in descriptor["resources"] if resource["path"] == path]
    return {field["name"]: field for field in resource["schema"]["fields"]}


def resource_rows(site: Path, path: str) -> list[dict]:
    package = frictionless.Package(str(site / "datapackage.json"))
    [resource] = [resource for resource in package.resources if resource.path == path]
    return resource.read_rows()


def test_values_are_typed_as_the_schema_says(demo_out: Path):
    site = demo_out / VILLAGE / str(YEAR)
    descriptor = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    ledger = fields_of(descriptor, "finance/2025-01/table-1.csv")
    assert ledger["日期"]["type"] == "date"
    assert (ledger["收入"]["type"], ledger["收入"]["unit"]) == ("number", "元")
    rows = resource_rows(site, "finance/2025-01/table-1.csv")
    assert isinstance(rows[0]["日期"], date) and isinstance(rows[0]["余额"], Decimal)
    assert any(row["收入"] is None for row in rows) and any(row["支出"] is None for row in rows)

    # A share is a number with its unit; a vote count an integer; the vote table's first
    # column has a name (it had a blank header).
    [vote] = [resource for resource in descriptor["resources"]
              if "占参加人数" in {field["name"] for field in resource["schema"]["fields"]}][:1]
    fields = {field["name"]: field for field in vote["schema"]["fields"]}
    assert (fields["占参加人数"]["type"], fields["占参加人数"]["unit"]) == ("number", "%")
    assert fields["票数"]["type"] == "integer" and fields["测评意见"]["type"] == "string"
    data = json.loads((site / vote["json"]).read_text(encoding="utf-8"))
    assert all(isinstance(row[1], int) and isinstance(row[2], float) for row in data["rows"])
    assert data["schema"]["fields"] == vote["schema"]["fields"]


def test_missing_values_are_empty_and_line_breaks_are_kept(demo_out: Path):
    texts, ranks = [], []
    for site in years(demo_out):
        descriptor = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            names = [field["name"] for field in resource["schema"]["fields"]]
            data = json.loads((site / resource["json"]).read_text(encoding="utf-8"))
            rows = list(csv.reader(io.StringIO((site / resource["path"]).read_text(encoding="utf-8-sig"))))
            for field in resource["schema"]["fields"]:
                column = names.index(field["name"])
                if field["type"] != "string":  # never "—" or "" in a typed column's data
                    assert all(row[column] != "—" for row in rows[1:]), (resource["path"], field["name"])
                    assert all(row[column] != "" for row in data["rows"]), (resource["path"], field["name"])
                if field["name"] == "名次":
                    ranks += [row[column] for row in data["rows"]]
            texts += [cell for row in data["rows"] for cell in row if isinstance(cell, str)]
    # 名次 of a cadre not ranked: shown "—", null in the data, the others integers.
    assert None in ranks and all(isinstance(rank, int) for rank in ranks if rank is not None)
    # An election notice's date and its distance to election day, on two lines as on the page.
    assert any("\n选举日前" in text for text in texts)


# Yes or no said in words among other words (按时 ✓): a boolean column of its own right after the
# words, which stay as shown. (the table, the words' column, the boolean's, what the words say)
YES_OR_NO = [
    ("inquiries/table-1.csv", "答复情况", "按时答复",
     lambda words: True if "按时答复" in words else None if "等待答复" in words else False),
    ("elections/*/table-1.csv", "法定期限", "按时公布",
     lambda words: True if "✓ 按时公布" in words else False if "✗" in words else None),
    ("decisions/table-1.csv", "程序", "程序符合规定", lambda words: words == "符合规定"),
    ("evaluations/table-1.csv", "测评结果", "合格", lambda words: words.startswith("合格")),
    ("supervision/*/table-1.csv", "测评结果", "信任票达到规定", lambda words: "未达到" not in words),
    ("tenders/*/table-1.csv", "结果", "中选", lambda words: not words.startswith("未中选")),
]


def test_yes_or_no_in_words_is_a_boolean_field_beside_the_words(demo_out: Path):
    seen: dict[str, set] = {}
    for site in years(demo_out):
        descriptor = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
        for pattern, words, flag, says in YES_OR_NO:
            for path in sorted(path.relative_to(site).as_posix() for path in site.glob(pattern)):
                fields = list(fields_of(descriptor, path))
                assert fields[fields.index(words) + 1] == flag, (path, fields)
                assert fields_of(descriptor, path)[flag]["type"] == "boolean"
                assert fields_of(descriptor, path)[words]["type"] == "string"
                for row in resource_rows(site, path):
                    assert row[flag] is says(row[words]), (path, row[words], row[flag])
                    seen.setdefault(flag, set()).add(row[flag])
                data = json.loads((site / path.replace(".csv", ".json")).read_text(encoding="utf-8"))
                assert {row[fields.index(flag)] for row in data["rows"]} <= {True, False, None}
    # Every such column is in the demo, each with both answers.
    assert set(seen) == {flag for _, _, flag, _ in YES_OR_NO}
    assert all({True, False} <= values for values in seen.values()), seen


def test_a_synthetic_village_of_1000_records_is_a_valid_data_package(tmp_path: Path):
    root = tmp_path / "synth"
    synth().generate(root, villages=1, years=1, records=1000, seed=22)
    [village] = check(root / "content", root / "site_config").villages
    # Its pages rendered as the build renders them (the tables and the package are written
    # then), without laying out or indexing the site, which adds minutes and nothing here.
    [year] = village.years
    render_village_year(village.village_year(year), tmp_path / "docs", village.catalogue)
    descriptor = assert_valid(tmp_path / "docs" / "datapackage.json")
    assert len(descriptor["resources"]) > 100


def test_the_township_catalog_loads_every_ledger_into_one_typed_table(demo_out: Path):
    """What a township's auditor does: every village-year's ledgers in one table, the sum of 收入
    equal to the totals the pages show."""
    catalog = frictionless.Catalog(str(demo_out / "catalog.json"))
    listed = {dataset.package.name for dataset in catalog.datasets}
    assert listed == {f"{site.parent.name}-{site.name}" for site in years(demo_out)}
    lines, totals = [], Decimal(0)
    for dataset in catalog.datasets:
        village, year = dataset.package.custom["village"], dataset.package.custom["year"]
        site = demo_out / village / str(year)
        for resource in dataset.package.resources:
            names = [field.name for field in resource.schema.fields]
            if resource.custom.get("kind") != "finance" or "凭证号" not in names:
                continue
            for row in resource.read_rows():
                assert isinstance(row["日期"], date) and row["日期"].year == year
                lines.append({"村": village, **row.to_dict()})
            page = (site / resource.custom["page"] / "index.html").read_text(encoding="utf-8")
            totals += shown_total(page)
    assert len({line["村"] for line in lines}) == 2 and len(lines) > 100
    assert sum(line["收入"] or Decimal(0) for line in lines) == totals > 0


def shown_total(page: str) -> Decimal:
    """本期收入合计 as the ledger's page shows it (¥12,300.00)."""
    amount = re.search(r"本期收入合计</th><td[^>]*>¥([\d,.]+)<", page).group(1)
    return Decimal(amount.replace(",", ""))
