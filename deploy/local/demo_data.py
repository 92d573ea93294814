"""Demo petitions for `make up`: posted through the real API and the front door, once (skipped when data exists).

Signed in as the demo clerks (`huhang db seed` created them): demo-12309 registers the 12309
petitions for 市院控告申诉检察部, demo-12368 the 12368 one for the court's 诉讼服务中心.  Then the
workflow (docs/review/), as the demo staff would work it through the same APIs, so that each
page has something to show: the first petition classified, 交办 to 宛城区院, accepted and answered
(its 答复书 PDF/DOCX on the case page); the third (a group visit) 交办 and put under 挂牌督办 by the 市院; the 12368
contact sent as a 工单 to the 民二庭 judge; the last left 待分流 in the queue.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from shared.calendar import beijing_today
from shared.config import http_port

# Through the door, as a person's browser would: it routes each path to its service.
DOOR = f"http://127.0.0.1:{http_port()}"
DEMO_PASSWORD = "Demo!2026huhang"  # demo only (services/review/identity/accounts/demo.py)
CLERK_OF_LINE = {"12309": "demo-12309", "12368": "demo-12368"}

DEMO: list[dict[str, Any]] = [
    {
        "line": "12309", "channel": "网", "petition_type": "控告",
        "petitioner": {"kind": "enterprise_representative", "relation": "法定代表人", "name": "王建国",
                       "id_number": "411302199001011236", "phone": "13800138000"},
        "enterprise": {"name": "南阳市宛城区示例机械有限公司", "credit_code": "91411302MA44TFGN0Q", "size": "小",
                       "industry": "C", "ownership": "民营"},
        "subject": "企业银行账户被冻结两年未解除",
        "claim": "请求依法解除对本企业账户的冻结措施", "facts": "2022年3月本企业账户被冻结，至今未解除。",
    },
    {
        "line": "12309", "channel": "访", "petition_type": "刑事申诉",
        "petitioner": {"name": "李秀英", "id_number": "411303199207070027", "phone": "0377-63123456"},
        "subject": "对不起诉决定不服申请复查",
        "related_case_number": "宛检刑不诉〔2022〕5号",
        "claim": "对不起诉决定不服，申请复查", "facts": "2022年5月收到不起诉决定书，认为认定事实有误。",
        "visit": {"visitor_count": 1},
    },
    {
        "line": "12309", "channel": "访", "petition_type": "控告",
        "petitioner": {"kind": "enterprise_representative", "relation": "员工", "name": "孙志强",
                       "id_number": "411321197811110033", "phone": "13703771234"},
        "enterprise": {"name": "南阳示例纺织有限公司", "credit_code": "91350100M000100Y43", "size": "中",
                       "industry": "C", "ownership": "民营"},
        "subject": "企业职工集体反映厂房被查封影响复工",
        "claim": "请求依法审查查封措施，允许企业恢复生产", "facts": "2022年8月厂房被查封，120名职工停工。",
        "visit": {"visitor_count": 6, "representatives": [
            {"name": "孙志强", "id_number": "411321197811110033", "phone": "13703771234"},
            {"name": "周丽", "phone": "13803775678"}]},
    },
    {
        "line": "12368", "channel": "电", "petition_type": "联系法官",
        "petitioner": {"kind": "enterprise_representative", "relation": "委托代理人", "name": "赵明",
                       "phone": "13912345678"},
        "enterprise": {"name": "南阳示例纺织有限公司", "credit_code": "91350100M000100Y43"},
        "subject": "了解执行案件进度",
        "related_case_number": "（2022）豫13执123号",
        "claim": "请求联系承办法官了解执行进度",
    },
    {
        "line": "12309", "channel": "信", "petition_type": "举报",
        "petitioner": {"name": "刘洋", "address": "南阳市卧龙区示例街 8 号"},
        "subject": "反映涉企案件久侦不结",
        "claim": "请求监督某涉企案件久侦不结（挂案）", "facts": "2020年立案后至今未移送起诉也未撤案。",
        "letter": {"postmarked_on": None},
    },
    # Two more left 待分流, so that the queue has work waiting after the workflow below took its
    # share (and the browser journeys, which take pending demo petitions, find enough).
    {
        "line": "12309", "channel": "电", "petition_type": "控告",
        "petitioner": {"name": "陈静", "id_number": "411303198805120026", "phone": "13937712345"},
        "subject": "反映办案人员违规查扣企业财物",
        "claim": "请求依法返还被查扣的企业财物", "facts": "2023年6月企业库存货物被扣押，至今未出具扣押清单。",
    },
    {
        "line": "12309", "channel": "网", "petition_type": "控告",
        "petitioner": {"name": "吴建华", "id_number": "411322197503030054", "phone": "15837761234"},
        "subject": "企业负责人被采取强制措施后案件长期未处理",
        "claim": "请求监督侦查机关依法及时处理", "facts": "2021年立案侦查，取保候审期满后未见处理结果。",
    },
]


def _request(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(DOOR + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _signed_in(username: str) -> dict[str, str]:
    token = _request("POST", "/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {token['access_token']}"}


def _in_queue(petition_id: str, headers: dict[str, str], *, wait_s: float = 60.0) -> None:
    """Wait until review's consumer has put the petition in the queue (it arrives through Kafka)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            _request("GET", f"/api/v1/triage/items/{petition_id}", headers=headers)
            return
        except urllib.error.HTTPError as exc:
            if exc.code != 404 or time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def _workflow(created: list[dict[str, Any]]) -> None:
    """The demo staff work the petitions through 分流, 办理, 督办 and a 12368 工单."""
    triage, handler = _signed_in("demo-triage"), _signed_in("demo-handler")
    leader, clerk = _signed_in("demo-leader"), _signed_in("demo-12368")
    first, second, contact = created[0]["id"], created[2]["id"], created[3]["id"]
    # Each line's queue is read by its own receiving unit's triage officer.
    officers = {"12309": triage, "12368": _signed_in("demo-triage-fy")}
    for petition in created:
        _in_queue(petition["id"], officers[petition["line"]])
    items = f"/api/v1/triage/items/{first}"
    _request("POST", items + "/classify", {"is_enterprise": True, "category": "控告",
                                           "enterprise_reason": "企业法定代表人反映企业账户被冻结，影响企业经营"}, triage)
    for petition_id in (first, second):
        _request("POST", f"/api/v1/triage/items/{petition_id}/route",
                 {"route": "assigned", "to_unit_code": "NY-JCY-WC", "days": 15,
                  "override_reason": "演示：交办宛城区人民检察院办理"}, triage)
    handling = f"/api/v1/handling/items/{first}"
    _request("POST", handling + "/accept", {}, handler)
    today = beijing_today().isoformat()
    _request("POST", handling + "/progress", {"text": "已调取企业账户冻结材料，约谈公安机关经侦大队",
                                              "reported_on": today}, handler)
    _request("POST", handling + "/replies", {
        "kind": "final", "text": "经审查，你反映的企业账户冻结问题，本院已督促公安机关依法解除冻结措施。",
        "outcome": "resolved", "delivery": "post", "replied_on": today,
        "legal_basis": "《人民检察院办理群众来信工作规定》：3个月内答复办理结果"}, handler)
    _request("POST", f"/api/v1/supervision/items/{second}", {
        "amount": 5, "unit": "working_day", "instructions": "请宛城区院5个工作日内报告厂房查封审查情况"}, leader)
    _request("POST", f"/api/v1/work-orders/items/{contact}", {
        "related_case_number": "（2022）豫13执123号", "request": "来电人了解执行案件进度，请承办法官回复",
        "to_username": "demo-judge-ms2"}, clerk)
    print("demo workflow: 交办 and 答复 (宛城区院), 挂牌督办 (市院), 12368 工单 (民二庭)")


