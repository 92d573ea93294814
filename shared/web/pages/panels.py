"""Panels other domains add to a record's page (案件页): one registry per kind of page.

A page that shows one record (a triage item, a 挂案, ...) owns a `PanelRegistry`; each workflow
step's ``pages`` module registers a panel in it (its template and the function that gathers its
context), so adding a step adds a panel without editing the page.  A context function returns
None when its panel has nothing to show for the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from shared.auth import Principal

R = TypeVar("R")


@dataclass(frozen=True)
class CasePanel(Generic[R]):
    key: str  # unique within its registry; also the panel's HTML id
    template: str  # rendered with the record, ``principal`` and the context's names
    context: Callable[[Session, R, Principal], "dict[str, Any] | None"]
    order: int = 100  # lower first


@dataclass(frozen=True)
class RenderedPanel(Generic[R]):
    panel: CasePanel[R]
    context: dict[str, Any]


@dataclass
class PanelRegistry(Generic[R]):
    _panels: dict[str, CasePanel[R]] = field(default_factory=dict)

    def register(self, panel: CasePanel[R]) -> CasePanel[R]:
        self._panels[panel.key] = panel
        return panel

    def shown(self, session: Session, record: R, principal: Principal) -> list[RenderedPanel[R]]:
        """The panels that have something to show for ``record``, in order."""
        rendered = []
        for panel in sorted(self._panels.values(), key=lambda p: (p.order, p.key)):
            context = panel.context(session, record, principal)
            if context is not None:
                rendered.append(RenderedPanel(panel, context))
        return rendered
