"""Who is calling, and what they may see: principals, signed tokens, access declarations, unit scoping.

Review (审查) issues short-lived EdDSA tokens; every service verifies them locally (review with its
own key, intake and notify with review's JWKS document, cached).  Every view declares who may
call it (`@requires(...)`, `@authenticated`, `@public`); `create_service_app` refuses to build an
app with an undeclared view.  Queries are narrowed with `scope(...)` in the service layer, so a
record of another unit is never read, not merely hidden by the view.
"""

from shared.auth.access import authenticated, public, public_or_signed_in, requires
from shared.auth.principal import ROLES, Principal, current_principal, require_principal
from shared.auth.scoping import can_see, scope

__all__ = [
    "ROLES",
    "Principal",
    "authenticated",
    "can_see",
    "current_principal",
    "public",
    "public_or_signed_in",
    "require_principal",
    "requires",
    "scope",
]
