"""Stage 6, index: Pagefind (extended, which splits Chinese words) over one built site.

Only the part of a page marked `data-pagefind-body` (the record) is indexed, never the
navigation; `kind` and `year` are filters.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import cbor2

# Pagefind's data files: gzip of this signature followed by CBOR, named by the CBOR's SHA-1.
_SIGNATURE = b"pagefind_dcd"


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed on {site_dir}: {result.stdout}{result.stderr}")
    canonicalise(site_dir / "pagefind")


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
