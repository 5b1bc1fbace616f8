"""The township board (issue 20): the demo broken once for each rule the seeds add (a contract
without its decision, the supervision chair on the villagers' committee, a representative of too
few households, topics sent late, a ledger month missing, a subsidy notice without a posting
period, a year-end 不合格, a party members' meeting without a majority). Each finding shows on its
record's page and on the township board, in the public's words with its basis; the clerk's fix
only in `check`."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline.build import build
from tests.conftest import DEMO_AS_OF, ROOT

LIUTANG = "content/liutang/2026"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each breakage: (rule's finding key, the record (village/year/section/id) it shows on, the edit).
BREAKAGES = {
    "contract_without_decision": ("liutang/2026/contracts/2026-road-phase2",
                                  f"{LIUTANG}/contracts/2026-road-phase2.yml", "decision: 2026-road-funding\n", ""),
    "supervision_on_villagers_committee": ("liutang/2026/supervision/2026-committee",
                                           f"{LIUTANG}/supervision/2026-committee.yml", "evaluation:\n",
                                           "villagers_committee: [邓春华, 李满堂, 曾美玲]\nevaluation:\n"),
    "representative_households": ("liutang/2026/roster/2026-roster", f"{LIUTANG}/roster/2026-roster.csv",
                                  "罗松林,村民代表,柳塘一组,11", "罗松林,村民代表,柳塘一组,3"),
    "decision_topics_late": ("liutang/2026/decisions/2026-road-funding",
                             f"{LIUTANG}/decisions/2026-road-funding.yml",
                             "  resolved:\n    date: 2026-01-25\n",
                             "  resolved:\n    date: 2026-01-25\n    topics_sent: 2026-01-22\n"),
    "decision_party_majority": ("liutang/2026/decisions/2026-road-funding",
                                f"{LIUTANG}/decisions/2026-road-funding.yml",
                                "    agree: 70\n    against: 0\n    abstain: 2\n",
                                "    agree: 30\n    against: 0\n    abstain: 42\n"),
    "ledger_period_missing": ("liutang/2026/finance/2026-06", None, None, None),
    "posting_missing": ("liutang/2026/affairs/2026-03-tea-garden-subsidy",
                        f"{LIUTANG}/affairs/2026-03-tea-garden-subsidy.yml", "posted_until: 2026-03-27\n", ""),
    "evaluation_unqualified": ("liutang/2026/evaluations/2026-deng-chunhua",
                               f"{LIUTANG}/evaluations/2026-deng-chunhua.yml",
                               "votes: {满意: 87, 基本满意: 24, 不满意: 5}", "votes: {满意: 30, 基本满意: 20, 不满意: 66}"),
}


def text_of(page: str) -> str:
    """A page's visible text, tags dropped and entities read, spaces folded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo with one breakage of each rule, built as of the demo's day."""
    work = tmp_path_factory.mktemp("broken")
    shutil.copytree(ROOT / "content", work / "content")
    shutil.copytree(ROOT / "site_config", work / "site_config")
    for _, path, old, new in BREAKAGES.values():
        if path:
            _edit(work / path, old, new)
    # A month that never appears: liutang's May ledger is gone (June follows April).
    for suffix in ("yml", "csv"):
        (work / LIUTANG / "finance" / f"2026-05.{suffix}").unlink()
    build(work / "content", work / "site_config", work / "public", as_of=DEMO_AS_OF, jobs=1)
    return work


@pytest.fixture(scope="module")
def findings(broken: Path) -> list[dict]:
    """What `village-portal check --format json` says of the broken copy: its findings."""
    import contextlib
    import io
    import os

    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(broken)
    try:
        with contextlib.redirect_stdout(out):
            main(["check", "--format", "json", "--as-of", DEMO_AS_OF.isoformat()])
    except SystemExit:
        pass
    finally:
        os.chdir(cwd)
    return [item for item in json.loads(out.getvalue()) if item["severity"] == "finding"]


def record_page(broken: Path, record: str) -> str:
    return text_of((broken / "public" / record / "index.html").read_text(encoding="utf-8"))


def board(broken: Path) -> str:
    pages = [broken / "public" / "index.html", broken / "public" / "more" / "index.html"]
    return " ".join(text_of(page.read_text(encoding="utf-8")) for page in pages if page.is_file())


@pytest.mark.parametrize("key", sorted(BREAKAGES))
def test_each_missing_rule_shows_its_finding_on_the_record_page(broken: Path, findings: list[dict], key: str):
    record = BREAKAGES[key][0]
    found = [item for item in findings if item["code"] == key]
    assert found, f"no {key} in check --format json"
    page = record_page(broken, record)
    assert any(item["message"] in page for item in found), (key, record)
    # The basis (依据) shows with it; the clerk's fix never does.
    for item in found:
        if item["message"] in page:
            assert item["basis"] and item["basis"] in page
            assert not item["fix"] or item["fix"] not in page


def test_every_finding_of_check_is_on_the_board_and_on_its_record_page(broken: Path, findings: list[dict]):
    shown = board(broken)
    home = text_of((broken / "public" / "index.html").read_text(encoding="utf-8"))
    assert len(findings) >= 30
    for item in findings:
        assert item["message"] in shown, item
        path = Path(item["file"])
        parts = path.parts  # content/<village>/<year>[/<section>/<id>.<ext>]
        if len(parts) == 3:  # a lapse of a whole category: the year's compliance page
            page = (broken / "public" / parts[1] / parts[2] / "compliance" / "index.html")
        else:
            page = broken / "public" / parts[1] / parts[2] / parts[3] / path.stem / "index.html"
        assert item["message"] in text_of(page.read_text(encoding="utf-8")), (item, page)
        assert not item["fix"] or item["fix"] not in home


def test_the_broken_village_comes_first_with_its_findings_linked(broken: Path):
    page = (broken / "public" / "index.html").read_text(encoding="utf-8")
    first = re.search(r'<section id="v-([a-z0-9-]+)">', page)
    assert first and first.group(1) == "liutang"
    for key, (record, *_) in BREAKAGES.items():
        village, year, section, rid = record.split("/")
        assert f'href="{village}/{year}/{section}/{rid}/#findings"' in page, key
    # Each link leads to the record's page, which has the findings box it points at.
    assert 'id="findings"' in (broken / "public" / "liutang/2026/contracts/2026-road-phase2/index.html").read_text(
        encoding="utf-8")


def test_the_village_home_and_compliance_page_list_the_findings_by_record(broken: Path, findings: list[dict]):
    home = (broken / "public" / "liutang" / "2026" / "index.html").read_text(encoding="utf-8")
    assert 'href="contracts/2026-road-phase2/"' in home
    compliance = text_of((broken / "public" / "liutang" / "2026" / "compliance" / "index.html").read_text(
        encoding="utf-8"))
    for item in findings:
        if item["file"].startswith("content/liutang/2026/") and item["file"].count("/") > 2:
            assert item["message"] in compliance, item


def test_check_prints_the_fix_and_the_basis(broken: Path, findings: list[dict]):
    missing = next(item for item in findings if item["code"] == "contract_without_decision")
    assert "decision:" in missing["fix"] and "村民代表议事会议" in missing["basis"]


def test_the_menu_names_the_villages_in_chinese(broken: Path):
    page = (broken / "public" / "index.html").read_text(encoding="utf-8")
    nav = " ".join(re.findall(r'class="md-nav__link[^"]*">(.*?)</a>', page, re.S))
    assert "河口村" in text_of(nav) and "柳塘村" in text_of(nav)
    assert "Hekou" not in page and "Liutang" not in page
