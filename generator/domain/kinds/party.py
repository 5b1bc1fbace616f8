"""党务公开: notices of the village party branch (001, 003)."""

from generator.domain.kinds.base import KindRules
from generator.domain.kinds.notice import Notice


class PartyNotice(Notice):
    section = "party"
    order = 10
    disclosure = "party"

    class Rules(KindRules):
        posting_days: int | None = 7

    categories = ("三会一课", "发展党员", "党费收缴", "设岗定责", "主题党日", "组织生活会", "党员积分", "其他")
