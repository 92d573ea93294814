"""Whom a 工单 can go to: the judges and divisions of the court whose 诉讼服务中心 made it.

The court is the nearest unit of kind ``court`` above the center (南阳中院 for NY-FY-SF); its
tree is that unit and every unit below it (its divisions, and the 基层法院 under it).  A judge
is a staff account of that tree with the role ``judge`` (or a division head, ``unit_leader``),
not disabled.  Nobody outside the tree receives an order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.identity.accounts.models import StaffAccount
from services.review.identity.units.models import Unit
from services.review.identity.units.tree import UnitSeed, descendants_or_self, seed_units
from shared.errors import DomainError

#: The roles that may hold an order as its judge.
JUDGE_ROLES = ("judge", "unit_leader")


class TargetRequired(DomainError):
    code = "work_order.target_required"
    field = "to_unit_code"
    message_zh = "请选择承办法官或承办部门"
    message_en = "Name the judge or the division the order goes to"


class NotInCourtTree(DomainError):
    code = "work_order.not_in_court_tree"
    field = "to_unit_code"
    message_zh = "工单只能发送给本院（含下级法院）的法官或部门"
    message_en = "An order goes only to a judge or division of this court's tree"


class NotAJudge(DomainError):
    code = "work_order.not_a_judge"
    field = "to_username"
    message_zh = "该账户不是本院在岗的法官"
    message_en = "That account is not an active judge of this court"


class JudgeNotInUnit(DomainError):
    code = "work_order.judge_not_in_unit"
    field = "to_username"
    message_zh = "所选法官不在所选部门"
    message_en = "The judge chosen is not in the division chosen"


@dataclass(frozen=True)
class Target:
    """Where an order goes: a division (or court unit), and the judge in it if one is named."""

    unit_code: str
    unit_name: str
    user_id: str | None = None
    name: str | None = None  # the judge's display name


def _units(session: Session) -> tuple[UnitSeed, ...]:
    rows = session.scalars(select(Unit).order_by(Unit.position, Unit.code)).all()
    if not rows:  # a database not seeded yet (tests, a first start): the seed file is the tree
        return seed_units()
    return tuple(UnitSeed(r.code, r.name, r.kind, r.parent_code, r.receives) for r in rows)


def court_of(units: tuple[UnitSeed, ...], unit_code: str) -> str | None:
    """The nearest unit of kind ``court`` at or above ``unit_code``."""
    by_code = {u.code: u for u in units}
    unit = by_code.get(unit_code)
    while unit is not None:
        if unit.kind == "court":
            return unit.code
        unit = by_code.get(unit.parent) if unit.parent else None
    return None


def court_tree(session: Session, origin_unit_code: str) -> dict[str, UnitSeed]:
    """The units an order made at ``origin_unit_code`` may go to (its court's tree, without the center)."""
    units = _units(session)
    court = court_of(units, origin_unit_code)
    if court is None:
        return {}
    inside = descendants_or_self(court, units) - {origin_unit_code}
    return {u.code: u for u in units if u.code in inside}


def judges(session: Session, origin_unit_code: str) -> list[StaffAccount]:
    """The active judges and division heads of the court's tree, by unit and name (the form's choices)."""
    tree = court_tree(session, origin_unit_code)
    accounts = session.scalars(select(StaffAccount).where(
        StaffAccount.unit_code.in_(sorted(tree)), StaffAccount.disabled.is_(False),
    ).order_by(StaffAccount.unit_code, StaffAccount.username)).all()
    return [a for a in accounts if any(r in JUDGE_ROLES for r in a.roles)]


def heads_of(session: Session, unit_code: str) -> list[StaffAccount]:
    """The active heads (庭长, unit_leader) of a division."""
    accounts = session.scalars(select(StaffAccount).where(
        StaffAccount.unit_code == unit_code, StaffAccount.disabled.is_(False),
    ).order_by(StaffAccount.username)).all()
    return [a for a in accounts if "unit_leader" in a.roles]


def unit_name(session: Session, unit_code: str) -> str:
    found = next((u for u in _units(session) if u.code == unit_code), None)
    return found.name if found else unit_code


def resolve(
    session: Session, *, origin_unit_code: str, to_username: str | None, to_unit_code: str | None,
) -> Target:
    """The target named by a judge's username and/or a division's code, checked against the court's tree.

    :raise TargetRequired: neither is given.
    :raise NotAJudge: no active judge of the tree has that username.
    :raise NotInCourtTree: the division is not in the court's tree (or is the center itself).
    :raise JudgeNotInUnit: both given and the judge sits in another division.
    """
    if not to_username and not to_unit_code:
        raise TargetRequired(to_unit_code=["name a judge or a division"])
    tree = court_tree(session, origin_unit_code)
    if to_unit_code and to_unit_code not in tree:
        raise NotInCourtTree(to_unit_code=["not a division of this court"])
    if not to_username:
        assert to_unit_code is not None
        return Target(to_unit_code, tree[to_unit_code].name)
    account = session.scalar(select(StaffAccount).where(StaffAccount.username == to_username))
    if (account is None or account.disabled or account.unit_code not in tree
            or not any(r in JUDGE_ROLES for r in account.roles)):
        raise NotAJudge(to_username=["not an active judge of this court"])
    if to_unit_code and account.unit_code != to_unit_code:
        raise JudgeNotInUnit(to_username=["sits in another division"])
    return Target(account.unit_code, tree[account.unit_code].name, account.id, account.display_name)
