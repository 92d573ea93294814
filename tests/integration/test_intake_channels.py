"""Issue 9 over the real stack (gunicorn, PostgreSQL, Kafka): each channel's record, the public online channel,
refusals that store nothing, and the 查询码 re-issued on PostgreSQL."""

from __future__ import annotations

import copy
from typing import Any

import requests

from services.intake.online.schemas import PUBLIC_PETITION_EXAMPLE
from services.intake.petitions.schemas import PETITION_EXAMPLE
from tests.support.auth import AuthKeys
from tests.support.stack import Stack, wait_for


def _visit() -> dict[str, Any]:
    body = copy.deepcopy(PETITION_EXAMPLE) | {"channel": "访", "petition_type": "刑事申诉",
                                              "related_case_number": "（2021）豫13刑终88号"}
    body["visit"] = {"visitor_count": 6, "representatives": [
        {"name": "李四", "id_number": "411302198503150012", "phone": "13900001111"},
        {"name": "王五", "id_number": "411303199207070027"}]}
    return body


def test_every_channel_reaches_triage_and_a_refusal_stores_nothing(stack: Stack, test_keys: AuthKeys) -> None:
    clerk = test_keys.headers("intake_clerk")
    triage = test_keys.headers("triage_officer")
    intake = stack.start_api("intake")
    review = stack.start_api("review")
    stack.start_workers("intake")
    stack.start_workers("review")

    # Four different people on four different matters (the same person on a like matter would be
    # a 重复件, linked to the first and given no triage item of its own).
    letter = copy.deepcopy(PETITION_EXAMPLE) | {
        "channel": "信", "letter": {"postmarked_on": "2026-09-29"}, "received_at": "2026-10-09T10:00:00+08:00",
        "enterprise": None, "subject": "举报某公司非法集资", "petition_type": "举报",
        "claim": "请求依法查处非法吸收公众存款行为", "facts": "该公司以高息为诱饵向社会公众吸收资金。"}
    letter["petitioner"] = {"name": "刘洋", "address": "南阳市卧龙区示例街 8 号"}
    call = copy.deepcopy(PETITION_EXAMPLE) | {
        "channel": "电", "petition_type": "咨询", "enterprise": None, "subject": "咨询国家赔偿申请期限",
        "claim": "想了解国家赔偿的申请期限和需要的材料"}
    call["petitioner"] = {"name": "陈静", "phone": "13703770001"}
    made = {}
    for name, body in (("visit", _visit()), ("letter", letter), ("call", call)):
        resp = requests.post(f"{intake}/api/v1/petitions", json=body, headers=clerk, timeout=10)
        assert resp.status_code == 201, resp.text
        made[name] = resp.json()
    online_body = copy.deepcopy(PUBLIC_PETITION_EXAMPLE) | {
        "enterprise": None, "subject": "对公安机关不立案有异议", "claim": "请求检察机关监督公安机关立案",
        "facts": "本人被骗十万元，报案后公安机关未予立案。"}
    online_body["petitioner"] = {"name": "孙丽", "id_number": "411321197811110033", "phone": "13803775678"}
    online = requests.post(f"{intake}/api/v1/public/petitions", json=online_body, timeout=10)
    assert online.status_code == 201, online.text
    assert set(online.json()) >= {"case_number", "query_code"}

    assert made["visit"]["visit"]["visitor_count"] == 6
    assert [r["name"] for r in made["visit"]["visit"]["representatives"]] == ["李*", "王*"]
    assert made["letter"]["letter"] == {"postmarked_on": "2026-09-29"}
    numbers = [p["case_number"] for p in made.values()] + [online.json()["case_number"]]
    # One counter for 市院 (宛检): the clerk's three and the public's one are consecutive.
    serials = sorted(int(n.split("〕")[1].rstrip("号")) for n in numbers)
    assert serials == list(range(serials[0], serials[0] + 4)), numbers

    def items() -> Any:
        found = requests.get(f"{review}/api/v1/triage", headers=triage, timeout=5).json()
        return found if len(found) >= 4 else None

    channels = sorted(item["channel"] for item in wait_for(items, what="four triage items"))
    assert channels == ["信", "电", "网", "访"]

    # Refused: a visit of 6 without representatives, a wrong check character; nothing stored.
    before = len(requests.get(f"{intake}/api/v1/petitions", headers=clerk, timeout=5).json())
    bad = _visit()
    bad["visit"]["representatives"] = []
    bad["enterprise"]["credit_code"] = "91411302MA44TFGN0A"
    refused = requests.post(f"{intake}/api/v1/petitions", json=bad, headers=clerk, timeout=10)
    assert refused.status_code == 422
    codes = {p["field"]: p["code"] for p in refused.json()["problems"]}
    assert codes == {"enterprise.credit_code": "credit_code.check_character"}  # field errors first
    after = len(requests.get(f"{intake}/api/v1/petitions", headers=clerk, timeout=5).json())
    assert after == before


def test_a_reissued_code_replaces_the_old_one_on_postgresql(stack: Stack, test_keys: AuthKeys) -> None:
    clerk = test_keys.headers("intake_clerk")
    intake = stack.start_api("intake")
    created = requests.post(f"{intake}/api/v1/petitions", json=PETITION_EXAMPLE, headers=clerk, timeout=10).json()
    reissued = requests.post(f"{intake}/api/v1/petitions/{created['id']}/query-code", json={"reason": "遗失回执"},
                             headers=clerk, timeout=10)
    assert reissued.status_code == 201
    new_code = reissued.json()["query_code"]
    # The PDF with the old code is refused; with the new one it prints.
    old = requests.post(f"{intake}/api/v1/petitions/{created['id']}/receipt", json={"query_code": created["query_code"]},
                        headers=clerk, timeout=20)
    assert old.status_code == 422 and old.json()["code"] == "query_code_mismatch"
    printed = requests.post(f"{intake}/api/v1/petitions/{created['id']}/receipt", json={"query_code": new_code},
                            headers=clerk, timeout=20)
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
