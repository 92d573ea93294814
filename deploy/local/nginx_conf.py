"""The local front door's nginx configuration, rendered from the route table.

`deploy/local/proxy.sh` runs this module before it starts or reloads nginx:

    python -m deploy.local.nginx_conf write    # var/proxy/nginx.conf and var/proxy/errors/*.json; prints the URL
    python -m deploy.local.nginx_conf url      # the door's URL (http://127.0.0.1:8100/)
    python -m deploy.local.nginx_conf urls     # the door, then each service through it (up.sh prints it)
    python -m deploy.local.nginx_conf workers  # where the workers' temp files and error bodies are

Everything comes from code, never from a hand-edited file: the locations from
`shared.registry.route_table()` (each prefix segment-aware, as `shared/routing.py` defines it:
`location = /p` plus `location /p/`), the body limits from the same table, the headers and the
statuses the door answers itself from `deploy/door.py`, their JSON bodies from
`shared.web.errors.status_body`, the ports from `HUHANG_HTTP_PORT` and `HUHANG_<SERVICE>_PORT`.

nginx runs unprivileged out of `$HUHANG_VAR/proxy/`: its pid file, temp directories, logs and error
bodies are all there, so a second stack (another `HUHANG_VAR`, other ports) runs beside the first.
Started as root it must name a worker user (nginx will not keep root workers); it gets `nobody`,
which must reach the temp directories and the error bodies.  Where `nobody` cannot enter
`var/proxy` (a parent without o+x, such as pytest's 0700 temporary directory), those two move to
`/tmp/huhang-proxy-<hash of the path>/` and the rest stays; `write` says so.

TLS is optional (`HUHANG_TLS_CERT` and `HUHANG_TLS_KEY`, PEM files): with it the door listens with
TLS and adds Strict-Transport-Security; without it (the default, loopback only) it does not.
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from deploy.door import DOOR_STATUSES, HSTS_HEADER, SECURITY_HEADERS
from shared import registry, routing
from shared.config import http_port, service_port, var_dir
from shared.routing import RouteTable

# The door's own internal locations (error bodies); `internal` makes them 404 from outside.
ERRORS_LOCATION = "/_door/errors/"
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
# gunicorn's --timeout is 60 s (services/cli.py): the door waits a little longer, so a worker's
# own timeout is the one that answers.
READ_TIMEOUT_S = 65


@dataclass(frozen=True)
class Tls:
    """A certificate and its key, PEM files nginx reads at start."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class Door:
    """Where the door lives and listens, and where each service is."""

    directory: Path  # $HUHANG_VAR/proxy
    http_port: int
    upstreams: Mapping[str, str]  # service -> host:port
    listen_host: str = "127.0.0.1"
    tls: Tls | None = None
    worker_user: str | None = None  # "user group", only when nginx starts as root
    read_timeout_s: int = READ_TIMEOUT_S

    @classmethod
    def from_environment(cls, table: RouteTable) -> Door:
        """The door of this machine's stack: `HUHANG_VAR`, the port settings, optional TLS."""
        cert, key = os.environ.get("HUHANG_TLS_CERT"), os.environ.get("HUHANG_TLS_KEY")
        if bool(cert) != bool(key):
            raise SystemExit("nginx_conf: set both HUHANG_TLS_CERT and HUHANG_TLS_KEY, or neither")
        return cls(
            directory=var_dir().resolve() / "proxy",
            http_port=http_port(),
            upstreams={s: f"127.0.0.1:{service_port(s)}" for s in table.services()},
            tls=Tls(Path(cert).resolve(), Path(key).resolve()) if cert and key else None,
            worker_user=worker_user(),
        )

    @property
    def conf_path(self) -> Path:
        return self.directory / "nginx.conf"

    @property
    def pid_path(self) -> Path:
        return self.directory / "nginx.pid"

    @property
    def worker_root(self) -> Path:
        """Where the workers read and write (error bodies, temp files): `directory`, unless they cannot enter it."""
        if self.worker_user is None or _others_can_enter(self.directory):
            return self.directory
        digest = hashlib.sha256(str(self.directory).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"huhang-proxy-{digest}"

    @property
    def errors_dir(self) -> Path:
        return self.worker_root / "errors"

    @property
    def temp_dir(self) -> Path:
        return self.worker_root / "tmp"

    @property
    def log_dir(self) -> Path:
        return self.directory / "log"

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.listen_host}:{self.http_port}/"


