"""The front door over a real nginx: routing, headers, body limits, outage answers, the client address.

The three services run in-process (werkzeug servers in threads, SQLite databases migrated once);
nginx runs from a config rendered by `deploy/local/nginx_conf.py` for their free ports, exactly as
`deploy/local/proxy.sh` renders it for `make up`.  Each service is wrapped in a recorder, so the
test sees which service a path reached without relying on what the service answers for it.

The client address test connects from 127.0.0.2 (all of 127/8 is loopback on Linux) while nginx
reaches the services from 127.0.0.1, the trusted proxy: so the audit row can only name 127.0.0.2
if the door's X-Forwarded-For was believed, and a header forged straight to a service's port is
refused because 127.0.0.2 is no trusted proxy.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from werkzeug.serving import BaseWSGIServer, make_server

from deploy.door import SECURITY_HEADERS
from deploy.local import nginx_conf
from deploy.local.nginx_conf import Door
from shared import registry, routing
from shared.audit.models import AuditEntry
from shared.config import KafkaSettings, Settings
from shared.db.migrate import upgrade
from shared.web.app import create_app_from
from shared.web.errors import status_body
from tests.support.auth import AuthKeys
from tests.support.stack import REPO, free_port, wait_for

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed: `make packages` (deploy/local/packages.sh) installs nginx-light"
)
SERVICES = registry.names()
TABLE = registry.route_table()
CLIENT = "127.0.0.2"  # the browser's address; nginx itself reaches the services from 127.0.0.1


# --- the pieces: services in threads, nginx, a client with its own source address ---------------


@dataclass
class Running:
    """One in-process service behind a recorder of the paths that reached it."""

    name: str
    app: Any
    server: BaseWSGIServer
    seen: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_port)


def _serve(name: str, app: Any) -> Running:
    running: Running

    def recording(environ: dict[str, Any], start_response: Any) -> Any:
        running.seen.append(environ["PATH_INFO"])
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, recording, threaded=True)
    running = Running(name, app, server)
    threading.Thread(target=lambda: server.serve_forever(poll_interval=0.05), name=f"door-test-{name}", daemon=True).start()
    return running


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body)


def call(port: int, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
         source: str = CLIENT) -> Answer:
    """One HTTP request from `source` (http.client: requests cannot pick the source address)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return Answer(resp.status, resp.getheaders(), resp.read())
    finally:
        conn.close()


def _door_directory() -> Path:
    """A directory nginx's workers can use: as root they run as nobody, who cannot enter pytest's 0700 tmp."""
    path = Path(tempfile.mkdtemp(prefix="huhang-door-"))
    path.chmod(0o755)
    return path


class Nginx:
    """A real nginx serving a rendered door config; stopped fast (SIGTERM) at the end."""

    def __init__(self, door: Door) -> None:
        assert NGINX is not None
        self.door = door
        nginx_conf.write(door, TABLE)
        self.args = nginx_conf.nginx_command(door, NGINX)
        subprocess.run([*self.args, "-t", "-q"], check=True, capture_output=True, timeout=30)
        subprocess.run(self.args, check=True, capture_output=True, timeout=30)  # daemon on: returns once started
        wait_for(lambda: self._answers(), what="nginx on its port")

    def _answers(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.door.http_port)) == 0

    def stop(self) -> None:
        pid = int(self.door.pid_path.read_text().strip())
        os.kill(pid, signal.SIGTERM)  # nothing is in flight: no need for the graceful SIGQUIT
        wait_for(lambda: not _alive(pid), what="nginx to stop")

    def log(self) -> str:
        return (self.door.log_dir / "error.log").read_text(errors="replace")[-3000:]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("door-db")
    for service in SERVICES:
        upgrade(service, f"sqlite:///{root / service}.db")
    return {s: root / f"{s}.db" for s in SERVICES}


@pytest.fixture
def services(templates: dict[str, Path], tmp_path: Path, test_keys: AuthKeys) -> Iterator[dict[str, Running]]:
    running: dict[str, Running] = {}
    for service in SERVICES:
        path = tmp_path / f"{service}.db"
        shutil.copy(templates[service], path)
        settings = Settings(service=service, database_url=f"sqlite:///{path}",
                            kafka=KafkaSettings(bootstrap_servers="127.0.0.1:1", topic_prefix="door"))
        running[service] = _serve(service, create_app_from(registry.manifest(service), settings=settings))
    yield running
    for r in running.values():
        r.server.shutdown()
        r.server.server_close()
        r.app.extensions["huhang"].engine.dispose()


@contextmanager
def running_door(upstreams: dict[str, str], **options: Any) -> Iterator[int]:
    """A door in front of `upstreams` (service -> host:port), on a free port; yields the port."""
    directory = _door_directory()
    door = Door(directory=directory / "proxy", http_port=free_port(), upstreams=upstreams,
                worker_user=nginx_conf.worker_user(), **options)
    nginx = Nginx(door)
    try:
        yield door.http_port
    finally:
        print(nginx.log())  # shown when the test fails
        nginx.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def door(services: dict[str, Running]) -> Iterator[int]:
    """The door's port, in front of the three running services."""
    with running_door({s: f"127.0.0.1:{r.port}" for s, r in services.items()}) as port:
        yield port


