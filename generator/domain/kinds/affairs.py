"""村务公开: notices of the villagers' committee (001, 003)."""

from generator.domain.kinds.notice import Notice, NoticeRules


class AffairsNotice(Notice):
    section = "affairs"
    order = 20

    class Rules(NoticeRules):
        posting_days: int | None = 7
        # Lists of money or land given to households (补贴、低保、土地) are posted for a period (7 days, DOMAIN).
        posting_required: tuple[str, ...] = ("惠农补贴", "低保救助", "土地管理")

    categories = ("村级规划", "惠农补贴", "土地管理", "低保救助", "项目建设", "值班安排", "村规民约", "集体经济", "其他")
