"""Role × endpoint × unit: every endpoint of the three services, every role, own unit and other unit.

The three Flask apps run in-process over PostgreSQL (one fresh database each), with real tokens
signed by the test key.  `MATRIX` below is written by hand: it is the access policy as the issue
states it, not read back from the decorators.  The first test walks `app.url_map` of every
service and fails if any (method, route) has no row, so a new endpoint needs a row (and thereby a
decision) before the suite is green again.

Cells: a role's token is for its home unit (tests/support/auth.py HOME_UNIT).  "own" means a
record of that unit, "other" a record of a unit outside it (a court unit for procuratorate staff,
and the other way round).  Expected answers:

- a role not allowed on the endpoint: 403 in both cells; no token at all: 401;
- list: 200 with the own record, and without the other (only the task force sees it);
- get: 200 for own, 404 for other (existence not revealed), 200 for the task force;
- create: 201 on the line the own unit receives (12309 procuratorate, 12368 court), 403 on the other.

Deadlines are walked with real deadlines: each cell of a deadline endpoint gets a fresh deadline
of the own or the other unit (`Data.deadline`), so a write (suspend, lift, extend, meet) is tried
on a deadline it could really change: 200/201 for the own unit, 404 for another unit's (nothing
written), 403 for a role that does not work deadlines. A nonexistent id is a 404 too
(`test_deadline_endpoints_answer_404_for_a_nonexistent_id`).
"""

from __future__ import annotations

import copy
import importlib
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.intake.attachments import service as attachments
from services.intake.config import IntakeSettings
from services.intake.court_cases import fee_relief
from services.intake.online.schemas import PUBLIC_PETITION_EXAMPLE
from services.intake.court_cases import service as court_cases
from services.intake.court_cases.schemas import COURT_CASE_EXAMPLE
from services.intake.enterprises.schemas import VERIFICATION_EXAMPLE
from services.intake.petitions import service as petitions
from services.intake.petitions.schemas import PETITION_EXAMPLE, PetitionCreate
from services.notify.deliveries.models import Delivery
from services.review.identity.accounts import admin
from services.review.identity.accounts.demo import DEMO_PASSWORD
from services.review.deadlines import attaching, suspensions
from services.review.deadlines import schemas as deadline_examples
from services.review.handling import service as handling
from services.review.triage import schemas as triage_examples
from services.review.triage.models import TriageItem
from services.review.identity.units import service as units
from shared.actor import Actor
from shared.auth.config import DEV_SECRET
from shared.db.transaction import transaction
from shared.auth.principal import ROLES
from shared.auth.units import line_of_unit
from shared.config import KafkaSettings, Settings
from shared.db.base import utcnow
from shared.storage import LocalFolderStore, staged
from tests.support import files
from tests.support.auth import HOME_UNIT, AuthKeys
from tests.support.infra import Databases, Infrastructure

CASE = ("intake_clerk", "triage_officer", "case_handler", "unit_leader", "judge", "court_clerk", "prosecutor",
        "penalty_reviewer", "task_force")
CREATORS = ("intake_clerk", "court_clerk", "judge")
TRIAGE = ("triage_officer", "case_handler", "unit_leader", "task_force")
TRIAGERS = ("triage_officer",)  # 分流 decisions: the receiving unit's triage officers
PII = ("intake_clerk", "court_clerk", "case_handler", "judge")  # search by number, reveal
SPLIT = ("intake_clerk", "court_clerk", "judge", "triage_officer", "unit_leader")  # split a 重复件
DEADLINE_READ = ("triage_officer", "case_handler", "unit_leader", "court_clerk", "judge", "prosecutor", "task_force")
DEADLINE_WRITE = ("triage_officer", "case_handler", "unit_leader", "court_clerk", "judge", "prosecutor")
SUPERVISION_READ = ("case_handler", "unit_leader", "triage_officer", "task_force")  # the 督办 list
SUPERVISORS = ("unit_leader", "task_force")  # 挂牌督办, accept/reject a report
REPORTERS = ("case_handler", "unit_leader", "triage_officer")  # report for the supervised unit
COURT_READ = ("judge", "court_clerk", "task_force")  # flagged court cases
COURT_WRITE = ("judge", "court_clerk")
CASE_PAGE = (*TRIAGE, "judge", "court_clerk")  # the case page: the 12368 clerk and the judges read it too
WORK_ORDER_READ = ("judge", "unit_leader", "court_clerk", "task_force")  # 12368 工单
FEEDBACK_RECORD = ("triage_officer", "case_handler", "unit_leader")  # 考评反馈: of the handling unit
FEEDBACK_DECIDE = ("case_handler", "unit_leader")  # reopen / close after 不满意
# 首违不罚 (services/review/leniency): procuratorate checkers; the task force reads.
LENIENCY_CHECKERS = ("penalty_reviewer", "prosecutor", "unit_leader")
LENIENCY_READ = (*LENIENCY_CHECKERS, "task_force")
# 挂案清理: 捕诉 and the unit leaders read (their unit and below), the task force reads all; the unit's own
# prosecutors act; a campaign is set up by any of the readers over units they see.
CLEARANCE_READ = ("prosecutor", "unit_leader", "task_force")
CLEARANCE_ACT = ("prosecutor",)
CLEARANCE_CAMPAIGN = ("prosecutor", "unit_leader", "task_force")
# 羁押必要性审查: 捕诉 and the unit leaders read (units above too), the task force reads all; only the reviewing
# unit's prosecutors act; 控申 (and any procuratorate unit) may register an application.
CUSTODY_READ = ("prosecutor", "unit_leader", "task_force")
CUSTODY_ACT = ("prosecutor",)
CUSTODY_OPEN = ("prosecutor", "unit_leader", "triage_officer", "intake_clerk")
CUSTODY_APPLICATION = {"trigger": "application", "unit_code": "NY-JCY-XS", "person_name": "王某", "criminal_case_number": "宛公刑立字〔2026〕1号",
                       "charge": "合同诈骗罪", "stage": "investigation", "handling_organ": "南阳市公安局",
                       "applicant_kind": "self", "applicant_name": "王某", "applicant_phone": "13800138000",
                       "reasons": "matrix"}
PUBLIC = "public"
ANY = "any signed-in role"
NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"

COURT_EXAMPLE = {**copy.deepcopy(PETITION_EXAMPLE), "line": "12368", "petition_type": "联系法官",
                 "related_case_number": "（2022）豫13民初1234号"}


def other_unit(role: str) -> str:
    return "NY-JCY-DZ" if line_of_unit(HOME_UNIT[role]) == "12368" else "NY-FY-DZ"


def unit_of(role: str, which: str) -> str:
    return HOME_UNIT[role] if which == "own" else other_unit(role)


@dataclass(frozen=True)


class Row:
    """Who may call one endpoint and how unit scoping shows in its answer."""

    allowed: tuple[str, ...] | str
    kind: str  # public | list | get | create | plain (no unit dimension) | page | form (a page POST)
    status: int = 200
    path: Callable[["Data", str, str], str] | None = None  # (data, role, which) → path
    body: Callable[["Data", str, str], Any] | None = None
    listed: str = "id"  # the field that names a record in a list answer
    multipart: bool = False  # the body is a form with a file (sent as multipart/form-data), not JSON
    records: str = "petition"  # the Data attribute (unit code → id) a list answer is checked against


def _petition_path(d: "Data", role: str, which: str) -> str:
    return f"/api/v1/petitions/{d.petition[unit_of(role, which)]}"


def _court_case_path(suffix: str = "", *, application: bool = False) -> Callable[["Data", str, str], str]:
    """A fresh flagged case of the own/other unit per cell (a step is taken once), and its path."""
    def path(d: "Data", role: str, which: str) -> str:
        ids = d.flag(unit_of(role, which), application=application)
        return f"/api/v1/court-cases/{ids['case']}{suffix.format(**ids)}"
    return path


def _deadline_path(suffix: str = "", *, suspended: bool = False) -> Callable[["Data", str, str], str]:
    """A fresh deadline of the own/other unit per cell (a write may close it), and its path."""
    def path(d: "Data", role: str, which: str) -> str:
        deadline_id, suspension_id = d.deadline(unit_of(role, which), suspended=suspended)
        return f"/api/v1/deadlines/{deadline_id}{suffix.format(suspension_id=suspension_id)}"
    return path


HANDLING = ("case_handler", "unit_leader")  # 审查办理: the handling unit's own people (the service checks the unit)


def _handling_path(suffix: str, status: str) -> Callable[["Data", str, str], str]:
    """A fresh item of the own/other unit, handled there, per cell, in ``status`` (routed: its acceptance 期限 attached)."""
    def path(d: "Data", role: str, which: str) -> str:
        unit = unit_of(role, which)
        pid = str(uuid.uuid4())
        app = d.apps["review"]
        app.extensions["huhang"].extras.setdefault("blob_store", LocalFolderStore(str(d.blobs)))
        with app.extensions["huhang"].session_factory() as session, session.begin():
            item = TriageItem(petition_id=pid, case_number=f"H-{unit}", line="12309", channel="网", petition_type="控告",
                              is_enterprise=True, petitioner_masked="张*", summary="matrix", received_on=utcnow().date(),
                              source_event_id=pid, unit_code=unit, status=status, handling_unit_code=unit)
            session.add(item)
            session.flush()
            attaching.attach_for_petition(session, petition_id=pid, case_number=item.case_number, line="12309",
                                          received_on=item.received_on, unit_code=unit)
            if status == "routed":
                handling.on_routed(session, item, actor="matrix", routed_on=item.received_on)
        return f"/api/v1/handling/items/{pid}{suffix}"
    return path