def _reached(services: dict[str, Running], port: int, path: str) -> list[str]:
    for r in services.values():
        r.seen.clear()
    call(port, "GET", path)
    return [name for name, r in services.items() if path in r.seen]


# --- routing --------------------------------------------------------------------------------------


def test_every_prefix_reaches_its_service_unchanged(services: dict[str, Running], door: int) -> None:
    expected: dict[str, str] = {}
    for route in TABLE:
        expected[route.canonical] = route.service
        expected[route.canonical.rstrip("/") + "/deeper/x1"] = route.service
    wrong = {path: got for path, want in expected.items() if (got := _reached(services, door, path)) != [want]}
    assert wrong == {}, "paths that reached the wrong service (or none, or were rewritten)"


def test_prefixes_match_whole_segments_only(services: dict[str, Running], door: int) -> None:
    assert _reached(services, door, "/api/v1/petitionsX") == ["review"]
    assert _reached(services, door, "/inboxes") == ["review"]
    assert _reached(services, door, "/petitions") == ["intake"]  # no trailing slash: still intake, no redirect


@pytest.mark.parametrize("service", SERVICES)
def test_health_and_openapi_through_the_door(door: int, service: str) -> None:
    health = call(door, "GET", routing.health_path(service))
    assert health.status == 200 and health.json() == {"status": "ok", "service": service}
    spec = call(door, "GET", routing.openapi_path(service))
    assert spec.status == 200 and service in spec.json()["info"]["title"]
    assert routing.audit_api_path(service) in spec.json()["paths"]


