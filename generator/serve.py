"""Serve the published folder on 127.0.0.1 as a plain static host would, gzip included."""

from __future__ import annotations

import gzip
import os
from functools import lru_cache, partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".mjs"}
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
          ".pf_meta": "application/octet-stream", ".pf_fragment": "application/octet-stream",
          ".pf_index": "application/octet-stream", ".pagefind": "application/octet-stream",
          ".wasm": "application/wasm", ".csv": "text/csv; charset=utf-8"}


@lru_cache(maxsize=512)
def _gzipped(path: str, mtime: float) -> bytes:
    # Level 6, like most hosts; mtime=0 keeps the bytes the same for the same file.
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **_TYPES}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if os.environ.get("VILLAGE_PORTAL_SERVE_LOG"):
            super().log_message(format, *args)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in _COMPRESSIBLE):
            super().do_GET()
            return
        body = _gzipped(str(path), path.stat().st_mtime)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def make_server(out: Path, port: int) -> ThreadingHTTPServer:
    handler = partial(Handler, directory=str(out))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(out: Path, port: int) -> None:
    server = make_server(out, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
