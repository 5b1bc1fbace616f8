"""The copy of a page Pagefind indexes: each Chinese character a word of its own; the index made by
this process's Pagefind service (issue 8)."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from generator.site import search_index as index
from generator.site.search_index import Indexing, SearchIndexError, spell_out, warm_up

ZWSP = "\u200b"


def test_each_chinese_character_stands_alone_in_the_text_only():
    html = '<h1 class="vp-title" title="自来水">自来水管网改造</h1><p>河口3组 2026年（第二批）</p>'
    assert spell_out(html) == (
        f'<h1 class="vp-title" title="自来水">自{ZWSP}来{ZWSP}水{ZWSP}管{ZWSP}网{ZWSP}改{ZWSP}造</h1>'
        f"<p>河{ZWSP}口{ZWSP}3{ZWSP}组 2026{ZWSP}年{ZWSP}（{ZWSP}第{ZWSP}二{ZWSP}批{ZWSP}）</p>")


def test_a_filter_value_stays_whole_and_what_a_reader_sees_is_unchanged():
    html = '<span data-pagefind-filter="kind">村务公开</span> › <b>低保</b> ABC 12'
    spelt = spell_out(html)
    assert spelt.startswith('<span data-pagefind-filter="kind">村务公开</span>')
    assert spelt.replace(ZWSP, "") == html


def _site(folder: Path, pages: int = 3) -> Path:
    for number in range(pages):
        page = folder / f"p{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<html lang="zh"><body><main data-pagefind-body><h1>第{number}号公告</h1>'
                        f"<p>自来水管网改造，第{number}批。</p></main></body></html>", encoding="utf-8")
    return folder


def _index(site: Path) -> dict[str, bytes]:
    Indexing(site).finish()
    index = site / "pagefind"
    files = {path.relative_to(index).as_posix(): path.read_bytes() for path in index.rglob("*") if path.is_file()}
    shutil.rmtree(index)
    return files


def test_the_same_pages_give_the_same_index_while_forked_builds_index_too(tmp_path: Path):
    site, other = _site(tmp_path / "site"), _site(tmp_path / "other", pages=5)
    alone = _index(site)
    assert any(name.endswith(".pf_meta") for name in alone)
    # Workers forked from this process (as `--jobs` forks them) index with services of their own,
    # right after an index here, and while one is made here: this process's is undisturbed.
    fork = multiprocessing.get_context("fork")
    first = fork.Process(target=_index, args=(other,))
    first.start()
    first.join()
    indexing = Indexing(site)
    indexing.add("p0/index.html", spell_out((site / "p0" / "index.html").read_text(encoding="utf-8")))
    second = fork.Process(target=_index, args=(other,))
    second.start()
    second.join()
    indexing.finish()
    assert (first.exitcode, second.exitcode) == (0, 0)
    assert _index(site) == alone


def test_a_pagefind_that_ended_is_started_again(tmp_path: Path):
    site = _site(tmp_path / "site")
    warm_up()
    crashed = index._service().process
    crashed.kill()  # as if it had crashed between two builds of a `serve --watch`
    crashed.wait()  # (the same process: asked again, the service would already be a new one)
    assert _index(site)


def test_a_pagefind_that_fails_is_an_error_that_says_why_not_a_hang(tmp_path: Path, monkeypatch):
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'pagefind: out of memory' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(index, "pagefind_executable", lambda: failing)
    monkeypatch.setattr(index, "_SERVICE", None)
    with pytest.raises(SearchIndexError, match="out of memory"):
        Indexing(_site(tmp_path / "site")).finish()
