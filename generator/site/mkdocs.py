"""Stage 5, site: lay out the rendered pages with MkDocs and Material.

The configuration is the base `mkdocs.yml`, the village's `mkdocs:` settings over it, and what
the build fills in: the site's name, its folders and navigation, and the UI texts.

Record pages, a village-year's thousands, are not laid out by MkDocs one by one: none is in the
navigation, so Material gives each the very same page around its content, which costs more
than the content. MkDocs lays out one stand-in page in each of their folders (`Shell`), and each
record's page is that page with its own title, description, address and content put in.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from string import Formatter
from typing import Any, Callable, Protocol

import tinycss2
import yaml
from jinja2 import Environment
from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from generator.inputs.messages import Catalogue
from generator.fs.paths import BASE_MKDOCS_CONFIG, MKDOCS_HOOKS, OVERRIDES, TEMPLATE_CACHE
from generator.domain.settings import deep_merge
from generator.fs.files import write_atomic
from generator.render import cards

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
    records: RecordLayout | None = None,
) -> LaidOut:
    """MkDocs lays out the pages in `docs_dir`; then `records` lays out the record pages (never
    in the navigation) in the page MkDocs laid out in their stead, one in each of their folders."""
    stand_ins = _write_stand_ins(docs_dir, records.folders) if records else {}
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
    extra["reader"] = catalogue.section("reader")  # issue 19: offline, read-aloud, share card
    extra["cards"] = cards.available()
    extra["page_counter"] = page_counter_css(catalogue.text("print.page_counter"))
    if search:
        extra["search_url"] = "search/"
    if not versioned:
        extra.pop("version", None)
    config["extra"] = extra
    config["markdown_extensions"] = [*config.get("markdown_extensions", []), f"{__name__}:PagesAsHtml"]
    # Given as options over an empty file, not written out as YAML for MkDocs to parse again
    # (the message catalogue is in it, and every site would pay for the parse).
    mkdocs_config = load_config(io.BytesIO(b"{}"), config_file_path=str(docs_dir.parent / "mkdocs.yml"), **config)
    theme_env = mkdocs_config.theme.get_env
    mkdocs_config.theme.get_env = lambda: _theme_listed_lightly(theme_env())
    mkdocs_build(mkdocs_config)
    laid_out = LaidOut([], set(), set())
    if records:
        shells = {folder: Shell.of(site_dir, stand_in) for folder, stand_in in stand_ins.items()}
        laid_out = records.lay_out(shells)
        _list_in_sitemap(site_dir, shells, laid_out.urls)
    write_first_view_css(site_dir, laid_out)
    return laid_out


# Material ships its own search (lunr) and source maps; the portal uses Pagefind and needs neither.
_UNUSED = ("assets/javascripts/lunr/", "assets/javascripts/workers/")


def _theme_listed_lightly(env: Environment) -> Environment:
    """MkDocs lists the theme's files on every build, to copy its assets, and drops those that
    match its patterns, every file in a folder whose name starts with a dot among them. Material's
    `.icons` folder holds 14,000 files (icons, put into pages, never copied): walking and matching
    them cost a tenth of a second a build. Folders with a dot are not walked. Files the portal does
    not use are left out of the list too, so never copied (nor removed after: on a file system
    without a journal, new files are slow to make for a minute after many were removed)."""
    folders = list(env.loader.searchpath)

    def listed(filter_func: Callable[[str], bool]) -> list[str]:  # as MkDocs calls it
        names = set()
        for folder in folders:
            for root, subfolders, files in os.walk(folder):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                names.update(Path(root, name).relative_to(folder).as_posix() for name in files)
        return [name for name in sorted(names) if filter_func(name)
                and not name.startswith(_UNUSED) and not name.endswith(".map")]

    env.list_templates = lambda extensions=None, filter_func=None: listed(filter_func)
    return env


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
_HTML_TAG = re.compile(r"<html\b[^>]*>")


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

    def for_search(self, content: str) -> str:
        """A record's page as the search index reads it: the page's `<html>` tag (its language)
        and the content, which holds all that is indexed (`data-pagefind-body`, its filters and
        its meta). The rest of the page, four fifths of its bytes, would be read only to be
        thrown away; the index is the same, byte for byte."""
        return f"{_HTML_TAG.search(self.pieces[0]).group()}<body>{content}</body></html>"

    def save(self, path: Path) -> None:
        write_atomic(path, json.dumps({"url": self.url, "pieces": self.pieces}, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> Shell | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(list(data["pieces"]), str(data["url"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # none kept, or not one this version wrote: no preview, the build follows


@dataclass
class LaidOut:
    """Record pages written into a site: their addresses (for the sitemap), and the classes and
    ids their HTML uses (for the first-view stylesheet, which then need not read them again)."""

    urls: list[str]
    classes: set[str]
    ids: set[str]

    @property
    def files(self) -> set[str]:
        return {url + "index.html" for url in self.urls}


class RecordLayout(Protocol):
    """What writes the record pages (generator/site/record_pages.py): which folders they are in, and the
    writing, given each folder's shell."""

    folders: list[str]

    def lay_out(self, shells: dict[str, Shell]) -> LaidOut: ...


