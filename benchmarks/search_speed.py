"""Time to the first search result on a slow line (issue 19): the demo's search page opened with a
query (`?q=`), as a villager's link or the header's box opens it, in Debian's Chromium throttled
by DevTools (Network.emulateNetworkConditions) to Chrome's own GPRS and Regular 2G presets.

    python benchmarks/search_speed.py [--query 道路] [--site public] [--runs 1]

Builds the demo (content/, liutang 2026; or serves --site, a built portal), serves it as
`village-portal serve` does (gzip), and for each line prints: seconds from the navigation's start
to the first result shown (its title and link), the KB transferred by then, and whether the
earlier years' bundles had been fetched by then; then, after the page goes quiet, the results
and KB in all (the earlier years merged). A fresh browser context each run: nothing cached.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.page_weight import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402
from generator.pipeline.build import build  # noqa: E402
from generator.tools.serve import make_server  # noqa: E402

VILLAGE, YEAR = "liutang", 2026
# Chrome DevTools' presets: kbit/s down and up, round-trip latency in ms.
LINES = {"GPRS": (50, 20, 500), "2G": (250, 50, 300)}

# performance.now() (ms since the navigation started) once a result shows its title and link.
_FIRST = """() => {
    const results = document.querySelectorAll(".pagefind-ui__result").length;
    return results > 0 && document.querySelectorAll(".pagefind-ui__result-link").length === results
        ? performance.now() : false;
}"""
_COUNT = """() => {
    const message = document.querySelector(".pagefind-ui__message");
    return [document.querySelectorAll(".pagefind-ui__result").length, message ? message.innerText : ""];
}"""


def run(browser, url: str, line: tuple[int, int, int]) -> dict[str, object]:
    down, up, latency = line
    # No service worker: its requests are not throttled by the page's DevTools session (on a slow
    # line it keeps only the home page and the log, issue 19), and would count here unthrottled.
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  service_workers="block")
    page = context.new_page()
    # Every request the page and its worker (Pagefind searches in one) made, as it finished.
    finished: list[tuple[float, int, str]] = []

    def record(request) -> None:
        sizes, timing = request.sizes(), request.timing  # timing: epoch ms, and ms after its start
        finished.append((timing["startTime"] + timing["responseEnd"],
                         sizes["responseHeadersSize"] + sizes["responseBodySize"], request.url))

    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency,
        "downloadThroughput": down * 1000 / 8, "uploadThroughput": up * 1000 / 8})
    context.on("requestfinished", record)
    try:
        page.goto(url, wait_until="commit", timeout=600_000)
        first = page.wait_for_function(_FIRST, polling=50, timeout=600_000).json_value()
        origin = page.evaluate("performance.timeOrigin")
        shown = page.evaluate(_COUNT)
        page.wait_for_load_state("networkidle", timeout=600_000)
        page.wait_for_timeout(2000 + 2 * latency)  # a merge begun after the first results
        page.wait_for_load_state("networkidle", timeout=600_000)
        final = page.evaluate(_COUNT)
    finally:
        context.remove_listener("requestfinished", record)
        context.close()
    earlier = f"/{VILLAGE}/{YEAR - 1}/pagefind/"
    before = [item for item in finished if item[0] - origin <= first]
    return {"first_s": first / 1000, "first_kb": sum(size for _, size, _ in before) / 1024,
            "earlier_before": any(earlier in name for _, _, name in before), "shown": shown[0],
            "final": final[0], "final_message": final[1], "total_kb": sum(size for _, size, _ in finished) / 1024,
            "requests_before": len(before)}


def measure(out: Path, query: str, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{VILLAGE}/{YEAR}/search/?q={quote(query)}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            print(f"First search result for {query!r} on {VILLAGE} {YEAR}'s search page (KB gzip, headers included)")
            print(f"{'line':6}{'first s':>9}{'KB then':>9}{'reqs':>6}{'earlier yrs':>13}{'shown':>7}"
                  f"{'all':>6}{'KB all':>8}")
            for name, line in LINES.items():
                for _ in range(runs):
                    r = run(browser, url, line)
                    print(f"{name:6}{r['first_s']:9.1f}{r['first_kb']:9.1f}{r['requests_before']:6}"
                          f"{'fetched' if r['earlier_before'] else 'not yet':>13}{r['shown']:7}{r['final']:6}"
                          f"{r['total_kb']:8.1f}   {r['final_message']}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="道路", help="a word with results in both years")
    parser.add_argument("--site", type=Path, help="a built portal to serve (default: build the demo)")
    parser.add_argument("--runs", type=int, default=1, help="runs per line")
    args = parser.parse_args()
    if args.site:
        measure(args.site, args.query, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "public"
        build(ROOT / "content", ROOT / "site_config", out, as_of=date(2026, 11, 25))
        measure(out, args.query, args.runs)


if __name__ == "__main__":
    main()
