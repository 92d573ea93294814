"""The rules of 涉企挂案 intake: who sees and acts, import (all or nothing, idempotent), hand entry and edits.

* **Seeing**: ``prosecutor`` and ``unit_leader`` of the case's unit and of the units above it; the
  task force every case.  Anyone else is refused (403 by ``@requires``); a case of a unit one does
  not see does not exist for them (404 ``hanging_case_not_found``).
* **Acting** (import, hand entry, edits): the unit's own prosecutors (捕诉检察官) only; a unit above
  reads and supervises, it does not enter the unit's cases (403 ``not_your_unit``).
* **Import**: every row is checked (rows.py, importing.py) and checked against what is stored; one
  problem anywhere and nothing is written (422 with every problem).  The file's SHA-256 makes the
  same file imported again by the same unit a replay of its first batch (nothing changes).  Each
  case's natural key is (侦查机关, 案号): an unchanged row is counted ``unchanged``; a changed row of
  a case of the unit *updates* it (the file is the police's current data), audited before/after
  and announced as ``hanging_case.updated``; a changed row of a cleared (已清理) case, or a case
  another unit registered, is a problem of its row.
* **Hand entry**: the same rules as a row (422 naming the field: ``measures.0.ends_on``).  Edits of a
  case's measures (lifting one) and its property (returning it) are checked the same way, audited
  and announced.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from services.review.cases.hanging import files, importing
from services.review.cases.hanging.models import (
    CLEARED,
    IMPORT,
    MANUAL,
    OPEN,
    HangingCase,
    HangingCaseImport,
    HangingCaseMeasure,
    HangingCaseProperty,
    HangingCaseSuspect,
)
from services.review.cases.hanging.rows import CaseIn, Fault, MeasureIn, PropertyIn, check, content_hash, from_model
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.auth.scoping import can_see
from shared.calendar import beijing_date
from shared.config import KafkaSettings
from shared.db.base import new_uuid, utcnow
from shared.errors import Conflict, DomainError, ErrorKind, Forbidden, NotFound
from shared.events import new_event
from shared.outbox import enqueue

READ_ROLES = ("prosecutor", "unit_leader", "task_force")
ACT_ROLES = ("prosecutor",)


class HangingCaseNotFound(NotFound):
    code = "hanging_case_not_found"
    message_zh = "未找到该挂案"
    message_en = "No such hanging case"


class NotYourUnit(DomainError):
    kind = ErrorKind.FORBIDDEN
    code = "not_your_unit"
    message_zh = "该案件不由您所在单位办理，不能进行此操作"
    message_en = "This case is not your unit's to act on"


class ProsecutorsOnly(Forbidden):
    code = "hanging.prosecutors_only"
    message_zh = "只有捕诉检察官可以登记或导入挂案"
    message_en = "Only prosecutors (捕诉) register or import hanging cases"


class CaseExists(Conflict):
    code = "hanging.case_exists"
    field = "case_number"
    message_zh = "该侦查机关的此案号已登记"
    message_en = "This 案号 of this investigating organ is registered already"


class EntryInvalid(DomainError):
    """A hand entry or edit breaks a rule; ``problems`` names each field (422)."""

    code = "hanging.invalid"
    message_zh = "填写内容不符合规则"
    message_en = "The entry breaks a rule"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__()
        self.problems = problems


class ImportRejected(DomainError):
    """The file, or one of its rows, breaks a rule: nothing was imported; ``problems`` lists each (422)."""

    code = "hanging_import.rejected"
    message_zh = "导入文件存在错误，未导入任何案件，请修改后重新导入"
    message_en = "The file has errors; nothing was imported. Correct it and import it again"

    def __init__(self, problems: list[importing.RowProblem]) -> None:
        super().__init__()
        self.problems = problems


# --- seeing ------------------------------------------------------------------------------------


def visible(query: Select[Any], principal: Principal | None) -> Select[Any]:
    """``query`` (over hanging_cases) narrowed to the cases the principal sees; None = a system caller."""
    if principal is None or principal.visible_units is None:
        return query
    if not principal.visible_units:
        return query.where(false())
    return query.where(HangingCase.unit_code.in_(sorted(principal.visible_units)))


def get_or_raise(session: Session, case_id: str, *, principal: Principal | None, for_update: bool = False) -> HangingCase:
    query = select(HangingCase).where(HangingCase.id == case_id)
    if for_update:
        query = query.with_for_update()
    case = session.scalar(query)
    if case is None or not can_see(principal, case.unit_code):
        raise HangingCaseNotFound(case_id=case_id)
    return case


def may_act(principal: Principal | None, case: HangingCase) -> bool:
    return principal is not None and principal.unit_code == case.unit_code and principal.has_role(*ACT_ROLES)


def _acting(actor: Actor) -> Principal:
    principal = actor.principal
    if principal is None or not principal.has_role(*ACT_ROLES):
        raise ProsecutorsOnly()
    return principal


# --- what is recorded --------------------------------------------------------------------------


def summary(case: HangingCase) -> dict[str, Any]:
    """The case as the audit log keeps it: ID numbers masked, never in clear."""
    return {
        "unit_code": case.unit_code, "case_number": case.case_number, "investigating_organ": case.investigating_organ,
        "case_title": case.case_title, "charge": case.charge, "filed_on": case.filed_on, "status": case.status,
        "enterprise_name": case.enterprise_name, "enterprise_credit_code": case.enterprise_credit_code,
        "investigation_concluded_on": case.investigation_concluded_on, "source": case.source,
        "suspects": [{"name": s.name, "role": s.role, "id_number": s.id_number_masked} for s in case.suspects],
        "measures": [{"kind": m.kind, "suspect_name": m.suspect_name, "started_on": m.started_on,
                      "ends_on": m.ends_on, "lifted_on": m.lifted_on} for m in case.measures],
        "property": [{"kind": p.kind, "description": p.description, "amount": str(p.amount) if p.amount is not None else None,
                      "seized_on": p.seized_on, "returned_on": p.returned_on} for p in case.property_items],
    }


def _ref(case: HangingCase) -> dict[str, Any]:
    return {"subject_id": case.id, "case_number": case.case_number, "unit_code": case.unit_code,
            "investigating_organ": case.investigating_organ, "filed_on": case.filed_on.isoformat(),
            "status": case.status, "source": case.source, "import_batch_id": case.import_batch_id}


def emit(session: Session, type_: str, case: HangingCase, actor: Actor, *, kafka: KafkaSettings | None = None,
         **extra: Any) -> None:
    enqueue(session, new_event(type_, subject=case.id, source="review", actor=actor.name,
                               data={**_ref(case), **extra}, trace_id=actor.trace_id), kafka=kafka)


def _audit(session: Session, action: str, case: HangingCase, actor: Actor, *, before: dict[str, Any] | None,
           **detail: Any) -> None:
    record(session, action=action, subject_type="hanging_case", subject_id=case.id, before=before,
           after=summary(case), detail=detail or None, **actor.fields())


# --- building a case from its input ------------------------------------------------------------


def _fill(case: HangingCase, given: CaseIn) -> None:
    """Write ``given`` over ``case``: its fields, and its suspects, measures and property by position.

    The rows at a position are updated in place (a measure keeps its id when it is lifted, so a
    link to it stays good); extra rows are added, missing ones removed.
    """
    case.case_number, case.investigating_organ = given.case_number, given.investigating_organ
    case.investigating_organ_code = given.investigating_organ_code
    case.case_title, case.charge, case.filed_on = given.case_title, given.charge, given.filed_on
    case.enterprise_name, case.enterprise_credit_code = given.enterprise_name, given.enterprise_credit_code
    case.investigation_concluded_on, case.notes = given.investigation_concluded_on, given.notes
    _sync(case.suspects, [dict(name=s.name, role=s.role, id_number=s.id_number) for s in given.suspects],
          HangingCaseSuspect)
    _sync(case.measures, [dict(kind=m.kind, suspect_name=m.suspect_name, started_on=m.started_on, ends_on=m.ends_on,
                               lifted_on=m.lifted_on) for m in given.measures], HangingCaseMeasure)
    _sync(case.property_items, [dict(kind=p.kind, description=p.description, amount=p.amount, seized_on=p.seized_on,
                                     returned_on=p.returned_on) for p in given.property], HangingCaseProperty)
    case.content_hash = content_hash(given)


def _sync(rows: list[Any], values: list[dict[str, Any]], make: Callable[..., Any]) -> None:
    for position, fields_ in enumerate(values):
        if position < len(rows):
            for name, value in fields_.items():
                if getattr(rows[position], name) != value:
                    setattr(rows[position], name, value)
        else:
            rows.append(make(position=position, **fields_))
    del rows[len(values):]


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in after if before.get(k) != after.get(k))


def problems_of(faults: Iterable[Fault]) -> list[dict[str, Any]]:
    """Rule faults as the API's problems, each naming its field (``measures.0.ends_on``)."""
    return [{"field": ".".join(str(p) for p in f.where), "code": f.code,
             "message": {"zh": f.message_zh, "en": f.message_en}} for f in faults]


