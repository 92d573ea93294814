"""失信 over PostgreSQL and the broker: a listing performed, removed and certified through review's API (a
real process), the public check's three answers and its per-address limit (429 with Retry-After), and
the `dishonesty.*` events with the `public_notice.requested` (its PDF) on the review topic, relayed
from the outbox."""

from __future__ import annotations

import base64

import requests

from services.review.identity.units.seed import seed_units
from shared.calendar import beijing_today
from shared.config import KafkaSettings
from shared.db.engine import make_engine, make_session_factory
from shared.events import decode
from tests.support.auth import AuthKeys
from tests.support.dishonesty import ZX, body
from tests.support.kafka import read_topic
from tests.support.stack import Stack

API = "/api/v1/dishonesty/listings"
VERIFY = "/api/v1/public/certificates/verify"


def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s, s.begin():
            seed_units(s, production=False)
    finally:
        engine.dispose()


def test_performed_removed_certified_and_checked(stack: Stack, test_keys: AuthKeys, kafka_settings: KafkaSettings) -> None:
    _seed(stack.database_urls["review"])
    review = stack.start_api("review", workers=1, HUHANG_CERTIFICATE_VERIFY_LIMIT="5", HUHANG_CERTIFICATE_VERIFY_WINDOW="600")
    stack.start_relay("review")
    clerk = test_keys.headers("court_clerk", ZX, username="t-clerk-zx")
    judge = test_keys.headers("judge", ZX, username="t-judge-zx")
    today = beijing_today()
    created = requests.post(f"{review}{API}", headers=clerk, timeout=20, json=body(
        case_number=f"（{today.year}）豫13执321号", listed_on=today.isoformat()))
    assert created.status_code == 201, created.text
    listing = created.json()
    assert listing["court_name"] == "南阳市中级人民法院"
    other = test_keys.headers("court_clerk", "NY-FY-WC", username="t-clerk-wc")
    assert requests.get(f"{review}{API}/{listing['id']}", headers=other, timeout=5).status_code == 404
    assert requests.get(f"{review}{API}/{listing['id']}", headers=test_keys.headers("prosecutor"),
                        timeout=5).status_code == 403

    ground = requests.post(f"{review}{API}/{listing['id']}/removal-ground", headers=clerk, timeout=10,
                           json={"ground": "performed", "evidence": "申请执行人出具的履行完毕确认书"})
    assert ground.status_code == 200, ground.text
    removed = requests.post(f"{review}{API}/{listing['id']}/removal", headers=judge, json={}, timeout=10)
    assert removed.status_code == 200, removed.text
    assert removed.json()["consumption_order"]["lifted_on"] == today.isoformat()
    issued = requests.post(f"{review}{API}/{listing['id']}/certificates", headers=judge, json={}, timeout=60)
    assert issued.status_code == 201, issued.text
    code, cert = issued.json()["code"], issued.json()["certificate"]
    pdf = requests.get(f"{review}{API}/{listing['id']}/certificates/{cert['id']}/pdf", headers=clerk, timeout=10)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # The public check: no token; one address, five checks in its window.
    valid = requests.post(f"{review}{VERIFY}", json={"code": code}, timeout=10).json()
    assert (valid["result"], valid["issued_by"], valid["enterprise"], valid["issued_on"]) == (
        "valid", "南阳市中级人民法院", "南阳市宛城区示例建材有限公司", today.isoformat())
    assert requests.post(f"{review}{VERIFY}", json={"code": "2" * 16}, timeout=10).json()["result"] == "not_found"
    revoked = requests.post(f"{review}{API}/{listing['id']}/certificates/{cert['id']}/revocation", headers=judge,
                            json={"reason": "测试撤销"}, timeout=10)
    assert revoked.status_code == 200, revoked.text
    after = requests.post(f"{review}{VERIFY}", json={"code": code}, timeout=10).json()
    assert (after["result"], after["revoked_on"]) == ("revoked", today.isoformat())
    for _ in range(2):
        assert requests.post(f"{review}{VERIFY}", json={"code": code}, timeout=10).status_code == 200
    limited = requests.post(f"{review}{VERIFY}", json={"code": code}, timeout=10)
    assert limited.status_code == 429 and limited.json()["code"] == "certificate_verify.rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 601

    records = read_topic(kafka_settings, kafka_settings.events_topic("review"), at_least=8, timeout=60)
    events = [decode(r.value) for r in records]
    ours = [e for e in events if e.subject == listing["id"]]
    assert [e.type for e in ours if e.type.startswith("dishonesty.")] == [
        "dishonesty.listed", "dishonesty.removal_ground_recorded", "dishonesty.removed",
        "dishonesty.certificate_issued", "dishonesty.certificate_revoked"]
    (notice,) = [e for e in ours if e.type == "public_notice.requested"]
    assert notice.data["mandatory"] is True and notice.data["subject_id"] == listing["id"]
    assert base64.b64decode(notice.data["document_b64"]).startswith(b"%PDF")
    assert "finance@example.com" not in str(notice.data)


def test_two_replicas_of_the_expiry_job_remove_each_listing_once(pg_session_for) -> None:  # type: ignore[no-untyped-def]
    from datetime import date, datetime, timezone

    from sqlalchemy import func, select

    from services.review.deadlines.models import Deadline
    from services.review.deadlines.rules import seed_rules
    from services.review.dishonesty.jobs import ListingExpiries
    from services.review.dishonesty.models import ConsumptionOrder, Listing
    from shared.audit.models import AuditEntry
    from tests.support.replicas import run_replicas

    url, sessions = pg_session_for("review")
    with sessions() as s, s.begin():
        seed_units(s, production=False)
        seed_rules(s)  # as `huhang db seed` does (two replicas must not race to seed an empty table)
        for n in range(12):
            listing = Listing(unit_code=ZX, court_code="NY-FY", court_name="南阳市中级人民法院",
                              case_number=f"（2024）豫13执{n + 1}号", debtor_kind="enterprise", debtor_name="示例",
                              debtor_number_enc="x", debtor_number_index=f"i{n}", debtor_number_masked="x",
                              obligation="x", ground=4, listed_on=date(2024, 9, 30), term_years=2,
                              expires_on=date(2026, 9, 30), status="listed", registered_by="t")
            s.add(listing)
            s.flush()
            s.add(ConsumptionOrder(listing_id=listing.id, issued_on=date(2024, 9, 30), scope="x"))
    now = datetime(2026, 10, 2, 2, tzinfo=timezone.utc)  # 10:00 in Beijing, a 国庆 holiday
    run_replicas(url, lambda factory: ListingExpiries(batch_size=3).run_once(factory, now=now))
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Listing).where(Listing.status == "removed")) == 12
        assert s.scalar(select(func.count()).select_from(ConsumptionOrder).where(
            ConsumptionOrder.lifted_on == date(2026, 10, 2))) == 12
        clocks = s.scalars(select(Deadline).where(Deadline.rule_code == "dishonesty.deletion")).all()
        assert len(clocks) == 12 and {(c.start_on, c.due_on, c.status) for c in clocks} == {
            (date(2026, 9, 30), date(2026, 10, 10), "met")}
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "dishonesty.remove")) == 12
