"""送达记录 the delivery log as pages: the filtered list, one delivery with its attempts, and the
panel of one petition's deliveries that review's case page includes.

Who may look is the API's rule (`GET /api/v1/deliveries`): the case roles, each reading the
deliveries of the units they see (`queries.py` scopes every query).  The pages only read.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, request

from services.notify.deliveries import labels, queries
from services.notify.deliveries.queries import DeliveryFilters
from services.notify.deliveries.schemas import KNOWN_CHANNELS, DeliveryFilterArgs, SubjectPanelArgs
from services.notify.deliveries.states import DeliveryStatus
from shared.auth import require_principal, requires
from shared.auth.principal import CASE_ROLES
from shared.context import db_session
from shared.web.pages import page_blueprint, parse_form, render_fragment, render_page

blp = page_blueprint("deliveries", __name__, url_prefix="/deliveries")

PAGE_SIZE = 50
_FILTER_KEYS = ("status", "channel", "subject", "since", "until")


def _label_context() -> dict[str, Any]:
    return {
        "status_text": labels.status_text, "channel_text": labels.channel_text,
        "outcome_text": labels.outcome_text, "recipient_text": labels.recipient_text,
        "error_text": labels.error_text,
    }


def _list_url(values: dict[str, Any], **changes: Any) -> str:
    """The list with the form's filters, some changed (None drops one); no cursor unless given."""
    query = {k: v for k, v in values.items() if k in _FILTER_KEYS}
    query.update(changes)
    query = {k: v for k, v in query.items() if v}
    return "/deliveries" + ("?" + urlencode(query) if query else "")


@blp.get("")
@requires(*CASE_ROLES)
def list_page() -> Response:
    """送达记录: every delivery the caller may see, newest first, with filters and counts per status."""
    data, errors = parse_form(DeliveryFilterArgs(), request.args)
    values = errors.values
    rows: list[Any] = []
    counts: dict[str, int] = {}
    next_url = None
    if data is not None:
        filters = DeliveryFilters(**{k: data[k] for k in _FILTER_KEYS if k in data})
        session, principal = db_session(), require_principal()
        found = queries.page(session, filters=filters, principal=principal, after=data.get("after"), limit=PAGE_SIZE)
        rows = found.rows
        counts = queries.counts_by_status(session, filters=filters, principal=principal)
        if found.next is not None:
            next_url = _list_url(values, after=found.next.encode())
    return render_page(
        "deliveries/list.html", status=200 if data is not None else 422,
        rows=rows, counts=counts, errors=errors, values=values, next_url=next_url,
        first_url=_list_url(values) if "after" in values else None,
        status_url=lambda status: _list_url(values, status=status),
        statuses=[(s.value, labels.status_text(s.value)) for s in DeliveryStatus],
        channels=[(c, labels.channel_text(c)) for c in KNOWN_CHANNELS],
        **_label_context(),
    )


@blp.get("/panel")
@requires(*CASE_ROLES)
def subject_panel() -> Response:
    """The deliveries of one petition (`?subject=<petition id>`), for review's case page (a fragment)."""
    data, errors = parse_form(SubjectPanelArgs(), request.args)
    if data is None:
        return render_fragment("deliveries/panel.html", status=422, errors=errors, rows=[], **_label_context())
    found = queries.of_subject(db_session(), data["subject"], principal=require_principal())
    return render_fragment(
        "deliveries/panel.html", errors=errors, rows=found.rows, has_more=found.next is not None,
        list_url=_list_url({"subject": data["subject"]}),
        **_label_context(),
    )


@blp.get("/<string:delivery_id>")
@requires(*CASE_ROLES)
def detail_page(delivery_id: str) -> Response:
    """One delivery and its attempt log; another unit's delivery is a 404, as a missing one."""
    session = db_session()
    delivery = queries.get_or_raise(session, delivery_id, principal=require_principal())
    return render_page(
        "deliveries/detail.html", delivery=delivery, attempts=queries.attempts_of(session, delivery),
        subject_url=_list_url({"subject": delivery.subject}), **_label_context(),
    )