def _today(now: _dt.datetime | None) -> tuple[_dt.datetime, _dt.date]:
    at = now or utcnow()
    return at, beijing_date(at)


# --- hand entry --------------------------------------------------------------------------------


def register(session: Session, *, given: CaseIn, actor: Actor, now: _dt.datetime | None = None) -> HangingCase:
    """A case entered by hand for the prosecutor's own unit.

    :raise ProsecutorsOnly: not a 捕诉检察官.
    :raise EntryInvalid: a rule of rows.py is broken (each field named).
    :raise CaseExists: the organ's 案号 is registered already.
    """
    principal = _acting(actor)
    _, today = _today(now)
    faults = check(given, today=today)
    if faults:
        raise EntryInvalid(problems_of(faults))
    exists = session.scalar(select(HangingCase.id).where(HangingCase.investigating_organ == given.investigating_organ,
                                                         HangingCase.case_number == given.case_number))
    if exists is not None:
        raise CaseExists(case_number=given.case_number)
    case = HangingCase(unit_code=principal.unit_code, status=OPEN, source=MANUAL, created_by=actor.name)
    _fill(case, given)
    session.add(case)
    session.flush()
    _audit(session, "hanging_case.register", case, actor, before=None)
    emit(session, "hanging_case.registered", case, actor, measure_count=len(case.measures),
         property_count=len(case.property_items))
    return case


