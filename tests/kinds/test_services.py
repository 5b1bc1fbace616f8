"""办事指南 (issue 24): the demo's guide copied into the test village and broken once for each
rule — no step, a time limit under a day, a fee that cannot be read — each located; 免费 or an
amount; the page's numbered steps and a masked mobile."""

from __future__ import annotations

from datetime import date

import pytest

from generator.inputs.problems import Severity
from tests.builder import Portal
from tests.conftest import ROOT

AS_OF = date(2026, 6, 1)
GUIDE = (ROOT / "content" / "hekou" / "2026" / "services" / "2026-dibao.yml").read_text(encoding="utf-8")


def run(portal: Portal, text: str = GUIDE):
    portal.record(2026, "services", "dibao.yml", text)
    checked = portal.check(AS_OF)
    return checked, [p for p in checked.problems if "/services/" in p.location.path]


def line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_the_demo_guide_passes_and_its_page_is_a_numbered_list_of_steps(portal):
    checked, problems = run(portal)
    assert problems == []
    [record] = checked.villages[0].records
    assert record.fee == 0 and record.time_limit_days == 30 and len(record.steps) == 5
    page = portal.page("services", "dibao")
    steps = page.split('<ol class="vp-guide">')[1].split("</ol>")[0]
    assert steps.count("<li>") == 5 and '<span class="vp-guide-number" aria-hidden="true">5</span>' in steps
    assert "<strong>免费</strong>" in page and "户口簿（原件和复印件）" in page and "30 天内办完" in page


@pytest.mark.parametrize(("old", "new", "key"), [
    ("time_limit_days: 30", "time_limit_days: 0", "too_small"),
    ("fee: 免费", "fee: 十元", "bad_amount"),
    ("fee: 免费", "fee: 12.345", "amount_dot_or_thousands"),
])
def test_each_rule_broken_in_the_demo_guide_is_a_located_error(portal, old, new, key):
    assert old in GUIDE
    text = GUIDE.replace(old, new, 1)
    [problem] = run(portal, text)[1]
    assert (problem.key, problem.severity) == (key, Severity.ERROR)
    assert problem.location.line == line_of(text, new.split(":")[0] + ":")


def test_a_guide_without_steps_is_an_error(portal):
    text = GUIDE.split("steps:")[0] + "steps: []\nplace:" + GUIDE.split("place:")[1]
    [problem] = run(portal, text)[1]
    assert problem.severity is Severity.ERROR and problem.key == "too_few"
    assert problem.location.line == line_of(text, "steps:")


def test_an_amount_is_a_fee_and_a_mobile_is_masked(portal):
    run(portal, GUIDE.replace("fee: 免费", "fee: 10元").replace("contact_phone: 0739-5521380", "contact_phone: 13907391258"))
    page = portal.page("services", "dibao")
    assert "¥10.00" in page and "免费" not in page.split("<dt>收费</dt>")[1].split("</dd>")[0]
    assert "13907391258" not in page and "139****1258" in page
