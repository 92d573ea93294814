"""Notice texts: Jinja2 templates under `templates/`, one file per event type and channel.

A template is `templates/<event type>.<channel>.txt` (`triage.item_created.staff_inbox.txt`) and
defines two blocks, `title` and `body`; only the blocks are rendered, so the comments around them
are free.  The texts are plain text, not HTML: autoescape is off (an `&` in a summary stays an
`&`), and `StrictUndefined` turns a misspelt variable into an error instead of an empty string.
Variables are the fields of the handler's typed input (`inputs.py`) plus `event_type`.

An email also has an HTML part: `templates/<event type>.<channel>.html` with a `body` block,
rendered with autoescape **on** (the event's text is data, never markup) from the same variables.

`check_templates(routes)` runs at start-up: every routed event type must have its template on
each of its channels, and each must render with a sample payload built from the event catalogue
(`shared/events/catalog.py`) — once with every field filled, once with the optional ones null.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateError, TemplateNotFound
from marshmallow import Schema, fields, validate

from services.notify.deliveries.inputs import NoticeInput
from shared.events import Envelope, new_event
from shared.events.catalog import lookup
from shared.events.envelope import InvalidEvent

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
BLOCKS = ("title", "body")
# Channels whose notices also have an HTML part (`<event type>.<channel>.html`, block `body`).
HTML_CHANNELS = frozenset({"email"})
# The `deliveries.title` column.
TITLE_MAX = 200


class TemplateMissing(LookupError):
    """No template (or no `title`/`body` block) for an event type on a channel."""


class TemplateCheckFailed(RuntimeError):
    """The start-up check found routed events whose notices cannot be rendered; lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("notice templates are broken:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RenderedNotice:
    template: str  # the event type: what `deliveries.template` has always held
    title: str
    body: str
    html: str | None = None  # the HTML part, on the channels of HTML_CHANNELS


@dataclass(frozen=True)
class Route:
    """How one event type becomes notices: its typed input and the channels it goes to."""

    parse: Callable[[Envelope], NoticeInput]
    channels: tuple[str, ...]


def template_name(event_type: str, channel: str, *, html: bool = False) -> str:
    return f"{event_type}.{channel}.{'html' if html else 'txt'}"


@lru_cache(maxsize=8)
def _environment(directory: Path, html: bool = False) -> Environment:
    # Built on first use (nothing at import time); templates are cached by Jinja afterwards.
    return Environment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        autoescape=html,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def _template(event_type: str, channel: str, directory: Path, *, html: bool = False) -> Template:
    name = template_name(event_type, channel, html=html)
    try:
        template = _environment(directory, html).get_template(name)
    except TemplateNotFound as exc:
        raise TemplateMissing(f"no template {name} in {directory}") from exc
    missing = [block for block in (("body",) if html else BLOCKS) if block not in template.blocks]
    if missing:
        raise TemplateMissing(f"{name} lacks the block(s) {', '.join(missing)}")
    return template


def _block(template: Template, block: str, context: Mapping[str, Any]) -> str:
    return "".join(template.blocks[block](template.new_context(dict(context))))


def render(
    event_type: str, channel: str, context: Mapping[str, Any], *, directory: Path = TEMPLATE_DIR
) -> RenderedNotice:
    """The title and body of one notice; raises `TemplateMissing` or a Jinja `TemplateError`."""
    template = _template(event_type, channel, directory)
    texts = {block: _block(template, block, context) for block in BLOCKS}
    html = None
    if channel in HTML_CHANNELS:
        html = _block(_template(event_type, channel, directory, html=True), "body", context)
    # Cut to the column, as the f-strings before the templates did for deadline titles.
    return RenderedNotice(template=event_type, title=texts["title"][:TITLE_MAX], body=texts["body"], html=html)


def render_notice(notice: NoticeInput, channel: str) -> RenderedNotice:
    """A typed input's notice on one channel."""
    return render(notice.source.event_type, channel, notice.template_context())


# --- the start-up check -------------------------------------------------------------------

# An SMS notice fits 2 segments of 70 characters (channels/sms.py refuses a longer one at send time).
SMS_CHANNEL = "sms"
SMS_MAX_SEGMENTS = 2


def _sms_segments(text: str) -> int:
    return max(1, -(-len(text) // 70))


def _longest(event_type: str, full: Mapping[str, Any]) -> dict[str, Any]:
    """`full` with every string field that declares a maximum length filled to it."""
    found = lookup(event_type, 1)
    longest = dict(full)
    for name, field in (found.schema().fields.items() if found is not None else ()):
        bound = next((v.max for v in field.validators if isinstance(v, validate.Length) and v.max), None)
        if isinstance(field, fields.String) and bound:
            longest[name] = "长" * bound
    return longest

_SAMPLE_DATE = date(2027, 1, 4)
_SAMPLE_INSTANT = datetime(2027, 1, 4, 1, 30, tzinfo=timezone.utc)


def _sample_value(name: str, field: fields.Field) -> Any:
    # A field with a pattern (a 6-digit 县区 code) says what a valid value looks like.
    if "example" in field.metadata:
        return field.metadata["example"]
    # A field restricted to a list of values (a case type, a relief kind) gets its first one.
    choices = next((v.choices for v in field.validators if isinstance(v, validate.OneOf)), None)
    if choices is not None:
        return next(iter(choices))
    # Ordered from the most specific class: Email is a String, Date a DateTime.
    if isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
        # One nested object (an applicant), every field of it set.
        return {n: _sample_value(n, f) for n, f in field.schema.fields.items()}
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, fields.Date):  # before DateTime: marshmallow's Date subclasses it
        return _SAMPLE_DATE
    if isinstance(field, fields.DateTime):
        return _SAMPLE_INSTANT
    if isinstance(field, fields.UUID):
        return str(uuid.UUID(int=1))
    if isinstance(field, fields.Email):
        return "example@example.invalid"
    if isinstance(field, fields.String):
        return f"示例{name}"
    if isinstance(field, (fields.Integer, fields.Float, fields.Decimal)):
        return 1
    if isinstance(field, fields.List):
        return []
    if isinstance(field, fields.Dict):
        return {}
    raise TypeError(f"no sample value for {name} ({type(field).__name__}); extend _sample_value")


def sample_payloads(event_type: str, version: int = 1) -> dict[str, dict[str, Any]]:
    """Two payloads valid for the catalogue schema: `full` (every field set, flags true) and
    `minimal` (optional fields null, flags false), so both branches of a template's `if` run."""
    found = lookup(event_type, version)
    if found is None:
        raise LookupError(f"{event_type} v{version} is not in the event catalogue")
    full: dict[str, Any] = {}
    minimal: dict[str, Any] = {}
    for name, field in found.schema().fields.items():
        value = _sample_value(name, field)
        full[name] = value
        if isinstance(field, fields.Boolean):
            minimal[name] = False
        elif field.required:
            minimal[name] = value
        elif field.allow_none:
            minimal[name] = None
    return {"full": full, "minimal": minimal}


def check_templates(routes: Mapping[str, Route], *, directory: Path = TEMPLATE_DIR) -> None:
    """Fail loudly (`TemplateCheckFailed`) if a routed event type cannot be rendered on a channel."""
    problems: list[str] = []
    for event_type, route in sorted(routes.items()):
        for channel in route.channels:
            try:
                _template(event_type, channel, directory)
                if channel in HTML_CHANNELS:
                    _template(event_type, channel, directory, html=True)
            except TemplateMissing as exc:
                problems.append(str(exc))
                continue
            try:
                payloads = sample_payloads(event_type)
            except (LookupError, TypeError) as exc:
                problems.append(f"{event_type}: {exc}")
                continue
            if channel == SMS_CHANNEL:
                # An SMS must fit whatever the sender writes: every bounded text field at its longest.
                payloads = {**payloads, "longest": _longest(event_type, payloads["full"])}
            for label, payload in payloads.items():
                try:
                    event = new_event(event_type, subject="sample", source=_source_of(event_type), data=payload)
                    notice = route.parse(event)
                    rendered = render(event_type, channel, notice.template_context(), directory=directory)
                except (TemplateError, TemplateMissing, InvalidEvent, ValueError, TypeError, KeyError) as exc:
                    problems.append(f"{template_name(event_type, channel)} with the {label} sample: {exc!r}")
                    continue
                if not rendered.title.strip() or not rendered.body.strip() or "\n" in rendered.title:
                    problems.append(f"{template_name(event_type, channel)} with the {label} sample: "
                                    "title must be one non-empty line and body non-empty")
                if channel == SMS_CHANNEL and _sms_segments(rendered.body) > SMS_MAX_SEGMENTS:
                    problems.append(f"{template_name(event_type, channel)} with the {label} sample: "
                                    f"{len(rendered.body)} characters, more than {SMS_MAX_SEGMENTS} SMS segments")
                if channel in HTML_CHANNELS and not (rendered.html or "").strip():
                    problems.append(f"{template_name(event_type, channel, html=True)} with the {label} sample: "
                                    "the HTML part is empty")
    if problems:
        raise TemplateCheckFailed(problems)


def _source_of(event_type: str) -> str:
    found = lookup(event_type, 1)
    return found.source if found is not None else "review"