def _edit(session: Session, case_id: str, *, actor: Actor, change: str, now: _dt.datetime | None,
          apply: Callable[[CaseIn], None]) -> HangingCase:
    """Apply ``apply`` to the case as input, check every rule again, write it back, audit and announce."""
    principal = _acting(actor)
    case = get_or_raise(session, case_id, principal=principal, for_update=True)
    if not may_act(principal, case):
        raise NotYourUnit(unit_code=case.unit_code)
    _, today = _today(now)
    given = from_model(case)
    apply(given)
    faults = check(given, today=today)
    if faults:
        raise EntryInvalid(problems_of(faults))
    before = summary(case)
    _fill(case, given)
    session.flush()
    after = summary(case)
    _audit(session, f"hanging_case.{change}", case, actor, before=before)
    emit(session, "hanging_case.updated", case, actor, change=change, changed_fields=_changed_fields(before, after))
    return case


class NoSuchPart(NotFound):
    code = "hanging.no_such_part"
    message_zh = "该案件没有这一项强制措施或涉案财物"
    message_en = "The case has no such measure or property item"


def _index(items: list[Any], item_id: str) -> int:
    for i, item in enumerate(items):
        if item.id == item_id:
            return i
    raise NoSuchPart(item_id=item_id)


def add_measure(session: Session, case_id: str, *, measure: MeasureIn, actor: Actor,
                now: _dt.datetime | None = None) -> HangingCase:
    return _edit(session, case_id, actor=actor, change="measure_added", now=now,
                 apply=lambda given: given.measures.append(measure))


