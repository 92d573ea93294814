"""Demo petitions for `make up`: posted through the real API and the front door, once (skipped when data exists).

Signed in as the demo clerks (`huhang db seed` created them): demo-12309 registers the 12309
petitions for 市院控告申诉检察部, demo-12368 the 12368 one for the court's 诉讼服务中心.  Then the
workflow (docs/review/), as the demo staff would work it through the same APIs, so that each
page has something to show: the first petition classified, 交办 to 宛城区院, accepted and answered
(its 答复书 PDF/DOCX on the case page); the third (a group visit) 交办 and put under 挂牌督办 by the 市院; the 12368
contact sent as a 工单 to the 民二庭 judge; the last left 待分流 in the queue.
"""

from __future__ import annotations

import datetime as _dt
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


def _request(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             timeout: float = 10) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(DOOR + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
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


def _leniency() -> None:
    """首违不罚 (services/review/leniency): two checks by 行政检察部, one suggested with its 检察建议, one not."""
    reviewer = _signed_in("demo-penalty")
    base = {"authority": "国家税务总局南阳市宛城区税务局", "list_code": "tax-2021-6", "act_on": "2026-10-16",
            "corrected": True, "corrected_on": "2026-10-20", "discovered_on": "2026-10-22", "illegal_gains": False,
            "first_claimed": True}
    suggested = _request("POST", "/api/v1/leniency-checks", {
        **base, "credit_code": "91411300MA44XK6U4Q", "enterprise_name": "南阳市宛城区示例商贸有限公司",
        "act": "2026年第三季度增值税未按期办理纳税申报", "item_code": "3", "harm": "none",
        "harm_text": "税款已按期缴纳，未造成税款流失"}, reviewer)
    _request("POST", f"/api/v1/leniency-checks/{suggested['id']}/recommendation", {}, reviewer)
    refused = _request("POST", "/api/v1/leniency-checks", {
        **base, "credit_code": "91411302MA9F4T7N06", "enterprise_name": "南阳市卧龙区示例物流有限公司",
        "act": "未按规定取得发票，以收据代替发票入账", "item_code": "5", "harm": "minor", "illegal_gains": True}, reviewer)
    print(f"demo leniency: {suggested['outcome']} (检察建议 drafted), {refused['outcome']}")


def _hanging_cases() -> None:
    """Ten 涉企挂案 imported by demo-prosecutor (捕诉) as an XLSX through the import API, dated from today so
    that some cross the clearance thresholds: 立案 over 2 years ago with no measure, a measure lifted over
    12 months ago, a 取保候审 expired over a year ago, one filed 4 months ago (docs/review/hanging-cases.md)."""
    import io
    import uuid

    from openpyxl import Workbook

    from shared.identifiers.credit_code import check_character as credit_check
    from shared.identifiers.id_card import check_character as id_check

    today = beijing_today()

    def ago(days: int) -> _dt.date:
        return today - _dt.timedelta(days=days)

    def credit(n: int) -> str:
        first = f"91411302MA{n:07d}"
        return first + credit_check(first)

    def person(n: int) -> str:
        first = f"41130219{70 + n:02d}0315{n:02d}1"
        return first + id_check(first)

    # (days since 立案, charge, measure (kind, start offset, term days, lifted offset or None) or None)
    cases = [
        (820, "合同诈骗罪", None),  # no measure, over 2 years
        (760, "虚开增值税专用发票罪", ("拘留", 2, 7, 9)),  # lifted about 2 years ago
        (900, "非法吸收公众存款罪", ("取保候审", 10, 364, None)),  # 取保 expired ~1.5 years ago
        (122, "职务侵占罪", ("取保候审", 3, 300, None)),  # 4 months after 立案, not concluded
        (400, "串通投标罪", ("取保候审", 5, 360, None)),
        (300, "非国家工作人员受贿罪", ("监视居住", 4, 180, 150)),
        (200, "挪用资金罪", ("拘留", 1, 7, 7)),
        (90, "合同诈骗罪", None),
        (60, "假冒注册商标罪", ("取保候审", 2, 300, None)),
        (30, "侵犯商业秘密罪", None),
    ]
    book = Workbook()
    sheet = book.active
    headers = ["案号", "侦查机关", "案件名称", "罪名", "立案日期", "涉案企业名称", "统一社会信用代码", "嫌疑人1姓名",
               "嫌疑人1身份证号", "嫌疑人1企业职务", "强制措施1种类", "强制措施1对象", "强制措施1开始日期", "强制措施1到期日期",
               "强制措施1解除日期", "涉案财物1类别", "涉案财物1描述", "涉案财物1金额"]
    sheet.append(headers)
    for n, (days, charge, measure) in enumerate(cases, start=1):
        filed = ago(days)
        cells = [f"宛公经立字〔{filed.year}〕{80 + n}号", "南阳市公安局宛城分局", f"南阳示例{n}号企业涉嫌{charge[:-1]}案", charge,
                 filed, f"南阳示例{n}号实业有限公司", credit(n), f"示例嫌疑人{n}", person(n), "法定代表人"]
        if measure:
            kind, start, term, lifted = measure
            begun = filed + _dt.timedelta(days=start)
            cells += [kind, f"示例嫌疑人{n}", begun, begun + _dt.timedelta(days=term),
                      begun + _dt.timedelta(days=lifted) if lifted is not None else None]
        else:
            cells += [None] * 5
        cells += ["冻结", "对公账户存款", f"{n * 150000}.00"] if n % 2 else [None] * 3
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"demo-hanging-cases.xlsx\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    body += out.getvalue() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(DOOR + "/api/v1/hanging-cases/imports", data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", **_signed_in("demo-prosecutor")})
    with urllib.request.urlopen(req, timeout=30) as resp:
        batch = json.loads(resp.read())
    print(f"demo 挂案: {batch['created_count']} imported by demo-prosecutor (宛城分局, some past the clearance thresholds)")


