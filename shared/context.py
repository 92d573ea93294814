"""The running service and the current request, for code that is not the web app itself.

`shared/auth` (the token check), `shared/audit` (the auditor's API) and every domain's views need
the request's database session and the acting person; they take them from here, so none of them
imports `shared/web` (which imports them to build the app).
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, has_request_context, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared import logs
from shared.actor import Actor
from shared.config import Settings


@dataclass
class ServiceContext:
    """What a running service holds: its settings, engine and session factory."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    extras: dict[str, Any] = field(default_factory=dict)
    _broker_ok_until: float = 0.0

    def broker_reachable(self) -> bool:
        """A TCP connect to a bootstrap server, cached for 5 s so probes stay cheap."""
        now = time.monotonic()
        if now < self._broker_ok_until:
            return True
        for server in self.settings.kafka.bootstrap_servers.split(","):
            host, _, port = server.strip().rpartition(":")
            try:
                with socket.create_connection((host or "127.0.0.1", int(port)), timeout=1.0):
                    self._broker_ok_until = now + 5.0
                    return True
            except OSError:
                continue
        return False


def get_context() -> ServiceContext:
    ctx: ServiceContext = current_app.extensions["huhang"]
    return ctx


def db_session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = get_context().session_factory()
    session: Session = g.db_session
    return session


def request_actor() -> Actor:
    """Who acts in this request: the signed-in principal (`g.principal`), or `anonymous`."""
    if not has_request_context():
        return Actor.system(logs.current_trace_id())
    principal = g.get("principal")
    # remote_addr is the client the front door saw when the peer is a trusted proxy, else the
    # peer itself: shared/web/proxy.py has applied that rule before the request got here.
    if principal is None:
        return Actor("anonymous", None, request.remote_addr, logs.current_trace_id())
    return Actor.of(principal, client_addr=request.remote_addr, trace_id=logs.current_trace_id())
