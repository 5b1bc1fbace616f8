"""村务公开: notices of the villagers' committee (001, 003)."""

from generator.domain.kinds.base import KindRules
from generator.domain.kinds.notice import Notice


class AffairsNotice(Notice):
    section = "affairs"
    order = 20

    class Rules(KindRules):
        posting_days: int | None = 7

    categories = ("村级规划", "惠农补贴", "土地管理", "低保救助", "项目建设", "值班安排", "村规民约", "集体经济", "其他")