def _clearance_demo(*, wait_s: float = 70.0) -> None:
    """挂案清理 over the imported demo 挂案 (hanging's demo function runs first): a 专项清理 campaign over their
    units, then, once the scheduler's scan (a pass a minute; it scans again when cases changed) has flagged
    them, a 催办函 on the oldest flagged case of 捕诉."""
    leader = _signed_in("demo-leader")  # 市院: sees every procuratorate unit's 挂案
    rows = _request("GET", "/api/v1/hanging-clearance/cases?status=open", headers=leader)["rows"]
    if not rows:
        print("clearance demo: no 挂案 imported, skipped")
        return
    today = beijing_today()
    units = sorted({r["unit_code"] for r in rows})
    campaign = _request("POST", "/api/v1/hanging-clearance/campaigns", {
        "name": f"{today.year}年涉企挂案专项清理", "starts_on": (today - _dt.timedelta(days=30)).isoformat(),
        "ends_on": _dt.date(today.year, 12, 31).isoformat(), "units": units}, leader)
    print(f"clearance demo: campaign {campaign['name']} over {', '.join(units)}")
    acting = {"NY-JCY-WC": "demo-prosecutor-wc", "NY-JCY-XS": "demo-prosecutor"}  # the unit's own prosecutors act
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        rows = _request("GET", "/api/v1/hanging-clearance/cases?status=open&rule=hanging_case.urge",
                        headers=leader)["rows"]
        own = [r for r in rows if r["unit_code"] in acting]
        if own:
            prosecutor = _signed_in(acting[own[0]["unit_code"]])
            sent = _request("POST", f"/api/v1/hanging-clearance/cases/{own[0]['id']}/actions",
                            {"kind": "urge", "text": "请于收到本函后十日内书面告知侦查进展。"}, prosecutor)
            print(f"clearance demo: 催办函 {sent['document_number']} for {own[0]['case_number']}")
            return
        time.sleep(3)
    print("clearance demo: the scheduler's scan has not flagged the 挂案 yet (it will within a minute)")


def _dishonesty() -> None:
    """失信: one listing of 中院执行局, performed and removed, with its 诚信证明 (its code printed once)."""
    clerk, judge = _signed_in("demo-clerk-zx"), _signed_in("demo-judge-zx")
    today = beijing_today()
    listing = _request("POST", "/api/v1/dishonesty/listings", {
        "case_number": f"（{today.year}）豫13执88号", "debtor_kind": "enterprise",
        "debtor_name": "南阳市宛城区示例建材有限公司", "credit_code": "91411302MA44TFGN0Q", "legal_representative": "李四",
        "obligation": "支付货款人民币120000元及利息", "ground": 1, "listed_on": today.isoformat(),
        "contact_email": "finance@example.com"}, clerk)
    path = f"/api/v1/dishonesty/listings/{listing['id']}"
    _request("POST", path + "/removal-ground", {"ground": "performed",
                                                "evidence": "申请执行人出具的履行完毕确认书及银行转账凭证"}, clerk)
    _request("POST", path + "/removal", {}, judge)
    issued = _request("POST", path + "/certificates", {}, judge, timeout=120)  # the PDF is rendered first
    code = "-".join(issued["code"][i:i + 4] for i in range(0, 16, 4))
    print(f"demo 失信: {listing['case_number']} removed; 诚信证明 {issued['certificate']['number']}, "
          f"verification code {code} (check it at {DOOR}/public/certificates)")


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
    except urllib.error.HTTPError as exc:
        # The petitions stand; a step refused shows why, and the stack runs on without it.
        print(f"demo workflow: stopped at {exc.url}: {exc.code} {exc.read()[:300]!r}")
    try:
        _custody()
    except urllib.error.HTTPError as exc:
        print(f"demo 羁押必要性审查: stopped at {exc.url}: {exc.code} {exc.read()[:300]!r}")
    try:
        _leniency()
    except urllib.error.HTTPError as exc:
        print(f"demo leniency: stopped at {exc.url}: {exc.code} {exc.read()[:300]!r}")
    try:
        _hanging_cases()
    except urllib.error.HTTPError as exc:
        print(f"demo 挂案: stopped at {exc.url}: {exc.code} {exc.read()[:600]!r}")
    try:
        _dishonesty()
    except urllib.error.HTTPError as exc:
        print(f"demo 失信: stopped at {exc.url}: {exc.code} {exc.read()[:300]!r}")
    try:
        # Last: it waits (up to 70 s) for the scheduler's first scan of the imported 挂案.
        _clearance_demo()
    except urllib.error.HTTPError as exc:
        print(f"clearance demo: stopped at {exc.url}: {exc.code} {exc.read()[:300]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
