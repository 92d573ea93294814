"""Who sees a 失信 listing and who acts on it.

* Seeing: court clerks (书记员) and judges of the unit that listed and of the units above it (the
  court's 院, the court above a 基层 court), the task force.  Others: 403 by role; a listing of a
  unit the person does not see is a 404 (existence not revealed).
* Acting (removal, correction, certificate): a clerk or judge who sees it (the listing court or a
  court above); registering: a clerk, for their own unit.
* 复议: decided by a judge of the court above the listing court (see :func:`higher_court`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from services.review.dishonesty.models import Listing
from services.review.identity.units.models import Unit
from shared.auth import Principal
from shared.auth.scoping import can_see, scope
from shared.errors import Forbidden, NotFound

READ_ROLES = ("court_clerk", "judge", "task_force")
ACT_ROLES = ("court_clerk", "judge")
REGISTER_ROLES = ("court_clerk",)
DECIDE_RECON_ROLES = ("judge",)
#: The 高院 above 南阳中院 is not on the platform: a 复议 of a 中院 listing is decided there and recorded here.
OUTSIDE_HIGHER_COURT = "河南省高级人民法院"


class ListingNotFound(NotFound):
    code = "dishonesty.not_found"
    message_zh = "未找到该失信被执行人记录"
    message_en = "No such 失信 listing"


class NotYourListing(Forbidden):
    code = "dishonesty.not_yours"
    message_zh = "您不能对该失信记录进行此操作"
    message_en = "You may not act on this listing"


@dataclass(frozen=True)
class Court:
    code: str
    name: str


def court_of(session: Session, unit_code: str) -> Court:
    """The 院 (kind ``court``) ``unit_code`` is or belongs to: 执行局 NY-FY-ZX lists in the name of NY-FY."""
    code: str | None = unit_code
    while code is not None:
        unit = session.get(Unit, code)
        if unit is None:
            break
        if unit.kind == "court":
            return Court(unit.code, unit.name)
        code = unit.parent_code
    return Court(unit_code, unit_code)


def higher_court(session: Session, court_code: str) -> Court | None:
    """The court above ``court_code`` on the platform (NY-FY above 宛城区法院); None for 南阳中院 itself."""
    unit = session.get(Unit, court_code)
    if unit is None or unit.parent_code is None:
        return None
    above = court_of(session, unit.parent_code)
    unit_above = session.get(Unit, above.code)
    return above if unit_above is not None and unit_above.kind == "court" else None


def visible(query: Select[tuple[Listing]], principal: Principal | None) -> Select[tuple[Listing]]:
    return scope(query, Listing.unit_code, principal)


def get_listing(session: Session, listing_id: str, *, principal: Principal | None, for_update: bool = False) -> Listing:
    query = visible(select(Listing).where(Listing.id == listing_id), principal)
    if for_update:
        query = query.with_for_update()
    listing = session.scalar(query)
    if listing is None:
        raise ListingNotFound(listing_id=listing_id)
    return listing


def may_act(principal: Principal | None, listing: Listing) -> bool:
    if principal is None:
        return True
    return principal.has_role(*ACT_ROLES) and can_see(principal, listing.unit_code)


def require_act(principal: Principal | None, listing: Listing) -> None:
    if not may_act(principal, listing):
        raise NotYourListing(listing_id=listing.id)


def may_decide_reconsideration(session: Session, principal: Principal | None, higher_court_code: str | None,
                               listing: Listing) -> bool:
    """A judge of the court above (any of its units: the 中院's 执行局 decides a 基层 court's 复议);
    when that court is outside the platform, a judge who sees the listing records its decision."""
    if principal is None:
        return True
    if not principal.has_role(*DECIDE_RECON_ROLES):
        return False
    if higher_court_code is None:
        return can_see(principal, listing.unit_code)
    return court_of(session, principal.unit_code).code == higher_court_code or can_see(principal, higher_court_code)
