"""Pages of the triage queue (分流队列) and of one case (案件页).

The case page is review's view of a petition: its triage item, its 期限 with their history,
suspensions (中止) and extensions (延长), and a timeline; the petition itself (masked, with the
audited reveal) and its deliveries are rendered by intake and notify and included into the page
(`data-include`), so no service reads another's database.  Without JavaScript those parts are
links to the same pages.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Response, abort, request

from services.review.deadlines import queries as deadlines
from services.review.deadlines.models import Deadline, DeadlineEvent
from services.review.triage import case_panels, queue, service, states
from services.review.triage.access import ItemNotFound, get_item
from services.review.triage.models import TriageItem
from services.review.triage.schemas import QueueArgs
from shared.auth import Principal, require_principal, requires
from shared.calendar import beijing_today
from shared.context import db_session
from shared.events.intake import CHANNEL_NAMES, CHANNELS, LINE_NAMES
from shared.web.pages import page_blueprint, parse_form, render_page

blp = page_blueprint("triage", __name__)
READERS = ("triage_officer", "case_handler", "unit_leader", "task_force")
# The case page: also the court's people, whose 12368 contacts and 工单 it shows (work_orders panel).
CASE_READERS = (*READERS, "judge", "court_clerk")
PAGE_SIZE = 50
STATUS_TEXT = states.STATUS_TEXT
CHANNEL_TEXT = CHANNEL_NAMES
LINE_TEXT = LINE_NAMES
DEADLINE_STATUS_TEXT = {"open": "进行中", "met": "已办结", "missed": "已超期"}
# The stored units of a period (shared.calendar.Unit values) and the reasons of a 中止, as a page says them.
UNIT_TEXT = {"day": "日", "working_day": "个工作日", "month": "个月"}
SUSPENSION_REASON_TEXT = {
    "supplementary_investigation": "补充侦查", "appraisal": "鉴定", "awaiting_materials": "等待补充材料",
    "rule_excluded": "依规定不计入", "other": "其他",
}
EVENT_TEXT = {
    "set": "设定期限", "suspended": "中止计算", "resumed": "恢复计算", "extended": "延长期限",
    "recomputed": "重新计算（节假日安排变更）", "due_soon_emitted": "发出即将到期提醒",
    "overdue_emitted": "发出超期提醒", "met": "按期办结", "missed": "超期",
}


@blp.get("/triage")
@requires(*READERS)
def queue_page() -> Response:
    """分流队列: the petitions of the units the officer sees, the nearest due date first."""
    data, errors = parse_form(QueueArgs(), request.args)
    today = beijing_today()
    result = None
    if data is not None:
        try:
            result = queue.page(db_session(), principal=require_principal(), filters=queue.filters_from(data), today=today,
                                limit=PAGE_SIZE, after=data.get("after"))
        except queue.BadCursor:
            errors.add("after", "翻页参数无效，请回到第一页")
    kept = {k: v for k, v in errors.values.items() if k != "after"}
    next_url = f"/triage?{urlencode({**kept, 'after': result.next_cursor})}" if result and result.next_cursor else None
    first_url = "/triage" + (f"?{urlencode(kept)}" if kept else "") if errors.values.get("after") else None
    status_links = [(s, STATUS_TEXT[s], "/triage?" + urlencode({**{k: v for k, v in kept.items() if k != "status"}, "status": s}))
                    for s in queue.STATUSES]
    return render_page(
        "triage/queue.html", status=200 if result is not None else 422, page=result, errors=errors, values=kept,
        today=today, next_url=next_url, first_url=first_url, status_links=status_links,
        status_text=STATUS_TEXT, channel_text=CHANNEL_TEXT, line_text=LINE_TEXT,
        status_options=list(STATUS_TEXT.items()), line_options=list(LINE_TEXT.items()),
        channel_options=[(c, CHANNEL_TEXT.get(c, c)) for c in CHANNELS],
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: _dt.datetime
    title: str
    detail: str | None = None


def _timeline(item: TriageItem, details: list[dict[str, Any]]) -> list[TimelineEntry]:
    entries = [TimelineEntry(item.created_at, "进入分流队列", f"{LINE_TEXT.get(item.line, item.line)} · "
                             f"{CHANNEL_TEXT.get(item.channel, item.channel)}")]
    for detail in details:
        deadline: Deadline = detail["deadline"]
        for event in detail["history"]:
            event_: DeadlineEvent = event
            text = EVENT_TEXT.get(event_.kind, event_.kind)
            entries.append(TimelineEntry(event_.occurred_at, f"{deadline.title}：{text}",
                                         f"届满日 {event_.due_on.isoformat()}" if event_.due_on else None))
    return sorted(entries, key=lambda e: e.at)


def _item_or_404(principal: Principal, petition_id: str) -> TriageItem:
    """The petition's triage item if the principal's units see it; else the 404 page (existence not revealed)."""
    try:
        return get_item(db_session(), petition_id, principal=principal)
    except ItemNotFound:
        abort(404)


@blp.get("/cases/<string:petition_id>")
@requires(*CASE_READERS)
def case_page(petition_id: str) -> Response:
    """案件页: the petition's triage item, 期限 (history, 中止, 延长), timeline, and the included parts."""
    if len(petition_id) > 36:
        abort(404)
    principal = require_principal()
    item = _item_or_404(principal, petition_id)
    session = db_session()
    details = [deadlines.detail(session, d.id, principal=principal)
               for d in deadlines.list_(session, principal=principal, subject=petition_id, limit=100)]
    return render_page(
        "triage/case.html", item=item, deadlines=details, timeline=_timeline(item, details), today=beijing_today(),
        status_text=STATUS_TEXT, channel_text=CHANNEL_TEXT, line_text=LINE_TEXT,
        deadline_status_text=DEADLINE_STATUS_TEXT, event_text=EVENT_TEXT, unit_text=UNIT_TEXT,
        suspension_reason_text=SUSPENSION_REASON_TEXT,
        duplicates=service.duplicates_of(session, petition_id=item.petition_id),
        panels=case_panels.for_item(session, item, principal), principal=principal,
    )
