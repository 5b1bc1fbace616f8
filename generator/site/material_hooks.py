"""MkDocs hooks (the `hooks:` the site stage gives MkDocs): what Material writes outside any
block or partial that the portal could override, made valid HTML."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from generator.fs.paths import TEMPLATE_CACHE

# Material's base.html gives its two state checkboxes autocomplete="off", to stop Firefox from
# restoring a drawer left open; HTML allows `autocomplete` only on inputs that take text, and the
# Nu HTML Checker rejects it. Without it Firefox may reopen the menu on reload, nothing worse.
_TOGGLES = {f'type="checkbox" id="{toggle}" autocomplete="off">': f'type="checkbox" id="{toggle}">'
            for toggle in ("__drawer", "__search")}


def on_env(env: Environment, **_: Any) -> Environment:
    """Material's templates compiled once for every build, as ours are (paths.TEMPLATE_CACHE)."""
    env.bytecode_cache = TEMPLATE_CACHE
    return env


def on_post_page(output: str, **_: Any) -> str:
    for material, valid in _TOGGLES.items():
        output = output.replace(material, valid)
    return output
