"""Stage 6, index: Pagefind (extended) over one built site.

Only the part of a page marked `data-pagefind-body` (the record) is indexed, never the
navigation; `kind` and `year` are filters.

Pagefind cuts Chinese into words with its own dictionary when it indexes, and the browser cuts
the query with another (ICU's) when a reader searches: a query cut differently from the text
misses it (the text 自来水管网 is indexed as 自来|水管|网, so 管网 finds nothing). So Pagefind
is given the pages spelt out: every Chinese character a word of its own (a zero-width space on
each side, which Pagefind takes as a word break and which the published pages never get),
and the search page spells the query out the same way and looks for it as an exact phrase
(themes/overrides/assets/search.js): a record is found whenever its text holds the query.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import multiprocessing.util
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import NoReturn

import cbor2
from pagefind_bin_extended import get_executable as pagefind_executable

# Pagefind's data files: gzip of this signature followed by CBOR, named by the CBOR's SHA-1.
_SIGNATURE = b"pagefind_dcd"
# Chinese characters (unified ideographs, extension A, compatibility), as in search.js.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Either side of a Chinese character, unless a space is there already (in text between tags).
_CHARACTER_EDGE = re.compile(f"(?<=[{_HAN}])(?=\\S)|(?<=\\S)(?=[{_HAN}])")
_TAG = re.compile(r"(<[^>]*>)")
_BODY = "data-pagefind-body"
# Pagefind's other interfaces, which it hands over with every index: the search page loads its
# default one (pagefind-ui, themes/overrides/search.html), never these. Left out of the site,
# they would be 280 KB more of every year's archive, kept for good.
_NOT_LOADED = {"pagefind-component-ui.css", "pagefind-component-ui.js", "pagefind-modular-ui.css",
               "pagefind-modular-ui.js", "pagefind-highlight.js"}


class SearchIndexError(RuntimeError):
    pass


def spell_out(html: str) -> str:
    """The page with a zero-width space on either side of each Chinese character of its text;
    a filter's value (the text right after its tag) is left whole, since readers pick it."""
    parts = _TAG.split(html)
    for index in range(0, len(parts), 2):
        if parts[index].isascii():
            continue  # no Chinese in it (most text between tags is only white space)
        if index == 0 or "data-pagefind-filter" not in parts[index - 1]:
            parts[index] = _CHARACTER_EDGE.sub("\u200b", parts[index])
    return "".join(parts)


def to_index(html: str) -> bool:
    """Whether a page is indexed: only pages with a search body are, since Pagefind indexes
    nothing else once one page has it."""
    return _BODY in html


class _Service:
    """Pagefind's extended binary as a service (`pagefind --service`): messages in, replies out,
    each base64 of JSON followed by a comma, handled one after another in the order sent. A
    process keeps its one service for every index it makes (`_service`): the extended binary
    loads its dictionary of Chinese words, a fifth of a second, once, when a first page in Chinese
    comes, and `warm_up` has it do that while the build does something else."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # what it says if it stops, for the error
        self.process = subprocess.Popen([str(pagefind_executable()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log)
        self.pid = os.getpid()
        self.sent = 0
        self.unread = b""

    def post(self, payload: dict) -> int:
        """Send a message without waiting for its reply; returns its number, for `reply`. Nothing
        is left in a buffer: a process forked meanwhile would send it again as it ends."""
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False)
        try:
            self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self.process.stdin.flush()
        except OSError:
            self._stopped()
        return self.sent

    def new_index(self) -> int:
        """A new index's number (once the messages before are handled)."""
        return self.reply(self.post({"type": "NewIndex"}))["index_id"]

    def reply(self, message: int) -> dict:
        """The reply to a message posted. Replies come in the order posted: those to the messages
        before it are read on the way, and fail the same way if one is an error."""
        while True:
            while b"," not in self.unread:
                chunk = self.process.stdout.read1(1 << 16)
                if not chunk:
                    self._stopped()
                self.unread += chunk
            encoded, _, self.unread = self.unread.partition(b",")
            answer = json.loads(base64.b64decode(encoded))
            if answer["payload"].get("type") == "Error":
                raise SearchIndexError(f"pagefind: {answer['payload'].get('message')}")
            if answer.get("message_id") == message:
                return answer["payload"]

    def _stopped(self) -> NoReturn:
        self.process.kill()
        self.log.seek(0)
        raise SearchIndexError(f"pagefind stopped: {self.log.read().decode('utf-8', 'replace')[-2000:]}")


