"""Serve the published folder on 127.0.0.1 as a plain static host would, gzip included.

With `--watch`, a clerk sees an edit in the browser without reloading: the records and settings
folders are polled for changed files, the edited records' pages are shown at once (preview.py),
an incremental build follows each change, and the pages served (never the published files)
carry a few lines of script that reload the page when the server's count of finished builds
moves. A failed build changes nothing, so the last good site stays served.
"""

from __future__ import annotations

import gzip
import os
import stat
import threading
import urllib.request
from functools import lru_cache, partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from generator.tools.preview import Preview

_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".mjs"}
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
          ".pf_meta": "application/octet-stream", ".pf_fragment": "application/octet-stream",
          ".pf_index": "application/octet-stream", ".pagefind": "application/octet-stream",
          ".wasm": "application/wasm", ".csv": "text/csv; charset=utf-8"}


@lru_cache(maxsize=512)
def _gzipped(path: str, mtime: float) -> bytes:
    # Level 6, like most hosts; mtime=0 keeps the bytes the same for the same file.
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


RELOAD_PATH = "/__vp_reload"
POLL_SECONDS = 0.5
# The page asks for the count of finished builds every half second and reloads when it is not
# the count the page was served with.
_RELOAD_SCRIPT = ("<script>(function(){{var built='{builds}';setInterval(function(){{"
                  "fetch('" + RELOAD_PATH + "',{{cache:'no-store'}}).then(function(r){{return r.text()}})"
                  ".then(function(n){{if(n!==built)location.reload()}}).catch(function(){{}})}}," +
                  str(int(POLL_SECONDS * 1000)) + ")}})()</script>")


def finished_builds(url: str) -> int:
    """The count of finished builds a watching server at `url` reports; -1 while it cannot say."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + RELOAD_PATH, timeout=2) as response:
            return int(response.read())
    except (OSError, ValueError):
        return -1


def _state(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Every file's time and size: a poll costs a stat per file, no file is read."""
    state = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                found = path.stat()
            except OSError:
                continue  # removed while we looked: the next poll sees it gone
            if stat.S_ISREG(found.st_mode):
                state[path] = (found.st_mtime_ns, found.st_size)
    return state


class Watcher:
    """Polls folders for added, removed or changed files; `rebuild` runs after each change (the
    first poll counts as one), and `builds` counts those that succeeded. With a `preview`, the
    changed files are shown by it first, served until the build is done (a count of its own)."""

    def __init__(self, folders: list[Path], rebuild: Callable[[], bool], preview: Preview | None = None) -> None:
        self.folders = folders
        self.rebuild = rebuild
        self.preview = preview
        self.builds = 0
        self._seen: dict[Path, tuple[int, int]] | None = None

    def poll(self) -> None:
        state = _state(self.folders)
        if state == self._seen:
            return
        seen, self._seen = self._seen, state
        if seen is not None and self.preview is not None:
            changed = [path for path in state.keys() | seen.keys() if state.get(path) != seen.get(path)]
            if self.preview.show(changed):
                self.builds += 1
        built = self.rebuild()
        if self.preview is not None and self.preview.pages:
            self.preview.clear()
            built = True  # the pages go back to the published ones, whatever the build did
        if built:
            self.builds += 1

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.poll()
            stop.wait(POLL_SECONDS)


class Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **_TYPES}

    def __init__(self, *args: object, watcher: Watcher | None = None, **kwargs: object) -> None:
        self.watcher = watcher  # set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if os.environ.get("VILLAGE_PORTAL_SERVE_LOG"):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.watcher is not None and self.path.split("?", 1)[0] == RELOAD_PATH:
            self._send(str(self.watcher.builds).encode(), "text/plain; charset=utf-8", gzipped=False)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        preview = self._preview(path)
        if self.watcher is not None and (preview is not None or path.is_file() and path.suffix == ".html"):
            page = preview if preview is not None else path.read_bytes()
            script = _RELOAD_SCRIPT.format(builds=self.watcher.builds).encode()
            at = page.rfind(b"</body>")
            body = page[:at] + script + page[at:] if at >= 0 else page + script
            self._send(gzip.compress(body, mtime=0) if accepts_gzip else body, self.guess_type(str(path)),
                       gzipped=accepts_gzip)
            return
        if not (accepts_gzip and path.is_file() and path.suffix in _COMPRESSIBLE):
            super().do_GET()
            return
        self._send(_gzipped(str(path), path.stat().st_mtime), self.guess_type(str(path)), gzipped=True)

    def _preview(self, path: Path) -> bytes | None:
        if self.watcher is None or self.watcher.preview is None:
            return None
        try:
            return self.watcher.preview.page(path.relative_to(self.directory).as_posix())
        except ValueError:
            return None

    def _send(self, body: bytes, content_type: str, gzipped: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def make_server(out: Path, port: int, watcher: Watcher | None = None) -> ThreadingHTTPServer:
    handler = partial(Handler, directory=str(out), watcher=watcher)
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(out: Path, port: int, watcher: Watcher | None = None) -> None:
    """Serve until stopped (Ctrl+C, SIGTERM: cli.py ends the command); with a watcher, rebuild on
    every change. The server answers from a thread of its own, and the builds run in this one,
    the main thread, where a stop is taken: a build stops with the command, as `build` does."""
    server = make_server(out, port, watcher)
    if watcher is not None:
        out.mkdir(parents=True, exist_ok=True)  # served before the first build has finished
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        if watcher is None:
            threading.Event().wait()
        else:
            watcher.run(threading.Event())
    finally:
        server.shutdown()
        server.server_close()
