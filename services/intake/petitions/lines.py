"""The two service lines as the public meets them: 12309 检察服务 and 12368 诉讼服务.

What each handles, how to reach it through 信、访、网、电, and its reply commitment (答复承诺),
printed on the 受理回执 and the public pages.  The commitments follow /work/shared/domain/RULES.md
§1–§2; the unsettled numbers are settings shared with review's deadline rules (services/intake/config.py).
Nothing here names a street address or a telephone number beyond the national hotlines: no source
for Nanyang's was found, and a wrong address on a receipt is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.intake.config import IntakeSettings
from services.intake.petitions.receiving_units import ORGAN_OF_LINE
from services.intake.petitions.schemas import PETITION_TYPES
from shared.events.intake import CHANNEL_NAMES, LINE_NAMES

LINE_TEXT = LINE_NAMES
CHANNEL_TEXT = CHANNEL_NAMES
# The petition's status as the public and the receipt word it (intake knows registration only;
# review's triage states will reach the public answer through its events: docs/portal.md).
STATUS_TEXT = {"registered": "已登记，待受理分流"}
_UNIT_TEXT = {"day": "日", "working_day": "个工作日", "month": "个月"}


def period(amount: int, unit: str) -> str:
    """``7日``, ``2个工作日``, ``3个月``."""
    return f"{amount}{_UNIT_TEXT.get(unit, unit)}"


@dataclass(frozen=True)
class Channel:
    channel: str  # 信 访 网 电
    title: str
    how: str
    link: str | None = None  # an external site, only where it certainly exists


@dataclass(frozen=True)
class Line:
    code: str  # "12309" / "12368"
    name: str
    organ: str
    handles: tuple[str, ...]
    commitments: tuple[str, ...]
    channels: tuple[Channel, ...]
    note: str | None = None


def commitments(line: str, settings: IntakeSettings) -> tuple[str, ...]:
    """The reply commitment of a line, in the words of the receipt."""
    if line == "12309":
        # 《人民检察院办理群众来信工作规定》(2019); 最高检 "7日内程序回复、3个月内办理过程或结果答复" (RULES §1).
        return (
            f"自收到之日起{period(7, settings.procedural_reply_unit)}内告知受理情况（是否受理、需要补充的材料，或转往何处办理）",
            "属本院管辖的，3个月内答复办理过程或结果",
            "3个月内未办结的，此后每月告知办理进展",
        )
    # RULES §2: no national limit; simple matters on the spot, others a 工单 to the judge.
    return (
        "能够当场答复的，当场答复",
        f"需转承办法官办理的，形成工单，{period(settings.work_order_amount, settings.work_order_unit)}内回复",
    )


def lines(settings: IntakeSettings) -> tuple[Line, Line]:
    """Both lines, 12309 first."""
    procuratorate = Line(
        code="12309",
        name=LINE_TEXT["12309"],
        organ=ORGAN_OF_LINE["12309"],
        handles=(*PETITION_TYPES["12309"], "涉企控告申诉（民营企业反映权益受侵害）"),
        commitments=commitments("12309", settings),
        channels=(
            Channel("信", "来信", "寄至南阳市人民检察院 12309 检察服务中心。请写明姓名（名称）、住址、联系方式、诉求、事实和理由。"),
            Channel("访", "来访", "到南阳市人民检察院 12309 检察服务中心当面反映，请携带身份证件；"
                                  "多人反映同一事项的，请推选不超过 5 名代表。"),
            Channel("网", "网上", "通过 12309 中国检察网、“检察12309”手机应用或微信公众号提交。",
                    link="https://www.12309.gov.cn"),
            Channel("电", "来电", "拨打 12309 检察服务热线。"),
        ),
        note="匿名来信，或留下的联系方式无法联系的，无法答复。",
    )
    court = Line(
        code="12368",
        name=LINE_TEXT["12368"],
        organ=ORGAN_OF_LINE["12368"],
        handles=PETITION_TYPES["12368"],
        commitments=commitments("12368", settings),
        channels=(
            Channel("信", "来信", "寄至南阳市中级人民法院诉讼服务中心，请写明案号（如有）、姓名（名称）、联系方式和事由。"),
            Channel("访", "来访", "到南阳市中级人民法院诉讼服务中心当面办理，请携带身份证件。"),
            Channel("网", "网上", "通过最高人民法院“人民法院在线服务”平台办理。"),
            Channel("电", "来电", "拨打 12368 诉讼服务热线：工作时间为人工服务，自助语音服务 24 小时。"
                                  "查询案件时，请准备受理通知书等文书上的查询密码。"),
        ),
    )
    return procuratorate, court


def line(code: str, settings: IntakeSettings) -> Line:
    """One line by its code."""
    return next(item for item in lines(settings) if item.code == code)