def _triage_path(suffix: str) -> Callable[["Data", str, str], str]:
    """A fresh 待分流 item received by the own/other unit per cell (a 分流 decision moves it), with its clocks."""
    def path(d: "Data", role: str, which: str) -> str:
        unit = unit_of(role, which)
        pid = str(uuid.uuid4())
        with d.apps["review"].extensions["huhang"].session_factory() as session, session.begin():
            item = TriageItem(petition_id=pid, case_number=f"T-{unit}", line="12309", channel="网", petition_type="控告",
                              is_enterprise=True, petitioner_masked="张*", summary="matrix", received_on=utcnow().date(),
                              source_event_id=pid, unit_code=unit, status="pending")
            session.add(item)
            session.flush()
            attaching.attach_for_petition(session, petition_id=pid, case_number=item.case_number, line="12309",
                                          received_on=item.received_on, unit_code=unit)
        return f"/api/v1/triage/items/{pid}{suffix}"
    return path


def _clearance_case(d: "Data", unit: str) -> str:
    """A 挂案 of ``unit`` (written straight into hanging's table), for the clearance rows."""
    from tests.support.clearance import add_case
    with d.apps["review"].extensions["huhang"].session_factory() as session, session.begin():
        return add_case(session, unit=unit, filed_on=date(2024, 3, 1)).id


def _today() -> str:
    from shared.calendar import beijing_today

    return beijing_today().isoformat()


def _page(allowed: tuple[str, ...] | str, status: int = 200, path: str | None = None) -> Row:
    return Row(allowed, "page", status, path=(lambda d, r, w: path) if path else None)


# Pages (shared/web/pages): a role not allowed gets the 403 page; no token is a 303 to /signin; a
# record that does not exist is the 404 page.  Every page POST ("form") without the form's CSRF
# token is refused with 400 whoever sends it (the check runs before anything else); who may send
# a valid form is tested per page in tests/unit (portal/, services/intake/, services/notify/).
_FORM = Row(PUBLIC, "form", 400)
PAGES: dict[tuple[str, str, str], Row] = {
    **{(svc, "GET", f"/audit/{svc}"): _page(("auditor",)) for svc in ("intake", "review", "notify")},
    # intake 受理
    ("intake", "GET", "/petitions/new"): _page(CREATORS),
    ("intake", "POST", "/petitions/new"): _FORM,
    ("intake", "GET", "/petitions/new/<string:slug>"): _page(CREATORS, path="/petitions/new/visit"),
    ("intake", "POST", "/petitions/new/<string:slug>"): Row(PUBLIC, "form", 400, path=lambda d, r, w: "/petitions/new/visit"),
    ("intake", "GET", "/public/petitions/new"): Row(PUBLIC, "public"),
    ("intake", "POST", "/public/petitions/new"): _FORM,
    ("intake", "GET", "/petitions/<string:petition_id>"): _page(CASE, 404),
    ("intake", "GET", "/petitions/<string:petition_id>/panel"): _page(CASE, 404),
    ("intake", "GET", "/petitions/<string:petition_id>/receipt"): _page(CREATORS, 404),
    ("intake", "GET", "/petitions/<string:petition_id>/receipt.pdf"): _page(CREATORS, 404),
    ("intake", "POST", "/petitions/<string:petition_id>/receipt.pdf"): _FORM,
    ("intake", "POST", "/petitions/<string:petition_id>/query-code"): _FORM,
    ("intake", "POST", "/petitions/<string:petition_id>/reveal"): _FORM,
    ("intake", "POST", "/petitions/<string:petition_id>/duplicate-split"): _FORM,
    ("intake", "GET", "/court-cases"): _page(COURT_READ),
    ("intake", "GET", "/court-cases/new"): _page(COURT_WRITE),
    ("intake", "POST", "/court-cases/new"): _FORM,
    ("intake", "GET", "/court-cases/<string:court_case_id>"): _page(COURT_READ, 404),
    ("intake", "POST", "/court-cases/<string:court_case_id>/green-channel"): _FORM,
    ("intake", "POST", "/court-cases/<string:court_case_id>/filing"): _FORM,
    ("intake", "POST", "/court-cases/<string:court_case_id>/fee-relief-applications"): _FORM,
    ("intake", "POST", "/court-cases/<string:court_case_id>/fee-relief-applications/<string:application_id>/decision"): _FORM,
    ("intake", "POST", "/court-cases/<string:court_case_id>/parties/<string:party_id>/query-code"): _FORM,
    # 信访材料 from the pages: the upload form checks its token after the access check (its body is
    # read only for a registering role), so a role that may not upload gets 403, not 400.
    ("intake", "POST", "/attachments/upload"): _page(CREATORS, 400, path=f"/attachments/upload?petition_id={NO_SUCH_ID}"),
    ("intake", "GET", "/attachments/<string:attachment_id>"): _page(CASE, 404),
    ("intake", "GET", "/public/"): Row(PUBLIC, "public"),
    ("intake", "GET", "/public/status"): Row(PUBLIC, "public"),
    ("intake", "GET", "/public/enterprise"): Row(PUBLIC, "public"),
    ("intake", "POST", "/public/enterprise"): _FORM,
    ("intake", "GET", "/petitions/enterprises/verify"): _page(("intake_clerk", "court_clerk")),
    ("intake", "POST", "/petitions/enterprises/verify"): _FORM,
    ("intake", "POST", "/public/status"): _FORM,
    ("intake", "POST", "/public/status/feedback"): _FORM,
    # review 审查
    ("review", "GET", "/"): _page(ANY),
    ("review", "GET", "/signin"): Row(PUBLIC, "public"),
    ("review", "POST", "/signin"): _FORM,
    ("review", "POST", "/signout"): _FORM,
    ("review", "GET", "/password"): Row(PUBLIC, "public"),
    ("review", "POST", "/password"): _FORM,
    ("review", "GET", "/session-ended"): Row(PUBLIC, "public"),
    # A bearer token has no browser session to renew: back to the sign-in page, whoever asks.
    ("review", "GET", "/session/refresh"): Row(PUBLIC, "public", 303),
    ("review", "GET", "/assets/<path:name>"): Row(PUBLIC, "public", 404),
    ("review", "GET", "/triage"): _page(TRIAGE),
    ("review", "GET", "/cases/<string:petition_id>"): _page(CASE_PAGE, 404),
    ("review", "GET", "/cases/<string:petition_id>/work-orders/new"): _page(("court_clerk",), 404),
    ("review", "POST", "/cases/<string:petition_id>/work-orders"): _FORM,
    ("review", "GET", "/work-orders"): _page(WORK_ORDER_READ),
    ("review", "GET", "/work-orders/<string:order_id>"): _page(WORK_ORDER_READ, 404),
    ("review", "POST", "/work-orders/<string:order_id>/reply"): _FORM,
    ("review", "POST", "/work-orders/<string:order_id>/transfer"): _FORM,
    ("review", "POST", "/work-orders/<string:order_id>/reassign"): _FORM,
    ("review", "GET", "/admin/accounts"): _page(("admin",)),
    ("review", "POST", "/admin/accounts"): _FORM,
    ("review", "POST", "/admin/accounts/<string:account_id>/unlock"): _FORM,
    ("review", "POST", "/admin/accounts/<string:account_id>/reset"): _FORM,
    ("review", "GET", "/admin/units"): _page(("admin", "task_force")),
    ("review", "GET", "/handling"): _page(HANDLING),
    ("review", "GET", "/handling/replies/<string:reply_id>/document.<any(pdf, docx):fmt>"): _page(
        TRIAGE, 404, path=f"/handling/replies/{NO_SUCH_ID}/document.pdf"),
    **{("review", "POST", f"/cases/<string:petition_id>/handling/{action}"): _FORM
       for action in ("accept", "return", "handler", "progress", "replies")},
    ("review", "GET", "/supervision"): _page(SUPERVISION_READ),
    ("review", "GET", "/supervision/<string:supervision_id>"): _page(SUPERVISION_READ, 404),
    ("review", "POST", "/cases/<string:petition_id>/supervision"): _FORM,
    ("review", "POST", "/supervision/<string:supervision_id>/report"): _FORM,
    ("review", "POST", "/supervision/<string:supervision_id>/accept"): _FORM,
    ("review", "POST", "/supervision/<string:supervision_id>/reject"): _FORM,
    ("review", "GET", "/leniency-checks"): _page(LENIENCY_READ),
    ("review", "GET", "/leniency-checks/new"): _page(LENIENCY_CHECKERS),
    ("review", "POST", "/leniency-checks/new"): _FORM,
    ("review", "GET", "/leniency-checks/<string:check_id>"): _page(LENIENCY_READ, 404),
    ("review", "POST", "/leniency-checks/<string:check_id>/recommendation"): _FORM,
    ("review", "GET", "/leniency-checks/<string:check_id>/recommendation/<string:fmt>"): _page(LENIENCY_READ, 404),
    ("review", "GET", "/feedback/rates"): _page(TRIAGE),
    **{("review", "POST", f"/cases/<string:petition_id>/triage/{action}"): _FORM
       for action in ("classify", "route", "materials", "materials/received", "decline", "objection")},
    ("review", "POST", "/triage/bulk"): _FORM,
    ("review", "POST", "/cases/<string:petition_id>/feedback"): _FORM,
    ("review", "POST", "/cases/<string:petition_id>/feedback/reopen"): _FORM,
    ("review", "POST", "/cases/<string:petition_id>/feedback/close"): _FORM,
    # notify 通知
    ("notify", "GET", "/inbox"): _page(ANY),
    ("notify", "GET", "/inbox/panel"): _page(ANY),
    ("notify", "POST", "/inbox/<string:delivery_id>/read"): _FORM,
    ("notify", "POST", "/inbox/read-all"): _FORM,
    ("notify", "GET", "/deliveries"): _page(CASE),
    ("notify", "GET", "/deliveries/<string:delivery_id>"): _page(CASE, 404),
    ("notify", "GET", "/deliveries/panel"): _page(CASE, path=f"/deliveries/panel?subject={NO_SUCH_ID}"),
    # 挂案清理 (services/review/cases/clearance): the queue, the campaigns, the panel's forms and documents.
    ("review", "GET", "/hanging-cases"): _page(CLEARANCE_READ),
    ("review", "GET", "/hanging-cases/campaigns"): _page(CLEARANCE_READ),
    ("review", "POST", "/hanging-cases/campaigns"): _FORM,
    ("review", "GET", "/hanging-cases/campaigns/<string:campaign_id>"): _page(CLEARANCE_READ, 404),
    ("review", "POST", "/hanging-cases/<string:case_id>/clearance/actions"): _FORM,
    ("review", "POST", "/hanging-cases/<string:case_id>/clearance/outcome"): _FORM,
    ("review", "POST", "/hanging-cases/<string:case_id>/clearance/property/<string:property_id>/return"): _FORM,
    ("review", "POST", "/hanging-cases/clearance/actions/<string:action_id>/reply"): _FORM,
    ("review", "GET", "/hanging-cases/clearance/actions/<string:action_id>/document.<any(pdf, docx):fmt>"): _page(
        CLEARANCE_READ, 404, path=f"/hanging-cases/clearance/actions/{NO_SUCH_ID}/document.pdf"),
    # 羁押必要性审查 (a review that does not exist: the 404 page for the roles that may see one)
    ("review", "GET", "/custody-reviews"): _page(CUSTODY_READ),
    ("review", "GET", "/custody-reviews/new"): _page(CUSTODY_OPEN),
    ("review", "POST", "/custody-reviews/new"): _FORM,
    ("review", "GET", "/custody-reviews/<string:review_id>"): _page(CUSTODY_READ, 404),
    **{("review", "POST", f"/custody-reviews/<string:review_id>/{action}"): _FORM
       for action in ("receive", "file", "decline", "grounds", "extend", "suspend", "resume", "decision", "reply",
                      "correction")},
    ("review", "GET", "/custody-reviews/<string:review_id>/documents/<string:document_id>.<string:fmt>"): _page(
        CUSTODY_READ, 404),
}



