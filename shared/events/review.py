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


# -- 受理分流 (services/review/triage/decisions.py) --------------------------------------------

ROUTES = ("here", "assigned", "transferred_in_tree", "transferred_out")


class _ItemRef(Schema):
    """What every workflow event (分流, 办理, 考评反馈) says of the 事项 it moved, its state after the change."""

    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    unit_code = fields.String(allow_none=True, load_default=None)  # the receiving unit
    handling_unit_code = fields.String(allow_none=True, load_default=None)
    status = fields.String(required=True)
    round = fields.Integer(required=True)


class TriageClassifiedV1(_ItemRef):
    """A triage officer classified the matter: 涉企 or not (with the reason) and its category."""

    is_enterprise = fields.Boolean(required=True)
    enterprise_reason = fields.String(required=True)
    category = fields.String(required=True)
    registered_category = fields.String(required=True)  # what intake registered (petition_type)
    corrected = fields.Boolean(required=True)  # category differs from the registered one
    classified_at = fields.AwareDateTime(required=True, format="iso")


class TriageRoutedV1(_ItemRef):
    """A triage officer routed the matter: 本单位办理, 交办, or 移送 inside or outside the tree."""

    route = fields.String(required=True, validate=validate.OneOf(ROUTES))
    from_unit_code = fields.String(allow_none=True, load_default=None)
    to_unit_code = fields.String(allow_none=True, load_default=None)
    to_organ = fields.String(allow_none=True, load_default=None)  # transferred_out: the organ named
    due_on = fields.Date(allow_none=True, load_default=None)  # 交办's or the 异议 window's last day
    suggested_unit_code = fields.String(allow_none=True, load_default=None)  # routing.toml's suggestion
    override_reason = fields.String(allow_none=True, load_default=None)  # chosen other than suggested


class TriageMaterialsRequestedV1(_ItemRef):
    """一次性告知: the missing materials were listed to the petitioner, once; the reply clocks pause."""

    materials = fields.List(fields.String(), required=True)
    note = fields.String(allow_none=True, load_default=None)
    requested_on = fields.Date(required=True)


class TriageMaterialsReceivedV1(_ItemRef):
    """The materials asked for arrived: the reply clocks run again and the matter is back in the queue."""

    received_on = fields.Date(required=True)


class TriageDeclinedV1(_ItemRef):
    """不予受理, with the reasons and the legal basis; the notice is the 7-day procedural reply."""

    reasons = fields.String(required=True)
    basis = fields.String(required=True)
    declined_on = fields.Date(required=True)


class TriageTransferObjectedV1(_ItemRef):
    """The organ a matter was transferred to objected within its 5 working days: back to the sender."""

    reasons = fields.String(required=True)
    from_unit_code = fields.String(required=True)  # the objecting (target) unit
    objected_on = fields.Date(required=True)
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
    ("triage.classified", 1, TriageClassifiedV1,
     "A triage officer classified a matter: 涉企 or not with the reason, the category confirmed or corrected."),
    ("triage.routed", 1, TriageRoutedV1,
     "A matter was routed from the queue: handled here, 交办 to a department or lower unit (with its "
     "deadline), 移送 to another organ in the tree (with the 5-working-day 异议 window) or outside it; "
     "a routing.toml suggestion the officer overrode is named with the reason."),
    ("triage.materials_requested", 1, TriageMaterialsRequestedV1,
     "一次性告知: the missing materials were listed once; the 12309 reply clocks are paused."),
    ("triage.materials_received", 1, TriageMaterialsReceivedV1,
     "The materials asked for arrived: the paused clocks resume and the matter is back to 待分流."),
    ("triage.declined", 1, TriageDeclinedV1,
     "不予受理 with reasons and legal basis; the notice meets the 7-day procedural reply."),
    ("triage.transfer_objected", 1, TriageTransferObjectedV1,
     "The organ a matter was transferred to objected within 5 working days (信访工作条例 art. 23): "
     "the matter is back in the sender's queue."),
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


# --- 审查办理 (services/review/handling/) --------------------------------------------------------



class HandlingAcceptedV1(_ItemRef):
    """The handling unit accepted a 交办 item (已交办 → 办理中)."""

    accepted_on = fields.Date(required=True)
    on_time = fields.Boolean(allow_none=True, load_default=None)  # the acceptance 期限 met on time


class HandlingReturnedV1(_ItemRef):
    """The handling unit returned (退回) a 交办 item to the receiving unit's queue, with its reasons."""

    from_unit_code = fields.String(required=True)
    reasons = fields.String(required=True)
    returned_on = fields.Date(required=True)


