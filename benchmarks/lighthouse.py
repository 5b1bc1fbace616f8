"""Lighthouse's mobile scores for the demo's pages (issue #4), as a phone gets them from
`village-portal serve`.

    python benchmarks/lighthouse.py        (or `make lighthouse`, which installs Lighthouse)

Builds the demo (content/, liutang 2026), serves it on 127.0.0.1 as `village-portal serve` does,
runs Lighthouse (benchmarks/npm, Debian's chromium, Lighthouse's default: a mid-range phone on
throttled mobile data) on the township, home, section, record, ledger and search pages, and
prints the four scores of each, with every audit that cost a point. Lighthouse's performance
score moves by a point or two with the machine's load, so a score under 100 is reported, not fatal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.page_weight import CHROMIUM, CHROMIUM_ARGS, site_pages  # noqa: E402
from generator.pipeline.build import build  # noqa: E402
from generator.tools.serve import make_server  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "npm" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def scores(url: str) -> tuple[dict[str, int], list[str]]:
    """Each category's score (0–100) and the audits that lowered one."""
    run = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags=--headless {' '.join(CHROMIUM_ARGS)}"],
        capture_output=True, text=True, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(run.stdout)
    result = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    weighed = {ref["id"] for name in CATEGORIES for ref in report["categories"][name]["auditRefs"] if ref["weight"]}
    lost = [f"{audit['id']}: {audit['title']} {audit.get('displayValue', '')}".strip()
            for audit in report["audits"].values()
            if audit["id"] in weighed and audit["score"] is not None and audit["score"] < 1]
    return result, lost


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: run `make lighthouse`")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "public"
        build(ROOT / "content", ROOT / "site_config", out, as_of=date(2026, 11, 25))
        server = make_server(out, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        pages = site_pages(base, out, "liutang", 2026)
        # As the header's link opens it. (With `?q=`, results come in without the reader typing,
        # and the footer they push down counts as a layout shift, about 2 points.)
        pages["search"] = f"{base}liutang/2026/search/"
        try:
            table = {name: scores(url) for name, url in pages.items()}
        finally:
            server.shutdown()
            server.server_close()
    print("Lighthouse, mobile (demo, 柳塘村 2026)")
    print(f"{'':10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for name, (result, _) in table.items():
        print(f"{name:10}" + "".join(f"{result[category]:16d}" for category in CATEGORIES))
    for name, (_, lost) in table.items():
        for audit in lost:
            print(f"{name}: {audit}")


if __name__ == "__main__":
    main()
