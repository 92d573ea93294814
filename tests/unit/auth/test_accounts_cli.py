"""`huhang accounts create`: the way real (non-demo) accounts come to exist."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from services.cli import main
from services.review.identity.accounts.models import StaffAccount


@pytest.fixture
def review_db(review_app, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    url = str(review_app.extensions["huhang"].settings.database_url)
    monkeypatch.setenv("REVIEW_DATABASE_URL", url)
    return url


def test_create_an_admin_prints_the_totp_secret_once(review_app, review_db: str) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["accounts", "create", "li.admin", "--name", "李管理", "--unit", "NY-JCY",
                                       "--role", "admin", "--password", "Strong#Pass2026x"])
    assert result.exit_code == 0, result.output
    assert "TOTP secret" in result.output
    with review_app.extensions["huhang"].session_factory() as session:
        account = session.scalars(select(StaffAccount).where(StaffAccount.username == "li.admin")).one()
        assert account.roles == ["admin"] and not account.is_demo and account.totp_secret_enc


def test_a_weak_password_or_unknown_unit_is_refused(review_app, review_db: str) -> None:  # type: ignore[no-untyped-def]
    weak = CliRunner().invoke(main, ["accounts", "create", "zhao", "--name", "赵", "--unit", "NY-JCY", "--role", "judge",
                                     "--password", "short"])
    assert weak.exit_code != 0 and "policy" in weak.output
    nowhere = CliRunner().invoke(main, ["accounts", "create", "zhao", "--name", "赵", "--unit", "NY-XX", "--role", "judge",
                                        "--password", "Strong#Pass2026x"])
    assert nowhere.exit_code != 0 and "unknown unit" in nowhere.output
