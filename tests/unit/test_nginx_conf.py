"""deploy/local/nginx_conf.py: the local door's nginx.conf follows the route table, and nginx accepts it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from deploy.door import DOOR_STATUSES, HSTS_HEADER, SECURITY_HEADERS
from deploy.local import nginx_conf
from deploy.local.nginx_conf import Door, Tls, render
from shared import registry, routing
from shared.web.errors import status_body

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
TABLE = registry.route_table()


def _door(tmp_path: Path, tls: Tls | None = None) -> Door:
    return Door(directory=tmp_path / "proxy", http_port=18100, tls=tls,
                upstreams={"intake": "127.0.0.1:18101", "review": "127.0.0.1:18102", "notify": "127.0.0.1:18103"})


def _locations(conf: str) -> dict[str, str]:
    """`= /p` or `/p/` -> the upstream it proxies to."""
    return dict(re.findall(r"location ((?:= )?/\S*) \{[^}]*?proxy_pass http://(\w+);", conf))


def test_every_prefix_is_two_segment_aware_locations_at_its_service(tmp_path: Path) -> None:
    found = _locations(render(_door(tmp_path), TABLE))
    expected = {"/": "review"}
    for route in TABLE:
        if route.canonical != routing.CATCH_ALL:
            expected[f"= {route.canonical}"] = expected[f"{route.canonical}/"] = route.service
    assert found == expected


def test_upstreams_are_the_configured_ports(tmp_path: Path) -> None:
    conf = render(_door(tmp_path), TABLE)
    assert "upstream intake { server 127.0.0.1:18101; }" in conf
    assert "listen 127.0.0.1:18100;" in conf


def test_headers_are_set_once_on_every_answer_and_no_csp(tmp_path: Path) -> None:
    conf = render(_door(tmp_path), TABLE)
    for name, value in SECURITY_HEADERS.items():
        assert f'add_header {name} "{value}" always;' in conf  # `always`: on errors too
        assert f"proxy_hide_header {name};" in conf  # a service's own copy is dropped
    assert conf.count("add_header") == len(SECURITY_HEADERS)
    assert "Content-Security-Policy" not in conf and HSTS_HEADER[0] not in conf
    assert "server_tokens off;" in conf


def test_tls_adds_hsts(tmp_path: Path) -> None:
    conf = render(_door(tmp_path, Tls(tmp_path / "c.pem", tmp_path / "k.pem")), TABLE)
    assert f'add_header {HSTS_HEADER[0]} "{HSTS_HEADER[1]}" always;' in conf
    assert "listen 127.0.0.1:18100 ssl;" in conf


def test_body_limits(tmp_path: Path) -> None:
    conf = render(_door(tmp_path), TABLE)
    assert "  client_max_body_size 2m;" in conf
    public = [line for line in conf.splitlines() if "/api/v1/public" in line]
    assert len([line for line in public if "http://intake" in line]) == 2
    # Review's public certificate check (services/review/dishonesty) lies under the same prefix and limit.
    assert all("client_max_body_size 1m;" in line for line in public)
    # 信访材料 uploads (shared/routing.py UPLOAD_BODY_BYTES); their list under /api/v1/petitions keeps 2m.
    uploads = [line for line in conf.splitlines() if "/api/v1/attachments" in line]
    assert len(uploads) == 2 and all("client_max_body_size 21m;" in line for line in uploads)
    # The staff pages' upload form gets the same; the petition pages under /petitions/ keep 2m.
    page_uploads = [line for line in conf.splitlines() if "location = /attachments " in line
                    or "location /attachments/ " in line]
    assert len(page_uploads) == 2 and all("client_max_body_size 21m;" in line for line in page_uploads)
    assert not [line for line in conf.splitlines() if "/petitions" in line and "client_max_body_size" in line]
    assert conf.count("client_max_body_size") == 9  # 7, and review's /api/v1/public/certificates (exact + prefix)


def test_client_address_is_passed_on(tmp_path: Path) -> None:
    conf = render(_door(tmp_path), TABLE)
    for header in ("Host $http_host", "X-Real-IP $remote_addr", "X-Forwarded-For $proxy_add_x_forwarded_for",
                   "X-Forwarded-Proto $scheme"):
        assert f"proxy_set_header {header};" in conf


def test_everything_nginx_writes_is_under_the_door_directory(tmp_path: Path) -> None:
    door = _door(tmp_path)
    conf = render(door, TABLE)
    paths = re.findall(r"^\s*(?:pid|error_log|access_log|\w+_temp_path|alias)\s+(\S+?);?(?:\s|$)", conf, re.M)
    assert len(paths) == 9
    assert all(Path(p.rstrip(";")).is_relative_to(door.directory) for p in paths), paths


def test_the_door_statuses_answer_with_the_platform_body(tmp_path: Path) -> None:
    door = _door(tmp_path)
    nginx_conf.write(door, TABLE)
    conf = door.conf_path.read_text(encoding="utf-8")
    for status in DOOR_STATUSES:
        assert f"error_page {status} {nginx_conf.ERRORS_LOCATION}{status}.json;" in conf
        body = json.loads((door.errors_dir / f"{status}.json").read_text(encoding="utf-8"))
        assert body == status_body(status)
        assert (door.errors_dir / f"{status}.json").stat().st_mode & 0o004  # world-readable: workers may be nobody


def test_workers_that_cannot_enter_var_proxy_get_their_own_directory(tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o700)
    door = Door(directory=closed / "proxy", http_port=1, upstreams=_door(tmp_path).upstreams,
                worker_user="nobody nogroup")
    assert door.worker_root.parent == Path(tempfile.gettempdir()) and door.worker_root.name.startswith("huhang-proxy-")
    conf = render(door, TABLE)
    assert f"client_body_temp_path {door.worker_root / 'tmp' / 'client_body'};" in conf
    assert f"alias {door.worker_root / 'errors'}/;" in conf
    assert f"pid {door.directory / 'nginx.pid'};" in conf  # the master's files stay in var/proxy
    opened = Path(tempfile.mkdtemp())
    try:
        opened.chmod(0o755)
        assert Door(directory=opened / "proxy", http_port=1, upstreams={}, worker_user="nobody nogroup").worker_root \
            == opened / "proxy"
    finally:
        opened.rmdir()
    assert Door(directory=closed / "proxy", http_port=1, upstreams={}).worker_root == closed / "proxy"  # not root


def test_every_service_needs_an_upstream(tmp_path: Path) -> None:
    door = Door(directory=tmp_path, http_port=1, upstreams={"review": "127.0.0.1:2"})
    with pytest.raises(ValueError, match=r"no upstream address for \['intake', 'notify'\]"):
        render(door, TABLE)


def test_a_worker_user_only_when_given(tmp_path: Path) -> None:
    assert "\nuser " not in render(_door(tmp_path), TABLE)
    door = Door(directory=tmp_path, http_port=1, upstreams={"review": "127.0.0.1:2"}, worker_user="nobody nogroup")
    assert "\nuser nobody nogroup;\n" in render(door, routing.RouteTable({"review": ("/",)}, body_limits={}))


def _self_signed(tmp_path: Path) -> Tls:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    tls = Tls(tmp_path / "cert.pem", tmp_path / "key.pem")
    tls.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return tls


@pytest.mark.skipif(NGINX is None, reason="nginx not installed (make packages installs nginx-light)")
@pytest.mark.parametrize("with_tls", [False, True], ids=["http", "tls"])
def test_nginx_accepts_the_rendered_config(tmp_path: Path, with_tls: bool) -> None:
    door = Door(directory=tmp_path / "proxy", http_port=18100, upstreams=Door.from_environment(TABLE).upstreams,
                tls=_self_signed(tmp_path) if with_tls else None, worker_user=nginx_conf.worker_user())
    try:
        nginx_conf.write(door, TABLE)
        assert NGINX is not None
        out = subprocess.run([*nginx_conf.nginx_command(door, NGINX), "-t"], capture_output=True, text=True,
                             timeout=30, check=False)
        assert out.returncode == 0, out.stderr
    finally:
        if door.worker_root != door.directory:  # run as root: the workers' own directory under /tmp
            shutil.rmtree(door.worker_root, ignore_errors=True)
