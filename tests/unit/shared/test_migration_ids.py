"""Every service's revision ids fit Alembic's version table (VARCHAR(32): PostgreSQL enforces it, SQLite does not)."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory

from shared.db.migrate import alembic_config

VERSION_NUM_LENGTH = 32  # alembic_version.version_num


@pytest.mark.parametrize("service", ["intake", "review", "notify"])
def test_revision_ids_fit_the_version_table(service: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(service, "sqlite://"))
    too_long = [r.revision for r in script.walk_revisions() if len(r.revision) > VERSION_NUM_LENGTH]
    assert too_long == []
