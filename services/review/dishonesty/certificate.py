"""诚信证明: the certificate a removed record's enterprise gets, its verification code and QR code, and its notice.

There is no national format (RULES §6: 南京中院 issues a 《主动履行证明书》; a Henan format was not
found), so the layout is the platform's, on the GB/T 9704 page of shared/documents: the court as
版头 with the 发文字号 (代字 ``法诚证``, a platform default), the title 诚信证明, the enterprise as 主送,
what was performed and when the record was removed, the facts table (执行案号, 被执行人, its code,
listed and removed, the art. 10 ground), the verification code, the QR code of the public check
URL, and the court over the issue date.

The verification code is 16 characters of a 31-letter alphabet (no 0/O, 1/I/L): 31¹⁶ ≈ 2⁷⁹, drawn
with :mod:`secrets`; it is printed on the certificate and stored only as a keyed blind index.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import io
import os
import re
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import segno
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.deadlines.authors import label as author_label
from services.review.dishonesty import access, grounds
from services.review.dishonesty.models import PERSON, REMOVED, Certificate, Listing
from services.review.dishonesty.service import CONTACT_PURPOSE, DEBTOR_PURPOSE, WrongStatus
from services.review.identity.units.models import Unit
from shared.actor import Actor
from shared.audit.service import record as audit
from shared.calendar import beijing_today
from shared.documents import Document, Paragraph, Table, chinese_date
from shared.documents import pdf as pdf_renderer
from shared.errors import Conflict
from shared.events import new_event
from shared.outbox import enqueue
from shared.pii import blind_index, decrypt, encrypt, mask_name

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16
CODE_INDEX = "dishonesty_certificate"
PUBLIC_PATH = "/public/certificates"
NOTICE_KIND = "dishonesty.certificate_issued"
# The purposes notify decrypts a public notice's contacts under (services/notify/deliveries/notices.py).
EMAIL_PURPOSE = "public_notice.email"
PHONE_PURPOSE = "public_notice.phone"


class CertificateExists(Conflict):
    code = "dishonesty.certificate_exists"
    message_zh = "该记录已出具诚信证明（撤销后方可重新出具）"
    message_en = "A certificate of this record is already in force (revoke it first)"


class AlreadyRevoked(Conflict):
    code = "dishonesty.certificate_revoked"
    message_zh = "该诚信证明已撤销"
    message_en = "This certificate is already revoked"


def public_site_url() -> str:
    """Where the public reaches the portal (the front door); printed under the QR code."""
    return os.environ.get("HUHANG_PUBLIC_SITE_URL", "http://127.0.0.1:8100").rstrip("/")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed (any case, spaces or dashes between the groups) as the stored form."""
    return re.sub(r"[\s\-]", "", text).upper()


def shown(code: str) -> str:
    """The code as printed: four groups of four (``ABCD-EFGH-JKMN-PQRS``)."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def code_index(code: str) -> str:
    return blind_index(normalise_code(code), kind=CODE_INDEX)


def check_url(code: str) -> str:
    return f"{public_site_url()}{PUBLIC_PATH}?code={quote(shown(code))}"


def qr_svg(url: str) -> str:
    """The QR code (segno, level M) of ``url`` as an SVG element (no XML declaration), 24 mm wide."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True,
                                    svgclass="qr", title=url)
    svg = out.getvalue().decode("ascii")
    return re.sub(r'width="\d+" height="\d+"', 'width="24mm" height="24mm"', svg, count=1)


def next_serial(session: Session, *, organ_code: str, year: int) -> int:
    """The next 序号 of the court's 诚信证明 in ``year`` (its units row locked; the unique key backstops)."""
    session.scalar(select(Unit.code).where(Unit.code == organ_code).with_for_update())
    last = session.scalar(select(func.max(Certificate.serial)).where(
        Certificate.organ_code == organ_code, Certificate.year == year))
    return (last or 0) + 1


def document_number(court_name: str, *, year: int, serial: int) -> str:
    """发文字号: the court's first character, 法诚证, 〔year〕 serial 号 (e.g. ``南法诚证〔2026〕1号``)."""
    return f"{court_name[:1]}法诚证〔{year}〕{serial}号"


