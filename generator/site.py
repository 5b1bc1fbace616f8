"""Stage 5, site: lay out the rendered pages with MkDocs and Material.

The configuration is the base `mkdocs.yml`, the village's `mkdocs:` settings over it, and what
the build fills in: the site's name, its folders and navigation, and the UI texts.
"""

from __future__ import annotations

import html
import logging
import shutil
from pathlib import Path
from string import Formatter
from typing import Any

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.messages import Catalogue
from generator.paths import BASE_MKDOCS_CONFIG, OVERRIDES
from generator.settings import deep_merge

# MkDocs reports every page at INFO; the portal reports its own progress.
logging.getLogger("mkdocs").setLevel(logging.WARNING)


def base_config() -> dict[str, Any]:
    with BASE_MKDOCS_CONFIG.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def build_site(
    docs_dir: Path,
    site_dir: Path,
    *,
    site_name: str,
    nav: list[dict[str, str]] | None,
    catalogue: Catalogue,
    overrides: dict[str, Any] | None = None,
    versioned: bool = True,
    search: bool = True,
    site_url: str | None = None,
) -> None:
    config = deep_merge(base_config(), overrides or {})
    config.update(site_name=site_name, docs_dir=str(docs_dir), site_dir=str(site_dir))
    if nav is not None:
        # Material prints navigation titles as they are; they are catalogue texts, which a
        # village's settings may reword: escaped here, they are always shown as text.
        config["nav"] = [{html.escape(title, quote=False): path for title, path in item.items()} for item in nav]
    if site_url:
        config["site_url"] = site_url
    config["theme"] = dict(config.get("theme", {}), custom_dir=str(OVERRIDES))
    extra = dict(config.get("extra", {}))
    extra["messages"] = catalogue.section("site")
    extra["page_counter"] = page_counter_css(catalogue.text("print.page_counter"))
    if search:
        extra["search_url"] = "search/"
    if not versioned:
        extra.pop("version", None)
    config["extra"] = extra
    config_file = docs_dir.parent / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    mkdocs_build(load_config(str(config_file)))
    _prune(site_dir)


def page_counter_css(template: str) -> str:
    """The catalogue's page counter ("第 {page} 页 共 {pages} 页") as a CSS `content` value for
    the printed page's margin box: the words as CSS strings, the numbers as counters."""
    counters = {"page": "counter(page)", "pages": "counter(pages)"}
    try:
        pieces = list(Formatter().parse(template))
    except ValueError:  # a stray brace in reworded text: the words as they are
        pieces = [(template, None, None, None)]
    parts = []
    for literal, name, _, _ in pieces:
        if literal:
            parts.append(_css_string(literal))
        if name is not None:
            parts.append(counters.get(name) or _css_string("{" + name + "}"))
    return " ".join(parts) or '""'


def _css_string(text: str) -> str:
    # Escaped so that reworded text can neither end the string nor the <style> element.
    escaped = "".join(char if char.isalnum() or char in " .,:;!?-()（）：，。" else f"\\{ord(char):x} " for char in text)
    return f'"{escaped}"'


# Material ships its own search (lunr) and source maps; the portal uses Pagefind and needs neither.
_UNUSED = ("assets/javascripts/lunr", "assets/javascripts/workers")


def _prune(site_dir: Path) -> None:
    for folder in _UNUSED:
        shutil.rmtree(site_dir / folder, ignore_errors=True)
    for source_map in site_dir.glob("assets/**/*.map"):
        source_map.unlink()
