"""Schemas of the triage API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates_schema

from shared.events.review import ROUTES
from shared.validation import invalid

from services.review.triage.states import STATUSES
from shared.events.intake import CATEGORIES, CHANNELS, LINES
from shared.web.pagination import PageArgs

QUEUE_STATUSES = STATUSES
ALL_CATEGORIES = tuple(dict.fromkeys(c for line in CATEGORIES.values() for c in line))
REASON = validate.Length(min=2, max=2000)


class TriageItemRead(Schema):
    id = fields.String()
    petition_id = fields.String()
    case_number = fields.String()
    line = fields.String()
    channel = fields.String()
    petition_type = fields.String()
    is_enterprise = fields.Boolean()
    petitioner_masked = fields.String()
    enterprise_name = fields.String(allow_none=True)
    summary = fields.String()
    received_on = fields.Date()
    status = fields.String()
    category = fields.String(allow_none=True)
    enterprise_reason = fields.String(allow_none=True)
    handling_unit_code = fields.String(allow_none=True)
    handler_name = fields.String(allow_none=True)
    round = fields.Integer()
    supervised = fields.Boolean()
    enterprise_division = fields.String(allow_none=True)
    classified_at = fields.AwareDateTime(format="iso", allow_none=True)
    classified_by = fields.String(allow_none=True)
    unit_code = fields.String(allow_none=True)
    next_due_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime(format="iso")


class TriageListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    is_enterprise = fields.Boolean()
    petition_id = fields.String(validate=validate.Length(max=36))


class QueueArgs(Schema):
    """The queue's filters, the same for the page (/triage) and the API (/api/v1/triage/queue)."""

    status = fields.String(validate=validate.OneOf(QUEUE_STATUSES))
    line = fields.String(validate=validate.OneOf(LINES))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    enterprise = fields.String(validate=validate.OneOf(("yes", "no")), metadata={"description": "涉企 or not"})
    due_within = fields.Integer(validate=validate.Range(min=0, max=365),
                                metadata={"description": "the nearest open deadline is due within N days (or overdue)"})
    overdue = fields.String(validate=validate.OneOf(("1",)), metadata={"description": "1: only overdue"})
    case_number = fields.String(validate=validate.Length(min=1, max=40), metadata={"description": "a prefix"})
    category = fields.String(validate=validate.OneOf(ALL_CATEGORIES),
                             metadata={"description": "the category as classified, else as registered"})
    unit = fields.String(validate=validate.Length(min=2, max=40),
                         metadata={"description": "the receiving or the handling unit (within what you see)"})
    handling_unit = fields.String(validate=validate.Length(min=2, max=40), metadata={"description": "the handling unit"})
    supervised = fields.String(validate=validate.OneOf(("yes", "no")), metadata={"description": "under 督办 or not"})
    after = fields.String(validate=validate.Length(min=12, max=60),
                          metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class QueueRowRead(Schema):
    item = fields.Nested(TriageItemRead)
    next_due_on = fields.Date(allow_none=True)
    open_deadlines = fields.Integer()


class QueuePageRead(Schema):
    rows = fields.List(fields.Nested(QueueRowRead))
    next_cursor = fields.String(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())


class SuggestionRead(Schema):
    unit_code = fields.String()
    unit_name = fields.String()
    route = fields.String(metadata={"description": "here (本单位办理) or assigned (交办)"})
    rule = fields.Integer(attribute="rule.position", metadata={"description": "the rule's position in routing.toml"})
    note = fields.String(attribute="rule.note")


class TargetRead(Schema):
    code = fields.String()
    name = fields.String()


class TriageDetailRead(Schema):
    """One item with what the officer routes it by: the suggestion and the allowed targets."""

    item = fields.Nested(TriageItemRead)
    suggestion = fields.Nested(SuggestionRead, allow_none=True)
    assign_targets = fields.List(fields.Nested(TargetRead))
    transfer_organs = fields.List(fields.Nested(TargetRead))
    materials_requested = fields.Boolean(metadata={"description": "一次性告知 already used"})


class ClassifyIn(Schema):
    is_enterprise = fields.Boolean(required=True, metadata={"description": "涉企 or not"})
    enterprise_reason = fields.String(required=True, validate=REASON, metadata={"description": "why (not) 涉企"})
    category = fields.String(validate=validate.OneOf(ALL_CATEGORIES),
                             metadata={"description": "omit to confirm the registered category"})


class RouteIn(Schema):
    route = fields.String(required=True, validate=validate.OneOf(ROUTES))
    to_unit_code = fields.String(validate=validate.Length(min=2, max=40),
                                 metadata={"description": "assigned: the department or lower unit; "
                                                          "transferred_in_tree: the organ"})
    to_organ = fields.String(validate=validate.Length(min=2, max=200),
                             metadata={"description": "transferred_out: the administrative organ's name"})
    days = fields.Integer(validate=validate.Range(min=1, max=90), metadata={"description": "assigned: the 期限 in days (omitted: the rule's default)"})
    working_days = fields.Boolean(load_default=False, metadata={"description": "assigned: count 工作日"})
    override_reason = fields.String(validate=REASON,
                                    metadata={"description": "required when the target is not the suggestion"})
    reasons = fields.String(validate=REASON, metadata={"description": "移送: why (optional)"})

    @validates_schema
    def _needs(self, data: dict[str, Any], **_: Any) -> None:
        needs = {"assigned": ("to_unit_code",), "transferred_in_tree": ("to_unit_code",),
                 "transferred_out": ("to_organ",)}.get(data.get("route", ""), ())
        for name in needs:
            if data.get(name) in (None, ""):
                raise invalid("required", "此项必填", f"{name} is required for route {data['route']}", name)


class MaterialsIn(Schema):
    materials = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                            validate=validate.Length(min=1, max=20), metadata={"description": "what is missing, once"})
    note = fields.String(validate=validate.Length(max=2000))


