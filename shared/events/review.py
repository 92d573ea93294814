"""Payloads of the events review (审查) produces on `huhang.review.events`."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

SOURCE = "review"


class TriageItemCreatedV1(Schema):
    """A petition entered the 受理分流 queue."""

    triage_item_id = fields.String(required=True)
    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    line = fields.String(required=True)
    channel = fields.String(required=True)
    is_enterprise = fields.Boolean(required=True)
    received_on = fields.Date(required=True)
    summary = fields.String(required=True)
    # The unit whose staff may see the item (the petition's receiving unit); optional, see intake.
    unit_code = fields.String(allow_none=True, load_default=None)


class _DeadlineRef(Schema):
    """What every deadline event says about the deadline it concerns."""

    deadline_id = fields.String(required=True)
    subject = fields.String(required=True)
    case_number = fields.String(allow_none=True, load_default=None)
    # The deadline's owning unit (who may see it and its notices); null: the task force only.
    unit_code = fields.String(allow_none=True, load_default=None)
    rule_code = fields.String(required=True)
    title = fields.String(required=True)


class DeadlineNoticeV1(_DeadlineRef):
    """A deadline is near (`deadline.due_soon`) or past (`deadline.overdue`); sent once per due date."""

    start_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    warn_on = fields.Date(allow_none=True, load_default=None)
    provisional = fields.Boolean(required=True)


class DeadlineRecomputedV1(_DeadlineRef):
    """A deadline's due date or provisional flag changed (pause, resumption, extension, new holiday data)."""

    reason = fields.String(required=True)
    previous_due_on = fields.Date(allow_none=True, load_default=None)
    previous_provisional = fields.Boolean(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)
    warn_on = fields.Date(allow_none=True, load_default=None)
    provisional = fields.Boolean(required=True)


class DeadlineOpenedV1(_DeadlineRef):
    """A deadline was attached to a subject: its clock started on ``start_on`` (the day not counted)."""

    start_on = fields.Date(required=True)
    # Null only if the deadline starts paused (not today; kept nullable like the deadline itself).
    due_on = fields.Date(allow_none=True, load_default=None)
    provisional = fields.Boolean(required=True)
    # The deadline this one continues (a 12309 monthly progress follow-up), else null.
    follows_id = fields.String(allow_none=True, load_default=None)


class DeadlineClosedV1(_DeadlineRef):
    """A deadline's duty was performed: on time (``met``) or after its due date (``missed``)."""

    status = fields.String(required=True, validate=validate.OneOf(("met", "missed")))
    closed_on = fields.Date(required=True)  # the Beijing date the duty was performed
    due_on = fields.Date(allow_none=True, load_default=None)
    # 12309 result and follow-up replies: ``final`` (the answer) or ``progress`` (a report of
    # progress, followed by the next monthly follow-up); null for every other rule.
    outcome = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(("final", "progress")))


# -- 12368 工单 (services/review/work_orders) -------------------------------------------------
# Every payload names the 事项 as the workflow's events do (petition, its 收案编号, the receiving
# unit, the handling unit, its status after the change, its round) and the order.


class _WorkOrderStep(Schema):
    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    unit_code = fields.String(allow_none=True, load_default=None)  # the receiving unit (诉讼服务中心)
    handling_unit_code = fields.String(allow_none=True, load_default=None)
    status = fields.String(required=True)  # the 事项's status after the change
    round = fields.Integer(required=True)
    work_order_id = fields.String(required=True)
    related_case_number = fields.String(required=True)  # the court 案号 the contact is about
    order_status = fields.String(required=True, validate=validate.OneOf(("open", "replied")))
    order_unit_code = fields.String(required=True)  # the division whose case it is
    owner_unit_code = fields.String(required=True)  # who holds it now
    level = fields.Integer(required=True)  # 0 judge/division, 1 庭长, 2 诉讼服务中心
    is_green_channel = fields.Boolean(required=True)
    # The owner's clock (null once replied, or for an answer given on the spot).
    deadline_id = fields.String(allow_none=True, load_default=None)
    due_on = fields.Date(allow_none=True, load_default=None)


class WorkOrderCreatedV1(_WorkOrderStep):
    """A 12368 contact became a work order to a judge or division, or its on-the-spot answer was recorded."""

    kind = fields.String(required=True, validate=validate.OneOf(("order", "on_the_spot")))
    assignee_name = fields.String(allow_none=True, load_default=None)
    created_on = fields.Date(required=True)


class WorkOrderRepliedV1(_WorkOrderStep):
    """The judge, the division (or, escalated, the center) replied: the caller was told (``delivery``)."""

    delivery = fields.String(required=True)
    replied_on = fields.Date(required=True)
    on_time = fields.Boolean(allow_none=True, load_default=None)  # null for an answer on the spot


class WorkOrderTransferredV1(_WorkOrderStep):
    """转办 to another judge or division (the clock restarts), or 改派 by the division head (it runs on)."""

    kind = fields.String(required=True, validate=validate.OneOf(("transfer", "reassign")))
    from_unit_code = fields.String(required=True)
    to_unit_code = fields.String(required=True)
    to_assignee_name = fields.String(allow_none=True, load_default=None)
    reasons = fields.String(required=True)
    restarted = fields.Boolean(required=True)


class WorkOrderEscalatedV1(_WorkOrderStep):
    """An overdue order passed one level up (the division head, then the 诉讼服务中心), with a clock of its own."""

    from_level = fields.Integer(required=True)
    missed_deadline_id = fields.String(required=True)


EVENTS = [
    ("triage.item_created", 1, TriageItemCreatedV1, "A petition entered the 受理分流 (triage) queue."),
    ("deadline.due_soon", 1, DeadlineNoticeV1,
     "A deadline's warning date (by default 2 working days before it is due) has come; once per due date."),
    ("deadline.overdue", 1, DeadlineNoticeV1,
     "A deadline's due date passed (Beijing time) and it was not met; once per due date."),
    ("deadline.opened", 1, DeadlineOpenedV1,
     "A deadline was attached (a triaged petition's 12309 reply or 12368 work-order deadline, a "
     "12309 monthly follow-up, ...): its rule, start date and due date."),
    ("deadline.closed", 1, DeadlineClosedV1,
     "A deadline's duty was performed (the reply sent, the review decided): met on time or missed, "
     "with the Beijing date it was done."),
    ("deadline.recomputed", 1, DeadlineRecomputedV1,
     "A deadline's due date or provisional flag changed: paused (due_on null), resumed, extended, "
     "or recomputed after a holiday year was imported."),
    ("work_order.created", 1, WorkOrderCreatedV1,
     "A 12368 contact not answerable on the spot became a 工单 to the judge or division of its case (or an "
     "on-the-spot answer was recorded as an order closed at once); its clock from the order's creation."),
    ("work_order.replied", 1, WorkOrderRepliedV1,
     "A 工单 was replied to (text, how the caller was told); the 事项 is 已答复 once no order of it is open."),
    ("work_order.transferred", 1, WorkOrderTransferredV1,
     "A 工单 was transferred (转办: to another judge or division, its clock restarted) or reassigned within the "
     "division by its head (改派: the clock runs on)."),
    ("work_order.escalated", 1, WorkOrderEscalatedV1,
     "An overdue 工单 passed one level up (the division head, then the 诉讼服务中心), once per level, with a "
     "clock of its own."),
]
