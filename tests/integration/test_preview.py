"""`serve --watch` shows an edited record's page before the build has published it
(generator/tools/preview.py): the page it shows is the very page the build then publishes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.pipeline.build import build
from generator.tools.preview import Preview, shells_folder
from tests.archive.test_snapshots import village

AS_OF = date(2026, 6, 1)
RECORD = "content/testv/2026/party/2026-03-meeting.yml"
PAGE = "testv/2026/party/2026-03-meeting/index.html"


def _published(tmp_path: Path, site_config: Path) -> tuple[Path, Path, Preview]:
    content, _, out = village(tmp_path, years=(2026,))
    build(content, site_config, out, as_of=AS_OF, shells=shells_folder(out))
    return content, out, Preview(content, site_config, out, AS_OF)


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    record = tmp_path / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return record


def test_an_edited_record_is_shown_as_the_build_will_publish_it(tmp_path: Path, site_config: Path):
    content, out, preview = _published(tmp_path, site_config)
    record = _edit(tmp_path, "党员大会召开情况", "党员大会召开情况（修订）")
    assert preview.show([record])
    shown = preview.page(PAGE)
    assert shown is not None and "（修订）".encode() in shown
    assert "（修订）" not in (out / PAGE).read_text(encoding="utf-8")  # not published yet
    build(content, site_config, out, as_of=AS_OF, shells=shells_folder(out))
    assert (out / PAGE).read_bytes() == shown
    preview.clear()
    assert preview.page(PAGE) is None


def test_only_records_are_shown_early(tmp_path: Path, site_config: Path):
    """A change to the settings, or a record with an error, waits for the build (which reports it)."""
    _, _, preview = _published(tmp_path, site_config)
    settings = site_config / "testv.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("300", "301"), encoding="utf-8")
    assert not preview.show([settings, tmp_path / RECORD])
    record = _edit(tmp_path, "date: 2026-03-28", "date: 2026-13-28")
    assert not preview.show([record])
    assert preview.pages == {}


def test_without_kept_shells_there_is_no_preview(tmp_path: Path, site_config: Path):
    content, _, out = village(tmp_path, years=(2026,))
    build(content, site_config, out, as_of=AS_OF)  # a plain build keeps no shells
    record = _edit(tmp_path, "党员大会召开情况", "党员大会召开情况（修订）")
    assert not Preview(content, site_config, out, AS_OF).show([record])
