"""失信 test helpers: the people of the courts (test principals), a listing body, and steps through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask.testing import FlaskClient

from shared.calendar import BEIJING
from tests.support.auth import AuthKeys

ZX = "NY-FY-ZX"  # 中院执行局 (its court: NY-FY)
WC = "NY-FY-WC"  # 宛城区法院, a 基层 court below NY-FY
CREDIT_CODE = "91411302MA44TFGN0Q"
ID_NUMBER = "411302199001011236"
API = "/api/v1/dishonesty/listings"


def at(day: date, hour: int = 10) -> datetime:
    """A Beijing wall-clock instant on ``day`` (for time_machine)."""
    return datetime.combine(day, time(hour), tzinfo=BEIJING)


def body(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "case_number": "（2026）豫13执123号", "debtor_kind": "enterprise", "debtor_name": "南阳市宛城区示例建材有限公司",
        "credit_code": CREDIT_CODE, "legal_representative": "李四", "obligation": "支付货款人民币120000元及利息",
        "ground": 1, "listed_on": "2026-03-02", "contact_email": "finance@example.com",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


@dataclass
class Courts:
    """Headers of the courts' people for the API."""

    keys: AuthKeys

    def h(self, role: str, unit: str | None = None, username: str | None = None) -> dict[str, str]:
        kw = {"username": username} if username else {}
        return self.keys.headers(role, unit, **kw)

    @property
    def clerk(self) -> dict[str, str]:
        return self.h("court_clerk", ZX, "t-clerk-zx")

    @property
    def judge(self) -> dict[str, str]:
        return self.h("judge", ZX, "t-judge-zx")


def register(client: FlaskClient, headers: dict[str, str], **over: Any) -> dict[str, Any]:
    answer = client.post(API, json=body(**over), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()  # type: ignore[no-any-return]


def step(client: FlaskClient, headers: dict[str, str], path: str, payload: dict[str, Any], status: int = 200) -> Any:
    answer = client.post(f"{API}/{path}", json=payload, headers=headers)
    assert answer.status_code == status, answer.get_json()
    return answer.get_json()
