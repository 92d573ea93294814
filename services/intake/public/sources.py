"""The public sources: what a typed case number is, where its code is checked, whose timeline it opens.

A status query names its matter by one number; the number's shape says which register holds it:
``12309-2026-000123`` a petition (intake's case number), ``（2022）豫13民初1234号`` a flagged court
case (the court's 案号).  Each source says how to recognise and normalise its numbers, which
credential kind guards them (services/intake/credentials), how to tell (for the audit row only)
whether the number exists, how to build the timeline of what a right code opens, and which of its
matters an enterprise is a party to.  Adding a register is one `PublicSource` in `SOURCES`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.petitions import lines, receiving_units
from services.intake.petitions.models import Petition
from services.intake.status import service as read_model
from services.intake.status import timeline
from services.intake.status.timeline import Timeline
from shared.pii import mask_name

PETITION_NUMBER = re.compile(r"^(12309|12368)-\d{4}-\d{6}$")


@dataclass(frozen=True)
class PublicSource:
    """One register the public may query by number and code."""

    name: str
    credential_kind: str  # the kind services/intake/credentials checks the code as
    subject_type: str  # the audit rows' subject_type
    # The typed number as the register keeps it (the credential's lookup key), or None: not ours.
    recognise: Callable[[str], str | None]
    # The subject registered under the number, or None (says which failure it was, in the audit row).
    find: Callable[[Session, str], str | None]
    # The timeline of the subject a right code opened (credentials.check's subject id).
    timeline: Callable[[Session, str, IntakeSettings, date], Timeline | None]
    # The timelines of every matter of the register an enterprise (credit code) is a party to.
    of_enterprise: Callable[[Session, str, IntakeSettings, date], list[Timeline]]


# --- petitions (12309 / 12368), intake's own rows --------------------------------------------------


def _petition_number(typed: str) -> str | None:
    # An IME may type full-width digits and hyphens (１２３０９－); a long dash is a hyphen too.
    number = re.sub(r"[‐‑‒–—―−]", "-", unicodedata.normalize("NFKC", typed))
    number = re.sub(r"\s", "", number)
    return number if PETITION_NUMBER.match(number) else None


def _find_petition(session: Session, case_number: str) -> str | None:
    return session.scalar(select(Petition.id).where(Petition.case_number == case_number))


def _registered(petition: Petition, settings: IntakeSettings) -> timeline.Registered:
    return timeline.Registered(
        case_number=petition.case_number,
        line=petition.line,
        line_name=lines.LINE_TEXT.get(petition.line, petition.line),
        category=petition.petition_type,
        # An enterprise's name is public (its 营业执照 is); a person's is masked (张*).
        party=petition.enterprise_name if petition.is_enterprise and petition.enterprise_name
        else mask_name(petition.petitioner_name) or "",
        received_on=petition.received_on,
        receiving_unit=receiving_units.name_of(petition.unit_code, line=petition.line),
        commitments=lines.commitments(petition.line, settings),
    )


def _petition_timeline(session: Session, petition: Petition, settings: IntakeSettings, today: date) -> Timeline:
    steps, deadlines = read_model.of_subject(session, petition.id)
    return timeline.build(
        _registered(petition, settings), steps, deadlines, settings=settings, today=today,
        unit_name=lambda code: receiving_units.name_of(code, line=petition.line),
    )


def _petition_subject(session: Session, petition_id: str, settings: IntakeSettings, today: date) -> Timeline | None:
    petition = session.get(Petition, petition_id)
    return _petition_timeline(session, petition, settings, today) if petition is not None else None


def _petitions_of(session: Session, credit_code: str, settings: IntakeSettings, today: date) -> list[Timeline]:
    petitions = session.scalars(select(Petition).where(Petition.enterprise_credit_code == credit_code)
                                .order_by(Petition.received_at, Petition.id))
    return [_petition_timeline(session, p, settings, today) for p in petitions]


PETITIONS = PublicSource(
    name="petition", credential_kind="petition", subject_type="petition", recognise=_petition_number,
    find=_find_petition, timeline=_petition_subject, of_enterprise=_petitions_of,
)

# The court's flagged cases join here as one more source (services/intake/court_cases).
SOURCES: tuple[PublicSource, ...] = (PETITIONS,)


def locate(typed: str) -> tuple[PublicSource, str] | None:
    """The source whose numbers look like `typed`, with the number as it keeps it; None: no register's shape."""
    for source in SOURCES:
        key = source.recognise(typed)
        if key is not None:
            return source, key
    return None
