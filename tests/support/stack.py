"""A whole huhang stack as real processes (gunicorn APIs and relay+consumer workers) for tests.

Each stack gets its own topic prefix and databases, so stacks on one broker never meet.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import requests

REPO = Path(__file__).resolve().parents[2]
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], T | None], *, timeout: float = 30.0, interval: float = 0.1, what: str = "condition") -> T:
    """Poll until `check` returns something truthy; bounded, never a bare sleep."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except Exception as exc:  # noqa: BLE001 - keep polling until the deadline
            last = exc
        else:
            if last:
                return last
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


@dataclass
class Stack:
    kafka_bootstrap: str
    database_urls: dict[str, str]
    topic_prefix: str
    log_dir: Path
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    # The source tree the processes run (another one: a benchmark comparing an earlier commit).
    source: Path = REPO

    def env(self, service: str, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            KAFKA_BOOTSTRAP_SERVERS=self.kafka_bootstrap,
            HUHANG_TOPIC_PREFIX=self.topic_prefix,
            HUHANG_RELAY_POLL_INTERVAL="0.02",
            PYTHONUNBUFFERED="1",
        )
        env.pop("DATABASE_URL", None)
        for svc, url in self.database_urls.items():
            env[f"{svc.upper()}_DATABASE_URL"] = url
        env.update(extra)
        return env

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", *args], cwd=self.source, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def start_api(self, service: str, workers: int = 2, **env: str) -> str:
        port = self.ports.setdefault(service, free_port())
        self._spawn(f"{service}-api", ["serve", service, "--port", str(port), "--workers", str(workers)], self.env(service, **env))
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: requests.get(f"{url}/healthz", timeout=1).ok, what=f"{service} API")
        return url

    def start_workers(self, service: str, **env: str) -> subprocess.Popen[bytes]:
        return self._spawn(f"{service}-workers", ["workers", service], self.env(service, **env))

    def start_relay(self, service: str, **env: str) -> subprocess.Popen[bytes]:
        return self._spawn(f"{service}-relay", ["relay", service], self.env(service, **env))

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name, None)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=15)

    def stop_all(self) -> None:
        for name in list(self.procs):
            proc = self.procs[name]
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name in list(self.procs):
            proc = self.procs.pop(name)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}" for p in sorted(self.log_dir.glob("*.log")))
