"""The loaded list versions (``leniency_lists``): loading a file's version, and the version in force
on a day.  A version is never overwritten: the same file again is a no-op, a changed file under a
loaded version number is refused, and a new version (a higher number) is a new row; older versions
stay in force for the acts that happened under them (:func:`in_force` chooses by the act's date)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from services.review.leniency.lists import ListVersion, parse, repo_files
from services.review.leniency.models import LeniencyList
from shared.actor import Actor
from shared.audit.service import record
from shared.errors import DomainError, ErrorKind
from shared.events import new_event
from shared.outbox import enqueue


class VersionConflict(DomainError):
    """A version number already loaded with other content, or not above the loaded ones."""

    kind = ErrorKind.CONFLICT
    code = "leniency_list.version_conflict"
    message_zh = "清单版本冲突：已载入的版本不可覆盖，请提高版本号"
    message_en = "List version conflict: a loaded version is never overwritten; raise the version"


def snapshot(row: LeniencyList) -> dict[str, Any]:
    return {"code": row.code, "version": row.version, "document_number": row.document_number, "field": row.field,
            "region": row.region, "effective_from": row.effective_from, "effective_until": row.effective_until,
            "items": len(row.items), "sha256": row.sha256, "source": row.source}


def to_row(version: ListVersion, *, source: str, loaded_by: str) -> LeniencyList:
    """The table row of a parsed version (not added to any session)."""
    return LeniencyList(
        code=version.code, version=version.version, issuer=version.issuer, document_number=version.document_number,
        title=version.title, field=version.field, region=version.region, effective_from=version.effective_from,
        effective_until=version.effective_until, effective_from_confirmed=version.effective_from_confirmed,
        effective_from_note=version.effective_from_note, conditions=list(version.conditions),
        lookback_months=version.lookback_months, lookback_confirmed=version.lookback_confirmed,
        first_scope=version.first_scope, first_note=version.first_note,
        items=[i.as_dict() for i in version.items], source=source[:200], sha256=version.sha256,
        loaded_by=loaded_by,
    )


def load(session: Session, version: ListVersion, *, source: str, actor: Actor) -> tuple[LeniencyList, bool]:
    """Store ``version`` unless it is loaded already; returns the row and whether it is new.

    :raise VersionConflict: the same code and version with different content (409), or a version
        number not above the loaded ones, or an effective date before the previous version's.
    """
    existing = session.scalar(select(LeniencyList).where(LeniencyList.code == version.code,
                                                         LeniencyList.version == version.version))
    if existing is not None:
        if existing.sha256 == version.sha256:
            return existing, False
        raise VersionConflict(f"{source}: {version.code} version {version.version} is loaded with other content "
                              f"(from {existing.source}); give the changed list a new version number",
                              f"{source}：{version.code}第{version.version}版已载入且内容不同，修改后的清单须使用新版本号",
                              source=source, field="version")
    latest = session.scalar(select(LeniencyList).where(LeniencyList.code == version.code)
                            .order_by(LeniencyList.version.desc()).limit(1))
    if latest is not None and version.version < latest.version:
        raise VersionConflict(f"{source}: version {version.version} is below the loaded version {latest.version}",
                              f"{source}：版本号{version.version}低于已载入的第{latest.version}版",
                              source=source, field="version")
    if latest is not None and version.effective_from < latest.effective_from:
        raise VersionConflict(f"{source}: effective_from {version.effective_from} is before version "
                              f"{latest.version}'s ({latest.effective_from})",
                              f"{source}：新版本的施行日期早于第{latest.version}版",
                              source=source, field="effective_from")
    row = to_row(version, source=source, loaded_by=actor.name)
    session.add(row)
    session.flush()
    record(session, action="leniency.list_load", subject_type="leniency_list", subject_id=row.id,
           after=snapshot(row), **actor.fields())
    enqueue(session, new_event("leniency.list_loaded", subject=row.id, source="review", actor=actor.name,
                               trace_id=actor.trace_id, data={
                                   "subject_id": row.id, "unit_code": None, "list_id": row.id, "code": row.code,
                                   "version": row.version, "document_number": row.document_number,
                                   "field": row.field, "region": row.region, "effective_from": row.effective_from,
                                   "effective_until": row.effective_until, "items": len(row.items),
                                   "unconfirmed_items": [i["code"] for i in row.items if not i.get("confirmed", True)],
                                   "source": row.source, "sha256": row.sha256}))
    return row, True


def load_text(session: Session, text: str, *, source: str, actor: Actor) -> tuple[LeniencyList, bool]:
    """Parse (:raise InvalidListFile:) and load one file's text."""
    return load(session, parse(text, source=source), source=source, actor=actor)


def seed(session: Session, *, actor: Actor | None = None) -> int:
    """Load every list file of the repository not loaded yet; how many versions were new."""
    who = actor or Actor("seed:leniency-lists")
    new = 0
    for path in repo_files():
        _, created = load_text(session, path.read_text(encoding="utf-8"), source=path.name, actor=who)
        new += created
    return new


def in_force(session: Session, code: str, on: _dt.date) -> LeniencyList | None:
    """The version of list ``code`` in force on ``on``: the latest effective_from ≤ ``on`` among the
    versions not expired by then (a later version with the same date wins: the higher number)."""
    return session.scalar(select(LeniencyList).where(
        LeniencyList.code == code, LeniencyList.effective_from <= on,
        or_(LeniencyList.effective_until.is_(None), LeniencyList.effective_until >= on))
        .order_by(LeniencyList.effective_from.desc(), LeniencyList.version.desc()).limit(1))


def any_version(session: Session, code: str) -> LeniencyList | None:
    """The earliest version of ``code`` (None: no such list)."""
    return session.scalar(select(LeniencyList).where(LeniencyList.code == code)
                          .order_by(LeniencyList.version).limit(1))


def versions(session: Session) -> list[LeniencyList]:
    """Every loaded version, by list then version."""
    return list(session.scalars(select(LeniencyList).order_by(LeniencyList.code, LeniencyList.version)))


def current(session: Session, on: _dt.date) -> list[LeniencyList]:
    """The version of each list in force on ``on`` (the form's choices for a given act date)."""
    codes = session.scalars(select(LeniencyList.code).group_by(LeniencyList.code)
                            .order_by(func.min(LeniencyList.effective_from))).all()
    found = [in_force(session, c, on) for c in codes]
    return [r for r in found if r is not None]
