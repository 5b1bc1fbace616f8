"""Stage 4, render: write each village-year's pages as Markdown files for MkDocs.

Pages are rendered here with Jinja2 from `themes/templates/`, so MkDocs (or a successor) only
has to lay them out. Records are kept out of the navigation; section pages list them.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import segno
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.domain import compliance
from generator.domain.chain import CLOSE
from generator.inputs.messages import Catalogue
from generator.render.board_changes import board_changes
from generator.render.charts import Bar, bar_chart
from generator.render.datapackage import CATALOG, catalog, package
from generator.render.keeping import keep_end_with_body
from generator.render.opendata import Dataset, OpenData, PageData, PageTables, catalogue_json, dumps, publish_tables
from generator.fs.paths import KIND_THEMES, TEMPLATE_CACHE, TEMPLATES
from generator.domain.kinds import KINDS, Record
from generator.domain.settings import Township
from generator.fs.files import short, write_atomic
from generator.render.text import record_text
from generator.render.cells import label_cells
from generator.render import cards, charts, paging, photos
from generator.domain.model import PortalVillage, Section, VillageYear
from generator.inputs.messages import cn_date


def environment(catalogue: Catalogue) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(TEMPLATES), str(KIND_THEMES)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # one build: a template is looked up thousands of times, read once
        bytecode_cache=TEMPLATE_CACHE,
    )
    env.globals["t"] = catalogue.text
    env.globals.update(bar_chart=charts.bar_chart, Bar=charts.Bar, progress=charts.progress,
                       month_chart=charts.month_chart, Month=charts.Month)
    env.globals["media"] = photos.record_media  # a record's photos and scans (record.html)
    env.filters["cn_date"] = lambda day: cn_date(day if isinstance(day, date) else date.fromisoformat(day), catalogue)
    env.filters["money"] = lambda amount: money(amount, catalogue)
    env.filters["markdown"] = record_text
    env.filters["heading"] = lambda record: record.heading(catalogue)
    env.filters["qr_svg"] = qr_svg
    env.filters["qr_code"] = qr_code
    env.filters["short_hash"] = short
    return env


# Any of the eight QR mask patterns reads in every scanner; choosing the "best" one by the
# standard's penalty score costs segno about 80% of a code's time, on every record page.
_QR_MASK = 0


def qr_folder() -> Path:
    """Where the QR codes made on this machine are kept (`_qr`)."""
    return Path(TEMPLATE_CACHE.directory) / "vp-qr"


def _qr(text: str, **svg: object) -> Markup:
    """A QR code (segno) as inline SVG: no image request, and it prints sharp. Medium error
    correction, for a weathered board. Each code is made once per machine, as templates are
    compiled once (paths.TEMPLATE_CACHE): a page's address is the same in every build, and
    making its code costs more than rendering the rest of a record's page."""
    options = json.dumps([segno.__version__, _QR_MASK, text, svg], sort_keys=True, ensure_ascii=False)
    cached = qr_folder() / f"{hashlib.sha256(options.encode()).hexdigest()}.svg"
    try:
        return Markup(cached.read_text(encoding="utf-8"))
    except OSError:
        pass
    buffer = io.BytesIO()
    segno.make(text, error="m", mask=_QR_MASK).save(buffer, kind="svg", xmldecl=False, svgns=True, nl=False,
                                                    dark="#000", **svg)
    code = buffer.getvalue().decode("utf-8")
    try:
        write_atomic(cached, code)
    except OSError:
        pass  # not kept (a full or read-only temporary folder): made again next time
    return Markup(code)


def qr_svg(text: str) -> Markup:
    """A QR code for the screen, at a fixed size."""
    return _qr(text, scale=4, border=2)


def qr_code(text: str) -> Markup:
    """A QR code for a printed bulletin, sized by CSS (a viewBox, no pixel size), with the
    standard four-module quiet zone."""
    return _qr(text, border=4, omitsize=True, svgclass="vp-qr-code")


