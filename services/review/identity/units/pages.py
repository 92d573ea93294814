"""The page of the 单位 tree (市院、县区院、法院、部门) for administrators."""

from __future__ import annotations

from flask import Response

from services.review.identity.units import service
from services.review.identity.units.models import Unit
from shared.auth import requires
from shared.context import db_session
from shared.events.intake import LINE_NAMES
from shared.web.pages import page_blueprint, render_page

blp = page_blueprint("units", __name__)
KIND_TEXT = {"procuratorate": "检察院", "court": "法院", "department": "部门", "task_force": "专班"}
LINE_TEXT = LINE_NAMES


def tree(units: list[Unit]) -> list[tuple[Unit, int]]:
    """The units in tree order with their depth (a parent before its children, siblings by position)."""
    children: dict[str | None, list[Unit]] = {}
    codes = {u.code for u in units}
    for unit in units:
        parent = unit.parent_code if unit.parent_code in codes else None
        children.setdefault(parent, []).append(unit)
    out: list[tuple[Unit, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: (u.position, u.code)):
            out.append((unit, depth))
            walk(unit.code, depth + 1)

    walk(None, 0)
    return out


@blp.get("/admin/units")
@requires("admin", "task_force")
def units_list() -> Response:
    """单位: the tree of units, what each is and which service line it receives for."""
    return render_page("units/units.html", personal=False, rows=tree(service.list_(db_session())),
                       kind_text=KIND_TEXT, line_text=LINE_TEXT)