# --- 失信被执行人 (services/review/dishonesty) ------------------------------------------------------
DISHONESTY_READ = ("court_clerk", "judge", "task_force")  # of the listing court and the courts above
DISHONESTY_ACT = ("court_clerk", "judge")
DISHONESTY_MADE = [0]


def _dishonesty_listing(d: "Data", unit: str, status: str = "listed") -> str:
    """A listing of ``unit`` written as a row (a listing court's clerk would register it), per cell."""
    from services.review.dishonesty.models import ConsumptionOrder, Listing

    DISHONESTY_MADE[0] += 1
    with d.apps["review"].extensions["huhang"].session_factory() as session, session.begin():
        listing = Listing(unit_code=unit, court_code=unit, court_name=unit, case_number=f"（2026）豫13执{DISHONESTY_MADE[0]}号",
                          debtor_kind="enterprise", debtor_name="matrix", debtor_number_enc="x", debtor_number_index="x",
                          debtor_number_masked="x", obligation="matrix", ground=1, listed_on=date(2026, 3, 2),
                          status=status, registered_by="matrix", removal_ground="performed" if status != "listed" else None)
        session.add(listing)
        session.flush()
        session.add(ConsumptionOrder(listing_id=listing.id, issued_on=date(2026, 3, 2), scope="matrix"))
        return listing.id


def _dishonesty_path(suffix: str = "", status: str = "listed") -> Callable[["Data", str, str], str]:
    def path(d: "Data", role: str, which: str) -> str:
        return f"/api/v1/dishonesty/listings/{_dishonesty_listing(d, unit_of(role, which), status)}{suffix}"
    return path


def _dishonesty_list(d: "Data", role: str, which: str) -> str:
    """The list, with one listing per unit in play made the first time (what the answer is checked against)."""
    if not hasattr(d, "dishonesty_listing"):
        d.dishonesty_listing = {u: _dishonesty_listing(d, u) for u in sorted(_units_in_play())}  # type: ignore[attr-defined]
    return "/api/v1/dishonesty/listings"


def _dishonesty_body(d: "Data", role: str, which: str) -> dict[str, Any]:
    DISHONESTY_MADE[0] += 1
    return {"case_number": f"（2026）豫13执{50000 + DISHONESTY_MADE[0]}号", "debtor_kind": "enterprise",
            "debtor_name": "matrix", "credit_code": "91411302MA44TFGN0Q", "obligation": "matrix", "ground": 1,
            "listed_on": _today()}


DISHONESTY_ROWS: dict[tuple[str, str, str], Row] = {
    ("review", "GET", "/api/v1/dishonesty/listings"): Row(
        DISHONESTY_READ, "list", path=_dishonesty_list, records="dishonesty_listing"),
    ("review", "POST", "/api/v1/dishonesty/listings"): Row(("court_clerk",), "plain", 201, body=_dishonesty_body),
    ("review", "GET", "/api/v1/dishonesty/listings/<string:listing_id>"): Row(
        DISHONESTY_READ, "get", path=_dishonesty_path()),
    ("review", "POST", "/api/v1/dishonesty/listings/<string:listing_id>/removal-ground"): Row(
        DISHONESTY_ACT, "get", path=_dishonesty_path("/removal-ground"),
        body=lambda d, r, w: {"ground": "performed", "evidence": "matrix"}),
    ("review", "POST", "/api/v1/dishonesty/listings/<string:listing_id>/removal"): Row(
        DISHONESTY_ACT, "get", path=_dishonesty_path("/removal", "removal_pending"), body=lambda d, r, w: {}),
    ("review", "POST", "/api/v1/dishonesty/listings/<string:listing_id>/corrections"): Row(
        DISHONESTY_ACT, "get", 201, path=_dishonesty_path("/corrections"), body=lambda d, r, w: {"reasons": "matrix"}),
    ("review", "POST", "/api/v1/dishonesty/listings/<string:listing_id>/corrections/<string:correction_id>/review"): Row(
        DISHONESTY_ACT, "plain", 404, body=lambda d, r, w: {"accepted": True, "reasons": "matrix"}),
    ("review", "POST", "/api/v1/dishonesty/listings/<string:listing_id>/corrections/<string:correction_id>/corrected"): Row(
        DISHONESTY_ACT, "plain", 404, body=lambda d, r, w: {"note": "matrix"}),
    ("review", "POST",
     "/api/v1/dishonesty/listings/<string:listing_id>/corrections/<string:correction_id>/reconsideration"): Row(
        DISHONESTY_ACT, "plain", 404, body=lambda d, r, w: {"reasons": "matrix"}),
    ("review", "POST",
     "/api/v1/dishonesty/listings/<string:listing_id>/reconsiderations/<string:reconsideration_id>/decision"): Row(
        ("judge",), "plain", 404, body=lambda d, r, w: {"revoke": False, "reasons": "matrix"}),
    ("review", "POST", "/api/v1/dishonesty/listings/<string:listing_id>/certificates"): Row(
        DISHONESTY_ACT, "plain", 404, body=lambda d, r, w: {}),
    ("review", "POST",
     "/api/v1/dishonesty/listings/<string:listing_id>/certificates/<string:certificate_id>/revocation"): Row(
        DISHONESTY_ACT, "plain", 404, body=lambda d, r, w: {"reason": "matrix"}),
    ("review", "GET", "/api/v1/dishonesty/listings/<string:listing_id>/certificates/<string:certificate_id>/pdf"): Row(
        DISHONESTY_READ, "plain", 404),
    # The public check: no sign-in; the body is validated before the per-address window counts it.
    ("review", "POST", "/api/v1/public/certificates/verify"): Row(PUBLIC, "public", 422, body=lambda d, r, w: {}),
    ("review", "GET", "/dishonesty"): _page(DISHONESTY_READ),
    ("review", "GET", "/dishonesty/new"): _page(("court_clerk",)),
    ("review", "POST", "/dishonesty"): _FORM,
    ("review", "GET", "/dishonesty/<string:listing_id>"): _page(DISHONESTY_READ, 404),
    ("review", "GET", "/dishonesty/<string:listing_id>/certificates/<string:certificate_id>.pdf"): _page(
        DISHONESTY_READ, 404),
    **{("review", "POST", f"/dishonesty/<string:listing_id>{suffix}"): _FORM for suffix in (
        "/removal-ground", "/removal", "/corrections", "/corrections/<string:correction_id>/review",
        "/corrections/<string:correction_id>/corrected", "/corrections/<string:correction_id>/reconsideration",
        "/reconsiderations/<string:reconsideration_id>/decision", "/certificates",
        "/certificates/<string:certificate_id>/revocation")},
    ("review", "GET", "/public/certificates"): Row(PUBLIC, "public"),
    ("review", "POST", "/public/certificates"): _FORM,
}

