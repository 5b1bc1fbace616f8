"""The demo under a sub-path (/cwgk/) of a real server, Debian's nginx, as a township hosts it
(issue 21): every href and src of every page found; an address that is missing answers with the
portal's 404 page, styled, in Chinese, its links leading home; every page valid HTML (the Nu HTML
Checker, no error)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser.test_accessibility import VNU
from tests.crawl import crawl, http_fetch

pytestmark = pytest.mark.browser

SUB_PATH = "/cwgk/"
# As the operator's guide gives it (docs/guide/operator.md), in a folder of its own: nginx in the
# foreground, one process, its pid, logs and scratch files in that folder.
CONFIG = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    location /cwgk/ {{
      error_page 404 /cwgk/404.html;
    }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo at http://127.0.0.1:<port>/cwgk/, served by nginx."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("Debian's nginx is not installed: run `make test`, which installs it")
    tmp = tmp_path_factory.mktemp("nginx")
    (tmp / "www").mkdir()
    (tmp / "www" / SUB_PATH.strip("/")).symlink_to(demo_out, target_is_directory=True)
    port = free_port()
    (tmp / "nginx.conf").write_text(CONFIG.format(tmp=tmp, port=port), encoding="utf-8")
    process = subprocess.Popen([binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}{SUB_PATH}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_every_link_of_every_page_is_found_under_the_sub_path(nginx: str, demo_out: Path):
    pages = sorted(path.relative_to(demo_out).as_posix().removesuffix("index.html") for path in demo_out.rglob("*.html"))
    result = crawl(http_fetch, [nginx + page for page in pages], nginx)
    assert result.broken == []
    assert result.pages == len(pages) > 400 and result.links > 10_000, (result.pages, result.links)
    # A root-absolute address (/assets/…) would be one of them: this host has nothing outside /cwgk/.


@pytest.mark.parametrize("missing", ["hekou/2026/party/no-such-notice/", "hekuo/", "no/such/page.html"])
def test_a_missing_address_shows_the_styled_404_with_links_home(nginx: str, browser, missing: str):
    status, kind, body = http_fetch(nginx + missing)
    assert status == 404 and "找不到这个页面" in body.decode("utf-8")
    context = browser.new_context()
    failed: list[str] = []
    try:
        page = context.new_page()

        def note(response) -> None:  # the page itself and the manifests looked for answer 404
            if response.status >= 400 and response.url != nginx + missing and not response.url.endswith("/manifest.json"):
                failed.append(f"{response.status} {response.url}")

        page.on("response", note)
        page.goto(nginx + missing)
        header = page.locator("header")
        assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(155, 28, 28)"
        assert page.locator("h1").inner_text() == "找不到这个页面"
        home = page.get_by_role("link", name="回到首页")
        # Found from the address, or (a village's name mistyped) from the portal's manifest.json.
        page.wait_for_function("a => a.href.endsWith('/cwgk/')", arg=home.element_handle(), timeout=10_000)
        assert page.get_by_role("link", name="搜索").get_attribute("href") == SUB_PATH + "search/"
        with page.expect_navigation():
            home.click()
        assert page.url == nginx and "村务公开" in page.title()
        assert failed == []
    finally:
        context.close()


def test_a_years_404_leads_to_its_year(nginx: str, browser, demo_out: Path):
    """A host that shows each year's own 404 page (a year exported and served alone, too)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        missing = nginx + "hekou/2026/party/no-such-notice/"
        body = (demo_out / "hekou" / "2026" / "404.html").read_text(encoding="utf-8")
        page.route(missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html; charset=utf-8"))
        page.goto(missing)
        assert page.get_by_role("link", name="回到首页").get_attribute("href") == SUB_PATH + "hekou/2026/"
    finally:
        context.close()


def test_every_page_is_valid_html(demo_out: Path):
    assert VNU.exists(), "vnu-jar is not installed: run `make test`, which installs it"
    files = sorted(demo_out.rglob("*.html"))
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{m.get('url', '').removeprefix(f'file:{demo_out}/')}:{m.get('lastLine', '?')}: {m['message']}"
              for m in messages]
    assert errors == [], "\n".join(errors[:30])
    assert run.returncode == 0 and len(files) > 400
