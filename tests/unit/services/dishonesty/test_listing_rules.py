"""失信 rules through the API (SQLite, time frozen): art. 1 grounds and terms, the 执行案号, each art. 10
ground, the removal clock across 国庆 2026 and 春节 2026 (调休 Saturdays), the expiry job and the
six-month block.

The holiday data is the repository's (shared/calendar/data): 国庆 2026 is 10-01..10-07 off, 10-08 a
working day, Saturday 10-10 a 调休 working day; 春节 2026 is 02-15..02-23 off, Saturdays 02-14 and
02-28 调休 working days.
"""

from __future__ import annotations

from datetime import date, timezone

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.review.dishonesty.grounds import LISTING_GROUNDS, REMOVAL_GROUNDS
from services.review.dishonesty.jobs import ListingExpiries
from services.review.dishonesty.models import Listing
from shared.audit.models import AuditEntry
from shared.outbox.models import OutboxMessage
from tests.support.dishonesty import API, ID_NUMBER, Courts, at, body, register, step


def _events(app: Flask, prefix: str = "dishonesty.") -> list[str]:
    with app.extensions["huhang"].session_factory() as s:
        return [m.event_type for m in s.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                if m.event_type.startswith(prefix)]


@pytest.mark.parametrize("ground", sorted(LISTING_GROUNDS))
def test_each_art1_ground_has_its_term(client: FlaskClient, courts: Courts, ground: int) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        listing = register(client, courts.clerk, ground=ground)
    assert listing["ground"] == ground and listing["status"] == "listed"
    if ground == 1:  # until performance
        assert (listing["term_years"], listing["expires_on"]) == (None, None)
    else:
        assert (listing["term_years"], listing["expires_on"]) == (2, "2028-03-02")
    assert listing["consumption_order"]["issued_on"] == "2026-03-02" and listing["consumption_order"]["lifted_on"] is None


def test_an_extension_adds_one_to_three_years_with_its_reason(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        listing = register(client, courts.clerk, ground=2, extension_years=3, extension_reason="以暴力方法妨碍执行，情节严重")
        assert listing["expires_on"] == "2031-03-02" and listing["extension_years"] == 3
        no_reason = client.post(API, json=body(ground=2, extension_years=1, case_number="（2026）豫13执7号"),
                                headers=courts.clerk)
        assert no_reason.status_code == 422 and no_reason.get_json()["problems"][0]["code"] == \
            "dishonesty.extension_reason_required"
        item_1 = client.post(API, json=body(ground=1, extension_years=1, extension_reason="多次违反",
                                            case_number="（2026）豫13执8号"), headers=courts.clerk)
        assert item_1.status_code == 422 and item_1.get_json()["code"] == "dishonesty.term_invalid"
        four = client.post(API, json=body(ground=2, extension_years=4, extension_reason="x"), headers=courts.clerk)
        assert four.status_code == 422


@pytest.mark.parametrize(("number", "code"), [
    ("（2026）豫13民初1号", "dishonesty.not_enforcement_case"),
    ("豫13执123号", None),  # no year: the 案号 rules' own problem
])
def test_the_case_number_must_be_an_enforcement_case(client: FlaskClient, courts: Courts, number: str,
                                                      code: str | None) -> None:
    answer = client.post(API, json=body(case_number=number), headers=courts.clerk)
    assert answer.status_code == 422
    problem = answer.get_json()["problems"][0]
    assert problem["field"] == "case_number"
    if code:
        assert problem["code"] == code


def test_a_person_is_stored_encrypted_and_shown_masked(review_app: Flask, client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        listing = register(client, courts.clerk, debtor_kind="person", debtor_name="张三丰", credit_code=None,
                           id_number=ID_NUMBER)
    assert listing["debtor_name"] != "张三丰" and listing["debtor_name"].startswith("张")
    assert ID_NUMBER not in str(listing) and listing["debtor_number_masked"].startswith("4113")
    with review_app.extensions["huhang"].session_factory() as s:
        row = s.get(Listing, listing["id"])
        assert row is not None and ID_NUMBER not in row.debtor_number_enc and "张三丰" not in (row.debtor_name_enc or "")
    missing = client.post(API, json=body(debtor_kind="person", credit_code=None), headers=courts.clerk)
    assert missing.status_code == 422 and missing.get_json()["problems"][0]["field"] == "id_number"


@pytest.mark.parametrize("ground", sorted(REMOVAL_GROUNDS))
def test_each_art10_ground_starts_the_clock_and_the_removal_lifts_the_order(
    review_app: Flask, client: FlaskClient, courts: Courts, ground: str,
) -> None:
    with time_machine.travel(at(date(2026, 9, 30)), tick=False):
        listing = register(client, courts.clerk, ground=3, listed_on="2026-03-02")
        payload = {"ground": ground, "evidence": "证据材料", **({"network_searches": 2} if ground == "no_assets" else {})}
        pending = step(client, courts.clerk, f"{listing['id']}/removal-ground", payload)
        assert pending["status"] == "removal_pending" and pending["removal_ground"] == ground
        (clock,) = pending["clocks"]
        # 3 working days from Wednesday 09-30: 10-08, 10-09 and the 调休 Saturday 10-10.
        assert (clock["rule_code"], clock["start_on"], clock["due_on"]) == ("dishonesty.deletion", "2026-09-30", "2026-10-10")
    with time_machine.travel(at(date(2026, 10, 9)), tick=False):
        removed = step(client, courts.judge, f"{listing['id']}/removal", {})
    assert removed["status"] == "removed" and removed["removed_on"] == "2026-10-09"
    assert removed["consumption_order"]["lifted_on"] == "2026-10-09"
    assert removed["clocks"][0]["status"] == "met" and removed["clocks"][0]["met_on_time"] is True
    blocked = removed["relisting_blocked_until"]
    assert (blocked is not None) == (ground == "creditor_request")
    assert _events(review_app) == ["dishonesty.listed", "dishonesty.removal_ground_recorded", "dishonesty.removed"]


def test_a_no_assets_removal_needs_two_network_searches(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 9, 30)), tick=False):
        listing = register(client, courts.clerk)
        once = client.post(f"{API}/{listing['id']}/removal-ground", headers=courts.clerk,
                           json={"ground": "no_assets", "evidence": "查控一次", "network_searches": 1})
        assert once.status_code == 422 and once.get_json()["code"] == "dishonesty.searches_required"
        again = client.get(f"{API}/{listing['id']}", headers=courts.clerk).get_json()
        assert again["status"] == "listed" and again["clocks"] == []  # nothing half-written


