"""The public timeline of a petition (办案进程): its steps and deadlines, in the words the public reads.

《人民检察院案件信息公开工作规定》 art. 7 lets a party query 案由、受理时间、办案期限、办案组织、
办案进程、处理结果 (and 强制措施, which a petition has none of); art. 4 forbids 国家秘密、商业秘密、
个人隐私.  So a :class:`Timeline` holds exactly those: the petition type as 案由, the date
received, the deadlines with their due dates and whether each was met, the receiving and (once
routed) handling unit, the steps, and a result once there is one — and the party only as a
masked name (张*) or the enterprise's name.  Never an ID or phone number, never the claim or
the facts.  A step review has not reached yet, or does not announce yet, reads 尚未进行.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from services.intake.config import IntakeSettings
from services.intake.petitions.lines import period
from services.intake.status.models import (
    CLOSED,
    CONCLUDED,
    DONE,
    REPLIED,
    ROUTED,
    TRIAGE,
    StatusDeadline,
    StatusFeedback,
    StatusStep,
)
from shared.events.review import RATING_TEXT

DONE_STATE = "done"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
STATE_TEXT = {DONE_STATE: "已完成", IN_PROGRESS: "进行中", NOT_STARTED: "尚未进行"}

# How a deadline stands (the badge beside it).
ON_TIME = "on_time"
LATE = "late"
OPEN = "open"
OVERDUE = "overdue"
TIMING_TEXT = {ON_TIME: "已按期", LATE: "逾期", OPEN: "进行中", OVERDUE: "已逾期"}

# The rules whose deadlines the public sees, per line: (the reply step, the result step).
_REPLY_RULE = {"12309": "12309.procedural_reply", "12368": "court_12368.work_order"}
_RESULT_RULES = ("12309.result_reply", "12309.progress_followup")
_REPLY_NAME = {"12309": "程序性回复", "12368": "工单回复"}
# The clock a reopened round runs under (the line's result rule from the reopen day).
_REOPEN_RULES = (*_RESULT_RULES, "court_12368.work_order")



def deadline_name(rule_code: str, settings: IntakeSettings) -> str | None:
    """The public name of a deadline of `rule_code`; None for a deadline the public does not see."""
    names = {
        "12309.procedural_reply": f"告知受理情况（{period(7, settings.procedural_reply_unit)}内）",
        "12309.result_reply": "答复办理过程或结果（3个月内）",
        "12309.progress_followup": "告知办理进展（未办结的每月一次）",
        "court_12368.work_order": f"工单回复（{period(settings.work_order_amount, settings.work_order_unit)}内）",
    }
    return names.get(rule_code)


@dataclass(frozen=True)
class Registered:
    """What intake's own petition row gives the timeline (受理)."""

    case_number: str
    line: str
    line_name: str
    category: str  # 案由: the petition type (控告, 刑事申诉, 联系法官, …)
    party: str  # the enterprise's name, or the petitioner's masked name
    received_on: date
    receiving_unit: str
    commitments: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    code: str  # received, triage, routed, reply, result, feedback
    name: str
    state: str  # done, in_progress, not_started
    on: date | None
    text: str
    due_on: date | None = None  # the deadline the step answers, if any
    timing: str | None = None  # on_time, late, open, overdue (of that deadline)

    @property
    def state_text(self) -> str:
        return STATE_TEXT[self.state]

    @property
    def timing_text(self) -> str | None:
        return TIMING_TEXT[self.timing] if self.timing else None


@dataclass(frozen=True)
class PublicDeadline:
    name: str
    start_on: date | None
    due_on: date | None  # None while the clock is paused
    provisional: bool  # counted past the years the holiday calendar knows: may still move
    timing: str
    closed_on: date | None

    @property
    def timing_text(self) -> str:
        return TIMING_TEXT[self.timing]


