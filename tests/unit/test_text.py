"""A record's free text is typed by hand or pasted: it is shown as text, never run as markup."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from generator.render.text import render_markdown


def visible(rendered: str) -> str:
    """What a villager reads: the HTML without its tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


class _Elements(HTMLParser):
    """Tags and attributes as a browser parses them (so quoted text is not taken for an attribute)."""

    def __init__(self, rendered: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []
        self.feed(rendered)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [(name, value or "") for name, value in attrs]


def tags(rendered: str) -> set[str]:
    return _Elements(rendered).tags


def attributes(rendered: str) -> set[str]:
    return {name for name, _ in _Elements(rendered).attributes}


def urls(rendered: str) -> list[str]:
    """href/src values as the browser follows them (entities decoded once, by the parser)."""
    return [value for name, value in _Elements(rendered).attributes if name in ("href", "src", "action")]


def test_markdown_emphasis_lists_and_links_work():
    out = str(render_markdown("**注意** 和 *提醒*\n\n- 第一组\n- 第二组\n\n1. 报名\n2. 审核\n\n[县政府网站](https://www.example.gov.cn/a?b=1)"))
    assert "<strong>注意</strong>" in out and "<em>提醒</em>" in out
    assert "<ul>" in out and "<li>第一组</li>" in out
    assert "<ol>" in out and "<li>审核</li>" in out
    assert '<a href="https://www.example.gov.cn/a?b=1"' in out
    assert 'rel="noopener noreferrer nofollow"' in out


def test_line_breaks_the_clerk_typed_are_kept():
    out = str(render_markdown("1月28日：陈立新\n1月29日：刘国平"))
    assert "<br" in out


def test_headings_sit_below_the_page_headings():
    out = str(render_markdown("# 一、基本情况\n## 二、分配办法"))
    assert "<h1" not in out and "<h2" not in out
    assert "<h3>一、基本情况</h3>" in out


def test_empty_text_is_empty():
    assert str(render_markdown("")) == ""


HOSTILE = [
    pytest.param("<script>alert('x')</script>请注意", "alert('x')", id="script"),
    pytest.param('<img src=x onerror="alert(1)">', "onerror", id="img-onerror"),
    pytest.param("<iframe src='https://evil.example/'></iframe>", "iframe", id="iframe"),
    pytest.param('<a href="https://x.example" onclick="alert(1)">点我</a>', "点我", id="a-onclick"),
    pytest.param("<svg onload=alert(1)>", "svg", id="svg-onload"),
    pytest.param("x<br onmouseover=alert(1)>y", "onmouseover", id="br-event"),
    pytest.param("<style>body{display:none}</style>", "display:none", id="style"),
    pytest.param("<<script>script>alert(1)<</script>/script>", "alert(1)", id="nested-script"),
    pytest.param("<object data='x.swf'></object><embed src='x.swf'>", "x.swf", id="object-embed"),
    pytest.param("<form action='https://evil.example'><input name=a></form>", "evil", id="form"),
    pytest.param("<meta http-equiv='refresh' content='0;url=https://evil.example'>", "refresh", id="meta-refresh"),
]


@pytest.mark.parametrize(("text", "still_visible"), HOSTILE)
def test_raw_html_never_becomes_markup_but_stays_readable(text, still_visible):
    out = str(render_markdown(text))
    assert tags(out) <= {"p", "br"}, out
    assert not any(name.startswith("on") for name in attributes(out)), out
    assert still_visible in visible(out)


@pytest.mark.parametrize("text", [
    "[点我](javascript:alert(1))",
    "[点我](JavaScript:alert(1))",
    "[点我](  javascript:alert(1))",
    "[点我](java&#115;cript:alert(1))",
    "[点我](&#106;avascript:alert(1))",
    "[点我](vbscript:msgbox(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[点我][x]\n\n[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
])
def test_links_never_run_script_or_carry_data(text):
    out = str(render_markdown(text))
    for url in urls(out):
        # Browsers ignore leading spaces and control characters before a scheme.
        scheme = re.sub(r"[\x00-\x20]", "", url).lower()
        assert not scheme.startswith(("javascript:", "vbscript:", "data:")), out
    assert "点我" in visible(out) or "javascript:alert(1)" in visible(out)


@pytest.mark.parametrize("text", ["![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
                                  "![图](https://tracker.example/pixel.png)"])
def test_images_are_not_loaded(text):
    out = str(render_markdown(text))
    assert "<img" not in out and "src=" not in out


def test_title_attribute_cannot_smuggle_an_event():
    out = str(render_markdown('[x](https://a.example "t" onmouseover="alert(1)")'))
    assert not any(name.startswith("on") for name in attributes(out)), out


def test_ampersands_and_angle_brackets_read_as_typed():
    text = "收入 < 支出 & 需补 > 0"
    assert visible(str(render_markdown(text))).strip() == text


@pytest.mark.parametrize("text", ["`单价 < 100 & 数量 > 2`", "    单价 < 100 & 数量 > 2"])
def test_code_and_indented_text_read_as_typed(text):
    assert "单价 < 100 & 数量 > 2" in visible(str(render_markdown(text)))
