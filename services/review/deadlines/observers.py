"""Who is told when a subject's 期限 change: the domains that keep a copy of a subject's nearest due date.

The deadline engine knows subjects only by id; a domain that sorts its records by their nearest
due date (the triage queue) subscribes here instead of the engine importing it.  Every change of
a deadline goes through ``history.record``, which calls :func:`changed`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

SubjectObserver = Callable[[Session, str], None]
_OBSERVERS: list[SubjectObserver] = []


def subscribe(observer: SubjectObserver) -> SubjectObserver:
    """Call ``observer(session, subject)`` after each change of one of the subject's deadlines."""
    if observer not in _OBSERVERS:
        _OBSERVERS.append(observer)
    return observer


def changed(session: Session, subject: str) -> None:
    for observer in _OBSERVERS:
        observer(session, subject)
