"""Fault tests reuse the integration fixtures (real PostgreSQL; their own broker where they break it)."""

from tests.integration.conftest import databases, infra, kafka_settings, pg_session_for, pytest_runtest_makereport  # noqa: F401
