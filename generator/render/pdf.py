"""Printed bulletins as PDF: a village-year's built pages, printed by headless Chromium.

Runs inside the build of a village-year, after the site stage and before publishing, so the PDFs
are files of the year's site like any other: in its snapshot and manifest, published and
verified with it. Chromium is Debian's (`chromium`, with `fonts-noto-cjk` for the Chinese),
driven through Playwright; it prints with the pages' own print stylesheet (A4, page numbers):

    <section>/<record-id>/bulletin.pdf    each record's bulletin
    print/notices.pdf                     every notice now posted, each on its own sheets

Each page is opened at its public address (`site_url` + `/<village>/<year>/…`), every request
answered from the built folder and nothing from the network, so the links in a PDF lead to the
portal online (without site_url, a PDF has no links). Chromium stamps each PDF with the time it
was made; that stamp is set to the build's day (SOURCE_DATE_EPOCH, as for the sitemap). So the
same records give the same bytes, and a rebuild publishes nothing new.
"""

from __future__ import annotations

import mimetypes
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

from generator.inputs.messages import Catalogue
from generator.domain.model import VillageYear

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
BULLETIN = "bulletin.pdf"
PRINT_PAGE = "print/"
NOTICES = "print/notices.pdf"
# Long ledgers and slow machines: a page that takes longer than this to print is an error.
TIMEOUT_MS = 120_000
# Where pages are opened when the village has no site_url: never a real host; links are removed.
NO_ADDRESS = "https://village-portal.invalid/"

_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")


class PdfError(RuntimeError):
    """Chromium is missing or could not print a page."""


def bulletins(village_year: VillageYear) -> list[tuple[str, str]]:
    """(page, PDF) paths inside the site: every record's bulletin, and the print page's sheets
    when some notice is posted now (the page links its PDF only then)."""
    jobs = [(f"{record.url}index.html", f"{record.url}{BULLETIN}") for record in village_year.records]
    if village_year.posted_now():
        jobs.append((f"{PRINT_PAGE}index.html", NOTICES))
    return jobs


def print_bulletins(site: Path, village_year: VillageYear, progress: Callable[[str], None] = lambda message: None,
                    catalogue: Catalogue | None = None) -> int:
    """Print the village-year's bulletins into its built site; returns how many PDFs."""
    jobs = bulletins(village_year)
    if catalogue is not None:
        progress(catalogue.text("report.printing", village=village_year.settings.name, year=village_year.year,
                                count=len(jobs)))
    return print_pages(site, jobs, village_year.site_url)


def print_pages(site: Path, jobs: list[tuple[str, str]], address: str | None, chromium: str = CHROMIUM) -> int:
    """Print `jobs` ((page, PDF) paths inside `site`), the site opened as if at `address`."""
    if not jobs:
        return 0
    if not Path(chromium).exists():
        raise PdfError(f"{chromium} not found: install Debian's chromium and fonts-noto-cjk")
    stamp = _stamp()
    # Playwright's sync API refuses to run where an event loop already runs (another Playwright
    # session, a notebook): its own thread has none.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="village-portal-pdf") as pool:
        return pool.submit(_print, site.resolve(), jobs, address, chromium,
                           lambda data: _fix_dates(data, stamp)).result()


def _print(site: Path, jobs: list[tuple[str, str]], address: str | None, chromium: str,
           finish: Callable[[bytes], bytes]) -> int:
    from playwright.sync_api import Error, Route, sync_playwright  # noqa: PLC0415 - only PDFs need a browser

    base = address.rstrip("/") + "/" if address else NO_ADDRESS

    def answer(route: Route) -> None:
        """Every request from the built folder; anything outside the year's site is refused."""
        url = route.request.url.split("#", 1)[0].split("?", 1)[0]
        if not url.startswith(base):
            route.abort("blockedbyclient")
            return
        path = (site / unquote(url[len(base):])).resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.is_relative_to(site) or not path.is_file():
            route.fulfill(status=404, body="")
            return
        route.fulfill(status=200, path=str(path),
                      content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            # Offline, and no page script: what a printed page shows is the built page and its CSS.
            context = browser.new_context(offline=True, java_script_enabled=False)
            context.route("**/*", answer)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            for html, pdf in jobs:
                try:
                    page.goto(base + html.removesuffix("index.html"), wait_until="load")
                    if not address:  # links would lead nowhere
                        page.evaluate("for (const a of document.querySelectorAll('a[href]')) a.removeAttribute('href')")
                    data = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
                except Error as error:
                    raise PdfError(f"{html}: {error.message.splitlines()[0]}") from error
                target = site / pdf
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(finish(data))
        finally:
            browser.close()
    return len(jobs)


def _stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)


def _fix_dates(data: bytes, stamp: datetime) -> bytes:
    # Same length as what it replaces, so the PDF's cross-reference offsets still hold.
    value = stamp.strftime("%Y%m%d%H%M%S").encode()
    return _PDF_DATE.sub(lambda match: b"/" + match.group(1) + b" (D:" + value + b"+00'00')", data)
