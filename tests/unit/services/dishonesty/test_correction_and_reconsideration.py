"""第十二条 through the API (time frozen): the 15日 review and 3-working-day correction clocks, the 10日 to
apply for 复议 and the court above's 15日, the listing staying while it runs, who decides."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from flask.testing import FlaskClient

from tests.support.dishonesty import API, WC, Courts, at, register, step


def _clock(listing: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(c for c in listing["clocks"] if c["rule_code"] == rule)


def _get(client: FlaskClient, courts: Courts, listing_id: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    answer = client.get(f"{API}/{listing_id}", headers=headers or courts.clerk)
    assert answer.status_code == 200
    return answer.get_json()  # type: ignore[no-any-return]


def test_an_accepted_correction_has_its_review_and_correction_clocks(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 9, 20)), tick=False):
        listing = register(client, courts.clerk, listed_on="2026-09-01")
        correction = step(client, courts.clerk, f"{listing['id']}/corrections", {"reasons": "被执行人名称有误"}, 201)
    got = _get(client, courts, listing["id"])
    # 15日 from 09-20 is 10-05, in the 国庆 holiday: the period ends on the next working day, 10-08.
    assert _clock(got, "dishonesty.correction_review")["due_on"] == "2026-10-08"
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        step(client, courts.judge, f"{listing['id']}/corrections/{correction['id']}/review",
             {"accepted": True, "reasons": "名称登记错误"})
    got = _get(client, courts, listing["id"])
    assert _clock(got, "dishonesty.correction_review")["status"] == "met"
    # 3 working days from Thursday 10-08: 10-09, the 调休 Saturday 10-10, Monday 10-12.
    assert _clock(got, "dishonesty.correction")["due_on"] == "2026-10-12"
    with time_machine.travel(at(date(2026, 10, 12)), tick=False):
        done = step(client, courts.clerk, f"{listing['id']}/corrections/{correction['id']}/corrected",
                    {"note": "更正被执行人名称"})
    assert done["corrected_on"] == "2026-10-12"
    assert _clock(_get(client, courts, listing["id"]), "dishonesty.correction")["met_on_time"] is True


def test_a_rejected_correction_opens_ten_days_for_reconsideration(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 9, 25)), tick=False):
        listing = register(client, courts.clerk, listed_on="2026-09-01")
        correction = step(client, courts.clerk, f"{listing['id']}/corrections", {"reasons": "已履行"}, 201)
        step(client, courts.judge, f"{listing['id']}/corrections/{correction['id']}/review",
             {"accepted": False, "reasons": "纳入时尚未履行"})
    got = _get(client, courts, listing["id"])
    # 10日 from 09-25 is 10-05 (国庆): moved to 10-08.
    assert _clock(got, "dishonesty.reconsideration_apply")["due_on"] == "2026-10-08"
    with time_machine.travel(at(date(2026, 10, 9)), tick=False):
        late = client.post(f"{API}/{listing['id']}/corrections/{correction['id']}/reconsideration",
                           json={"reasons": "不服"}, headers=courts.clerk)
    assert late.status_code == 409 and late.get_json()["code"] == "dishonesty.reconsideration_late"
    with time_machine.travel(at(date(2026, 10, 8)), tick=False):
        recon = step(client, courts.clerk, f"{listing['id']}/corrections/{correction['id']}/reconsideration",
                     {"reasons": "不服驳回决定"}, 201)
    # 南阳中院's court above is outside the platform.
    assert recon["higher_court_code"] is None and recon["higher_court_name"] == "河南省高级人民法院"
    got = _get(client, courts, listing["id"])
    assert got["status"] == "listed"  # 复议期间不停止
    assert _clock(got, "dishonesty.reconsideration_apply")["status"] == "met"
    assert _clock(got, "dishonesty.reconsideration_decision")["due_on"] == "2026-10-23"  # 15日 from 10-08


def test_the_court_above_decides_a_basic_courts_reconsideration(client: FlaskClient, courts: Courts) -> None:
    def wc_clerk_() -> dict[str, str]:  # tokens are made inside the frozen time they are used in
        return courts.h("court_clerk", WC, "t-clerk-wc")

    with time_machine.travel(at(date(2026, 2, 10)), tick=False):
        wc_clerk, wc_judge = wc_clerk_(), courts.h("judge", WC, "t-judge-wc")
        listing = register(client, wc_clerk, listed_on="2026-02-02", case_number="（2026）豫1302执45号")
        assert listing["court_code"] == WC
        correction = step(client, wc_clerk, f"{listing['id']}/corrections", {"reasons": "已履行"}, 201)
        step(client, wc_judge, f"{listing['id']}/corrections/{correction['id']}/review",
             {"accepted": False, "reasons": "尚未履行"})
        recon = step(client, wc_clerk, f"{listing['id']}/corrections/{correction['id']}/reconsideration",
                     {"reasons": "不服"}, 201)
    assert recon["higher_court_code"] == "NY-FY" and recon["higher_court_name"] == "南阳市中级人民法院"
    got = _get(client, courts, listing["id"], wc_clerk_())
    # 15日 from 02-10 is 02-25 (after 春节), a working day.
    assert _clock(got, "dishonesty.reconsideration_decision")["due_on"] == "2026-02-25"
    path = f"{API}/{listing['id']}/reconsiderations/{recon['id']}/decision"
    decision = {"revoke": True, "reasons": "原驳回决定认定事实错误"}
    with time_machine.travel(at(date(2026, 2, 24)), tick=False):
        wc_judge, fy_judge = courts.h("judge", WC, "t-judge-wc"), courts.h("judge", "NY-FY", "t-judge-fy")
        own = client.post(path, json=decision, headers=wc_judge)
        assert own.status_code == 403 and own.get_json()["code"] == "dishonesty.not_higher_court"
        stranger = client.post(path, json=decision, headers=courts.h("judge", "NY-FY-WL", "t-judge-wl"))
        assert stranger.status_code == 404
        # 中院执行局's judge decides (a unit of the court above, though it does not see 宛城's listings).
        decided = client.post(path, json=decision, headers=courts.judge)
        assert decided.status_code == 200, decided.get_json()
        assert decided.get_json()["outcome"] == "revoked"
        again = client.post(path, json=decision, headers=fy_judge)
        assert again.status_code == 409
    got = _get(client, courts, listing["id"], wc_clerk_())
    assert _clock(got, "dishonesty.reconsideration_decision")["met_on_time"] is True
    # Revoked: the listing court corrects within 3 working days of 02-24 (02-25, 02-26, 02-27).
    assert _clock(got, "dishonesty.correction")["due_on"] == "2026-02-27"
    with time_machine.travel(at(date(2026, 2, 26)), tick=False):
        step(client, wc_clerk_(), f"{listing['id']}/corrections/{correction['id']}/corrected", {"note": "删除错误信息"})


def test_a_correction_cannot_be_reviewed_twice(client: FlaskClient, courts: Courts) -> None:
    with time_machine.travel(at(date(2026, 3, 10)), tick=False):
        listing = register(client, courts.clerk, listed_on="2026-03-02")
        correction = step(client, courts.clerk, f"{listing['id']}/corrections", {"reasons": "有误"}, 201)
        path = f"{listing['id']}/corrections/{correction['id']}/review"
        step(client, courts.judge, path, {"accepted": False, "reasons": "无误"})
        twice = client.post(f"{API}/{path}", json={"accepted": True, "reasons": "改"}, headers=courts.judge)
    assert twice.status_code == 409 and twice.get_json()["code"] == "dishonesty.correction_not_open"
