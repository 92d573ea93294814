"""The 受理回执: what the petitioner takes away, and the audit row of every time it is shown.

The query code is printed only when it is known: on the receipt given with a registration or a
re-issue (the code is kept as a hash and cannot be printed again), or when whoever asks for the
PDF brings the code and it verifies against the hash (`issue_with_code`: nobody can print a code
that does not open the case).  A reprint says where the code went.  Every showing is audited as
``petition.receipt`` (without the code); a code that does not verify is audited as a failure.
The PDF (`pdf`) is the same receipt on the GB/T 9704 page of shared/documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from urllib.parse import quote

from services.intake.config import IntakeSettings
from services.intake.credentials import codes
from services.intake.credentials import service as credentials
from services.intake.petitions import lines, queries, receiving_units
from services.intake.petitions.models import Petition
from shared.actor import Actor
from shared.audit.service import record
from shared.calendar import beijing_today
from shared.documents import Document, Heading, Paragraph, Table, pdf as pdf_documents
from shared.errors import DomainError, ErrorKind
from shared.pii import mask_name
from shared.web.pages.filters import local_datetime


class QueryCodeMismatch(DomainError):
    kind = ErrorKind.INVALID
    keeps_writes = True  # the failed attempt's petition.receipt audit row is committed
    code = "query_code_mismatch"
    message_en = "This query code does not open this petition: a receipt can only carry the code that was issued"
    message_zh = "查询码与该件不符：回执只能打印登记或重新签发时交付的查询码"


@dataclass(frozen=True)
class Receipt:
    petition_id: str
    case_number: str
    line: str
    line_name: str
    organ: str
    channel: str
    petition_type: str
    subject: str | None  # 事由 (petitions before the full record have none)
    received_at: datetime
    received_on: date
    receiving_unit: str
    petitioner_masked: str
    enterprise_name: str | None
    commitments: tuple[str, ...]
    query_code: str | None  # displayed form, ABC-DEF-GHJ; None on a reprint
    issued_on: date
    note: str | None


def issue(session: Session, *, petition_id: str, actor: Actor, settings: IntakeSettings,
          query_code: str | None = None) -> Receipt:
    """The receipt of a petition the actor may see, with `query_code` if it was just issued; audited (caller commits).

    :raise NotFound: no such petition, or one of a unit the actor may not see.
    """
    petition = queries.readable_or_raise(session, petition_id, principal=actor.principal)
    return _receipt(session, petition, actor=actor, settings=settings, query_code=query_code)


def issue_with_code(session: Session, *, petition_id: str, actor: Actor, settings: IntakeSettings,
                    entered: str) -> Receipt:
    """The receipt with the code `entered`, if it is the petition's active 查询码; audited (caller commits).

    The unit is checked before the code, so a code says nothing about another unit's case.

    :raise NotFound: no such petition, or one of a unit the actor may not see.
    :raise QueryCodeMismatch: the code does not open this petition (the refusal is audited).
    """
    petition = queries.readable_or_raise(session, petition_id, principal=actor.principal)
    opened = credentials.check(session, kind="petition", lookup_key=petition.case_number, entered=entered)
    if opened != petition.id:
        record(session, action="petition.receipt", outcome="failure", subject_type="petition",
               subject_id=petition.id, detail={"case_number": petition.case_number, "with_code": True,
                                               "reason": QueryCodeMismatch.code}, **actor.fields())
        raise QueryCodeMismatch()
    return _receipt(session, petition, actor=actor, settings=settings, query_code=codes.normalise(entered))


def _receipt(session: Session, petition: Petition, *, actor: Actor, settings: IntakeSettings,
             query_code: str | None) -> Receipt:
    line = lines.line(petition.line, settings)
    record(session, action="petition.receipt", subject_type="petition", subject_id=petition.id,
           detail={"case_number": petition.case_number, "with_code": query_code is not None}, **actor.fields())
    return Receipt(
        petition_id=petition.id,
        case_number=petition.case_number,
        line=petition.line,
        line_name=line.name,
        organ=line.organ,
        channel=lines.CHANNEL_TEXT.get(petition.channel, petition.channel),
        petition_type=petition.petition_type,
        subject=petition.subject,
        received_at=petition.received_at,
        received_on=petition.received_on,
        receiving_unit=receiving_units.name_of(petition.unit_code, line=petition.line),
        petitioner_masked=mask_name(petition.petitioner_name) or "",
        enterprise_name=petition.enterprise_name,
        commitments=line.commitments,
        query_code=codes.display(query_code),
        issued_on=beijing_today(),
        note=line.note,
    )


# --- the PDF -----------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    return text if text.endswith(("。", "！", "？")) else text + "。"


def document(receipt: Receipt, *, status_url: str) -> Document:
    """The receipt as a shared/documents `Document`: the facts, the commitments, how to query, the issuing unit.

    One page: the organ heads the title (a form, not a 文件 with a red 版头), the facts are a table.
    """
    petitioner = receipt.petitioner_masked + (f"（{receipt.enterprise_name}）" if receipt.enterprise_name else "")
    body: list[Paragraph | Heading | Table] = [
        Table(rows=(
            ("案件编号", receipt.case_number),
            # The line is the title's (12309 检察服务受理回执): its row gives way to the 事由.
            ("反映方式", receipt.channel),
            ("事项类别", receipt.petition_type),
            *((("事由", receipt.subject),) if receipt.subject else ()),
            ("收到时间", f"{local_datetime(receipt.received_at)}（北京时间）"),
            ("受理单位", receipt.receiving_unit),
            ("来信来访人", petitioner),
        )),
        Heading("一、答复承诺"),
        *(Paragraph(f"（{number}）{_sentence(text)}") for number, text in enumerate(receipt.commitments, start=1)),
    ]
    if receipt.note:
        body.append(Paragraph(_sentence(receipt.note)))
    body.append(Heading("二、查询办理进度"))
    if receipt.query_code:
        body += [
            Table(rows=(("查询码", f"{receipt.query_code}（请妥善保管，勿告知他人）"),
                        ("查询网址", status_url)), emphasis=frozenset({"查询码"})),
            Paragraph("凭案件编号和查询码登录查询网址即可查询，无需注册。"),
        ]
    else:
        body += [
            # The code is kept only as a hash: a reprint cannot show it, and says how to get a new one.
            Table(rows=(("查询码", "登记时已交付；补打的回执不再显示查询码"), ("查询网址", status_url))),
            Paragraph("查询码遗失的，可到受理单位重新签发，原码随即失效。"),
        ]
    # The 署名 is the unit's name without the line's note in brackets (（12309 检察服务中心）).
    signature = receipt.receiving_unit.split("（", 1)[0] or receipt.receiving_unit
    return Document(title=f"{receipt.organ}\n{receipt.line_name}受理回执", body=tuple(body),
                    signature=signature, dated=receipt.issued_on,
                    filename=f"受理回执-{receipt.case_number}")


def pdf(receipt: Receipt, *, status_url: str) -> bytes:
    """The receipt as PDF bytes (fonts embedded; the code printed only if the receipt carries it)."""
    return pdf_documents.render(document(receipt, status_url=status_url))


def status_url(public_url: str, host_url: str) -> str:
    """Where the public queries progress: the configured public address, else the address asked."""
    return f"{(public_url or host_url).rstrip('/')}/public/status"


def pdf_headers(receipt: Receipt) -> dict[str, str]:
    """Shown in the browser, named by case number (RFC 6266 ``filename*``), and never stored by a cache."""
    name = f"受理回执-{receipt.case_number}.pdf"
    fallback = f"receipt-{receipt.case_number}.pdf".encode("ascii", "replace").decode().replace("?", "_")
    return {
        "Content-Type": "application/pdf",
        "Content-Disposition": f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store",
    }
