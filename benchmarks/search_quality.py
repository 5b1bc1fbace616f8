"""Search quality: recall and precision of the portal's search on Chinese queries, and the bytes
the first query downloads.

    python benchmarks/search_quality.py [--records 100 5000] [--demo] [--queries 36] [--verbose]

Builds one synthetic village-year per size (benchmarks/synth.py), serves it as `village-portal
serve` does (gzip) and picks queries deterministically: 2 to 6 Chinese characters from record
titles, from the middle of sentences and from table cells. The truth is the text Pagefind is
given (the part of each page marked `data-pagefind-body`, as a villager sees it): a page is
relevant to a query when its text contains the query. Each query runs in Debian's Chromium on
the search page as its search box runs it (the page's `vpSearchTerm`, then Pagefind's own
JavaScript API); the URLs of all its results are compared with the truth. The bytes of the first
query are what Chromium logged as transferred (DevTools `encodedDataLength`, as
benchmarks/page_weight.py measures) when the search page opens with that query typed (`?q=`),
less the search page opened without it.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.page_weight import CHROMIUM, CHROMIUM_ARGS, PHONE, first_view, synthetic  # noqa: E402
from generator.pipeline.build import build  # noqa: E402
from generator.tools.serve import make_server  # noqa: E402

HAN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Elements that end a run of text on screen: a query can't match across them.
_BREAKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "table", "thead",
           "tbody", "tr", "td", "th", "br", "section", "blockquote", "caption", "figure"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "source"}
# Not shown, or left out by Pagefind itself (a record page's breadcrumbs are a <nav>).
_UNSEEN = {"script", "style", "template", "noscript", "nav", "form", "svg"}


class _Indexed(HTMLParser):
    """The text of a page's `data-pagefind-body`, without what Pagefind is told to ignore or a
    reader can't see; with the title and the table cells on the side (to pick queries from)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.cells: list[str] = []
        self._stack: list[tuple[str, str | None]] = []  # (tag, what it is: body, skip, title, cell)

    def _inside(self, what: str) -> bool:
        return any(kind == what for _, kind in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in _BREAKS:
            self.parts.append("\n")
        if tag in _VOID:
            return
        kind = None
        if "data-pagefind-body" in names:
            kind = "body"
        elif "data-pagefind-ignore" in names or "hidden" in names or tag in _UNSEEN:
            kind = "skip"
        elif tag == "h1":
            kind = "title"
        elif tag in ("td", "th"):
            kind = "cell"
            self.cells.append("")
        self._stack.append((tag, kind))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._inside("body") or self._inside("skip"):
            return
        self.parts.append(data)
        if self._inside("title"):
            self.title.append(data)
        if self._inside("cell"):
            self.cells[-1] += data


@dataclass
class Page:
    url: str  # relative to the village-year's root: "affairs/2026-01-0001/"
    text: str
    title: str
    cells: list[str]


def indexed_pages(site: Path) -> list[Page]:
    pages = []
    for path in sorted(site.rglob("index.html")):
        parser = _Indexed()
        parser.feed(path.read_text(encoding="utf-8"))
        text = re.sub(r"\s*\n\s*", "\n", "".join(parser.parts)).strip()
        if text:
            url = path.parent.relative_to(site).as_posix() + "/"
            pages.append(Page(url, text, "".join(parser.title).strip(), [c.strip() for c in parser.cells]))
    return pages


def _piece(rng: random.Random, text: str, middle: bool) -> str | None:
    """2 to 6 Chinese characters out of `text`; with `middle`, not at the start of its run."""
    runs = [run for run in HAN.findall(text) if len(run) >= (4 if middle else 2)]
    if not runs:
        return None
    run = rng.choice(runs)
    length = rng.randint(2, min(6, len(run) - middle))
    start = rng.randint(1 if middle else 0, len(run) - length)
    return run[start:start + length]


def pick_queries(pages: list[Page], count: int, seed: int = 1) -> list[tuple[str, str]]:
    """(where it comes from, query): a third each from titles, mid-sentence text and table cells
    (when there are tables), each query different, in an order that only depends on the pages."""
    rng = random.Random(seed)
    sources = {
        "title": [page.title for page in pages if page.title],
        "sentence": [line for page in pages for line in page.text.split("\n")
                     if len(line) > 12 and line not in page.cells and line != page.title],
        "cell": [cell for page in pages for cell in page.cells if HAN.search(cell)],
    }
    names = [name for name in sources if sources[name]]
    queries: list[tuple[str, str]] = []
    seen: set[str] = set()
    attempts = 0
    while len(queries) < count and attempts < count * 100:
        attempts += 1
        source = names[len(queries) % len(names)]
        query = _piece(rng, rng.choice(sources[source]), middle=source == "sentence")
        if query and query not in seen:
            seen.add(query)
            queries.append((source, query))
    return queries


# The search box shows its first results, each with its title and link (their data loaded).
_SHOWN = """() => {
    const results = document.querySelectorAll(".pagefind-ui__result").length;
    return results > 0 && document.querySelectorAll(".pagefind-ui__result-link").length === results;
}"""
_SEARCH = """async (queries) => {
    const pagefind = await import(new URL("../pagefind/pagefind.js", location.href).href);
    const found = [];
    for (const query of queries) {
        const search = await pagefind.search(vpSearchTerm(query));
        found.push(await Promise.all(search.results.map(async (result) => (await result.data()).url)));
    }
    return found;
}"""


@dataclass
class Outcome:
    source: str
    query: str
    relevant: int
    found: int
    hits: int

    @property
    def recall(self) -> float:
        return self.hits / self.relevant if self.relevant else 1.0

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0


@dataclass
class Quality:
    outcomes: list[Outcome]
    first_query: str
    search_page_bytes: int  # the search page opened, before any query
    first_query_bytes: int

    @property
    def recall(self) -> float:
        return sum(o.hits for o in self.outcomes) / sum(o.relevant for o in self.outcomes)

    @property
    def precision(self) -> float:
        return sum(o.hits for o in self.outcomes) / max(1, sum(o.found for o in self.outcomes))


def measure(out: Path, village: str, year: int, count: int) -> Quality:
    from playwright.sync_api import sync_playwright

    site = out / village / str(year)
    pages = indexed_pages(site)
    queries = pick_queries(pages, count)
    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    search_url = f"http://127.0.0.1:{server.server_address[1]}/{village}/{year}/search/"
    prefix = f"/{village}/{year}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            weights = []
            # Fresh contexts, nothing cached: the search page alone, then with the first query
            # until its results are shown (the network is quiet while Pagefind's wasm compiles).
            for url, ready in ((search_url, None), (f"{search_url}?q={queries[0][1]}", _SHOWN)):
                context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
                weights.append(first_view(context.new_page(), url, ready)[0])
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(search_url, wait_until="networkidle")
            found = page.evaluate(_SEARCH, [query for _, query in queries])
            context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    outcomes = []
    for (source, query), urls in zip(queries, found):
        relevant = {page.url for page in pages if query in page.text}
        got = {url.removeprefix(prefix) for url in urls}
        outcomes.append(Outcome(source, query, len(relevant), len(got), len(relevant & got)))
    return Quality(outcomes, queries[0][1], weights[0], weights[1] - weights[0])


def report(results: dict[str, Quality], verbose: bool) -> str:
    lines = ["| portal | queries | recall | precision | queries with a miss | search page (KB) | first query | "
             "its download (KB) |", "|---|---:|---:|---:|---:|---:|---|---:|"]
    for label, quality in results.items():
        missing = sum(1 for o in quality.outcomes if o.hits < o.relevant)
        lines.append(f"| {label} | {len(quality.outcomes)} | {quality.recall:.3f} | {quality.precision:.3f} | "
                     f"{missing} | {quality.search_page_bytes / 1024:.1f} | {quality.first_query} | "
                     f"{quality.first_query_bytes / 1024:.1f} |")
    for label, quality in results.items():
        shown = [o for o in quality.outcomes if verbose or o.hits < o.relevant or o.found > o.hits]
        if not shown:
            continue
        lines += ["", f"{label}{'' if verbose else ': queries that miss or over-match'}", "",
                  "| query | from | relevant | found | recall | precision |", "|---|---|---:|---:|---:|---:|"]
        lines += [f"| {o.query} | {o.source} | {o.relevant} | {o.found} | {o.recall:.2f} | {o.precision:.2f} |"
                  for o in shown]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100, 5000])
    parser.add_argument("--demo", action="store_true", help="also measure the demo (content/, liutang 2026)")
    parser.add_argument("--queries", type=int, default=36)
    parser.add_argument("--verbose", action="store_true", help="every query, not only those that miss")
    args = parser.parse_args(argv)
    results: dict[str, Quality] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.demo:
            out = Path(tmp) / "demo"
            build(ROOT / "content", ROOT / "site_config", out, as_of=date(2026, 11, 25))
            results["demo"] = measure(out, "liutang", 2026, args.queries)
        for records in args.records:
            work = Path(tmp) / f"r{records}"
            out = synthetic(records, work)
            village = sorted(p.name for p in (work / "content").iterdir())[0]
            year = sorted(p.name for p in (work / "content" / village).iterdir())[0]
            results[f"{records} records"] = measure(out, village, int(year), args.queries)
    result = report(results, args.verbose)
    print(result)
    return result


if __name__ == "__main__":
    main()