_SERVICE: _Service | None = None
# A page in Chinese, for the service to load its dictionary on.
_WARM_UP = '<html lang="zh"><body><main data-pagefind-body><p>村务公开</p></main></body></html>'


def _service() -> _Service:
    """This process's service (a process forked from one that has a service starts its own).
    It ends with the process, which waits for it: its CPU time is then counted as the
    process's children's, and no process is left for the system to reap."""
    global _SERVICE
    if _SERVICE is None or _SERVICE.pid != os.getpid() or _SERVICE.process.poll() is not None:
        _SERVICE = _Service()
        # Run as the process ends: by atexit in the main process, by multiprocessing in a worker
        # (which ends without atexit).
        multiprocessing.util.Finalize(None, _end, args=(_SERVICE.process,), exitpriority=0)
    return _SERVICE


def _end(process: subprocess.Popen) -> None:
    """A service ends when its input does."""
    try:
        process.stdin.close()
    except OSError:
        pass  # it had ended: what was left to send could not be
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def warm_up() -> None:
    """Have this process's service load its dictionary now, in an index of its own, without
    waiting for it: the next index waits only for what is left of that."""
    service = _service()
    index = service.new_index()
    service.post({"type": "AddFile", "index_id": index, "file_path": "index.html", "file_contents": _WARM_UP})
    service.post({"type": "DeleteIndex", "index_id": index})


class Indexing:
    """A site's index, made by this process's service while the build goes on: pages are given
    as they are written (`add`), the others when it is sealed. Pagefind numbers pages in the
    order it is given them: the same pages, given in the same order, make the same index."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.service = _service()
        self.index: int | None = None  # made with the first page: the service may be warming up
        self.given: set[str] = set()
        self.files: int | None = None  # the message that asks for the index's files, once sealed

    def add(self, path: str, spelt_out: str) -> None:
        """A page of the site (its path in it), spelt out (`spell_out`)."""
        if self.index is None:
            self.index = self.service.new_index()
        self.service.post({"type": "AddFile", "index_id": self.index, "file_path": path, "file_contents": spelt_out})
        self.given.add(path)

    def seal(self) -> None:
        """Give the pages of the site not given yet (in the order of their paths), and have the
        index made: the build goes on meanwhile, until `finish`."""
        for page in sorted(self.site_dir.rglob("*.html")):
            path = page.relative_to(self.site_dir).as_posix()
            if path not in self.given:
                html = page.read_text(encoding="utf-8")
                if to_index(html):
                    self.add(path, spell_out(html))
        if self.index is None:
            raise SearchIndexError(f"nothing to index in {self.site_dir}")
        self.files = self.service.post({"type": "GetFiles", "index_id": self.index})

    def finish(self) -> None:
        """Wait for the index, and write it into the site (`pagefind/`). The service hands its
        files over rather than writes them: it would answer before its writes are done."""
        if self.files is None:
            self.seal()
        reply = self.service.reply(self.files)
        self.service.post({"type": "DeleteIndex", "index_id": self.index})
        files = {file["path"]: base64.b64decode(file["content"]) for file in reply["files"]
                 if file["path"] not in _NOT_LOADED}
        for path, content in canonical(files).items():
            target = self.site_dir / "pagefind" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)


def _decode(data: bytes) -> object:
    return cbor2.loads(gzip.decompress(data)[len(_SIGNATURE):])


def _encode(stem: str, digits: int, value: object) -> tuple[str, bytes]:
    """A data file as Pagefind makes it: its name (without suffix), named by its content, and its bytes."""
    body = cbor2.dumps(value)
    return f"{stem}_{hashlib.sha1(body).hexdigest()[:digits]}", gzip.compress(_SIGNATURE + body, compresslevel=9,
                                                                               mtime=0)


def canonical(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind writes filter values in hash-map order, which changes from run to run; sort them
    (and the filters in the meta file) so the same pages always give the same bytes. `files`:
    path in the index → bytes."""
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for language, info in entry["languages"].items():
        meta = _decode(files.pop(f"pagefind.{info['hash']}.pf_meta"))
        renamed = []
        for filter_name, filter_hash in meta[3]:
            name, values = _decode(files.pop(f"filter/{filter_hash}.pf_filter"))
            stem, data = _encode(language, 7, [name, sorted(values)])
            files[f"filter/{stem}.pf_filter"] = data
            renamed.append([filter_name, stem])
        meta[3] = sorted(renamed)
        stem, data = _encode(f"pagefind.{language}", 10, meta)
        files[f"{stem}.pf_meta"] = data
        info["hash"] = stem.removeprefix("pagefind.")
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files
