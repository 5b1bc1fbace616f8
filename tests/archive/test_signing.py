"""Signed publications: the township's key signs the portal root and every village's log head,
and Debian's `minisign` (not our code) checks them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.archive.signing import KeyProblem, load_key, new_key
from generator.archive.verify import verify
from generator.cli import main
from generator.pipeline.build import build
from generator.pipeline.close import close
from tests.archive.test_snapshots import AS_OF, village

MINISIGN = shutil.which("minisign")


@pytest.fixture
def signed(tmp_path: Path, site_config: Path) -> tuple[Path, Path, Path, Path]:
    content, config, out = village(tmp_path)
    public, _ = new_key(tmp_path / "keys" / "township.key")
    build(content, config, out, as_of=AS_OF, key=tmp_path / "keys" / "township.key")
    return content, config, out, public


def minisign_verifies(public: Path, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MINISIGN, "-V", "-p", str(public), "-m", str(path)], capture_output=True, text=True)


@pytest.mark.skipif(MINISIGN is None, reason="Debian's minisign is not installed: run `make test`, which installs it")
def test_minisign_verifies_the_portal_root_and_the_log_head_and_refuses_a_changed_one(signed):
    _, _, out, public = signed
    for path in (out / "manifest.json", out / "testv" / "log.jsonl"):
        result = minisign_verifies(public, path)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "log #1" in minisign_verifies(public, out / "testv" / "log.jsonl").stdout  # the head it signs
    assert (out / "minisign.pub").read_text() == public.read_text()  # the key is published
    log = out / "testv" / "log.jsonl"
    log.write_text(log.read_text(encoding="utf-8").replace('"year":2025', '"year":2024'), encoding="utf-8")
    assert minisign_verifies(public, log).returncode != 0


@pytest.mark.skipif(MINISIGN is None, reason="Debian's minisign is not installed: run `make test`, which installs it")
def test_the_closing_notice_prints_the_public_key_that_checks_the_log(signed, tmp_path):
    content, config, out, public = signed
    close(content, config, out, 2025, as_of=AS_OF, key=tmp_path / "keys" / "township.key")
    notice = (out / "testv" / "closed" / "2025" / "index.html").read_text(encoding="utf-8")
    key = public.read_text().splitlines()[1]  # minisign.pub: a comment, then the key
    assert f'<code class="vp-public-key">{key}</code>' in notice
    # The command printed under it, run by Debian's minisign with the key as printed (-P).
    command = f"minisign -V -P {key} -m public/testv/log.jsonl"
    assert command in notice
    result = subprocess.run([MINISIGN, "-V", "-P", key, "-m", str(out / "testv" / "log.jsonl")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_notice_closed_without_a_key_says_it_is_not_signed(tmp_path, site_config):
    content, config, out = village(tmp_path)
    build(content, config, out, as_of=AS_OF)
    close(content, config, out, 2025, as_of=AS_OF)
    notice = (out / "testv" / "closed" / "2025" / "index.html").read_text(encoding="utf-8")
    assert "这次发布没有签名" in notice and "vp-public-key" not in notice


def test_verify_with_the_key_and_without_one(signed, tmp_path, capsys):
    _, _, out, public = signed
    assert main(["verify", "--out", str(out), "--key", str(public)]) == 0
    assert "签名核对通过" in capsys.readouterr().out
    other, _ = new_key(tmp_path / "other" / "other.key")
    assert main(["verify", "--out", str(out), "--key", str(other)]) == 1
    assert "不是同一把" in capsys.readouterr().err


def test_a_portal_built_without_a_key_says_so_and_still_verifies(tmp_path, site_config, capsys):
    content, config, out = village(tmp_path)
    build(content, config, out, as_of=AS_OF)
    assert verify(out).failures == [] and not (out / "manifest.json.minisig").exists()
    assert main(["verify", "--out", str(out)]) == 0
    assert "没有签名" in capsys.readouterr().out
    public, _ = new_key(tmp_path / "keys" / "township.key")
    assert main(["verify", "--out", str(out), "--key", str(public)]) == 1  # asked for a signature: none
    assert "没有签名" in capsys.readouterr().err


def test_the_secret_key_is_never_published_nor_overwritten(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    with pytest.raises(KeyProblem) as inside:
        new_key(out / "township.key")
        load_key(out / "township.key", out)
    assert inside.value.reason == "inside_out"
    new_key(tmp_path / "township.key")
    with pytest.raises(KeyProblem) as again:
        new_key(tmp_path / "township.key")
    assert again.value.reason == "exists"
    assert (tmp_path / "township.key").stat().st_mode & 0o077 == 0
