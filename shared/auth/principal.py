"""The signed-in person as every service sees them, and the roles of the system."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context

# 三员分立: admin (系统管理员) manages accounts but reads no case data; auditor (安全审计员) reads the
# audit log and nothing else.  The rest are the people who work the cases.
ROLES = (
    "intake_clerk",  # 12309 检察服务中心 registration (登记)
    "triage_officer",  # 受理分流
    "case_handler",  # 承办人
    "unit_leader",  # 部门/院 负责人
    "judge",  # 法官
    "court_clerk",  # 12368 诉讼服务中心 / 书记员
    "prosecutor",  # 捕诉检察官: 羁押必要性审查, 涉企挂案 (捕诉一体 since the 2019 Rules)
    "penalty_reviewer",  # 行政处罚审查 (首违不罚 checks; 行政检察 监督)
    "task_force",  # 市院专项活动工作专班
    "auditor",  # 安全审计员
    "admin",  # 系统管理员
)
CASE_ROLES = ("intake_clerk", "triage_officer", "case_handler", "unit_leader", "judge", "court_clerk", "prosecutor",
              "penalty_reviewer", "task_force")
ALL_UNITS = "*"


@dataclass(frozen=True)
class Principal:
    user_id: str  # stable id (uuid) of the staff account
    username: str  # e.g. "demo-12309"
    unit_code: str  # the user's own unit, e.g. "NY-JCY-KS"
    roles: frozenset[str]
    visible_units: frozenset[str] | None  # the unit and every unit below it; None = every unit

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def sees_all_units(self) -> bool:
        return self.visible_units is None

    def claims(self) -> dict[str, Any]:
        """The token claims that carry this principal (see `from_claims`)."""
        return {
            "sub": self.user_id,
            "username": self.username,
            "unit": self.unit_code,
            "roles": sorted(self.roles),
            "units": ALL_UNITS if self.visible_units is None else sorted(self.visible_units),
        }

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> "Principal":
        units = claims["units"]
        roles = claims["roles"]
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise ValueError("roles must be a list of strings")
        visible: frozenset[str] | None
        if units == ALL_UNITS:
            visible = None
        elif isinstance(units, list) and all(isinstance(u, str) for u in units):
            visible = frozenset(units)
        else:
            raise ValueError("units must be '*' or a list of unit codes")
        return cls(
            user_id=str(claims["sub"]),
            username=str(claims["username"]),
            unit_code=str(claims["unit"]),
            roles=frozenset(r for r in roles if r in ROLES),
            visible_units=visible,
        )


def make_principal(
    *, user_id: str, username: str, unit_code: str, roles: Iterable[str], visible_units: Iterable[str] | None
) -> Principal:
    roles = frozenset(roles)
    # The task force sees every unit whatever unit it sits in.
    visible = None if visible_units is None or "task_force" in roles else frozenset(visible_units)
    return Principal(user_id, username, unit_code, roles, visible)


def current_principal() -> Principal | None:
    """The principal of the current request (set by the token check), or None."""
    if not has_request_context():
        return None
    principal: Principal | None = g.get("principal")
    return principal


def require_principal() -> Principal:
    """The principal of the current request; views behind `@requires` always have one."""
    principal = current_principal()
    if principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return principal
