"""Audit log (审计日志): append-only, hash-chained, in every service's database.

`record(session, action=..., ...)` appends a sealed row in the caller's transaction; in a Flask
view `record_request(session, action=...)` fills actor, unit, client address and trace id from
the request.  The sequencer (`sequencer.py`, a loop of `huhang workers`) links committed rows into
the chain; `huhang audit verify` links what it can and recomputes the chain and the tail;
`huhang audit purge` removes rows past the retention period (≥ 183 days) and leaves a checkpoint.
See docs/audit.md and docs/adr/0008-audit-chain-sequencer.md.
"""

from shared.audit.chain import GENESIS, Problem, Report
from shared.audit.models import DENIED, FAILURE, SUCCESS, AuditEntry
from shared.actor import Actor
from shared.audit.service import MIN_RETENTION_DAYS, AuditError, list_, purge, record, scrub, verify_chain
from shared.audit.web import record_request
from shared.context import request_actor

__all__ = [
    "DENIED",
    "FAILURE",
    "GENESIS",
    "MIN_RETENTION_DAYS",
    "SUCCESS",
    "Actor",
    "AuditEntry",
    "AuditError",
    "Problem",
    "Report",
    "list_",
    "purge",
    "record",
    "record_request",
    "request_actor",
    "scrub",
    "verify_chain",
]
