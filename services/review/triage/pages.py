"""Pages of the triage queue (分流队列) and of one case (案件页).

The case page is review's view of a petition: its triage item, its 期限 with their history,
suspensions (中止) and extensions (延长), and a timeline; the petition itself (masked, with the
audited reveal) and its deliveries are rendered by intake and notify and included into the page
(`data-include`), so no service reads another's database.  Without JavaScript those parts are
links to the same pages.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, request
from werkzeug.datastructures import MultiDict

from services.review.deadlines import queries as deadlines
from services.review.deadlines.models import Deadline, DeadlineEvent
from services.review.triage import bulk, case_panels, decisions, queue, service, states
from services.review.triage.access import ItemNotFound, get_item
from services.review.triage.models import TriageItem
from services.review.triage.panel import context_for
from services.review.triage.schemas import (
    ALL_CATEGORIES,
    BulkIn,
    ClassifyIn,
    DeclineIn,
    MaterialsIn,
    ObjectionIn,
    QueueArgs,
    RouteIn,
)
from services.review.triage.targets import name_of
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError
from shared.events.intake import CHANNEL_NAMES, CHANNELS, LINE_NAMES
from shared.web.errors import STATUS_OF_KIND
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("triage", __name__)
READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")
# The case page: also the court's people, whose 12368 contacts and 工单 it shows (work_orders panel).
CASE_READERS = (*READERS, "judge", "court_clerk")
PAGE_SIZE = 50
STATUS_TEXT = states.STATUS_TEXT
CHANNEL_TEXT = CHANNEL_NAMES
LINE_TEXT = LINE_NAMES
DEADLINE_STATUS_TEXT = {"open": "进行中", "met": "已办结", "missed": "已超期"}
# The stored units of a period (shared.calendar.Unit values) and the reasons of a 中止, as a page says them.
UNIT_TEXT = {"day": "日", "working_day": "个工作日", "month": "个月"}
SUSPENSION_REASON_TEXT = {
    "supplementary_investigation": "补充侦查", "appraisal": "鉴定", "awaiting_materials": "等待补充材料",
    "rule_excluded": "依规定不计入", "other": "其他",
}
EVENT_TEXT = {
    "set": "设定期限", "suspended": "中止计算", "resumed": "恢复计算", "extended": "延长期限",
    "recomputed": "重新计算（节假日安排变更）", "due_soon_emitted": "发出即将到期提醒",
    "overdue_emitted": "发出超期提醒", "met": "按期办结", "missed": "超期",
}
ROUTE_TEXT = {"here": "本单位办理", "assigned": "交办", "transferred_in_tree": "移送（系统内）",
              "transferred_out": "移送（系统外机关）", "materials_requested": "一次性告知补充材料",
              "materials_received": "收到补充材料", "declined": "不予受理", "transfer_objected": "对移送提出异议"}
BULK_TEXT = {"classify": "批量分类", "assign": "批量交办", "route": "批量分流"}


@blp.get("/triage")
@requires(*READERS)
def queue_page() -> Response:
    """分流队列: the petitions of the units the officer sees, the nearest due date first."""
    return _queue_page(request.args)


def _queue_page(args: Any, *, bulk_result: bulk.BulkResult | None = None, bulk_errors: FormErrors | None = None,
                status: int = 200) -> Response:
    data, errors = parse_form(QueueArgs(), args)
    today = beijing_today()
    result = None
    if data is not None:
        try:
            result = queue.page(db_session(), principal=require_principal(), filters=queue.filters_from(data), today=today,
                                limit=PAGE_SIZE, after=data.get("after"))
        except queue.BadCursor:
            errors.add("after", "翻页参数无效，请回到第一页")
    kept = {k: v for k, v in errors.values.items() if k != "after"}
    next_url = f"/triage?{urlencode({**kept, 'after': result.next_cursor})}" if result and result.next_cursor else None
    first_url = "/triage" + (f"?{urlencode(kept)}" if kept else "") if errors.values.get("after") else None
    status_links = [(s, STATUS_TEXT[s], "/triage?" + urlencode({**{k: v for k, v in kept.items() if k != "status"}, "status": s}))
                    for s in queue.STATUSES]
    return render_page(
        "triage/queue.html", status=status if result is not None else 422, page=result, errors=errors, values=kept,
        bulk_result=bulk_result, bulk_errors=bulk_errors or FormErrors(), bulk_text=BULK_TEXT,
        category_options=[(c, c) for c in ALL_CATEGORIES], principal=require_principal(),
        today=today, next_url=next_url, first_url=first_url, status_links=status_links,
        status_text=STATUS_TEXT, channel_text=CHANNEL_TEXT, line_text=LINE_TEXT,
        status_options=list(STATUS_TEXT.items()), line_options=list(LINE_TEXT.items()),
        channel_options=[(c, CHANNEL_TEXT.get(c, c)) for c in CHANNELS],
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: _dt.datetime
    title: str
    detail: str | None = None


def _timeline(item: TriageItem, details: list[dict[str, Any]]) -> list[TimelineEntry]:
    entries = [TimelineEntry(item.created_at, "进入分流队列", f"{LINE_TEXT.get(item.line, item.line)} · "
                             f"{CHANNEL_TEXT.get(item.channel, item.channel)}")]
    for detail in details:
        deadline: Deadline = detail["deadline"]
        for event in detail["history"]:
            event_: DeadlineEvent = event
            text = EVENT_TEXT.get(event_.kind, event_.kind)
            entries.append(TimelineEntry(event_.occurred_at, f"{deadline.title}：{text}",
                                         f"届满日 {event_.due_on.isoformat()}" if event_.due_on else None))
    return sorted(entries, key=lambda e: e.at)


def _item_or_404(principal: Principal, petition_id: str) -> TriageItem:
    """The petition's triage item if the principal's units see it; else the 404 page (existence not revealed)."""
    try:
        return get_item(db_session(), petition_id, principal=principal)
    except ItemNotFound:
        abort(404)


@blp.get("/cases/<string:petition_id>")
@requires(*CASE_READERS)
def case_page(petition_id: str) -> Response:
    """案件页: the petition's triage item, 期限 (history, 中止, 延长), timeline, and the included parts."""
    if len(petition_id) > 36:
        abort(404)
    principal = require_principal()
    item = _item_or_404(principal, petition_id)
    return _render_case(item, principal, notice=NOTICES.get(request.args.get("done", "")))


