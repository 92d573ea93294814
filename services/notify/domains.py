"""The domains of notify (通知): one line each (see shared/manifest.py for what a part is)."""

from __future__ import annotations

from functools import partial

from shared.auth.principal import CASE_ROLES
from shared.keyring import check_configured
from shared.manifest import Domain, NavItem, ServiceManifest
from shared.routing import platform_routes


def _templates_complete() -> None:
    """Every routed event type has its templates, and each renders its catalogue example."""
    from services.notify.deliveries.handlers import ROUTES
    from services.notify.deliveries.rendering import check_templates

    check_templates(ROUTES)


def _routing_complete() -> None:
    """Every event type of the catalogue has a row in the routing table, or an explicit "no notice"."""
    from services.notify.channels.registry import FACTORIES
    from services.notify.deliveries.handlers import HANDLERS
    from services.notify.routing import check_routing

    check_routing(handled=HANDLERS, channel_modules=FACTORIES)


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
    # review's triage and deadline notices; intake's 涉企 court-case steps (its petitions are
    # announced by review's triage.item_created, so notify ignores petition.received).
    consumes=("review", "intake"),
    domains=(
        Domain("deliveries", "services.notify.deliveries", "models", "views", "pages", "handlers", "workers",
               "migrations"),
        # The staff inbox as each person reads it: read marks over the staff-inbox deliveries.
        Domain("inbox", "services.notify.inbox", "models", "pages", "migrations"),
    ),
    # Who may open each: the inbox is everyone's; the delivery log follows GET /api/v1/deliveries.
    nav=(
        NavItem("通知", "/inbox", order=60),
        NavItem("送达记录", "/deliveries", roles=CASE_ROLES, order=70),
    ),
    # The routing table first: the template check renders what it routes.  The keys: a public
    # notice's contact is decrypted (masked for the log, sent by email) with the pii key.
    startup_checks=(_routing_complete, _templates_complete, partial(check_configured, ("pii",))),
)