class HandlingHandlerAssignedV1(_ItemRef):
    """The 承办人 was assigned (by a unit leader) or took the item (a case handler); a reassignment names the previous."""

    handler_user_id = fields.String(required=True)
    handler_name = fields.String(required=True)
    previous_handler_name = fields.String(allow_none=True, load_default=None)
    taken = fields.Boolean(required=True)  # the handler took it themselves


class HandlingProgressReportedV1(_ItemRef):
    """A 进展汇报 was recorded on the item (internal: no reply to the petitioner)."""

    reported_on = fields.Date(required=True)


class HandlingRepliedV1(_ItemRef):
    """A 答复 reached the petitioner: procedural (程序性回复), progress, or final (→ 已答复)."""

    reply_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("procedural", "progress", "final")))
    outcome = fields.String(allow_none=True, load_default=None)
    delivery = fields.String(required=True)
    replied_on = fields.Date(required=True)
    document_id = fields.String(required=True)  # the reply's id: GET /api/v1/handling/replies/<id>/document.pdf
    document_number = fields.String(required=True)
    on_time = fields.Boolean(allow_none=True, load_default=None)  # every 期限 it met, met on time; null: none


EVENTS += [
    ("handling.accepted", 1, HandlingAcceptedV1,
     "The handling unit accepted a 交办 item (routed → handling), meeting its `handling.acceptance` 期限."),
    ("handling.returned", 1, HandlingReturnedV1,
     "The handling unit returned (退回) a 交办 item with reasons: back to the receiving unit's queue (pending)."),
    ("handling.handler_assigned", 1, HandlingHandlerAssignedV1,
     "The 承办人 of an item was assigned by the unit leader or taken by a case handler (a reassignment too)."),
    ("handling.progress_reported", 1, HandlingProgressReportedV1,
     "A 进展汇报 (internal progress report) was recorded on the item."),
    ("handling.replied", 1, HandlingRepliedV1,
     "A 答复 reached the petitioner: `procedural` meets the 7-day reply, `progress` the result or monthly "
     "reply (the next follow-up is attached), `final` the result (status replied); with its document."),
]


# --- 跟踪督办 (services/review/supervision/) -----------------------------------------------------

class _SupervisionRef(Schema):
    """What every 督办 event says: the item it concerns (as every workflow event does) and the 督办."""

    petition_id = fields.String(required=True)
    case_number = fields.String(required=True)
    unit_code = fields.String(allow_none=True, load_default=None)  # the item's receiving unit
    handling_unit_code = fields.String(allow_none=True, load_default=None)
    status = fields.String(required=True)  # the item's status (督办 never changes it)
    round = fields.Integer(required=True)
    supervision_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("listed", "escalated")))  # 挂牌 / 逾期升级
    state = fields.String(required=True, validate=validate.OneOf(("open", "reported", "rejected", "closed")))
    supervising_unit_code = fields.String(required=True)
    supervised_unit_code = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)  # the 督办's own report deadline


class SupervisionEscalatedV1(_SupervisionRef):
    """An overdue 期限 of the item escalated it one level up the unit tree (once per deadline)."""

    deadline_id = fields.String(required=True)  # the overdue deadline
    deadline_rule_code = fields.String(required=True)
    deadline_due_on = fields.Date(required=True)
    from_unit = fields.String(required=True)
    to_unit = fields.String(required=True)


class SupervisionOpenedV1(_SupervisionRef):
    """A supervising unit put the item under 挂牌督办 with its own deadline and instructions."""

    instructions = fields.String(required=True)


class SupervisionReportedV1(_SupervisionRef):
    """The supervised unit reported back on the 督办."""

    report_id = fields.String(required=True)
    reported_on = fields.Date(required=True)


class SupervisionReportDecidedV1(_SupervisionRef):
    """The supervising unit accepted the report (the 督办 closes) or rejected it (reported again)."""

    report_id = fields.String(required=True)
    reasons = fields.String(allow_none=True, load_default=None)  # why rejected; null when accepted


class SupervisionClosedV1(_SupervisionRef):
    """The 督办 closed (its report accepted); ``on_time``: the accepted report came by its due date."""

    closed_on = fields.Date(required=True)
    on_time = fields.Boolean(required=True)
    still_supervised = fields.Boolean(required=True)  # another 督办 of the item is still open