def _render_case(item: TriageItem, principal: Principal, *, errors: FormErrors | None = None, form: str | None = None,
                 notice: str | None = None, status: int = 200) -> Response:
    session = db_session()
    petition_id = item.petition_id
    # Whoever sees the 事项 (access.get_item above) sees all its 期限: the 12309 reply clocks stay
    # the receiving unit's, but the unit it was 交办 to is the one answering against them.
    details = [deadlines.detail(session, d.id, principal=None)
               for d in deadlines.list_(session, principal=None, subject=petition_id, limit=100)]
    return render_page(
        "triage/case.html", status=status, item=item, deadlines=details, triage=context_for(session, item, principal),
        errors=errors or FormErrors(), failed_form=form, notice=notice, route_text=ROUTE_TEXT, unit_name=name_of,
        category_options=[(c, c) for c in ALL_CATEGORIES], timeline=_timeline(item, details), today=beijing_today(),
        status_text=STATUS_TEXT, channel_text=CHANNEL_TEXT, line_text=LINE_TEXT,
        deadline_status_text=DEADLINE_STATUS_TEXT, event_text=EVENT_TEXT, unit_text=UNIT_TEXT,
        suspension_reason_text=SUSPENSION_REASON_TEXT,
        duplicates=service.duplicates_of(session, petition_id=item.petition_id),
        panels=case_panels.for_item(session, item, principal), principal=principal,
    )


# --- the 分流 forms (the API's schemas; refusals re-show the page with the form's errors) ------------

NOTICES = {"classify": "已保存分类。", "route": "已分流。", "materials": "已一次性告知需补充的材料，答复期限中止计算。",
           "received": "已收到补充材料，答复期限恢复计算。", "decline": "已决定不予受理。", "objection": "已提出异议，事项退回移送单位。"}


