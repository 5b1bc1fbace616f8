"""An export stands alone (issue 21): a year of the demo exported while a later year is online,
unpacked and served as a plain static host serves a folder, every link of every page found
(nothing points outside it: the township's page and the village's address lead to the year, the
feed and the version selector's list are there), and it verifies on its own."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from generator.archive.published import export
from generator.archive.verify import verify
from tests.crawl import crawl, folder_fetch

PREFIX = "http://archive.invalid/"  # never fetched: the folder answers


def test_an_unpacked_export_has_no_broken_link_and_verifies(demo_out: Path, tmp_path: Path):
    archive = export(demo_out, "hekou", 2025, tmp_path / "hekou-2025.tar.gz")
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    assert not (unpacked / "hekou" / "2026").exists()  # 2026 is online, not in the export

    pages = sorted(path.relative_to(unpacked).as_posix().removesuffix("index.html") for path in unpacked.rglob("*.html"))
    # Every page's links, from every page (print/ is reached by a button's script, not a link).
    result = crawl(folder_fetch(unpacked, PREFIX), [PREFIX + page for page in pages], PREFIX)
    assert result.broken == []
    assert result.pages == len(pages) > 70 and result.links > 2000
    versions = json.loads((unpacked / "hekou" / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == ["2025"]  # the selector offers no year not there

    report = verify(unpacked)
    assert report.failures == [] and report.snapshots == 1
