"""Demo petitions for `make up`: posted through the real API and the front door, once (skipped when data exists).

Signed in as the demo clerks (`huhang db seed` created them): demo-12309 registers the 12309
petitions for 市院控告申诉检察部, demo-12368 the 12368 one for the court's 诉讼服务中心.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any

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
]


def _request(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(DOOR + path, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def _signed_in(username: str) -> dict[str, str]:
    token = _request("POST", "/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD})
    return {"Authorization": f"Bearer {token['access_token']}"}


def main() -> int:
    clerks = {line: _signed_in(username) for line, username in CLERK_OF_LINE.items()}
    if _request("GET", "/api/v1/petitions?limit=1", headers=clerks["12309"]):
        print("demo data: already present")
        return 0
    for n, petition in enumerate(DEMO):
        headers = {"Idempotency-Key": f"demo-{n}", **clerks[petition["line"]]}
        created = _request("POST", "/api/v1/petitions", petition, headers)
        print(f"demo petition {created['case_number']} ({petition['line']} {petition['channel']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