def enterprise_shown(listing: Listing) -> str:
    """Who the certificate is for, as the public answer names it: a person's name masked."""
    return listing.debtor_name if listing.debtor_kind != PERSON else (mask_name(listing.debtor_name) or "")


def performed_text(listing: Listing) -> str:
    if listing.removal_ground in grounds.PERFORMANCE_GROUNDS:
        return f"已履行{listing.obligation.rstrip('。')}"
    return grounds.removal_text(listing.removal_ground)


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    code: str  # shown once, to the issuing clerk and on the PDF


def build(listing: Listing, *, number: str, code: str, issued_on: _dt.date, performed: str) -> Document:
    name = listing.debtor_name
    if listing.debtor_kind == PERSON and listing.debtor_name_enc:
        name = decrypt(listing.debtor_name_enc, purpose=DEBTOR_PURPOSE)
    number_label = "身份证号码" if listing.debtor_kind == PERSON else "统一社会信用代码"
    removed = chinese_date(listing.removed_on or issued_on)
    body = (
        Paragraph(f"被执行人{name}在本院{listing.case_number}执行案件中，{performed.rstrip('。')}。本院已于{removed}"
                  f"依照《最高人民法院关于公布失信被执行人名单信息的若干规定》第十条删除其失信被执行人信息，"
                  f"并解除对其采取的限制消费措施。特此证明。"),
        Table(rows=(
            ("执行案号", listing.case_number),
            ("被执行人", name),
            (number_label, listing.debtor_number_masked),
            ("纳入日期", chinese_date(listing.listed_on)),
            ("删除日期", removed),
            ("验证码", shown(code)),
            ("查验网址", f"{public_site_url()}{PUBLIC_PATH}"),
        ), emphasis=frozenset({"验证码"})),
    )
    # No 主送: a certificate is shown to whoever the enterprise deals with; it names the enterprise itself.
    return Document(title="诚信证明", body=body, signature=listing.court_name, dated=issued_on,
                    organ=listing.court_name, number=number,
                    filename=f"诚信证明-{listing.case_number}")


def render(doc: Document, *, url: str) -> bytes:
    """The certificate as PDF: the shared GB/T 9704 page, the QR code set after the text (right-aligned)."""
    from shared.documents import fonts

    fonts.require()
    from weasyprint import HTML

    html = pdf_renderer.html(doc)
    # Floated left of the 署名 and date, so the code costs no lines of the 版心.
    figure = (f'<div class="qr-box" style="float:left;width:24mm;text-align:center;line-height:0">'
              f'{qr_svg(url)}<p style="font-size:9pt;line-height:4mm;margin:0;letter-spacing:0;text-indent:0">'
              f'扫码查验</p></div>\n')
    html = html.replace('<div class="closing">', figure + '<div class="closing">', 1)
    return bytes(HTML(string=html).write_pdf())


def current(session: Session, listing_id: str) -> Certificate | None:
    return session.scalar(select(Certificate).where(Certificate.listing_id == listing_id, Certificate.revoked_on.is_(None))
                          .order_by(Certificate.created_at.desc()))


def of_listing(session: Session, listing_id: str) -> list[Certificate]:
    return list(session.scalars(select(Certificate).where(Certificate.listing_id == listing_id)
                                .order_by(Certificate.created_at)))


def issue(session: Session, *, listing_id: str, actor: Actor, on: _dt.date | None = None) -> Issued:
    """Issue the 诚信证明 of a removed record, and ask notify to send it to the enterprise (mandatory)."""
    listing = access.get_listing(session, listing_id, principal=actor.principal, for_update=True)
    access.require_act(actor.principal, listing)
    if listing.status != REMOVED:
        raise WrongStatus(status=listing.status)
    if current(session, listing.id) is not None:
        raise CertificateExists(listing_id=listing.id)
    day = on or beijing_today()
    serial = next_serial(session, organ_code=listing.court_code, year=day.year)
    number = document_number(listing.court_name, year=day.year, serial=serial)
    code = new_code()
    performed = performed_text(listing)
    pdf = render(build(listing, number=number, code=code, issued_on=day, performed=performed), url=check_url(code))
    notice_id = str(uuid.uuid4())
    cert = Certificate(
        listing_id=listing.id, organ_code=listing.court_code, organ_name=listing.court_name, year=day.year,
        serial=serial, number=number, code_index=code_index(code), enterprise_shown=enterprise_shown(listing),
        performed=performed, removed_on=listing.removed_on or day, issued_on=day, issued_by=actor.name, pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(), notice_id=notice_id,
    )
    session.add(cert)
    session.flush()
    audit(session, action="dishonesty.certificate_issue", subject_type="dishonesty_listing", subject_id=listing.id,
          after={"certificate_id": cert.id, "number": number, "issued_on": day, "pdf_sha256": cert.pdf_sha256},
          **actor.fields())
    data = {"listing_id": listing.id, "subject_id": listing.id, "case_number": listing.case_number,
            "unit_code": listing.unit_code, "court_code": listing.court_code, "status": listing.status,
            "certificate_id": cert.id, "number": number, "issued_on": day, "removed_on": cert.removed_on}
    enqueue(session, new_event("dishonesty.certificate_issued", subject=listing.id, source="review",
                               actor=author_label(actor), trace_id=actor.trace_id, data=data))
    _notice(session, listing, cert, actor)
    return Issued(cert, code)


