"""分流 over the real stack: a petition posted to intake reaches triage with its 县区, is classified and 交办 through the API, and the events arrive on the review topic."""

from __future__ import annotations

import uuid

import requests

from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.config import KafkaSettings
from shared.events import decode
from tests.support.auth import AuthKeys
from tests.support.kafka import read_topic
from tests.support.stack import Stack, wait_for


def test_a_petition_is_classified_and_assigned_and_the_events_arrive(stack: Stack, test_keys: AuthKeys,
                                                                    kafka_settings: KafkaSettings) -> None:
    clerk, officer = test_keys.headers("intake_clerk"), test_keys.headers("triage_officer")
    intake, review = stack.start_api("intake"), stack.start_api("review")
    for service in ("intake", "review"):
        stack.start_workers(service)
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE,
                            headers={"Idempotency-Key": str(uuid.uuid4()), **clerk}, timeout=10)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    detail = wait_for(lambda: (lambda r: r.json() if r.status_code == 200 else None)(
        requests.get(f"{review}/api/v1/triage/items/{pid}", headers=officer, timeout=5)), what="the triage item")
    # The example enterprise's credit code 91411302… is registered in 宛城区: the rule suggests 宛城区院.
    assert detail["item"]["enterprise_division"] == "411302"
    assert detail["suggestion"]["unit_code"] == "NY-JCY-WC"
    classified = requests.post(f"{review}/api/v1/triage/items/{pid}/classify", headers=officer, timeout=10,
                               json={"is_enterprise": True, "enterprise_reason": "企业账户被冻结，涉及企业经营"})
    assert classified.status_code == 200, classified.text
    routed = requests.post(f"{review}/api/v1/triage/items/{pid}/route", headers=officer, timeout=10,
                           json={"route": "assigned", "to_unit_code": "NY-JCY-WC", "days": 15})
    assert routed.status_code == 200 and routed.json()["status"] == "routed", routed.text
    topic = kafka_settings.events_topic("review")
    wanted = {"triage.classified", "triage.routed"}

    def arrived() -> dict[str, dict[str, object]] | None:
        found = {}
        for record in read_topic(kafka_settings, topic, at_least=1, timeout=5):
            event = decode(record.value)
            if event.subject == pid and event.type in wanted:
                found[event.type] = dict(event.data)
        return found if set(found) == wanted else None

    events = wait_for(arrived, timeout=60, what="the triage events on the review topic")
    assert events["triage.classified"]["enterprise_reason"] == "企业账户被冻结，涉及企业经营"
    assert (events["triage.routed"]["route"], events["triage.routed"]["to_unit_code"],
            events["triage.routed"]["status"]) == ("assigned", "NY-JCY-WC", "routed")
    assert events["triage.routed"]["due_on"] is not None
