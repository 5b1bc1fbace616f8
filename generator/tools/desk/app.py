"""The desk's pages: find a record, write it in a form, save it to the clerk's files, see what the
checks say beside each field, publish. Plain HTML forms; every change carries a CSRF token."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from generator.domain.kinds import KINDS
from generator.fs.paths import THEMES
from generator.inputs.load import RECORD_ID
from generator.inputs.messages import Catalogue
from generator.inputs.workbooks import sheet_period
from generator.tools.desk import files, forms
from generator.tools.desk.files import Book, Place, Refused
from generator.tools.desk.guard import LOCAL_HOSTS, SESSION_COOKIE, Guard, LimitBody
from generator.tools.desk.publish import Publisher
from generator.tools.desk.records import Desk, address_of, book_of, book_problems, problems_of, sheet_problems
from generator.tools.desk.tables import shown_table
from generator.tools.preview import Preview
from generator.tools.scaffold import _village_settings, write_template

DESK_THEME = THEMES / "desk"


def create_app(content: Path, config: Path, out: Path, guard: Guard | None = None, as_of: date | None = None,
               language: str = "zh") -> Any:
    catalogue = Catalogue(language)
    desk = Desk(content, config, out, as_of, catalogue)
    guard = guard or Guard()
    publisher = Publisher(content, config, out, as_of, catalogue)
    env = Environment(loader=FileSystemLoader(DESK_THEME), autoescape=select_autoescape(["html"]))
    env.globals.update(t=catalogue.text, catalogue=catalogue)

    def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        session = request.cookies.get(SESSION_COOKIE) or secrets.token_urlsafe(24)
        html = env.get_template(template).render(csrf=guard.token(session), **values)
        response = HTMLResponse(html, status_code=status)
        if SESSION_COOKIE not in request.cookies:
            response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return response

    def refused(request: Request, key: str, status: int) -> HTMLResponse:
        return page(request, "refused.html", status, message=catalogue.text(f"desk.refused.{key}"))

    async def changed_form(request: Request) -> Any:
        """The form of a change, once its CSRF token is the session's; else Refused."""
        form = await request.form(max_part_size=files.MAX_UPLOAD + 1)
        if not guard.token_ok(request.cookies.get(SESSION_COOKIE), form.get("csrf")):
            raise Refused("csrf", 403)
        return form

    async def home(request: Request) -> Response:
        villages = await run_in_threadpool(desk.villages)
        return page(request, "home.html", villages=villages)

    async def year_page(request: Request) -> Response:
        village, year = request.path_params["village"], request.path_params["year"]
        Place.of(content, village, year, "affairs", "x")  # the names are checked before anything is read
        name, sections, checked = await run_in_threadpool(desk.year, village, int(year))
        # The year's workbook of each kind kept so (finance/<year>.xlsx), with what its checks found.
        books = {}
        for section, kind in KINDS.items():
            if getattr(kind, "yearly_workbook", False):
                book = Book.of(content, village, year, section, str(year))
                found = book_problems(checked.problems, content, book) if book.path.exists() else None
                books[section] = (book, found)
        # The kinds whose lists may be kept a sheet a period, with their categories to choose from.
        settings = _village_settings(config, village)
        lists = {section: forms.choices_of(section, int(year), catalogue, settings).get("category", ())
                 for section, kind in KINDS.items() if getattr(kind, "list_workbook", False)}
        return page(request, "year.html", village=village, name=name, year=int(year), sections=sections,
                    books=books, lists=lists, closed=desk.closed(village, int(year)))

    def _book(request: Request) -> Book:
        params = request.path_params
        return Book.of(content, params["village"], params["year"], params["section"], params["stem"])

    async def book_page(request: Request) -> Response:
        """A workbook whose sheets are records: each sheet shown back with its problems at their
        cells, the workbook's own problems (a sheet naming no month …) above them."""
        book = _book(request)
        checked = await run_in_threadpool(desk.check, book.village)
        name = next((v.settings.name for v in checked.villages if v.id == book.village), book.village)
        mine = book_problems(checked.problems, content, book)
        records = {}  # sheet name → its record
        for village in checked.villages:
            for record in village.records:
                if (village.id, record.year, record.section, book_of(record)) == (book.village, book.year, book.section, book.stem):
                    location = record.source.table_location
                    records[location.sheet.name if location and location.sheet and location.sheet.name else None] = record
        names = files.sheet_names(book.path) if book.path.exists() else []
        sheets, placed = [], set()
        for sheet in names:
            record = records.get(sheet) or (records.get(None) if len(names) == 1 else None)
            own = sheet_problems(checked.problems, record) if record is not None else \
                [problem for problem in mine if problem.location.sheet and problem.location.sheet.name == sheet]
            placed.update(id(problem) for problem in own)
            # Problems at the YAML beside it (a sheet's facts) are shown with their file and line.
            elsewhere = [problem for problem in own if Path(problem.location.path).name != book.path.name]
            sheets.append((sheet, record, own, shown_table(book.path, own, sheet), elsewhere))
        counts = {severity: sum(str(problem.severity) == severity for problem in mine) for severity in ("error", "finding")}
        return page(request, "book.html", book=book, name=name, sheets=sheets, counts=counts,
                    read=sum(record is not None for _, record, *_ in sheets),
                    loose=[problem for problem in mine if id(problem) not in placed],
                    saved=request.query_params.get("saved") == "1", closed=desk.closed(book.village, book.year))

    async def book_upload(request: Request) -> Response:
        """The workbook as the clerk saved it in Excel, written whole in its place, then shown checked."""
        form = await changed_form(request)
        book = _book(request)
        if desk.closed(book.village, book.year):
            raise Refused("closed", 403)
        data = await _uploaded_workbook(form)
        files.write_atomically(book.path, data)
        url = f"/b/{book.village}/{book.year}/{book.section}/{book.stem}?saved=1"
        return RedirectResponse(url, status_code=303)

    async def list_upload(request: Request) -> Response:
        """A list kept a sheet a period (2026-dibao.xlsx: 第一季度, 第二季度 …) uploaded as a new
        notice: the workbook saved under its number, and beside it the YAML of what its periods share."""
        form = await changed_form(request)
        params = request.path_params
        if not getattr(KINDS.get(params["section"]), "list_workbook", False):
            raise Refused("bad_path", 404)
        record_id = str(form.get("record_id") or "").strip()
        if not RECORD_ID.match(record_id) or record_id == params["year"]:
            raise Refused("bad_id", 400)
        place = _place(request, record_id)
        if desk.closed(place.village, place.year):
            raise Refused("closed", 403)
        if place.yml.exists() or place.table():
            raise Refused("list_exists", 409)
        data = await _uploaded_workbook(form)
        periods = [period for name in files.sheet_names(data) if (period := sheet_period(name, place.year))]
        if not periods:
            raise Refused("list_no_periods", 400)
        book = Book(place.content, place.village, place.year, place.section, record_id)
        files.write_atomically(book.path, data)
        text = files.list_text(str(form.get("category") or "").strip(), str(form.get("issuer") or "").strip(), periods,
                               catalogue.text("desk.lists.comment", name=book.path.name))
        files.write_atomically(book.facts, text.encode("utf-8"))
        return RedirectResponse(f"/b/{book.village}/{book.year}/{book.section}/{book.stem}?saved=1", status_code=303)

    def _place(request: Request, record_id: str | None = None) -> Place:
        params = request.path_params
        return Place.of(content, params["village"], params["year"], params["section"], record_id or params["record_id"])

    async def record_page(request: Request) -> Response:
        params = request.path_params
        new = params["record_id"] == "new"
        place = _place(request, _new_id(request, params["year"]) if new else None)
        if not new and not place.yml.exists():
            raise Refused("not_found", 404)
        return await _show_form(request, place, new, saved=request.query_params.get("saved") == "1")

    async def _show_form(request: Request, place: Place, new: bool, saved: bool = False,
                         submitted: Any = None, status: int = 200, conflict: dict | None = None) -> Response:
        checked = await run_in_threadpool(desk.check, place.village)
        name = next((v.settings.name for v in checked.villages if v.id == place.village), place.village)
        if new:
            text = forms.new_text(place.section, place.record_id, place.year, catalogue,
                                  _village_settings(config, place.village))
            problems = []
        else:
            text = place.yml.read_text(encoding="utf-8")
            problems = problems_of(checked.problems, content, place.village, place.year, place.section, place.record_id)
        choices = forms.choices_of(place.section, place.year, catalogue, _village_settings(config, place.village))
        fields, other = forms.form(place.section, text, catalogue, problems, submitted, choices)
        table = place.table()
        counts = {severity: sum(str(problem.severity) == severity for problem in problems)
                  for severity in ("error", "finding")}
        return page(request, "record.html", status, counts=counts, place=place, name=name, new=new, fields=fields, other=other,
                    saved=saved, closed=desk.closed(place.village, place.year), conflict=conflict,
                    base_yml="" if new else files.fingerprint(place.yml), base_table=files.fingerprint(table),
                    table=shown_table(table, problems) if table else None, table_name=table.name if table else "",
                    has_table=bool(KINDS[place.section].table_field), this_year=(as_of or date.today()).year,
                    word_name=place.word.name if place.word.exists() else "",
                    photos=[] if new else [photo.name for photo in place.photos()])

    async def photo(request: Request) -> Response:
        """A photo of the record's folder, as the clerk put it there (its form shows them)."""
        found = {path.name: path for path in _place(request).photos()}.get(request.path_params["name"])
        if found is None:
            raise Refused("not_found", 404)
        return FileResponse(found)

    async def save(request: Request) -> Response:
        form = await changed_form(request)
        params = request.path_params
        new = params["record_id"] == "new"
        record_id = (form.get("record_id") or "").strip() if new else params["record_id"]
        if new and not RECORD_ID.match(record_id):
            raise Refused("bad_id", 400)
        place = _place(request, record_id)
        if desk.closed(place.village, place.year):
            raise Refused("closed", 403)
        if new and place.yml.exists():  # a new record never takes the place of one already there
            raise Refused("id_taken", 409)
        submitted = {key: value for key, value in form.items() if isinstance(value, str)}
        if new:
            base = forms.new_text(place.section, record_id, place.year, catalogue, _village_settings(config, place.village))
        else:
            base = place.yml.read_text(encoding="utf-8") if place.yml.exists() else ""
        text = forms.apply(place.section, base, submitted, catalogue)
        on_disk = "" if new and not place.yml.exists() else files.fingerprint(place.yml)
        table = place.table()
        if on_disk != (form.get("base_yml") or "") or files.fingerprint(table) != (form.get("base_table") or ""):
            theirs = place.yml.read_text(encoding="utf-8") if place.yml.exists() else ""
            conflict = {"theirs": theirs, "mine": text,
                        "table": files.fingerprint(table) != (form.get("base_table") or "")}
            # Removed meanwhile: the form shown is a new record's, so saving again writes it afresh.
            return await _show_form(request, place, not place.yml.exists(), submitted=submitted, status=409,
                                    conflict=conflict)
        word = form.get("word")  # the body written in Word: checked before anything is written
        word_data = None
        if word is not None and not isinstance(word, str) and word.filename:
            word_data = await word.read(files.MAX_UPLOAD + 1)
            files.checked_word_upload(word.filename, word_data)
        upload = form.get("table")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read(files.MAX_UPLOAD + 1)
            suffix = files.checked_upload(upload.filename, data)
            for other in files.TABLE_SUFFIXES:  # the new list replaces the old, whatever its format
                if other != suffix:
                    (place.folder / f"{place.record_id}{other}").unlink(missing_ok=True)
            files.write_atomically(place.folder / f"{place.record_id}{suffix}", data)
        if word_data is not None:
            files.write_atomically(place.word, word_data)
        files.write_atomically(place.yml, text.encode("utf-8"))
        url = f"/r/{place.village}/{place.year}/{place.section}/{place.record_id}?saved=1"
        return RedirectResponse(url, status_code=303)

    async def template(request: Request) -> Response:
        section = request.path_params["section"]
        if section not in KINDS or not KINDS[section].table_field:
            raise Refused("not_found", 404)
        folder = Path(tempfile.mkdtemp(prefix="desk-template-"))
        path = write_template(KINDS[section], folder / f"{section}-template.xlsx", catalogue)
        # The template is made afresh each time and removed once sent: nothing left behind.
        return FileResponse(path, filename=path.name, background=BackgroundTask(shutil.rmtree, folder, True))

    async def publish_page(request: Request) -> Response:
        return page(request, "publish.html", outcome=None, out=out)

    async def publish(request: Request) -> Response:
        await changed_form(request)
        outcome = await run_in_threadpool(publisher.publish)
        # Errors first, each leading to its record's form: they are what stops the publication.
        listed = {severity: [(problem, address_of(problem, content)) for problem in outcome.problems
                             if str(problem.severity) == severity] for severity in ("error", "finding")}
        return page(request, "publish.html", outcome=outcome, out=out, listed=listed)

    async def preview(request: Request) -> Response:
        """The record's page as it will be published, in the shell of the last publication (as
        `serve --watch` shows it); under /site/ so that its links to the site's assets resolve."""
        place = _place(request)
        if not place.yml.exists():
            raise Refused("not_found", 404)
        viewer = Preview(content, config, out, as_of)
        shown = await run_in_threadpool(viewer.show, [place.yml])
        html = viewer.page(f"{place.village}/{place.year}/{place.section}/{place.record_id}/index.html")
        if not shown or html is None:
            return page(request, "refused.html", 200, message=catalogue.text("desk.preview.unavailable"))
        return HTMLResponse(html)

    async def login(request: Request) -> Response:
        if request.method == "POST":
            form = await changed_form(request)
            if guard.check_password(str(form.get("password") or "")):
                session = secrets.token_urlsafe(24)
                guard.signed_in.add(session)
                response = RedirectResponse("/", status_code=303)
                response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
                return response
            return page(request, "login.html", 403, wrong=True)
        return page(request, "login.html", wrong=False)

    app = Starlette(routes=[
        Route("/", home),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/publish", publish_page),
        Route("/publish", publish, methods=["POST"]),
        Route("/template/{section}.xlsx", template),
        Route("/v/{village}/{year}", year_page),
        Route("/v/{village}/{year}/{section}/lists", list_upload, methods=["POST"]),
        Route("/b/{village}/{year}/{section}/{stem}", book_page),
        Route("/b/{village}/{year}/{section}/{stem}", book_upload, methods=["POST"]),
        Route("/r/{village}/{year}/{section}/{record_id}", record_page),
        Route("/r/{village}/{year}/{section}/{record_id}", save, methods=["POST"]),
        Route("/r/{village}/{year}/{section}/{record_id}/photos/{name}", photo),
        Route("/site/{village}/{year}/{section}/{record_id}/", preview),
        Mount("/static", StaticFiles(directory=DESK_THEME / "static")),
        # The published site as it stands, for the previews' stylesheets and links.
        Mount("/site", StaticFiles(directory=out, html=True, check_dir=False)),
    ], exception_handlers={Refused: lambda request, error: refused(request, error.key, error.status)})

    async def signed_in_only(request: Request, call_next: Any) -> Response:
        """With a password, nothing but the sign-in page before signing in."""
        if request.url.path in ("/login",) or request.url.path.startswith("/static/") or \
                guard.allowed(request.cookies.get(SESSION_COOKIE)):
            return await call_next(request)
        return RedirectResponse("/login", status_code=303)

    app.add_middleware(BaseHTTPMiddleware, dispatch=signed_in_only)
    if guard.password_hash is None:
        # On 127.0.0.1 only: a web page that renames its own address to this machine's (DNS
        # rebinding) would otherwise read the records, personal numbers and all, in the clerk's browser.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=sorted(LOCAL_HOSTS | {"[::1]"}))
    app.state.publisher = publisher
    return LimitBody(app, files.MAX_UPLOAD + 256 * 1024, catalogue.text("desk.refused.upload_size"))


async def _uploaded_workbook(form: Any) -> bytes:
    """The .xlsx workbook of the form's `book` field, within the upload limits; else refused."""
    upload = form.get("book")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise Refused("upload_missing", 400)
    data = await upload.read(files.MAX_UPLOAD + 1)
    if files.checked_upload(upload.filename, data) != ".xlsx":
        raise Refused("book_type", 415)
    return data


def _new_id(request: Request, year: str) -> str:
    """A new record's id until the clerk names it: today's date, as `new` names it."""
    day = date.today()
    return day.isoformat() if str(day.year) == year else f"{year}-new"
