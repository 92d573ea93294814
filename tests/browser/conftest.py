"""Browser tests: Playwright driving Debian's Chromium over the stack `make up` starts.

The stack is deploy/local/up.sh itself (the services, their workers, the front door, demo data),
started on its own ports (8200 for the door) with its own state directory and topic prefix, on
the broker `make test` already runs.  No browser is downloaded: Playwright is pointed at
/usr/bin/chromium (deploy/local/packages.sh installs it).  Every page a journey visits is checked
with axe-core (web/node_modules, from npm) for serious and critical violations, and every
Content-Security-Policy violation the browser reports fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.stack import wait_for

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HUHANG_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
DOOR_PORT = int(os.environ.get("HUHANG_BROWSER_PORT", "8200"))
DEMO_PASSWORD = "Demo!2026huhang"
# services/review/identity/accounts/demo.py: the demo TOTP secrets (demo only).
DEMO_TOTP = {"demo-admin": "HUHANGDEMOADMINSECRETONLYFORDEMO", "demo-taskforce": "HUHANGDEMOTASKFORCEONLYFORDEMOXX"}
ARTIFACTS = REPO / "var" / "browser"


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} missing (deploy/local/packages.sh installs Debian's chromium)"
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return "nginx missing (deploy/local/packages.sh installs nginx-light)"
    if not AXE.exists():
        return "web/node_modules missing (make assets runs npm ci)"
    return None


@dataclass
class Portal:
    base_url: str
    var: Path
    log: Path

    def url(self, path: str) -> str:
        return self.base_url + path


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The whole platform as `make up` starts it, behind its front door on port 8200."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    var = tmp_path_factory.mktemp("browser-stack")
    env = dict(os.environ)
    env.update(
        HUHANG_VAR=str(var), HUHANG_HTTP_PORT=str(DOOR_PORT), HUHANG_INTAKE_PORT=str(DOOR_PORT + 1),
        HUHANG_REVIEW_PORT=str(DOOR_PORT + 2), HUHANG_NOTIFY_PORT=str(DOOR_PORT + 3),
        HUHANG_TOPIC_PREFIX=f"browser{uuid.uuid4().hex[:8]}", HUHANG_KAFKA_EXTERNAL="1",
        HUHANG_JWKS_URL=f"http://127.0.0.1:{DOOR_PORT + 2}/.well-known/jwks.json",
        KAFKA_BOOTSTRAP_SERVERS=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        DB="sqlite",
    )
    for name in ("DATABASE_URL", "HUHANG_SIGNING_KEY_FILE", "HUHANG_JWKS_FILE"):
        env.pop(name, None)  # the stack makes its own, as `make up` does
    log = var / "up.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(["bash", str(REPO / "deploy/local/up.sh")], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{DOOR_PORT}"
    try:
        wait_for(lambda: "Ctrl-C" in log.read_text(errors="replace") or proc.poll() is not None,
                 timeout=240, interval=0.5, what="make up's stack to be running")
        if proc.poll() is not None:
            raise RuntimeError(f"up.sh exited with {proc.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        wait_for(lambda: requests.get(base + "/healthz/review", timeout=2).ok, timeout=60, what="the front door")
        yield Portal(base, var, log)
    finally:
        subprocess.run(["bash", str(REPO / "deploy/local/up.sh"), "stop"], cwd=REPO, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Checked:
    """A page whose every load is checked: no CSP violation, and axe-core finds nothing serious."""

    def __init__(self, page: Any, axe_page: Any, portal: Portal) -> None:
        self.page = page
        self._axe_page = axe_page
        self.portal = portal
        self.csp_violations: list[str] = []
        page.on("console", lambda msg: self.csp_violations.append(msg.text)
                if "Content Security Policy" in msg.text or "Refused to" in msg.text else None)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.portal.url(path))

    def check(self, name: str) -> None:
        """axe-core over what the page shows now, in a twin context that allows injecting it."""
        self.page.wait_for_load_state("networkidle")  # the included parts are in
        assert not self.csp_violations, f"CSP violations on {self.page.url}: {self.csp_violations}"
        cookies = self.page.context.cookies()
        self._axe_page.context.clear_cookies()
        self._axe_page.context.add_cookies(cookies)
        self._axe_page.set_viewport_size(self.page.viewport_size)
        self._axe_page.set_content(self.page.content(), wait_until="networkidle")
        self._axe_page.add_script_tag(path=str(AXE))
        result = self._axe_page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert not bad, f"axe-core on {name} ({self.page.url}): " + json.dumps(
            [{"id": v["id"], "impact": v["impact"], "help": v["help"],
              "nodes": [n["html"][:160] for n in v["nodes"][:3]]} for v in bad], ensure_ascii=False, indent=1)


@pytest.fixture
def make_page(browser: Any, portal: Portal) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(*, width: int = 1280, height: int = 900) -> Checked:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      timezone_id="Asia/Shanghai")
        # The axe twin: same content, CSP bypassed only so axe itself can be injected.
        axe_context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True,
                                          base_url=portal.base_url)
        contexts.extend([context, axe_context])
        page = context.new_page()
        page.set_default_timeout(15_000)
        axe_page = axe_context.new_page()
        axe_page.goto(portal.url("/session-ended"))  # any page of the origin, so set_content resolves /assets/
        return Checked(page, axe_page, portal)

    yield make
    for context in contexts:
        context.close()


_LAST_STEP: dict[str, int] = {}


def totp_now(username: str) -> str:
    """A code the server has not seen yet: a code is usable once, and sign-in accepts the next step too."""
    import time

    import pyotp

    totp = pyotp.TOTP(DEMO_TOTP[username])
    step = max(int(time.time()) // 30, _LAST_STEP.get(username, -1) + 1)
    while step > int(time.time()) // 30 + 1:  # two sign-ins within one step: wait for the next window
        time.sleep(0.5)
    _LAST_STEP[username] = step
    return str(totp.at(step * 30))


def sign_in(checked: Checked, username: str, *, keyboard: bool = False) -> None:
    """Sign in through the form, as a person does (with the keyboard only when asked)."""
    page = checked.page
    checked.goto("/signin")
    if keyboard:
        page.locator("#username").focus()
        page.keyboard.type(username)
        page.keyboard.press("Tab")
        page.keyboard.type(DEMO_PASSWORD)
        if username in DEMO_TOTP:
            page.keyboard.press("Tab")
            page.keyboard.type(totp_now(username))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        if username in DEMO_TOTP:
            page.fill("#totp", totp_now(username))
        with page.expect_navigation():
            page.click("button:has-text('登录')")
    assert "/signin" not in page.url, page.locator("main").inner_text()


def nav_link(checked: Checked, name: str) -> Any:
    """A link of the portal's main navigation, by its exact text."""
    return checked.page.locator("nav.site-nav").get_by_role("link", name=name, exact=True)