def money(amount: Decimal | None, catalogue: Catalogue) -> str:
    if amount is None:
        return ""
    return catalogue.text("format.money", amount=f"{amount:,.2f}")


def front_matter(title: str, description: str, **extra: Any) -> str:
    # Material prints page.meta.title and description without escaping: escape them here.
    meta = {"title": escape(title), "description": escape(description), **extra}
    # libyaml's emitter (MkDocs reads the values back; one page each: the C emitter is the fast one).
    return "---\n" + yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False) + "---\n\n"


def write_page(path: Path, front: str, html: str, tables: PageTables | None = None, whole: str = "") -> None:
    """Write a page; with `tables`, its data tables are published beside it as CSV and JSON (those
    of `whole`, when the page shows only some of its rows: a list's first page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if tables is not None:
        html = tables.publish(path, html, whole)
    path.write_text(front + page_body(html) + "\n", encoding="utf-8")


def page_body(html: str) -> str:
    # Blank lines would end MkDocs' raw-HTML block and let Markdown touch record text.
    return "\n".join(line for line in label_cells(html).splitlines() if line.strip())


@dataclass
class RenderedRecord:
    """A record's page, rendered: its folder in the site, its title and description, its
    content, and the datasets of its tables."""

    url: str  # <section>/<id>/
    title: str
    description: str
    html: str
    datasets: list[Dataset]


class YearPages:
    """The pages of one village-year. A record's page is rendered on its own (`record`), in any
    process; the others (home, sections, compliance, print, search) together (`write_docs`)."""

    def __init__(self, village_year: VillageYear, catalogue: Catalogue) -> None:
        self.village_year, self.catalogue = village_year, catalogue
        self.env = environment(catalogue)
        self.sections = village_year.sections(catalogue)
        settings = village_year.settings
        self.common = {"village": settings, "year": village_year.year, "today": village_year.today,
                       "catalogue": catalogue, "permanent_url": village_year.permanent_url, "sheet": False}
        # Shown on every page (in the site's footer, generator/pipeline/year.py) and on every
        # printed bulletin (_print.html): each footer kind's latest record, by its footer.html.
        self.footer = Markup("".join(self.env.get_template(f"{record.section}/footer.html").render(self.common, record=record)
                                     for record in village_year.footer_records()))
        self.common["footer"] = self.footer
        self.site_name = catalogue.text("site.village_year", village=settings.name, year=village_year.year)
        self.description = catalogue.text("site.description", village=settings.name,
                                          township=settings.township.name, year=village_year.year)
        self._datasets: dict[str, list[Dataset]] = {}  # by page address ("" the home page)

    @property
    def records(self) -> list[tuple[Section, Record]]:
        """Every record page, in the order of the sections' lists."""
        return [(section, record) for section in self.sections for record in section.records]

    def record(self, section: Section, record: Record, folder: Path) -> RenderedRecord:
        """One record's page; its tables are written as CSV and JSON in its folder under `folder`."""
        heading = record.heading(self.catalogue)  # also the description of a record with no title of its own
        html = self.env.get_template(f"{record.section}/record.html").render(
            self.common, root="../../", section=section, record=record,
            findings=self.village_year.findings_for(record))
        url = f"{section.name}/{record.id}/"
        photos.publish_media(record, folder / url)
        html, datasets = publish_tables(html, folder / url, url, PageData(heading, section.name, record.data_period),
                                        self.catalogue)
        html = keep_end_with_body(html)  # after the tables are read: the closing block is no data
        if cards.available():  # the share card: og:image and 保存图片 (themes/overrides/main.html, record.html)
            card = cards.record_card(self.village_year, section, record, self.catalogue)
            (folder / url).mkdir(parents=True, exist_ok=True)
            (folder / url / "card.png").write_bytes(cards.card_png(card))
        return RenderedRecord(url, heading, record.summary() or heading, label_cells(html), datasets)

    def write_docs(self, docs_dir: Path, records: bool = False) -> list[dict[str, str]]:
        """Write the pages as Markdown for MkDocs (the records' too, with `records`); return the
        navigation (home, sections, compliance, search: never records)."""
        village_year, catalogue, env, common = self.village_year, self.catalogue, self.env, self.common
        description, whole_year = self.description, str(village_year.year)
        data = OpenData(docs_dir, catalogue)
        home = env.get_template("home.html").render(common, root="", sections=self.sections,
                                                    posted_now=village_year.posted_now(), findings=village_year.findings,
                                                    finding_groups=compliance.year_view(village_year).records)
        write_page(docs_dir / "index.md", front_matter(self.site_name, description), home,
                   data.of(PageData(self.site_name, "home", whole_year)))
        self._datasets[""] = data.datasets
        for section in self.sections:
            template = env.select_template([f"{section.name}/section.html", "section.html"])
            view = KINDS[section.name].section_view(section.records, village_year.context())
            data, front = OpenData(docs_dir, catalogue), front_matter(section.title, description)
            # A long list in pages (render/paging.py); its data file still holds every record.
            whole = template.render(common, root="../", section=section, view=view, listed=section.records, paging=None)
            for pager, listed in paging.split(section.records) if template.name == "section.html" else [(None, [])]:
                html = whole if pager is None else template.render(
                    common, root=f"../{pager.base}", section=section, view=view, listed=listed, paging=pager)
                name = paging.folder(pager.number) if pager else ""
                title = catalogue.text("reader.pages.title", title=section.title, number=pager.number) if name else ""
                write_page(docs_dir / section.name / f"{name or 'index'}.md",
                           front_matter(title, description) if name else front, html,
                           None if name else data.of(PageData(section.title, section.name, whole_year)), whole)
            self._datasets[section.name] = data.datasets
            for record in section.records if records else []:
                page = self.record(section, record, docs_dir)
                write_page(docs_dir / f"{page.url[:-1]}.md", front_matter(page.title, page.description), page.html)
                self._datasets[page.url] = page.datasets

        # The print page repeats the records' tables: they are published from the records' pages.
        render_print_page(village_year, env, common, self.sections, docs_dir, catalogue)

        # 公开情况: each disclosure's status and every finding of the year (generator/domain/compliance.py).
        compliance_title = catalogue.text("compliance.title")
        html = env.get_template("compliance.html").render(common, root="../", view=compliance.year_view(village_year))
        data = OpenData(docs_dir, catalogue)
        write_page(docs_dir / "compliance" / "index.md", front_matter(compliance_title, description), html,
                   data.of(PageData(compliance_title, "compliance", whole_year)))
        self._datasets["compliance"] = data.datasets

        search = env.get_template("search.html").render(common, root="../", years=village_year.years)
        write_page(docs_dir / "search.md", front_matter(catalogue.text("site.search"), description,
                                                        template="search.html"), search)

        nav = [{catalogue.text("site.home"): "index.md"}]
        nav += [{section.title: f"{section.name}/index.md"} for section in self.sections]
        nav.append({compliance_title: "compliance/index.md"})
        nav.append({catalogue.text("site.search"): "search.md"})
        return nav

    def write_catalogue(self, folder: Path, records: dict[str, list[Dataset]] | None = None) -> None:
        """`data.json` in `folder`: every dataset of the year's pages, in the order of the pages
        (`records`: the record pages' datasets by address, when they were not written as docs)."""
        found = {**self._datasets, **(records or {})}
        pages = ["", *(key for section in self.sections
                       for key in (section.name, *(f"{section.name}/{record.id}/" for record in section.records))),
                 "compliance"]
        datasets = [dataset for page in pages for dataset in found.get(page, [])]
        settings, year = self.village_year.settings, self.village_year.year
        (folder / "data.json").write_text(catalogue_json(settings.id, year, datasets), encoding="utf-8")
        title = self.catalogue.text("data.package", village=settings.name, year=year)
        (folder / "datapackage.json").write_text(dumps(package(settings.id, settings.name, year, title, datasets)),
                                                 encoding="utf-8")