@dataclass(frozen=True)
class Timeline:
    """Everything the public answer shows of one matter, and nothing else."""

    kind: str  # petition / court_case
    case_number: str
    line: str
    line_name: str
    category: str
    party: str
    received_on: date
    receiving_unit: str
    handling_unit: str | None
    status: str
    steps: tuple[Step, ...]
    deadlines: tuple[PublicDeadline, ...]
    commitments: tuple[str, ...]
    result: str | None
    # 重复件: the case this matter was joined to (its handling is that case's); None when it stands alone.
    merged_into: str | None = None
    # 考评反馈: the handling round (a 不满意 may reopen the matter), whether the petitioner may rate
    # its result reply now, and the present round's 评价 once given (满意 / 基本满意 / 不满意).
    round: int = 1
    feedback_open: bool = False
    feedback_rating: str | None = None

    @property
    def feedback_rating_text(self) -> str | None:
        return RATING_TEXT.get(self.feedback_rating) if self.feedback_rating else None


def timing(row: StatusDeadline, today: date) -> str:
    """Met on time, met late, open, or open past its due date (Beijing dates)."""
    if row.status == "met":
        return ON_TIME
    if row.status == "missed":
        return LATE
    if row.overdue or (row.due_on is not None and today > row.due_on):
        return OVERDUE
    return OPEN


def _on(step: StatusStep | None) -> date | None:
    return step.on_date if step is not None else None


def _reply_step(line: str, row: StatusStep | None, deadline: StatusDeadline | None, today: date) -> Step:
    name = _REPLY_NAME.get(line, "程序性回复")
    due, how = (deadline.due_on, timing(deadline, today)) if deadline is not None else (None, None)
    if row is not None and row.state == DONE:
        return Step("reply", name, DONE_STATE, row.on_date, row.note or "已回复", due, how)
    if deadline is not None and deadline.status != "open":
        return Step("reply", name, DONE_STATE, deadline.closed_on, "已回复", due, how)
    return Step("reply", name, NOT_STARTED, None, "尚未进行", due, how)


def _result_step(
    row: StatusStep | None, results: list[StatusDeadline], today: date, clocks: list[StatusDeadline],
) -> tuple[Step, str | None]:
    if row is not None and row.state == DONE:
        text = "已答复办理结果" if (row.round or 1) == 1 else f"第{row.round}轮办理已答复"
        return Step("result", "答复/办结", DONE_STATE, row.on_date, text), row.note
    if row is not None and (row.round or 1) > 1:
        # Reopened after a 不满意: the new round's clock is the latest result deadline opened.
        current = next((d for d in reversed(clocks) if d.status == "open"), None)
        due, how = (current.due_on, timing(current, today)) if current is not None else (None, None)
        return Step("result", "答复/办结", IN_PROGRESS, row.on_date, f"因不满意重新办理（第{row.round}轮）",
                    due, how), None
    final = next((d for d in results if d.status != "open" and d.outcome != "progress"), None)
    first = results[0] if results else None
    if final is not None:
        return Step("result", "答复/办结", DONE_STATE, final.closed_on, "已答复办理结果",
                    first.due_on if first else None, timing(first, today) if first else None), None
    progress = [d for d in results if d.status != "open"]
    current = next((d for d in results if d.status == "open"), None)
    due, how = (current.due_on, timing(current, today)) if current is not None else (None, None)
    if progress:
        return Step("result", "答复/办结", IN_PROGRESS, progress[-1].closed_on, "已告知办理进展，尚未办结", due, how), None
    return Step("result", "答复/办结", NOT_STARTED, None, "尚未进行", due, how), None


def _feedback_step(
    concluded: StatusStep | None, closed: StatusStep | None, rated: StatusFeedback | None,
) -> tuple[Step, bool]:
    """The 评价 step, and whether the petitioner may give the present round's 评价 now."""
    rating = RATING_TEXT.get(rated.rating, rated.rating) if rated is not None else None
    if closed is not None and closed.state == DONE:
        return Step("feedback", "评价", DONE_STATE, closed.on_date,
                    f"评价：{rating}；已办结" if rating else "已办结"), False
    if concluded is None or concluded.state != DONE:
        return Step("feedback", "评价", NOT_STARTED, None, "尚未进行"), False
    if rated is None:
        return Step("feedback", "评价", IN_PROGRESS, concluded.on_date, "待评价：请对答复结果作出评价"), True
    text = f"评价：{rating}" + ("，待承办单位处理" if rated.rating == "dissatisfied" else "")
    return Step("feedback", "评价", IN_PROGRESS, concluded.on_date, text), False


