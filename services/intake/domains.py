"""The domains of intake (受理): one line each (see shared/manifest.py for what a part is)."""

from __future__ import annotations

from functools import partial

from shared.keyring import check_configured
from shared.manifest import Domain, NavItem, ServiceManifest

MANIFEST = ServiceManifest(
    service="intake",
    package=__package__ or "services.intake",
    title="huhang intake 受理",
    port=8101,
    domains=(
        Domain("petitions", "services.intake.petitions", "models", "views", "pages", "migrations"),
        Domain("public", "services.intake.public", "models", "pages", "migrations"),
    ),
    # The registering roles (services/intake/petitions/service.py REGISTER_ROLES).
    nav=(NavItem("登记来信来访", "/petitions/new", roles=("intake_clerk", "court_clerk", "judge"), order=20),),
    # production: petitioners' numbers need explicit keys
    startup_checks=(partial(check_configured, ("pii", "pii_index")),),
)