SUPERVISION_EVENTS = [
    ("supervision.escalated", 1, SupervisionEscalatedV1,
     "An overdue deadline of a matter escalated it one level up the unit tree (基层院 → 市院, 部门 → 院领导, "
     "基层法院 → 中院), once per deadline: a 督办 of the unit above, with its own report deadline."),
    ("supervision.opened", 1, SupervisionOpenedV1,
     "A supervising unit (strictly above the handling unit, or the task force) put a matter under 挂牌督办 "
     "with its own deadline and instructions."),
    ("supervision.reported", 1, SupervisionReportedV1, "The supervised unit reported back on a 督办."),
    ("supervision.report_accepted", 1, SupervisionReportDecidedV1,
     "The supervising unit accepted the supervised unit's report (the 督办 then closes)."),
    ("supervision.report_rejected", 1, SupervisionReportDecidedV1,
     "The supervising unit rejected the report, with reasons: the supervised unit reports again."),
    ("supervision.closed", 1, SupervisionClosedV1,
     "A 督办 closed when its report was accepted; says whether on time and whether the matter is still supervised."),
]
EVENTS += SUPERVISION_EVENTS


# --- 考评反馈 (services/review/feedback/) ------------------------------------------------------

#: The petitioner's 评价 of a result reply, as every service names it (满意 / 基本满意 / 不满意).
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")
RATING_TEXT = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}



class FeedbackRecordedV1(_ItemRef):
    """The petitioner's 评价 of a round's result reply was recorded."""

    feedback_id = fields.String(required=True)
    rating = fields.String(required=True, validate=validate.OneOf(RATINGS))
    via = fields.String(required=True, validate=validate.OneOf(("staff", "public")))
    # staff only: how the 评价 was obtained (phone 电话回访, in_person 当面, written 书面).
    method = fields.String(allow_none=True, load_default=None,
                           validate=validate.OneOf(("phone", "in_person", "written")))
    reasons = fields.String(allow_none=True, load_default=None)
    recorded_at = fields.DateTime(required=True)


class HandlingReopenedV1(_ItemRef):
    """After a 不满意 the handling unit reopened the matter: a new round (``round``) with a new result-reply clock."""

    previous_round = fields.Integer(required=True)
    feedback_id = fields.String(required=True)  # the 不满意 that caused it
    reason = fields.String(required=True)
    reopened_on = fields.Date(required=True)  # the new clock's start day (not counted)
    deadline_id = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)


class HandlingClosedV1(_ItemRef):
    """The matter was closed (已办结): after 满意/基本满意, or after 不满意 with the unit's reason."""

    closed_on = fields.Date(required=True)
    rating = fields.String(allow_none=True, load_default=None)
    feedback_id = fields.String(allow_none=True, load_default=None)
    reason = fields.String(allow_none=True, load_default=None)  # why it closed despite a 不满意


EVENTS += [
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


# --- 书面通知 to the public (any review workflow → notify) --------------------------------------


# The purposes (AES-GCM associated data) a notice's contacts are sealed under; notify opens them with the same.
EMAIL_PURPOSE = "public_notice.email"
PHONE_PURPOSE = "public_notice.phone"
_SEALED = r"^[A-Za-z0-9_.-]+:[A-Za-z0-9+/]+=*$"


class PublicNoticeRequestedV1(Schema):
    """A notice to a person outside the courts and procuratorates: an applicant, a petitioner, an enterprise.

    Review says what must be told and to whom; notify chooses the channels (its routing table), sends
    and keeps each delivery as proof.  Contacts travel encrypted (shared.pii.encrypt), never in clear.
    `mandatory` notices (a 羁押必要性审查 outcome to its applicant, 规则 582; a 失信 removal and its
    诚信证明) ignore any opt-out.
    """

    notice_id = fields.String(required=True)  # uuid; one notice, whatever the redeliveries
    notice_kind = fields.String(required=True)  # e.g. custody_review.outcome, dishonesty.certificate_issued
    subject_id = fields.String(required=True)  # the record the notice is about
    case_number = fields.String(required=True)
    unit_code = fields.String(required=True)  # the unit that sends it (it reads the delivery log)
    mandatory = fields.Boolean(required=True)
    recipient_name = fields.String(required=True)  # masked (shared.pii.mask_name), for the log
    # shared.pii.encrypt(value, purpose=EMAIL_PURPOSE / PHONE_PURPOSE): "<key id>:<base64>", never in clear.
    recipient_email_enc = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(_SEALED),
                                        metadata={"example": "v1:c2VhbGVkIGVtYWls"})
    recipient_phone_enc = fields.String(allow_none=True, load_default=None, validate=validate.Regexp(_SEALED),
                                        metadata={"example": "v1:c2VhbGVkIHBob25l"})
    title = fields.String(required=True, validate=validate.Length(max=200))
    body = fields.String(required=True, validate=validate.Length(max=4000))  # plain Chinese text
    # The written document itself (PDF), when there is one: its name, SHA-256 and base64 bytes
    # (at most 600 KB encoded; a 公文 PDF with subset CJK fonts is well under that).
    document_name = fields.String(allow_none=True, load_default=None)
    document_sha256 = fields.String(allow_none=True, load_default=None)
    document_b64 = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=600_000))