def change_measure(session: Session, case_id: str, measure_id: str, *, changes: dict[str, Any], actor: Actor,
                   now: _dt.datetime | None = None) -> HangingCase:
    """Set a measure's term end and/or the date it was lifted (解除); ``None`` clears a date."""
    case = get_or_raise(session, case_id, principal=actor.principal)
    index = _index(list(case.measures), measure_id)

    def apply(given: CaseIn) -> None:
        for name in ("ends_on", "lifted_on"):
            if name in changes:
                setattr(given.measures[index], name, changes[name])

    return _edit(session, case_id, actor=actor, change="measure_changed", now=now, apply=apply)


def add_property(session: Session, case_id: str, *, item: PropertyIn, actor: Actor,
                 now: _dt.datetime | None = None) -> HangingCase:
    return _edit(session, case_id, actor=actor, change="property_added", now=now,
                 apply=lambda given: given.property.append(item))


def change_property(session: Session, case_id: str, item_id: str, *, changes: dict[str, Any], actor: Actor,
                    now: _dt.datetime | None = None) -> HangingCase:
    """Set the date property was returned (返还) and/or its amount."""
    case = get_or_raise(session, case_id, principal=actor.principal)
    index = _index(list(case.property_items), item_id)

    def apply(given: CaseIn) -> None:
        for name in ("returned_on", "amount"):
            if name in changes:
                setattr(given.property[index], name, changes[name])

    return _edit(session, case_id, actor=actor, change="property_changed", now=now, apply=apply)


# --- import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    batch: HangingCaseImport
    replayed: bool  # the same file was imported before: that batch, nothing changed
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CHUNK = 500


def _stored(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], HangingCase]:
    """The stored cases among the natural keys ``keys`` (read in chunks: a file has up to 20,000)."""
    numbers = sorted({number for _, number in keys})
    found: dict[tuple[str, str], HangingCase] = {}
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start:start + _CHUNK]
        for case in session.scalars(select(HangingCase).where(HangingCase.case_number.in_(chunk))):
            key = (case.investigating_organ, case.case_number)
            if key in keys:
                found[key] = case
    return found


