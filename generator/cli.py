"""The `village-portal` command: build, check and serve a township's portals."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Callable

from generator import __version__

from generator.tools import archivist, desk, scaffold
from generator.archive.signing import KeyProblem
from generator.archive.published import export
from generator.engine import stopping
from generator.pipeline.build import build
from generator.pipeline.check import check, shard
from generator.pipeline.close import close
from generator.inputs.messages import Catalogue
from generator.render.pdf import PdfError
from generator.tools.preview import Preview, shells_folder
from generator.inputs.problems import InputError, Problems
from generator.tools.serve import Watcher, serve


def _paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="records folder (default: content)")
    parser.add_argument("--config", type=Path, default=Path("site_config"), help="settings folder (default: site_config)")
    parser.add_argument("--village", action="append", dest="villages", metavar="ID",
                        help="only this village (may be given more than once)")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages (default: zh)")
    parser.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help='the day the rules take as "today" (default: as_of in site_config, else today)')


def _force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="rebuild every village-year, also those published from the same records, "
                             "settings, day and tool (by default these are skipped as up to date)")


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("K/N, e.g. 1/4") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError("K/N with 1 <= K <= N, e.g. 1/4")
    return k, n


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="village-portal", description="村务公开网站生成工具")
    main.add_argument("--version", action="version", version=__version__)
    main.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    commands = main.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="check the records and build the portal")
    _paths(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")
    _force(build_cmd)
    archivist.key_option(build_cmd)
    build_cmd.add_argument("--pdf", action="store_true",
                           help="also print every bulletin to PDF with Debian's chromium (as print.pdf: true)")
    build_cmd.add_argument("--jobs", type=int, default=_cores(), metavar="N",
                           help="work in N processes: N village-years at once, or one village-year's record "
                                f"pages shared among them (default: this machine's cores, {_cores()})")
    build_cmd.add_argument("--shard", type=_shard, metavar="K/N",
                           help="only share K of N of the villages (sorted ids, every N-th from the K-th), "
                                "so a county's build can be spread over N machines")

    pdf_cmd = commands.add_parser("pdf", help="build with every bulletin printed to PDF (A4, for the notice board)")
    _paths(pdf_cmd)
    pdf_cmd.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")
    _force(pdf_cmd)
    archivist.key_option(pdf_cmd)
    pdf_cmd.add_argument("--year", type=int, metavar="YYYY", help="only this year (default: every year)")

    check_cmd = commands.add_parser("check", help="check the records only; write nothing")
    _paths(check_cmd)
    check_cmd.add_argument("--format", choices=["text", "json"], default="text")
    check_cmd.add_argument("--out", type=Path, default=Path("public"),
                           help="published folder, to check changes to closed years (default: public)")

    close_cmd = commands.add_parser("close", help="close a year: builds never rewrite it again")
    _paths(close_cmd)
    close_cmd.add_argument("--out", type=Path, default=Path("public"))
    close_cmd.add_argument("--year", type=int, required=True)
    archivist.key_option(close_cmd)

    archivist.add_commands(commands)  # verify, key

    export_cmd = commands.add_parser("export", help="one archive file of a village-year's snapshot")
    export_cmd.add_argument("--out", type=Path, default=Path("public"))
    export_cmd.add_argument("--village", required=True, metavar="ID")
    export_cmd.add_argument("--year", type=int, required=True)
    export_cmd.add_argument("--to", type=Path, help="archive file (default: <village>-<year>.tar.gz)")

    scaffold.add_commands(commands)  # new, template
    desk.add_command(commands)

    serve_cmd = commands.add_parser("serve", help="serve the output folder on 127.0.0.1")
    serve_cmd.add_argument("--out", type=Path, default=Path("public"))
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--watch", action="store_true",
                           help="rebuild when a file in --content or --config changes; open pages reload by themselves")
    _paths(serve_cmd)
    return main


def _report(problems: Problems, catalogue: Catalogue) -> None:
    for problem in problems:
        print(problem.render(catalogue), file=sys.stderr)
    print(catalogue.text("report.summary", errors=len(problems.errors), findings=len(problems.findings)),
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    catalogue = Catalogue(getattr(args, "lang", "zh"))
    with stopping.handled(catalogue.language):
        try:
            return _guarded(lambda: _run(args, catalogue), args, catalogue)
        except stopping.Stopped as stop:  # Ctrl+C, SIGTERM: one line, exit 130 or 143
            return stopping.ended(stop)


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _guarded(command: Callable[[], int], args: argparse.Namespace, catalogue: Catalogue) -> int:
    """Run a command; what goes wrong is told to the clerk in a sentence, with an exit code."""
    try:
        return command()
    except Exception as error:  # noqa: BLE001 - a clerk gets a sentence, not a traceback
        if stopping.requested() is not None:  # failed as it was being stopped: that is the stop
            raise stopping.Stopped(stopping.requested()) from None
        return _told(error, args, catalogue)


def _told(error: Exception, args: argparse.Namespace, catalogue: Catalogue) -> int:
    if isinstance(error, InputError):
        _report(error.problems, catalogue)
        print(catalogue.text("report.nothing_written"), file=sys.stderr)
        return 1
    if isinstance(error, KeyProblem):
        print(archivist.told(error, catalogue), file=sys.stderr)
        return 1
    if isinstance(error, PdfError):
        print(catalogue.text("report.pdf_failed", detail=str(error)), file=sys.stderr)
        return 2
    if args.debug:
        traceback.print_exception(error)
    print(catalogue.text("report.internal", detail=f"{type(error).__name__}: {error}"), file=sys.stderr)
    return 2


def _run(args: argparse.Namespace, catalogue: Catalogue) -> int:
    done = scaffold.run(args, catalogue)
    if done is None:
        done = archivist.run(args, catalogue)
    if done is None:
        done = desk.run(args, catalogue)
    if done is not None:
        return done
    if args.command == "check":
        checked = check(args.content, args.config, args.villages, args.lang, as_of=args.as_of, out=args.out,
                        jobs=_cores())
        if args.format == "json":
            payload = [problem.as_json(catalogue) for problem in checked.problems]
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        elif len(checked.problems):
            _report(checked.problems, catalogue)
        else:
            print(catalogue.text("report.clean"))
        return 1 if checked.problems.errors else 0
    if args.command in ("build", "pdf"):
        pdf = args.command == "pdf" or args.pdf
        years = [args.year] if args.command == "pdf" and args.year else None
        villages = args.villages
        if getattr(args, "shard", None):
            villages = shard(args.content, *args.shard, villages)
            if not villages:
                print(catalogue.text("report.built", count=0, out=args.out))
                return 0
        return _build(args, catalogue, villages, pdf, years)
    if args.command == "close":
        closed = close(args.content, args.config, args.out, args.year, args.villages, as_of=args.as_of, key=args.key)
        for village in closed:
            print(catalogue.text("report.closed", village=village.settings.name, year=args.year,
                                 notice=args.out / village.id / "closed" / str(args.year) / "index.html"))
        if not closed:
            print(catalogue.text("report.nothing_to_close", year=args.year))
        return 0
    if args.command == "export":
        destination = export(args.out, args.village, args.year, args.to or Path(f"{args.village}-{args.year}.tar.gz"))
        print(catalogue.text("report.exported", file=destination))
        return 0
    if args.command == "serve":
        watcher = None
        if args.watch:
            preview = Preview(args.content, args.config, args.out, args.as_of)
            watcher = Watcher([args.content, args.config],
                              lambda: _guarded(lambda: _build(args, catalogue, args.villages, shells=shells_folder(args.out)),
                                               args, catalogue) == 0, preview)
            print(catalogue.text("report.watching", content=args.content, config=args.config))
        print(catalogue.text("report.serving", port=args.port))
        serve(args.out, args.port, watcher)
        return 0
    return 2


def _build(args: argparse.Namespace, catalogue: Catalogue, villages: list[str] | None, pdf: bool = False,
           years: list[int] | None = None, shells: Path | None = None) -> int:
    checked = build(args.content, args.config, args.out, only=villages,
                    progress=lambda message: print(message, file=sys.stderr), as_of=args.as_of,
                    pdf=pdf, years=years, jobs=getattr(args, "jobs", _cores()), force=getattr(args, "force", False),
                    shells=shells, key=getattr(args, "key", None))
    if len(checked.problems):
        _report(checked.problems, catalogue)
    for warning in checked.warnings:
        print(warning.render(catalogue), file=sys.stderr)
    if checked.built and getattr(args, "key", None) is None:
        print(catalogue.text("key.unsigned"), file=sys.stderr)
    print(catalogue.text("report.built", count=len(checked.built), out=args.out))
    if pdf:
        print(catalogue.text("report.pdf_built"))
    return 0