def _write_stand_ins(docs_dir: Path, folders: list[str]) -> dict[str, str]:
    """A stand-in page in each folder of record pages; returns their addresses by folder."""
    stand_ins = {}
    for folder in folders:
        url = f"{folder}/{_STAND_IN}/"
        source = docs_dir / url / "index.md"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"---\ntitle: {_TITLE}\ndescription: {_DESCRIPTION}\n---\n\n{_CONTENT}\n", encoding="utf-8")
        stand_ins[folder] = url
    return stand_ins


def as_markdown_gives(text: str) -> str:
    """A raw-HTML page's content as Markdown hands it back (PagesAsHtml): whitespace normalised
    as Markdown's first preprocessor does, stripped."""
    text = text.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(4) + "\n\n").strip()


def page_names(html: str) -> tuple[set[str], set[str]]:
    """The classes and the ids a page's HTML uses."""
    classes = {name for value in _CLASS.findall(html) for name in value.split()}
    return classes, set(_ID.findall(html))


_SITEMAP_URL = re.compile(r"\s*<url>.*?</url>", re.DOTALL)


def _list_in_sitemap(site_dir: Path, shells: dict[str, Shell], urls: list[str]) -> None:
    """The record pages in MkDocs' sitemap (and its gzip copy, dated as MkDocs dated it), each
    folder's where its stand-in was, in MkDocs' order: each entry is the stand-in's, at the
    page's address."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return
    pages: dict[str, list[str]] = {}
    for url in sorted(urls):
        pages.setdefault(shells[url[:-1].rpartition("/")[0]].url, []).append(url)

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


# Classes that the pages' own inline scripts add (the version selector), not in the HTML.
_SCRIPTED_CLASSES = {"md-version", "md-version__current", "md-version__list", "md-version__item",
                     "md-version__link"}
_CLASS = re.compile(r'\bclass="([^"]*)"')
_ID = re.compile(r'\bid="([^"]*)"')
_WORD = re.compile(r"[\w-]+")


def write_first_view_css(site_dir: Path, laid_out: LaidOut) -> None:
    """`assets/stylesheets/vp-material.css`: Material's stylesheets (main and palette) cut down
    to the rules whose selectors can match the site's pages, for the first view. A selector is
    kept unless it needs a class or id that no page has (looking only outside :not(), :is() …,
    so it errs on keeping). The full stylesheets load with Material's script, when needed."""
    folder = site_dir / "assets" / "stylesheets"
    sources = sorted(folder.glob("main.*.min.css")) + sorted(folder.glob("palette.*.min.css"))
    if not sources:
        return
    classes, ids = _SCRIPTED_CLASSES | laid_out.classes, set(laid_out.ids)
    known = laid_out.files
    for page in site_dir.rglob("*.html"):
        if page.relative_to(site_dir).as_posix() not in known:
            found = page_names(page.read_text(encoding="utf-8", errors="replace"))
            classes |= found[0]
            ids |= found[1]
    texts = [source.read_text(encoding="utf-8") for source in sources]
    # Cut once per machine for the same stylesheets and the names in them that pages have (as
    # templates are compiled once): a rebuild after one record changed finds the same, though the
    # ids of a page's headings come from their text. A name of word characters that is no word of
    # the stylesheets is in no selector; a name with others might be, escaped.
    words = {word for text in texts for word in _WORD.findall(text)}
    key = hashlib.sha256("\0".join([*texts, *sorted(_mentioned(classes, words)), "#",
                                     *sorted(_mentioned(ids, words))]).encode()).hexdigest()
    cached = Path(TEMPLATE_CACHE.directory) / f"vp-first-view-{key}.css"
    try:
        css = cached.read_text(encoding="utf-8")
    except OSError:
        css = "".join(_serialize(_keep(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True),
                                       classes, ids)) for text in texts)
        write_atomic(cached, css)
    (folder / "vp-material.css").write_text(css, encoding="utf-8")


def _mentioned(names: set[str], words: set[str]) -> set[str]:
    return {name for name in names if name in words or not _WORD.fullmatch(name)}


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