def test_the_removal_clock_across_spring_festival(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 2, 13)), tick=False):  # Friday before 春节
        listing = register(client, courts.clerk, listed_on="2026-01-05")
        pending = step(client, courts.clerk, f"{listing['id']}/removal-ground",
                       {"ground": "settlement_performed", "evidence": "和解协议履行凭证"})
    # 02-14 (调休 Saturday), then 02-24 and 02-25 after the 02-15..02-23 holiday.
    assert pending["clocks"][0]["due_on"] == "2026-02-25"
    with time_machine.travel(at(date(2026, 2, 26)), tick=False):
        late = step(client, courts.judge, f"{listing['id']}/removal", {})
    assert late["clocks"][0]["status"] == "missed"


def test_a_removal_needs_a_recorded_ground(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        listing = register(client, courts.clerk)
        early = client.post(f"{API}/{listing['id']}/removal", json={}, headers=courts.judge)
    assert early.status_code == 409 and early.get_json()["code"] == "dishonesty.wrong_status"


def _expiry_job(app: Flask, day: date) -> int:
    return ListingExpiries().run_once(app.extensions["huhang"].session_factory,
                                      now=at(day).astimezone(timezone.utc))


def test_a_fixed_term_is_removed_by_the_daily_job_within_three_working_days(
    review_app: Flask, client: FlaskClient, courts: Courts,
) -> None:
    with time_machine.travel(at(date(2024, 10, 8)), tick=False):
        on_time = register(client, courts.clerk, ground=4, listed_on="2024-09-30",
                           case_number="（2024）豫13执5号")  # expires 2026-09-30
        register(client, courts.clerk, ground=5, listed_on="2024-10-01", case_number="（2024）豫13执9号")
        forever = register(client, courts.clerk, ground=1, listed_on="2024-01-02", case_number="（2024）豫13执1号")
    assert on_time["expires_on"] == "2026-09-30"
    assert _expiry_job(review_app, date(2026, 9, 30)) == 0  # the last day of the term: still listed
    assert _expiry_job(review_app, date(2026, 10, 2)) == 2  # a holiday: the job runs every day
    got = client.get(f"{API}/{on_time['id']}", headers=courts.clerk).get_json()
    assert got["status"] == "removed" and got["removed_on"] == "2026-10-02" and got["removal_ground"] == "expiry"
    assert got["consumption_order"]["lifted_on"] == "2026-10-02"
    (clock,) = got["clocks"]
    assert (clock["start_on"], clock["due_on"], clock["status"]) == ("2026-09-30", "2026-10-10", "met")
    assert client.get(f"{API}/{forever['id']}", headers=courts.clerk).get_json()["status"] == "listed"
    assert _expiry_job(review_app, date(2026, 10, 3)) == 0  # idempotent


def test_a_job_that_runs_too_late_records_the_missed_deadline(review_app: Flask, client: FlaskClient,
                                                              courts: Courts) -> None:
    with time_machine.travel(at(date(2024, 10, 8)), tick=False):
        listing = register(client, courts.clerk, ground=4, listed_on="2024-09-30", case_number="（2024）豫13执5号")
    assert _expiry_job(review_app, date(2026, 10, 12)) == 1  # due 10-10 (调休 Saturday); Monday is too late
    got = client.get(f"{API}/{listing['id']}", headers=courts.clerk).get_json()
    assert got["clocks"][0]["status"] == "missed" and got["removed_on"] == "2026-10-12"


def test_six_month_block_after_a_creditor_requested_deletion(review_app: Flask, client: FlaskClient,
                                                             courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 4, 1)), tick=False):
        listing = register(client, courts.clerk, listed_on="2026-03-02")
        step(client, courts.clerk, f"{listing['id']}/removal-ground",
             {"ground": "creditor_request", "evidence": "申请执行人书面申请删除"})
        removed = step(client, courts.judge, f"{listing['id']}/removal", {})
    # Six months from 04-01 is 10-01, a holiday: the period ends on the next working day, 10-08.
    assert removed["relisting_blocked_until"] == "2026-10-08"
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        refused = client.post(API, json=body(listed_on="2026-10-08"), headers=courts.clerk)
        assert refused.status_code == 409
        assert refused.get_json()["code"] == "dishonesty.relisting_blocked"
        assert "2026年10月8日" in refused.get_json()["message"]["zh"]
        # 依职权 (not at the creditor's request) is not what the article forbids.
        ex_officio = client.post(API, json=body(listed_on="2026-10-08", on_application=False), headers=courts.clerk)
        assert ex_officio.status_code == 201
    with review_app.extensions["huhang"].session_factory() as s:
        denied = s.scalars(select(AuditEntry).where(AuditEntry.action == "dishonesty.register",
                                                    AuditEntry.outcome == "failure")).all()
        assert len(denied) == 1 and denied[0].detail["reason"] == "relisting_blocked"