def import_file(session: Session, *, data: bytes, file_name: str, actor: Actor,
                now: _dt.datetime | None = None) -> ImportResult:
    """Import a CSV or XLSX of cases for the prosecutor's unit: all rows or none.

    :raise ProsecutorsOnly: not a 捕诉检察官.
    :raise ImportRejected: the file or any row breaks a rule (every problem listed; nothing written).
    """
    principal = _acting(actor)
    at, today = _today(now)
    digest = file_sha256(data)
    earlier = session.scalar(select(HangingCaseImport).where(HangingCaseImport.unit_code == principal.unit_code,
                                                            HangingCaseImport.file_sha256 == digest))
    if earlier is not None:
        return ImportResult(earlier, replayed=True)
    try:
        sheet = files.read(data)
    except files.FileProblem as exc:
        raise ImportRejected([importing.RowProblem(None, None, None, exc.code, exc.message_zh, exc.message_en)]) from None
    parsed = importing.parse(sheet, today=today)
    problems = list(parsed.problems)
    stored = _stored(session, {(r.case.investigating_organ, r.case.case_number) for r in parsed.rows})
    plan: list[tuple[importing.ParsedRow, HangingCase | None, str]] = []
    for row in parsed.rows:
        digest_of_row = content_hash(row.case)
        case = stored.get((row.case.investigating_organ, row.case.case_number))
        if case is None:
            plan.append((row, None, digest_of_row))
            continue
        letter = get_column_letter(parsed.position["case_number"] + 1)
        if case.unit_code != principal.unit_code:
            problems.append(importing.RowProblem(row.row, "案号", letter, "hanging_import.other_unit",
                                                 "该案件已由其他单位登记，不能导入", "Another unit registered this case"))
        elif case.content_hash != digest_of_row and case.status == CLEARED:
            problems.append(importing.RowProblem(row.row, "案号", letter, "hanging_import.case_cleared",
                                                 "该案件已清理，不能通过导入修改", "The case is cleared; an import cannot change it"))
        else:
            plan.append((row, case, digest_of_row))
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: (p.row or 0, len(p.column_letter or ""), p.column_letter or "")))
    batch = HangingCaseImport(unit_code=principal.unit_code, file_name=file_name[:255], file_format=sheet.file_format,
                              file_sha256=digest, row_count=len(parsed.rows), created_count=0, updated_count=0,
                              unchanged_count=0, imported_by=actor.name, imported_at=at)
    session.add(batch)
    session.flush()
    result = ImportResult(batch, replayed=False)
    created_rows: list[dict[str, Any]] = []
    kafka = KafkaSettings()  # read once, not once per event
    # New cases are written in one flush at the end (ids given here), not one round trip each: the
    # import's audit row names every case it created (id, 案号, row); an update is audited on its own
    # with its before and after.
    with session.no_autoflush:
        for row, existing, digest_of_row in plan:
            if existing is None:
                case = HangingCase(id=new_uuid(), unit_code=principal.unit_code, status=OPEN, source=IMPORT,
                                   import_batch_id=batch.id, created_by=actor.name)
                _fill(case, row.case)
                session.add(case)
                emit(session, "hanging_case.registered", case, actor, kafka=kafka, measure_count=len(case.measures),
                     property_count=len(case.property_items))
                result.created.append(case.id)
                created_rows.append({"id": case.id, "case_number": case.case_number, "row": row.row})
            elif existing.content_hash == digest_of_row:
                batch.unchanged_count += 1
            else:
                before = summary(existing)
                _fill(existing, row.case)
                existing.import_batch_id = batch.id
                after = summary(existing)
                _audit(session, "hanging_case.import_update", existing, actor, before=before, import_batch_id=batch.id,
                       row=row.row)
                emit(session, "hanging_case.updated", existing, actor, change="reimport",
                     changed_fields=_changed_fields(before, after))
                result.updated.append(existing.id)
    session.flush()
    batch.created_count, batch.updated_count = len(result.created), len(result.updated)
    record(session, action="hanging_case.import", subject_type="hanging_case_import", subject_id=batch.id,
           after={"file_name": batch.file_name, "file_sha256": digest, "file_format": batch.file_format,
                  "row_count": batch.row_count, "created": batch.created_count, "updated": batch.updated_count,
                  "unchanged": batch.unchanged_count},
           detail={"created": created_rows, "updated": result.updated}, **actor.fields())
    enqueue(session, new_event("hanging_case.imported", subject=batch.id, source="review", actor=actor.name, data={
        "import_batch_id": batch.id, "unit_code": batch.unit_code, "file_name": batch.file_name, "file_sha256": digest,
        "row_count": batch.row_count, "created_count": batch.created_count, "updated_count": batch.updated_count,
        "unchanged_count": batch.unchanged_count}, trace_id=actor.trace_id))
    return result


def imports(session: Session, *, principal: Principal | None, limit: int = 50) -> list[HangingCaseImport]:
    """The import batches of the units the principal sees, newest first."""
    query = select(HangingCaseImport).order_by(HangingCaseImport.imported_at.desc()).limit(limit)
    if principal is not None and principal.visible_units is not None:
        query = query.where(HangingCaseImport.unit_code.in_(sorted(principal.visible_units)))
    return list(session.scalars(query))


def get_import(session: Session, batch_id: str, *, principal: Principal | None) -> HangingCaseImport:
    batch = session.get(HangingCaseImport, batch_id)
    if batch is None or not can_see(principal, batch.unit_code):
        raise HangingCaseNotFound(import_batch_id=batch_id)
    return batch


def cases_of_batch(session: Session, batch_id: str) -> list[HangingCase]:
    return list(session.scalars(select(HangingCase).where(HangingCase.import_batch_id == batch_id)
                                .order_by(HangingCase.filed_on, HangingCase.case_number)))
