"""A county archivist's tamper campaign on the demo portal: every published file is under one
signed root, and `verify` names every change (a byte flipped, a file deleted, a file added, a
whole year or village gone, a redirect changed, a log line damaged) by its path, without a
traceback."""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from generator.archive.portal_manifest import seal
from generator.archive.signing import load_key, new_key
from generator.cli import main

FILES = 200  # random files, each flipped, deleted and given a neighbour: 600 cases


@pytest.fixture(scope="module")
def signed_demo(demo_out: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the demo portal sealed with a new key (as `build --key` seals it), and the
    public key's file."""
    folder = tmp_path_factory.mktemp("tamper")
    out = folder / "public"
    shutil.copytree(demo_out, out)
    public, _ = new_key(folder / "keys" / "township.key")
    seal(out, load_key(folder / "keys" / "township.key", out))
    return out, public


def run_verify(out: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, str]:
    code = main(["verify", "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def assert_caught(out: Path, target: Path, capsys: pytest.CaptureFixture, what: str) -> None:
    code, text = run_verify(out, capsys)
    assert code == 1, f"{what} {target}: not caught\n{text}"
    assert str(target) in text, f"{what} {target}: not named\n{text}"
    assert "Traceback" not in text and "程序内部出错" not in text, text


def kind_of(relative: str) -> str:
    """A file's kind, for choosing some of every kind."""
    parts = relative.split("/")
    if len(parts) == 1 or parts[0] == "assets":
        return f"portal:{parts[0] if parts[0] == 'assets' else parts[-1]}"
    if len(parts) == 2:
        return f"village:{parts[1]}"
    if parts[1] in ("latest", "changes", "closed"):
        return f"village:{parts[1]}"
    if len(parts) == 3:
        return f"year:{parts[2]}"
    return f"year:{parts[2]}/{parts[-1].rsplit('.', 1)[-1]}"


def chosen_files(out: Path, count: int) -> list[Path]:
    """`count` files chosen at random, with at least one of every kind."""
    every = sorted(path for path in out.rglob("*") if path.is_file())
    by_kind: dict[str, list[Path]] = defaultdict(list)
    for path in every:
        by_kind[kind_of(path.relative_to(out).as_posix())].append(path)
    rng = random.Random(21)
    chosen = {rng.choice(paths) for paths in by_kind.values()}
    rest = [path for path in every if path not in chosen]
    chosen |= set(rng.sample(rest, count - len(chosen)))
    return sorted(chosen)


def test_the_demo_verifies_signed_and_by_the_given_key(signed_demo, capsys):
    out, public = signed_demo
    code, text = run_verify(out, capsys, "--key", str(public))
    assert code == 0, text
    assert "签名核对通过" in text


def test_every_file_flipped_deleted_or_given_a_neighbour_is_named(signed_demo, capsys):
    out, _ = signed_demo
    rng = random.Random(2121)
    caught = 0
    files = chosen_files(out, FILES)
    assert len(files) >= FILES
    for target in files:
        original = target.read_bytes()
        flipped = bytearray(original)
        at = rng.randrange(len(flipped))
        flipped[at] ^= rng.randrange(1, 256)
        target.write_bytes(bytes(flipped))
        assert_caught(out, target, capsys, "byte flipped in")
        target.write_bytes(original)

        target.unlink()
        assert_caught(out, target, capsys, "deleted")
        target.write_bytes(original)

        neighbour = target.with_name("x" + target.name)
        neighbour.write_bytes(b"<p>added</p>\n")
        assert_caught(out, neighbour, capsys, "added beside")
        neighbour.unlink()
        caught += 3
    assert caught == 3 * len(files)
    assert run_verify(out, capsys)[0] == 0  # every change was undone


@pytest.mark.parametrize("damage", ["year", "village", "feed", "redirect", "log_line", "unsigned"])
def test_whole_parts_removed_or_changed_are_named(signed_demo, tmp_path, capsys, damage):
    pristine, _ = signed_demo
    out = tmp_path / "public"
    shutil.copytree(pristine, out, copy_function=_link)
    village = out / "hekou"
    if damage == "year":
        shutil.rmtree(village / "2025")
        named = village / "2025"
    elif damage == "village":
        shutil.rmtree(village)
        named = village / "manifest.json"
    elif damage == "feed":
        (village / "feed.xml").unlink()
        named = village / "feed.xml"
    elif damage == "redirect":
        named = next(village.glob("latest/*/index.html"))
        _rewrite(named, named.read_text(encoding="utf-8").replace("../../2026/", "https://example.invalid/"))
    elif damage == "log_line":  # one bad byte, as `printf '\xa1' | dd ... seek=371` writes it
        named = village / "2026" / "log.jsonl"
        data = bytearray(named.read_bytes())
        data[371] = 0xA1
        _rewrite(named, bytes(data))
    else:  # the signature removed and the manifest re-made without one: caught with --key
        (out / "manifest.json.minisig").unlink()
        named = out / "manifest.json.minisig"
    assert_caught(out, named, capsys, damage) if damage != "unsigned" else None
    if damage == "unsigned":
        code, text = run_verify(out, capsys, "--key", str(pristine.parent / "keys" / "township.pub"))
        assert code == 1 and str(named) in text and "Traceback" not in text


def _link(source: str, target: str) -> None:
    """Hard links: each case gets its own tree in no time; a file changed is replaced, not written into."""
    Path(target).hardlink_to(source)


def _rewrite(path: Path, data: str | bytes) -> None:
    path.unlink()
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