def _others_can_enter(directory: Path) -> bool:
    """Whether a user who is neither owner nor group (nobody) can reach `directory` (o+x on each existing part)."""
    return all(p.stat().st_mode & 0o001 for p in (directory, *directory.parents) if p.exists())


def worker_user() -> str | None:
    """The `user` directive's value when this process is root (nginx would not keep root workers), else None."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam("nobody")
    return f"nobody {grp.getgrgid(entry.pw_gid).gr_name}"


def nginx_command(door: Door, binary: str = "nginx") -> list[str]:
    """How to run nginx on `door`'s config (append `-t`, or `-s reload|quit`); what proxy.sh runs too."""
    return [binary, "-p", f"{door.directory}/", "-c", str(door.conf_path), "-e", str(door.log_dir / "error.log")]


def nginx_size(limit: int) -> str:
    """nginx's spelling of a byte count (`2m`, `512k`)."""
    for unit, factor in (("m", 1024 * 1024), ("k", 1024)):
        if limit % factor == 0:
            return f"{limit // factor}{unit}"
    return str(limit)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _locations(table: RouteTable) -> list[str]:
    """One pair of locations per prefix (`= /p` and `/p/`: segment-aware), the catch-all as `/`."""
    out: list[str] = []
    for route in sorted(table, key=lambda r: r.canonical):
        prefix = route.canonical
        limit = table.body_limit(prefix)
        extra = [] if limit == routing.MAX_BODY_BYTES else [f"client_max_body_size {nginx_size(limit)};"]
        body = " ".join([*extra, f"proxy_pass http://{route.service};"])
        if prefix == routing.CATCH_ALL:
            out.append(f"location / {{ {body} }}")
        else:
            out.append(f"location = {prefix} {{ {body} }}")
            out.append(f"location {prefix}/ {{ {body} }}")
    return out


