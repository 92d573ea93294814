"""The catalogue of deadline rules: ``rules.toml`` → ``deadline_rules`` rows → docs/deadlines.md.

Deadline rules are data, not constants. Each row has an amount, a unit, a legal basis and an
effective-date range; a deadline uses the row in force on its start date. Rules that
RULES.md marks unsettled (12309's 7日 vs 7个工作日, the 12368 work-order limit, …) list the
fields an administrator may change through the environment::

    HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT=working_day
    HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT=1

Settings are resolved when the rules are seeded (``huhang db seed``, run by ``make up``), so
the database row always says what is in force; running deadlines keep the amount they started
with.
"""

from __future__ import annotations

import datetime as _dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.review.deadlines.models import DeadlineRule
from shared.calendar import Unit
from shared.errors import DomainError, ErrorKind

RULES_FILE = Path(__file__).resolve().parent / "rules.toml"
SETTABLE = ("amount", "unit")


class RuleNotFound(DomainError):
    kind = ErrorKind.NOT_FOUND
    code = "deadline_rule_not_found"
    message_en = "No deadline rule of that code is in force on that date"
    message_zh = "该日期没有有效的期限规则"


class RulesFileError(ValueError):
    """rules.toml, or a setting in the environment, is invalid."""


@dataclass(frozen=True)
class RuleSpec:
    """One rule as written in rules.toml, before settings are applied."""

    code: str
    title: str
    amount: int
    unit: Unit
    basis: str
    effective_from: _dt.date
    effective_to: _dt.date | None = None
    custody: bool = False
    warn_before: int = 2
    settings: tuple[str, ...] = ()
    note: str | None = None

    def setting_name(self, field_: str) -> str:
        return "HUHANG_RULE_" + self.code.replace(".", "_").upper() + "_" + field_.upper()

    def resolved(self, env: Mapping[str, str]) -> tuple[int, Unit]:
        """Amount and unit after the environment's settings (only for the fields listed in ``settings``)."""
        amount, unit = self.amount, self.unit
        if "amount" in self.settings and env.get(self.setting_name("amount")):
            raw = env[self.setting_name("amount")]
            if not raw.isdigit():
                raise RulesFileError(f"{self.setting_name('amount')}={raw!r}: a whole number of days/months")
            amount = int(raw)
        if "unit" in self.settings and env.get(self.setting_name("unit")):
            raw = env[self.setting_name("unit")]
            try:
                unit = Unit(raw)
            except ValueError:
                raise RulesFileError(
                    f"{self.setting_name('unit')}={raw!r}: one of {', '.join(u.value for u in Unit)}"
                ) from None
        return amount, unit


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[RuleSpec, ...] = field(default_factory=tuple)


def _date(value: Any, where: str) -> _dt.date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RulesFileError(f"{where}: {value!r} is not a date YYYY-MM-DD")


