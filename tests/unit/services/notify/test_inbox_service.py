"""The staff inbox's service: who a notice reaches, read marks per person, idempotence, audit, paging."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.notify.deliveries.cursor import Cursor
from services.notify.inbox import service
from services.notify.inbox.addresses import personal_address
from services.notify.inbox.models import InboxRead
from services.notify.inbox.service import NoticeNotFound
from shared.actor import Actor
from shared.audit.models import AuditEntry
from tests.support.auth import AuthKeys
from tests.unit.services.notify.factories import DEADLINE_INBOX, add_delivery

ActorOf = Callable[..., Actor]


@pytest.fixture
def actor(test_keys: AuthKeys) -> ActorOf:
    def make(role: str, unit: str | None = None, *, username: str | None = None) -> Actor:
        return Actor.of(test_keys.principal(role, unit, username=username), client_addr="10.0.0.9", trace_id="t" * 16)

    return make


def titles(session: Session, actor: Actor, **kw: object) -> list[str]:
    return [n.delivery.title for n in service.page(session, actor=actor, **kw).notices]  # type: ignore[arg-type]


def audit_rows(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_group_notice_reaches_the_group_in_the_units_each_member_sees(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    with notify_db() as s, s.begin():
        add_delivery(s, title="控申 分流")  # triage officers of NY-JCY-KS
        add_delivery(s, title="宛城 分流", unit_code="NY-JCY-WC")
        add_delivery(s, title="中院 分流", unit_code="NY-FY-SF")
        add_delivery(s, title="控申 督办", recipient=DEADLINE_INBOX)
        add_delivery(s, title="宛城 督办", recipient=DEADLINE_INBOX, unit_code="NY-JCY-WC")
    with notify_db() as s:
        assert titles(s, actor("triage_officer")) == ["控申 分流"]
        assert titles(s, actor("triage_officer", "NY-JCY")) == ["宛城 分流", "控申 分流"]  # and the units below
        assert titles(s, actor("unit_leader")) == ["宛城 督办", "控申 督办"]
        assert titles(s, actor("unit_leader", "NY-JCY-WC")) == ["宛城 督办"]
        assert titles(s, actor("task_force")) == ["宛城 督办", "控申 督办"]  # every unit, its group only
        for nobody in ("intake_clerk", "case_handler", "judge", "auditor", "admin"):
            assert titles(s, actor(nobody)) == [], nobody


def test_a_personal_notice_reaches_that_person_only(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    with notify_db() as s, s.begin():
        add_delivery(s, title="给张三", recipient=personal_address("zhang"), unit_code="NY-FY-SF")
    with notify_db() as s:
        assert titles(s, actor("case_handler", username="zhang")) == ["给张三"]  # wherever it is filed
        assert titles(s, actor("case_handler", username="li")) == []
        assert titles(s, actor("task_force")) == []


def test_only_sent_staff_inbox_deliveries_are_in_the_inbox(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    with notify_db() as s, s.begin():
        add_delivery(s, title="已送达")
        add_delivery(s, title="待发送", status="pending")
        add_delivery(s, title="失败", status="failed")
        add_delivery(s, title="短信", channel="sms")
    with notify_db() as s:
        assert titles(s, actor("triage_officer")) == ["已送达"]


def test_mark_read_is_per_person_idempotent_and_audited_once(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    with notify_db() as s, s.begin():
        delivery_id = add_delivery(s).id
    wang, zhao = actor("triage_officer", username="wang"), actor("triage_officer", username="zhao")
    with notify_db() as s, s.begin():
        assert service.mark_read(s, delivery_id=delivery_id, actor=wang) is True
    with notify_db() as s:
        first = s.get(InboxRead, ("wang", delivery_id))
        assert first is not None
    with notify_db() as s, s.begin():
        assert service.mark_read(s, delivery_id=delivery_id, actor=wang) is False
    with notify_db() as s:
        again = s.get(InboxRead, ("wang", delivery_id))
        assert again is not None and again.read_at == first.read_at
        assert service.unread_count(s, actor=wang) == 0
        assert service.unread_count(s, actor=zhao) == 1  # the group's other member has not read it
        [row] = audit_rows(s, "inbox.read")
        assert (row.actor, row.actor_unit, row.subject_type, row.subject_id) == ("wang", "NY-JCY-KS", "delivery", delivery_id)
        assert (row.client_addr, row.trace_id, row.after["read"]) == ("10.0.0.9", "t" * 16, True)


@pytest.mark.parametrize("overrides", [{"unit_code": "NY-FY-SF"}, {"recipient": DEADLINE_INBOX}, {"status": "pending"}])
def test_a_notice_not_in_my_inbox_cannot_be_marked(notify_db: sessionmaker[Session], actor: ActorOf,
                                                    overrides: dict[str, str]) -> None:
    with notify_db() as s, s.begin():
        delivery_id = add_delivery(s, **overrides).id
    with notify_db() as s, s.begin():
        with pytest.raises(NoticeNotFound):
            service.mark_read(s, delivery_id=delivery_id, actor=actor("triage_officer"))
        with pytest.raises(NoticeNotFound):
            service.mark_read(s, delivery_id="no-such-id", actor=actor("triage_officer"))
    with notify_db() as s:
        assert s.scalars(select(InboxRead)).all() == []


def test_a_system_actor_has_no_inbox(notify_db: sessionmaker[Session]) -> None:
    with notify_db() as s:
        with pytest.raises(NoticeNotFound):
            service.page(s, actor=Actor.system())


def test_mark_all_read_stops_at_the_newest_notice_shown(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    me = actor("triage_officer")
    with notify_db() as s, s.begin():
        add_delivery(s, title="一")
        add_delivery(s, title="二")
        add_delivery(s, title="其他单位", unit_code="NY-FY-SF")
    with notify_db() as s:
        shown = service.newest(s, actor=me)
    with notify_db() as s, s.begin():
        add_delivery(s, title="三")  # arrived after the page was drawn
    with notify_db() as s, s.begin():
        assert service.mark_all_read(s, actor=me, through=shown) == 2
    with notify_db() as s:
        assert [(n.delivery.title, n.unread) for n in service.page(s, actor=me).notices] == [
            ("三", True), ("二", False), ("一", False)]
        [row] = audit_rows(s, "inbox.read_all")
        assert (row.actor, row.subject_id, row.after["marked"]) == ("t-triage_officer", "t-triage_officer", 2)
    with notify_db() as s, s.begin():
        assert service.mark_all_read(s, actor=me) == 1  # no limit: the rest
    with notify_db() as s, s.begin():
        assert service.mark_all_read(s, actor=me) == 0
    with notify_db() as s:
        assert len(audit_rows(s, "inbox.read_all")) == 2  # nothing changed, nothing audited
        assert service.unread_count(s, actor=me) == 0


def test_paging_by_key_shows_every_notice_once_newest_first(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    me = actor("triage_officer")
    with notify_db() as s, s.begin():
        made = [add_delivery(s, title=f"n{i:02d}").title for i in range(7)]
    seen: list[str] = []
    after: Cursor | None = None
    with notify_db() as s:
        while True:
            found = service.page(s, actor=me, after=after, limit=3)
            seen += [n.delivery.title for n in found.notices]
            if found.next is None:
                break
            after = Cursor.decode(found.next.encode())  # through the URL and back
    assert seen == list(reversed(made))


def test_the_panel_counts_unread_and_shows_the_newest_five(notify_db: sessionmaker[Session], actor: ActorOf) -> None:
    me = actor("triage_officer")
    with notify_db() as s, s.begin():
        ids = [add_delivery(s, title=f"n{i}").id for i in range(8)]
    with notify_db() as s, s.begin():
        service.mark_read(s, delivery_id=ids[-1], actor=me)
    with notify_db() as s:
        count, notices = service.panel(s, actor=me)
    assert count == 7
    assert [n.delivery.title for n in notices] == ["n6", "n5", "n4", "n3", "n2"]
