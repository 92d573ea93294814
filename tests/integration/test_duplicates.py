"""重复件 over the real PostgreSQL (the rule, the split, the outbox) and over the real broker (review)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.duplicates import service as duplicates
from services.intake.duplicates.models import DuplicateLink
from services.intake.petitions import service as petitions
from services.intake.petitions.models import Petition
from services.intake.petitions.schemas import PETITION_EXAMPLE
from shared.actor import Actor
from shared.audit import AuditEntry
from shared.events.envelope import decode
from shared.outbox.models import OutboxMessage
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, wait_for

CLERK = Actor("clerk-ks", "NY-JCY-KS")
OTHER_ID = "11010519491231002X"
START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone(timedelta(hours=8)))
FREEZE = {"claim": "请求依法解除宛城区公安分局对我公司在中国银行南阳分行基本账户的冻结，该账户冻结已超过一年。"}
FREEZE_AGAIN = {"claim": "我公司在中行南阳分行的基本账户被宛城区公安分局冻结一年多至今未解除，再次请求解除冻结。"}
FREEZE_THIRD = {"claim": "再次反映：中行南阳分行基本账户被宛城区公安分局冻结一年多至今未解除，请求解除冻结。"}
PENALTY = {"claim": "市场监管局以虚假宣传为由对我公司罚款二十万元，广告内容均有依据，请求撤销处罚。"}


def _petition(days: int, text: dict[str, str], *, id_number: str | None = None, enterprise: bool = True) -> dict[str, Any]:
    body = copy.deepcopy(PETITION_EXAMPLE) | text
    body["received_at"] = START + timedelta(days=days)
    if id_number is not None:
        body["petitioner"]["id_number"] = id_number
    if not enterprise:
        body["enterprise"] = None
    body.pop("facts", None)
    return body


Register = Callable[..., str]


@pytest.fixture
def intake(pg_session_for: Callable[[str], tuple[str, sessionmaker[Session]]]) -> sessionmaker[Session]:
    _url, sessions = pg_session_for("intake")
    return sessions


@pytest.fixture
def register(intake: sessionmaker[Session]) -> Register:
    def make(days: int, text: dict[str, str], *, actor: Actor = CLERK, **kw: Any) -> str:
        with intake() as session, session.begin():
            return petitions.register(session, petition_in=_petition(days, text, **kw), actor=actor).petition.id
    return make


def _events(session: Session, type_: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.event_type == type_).order_by(OutboxMessage.id))
    return [decode(row.payload).data for row in rows]


def test_same_person_within_90_days_is_linked_and_says_so_in_its_event(intake: sessionmaker[Session], register: Register) -> None:
    first = register(0, FREEZE, enterprise=False)
    second = register(90, FREEZE_AGAIN, enterprise=False)
    with intake() as session:
        link = duplicates.active_link(session, second)
        assert link is not None and link.original_petition_id == first and link.basis == "same_person"
        assert link.unit_code == "NY-JCY-KS" and link.score >= 0.55
        assert duplicates.original_of(session, second) == first and duplicates.original_of(session, first) is None
        received = {e["petition_id"]: e for e in _events(session, "petition.received")}
        first_number = session.get(Petition, first).case_number  # type: ignore[union-attr]
        assert received[second]["duplicate_of"] == first
        assert received[second]["duplicate_of_case_number"] == first_number
        assert received[first]["duplicate_of"] is None
        (audit,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.duplicate_link"))
        assert audit.subject_id == second and audit.actor == "clerk-ks" and audit.after["original_petition_id"] == first


def test_day_91_is_not_linked(intake: sessionmaker[Session], register: Register) -> None:
    register(0, FREEZE, enterprise=False)
    late = register(91, FREEZE_AGAIN, enterprise=False)
    with intake() as session:
        assert duplicates.original_of(session, late) is None


def test_same_enterprise_on_another_matter_is_not_linked(intake: sessionmaker[Session], register: Register) -> None:
    register(0, FREEZE)
    other = register(5, PENALTY, id_number=OTHER_ID)
    same = register(6, FREEZE_AGAIN, id_number=OTHER_ID)  # another person of the same enterprise, same matter
    with intake() as session:
        assert duplicates.original_of(session, other) is None
        link = duplicates.active_link(session, same)
        assert link is not None and link.basis == "same_enterprise"


def test_another_unit_is_another_track(intake: sessionmaker[Session], register: Register) -> None:
    register(0, FREEZE)
    elsewhere = register(3, FREEZE_AGAIN, actor=Actor("clerk-wc", "NY-JCY-WC"))
    with intake() as session:
        assert duplicates.original_of(session, elsewhere) is None


def test_a_chain_links_to_its_root(intake: sessionmaker[Session], register: Register) -> None:
    root = register(0, FREEZE)
    second = register(60, FREEZE_AGAIN)
    third = register(120, FREEZE_THIRD)  # 120 days after the root, 60 after the second: matches the second
    with intake() as session:
        assert duplicates.original_of(session, second) == root
        link = duplicates.active_link(session, third)
        assert link is not None and link.original_petition_id == root
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.duplicate_link",
                                                          AuditEntry.subject_id == third)).one()
        assert audit.detail["matched_petition_id"] == second
        assert [x.petition_id for x in duplicates.duplicates_of(session, petition_id=root, principal=None).linked] == [second, third]


def test_split_is_audited_queues_its_event_and_cannot_be_repeated(intake: sessionmaker[Session], register: Register) -> None:
    original = register(0, FREEZE)
    later = register(10, FREEZE_AGAIN)
    actor = Actor("triage-ks", "NY-JCY-KS", "127.0.0.1", "trace-split")
    with intake() as session, session.begin():
        duplicates.split(session, petition_id=later, reason="诉求是另一账户，不是同一事项", actor=actor)
    with intake() as session:
        assert duplicates.original_of(session, later) is None
        assert session.get(Petition, later).possible_duplicate_of is None  # type: ignore[union-attr]
        (link,) = session.scalars(select(DuplicateLink).where(DuplicateLink.petition_id == later))
        assert link.split_by == "triage-ks" and link.split_reason == "诉求是另一账户，不是同一事项"
        (audit,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.duplicate_split"))
        assert audit.before["split_at"] is None and audit.after["split_at"] is not None
        assert audit.trace_id == "trace-split" and audit.actor_unit == "NY-JCY-KS"
        (event,) = _events(session, "petition.duplicate_split")
        assert event["petition_id"] == later and event["original_petition_id"] == original
        assert "duplicate_of" not in event or event["duplicate_of"] is None
    with intake() as session, session.begin(), pytest.raises(duplicates.NotLinked):
        duplicates.split(session, petition_id=later, reason="again", actor=actor)
    # Split, it is a root of its own: the next petition on its matter links to it.
    next_one = register(12, FREEZE_AGAIN)
    with intake() as session:
        assert duplicates.original_of(session, next_one) == later  # its text is the later one's exactly


def test_a_linked_petition_opens_no_second_triage_item_and_a_split_opens_it(stack: Stack, test_keys: AuthKeys) -> None:
    clerk = test_keys.headers("intake_clerk")
    triage = test_keys.headers("triage_officer")
    intake = stack.start_api("intake")
    review = stack.start_api("review")
    for service in ("intake", "review"):
        stack.start_workers(service)

    def post(text: dict[str, str]) -> dict[str, Any]:
        body = copy.deepcopy(PETITION_EXAMPLE) | text
        created = requests.post(f"{intake}/api/v1/petitions", json=body, headers=clerk, timeout=10)
        assert created.status_code == 201, created.text
        return dict(created.json())

    def items(petition_id: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{review}/api/v1/triage", params={"petition_id": petition_id}, headers=triage, timeout=5)
        return list(answer.json())

    first = post(FREEZE)
    second = post(FREEZE_AGAIN)
    assert second["duplicate_of"]["petition_id"] == first["id"]
    assert second["duplicate_of"]["case_number"] == first["case_number"]
    third = post(PENALTY)  # the same person and enterprise on another matter: a track of its own
    assert third["duplicate_of"] is None
    wait_for(lambda: items(third["id"]) or None, what="triage item of the unrelated petition")

    def case_page() -> str:
        page = requests.get(f"{review}/cases/{first['id']}", headers=triage, timeout=5)
        return page.text if page.status_code == 200 else ""

    # Review handled the 重复件's petition.received: filed under the first case's item, no item of its own.
    wait_for(lambda: second["case_number"] in case_page() or None, what="重复件 on the original's case page")
    assert "重复件（1 件）" in case_page()
    assert len(items(first["id"])) == 1
    assert items(second["id"]) == []

    shown = requests.get(f"{intake}/api/v1/petitions/{first['id']}/duplicates", headers=triage, timeout=5).json()
    assert [x["petition_id"] for x in shown["linked"]] == [second["id"]]
    split = requests.post(f"{intake}/api/v1/petitions/{second['id']}/duplicate-split",
                          json={"reason": "另一账户的冻结，不是同一事项"}, headers=triage, timeout=10)
    assert split.status_code == 200, split.text
    assert split.json()["duplicate_of"] is None and split.json()["history"][0]["split_by"]
    opened = wait_for(lambda: items(second["id"]) or None, what="triage item of the split petition")
    assert opened[0]["case_number"] == second["case_number"] and opened[0]["status"] == "pending"
    again = requests.post(f"{intake}/api/v1/petitions/{second['id']}/duplicate-split",
                          json={"reason": "again"}, headers=triage, timeout=10)
    assert again.status_code == 409 and again.json()["code"] == "petition_not_linked"
    assert second["case_number"] not in case_page()