def render_village_year(village_year: VillageYear, docs_dir: Path, catalogue: Catalogue) -> list[dict[str, str]]:
    """Every page of a village-year as Markdown for MkDocs, records' too (the build lays those
    out itself: generator/site/record_pages.py); returns the navigation."""
    pages = YearPages(village_year, catalogue)
    nav = pages.write_docs(docs_dir, records=True)
    pages.write_catalogue(docs_dir)
    return nav


def render_print_page(village_year: VillageYear, env: Environment, common: dict[str, Any],
                      sections: list[Section], docs_dir: Path, catalogue: Catalogue) -> None:
    """`print/`: every notice now within its posting period, each a bulletin on its own sheets.
    Linked from the home page, kept out of the navigation and of search."""
    by_name = {section.name: section for section in sections}
    sheets = [
        Markup(keep_end_with_body(env.get_template(f"{record.section}/record.html").render(
            common, root="../", section=by_name[record.section], record=record,
            findings=village_year.findings_for(record), sheet=True)))
        for record in village_year.posted_now()
    ]
    html = env.get_template("print.html").render(common, root="../", sheets=sheets)
    title = catalogue.text("print.all_title")
    write_page(docs_dir / "print.md", front_matter(title, title), html)


def render_portal(township: Township, villages: list[PortalVillage], docs_dir: Path, catalogue: Catalogue,
                  public_key: str = "") -> str:
    """The pages above the village-years: the township's front page, and for each village given
    its log, its publication history (changes/) and the closing notice of each closed year
    (closed/<year>/), which prints `public_key` (the township's, minisign's base64; "": unsigned).
    Returns the site's name."""
    env = environment(catalogue)
    title = catalogue.text("site.township_portal", township=township.name)
    description = catalogue.text("site.township_description", township=township.name)
    render_board(env, township, villages, docs_dir, catalogue, title, description)
    render_township_search(township, [village.summary for village in villages], docs_dir, catalogue)
    # Every village-year's data package in one list, so a township's tables load in one go (issue 22).
    listed = [(village.summary.id, village.summary.name, village.summary.years) for village in villages]
    (docs_dir / CATALOG).write_text(dumps(catalog(catalogue.text("data.township_catalog", township=township.name),
                                                  listed)), encoding="utf-8")
    for village in villages:
        if village.chain is None:
            continue
        name = village.summary.name
        entries = list(reversed(village.chain.entries))
        html = env.get_template("changes.html").render(village=village.summary, entries=entries, catalogue=catalogue)
        changes_title = catalogue.text("archive.changes_title", village=name)
        write_page(docs_dir / village.summary.id / "changes.md", front_matter(changes_title, changes_title), html)
        for entry in village.chain.entries:
            if entry.action != CLOSE:
                continue
            notice_title = catalogue.text("archive.closing_title", village=name, year=entry.year)
            html = env.get_template("closing.html").render(
                village=village.summary, entry=entry, township=township, catalogue=catalogue, public_key=public_key,
                fingerprint=f"village-portal:{village.summary.id}:{entry.year}:r{entry.revision}:sha256:{entry.root}")
            write_page(docs_dir / village.summary.id / "closed" / f"{entry.year}.md",
                       front_matter(notice_title, notice_title), html)
    return title


