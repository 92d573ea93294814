"""Issuing, re-issuing and checking public credentials, in the caller's transaction.

Every issue and re-issue is audited (``credential.issue`` / ``credential.reissue``, never with the
code).  A check runs a fixed number of argon2 verifications for its kind, whatever is stored, so
its time says nothing about whether the case exists or how many codes it has.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.credentials import codes, hashing
from services.intake.credentials.models import PublicCredential
from shared.actor import Actor
from shared.audit.service import record
from shared.db.base import utcnow

KINDS = ("petition", "court_party", "enterprise")
# How many active codes one lookup key may have, and so how many verifications a check runs.
# A court case may have several enterprise parties, each with its own code.
_PER_KEY = {"petition": 1, "court_party": 4, "enterprise": 1}
_LENGTH = {"petition": codes.LENGTH, "court_party": codes.LENGTH, "enterprise": codes.ENTERPRISE_LENGTH}


class TooManyCodes(ValueError):
    """A lookup key already has as many active codes as its kind allows."""


@dataclass(frozen=True)
class Issued:
    credential_id: str
    code: str  # shown once to whoever was given it; the display form is codes.display(code)


@dataclass(frozen=True)
class Drawn:
    """A code drawn and hashed ahead of `issue`: the argon2 run, done before any lock is taken."""

    kind: str
    code: str
    code_hash: str


def draw(kind: str) -> Drawn:
    """A fresh code of `kind` and its hash, to hand to `issue` (slow by design: one argon2 run)."""
    _check_kind(kind)
    code = codes.new_code(_LENGTH[kind])
    return Drawn(kind, code, hashing.hash_code(code))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown credential kind {kind!r}")


def issue(session: Session, *, kind: str, subject_id: str, lookup_key: str, actor: Actor,
          subject_type: str, reason: str | None = None, drawn: Drawn | None = None,
          new_subject: bool = False) -> Issued:
    """A new code for `subject_id`, revoking its active one (a re-issue); flushes, the caller commits.

    `drawn`: the code, drawn earlier with `draw` (a caller holding a lock hashes before taking it);
    by default one is drawn here.  `new_subject`: the subject and its lookup key were made in this
    transaction (a petition and the case number just allocated to it), so no code can exist yet
    to revoke or to count against the key: the two queries that look are skipped (two round trips
    of every registration), and the unique index of active codes still stands behind it.

    :raise TooManyCodes: `lookup_key` already has its kind's number of active codes for other subjects.
    """
    _check_kind(kind)
    now = utcnow()
    revoked: list[str] = []
    if not new_subject:
        revoked = list(session.scalars(
            update(PublicCredential)
            .where(PublicCredential.kind == kind, PublicCredential.subject_id == subject_id,
                   PublicCredential.revoked_at.is_(None))
            .values(revoked_at=now, revoked_by=actor.name)
            .returning(PublicCredential.id)
        ).all())
        others = session.scalars(select(PublicCredential.id).where(
            PublicCredential.kind == kind, PublicCredential.lookup_key == lookup_key,
            PublicCredential.revoked_at.is_(None))).all()
        if len(others) >= _PER_KEY[kind]:
            raise TooManyCodes(f"{lookup_key}: at most {_PER_KEY[kind]} active {kind} codes")
    if drawn is not None and drawn.kind != kind:
        raise ValueError(f"a {drawn.kind} code cannot be issued as {kind}")
    drawn = drawn or draw(kind)
    credential = PublicCredential(kind=kind, subject_id=subject_id, lookup_key=lookup_key,
                                  code_hash=drawn.code_hash, issued_at=now, issued_by=actor.name)
    session.add(credential)
    session.flush()
    record(session, action="credential.reissue" if revoked else "credential.issue", subject_type=subject_type,
           subject_id=subject_id, detail={"kind": kind, "credential_id": credential.id,
                                          **({"reason": reason} if reason else {})}, **actor.fields())
    return Issued(credential.id, drawn.code)


def has_active(session: Session, *, kind: str, subject_id: str) -> bool:
    """Whether the subject has a code that works (without saying what it is)."""
    return session.scalar(select(PublicCredential.id).where(
        PublicCredential.kind == kind, PublicCredential.subject_id == subject_id,
        PublicCredential.revoked_at.is_(None)).limit(1)) is not None


def check(session: Session, *, kind: str, lookup_key: str, entered: str) -> str | None:
    """The subject id the code opens under `lookup_key`, or None; always `_PER_KEY[kind]` verifications."""
    _check_kind(kind)
    stored = session.execute(
        select(PublicCredential.subject_id, PublicCredential.code_hash)
        .where(PublicCredential.kind == kind, PublicCredential.lookup_key == lookup_key,
               PublicCredential.revoked_at.is_(None))
        .order_by(PublicCredential.issued_at).limit(_PER_KEY[kind])
    ).all()
    slots: list[tuple[str | None, str | None]] = [(row.subject_id, row.code_hash) for row in stored]
    slots += [(None, None)] * (_PER_KEY[kind] - len(slots))
    found: str | None = None
    for subject_id, code_hash in slots:  # no early exit: every slot costs one verification
        if hashing.verify(code_hash, entered) and found is None:
            found = subject_id
    return found
