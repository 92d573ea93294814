"""考评反馈 over the real broker and PostgreSQL: from the public 评价 POST to the 评价 recorded in review, and back.

Every service is a process.  A petition registered at intake becomes review's 事项 (Kafka); the
handling step is not there yet, so the test stands in for it as the contract says: it sets the
item ``replied`` in review's database and writes the 答复 step in intake's read model (what
``handling.replied`` will).  Then the petitioner rates the reply on the public API; intake's
outbox carries ``petition.feedback_submitted`` to review, which records it ``via: public``, and
review's ``feedback.recorded`` comes back to intake as the 评价 of record.
"""

from __future__ import annotations

from datetime import date

import requests
from sqlalchemy import select, update

from services.intake.status import service as read_model
from services.intake.status.models import CONCLUDED, DONE, StatusFeedback
from services.intake.petitions.schemas import PETITION_EXAMPLE
from services.review.feedback.models import Feedback
from services.review.triage.models import TriageItem
from shared.db.engine import make_engine, make_session_factory
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, wait_for


def _one(url: str, query):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            row = s.scalar(query)
            if row is not None:
                s.expunge(row)
            return row
    finally:
        engine.dispose()


def test_a_public_rating_is_recorded_in_review_through_kafka(stack: Stack, test_keys: AuthKeys) -> None:
    intake = stack.start_api("intake")
    for svc in ("intake", "review"):
        stack.start_workers(svc)
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE,
                            headers=test_keys.headers("intake_clerk"), timeout=10)
    assert created.status_code == 201, created.text
    petition = created.json()
    urls = stack.database_urls
    wait_for(lambda: _one(urls["review"], select(TriageItem).where(TriageItem.petition_id == petition["id"])),
             timeout=60, what="review's 事项 of the petition")

    # The handling step's part, by hand: the result reply given (review), and shown (intake).
    engine = make_engine(urls["review"])
    with make_session_factory(engine)() as s, s.begin():
        s.execute(update(TriageItem).where(TriageItem.petition_id == petition["id"])
                  .values(status="replied", handling_unit_code="NY-JCY-WC"))
    engine.dispose()
    engine = make_engine(urls["intake"])
    with make_session_factory(engine)() as s, s.begin():
        read_model.record_step(s, subject_id=petition["id"], case_number=petition["case_number"], step=CONCLUDED,
                               state=DONE, on=date.today(), event_id="00000000-0000-0000-0000-000000000001",
                               round_=1)
    engine.dispose()

    body = {"case_number": petition["case_number"], "query_code": petition["query_code"]}
    refused = requests.post(f"{intake}/api/v1/public/status-feedback", json={**body, "rating": "dissatisfied"},
                            timeout=10)
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "reasons"
    rated = requests.post(f"{intake}/api/v1/public/status-feedback", timeout=10,
                          json={**body, "rating": "dissatisfied", "reasons": "答复没有回应账户冻结的问题"})
    assert rated.status_code == 201, rated.text
    assert rated.json()["feedback_open"] is False

    recorded = wait_for(lambda: _one(urls["review"], select(Feedback).where(Feedback.petition_id == petition["id"])),
                        timeout=60, what="the 评价 recorded in review")
    assert (recorded.via, recorded.rating, recorded.round, recorded.reasons) == (
        "public", "dissatisfied", 1, "答复没有回应账户冻结的问题")
    assert recorded.unit_code == "NY-JCY-WC" and recorded.recorded_by == "public"
    item = _one(urls["review"], select(TriageItem).where(TriageItem.petition_id == petition["id"]))
    assert item.status == "replied"  # 不满意: the handling unit decides what follows

    # Review's feedback.recorded comes back: intake's row is now the 评价 of record.
    back = wait_for(lambda: _one(urls["intake"], select(StatusFeedback).where(
        StatusFeedback.subject_id == petition["id"], StatusFeedback.recorded.is_(True))),
        timeout=60, what="feedback.recorded in intake's read model")
    assert (back.rating, back.via, back.round) == ("dissatisfied", "public", 1)
    again = requests.post(f"{intake}/api/v1/public/status-feedback", json={**body, "rating": "satisfied"}, timeout=10)
    assert again.status_code == 409 and again.json()["code"] == "status_feedback.already_given"