# The board's first page carries the findings of this many villages (the worst); the others' are
# on more/, so 40 villages stay within the first-view budget; and so many postings per village.
BOARD_VILLAGES = 8
BOARD_POSTED_EACH = 3


def render_board(env: Environment, township: Township, villages: list[PortalVillage], docs_dir: Path,
                 catalogue: Catalogue, title: str, description: str) -> None:
    """The township board (index.md) and its second page (more/): villages worst first."""
    summaries = sorted((village.summary for village in villages),
                       key=lambda summary: (tuple(-n for n in summary.seriousness), summary.name, summary.id))
    keys = ["party", "affairs", "finance", "inquiries", "red-black"]
    as_of = max((summary.as_of for summary in summaries if summary.as_of), default=None)
    html = env.get_template("township.html").render(
        township=township, villages=summaries, catalogue=catalogue, shown=BOARD_VILLAGES, as_of=as_of,
        rate_keys=keys, charts=board_charts(summaries, catalogue), posted_each=BOARD_POSTED_EACH,
        changes=[change for village in villages if (change := board_changes(village))])
    write_page(docs_dir / "index.md", front_matter(title, description), html)
    more = env.get_template("township_more.html").render(township=township, villages=summaries[BOARD_VILLAGES:],
                                                         catalogue=catalogue)
    more_title = catalogue.text("board.more_title")
    write_page(docs_dir / "more.md", front_matter(more_title, more_title), more)


