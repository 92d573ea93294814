"""The 重复件 link on the petition page, and the split form (CSRF, roles, audit)."""

from __future__ import annotations

import copy
from typing import Any

from flask.testing import FlaskClient

from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.unit.services.intake.conftest import Browser, audit_rows, form_of


def _twice(intake_client: FlaskClient) -> tuple[dict[str, Any], dict[str, Any]]:
    first = intake_client.post("/api/v1/petitions", json=copy.deepcopy(PETITION_EXAMPLE)).json
    again = copy.deepcopy(PETITION_EXAMPLE) | {"claim": "再次请求依法撤销对本企业账户的冻结措施，上次反映至今没有答复"}
    second = intake_client.post("/api/v1/petitions", json=again).json
    assert first is not None and second is not None
    return dict(first), dict(second)


def test_the_later_petition_shows_its_original_and_the_original_its_duplicates(
    browser: Browser, intake_client: FlaskClient,
) -> None:
    first, second = _twice(intake_client)
    assert second["duplicate_of"]["petition_id"] == first["id"] and second["possible_duplicate_of"] == first["id"]
    assert first["duplicate_of"] is None
    client = browser("intake_clerk")
    later = client.get(f"/petitions/{second['id']}").get_data(as_text=True)
    assert f"与 <a href=\"/petitions/{first['id']}\">{first['case_number']}</a> 号案件为同一事项" in later
    assert "拆分重复件" in later
    original = client.get(f"/petitions/{first['id']}").get_data(as_text=True)
    assert second["case_number"] in original and "已并入本案办理" in original and "拆分重复件" not in original
    # A case handler reads the link but may not split it.
    handler = browser("case_handler", "NY-JCY-KS").get(f"/petitions/{second['id']}").get_data(as_text=True)
    assert first["case_number"] in handler and "拆分重复件" not in handler


def test_the_split_form_splits_audited_and_a_short_reason_is_refused(browser: Browser, intake_client: FlaskClient,
                                                                    intake_app: Any) -> None:
    first, second = _twice(intake_client)
    client = browser("triage_officer")
    path = f"/petitions/{second['id']}"
    hidden = form_of(client, path)  # the split form comes before the reveal form
    refused = client.post(f"{path}/duplicate-split", data={**hidden, "reason": "x"})
    assert refused.status_code == 422 and "拆分原因" in refused.get_data(as_text=True)
    assert audit_rows(intake_app, "petition.duplicate_split") == []
    done = client.post(f"{path}/duplicate-split", data={**hidden, "reason": "另一账户，不是同一事项"})
    assert done.status_code == 303 and done.headers["Location"].endswith(path)
    (entry,) = audit_rows(intake_app, "petition.duplicate_split")
    assert entry.actor == "t-triage_officer" and entry.after["split_reason"] == "另一账户，不是同一事项"
    assert "拆分重复件" not in client.get(path).get_data(as_text=True)
    assert (intake_client.get(f"/api/v1/petitions/{second['id']}").json or {}).get("duplicate_of", "absent") is None
    # Without the form's CSRF token nothing is split (a 400 before anything else).
    assert client.post(f"{path}/duplicate-split", data={"reason": "another"}).status_code == 400
