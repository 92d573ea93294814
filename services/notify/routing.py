"""通知路由表 the routing table as data: `routing.toml` says, per event type, who is told and how.

The table is read once (`table()`) and checked when any notify process starts (`check_routing`,
a start-up check of the manifest).  It fails loudly (`RoutingError`, listing every problem):

- an event type of the catalogue (`shared/events/*.py` EVENTS) has neither a `[notice]` row, nor a
  `[no_notice]` reason, nor an entry in `deliveries/workflow.py` ADDRESSES (which counts as routed
  to its group on the staff inbox): nobody decided whether anyone is told;
- a row names an event type the catalogue does not know (a typo), sits in both tables, names an
  audience or channel that does not exist, or says `mandatory = "event"` for an event that has no
  `mandatory` field;
- a row with channels has no handler in notify (it would never become a delivery).

The message of a missing row is the TOML line to paste, so adding an event type is one line.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shared.events.catalog import CATALOG

ROUTING_FILE = Path(__file__).resolve().parent / "routing.toml"

CONTACT = "contact"  # the person outside the organs the event names (its contact travels encrypted)
WORKFLOW = "workflow"  # the group and unit ADDRESSES computes from the payload
# The staff-inbox groups (services/notify/inbox/addresses.py GROUP_ROLES) by their name in the table.
STAFF_AUDIENCES = {
    "triage_officers": "unit:triage-officers",
    "deadline_supervisors": "unit:deadline-supervisors",
    "court_staff": "unit:court-staff",
    "case_handlers": "unit:case-handlers",
    "prosecutors": "unit:prosecutors",
}
AUDIENCES = frozenset({CONTACT, WORKFLOW, *STAFF_AUDIENCES})
# Channels a row may name: the ones there is a module for (channels/registry.py FACTORIES) is
# checked separately; these are the words the table knows.
STAFF_INBOX = "staff_inbox"
PUBLIC_CHANNELS = frozenset({"email", "sms", "webhook"})
FROM_EVENT = "event"


class RoutingError(RuntimeError):
    """The routing table is malformed or incomplete; lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("notify routing table (services/notify/routing.toml) is broken:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class NoticeRoute:
    """One row of `[notice]`: who is told of `event_type`, on which channels, how binding it is."""

    event_type: str
    to: tuple[str, ...]
    channels: tuple[str, ...]
    mandatory: bool | str  # True / False, or FROM_EVENT
    opt_out: bool
    implicit: bool = False  # from an ADDRESSES entry, not a row

    def is_mandatory(self, data: Mapping[str, Any]) -> bool:
        """Whether the notice of this event (its payload `data`) must be given whatever any opt-out says."""
        if self.mandatory == FROM_EVENT:
            return bool(data.get("mandatory"))
        return bool(self.mandatory)


@dataclass(frozen=True)
class RoutingTable:
    notices: Mapping[str, NoticeRoute]
    no_notice: Mapping[str, str]  # event type -> why nobody is told

    def route(self, event_type: str) -> NoticeRoute | None:
        return self.notices.get(event_type)

    def channels_of(self, event_type: str) -> tuple[str, ...]:
        found = self.notices.get(event_type)
        return found.channels if found is not None else ()


def _workflow_event_types() -> tuple[str, ...]:
    from services.notify.deliveries.workflow import ADDRESSES

    return tuple(ADDRESSES)


def parse(text: str, *, workflow_events: Iterable[str] = ()) -> tuple[RoutingTable, list[str]]:
    """The table in `text` and the problems of its rows (completeness is `check_routing`'s)."""
    problems: list[str] = []
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return RoutingTable({}, {}), [f"not valid TOML: {exc}"]
    unknown_tables = sorted(set(raw) - {"notice", "no_notice"})
    if unknown_tables:
        problems.append(f"unknown table(s) {', '.join(unknown_tables)} (only [notice] and [no_notice])")
    notices: dict[str, NoticeRoute] = {}
    for event_type, row in dict(raw.get("notice", {})).items():
        route = _route(event_type, row, problems)
        if route is not None:
            notices[event_type] = route
    no_notice: dict[str, str] = {}
    for event_type, reason in dict(raw.get("no_notice", {})).items():
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"[no_notice] {event_type}: give the reason as a non-empty string")
            continue
        no_notice[event_type] = reason
        if event_type in notices:
            problems.append(f"{event_type} is in both [notice] and [no_notice]")
    for event_type in workflow_events:
        if event_type in no_notice:
            problems.append(f"{event_type} has an ADDRESSES entry (a staff notice) but is in [no_notice]")
        elif event_type not in notices:
            notices[event_type] = NoticeRoute(event_type, (WORKFLOW,), (STAFF_INBOX,), False, False, implicit=True)
    return RoutingTable(notices, no_notice), problems


