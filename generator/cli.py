"""The `village-portal` command: build, check and serve a township's portals."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from datetime import date
from pathlib import Path

from generator import __version__
from generator.build import build, check
from generator.messages import Catalogue
from generator.problems import InputError, Problems
from generator.serve import serve


def _paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="records folder (default: content)")
    parser.add_argument("--config", type=Path, default=Path("site_config"), help="settings folder (default: site_config)")
    parser.add_argument("--village", action="append", dest="villages", metavar="ID",
                        help="only this village (may be given more than once)")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages (default: zh)")
    parser.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help='the day the rules take as "today" (default: as_of in site_config, else today)')


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="village-portal", description="村务公开网站生成工具")
    main.add_argument("--version", action="version", version=__version__)
    main.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    commands = main.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="check the records and build the portal")
    _paths(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")

    check_cmd = commands.add_parser("check", help="check the records only; write nothing")
    _paths(check_cmd)
    check_cmd.add_argument("--format", choices=["text", "json"], default="text")

    serve_cmd = commands.add_parser("serve", help="serve the output folder on 127.0.0.1")
    serve_cmd.add_argument("--out", type=Path, default=Path("public"))
    serve_cmd.add_argument("--port", type=int, default=8000)
    return main


def _report(problems: Problems, catalogue: Catalogue) -> None:
    for problem in problems:
        print(problem.render(catalogue), file=sys.stderr)
    print(catalogue.text("report.summary", errors=len(problems.errors), findings=len(problems.findings)),
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    catalogue = Catalogue(getattr(args, "lang", "zh"))
    try:
        return _run(args, catalogue)
    except InputError as failure:
        _report(failure.problems, catalogue)
        print(catalogue.text("report.nothing_written"), file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a clerk gets a sentence, not a traceback
        if args.debug:
            traceback.print_exc()
        print(catalogue.text("report.internal", detail=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, catalogue: Catalogue) -> int:
    if args.command == "check":
        checked = check(args.content, args.config, args.villages, args.lang, as_of=args.as_of)
        if args.format == "json":
            payload = [problem.as_json(catalogue) for problem in checked.problems]
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        elif len(checked.problems):
            _report(checked.problems, catalogue)
        else:
            print(catalogue.text("report.clean"))
        return 1 if checked.problems.errors else 0
    if args.command == "build":
        checked = build(args.content, args.config, args.out, args.villages,
                        progress=lambda message: print(message, file=sys.stderr), as_of=args.as_of)
        if len(checked.problems):
            _report(checked.problems, catalogue)
        count = sum(len(village.years) for village in checked.villages)
        print(catalogue.text("report.built", count=count, out=args.out))
        return 0
    if args.command == "serve":
        print(catalogue.text("report.serving", port=args.port))
        serve(args.out, args.port)
        return 0
    return 2
