"""Records are data, never markup: known XSS payloads in every text field of every kind (and in the
village's name), built and opened in Chromium. No script runs (no dialog, no console marker,
`window.__xss` stays undefined) and the payloads are shown as the text they are.

The records are made from each kind's model (the example values `village-portal new` finds), so
a kind added later is covered too: every text field, and every text column of its table, gets
payloads; a field whose rules refuse a payload (a category must be one of a list) keeps its
example value — a refused value is never published anyway.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError

from generator.pipeline.build import build
from generator.pipeline.check import check
from generator.inputs.problems import Location, Problems
from generator.inputs.readers import read_csv, read_xlsx, read_yaml
from generator.domain.kinds import KINDS
from generator.tools.fields import LONG_TEXT, NESTED, NESTED_LIST, TEXT, describe, row_model
from generator.tools.examples import Example, example
from tests.conftest import ROOT
from generator.inputs.messages import Catalogue
from generator.tools.serve import make_server

pytestmark = pytest.mark.browser

YEAR = 2025
AS_OF = date(2025, 12, 31)
CANARY = "<script>window.__xss=1</script>"
MARKER = "XSS-MARKER"
PAYLOADS = [
    CANARY,
    "<script>alert('XSS-MARKER')</script>",
    "<script>console.log('XSS-MARKER')</script>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=console.log('XSS-MARKER')>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<body onload=window.__xss=1>",
    "<iframe src=\"javascript:window.top.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<iframe src=\"data:text/html,<script>parent.__xss=1</script>\"></iframe>",
    "[点我](javascript:window.__xss=1)",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](javascript&#58;window.__xss=1)",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[点我](vbscript:msgbox(1))",
    "![图](javascript:window.__xss=1)",
    "![x](x\" onerror=\"window.__xss=1)",
    "[x](https://example.com\" onclick=\"window.__xss=1)",
    "[a][ref]\n\n[ref]: javascript:window.__xss=1",
    "<javascript:window.__xss=1>",
    "<https://example.com/\"onmouseover=\"window.__xss=1>",
    "<a href=\"javascript:window.__xss=1\">链接</a>",
    "<a href=\"  javascript:alert(1)\">链接</a>",
    "<a href=\"&#106;avascript:window.__xss=1\">链接</a>",
    "<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=window.__xss=1></style></mtext></svg>"
    "</mglyph></math>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url(javascript:window.__xss=1)\">x</div>",
    "<div style=\"width: expression(window.__xss=1)\">x</div>",
    "{{7*7}}",
    "{{constructor.constructor('window.__xss=1')()}}",
    "${window.__xss=1}",
    "{% raw %}{{ 7*7 }}{% endraw %}",
    "\"><script>window.__xss=1</script>",
    "'><script>window.__xss=1</script>",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
    "<<script>script>window.__xss=1<</script>/script>",
    "<SCRIPT SRC=//127.0.0.1:9/x.js></SCRIPT>",
    "<img src=\"x\" onerror=\"&#119;indow.__xss=1\">",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "%3Cscript%3Ewindow.__xss=1%3C/script%3E",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "\\x3cscript\\x3ewindow.__xss=1\\x3c/script\\x3e",
    "＜script＞window.__xss=1＜/script＞",
    "<img src=x onerror=window.__xss=1//",
    "<img \"\"\"><script>window.__xss=1</script>\">",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<embed src=\"javascript:window.__xss=1\">",
    "<form action=\"javascript:window.__xss=1\"><button>提交</button></form>",
    "<input autofocus onfocus=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    "<video><source onerror=window.__xss=1></video>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<base href=\"javascript:window.__xss=1//\">",
    "<link rel=stylesheet href=\"javascript:window.__xss=1\">",
    "<marquee onstart=window.__xss=1>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+"
    "window.__xss=1//'>",
    "<x onclick=window.__xss=1>点击",
    "<!--<img src=\"--><img src=x onerror=window.__xss=1//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
    "<svg><a xlink:href=\"javascript:window.__xss=1\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<!--#exec cmd=\"/bin/echo\"-->",
    "<?xml version=\"1.0\"?><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">window.__xss=1</x:script>",
]
# Fields that name a part of another record (a 红黑榜 clause names an article of the village's
# rules, by its number): they keep their example values, so that they still name it.
REFERENCES = {"rules": {"articles.number", "revisions.articles.number"}, "red-black": {"entries.clause"}}
PER_VILLAGE = 23  # the canary and 22 more in each village: every payload in every field of every kind


def chunks() -> list[list[str]]:
    rest = PAYLOADS[1:]
    step = PER_VILLAGE - 1
    return [[CANARY] + rest[start:start + step] for start in range(0, len(rest), step)]


# -- the records -------------------------------------------------------------------------------------

def _text_paths(docs, data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Paths of the text fields present in an example record."""
    if not isinstance(data, dict):
        return
    for doc in docs:
        if doc.key not in data:
            continue
        path = prefix + (doc.key,)
        if doc.kind in (TEXT, LONG_TEXT) and not doc.choices and isinstance(data[doc.key], str):
            yield path
        elif doc.kind == NESTED:
            yield from _text_paths(doc.children, data[doc.key], path)
        elif doc.kind == NESTED_LIST and isinstance(data[doc.key], list):
            for index, item in enumerate(data[doc.key]):
                yield from _text_paths(doc.children, item, path + (index,))


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple, value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def demo_record(section: str) -> Example | None:
    """A record of the demo of this kind and year, where the kind's example values do not pass its
    rules (the kind has not set `Record.examples`)."""
    for path in sorted(ROOT.glob(f"content/*/{YEAR}/{section}/*.yml")):
        problems = Problems()
        document = read_yaml(path, Location(path.name), problems)
        rows = None
        for suffix in (".csv", ".xlsx"):
            if path.with_suffix(suffix).exists():
                reader = read_csv if suffix == ".csv" else read_xlsx
                table = reader(path.with_suffix(suffix), Location(path.name), problems)
                rows = [dict(row.cells) for row in table.rows[:3]] if table else None
        if document is not None and not problems:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            return Example(data, rows, [], {})
    return None


