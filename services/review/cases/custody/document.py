"""The documents of a review: the 建议书 to the other organ, the 结果通知书 to the applicant (规则 第五百八十二条)
and the 纠正意见书, as shared/documents `Document`s (GB/T 9704), numbered per organ, kind and year.

The wording is a template (TEMPLATES below: one text per document kind and decision, filled from the review);
what was filled in is stored on the document row, so a download renders the very text that was issued.
发文字号: the organ's first character and 检, then the kind's 代字 (捕建, 捕通, 捕纠: platform defaults, since
units have no registered 代字), e.g. ``南检捕通〔2026〕3号``; the review itself is numbered ``南检羁审〔2026〕1号``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.cases.custody.models import CustodyDocument, CustodyReview
from services.review.cases.custody.vocabulary import (
    APPLICANT_TEXT,
    CORRECTION_DOC,
    CORRECTION_REASON_TEXT,
    DOCUMENT_MARK,
    DOCUMENT_TITLE,
    NOTICE_DOC,
    OUTCOME_TEXT,
    RECOMMENDATION_DOC,
    STAGE_TEXT,
)
from services.review.handling.document import Organ, organ_of
from services.review.identity.units.models import Unit
from shared.documents import Document, Paragraph, Table, chinese_date, pdf, word
from shared.pii import mask_name

#: The texts, by kind (and for the notice, by outcome). ``{…}`` are filled from the review.
TEMPLATES: dict[str, str] = {
    RECOMMENDATION_DOC: (
        "本院在对{person}（{case}，涉嫌{charge}）羁押必要性审查中，经审查认为：{reasons}\n"
        "根据{basis}的规定，本院建议你单位对{person}{action}，并请在收到本建议书后十日以内将处理情况书面回复本院。"),
    NOTICE_DOC + ".decided": (
        "你（{applicant_kind}）于{received}向本院提出的对{person}（{case}）进行羁押必要性审查的申请，本院已审查终结（审查案号：{number}）。\n"
        "经审查，本院决定：{outcome}。{reasons}\n"
        "依据：{basis}。\n"
        "特此通知。"),
    NOTICE_DOC + ".not_filed": (
        "你（{applicant_kind}）于{received}向本院提出的对{person}（{case}）进行羁押必要性审查的申请，本院经初审（审查案号：{number}），"
        "决定不予立案。理由：{reasons}\n"
        "依据：《人民检察院刑事诉讼规则》第五百八十二条。\n"
        "特此通知。"),
    CORRECTION_DOC: (
        "本院于{decided}向你单位提出对{person}（{case}）{action}的建议，{why}。\n"
        "根据《中华人民共和国刑事诉讼法》第九十五条、《人民检察院刑事诉讼规则》第五百八十一条的规定，本院提出纠正意见：{text}\n"
        "请依法纠正，并将纠正情况书面回复本院。"),
}
ACTION_TEXT = {"release_recommended": "予以释放", "change_recommended": "变更强制措施"}


@dataclass(frozen=True)
class Issued:
    row: CustodyDocument
    pdf: bytes
    docx: bytes


def organ(session: Session, review: CustodyReview) -> Organ:
    return organ_of(session, review.unit_code)


def _mark(o: Organ) -> str:
    return f"{o.name[:1]}{'法' if o.kind == 'court' else '检'}"


def review_number(session: Session, *, unit_code: str, year: int) -> tuple[str, int, str]:
    """The review's own number: (organ code, serial, 宛检羁审〔2026〕1号), the organ's unit row locked first."""
    o = organ_of(session, unit_code)
    session.scalar(select(Unit.code).where(Unit.code == o.code).with_for_update())
    last = session.scalar(select(func.max(CustodyReview.serial))
                          .where(CustodyReview.organ_code == o.code, CustodyReview.year == year))
    serial = (last or 0) + 1
    return o.code, serial, f"{_mark(o)}羁审〔{year}〕{serial}号"


def next_serial(session: Session, *, organ_code: str, kind: str, year: int) -> int:
    """The next 序号 of the organ's documents of ``kind`` in ``year`` (organ row locked; unique key as backstop)."""
    session.scalar(select(Unit.code).where(Unit.code == organ_code).with_for_update())
    last = session.scalar(select(func.max(CustodyDocument.serial)).where(
        CustodyDocument.organ_code == organ_code, CustodyDocument.kind == kind, CustodyDocument.year == year))
    return (last or 0) + 1


