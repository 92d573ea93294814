"""The web layout every service shares: app factory, errors, health, tracing, OpenAPI."""

from shared.context import ServiceContext, get_context
from shared.web.app import create_service_app

__all__ = ["ServiceContext", "create_service_app", "get_context"]
