"""Pages of 12368 工单: the judge's list (/work-orders), one order with its reply, 转办 and 改派 forms,
and the panel on the case page (/cases/<id>) with the clerk's create form and the item's orders.

Every form is read with the API's own schema and every rule is the service's: a refusal is shown
beside the field it names (422; a clash with what is stored, 409), nothing stored; after a step
the page answers 303.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, request
from sqlalchemy.orm import Session

from services.review.triage import case_panels
from services.review.triage.access import ItemNotFound, get_item
from services.review.triage.models import TriageItem
from services.review.work_orders import reading, service, targets
from services.review.work_orders.models import DELIVERY_TEXT, LEVEL_TEXT, STATUS_TEXT
from services.review.work_orders.schemas import (
    WorkOrderCreate,
    WorkOrderListArgs,
    WorkOrderReassignIn,
    WorkOrderReplyIn,
    WorkOrderTransferIn,
)
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import DomainError, ErrorKind
from shared.web.pages import FormErrors, page_blueprint, parse_form, redirect_to, render_page

blp = page_blueprint("work_orders", __name__)
PAGE_SIZE = 50
SCOPE_TEXT = {"mine": "我的工单", "unit": "本部门工单", "visible": "全部可见工单"}
LIST_STATUS_TEXT = {"open": "待回复", "replied": "已回复", "all": "全部"}
KIND_TEXT = {"order": "转法官办理", "on_the_spot": "当场答复"}
MOVE_TEXT = {"transfer": "转办", "reassign": "改派"}
DONE_TEXT = {"reply": "已回复，来电人的答复已记录。", "transfer": "已转办，新的承办人另计时限。",
             "reassign": "已改派，时限继续计算。", "created": "工单已生成。"}
_REFUSED = (ErrorKind.INVALID, ErrorKind.CONFLICT)
_LABELS = {"to_username": "承办法官", "to_unit_code": "承办部门", "reasons": "理由", "reply_text": "答复内容",
           "delivery": "告知方式", "request": "来电事项", "related_case_number": "关联案号",
           "is_green_channel": "绿色通道"}


def _check_id(value: str) -> None:
    if len(value) > 36:
        abort(404)


def _status_of(exc: DomainError) -> int:
    return 409 if exc.kind is ErrorKind.CONFLICT else 422


def _refusal(errors: FormErrors, exc: DomainError) -> FormErrors:
    """The service's refusal beside the field it names (or above the form)."""
    errors.add(exc.field if exc.field in _LABELS else "_form", exc.message_zh)
    return errors


def _texts() -> dict[str, Any]:
    return {"status_text": STATUS_TEXT, "level_text": LEVEL_TEXT, "delivery_text": DELIVERY_TEXT,
            "kind_text": KIND_TEXT, "move_text": MOVE_TEXT, "delivery_options": list(DELIVERY_TEXT.items())}


def _target_options(session: Session, origin_unit_code: str) -> dict[str, Any]:
    tree = targets.court_tree(session, origin_unit_code)
    judges = [(a.username, f"{a.display_name}（{tree[a.unit_code].name}）") for a in targets.judges(session, origin_unit_code)]
    divisions = [(code, unit.name) for code, unit in tree.items() if unit.kind in ("department", "court")]
    return {"judge_options": judges, "division_options": divisions}


# --- the list --------------------------------------------------------------------------------


@blp.get("/work-orders")
@requires(*service.READ_ROLES)
def list_page() -> Response:
    """工单: the orders I hold (or my division's, my center's), open first, the overdue first."""
    data, errors = parse_form(WorkOrderListArgs(), request.args)
    principal = require_principal()
    today = beijing_today()
    rows: list[dict[str, Any]] = []
    if data is not None:
        data["limit"] = PAGE_SIZE
        session = db_session()
        rows = reading.as_read_many(session, service.list_(session, principal=principal, **data), today=today)
    values = data or {"scope": "mine", "status": "open"}
    return render_page("work_orders/list.html", status=200 if data is not None else 422, rows=rows, errors=errors,
                       values=values, today=today, scope_text=SCOPE_TEXT, list_status_text=LIST_STATUS_TEXT,
                       **_texts())


# --- one order -------------------------------------------------------------------------------


def _order_page(order_id: str, *, errors: FormErrors | None = None, form: str | None = None, status: int = 200) -> Response:
    session = db_session()
    principal = require_principal()
    today = beijing_today()
    view = reading.read(session, order_id, principal=principal, today=today)
    order = service.get_or_raise(session, order_id, principal=principal)
    return render_page(
        "work_orders/detail.html", status=status, o=view, errors=errors or FormErrors(), form=form, today=today,
        clocks=[reading.clock_view(c, today=today) for c in service.clocks_of(session, order_id)],
        can_reply=service.may_answer(principal, order), can_transfer=service.may_transfer(principal, order),
        can_reassign=service.may_reassign(principal, order), done=DONE_TEXT.get(request.args.get("done", "")),
        unit_name=lambda code: targets.unit_name(session, code),
        **_target_options(session, order.origin_unit_code), **_texts(),
    )