class Village:
    """One village of the test: one record of every kind, payloads in every text field."""

    def __init__(self, root: Path, number: int, payloads: list[str]) -> None:
        self.id = f"xss{number}"
        self.text = "\n\n".join(payloads)
        self.root = root
        self.records: dict[str, dict[str, Any]] = {}
        catalogue = Catalogue()
        self.skipped: list[str] = []
        for section, kind in KINDS.items():
            found = example(kind, YEAR)
            if found.errors:
                found = demo_record(section)
            if found is None:
                self.skipped.append(section)
                continue
            data = yaml.safe_load(yaml.safe_dump(found.data, allow_unicode=True))
            # Fields the rules allow only some values in (categories…) keep their example value.
            paths = [path for path in _text_paths(describe(kind, catalogue, kind.table_field), data)
                     if ".".join(str(part) for part in path if not isinstance(part, int))
                     not in found.choices.keys() | REFERENCES.get(section, set())]
            for path in paths:
                _set(data, path, self.text)
            rows = [dict(row) for row in found.rows] if found.rows is not None else None
            text_columns: list[str] = []
            if rows is not None:
                model = row_model(kind)
                docs = {doc.name: doc for doc in describe(model, catalogue)} if model else {}
                field_of = dict(kind.table_columns)
                text_columns = [header for header in rows[0]
                                if not model or (docs.get(field_of.get(header, header)) and
                                                 docs[field_of.get(header, header)].kind in (TEXT, LONG_TEXT) and
                                                 f"{kind.table_field}.{field_of.get(header, header)}"
                                                 not in found.choices.keys() | REFERENCES.get(section, set()))]
                if not model:  # a free list: a payload in a header too
                    for row in rows:
                        row[payloads[1]] = self.text
                    text_columns.append(payloads[1])
                for row in rows:
                    for header in text_columns:
                        row[header] = self.text
            self.records[section] = {"kind": kind, "data": data, "example": found, "paths": paths, "rows": rows,
                                     "columns": text_columns}

    def folder(self, section: str) -> Path:
        return self.root / "content" / self.id / str(YEAR) / section

    def write(self) -> None:
        for section, record in self.records.items():
            folder = self.folder(section)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "xss.yml").write_text(yaml.safe_dump(record["data"], allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
            if record["rows"] is not None:
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                headers = list(dict.fromkeys(header for row in record["rows"] for header in row))
                writer.writerow(headers)
                for row in record["rows"]:
                    writer.writerow([row.get(header, "") for header in headers])
                (folder / "xss.csv").write_text(buffer.getvalue(), encoding="utf-8")
        (self.root / "site_config" / f"{self.id}.yml").write_text(
            yaml.safe_dump({"name": f"测{self.id}村{self.text}", "population": 1000, "households": 300},
                           allow_unicode=True), encoding="utf-8")

    def refuse(self, path: str, line: int | None, column: str | None) -> bool:
        """A payload a rule refused goes back to the example value; whether one did."""
        for section, record in self.records.items():
            folder = self.folder(section)
            if path.endswith(f"{section}/xss.yml"):
                problems = Problems()
                document = read_yaml(folder / "xss.yml", Location(path), problems)
                keys = {number: key for key, number in document.lines.items()} if document else {}
                dotted = keys.get(line or 0)
                candidates = [p for p in record["paths"] if dotted and ".".join(map(str, p)).startswith(dotted)]
                if not candidates:
                    return False
                for candidate in candidates:
                    _set(record["data"], candidate, _get(record["example"].data, candidate))
                    record["paths"].remove(candidate)
                return True
            if path.endswith(f"{section}/xss.csv") and record["rows"] is not None:
                problems = Problems()
                table = read_csv(folder / "xss.csv", Location(path), problems)
                index = next((i for i, row in enumerate(table.rows) if row.line == line), None) if table else None
                if index is None or column not in record["columns"]:
                    return False
                for number, row in enumerate(record["rows"]):  # the column, in every row
                    row[column] = record["example"].rows[number].get(column, "")
                record["columns"].remove(column)
                return True
        return False


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Village]]:
    root = tmp_path_factory.mktemp("xss")
    (root / "site_config").mkdir()
    (root / "site_config" / "_defaults.yml").write_text(
        yaml.safe_dump({"township": {"name": f"石桥镇{CANARY}"}}, allow_unicode=True), encoding="utf-8")
    villages = [Village(root, number, payloads) for number, payloads in enumerate(chunks())]
    for _ in range(6):
        for village in villages:
            village.write()
        problems = check(root / "content", root / "site_config", as_of=AS_OF).problems.errors
        if not problems:
            break
        refused = [problem for problem in problems
                   if any(v.refuse(str(problem.location.path), problem.location.line, problem.location.column)
                          for v in villages if f"/{v.id}/" in str(problem.location.path))]
        assert refused, [f"{p.location}: {p.key}" for p in problems]
    else:
        pytest.fail(f"records with payloads still refused: {[(str(p.location), p.key) for p in problems]}")
    out = root / "public"
    build(root / "content", root / "site_config", out, as_of=AS_OF)
    return out, villages


