"""A test village `testv` with records of one kind only: write them, check them, and pick out
the problems about that kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.domain.model import Checked
from tests.builder import Portal


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@dataclass(frozen=True)
class OneKind:
    section: str
    as_of: date

    def run(self, portal: Portal, records: dict[str, str], rules: str = "", as_of: date | None = None) -> Checked:
        """Check `testv` with these records ({"<year>/<id>.yml": yaml}) and extra `rules.<section>`."""
        portal.rules(self.section, rules)
        for name, text in records.items():
            year, _, file = name.partition("/")
            portal.record(year, self.section, file, text)
        return portal.check(as_of or self.as_of, frequency=True)

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
