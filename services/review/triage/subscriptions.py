"""What triage follows: every change of a petition's 期限 refreshes its item's ``next_due_on``."""

from __future__ import annotations

from services.review.deadlines import observers
from services.review.triage import due

observers.subscribe(due.refresh)
