"""Printed bulletin sizes (issue 22): prints a demo village-year with `village-portal pdf` and
prints the PDFs' sizes: the median of one-page bulletins (target ≤ 60 KB), of all, the largest.

    python benchmarks/pdf_size.py [--village hekou] [--year 2026]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--village", default="hekou")
    parser.add_argument("--year", default="2026")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        shutil.copytree(ROOT / "content", root / "content")
        shutil.copytree(ROOT / "site_config", root / "site_config")
        subprocess.run([sys.executable, "-m", "generator", "pdf", "--village", args.village, "--year", args.year,
                        "--as-of", "2026-11-25"], cwd=root, check=True, capture_output=True,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        pdfs = sorted((root / "public").rglob("*.pdf"))
        sizes = [pdf.stat().st_size for pdf in pdfs]
        one_page = [pdf.stat().st_size for pdf in pdfs if pdf.name == "bulletin.pdf" and pages(pdf) == 1]
    print(f"{args.village} {args.year}: {len(pdfs)} PDFs, {sum(sizes) / 1e6:.2f} MB in all")
    print(f"median one-page bulletin: {statistics.median(one_page) / 1000:.1f} KB ({len(one_page)} of them)")
    print(f"median of all: {statistics.median(sizes) / 1000:.1f} KB, largest: {max(sizes) / 1000:.1f} KB")


if __name__ == "__main__":
    main()
