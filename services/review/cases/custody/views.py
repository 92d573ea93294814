"""HTTP API of 羁押必要性审查: the queue, one review and its steps, its documents, the custody register, the rates.

Who: the prosecutors and unit leaders of the reviewing unit and the units above it read, the task force reads
everything (others 403; another unit's review is a 404); only the reviewing unit's own prosecutors act; 控申
(triage officers, intake clerks) may register an application, which then goes to 捕诉 the same day.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any
from urllib.parse import quote

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.cases.custody import document, rates, service
from services.review.cases.custody.models import CustodyDocument, CustodyRegisterEntry, CustodyReview
from services.review.cases.custody.schemas import (
    CorrectionIn,
    Decide,
    Decline,
    Extend,
    GroundRead,
    GroundsUpdate,
    RateRead,
    CustodyRatesArgs,
    RegisterCreate,
    RegisterRead,
    RegisterUpdate,
    ReplyIn,
    Resume,
    ReviewCreate,
    ReviewDetailRead,
    ReviewListArgs,
    ReviewRead,
    Suspend,
)
from services.review.cases.custody.vocabulary import DOCUMENT_TITLE, OPEN_STATES
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.errors import NotFound

READERS = ("prosecutor", "unit_leader", "task_force")
ACTORS = ("prosecutor",)
OPENERS = ("prosecutor", "unit_leader", "triage_officer", "intake_clerk")
FORMATS = {"pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

APPLICATION_EXAMPLE = {
    "trigger": "application", "unit_code": "NY-JCY-XS", "person_name": "王建国", "id_number": "11010519491231002X",
    "criminal_case_number": "宛公刑立字〔2026〕118号", "charge": "合同诈骗罪", "stage": "investigation",
    "handling_organ": "南阳市公安局", "enterprise_role": "legal_representative", "enterprise_name": "南阳某机械有限公司",
    "enterprise_credit_code": "91411300MA9K1234XF", "employees": 240, "production_stopped": True,
    "contracts_at_risk": 3, "contracts_amount": 5000000, "impact_text": "企业两条生产线停产，三份供货合同面临违约。",
    "measures": [{"kind": "detention", "started_on": "2026-09-01"},
                 {"kind": "arrest", "started_on": "2026-09-08", "ends_on": "2026-11-08"}],
    "applicant_kind": "close_relative", "applicant_name": "王小红", "applicant_email": "wxh@example.com",
    "applicant_phone": "13800138000", "reasons": "本人认罪认罚，企业急需其主持生产。", "evidence": "认罪认罚具结书"}
REGISTER_EXAMPLE = {
    "person_name": "李四", "criminal_case_number": "宛公刑立字〔2026〕200号", "charge": "非法吸收公众存款罪",
    "stage": "prosecution", "stage_entered_on": "2026-09-20", "likely_sentence_months": 30,
    "handling_organ": "南阳市公安局", "arrested_on": "2026-08-01", "special_situations": ["pregnancy"]}

blp = Blueprint("custody", __name__, url_prefix="/api/v1", description="羁押必要性审查 Custody-necessity review")


class DocumentNotFound(NotFound):
    code = "custody_document_not_found"
    message_zh = "未找到该文书"
    message_en = "No such document"


def _staff() -> Actor:
    actor = request_actor()
    if actor.principal is None:
        raise RuntimeError("no principal: the view is not behind an access declaration")
    return actor


def document_row(row: CustodyDocument) -> dict[str, Any]:
    base = f"/api/v1/custody-reviews/{row.review_id}/documents/{row.id}"
    return {"id": row.id, "kind": row.kind, "document_number": row.document_number, "addressee": row.addressee,
            "issued_on": row.issued_on, "pdf_sha256": row.pdf_sha256, "pdf_url": f"{base}.pdf",
            "docx_url": f"{base}.docx"}


def detail(session: Session, review: CustodyReview) -> dict[str, Any]:
    fields = {name: getattr(review, name) for name in ReviewRead().fields}
    return {**fields, "measures": service.measures_of(session, review.id),
            "grounds": list(service.grounds_of(session, review.id).values()),
            "clocks": service.clocks_of(session, review.id),
            "documents": [document_row(d) for d in service.documents_of(session, review.id)]}


def listing(session: Session, principal: Principal, args: dict[str, Any], today: _dt.date) -> list[CustodyReview]:
    """The queue: the reviews the principal sees, filtered, nearest due date first."""
    query = service.visible(select(CustodyReview), principal)
    state = args.get("state")
    if state == "open":
        query = query.where(CustodyReview.state.in_(OPEN_STATES))
    elif state:
        query = query.where(CustodyReview.state == state)
    if args.get("trigger"):
        query = query.where(CustodyReview.trigger == args["trigger"])
    if args.get("stage"):
        query = query.where(CustodyReview.stage == args["stage"])
    if args.get("unit"):
        query = query.where(CustodyReview.unit_code == args["unit"])
    if args.get("overdue"):
        query = query.where(CustodyReview.due_on < today, CustodyReview.state.in_(OPEN_STATES))
    if args.get("q"):
        prefix = args["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(CustodyReview.criminal_case_number.like(f"{prefix}%", escape="\\")
                            | CustodyReview.case_number.like(f"{prefix}%", escape="\\"))
    query = query.order_by(CustodyReview.sort_due_on, CustodyReview.id).offset(args.get("offset", 0))
    return list(session.scalars(query.limit(args.get("limit", 50))))


@blp.route("/custody-reviews")
class Reviews(MethodView):
    @requires(*READERS)
    @blp.arguments(ReviewListArgs, location="query")
    @blp.response(200, ReviewRead(many=True))
    def get(self, args: dict[str, Any]) -> list[CustodyReview]:
        """The 羁押必要性审查 queue: every review the caller sees, nearest due date first."""
        return listing(db_session(), require_principal(), args, beijing_today())

    @requires(*OPENERS)
    @blp.arguments(ReviewCreate, example=APPLICATION_EXAMPLE)
    @blp.response(201, ReviewDetailRead)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Open a review: an application (控申/案管 or 捕诉 register it), ex officio, or on the 看守所's suggestion."""
        with transaction(db_session()) as session:
            review = service.open_review(session, data=body, actor=_staff())
            return detail(session, review)


