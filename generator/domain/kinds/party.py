"""党务公开: notices of the village party branch (001, 003)."""

from generator.domain.kinds.notice import Notice, NoticeRules


class PartyNotice(Notice):
    section = "party"
    order = 10
    disclosure = "party"

    class Rules(NoticeRules):
        posting_days: int | None = 7
        # 发展党员: a member-to-be is publicly posted (公示) before admission.
        posting_required: tuple[str, ...] = ("发展党员",)

    categories = ("三会一课", "发展党员", "党费收缴", "设岗定责", "主题党日", "组织生活会", "党员积分", "其他")
