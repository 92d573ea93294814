"""HTTP API of the unit tree (reference data: any signed-in user may read it)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.review.identity.units import service
from services.review.identity.units.models import Unit
from services.review.identity.units.schemas import UnitRead
from shared.auth import authenticated
from shared.context import db_session

blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="单位 Units")


@blp.route("")
class Units(MethodView):
    @authenticated
    @blp.response(200, UnitRead(many=True))
    def get(self) -> list[Unit]:
        """Every unit, parents before children."""
        return service.list_(db_session())
