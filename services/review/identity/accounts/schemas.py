"""Schemas of sign-in, tokens, sessions and accounts.  No schema here carries a hash or secret."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class Credentials(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={"example": "demo-12309"})
    password = fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True,
                             metadata={"example": "Demo!2026huhang"})
    totp = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10), load_only=True,
                         metadata={"description": "6-digit TOTP code; required for admin and task_force accounts"})


CREDENTIALS_EXAMPLE = {"username": "demo-12309", "password": "Demo!2026huhang"}


class PasswordChange(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=64),
        metadata={"description": "only when not signed in (e.g. an administrator whose password has expired): "
                                 "the password and TOTP code are then checked as at sign-in"})
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True)
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200), load_only=True,
                                 metadata={"description": "12+ characters, 3 of 4 character classes, not the "
                                                          "username, not the current password"})
    totp = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10), load_only=True,
                         metadata={"description": "with `username`: the 6-digit TOTP code of an admin or "
                                                  "task_force account (a code not used before)"})


# The not-signed-in form (a signed-in caller sends only the two passwords).  demo-handler, so that
# the sign-in examples (demo-12309) still sign in after this one is sent.
PASSWORD_CHANGE_EXAMPLE = {
    "username": "demo-handler", "current_password": "Demo!2026huhang", "new_password": "Wancheng#2027-spring",
}


class PasswordChanged(Schema):
    username = fields.String()
    password_changed_at = fields.AwareDateTime(format="iso")
    sessions_ended = fields.Integer(metadata={"description": "the account's other web sessions, now ended"})


class TokenRead(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class MeRead(Schema):
    user_id = fields.String()
    username = fields.String()
    unit_code = fields.String()
    roles = fields.List(fields.String())
    visible_units = fields.Raw(metadata={"description": "unit codes, or \"*\" for every unit"})


class SessionRead(Schema):
    username = fields.String()
    expires_at = fields.AwareDateTime(format="iso")
    idle_timeout_seconds = fields.Integer()


class AccessCookieRead(Schema):
    expires_at = fields.AwareDateTime(format="iso", metadata={"description": "when the new access cookie's token expires"})
    expires_in = fields.Integer(metadata={"description": "seconds until then (HUHANG_ACCESS_COOKIE_TTL_SECONDS)"})


class AccountRead(Schema):
    id = fields.String()
    username = fields.String()
    display_name = fields.String()
    unit_code = fields.String()
    roles = fields.List(fields.String())
    disabled = fields.Boolean()
    is_demo = fields.Boolean()
    locked = fields.Boolean()
    locked_until = fields.AwareDateTime(format="iso", allow_none=True)
    failed_count = fields.Integer()
    totp_enrolled = fields.Boolean()
    last_sign_in_at = fields.AwareDateTime(format="iso", allow_none=True)


class JwkRead(Schema):
    kty = fields.String(metadata={"example": "OKP"})
    crv = fields.String(metadata={"example": "Ed25519"})
    x = fields.String(metadata={"description": "the public key, base64url"})
    kid = fields.String(metadata={"description": "RFC 7638 thumbprint; the `kid` header of the tokens it verifies"})
    alg = fields.String(metadata={"example": "EdDSA"})
    use = fields.String(metadata={"example": "sig"})


class JwksRead(Schema):
    keys = fields.List(fields.Nested(JwkRead))