def _custody() -> None:
    """羁押必要性审查: an application 控申 registers for 市院刑事检察部, which receives, files, ticks and decides 建议变更
    (the applicant's notice goes to notify); and a person in the register whom the scheduler's daily job finds
    (审查起诉, likely sentence under 3 years) and opens a mandatory review for."""
    triage, prosecutor = _signed_in("demo-triage"), _signed_in("demo-prosecutor")
    review = _request("POST", "/api/v1/custody-reviews", {
        "trigger": "application", "unit_code": "NY-JCY-XS", "person_name": "王建国",
        "criminal_case_number": "宛公刑立字〔2026〕118号", "charge": "合同诈骗罪", "stage": "investigation",
        "handling_organ": "南阳市公安局", "enterprise_role": "legal_representative", "enterprise_name": "南阳市示例机械有限公司",
        "employees": 240, "production_stopped": True, "contracts_at_risk": 3,
        "impact_text": "法定代表人被羁押后，企业两条生产线停产，三份供货合同面临违约。",
        "measures": [{"kind": "arrest", "started_on": beijing_today().isoformat()}],
        "applicant_kind": "close_relative", "applicant_name": "王小红", "applicant_email": "wangxh@example.com",
        "reasons": "本人认罪认罚，企业急需其主持生产。", "evidence": "认罪认罚具结书；企业停产说明"}, triage)
    path = f"/api/v1/custody-reviews/{review['id']}"
    _request("POST", path + "/receive", {}, prosecutor)
    _request("POST", path + "/file", {}, prosecutor)
    _request("PUT", path + "/grounds", {"items": [
        {"code": "580.plea", "ticked": True, "evidence": "认罪认罚具结书"},
        {"code": "578.progress", "ticked": True, "evidence": "主要证据已固定"}]}, prosecutor)
    _request("POST", path + "/decision", {"decision": "change_recommended",
                                          "reasons": "犯罪嫌疑人认罪认罚，羁押致企业停产，已无继续羁押必要。"}, prosecutor)
    _request("POST", "/api/v1/custody-register", {
        "person_name": "李四", "criminal_case_number": "宛公刑立字〔2026〕200号", "charge": "非法吸收公众存款罪",
        "stage": "prosecution", "stage_entered_on": beijing_today().isoformat(), "likely_sentence_months": 30,
        "handling_organ": "南阳市公安局", "enterprise_role": "executive", "enterprise_name": "南阳市示例投资有限公司"},
        prosecutor)
    print("demo custody: 建议变更 (市院刑事检察部) and a register entry for the mandatory-review job")


def main() -> int:
    clerks = {line: _signed_in(username) for line, username in CLERK_OF_LINE.items()}
    if _request("GET", "/api/v1/petitions?limit=1", headers=clerks["12309"]):
        print("demo data: already present")
        return 0
    created = []
    for n, petition in enumerate(DEMO):
        headers = {"Idempotency-Key": f"demo-{n}", **clerks[petition["line"]]}
        created.append(_request("POST", "/api/v1/petitions", petition, headers))
        print(f"demo petition {created[-1]['case_number']} ({petition['line']} {petition['channel']})")
    try:
        _workflow(created)
        _custody()
    except urllib.error.HTTPError as exc:
        # The petitions stand; a step refused shows why, and the stack runs on without it.
        print(f"demo workflow: stopped at {exc.url}: {exc.code} {exc.read()[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
