"""Who a staff-inbox recipient address means.

Two kinds of address:

* ``unit:<group>`` — a group of people in the delivery's unit (``unit_code``): the triage officers
  (``unit:triage-officers``), the people who chase deadlines (督办, ``unit:deadline-supervisors``)
  or a court's judges and clerks (``unit:court-staff``, the steps of its 涉企 cases and its 12368
  工单), or the people who handle (``unit:case-handlers``: a 交办, a 督办, a 不满意 to answer).
  A member of staff is in a group by role (`GROUP_ROLES`), and reads the group's notices of every
  unit they may see (their unit and the units below it, as everywhere: `shared.auth.scoping`).
* ``user:<username>`` — one person, wherever the delivery is filed.  Nothing writes one yet; the
  inbox reads them so that a personal notice (an assignment to a 承办人) needs no change here.

An address that is neither reaches nobody: a group nobody is mapped to fails closed, so admin
(系统管理员) and auditor (安全审计员), who read no case data, have an empty inbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from services.notify.deliveries.models import Delivery
from services.notify.deliveries.workflow import COURT_INBOX, DEADLINE_INBOX, HANDLER_INBOX, PROSECUTOR_INBOX, TRIAGE_INBOX
from shared.auth import Principal

PERSONAL_PREFIX = "user:"

# Which roles make up each group.  督办 is the leaders' and the task force's work (市院专项活动
# 工作专班 follows every 涉企 case); a case handler learns of a deadline from the case page.  A
# court's 涉企 cases are worked by its judges and clerks, who flag them and decide the 立案绿色通道
# and 诉讼费 relief: they learn of each step; a court above sees its 基层法院' steps too.
GROUP_ROLES: Mapping[str, tuple[str, ...]] = {
    TRIAGE_INBOX: ("triage_officer",),
    DEADLINE_INBOX: ("unit_leader", "task_force"),
    COURT_INBOX: ("judge", "court_clerk"),
    # The unit that handles a 事项: its handlers and its leader (a 交办 to accept, a 督办 to report on,
    # a 不满意 to answer).
    HANDLER_INBOX: ("case_handler", "unit_leader"),
    # 捕诉: the prosecutors of the unit and its leader (羁押必要性审查 clocks, 挂案 flags and replies).
    PROSECUTOR_INBOX: ("prosecutor", "unit_leader"),
}


def personal_address(username: str) -> str:
    """The address of one person's own inbox."""
    return f"{PERSONAL_PREFIX}{username}"


def groups_of(principal: Principal) -> list[str]:
    """The group addresses `principal` belongs to, by role."""
    return sorted(address for address, roles in GROUP_ROLES.items() if principal.has_role(*roles))


def addressed_to(principal: Principal) -> ColumnElement[Any]:
    """The SQL condition "this delivery is addressed to `principal`" (the channel is checked by the caller)."""
    personal = Delivery.recipient == personal_address(principal.username)
    groups = groups_of(principal)
    if not groups:
        return personal
    if principal.visible_units is None:
        units: ColumnElement[Any] = true()
    elif principal.visible_units:
        units = Delivery.unit_code.in_(sorted(principal.visible_units))
    else:
        units = false()
    return or_(personal, and_(Delivery.recipient.in_(groups), units))
