"""The parts of the 挂案 case page (/hanging-cases/<id>) that other domains add: clearance's flags and actions.

The case page is hanging's (pages.py); a domain's ``pages`` module registers a panel here (its
template and the function that gathers its context), so adding a step adds a panel without
editing the case page.  A context function returns None when its panel has nothing to show.
The template is rendered with ``panel_id`` (its section's id), ``case``, ``principal`` and ``ctx``
(the context's dict), as triage's case page does.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.review.cases.hanging.models import HangingCase
from shared.auth import Principal
from shared.web.pages.panels import CasePanel as _Panel
from shared.web.pages.panels import PanelRegistry
from shared.web.pages.panels import RenderedPanel as _Rendered

CasePanel = _Panel[HangingCase]
RenderedPanel = _Rendered[HangingCase]
_REGISTRY: PanelRegistry[HangingCase] = PanelRegistry()
register = _REGISTRY.register


def for_case(session: Session, case: HangingCase, principal: Principal) -> list[RenderedPanel]:
    """The panels that have something to show for ``case``, in order."""
    return _REGISTRY.shown(session, case, principal)
