"""The 答复 as a document: its 发文机关 and 发文字号, and the shared/documents `Document` it is laid out from.

A reply is a 信函 of the organ (the 院 the handling unit belongs to: a department answers in its
院's name), on the GB/T 9704 page: the organ's name in red as 版头, the 发文字号 under it, the
title, the petitioner (masked) as 主送, the text in 仿宋, the facts table, the legal basis, and the
organ as 署名 over the date the reply was delivered, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.handling.models import HandlingReply
from services.review.handling.vocabulary import DELIVERY_TEXT, KIND_TITLE, OUTCOME_TEXT
from services.review.identity.units.models import Unit
from services.review.triage.models import TriageItem
from shared.documents import Document, Paragraph, Table, chinese_date
from shared.events.intake import CHANNEL_NAMES

# The organs of the tree: a department (部门) answers in the name of the 院 above it.
ORGAN_KINDS = ("procuratorate", "court")


@dataclass(frozen=True)
class Organ:
    code: str
    name: str
    kind: str


def organ_of(session: Session, unit_code: str) -> Organ:
    """The 院 (procuratorate or court) ``unit_code`` is or belongs to; the unit itself if none is above it."""
    code: str | None = unit_code
    first: Unit | None = None
    while code is not None:
        unit = session.get(Unit, code)
        if unit is None:
            break
        first = first or unit
        if unit.kind in ORGAN_KINDS:
            return Organ(unit.code, unit.name, unit.kind)
        code = unit.parent_code
    if first is not None:
        return Organ(first.code, first.name, first.kind)
    return Organ(unit_code, unit_code, "procuratorate")


def unit_name(session: Session, unit_code: str | None) -> str:
    unit = session.get(Unit, unit_code) if unit_code else None
    return unit.name if unit is not None else (unit_code or "")


def next_serial(session: Session, *, organ_code: str, year: int) -> int:
    """The next 序号 of the organ's replies in ``year``.

    The organ's unit row is locked first, so two replies of one organ take their numbers one after
    the other (the second waits for the first to commit); the unique key stays as the backstop.
    """
    session.scalar(select(Unit.code).where(Unit.code == organ_code).with_for_update())
    last = session.scalar(select(func.max(HandlingReply.serial))
                          .where(HandlingReply.organ_code == organ_code, HandlingReply.year == year))
    return (last or 0) + 1


def document_number(organ: Organ, *, year: int, serial: int) -> str:
    """发文字号 (GB/T 9704 §7.2.4): 机关代字〔年份〕序号号, e.g. ``宛检信复〔2026〕3号``.

    The 代字 is the organ's first character and 检 or 法, then 信复 (信访答复): units have no
    registered 代字 in the tree, so this is the platform's default.
    """
    mark = "法" if organ.kind == "court" else "检"
    return f"{organ.name[:1]}{mark}信复〔{year}〕{serial}号"


def addressee(item: TriageItem) -> str:
    """主送: the petitioner as every page shows them (masked), with the enterprise they speak for."""
    return f"{item.enterprise_name}（{item.petitioner_masked}）" if item.enterprise_name else item.petitioner_masked


def build(item: TriageItem, *, organ: Organ, handling_unit: str, number: str, kind: str, text: str,
          outcome: str | None, delivery: str, replied_on: date, legal_basis: str) -> Document:
    """The reply as a shared/documents `Document` (plain data; the renderers lay it out)."""
    channel = CHANNEL_NAMES.get(item.channel, item.channel)
    body: list[Paragraph | Table] = [
        Paragraph(f"你于{chinese_date(item.received_on)}通过{channel}方式反映的“{item.summary.rstrip('。')}”一事，"
                  f"本院已收悉。现答复如下："),
        *(Paragraph(part.strip()) for part in text.splitlines() if part.strip()),
    ]
    if outcome:
        body.append(Paragraph(f"处理结果：{OUTCOME_TEXT.get(outcome, outcome)}。"))
    body.append(Paragraph(f"依据：{legal_basis.rstrip('。')}。"))
    # The facts a later reader looks up; the date and the organ are the 落款's.
    body.append(Table(rows=(
        ("案件编号", item.case_number),
        ("承办单位", handling_unit),
        ("送达方式", DELIVERY_TEXT.get(delivery, delivery)),
    ), emphasis=frozenset({"案件编号"})))
    return Document(
        title=KIND_TITLE[kind], body=tuple(body), signature=organ.name, dated=replied_on,
        organ=organ.name, number=number, addressee=addressee(item),
        filename=f"答复-{item.case_number}-{number}",
    )
