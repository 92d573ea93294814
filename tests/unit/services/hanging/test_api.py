"""The 挂案 intake API: import (all or nothing, idempotent, changed rows), hand entry, edits, access, templates."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select, text

from services.review.cases.hanging import files, importing
from services.review.cases.hanging.models import HangingCase, HangingCaseImport, HangingCaseSuspect
from shared.audit.models import AuditEntry
from shared.outbox.models import OutboxMessage
from tests.support.hanging import csv_file, id_number, row, xlsx
from tests.unit.services.hanging.conftest import Call

HAND = {
    "case_number": "宛公经立字〔2025〕7号", "investigating_organ": "南阳市公安局宛城分局", "case_title": "某公司涉嫌虚开增值税专用发票案",
    "charge": "虚开增值税专用发票罪", "filed_on": "2025-05-06", "enterprise_name": "南阳某某贸易有限公司",
    "suspects": [{"name": "王某", "role": "actual_controller", "id_number": id_number(77)}],
    "measures": [{"kind": "detention", "started_on": "2025-05-07", "ends_on": "2025-05-14", "lifted_on": "2025-05-14",
                  "suspect_name": "王某"},
                 {"kind": "bail", "started_on": "2025-05-14", "ends_on": "2026-05-13", "suspect_name": "王某"}],
    "property": [{"kind": "seized", "description": "账册三本"}],
}


def _count(app: Flask, model: Any) -> int:
    with app.extensions["huhang"].session_factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _events(app: Flask, prefix: str = "hanging_case.") -> list[str]:
    with app.extensions["huhang"].session_factory() as session:
        return [e.event_type for e in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
                if e.event_type.startswith(prefix)]


def test_a_good_xlsx_imports_every_case_once(review_app: Flask, upload: Call, api: Call) -> None:
    data = xlsx([row(1), row(2), row(3)])
    answer = upload(data)
    assert answer.status_code == 201, answer.json
    body = answer.json
    assert (body["row_count"], body["created_count"], body["updated_count"], body["replayed"]) == (3, 3, 0, False)
    assert body["file_format"] == "xlsx" and body["unit_code"] == "NY-JCY-XS" and len(body["case_ids"]) == 3
    case = api("GET", f"/api/v1/hanging-cases/{body['case_ids'][0]}").json
    assert case["case_number"] == "宛公经立字〔2024〕1号" and case["source"] == "import"
    assert case["import_batch_id"] == body["id"]
    assert case["suspects"][0]["id_number_masked"].startswith("4113") and "id_number" not in case["suspects"][0]
    assert _events(review_app) == ["hanging_case.registered"] * 3 + ["hanging_case.imported"]
    # The same bytes again: that batch, nothing new.
    again = upload(data, name="renamed.xlsx")
    assert again.status_code == 200 and again.json["replayed"] is True and again.json["id"] == body["id"]
    assert _count(review_app, HangingCase) == 3 and _count(review_app, HangingCaseImport) == 1
    assert len(_events(review_app)) == 4
    listed = api("GET", "/api/v1/hanging-cases/imports").json
    assert [b["id"] for b in listed] == [body["id"]]


def test_a_bad_file_imports_nothing_and_names_each_problem(review_app: Flask, upload: Call) -> None:
    answer = upload(csv_file([row(1), row(2, 立案日期="2024-13-01"), row(3, 嫌疑人1身份证号="411302198001010011")]),
                    name="bad.csv")
    assert answer.status_code == 422
    assert answer.json["code"] == "hanging_import.rejected" and answer.json["message"]["zh"]
    found = [(p["row"], p["column"], p["code"]) for p in answer.json["problems"]]
    assert found == [(3, "立案日期", "hanging_import.no_such_date"), (4, "嫌疑人1身份证号", "id_number.check_character")]
    assert all(p["message"]["zh"] and p["message"]["en"] for p in answer.json["problems"])
    assert _count(review_app, HangingCase) == 0 and _count(review_app, HangingCaseImport) == 0
    assert _events(review_app) == []


def test_an_unreadable_file_is_a_422_of_the_file(upload: Call) -> None:
    answer = upload(b"PK\x03\x04broken", name="x.xlsx")
    assert answer.status_code == 422
    assert answer.json["problems"][0]["row"] is None and answer.json["problems"][0]["code"] == "hanging_import.bad_xlsx"


def test_the_same_cases_in_another_format_are_unchanged(review_app: Flask, upload: Call) -> None:
    upload(xlsx([row(1), row(2)]))
    answer = upload(csv_file([row(1), row(2)], bom=True), name="same.csv")
    assert answer.status_code == 201
    assert (answer.json["created_count"], answer.json["updated_count"], answer.json["unchanged_count"]) == (0, 0, 2)
    assert _count(review_app, HangingCase) == 2


def test_a_changed_row_updates_its_case_with_audit(review_app: Flask, upload: Call, api: Call) -> None:
    first = upload(xlsx([row(1), row(2)])).json
    changed = upload(xlsx([row(1, 强制措施1解除日期="2024-09-01"), row(2), row(3)])).json
    assert (changed["created_count"], changed["updated_count"], changed["unchanged_count"]) == (1, 1, 1)
    case = api("GET", f"/api/v1/hanging-cases/{first['case_ids'][0]}").json
    assert case["measures"][0]["lifted_on"] == "2024-09-01" and case["row_version"] == 2
    assert case["import_batch_id"] == changed["id"]
    with review_app.extensions["huhang"].session_factory() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "hanging_case.import_update")).one()
        assert audit.before["measures"][0]["lifted_on"] is None
        assert audit.after["measures"][0]["lifted_on"] == "2024-09-01"
    assert _events(review_app)[-3:] == ["hanging_case.registered", "hanging_case.updated", "hanging_case.imported"] or \
        sorted(_events(review_app)[-3:]) == ["hanging_case.imported", "hanging_case.registered", "hanging_case.updated"]


def test_a_changed_row_of_a_cleared_case_is_refused(review_app: Flask, upload: Call) -> None:
    upload(xlsx([row(1)]))
    with review_app.extensions["huhang"].session_factory() as session, session.begin():
        session.scalars(select(HangingCase)).one().status = "cleared"
    answer = upload(xlsx([row(1, 罪名="职务侵占罪"), row(2)]))
    assert answer.status_code == 422
    assert [(p["row"], p["code"]) for p in answer.json["problems"]] == [(2, "hanging_import.case_cleared")]
    assert _count(review_app, HangingCase) == 1


def test_another_units_case_is_refused_by_its_row(review_app: Flask, upload: Call) -> None:
    upload(xlsx([row(1)]), unit="NY-JCY-WC")
    answer = upload(xlsx([row(1)]))
    assert answer.status_code == 422 and answer.json["problems"][0]["code"] == "hanging_import.other_unit"


def test_hand_entry_and_edits(review_app: Flask, api: Call) -> None:
    made = api("POST", "/api/v1/hanging-cases", body=HAND)
    assert made.status_code == 201, made.json
    case = made.json
    assert case["source"] == "manual" and case["status"] == "open" and len(case["measures"]) == 2
    assert made.headers["Location"] == f"/api/v1/hanging-cases/{case['id']}"
    with review_app.extensions["huhang"].session_factory() as session:
        suspect = session.scalars(select(HangingCaseSuspect)).one()
        assert suspect.id_number == id_number(77) and suspect.id_number_index
        raw = session.execute(text("SELECT id_number_enc FROM hanging_case_suspects")).scalar_one()
        assert id_number(77) not in raw
    again = api("POST", "/api/v1/hanging-cases", body=HAND)
    assert again.status_code == 409 and again.json["code"] == "hanging.case_exists"
    bail = case["measures"][1]["id"]
    lifted = api("PATCH", f"/api/v1/hanging-cases/{case['id']}/measures/{bail}", body={"lifted_on": "2025-11-30"})
    assert lifted.status_code == 200 and lifted.json["measures"][1]["lifted_on"] == "2025-11-30"
    too_early = api("PATCH", f"/api/v1/hanging-cases/{case['id']}/measures/{bail}", body={"lifted_on": "2025-05-01"})
    assert too_early.status_code == 422
    assert too_early.json["problems"][0]["field"] == "measures.1.lifted_on"
    item = case["property"][0]["id"]
    returned = api("PATCH", f"/api/v1/hanging-cases/{case['id']}/property/{item}", body={"returned_on": "2025-12-01"})
    assert returned.status_code == 200 and returned.json["property"][0]["returned_on"] == "2025-12-01"
    added = api("POST", f"/api/v1/hanging-cases/{case['id']}/property",
                body={"kind": "frozen", "description": "个人账户", "amount": "5000"})
    assert added.status_code == 201 and len(added.json["property"]) == 2
    assert _events(review_app) == ["hanging_case.registered"] + ["hanging_case.updated"] * 3
    with review_app.extensions["huhang"].session_factory() as session:
        actions = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "hanging_case")
                                                     .order_by(AuditEntry.id))]
    assert actions == ["hanging_case.register", "hanging_case.measure_changed", "hanging_case.property_changed",
                       "hanging_case.property_added"]


def test_hand_entry_refusals_name_the_field(review_app: Flask, api: Call) -> None:
    bad = {**HAND, "case_number": "15号", "measures": [{"kind": "bail", "started_on": "2025-05-07",
                                                       "ends_on": "2026-06-01"}]}
    answer = api("POST", "/api/v1/hanging-cases", body=bad)
    assert answer.status_code == 422 and {p["field"] for p in answer.json["problems"]} == {"case_number"}
    answer = api("POST", "/api/v1/hanging-cases", body={**HAND, "measures": bad["measures"],
                                                        "enterprise_credit_code": "91411300000000001A"})
    assert answer.status_code == 422
    assert {(p["field"], p["code"]) for p in answer.json["problems"]} == {
        ("measures.0.ends_on", "hanging.term_too_long"), ("enterprise_credit_code", "credit_code.check_character")}
    assert _count(review_app, HangingCase) == 0


def test_who_sees_and_who_acts(review_app: Flask, api: Call) -> None:
    case_id = api("POST", "/api/v1/hanging-cases", body=HAND).json["id"]
    path = f"/api/v1/hanging-cases/{case_id}"
    assert api("GET", path, "unit_leader").status_code == 200  # 市院 (NY-JCY) above 捕诉
    assert api("GET", path, "task_force").status_code == 200
    assert api("GET", path, "prosecutor", "NY-JCY-WC").status_code == 404  # another unit: not revealed
    assert api("GET", path, "case_handler").status_code == 403
    assert api("GET", path, "judge").status_code == 403
    # Above reads, does not act; another unit's prosecutor does not find it.
    measure = api("GET", path).json["measures"][0]["id"]
    change = {"lifted_on": "2025-05-10"}
    assert api("PATCH", f"{path}/measures/{measure}", "unit_leader", body=change).status_code == 403
    assert api("PATCH", f"{path}/measures/{measure}", "prosecutor", "NY-JCY-WC", body=change).status_code == 404
    assert api("POST", "/api/v1/hanging-cases", "task_force", body=HAND).status_code == 403


def test_the_templates_are_the_layout(api: Call, upload: Call) -> None:
    book_bytes = api("GET", "/api/v1/hanging-cases/import-template.xlsx").data
    book = load_workbook(io.BytesIO(book_bytes))
    assert book.sheetnames == ["挂案", "说明"]
    headers = [c.value for c in book["挂案"][1]]
    assert headers[:3] == ["案号", "侦查机关", "侦查机关代码"] and "强制措施3解除日期" in headers
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in book["挂案"].data_validations.dataValidation}
    role_letter = importing.get_column_letter(headers.index("嫌疑人1企业职务") + 1)
    assert "法定代表人" in lists[f"{role_letter}2"]
    csv_bytes = api("GET", "/api/v1/hanging-cases/import-template.csv").data
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert files.read(csv_bytes + "\r\n".join([",".join(["x"] * len(headers))]).encode()).headers == headers
    # The empty template imports as "no rows", not as a header problem.
    assert upload(book_bytes).json["problems"][0]["code"] == "hanging_import.no_rows"
