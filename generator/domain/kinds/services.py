"""办事指南 / 为民服务全程代理: what a villager can apply for at the village, and how (001, 004).

001: "为民服务全程代理制……当前应当提供且能够提供的与农民生产生活密切相关的各类事项，原则上
都要纳入农村为民服务全程代理范围". One record is one service: the matter (事项), who may apply,
the materials to bring, the steps in order, where, in how many days it is done, the fee (免费 or
an amount), and who in the village handles it for the villager (代办员) with a phone.

The page is a numbered list an elderly villager can follow. Its rules are the model's: at least
one step; a time limit of at least one day; a fee that is 免费 or an amount read exactly (a fee
that cannot be read is an error with what it could be); a private mobile shown masked.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from generator.domain.kinds.base import Record
from generator.domain.kinds.fields import OfficePhone, Text, parse_amount

# How clerks write that a service costs nothing.
FREE_WORDS = frozenset({"免费", "不收费", "无", "无收费", "免收"})


def parse_fee(value: Any) -> Decimal:
    """A fee as written: 免费 (0), or an amount in yuan read as amounts are (parse_amount)."""
    text = unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""
    return Decimal(0) if text in FREE_WORDS else parse_amount(value)


Fee = Annotated[Decimal, BeforeValidator(parse_fee)]


class ServiceGuide(Record):
    section = "services"
    order = 64
    disclosure = "affairs"
    # A guide is a standing service, not a periodic disclosure the law counts.
    counts_as_disclosure = False
    examples = {"fee": "免费", "time_limit_days": 5}

    service: Text  # 办理事项
    eligible: Text  # 谁可以申请
    materials: list[Text] = []
    steps: list[Text] = Field(min_length=1)
    place: Text  # 在哪里办
    time_limit_days: int = Field(ge=1)  # 几天内办结
    fee: Fee  # 0: 免费
    agent: Text = ""  # 代办员: who handles it for the villager (全程代理)
    contact_phone: OfficePhone = ""
    body: Text = ""

    def summary(self) -> str:
        return f"{self.service}：{'；'.join(self.steps)}"[:80]