MATRIX: dict[tuple[str, str, str], Row] = {
    # every service
    **{(svc, "GET", "/healthz"): Row(PUBLIC, "public") for svc in ("intake", "review", "notify")},
    **{(svc, "GET", "/readyz"): Row(PUBLIC, "public") for svc in ("intake", "review", "notify")},
    **{(svc, "GET", "/openapi.json"): Row(PUBLIC, "public") for svc in ("intake", "review", "notify")},
    **{(svc, "GET", f"/healthz/{svc}"): Row(PUBLIC, "public") for svc in ("intake", "review", "notify")},
    **{(svc, "GET", f"/readyz/{svc}"): Row(PUBLIC, "public") for svc in ("intake", "review", "notify")},
    **{(svc, "GET", f"/openapi/{svc}.json"): Row(PUBLIC, "public") for svc in ("intake", "review", "notify")},
    **{(svc, "GET", f"/api/v1/audit/{svc}"): Row(("auditor",), "plain") for svc in ("intake", "review", "notify")},
    # intake 受理
    ("intake", "POST", "/api/v1/petitions"): Row(
        CREATORS, "create", 201,
        body=lambda d, r, w: PETITION_EXAMPLE if line_of_unit(unit_of(r, w)) == "12309" else COURT_EXAMPLE),
    ("intake", "GET", "/api/v1/petitions"): Row(CASE, "list"),
    ("intake", "POST", "/api/v1/public/petitions"): Row(PUBLIC, "public", 201, body=lambda d, r, w: PUBLIC_PETITION_EXAMPLE),
    ("intake", "GET", "/api/v1/petitions/<string:petition_id>"): Row(CASE, "get", path=_petition_path),
    ("intake", "POST", "/api/v1/petitions/search"): Row(
        PII, "list", body=lambda d, r, w: {"id_number": PETITION_EXAMPLE["petitioner"]["id_number"]}),
    ("intake", "POST", "/api/v1/petitions/<string:petition_id>/reveal"): Row(
        PII, "get", path=lambda d, r, w: _petition_path(d, r, w) + "/reveal",
        body=lambda d, r, w: {"fields": ["id_number"], "reason": "电话回访信访人"}),
    # 信访材料: a fresh file per cell (the same bytes twice would answer 200, not 201).
    ("intake", "POST", "/api/v1/attachments"): Row(
        CREATORS, "get", 201, path=lambda d, r, w: f"/api/v1/attachments?petition_id={d.petition[unit_of(r, w)]}",
        body=lambda d, r, w: {"file": (io.BytesIO(files.pdf(uuid.uuid4().hex)), "matrix.pdf")}, multipart=True),
    ("intake", "GET", "/api/v1/petitions/<string:petition_id>/attachments"): Row(
        CASE, "get", path=lambda d, r, w: _petition_path(d, r, w) + "/attachments"),
    ("intake", "GET", "/api/v1/attachments/<string:attachment_id>/content"): Row(
        CASE, "get", path=lambda d, r, w: f"/api/v1/attachments/{d.attachment[unit_of(r, w)]}/content"),
    ("intake", "GET", "/api/v1/petitions/<string:petition_id>/duplicates"): Row(
        CASE, "get", path=lambda d, r, w: _petition_path(d, r, w) + "/duplicates"),
    # The matrix's petitions are not 重复件 (one per unit): an allowed role on its own unit's gets
    # the 409 of the rule, past the access check; the split itself: tests/integration/test_duplicates.py.
    ("intake", "POST", "/api/v1/petitions/<string:petition_id>/duplicate-split"): Row(
        SPLIT, "get", 409, path=lambda d, r, w: _petition_path(d, r, w) + "/duplicate-split",
        body=lambda d, r, w: {"reason": "不是同一事项"}),
    ("intake", "POST", "/api/v1/court-cases"): Row(
        COURT_WRITE, "plain", 201, body=lambda d, r, w: {**COURT_CASE_EXAMPLE, "case_number": d.case_number()}),
    ("intake", "GET", "/api/v1/court-cases"): Row(COURT_READ, "list", records="court_case"),
    ("intake", "GET", "/api/v1/court-cases/fee-relief-situations"): Row(COURT_READ, "plain"),
    ("intake", "GET", "/api/v1/court-cases/<string:court_case_id>"): Row(
        COURT_READ, "get", path=lambda d, r, w: f"/api/v1/court-cases/{d.court_case[unit_of(r, w)]}"),
    ("intake", "POST", "/api/v1/court-cases/<string:court_case_id>/green-channel"): Row(
        COURT_WRITE, "get", 201, path=_court_case_path("/green-channel"), body=lambda d, r, w: {"granted": True}),
    ("intake", "POST", "/api/v1/court-cases/<string:court_case_id>/filing"): Row(
        COURT_WRITE, "get", path=_court_case_path("/filing"), body=lambda d, r, w: {}),
    ("intake", "POST", "/api/v1/court-cases/<string:court_case_id>/fee-relief-applications"): Row(
        COURT_WRITE, "get", 201, path=_court_case_path("/fee-relief-applications"),
        body=lambda d, r, w: {"party_id": d.last["enterprise"], "kind": "缓交", "situation_code": "47.4",
                              "proof": "财务报表", "stage": "起诉"}),
    ("intake", "POST", "/api/v1/court-cases/<string:court_case_id>/fee-relief-applications/<string:application_id>/decision"): Row(
        COURT_WRITE, "get", path=_court_case_path("/fee-relief-applications/{application}/decision", application=True),
        body=lambda d, r, w: {"granted": True, "granted_percent": 30}),
    ("intake", "POST", "/api/v1/court-cases/<string:court_case_id>/parties/<string:party_id>/query-code"): Row(
        COURT_WRITE, "get", 201, path=_court_case_path("/parties/{enterprise}/query-code"),
        body=lambda d, r, w: {"reason": "企业遗失查询码"}),
    ("intake", "POST", "/api/v1/petitions/<string:petition_id>/query-code"): Row(
        CREATORS, "get", 201, path=lambda d, r, w: _petition_path(d, r, w) + "/query-code",
        body=lambda d, r, w: {"reason": "信访人遗失受理回执"}),
    # The PDF 受理回执: a reprint, and with the petition's current code (a fresh one per cell, so a
    # re-issue by another row cannot make it stale); a code that does not verify is 422 (tests/unit).
    ("intake", "GET", "/api/v1/petitions/<string:petition_id>/receipt"): Row(
        CREATORS, "get", path=lambda d, r, w: _petition_path(d, r, w) + "/receipt"),
    ("intake", "POST", "/api/v1/petitions/<string:petition_id>/receipt"): Row(
        CREATORS, "get", path=lambda d, r, w: _petition_path(d, r, w) + "/receipt",
        body=lambda d, r, w: {"query_code": d.fresh_code(unit_of(r, w))}),
    # The public queries need no token: whoever asks, an empty body is the schema's 422 (a valid
    # one would spend the matrix's one address's window, 10 a minute; the window, the lock and the
    # one 404: tests/unit/services/intake/test_status_query.py, tests/integration/test_status_query.py).
    ("intake", "POST", "/api/v1/public/status-queries"): Row(PUBLIC, "public", 422, body=lambda d, r, w: {}),
    ("intake", "POST", "/api/v1/public/enterprise-queries"): Row(PUBLIC, "public", 422, body=lambda d, r, w: {}),
    ("intake", "POST", "/api/v1/public/status-feedback"): Row(PUBLIC, "public", 422, body=lambda d, r, w: {}),
    # 企业核验: the 12309 and 12368 desks; every call re-issues the enterprise's code (201).
    ("intake", "POST", "/api/v1/enterprises/verifications"): Row(
        ("intake_clerk", "court_clerk"), "plain", 201, body=lambda d, r, w: VERIFICATION_EXAMPLE),
    # review 审查
    ("review", "GET", "/api/v1/triage"): Row(TRIAGE, "list", listed="petition_id"),
    # The queue's page shape ({rows, counts, next_cursor}); its unit scoping: tests/unit/portal/test_triage_pages.py.
    ("review", "GET", "/api/v1/triage/queue"): Row(TRIAGE, "plain"),
    ("review", "POST", "/api/v1/auth/token"): Row(
        PUBLIC, "public", body=lambda d, r, w: {"username": "demo-12309", "password": DEMO_PASSWORD}),
    ("review", "POST", "/api/v1/auth/sessions"): Row(
        PUBLIC, "public", 201, body=lambda d, r, w: {"username": "demo-12309", "password": DEMO_PASSWORD}),
    # Public, in its not-signed-in form (username + password in the body): a fresh account per cell.
    # The signed-in form is `test_password_change_signed_in_over_postgresql` below.
    ("review", "POST", "/api/v1/auth/password"): Row(PUBLIC, "public", body=lambda d, r, w: d.password_change()),
    ("review", "DELETE", "/api/v1/auth/sessions/current"): Row(ANY, "plain", 204),
    # A bearer token has no browser session to refresh: 401 for every role, as with no token at all.
    # The browser path (session cookie → 200 and a new access cookie) is tests/unit/auth/test_access_cookie.py
    # and tests/integration/test_one_browser_session.py.
    ("review", "POST", "/api/v1/auth/sessions/current/refresh"): Row(ANY, "plain", 401),
    ("review", "GET", "/api/v1/auth/me"): Row(ANY, "plain"),
    ("review", "GET", "/.well-known/jwks.json"): Row(PUBLIC, "public"),
    ("review", "GET", "/api/v1/units"): Row(ANY, "plain"),
    ("review", "GET", "/api/v1/accounts"): Row(("admin",), "plain"),
    ("review", "POST", "/api/v1/accounts/<string:account_id>/unlock"): Row(
        ("admin",), "get", path=lambda d, r, w: f"/api/v1/accounts/{d.judge_account if w == 'own' else NO_SUCH_ID}/unlock"),
    # 12368 工单: the clerk makes one on its own unit's contact (another unit's is not seen); the
    # steps of an order that does not exist are 404 for the roles that take them.
    ("review", "POST", "/api/v1/work-orders/items/<string:petition_id>"): Row(
        ("court_clerk",), "get", 201, path=lambda d, r, w: f"/api/v1/work-orders/items/{d.petition[unit_of(r, w)]}",
        body=lambda d, r, w: {"related_case_number": "（2022）豫13民初1234号", "request": "联系法官",
                              "to_username": "demo-judge-ms2"}),
    ("review", "GET", "/api/v1/work-orders"): Row(WORK_ORDER_READ, "plain"),
    ("review", "GET", "/api/v1/work-orders/<string:order_id>"): Row(WORK_ORDER_READ, "plain", 404),
    ("review", "POST", "/api/v1/work-orders/<string:order_id>/reply"): Row(
        ("judge", "unit_leader", "court_clerk"), "plain", 404, body=lambda d, r, w: {"reply_text": "x", "delivery": "phone"}),
    ("review", "POST", "/api/v1/work-orders/<string:order_id>/transfer"): Row(
        ("judge", "unit_leader"), "plain", 404, body=lambda d, r, w: {"to_unit_code": "NY-FY-MS1", "reasons": "x"}),
    ("review", "POST", "/api/v1/work-orders/<string:order_id>/reassign"): Row(
        ("unit_leader",), "plain", 404, body=lambda d, r, w: {"to_username": "demo-judge-ms2", "reasons": "x"}),
    ("review", "GET", "/api/v1/deadlines"): Row(DEADLINE_READ, "list", listed="subject"),
    ("review", "GET", "/api/v1/deadline-rules"): Row(ANY, "plain"),
    # 督办: the list's page shape; its unit scoping: tests/unit/services/supervision/test_listing.py. The
    # actions on a 督办 that does not exist: 404 for the roles that may take them (the rules by unit and
    # state: tests/unit/services/supervision/test_service.py and test_api.py).
    ("review", "GET", "/api/v1/supervision"): Row(SUPERVISION_READ, "plain"),
    ("review", "GET", "/api/v1/supervision/items/<string:petition_id>"): Row(
        SUPERVISION_READ, "get", path=lambda d, r, w: f"/api/v1/supervision/items/{d.petition[unit_of(r, w)]}"),
    ("review", "POST", "/api/v1/supervision/items/<string:petition_id>"): Row(
        SUPERVISORS, "plain", 404, body=lambda d, r, w: {"amount": 5, "instructions": "matrix"}),
    ("review", "GET", "/api/v1/supervision/<string:supervision_id>"): Row(SUPERVISION_READ, "plain", 404),
    ("review", "POST", "/api/v1/supervision/<string:supervision_id>/reports"): Row(
        REPORTERS, "plain", 404, body=lambda d, r, w: {"text": "matrix"}),
    ("review", "POST", "/api/v1/supervision/<string:supervision_id>/accept"): Row(SUPERVISORS, "plain", 404),
    ("review", "POST", "/api/v1/supervision/<string:supervision_id>/reject"): Row(
        SUPERVISORS, "plain", 404, body=lambda d, r, w: {"reasons": "matrix"}),
    # 首违不罚: a check by each checker of a procuratorate unit (201; the lists loaded first); the unit
    # scoping of reads and the 检察建议 rules: tests/unit/services/leniency/test_api.py, test_service.py.
    ("review", "POST", "/api/v1/leniency-checks"): Row(LENIENCY_CHECKERS, "plain", 201, body=lambda d, r, w: _leniency_check(d)),
    ("review", "GET", "/api/v1/leniency-checks"): Row(LENIENCY_READ, "plain"),
    ("review", "GET", "/api/v1/leniency-checks/<string:check_id>"): Row(LENIENCY_READ, "plain", 404),
    ("review", "POST", "/api/v1/leniency-checks/<string:check_id>/recommendation"): Row(
        LENIENCY_CHECKERS, "plain", 404, body=lambda d, r, w: {}),
    ("review", "GET", "/api/v1/leniency-checks/<string:check_id>/recommendation/<string:fmt>"): Row(
        LENIENCY_READ, "plain", 404),
    ("review", "GET", "/api/v1/leniency-lists"): Row(LENIENCY_READ, "plain"),
    ("review", "GET", "/api/v1/deadlines/<deadline_id>"): Row(DEADLINE_READ, "get", path=_deadline_path()),
    ("review", "POST", "/api/v1/deadlines/<deadline_id>/suspensions"): Row(
        DEADLINE_WRITE, "get", 201, path=_deadline_path("/suspensions"),
        body=lambda d, r, w: deadline_examples.SUSPENSION_EXAMPLE),
    ("review", "POST", "/api/v1/deadlines/<deadline_id>/suspensions/<suspension_id>/lift"): Row(
        DEADLINE_WRITE, "get", path=_deadline_path("/suspensions/{suspension_id}/lift", suspended=True),
        body=lambda d, r, w: deadline_examples.LIFT_EXAMPLE),
    ("review", "POST", "/api/v1/deadlines/<deadline_id>/extensions"): Row(
        DEADLINE_WRITE, "get", 201, path=_deadline_path("/extensions"),
        body=lambda d, r, w: deadline_examples.EXTENSION_EXAMPLE),
    ("review", "POST", "/api/v1/deadlines/<deadline_id>/meet"): Row(
        DEADLINE_WRITE, "get", path=_deadline_path("/meet"), body=lambda d, r, w: deadline_examples.MEET_EXAMPLE),
    # 分流: the receiving unit's triage officers only; a fresh 待分流 item per cell (decisions move it).
    # A state the action does not fit is 409 (materials received before any were asked for, an
    # objection without a transfer): the rules themselves are tests/unit/services/triage/.
    ("review", "GET", "/api/v1/triage/items/<string:petition_id>"): Row(TRIAGE, "get", path=_triage_path("")),
    ("review", "POST", "/api/v1/triage/items/<string:petition_id>/classify"): Row(
        TRIAGERS, "get", path=_triage_path("/classify"), body=lambda d, r, w: triage_examples.CLASSIFY_EXAMPLE),
    ("review", "POST", "/api/v1/triage/items/<string:petition_id>/route"): Row(
        TRIAGERS, "get", path=_triage_path("/route"), body=lambda d, r, w: triage_examples.ROUTE_EXAMPLE),
    ("review", "POST", "/api/v1/triage/items/<string:petition_id>/materials"): Row(
        TRIAGERS, "get", path=_triage_path("/materials"), body=lambda d, r, w: triage_examples.MATERIALS_EXAMPLE),
    ("review", "POST", "/api/v1/triage/items/<string:petition_id>/materials/received"): Row(
        TRIAGERS, "get", 409, path=_triage_path("/materials/received")),
    ("review", "POST", "/api/v1/triage/items/<string:petition_id>/decline"): Row(
        TRIAGERS, "get", path=_triage_path("/decline"), body=lambda d, r, w: triage_examples.DECLINE_EXAMPLE),
    ("review", "POST", "/api/v1/triage/items/<string:petition_id>/transfer-objection"): Row(
        TRIAGERS, "get", 409, path=_triage_path("/transfer-objection"),
        body=lambda d, r, w: triage_examples.OBJECTION_EXAMPLE),
    # Bulk: no unit dimension in the call (each item answers for itself: an unseen one is a per-item 404).
    ("review", "POST", "/api/v1/triage/bulk"): Row(TRIAGERS, "plain", body=lambda d, r, w: triage_examples.BULK_EXAMPLE),
    # 考评反馈: the matrix's items are pending with no handling unit yet, so past the role check and
    # the unit's sight nobody acts for one (403 not_your_unit), another unit's is a 404; the rules
    # themselves: tests/unit/services/feedback/.
    ("review", "GET", "/api/v1/feedback/items/<string:petition_id>"): Row(
        TRIAGE, "get", path=lambda d, r, w: f"/api/v1/feedback/items/{d.petition[unit_of(r, w)]}"),
    ("review", "POST", "/api/v1/feedback/items/<string:petition_id>/feedback"): Row(
        FEEDBACK_RECORD, "get", 403, path=lambda d, r, w: f"/api/v1/feedback/items/{d.petition[unit_of(r, w)]}/feedback",
        body=lambda d, r, w: {"rating": "satisfied", "method": "phone"}),
    ("review", "POST", "/api/v1/feedback/items/<string:petition_id>/reopen"): Row(
        FEEDBACK_DECIDE, "get", 403, path=lambda d, r, w: f"/api/v1/feedback/items/{d.petition[unit_of(r, w)]}/reopen",
        body=lambda d, r, w: {"reason": "matrix"}),
    ("review", "POST", "/api/v1/feedback/items/<string:petition_id>/close"): Row(
        FEEDBACK_DECIDE, "get", 403, path=lambda d, r, w: f"/api/v1/feedback/items/{d.petition[unit_of(r, w)]}/close",
        body=lambda d, r, w: {"reason": "matrix"}),
    ("review", "GET", "/api/v1/feedback/rates"): Row(
        TRIAGE, "plain", path=lambda d, r, w: "/api/v1/feedback/rates?from=2026-11-01&to=2026-11-30"),
    # notify 通知
    # 审查办理: a fresh item 交办 to the caller's unit (own) or another (other) per cell; a unit above acting
    # for the one below (403 not_your_unit) and every refusal: tests/unit/services/handling/.
    ("review", "GET", "/api/v1/handling/items/<string:petition_id>"): Row(
        TRIAGE, "get", path=_handling_path("", "handling")),
    ("review", "POST", "/api/v1/handling/items/<string:petition_id>/accept"): Row(
        HANDLING, "get", path=_handling_path("/accept", "routed")),
    ("review", "POST", "/api/v1/handling/items/<string:petition_id>/return"): Row(
        HANDLING, "get", path=_handling_path("/return", "routed"), body=lambda d, r, w: {"reasons": "不属本单位办理"}),
    # The matrix's token principals have no staff account, so taking the item is the rule's 422
    # (invalid_handler), past the access check.
    ("review", "POST", "/api/v1/handling/items/<string:petition_id>/handler"): Row(
        HANDLING, "get", 422, path=_handling_path("/handler", "handling"), body=lambda d, r, w: {}),
    ("review", "POST", "/api/v1/handling/items/<string:petition_id>/progress"): Row(
        HANDLING, "get", 201, path=_handling_path("/progress", "handling"),
        body=lambda d, r, w: {"text": "已调取材料", "reported_on": _today()}),
    ("review", "POST", "/api/v1/handling/items/<string:petition_id>/replies"): Row(
        HANDLING, "get", 201, path=_handling_path("/replies", "handling"),
        body=lambda d, r, w: {"kind": "procedural", "text": "已受理。", "delivery": "sms", "replied_on": _today(),
                              "legal_basis": "《人民检察院办理群众来信工作规定》"}),
    ("review", "GET", "/api/v1/handling/replies/<string:reply_id>/document.<any(pdf, docx):fmt>"): Row(
        TRIAGE, "plain", 404, path=lambda d, r, w: f"/api/v1/handling/replies/{NO_SUCH_ID}/document.docx"),
    ("review", "GET", "/api/v1/handling/mine"): Row(HANDLING, "plain"),
    ("notify", "GET", "/api/v1/deliveries"): Row(CASE, "list", listed="subject"),
    # 挂案清理: a case's clearance by unit (own 200, other 404); the writes on an id that does not exist are a 404
    # for the roles that may make them (the rules by unit, flag and state: tests/unit/services/clearance and
    # tests/integration/test_clearance_postgres_kafka.py).
    ("review", "GET", "/api/v1/hanging-clearance/cases"): Row(CLEARANCE_READ, "plain"),
    ("review", "GET", "/api/v1/hanging-clearance/cases/<string:case_id>"): Row(
        CLEARANCE_READ, "get", path=lambda d, r, w: f"/api/v1/hanging-clearance/cases/{_clearance_case(d, unit_of(r, w))}"),
    ("review", "POST", "/api/v1/hanging-clearance/cases/<string:case_id>/actions"): Row(
        CLEARANCE_ACT, "plain", 404, body=lambda d, r, w: {"kind": "urge"}),
    ("review", "POST", "/api/v1/hanging-clearance/cases/<string:case_id>/outcome"): Row(
        CLEARANCE_ACT, "plain", 404, body=lambda d, r, w: {"outcome": "withdrawn", "outcome_on": _today()}),
    ("review", "POST", "/api/v1/hanging-clearance/cases/<string:case_id>/property/<string:property_id>/return"): Row(
        CLEARANCE_ACT, "plain", 404, body=lambda d, r, w: {"returned_on": _today()}),
    ("review", "POST", "/api/v1/hanging-clearance/actions/<string:action_id>/reply"): Row(
        CLEARANCE_ACT, "plain", 404, body=lambda d, r, w: {"text": "matrix"}),
    ("review", "GET", "/api/v1/hanging-clearance/actions/<string:action_id>/document.<any(pdf, docx):fmt>"): Row(
        CLEARANCE_READ, "plain", 404, path=lambda d, r, w: f"/api/v1/hanging-clearance/actions/{NO_SUCH_ID}/document.pdf"),
    ("review", "GET", "/api/v1/hanging-clearance/campaigns"): Row(CLEARANCE_READ, "plain"),
    ("review", "POST", "/api/v1/hanging-clearance/campaigns"): Row(
        CLEARANCE_CAMPAIGN, "plain", 201, body=lambda d, r, w: {
            "name": "matrix", "starts_on": _today(), "ends_on": _today(), "units": [HOME_UNIT[r]]}),
    ("review", "GET", "/api/v1/hanging-clearance/campaigns/<string:campaign_id>"): Row(CLEARANCE_READ, "plain", 404),
    # 羁押必要性审查: the steps on a review that does not exist are a 404 for the roles that may take them (by unit
    # and state: tests/integration/test_custody_postgres_kafka.py); the application is registered (201).
    ("review", "GET", "/api/v1/custody-reviews"): Row(CUSTODY_READ, "plain"),
    ("review", "POST", "/api/v1/custody-reviews"): Row(CUSTODY_OPEN, "plain", 201,
                                                       body=lambda d, r, w: CUSTODY_APPLICATION),
    ("review", "GET", "/api/v1/custody-reviews/rates"): Row(
        CUSTODY_READ, "plain", path=lambda d, r, w: "/api/v1/custody-reviews/rates?from=2026-11-01&to=2026-11-30"),
    ("review", "GET", "/api/v1/custody-reviews/<string:review_id>"): Row(CUSTODY_READ, "plain", 404),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/receive"): Row(CUSTODY_ACT, "plain", 404),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/file"): Row(CUSTODY_ACT, "plain", 404),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/decline"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"reasons": "matrix"}),
    ("review", "PUT", "/api/v1/custody-reviews/<string:review_id>/grounds"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"items": [{"code": "580.plea", "ticked": False}]}),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/extend"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"approved_by": "matrix", "reasons": "matrix"}),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/suspend"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"start_on": "2026-11-02", "basis": "matrix"}),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/resume"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"resumed_on": "2026-11-03"}),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/decision"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"decision": "continued", "reasons": "matrix"}),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/reply"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"reply": "accepted", "reply_on": "2026-11-03", "text": "m"}),
    ("review", "POST", "/api/v1/custody-reviews/<string:review_id>/correction"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"text": "matrix"}),
    ("review", "GET", "/api/v1/custody-reviews/<string:review_id>/documents/<string:document_id>.<string:fmt>"): Row(
        CUSTODY_READ, "plain", 404),
    ("review", "GET", "/api/v1/custody-register"): Row(CUSTODY_READ, "plain"),
    ("review", "POST", "/api/v1/custody-register"): Row(CUSTODY_ACT, "plain", 201, body=lambda d, r, w: {
        "person_name": "李某", "criminal_case_number": "宛公刑立字〔2026〕2号", "charge": "职务侵占罪",
        "stage": "prosecution", "stage_entered_on": "2026-11-02", "handling_organ": "南阳市公安局"}),
    ("review", "GET", "/api/v1/custody-register/<string:entry_id>"): Row(CUSTODY_READ, "plain", 404),
    ("review", "PATCH", "/api/v1/custody-register/<string:entry_id>"): Row(
        CUSTODY_ACT, "plain", 404, body=lambda d, r, w: {"stage": "trial"}),
    **PAGES,
    **DISHONESTY_ROWS,
}


