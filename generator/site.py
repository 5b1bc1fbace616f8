"""Stage 5, site: lay out the rendered pages with MkDocs and Material.

The configuration is the base `mkdocs.yml`, the village's `mkdocs:` settings over it, and what
the build fills in: the site's name, its folders and navigation, and the UI texts.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
from pathlib import Path
from string import Formatter
from typing import Any

import tinycss2
import yaml
from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.messages import Catalogue
from generator.paths import BASE_MKDOCS_CONFIG, MKDOCS_HOOKS, OVERRIDES
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
    config["hooks"] = [*config.get("hooks", []), str(MKDOCS_HOOKS)]
    extra = dict(config.get("extra", {}))
    extra["messages"] = catalogue.section("site")
    extra["page_counter"] = page_counter_css(catalogue.text("print.page_counter"))
    if search:
        extra["search_url"] = "search/"
    if not versioned:
        extra.pop("version", None)
    config["extra"] = extra
    config["markdown_extensions"] = [*config.get("markdown_extensions", []), f"{__name__}:PagesAsHtml"]
    config_file = docs_dir.parent / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    mkdocs_build(load_config(str(config_file)))
    _prune(site_dir)
    write_first_view_css(site_dir)


class PagesAsHtml(Extension):
    """Our pages are HTML from our own templates (record text in them already rendered and
    sanitised), written as one raw block (render.write_page): Markdown need not parse them to
    find that out, which was half of MkDocs' time per page. The whole page is stashed as raw
    HTML, after whitespace is normalised as before, and comes out as it went in."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's name
        # After normalize_whitespace (30), before html_block (20).
        md.preprocessors.register(_StashPage(md), "vp_page_as_html", 25)


class _StashPage(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return [self.md.htmlStash.store("\n".join(lines))]


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


# Classes that the pages' own inline scripts add (the version selector), not in the HTML.
_SCRIPTED_CLASSES = {"md-version", "md-version__current", "md-version__list", "md-version__item",
                     "md-version__link"}
_CLASS = re.compile(r'\bclass="([^"]*)"')
_ID = re.compile(r'\bid="([^"]*)"')


def write_first_view_css(site_dir: Path) -> None:
    """`assets/stylesheets/vp-material.css`: Material's stylesheets (main and palette) cut down
    to the rules whose selectors can match the site's pages, for the first view. A selector is
    kept unless it needs a class or id that no page has (looking only outside :not(), :is() …,
    so it errs on keeping). The full stylesheets load with Material's script, when needed."""
    folder = site_dir / "assets" / "stylesheets"
    sources = sorted(folder.glob("main.*.min.css")) + sorted(folder.glob("palette.*.min.css"))
    if not sources:
        return
    classes, ids = set(_SCRIPTED_CLASSES), set()
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8", errors="replace")
        for value in _CLASS.findall(text):
            classes.update(value.split())
        ids.update(_ID.findall(text))
    parts = []
    for source in sources:
        rules = tinycss2.parse_stylesheet(source.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
        parts.append(_serialize(_keep(rules, classes, ids)))
    (folder / "vp-material.css").write_text("".join(parts), encoding="utf-8")


def _keep(rules: list, classes: set[str], ids: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _split_selectors(rule.prelude)
            alive = [sel for sel in selectors if _can_match(sel, classes, ids)]
            if not alive:
                continue
            if len(alive) < len(selectors):
                rule.prelude = [token for i, sel in enumerate(alive) for token in
                                ([tinycss2.ast.LiteralToken(0, 0, ",")] if i else []) + sel]
            kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
            inner = _keep(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), classes, ids)
            if inner:
                rule.content = [tinycss2.ast.LiteralToken(0, 0, _serialize(inner))]
                kept.append(rule)
        elif rule.type == "at-rule":
            kept.append(rule)
    return kept


def _split_selectors(prelude: list) -> list[list]:
    selectors, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    return selectors


def _can_match(selector: list, classes: set[str], ids: set[str]) -> bool:
    tokens = [t for t in selector if t.type not in ("whitespace", "comment")]
    for i, token in enumerate(tokens):
        if token.type == "literal" and token.value == "." and i + 1 < len(tokens) and tokens[i + 1].type == "ident":
            if tokens[i + 1].value not in classes:
                return False
        elif token.type == "hash" and token.is_identifier and token.value not in ids:
            return False
    return True


def _serialize(rules: list) -> str:
    return "".join(tinycss2.serialize([rule]) for rule in rules)
