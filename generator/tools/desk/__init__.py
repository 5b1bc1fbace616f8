"""`village-portal desk`: the clerk's desk, a local web application that finds, writes, checks and
publishes records without touching a file by hand (issue 23)."""

from __future__ import annotations

import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

from generator.inputs.messages import Catalogue


def add_command(commands: Any) -> None:
    desk_cmd = commands.add_parser("desk", help="the clerk's desk: write, check and publish records in a browser")
    desk_cmd.add_argument("--content", type=Path, default=Path("content"), help="records folder (default: content)")
    desk_cmd.add_argument("--config", type=Path, default=Path("site_config"), help="settings folder (default: site_config)")
    desk_cmd.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")
    desk_cmd.add_argument("--host", default="127.0.0.1",
                          help="address to listen on (default: 127.0.0.1, this machine only; any other needs --password)")
    desk_cmd.add_argument("--port", type=int, default=8001)
    desk_cmd.add_argument("--password", help="required to listen on any address but this machine's")
    desk_cmd.add_argument("--as-of", type=date.fromisoformat, metavar="YYYY-MM-DD",
                          help='the day the rules take as "today" (default: as_of in site_config, else today)')


def run(args: Any, catalogue: Catalogue) -> int | None:
    """Serve the desk until stopped (cli.py ends the command on Ctrl+C); None for other commands."""
    if args.command != "desk":
        return None
    import uvicorn

    from generator.tools.desk.app import create_app
    from generator.tools.desk.guard import Guard

    try:
        guard = Guard.for_bind(args.host, args.password)
    except PermissionError as refused:
        print(catalogue.text(str(refused), host=args.host), file=sys.stderr)
        return 2
    app = create_app(args.content, args.config, args.out, guard, args.as_of)
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning",
                                           access_log=False, lifespan="off"))
    # The server answers from a thread of its own; builds run in this, the main thread, where a
    # stop is taken (as `serve --watch` does): the desk ends at once on Ctrl+C, quietly.
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    print(catalogue.text("desk.serving", host=args.host, port=args.port))
    stop = threading.Event()
    try:
        app.app.state.publisher.loop(stop)
    finally:
        stop.set()
        server.should_exit = True
        thread.join(timeout=2)
    return 0
