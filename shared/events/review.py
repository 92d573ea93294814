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


# --- 考评反馈 (services/review/feedback/) ------------------------------------------------------

#: The petitioner's 评价 of a result reply, as every service names it (满意 / 基本满意 / 不满意).
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")
RATING_TEXT = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}


class _FeedbackItemV1(Schema):
    """What every 考评反馈 event says about the 事项 (the contract's common fields)."""

    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    unit_code = fields.String(allow_none=True, load_default=None)  # the receiving unit
    handling_unit_code = fields.String(allow_none=True, load_default=None)
    status = fields.String(required=True)  # the item's status after the change
    round = fields.Integer(required=True)  # the handling round (1, then one more per reopen)


class FeedbackRecordedV1(_FeedbackItemV1):
    """The petitioner's 评价 of a round's result reply was recorded."""

    feedback_id = fields.String(required=True)
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    via = fields.String(required=True, validate=validate.OneOf(("staff", "public")))
    # staff only: how the 评价 was obtained (phone 电话回访, in_person 当面, written 书面).
    method = fields.String(allow_none=True, load_default=None,
                           validate=validate.OneOf(("phone", "in_person", "written")))
    reasons = fields.String(allow_none=True, load_default=None)
    recorded_at = fields.DateTime(required=True)


class HandlingReopenedV1(_FeedbackItemV1):
    """After a 不满意 the handling unit reopened the matter: a new round (``round``) with a new result-reply clock."""

    previous_round = fields.Integer(required=True)
    feedback_id = fields.String(required=True)  # the 不满意 that caused it
    reason = fields.String(required=True)
    reopened_on = fields.Date(required=True)  # the new clock's start day (not counted)
    deadline_id = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)


class HandlingClosedV1(_FeedbackItemV1):
    """The matter was closed (已办结): after 满意/基本满意, or after 不满意 with the unit's reason."""

    closed_on = fields.Date(required=True)
    rating = fields.String(allow_none=True, load_default=None)
    feedback_id = fields.String(allow_none=True, load_default=None)
    reason = fields.String(allow_none=True, load_default=None)  # why it closed despite a 不满意


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
    # 考评反馈 (services/review/feedback/)
    ("feedback.recorded", 1, FeedbackRecordedV1,
     "The petitioner's 评价 (满意/基本满意/不满意) of a round's result reply was recorded, by staff of the "
     "handling unit or through the public status query; one per round."),
    ("handling.reopened", 1, HandlingReopenedV1,
     "After a 不满意 the handling unit reopened the matter: a new handling round, status handling, with a new "
     "result-reply deadline counted from the reopen day."),
    ("handling.closed", 1, HandlingClosedV1,
     "The matter was closed (已办结): after a 满意/基本满意 评价, or after a 不满意 with the unit's reason."),
]
