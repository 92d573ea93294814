"""The web layout every service shares: app factory, errors, health, tracing, OpenAPI."""

from shared.web.app import ServiceContext, create_service_app, get_context

__all__ = ["ServiceContext", "create_service_app", "get_context"]
