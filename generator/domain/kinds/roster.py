"""两委成员 and 村民代表: who holds which post, for which term, and the households each villager
representative represents (003).

One record is one roster as posted: the members of the two committees (村“两委”) or the villager
representatives of a term, a row each — name, role, 组, the households represented (a count, or
the household heads by name), a phone (shown masked when it is a private mobile). A roster is a
list, so it is usually a spreadsheet beside the YAML (`<id>.xlsx` or `.csv`).

Rules of 003, each number a setting (`rules.roster.*`):
- "每名村民代表所代表的村民原则上不少于5户，不多于15户": a representative outside
  `households_min`–`households_max` is a finding naming them, as is one whose households are not
  written (nothing to judge). This is the only place the rule is judged: the supervision
  committee's record no longer carries the representatives.
- A role not in `roles` is an error listing the roles (a village adds its own, e.g. 妇联主席);
  a person in one roster twice is an error naming both rows; a term that ends before it starts
  is an error.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import Field, NonNegativeInt, model_validator
from pydantic_core import PydanticCustomError

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import ClerkDate, Part, PhoneNumber, Text

# What separates names in one cell: 张三、李四 / 张三，李四 / 张三 李四.
_NAMES = re.compile(r"[、，,;；/\s]+")
# A count of households as clerks write it: 8, 8户, ８.
_COUNT = re.compile(r"^(\d+)(?:\.0+)?\s*户?$")


def parse_households(value: Any) -> Any:
    """Households represented as the clerk writes them: a count (8, 8户) or the household heads
    (张三、李四 … in one cell, or a YAML list). Empty is None."""
    if value is None or isinstance(value, (int, list)):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    count = _COUNT.match(text)
    if count:
        return int(count[1])
    return [name for name in _NAMES.split(text) if name]


def roles_of(role: str) -> list[str]:
    """The roles one person holds (书记、主任: 一肩挑)."""
    return [part for part in _NAMES.split(role) if part]


class Member(Part):
    """One person of the roster."""

    person: Text  # 姓名
    role: Text  # 书记 / 主任 / 委员 / 村民代表 …; more than one separated by 、
    group: Text = ""  # 村民小组
    # A count of households, or the household heads by name.
    households: NonNegativeInt | list[Text] | None = None
    phone: PhoneNumber = ""
    note: Text = ""

    @model_validator(mode="before")
    @classmethod
    def _households_as_written(cls, data: Any) -> Any:
        if isinstance(data, dict) and "households" in data:
            data = {**data, "households": parse_households(data["households"])}
        return data

    @property
    def household_count(self) -> int | None:
        if self.households is None:
            return None
        return self.households if isinstance(self.households, int) else len(self.households)

    @property
    def household_names(self) -> list[str]:
        return self.households if isinstance(self.households, list) else []


class Roster(Record):
    section = "roster"
    order = 58
    disclosure = "affairs"

    class Rules(KindRules):
        posting_days: int | None = Field(None, ge=0)
        # 003: "每名村民代表所代表的村民原则上不少于5户，不多于15户".
        households_min: int = Field(5, ge=0)
        households_max: int = Field(15, ge=1)
        # The roles a roster may give (村“两委”: 书记, 主任, 委员 …; 村民代表); a village adds its own.
        roles: tuple[str, ...] = ("书记", "党支部书记", "党总支书记", "副书记", "支部委员", "主任", "村委会主任",
                                  "副主任", "村委会副主任", "委员", "村委委员", "妇女主任", "村民代表")
        # The role whose households are judged against households_min–households_max.
        representative_role: str = "村民代表"

    table_field = "people"
    table_columns = {"姓名": "person", "职务": "role", "村民小组": "group", "代表户数": "households",
                     "联系电话": "phone", "备注": "note",
                     # Other names clerks give the columns.
                     "名字": "person", "身份": "role", "职位": "role", "分工": "role", "组别": "group", "组": "group",
                     "所在组": "group", "联系户数": "households", "户数": "households", "联系农户": "households",
                     "代表农户": "households", "联系户": "households", "电话": "phone", "手机": "phone",
                     "手机号码": "phone", "说明": "note"}
    examples = {"people.households": 8}

    term_start: ClerkDate
    term_end: ClerkDate | None = None
    body: Text = ""
    people: list[Member] = Field(min_length=1)

    @model_validator(mode="after")
    def _term_forward(self) -> Roster:
        if self.term_end is not None and self.term_end < self.term_start:
            raise PydanticCustomError("vp_roster_term_backwards", "term ends before it starts",
                                      {"start": self.term_start.isoformat(), "end": self.term_end.isoformat()})
        return self

    def summary(self) -> str:
        return "、".join(f"{person.person}（{person.role}）" for person in self.people)[:80] or self.title

    def representatives(self, rules: Any) -> list[Member]:
        return [person for person in self.people if rules.representative_role in roles_of(person.role)]

    def committee(self, rules: Any) -> list[Member]:
        """The members of the two committees (everyone but the representatives)."""
        return [person for person in self.people if rules.representative_role not in roles_of(person.role)]

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        seen: dict[str, int] = {}
        low, high = rules.households_min, rules.households_max
        for index, person in enumerate(self.people):
            unknown = [role for role in roles_of(person.role) if role not in rules.roles]
            if unknown or not person.role:
                context.report_row(self, index, "roster_unknown_role", column="职务", value=person.role,
                                   allowed="、".join(rules.roles))
            if person.person in seen:
                context.report_row(self, index, "roster_duplicate_person", column="姓名", name=person.person,
                                   row=self.table_line(seen[person.person]))
            seen.setdefault(person.person, index)
            if rules.representative_role not in roles_of(person.role):
                continue
            count = person.household_count
            if count is None:
                context.report_row(self, index, "roster_households_missing", column="代表户数",
                                   severity=Severity.FINDING, name=person.person, low=low, high=high)
            elif not low <= count <= high:
                context.report_row(self, index, "representative_households", column="代表户数",
                                   severity=Severity.FINDING, name=person.person, households=count,
                                   low=low, high=high)
