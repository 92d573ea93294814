"""Schemas of the 首违不罚 API and forms (the check form loads the same one)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates_schema

from services.review.leniency.models import HARMS, OUTCOMES
from shared.identifiers.fields import CreditCode
from shared.validation import invalid

CHECK_EXAMPLE: dict[str, Any] = {
    "credit_code": "91411300MA44XK6U4Q", "enterprise_name": "南阳市宛城区示例商贸有限公司",
    "authority": "国家税务总局南阳市宛城区税务局", "act": "2026年第三季度增值税未按期办理纳税申报",
    "list_code": "tax-2021-6", "item_code": "3", "act_on": "2026-10-16", "corrected": True,
    "corrected_on": "2026-10-20", "discovered_on": "2026-10-22", "within_order_period": None, "harm": "none",
    "harm_text": "未造成税款流失", "illegal_gains": False, "first_claimed": True,
}


def _text(name: str, zh: str, en: str) -> Any:
    def check(value: str) -> None:
        if not value.strip():
            raise invalid(f"{name}.blank", zh, en)
    return check


def _bool(**kw: Any) -> fields.Boolean:
    """Yes / no / not stated (null): an unstated fact leaves its condition unknown."""
    return fields.Boolean(allow_none=True, load_default=None, truthy={True, "true", "1", "yes"},
                          falsy={False, "false", "0", "no"}, **kw)


class PunishmentIn(Schema):
    act_on = fields.Date(required=True, metadata={"description": "被处罚行为的发生日期"})
    decision_number = fields.String(required=True, validate=[validate.Length(min=1, max=100), _text(
        "decision_number", "请写明行政处罚决定书文号", "decision_number may not be blank")])


class CheckCreate(Schema):
    """The violation as the reviewer states it; a fact left null stays unknown in the answer."""

    credit_code = CreditCode(required=True, metadata={"description": "统一社会信用代码 (GB 32100), validated"})
    enterprise_name = fields.String(required=True, validate=[validate.Length(max=200), _text(
        "enterprise_name", "请填写企业名称", "enterprise_name may not be blank")])
    authority = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "处理该违法行为的行政机关 (the 检察建议's 主送)"})
    act = fields.String(required=True, validate=[validate.Length(max=2000), _text(
        "act", "请写明违法行为", "act may not be blank")], metadata={"description": "违法行为"})
    list_code = fields.String(required=True, validate=validate.Length(min=1, max=40),
                              metadata={"description": "the list, e.g. tax-2021-6 (GET /api/v1/leniency-lists)"})
    item_code = fields.String(required=True, validate=validate.Length(min=1, max=12),
                              metadata={"description": "the item claimed, e.g. 3"})
    act_on = fields.Date(required=True, metadata={"description": "违法行为发生日期: chooses the list version in force"})
    corrected = _bool(metadata={"description": "是否已改正"})
    corrected_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "改正日期"})
    discovered_on = fields.Date(load_default=None, allow_none=True, metadata={"description": "被发现日期"})
    within_order_period = _bool(metadata={"description": "是否在责令限期内改正"})
    harm = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(HARMS),
                         metadata={"description": "none 无危害后果 | minor 轻微 | significant 较重"})
    harm_text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    illegal_gains = _bool(metadata={"description": "有无违法所得"})
    first_claimed = _bool(metadata={"description": "是否申报为首次违法"})
    prior_punishments = fields.List(fields.Nested(PunishmentIn), load_default=list,
                                    validate=validate.Length(max=20),
                                    metadata={"description": "行政处罚 of this enterprise known to the reviewer: recorded"})

    @validates_schema
    def _dates(self, data: dict[str, Any], **_: Any) -> None:
        act_on, corrected_on, discovered = data.get("act_on"), data.get("corrected_on"), data.get("discovered_on")
        if corrected_on is not None and act_on is not None and corrected_on < act_on:
            raise invalid("corrected_on.before_act", "改正日期不能早于违法行为发生日期",
                          "corrected_on is before act_on", field="corrected_on")
        if discovered is not None and act_on is not None and discovered < act_on:
            raise invalid("discovered_on.before_act", "发现日期不能早于违法行为发生日期",
                          "discovered_on is before act_on", field="discovered_on")
        if corrected_on is not None and data.get("corrected") is False:
            raise invalid("corrected_on.not_corrected", "未改正时不应填写改正日期",
                          "corrected_on given but corrected is false", field="corrected_on")


class CheckListArgs(Schema):
    credit_code = CreditCode(metadata={"description": "one enterprise"})
    unit = fields.String(validate=validate.Length(min=1, max=40), metadata={"description": "the checking unit"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class ConditionRead(Schema):
    key = fields.String()
    text = fields.String()
    status = fields.String(metadata={"description": "met | not_met | unknown"})
    reason = fields.String()
    unconfirmed = fields.String(allow_none=True)


class RecommendationRead(Schema):
    id = fields.String()
    check_id = fields.String()
    document_number = fields.String()
    addressee = fields.String()
    organ_name = fields.String()
    drafted_by = fields.String()
    drafted_on = fields.Date()
    pdf_url = fields.String()
    docx_url = fields.String()


class CheckRead(Schema):
    id = fields.String()
    unit_code = fields.String()
    checked_by = fields.String()
    checked_on = fields.Date()
    credit_code = fields.String()
    enterprise_name = fields.String()
    authority = fields.String(allow_none=True)
    act = fields.String()
    list_code = fields.String()
    list_version = fields.Integer(allow_none=True)
    item_code = fields.String()
    field = fields.String(allow_none=True)
    act_on = fields.Date()
    corrected = fields.Boolean(allow_none=True)
    corrected_on = fields.Date(allow_none=True)
    discovered_on = fields.Date(allow_none=True)
    within_order_period = fields.Boolean(allow_none=True)
    harm = fields.String(allow_none=True)
    harm_text = fields.String(allow_none=True)
    illegal_gains = fields.Boolean(allow_none=True)
    first_claimed = fields.Boolean(allow_none=True)
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    strength = fields.String(allow_none=True, metadata={"description": "must 应当不予处罚 | may 可以不予处罚"})
    conditions = fields.List(fields.Nested(ConditionRead))
    basis = fields.List(fields.String())
    unconfirmed = fields.List(fields.String())
    explanation = fields.String()


class CheckDetailRead(CheckRead):
    recommendation = fields.Nested(RecommendationRead, allow_none=True)


class RecommendationCreate(Schema):
    addressee = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "主送行政机关 (default: the check's authority)"})


class ListItemRead(Schema):
    code = fields.String()
    text = fields.String()
    conditions = fields.List(fields.String())
    confirmed = fields.Boolean()
    note = fields.String(allow_none=True)


class ListVersionRead(Schema):
    id = fields.String()
    code = fields.String()
    version = fields.Integer()
    issuer = fields.String()
    document_number = fields.String()
    title = fields.String()
    field = fields.String()
    region = fields.String()
    effective_from = fields.Date()
    effective_until = fields.Date(allow_none=True)
    effective_from_confirmed = fields.Boolean()
    conditions = fields.List(fields.String())
    lookback_months = fields.Integer()
    lookback_confirmed = fields.Boolean()
    first_scope = fields.String()
    items = fields.List(fields.Nested(ListItemRead))


