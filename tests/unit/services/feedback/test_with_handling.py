"""考评反馈 with the real 答复 of the handling step: reply, 不满意, reopen, reply again, 满意.

The other feedback tests write items in ``replied`` directly (from before the handling step
landed); this one goes through handling's ``reply`` so the two steps are checked together: the
final reply stamps the round (feedback/rounds.py), the reopened round's result clock is the one
handling's next final reply meets, and round 2's 满意 closes the matter.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from services.review.deadlines.models import Deadline
from services.review.feedback import service as feedback
from services.review.feedback.models import HandlingRound
from services.review.handling import service as handling
from shared.actor import Actor
from shared.storage.local import LocalFolderStore
from tests.support.auth import AuthKeys
from tests.unit.services.feedback.conftest import make_item


def _final(text: str, on: date) -> handling.ReplyIn:
    return handling.ReplyIn(kind="final", text=text, delivery="post", replied_on=on, legal_basis="《信访工作条例》",
                            outcome="not_supported")


def test_reply_dissatisfied_reopen_reply_satisfied(review_app: Flask, test_keys: AuthKeys, tmp_path: Path) -> None:
    store = LocalFolderStore(tmp_path / "blobs")
    handler = Actor.of(test_keys.principal("case_handler", "NY-JCY-WC"))
    leader = Actor.of(test_keys.principal("unit_leader", "NY-JCY-WC"))
    with review_app.extensions["huhang"].session_factory() as s, s.begin():
        item = make_item(s, status="handling", received_on=date(2026, 11, 2))
        handling.reply(s, petition_id=item.petition_id, reply_in=_final("经审查，答复如下。", date(2026, 11, 20)),
                       actor=handler, blobs=store, today=date(2026, 12, 3))
        assert item.status == "replied"
        first = s.scalars(select(HandlingRound).where(HandlingRound.petition_id == item.petition_id)).all()
        assert [(r.round, r.replied_at is not None) for r in first] == [(1, True)]

        feedback.record(s, petition_id=item.petition_id, rating="dissatisfied", reasons="没有回应诉求",
                        method="phone", actor=handler)
        second = feedback.reopen(s, petition_id=item.petition_id, reason="重新核查", actor=leader, on=date(2026, 12, 1))
        assert (item.status, item.round) == ("handling", 2)
        handling.reply(s, petition_id=item.petition_id, reply_in=_final("重新核查后答复。", date(2026, 12, 2)),
                       actor=handler, blobs=store, today=date(2026, 12, 3))
        s.refresh(second)
        clock = s.get(Deadline, second.deadline_id)
        assert item.status == "replied" and second.replied_at is not None
        assert clock is not None and (clock.status, clock.met_on_time) == ("met", True)

        feedback.record(s, petition_id=item.petition_id, rating="satisfied", reasons=None, method="phone",
                        actor=handler)
        assert item.status == "closed"