EVENTS += [
    ("public_notice.requested", 1, PublicNoticeRequestedV1,
     "Review asked notify to tell a person outside the organs (an applicant, an enterprise) something in "
     "writing: the text, the document (PDF) and the encrypted contact; mandatory notices ignore opt-outs."),
]


# --- leniency (services/review/leniency/) ---------------------------------------------------------


class LeniencyListLoadedV1(Schema):
    """A version of a 首违不罚 list was loaded (``huhang db seed`` or ``huhang rules import``)."""

    subject_id = fields.String(required=True)  # the list version's id
    unit_code = fields.String(allow_none=True, load_default=None)  # none: a platform-wide datum
    list_id = fields.String(required=True)
    code = fields.String(required=True)
    version = fields.Integer(required=True)
    document_number = fields.String(required=True)
    field = fields.String(required=True)  # 税务 / 市场监管
    region = fields.String(required=True)
    effective_from = fields.Date(required=True)
    effective_until = fields.Date(allow_none=True, load_default=None)
    items = fields.Integer(required=True)
    unconfirmed_items = fields.List(fields.String(), required=True)
    source = fields.String(required=True)
    sha256 = fields.String(required=True)


class _LeniencyCheckRef(Schema):
    subject_id = fields.String(required=True)  # the check's id
    check_id = fields.String(required=True)
    unit_code = fields.String(required=True)  # the checking unit
    credit_code = fields.String(required=True)  # the enterprise (统一社会信用代码)
    list_code = fields.String(required=True)
    list_version = fields.Integer(allow_none=True, load_default=None)  # none: no version in force on act_on
    item_code = fields.String(required=True)
    act_on = fields.Date(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(
        ("suggested", "not_applicable", "more_information_needed")))
    strength = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(("must", "may")))
    unconfirmed = fields.List(fields.String(), required=True)  # the unconfirmed data the result rests on


class LeniencyCheckedV1(_LeniencyCheckRef):
    """A 首违不罚 check was made and stored."""

    failed = fields.List(fields.String(), required=True)  # the keys of the conditions not met


class LeniencyRecommendationDraftedV1(_LeniencyCheckRef):
    """A 检察建议 draft (行政违法行为监督) was made from a positive check."""

    recommendation_id = fields.String(required=True)
    document_number = fields.String(required=True)
    case_number = fields.String(required=True)  # the 发文字号, as notices name a record
    addressee = fields.String(required=True)


EVENTS += [
    ("leniency.list_loaded", 1, LeniencyListLoadedV1,
     "A version of a 首违不罚 list (行政处罚法 art. 33; e.g. 税务总局公告2021年第6号) was loaded from its file; "
     "versions are never overwritten, older ones stay in force for acts under them."),
    ("leniency.checked", 1, LeniencyCheckedV1,
     "A 首违不罚 check of one violation was stored: suggested / not_applicable / more_information_needed, "
     "the list version in force on the act date, the conditions failed and the unconfirmed data used."),
    ("leniency.recommendation_drafted", 1, LeniencyRecommendationDraftedV1,
     "A procuratorate user made the 检察建议 draft (行政违法行为监督) of a positive check, with its 发文字号."),
]


# --- hanging (services/review/cases/hanging/) ------------------------------------------------


class _HangingCaseRef(Schema):
    """What every ``hanging_case.*`` event says of its case (subject: the case's id)."""

    subject_id = fields.String(required=True)  # the hanging case's id
    case_number = fields.String(required=True)  # the police 案号
    unit_code = fields.String(required=True)  # the supervising procuratorate unit
    investigating_organ = fields.String(required=True)
    filed_on = fields.Date(required=True)
    status = fields.String(required=True)  # open | cleared
    source = fields.String(required=True)  # import | manual
    import_batch_id = fields.String(allow_none=True, load_default=None)


class HangingCaseRegisteredV1(_HangingCaseRef):
    """A 涉企挂案 was registered, by import (one event per new case) or by hand."""

    measure_count = fields.Integer(required=True)
    property_count = fields.Integer(required=True)


class HangingCaseUpdatedV1(_HangingCaseRef):
    """A case changed: a re-import of a changed row, or a hand edit (a measure lifted, property returned)."""

    change = fields.String(required=True)  # reimport | case | measure_added | measure_changed | property_added | ...
    changed_fields = fields.List(fields.String(), required=True)