def render(door: Door, table: RouteTable) -> str:
    """The whole nginx.conf (one http server) for `door` over `table`; every service needs an upstream."""
    missing = set(table.services()) - set(door.upstreams)
    if missing:
        raise ValueError(f"no upstream address for {sorted(missing)}: the door routes paths to them")
    d = door.directory
    headers = dict(SECURITY_HEADERS)
    if door.tls:
        headers[HSTS_HEADER[0]] = HSTS_HEADER[1]
    lines = [
        "# Rendered by deploy/local/nginx_conf.py from the route table (shared/routing.py): edit those, not this.",
        "daemon on;",
        "worker_processes 2;",
        f"pid {d / 'nginx.pid'};",
        f"error_log {door.log_dir / 'error.log'} warn;",
        *([f"user {door.worker_user};"] if door.worker_user else []),
        "events { worker_connections 1024; }",
        "http {",
        "  server_tokens off;",
        "  sendfile on;",
        "  keepalive_timeout 65s;",
        *(f"  {kind}_temp_path {door.temp_dir / kind};" for kind in TEMP_DIRS),
        "  log_format door '$remote_addr [$time_local] \"$request\" $status $body_bytes_sent '",
        "                  '$request_time $upstream_addr $upstream_status \"$http_user_agent\"';",
        f"  access_log {door.log_dir / 'access.log'} door;",
        f"  client_max_body_size {nginx_size(routing.MAX_BODY_BYTES)};",
        "  proxy_http_version 1.1;",
        # The original Host (with its port) and the client, as the services' ProxyFix expects them
        # (shared/web/proxy.py trusts them only from this door's address).
        "  proxy_set_header Host $http_host;",
        "  proxy_set_header X-Real-IP $remote_addr;",
        "  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "  proxy_set_header X-Forwarded-Proto $scheme;",
        "  proxy_set_header Connection \"\";",
        "  proxy_connect_timeout 5s;",
        f"  proxy_read_timeout {door.read_timeout_s}s;",
        f"  proxy_send_timeout {door.read_timeout_s}s;",
        # Set once, here: a service's own copy of a header the door sets is dropped.
        *(f"  proxy_hide_header {name};" for name in headers),
        *(f"  upstream {service} {{ server {addr}; }}" for service, addr in sorted(door.upstreams.items())),
        "  server {",
        f"    listen {door.listen_host}:{door.http_port}{' ssl' if door.tls else ''};",
        "    server_name _;",
        *([f"    ssl_certificate {door.tls.cert};", f"    ssl_certificate_key {door.tls.key};",
           "    ssl_protocols TLSv1.2 TLSv1.3;"] if door.tls else []),
        *(f"    add_header {name} {_quote(value)} always;" for name, value in headers.items()),
        *(f"    error_page {status} {ERRORS_LOCATION}{status}.json;" for status in DOOR_STATUSES),
        f"    location {ERRORS_LOCATION} {{",
        "      internal;",
        f"      alias {door.errors_dir}/;",
        "      types { }",
        "      default_type \"application/json; charset=utf-8\";",
        "      etag off;",
        "      expires epoch;  # an outage answer is never cached",
        "    }",
        *(f"    {location}" for location in _locations(table)),
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def error_bodies() -> dict[str, bytes]:
    """`413.json` -> the platform's error body for 413, for each status the door answers itself."""
    from shared.web.errors import status_body  # here: it loads the web stack, which `url` does not need

    return {
        f"{status}.json": json.dumps(status_body(status), ensure_ascii=False).encode("utf-8") + b"\n"
        for status in DOOR_STATUSES
    }


def write(door: Door, table: RouteTable) -> Path:
    """Write the configuration and the error bodies, make the directories nginx needs; return the conf path."""
    if door.worker_root != door.directory:
        print(f"nginx_conf: nginx's workers ({door.worker_user}) cannot enter {door.directory}: "
              f"their temp files and error bodies are in {door.worker_root}", file=sys.stderr)
        door.worker_root.mkdir(mode=0o755, exist_ok=True)
        door.worker_root.chmod(0o755)
    for directory in (door.errors_dir, door.log_dir, *(door.temp_dir / k for k in TEMP_DIRS)):
        directory.mkdir(parents=True, exist_ok=True)
    for name, body in error_bodies().items():
        path = door.errors_dir / name
        path.write_bytes(body)
        path.chmod(0o644)  # nginx's workers may run as nobody
    door.errors_dir.chmod(0o755)
    door.conf_path.write_text(render(door, table), encoding="utf-8")
    return door.conf_path


def urls(door: Door, table: RouteTable) -> list[str]:
    """The door first, then what each service answers through it (for `make up` to print)."""
    base = door.url.rstrip("/")
    lines = [f"front door    {door.url}"]
    for manifest in registry.manifests():
        service = manifest.service
        own = [base + p for p in (routing.normalise(r) for r in manifest.routes)
               if p.startswith("/api/") and p not in routing.platform_routes(service)]
        if routing.CATCH_ALL in manifest.routes:
            own.append(f"{base}/api/v1/… (every path no other service claims)")
        lines.append(f"  {manifest.title}")
        lines.append(f"    API       {', '.join(own)}")
        lines.append(f"    OpenAPI   {base}{routing.openapi_path(service)}")
        lines.append(f"    health    {base}{routing.health_path(service)}   {base}{routing.ready_path(service)}")
    return lines


def main(argv: Sequence[str]) -> int:
    table = registry.route_table()
    door = Door.from_environment(table)
    command = argv[0] if argv else "write"
    if command == "write":
        write(door, table)
        print(door.url)
    elif command == "url":
        print(door.url)
    elif command == "urls":
        print("\n".join(urls(door, table)))
    elif command == "workers":
        print(door.worker_root)
    else:
        print(f"usage: python -m deploy.local.nginx_conf [write|url|urls|workers] (not {command!r})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
