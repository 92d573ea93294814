"""The domains of notify (通知): one line each (see shared/manifest.py for what a part is)."""

from __future__ import annotations

from shared.manifest import Domain, ServiceManifest
from shared.routing import platform_routes


def _templates_complete() -> None:
    """Every routed event type has its templates, and each renders its catalogue example."""
    from services.notify.deliveries.handlers import ROUTES
    from services.notify.deliveries.rendering import check_templates

    check_templates(ROUTES)


MANIFEST = ServiceManifest(
    service="notify",
    package=__package__ or "services.notify",
    title="huhang notify 通知",
    port=8103,
    routes=(
        "/api/v1/deliveries",
        "/deliveries",  # staff pages of the delivery log
        "/inbox",  # the staff inbox
        *platform_routes("notify"),
    ),
    consumes=("review",),
    domains=(
        Domain("deliveries", "services.notify.deliveries", "models", "views", "handlers", "workers", "migrations"),
    ),
    startup_checks=(_templates_complete,),
)
