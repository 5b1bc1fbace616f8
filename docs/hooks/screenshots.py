"""MkDocs hook: the portal's screenshots in `docs/screenshots/` are pages' images too.

The browser tests write them there (tests/browser/test_screenshots.py) and the README shows them
from there; this adds them to the documentation site as `screenshots/<name>.png`, without a
second copy in the repository.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

FOLDER = Path(__file__).resolve().parents[1] / "screenshots"


def on_files(files: Files, config: Any) -> Files:
    for path in sorted(FOLDER.glob("*.png")):
        files.append(File(f"screenshots/{path.name}", str(FOLDER.parent), config["site_dir"],
                          config["use_directory_urls"]))
    return files
