"""Where the tool's own files are (the theme, the base MkDocs configuration), and where a build keeps
what it reuses."""

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

PACKAGE = Path(__file__).resolve().parents[1]
# Installed from a wheel, the theme and the base configuration are package data (setup.py puts
# them in generator/_data); in a checkout they are at its top, where contributors edit them.
_DATA = PACKAGE / "_data"
ROOT = _DATA if (_DATA / "themes").is_dir() else PACKAGE.parent
THEMES = ROOT / "themes"
TEMPLATES = THEMES / "templates"
# One folder per record kind: record.html, optionally section.html, and messages.<lang>.yml.
KIND_THEMES = THEMES / "kinds"
OVERRIDES = THEMES / "overrides"
MESSAGES = THEMES / "messages"
BASE_MKDOCS_CONFIG = ROOT / "mkdocs.yml"
# MkDocs hooks that correct the markup Material writes outside what a theme can override.
MKDOCS_HOOKS = PACKAGE / "site" / "material_hooks.py"


def cache_folder(out: Path) -> Path:
    """Beside the output folder, never published: what a build keeps for the next ones (the
    closed years' records as modelled, the previous output's hard-link copy, the shells that
    `serve --watch` previews in)."""
    return out.parent / f".{out.name}.cache"


# Templates compiled once for every build on this machine, ours and Material's (material_hooks),
# and Material's stylesheets cut for the first view (site.py): compiling cost more than laying
# out a village-year of 100 records. Jinja's own folder (in the temporary folder, the user's
# alone); each entry is named by the hash of what it was made from. Not of the filters: whether a
# filter takes the template's context is compiled in, so changing that renames the entries (v2:
# `markdown` takes it, for a body written in Word, issue 24).
TEMPLATE_CACHE = FileSystemBytecodeCache(pattern="__jinja2_vp2_%s.cache")
