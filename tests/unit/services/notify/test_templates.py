"""Notice texts come from templates and are byte-identical to the f-strings they replaced."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.notify.deliveries.handlers import HANDLERS, ROUTES
from services.notify.deliveries.inputs import DeadlineNotice, TriageItemCreated
from services.notify.deliveries.rendering import (
    Route,
    TemplateCheckFailed,
    TemplateMissing,
    check_templates,
    render,
    render_notice,
    sample_payloads,
)
from shared.events import Envelope, new_event


# --- the texts as services/notify/deliveries/service.py wrote them before the templates (3c0acb9) ---

def _old_staff_notice(event: Envelope) -> tuple[str, str]:
    data = event.data
    flag = "【涉企】" if data.get("is_enterprise") else ""
    return (
        f"{flag}新信访件待分流 {data['case_number']}",
        f"{data['case_number']}（{data['line']}，{data['channel']}，{data['received_on']}收）：{data['summary']}",
    )


def _old_deadline_notice(event: Envelope) -> tuple[str, str]:
    data = event.data
    flag = "【已逾期】" if event.type == "deadline.overdue" else "【即将到期】"
    provisional = "（暂定：该年度放假安排未公布）" if data.get("provisional") else ""
    return (
        f"{flag}{data['title']} {data.get('case_number') or data['subject']}"[:200],
        f"{data['title']}：{data['start_on']}起算，{data['due_on']}届满{provisional}。",
    )


TRIAGE_CASES = [
    {"is_enterprise": True, "summary": "企业反映账户被冻结，请求依法解除"},
    {"is_enterprise": False, "summary": "多行\n摘要 & <b>不转义</b> {{ 不是模板 }}"},
    {"is_enterprise": False, "summary": "", "unit_code": None},
]


@pytest.mark.parametrize("extra", TRIAGE_CASES)
def test_triage_notice_is_byte_identical_to_the_old_text(extra: dict[str, Any]) -> None:
    event = new_event("triage.item_created", subject="pid-1", source="review", data={
        "triage_item_id": "t1", "petition_id": "pid-1", "case_number": "12309-2027-000001", "line": "12309",
        "channel": "网", "received_on": date(2027, 1, 4), "unit_code": "city-procuratorate", **extra,
    })
    rendered = render_notice(TriageItemCreated.from_envelope(event), "staff_inbox")
    assert (rendered.title, rendered.body) == _old_staff_notice(event)
    assert rendered.template == "triage.item_created"


DEADLINE_CASES = [
    {"provisional": True, "case_number": "12309-2027-000001"},
    {"provisional": False, "case_number": "12309-2027-000001"},
    {"provisional": False, "case_number": None},
    {"provisional": True, "case_number": "", "title": "很长的期限名称" * 40},  # cut at 200, as before
]


@pytest.mark.parametrize("event_type", ["deadline.due_soon", "deadline.overdue"])
@pytest.mark.parametrize("extra", DEADLINE_CASES)
def test_deadline_notice_is_byte_identical_to_the_old_text(event_type: str, extra: dict[str, Any]) -> None:
    data = {
        "deadline_id": "d1", "subject": "pid-1", "rule_code": "12309.result_reply",
        "title": "12309 群众信访 办理过程或结果答复（3个月内）", "start_on": date(2026, 11, 20),
        "due_on": date(2027, 2, 22), "warn_on": date(2027, 2, 18), **extra,
    }
    event = new_event(event_type, subject="pid-1", source="review", data=data)
    rendered = render_notice(DeadlineNotice.from_envelope(event), "staff_inbox")
    assert (rendered.title, rendered.body) == _old_deadline_notice(event)
    flag = "【已逾期】" if event_type == "deadline.overdue" else "【即将到期】"
    assert rendered.title.startswith(flag)
    assert ("暂定" in rendered.body) is extra["provisional"]


def test_routes_cover_exactly_the_handled_event_types() -> None:
    assert set(ROUTES) == set(HANDLERS)


def test_the_shipped_templates_pass_the_start_up_check() -> None:
    check_templates(ROUTES)


def test_sample_payloads_exercise_both_branches() -> None:
    samples = sample_payloads("triage.item_created")
    assert samples["full"]["is_enterprise"] is True and samples["minimal"]["is_enterprise"] is False
    assert samples["minimal"]["unit_code"] is None and isinstance(samples["full"]["received_on"], date)


def _copy_templates(tmp_path: Path) -> Path:
    from services.notify.deliveries.rendering import TEMPLATE_DIR

    tmp_path.mkdir(parents=True, exist_ok=True)
    for path in [*TEMPLATE_DIR.glob("*.txt"), *TEMPLATE_DIR.glob("*.html")]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_a_routed_event_without_its_template_fails_the_check(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "deadline.overdue.staff_inbox.txt").unlink()
    routes = {**ROUTES, "triage.item_created": Route(TriageItemCreated.from_envelope, channels=("staff_inbox", "sms"))}
    with pytest.raises(TemplateCheckFailed) as failed:
        check_templates(routes, directory=directory)
    assert len(failed.value.problems) == 2
    assert any("deadline.overdue.staff_inbox.txt" in p for p in failed.value.problems)
    assert any("triage.item_created.sms.txt" in p for p in failed.value.problems)


def test_a_misspelt_variable_fails_the_check(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "deadline.due_soon.staff_inbox.txt").write_text(
        "{% block title %}{{ titel }}{% endblock %}{% block body %}x{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateCheckFailed, match="titel"):
        check_templates(ROUTES, directory=directory)


def test_a_template_that_breaks_only_on_a_null_optional_field_fails_the_check(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "deadline.due_soon.staff_inbox.txt").write_text(
        "{% block title %}{{ warn_on.year }}{% endblock %}{% block body %}x{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateCheckFailed, match="minimal sample"):
        check_templates(ROUTES, directory=directory)


def test_a_template_without_its_blocks_is_missing(tmp_path: Path) -> None:
    (tmp_path / "x.y.staff_inbox.txt").write_text("just text\n", encoding="utf-8")
    with pytest.raises(TemplateMissing, match="title, body"):
        render("x.y", "staff_inbox", {}, directory=tmp_path)


def test_the_email_notice_needs_its_html_part_and_it_must_render(tmp_path: Path) -> None:
    # Two copies: Jinja caches what it loaded from a folder.
    broken, missing = _copy_templates(tmp_path / "broken"), _copy_templates(tmp_path / "missing")
    (broken / "public_notice.requested.email.html").write_text(
        "{% block body %}<p>{{ recipient_nam }}</p>{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateCheckFailed, match="recipient_nam"):
        check_templates(ROUTES, directory=broken)
    (missing / "public_notice.requested.email.html").unlink()
    with pytest.raises(TemplateCheckFailed, match="public_notice.requested.email.html"):
        check_templates(ROUTES, directory=missing)


def test_the_email_html_part_escapes_the_event_text() -> None:
    event = new_event("public_notice.requested", subject="s", source="review", data={
        **sample_payloads("public_notice.requested")["full"], "body": "<script>x</script> & 李*",
        "document_b64": None})
    rendered = render_notice(ROUTES["public_notice.requested"].parse(event), "email")
    assert rendered.html is not None and "&lt;script&gt;" in rendered.html and "<script>" not in rendered.html
    assert "<script>x</script> & 李*" in rendered.body  # the plain part is plain text, not escaped


def test_an_sms_notice_longer_than_two_segments_fails_the_check(tmp_path: Path) -> None:
    directory = _copy_templates(tmp_path)
    (directory / "public_notice.requested.sms.txt").write_text(
        "{% block title %}t{% endblock %}{% block body %}{{ body }}{% endblock %}\n", encoding="utf-8")
    with pytest.raises(TemplateCheckFailed, match="SMS segments"):
        check_templates(ROUTES, directory=directory)