def document_number(o: Organ, *, kind: str, year: int, serial: int) -> str:
    return f"{_mark(o)}{DOCUMENT_MARK[kind]}〔{year}〕{serial}号"


def fill(kind: str, review: CustodyReview, **extra: str) -> list[str]:
    """The template of ``kind`` filled from the review: the paragraphs of the document."""
    key = kind
    if kind == NOTICE_DOC:
        key = NOTICE_DOC + (".not_filed" if review.decision is None else ".decided")
    values = {
        "person": mask_name(review.person_name) or review.person_name, "case": review.criminal_case_number,
        "charge": review.charge, "reasons": (review.decision_reasons or review.not_filed_reasons or "").rstrip("。") + "。",
        "basis": (review.decision_basis or "").rstrip("。"), "action": ACTION_TEXT.get(review.decision or "", ""),
        "applicant_kind": APPLICANT_TEXT.get(review.applicant_kind or "", "申请人"),
        "received": chinese_date(review.received_on), "outcome": OUTCOME_TEXT.get(review.outcome or "", ""),
        "decided": chinese_date(review.decided_on) if review.decided_on else "", "number": review.case_number,
        **extra,
    }
    return [line for line in TEMPLATES[key].format(**values).splitlines() if line.strip()]


def facts(review: CustodyReview, kind: str) -> list[list[str]]:
    """The facts table: the numbers a later reader looks up (the notice has none, so that its 署名 and 日期
    stay on the page of its text, GB/T 9704 §7.3.5)."""
    if kind == NOTICE_DOC:
        return []  # the numbers are in its text
    rows = [["审查案号", review.case_number], ["刑事案号", review.criminal_case_number],
            ["诉讼阶段", STAGE_TEXT.get(review.stage, review.stage)]]
    if review.enterprise_name:
        rows.append(["涉案企业", review.enterprise_name])
    return rows


def build(row: CustodyDocument, o: Organ) -> Document:
    content = row.content
    body: list[Paragraph | Table] = [Paragraph(p) for p in content["paragraphs"]]
    if content["table"]:
        body.append(Table(rows=tuple((str(k), str(v)) for k, v in content["table"]), emphasis=frozenset({"审查案号"})))
    return Document(title=DOCUMENT_TITLE[row.kind], body=tuple(body), signature=o.name, dated=row.issued_on,
                    organ=o.name, number=row.document_number, addressee=row.addressee,
                    filename=f"{DOCUMENT_TITLE[row.kind]}-{row.document_number}")


def render(session: Session, row: CustodyDocument) -> tuple[bytes, bytes]:
    """(PDF, DOCX) of a stored document."""
    doc = build(row, organ_of(session, row.organ_code))
    return pdf.render(doc), word.render(doc)


def issue(session: Session, review: CustodyReview, *, kind: str, addressee: str, paragraphs: list[str],
          issued_on: _dt.date, actor: str, at: _dt.datetime) -> Issued:
    """Number, store and render one document of the review."""
    o = organ(session, review)
    serial = next_serial(session, organ_code=o.code, kind=kind, year=issued_on.year)
    row = CustodyDocument(review_id=review.id, kind=kind, organ_code=o.code, year=issued_on.year, serial=serial,
                          document_number=document_number(o, kind=kind, year=issued_on.year, serial=serial),
                          addressee=addressee, content={"paragraphs": paragraphs, "table": facts(review, kind)},
                          issued_on=issued_on, pdf_sha256="", issued_by=actor, created_at=at)
    doc = build(row, o)
    pdf_bytes, docx_bytes = pdf.render(doc), word.render(doc)
    row.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    session.add(row)
    session.flush()
    return Issued(row, pdf_bytes, docx_bytes)


def correction_paragraphs(review: CustodyReview, *, reason: str, text: str) -> list[str]:
    return fill(CORRECTION_DOC, review, why=CORRECTION_REASON_TEXT.get(reason, reason), text=text.rstrip("。") + "。")
