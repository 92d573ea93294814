"""The inbox pages: /inbox for everyone signed in, the unread panel fragment, marking read over CSRF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.notify.inbox.models import InboxRead
from shared.audit.models import AuditEntry
from shared.auth.cookies import ACCESS_COOKIE
from shared.auth.principal import ROLES
from tests.support.auth import AuthKeys
from tests.support.pages import has_layout, soup
from tests.unit.services.notify.conftest import Browser
from tests.unit.services.notify.factories import BASE, add_delivery

BrowserOf = Callable[..., Browser]


def items(page: object) -> list[tuple[str, str]]:
    """(read state in words, title) of each notice on an inbox page."""
    out = []
    for li in page.select("ol.inbox-list > li"):  # type: ignore[attr-defined]
        badge = li.select_one("h2 .badge").get_text(strip=True)
        title = li.select_one("h2").get_text(" ", strip=True).removeprefix(badge).strip()
        out.append((badge, title))
    return out


def count(notify_db: sessionmaker[Session], model: type, **where: str) -> int:
    with notify_db() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(s.scalar(query) or 0)


@pytest.fixture
def two_notices(notify_db: sessionmaker[Session]) -> list[str]:
    """Two triage notices for 控申 (older first) and one for another unit; their ids."""
    with notify_db() as s, s.begin():
        ids = [add_delivery(s, title="旧通知", subject="pid-old", created_at=BASE).id,
               add_delivery(s, title="新通知", subject="pid-new", created_at=BASE + timedelta(minutes=1)).id]
        add_delivery(s, title="别的单位", unit_code="NY-FY-SF")
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_has_an_inbox_page(browser: BrowserOf, role: str) -> None:
    response = browser(role).get("/inbox")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = soup(response)
    assert has_layout(page) and page.h1 is not None and "通知" in page.h1.get_text()
    nav = [a.get_text(strip=True) for a in page.select("nav.site-nav a")]
    assert "通知" in nav
    assert ("送达记录" in nav) == (role not in ("auditor", "admin"))


@pytest.mark.parametrize("path", ["/inbox", "/inbox?show=unread"])
def test_signed_out_goes_to_sign_in_and_comes_back(browser: BrowserOf, path: str) -> None:
    response = browser(None).get(path)
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert target.path == "/signin" and parse_qs(target.query)["next"] == [path]


def test_the_browser_access_cookie_signs_in_too(notify_app, test_keys: AuthKeys, two_notices: list[str]) -> None:  # type: ignore[no-untyped-def]
    client = notify_app.test_client()
    client.set_cookie(ACCESS_COOKIE, test_keys.token("triage_officer", sid="session-hash"))
    page = soup(client.get("/inbox"))
    assert items(page) == [("未读", "新通知"), ("未读", "旧通知")]


def test_notices_newest_first_unread_in_words_with_a_link_to_the_case(browser: BrowserOf, two_notices: list[str]) -> None:
    page = soup(browser("triage_officer").get("/inbox"))
    assert items(page) == [("未读", "新通知"), ("未读", "旧通知")]  # not the other unit's
    assert "2 条未读" in page.h1.get_text()  # type: ignore[union-attr]
    first = page.select_one("ol.inbox-list > li")
    assert first is not None and "inbox-item--unread" in first["class"]
    assert first.select_one('a[href="/cases/pid-new"]') is not None
    assert "2027年1月4日 星期一 09:01" in first.get_text()  # Beijing time
    forms = [f["action"] for f in page.select("form[method=post]")]
    assert forms == ["/signout", "/inbox/read-all", f"/inbox/{two_notices[1]}/read", f"/inbox/{two_notices[0]}/read"]


def test_mark_read_goes_back_and_is_audited(browser: BrowserOf, notify_db: sessionmaker[Session],
                                             two_notices: list[str]) -> None:
    me = browser("triage_officer", username="wang")
    response = me.post_form("/inbox", f"/inbox/{two_notices[0]}/read", {"next": "/inbox?show=unread"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox?show=unread&marked=1"
    page = soup(me.get(response.headers["Location"]))
    assert page.select_one('[role="status"]').get_text(strip=True) == "已将 1 条通知标为已读。"  # type: ignore[union-attr]
    assert items(page) == [("未读", "新通知")]  # the unread view
    assert items(soup(me.get("/inbox"))) == [("未读", "新通知"), ("已读", "旧通知")]
    assert count(notify_db, AuditEntry, action="inbox.read", actor="wang", subject_id=two_notices[0]) == 1


def test_mark_read_twice_changes_nothing_the_second_time(browser: BrowserOf, notify_db: sessionmaker[Session],
                                                         two_notices: list[str]) -> None:
    me = browser("triage_officer")
    assert me.post_form("/inbox", f"/inbox/{two_notices[0]}/read").headers["Location"] == "/inbox?marked=1"
    again = me.post_form("/inbox", f"/inbox/{two_notices[0]}/read")
    assert again.status_code == 303 and again.headers["Location"] == "/inbox?marked=0"
    assert count(notify_db, InboxRead) == 1
    assert count(notify_db, AuditEntry, action="inbox.read") == 1


def test_read_marks_are_per_person(browser: BrowserOf, two_notices: list[str]) -> None:
    browser("triage_officer", username="wang").post_form("/inbox", f"/inbox/{two_notices[1]}/read")
    assert items(soup(browser("triage_officer", username="zhao").get("/inbox"))) == [("未读", "新通知"), ("未读", "旧通知")]
    assert items(soup(browser("triage_officer", username="wang").get("/inbox")))[0] == ("已读", "新通知")


@pytest.mark.parametrize("action", ["one", "all"])
def test_without_the_csrf_token_nothing_is_marked(browser: BrowserOf, notify_db: sessionmaker[Session],
                                                  two_notices: list[str], action: str) -> None:
    me = browser("triage_officer")
    path = f"/inbox/{two_notices[0]}/read" if action == "one" else "/inbox/read-all"
    response = me.post_form("/inbox", path, csrf=False)
    assert response.status_code == 400
    page = soup(response)
    assert "表单已失效" in page.h1.get_text()  # type: ignore[union-attr]
    assert count(notify_db, InboxRead) == 0
    assert count(notify_db, AuditEntry, action="inbox.read") + count(notify_db, AuditEntry, action="inbox.read_all") == 0


def test_a_token_from_another_site_is_refused(browser: BrowserOf, notify_db: sessionmaker[Session],
                                              two_notices: list[str]) -> None:
    me = browser("triage_officer")
    me.get("/inbox")
    me.client.environ_base["HTTP_ORIGIN"] = "https://evil.example"
    assert me.post_form("/inbox", "/inbox/read-all").status_code == 400
    assert count(notify_db, InboxRead) == 0


def test_mark_all_read_marks_up_to_the_newest_shown(browser: BrowserOf, notify_db: sessionmaker[Session],
                                                    two_notices: list[str]) -> None:
    me = browser("triage_officer")
    page = soup(me.get("/inbox"))
    form = page.select_one('form[action="/inbox/read-all"]')
    assert form is not None
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    with notify_db() as s, s.begin():
        add_delivery(s, title="刚到的通知")  # after the page was drawn
    response = me.client.post("/inbox/read-all", data=fields)
    assert response.status_code == 303 and response.headers["Location"] == "/inbox?marked=2"
    page = soup(me.get(response.headers["Location"]))
    assert page.select_one('[role="status"]').get_text(strip=True) == "已将 2 条通知标为已读。"  # type: ignore[union-attr]
    assert items(page) == [("未读", "刚到的通知"), ("已读", "新通知"), ("已读", "旧通知")]
    assert count(notify_db, AuditEntry, action="inbox.read_all") == 1


def test_a_notice_of_another_unit_is_not_found(browser: BrowserOf, notify_db: sessionmaker[Session]) -> None:
    with notify_db() as s, s.begin():
        other = add_delivery(s, unit_code="NY-FY-SF").id
    response = browser("triage_officer").post_form("/inbox", f"/inbox/{other}/read")
    assert response.status_code == 404
    assert "未找到" in soup(response).h1.get_text()  # type: ignore[union-attr]
    assert count(notify_db, InboxRead) == 0


def test_a_next_elsewhere_is_not_followed(browser: BrowserOf, two_notices: list[str]) -> None:
    response = browser("triage_officer").post_form("/inbox", f"/inbox/{two_notices[0]}/read",
                                                   {"next": "//evil.example/inbox"})
    assert response.headers["Location"] == "/inbox?marked=1"


def test_pages_of_thirty_by_key(browser: BrowserOf, notify_db: sessionmaker[Session]) -> None:
    with notify_db() as s, s.begin():
        made = [add_delivery(s, title=f"通知{i:02d}").title for i in range(35)]
    me = browser("triage_officer")
    first = soup(me.get("/inbox"))
    next_link = first.select_one('a[rel="next"]')
    assert next_link is not None
    second = soup(me.get(str(next_link["href"])))
    assert second.select_one('a[rel="next"]') is None
    shown = [t for _, t in items(first)] + [t for _, t in items(second)]
    assert shown == list(reversed(made))


def test_a_cut_paging_token_is_a_form_error(browser: BrowserOf) -> None:
    response = browser("triage_officer").get("/inbox?after=not-a-cursor")
    assert response.status_code == 422
    assert "翻页位置无效" in soup(response).get_text()


def test_the_panel_is_a_fragment_with_the_unread_count_and_five(browser: BrowserOf, notify_db: sessionmaker[Session]) -> None:
    with notify_db() as s, s.begin():
        ids = [add_delivery(s, title=f"通知{i}", subject=f"pid-{i}").id for i in range(7)]
    me = browser("triage_officer")
    me.post_form("/inbox", f"/inbox/{ids[-1]}/read")
    response = me.get("/inbox/panel", headers={"X-Huhang-Fragment": "1"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    panel = soup(response)
    assert not has_layout(panel)
    assert panel.find(["h1", "h2", "section"]) is None  # review's home page frames it with its own heading
    assert panel.select_one(".stat").get_text(strip=True) == "6"  # type: ignore[union-attr]
    assert [li.get_text(" ", strip=True).split(" ")[1] for li in panel.select("li")] == [f"通知{i}" for i in (5, 4, 3, 2, 1)]
    assert panel.select_one('a[href="/cases/pid-5"]') is not None
    assert "另有 1 条未读" in panel.get_text()


def test_the_panel_asks_for_sign_in_as_a_fragment_would(browser: BrowserOf) -> None:
    response = browser(None).get("/inbox/panel", headers={"X-Huhang-Fragment": "1"})
    assert response.status_code == 401 and response.is_json  # portal.js refreshes or sends to sign-in
