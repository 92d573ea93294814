"""HTTP API of the delivery log."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from services.notify.deliveries import service
from services.notify.deliveries.models import Delivery
from services.notify.deliveries.schemas import DeliveryListArgs, DeliveryRead
from shared.auth import require_principal, requires
from shared.auth.principal import CASE_ROLES
from shared.context import db_session

blp = Blueprint("deliveries", __name__, url_prefix="/api/v1/deliveries", description="送达记录 Deliveries")


@blp.route("")
class Deliveries(MethodView):
    @requires(*CASE_ROLES)
    @blp.arguments(DeliveryListArgs, location="query")
    @blp.response(200, DeliveryRead(many=True))
    def get(self, args: dict[str, Any]) -> list[Delivery]:
        """Deliveries, newest first; `subject` is the petition id."""
        return service.list_(db_session(), **args, principal=require_principal())