def test_every_kind_carries_payloads_in_text_fields(portal):
    _, villages = portal
    assert len(PAYLOADS) >= 50
    assert sorted({payload for chunk in chunks() for payload in chunk}) == sorted(set(PAYLOADS))
    for village in villages:
        for section, record in village.records.items():
            assert record["paths"] or record["columns"], f"{section}: no text field kept a payload"
    skipped = sorted({section for village in villages for section in village.skipped})
    if skipped:
        pytest.xfail(f"no valid record could be made for {skipped}: their example values do not pass their "
                     "rules and the demo has none of that year; set Record.examples in those kinds")


@pytest.fixture(scope="module")
def served(portal) -> Iterator[str]:
    out, _ = portal
    server = make_server(out, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def pages(out: Path) -> list[str]:
    found = []
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        if relative.split("/")[1:2] == ["latest"] or "/pagefind/" in relative or relative.startswith("assets/"):
            continue  # redirects to the pages below, and the theme's own files
        found.append(relative)
    return found


# The DOM a record's text may produce: no element that runs anything, no handler, no script URL.
DOM_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('.md-content *, .md-header *, .md-nav *, title')) {
    if (el.closest('.pagefind-ui')) continue;  // Pagefind's own search form
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attr.name.startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (/^(javascript|vbscript|data):/.test(value) && ['href', 'src', 'action', 'data', 'formaction', 'xlink:href']
          .includes(attr.name)) bad.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'BASE', 'FORM', 'META', 'LINK', 'STYLE'].includes(el.tagName)
        && el.closest('.md-content')) bad.push(el.tagName);
  }
  return bad;
}"""


def test_no_payload_runs_and_every_payload_is_shown_as_text(browser, portal, served):
    out, villages = portal
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    dialogs: list[str] = []
    console: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: console.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    ran: list[str] = []
    bad_dom: list[str] = []
    invisible: list[str] = []
    urls = pages(out)
    started = time.monotonic()
    left: list[str] = []
    for relative in urls:
        page.goto(served + relative, wait_until="load")
        page.wait_for_timeout(30)  # handlers of elements that just loaded (onerror, onload)
        for _ in range(3):  # a redirect page (<village>/index.html → the newest year) moves on
            try:
                page.wait_for_load_state("load")
                xss = page.evaluate("() => typeof window.__xss !== 'undefined'")
                bad = page.evaluate(DOM_CHECK)
                break
            except PlaywrightError:
                page.wait_for_timeout(100)
        else:
            pytest.fail(f"{relative} keeps navigating")
        if not page.url.startswith(served):
            left.append(f"{relative} → {page.url}")
        if xss:
            ran.append(relative)
        if bad:
            bad_dom.append(f"{relative}: {bad[:5]}")
        parts = relative.split("/")
        if len(parts) == 5 and parts[3] == "xss":  # a record's page: <village>/<year>/<section>/xss/
            shown = page.inner_text("body")
            village = next(v for v in villages if v.id == parts[0])
            if CANARY not in shown or ("{{7*7}}" in village.text and "{{7*7}}" not in shown):
                invisible.append(relative)
    # Search: the results list renders the indexed text of the records (Pagefind's UI).
    page.goto(f"{served}{villages[0].id}/{YEAR}/search/", wait_until="load")
    page.fill(".pagefind-ui__search-input", "script")
    page.wait_for_selector(".pagefind-ui__result", timeout=15_000)
    page.wait_for_timeout(300)
    search_ran = page.evaluate("() => typeof window.__xss !== 'undefined'")
    search_text = page.inner_text(".pagefind-ui__results")
    context.close()

    record_pages = [relative for relative in urls if relative.endswith("/xss/index.html")]
    assert len(record_pages) == sum(len(village.records) for village in villages)
    assert dialogs == []
    assert [line for line in console if MARKER in line] == []
    assert ran == [] and not search_ran
    assert left == []
    assert bad_dom == []
    assert invisible == [], "payload text not shown as text"
    assert "script" in search_text
    # Nothing a payload names was fetched from elsewhere (data: and javascript: URLs never got in).
    assert [url for url in requests if not url.startswith(served)] == []
    assert time.monotonic() - started < 120


def test_payloads_are_text_in_the_html_too(portal):
    """In the files themselves: the canary only ever escaped, `{{7*7}}` never evaluated."""
    out, villages = portal
    for village in villages:
        for section in village.records:
            html = (out / village.id / str(YEAR) / section / "xss" / "index.html").read_text(encoding="utf-8")
            assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html, section
            assert CANARY not in html, section
    township = (out / "index.html").read_text(encoding="utf-8")
    assert CANARY not in township and "&lt;script&gt;" in township
    for village in villages:
        if "{{7*7}}" in village.text:
            page = (out / village.id / str(YEAR) / "party" / "xss" / "index.html").read_text(encoding="utf-8")
            assert "{{7*7}}" in page
