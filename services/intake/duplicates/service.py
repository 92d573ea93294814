"""重复件: a petition on the same matter as an earlier case joins that case; a clerk can split it off.

The rule (docs/duplicates.md), applied when a petition is registered (`link_new_petition`):

- **who**: an earlier petition of the same petitioner (the ID number's blind index) or about the
  same enterprise (统一社会信用代码).  Not the phone number: a family, a company switchboard or an
  agent share one, and a false link hides a petition from triage;
- **where**: the same receiving unit (受理单位) and so the same line (12309 / 12368): a handling
  track belongs to the organ that received the petition, and a clerk may not be shown, nor have
  their petition folded into, another unit's case;
- **when**: received within `duplicate_window_days` (90) of this one, by the Beijing receipt date;
- **what**: `similarity` of subject (事由) and claim (诉求) at or above `duplicate_threshold`.

The best-scoring earlier petition wins (the earlier one on a tie), and the link goes to *its*
original if it is itself a 重复件: every link points at the root of its chain, never at another
link.  The later petition then opens no handling track of its own: `petition.received` carries
`duplicate_of`, and review files it under the original's triage item.  `split` undoes that for
one petition (audited, `petition.duplicate_split`), and review opens the item it would have had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.duplicates.models import DuplicateLink
from services.intake.duplicates.similarity import similarity
from services.intake.petitions import queries as petitions
from services.intake.petitions.events import received_data
from services.intake.petitions.models import Petition
from shared.actor import Actor
from shared.audit.service import record
from shared.auth import Principal
from shared.db.base import utcnow
from shared.errors import DomainError, ErrorKind
from shared.events import new_event
from shared.outbox import enqueue

# Who may split a link: the desks that register petitions and the officers who triage them
# (a split decides that a matter needs a track of its own, which is triage's call as much as the desk's).
SPLIT_ROLES = ("intake_clerk", "court_clerk", "judge", "triage_officer", "unit_leader")
# Candidates compared per new petition, newest first: one person's or enterprise's petitions in
# 90 days are a handful; the cap keeps a pathological petitioner from slowing registration.
MAX_CANDIDATES = 200


class NotLinked(DomainError):
    kind = ErrorKind.CONFLICT
    code = "petition_not_linked"
    message_en = "This petition is not linked to an earlier case as a duplicate"
    message_zh = "本件未作为重复件关联到在先案件"


@dataclass(frozen=True)
class Match:
    candidate: Petition
    score: float
    basis: str


@dataclass(frozen=True)
class LinkView:
    """A link as shown: the link with both case numbers."""

    link: DuplicateLink
    case_number: str | None
    original_case_number: str | None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.link, name)


@dataclass(frozen=True)
class Duplicates:
    """What `GET /petitions/<id>/duplicates` answers: this petition's link, and the links to it."""

    petition_id: str
    case_number: str
    duplicate_of: LinkView | None  # the active link of this petition, if it is a 重复件
    history: list[LinkView]  # every link of this petition, split ones included, newest first
    linked: list[LinkView]  # the active links of 重复件 to this petition (when it is an original)


def _subject(petition: Petition) -> str:
    # The petition's 事由 where the model has one (older rows and the current model may not).
    return getattr(petition, "subject", None) or ""


def _candidates(session: Session, petition: Petition, *, window_days: int) -> list[Petition]:
    same: list[Any] = []
    if petition.petitioner_id_number_bidx:
        same.append(Petition.petitioner_id_number_bidx == petition.petitioner_id_number_bidx)
    if petition.enterprise_credit_code:
        same.append(Petition.enterprise_credit_code == petition.enterprise_credit_code)
    if not same:
        return []
    window = timedelta(days=window_days)
    unit = Petition.unit_code.is_(None) if petition.unit_code is None else Petition.unit_code == petition.unit_code
    query = (
        select(Petition)
        .where(or_(*same), unit, Petition.line == petition.line, Petition.id != petition.id)
        .where(Petition.received_on >= petition.received_on - window, Petition.received_on <= petition.received_on + window)
        .order_by(Petition.received_at.desc(), Petition.id)
        .limit(MAX_CANDIDATES)
    )
    return list(session.scalars(query))


def find_match(
    session: Session, *, petition: Petition, subject: str, window_days: int, threshold: float,
) -> Match | None:
    """The earlier petition of the same person or enterprise most like this one, if alike enough."""
    best: Match | None = None
    for candidate in _candidates(session, petition, window_days=window_days):
        score = similarity(_subject(candidate), candidate.claim, subject, petition.claim).value
        if score < threshold:
            continue
        earlier = best is not None and score == best.score and candidate.received_at < best.candidate.received_at
        if best is None or score > best.score or earlier:
            same_person = bool(petition.petitioner_id_number_bidx) and (
                candidate.petitioner_id_number_bidx == petition.petitioner_id_number_bidx)
            best = Match(candidate, score, "same_person" if same_person else "same_enterprise")
    return best


def active_link(session: Session, petition_id: str) -> DuplicateLink | None:
    return session.scalar(
        select(DuplicateLink).where(DuplicateLink.petition_id == petition_id, DuplicateLink.split_at.is_(None)))


def original_of(session: Session, petition_id: str) -> str | None:
    """The id of the case this petition was linked to as a 重复件 (the root), None when it is not linked.

    For the public status query: the later petitioner's query shows the original case while the
    link is active; after a split it shows the petition itself again.
    """
    link = active_link(session, petition_id)
    return link.original_petition_id if link is not None else None


