"""Where the tool's own files are (the theme, the base MkDocs configuration), and where a build keeps
what it reuses."""

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

ROOT = Path(__file__).resolve().parents[2]
THEMES = ROOT / "themes"
TEMPLATES = THEMES / "templates"
# One folder per record kind: record.html, optionally section.html, and messages.<lang>.yml.
KIND_THEMES = THEMES / "kinds"
OVERRIDES = THEMES / "overrides"
MESSAGES = THEMES / "messages"
BASE_MKDOCS_CONFIG = ROOT / "mkdocs.yml"
# MkDocs hooks that correct the markup Material writes outside what a theme can override.
MKDOCS_HOOKS = Path(__file__).resolve().parents[1] / "site" / "material_hooks.py"


def cache_folder(out: Path) -> Path:
    """Beside the output folder, never published: what a build keeps for the next ones (the
    closed years' records as modelled, the previous output's hard-link copy, the shells that
    `serve --watch` previews in)."""
    return out.parent / f".{out.name}.cache"


# Templates compiled once for every build on this machine, ours and Material's (material_hooks),
# and Material's stylesheets cut for the first view (site.py): compiling cost more than laying
# out a village-year of 100 records. Jinja's own folder (in the temporary folder, the user's
# alone); each entry is named by the hash of what it was made from.
TEMPLATE_CACHE = FileSystemBytecodeCache()
