"""The documentation: the site builds with --strict, its record kinds reference covers every kind
the code has, and the README stays short with every link in it leading somewhere."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# A link's target in Markdown (`[text](target)`, `![alt](target)`) or in HTML (`src=`, `href=`).
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|\b(?:src|href)=\"([^\"]+)\"")


def _kinds() -> dict[str, type]:
    try:
        from generator.domain.kinds import KINDS
    except ModuleNotFoundError:  # before the package was laid out in layers
        from generator.records import KINDS
    return KINDS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "docs" / "mkdocs.yml"),
         "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300)
    assert built.returncode == 0, built.stderr[-4000:]
    return out


def test_the_site_builds_strict_with_every_guide(site: Path) -> None:
    for page in ("index.html", "clerk/index.html", "operator/index.html", "archivist/index.html",
                 "kinds/index.html", "ARCHITECTURE/index.html", "CONTRIBUTING/index.html"):
        assert (site / page).is_file(), page


def _kind_part(page: str, section: str) -> str:
    """The part of the kinds reference about one kind: from its heading to the next kind's."""
    start = page.find(f'<h2 id="{section}"')
    assert start >= 0, f"no heading for the kind {section!r}"
    end = page.find("<h2 ", start + 1)
    return page[start:end if end >= 0 else len(page)]


def _beside(info) -> str | None:
    extra = info.json_schema_extra
    return extra.get("beside") if isinstance(extra, dict) else None


def test_the_kinds_reference_lists_every_kind_and_its_fields(site: Path) -> None:
    page = html.unescape((site / "kinds" / "index.html").read_text(encoding="utf-8"))
    kinds = _kinds()
    assert kinds
    for section, kind in kinds.items():
        part = _kind_part(page, section)
        # A field `beside` another (word_images_checked_by beside body) is a kind's only with it.
        fields = [info.alias or name for name, info in kind.model_fields.items()
                  if _beside(info) in (None, *kind.model_fields)]
        assert fields, section
        missing = [name for name in fields if f"<code>{name}</code>" not in part]
        assert not missing, f"{section}: fields missing from the reference: {missing}"
        for setting in kind.Rules.model_fields:
            assert f"<code>rules.{section}.{setting}</code>" in part, f"{section}: rules.{section}.{setting}"


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines"


def test_every_relative_link_in_the_readme_leads_to_a_file() -> None:
    text = README.read_text(encoding="utf-8")
    targets = [markdown or tag for markdown, tag in _LINK.findall(text)]
    relative = [target for target in targets if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", target)]
    assert relative, "the README links to nothing in the repository"
    missing = [target for target in relative if not (README.parent / target.split("#")[0]).exists()]
    assert not missing, f"README.md links to files that do not exist: {missing}"
