"""How pages show time (shared/web/pages/filters.py): Beijing time with 星期, the kind of day, and due dates in words."""

from __future__ import annotations

import datetime as _dt

import pytest
from flask import Flask, render_template_string

from shared.calendar import DayKind, day_info
from shared.web.pages.filters import due_badge, local_date, local_datetime, urgency
from tests.unit.portal.conftest import soup

UTC = _dt.timezone.utc
FRIDAY = _dt.date(2026, 11, 27)


def test_an_instant_is_shown_in_beijing_time_with_its_weekday() -> None:
    # 16:30 UTC on 30 September is half past midnight on 国庆 in Beijing: the day and the weekday move.
    assert local_datetime(_dt.datetime(2026, 9, 30, 16, 30, tzinfo=UTC)) == "2026年10月1日 星期四 00:30"
    assert local_datetime(_dt.datetime(2026, 9, 30, 15, 59, 30, tzinfo=UTC), seconds=True) == \
        "2026年9月30日 星期三 23:59:30"
    tokyo = _dt.timezone(_dt.timedelta(hours=9))
    assert local_datetime(_dt.datetime(2026, 10, 1, 1, 30, tzinfo=tokyo)) == "2026年10月1日 星期四 00:30"
    assert local_datetime(_dt.datetime(2026, 9, 30, 16, 30)) == "2026年10月1日 星期四 00:30"  # naive: UTC
    assert local_datetime(None) == "—"
    assert local_datetime(_dt.datetime(2026, 11, 29, 16, 0, tzinfo=UTC)) == "2026年11月30日 星期一 00:00"


def _note(day: _dt.date) -> str | None:
    badge = soup(str(local_date(day, kind=True))).find("span", class_="day-kind")
    return None if badge is None else str(badge.get_text())


def test_a_date_is_marked_with_its_kind_of_day() -> None:
    html = soup(str(local_date(_dt.date(2026, 10, 1), kind=True)))
    assert html.find("time")["datetime"] == "2026-10-01"
    assert html.find("time").get_text() == "2026年10月1日 星期四"
    assert _note(_dt.date(2026, 10, 1)) == "法定节假日（国庆节）"
    assert _note(_dt.date(2026, 10, 7)) == "法定节假日（国庆节）"
    assert _note(_dt.date(2026, 10, 8)) is None  # back to work
    assert _note(_dt.date(2026, 11, 28)) == "休息日"  # an ordinary Saturday
    assert _note(FRIDAY) is None
    assert str(local_date(FRIDAY)) == '<time datetime="2026-11-27">2026年11月27日 星期五</time>'  # no kind asked


def test_the_makeup_workdays_of_2026_are_marked_as_such() -> None:
    """调休上班: the weekend days the 2026 arrangement made working days (per shared.calendar)."""
    year = [_dt.date(2026, 1, 1) + _dt.timedelta(days=n) for n in range(365)]
    makeup = [d for d in year if day_info(d).kind is DayKind.MAKEUP_WORKDAY]
    assert _dt.date(2026, 10, 10) in makeup and _dt.date(2026, 2, 14) in makeup and _dt.date(2026, 2, 28) in makeup
    assert all(d.weekday() >= 5 for d in makeup)
    for day in makeup:
        assert _note(day) == f"调休上班（{day_info(day).name}）", day
    assert _note(_dt.date(2026, 10, 10)) == "调休上班（国庆节）"
    assert "星期六" in str(local_date(_dt.date(2026, 10, 10), kind=True))
    assert _note(_dt.date(2026, 2, 14)) == "调休上班（春节）"
    assert _note(_dt.date(2026, 2, 17)) == "法定节假日（春节）"  # 除夕 is 2026-02-16; the 17th is 初一


def test_a_year_not_yet_arranged_says_so() -> None:
    assert _note(_dt.date(2031, 10, 1)).endswith("，待国务院安排确认")


def test_a_datetime_given_as_a_date_is_its_beijing_day() -> None:
    assert soup(str(local_date(_dt.datetime(2026, 9, 30, 16, 30, tzinfo=UTC)))).find("time")["datetime"] == \
        "2026-10-01"
    assert str(local_date(None)) == "—"


def _words(badge) -> str:  # type: ignore[no-untyped-def]
    """The urgency in words: the badge that is not the kind of day."""
    (words,) = [b for b in badge.find_all("span", class_="badge", recursive=False) if "day-kind" not in b["class"]]
    return str(words.get_text())


@pytest.mark.parametrize(("due_on", "level", "words"), [
    (_dt.date(2026, 11, 24), "overdue", "超期 3 天"),
    (_dt.date(2026, 11, 26), "overdue", "超期 1 天"),
    (FRIDAY, "today", "今日到期"),
    (_dt.date(2026, 11, 28), "soon", "剩 1 天"),
    (_dt.date(2026, 11, 30), "soon", "剩 3 天"),
    (_dt.date(2026, 12, 1), "later", "剩 4 天"),
    (_dt.date(2027, 2, 26), "later", "剩 91 天"),
])
def test_a_due_date_says_its_urgency_in_words(due_on: _dt.date, level: str, words: str) -> None:
    assert urgency(due_on, today=FRIDAY) == level
    badge = soup(str(due_badge(due_on, today=FRIDAY))).find("span")
    assert badge["class"] == ["due", f"due--{level}"]
    assert _words(badge) == words
    assert badge.find("time")["datetime"] == due_on.isoformat()


def test_a_paused_clock_has_no_date() -> None:
    assert urgency(None, today=FRIDAY) == "none"
    badge = soup(str(due_badge(None, today=FRIDAY))).find("span")
    assert badge["class"] == ["due", "due--none"] and badge.get_text() == "计时暂停"


def test_a_due_date_on_a_holiday_shows_the_holiday(review_app: Flask) -> None:
    badge = soup(str(due_badge(_dt.date(2026, 10, 1), today=_dt.date(2026, 9, 29))))
    assert badge.find("span", class_="day-kind").get_text() == "法定节假日（国庆节）"
    assert _words(badge.find("span", class_="due--soon")) == "剩 2 天"
    with review_app.test_request_context("/"):
        out = render_template_string("{{ d | date(kind=True) }} {{ t | datetime }} {{ d | due(today=w) }}",
                                     d=_dt.date(2026, 10, 10), w=_dt.date(2026, 10, 9),
                                     t=_dt.datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
    page = soup(out)
    assert "调休上班（国庆节）" in page.get_text() and "2026年10月1日 星期四 00:30" in page.get_text()
    assert page.find("span", class_="due--soon") is not None and "剩 1 天" in page.get_text()
