"""The staff portal's navigation: every service's links (from its manifest), filtered by role."""

from __future__ import annotations

from functools import lru_cache

from shared.auth.principal import Principal
from shared.manifest import NavItem


@lru_cache(maxsize=1)
def _all_items() -> tuple[NavItem, ...]:
    from shared import registry

    items = [item for manifest in registry.manifests() for item in manifest.nav]
    return tuple(sorted(items, key=lambda i: (i.order, i.href)))


def nav_for(principal: Principal | None) -> list[NavItem]:
    """The links this principal may follow (nobody signed in: none)."""
    if principal is None:
        return []
    return [i for i in _all_items() if i.roles is None or principal.has_role(*i.roles)]