def build(
    registered: Registered, steps: list[StatusStep], deadlines: list[StatusDeadline], *,
    settings: IntakeSettings, today: date, unit_name: Callable[[str], str],
    feedback: list[StatusFeedback] | None = None,
) -> Timeline:
    """The timeline of a registered petition from its read-model rows (today: Beijing).

    `unit_name` words a unit code (the handling unit, once a routing event names one); `feedback`
    the 评价 given so far (one per round).
    """
    by_step = {s.step: s for s in steps}
    triage, routed = by_step.get(TRIAGE), by_step.get(ROUTED)
    reply_rule = _REPLY_RULE.get(registered.line)
    reply = next((d for d in deadlines if d.rule_code == reply_rule), None)
    results = [d for d in deadlines if d.rule_code in _RESULT_RULES]
    handling = unit_name(routed.unit_code) if routed is not None and routed.unit_code else None

    if triage is None:
        triage_step = Step("triage", "分流", NOT_STARTED, None, "尚未进行")
    elif triage.state == DONE:
        triage_step = Step("triage", "分流", DONE_STATE, triage.on_date, "已分流")
    else:
        triage_step = Step("triage", "分流", IN_PROGRESS, triage.on_date, "待分流")
    if routed is not None and routed.state == DONE and (routed.note or handling):
        routed_step = Step("routed", "承办单位", DONE_STATE, routed.on_date, routed.note or f"承办单位：{handling}")
    else:
        routed_step = Step("routed", "承办单位", NOT_STARTED, None, "尚未进行")
    concluded = by_step.get(CONCLUDED)
    round_ = max((s.round or 1 for s in steps), default=1)
    rated = next((f for f in feedback or () if f.round == round_), None)
    result_step, result = _result_step(concluded, results, today,
                                       [d for d in deadlines if d.rule_code in _REOPEN_RULES])
    reply_step = _reply_step(registered.line, by_step.get(REPLIED), reply, today)
    feedback_step, feedback_open = _feedback_step(concluded, by_step.get(CLOSED), rated)
    ordered = (
        Step("received", "受理", DONE_STATE, registered.received_on, f"{registered.receiving_unit}已收到并登记"),
        triage_step, routed_step, reply_step, result_step, feedback_step,
    )
    shown = tuple(
        PublicDeadline(name, d.start_on, d.due_on, d.provisional, timing(d, today), d.closed_on)
        for d in deadlines if (name := deadline_name(d.rule_code, settings)) is not None
    )
    return Timeline(
        kind="petition", case_number=registered.case_number, line=registered.line, line_name=registered.line_name,
        category=registered.category, party=registered.party, received_on=registered.received_on,
        receiving_unit=registered.receiving_unit, handling_unit=handling, status=_status(ordered, round_),
        steps=ordered, deadlines=shown, commitments=registered.commitments, result=result,
        round=round_, feedback_open=feedback_open, feedback_rating=rated.rating if rated is not None else None,
    )


def _status(steps: tuple[Step, ...], round_: int) -> str:
    """The one line the answer leads with: the furthest step reached."""
    by_code = {s.code: s for s in steps}
    if by_code["feedback"].state == DONE_STATE:
        return "已办结"
    result = by_code.get("result")
    if result is not None and result.state == DONE_STATE:
        return "已答复办理结果"
    if result is not None and result.state == IN_PROGRESS and round_ > 1:
        return "重新办理中"
    if by_code["reply"].state == DONE_STATE or by_code["routed"].state == DONE_STATE:
        return "办理中"
    if by_code["triage"].state == IN_PROGRESS:
        return "已受理，待分流"
    if by_code["triage"].state == DONE_STATE:
        return "已分流，办理中"
    return "已登记，待受理分流"
