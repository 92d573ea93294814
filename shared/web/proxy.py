"""Believe the client address the front door passes on, and only from the front door.

Behind the door (`deploy/local/proxy.sh`, or the Ingress in Kubernetes) every request's peer is
the proxy, so `request.remote_addr` would name the proxy in every audit row.  The door appends
the real client to `X-Forwarded-For` and sets `X-Forwarded-Proto`; werkzeug's ProxyFix applies
them.  But anyone who reaches a service's port directly could send those headers too, so they are
applied only when the peer (`REMOTE_ADDR`) is one of `HUHANG_TRUSTED_PROXIES`
(`shared.config.trusted_proxies`, addresses or CIDRs); from any other peer they are removed
before the app sees them, and the peer's own address stands.

One hop is trusted: the door is the edge, so the client is the right-most `X-Forwarded-For`
entry (the one the door appended); entries to its left were sent by the client and are ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What a client may not tell a service about itself unless it comes through the door.
FORWARDED_ENVIRON_KEYS = (
    "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX", "HTTP_X_REAL_IP", "HTTP_FORWARDED",
)


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses and CIDRs (`127.0.0.1`, `10.0.0.0/8`, `::1`); a malformed entry is a ValueError."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"HUHANG_TRUSTED_PROXIES: not an address or network: {entry!r}") from None
    return tuple(networks)


class TrustedProxies:
    """WSGI middleware: the forwarded headers from a trusted peer are applied, from others dropped."""

    def __init__(self, app: WSGIApplication, trusted: Iterable[str]) -> None:
        self.app = app
        self.networks = parse_networks(trusted)
        self._through_door = ProxyFix(app, x_for=1, x_proto=1, x_host=0, x_port=0, x_prefix=0)

    def is_trusted(self, peer: str | None) -> bool:
        """Whether `peer` (a REMOTE_ADDR) is a front door; an unparsable peer never is."""
        if not peer:
            return False
        try:
            address = ipaddress.ip_address(peer.split("%", 1)[0])  # drop an IPv6 zone id
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address.version == n.version and address in n for n in self.networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self._through_door(environ, start_response)
        for key in FORWARDED_ENVIRON_KEYS:
            environ.pop(key, None)
        return self.app(environ, start_response)