def _decide(petition_id: str, form: str, schema: Any, act: Any, *, values: Any = None,
            lists: frozenset[str] = frozenset()) -> Response:
    """Parse ``form`` with ``schema``, run ``act(session, data)``; 303 to the case page, or the page with errors."""
    if len(petition_id) > 36:
        abort(404)
    principal = require_principal()
    data, errors = parse_form(schema, values if values is not None else request.form, lists=lists) if schema else ({}, FormErrors())
    if data is None:
        return _render_case(_item_or_404(principal, petition_id), principal, errors=errors, form=form, status=422)
    try:
        with transaction(db_session()) as session:
            act(session, data)
    except ItemNotFound:
        abort(404)
    except DomainError as exc:
        errors.add(exc.field or "_form", exc.message_zh)
        return _render_case(_item_or_404(principal, petition_id), principal, errors=errors, form=form,
                            status=STATUS_OF_KIND[exc.kind])
    return redirect_to(f"/cases/{petition_id}", done=form)


@blp.post("/cases/<string:petition_id>/triage/classify")
@requires("triage_officer")
def classify_form(petition_id: str) -> Response:
    return _decide(petition_id, "classify", ClassifyIn(), lambda s, d: decisions.classify(
        s, petition_id=petition_id, classification=decisions.Classification(**d), actor=request_actor()))


@blp.post("/cases/<string:petition_id>/triage/route")
@requires("triage_officer")
def route_form(petition_id: str) -> Response:
    return _decide(petition_id, "route", RouteIn(), lambda s, d: decisions.route(
        s, petition_id=petition_id, decision=decisions.Route(**d), actor=request_actor(), today=beijing_today()))


@blp.post("/cases/<string:petition_id>/triage/materials")
@requires("triage_officer")
def materials_form(petition_id: str) -> Response:
    # One material a line in the textarea; the API takes them as a list.
    values = MultiDict([(k, v) for k, v in request.form.items(multi=True) if k != "materials"])
    for line in request.form.get("materials", "").splitlines():
        values.add("materials", line)
    return _decide(petition_id, "materials", MaterialsIn(), lambda s, d: decisions.request_materials(
        s, petition_id=petition_id, materials=d["materials"], note=d.get("note"), actor=request_actor(),
        today=beijing_today()), values=values, lists=frozenset({"materials"}))


@blp.post("/cases/<string:petition_id>/triage/materials/received")
@requires("triage_officer")
def materials_received_form(petition_id: str) -> Response:
    return _decide(petition_id, "received", None, lambda s, d: decisions.receive_materials(
        s, petition_id=petition_id, actor=request_actor(), today=beijing_today()))


@blp.post("/cases/<string:petition_id>/triage/decline")
@requires("triage_officer")
def decline_form(petition_id: str) -> Response:
    return _decide(petition_id, "decline", DeclineIn(), lambda s, d: decisions.decline(
        s, petition_id=petition_id, reasons=d["reasons"], basis=d["basis"], actor=request_actor(),
        today=beijing_today()))


@blp.post("/cases/<string:petition_id>/triage/objection")
@requires("triage_officer")
def objection_form(petition_id: str) -> Response:
    return _decide(petition_id, "objection", ObjectionIn(), lambda s, d: decisions.object_to_transfer(
        s, petition_id=petition_id, reasons=d["reasons"], actor=request_actor(), today=beijing_today()))


@blp.post("/triage/bulk")
@requires("triage_officer")
def bulk_form() -> Response:
    """批量分流: the checked rows, one action; the queue again with a result per item."""
    data, errors = parse_form(BulkIn(), request.form, lists=frozenset({"petition_ids"}))
    if data is None:
        return _queue_page(request.args, bulk_errors=errors, status=422)
    action, ids = data.pop("action"), data.pop("petition_ids")
    try:
        with transaction(db_session()) as session:
            result = bulk.run(session, action=action, petition_ids=ids, args=data, actor=request_actor(),
                              today=beijing_today())
    except DomainError as exc:
        errors.add(exc.field or "_form", exc.message_zh)
        return _queue_page(request.args, bulk_errors=errors, status=STATUS_OF_KIND[exc.kind])
    return _queue_page(request.args, bulk_result=result)