def load_catalogue(path: Path = RULES_FILE) -> Catalogue:
    """Parse and check rules.toml: known fields, valid units, no overlapping ranges per code."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    known = {f for f in RuleSpec.__dataclass_fields__}
    specs: list[RuleSpec] = []
    for n, item in enumerate(raw.get("rule", []), start=1):
        where = f"{path.name} rule {n} ({item.get('code', '?')})"
        unknown = set(item) - known
        if unknown:
            raise RulesFileError(f"{where}: unknown field(s) {sorted(unknown)}")
        try:
            unit = Unit(item["unit"])
            spec = RuleSpec(
                code=str(item["code"]),
                title=str(item["title"]),
                amount=int(item["amount"]),
                unit=unit,
                basis=str(item["basis"]),
                effective_from=_date(item["effective_from"], where),
                effective_to=_date(item["effective_to"], where) if "effective_to" in item else None,
                custody=bool(item.get("custody", False)),
                warn_before=int(item.get("warn_before", 2)),
                settings=tuple(item.get("settings", ())),
                note=item.get("note"),
            )
        except (KeyError, ValueError) as exc:
            raise RulesFileError(f"{where}: {exc}") from exc
        if spec.amount < 0 or spec.warn_before < 0:
            raise RulesFileError(f"{where}: amount and warn_before must be >= 0")
        if set(spec.settings) - set(SETTABLE):
            raise RulesFileError(f"{where}: settings may name only {SETTABLE}")
        if spec.effective_to is not None and spec.effective_to < spec.effective_from:
            raise RulesFileError(f"{where}: effective_to before effective_from")
        specs.append(spec)
    by_code: dict[str, list[RuleSpec]] = {}
    for spec in specs:
        by_code.setdefault(spec.code, []).append(spec)
    for code, rows in by_code.items():
        rows.sort(key=lambda r: r.effective_from)
        for earlier, later in zip(rows, rows[1:]):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise RulesFileError(f"{code}: effective ranges overlap ({earlier.effective_from} / {later.effective_from})")
    return Catalogue(tuple(specs))


def seed_rules(session: Session, *, env: Mapping[str, str] | None = None, path: Path = RULES_FILE) -> int:
    """Insert or update every rule of the file (matched on code + effective_from); returns the count.

    Idempotent. Rows no longer in the file are left alone: running deadlines refer to them.
    """
    environ = os.environ if env is None else env
    existing = {(r.code, r.effective_from): r for r in session.scalars(select(DeadlineRule))}
    specs = load_catalogue(path).rules
    for spec in specs:
        amount, unit = spec.resolved(environ)
        row = existing.get((spec.code, spec.effective_from))
        if row is None:
            row = DeadlineRule(code=spec.code, effective_from=spec.effective_from)
            session.add(row)
        row.title = spec.title
        row.amount = amount
        row.unit = unit.value
        row.custody = spec.custody
        row.basis = spec.basis
        row.effective_to = spec.effective_to
        row.warn_before = spec.warn_before
        row.settings = ",".join(spec.settings)
        row.default_amount = spec.amount
        row.default_unit = spec.unit.value
        row.note = spec.note
    session.flush()
    return len(specs)


def rule_in_force(session: Session, *, code: str, on: _dt.date) -> DeadlineRule:
    """The row of ``code`` whose effective range contains ``on`` (the deadline's start date).

    An empty table is seeded first, so a fresh database works without `huhang db seed`.
    """
    if session.scalar(select(DeadlineRule.id).limit(1)) is None:
        seed_rules(session)
    rows = session.scalars(
        select(DeadlineRule)
        .where(DeadlineRule.code == code, DeadlineRule.effective_from <= on)
        .order_by(DeadlineRule.effective_from.desc())
    ).all()
    for row in rows:
        if row.effective_to is None or on <= row.effective_to:
            return row
    raise RuleNotFound(code=code, on=on.isoformat())


def list_rules(session: Session) -> list[DeadlineRule]:
    if session.scalar(select(DeadlineRule.id).limit(1)) is None:
        seed_rules(session)
    return list(session.scalars(select(DeadlineRule).order_by(DeadlineRule.code, DeadlineRule.effective_from)))


def _period(amount: int, unit: Unit) -> str:
    return f"{amount} {unit.label}"


def render_markdown(path: Path = RULES_FILE) -> str:
    """The generated part of docs/deadlines.md: every rule with its basis, range and settings."""
    specs = sorted(load_catalogue(path).rules, key=lambda s: (s.code, s.effective_from))
    lines = [
        "## Rules (generated)",
        "",
        "Generated from `services/review/deadlines/rules.toml` by `huhang docs deadlines`; edit the",
        "file, not this section. Amounts shown are the defaults; see *Settings* below.",
        "",
        "| code | deadline | period | in force | warn | basis |",
        "|---|---|---|---|---|---|",
    ]
    for s in specs:
        span = f"{s.effective_from} – {s.effective_to or 'now'}"
        custody = " (在押)" if s.custody else ""
        lines.append(
            f"| `{s.code}` | {s.title} | {_period(s.amount, s.unit)}{custody} | {span} "
            f"| {s.warn_before} 工作日 | {s.basis} |"
        )
    lines += [
        "",
        "### Settings",
        "",
        "Rules whose number or unit RULES.md marks unsettled. Set the variable before",
        "`huhang db seed` (`make up` runs it); deadlines already running keep their period.",
        "",
        "| variable | default | allowed | why |",
        "|---|---|---|---|",
    ]
    for s in specs:
        for field_ in s.settings:
            default = str(s.amount) if field_ == "amount" else s.unit.value
            allowed = "whole number ≥ 0" if field_ == "amount" else ", ".join(u.value for u in Unit)
            lines.append(f"| `{s.setting_name(field_)}` | `{default}` | {allowed} | {s.note or ''} |")
    notes = [s for s in specs if s.note and not s.settings]
    if notes:
        lines += ["", "### Unconfirmed", ""]
        lines += [f"- `{s.code}` (from {s.effective_from}): {s.note}" for s in notes]
    return "\n".join(lines) + "\n"
