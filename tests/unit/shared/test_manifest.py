"""The domain manifest: what it wires, and that it refuses to start when it and the code disagree."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from shared import registry
from shared.manifest import Domain, ManifestError, ServiceManifest


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def toy(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A throwaway service package `toy_<test>` with two domains on sys.path."""
    name = f"toy_{request.node.name.replace('[', '_').replace(']', '').replace('-', '_')}"
    _write(tmp_path, {
        f"{name}/__init__.py": "",
        f"{name}/alpha/__init__.py": "",
        f"{name}/alpha/models.py": "",
        f"{name}/alpha/views.py": "from flask_smorest import Blueprint\nblp = Blueprint('alpha', __name__)\n",
        f"{name}/alpha/handlers.py": "HANDLERS = {'petition.received': lambda session, event: None}\n",
        f"{name}/alpha/seed.py": "SEEDS = [('alphas', lambda session, *, production: 'ok')]\n",
        f"{name}/alpha/commands.py": (
            "import click\n@click.command('alpha-hello')\ndef hello() -> None:\n    click.echo('hi')\n"
            "def register(root):\n    root.add_command(hello)\n"
        ),
        f"{name}/alpha/migrations/alpha_0001.py": "revision = 'alpha_0001'\n",
        f"{name}/beta/__init__.py": "",
        f"{name}/beta/service.py": "",
        f"{name}/helpers/__init__.py": "",  # no domain module: needs no line
        f"{name}/helpers/text.py": "",
    })
    sys.path.insert(0, str(tmp_path))
    try:
        yield name
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def _manifest(package: str, *domains: Domain, consumes: tuple[str, ...] = ("intake",)) -> ServiceManifest:
    return ServiceManifest(service="toy", package=package, title="toy", port=1, domains=domains, consumes=consumes)


def _alpha(package: str, *parts: str) -> Domain:
    return Domain("alpha", f"{package}.alpha", *(parts or ("models", "views", "handlers", "seeds", "commands", "migrations")))


def test_a_complete_manifest_drives_every_wiring_point(toy: str) -> None:
    manifest = _manifest(toy, _alpha(toy), Domain("beta", f"{toy}.beta"))
    manifest.check()
    assert [b.name for b in manifest.blueprints()] == ["alpha"]
    assert list(manifest.handlers()) == ["petition.received"]
    assert [label for label, _ in manifest.seeds()] == ["alphas"]
    assert [p.name for p in manifest.migration_locations()] == ["migrations"]
    root = click.Group("root")
    manifest.register_commands(root)
    assert "alpha-hello" in root.commands


def test_a_domain_package_missing_from_the_manifest_fails_loudly(toy: str) -> None:
    with pytest.raises(ManifestError, match=rf"{toy}\.beta holds domain modules but is not in the manifest"):
        _manifest(toy, _alpha(toy)).check()


@pytest.mark.parametrize("part", ["pages", "jobs", "workers"])
def test_a_declared_part_that_does_not_exist_fails_loudly(toy: str, part: str) -> None:
    manifest = _manifest(toy, _alpha(toy, "models", part), Domain("beta", f"{toy}.beta"))
    with pytest.raises(ManifestError, match=f"alpha: declares '{part}'"):
        manifest.check()


def test_a_part_without_what_it_must_define_fails_loudly(toy: str, tmp_path: Path) -> None:
    (tmp_path / toy / "alpha" / "views.py").write_text("x = 1\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="must define blp"):
        _manifest(toy, _alpha(toy, "views"), Domain("beta", f"{toy}.beta")).blueprints()


def test_migrations_on_disk_but_undeclared_fail_loudly(toy: str) -> None:
    with pytest.raises(ManifestError, match="does not declare 'migrations'"):
        _manifest(toy, _alpha(toy, "models", "views"), Domain("beta", f"{toy}.beta")).check()


def test_two_domains_handling_one_event_type_fail_loudly(toy: str, tmp_path: Path) -> None:
    (tmp_path / toy / "beta" / "handlers.py").write_text(
        "HANDLERS = {'petition.received': lambda session, event: None}\n", encoding="utf-8")
    manifest = _manifest(toy, _alpha(toy), Domain("beta", f"{toy}.beta", "handlers"))
    with pytest.raises(ManifestError, match="petition.received is handled by alpha and beta"):
        manifest.check()


def test_a_handler_of_a_topic_the_service_does_not_read_fails_loudly(toy: str) -> None:
    manifest = _manifest(toy, _alpha(toy), Domain("beta", f"{toy}.beta"), consumes=("review",))
    with pytest.raises(ManifestError, match="handles petition.received from intake but consumes only"):
        manifest.check()


def test_a_handler_of_an_event_type_nobody_produces_fails_loudly(toy: str, tmp_path: Path) -> None:
    (tmp_path / toy / "alpha" / "handlers.py").write_text(
        "HANDLERS = {'thing.happened': lambda session, event: None}\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="thing.happened, which is not in shared/events' catalogue"):
        _manifest(toy, _alpha(toy), Domain("beta", f"{toy}.beta")).check()


def test_unknown_parts_and_duplicate_domains_are_refused_when_the_manifest_is_written() -> None:
    with pytest.raises(ManifestError, match="unknown part"):
        Domain("alpha", "services.x.alpha", "modles")
    with pytest.raises(ManifestError, match="listed twice"):
        ServiceManifest(service="x", package="services.x", title="x", port=1, domains=(Domain("a", "services.x.a"), Domain("a", "services.x.b")))


@pytest.mark.parametrize("service", ["intake", "review", "notify"])
def test_every_real_service_manifest_matches_its_code(service: str) -> None:
    manifest = registry.manifest(service)
    manifest.check()
    assert manifest.domains, "a service has at least one domain"


def test_the_app_refuses_to_start_when_the_manifest_misses_a_domain(toy: str) -> None:
    from shared.web.app import create_app_from

    with pytest.raises(ManifestError, match="not in the manifest"):
        create_app_from(_manifest(toy, _alpha(toy)))


def test_the_registry_finds_the_services_through_their_entry_points() -> None:
    assert registry.names() == ("intake", "review", "notify")
    assert registry.ports() == {"intake": 8101, "review": 8102, "notify": 8103}
    with pytest.raises(ValueError, match="unknown service"):
        registry.manifest("billing")

