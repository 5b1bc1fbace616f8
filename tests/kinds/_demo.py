"""Demo records (content/<village>/<year>/…) copied into the test village `testv`, so that a
kind's rules are tested by breaking a record the demo really publishes."""

from __future__ import annotations

from tests.builder import Portal
from tests.conftest import ROOT


def demo_text(village: str, relative: str) -> str:
    return (ROOT / "content" / village / relative).read_text(encoding="utf-8")


def copy_demo(portal: Portal, village: str, *relatives: str, changed: dict[str, str] | None = None) -> None:
    """Copy each `<year>/<section>/<file>` of the demo village into `testv` as it is, or as
    `changed` gives it (by the same relative path), with its folder of photos and scans."""
    for relative in relatives:
        text = (changed or {}).get(relative)
        source = ROOT / "content" / village / relative
        portal.write(f"content/testv/{relative}", text.encode("utf-8") if text is not None else source.read_bytes())
        # The record's photos and scans, in the folder of its name beside it.
        folder = source.with_suffix("")
        for attachment in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if attachment.is_file():
                portal.write(f"content/testv/{attachment.relative_to(ROOT / 'content' / village)}", attachment.read_bytes())


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str, after: int = 0) -> int:
    """The line number of the first line at or after line `after` that contains `needle`."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if number >= after and needle in line)


def only(problems, key: str):
    """The one problem of that key among `problems`."""
    found = [p for p in problems if p.key == key]
    assert len(found) == 1, [p.key for p in problems]
    return found[0]
