"""The public online petition form (/public/petitions/new): 网上信访 without an account.

The answer to the form is the page with the case number and the 查询码, shown this once
(no-store, never behind a redirect: only the code's hash is kept).
"""

from __future__ import annotations

import math
from typing import Any

from flask import Response, abort, request

from services.intake import config
from services.intake.credentials import codes
from services.intake.online import service
from services.intake.online.forms import LABELS, PublicPetitionForm
from services.intake.petitions import lines, receiving_units, record
from services.intake.petitions.forms import readable
from shared.auth import public
from shared.context import db_session, get_context, request_actor
from shared.db.base import utcnow
from shared.db.transaction import transaction
from shared.events.intake import LINES
from shared.web.pages import FormErrors, page_blueprint, parse_form, render_page

blp = page_blueprint("online", __name__)


def _form(errors: FormErrors | None = None, *, status: int = 200, **context: Any) -> Response:
    errors = readable(errors, LABELS) if errors else FormErrors()
    values = dict(errors.values)
    values.setdefault("line", request.args.get("line") if request.args.get("line") in LINES else "12309")
    return render_page(
        "online/new.html", status=status, errors=errors, values=values,
        line_options=[(code, f"{lines.LINE_TEXT[code]}（{receiving_units.ORGAN_OF_LINE[code]}）") for code in LINES],
        receivers={code: list(receiving_units.public_receivers(code).items()) for code in LINES},
        types={code: record.CATEGORIES[code] for code in LINES}, line_text=lines.LINE_TEXT,
        petitioner_kinds=list(record.PETITIONER_KINDS.items()), relations=[(r, r) for r in record.RELATIONS],
        sizes=[(s, f"{s}型企业") for s in record.ENTERPRISE_SIZES],
        industries=[(code, f"{code} {name}") for code, name in record.INDUSTRIES.items()],
        ownerships=[(o, o) for o in record.OWNERSHIPS], **context,
    )


@blp.get("/public/petitions/new")
@public
def new() -> Response:
    """网上信访: the form (12309 or 12368, the organ, the record)."""
    return _form()


@blp.post("/public/petitions/new")
@public
def submit() -> Response:
    """Register the online petition; the answer shows the case number and the code once."""
    settings = config.current()
    if (request.content_length or 0) > settings.online_petition_max_bytes:
        abort(413)  # the form is parsed already (the CSRF check): refused by its declared length
    data, errors = parse_form(PublicPetitionForm(), request.form)
    if data is None:
        return _form(errors, status=422)
    now = get_context().extras.get("clock", utcnow)()
    try:
        with transaction(db_session()) as session:
            registration = service.submit(
                session, petition_in=data, actor=request_actor(), now=now,
                window=service.Window(settings.online_petition_limit, settings.online_petition_window_s))
    except service.TooManyPetitions as exc:
        page = _form(errors, status=429, limited=True, retry_minutes=math.ceil(exc.retry_after_s / 60))
        page.headers["Retry-After"] = str(exc.retry_after_s)
        return page
    petition = registration.petition
    return render_page(
        "online/received.html", status=201, case_number=petition.case_number,
        query_code=codes.display(registration.query_code), received_at=petition.received_at,
        receiving_unit=receiving_units.name_of(petition.unit_code, line=petition.line),
        line_name=lines.LINE_TEXT[petition.line], commitments=lines.commitments(petition.line, settings),
    )
