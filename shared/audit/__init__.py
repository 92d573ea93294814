"""Audit log (审计日志): append-only, hash-chained, in every service's database.

`record(session, action=..., ...)` appends a row in the caller's transaction; in a Flask view
`record_request(session, action=...)` fills actor, unit, client address and trace id from the
request.  `huhang audit verify` recomputes the chain; `huhang audit purge` removes rows past the
retention period (≥ 183 days) and leaves a checkpoint.  See docs/audit.md.
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