class DeclineIn(Schema):
    reasons = fields.String(required=True, validate=REASON)
    basis = fields.String(required=True, validate=validate.Length(min=2, max=500),
                          metadata={"description": "the legal basis, cited"})


class ObjectionIn(Schema):
    reasons = fields.String(required=True, validate=REASON)


BULK_LIMIT = 200
BULK_ACTIONS = ("classify", "assign", "route")


class BulkIn(Schema):
    """One action on up to 200 items; each item is done or refused on its own."""

    action = fields.String(required=True, validate=validate.OneOf(BULK_ACTIONS))
    petition_ids = fields.List(fields.String(validate=validate.Length(min=1, max=36)), required=True,
                               validate=validate.Length(min=1, max=BULK_LIMIT))
    # classify
    is_enterprise = fields.Boolean()
    enterprise_reason = fields.String(validate=REASON)
    category = fields.String(validate=validate.OneOf(ALL_CATEGORIES))
    # assign / route ("suggested": each item to its own suggestion)
    route = fields.String(validate=validate.OneOf((*ROUTES, "suggested")))
    to_unit_code = fields.String(validate=validate.Length(min=2, max=40))
    to_organ = fields.String(validate=validate.Length(min=2, max=200))
    days = fields.Integer(validate=validate.Range(min=1, max=90))
    working_days = fields.Boolean(load_default=False)
    override_reason = fields.String(validate=REASON)

    @validates_schema
    def _needs(self, data: dict[str, Any], **_: Any) -> None:
        action = data.get("action")
        needs: tuple[str, ...] = ()
        if action == "classify":
            needs = ("is_enterprise", "enterprise_reason")
        elif action == "assign":
            needs = ("to_unit_code",)
        elif action == "route":
            needs = {"assigned": ("to_unit_code",), "transferred_in_tree": ("to_unit_code",),
                     "transferred_out": ("to_organ",)}.get(data.get("route", ""), ("route",))
        for name in needs:
            if data.get(name) in (None, ""):
                raise invalid("required", "此项必填", f"{name} is required for this action", name)


class BulkItemResultRead(Schema):
    petition_id = fields.String()
    ok = fields.Boolean()
    status = fields.String(allow_none=True, metadata={"description": "the item's status after, when ok"})
    case_number = fields.String(allow_none=True, metadata={"description": "the item's case number, when ok"})
    code = fields.String(allow_none=True)
    message = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)


class BulkResultRead(Schema):
    action = fields.String()
    done = fields.Integer()
    refused = fields.Integer()
    results = fields.List(fields.Nested(BulkItemResultRead))


CLASSIFY_EXAMPLE = {"is_enterprise": True, "enterprise_reason": "企业法定代表人反映企业账户被冻结，涉及企业经营", "category": "控告"}
ROUTE_EXAMPLE = {"route": "assigned", "to_unit_code": "NY-JCY-WC", "days": 15, "working_days": False,
                 "override_reason": "企业注册地在宛城区，由属地检察院办理"}
MATERIALS_EXAMPLE = {"materials": ["原审判决书复印件", "企业营业执照复印件"], "note": "请于收到告知之日起补充"}
DECLINE_EXAMPLE = {"reasons": "该事项已经人民法院终审判决，信访人未提出新的证据和理由",
                   "basis": "《信访工作条例》第三十条"}
OBJECTION_EXAMPLE = {"reasons": "该事项属检察机关法律监督职责，不属于本院职责范围"}
BULK_EXAMPLE = {"action": "route", "petition_ids": ["0b6f3c1e-0000-4000-8000-000000000001"], "route": "suggested",
                "days": 15}
