"""Stage 5, site: lay out the rendered pages with MkDocs and Material.

The configuration is the base `mkdocs.yml`, the village's `mkdocs:` settings over it, and what
the build fills in: the site's name, its folders and navigation, and the UI texts.

Record pages, a village-year's thousands, are not laid out by MkDocs one by one: none is in the
navigation, so Material gives each the very same page around its content, which costs more
than the content. MkDocs lays out one stand-in page at their depth (`Shell`), and each record's
page is that page with its own title, description, address and content put in.
"""

from __future__ import annotations

import gzip
import html
import logging
import os
import re
import shutil
from dataclasses import dataclass
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
    records: Path | None = None,
) -> None:
    """MkDocs lays out the pages in `docs_dir`; the pages in `records` (Markdown files as in
    `docs_dir`, never in the navigation) are put into the page it lays out in their stead."""
    stand_ins = _write_stand_ins(records, docs_dir) if records else {}
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
    if records:
        shells = {folder: Shell.of(site_dir, stand_in) for folder, stand_in in stand_ins.items()}
        lay_out(records, site_dir, shells)
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


# -- record pages, laid out in a stand-in's page ----------------------------------------------

# What differs between two record pages of a folder, marked in the stand-in: MkDocs and Material
# print each where a page's own would go. (Cut on all at once: a record's text that holds one of
# them is never looked at again.) A block, as record pages are, which Markdown leaves unwrapped;
# with an "<h1", since Material makes one of the title for content without: records have theirs.
_STAND_IN = "vp-stand-in"
_TITLE, _DESCRIPTION = f"{_STAND_IN}-title", f"{_STAND_IN}-description"
_CONTENT = f"<div>{_STAND_IN}-content<!--<h1--></div>"
_FRONT_MATTER = re.compile(r"^---[ \t]*\n(.*?\n)(?:\.\.\.|---)[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class Shell:
    """The stand-in page as MkDocs laid it out, cut where a record page's own parts go."""

    pieces: list[str]  # text, then a mark, text, mark … text
    url: str  # the stand-in's address, e.g. `affairs/vp-stand-in/`

    @classmethod
    def of(cls, site_dir: Path, url: str) -> Shell:
        page = site_dir / url / "index.html"
        text = page.read_text(encoding="utf-8")
        page.unlink()
        page.parent.rmdir()
        marks = "|".join(re.escape(mark) for mark in (_TITLE, _DESCRIPTION, _CONTENT, url))
        return cls(re.split(f"({marks})", text), url)

    def page(self, url: str, title: str, description: str, content: str) -> str:
        values = {_TITLE: title, _DESCRIPTION: description, _CONTENT: content, self.url: url}
        return "".join(values[piece] if index % 2 else piece for index, piece in enumerate(self.pieces))


def _url_of(page: Path) -> str:
    """A page's address in the site, as MkDocs gives it: `a/b.md` and `a/b/index.md` are `a/b/`."""
    return (page.parent if page.name == "index.md" else page.with_suffix("")).as_posix() + "/"


def _folder_of(page: Path) -> str:
    """The folder a page's address is in (`a/` for `a/b/`): links from pages in one folder to
    the same place are written alike, so one stand-in serves them all."""
    return _url_of(page)[:-1].rpartition("/")[0]


def _write_stand_ins(records: Path, docs_dir: Path) -> dict[str, str]:
    """One stand-in page in each folder of record pages; returns their addresses by folder."""
    stand_ins = {}
    for folder in sorted({_folder_of(page.relative_to(records)) for page in records.rglob("*.md")}):
        url = f"{folder}/{_STAND_IN}/" if folder else f"{_STAND_IN}/"
        source = docs_dir / url / "index.md"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"---\ntitle: {_TITLE}\ndescription: {_DESCRIPTION}\n---\n\n{_CONTENT}\n", encoding="utf-8")
        stand_ins[folder] = url
    return stand_ins


def lay_out(records: Path, site_dir: Path, shells: dict[str, Shell]) -> None:
    """Every page in `records` as MkDocs would have laid it out (`x/y.md` → `x/y/index.html`),
    beside the files its page folder holds (its tables as CSV and JSON)."""
    for folder, _, names in os.walk(records):
        for name in names:
            source = Path(folder, name)
            relative = source.relative_to(records)
            if name.endswith(".md"):
                url = _url_of(relative)
                target = site_dir / url / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_page(source.read_text(encoding="utf-8"), url, shells[_folder_of(relative)]),
                                  encoding="utf-8")
            else:
                target = site_dir / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
    _list_in_sitemap(site_dir, records, shells)


def _page(source: str, url: str, shell: Shell) -> str:
    match = _FRONT_MATTER.match(source)
    meta = yaml.load(match.group(1), Loader=yaml.CSafeLoader) if match else {}
    content = source[match.end():].lstrip("\n") if match else source
    return shell.page(url, str(meta.get("title", "")), str(meta.get("description", "")), _as_markdown_gives(content))


def _as_markdown_gives(text: str) -> str:
    """A raw-HTML page's content as Markdown hands it back (PagesAsHtml): whitespace normalised
    as Markdown's first preprocessor does, stripped."""
    text = text.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(4) + "\n\n").strip()


_SITEMAP_URL = re.compile(r"\s*<url>.*?</url>", re.DOTALL)


def _list_in_sitemap(site_dir: Path, records: Path, shells: dict[str, Shell]) -> None:
    """The record pages in MkDocs' sitemap (and its gzip copy, dated as MkDocs dated it), each
    folder's where its stand-in was, in MkDocs' order: each entry is the stand-in's, at the
    page's address."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    pages: dict[str, list[str]] = {}
    for page in sorted(records.rglob("*.md")):
        relative = page.relative_to(records)
        pages.setdefault(shells[_folder_of(relative)].url, []).append(_url_of(relative))

    def listed(entry: re.Match) -> str:
        stand_in = next((url for url in pages if url in entry.group()), None)
        return "".join(entry.group().replace(stand_in, url) for url in pages[stand_in]) if stand_in else entry.group()

    text = _SITEMAP_URL.sub(listed, sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    packed = site_dir / "sitemap.xml.gz"
    mtime = int.from_bytes(packed.read_bytes()[4:8], "little") if packed.exists() else 0
    with packed.open("wb") as handle, gzip.GzipFile(fileobj=handle, filename=str(packed), mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))


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
