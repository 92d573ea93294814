"""The 检察建议书 (行政违法行为监督) drafted from a positive 首违不罚 check: its 发文字号 and the
shared/documents `Document` it is laid out from (GB/T 9704: 版头 in red, 发文字号, title, the
行政机关 as 主送, the text in 仿宋, the facts table, 署名 and date).

发文字号: ``{院's first character}检行建〔{year}〕{serial}号``, e.g. ``南检行建〔2026〕1号``: one sequence
per organ and year (the organ's units row locked, max+1, a unique key as backstop), as handling's
replies.  The 代字 行建 (行政检察 建议) is the platform's default: units have no registered 代字.

The text is a draft for the prosecutor to finish: it states the facts and conditions as checked,
the legal basis, and what is recommended; data RULES.md marks unconfirmed is named in a 核对提示.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.review.handling.document import Organ
from services.review.identity.units.models import Unit
from services.review.leniency.models import HARM_TEXT, MUST, STRENGTH_TEXT, LeniencyCheck, LeniencyList, LeniencyRecommendation
from shared.documents import Document, Paragraph, Table, chinese_date

TITLE = "检察建议书"
# The conditions of the route the check took (rules.py), as the text states them.
MUST_ROUTE = ("art33.minor_violation", "art33.no_harm", "art33.corrected")
MAY_ROUTE = ("art33.first", "art33.minor_harm", "art33.corrected_first")
PHRASE = {"art33.minor_violation": "情节轻微", "art33.no_harm": "没有造成危害后果", "art33.corrected": "已及时改正",
          "art33.first": "属初次违法", "art33.minor_harm": "危害后果轻微", "art33.corrected_first": "已及时改正"}


def next_serial(session: Session, *, organ_code: str, year: int) -> int:
    """The next 序号 of the organ's 检察建议 (行建) in ``year``; the organ's unit row locked first."""
    session.scalar(select(Unit.code).where(Unit.code == organ_code).with_for_update())
    last = session.scalar(select(func.max(LeniencyRecommendation.serial))
                          .where(LeniencyRecommendation.organ_code == organ_code, LeniencyRecommendation.year == year))
    return (last or 0) + 1


def document_number(organ: Organ, *, year: int, serial: int) -> str:
    """发文字号 (GB/T 9704 §7.2.4): ``南检行建〔2026〕1号``."""
    return f"{organ.name[:1]}检行建〔{year}〕{serial}号"


def _corrected_text(check: LeniencyCheck) -> str:
    if not check.corrected:
        return "未改正"
    when = f"于{chinese_date(check.corrected_on)}" if check.corrected_on else ""
    if check.corrected_on and check.discovered_on and check.corrected_on <= check.discovered_on:
        return f"{when}在被发现前主动改正"
    return f"{when}在责令限期内改正" if check.within_order_period else f"{when}改正"


def build(check: LeniencyCheck, listing: LeniencyList, row: LeniencyRecommendation) -> Document:
    """The 检察建议 as a `Document` (plain data; shared/documents renders PDF and DOCX)."""
    item = listing.item(check.item_code) or {"text": ""}
    strength = STRENGTH_TEXT.get(check.strength or "", "可以不予处罚")
    route = MUST_ROUTE if check.strength == MUST else MAY_ROUTE
    met = [PHRASE[k] for k in route if any(c["key"] == k and c["status"] == "met" for c in check.conditions)]
    body: list[Paragraph | Table] = [
        Paragraph(f"本院在履行行政违法行为监督职责中发现，{check.enterprise_name}（统一社会信用代码：{check.credit_code}）"
                  f"于{chinese_date(check.act_on)}发生的“{check.act.rstrip('。')}”行为，属于{listing.document_number}"
                  f"所列第{check.item_code}项事项（{item['text']}）。"),
        Paragraph(f"经审查，该行为{'、'.join(met)}，符合《中华人民共和国行政处罚法》第三十三条第一款"
                  f"及{listing.document_number}规定的条件，依法{strength}。"),
        Paragraph(f"为依法保护企业合法权益，促进严格规范公正文明执法，建议你单位：对{check.enterprise_name}的上述行为"
                  f"依法作出不予行政处罚决定，并对当事人进行教育，督促其签署承诺书、依法经营。"),
        Paragraph("请你单位依法办理，并将办理情况书面回复本院。"),
        Paragraph("依据：" + "；".join(b.rstrip("。") for b in check.basis) + "。"),
    ]
    if check.unconfirmed:
        body.append(Paragraph("核对提示：" + "；".join(check.unconfirmed) + "。发出前请核对清单原文。"))
    body.append(Table(rows=(
        ("企业名称", check.enterprise_name),
        ("统一社会信用代码", check.credit_code),
        ("违法行为", check.act),
        ("发生日期", chinese_date(check.act_on)),
        ("清单事项", f"{listing.document_number} 第{check.item_code}项"),
        ("改正情况", _corrected_text(check)),
        ("危害后果", HARM_TEXT.get(check.harm or "", "未说明") + (f"：{check.harm_text}" if check.harm_text else "")),
        ("审查结论", f"建议{strength}"),
    ), emphasis=frozenset({"审查结论"})))
    return Document(title=TITLE, body=tuple(body), signature=row.organ_name, dated=row.drafted_on,
                    organ=row.organ_name, number=row.document_number, addressee=row.addressee,
                    filename=f"检察建议-{row.document_number}")