class HangingCaseImportedV1(Schema):
    """An import file was accepted whole (every row valid): its batch and what it did."""

    import_batch_id = fields.String(required=True)
    unit_code = fields.String(required=True)
    file_name = fields.String(required=True)
    file_sha256 = fields.String(required=True)
    row_count = fields.Integer(required=True)
    created_count = fields.Integer(required=True)
    updated_count = fields.Integer(required=True)
    unchanged_count = fields.Integer(required=True)


EVENTS += [
    ("hanging_case.registered", 1, HangingCaseRegisteredV1,
     "A 涉企挂案 (a police case after 立案 that the procuratorate supervises) was registered, by import or by hand."),
    ("hanging_case.updated", 1, HangingCaseUpdatedV1,
     "A 涉企挂案 changed: a re-imported changed row, or a hand edit of the case, its measures or its seized property."),
    ("hanging_case.imported", 1, HangingCaseImportedV1,
     "An import file of 涉企挂案 was accepted whole: the batch with its created, updated and unchanged counts."),
]


# --- dishonesty (services/review/dishonesty) ---------------------------------------------------
# 失信被执行人: every step of a listing; notice-bearing payloads carry subject_id, case_number, unit_code.


class _DishonestyStep(Schema):
    listing_id = fields.String(required=True)
    subject_id = fields.String(required=True)  # the listing
    case_number = fields.String(required=True)  # 执行案号
    unit_code = fields.String(required=True)  # the unit that listed (执行局)
    court_code = fields.String(required=True)  # its court
    status = fields.String(required=True, validate=validate.OneOf(("listed", "removal_pending", "removed")))


class DishonestyListedV1(_DishonestyStep):
    """A court clerk listed a debtor (第一条 ground), with its 限制消费令."""

    debtor_kind = fields.String(required=True, validate=validate.OneOf(("enterprise", "person")))
    debtor_name = fields.String(required=True)  # a natural person's name masked
    ground = fields.Integer(required=True)
    listed_on = fields.Date(required=True)
    expires_on = fields.Date(allow_none=True, load_default=None)  # None: item 1, until performance
    extension_years = fields.Integer(required=True)
    consumption_order_id = fields.String(required=True)
    consumption_issued_on = fields.Date(required=True)


class DishonestyRemovalGroundRecordedV1(_DishonestyStep):
    """A 第十条 ground (performance, …) was recorded with evidence: the 3-working-day removal clock runs."""

    ground = fields.String(required=True)
    recorded_on = fields.Date(required=True)
    deadline_id = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)


class DishonestyRemovedV1(_DishonestyStep):
    """The record was deleted (decided, or its term expired); the 限消 order lifted with it."""

    ground = fields.String(required=True)  # a 第十条 ground, or "expiry"
    removed_on = fields.Date(required=True)
    consumption_order_lifted_on = fields.Date(allow_none=True, load_default=None)
    relisting_blocked_until = fields.Date(allow_none=True, load_default=None)


class DishonestyCorrectionRequestedV1(_DishonestyStep):
    correction_id = fields.String(required=True)
    applied_on = fields.Date(required=True)
    deadline_id = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)


class DishonestyCorrectionReviewedV1(_DishonestyStep):
    correction_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("accepted", "rejected")))
    reviewed_on = fields.Date(required=True)
    deadline_id = fields.String(required=True)  # accepted: to correct; rejected: to apply for 复议
    due_on = fields.Date(allow_none=True, load_default=None)


class DishonestyCorrectedV1(_DishonestyStep):
    correction_id = fields.String(required=True)
    corrected_on = fields.Date(required=True)


class DishonestyReconsiderationAppliedV1(_DishonestyStep):
    reconsideration_id = fields.String(required=True)
    correction_id = fields.String(required=True)
    applied_on = fields.Date(required=True)
    higher_court_code = fields.String(allow_none=True, load_default=None)  # None: outside the platform
    deadline_id = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)


class DishonestyReconsiderationDecidedV1(_DishonestyStep):
    reconsideration_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("upheld", "revoked")))
    decided_on = fields.Date(required=True)
    correct_due_on = fields.Date(allow_none=True, load_default=None)


class DishonestyCertificateIssuedV1(_DishonestyStep):
    certificate_id = fields.String(required=True)
    number = fields.String(required=True)  # 发文字号
    issued_on = fields.Date(required=True)
    removed_on = fields.Date(required=True)


