"""The township's signing key, in minisign's format, so that anyone can check a publication with
Debian's `minisign` alone:

    minisign -V -p minisign.pub -m public/manifest.json     # the portal root
    minisign -V -p minisign.pub -m public/hekou/log.jsonl   # a village's log head

The key is made by `village-portal key new` and kept outside the published folder; only the
public key is published. Signatures carry no time: Ed25519 is deterministic, so the same files
signed again give the same bytes and a rebuild that changes nothing rewrites nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import minisign

SIGNATURE_SUFFIX = ".minisig"
PUBLIC_KEY_FILE = "minisign.pub"
_UNTRUSTED = "signature from the village-portal township key"


class KeyProblem(ValueError):
    """A key that cannot be used: `reason` is a catalogue key under `key.`, `path` the key's file."""

    def __init__(self, reason: str, path: Path) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason, self.path = reason, path


@dataclass(frozen=True)
class SigningKey:
    secret: minisign.SecretKey
    public: str  # the public key's base64 line, as in minisign.pub

    def sign(self, data: bytes, trusted: str) -> bytes:
        """A `.minisig` file's bytes for `data`; `trusted` is the signed comment minisign shows."""
        signature = self.secret.sign(data, untrusted_comment=_UNTRUSTED, trusted_comment=trusted)
        return bytes(signature) + b"\n"


def public_key_text(public: str) -> str:
    """minisign.pub as minisign writes it."""
    key = minisign.PublicKey.from_base64(public)
    return bytes(key).decode("ascii") + "\n"


def new_key(secret_path: Path) -> tuple[Path, str]:
    """A new key pair: the secret key at `secret_path` (readable by its owner only, never
    overwritten), the public key beside it (`.pub`); returns that path and the public key."""
    if secret_path.exists():
        raise KeyProblem("exists", secret_path)
    pair = minisign.KeyPair.generate()
    secret_path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(bytes(pair.secret_key) + b"\n")
    public = pair.public_key.to_base64().decode("ascii")
    public_path = secret_path.with_suffix(".pub")
    public_path.write_text(public_key_text(public), encoding="ascii")
    return public_path, public


def load_key(secret_path: Path, out: Path) -> SigningKey:
    """The secret key at `secret_path`, refused inside the published folder `out` (where anyone
    could read it) or unreadable."""
    if secret_path.resolve().is_relative_to(out.resolve()):
        raise KeyProblem("inside_out", secret_path)
    try:
        secret = minisign.SecretKey.from_file(secret_path)
        if secret.is_encrypted():
            raise KeyProblem("encrypted", secret_path)
        public = minisign.PublicKey.from_secret_key(secret).to_base64().decode("ascii")
    except OSError:
        raise KeyProblem("unreadable", secret_path) from None
    except minisign.Error:
        raise KeyProblem("not_a_key", secret_path) from None
    return SigningKey(secret, public)


def read_public(text: str) -> str | None:
    """The base64 line of a public key given as minisign.pub's text or as the line alone."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("untrusted comment:")]
    if len(lines) != 1:
        return None
    try:
        minisign.PublicKey.from_base64(lines[0])
    except (minisign.Error, ValueError):
        return None
    return lines[0]


def check(public: str, data: bytes, signature: bytes) -> str | None:
    """None if `signature` (a .minisig file's bytes) is `public`'s signature of `data`, else why
    not (`signature_bad`, `signature_other_key`, `signature_unreadable`)."""
    try:
        parsed = minisign.Signature.from_bytes(signature.rstrip(b"\n"))
        key = minisign.PublicKey.from_base64(public)
    except (minisign.Error, ValueError, UnicodeDecodeError, IndexError):
        return "signature_unreadable"
    try:
        key.verify(data, parsed)
    except minisign.VerifyError as error:
        return "signature_other_key" if "identifier" in str(error) else "signature_bad"
    except (minisign.Error, ValueError):
        return "signature_bad"
    return None