@blp.get("/work-orders/<string:order_id>")
@requires(*service.READ_ROLES)
def detail(order_id: str) -> Response:
    """One order: the request, its clock, the reply or the forms to reply, 转办 or 改派."""
    _check_id(order_id)
    return _order_page(order_id)


def _step(order_id: str, form: str, schema: Any, call: Any) -> Response:
    _check_id(order_id)
    data, errors = parse_form(schema, request.form)
    if data is None:
        return _order_page(order_id, errors=errors, form=form, status=422)
    try:
        with transaction(db_session()) as session:
            call(session, data)
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        return _order_page(order_id, errors=_refusal(errors, exc), form=form, status=_status_of(exc))
    return redirect_to(f"/work-orders/{order_id}", done=form)


@blp.post("/work-orders/<string:order_id>/reply")
@requires(*service.ANSWER_ROLES)
def reply(order_id: str) -> Response:
    """回复: the text and how the caller was told."""
    return _step(order_id, "reply", WorkOrderReplyIn(), lambda session, data: service.reply(
        session, order_id=order_id, reply_in=data, actor=request_actor()))


@blp.post("/work-orders/<string:order_id>/transfer")
@requires(*service.TRANSFER_ROLES)
def transfer(order_id: str) -> Response:
    """转办 to another division's judge or the division, with reasons."""
    return _step(order_id, "transfer", WorkOrderTransferIn(), lambda session, data: service.transfer(
        session, order_id=order_id, transfer_in=data, actor=request_actor()))


@blp.post("/work-orders/<string:order_id>/reassign")
@requires(*service.REASSIGN_ROLES)
def reassign(order_id: str) -> Response:
    """改派 within the division (its head), with reasons."""
    return _step(order_id, "reassign", WorkOrderReassignIn(), lambda session, data: service.reassign(
        session, order_id=order_id, reassign_in=data, actor=request_actor()))


# --- creating from the case page ---------------------------------------------------------------


def _item_or_404(principal: Principal, petition_id: str) -> TriageItem:
    _check_id(petition_id)
    try:
        return get_item(db_session(), petition_id, principal=principal)
    except ItemNotFound:
        abort(404)


def _create_form(item: TriageItem, errors: FormErrors, *, status: int) -> Response:
    session = db_session()
    return render_page("work_orders/new.html", status=status, item=item, errors=errors, values=errors.values,
                       **_target_options(session, item.unit_code or ""), **_texts())


@blp.get("/cases/<string:petition_id>/work-orders/new")
@requires(*service.CREATE_ROLES)
def new(petition_id: str) -> Response:
    """生成工单: the form of the case page's panel, on a page of its own."""
    return _create_form(_item_or_404(require_principal(), petition_id), FormErrors(), status=200)


@blp.post("/cases/<string:petition_id>/work-orders")
@requires(*service.CREATE_ROLES)
def create(petition_id: str) -> Response:
    """Create the order (or record the answer given on the spot); back to the case page."""
    item = _item_or_404(require_principal(), petition_id)
    data, errors = parse_form(WorkOrderCreate(), request.form)
    if data is None:
        return _create_form(item, errors, status=422)
    try:
        with transaction(db_session()) as session:
            service.create(session, petition_id=petition_id, order_in=data, actor=request_actor())
    except DomainError as exc:
        if exc.kind not in _REFUSED:
            raise
        return _create_form(_item_or_404(require_principal(), petition_id), _refusal(errors, exc),
                            status=_status_of(exc))
    return redirect_to(f"/cases/{petition_id}")


# --- the case page's panel ---------------------------------------------------------------------


def _panel(session: Session, item: TriageItem, principal: Principal) -> dict[str, Any] | None:
    if item.line != service.LINE:
        return None
    today = beijing_today()
    orders = reading.as_read_many(session, service.of_item(session, item.petition_id), today=today)
    can_create = service.may_create(principal, item)
    if not orders and not can_create:
        return None
    return {"orders": orders, "can_create": can_create, "today": today, "errors": FormErrors(), "values": {},
            **(_target_options(session, item.unit_code or "") if can_create else {}), **_texts()}


case_panels.register(case_panels.CasePanel("work-orders", "work_orders/panel.html", _panel, order=60))
