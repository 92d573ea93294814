"""What 考评反馈 follows: any flush that puts a 事项 into ``replied`` stamps its round (rounds.py)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from services.review.feedback.rounds import note_replies

if not event.contains(Session, "before_flush", note_replies):
    event.listen(Session, "before_flush", note_replies)
