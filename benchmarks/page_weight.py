"""First-view weight of the portal's pages, as a phone gets them from `village-portal serve`.

    python benchmarks/page_weight.py [--records 100 2000] [--demo]

Builds one synthetic village-year per size (benchmarks/synth.py), serves it as `village-portal
serve` does (gzip), opens the township, home, section and record pages in Debian's Chromium and
sums the bytes Chromium itself logged as transferred (DevTools Network.loadingFinished
encodedDataLength: headers and gzip bodies, every request up to network idle, before the
reader touches anything). Prints a table in KB (1 KB = 1024 bytes).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline.build import build  # noqa: E402
from generator.tools.serve import make_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
PHONE = {"width": 390, "height": 844}
BUDGET_KB = 30  # issue 19: every page kind at 100 and 2,000 records


def first_view(page, url: str, ready: str | None = None) -> tuple[int, list[str]]:
    """Bytes Chromium transferred for `url` up to network idle (and, if given, until the
    JavaScript condition `ready` holds), and the URLs it requested, the page's workers' included
    (Pagefind searches in a worker). Each request counts what Chromium logged for it: response
    headers and encoded body, DevTools' encodedDataLength."""
    finished = []

    def record(request) -> None:
        finished.append(request)

    page.on("requestfinished", record)
    page.goto(url, wait_until="networkidle")
    if ready:
        page.wait_for_function(ready, timeout=60_000)
    page.wait_for_timeout(300)
    page.remove_listener("requestfinished", record)
    sizes = [request.sizes() for request in finished]
    return sum(size["responseHeadersSize"] + size["responseBodySize"] for size in sizes), [r.url for r in finished]


def site_pages(base: str, out: Path, village: str, year: int) -> dict[str, str]:
    site = out / village / str(year)
    section = "affairs"
    # A record's id has no "_": page_2/ … are a long list's later pages (render/paging.py).
    record = sorted(p.parent.name for p in (site / section).glob("*/index.html") if "_" not in p.parent.name)[0]
    ledger = sorted(p.parent.name for p in (site / "finance").glob("*/index.html"))[0]
    root = f"{base}{village}/{year}/"
    return {"township": base, "home": root, "section": f"{root}{section}/",
            "record": f"{root}{section}/{record}/", "ledger": f"{root}finance/{ledger}/"}


def measure(out: Path, village: str, year: int) -> dict[str, tuple[int, list[str]]]:
    from playwright.sync_api import sync_playwright

    server = make_server(out, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, url in site_pages(base, out, village, year).items():
                # A fresh context per page: nothing cached, as on a villager's first visit.
                context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                              has_touch=True)
                results[name] = first_view(context.new_page(), url)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return results


def synthetic(records: int, work: Path, villages: int = 1) -> Path:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "synth.py"), "--villages", str(villages), "--years", "1",
                    "--records", str(records), "--out", str(work)], check=True, stdout=subprocess.DEVNULL)
    out = work / "public"
    build(work / "content", work / "site_config", out, as_of=date(2026, 11, 25))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[100, 2000])
    parser.add_argument("--demo", action="store_true", help="also measure the demo (content/, liutang 2026)")
    parser.add_argument("--villages", type=int, default=1,
                        help="villages in each synthetic portal (the township board lists them all: try 40)")
    args = parser.parse_args()
    table: dict[str, dict[str, tuple[int, list[str]]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.demo:
            out = Path(tmp) / "demo"
            build(ROOT / "content", ROOT / "site_config", out, as_of=date(2026, 11, 25))
            table["demo"] = measure(out, "liutang", 2026)
        for records in args.records:
            work = Path(tmp) / f"r{records}"
            out = synthetic(records, work, args.villages)
            village = sorted(p.name for p in (work / "content").iterdir())[0]
            year = sorted(p.name for p in (work / "content" / village).iterdir())[0]
            table[f"{records} records"] = measure(out, village, int(year))
    names = list(next(iter(table.values())))
    print(f"First view, KB transferred (gzip, headers included); budget {BUDGET_KB} KB")
    print(f"{'':14}" + "".join(f"{name:>10}" for name in names))
    for label, row in table.items():
        print(f"{label:14}" + "".join(f"{row[name][0] / 1024:10.1f}" for name in names))
    heavy = [(label, name) for label, row in table.items() for name in names if row[name][0] > BUDGET_KB * 1024]
    searched = [(label, name) for label, row in table.items() for name in names
                if any("/pagefind/" in url for url in row[name][1])]
    if heavy:
        print("over budget:", ", ".join(f"{name} ({label})" for label, name in heavy))
    if searched:
        print("search loaded on first view:", ", ".join(f"{name} ({label})" for label, name in searched))
    sys.exit(1 if heavy or searched else 0)


if __name__ == "__main__":
    main()
