"""A link crawler for the tests of issue 21: every href and src of every page, resolved against
the page's address as a browser resolves it (a <base> too), each followed once.

`crawl(fetch, start)` works over anything that answers an address with (status, content type,
body): a real server (`http_fetch`) or an unpacked folder served as a plain static host serves it
(`folder_fetch`).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

Fetch = Callable[[str], tuple[int, str, bytes]]
REFRESH = re.compile(r"^\s*\d+\s*;\s*url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
NOT_FOLLOWED = ("mailto:", "tel:", "javascript:", "data:", "blob:")


class Links(HTMLParser):
    """The addresses a page names: a, link, area's href; img, script, source, iframe, audio,
    video's src; each srcset candidate; a meta refresh's target; and the page's <base>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"]
        elif tag in ("a", "link", "area") and "href" in values:
            self.found.append(values["href"])
        if "src" in values and tag in ("img", "script", "source", "iframe", "audio", "video", "embed", "track"):
            self.found.append(values["src"])
        for candidate in values.get("srcset", "").split(","):
            if candidate.strip():
                self.found.append(candidate.split()[0])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = REFRESH.match(values.get("content", ""))
            if match:
                self.found.append(match.group(1))


def links_of(page_url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    base = urljoin(page_url, parser.base) if parser.base else page_url
    return [urljoin(base, href.strip()) for href in parser.found if href.strip() and not href.strip().startswith("#")
            and not href.strip().lower().startswith(NOT_FOLLOWED)]


@dataclass
class Crawl:
    pages: int = 0
    checked: int = 0  # distinct addresses followed
    links: int = 0  # every href/src seen on every page
    broken: list[str] = field(default_factory=list)  # "page → address (status)"
    html: dict[str, str] = field(default_factory=dict)  # every page's address → its text


def crawl(fetch: Fetch, start: list[str], inside: str) -> Crawl:
    """Follow every link from `start`, fetching each address once; addresses outside the prefix
    `inside` on the same host are fetched (they must exist) but not crawled further; other hosts
    are not fetched."""
    result = Crawl()
    status: dict[str, int] = {}
    queue = [(url, "(start)") for url in start]
    host = urlsplit(inside).netloc
    while queue:
        url, referrer = queue.pop()
        if urlsplit(url).netloc != host:
            continue
        address = urlunsplit(urlsplit(url)._replace(fragment=""))
        if address not in status:
            code, kind, body = fetch(address)
            status[address] = code
            result.checked += 1
            if code == 200 and kind.startswith("text/html") and address.startswith(inside):
                result.pages += 1
                text = body.decode("utf-8")
                result.html[address] = text
                found = links_of(address, text)
                result.links += len(found)
                queue += [(link, address) for link in found]
        if status[address] != 200:
            result.broken.append(f"{referrer} → {address} ({status[address]})")
    return result


def http_fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def folder_fetch(folder: Path, prefix: str) -> Fetch:
    """The folder as a plain static host serves it at `prefix`: a folder's address answers with
    its index.html; anything else that is not a file there is a 404."""
    def fetch(url: str) -> tuple[int, str, bytes]:
        path = unquote(urlsplit(url).path)
        if not path.startswith(urlsplit(prefix).path):
            return 404, "", b""
        target = folder / path[len(urlsplit(prefix).path):]
        if target.is_dir():
            target = target / "index.html"
        if ".." in Path(path).parts or not target.is_file():
            return 404, "", b""
        return 200, "text/html" if target.suffix == ".html" else "application/octet-stream", target.read_bytes()
    return fetch