def _contact(token: str | None) -> str | None:
    # Re-encrypted under the notice's purpose: notify decrypts contacts of public notices only.
    return token and decrypt(token, purpose=CONTACT_PURPOSE)


def _notice(session: Session, listing: Listing, cert: Certificate, actor: Actor) -> None:
    email, phone = _contact(listing.contact_email_enc), _contact(listing.contact_phone_enc)
    body = (f"{cert.enterprise_shown}：你（单位）在{listing.court_name}{listing.case_number}执行案件中的失信被执行人信息"
            f"已于{chinese_date(cert.removed_on)}删除，限制消费措施同时解除。本院出具的诚信证明（{cert.number}）见附件，"
            f"可在{public_site_url()}{PUBLIC_PATH}凭证明上的验证码查验。")
    data = {
        "notice_id": cert.notice_id, "notice_kind": NOTICE_KIND, "subject_id": listing.id,
        "case_number": listing.case_number, "unit_code": listing.unit_code, "mandatory": True,
        "recipient_name": mask_name(cert.enterprise_shown) if listing.debtor_kind == PERSON else cert.enterprise_shown,
        "recipient_email_enc": encrypt(email, purpose=EMAIL_PURPOSE) if email else None,
        "recipient_phone_enc": encrypt(phone, purpose=PHONE_PURPOSE) if phone else None,
        "title": f"诚信证明（{cert.number}）", "body": body, "document_name": f"诚信证明-{cert.number}.pdf",
        "document_sha256": cert.pdf_sha256, "document_b64": base64.b64encode(cert.pdf).decode("ascii"),
    }
    enqueue(session, new_event("public_notice.requested", subject=listing.id, source="review",
                               actor=author_label(actor), trace_id=actor.trace_id, data=data))


def revoke(session: Session, *, listing_id: str, certificate_id: str, reason: str, actor: Actor) -> Certificate:
    """A certificate issued in error is revoked: the public check answers "revoked on …" from then on."""
    listing = access.get_listing(session, listing_id, principal=actor.principal, for_update=True)
    access.require_act(actor.principal, listing)
    cert = session.scalar(select(Certificate).where(Certificate.id == certificate_id,
                                                    Certificate.listing_id == listing.id).with_for_update())
    if cert is None:
        raise access.ListingNotFound(certificate_id=certificate_id)
    if cert.revoked_on is not None:
        raise AlreadyRevoked(certificate_id=cert.id)
    day = beijing_today()
    cert.revoked_on, cert.revoked_by, cert.revoke_reason = day, actor.name, reason
    session.flush()
    audit(session, action="dishonesty.certificate_revoke", subject_type="dishonesty_listing", subject_id=listing.id,
          after={"certificate_id": cert.id, "revoked_on": day}, detail={"reason": reason}, **actor.fields())
    enqueue(session, new_event("dishonesty.certificate_revoked", subject=listing.id, source="review",
                               actor=author_label(actor), trace_id=actor.trace_id, data={
                                   "listing_id": listing.id, "subject_id": listing.id,
                                   "case_number": listing.case_number, "unit_code": listing.unit_code,
                                   "court_code": listing.court_code, "status": listing.status,
                                   "certificate_id": cert.id, "number": cert.number, "revoked_on": day,
                                   "reason": reason}))
    return cert
