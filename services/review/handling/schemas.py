"""Schemas of the handling API (the page forms load through the same ones)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.review.handling.vocabulary import DELIVERIES, KINDS, OUTCOMES
from services.review.triage.schemas import TriageItemRead

_TEXT = validate.Length(min=1, max=4000)


class ReturnCreate(Schema):
    reasons = fields.String(required=True, validate=validate.Length(min=2, max=2000),
                            metadata={"description": "退回理由"})


class HandlerAssign(Schema):
    handler_user_id = fields.String(load_default=None, validate=validate.Length(min=1, max=36),
                                    metadata={"description": "the case handler's account id; omitted: take it yourself"})


class ProgressCreate(Schema):
    text = fields.String(required=True, validate=_TEXT, metadata={"description": "进展汇报"})
    reported_on = fields.Date(required=True)


class ReplyCreate(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "procedural 程序性回复 | progress 进展 | final 结果"})
    text = fields.String(required=True, validate=_TEXT)
    outcome = fields.String(load_default=None, validate=validate.OneOf(OUTCOMES),
                            metadata={"description": "final replies: supported 支持 | partly_supported 部分支持 | "
                                                     "not_supported 不支持 | resolved 已解决 | other 其他"})
    delivery = fields.String(required=True, validate=validate.OneOf(DELIVERIES),
                             metadata={"description": "in_person 当面 | post 邮寄 | phone 电话 | sms 短信 | online 网上 | other 其他"})
    replied_on = fields.Date(required=True, metadata={"description": "the date it reached the petitioner"})
    legal_basis = fields.String(required=True, validate=validate.Length(min=2, max=1000))


class DeadlineMetRead(Schema):
    deadline_id = fields.String()
    rule_code = fields.String()
    title = fields.String()
    due_on = fields.String(allow_none=True)
    met_on_time = fields.Boolean(allow_none=True)
    status = fields.String()


class ReplyRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    case_number = fields.String()
    round = fields.Integer()
    kind = fields.String()
    text = fields.String()
    outcome = fields.String(allow_none=True)
    delivery = fields.String()
    replied_on = fields.Date()
    legal_basis = fields.String()
    unit_code = fields.String()
    document_number = fields.String()
    replied_by = fields.String()
    on_time = fields.Boolean(allow_none=True)
    deadlines_met = fields.List(fields.Nested(DeadlineMetRead))
    pdf_url = fields.Function(lambda r: f"/api/v1/handling/replies/{r.id}/document.pdf")
    docx_url = fields.Function(lambda r: f"/api/v1/handling/replies/{r.id}/document.docx")
    created_at = fields.AwareDateTime(format="iso")


class EntryRead(Schema):
    id = fields.String()
    round = fields.Integer()
    kind = fields.String()
    unit_code = fields.String(allow_none=True)
    actor = fields.String()
    text = fields.String(allow_none=True)
    happened_on = fields.Date(allow_none=True)
    data = fields.Dict()
    created_at = fields.AwareDateTime(format="iso")


class HandlingRead(Schema):
    item = fields.Nested(TriageItemRead)
    entries = fields.List(fields.Nested(EntryRead))
    replies = fields.List(fields.Nested(ReplyRead))


HANDLER_EXAMPLE = {"handler_user_id": "3f2a9c1e-5b7d-4e8f-a0b1-c2d3e4f5a6b7"}
PROGRESS_EXAMPLE = {"text": "已调取企业账户冻结材料，约谈公安机关经侦大队", "reported_on": "2026-12-03"}
RETURN_EXAMPLE = {"reasons": "该事项不属于本院管辖，应由南阳市中级人民法院办理"}
REPLY_EXAMPLE = {"kind": "final", "text": "经审查，你反映的账户冻结问题已督促公安机关依法解除。", "outcome": "resolved",
                 "delivery": "post", "replied_on": "2026-12-03",
                 "legal_basis": "《人民检察院办理群众来信工作规定》（2019年）：3个月内答复办理结果"}
