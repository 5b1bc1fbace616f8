"""党务公开: notices of the village party branch (001, 003)."""

from generator.domain.kinds.notice import Categories, Notice, NoticeRules


class PartyNotice(Notice):
    section = "party"
    order = 10
    disclosure = "party"

    class Rules(NoticeRules):
        posting_days: int | None = 7
        # The categories (001, 003), a village may add its own. 发展党员: a member-to-be is
        # publicly posted (公示) before admission.
        categories: Categories = {"三会一课": None, "发展党员": 7, "党费收缴": None, "设岗定责": None,
                                  "主题党日": None, "组织生活会": None, "党员积分": None, "其他": None}
