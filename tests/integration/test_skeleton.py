"""The walking skeleton over a real broker and PostgreSQL, every service a real process."""

from __future__ import annotations

import uuid

import requests

from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, wait_for


def test_petition_reaches_triage_and_the_staff_inbox(stack: Stack, test_keys: AuthKeys) -> None:
    clerk = test_keys.headers("intake_clerk")  # 市院控告申诉检察部, where 12309 petitions are received
    triage = test_keys.headers("triage_officer")  # the same unit
    intake = stack.start_api("intake")
    review = stack.start_api("review")
    notify = stack.start_api("notify")
    for service in ("intake", "review", "notify"):
        stack.start_workers(service)

    key = str(uuid.uuid4())
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers={"Idempotency-Key": key, **clerk}, timeout=10)
    assert created.status_code == 201, created.text
    petition = created.json()
    trace_id = created.headers["X-Trace-Id"]

    # The retry with the same key answers the same and creates nothing new.
    again = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers={"Idempotency-Key": key, **clerk}, timeout=10)
    # The same petition; its 查询码 was shown by the first answer only (it is kept as a hash).
    assert again.status_code == 201 and again.json() == {**petition, "query_code": None}

    items = wait_for(
        lambda: requests.get(f"{review}/api/v1/triage", params={"petition_id": petition["id"]}, headers=triage, timeout=5).json(),
        what="triage item",
    )
    assert len(items) == 1
    assert items[0]["case_number"] == petition["case_number"] and items[0]["status"] == "pending"
    assert items[0]["is_enterprise"] is True

    deliveries = wait_for(
        lambda: requests.get(f"{notify}/api/v1/deliveries", params={"subject": petition["id"]}, headers=triage, timeout=5).json(),
        what="delivery",
    )
    assert len(deliveries) == 1
    assert deliveries[0]["channel"] == "staff_inbox"
    assert petition["case_number"] in deliveries[0]["title"]

    # The trace id of the HTTP request is carried through the events into the workers' logs.
    wait_for(lambda: trace_id in (stack.log_dir / "notify-workers.log").read_text() or None, what="trace id in notify logs")
    # Nothing more arrives: one petition, one triage item, one delivery.
    assert len(requests.get(f"{review}/api/v1/triage", headers=triage, timeout=5).json()) == 1

    for url in (intake, review, notify):
        ready = requests.get(f"{url}/readyz", timeout=5)
        assert ready.status_code == 200, ready.text
