"""`create_service_app`: the Flask application every service builds on.

It owns what is the same everywhere: config, the database session per request, trace ids,
JSON errors, the audit API and its page, health, readiness and the OpenAPI document, the page
machinery (shared/web/pages), and the trust rule for the client address the front door passes
on (`shared/web/proxy.py`).  A service adds its API and page blueprints.

Through the one front door three services share one origin, so what every service has carries
the service's name: `/api/v1/audit/<service>`, `/audit/<service>`, `/healthz/<service>`,
`/readyz/<service>`, `/openapi/<service>.json` (`shared.routing.platform_routes`).  `/healthz`,
`/readyz` and `/openapi.json` stay on each service's own port for Kubernetes probes.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api, Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from shared import logs
from shared.auth.access import public
from shared.auth.gate import install_auth
from shared.config import Settings
from shared.context import ServiceContext, db_session, get_context
from shared.db.engine import make_engine, make_session_factory
from shared.manifest import ServiceManifest
from shared.routing import MAX_BODY_BYTES, health_path, openapi_path, ready_path
from shared.web.errors import register_error_handlers
from shared.web.pages import install_pages
from shared.web.proxy import TrustedProxies

log = logging.getLogger(__name__)
_TRACE_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def create_service_app(
    service: str,
    *,
    title: str,
    blueprints: Iterable[Blueprint],
    pages: Iterable[FlaskBlueprint] = (),
    config: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
    signs_tokens: bool = False,
) -> Flask:
    """A service's app from its parts (`create_app_from` builds it from a manifest)."""
    settings = settings or Settings.for_service(service)
    # No /static route: it would be one more path three services claim through the door; the
    # portal's stylesheet and script are review's /assets/ (shared/web/pages/assets.py).
    app = Flask(service, static_folder=None)
    app.config.from_mapping(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,  # the door's limit too (shared/routing.py)
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.from_prefixed_env(service.upper())
    if config:
        app.config.update(config)

    engine = make_engine(settings.database_url)
    app.extensions["huhang"] = ServiceContext(settings, engine, make_session_factory(engine))

    app.wsgi_app = TrustedProxies(app.wsgi_app, settings.trusted_proxies)  # type: ignore[method-assign]

    api = Api(app)
    for blp in blueprints:
        api.register_blueprint(blp)
    # Every service keeps its own audit log and serves it to auditors (shared/audit/).
    from shared.audit.views import audit_blueprint
    from shared.keyring import check_configured

    check_configured(("audit",))  # production: no audit key, no start
    api.register_blueprint(audit_blueprint(service))
    # After Api(): flask-smorest registers its own HTTPException handler, which ours replaces.
    register_error_handlers(app)
    # The service's pages, and the page of its audit log (shared/web/pages, shared/audit/pages.py).
    from shared.audit.pages import audit_pages

    install_pages(app, service=service, blueprints=[*pages, audit_pages(service)])

    @app.before_request
    def _start_trace() -> None:
        g.started = time.perf_counter()
        incoming = request.headers.get("X-Trace-Id", "")
        g.trace_id = incoming if _TRACE_RE.match(incoming) else uuid.uuid4().hex
        g.trace_token = logs.set_trace_id(g.trace_id)

    @app.after_request
    def _echo_trace(response: Response) -> Response:
        response.headers["X-Trace-Id"] = g.get("trace_id", "")
        started = g.get("started")
        if started is not None:
            # The time the app spent on this request (benchmarks read it through the proxy).
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.teardown_request
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
        token = g.pop("trace_token", None)
        if token is not None:
            logs._trace_id.reset(token)

    @app.get("/healthz")
    @app.get(health_path(service))
    @public
    def healthz() -> Response:
        """Liveness: the process answers."""
        return jsonify(status="ok", service=service)

    @app.get("/readyz")
    @app.get(ready_path(service))
    @public
    def readyz() -> tuple[Response, int]:
        """Readiness: the database answers a query and the broker accepts a connection."""
        ctx = get_context()
        checks: dict[str, str] = {}
        try:
            with ctx.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            checks["database"] = f"unavailable: {type(exc).__name__}"
        checks["broker"] = "ok" if ctx.broker_reachable() else "unavailable"
        ready = all(v == "ok" for v in checks.values())
        return jsonify(status="ready" if ready else "not ready", service=service, checks=checks), 200 if ready else 503

    @app.get(openapi_path(service))
    @public
    def openapi_document() -> Response:
        """The OpenAPI document (the same as `/openapi.json`), under the service's name for the door."""
        return jsonify(api.spec.to_dict())

    # Last: every route exists now, so an undeclared view is refused here (shared/auth/access.py).
    gate = install_auth(app, signs_tokens=signs_tokens)
    gate.on_denied = _audit_denied
    return app


def create_app_from(
    manifest: ServiceManifest, config: Mapping[str, Any] | None = None, settings: Settings | None = None
) -> Flask:
    """The app of a service as its manifest describes it: every domain's API and pages, checked first."""
    manifest.check()
    manifest.run_startup_checks()
    app = create_service_app(
        manifest.service, title=manifest.title, blueprints=manifest.blueprints(),
        pages=manifest.page_blueprints(), config=config,
        settings=settings, signs_tokens=manifest.signs_tokens,
    )
    if manifest.configure_app is not None:
        manifest.configure_app(app)
    return app


def _audit_denied() -> None:
    """One `authz.denied` audit row per refused call (ASVS 16.3.2), committed on its own."""
    from shared.audit import record_request

    session = db_session()
    try:
        record_request(session, action="authz.denied", outcome="denied",
                       detail={"method": request.method, "path": request.path})
        session.commit()
    except SQLAlchemyError:
        # The 403 stands even when the audit write fails; the failure itself is logged.
        session.rollback()
        log.exception("could not write the authz.denied audit row")
