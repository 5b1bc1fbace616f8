"""小微权力清单 (issue 24): the demo's power copied into the test village and broken once for each
rule — too few steps (a setting), a step without who is responsible, nowhere to complain — each
located; the page's flow of numbered boxes; a private mobile masked."""

from __future__ import annotations

from datetime import date

from generator.inputs.problems import Severity
from tests.builder import Portal
from tests.conftest import ROOT

AS_OF = date(2026, 6, 1)
POWER = (ROOT / "content" / "hekou" / "2026" / "powers" / "2026-small-projects.yml").read_text(encoding="utf-8")


def run(portal: Portal, text: str = POWER, village: str = ""):
    if village:
        portal.village("name: 测试村\n" + village)
    portal.record(2026, "powers", "projects.yml", text)
    checked = portal.check(AS_OF)
    return checked, [p for p in checked.problems if "/powers/" in p.location.path]


def line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_the_demo_power_passes_and_its_page_is_a_flow_of_numbered_steps(portal):
    checked, problems = run(portal)
    assert problems == []
    page = portal.page("powers", "projects")
    flow = page.split('<ol class="vp-flow">')[1].split("</ol>")[0]
    assert flow.count('<li class="vp-flow-step">') == 5
    assert "第 1 步" in flow and "第 5 步" in flow and "负责：村务监督委员会、镇农经站" in flow and "7 天内" in flow
    assert "0739-5521386" in page  # the supervision committee's landline is public


def test_a_flow_of_too_few_steps_is_an_error_and_the_least_is_a_setting(portal):
    one = POWER.split("  - action: 村“两委”会商议")[0] + "complaint:" + POWER.split("complaint:")[1]
    [problem] = run(portal, one)[1]
    assert (problem.key, problem.severity, problem.params) == ("powers_too_few_steps", Severity.ERROR,
                                                                {"count": 1, "minimum": 2})
    assert problem.location.line == line_of(one, "flow:")
    assert run(portal, one, village="rules:\n  powers:\n    steps_min: 1\n")[1] == []


def test_a_step_without_who_is_responsible_is_a_located_error(portal):
    text = POWER.replace("    responsible: 村党支部书记\n", "", 1)
    [problem] = run(portal, text)[1]
    assert problem.severity is Severity.ERROR and problem.key == "field_missing"
    assert problem.location.line == line_of(text, "  - action: 村“两委”会商议")


def test_a_power_that_says_nowhere_to_complain_is_an_error(portal):
    text = POWER.split("complaint:")[0]
    [problem] = run(portal, text)[1]
    assert (problem.key, problem.severity, problem.params["power"]) == (
        "powers_no_complaint", Severity.ERROR, "村级小额工程项目（5万元以下）的确定和实施")
    assert run(portal, text + "complaint_phone: 0739-5521386\n")[1] == []


def test_a_private_mobile_to_complain_to_is_masked(portal):
    run(portal, POWER.replace("complaint_phone: 0739-5521386", "complaint_phone: 13907391258"))
    page = portal.page("powers", "projects")
    assert "13907391258" not in page and "139****1258" in page