class DishonestyCertificateRevokedV1(_DishonestyStep):
    certificate_id = fields.String(required=True)
    number = fields.String(required=True)
    revoked_on = fields.Date(required=True)
    reason = fields.String(required=True)


EVENTS += [
    ("dishonesty.listed", 1, DishonestyListedV1,
     "A court clerk listed a debtor as 失信被执行人 (第一条 ground, term) with its 限制消费令."),
    ("dishonesty.removal_ground_recorded", 1, DishonestyRemovalGroundRecordedV1,
     "Performance or another 第十条 ground was recorded with its evidence; the 3-working-day removal clock started."),
    ("dishonesty.removed", 1, DishonestyRemovedV1,
     "The 失信 record was deleted (decided, or its fixed term expired) and the 限消 order lifted with it."),
    ("dishonesty.correction_requested", 1, DishonestyCorrectionRequestedV1,
     "A written correction request (第十二条) was recorded; the court reviews it within 15日."),
    ("dishonesty.correction_reviewed", 1, DishonestyCorrectionReviewedV1,
     "The court reviewed a correction request: accepted (correct within 3 working days) or rejected (复议 within 10日)."),
    ("dishonesty.corrected", 1, DishonestyCorrectedV1, "An accepted (or 复议-ordered) correction was made."),
    ("dishonesty.reconsideration_applied", 1, DishonestyReconsiderationAppliedV1,
     "复议 to the court above was applied for; it decides within 15日 and the listing stays meanwhile."),
    ("dishonesty.reconsideration_decided", 1, DishonestyReconsiderationDecidedV1,
     "The court above decided a 复议: upheld, or the rejection revoked (correct within 3 working days)."),
    ("dishonesty.certificate_issued", 1, DishonestyCertificateIssuedV1,
     "A 诚信证明 was issued for a removed record (the PDF goes to the enterprise as a public_notice.requested)."),
    ("dishonesty.certificate_revoked", 1, DishonestyCertificateRevokedV1,
     "A 诚信证明 was revoked; its public check answers revoked from then on."),
]


# --- 挂案清理 (services/review/cases/clearance/) ----------------------------------------------


class _HangingClearanceRef(Schema):
    """Every hanging_clearance.* event about a case names it, its 案号 and its supervising unit."""

    subject_id = fields.String(required=True)  # the hanging case's id
    case_number = fields.String(required=True)  # the police 案号
    unit_code = fields.String(required=True)  # the supervising procuratorate unit
    investigating_organ = fields.String(allow_none=True, load_default=None)


class HangingClearanceFlaggedV1(_HangingClearanceRef):
    """The daily scan found the case past a threshold rule (once per case and rule)."""

    flag_id = fields.String(required=True)
    rule_code = fields.String(required=True)
    rule_text = fields.String(required=True)
    started_on = fields.Date(required=True)  # the day the rule's period counts from
    flagged_on = fields.Date(required=True)


class HangingClearanceActionTakenV1(_HangingClearanceRef):
    """A 监督 action was taken: 催办函, 要求说明理由, 通知撤销案件 or 挂牌督办, with its document number."""

    action_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("urge", "explain", "withdraw_notice", "listed")))
    document_number = fields.String(required=True)
    sent_on = fields.Date(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)  # the police's reply clock, if one
    flag_id = fields.String(allow_none=True, load_default=None)
    rule_code = fields.String(allow_none=True, load_default=None)


class HangingClearanceReplyRecordedV1(_HangingClearanceRef):
    """The police's reply to a 要求说明理由 / 通知撤销案件 was recorded (its clock met)."""

    action_id = fields.String(required=True)
    kind = fields.String(required=True)
    replied_on = fields.Date(required=True)
    on_time = fields.Boolean(required=True)


class HangingClearanceReplyOverdueV1(_HangingClearanceRef):
    """A reply the police owed (说明理由 7日, 撤销案件 15日) did not come by its due date."""

    action_id = fields.String(required=True)
    kind = fields.String(required=True)
    document_number = fields.String(required=True)
    due_on = fields.Date(required=True)


class HangingClearanceOutcomeRecordedV1(_HangingClearanceRef):
    """An outcome: 撤案, 移送起诉, 不起诉 (the case is cleared, its flags resolved) or 继续侦查 with a deadline."""

    outcome = fields.String(required=True, validate=validate.OneOf(
        ("withdrawn", "prosecution", "non_prosecution", "continued")))
    outcome_on = fields.Date(required=True)
    continued_until = fields.Date(allow_none=True, load_default=None)
    status = fields.String(required=True)
    flags_resolved = fields.Integer(required=True)


