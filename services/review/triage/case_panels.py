"""The parts of the case page (案件页) that other domains add: 办理, 督办, 评价, 工单, ...

The case page is triage's; each workflow step's ``pages`` module registers a panel here (its
template and the function that gathers its context), so adding a step adds a panel without
editing the case page.  A context function returns None when its panel has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from services.review.triage.models import TriageItem
from shared.auth import Principal

PanelContext = Callable[[Session, TriageItem, Principal], "dict[str, Any] | None"]


@dataclass(frozen=True)
class CasePanel:
    key: str  # unique; also the panel's HTML id
    template: str  # rendered with ``item``, ``principal`` and the context's names
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


def for_item(session: Session, item: TriageItem, principal: Principal) -> list[RenderedPanel]:
    """The panels that have something to show for ``item``, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(session, item, principal)
        if context is not None:
            shown.append(RenderedPanel(panel, context))
    return shown
