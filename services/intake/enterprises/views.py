"""HTTP API of the enterprise check: staff record it and receive the enterprise's access code, once."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake.credentials import codes
from services.intake.enterprises import service
from services.intake.enterprises.schemas import VERIFICATION_EXAMPLE, VerificationCreate, VerificationRead
from shared.auth import requires
from shared.context import db_session, request_actor
from shared.db.transaction import transaction

blp = Blueprint("enterprises", __name__, url_prefix="/api/v1/enterprises", description="企业核验 Enterprise checks")


def answer(verified: service.Verified) -> dict[str, Any]:
    """The API's and the page's view of a verification: masked, with the code in its display form."""
    row = verified.verification
    summary = service.masked(row)
    return {
        "verification_id": row.id, "credit_code": row.credit_code, "enterprise_name": row.enterprise_name,
        "representative": summary["representative"], "checks": summary["checks"], "verified_at": row.verified_at,
        "verified_by": row.verified_by, "reissued": verified.reissued,
        "access_code": codes.display(verified.access_code),
    }


@blp.route("/verifications")
class Verifications(MethodView):
    @requires(*service.VERIFY_ROLES)
    @blp.arguments(VerificationCreate, example=VERIFICATION_EXAMPLE)
    @blp.response(201, VerificationRead)
    def post(self, verification_in: dict[str, Any]) -> dict[str, Any]:
        """Record an in-person check of an enterprise's 营业执照 and 法定代表人; issues its access code (shown once)."""
        with transaction(db_session()) as session:
            verified = service.verify(session, verification_in=verification_in, actor=request_actor())
        return answer(verified)
