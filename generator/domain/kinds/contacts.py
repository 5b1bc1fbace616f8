"""村务监督联系方式: where a villager takes a complaint about what is posted (002, 003): the
supervision phone lines (监督电话), the mailbox (意见箱 / 信箱), the office and its hours, and the
villager supervisors (村民监督员). The latest record by a year's end is shown in the footer of
every page of that year's site and on every printed bulletin (`in_footer`), so whoever reads a
notice, on a phone or on the board, sees whom to call.

Phone numbers and the personal-number rules. A 监督电话 is an office line meant to be dialled:
it is published as written when it is a landline (0739-5521386) or a service number (12345,
12388), which are nobody's personal number. A mobile number is masked (138****1234) like every
other phone on the portal, even when the clerk calls it the committee's: the portal cannot tell
a committee's phone from its chair's own, and the last scan of every published file (site/audit.py)
stops the build on any full mobile number. An exception typed in a file would switch that scan
off for whatever number a clerk marks, so there is none. A masked line cannot be dialled: that
is a finding, asking for an office line. The supervisors are private persons: their phones are
masked whatever the number (a `PhoneNumber` field), and may be left out.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from generator.inputs.problems import Severity
from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import OfficePhone, Part, PhoneNumber, Text


class Hotline(Part):
    name: Text  # 村务监督电话, 镇纪委举报电话
    tel: OfficePhone  # a mobile number in it masked (it may be a person's own)

    @property
    def dial(self) -> str:
        """The number as a phone dials it (tel: link); empty for a masked one."""
        return "" if "*" in self.tel else "".join(char for char in self.tel if char.isdigit() or char == "+")


class Supervisor(Part):
    name: Text
    group: Text = ""  # 村民小组
    tel: PhoneNumber = ""


class Contacts(Record):
    section = "contacts"
    order = 62
    disclosure = "affairs"
    # Whom to call is not one of the periodic disclosures, and stays in force across years.
    counts_as_disclosure = False
    listed_when_empty = False
    in_footer = True
    examples: ClassVar[dict[str, Any]] = {"hotlines.0.tel": "0739-5521386", "supervisors.0.tel": ""}

    class Rules(KindRules):
        posting_days: int | None = Field(None, ge=0)

    hotlines: list[Hotline] = Field(min_length=1)  # 监督电话
    mailbox: Text = ""  # 意见箱 / 信箱: where it is, when it is opened
    office: Text = ""  # where the committee receives villagers
    office_hours: Text = ""
    supervisors: list[Supervisor] = []  # 村民监督员
    body: Text = ""

    def summary(self) -> str:
        return "；".join(f"{line.name} {line.tel}" for line in self.hotlines)

    def check(self, context: CheckContext) -> None:
        super().check(context)
        for index, line in enumerate(self.hotlines):
            if "*" in line.tel:
                context.report(self, f"hotlines.{index}.tel", "contacts_line_masked", Severity.FINDING,
                               name=line.name, tel=line.tel)
            elif not any(char.isdigit() for char in line.tel):
                context.report(self, f"hotlines.{index}.tel", "contacts_line_no_number", name=line.name, tel=line.tel)