def board_charts(summaries: list[Any], catalogue: Catalogue) -> list[Markup]:
    """公开及时率 (the three disclosures together), inquiries in time, 红黑榜 coverage: a bar a village."""

    def bar(summary: Any, keys: tuple[str, ...]) -> Bar:
        rates = [rate for rate in summary.rates if rate.key in keys]
        done, total = sum(rate.done for rate in rates), sum(rate.total for rate in rates)
        return Bar(summary.name, done / total if total else None, f"{done}/{total}" if total else "—")

    coverage = [next((rate for rate in summary.rates if rate.key == "red-black"), None) for summary in summaries]
    target = next((rate.target for rate in coverage if rate is not None and rate.target is not None), None)
    return [bar_chart([bar(summary, ("party", "affairs", "finance")) for summary in summaries],
                      catalogue.text("board.chart_disclosure"), 1.0),
            bar_chart([bar(summary, ("inquiries",)) for summary in summaries], catalogue.text("board.chart_inquiries")),
            bar_chart([Bar(summary.name, rate.share if rate else None,
                           f"{rate.share:.0%}" if rate and rate.share is not None else "—")
                       for summary, rate in zip(summaries, coverage)], catalogue.text("board.chart_coverage"), target)]


def render_township_search(township: Township, summaries: list[Any], docs_dir: Path, catalogue: Catalogue) -> None:
    """`search/`: one search over every village's newest year. The first village's Pagefind
    bundle is the primary; the others are merged into it (Pagefind's mergeIndex), each with its
    village as a filter (mergeFilter), so a reader can keep to one village; each result is headed
    by its village's name (themes/overrides/assets/search.js)."""
    indexed = [summary for summary in summaries if summary.years]
    if not indexed:
        return
    label = catalogue.text("board.search_filter")

    def bundle(summary: Any) -> str:
        return f"../{summary.id}/{summary.years[0]}/pagefind/"

    first, *others = indexed
    options = {"bundlePath": bundle(first), "mergeFilter": {label: first.name},
               "mergeIndex": [{"bundlePath": bundle(summary), "mergeFilter": {label: summary.name}}
                              for summary in others],
               "villageNames": {summary.id: summary.name for summary in indexed}}
    title = catalogue.text("board.search_title", township=township.name)
    html = (f'<div class="vp-search" data-pagefind-ignore="all"><h1 id="vp-search-title">{escape(title)}</h1>'
            f'<p>{escape(catalogue.text("board.search_intro"))}</p>'
            f"<div id=\"vp-search\" data-options='{escape(json.dumps(options, ensure_ascii=False))}'></div>"
            f'<noscript><p>{escape(catalogue.text("site.search_needs_js"))}</p></noscript></div>')
    write_page(docs_dir / "search.md", front_matter(title, title, template="township_search.html",
                                                    bundle=f"{first.id}/{first.years[0]}/pagefind/"), html)
