"""Stage 6, index: Pagefind (extended) over one built site.

Only the part of a page marked `data-pagefind-body` (the record) is indexed, never the
navigation; `kind` and `year` are filters.

Pagefind cuts Chinese into words with its own dictionary when it indexes, and the browser cuts
the query with another (ICU's) when a reader searches: a query cut differently from the text
misses it (the text 自来水管网 is indexed as 自来|水管|网, so 管网 finds nothing). So Pagefind
indexes a copy of the pages in which every Chinese character is a word of its own (a zero-width
space on each side, which Pagefind takes as a word break and which the published pages never
get), and the search page spells the query out the same way and looks for it as an exact phrase
(themes/overrides/assets/search.js): a record is found whenever its text holds the query.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import cbor2
from pagefind_bin_extended import get_executable as pagefind_executable

# Pagefind's data files: gzip of this signature followed by CBOR, named by the CBOR's SHA-1.
_SIGNATURE = b"pagefind_dcd"
# Chinese characters (unified ideographs, extension A, compatibility), as in search.js.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Either side of a Chinese character, unless a space is there already (in text between tags).
_CHARACTER_EDGE = re.compile(f"(?<=[{_HAN}])(?=\\S)|(?<=\\S)(?=[{_HAN}])")
_TAG = re.compile(r"(<[^>]*>)")
_BODY = "data-pagefind-body"


class SearchIndexError(RuntimeError):
    pass


def spell_out(html: str) -> str:
    """The page with a zero-width space on either side of each Chinese character of its text;
    a filter's value (the text right after its tag) is left whole, since readers pick it."""
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):
        if parts[index].isascii():
            continue  # no Chinese in it (most text between tags is only white space)
        if index == 0 or "data-pagefind-filter" not in parts[index - 1]:
            parts[index] = _CHARACTER_EDGE.sub("\u200b", parts[index])
    return "".join(parts)


def to_index(html: str) -> bool:
    """Whether a page is indexed: only pages with a search body are, since Pagefind indexes
    nothing else once one page has it."""
    return _BODY in html


@dataclass
class Indexing:
    """Pagefind at work on a site's pages, in a process of its own: the build goes on meanwhile."""

    process: subprocess.Popen[str]
    site_dir: Path
    output: Path  # beside the site until done, so that nothing reads it half-written

    def finish(self) -> None:
        """Wait for the index, and put it into the site (`pagefind/`)."""
        stdout, stderr = self.process.communicate()
        if self.process.returncode != 0:
            raise SearchIndexError(f"pagefind failed on {self.site_dir}: {stdout}{stderr}")
        canonicalise(self.output)
        self.output.rename(self.site_dir / "pagefind")


def start_index(site_dir: Path, copy: Path, spelt_out: dict[str, str], done: set[str], output: Path) -> Indexing:
    """Index the site's pages: `spelt_out` (path in the site → page spelt out) and the others but
    those `done` (read here); the index is written to `output`, then moved into the site.

    Pagefind numbers pages in the order it finds their files, which is the order their folder
    lists them: on some filesystems the order they were made in. So the pages are written into
    `copy` in the order of their paths, one after another: the same pages, the same index."""
    pages = dict(spelt_out)
    for page in site_dir.rglob("*.html"):
        path = page.relative_to(site_dir).as_posix()
        if path not in done:  # the record pages, given spelt out
            html = page.read_text(encoding="utf-8")
            if to_index(html):
                pages[path] = spell_out(html)
    for path in sorted(pages):
        target = copy / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(pages[path], encoding="utf-8")
    # The extended binary (it reads Chinese), run as itself: `python -m pagefind` would start
    # Python first only to find it.
    command = [str(pagefind_executable()), "--site", str(copy), "--output-path", str(output), "--silent"]
    return Indexing(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
                    site_dir, output)


def _read(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    return cbor2.loads(data[len(_SIGNATURE):])


def _write(folder: Path, stem: str, digits: int, suffix: str, value: object) -> str:
    """Write a data file the way Pagefind names it; returns its new name (without suffix)."""
    body = cbor2.dumps(value)
    name = f"{stem}_{hashlib.sha1(body).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(_SIGNATURE + body, compresslevel=9, mtime=0))
    return name


def canonicalise(pagefind: Path) -> None:
    """Pagefind writes filter values in hash-map order, which changes from run to run; sort them
    (and the filters in the meta file) so the same pages always give the same bytes."""
    entry_path = pagefind / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = pagefind / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        renamed = []
        for filter_name, filter_hash in meta[3]:
            old = pagefind / "filter" / f"{filter_hash}.pf_filter"
            name, values = _read(old)
            old.unlink()
            new_hash = _write(pagefind / "filter", language, 7, ".pf_filter", [name, sorted(values)])
            renamed.append([filter_name, new_hash])
        meta[3] = sorted(renamed)
        meta_path.unlink()
        info["hash"] = _write(pagefind, f"pagefind.{language}", 10, ".pf_meta", meta).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
