"""Fakes of huhang's own ports, for unit tests only (integration tests use the real broker)."""
