"""The catalogue of event types: (type, version) → producing service, payload schema, meaning.

`docs/events.md` is generated from this table (`huhang docs events`); a breaking change to a
payload is a new version that lives beside the old one.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from marshmallow import Schema

from shared.events import intake, notify, review


@dataclass(frozen=True)
class EventType:
    type: str
    version: int
    source: str
    # builtins.type: in the class body the name `type` is the field above, not the builtin.
    schema: builtins.type[Schema]
    description: str


CATALOG: dict[tuple[str, int], EventType] = {}


def register(event_type: EventType) -> None:
    key = (event_type.type, event_type.version)
    if key in CATALOG:
        raise ValueError(f"event type {key} registered twice")
    CATALOG[key] = event_type


def lookup(type_: str, version: int) -> EventType | None:
    return CATALOG.get((type_, version))


for _module in (intake, review, notify):
    for _type, _version, _schema, _description in _module.EVENTS:
        register(EventType(_type, _version, _module.SOURCE, _schema, _description))


def render_markdown() -> str:
    """docs/events.md: every event type with its payload fields."""
    lines = [
        "# Events",
        "",
        "Generated from `shared/events/catalog.py` by `huhang docs events`; do not edit by hand.",
        "",
        "Every event travels in the envelope described in ARCHITECTURE (id, type, version, occurred_at,",
        "source, subject, actor, trace_id, data). Topics: `huhang.<source>.events`; dead letters:",
        "`huhang.dlq.<consumer group>`.",
        "",
    ]
    for (type_, version), et in sorted(CATALOG.items()):
        lines += [f"## `{type_}` v{version}", "", f"Produced by **{et.source}**. {et.description}", ""]
        lines += ["| field | type | required |", "|---|---|---|"]
        for name, field in et.schema().fields.items():
            lines.append(f"| `{name}` | {type(field).__name__} | {'yes' if field.required else 'no'} |")
        lines.append("")
    return "\n".join(lines)
