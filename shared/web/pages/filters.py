"""How the pages show time: Asia/Shanghai, with 星期, and what kind of day a date is.

A deadline's last day matters most when it falls next to a holiday, so a date can be shown with
its kind from the shared calendar: 法定节假日, 休息日, or 调休上班 (a weekend day made a working day).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from markupsafe import Markup, escape

from shared.calendar import BEIJING, DayKind, beijing_today, day_info

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_KIND_TEXT = {
    DayKind.HOLIDAY: "法定节假日",
    DayKind.WEEKEND: "休息日",
    DayKind.MAKEUP_WORKDAY: "调休上班",
}


def local_datetime(value: _dt.datetime | None, *, seconds: bool = False) -> str:
    """``2026年10月9日 星期五 14:30`` in Beijing time; an instant without zone is taken as UTC."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    local = value.astimezone(BEIJING)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{local.year}年{local.month}月{local.day}日 {WEEKDAYS[local.weekday()]} {clock}"


def day_kind(value: _dt.date) -> str | None:
    """法定节假日 / 休息日 / 调休上班 (with the holiday's name), or None for an ordinary working day."""
    info = day_info(value)
    text = _KIND_TEXT.get(info.kind)
    if text is None:
        return None
    if info.name and info.kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY):
        text = f"{text}（{info.name}）"
    if info.provisional:
        text += "，待国务院安排确认"
    return text


def local_date(value: _dt.date | _dt.datetime | None, *, kind: bool = False) -> Markup:
    """``2026年10月9日 星期五``; with ``kind``, a note when the day is a holiday, rest day or 调休上班."""
    if value is None:
        return Markup("—")
    if isinstance(value, _dt.datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)).astimezone(BEIJING).date()
    text = f"{value.year}年{value.month}月{value.day}日 {WEEKDAYS[value.weekday()]}"
    out = Markup('<time datetime="{}">{}</time>').format(value.isoformat(), text)
    note = day_kind(value) if kind else None
    if note:
        out += Markup(' <span class="badge day-kind">{}</span>').format(note)
    return out


def urgency(due_on: _dt.date | None, *, today: _dt.date | None = None) -> str:
    """The urgency class of a due date: overdue, today, soon (3 days or fewer), later, none."""
    if due_on is None:
        return "none"
    days = (due_on - (today or beijing_today())).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    return "soon" if days <= 3 else "later"


URGENCY_TEXT = {"overdue": "已超期", "today": "今日到期", "soon": "即将到期", "later": "未到期", "none": "计时暂停"}


def due_badge(due_on: _dt.date | None, *, today: _dt.date | None = None) -> Markup:
    """A due date coloured by urgency, with the urgency in words (colour is never the only signal)."""
    level = urgency(due_on, today=today)
    if due_on is None:
        return Markup('<span class="due due--none">{}</span>').format(URGENCY_TEXT["none"])
    days = (due_on - (today or beijing_today())).days
    words = f"超期 {-days} 天" if days < 0 else URGENCY_TEXT[level] if days == 0 else f"剩 {days} 天"
    return Markup('<span class="due due--{}">{} <span class="badge">{}</span></span>').format(
        level, local_date(due_on, kind=True), words)


def register(env: Any) -> None:
    env.filters["datetime"] = local_datetime
    env.filters["date"] = local_date
    env.filters["due"] = due_badge
    env.filters["urgency"] = urgency
    env.globals["escape"] = escape
