"""QR codes are made once per machine and reused by later builds (render._qr): a reused code must
be the very code made for its text and size, never another page's."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.render import pages as render
from generator.fs.paths import TEMPLATE_CACHE

PAGE = "https://cun.example.cn/v001/2026/affairs/2026-03-dibao/"
OTHER = "https://cun.example.cn/v001/2026/affairs/2026-04-flood-duty/"


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(TEMPLATE_CACHE, "directory", str(tmp_path))
    return tmp_path


def kept(machine: Path) -> int:
    return len(list(render.qr_folder().glob("*.svg")))


def test_each_text_and_size_keeps_its_own_code(machine: Path):
    printed = render.qr_code(PAGE)
    assert kept(machine) == 1
    other, screen = render.qr_code(OTHER), render.qr_svg(PAGE)
    assert len({printed, other, screen}) == 3
    assert kept(machine) == 3
    assert render.qr_code(PAGE) == printed and render.qr_code(OTHER) == other and render.qr_svg(PAGE) == screen
    assert kept(machine) == 3


def test_a_kept_code_is_read_back_as_made(machine: Path, tmp_path_factory: pytest.TempPathFactory,
                                          monkeypatch: pytest.MonkeyPatch):
    made = render.qr_code(PAGE)

    def refuse(*args, **kwargs):
        raise AssertionError("made again")

    with monkeypatch.context() as patched:
        patched.setattr(render.segno, "make", refuse)
        assert render.qr_code(PAGE) == made  # read, not made
        with pytest.raises(AssertionError, match="made again"):
            render.qr_code(OTHER)
    # On a machine that has none kept, the same code is made.
    monkeypatch.setattr(TEMPLATE_CACHE, "directory", str(tmp_path_factory.mktemp("another-machine")))
    assert render.qr_code(PAGE) == made


def test_a_code_that_cannot_be_kept_is_made_all_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(TEMPLATE_CACHE, "directory", str(blocked))  # nothing can be written under a file
    code = render.qr_code(PAGE)
    assert code.startswith("<svg") and code == render.qr_code(PAGE)
