"""通知路由表: every event type of the catalogue is routed or explicitly not; the table is checked at start-up."""

from __future__ import annotations

import pytest

from services.notify import routing
from services.notify.channels.registry import FACTORIES
from services.notify.deliveries.handlers import HANDLERS, ROUTES
from services.notify.deliveries.workflow import ADDRESSES
from services.notify.domains import MANIFEST
from shared.events.catalog import CATALOG

GOOD = '''
[notice]
"triage.item_created" = { to = ["triage_officers"], channels = ["staff_inbox"], mandatory = false, opt_out = false }
"public_notice.requested" = { to = ["contact"], channels = ["email"], mandatory = "event", opt_out = true }
[no_notice]
"deadline.opened" = "bookkeeping"
'''


def test_every_event_type_of_the_catalogue_has_a_row_or_an_explicit_no_notice() -> None:
    table = routing.table()
    missing = routing.missing_rows(table, {t for t, _v in CATALOG})
    assert missing == [], "add to services/notify/routing.toml:\n" + "\n".join(missing)
    assert routing.problems_of(table, handled=HANDLERS, channel_modules=FACTORIES) == []


def test_a_catalogue_event_without_a_row_fails_and_says_the_line_to_add() -> None:
    table, problems = routing.parse(GOOD)
    assert problems == []
    catalogue = {key: value for key, value in CATALOG.items()
                 if key[0] in {"triage.item_created", "public_notice.requested", "deadline.opened", "deadline.closed"}}
    found = routing.problems_of(table, catalogue=catalogue)
    assert len(found) == 1
    assert '"deadline.closed" = "TODO: who is told?' in found[0]


def test_an_addresses_entry_counts_as_routed_to_its_group_on_the_staff_inbox() -> None:
    table, problems = routing.parse(GOOD, workflow_events=["supervision.opened"])
    assert problems == []
    route = table.route("supervision.opened")
    assert route is not None and route.implicit
    assert (route.to, route.channels, route.is_mandatory({}), route.opt_out) == (("workflow",), ("staff_inbox",), False, False)
    # Every ADDRESSES entry of this branch is routed, without a row.
    assert set(ADDRESSES) <= set(routing.table().notices)
    # ...unless someone also wrote it off: that is a contradiction.
    _, problems = routing.parse(GOOD + '"supervision.opened" = "x"\n', workflow_events=["supervision.opened"])
    assert problems == ["supervision.opened has an ADDRESSES entry (a staff notice) but is in [no_notice]"]


def test_mandatory_from_the_event() -> None:
    route = routing.table().route("public_notice.requested")
    assert route is not None
    assert route.is_mandatory({"mandatory": True}) and not route.is_mandatory({"mandatory": False})
    assert route.opt_out and route.to == ("contact",)


@pytest.mark.parametrize(("row", "problem"), [
    ('"triage.item_created" = { to = ["nobody"], channels = ["staff_inbox"] }', "nobody is called 'nobody'"),
    ('"triage.item_created" = { to = ["triage_officers"], channels = ["pigeon"] }', "no channel 'pigeon'"),
    ('"triage.item_created" = { to = ["contact"], channels = ["staff_inbox"] }', "has no staff inbox"),
    ('"triage.item_created" = { to = ["triage_officers"], channels = ["email"] }', "staff are told in their inbox"),
    ('"triage.item_created" = { to = ["contact"], channels = ["email"], mandatory = true, opt_out = true }',
     "cannot be opted out of"),
    ('"triage.item_created" = { to = ["triage_officers"], channels = ["staff_inbox"], opt_out = true }',
     "only a contact outside the organs may opt out"),
    ('"triage.item_created" = { to = ["triage_officers"], channels = [] }', "at least one channel"),
    ('"triage.item_created" = { to = ["triage_officers"], channels = ["staff_inbox"], urgent = true }',
     "unknown key(s) urgent"),
    ('"triage.item_created" = { to = ["triage_officers"], channels = ["staff_inbox"], mandatory = "maybe" }',
     "`mandatory` is true, false"),
])
def test_a_malformed_row_is_refused(row: str, problem: str) -> None:
    _, problems = routing.parse(f"[notice]\n{row}\n")
    assert any(problem in p for p in problems), problems


def test_other_mistakes_are_refused() -> None:
    assert routing.parse("[notice\n")[1][0].startswith("not valid TOML")
    assert routing.parse('[routes]\n')[1] == ["unknown table(s) routes (only [notice] and [no_notice])"]
    _, problems = routing.parse(GOOD + '"triage.item_created" = "also nothing"\n')
    assert problems == ["triage.item_created is in both [notice] and [no_notice]"]
    table, _ = routing.parse(GOOD.replace("triage.item_created", "triage.item_creatd"))
    assert any("triage.item_creatd is not an event type" in p for p in routing.problems_of(table))
    # A row notify has no handler for never becomes a delivery.
    table, _ = routing.parse(GOOD)
    found = routing.problems_of(table, catalogue=CATALOG, handled={"triage.item_created"})
    assert any("public_notice.requested is routed but notify has no handler" in p for p in found)
    found = routing.problems_of(table, catalogue=CATALOG, channel_modules={"staff_inbox"})
    assert any("channel email has no module" in p for p in found)


def test_the_handlers_routes_take_their_channels_from_the_table() -> None:
    for event_type, route in ROUTES.items():
        assert route.channels == routing.table().channels_of(event_type)
    assert ROUTES["public_notice.requested"].channels == ("email", "sms")


def test_the_manifest_runs_the_routing_check_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = routing.RoutingTable(notices={}, no_notice={})
    monkeypatch.setattr(routing, "table", lambda: broken)
    with pytest.raises(routing.RoutingError, match="neither a row"):
        MANIFEST.run_startup_checks()
