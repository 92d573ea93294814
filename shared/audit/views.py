"""HTTP API of the audit log: read-only, for the auditor role (审计员).

Every service keeps its own log and serves it at `/api/v1/audit/<service>`: the service's name
is in the path so that one front door can reach all three logs (shared/routing.py).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.audit import service
from shared.audit.models import AuditEntry
from shared.audit.schemas import AuditEntryRead, AuditListArgs
from shared.auth.access import requires
from shared.context import db_session
from shared.routing import audit_api_path


def audit_blueprint(service_name: str) -> Blueprint:
    """The audit API of one service, mounted under its own name."""
    blp = Blueprint(
        "audit", __name__, url_prefix=audit_api_path(service_name),
        description=f"审计日志 Audit log of {service_name} (read-only)",
    )

    @blp.route("")
    class AuditEntries(MethodView):
        @requires("auditor")
        @blp.arguments(AuditListArgs, location="query")
        @blp.response(200, AuditEntryRead(many=True))
        def get(self, args: dict[str, Any]) -> list[AuditEntry]:
            """Audit rows of this service, newest first; there is no API that changes or deletes them."""
            return service.list_(db_session(), **args)

    return blp