def _link_view(link: DuplicateLink) -> dict[str, Any]:
    return {"petition_id": link.petition_id, "original_petition_id": link.original_petition_id,
            "basis": link.basis, "score": link.score, "linked_at": link.linked_at, "split_at": link.split_at,
            "split_by": link.split_by, "split_reason": link.split_reason}


def link_new_petition(
    session: Session, *, petition: Petition, subject: str, actor: Actor, settings: IntakeSettings | None = None,
) -> DuplicateLink | None:
    """Link a just-registered petition to its original case if it is a 重复件 (see the module docstring).

    Flushes; the caller commits.  Writes the `petition.duplicate_link` audit row naming the
    registering actor and keeps `Petition.possible_duplicate_of` (the old hint's column) equal to
    the original's id while the link is active.
    """
    settings = settings or IntakeSettings()
    match = find_match(session, petition=petition, subject=subject, window_days=settings.duplicate_window_days,
                       threshold=settings.duplicate_threshold)
    if match is None:
        return None
    root = original_of(session, match.candidate.id) or match.candidate.id
    link = DuplicateLink(petition_id=petition.id, original_petition_id=root, basis=match.basis,
                         score=round(match.score, 4), linked_at=utcnow(), unit_code=petition.unit_code)
    session.add(link)
    petition.possible_duplicate_of = root
    session.flush()
    record(
        session, action="petition.duplicate_link", subject_type="petition", subject_id=petition.id,
        after=_link_view(link), detail={"matched_petition_id": match.candidate.id}, **actor.fields(),
    )
    return link


def summary_of(session: Session | None, petition_id: str) -> dict[str, Any] | None:
    """The original case of a linked petition as the petition's API shows it (None: not linked)."""
    link = active_link(session, petition_id) if session is not None else None
    if link is None:
        return None
    original = session.get(Petition, link.original_petition_id) if session is not None else None
    return {"petition_id": link.original_petition_id,
            "case_number": original.case_number if original is not None else None,
            "basis": link.basis, "score": link.score, "linked_at": link.linked_at.isoformat()}


def received_fields(session: Session, link: DuplicateLink | None) -> dict[str, Any]:
    """The `duplicate_of` fields of `petition.received` for a petition with this link (or none)."""
    if link is None:
        return {}
    original = session.get(Petition, link.original_petition_id)
    return {"duplicate_of": link.original_petition_id,
            "duplicate_of_case_number": original.case_number if original is not None else None}


def duplicates_of(session: Session, *, petition_id: str, principal: Principal | None) -> Duplicates:
    """This petition's links and the petitions linked to it.

    :raise NotFound: no such petition, or one of a unit the principal may not see.
    """
    petition = petitions.readable_or_raise(session, petition_id, principal=principal)
    history = list(session.scalars(
        select(DuplicateLink).where(DuplicateLink.petition_id == petition.id)
        .order_by(DuplicateLink.linked_at.desc(), DuplicateLink.id)))
    linked = list(session.scalars(
        select(DuplicateLink).where(DuplicateLink.original_petition_id == petition.id, DuplicateLink.split_at.is_(None))
        .order_by(DuplicateLink.linked_at, DuplicateLink.id)))
    named = {petition.id} | {link.original_petition_id for link in history} | {link.petition_id for link in linked}
    rows = session.execute(select(Petition.id, Petition.case_number).where(Petition.id.in_(named))).tuples()
    numbers = {pid: number for pid, number in rows}

    def view(link: DuplicateLink) -> LinkView:
        return LinkView(link, numbers.get(link.petition_id), numbers.get(link.original_petition_id))

    active = next((view(link) for link in history if link.active), None)
    return Duplicates(petition.id, petition.case_number, active, [view(x) for x in history], [view(x) for x in linked])


def split(session: Session, *, petition_id: str, reason: str, actor: Actor) -> DuplicateLink:
    """Split a 重复件 from its original: it gets a handling track of its own (`petition.duplicate_split`).

    Flushes; the caller commits.  Audited as `petition.duplicate_split` with the link before and after.
    :raise NotFound: no such petition, or one of a unit the actor may not see.
    :raise NotLinked: the petition is not (or no longer) linked.
    """
    petition = petitions.get_or_raise(session, petition_id, principal=actor.principal)
    link = session.scalar(
        select(DuplicateLink).where(DuplicateLink.petition_id == petition.id, DuplicateLink.split_at.is_(None))
        .with_for_update())
    if link is None:
        raise NotLinked()
    before = _link_view(link)
    link.split_at, link.split_by, link.split_reason = utcnow(), actor.name, reason
    petition.possible_duplicate_of = None
    session.flush()
    record(
        session, action="petition.duplicate_split", subject_type="petition", subject_id=petition.id,
        before=before, after=_link_view(link), **actor.fields(),
    )
    original = session.get(Petition, link.original_petition_id)
    enqueue(
        session,
        new_event(
            "petition.duplicate_split",
            subject=petition.id,  # the later petition's key: after its petition.received, in order
            source="intake",
            actor=actor.name,
            trace_id=actor.trace_id,
            data={
                **received_data(petition),
                "original_petition_id": link.original_petition_id,
                "original_case_number": original.case_number if original is not None else "",
                "split_at": link.split_at,
            },
        ),
    )
    return link
