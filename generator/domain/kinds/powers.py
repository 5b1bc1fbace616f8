"""小微权力清单: each small power of the village cadres, its basis, its steps, who answers for
each step, and where to complain (004: "推行清单小微权力管理，让小微权力运行更加规范、有效，
切实保障群众知情权、监督权").

One record is one power (e.g. 村级小额工程项目, 低保对象初审, 宅基地申请初审): the matter, the
policy or law it rests on, its steps in order — each with who is responsible and, where it has
one, its time limit — and where a villager complains (the supervision committee, the township's
discipline office; a phone, shown masked when it is a private mobile). The page draws the steps
as a flow: numbered boxes with arrows, stacked on a phone.

Rules: a power's flow needs at least `steps_min` steps (a flow of one step says nothing of who checks
whom; a setting); every step names who is responsible (the model); a power that says nowhere to
complain (neither `complaint` nor `complaint_phone`) is an error: the list exists so that
villagers can hold the power to account.
"""

from __future__ import annotations

from pydantic import Field

from generator.domain.kinds.base import CheckContext, KindRules, Record
from generator.domain.kinds.fields import OfficePhone, Part, Text


class PowerStep(Part):
    """One step of the power's flow."""

    action: Text  # 做什么
    responsible: Text  # 谁负责
    days: int | None = Field(None, ge=1)  # 几天内
    note: Text = ""


class SmallPower(Record):
    section = "powers"
    order = 66
    disclosure = "affairs"
    counts_as_disclosure = False
    examples = {"flow": [{"action": "受理申请，核对材料", "responsible": "村民委员会"},
                          {"action": "审核、公示结果", "responsible": "村务监督委员会", "days": 7}]}

    class Rules(KindRules):
        # The fewest steps a power's flow has (an application, a check, a decision …).
        steps_min: int = Field(2, ge=1)

    power: Text  # 权力事项
    basis: Text  # 依据：政策、法规
    flow: list[PowerStep] = Field(min_length=1)
    complaint: Text = ""  # 向谁投诉、举报
    complaint_phone: OfficePhone = ""
    body: Text = ""

    def summary(self) -> str:
        return f"{self.power}：" + " → ".join(step.action for step in self.flow)[:80]

    def check(self, context: CheckContext) -> None:
        super().check(context)
        rules = context.rules(self)
        if len(self.flow) < rules.steps_min:
            context.report(self, "flow", "powers_too_few_steps", count=len(self.flow), minimum=rules.steps_min)
        if not self.complaint and not self.complaint_phone:
            context.report(self, "power", "powers_no_complaint", power=self.power)
