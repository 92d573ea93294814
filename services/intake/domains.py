"""The domains of intake (受理): one line each (see shared/manifest.py for what a part is)."""

from __future__ import annotations

from functools import partial

from services.intake.config import install_blob_store
from shared.keyring import check_configured
from shared.manifest import Domain, NavItem, ServiceManifest
from shared.routing import platform_routes

MANIFEST = ServiceManifest(
    service="intake",
    package=__package__ or "services.intake",
    title="huhang intake 受理",
    port=8101,
    routes=(
        "/api/v1/petitions",
        "/api/v1/attachments",  # 信访材料: the upload (its own body limit, shared/routing.py) and downloads
        "/api/v1/court-cases",  # 涉企 court cases: flag, 立案绿色通道, 诉讼费 缓减免
        "/api/v1/enterprises",  # staff: the in-person enterprise check that issues its access code
        "/api/v1/public/",  # the public queries (case number + query code; credit code + access code)
        "/petitions/",  # staff pages of petitions
        "/court-cases",  # staff pages of flagged court cases (the API is /api/v1/court-cases, above)
        "/attachments/",  # staff pages of 信访材料: the upload form (the upload body limit) and downloads
        "/public/",  # public pages: enterprises and petitioners
        *platform_routes("intake"),
    ),
    domains=(
        Domain("petitions", "services.intake.petitions", "models", "views", "pages", "migrations"),
        Domain("public", "services.intake.public", "models", "pages", "migrations"),
        Domain("credentials", "services.intake.credentials", "models", "migrations"),
        Domain("attachments", "services.intake.attachments", "models", "views", "pages", "migrations"),
        Domain("duplicates", "services.intake.duplicates", "models", "views", "migrations"),
        Domain("court_cases", "services.intake.court_cases", "models", "views", "pages", "migrations"),
        Domain("numbering", "services.intake.numbering", "models", "migrations"),
        Domain("online", "services.intake.online", "views", "pages"),
        # The public timeline's read model, from review's events (triage, deadlines).
        Domain("status", "services.intake.status", "models", "views", "handlers", "migrations"),
        Domain("enterprises", "services.intake.enterprises", "models", "views", "pages", "migrations"),
    ),
    consumes=("review",),
    nav=(
        # The registering roles (services/intake/petitions/service.py REGISTER_ROLES).
        NavItem("登记来信来访", "/petitions/new", roles=("intake_clerk", "court_clerk", "judge"), order=20),
        # services/intake/enterprises/service.py VERIFY_ROLES
        NavItem("企业核验", "/petitions/enterprises/verify", roles=("intake_clerk", "court_clerk"), order=21),
        # Who flags court cases (services/intake/court_cases/service.py FLAG_ROLES).
        NavItem("涉企案件", "/court-cases", roles=("judge", "court_clerk"), order=25),
    ),
    # production: petitioners' numbers need explicit keys
    startup_checks=(partial(check_configured, ("pii", "pii_index")),),
    # The API keeps 信访材料 in a blob store (HUHANG_BLOB_STORE; production must name one).
    configure_app=install_blob_store,
)
