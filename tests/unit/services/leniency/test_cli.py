"""`huhang rules import FILE`: a new list or a new version loaded; a bad file refused naming the file,
the field and why, nothing stored; a loaded version never overwritten; `huhang db seed` loads the repo's."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from services.cli import main
from services.review.leniency import lists
from services.review.leniency.models import LeniencyList

THIRTY_THREE = (lists.LISTS_DIR / "tax-2021-33.toml").read_text(encoding="utf-8")


@pytest.fixture
def review_db(review_app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    url = str(review_app.extensions["huhang"].settings.database_url)
    monkeypatch.setenv("REVIEW_DATABASE_URL", url)
    return url


def _versions(app: Flask, code: str) -> list[int]:
    with app.extensions["huhang"].session_factory() as session:
        return list(session.scalars(select(LeniencyList.version).where(LeniencyList.code == code)
                                    .order_by(LeniencyList.version)))


def test_import_a_new_version_then_the_same_file_again(review_app: Flask, review_db: str, tmp_path: Path) -> None:
    new = tmp_path / "tax-2021-33-v2.toml"
    new.write_text(THIRTY_THREE.replace("version = 1", "version = 2")
                   .replace("effective_from = 2022-01-01", "effective_from = 2027-01-01"), encoding="utf-8")
    first = CliRunner().invoke(main, ["rules", "import", str(new), "--by", "cli:test"])
    assert first.exit_code == 0, first.output
    assert "imported tax-2021-33 version 2" in first.output and "2027-01-01" in first.output
    again = CliRunner().invoke(main, ["rules", "import", str(new)])
    assert again.exit_code == 0 and "already loaded, unchanged" in again.output
    assert _versions(review_app, "tax-2021-33") == [1, 2]
    listed = CliRunner().invoke(main, ["rules", "list"])
    assert "tax-2021-33\tv2\t2027-01-01" in listed.output


def test_import_a_new_list(review_app: Flask, review_db: str, tmp_path: Path) -> None:
    local = tmp_path / "local.toml"
    local.write_text(THIRTY_THREE.replace('code = "tax-2021-33"', 'code = "tax-henan-test"')
                     .replace('region = "全国"', 'region = "410000"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "import", str(local)])
    assert result.exit_code == 0, result.output
    assert _versions(review_app, "tax-henan-test") == [1]


def test_a_bad_file_is_refused_naming_file_field_and_why(review_app: Flask, review_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad-list.toml"
    bad.write_text(THIRTY_THREE.replace("version = 1", "version = 3").replace('field = "税务"', 'field = "海关"')
                   .replace("effective_from = 2022-01-01", "effective_from = 2022-13-01"), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "import", str(bad)])
    assert result.exit_code != 0 and "not imported" in result.output and "not TOML" in result.output
    bad.write_text(THIRTY_THREE.replace("version = 1", "version = 3").replace('field = "税务"', 'field = "海关"'),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "import", str(bad)])
    assert result.exit_code != 0 and "bad-list.toml: field: must be one of 税务, 市场监管" in result.output
    assert _versions(review_app, "tax-2021-33") == [1]


def test_a_changed_file_under_a_loaded_version_is_refused(review_app: Flask, review_db: str, tmp_path: Path) -> None:
    edited = tmp_path / "edited.toml"
    edited.write_text(THIRTY_THREE.replace("lookback_months = 24", "lookback_months = 12"), encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "import", str(edited)])
    assert result.exit_code != 0 and "version 1 is loaded with other content" in result.output
    with review_app.extensions["huhang"].session_factory() as session:
        row = session.scalars(select(LeniencyList).where(LeniencyList.code == "tax-2021-33")).one()
        assert row.lookback_months == 24 and row.source == "tax-2021-33.toml"
