"""The parts of the 挂案 case page (/hanging-cases/<id>) that other domains add: clearance's flags and actions.

The case page is hanging's (pages.py); a domain's ``pages`` module registers a panel here (its
template and the function that gathers its context), so adding a step adds a panel without
editing the case page.  A context function returns None when its panel has nothing to show.
The template is rendered with ``panel_id`` (its section's id), ``case``, ``principal`` and ``ctx``
(the context's dict), as triage's case page does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from services.review.cases.hanging.models import HangingCase
from shared.auth import Principal

PanelContext = Callable[[Session, HangingCase, Principal], "dict[str, Any] | None"]


@dataclass(frozen=True)
class CasePanel:
    key: str  # unique; also the panel's HTML id
    template: str
    context: PanelContext
    order: int = 100  # lower first


@dataclass(frozen=True)
class RenderedPanel:
    panel: CasePanel
    context: dict[str, Any]


_PANELS: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> CasePanel:
    _PANELS[panel.key] = panel
    return panel


def for_case(session: Session, case: HangingCase, principal: Principal) -> list[RenderedPanel]:
    """The panels that have something to show for ``case``, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(session, case, principal)
        if context is not None:
            shown.append(RenderedPanel(panel, context))
    return shown
