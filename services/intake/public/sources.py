"""The public sources: what a typed case number is, where its code is checked, whose timeline it opens.

A status query names its matter by one number; the number's shape says which register holds it:
``宛检12309〔2026〕12号`` (or an earlier ``12309-2026-000123``) a petition (intake's case number),
``（2022）豫13民初1234号`` a flagged court case (the court's 案号).  Each source says how to recognise and normalise its numbers, which
credential kind guards them (services/intake/credentials), how to tell (for the audit row only)
whether the number exists, how to build the timeline of what a right code opens, and which of its
matters an enterprise is a party to.  Adding a register is one `PublicSource` in `SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.config import IntakeSettings
from services.intake.court_cases import case_numbers as court_numbers
from services.intake.court_cases import timeline as court_timeline
from services.intake.court_cases.models import CourtCase, CourtCaseParty
from services.intake.duplicates import service as duplicates
from services.intake.numbering import service as numbering
from services.intake.petitions import lines, receiving_units
from services.intake.petitions.models import Petition
from services.intake.status import service as read_model
from services.intake.status import timeline
from services.intake.status.timeline import Timeline
from shared.identifiers import is_valid_case_number
from shared.pii import mask_name


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
    # As typed from the receipt: full-width digits, round brackets for 〔〕, no 号 (numbering.normalise).
    number = numbering.normalise(typed)
    return number if numbering.is_case_number(number) else None


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
    # A 重复件 has no handling track of its own: its petitioner sees the original case's, named.
    original_id = duplicates.original_of(session, petition.id)
    original = session.get(Petition, original_id) if original_id else None
    handled = original if original is not None else petition
    steps, deadlines = read_model.of_subject(session, handled.id)
    built = timeline.build(
        _registered(petition, settings), steps, deadlines, settings=settings, today=today,
        unit_name=lambda code: receiving_units.name_of(code, line=petition.line),
        feedback=read_model.feedback_of(session, handled.id),
    )
    if original is None:
        return built
    # The 评价 of the original's reply is its own petitioner's to give.
    return replace(built, merged_into=original.case_number, status=f"已并入{original.case_number}一并办理",
                   feedback_open=False)


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

# --- flagged court cases (涉企标记), by 案号 and an enterprise party's 查询码 ---------------------


def _court_number(typed: str) -> str | None:
    return court_numbers.normalise(typed) if is_valid_case_number(court_numbers.normalise(typed)) else None


def _find_court_case(session: Session, case_number: str) -> str | None:
    return session.scalar(select(CourtCase.id).where(CourtCase.case_number == case_number))


def _court_timeline(session: Session, party: CourtCaseParty, settings: IntakeSettings, today: date) -> Timeline:
    """A flagged case as the party `party` sees it (its own fee relief only: court_cases/timeline.py)."""
    case = party.court_case
    steps: list[timeline.Step] = []
    deadlines: list[timeline.PublicDeadline] = []
    for n, step in enumerate(court_timeline.public_timeline(session, case.id, party_id=party.id)):
        timing = None
        if step.due_on is not None:
            timing = (timeline.ON_TIME if step.met else timeline.LATE) if step.met is not None else (
                timeline.OVERDUE if step.date is None and today > step.due_on else timeline.OPEN)
            deadlines.append(timeline.PublicDeadline(f"{step.label}期限", case.flagged_on, step.due_on,
                                                     step.provisional, timing, step.date))
        steps.append(timeline.Step(
            f"court-{n}", step.label, timeline.DONE_STATE if step.date else timeline.NOT_STARTED, step.date,
            "已办理" if step.date else "尚未进行", step.due_on, timing))
    return Timeline(
        kind="court_case", case_number=case.case_number, line="court", line_name="涉企诉讼案件",
        category=case.case_type,
        party=party.name if party.kind == "enterprise" else mask_name(party.name) or "",
        received_on=case.flagged_on, receiving_unit=receiving_units.name_of(case.unit_code, line="12368"),
        handling_unit=None, status="已立案" if case.filed_on else "已标记涉企，待立案",
        steps=tuple(steps), deadlines=tuple(deadlines), commitments=(), result=None,
    )


def _court_subject(session: Session, party_id: str, settings: IntakeSettings, today: date) -> Timeline | None:
    party = session.get(CourtCaseParty, party_id)
    return _court_timeline(session, party, settings, today) if party is not None else None


def _court_cases_of(session: Session, credit_code: str, settings: IntakeSettings, today: date) -> list[Timeline]:
    parties = session.scalars(select(CourtCaseParty).where(CourtCaseParty.credit_code == credit_code,
                                                           CourtCaseParty.kind == "enterprise")
                              .order_by(CourtCaseParty.court_case_id, CourtCaseParty.position))
    return [_court_timeline(session, party, settings, today) for party in parties]


COURT_CASES = PublicSource(
    name="court_case", credential_kind="court_party", subject_type="court_case", recognise=_court_number,
    find=_find_court_case, timeline=_court_subject, of_enterprise=_court_cases_of,
)

# Petitions first: their numbers can never parse as a 案号, and are the most asked for.
SOURCES: tuple[PublicSource, ...] = (PETITIONS, COURT_CASES)


def locate(typed: str) -> tuple[PublicSource, str] | None:
    """The source whose numbers look like `typed`, with the number as it keeps it; None: no register's shape."""
    for source in SOURCES:
        key = source.recognise(typed)
        if key is not None:
            return source, key
    return None
