"""`create_service_app`: the Flask application every service builds on.

It owns what is the same everywhere: config, the database session per request, trace ids,
JSON errors, `/healthz`, `/readyz` and `/openapi.json`, the page machinery (shared/web/pages).
A service adds its API and page blueprints.
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
from shared.web.errors import register_error_handlers
from shared.web.pages import install_pages

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
    # No /static route: the portal's stylesheet and script are review's /assets/ (shared/web/pages/assets.py).
    app = Flask(service, static_folder=None)
    app.config.from_mapping(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.from_prefixed_env(service.upper())
    if config:
        app.config.update(config)

    engine = make_engine(settings.database_url)
    app.extensions["huhang"] = ServiceContext(settings, engine, make_session_factory(engine))

    api = Api(app)
    for blp in blueprints:
        api.register_blueprint(blp)
    # Every service keeps its own audit log and serves it to auditors (shared/audit/).
    from shared.audit.views import blp as audit_blp
    from shared.keyring import check_configured

    check_configured(("audit",))  # production: no audit key, no start
    api.register_blueprint(audit_blp)
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
    @public
    def healthz() -> Response:
        """Liveness: the process answers."""
        return jsonify(status="ok", service=service)

    @app.get("/readyz")
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
        return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503

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
