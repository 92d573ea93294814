"""What the public status query shows of a flagged court case: its steps, with dates and due dates.

The status query (services/intake/public/) opens a case with the 案号 and an enterprise party's
查询码 and calls `public_timeline`.  The steps are the procedure's, not its content: no reasons,
no other party's names or finances.  Fee-relief steps are shown only to the party they concern
(`party_id`: the credential's subject), because another party's 缓交/减交/免交 says something
about that party's means (案件信息公开 art. 4: 个人隐私, 商业秘密).
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as _dt

from sqlalchemy.orm import Session

from services.intake.court_cases.service import get


@dataclass(frozen=True)
class TimelineStep:
    """One step: what happened (or is due), when, by when, and whether on time."""

    label: str  # in Chinese, as the public page shows it
    date: _dt.date | None  # None: not happened yet
    due_on: _dt.date | None = None
    met: bool | None = None  # None: no time limit, or not closed yet
    provisional: bool = False  # the due date's year has no published holiday arrangement yet


def public_timeline(session: Session, court_case_id: str, *, party_id: str | None = None) -> list[TimelineStep]:
    """The case's steps by date (the ones still due last); empty for an unknown id.  A system read: no unit scoping (the
    status query has checked the 查询码)."""
    court_case = get(session, court_case_id)
    if court_case is None:
        return []
    steps = [TimelineStep("涉企案件标记", court_case.flagged_on)]
    green = court_case.green_channel
    if green is not None:
        label = "立案绿色通道：准予适用" if green.granted else "立案绿色通道：不予适用"
        steps.append(TimelineStep(label, green.decided_on))
    for application in court_case.fee_relief_applications:
        if party_id is None or application.party_id != party_id:
            continue
        steps.append(TimelineStep(f"诉讼费{application.kind}申请", application.applied_on))
        if application.decided:
            outcome = "准予" if application.granted else "不予准许"
            extra = f"（减交{application.granted_percent}%）" if application.granted and application.granted_percent else ""
            steps.append(TimelineStep(f"诉讼费{application.kind}：{outcome}{extra}", application.decided_on))
    due = green.due_on if green is not None and green.granted else None
    steps.append(TimelineStep(
        "立案", court_case.filed_on, due_on=due, met=green.met if green is not None else None,
        provisional=bool(green is not None and green.due_provisional and court_case.filed_on is None),
    ))
    # By date, the steps still to come last (a 减交 may be decided after 立案); stable otherwise.
    return sorted(steps, key=lambda s: (s.date is None, s.date or _dt.date.min))
