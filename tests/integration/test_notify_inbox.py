"""The staff inbox's read marks on PostgreSQL: ON CONFLICT DO NOTHING keeps concurrent marks apart."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from services.notify.inbox import service
from services.notify.inbox.models import InboxRead
from shared.actor import Actor
from shared.audit.models import AuditEntry
from tests.support.auth import AuthKeys
from tests.unit.services.notify.factories import add_delivery

pytestmark = pytest.mark.integration


def test_two_requests_marking_one_notice_at_once_mark_it_once(pg_session_for, test_keys: AuthKeys) -> None:  # type: ignore[no-untyped-def]
    _, sessions = pg_session_for("notify")
    with sessions() as s, s.begin():
        delivery_id = add_delivery(s).id
        for _ in range(5):
            add_delivery(s)
    me = Actor.of(test_keys.principal("triage_officer"))
    start = threading.Barrier(4)
    results: list[object] = []

    def mark(all_of_them: bool) -> None:
        start.wait()
        with sessions() as s, s.begin():
            if all_of_them:
                results.append(service.mark_all_read(s, actor=me))
            else:
                results.append(service.mark_read(s, delivery_id=delivery_id, actor=me))

    threads = [threading.Thread(target=mark, args=(i % 2 == 0,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 4  # none failed on the primary key
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(InboxRead)) == 6
        assert service.unread_count(s, actor=me) == 0
        marked = sum(r for r in results if isinstance(r, int) and not isinstance(r, bool))
        singles = sum(1 for r in results if r is True)
        assert marked + singles == 6  # every mark counted once, whoever made it
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.in_(
            ("inbox.read", "inbox.read_all"))))
        assert audited == sum(1 for r in results if r is True or (not isinstance(r, bool) and r))
