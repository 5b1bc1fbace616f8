"""村务公开: notices of the villagers' committee (001, 003)."""

from generator.domain.kinds.notice import Categories, Notice, NoticeRules


class AffairsNotice(Notice):
    section = "affairs"
    order = 20

    class Rules(NoticeRules):
        posting_days: int | None = 7
        # The categories (001, 003), a village may add its own. Lists of money or land given to
        # households (补贴、低保、土地) are posted for a period (7 days, DOMAIN).
        categories: Categories = {"村级规划": None, "惠农补贴": 7, "土地管理": 7, "低保救助": 7,
                                  "项目建设": None, "值班安排": None, "村规民约": None,
                                  "集体经济": None, "其他": None}