# --- headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/healthz/intake", "/api/v1/petitions", "/no/such/page"])
def test_security_headers_once_on_every_answer(door: int, path: str) -> None:
    answer = call(door, "GET", path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.header(name) == [value], (path, name)
    assert answer.header("Strict-Transport-Security") == []  # plain HTTP: no HSTS
    assert answer.header("Content-Security-Policy") == []  # pages set their own
    assert answer.header("Server") == ["nginx"]  # no version
    assert answer.header("X-Trace-Id"), "the service's own headers pass through"


# --- body limits ----------------------------------------------------------------------------------


def _assert_door_error(answer: Answer, status: int) -> None:
    assert answer.status == status
    assert answer.header("Content-Type") == ["application/json; charset=utf-8"]
    assert answer.json() == status_body(status)
    for name, value in SECURITY_HEADERS.items():
        assert answer.header(name) == [value], name


def test_a_body_over_2m_is_refused_with_the_platform_body(services: dict[str, Running], door: int) -> None:
    services["intake"].seen.clear()
    answer = call(door, "POST", "/api/v1/petitions", body=b"{" + b" " * (3 * 1024 * 1024) + b"}",
                  headers={"Content-Type": "application/json"})
    _assert_door_error(answer, 413)
    assert services["intake"].seen == [], "refused at the door, never passed on"


def test_the_public_api_takes_1m_at_most(services: dict[str, Running], door: int) -> None:
    body = b"x" * (1536 * 1024)  # 1.5 MB: over the public limit, under the general one
    _assert_door_error(call(door, "POST", "/api/v1/public/status", body=body), 413)
    services["intake"].seen.clear()
    passed = call(door, "POST", "/api/v1/petitions", body=body, headers={"Content-Type": "application/json"})
    assert passed.status != 413 and services["intake"].seen == ["/api/v1/petitions"]


def _multipart(fields: dict[str, str], file: tuple[str, bytes, str]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends a file form: (body, Content-Type)."""
    boundary = "huhang-door-" + "0" * 16
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    name, data, content_type = file
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_5mb_file_passes_the_door_on_the_upload_page_and_not_under_petitions(
    services: dict[str, Running], door: int, test_keys: AuthKeys, tmp_path: Path,
) -> None:
    from bs4 import BeautifulSoup

    from services.intake.attachments.models import Attachment
    from services.intake.petitions.schemas import PETITION_EXAMPLE
    from shared.auth.cookies import ACCESS_COOKIE, session_binding
    from shared.storage import LocalFolderStore
    from shared.web.pages.csrf import CSRF_COOKIE
    from tests.support import files

    intake = services["intake"]
    intake.app.extensions["huhang"].extras["blob_store"] = LocalFolderStore(tmp_path / "blobs")
    created = call(door, "POST", "/api/v1/petitions", body=json.dumps(PETITION_EXAMPLE).encode(),
                   headers={**test_keys.headers("intake_clerk"), "Content-Type": "application/json"})
    assert created.status == 201, created.body[:300]
    petition = created.json()["id"]
    # A browser signed in at review: the access cookie, then the page's CSRF cookie and token.
    access = f"{ACCESS_COOKIE}={test_keys.token('intake_clerk', sid=session_binding('door-test'))}"
    page = call(door, "GET", f"/petitions/{petition}", headers={"Cookie": access})
    assert page.status == 200
    csrf_cookie = next(v.split(";")[0] for v in page.header("Set-Cookie") if v.startswith(CSRF_COOKIE))
    token = BeautifulSoup(page.body, "html.parser").find("input", attrs={"name": "csrf_token"})["value"]
    cookies = {"Cookie": f"{access}; {csrf_cookie}"}
    data = files.pdf("door", padding=5 * 1024 * 1024)
    body, content_type = _multipart({"csrf_token": token}, ("五兆材料.pdf", data, "application/pdf"))
    assert len(body) > 5 * 1024 * 1024

    # The petition pages keep 2 MiB: refused at the door, never passed on.
    intake.seen.clear()
    refused = call(door, "POST", f"/petitions/{petition}/reveal", body=body,
                   headers={**cookies, "Content-Type": content_type})
    _assert_door_error(refused, 413)
    assert intake.seen == []

    # The upload form's prefix takes it, and intake stores the file.
    stored = call(door, "POST", f"/attachments/upload?petition_id={petition}", body=body,
                  headers={**cookies, "Content-Type": content_type})
    assert stored.status == 303, stored.body[:500]
    assert stored.header("Location")[0].startswith(f"/petitions/{petition}?uploaded=")
    with intake.app.extensions["huhang"].session_factory() as session:
        (row,) = session.scalars(select(Attachment))
        assert row.size == len(data) and row.original_name == "五兆材料.pdf"


# --- a service that does not answer ---------------------------------------------------------------


def test_a_service_that_is_down_is_a_502_with_the_platform_body(services: dict[str, Running]) -> None:
    upstreams = {s: f"127.0.0.1:{r.port}" for s, r in services.items()}
    upstreams["notify"] = f"127.0.0.1:{free_port()}"  # nothing listens there
    with running_door(upstreams) as port:
        _assert_door_error(call(port, "GET", "/api/v1/deliveries"), 502)
        assert call(port, "GET", "/healthz/intake").status == 200, "the others still answer"


def test_a_service_that_hangs_is_a_504_with_the_platform_body(services: dict[str, Running]) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        upstreams = {s: f"127.0.0.1:{r.port}" for s, r in services.items()}
        upstreams["notify"] = f"127.0.0.1:{silent.getsockname()[1]}"
        with running_door(upstreams, read_timeout_s=1) as port:
            _assert_door_error(call(port, "GET", "/api/v1/deliveries"), 504)


# --- the client address ---------------------------------------------------------------------------


def _denied_row_addr(services: dict[str, Running]) -> str | None:
    with services["intake"].app.extensions["huhang"].session_factory() as session:
        row = session.scalars(select(AuditEntry).where(AuditEntry.action == "authz.denied")
                              .order_by(AuditEntry.id.desc())).first()
        assert row is not None
        return row.client_addr


def test_the_audit_row_names_the_client_the_door_saw(
    services: dict[str, Running], door: int, test_keys: AuthKeys
) -> None:
    clerk = test_keys.headers("intake_clerk")  # no auditor: the call is refused and audited
    forged = {**clerk, "X-Forwarded-For": "203.0.113.9"}
    assert call(door, "GET", "/api/v1/audit/intake", headers=forged).status == 403
    assert _denied_row_addr(services) == CLIENT  # what the client sent left of it is ignored

    # Straight to the service's port the same header is believed from no one but the door.
    assert call(services["intake"].port, "GET", "/api/v1/audit/intake", headers=forged).status == 403
    assert _denied_row_addr(services) == CLIENT


# --- the script make up uses ----------------------------------------------------------------------


def test_proxy_sh_starts_reports_and_stops_the_door(services: dict[str, Running], tmp_path: Path) -> None:
    # pytest's tmp_path is 0700: started as root, the workers (nobody) get a directory of their own.
    directory = tmp_path / "var"
    port = free_port()
    env = {**os.environ, "HUHANG_VAR": str(directory), "HUHANG_HTTP_PORT": str(port), "HUHANG_PYTHON": sys.executable,
           **{f"HUHANG_{s.upper()}_PORT": str(r.port) for s, r in services.items()}}

    def proxy(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", str(REPO / "deploy" / "local" / "proxy.sh"), command], env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    try:
        started = proxy("start")
        assert started.returncode == 0, started.stderr
        assert f"http://127.0.0.1:{port}/" in started.stdout
        assert proxy("status").returncode == 0
        assert call(port, "GET", "/healthz/notify").json()["service"] == "notify"
        assert proxy("start").stdout.startswith("proxy: reloaded"), "a second start reloads, never a second nginx"
        stopped = proxy("stop")
        assert stopped.returncode == 0, stopped.stderr
        assert proxy("status").returncode == 3
    finally:
        proxy("stop")
        worker_root = Door(directory=directory / "proxy", http_port=port, upstreams={},
                           worker_user=nginx_conf.worker_user()).worker_root
        if worker_root != directory / "proxy":
            shutil.rmtree(worker_root, ignore_errors=True)