def _route(event_type: str, row: Any, problems: list[str]) -> NoticeRoute | None:
    where = f"[notice] {event_type}"
    if not isinstance(row, dict):
        problems.append(f"{where}: a row is an inline table {{ to = [...], channels = [...], ... }}")
        return None
    extra = sorted(set(row) - {"to", "channels", "mandatory", "opt_out"})
    if extra:
        problems.append(f"{where}: unknown key(s) {', '.join(extra)}")
    to, channels = row.get("to"), row.get("channels")
    mandatory, opt_out = row.get("mandatory", False), row.get("opt_out", False)
    if not isinstance(to, list) or not to or not all(isinstance(t, str) for t in to):
        problems.append(f"{where}: `to` must list who is told")
        return None
    if not isinstance(channels, list) or not channels or not all(isinstance(c, str) for c in channels):
        problems.append(f"{where}: `channels` must list at least one channel")
        return None
    for audience in to:
        if audience not in AUDIENCES:
            problems.append(f"{where}: nobody is called {audience!r} (one of {', '.join(sorted(AUDIENCES))})")
    for channel in channels:
        if channel != STAFF_INBOX and channel not in PUBLIC_CHANNELS:
            problems.append(f"{where}: no channel {channel!r}")
        elif channel == STAFF_INBOX and CONTACT in to:
            problems.append(f"{where}: a contact outside the organs has no staff inbox")
        elif channel in PUBLIC_CHANNELS and CONTACT not in to:
            problems.append(f"{where}: {channel} reaches a contact; staff are told in their inbox")
    if not (isinstance(mandatory, bool) or mandatory == FROM_EVENT):
        problems.append(f"{where}: `mandatory` is true, false or \"event\"")
    if not isinstance(opt_out, bool):
        problems.append(f"{where}: `opt_out` is true or false")
    elif opt_out and mandatory is True:
        problems.append(f"{where}: a mandatory notice cannot be opted out of")
    elif opt_out and CONTACT not in to:
        problems.append(f"{where}: only a contact outside the organs may opt out (staff inboxes cannot)")
    return NoticeRoute(event_type, tuple(to), tuple(channels), mandatory, bool(opt_out))


@lru_cache(maxsize=1)
def table() -> RoutingTable:
    """The routing table of this deployment (raises `RoutingError` on a malformed row)."""
    found, problems = parse(ROUTING_FILE.read_text(encoding="utf-8"), workflow_events=_workflow_event_types())
    if problems:
        raise RoutingError(problems)
    return found


def missing_rows(found: RoutingTable, catalogue_types: Iterable[str]) -> list[str]:
    """The TOML lines a table lacks for `catalogue_types`: one `[no_notice]` line each, to be decided."""
    return [f'"{event_type}" = "TODO: who is told? a [notice] row, or why nobody is"'
            for event_type in sorted(set(catalogue_types))
            if event_type not in found.notices and event_type not in found.no_notice]


def problems_of(found: RoutingTable, *, catalogue: Mapping[tuple[str, int], Any] = CATALOG,
                handled: Iterable[str] = (), channel_modules: Iterable[str] = ()) -> list[str]:
    """Completeness and consistency of a parsed table against the catalogue, the handlers and the channels."""
    problems: list[str] = []
    types = {event_type for event_type, _version in catalogue}
    for event_type in sorted((set(found.notices) | set(found.no_notice)) - types):
        problems.append(f"{event_type} is not an event type of the catalogue (shared/events/*.py EVENTS)")
    missing = missing_rows(found, types)
    if missing:
        problems.append("event types with neither a row, nor a [no_notice] reason, nor an ADDRESSES entry; "
                        "add to services/notify/routing.toml:\n    " + "\n    ".join(missing))
    handled, modules = set(handled), set(channel_modules)
    for event_type, route in sorted(found.notices.items()):
        if event_type in types and handled and event_type not in handled:
            problems.append(f"{event_type} is routed but notify has no handler for it (deliveries/handlers.py)")
        for channel in route.channels:
            if modules and channel not in modules:
                problems.append(f"{event_type}: channel {channel} has no module (channels/registry.py FACTORIES)")
        if route.mandatory == FROM_EVENT:
            schemas = [e.schema for (t, _v), e in catalogue.items() if t == event_type]
            if schemas and not all("mandatory" in schema().fields for schema in schemas):
                problems.append(f"{event_type}: mandatory = \"event\" but the event has no `mandatory` field")
    return problems


def check_routing(*, handled: Iterable[str], channel_modules: Iterable[str]) -> None:
    """The start-up check: the table parses and is complete for the catalogue, handlers and channels.

    The caller (notify's manifest) passes the handled event types and the channels it has, so the
    table needs to know neither module (they read the table).
    """
    problems = problems_of(table(), handled=handled, channel_modules=channel_modules)
    if problems:
        raise RoutingError(problems)


def main() -> int:
    """`python -m services.notify.routing`: print the lines the table lacks (for a merge), exit 1 if any."""
    missing = missing_rows(table(), {event_type for event_type, _version in CATALOG})
    for line in missing:
        print(line)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