# 涉企挂案 intake (services/review/cases/hanging): the 捕诉 prosecutors and unit leaders of the case's unit and
# the units above it read, the task force reads everything; the unit's own prosecutors act; another unit's
# case is a 404.  Each cell of a case endpoint gets a fresh case of the own or the other unit.
HANGING_READ = ("prosecutor", "unit_leader", "task_force")
HANGING_ACT = ("prosecutor",)


def _hanging_path(suffix: str = "") -> Callable[["Data", str, str], str]:
    def path(d: "Data", role: str, which: str) -> str:
        from tests.support.hanging import stored_case

        d.hanging_made += 1
        case_id = stored_case(d.apps["review"].extensions["huhang"].session_factory, unit=unit_of(role, which),
                              number=d.hanging_made)
        with d.apps["review"].extensions["huhang"].session_factory() as session:
            from services.review.cases.hanging.models import HangingCase

            case = session.get(HangingCase, case_id)
            assert case is not None
            parts = {"measure": case.measures[0].id, "item": case.property_items[0].id}
        return f"/api/v1/hanging-cases/{case_id}{suffix.format(**parts)}"
    return path


def _hanging_body(d: "Data", role: str, which: str) -> dict[str, Any]:
    d.hanging_made += 1
    return {"case_number": f"宛公经立字〔2025〕{5000 + d.hanging_made}号", "investigating_organ": "南阳市公安局",
            "case_title": "matrix", "charge": "合同诈骗罪", "filed_on": "2025-01-06", "enterprise_name": "matrix 公司"}