class HangingClearancePropertyReturnedV1(_HangingClearanceRef):
    """查封/扣押/冻结 property of the case was returned (返还)."""

    property_id = fields.String(required=True)
    kind = fields.String(required=True)
    returned_on = fields.Date(required=True)


class HangingClearanceCampaignCreatedV1(Schema):
    """A 专项清理 campaign was set up: its name, period and units."""

    campaign_id = fields.String(required=True)
    name = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    unit_code = fields.String(required=True)  # the unit that set it up
    units = fields.List(fields.String(), required=True)


EVENTS += [
    ("hanging_clearance.flagged", 1, HangingClearanceFlaggedV1,
     "The daily 挂案 scan found a case past a threshold (no measure 2 years, 12 months after lifting, 1 year "
     "after 取保/监视居住 expired, 3 months without 侦查终结, a 继续侦查 deadline passed); once per case and rule."),
    ("hanging_clearance.action_taken", 1, HangingClearanceActionTakenV1,
     "A 监督 action on a 挂案: 催办函, 要求说明理由 (7日 reply clock), 通知撤销案件 (15日 clock) or 挂牌督办."),
    ("hanging_clearance.reply_recorded", 1, HangingClearanceReplyRecordedV1,
     "The police's reply to a 要求说明理由 or 通知撤销案件 was recorded; its clock met."),
    ("hanging_clearance.reply_overdue", 1, HangingClearanceReplyOverdueV1,
     "A reply the police owed on a 挂案 action did not come by its due date (once per action)."),
    ("hanging_clearance.outcome_recorded", 1, HangingClearanceOutcomeRecordedV1,
     "An outcome of a 挂案: 撤案, 移送起诉, 不起诉 (cleared, flags resolved) or 继续侦查 with a new deadline."),
    ("hanging_clearance.property_returned", 1, HangingClearancePropertyReturnedV1,
     "Seized (查封/扣押/冻结) property of a 挂案 was returned."),
    ("hanging_clearance.campaign_created", 1, HangingClearanceCampaignCreatedV1,
     "A 专项清理 campaign over 挂案 was set up with its name, period and units."),
]


# --- 羁押必要性审查 (services/review/cases/custody/) ----------------------------------------------------

_CUSTODY_STATES = ("received", "initial_review", "reviewing", "awaiting_reply", "correction", "closed")


class _CustodyReviewRef(Schema):
    """What every custody_review.* event of a review says: the review (subject_id), its unit and state.

    No personal data: the person only masked (张*), the ID number and the applicant's contacts never.
    """

    subject_id = fields.String(required=True)  # the review's id
    case_number = fields.String(required=True)  # the review's own number, 宛检羁审〔2026〕1号
    unit_code = fields.String(required=True)  # the 捕诉 unit that reviews
    received_by_unit_code = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(_CUSTODY_STATES))
    trigger = fields.String(required=True, validate=validate.OneOf(
        ("application", "ex_officio", "detention_centre", "mandatory")))
    trigger_rule = fields.String(allow_none=True, load_default=None)  # a mandatory review's rule (triggers.toml)
    stage = fields.String(required=True, validate=validate.OneOf(("investigation", "prosecution", "trial")))
    criminal_case_number = fields.String(required=True)
    person_masked = fields.String(required=True)
    due_on = fields.Date(allow_none=True, load_default=None)  # the nearest open 期限 of the review


class CustodyReviewOpenedV1(_CustodyReviewRef):
    received_on = fields.Date(required=True)
    trigger_basis = fields.String(allow_none=True, load_default=None)
    trigger_detail = fields.String(allow_none=True, load_default=None)


class CustodyReviewReceivedV1(_CustodyReviewRef):
    reached_on = fields.Date(required=True)
    on_time = fields.Boolean(required=True)  # reached 捕诉 within the routing/forwarding clock


class CustodyReviewFiledV1(_CustodyReviewRef):
    filed_on = fields.Date(required=True)


class CustodyReviewNotFiledV1(_CustodyReviewRef):
    reasons = fields.String(required=True)
    notice_number = fields.String(allow_none=True, load_default=None)


class CustodyReviewGroundsV1(_CustodyReviewRef):
    ticked = fields.List(fields.String(), required=True)  # the checklist codes ticked now


class CustodyReviewExtendedV1(_CustodyReviewRef):
    approved_by = fields.String(required=True)
    amount = fields.Integer(required=True)
    unit = fields.String(required=True)


class CustodyReviewSuspendedV1(_CustodyReviewRef):
    start_on = fields.Date(required=True)
    suspension_id = fields.String(required=True)


