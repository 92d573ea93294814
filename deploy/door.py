"""What the front door promises, whichever proxy keeps the promise.

The local nginx (`deploy/local/nginx_conf.py`) and the Kubernetes Ingress (`deploy/k8s/ingress.yaml`,
checked by `tests/unit/test_k8s_manifests.py`) both set these response headers once, for every
answer, and answer these statuses themselves with the platform's JSON error body
(`shared.web.errors.status_body`).  Where a request goes is the route table's business
(`shared/routing.py`), and so is the largest body it may carry.

Not here, on purpose: `Content-Security-Policy`.  Each page sets its own (what a page may load
depends on the page), and a second policy from the proxy would only ever narrow it by accident.
"""

from __future__ import annotations

from collections.abc import Mapping

SECURITY_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    # No page of the platform is meant to be framed (clickjacking on sign-in and approvals).
    "X-Frame-Options": "DENY",
    # Paths name petitions and cases: another origin learns nothing from a link followed out.
    "Referrer-Policy": "same-origin",
    # Case work needs none of these browser powers; a page that ever does asks in an ADR.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()",
}

# Only over TLS: over plain HTTP the header is ignored by browsers, and the local door is plain
# HTTP on loopback.  A year, without includeSubDomains: the door does not own its sibling hosts.
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000")

# Statuses the door answers itself: a body too large, and a service that does not answer
# (refused: 502; none ready, e.g. a Kubernetes Service without endpoints: 503; too slow: 504).
DOOR_STATUSES: tuple[int, ...] = (413, 502, 503, 504)