HANGING_ROWS: dict[tuple[str, str, str], Row] = {
    ("review", "POST", "/api/v1/hanging-cases"): Row(HANGING_ACT, "plain", 201, body=_hanging_body),
    ("review", "GET", "/api/v1/hanging-cases/<string:case_id>"): Row(HANGING_READ, "get", path=_hanging_path()),
    ("review", "POST", "/api/v1/hanging-cases/<string:case_id>/measures"): Row(
        HANGING_ACT, "get", 201, path=_hanging_path("/measures"),
        body=lambda d, r, w: {"kind": "detention", "started_on": "2024-03-16", "ends_on": "2024-03-19"}),
    ("review", "PATCH", "/api/v1/hanging-cases/<string:case_id>/measures/<string:measure_id>"): Row(
        HANGING_ACT, "get", path=_hanging_path("/measures/{measure}"), body=lambda d, r, w: {"lifted_on": "2024-06-01"}),
    ("review", "POST", "/api/v1/hanging-cases/<string:case_id>/property"): Row(
        HANGING_ACT, "get", 201, path=_hanging_path("/property"), body=lambda d, r, w: {"kind": "seized", "description": "账册"}),
    ("review", "PATCH", "/api/v1/hanging-cases/<string:case_id>/property/<string:item_id>"): Row(
        HANGING_ACT, "get", path=_hanging_path("/property/{item}"), body=lambda d, r, w: {"returned_on": "2024-06-01"}),
    ("review", "GET", "/api/v1/hanging-cases/imports"): Row(HANGING_READ, "plain"),
    # An unreadable file: 422 for a prosecutor (nothing stored); the import rules: tests/unit/services/hanging/.
    ("review", "POST", "/api/v1/hanging-cases/imports"): Row(
        HANGING_ACT, "plain", 422, multipart=True, body=lambda d, r, w: {"file": (io.BytesIO(b"x"), "x.csv")}),
    ("review", "GET", "/api/v1/hanging-cases/imports/<string:batch_id>"): Row(HANGING_READ, "plain", 404),
    ("review", "GET", "/api/v1/hanging-cases/import-template.xlsx"): Row(HANGING_READ, "plain"),
    ("review", "GET", "/api/v1/hanging-cases/import-template.csv"): Row(HANGING_READ, "plain"),
    ("review", "GET", "/hanging-cases/import"): _page(HANGING_READ),
    # The upload form checks its token after the access check (as 信访材料's): 403 for others, 400 without a token.
    ("review", "POST", "/hanging-cases/import"): _page(HANGING_ACT, 400),
    ("review", "GET", "/hanging-cases/import-template.xlsx"): _page(HANGING_READ),
    ("review", "GET", "/hanging-cases/import-template.csv"): _page(HANGING_READ),
    ("review", "GET", "/hanging-cases/new"): _page(HANGING_ACT),
    ("review", "POST", "/hanging-cases/new"): _FORM,
    ("review", "GET", "/hanging-cases/<string:case_id>"): _page(HANGING_READ, 404),
    ("review", "POST", "/hanging-cases/<string:case_id>/measures/<string:measure_id>"): _FORM,
    ("review", "POST", "/hanging-cases/<string:case_id>/property/<string:item_id>"): _FORM,
}
MATRIX.update(HANGING_ROWS)


