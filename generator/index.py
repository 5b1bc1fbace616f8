"""Stage 6, index: Pagefind (extended, which splits Chinese words) over one built site.

Only the part of a page marked `data-pagefind-body` (the record) is indexed, never the
navigation; `kind` and `year` are filters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind failed on {site_dir}: {result.stdout}{result.stderr}")