@blp.route("/custody-reviews/rates")
class Rates(MethodView):
    @requires(*READERS)
    @blp.arguments(CustodyRatesArgs, location="query")
    @blp.response(200, RateRead(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Acceptance rates of the 建议 per unit (accepted / made), for the half-monthly reports."""
        principal = require_principal()
        units = args.get("unit")
        if principal.visible_units is not None:
            units = sorted(set(units or principal.visible_units) & set(principal.visible_units))
        return [{**r.__dict__, "rate": r.rate}
                for r in rates.rates(db_session(), args["since"], args["until"], units)]


@blp.route("/custody-reviews/<string:review_id>")
class Review(MethodView):
    @requires(*READERS)
    @blp.response(200, ReviewDetailRead)
    def get(self, review_id: str) -> dict[str, Any]:
        """One review with its custody dates, checklist, clocks and documents."""
        session = db_session()
        return detail(session, service.get(session, review_id, principal=require_principal()))


def _step(review_id: str, step: Any, **kwargs: Any) -> dict[str, Any]:
    with transaction(db_session()) as session:
        step(session, review_id=review_id, actor=_staff(), **kwargs)
        return detail(session, service.get(session, review_id, principal=require_principal()))


@blp.route("/custody-reviews/<string:review_id>/receive")
class Receive(MethodView):
    @requires(*ACTORS)
    @blp.response(200, ReviewDetailRead)
    def post(self, review_id: str) -> dict[str, Any]:
        """捕诉 receives an application registered by 控申/案管 or another 检察院."""
        return _step(review_id, service.receive)


@blp.route("/custody-reviews/<string:review_id>/file")
class File(MethodView):
    @requires(*ACTORS)
    @blp.response(200, ReviewDetailRead)
    def post(self, review_id: str) -> dict[str, Any]:
        """初审: 立案 (the decision's clock starts)."""
        return _step(review_id, service.file)


@blp.route("/custody-reviews/<string:review_id>/decline")
class DeclineStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(Decline, example={"reasons": "申请人未提供新的证据材料，且距上次审查不足一个月。"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """初审: 不予立案, with reasons (the applicant is told in writing)."""
        return _step(review_id, service.decline, reasons=body["reasons"])


@blp.route("/custody-reviews/<string:review_id>/grounds")
class Grounds(MethodView):
    @requires(*ACTORS)
    @blp.arguments(GroundsUpdate, example={"items": [{"code": "580.plea", "ticked": True, "evidence": "认罪认罚具结书"}]})
    @blp.response(200, GroundRead(many=True))
    def put(self, body: dict[str, Any], review_id: str) -> list[Any]:
        """Tick or untick checklist items (578 factors, 579 must, 580 may), each ticked one with its evidence."""
        with transaction(db_session()) as session:
            return list(service.set_grounds(session, review_id=review_id, ticks=body["items"],
                                            actor=_staff()).values())


@blp.route("/custody-reviews/<string:review_id>/extend")
class ExtendStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(Extend, example={"approved_by": "李检察长", "reasons": "需调取企业经营材料"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """Extend the decision's clock (2016: +5 working days), the approver recorded."""
        return _step(review_id, service.extend, approved_by=body["approved_by"], reasons=body["reasons"])


@blp.route("/custody-reviews/<string:review_id>/suspend")
class SuspendStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(Suspend, example={"start_on": "2026-10-12", "basis": "身体状况司法鉴定"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """Pause the decision's clock for a medical assessment (not counted)."""
        return _step(review_id, service.suspend, start_on=body["start_on"], basis=body["basis"])


@blp.route("/custody-reviews/<string:review_id>/resume")
class ResumeStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(Resume, example={"resumed_on": "2026-10-15"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """The assessment ended: the clock counts again."""
        return _step(review_id, service.resume, resumed_on=body["resumed_on"])


@blp.route("/custody-reviews/<string:review_id>/decision")
class DecideStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(Decide, example={"decision": "change_recommended", "reasons": "犯罪嫌疑人认罪认罚，企业经营急需其主持。"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """审查终结: the decision with its legal basis (a 建议 issues the 建议书; the applicant's notice goes out)."""
        return _step(review_id, service.decide, decision=body["decision"], reasons=body["reasons"],
                     basis=body.get("basis"))


@blp.route("/custody-reviews/<string:review_id>/reply")
class ReplyStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(ReplyIn, example={"reply": "accepted", "reply_on": "2026-10-22", "text": "已变更为取保候审"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """The other organ's reply to the 建议 (accepted, or refused: a 纠正意见 opens)."""
        return _step(review_id, service.record_reply, reply=body["reply"], text=body["text"],
                     reply_on=body["reply_on"])


@blp.route("/custody-reviews/<string:review_id>/correction")
class CorrectionStep(MethodView):
    @requires(*ACTORS)
    @blp.arguments(CorrectionIn, example={"text": "请依法对犯罪嫌疑人变更强制措施并回复本院"})
    @blp.response(200, ReviewDetailRead)
    def post(self, body: dict[str, Any], review_id: str) -> dict[str, Any]:
        """提出纠正意见 (规则 581): the 纠正意见书 to the other organ; the review closes."""
        return _step(review_id, service.issue_correction, text=body["text"])


def document_response(review_id: str, document_id: str, fmt: str, *, actor: Actor) -> Response:
    """A document of a review the actor sees, rendered from what was issued; each download audited."""
    with transaction(db_session()) as session:
        review = service.get(session, review_id, principal=actor.principal)
        row = session.get(CustodyDocument, document_id[:36])
        if row is None or row.review_id != review.id or fmt not in FORMATS:
            raise DocumentNotFound(document_id=document_id[:40])
        pdf_bytes, docx_bytes = document.render(session, row)
        record(session, action="custody_review.document", subject_type="custody_review", subject_id=review.id,
               detail={"document": row.document_number, "format": fmt}, **actor.fields())
    name = f"{DOCUMENT_TITLE[row.kind]}-{row.document_number}.{fmt}"
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(pdf_bytes if fmt == "pdf" else docx_bytes, headers={
        "Content-Type": FORMATS[fmt], "Cache-Control": "no-store",
        "Content-Disposition": f"{disposition}; filename=\"custody-{row.id[:8]}.{fmt}\"; filename*=UTF-8''{quote(name)}"})


@blp.route("/custody-reviews/<string:review_id>/documents/<string:document_id>.<string:fmt>")
class DocumentFile(MethodView):
    @requires(*READERS)
    @blp.doc(responses={"200": {"description": "the document as issued", "content": {
        media: {"schema": {"type": "string", "format": "binary"}} for media in FORMATS.values()}}})
    def get(self, review_id: str, document_id: str, fmt: str) -> Response:
        """The document (pdf or docx) as issued."""
        return document_response(review_id, document_id, fmt, actor=_staff())


# --- the custody register ------------------------------------------------------------------------------------

@blp.route("/custody-register")
class Register(MethodView):
    @requires(*READERS)
    @blp.response(200, RegisterRead(many=True))
    def get(self) -> list[CustodyRegisterEntry]:
        """The persons in custody the caller's units registered (for the mandatory reviews)."""
        principal = require_principal()
        query = select(CustodyRegisterEntry).order_by(CustodyRegisterEntry.created_at.desc())
        if principal.visible_units is not None:
            query = query.where(CustodyRegisterEntry.unit_code.in_(sorted(principal.visible_units)))
        return list(db_session().scalars(query.limit(500)))

    @requires(*ACTORS)
    @blp.arguments(RegisterCreate, example=REGISTER_EXAMPLE)
    @blp.response(201, RegisterRead)
    def post(self, body: dict[str, Any]) -> CustodyRegisterEntry:
        """Enter a person in custody with the criminal case data the mandatory-review job reads."""
        with transaction(db_session()) as session:
            return service.enter(session, data=body, actor=_staff())


@blp.route("/custody-register/<string:entry_id>")
class RegisterEntry(MethodView):
    @requires(*READERS)
    @blp.response(200, RegisterRead)
    def get(self, entry_id: str) -> CustodyRegisterEntry:
        return service.get_entry(db_session(), entry_id, principal=require_principal())

    @requires(*ACTORS)
    @blp.arguments(RegisterUpdate(partial=True), example={"returned_from_supplementary_on": "2026-10-20"})
    @blp.response(200, RegisterRead)
    def patch(self, body: dict[str, Any], entry_id: str) -> CustodyRegisterEntry:
        """Change an entry: a new stage, back from 补侦, a trial started, judged, released."""
        with transaction(db_session()) as session:
            return service.update_entry(session, entry_id=entry_id, data=body, actor=_staff())
