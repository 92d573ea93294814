"""A petition routed by review to another unit (交办, 移送 in the tree) is readable there, and only there.

市院控告申诉检察部 (NY-JCY-KS) registers; review's ``triage.routed`` names the unit the matter went
to; intake's consumer writes the grant (services/intake/petitions/grants.py) and the petition's
reads honour it.  The events go through the real consumer path (status_events.deliver).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from services.intake.petitions.models import PetitionUnitGrant
from shared.events import Envelope, new_event
from shared.storage import LocalFolderStore
from tests.support import files
from tests.unit.services.intake.conftest import ID, Browser, form_of
from tests.unit.services.intake.status_events import deliver


def _routed(petition: dict[str, Any], *, route: str, handling_unit_code: str | None = None,
            to_unit_code: str | None = None, unit_code: str = "NY-JCY-KS") -> Envelope:
    """``triage.routed`` as review emits it (services/review/triage/decisions.py `_routed`)."""
    return new_event("triage.routed", subject=petition["id"], source="review", data={
        "petition_id": petition["id"], "case_number": petition["case_number"], "unit_code": unit_code,
        "handling_unit_code": handling_unit_code, "status": "handling", "round": 1, "route": route,
        "from_unit_code": "NY-JCY-KS", "to_unit_code": to_unit_code, "to_organ": None, "due_on": None,
        "suggested_unit_code": None, "override_reason": None})


def _grants(app: Flask) -> list[tuple[str, str, str, str]]:
    with app.extensions["huhang"].session_factory() as session:
        rows = session.scalars(select(PetitionUnitGrant).order_by(PetitionUnitGrant.unit_code))
        return [(g.petition_id, g.unit_code, g.reason, g.source_event_id) for g in rows]


def test_assigned_grants_the_handling_unit_once_on_redelivery(intake_app: Flask, registered: dict[str, Any]) -> None:
    event = _routed(registered, route="assigned", handling_unit_code="NY-JCY-WC")
    deliver(intake_app, event)
    deliver(intake_app, event)  # the same event again: the inbox and the unique grant both hold
    deliver(intake_app, _routed(registered, route="assigned", handling_unit_code="NY-JCY-WC"))  # routed there again
    assert _grants(intake_app) == [(registered["id"], "NY-JCY-WC", "assigned", event.id)]


def test_transferred_in_tree_grants_the_new_receiving_unit(intake_app: Flask, registered: dict[str, Any]) -> None:
    # After an in-tree 移送 the item's unit_code is the other organ's: the grant follows to_unit_code.
    deliver(intake_app, _routed(registered, route="transferred_in_tree", to_unit_code="NY-JCY-WL",
                                unit_code="NY-JCY-WL"))
    assert [(u, r) for _, u, r, _ in _grants(intake_app)] == [("NY-JCY-WL", "transferred_in_tree")]


def test_handled_here_or_out_of_the_tree_grants_nothing(intake_app: Flask, registered: dict[str, Any]) -> None:
    deliver(intake_app, _routed(registered, route="assigned", handling_unit_code="NY-JCY-KS"),  # its own unit
            _routed(registered, route="here", handling_unit_code="NY-JCY-KS"),
            _routed(registered, route="transferred_out"))
    assert _grants(intake_app) == []


def test_the_handling_unit_reads_the_panel_after_the_grant_and_no_other_unit_does(
    intake_app: Flask, browser: Browser, registered: dict[str, Any],
) -> None:
    petition_id = registered["id"]
    wc, wl = browser("case_handler", "NY-JCY-WC"), browser("case_handler", "NY-JCY-WL")
    assert wc.get(f"/petitions/{petition_id}/panel").status_code == 404
    deliver(intake_app, _routed(registered, route="assigned", handling_unit_code="NY-JCY-WC"))
    panel = wc.get(f"/petitions/{petition_id}/panel")
    assert panel.status_code == 200 and registered["case_number"] in panel.get_data(as_text=True)
    assert ID not in panel.get_data(as_text=True)  # masked as for the receiving unit
    assert wc.get(f"/petitions/{petition_id}").status_code == 200
    for path in ("/panel", ""):
        assert wl.get(f"/petitions/{petition_id}{path}").status_code == 404, path


def test_the_granted_unit_may_reveal_but_not_issue_a_new_query_code(
    intake_app: Flask, browser: Browser, registered: dict[str, Any],
) -> None:
    petition_id = registered["id"]
    deliver(intake_app, _routed(registered, route="assigned", handling_unit_code="NY-JCY-WC"))
    wc = browser("case_handler", "NY-JCY-WC")
    hidden = form_of(wc, f"/petitions/{petition_id}")
    answer = wc.post(f"/petitions/{petition_id}/reveal",
                     data={**hidden, "fields": ["id_number"], "reason": "承办单位电话联系信访人"})
    assert answer.status_code == 200 and ID in answer.get_data(as_text=True)
    # A grant is for reading: the registering roles there are offered no upload (it would be refused).
    page = browser("intake_clerk", "NY-JCY-WC").get(f"/petitions/{petition_id}")
    assert page.status_code == 200 and "/attachments/upload" not in page.get_data(as_text=True)
    # A role that may not reveal still may not, grant or no grant.
    leader = browser("unit_leader", "NY-JCY-WC")
    assert leader.post(f"/petitions/{petition_id}/reveal", data={"fields": ["id_number"], "reason": "x"}
                       ).status_code in (403, 400)


def test_the_api_reads_the_petition_for_the_granted_unit(
    intake_app: Flask, browser: Browser, registered: dict[str, Any], test_keys: Any,
) -> None:
    petition_id = registered["id"]
    client = intake_app.test_client()
    headers = test_keys.headers("case_handler", "NY-JCY-WC")
    assert client.get(f"/api/v1/petitions/{petition_id}", headers=headers).status_code == 404
    deliver(intake_app, _routed(registered, route="assigned", handling_unit_code="NY-JCY-WC"))
    assert client.get(f"/api/v1/petitions/{petition_id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/petitions/{petition_id}",
                      headers=test_keys.headers("case_handler", "NY-JCY-WL")).status_code == 404


def test_the_granted_unit_lists_and_downloads_the_attachments(
    intake_app: Flask, intake_client: Any, registered: dict[str, Any], test_keys: Any, tmp_path: Path,
) -> None:
    intake_app.extensions["huhang"].extras["blob_store"] = LocalFolderStore(tmp_path / "blobs")
    petition_id, pdf = registered["id"], files.pdf("handling unit reads")
    up = intake_client.post(f"/api/v1/attachments?petition_id={petition_id}", content_type="multipart/form-data",
                            data={"file": (io.BytesIO(pdf), "证据.pdf", "application/pdf")})
    assert up.status_code == 201, up.json
    wc, wl = test_keys.headers("case_handler", "NY-JCY-WC"), test_keys.headers("case_handler", "NY-JCY-WL")
    listing, content = f"/api/v1/petitions/{petition_id}/attachments", f"/api/v1/attachments/{up.json['id']}/content"
    assert intake_app.test_client().get(listing, headers=wc).status_code == 404
    assert intake_app.test_client().get(content, headers=wc).status_code == 404
    deliver(intake_app, _routed(registered, route="assigned", handling_unit_code="NY-JCY-WC"))
    listed = intake_app.test_client().get(listing, headers=wc)
    assert listed.status_code == 200 and [a["id"] for a in listed.json] == [up.json["id"]]
    assert intake_app.test_client().get(content, headers=wc).data == pdf
    assert intake_app.test_client().get(listing, headers=wl).status_code == 404
    assert intake_app.test_client().get(content, headers=wl).status_code == 404
