"""A test village `testv` with records of one kind only: write them, check them, and pick out
the problems about that kind."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.domain.model import Checked
from generator.pipeline.check import check


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@dataclass(frozen=True)
class OneKind:
    section: str
    as_of: date

    def run(self, root: Path, records: dict[str, str], rules: str = "", as_of: date | None = None) -> Checked:
        """Check `testv` with these records ({"<year>/<id>.yml": yaml}) and extra `rules.<section>`."""
        defaults = "township:\n  name: 石桥镇\n  county: 云溪县\n"
        if rules:
            defaults += f"rules:\n  {self.section}:\n" + textwrap.indent(textwrap.dedent(rules), "    ")
        write(root, "site_config/_defaults.yml", defaults)
        write(root, "site_config/testv.yml", "name: 测试村\npopulation: 1200\nhouseholds: 300\n")
        for name, text in records.items():
            year, _, file = name.partition("/")
            write(root, f"content/testv/{year}/{self.section}/{file}", text)
        return check(root / "content", root / "site_config", as_of=as_of or self.as_of)

    def ours(self, checked: Checked) -> list:
        """The problems about this kind's records and settings (other rules, e.g. how often the
        village discloses, look at the whole village and are tested elsewhere)."""
        return [p for p in checked.problems
                if f"/{self.section}/" in p.location.path or p.location.path.startswith("site_config")]

    def keys(self, checked: Checked, severity=None) -> list[str]:
        return [p.key for p in self.ours(checked) if severity is None or p.severity is severity]

    def only(self, checked: Checked, key: str):
        found = [p for p in self.ours(checked) if p.key == key]
        assert len(found) == 1, [p.key for p in self.ours(checked)]
        return found[0]
