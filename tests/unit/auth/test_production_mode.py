"""Production mode: no default secret or key, no demo account; and no undeclared endpoint anywhere."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from services.review.identity.accounts import admin, signin
from services.review.identity.accounts.demo import DEMO_PASSWORD
from services.review.identity.accounts.models import StaffAccount
from shared.auth.config import DEV_SECRET, InsecureConfiguration
from shared.auth.keys import generate_key_file
from shared.web import create_service_app
from tests.unit.auth.conftest import Clock

GOOD_SECRET = "x9#Lq2!vR7@pZ4$wK8^mN3&bT6*yH1%c"


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("HUHANG_ENV", "production")
    monkeypatch.setenv("HUHANG_SECRET_KEY", GOOD_SECRET)
    monkeypatch.setenv("HUHANG_BLOB_STORE", "local")  # production names its blob store (shared/storage/config.py)
    key = tmp_path / "review-signing.pem"
    generate_key_file(key)
    monkeypatch.setenv("HUHANG_SIGNING_KEY_FILE", str(key))
    return key


def _review(settings_for):  # type: ignore[no-untyped-def]
    from services.review import create_app

    return create_app({"TESTING": True}, settings=settings_for("review"))


def test_production_with_explicit_secret_and_key_starts(production: Path, settings_for) -> None:  # type: ignore[no-untyped-def]
    assert _review(settings_for).name == "review"


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "changeme", "too-short-but-not-default"])
def test_production_refuses_a_missing_default_or_weak_secret(
    production: Path, settings_for, monkeypatch: pytest.MonkeyPatch, secret: str | None,  # type: ignore[no-untyped-def]
) -> None:
    if secret is None:
        monkeypatch.delenv("HUHANG_SECRET_KEY")
    else:
        monkeypatch.setenv("HUHANG_SECRET_KEY", secret)
    with pytest.raises(InsecureConfiguration):
        _review(settings_for)


def test_production_refuses_to_generate_a_signing_key(production: Path, settings_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("HUHANG_SIGNING_KEY_FILE")
    with pytest.raises(InsecureConfiguration):
        _review(settings_for)


def test_production_refuses_the_development_key(production: Path, settings_for, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HUHANG_VAR", str(tmp_path))
    dev = tmp_path / "keys" / "dev-signing.pem"
    generate_key_file(dev)
    monkeypatch.setenv("HUHANG_SIGNING_KEY_FILE", str(dev))
    with pytest.raises(InsecureConfiguration):
        _review(settings_for)


def test_production_intake_needs_an_explicit_jwks_source(production: Path, settings_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from services.intake import create_app

    monkeypatch.delenv("HUHANG_JWKS_FILE")
    monkeypatch.delenv("HUHANG_JWKS_URL", raising=False)
    with pytest.raises(InsecureConfiguration):
        create_app({"TESTING": True}, settings=settings_for("intake"))
    monkeypatch.setenv("HUHANG_JWKS_URL", "https://review.example.internal/.well-known/jwks.json")
    assert create_app({"TESTING": True}, settings=settings_for("intake")).name == "intake"


def test_production_seed_creates_no_demo_account_and_disables_leftovers(review_app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    factory = review_app.extensions["huhang"].session_factory
    with factory() as session:
        assert admin.seed_demo(session, now=clock(), secret_key=DEV_SECRET, production=True) == []
        session.commit()
        demo = list(session.scalars(select(StaffAccount).where(StaffAccount.is_demo.is_(True))))
        assert demo and all(a.disabled for a in demo)
    with factory() as session:
        with pytest.raises(signin.SignInFailed):
            signin.sign_in(session, username="demo-12309", password=DEMO_PASSWORD, totp_code=None,
                             secret_key=DEV_SECRET, now=clock())


def test_a_fresh_production_database_gets_no_demo_account(settings_for) -> None:  # type: ignore[no-untyped-def]
    from services import seeds

    settings = settings_for("review")
    lines = list(seeds.run("review", settings_for=lambda _s: dataclasses.replace(settings, env="production")))
    assert any("units" in line for line in lines)
    from shared.db.engine import make_engine, make_session_factory

    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        assert session.scalars(select(StaffAccount)).all() == []
    engine.dispose()


def test_demo_accounts_cannot_sign_in_in_production_even_if_present(review_app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    with review_app.extensions["huhang"].session_factory() as session:
        with pytest.raises(signin.SignInFailed):
            signin.sign_in(session, username="demo-12309", password=DEMO_PASSWORD, totp_code=None,
                             secret_key=DEV_SECRET, now=clock(), allow_demo=False)


def test_an_app_with_an_undeclared_view_is_refused(settings_for) -> None:  # type: ignore[no-untyped-def]
    blp = Blueprint("careless", __name__, url_prefix="/api/v1/careless")

    @blp.route("")
    class Careless(MethodView):
        @blp.response(200)
        def get(self) -> dict[str, str]:
            return {}

    with pytest.raises(RuntimeError, match="GET /api/v1/careless"):
        create_service_app("notify", title="t", blueprints=[blp], settings=settings_for("notify"))


@pytest.mark.parametrize("service", ["intake", "review", "notify"])
def test_every_real_view_declares_its_access(service: str, settings_for) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from shared.auth.access import undeclared

    app = importlib.import_module(f"services.{service}").create_app({"TESTING": True}, settings=settings_for(service))
    assert undeclared(app) == []
    app.extensions["huhang"].engine.dispose()
