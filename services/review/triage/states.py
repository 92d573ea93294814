"""The states of a 事项 (one petition's handling track in review) and who moves it between them.

受理分流 → 审查办理 → 跟踪督办 → 考评反馈: the triage item is the track; each step's package
(triage, handling, supervision, feedback) moves it and keeps its own records.  The status is the
one column the queue filters and counts on.
"""

from __future__ import annotations

PENDING = "pending"  # 待分流: in the receiving unit's queue (also after a 退回)
AWAITING_MATERIALS = "awaiting_materials"  # 待补充材料: 一次性告知 sent, reply clocks paused
ROUTED = "routed"  # 已交办: sent to a department or a lower unit, waiting for it to accept
HANDLING = "handling"  # 办理中: accepted (or kept: 本单位办理), a 承办人 works it
REPLIED = "replied"  # 已答复: the result reply was given, waiting for the petitioner's 评价
CLOSED = "closed"  # 已办结
TRANSFERRED = "transferred"  # 已移送: to an organ outside the tree (its objection window runs)
DECLINED = "declined"  # 不予受理

STATUSES = (PENDING, AWAITING_MATERIALS, ROUTED, HANDLING, REPLIED, CLOSED, TRANSFERRED, DECLINED)
STATUS_TEXT = {
    PENDING: "待分流", AWAITING_MATERIALS: "待补充材料", ROUTED: "已交办", HANDLING: "办理中",
    REPLIED: "已答复", CLOSED: "已办结", TRANSFERRED: "已移送", DECLINED: "不予受理",
}
#: States in which the matter is still being worked (its clocks may run).
ACTIVE = (PENDING, AWAITING_MATERIALS, ROUTED, HANDLING)
#: States a 分流 action starts from.
TRIAGEABLE = (PENDING,)