def test_the_block_ends_the_day_after(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 4, 1)), tick=False):
        listing = register(client, courts.clerk, listed_on="2026-03-02")
        step(client, courts.clerk, f"{listing['id']}/removal-ground", {"ground": "creditor_request", "evidence": "申请"})
        step(client, courts.judge, f"{listing['id']}/removal", {})
    with time_machine.travel(at(date(2026, 10, 9)), tick=False):
        again = client.post(API, json=body(listed_on="2026-10-09"), headers=courts.clerk)
    assert again.status_code == 201, again.get_json()


def test_one_open_listing_per_debtor_and_case(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        register(client, courts.clerk)
        twice = client.post(API, json=body(), headers=courts.clerk)
    assert twice.status_code == 409 and twice.get_json()["code"] == "dishonesty.already_listed"


def test_every_step_is_audited(review_app: Flask, client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 9, 30)), tick=False):
        listing = register(client, courts.clerk)
        step(client, courts.clerk, f"{listing['id']}/removal-ground", {"ground": "performed", "evidence": "确认书"})
        step(client, courts.judge, f"{listing['id']}/removal", {})
    with review_app.extensions["huhang"].session_factory() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.subject_id == listing["id"])
                                               .order_by(AuditEntry.id))]
    assert actions == ["dishonesty.register", "dishonesty.record_ground", "dishonesty.remove"]


def test_a_future_date_is_refused(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 2)), tick=False):
        answer = client.post(API, json=body(listed_on="2026-03-03"), headers=courts.clerk)
    assert answer.status_code == 422 and answer.get_json()["code"] == "dishonesty.future_date"

