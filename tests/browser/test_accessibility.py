"""Accessible, valid pages (issue #4): axe-core, run inside Chromium, finds no violation and the
Nu HTML Checker finds no error on the pages a villager opens most; every page has a description."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.browser.test_phone import pages
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

# Installed by `make test` (package.json, `npm ci`).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NAMES = ["township", "home", "section", "notice", "ledger", "search"]


def open_page(phone, url: str, name: str) -> None:
    phone.goto(url)
    if name == "search":  # the search page as a reader uses it: a word typed, results shown
        phone.page.fill(".pagefind-ui__search-input", "公示")
        phone.page.wait_for_selector(".pagefind-ui__result-link", timeout=10_000)


def axe(page) -> dict:
    assert AXE.exists(), "axe-core is not installed: run `make test`, which installs it"
    page.add_script_tag(path=str(AXE))
    return page.evaluate("axe.run()")


def readable(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


@pytest.mark.parametrize("menu", [False, True], ids=["first-view", "menu-open"])
@pytest.mark.parametrize("name", NAMES)
def test_axe_finds_no_violation(phone, demo_url: str, name: str, menu: bool):
    open_page(phone, pages(demo_url)[name], name)
    if menu:  # Material's script and whole stylesheet come in and change the page
        phone.open_menu()
    result = axe(phone.page)
    assert result["violations"] == [], f"{name}:\n{readable(result['violations'])}"
    # Contrast was measured, not skipped: text on the page was checked and passed.
    assert "color-contrast" in {rule["id"] for rule in result["passes"]}


def test_every_built_page_has_a_description(demo_out: Path):
    # Every page MkDocs laid out; the plain redirects (latest/, a village's address) are not
    # pages to find or read (they say noindex) and carry none.
    missing = []
    for path in sorted(demo_out.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' not in text and not re.search(r'<meta name="description" content="[^"]', text):
            missing.append(str(path.relative_to(demo_out)))
    assert missing == []


def test_nu_html_checker_finds_no_error(demo_url: str, demo_out: Path):
    assert VNU.exists(), "vnu-jar is not installed: run `make test`, which installs it"
    files = [demo_out / url.removeprefix(demo_url) / "index.html" for url in pages(demo_url).values()]
    # One run for every page: the JVM takes seconds to start.
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{m.get('url', '').removeprefix(f'file:{demo_out}/')}:{m.get('lastLine', '?')}: {m['message']}\n"
              f"    {m.get('extract', '').strip()}" for m in messages]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0