#: A deadline start day that fits the examples (suspension from 2026-10-09, lifted 10-20, met 10-12).
DEADLINE_START = date(2026, 10, 8)


@dataclass


class Data:
    apps: dict[str, Flask]
    petition: dict[str, str] = field(default_factory=dict)  # unit code → petition id
    attachment: dict[str, str] = field(default_factory=dict)  # unit code → an attachment of its petition
    court_case: dict[str, str] = field(default_factory=dict)  # unit code → flagged court case id
    last: dict[str, str] = field(default_factory=dict)  # the ids of the case `flag` made last
    cases_made: int = 0
    judge_account: str = ""
    made: list[str] = field(default_factory=list)  # deadlines made for cells
    accounts_made: int = 0
    blobs: Path = Path("review-blobs")  # review's blob folder (the reply documents)
    hanging_made: int = 0  # 挂案 made for cells (each needs its own 案号)

    def password_change(self) -> dict[str, str]:
        """A password change of a new account (a change cannot be repeated), not signed in."""
        self.accounts_made += 1
        username = f"matrix-pw-{self.accounts_made}"
        with self.apps["review"].extensions["huhang"].session_factory() as session, session.begin():
            admin.create(session, username=username, display_name="matrix", unit_code="NY-FY", roles=["judge"],
                            password=DEMO_PASSWORD, now=utcnow(), secret_key=DEV_SECRET)
        return {"username": username, "current_password": DEMO_PASSWORD, "new_password": "Matrix#Rotated-2027"}

    def case_number(self) -> str:
        """A 案号 not flagged yet (one flag per 案号)."""
        self.cases_made += 1
        return f"（2022）豫13民初{900000 + self.cases_made}号"

    def flag(self, unit: str, *, application: bool = False) -> dict[str, str]:
        """A new flagged case of `unit` (with a pending 减交 application): its ids, kept in `last` for the body.

        Court cases are flagged by court units only; another unit's case for a court role is one of a
        procuratorate unit (as for petitions), so such a case is flagged by a court and moved there.
        """
        flagger = Actor("matrix", unit if line_of_unit(unit) == "12368" else "NY-FY-DZ")
        body = {**copy.deepcopy(COURT_CASE_EXAMPLE), "case_number": self.case_number()}
        with self.apps["intake"].extensions["huhang"].session_factory() as session, transaction(session):
            case = court_cases.flag(session, court_case_in=body, actor=flagger).court_case
            case.unit_code = unit
            ids = {"case": case.id, **{p.kind: p.id for p in case.parties}}
            if application:
                ids["application"] = fee_relief.apply(session, court_case_id=case.id, actor=flagger, application_in={
                    "party_id": ids["enterprise"], "kind": "减交", "situation_code": "46.4", "proof": "财务报表",
                    "stage": "起诉"}).id
        self.last = ids
        return ids
    def fresh_code(self, unit: str) -> str:
        """A newly issued 查询码 of ``unit``'s petition (the one it had stops working)."""
        with self.apps["intake"].extensions["huhang"].session_factory() as session, transaction(session):
            _, code = petitions.reissue_query_code(session, petition_id=self.petition[unit], reason="matrix",
                                                   actor=Actor("matrix", unit))
        return code

    def deadline(self, unit: str, *, suspended: bool = False) -> tuple[str, str]:
        """A new open deadline of ``unit`` on that unit's petition (and an open suspension)."""
        with self.apps["review"].extensions["huhang"].session_factory() as session, session.begin():
            made = attaching.attach(
                session, subject=f"matrix-{unit}-{len(self.made)}", unit_code=unit, rule_code="12309.result_reply",
                start_on=DEADLINE_START, case_number=f"M-{unit}",
            )
            suspension_id = ""
            if suspended:
                suspension_id = suspensions.suspend(
                    session, principal=None, deadline_id=made.id, reason="appraisal", basis="鉴定",
                    start_on=date(2026, 10, 9), actor="matrix",
                ).id
            self.made.append(made.id)
            return made.id, suspension_id


def _leniency_check(d: Data) -> dict[str, Any]:
    """The example check, with the repository's 首违不罚 lists loaded (idempotent) into review's database."""
    from services.review.leniency import catalogue
    from services.review.leniency.schemas import CHECK_EXAMPLE

    with d.apps["review"].extensions["huhang"].session_factory() as session, session.begin():
        catalogue.seed(session)
    return copy.deepcopy(CHECK_EXAMPLE)


def _units_in_play() -> set[str]:
    return set(HOME_UNIT.values()) | {"NY-JCY-DZ", "NY-FY-DZ"}


