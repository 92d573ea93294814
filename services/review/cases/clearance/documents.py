"""The documents of the 监督 actions: 催办函, 要求说明理由通知书, 通知撤销案件书, 挂牌督办通知书.

Each is a 信函 of the organ (the 院 the case's unit belongs to) to the investigating organ, laid out
by shared/documents on the GB/T 9704 page, its wording from a template file per kind
(``templates/clearance/documents/<kind>.txt``, Jinja2, one paragraph a line) so the 正文 is edited
as text, not code.  发文字号: ``宛检侦监催〔2026〕1号``: the organ's first character and 检, the
kind's 代字 (models.DOCUMENT_MARK, a platform default), the year and the organ's serial of that
kind in that year (:func:`next_serial`, the organ's unit row locked as handling's replies do).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.cases.clearance.models import DOCUMENT_MARK, DOCUMENT_TITLE, RULE_TEXT, ClearanceAction
from services.review.cases.hanging.models import HangingCase
from services.review.deadlines.models import DeadlineRule
from services.review.handling.document import Organ, organ_of
from services.review.identity.units.models import Unit
from shared.documents import Document, Paragraph, Table, chinese_date

TEMPLATES = Path(__file__).resolve().parent / "templates" / "clearance" / "documents"
_ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined, autoescape=False,
                   keep_trailing_newline=False)
_ENV.filters["cn_date"] = chinese_date


def next_serial(session: Session, *, organ_code: str, kind: str, year: int) -> int:
    """The next 序号 of the organ's documents of ``kind`` in ``year`` (organ row locked; unique key as backstop)."""
    session.scalar(select(Unit.code).where(Unit.code == organ_code).with_for_update())
    last = session.scalar(select(func.max(ClearanceAction.serial)).where(
        ClearanceAction.organ_code == organ_code, ClearanceAction.kind == kind, ClearanceAction.year == year))
    return (last or 0) + 1


def document_number(organ: Organ, *, kind: str, year: int, serial: int) -> str:
    return f"{organ.name[:1]}检{DOCUMENT_MARK[kind]}〔{year}〕{serial}号"


def organ(session: Session, unit_code: str) -> Organ:
    return organ_of(session, unit_code)


def build(session: Session, action: ClearanceAction, case: HangingCase) -> Document:
    """The action's document as plain data (the renderers lay it out); the same bytes every time."""
    rule = None
    if action.rule_code:
        rule = session.scalar(select(DeadlineRule).where(DeadlineRule.code == action.rule_code)
                              .order_by(DeadlineRule.effective_from.desc()).limit(1))
    context = {
        "case": case, "action": action, "organ": action.organ_name, "filed_on": chinese_date(case.filed_on),
        "sent_on": chinese_date(action.sent_on), "due_on": chinese_date(action.due_on) if action.due_on else None,
        "rule_text": RULE_TEXT.get(action.rule_code or "", ""), "basis": rule.basis if rule is not None else None,
        "text": action.text.strip(),
    }
    rendered = _ENV.get_template(f"{action.kind}.txt").render(**context)
    body: list[Paragraph | Table] = [Paragraph(line.strip()) for line in rendered.splitlines() if line.strip()]
    # The facts a later reader looks up (the names are in the text already): one page for the usual letter.
    rows = [("案号", case.case_number)]
    if action.rule_code:
        rows.append(("监督事由", RULE_TEXT.get(action.rule_code, action.rule_code)))
    if action.due_on:
        rows.append(("回复期限", chinese_date(action.due_on)))
    body.append(Table(rows=tuple(rows), emphasis=frozenset({"案号"})))
    return Document(title=DOCUMENT_TITLE[action.kind], body=tuple(body), signature=action.organ_name,
                    dated=action.sent_on, organ=action.organ_name, number=action.document_number,
                    addressee=case.investigating_organ, filename=f"{DOCUMENT_TITLE[action.kind]}-{action.document_number}")


def on(day: date) -> str:
    return chinese_date(day)
