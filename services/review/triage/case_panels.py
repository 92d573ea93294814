"""The parts of the case page (案件页) that other domains add: 办理, 督办, 评价, 工单, ...

The case page is triage's; each workflow step's ``pages`` module registers a panel here (its
template and the function that gathers its context), so adding a step adds a panel without
editing the case page.  A context function returns None when its panel has nothing to show.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.triage.models import TriageItem
from shared.auth import Principal
from shared.web.pages.panels import CasePanel as _Panel
from shared.web.pages.panels import PanelRegistry
from shared.web.pages.panels import RenderedPanel as _Rendered

CasePanel = _Panel[TriageItem]
RenderedPanel = _Rendered[TriageItem]
_REGISTRY: PanelRegistry[TriageItem] = PanelRegistry()
register = _REGISTRY.register


def for_item(session: Session, item: TriageItem, principal: Principal) -> list[RenderedPanel]:
    """The panels that have something to show for ``item``, in order."""
    return _REGISTRY.shown(session, item, principal)