@pytest.fixture


def data(infra: Infrastructure, databases: Databases, test_keys: AuthKeys, tmp_path: Path) -> Iterator[Data]:
    kafka = KafkaSettings(bootstrap_servers=infra.kafka_bootstrap, topic_prefix="matrix")
    apps = {}
    for svc in ("intake", "review", "notify"):
        settings = Settings(service=svc, database_url=databases.fresh(svc), kafka=kafka)
        apps[svc] = importlib.import_module(f"services.{svc}").create_app({"TESTING": True}, settings=settings)
    d = Data(apps)
    d.blobs = tmp_path / "review-blobs"
    store = LocalFolderStore(tmp_path / "blobs")
    apps["intake"].extensions["huhang"].extras["blob_store"] = store
    # Every role posts an online petition from the test client's one address: the window is not the question here.
    apps["intake"].extensions["huhang"].extras["intake_settings"] = IntakeSettings(online_petition_limit=1000)
    d.keys = test_keys  # type: ignore[attr-defined]
    now = utcnow()
    with apps["intake"].extensions["huhang"].session_factory() as session:
        for unit in sorted(_units_in_play()):
            body = PETITION_EXAMPLE if line_of_unit(unit) == "12309" else COURT_EXAMPLE
            with transaction(session):
                # As the API reads it: register takes the loaded body (the related 案号 parsed).
                reg = petitions.register(session, petition_in=PetitionCreate().load(copy.deepcopy(body)),
                                         actor=Actor("matrix", unit))
            d.petition[unit] = reg.petition.id
            content = files.png(rgb=(len(d.petition), 0, 0))
            with staged(store) as blobs, transaction(session):
                d.attachment[unit] = attachments.upload(
                    session, blobs=blobs, petition_id=reg.petition.id, stream=io.BytesIO(content),
                    filename="matrix.png", actor=Actor("matrix", unit), limits=IntakeSettings(),
                ).attachment.id
    for unit in sorted(_units_in_play()):
        d.court_case[unit] = d.flag(unit)["case"]
    with apps["review"].extensions["huhang"].session_factory() as session:
        units.seed(session)
        admin.seed_demo(session, now=now, secret_key=DEV_SECRET, production=False)
        session.commit()
        d.judge_account = next(a.id for a in admin.list_(session) if a.username == "demo-judge")
        for unit, pid in d.petition.items():
            session.add(TriageItem(
                petition_id=pid, case_number=f"M-{unit}", line=line_of_unit(unit) or "12309", channel="网",
                petition_type="控告", is_enterprise=True, petitioner_masked="张*", summary="matrix",
                received_on=now.date(), source_event_id=pid, unit_code=unit,
            ))
            # The petition's deadlines, owned by its unit (what the deadline list is checked against).
            attaching.attach_for_petition(session, petition_id=pid, case_number=f"M-{unit}",
                                          line=line_of_unit(unit) or "12309", received_on=now.date(), unit_code=unit)
        session.commit()
    with apps["notify"].extensions["huhang"].session_factory() as session:
        for unit, pid in d.petition.items():
            session.add(Delivery(subject=pid, channel="staff_inbox", recipient="unit:triage-officers", template="t",
                                 title="matrix", body="matrix", source_event_id=pid, source_event_type="triage.item_created",
                                 unit_code=unit))
        session.commit()
    yield d
    for app in apps.values():
        app.extensions["huhang"].engine.dispose()


def _routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_endpoint_has_a_row(data: Data) -> None:
    missing = sorted(
        f"{svc} {method} {path}" for svc, app in data.apps.items() for method, path in _routes(app)
        if (svc, method, path) not in MATRIX
    )
    assert missing == [], "endpoints without a row in the access matrix: add one (who may call it?)\n" + "\n".join(missing)


def _fill(path: str) -> str:
    import re

    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", NO_SUCH_ID, path)


def _call(client: FlaskClient, method: str, path: str, body: Any, headers: dict[str, str],
          multipart: bool = False) -> Any:
    if multipart:
        return client.open(path, method=method, data=body, headers=headers, content_type="multipart/form-data")
    return client.open(path, method=method, json=body, headers=headers)


def _expected(row: Row, role: str, which: str) -> int:
    if row.allowed == PUBLIC or row.kind == "form":
        return row.status
    if row.allowed != ANY and role not in row.allowed:
        return 403
    if row.kind == "get" and which == "other" and role != "task_force":
        return 404
    if row.kind == "create" and which == "other":
        return 403
    return row.status


def test_role_by_endpoint_by_unit(data: Data) -> None:
    keys: AuthKeys = data.keys  # type: ignore[attr-defined]
    failures: list[str] = []
    cells = 0
    for (svc, method, rule), row in sorted(MATRIX.items()):
        app = data.apps.get(svc)
        if app is None or (method, rule) not in _routes(app):
            continue  # a row for an endpoint not (yet) built: harmless
        client = app.test_client()
        for role in (*ROLES, None):
            for which in ("own", "other"):
                if role is None:
                    path = row.path(data, "triage_officer", which) if row.path else _fill(rule)
                    body = row.body(data, "intake_clerk", which) if row.body else None
                    resp = _call(client, method, path, body, {}, row.multipart)
                    want = row.status if row.allowed == PUBLIC else 303 if row.kind == "page" else 401
                else:
                    path = row.path(data, role, which) if row.path else _fill(rule)
                    body = row.body(data, role, which) if row.body else None
                    resp = _call(client, method, path, body, keys.headers(role), row.multipart)
                    want = _expected(row, role, which)
                cells += 1
                cell = f"{svc} {method} {rule} role={role} {which}"
                if resp.status_code != want:
                    failures.append(f"{cell}: {resp.status_code} (want {want}) {resp.get_data(as_text=True)[:160]}")
                    continue
                if row.kind == "list" and role is not None and want == 200:
                    names = {item[row.listed] for item in resp.json}
                    pid = getattr(data, row.records)[unit_of(role, which)]
                    should_see = which == "own" or role == "task_force"
                    if (pid in names) != should_see:
                        failures.append(f"{cell}: record of {unit_of(role, which)} {'missing' if should_see else 'LEAKED'}")
                if row.allowed == PUBLIC and row.kind == "public" and role is not None:
                    break  # a public endpoint answers the same whoever asks: one cell per role is enough
    assert failures == [], "\n".join(failures)
    assert cells > 300


def test_deadline_endpoints_answer_404_for_a_nonexistent_id(data: Data) -> None:
    keys: AuthKeys = data.keys  # type: ignore[attr-defined]
    client = data.apps["review"].test_client()
    failures = []
    for (svc, method, rule), row in sorted(MATRIX.items()):
        if svc != "review" or not rule.startswith("/api/v1/deadlines/"):
            continue
        for role in ("triage_officer", "judge"):
            body = row.body(data, role, "own") if row.body else None
            resp = _call(client, method, _fill(rule), body, keys.headers(role))
            if resp.status_code != 404 or resp.json["code"] != "deadline_not_found":
                failures.append(f"{method} {rule} {role}: {resp.status_code}")
    assert failures == []


def test_another_units_deadline_is_left_unchanged_by_a_refused_write(data: Data) -> None:
    """A 404 on another unit's deadline wrote nothing (the scoped load refused it first)."""
    keys: AuthKeys = data.keys  # type: ignore[attr-defined]
    client = data.apps["review"].test_client()
    court_deadline, _ = data.deadline("NY-FY-SF")
    handler = keys.headers("case_handler")  # NY-JCY-WC
    for suffix, body in (("/suspensions", deadline_examples.SUSPENSION_EXAMPLE),
                         ("/extensions", deadline_examples.EXTENSION_EXAMPLE),
                         ("/meet", deadline_examples.MEET_EXAMPLE)):
        assert client.post(f"/api/v1/deadlines/{court_deadline}{suffix}", json=body, headers=handler).status_code == 404
    detail = client.get(f"/api/v1/deadlines/{court_deadline}", headers=keys.headers("judge")).json
    assert detail["status"] == "open" and detail["unit_code"] == "NY-FY-SF"
    assert [h["kind"] for h in detail["history"]] == ["set"]
    assert detail["suspensions"] == [] and detail["extensions"] == []


def test_password_change_signed_in_over_postgresql(data: Data) -> None:
    """The signed-in form, with review's own token and sessions: row lock and session ending on PostgreSQL."""
    client = data.apps["review"].test_client()
    browser = data.apps["review"].test_client()
    assert browser.post("/api/v1/auth/sessions", json={"username": "demo-12309", "password": DEMO_PASSWORD}).status_code == 201
    token = client.post("/api/v1/auth/token", json={"username": "demo-12309", "password": DEMO_PASSWORD}).json
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    new = "Matrix#Rotated-2027"
    resp = client.post("/api/v1/auth/password", json={"current_password": DEMO_PASSWORD, "new_password": new},
                       headers=headers)
    assert resp.status_code == 200 and resp.json["sessions_ended"] == 1, resp.json
    assert browser.get("/api/v1/auth/me").status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "demo-12309", "password": DEMO_PASSWORD}).status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "demo-12309", "password": new}).status_code == 200