class CustodyReviewResumedV1(_CustodyReviewRef):
    resumed_on = fields.Date(required=True)


class CustodyReviewDecidedV1(_CustodyReviewRef):
    decision = fields.String(required=True, validate=validate.OneOf(
        ("release_recommended", "change_recommended", "changed_directly", "continued")))
    basis = fields.String(required=True)
    decided_on = fields.Date(required=True)
    recommendation_number = fields.String(allow_none=True, load_default=None)  # the 建议书's 发文字号
    notice_number = fields.String(allow_none=True, load_default=None)  # the 结果通知书's (applied-for reviews)


class CustodyReviewReplyRecordedV1(_CustodyReviewRef):
    reply = fields.String(required=True, validate=validate.OneOf(("accepted", "refused")))
    reply_on = fields.Date(required=True)


class CustodyReviewReplyDueV1(_CustodyReviewRef):
    reply_due_on = fields.Date(allow_none=True, load_default=None)


class CustodyReviewCorrectionOpenedV1(_CustodyReviewRef):
    reason = fields.String(required=True, validate=validate.OneOf(("no_reply", "refused")))
    correction_id = fields.String(required=True)
    correction_due_on = fields.Date(allow_none=True, load_default=None)


class CustodyReviewCorrectionIssuedV1(_CustodyReviewRef):
    reason = fields.String(required=True, validate=validate.OneOf(("no_reply", "refused")))
    correction_id = fields.String(required=True)
    document_number = fields.String(required=True)
    issued_on = fields.Date(required=True)


class CustodyRegisterEntryV1(Schema):
    """A person in custody entered in (or changed in) the register the mandatory-review job reads."""

    subject_id = fields.String(required=True)  # the entry's id
    case_number = fields.String(required=True)  # the criminal 案号
    unit_code = fields.String(required=True)
    stage = fields.String(required=True)
    stage_entered_on = fields.Date(required=True)
    person_masked = fields.String(required=True)
    in_custody = fields.Boolean(required=True)


EVENTS += [
    ("custody_review.opened", 1, CustodyReviewOpenedV1,
     "A 羁押必要性审查 opened: on application (registered by 捕诉, 控申/案管 or another 检察院), ex officio, on the "
     "看守所's suggestion, or as a mandatory review the daily job found in the custody register (citing its rule)."),
    ("custody_review.received", 1, CustodyReviewReceivedV1,
     "捕诉 received an application 控申/案管 or another 检察院 registered (the routing clock met or missed)."),
    ("custody_review.filed", 1, CustodyReviewFiledV1, "初审: the review was 立案; the decision's clock started."),
    ("custody_review.not_filed", 1, CustodyReviewNotFiledV1,
     "初审: the review was not 立案, with reasons; the applicant is told in writing."),
    ("custody_review.grounds_updated", 1, CustodyReviewGroundsV1,
     "Checklist items (规则 578 factors, 579 must, 580 may) were ticked or unticked, each with evidence."),
    ("custody_review.extended", 1, CustodyReviewExtendedV1,
     "The decision's clock was extended (2016: 5 working days) with the approver recorded."),
    ("custody_review.suspended", 1, CustodyReviewSuspendedV1,
     "The decision's clock was paused for a medical assessment (鉴定期间不计入)."),
    ("custody_review.resumed", 1, CustodyReviewResumedV1, "The medical assessment ended: the clock counts again."),
    ("custody_review.decided", 1, CustodyReviewDecidedV1,
     "审查终结: 建议释放, 建议变更强制措施 (a 建议书; the reply is due in 10日), 直接变更 (审查起诉) or 继续羁押, "
     "with its legal basis."),
    ("custody_review.reply_recorded", 1, CustodyReviewReplyRecordedV1,
     "The other organ's reply to a 建议 was recorded: accepted closes the review, refused opens a 纠正意见."),
    ("custody_review.reply_due", 1, CustodyReviewReplyDueV1,
     "A 建议's reply clock reached its warning day without a reply (tells the unit's prosecutors)."),
    ("custody_review.correction_opened", 1, CustodyReviewCorrectionOpenedV1,
     "A missing (the job) or refusing reply opened a 纠正意见 item on its own clock."),
    ("custody_review.correction_issued", 1, CustodyReviewCorrectionIssuedV1,
     "The 纠正意见书 was issued to the other organ; the review closed."),
    ("custody_review.register_entered", 1, CustodyRegisterEntryV1,
     "A person in custody was entered in the register the mandatory-review job reads."),
    ("custody_review.register_updated", 1, CustodyRegisterEntryV1,
     "A custody register entry changed (stage, back from 补侦, trial started, released)."),
]
