"""Wiring auth into a service app: the key source, the before_request check, the startup check,
and in review the after_request refresh of a browser's access cookie."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from shared.auth import cookies
from shared.auth.access import AuthGate, authenticate_request, check_declarations, current_browser_session
from shared.auth.config import AuthSettings
from shared.auth.jwks import JWKSClient
from shared.auth.keys import generate_key_file, load_private_key
from shared.auth.tokens import StaticKeys, TokenIssuer, TokenVerifier


def install_auth(app: Flask, *, signs_tokens: bool, auth: AuthSettings | None = None) -> AuthGate:
    """Refuse insecure production settings and undeclared views; check every request's token.

    The service that signs tokens (review) verifies with its own key; the others read review's
    JWKS document (a file, or the URL fetched lazily on first use and cached).
    """
    auth = auth or AuthSettings()
    auth.check_production(signs_tokens=signs_tokens)
    check_declarations(app)
    issuer: TokenIssuer | None = None
    if signs_tokens:
        path = auth.signing_key_path()
        key = load_private_key(path) if path.exists() else generate_key_file(path)
        issuer = TokenIssuer(key, ttl_seconds=auth.token_ttl_seconds)
        verifier = TokenVerifier(StaticKeys(key.public_key()))
    else:
        verifier = TokenVerifier(
            JWKSClient(url=auth.jwks_url, file=auth.jwks_file, refresh_seconds=auth.jwks_refresh_seconds)
        )
    gate = AuthGate(verifier=verifier, issuer=issuer, settings=auth)
    app.extensions["huhang_auth"] = gate
    app.before_request(authenticate_request)
    if signs_tokens:
        app.after_request(refresh_access_cookie)
    return gate


def refresh_access_cookie(response: Response) -> Response:
    """after_request (review): a request signed in by its session cookie gets a fresh access cookie
    when its own is missing, invalid, of another session or past half its life.

    A view that set or cleared the access cookie itself (sign-in, refresh, sign-out) is left alone.
    """
    browser = current_browser_session()
    if browser is None or g.get("access_cookie_written"):
        return response
    gate: AuthGate = current_app.extensions["huhang_auth"]
    assert gate.issuer is not None
    if cookies.needs_reissue(gate.verifier, request.cookies.get(gate.access_cookie), browser=browser,
                             now=gate.issuer.clock()):
        gate.write_access_cookie(response, browser)
    return response
