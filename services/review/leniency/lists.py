"""首违不罚 lists as data: one TOML file per list version (lists/*.toml, format in FORMAT.md), parsed
and validated here as plain functions, before anything is stored.

A file says who issued the list (issuer, 文号), where and from when it applies (field 税务/市场监管,
region 全国 or a GB/T 2260 code, effective-date range), how far back "首次" looks, and its items
(code, text, the conditions each needs).  What RULES.md marks unconfirmed is flagged in the file
(``effective_from_confirmed``, ``[first].confirmed``, an item's ``confirmed``) and the flags travel
with every result that uses them.

A bad file is refused with every problem named (which file, which field, why) so that the person
importing it can fix it in one go.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

from shared.errors import DomainError, ErrorKind

LISTS_DIR = Path(__file__).with_name("lists")
FORMAT = 1
FIELDS = ("税务", "市场监管")
NATIONWIDE = "全国"
#: The conditions a list or an item may require (the check evaluates each; check.py).
CONDITIONS = {
    "first": "首次违法（回溯期间内无在先违法记录）",
    "minor_harm": "危害后果轻微",
    "corrected": "及时改正（发现前主动改正或在责令限期内改正）",
    "no_illegal_gains": "没有违法所得",
}
FIRST_SCOPES = ("field", "item")
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")
_ITEM_CODE = re.compile(r"^[0-9A-Za-z.-]{1,12}$")
_REGION = re.compile(r"^[1-8][0-9]{5}$")


class InvalidListFile(DomainError):
    """The list file breaks the format: ``details['problems']`` names each field and why."""

    kind = ErrorKind.INVALID
    code = "leniency_list.invalid"
    message_zh = "清单文件不符合格式要求"
    message_en = "The list file does not follow the format"


@dataclass(frozen=True)
class ListItem:
    code: str
    text: str
    conditions: tuple[str, ...]  # the item's own, beyond the list's
    confirmed: bool = True
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "text": self.text, "conditions": list(self.conditions),
                "confirmed": self.confirmed, "note": self.note}


@dataclass(frozen=True)
class ListVersion:
    """One version of one list, as its file says."""

    code: str
    version: int
    issuer: str
    document_number: str
    title: str
    field: str
    region: str
    effective_from: _dt.date
    effective_until: _dt.date | None
    effective_from_confirmed: bool
    effective_from_note: str | None
    conditions: tuple[str, ...]
    lookback_months: int
    lookback_confirmed: bool
    first_scope: str
    first_note: str | None
    items: tuple[ListItem, ...]
    sha256: str = dc_field(compare=False)

    def item(self, code: str) -> ListItem | None:
        return next((i for i in self.items if i.code == code), None)


def parse(text: str, *, source: str) -> ListVersion:
    """One list version from TOML ``text``; :raise InvalidListFile: naming ``source`` and every problem."""
    problems: list[str] = []
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidListFile(f"{source}: not TOML: {exc}", f"{source}：不是有效的TOML文件（{exc}）",
                              source=source, problems=[f"{source}: not TOML: {exc}"]) from None

    def bad(name: str, why: str) -> None:
        problems.append(f"{source}: {name}: {why}")

    def text_of(name: str, data: dict[str, Any] = raw, *, required: bool = True, max_len: int = 200,
                where: str = "") -> str:
        label = f"{where}.{name}" if where else name
        value = data.get(name)
        if value is None:
            if required:
                bad(label, "missing")
            return ""
        if not isinstance(value, str) or not value.strip():
            bad(label, "must be a non-empty string")
            return ""
        if len(value) > max_len:
            bad(label, f"longer than {max_len} characters")
        return value.strip()

    def flag(name: str, data: dict[str, Any] = raw, default: bool = True, where: str = "") -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            bad(f"{where}.{name}" if where else name, "must be true or false")
            return default
        return value

    issuer, number, title = text_of("issuer"), text_of("document_number"), text_of("title")

    if raw.get("format") != FORMAT:
        bad("format", f"must be {FORMAT}")
    code = text_of("code")
    if code and not _CODE.match(code):
        bad("code", "lower-case letters, digits and '-' only (e.g. tax-2021-6)")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        bad("version", "must be a whole number ≥ 1")
        version = 0
    field_ = text_of("field")
    if field_ and field_ not in FIELDS:
        bad("field", f"must be one of {', '.join(FIELDS)}")
    region = text_of("region")
    if region and region != NATIONWIDE and not _REGION.match(region):
        bad("region", f"{NATIONWIDE} or a six-digit GB/T 2260 region code")
    start = raw.get("effective_from")
    if not isinstance(start, _dt.date) or isinstance(start, _dt.datetime):
        bad("effective_from", "must be a date (YYYY-MM-DD, unquoted)")
        start = _dt.date.min
    until = raw.get("effective_until")
    if until is not None and (not isinstance(until, _dt.date) or isinstance(until, _dt.datetime)):
        bad("effective_until", "must be a date (YYYY-MM-DD, unquoted)")
        until = None
    if until is not None and until < start:
        bad("effective_until", "is before effective_from")
    conditions = raw.get("conditions", [])
    if not isinstance(conditions, list) or any(c not in CONDITIONS for c in conditions):
        bad("conditions", f"a list of {', '.join(CONDITIONS)}")
        conditions = []
    first = raw.get("first")
    if not isinstance(first, dict):
        bad("first", "missing table [first] (lookback_months, confirmed, scope)")
        first = {}
    months = first.get("lookback_months")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 240:
        bad("first.lookback_months", "a whole number of months, 1–240")
        months = 0
    scope = first.get("scope", "field")
    if scope not in FIRST_SCOPES:
        bad("first.scope", f"one of {', '.join(FIRST_SCOPES)}")

    items: list[ListItem] = []
    raw_items = raw.get("item", [])
    if not isinstance(raw_items, list):
        bad("item", "must be [[item]] tables")
        raw_items = []
    seen: set[str] = set()
    for n, entry in enumerate(raw_items, start=1):
        where = f"item[{n}]"
        if not isinstance(entry, dict):
            bad(where, "must be a table")
            continue
        item_code = entry.get("code")
        if not isinstance(item_code, str) or not _ITEM_CODE.match(item_code):
            bad(f"{where}.code", "1–12 letters, digits, '.' or '-'")
            item_code = ""
        elif item_code in seen:
            bad(f"{where}.code", f"{item_code!r} listed twice")
        seen.add(item_code)
        own = entry.get("conditions", [])
        if not isinstance(own, list) or any(c not in CONDITIONS for c in own):
            bad(f"{where}.conditions", f"a list of {', '.join(CONDITIONS)}")
            own = []
        unknown = set(entry) - {"code", "text", "conditions", "confirmed", "note"}
        if unknown:
            bad(where, f"unknown keys {', '.join(sorted(unknown))}")
        items.append(ListItem(
            code=item_code, text=text_of("text", entry, max_len=500, where=where),
            conditions=tuple(own), confirmed=flag("confirmed", entry, where=where),
            note=text_of("note", entry, required=False, where=where) or None))
    lookback_confirmed = flag("confirmed", first, where="first")
    from_confirmed = flag("effective_from_confirmed")
    if not items:
        bad("item", "a list needs at least one [[item]] (a list whose items are not known is not loaded)")
    if problems:
        raise InvalidListFile(f"{source}: " + "; ".join(p.split(": ", 1)[1] for p in problems),
                              f"{source}：清单文件有{len(problems)}处问题", source=source, problems=problems)
    return ListVersion(
        code=code, version=int(version), issuer=issuer, document_number=number,
        title=title, field=field_, region=region, effective_from=start, effective_until=until,
        effective_from_confirmed=from_confirmed,
        effective_from_note=text_of("effective_from_note", required=False) or None,
        conditions=tuple(conditions), lookback_months=months, lookback_confirmed=lookback_confirmed,
        first_scope=str(scope), first_note=text_of("note", first, required=False) or None,
        items=tuple(items), sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def repo_files() -> list[Path]:
    """The list files kept in the repository, in name order (what `huhang db seed` loads)."""
    return sorted(LISTS_DIR.glob("*.toml"))
