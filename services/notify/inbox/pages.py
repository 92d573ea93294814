"""通知 the staff inbox pages: the signed-in person's notices, marking them read, and the unread panel
that review's home page includes.

Any signed-in member of staff has an inbox (`@authenticated`); what is in it is decided by the
address of each notice (`addresses.py`), so the pages themselves check no role.  Marking read is
a POST with the CSRF token, answered with a 303 back to where the person was.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import Response, request
from marshmallow import Schema
from werkzeug.exceptions import UnprocessableEntity

from services.notify.inbox import service
from services.notify.inbox.schemas import InboxArgs, MarkAllReadForm, MarkReadForm
from shared.auth import authenticated
from shared.context import db_session, request_actor
from shared.db.transaction import transaction
from shared.web.pages import page_blueprint, parse_form, redirect_to, render_fragment, render_page, safe_next

blp = page_blueprint("inbox", __name__, url_prefix="/inbox")

PAGE_SIZE = 30
HOME = "/inbox"


def _url(show: str, after: str | None = None) -> str:
    query = {k: v for k, v in (("show", show if show != "all" else None), ("after", after)) if v}
    return HOME + ("?" + urlencode(query) if query else "")


def _marked_text(marked: int | None) -> str | None:
    if marked is None:
        return None
    return "没有需要标记的未读通知（此前已标为已读）。" if marked == 0 else f"已将 {marked} 条通知标为已读。"


@blp.get("")
@authenticated
def inbox_page() -> Response:
    """My notices, newest first; unread ones say so in words."""
    data, errors = parse_form(InboxArgs(), request.args)
    show = data["show"] if data is not None else "all"
    notices: list[service.Notice] = []
    unread = 0
    newest = next_url = None
    if data is not None:
        session, actor = db_session(), request_actor()
        found = service.page(session, actor=actor, after=data.get("after"), unread_only=show == "unread",
                             limit=PAGE_SIZE)
        notices = found.notices
        unread = service.unread_count(session, actor=actor)
        newest = service.newest(session, actor=actor)
        if found.next is not None:
            next_url = _url(show, found.next.encode())
    return render_page(
        "inbox/list.html", status=200 if data is not None else 422, errors=errors, notices=notices, unread=unread,
        show=show, newest=newest.encode() if newest else None, next_url=next_url,
        first_url=_url(show) if data and data.get("after") else None,
        all_url=_url("all"), unread_url=_url("unread"),
        notice=_marked_text(data.get("marked") if data else None),
    )


@blp.get("/panel")
@authenticated
def unread_panel() -> Response:
    """Fragment: the unread count and the newest unread notices (review's home page includes it)."""
    count, notices = service.panel(db_session(), actor=request_actor())
    return render_fragment("inbox/panel.html", count=count, notices=notices)


@blp.post("/<string:delivery_id>/read")
@authenticated
def mark_read(delivery_id: str) -> Response:
    """Mark one notice read (idempotent), then back to the page it was marked on."""
    data = _form(MarkReadForm())
    with transaction(db_session()) as session:
        changed = service.mark_read(session, delivery_id=delivery_id, actor=request_actor())
    return _back(data.get("next"), marked=1 if changed else 0)


@blp.post("/read-all")
@authenticated
def mark_all_read() -> Response:
    """Mark every notice read up to the newest the page showed, then back to the inbox."""
    data = _form(MarkAllReadForm())
    with transaction(db_session()) as session:
        marked = service.mark_all_read(session, actor=request_actor(), through=data.get("through"))
    return _back(data.get("next"), marked=marked)


def _form(schema: Schema) -> dict[str, Any]:
    """The posted form; a malformed one (a cut `through`) is refused rather than read as "everything"."""
    data, errors = parse_form(schema, request.form)
    if data is None:
        raise UnprocessableEntity(str(errors.fields))
    return data


def _back(next_path: str | None, *, marked: int) -> Response:
    """303 to the page the form was on (only a path of this site), saying how many were marked."""
    target = urlsplit(safe_next(next_path, HOME))
    # Only the inbox's own parameters come back: a `next` is the person's to edit.
    query = {k: v for k, v in parse_qsl(target.query) if k in ("show", "after")}
    return redirect_to(target.path, **query, marked=str(marked))
