"""The archivist's commands: `key new` (the township's signing key) and `verify` (the published
folder as it was published, and signed by that key)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from generator.archive.signing import KeyProblem, new_key
from generator.archive.verify import verify
from generator.inputs.messages import Catalogue

KEY_VARIABLE = "VILLAGE_PORTAL_KEY"  # where builds find the secret key when --key is not given


def key_option(parser: argparse.ArgumentParser) -> None:
    """`--key` of the commands that publish."""
    parser.add_argument("--key", type=Path, default=Path(os.environ[KEY_VARIABLE]) if os.environ.get(KEY_VARIABLE) else None,
                        metavar="FILE", help=f"the township's secret signing key, outside the output folder "
                                             f"(default: ${KEY_VARIABLE}; none: the publication is not signed)")


def add_commands(commands: Any) -> None:
    verify_cmd = commands.add_parser("verify", help="prove the published folder is as it was published")
    verify_cmd.add_argument("--out", type=Path, default=Path("public"))
    verify_cmd.add_argument("--key", metavar="PUBLIC_KEY",
                            help="the township's public key (minisign.pub or its RW… line): every signature must be its")
    verify_cmd.add_argument("--lang", default="zh", choices=["zh", "en"])

    key_cmd = commands.add_parser("key", help="the township's signing key")
    key_actions = key_cmd.add_subparsers(dest="key_action", required=True)
    new_cmd = key_actions.add_parser("new", help="make a signing key pair (the secret key never goes into the output)")
    new_cmd.add_argument("--to", type=Path, default=Path("keys/township.key"),
                         help="the secret key file; the public key is written beside it as .pub "
                              "(default: keys/township.key)")
    new_cmd.add_argument("--lang", default="zh", choices=["zh", "en"])


def run(args: argparse.Namespace, catalogue: Catalogue) -> int | None:
    """Run `verify` or `key`; None for any other command."""
    if args.command == "verify":
        return _verify(args, catalogue)
    if args.command == "key":
        try:
            public_path, public = new_key(args.to)
        except KeyProblem as problem:
            print(told(problem, catalogue), file=sys.stderr)
            return 1
        print(catalogue.text("key.created", secret=args.to, public=public_path, public_key=public))
        return 0
    return None


def told(problem: KeyProblem, catalogue: Catalogue) -> str:
    return catalogue.text(f"key.{problem.reason}", path=problem.path)


def _verify(args: argparse.Namespace, catalogue: Catalogue) -> int:
    key = args.key
    if key is not None and Path(key).is_file():
        key = Path(key).read_text(encoding="utf-8", errors="replace")
    report = verify(args.out, key)
    for failure in report.failures:
        print(f"{failure.path}: {catalogue.text('verify.' + failure.key, detail=failure.detail)}", file=sys.stderr)
    if report.failures:
        print(catalogue.text("verify.failed", count=len(report.failures)), file=sys.stderr)
        return 1
    print(catalogue.text("verify.ok", villages=report.villages, snapshots=report.snapshots, files=report.files))
    print(catalogue.text("verify.signed", public_key=report.signed_by) if report.signed_by else catalogue.text("verify.unsigned"))
    return 0
