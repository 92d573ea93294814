"""The mandatory-review triggers (必要审查) as dated data (triggers.toml), and which of them a register entry meets.

:func:`due` is a plain function of one register entry and a day: the triggers that have arisen by that day,
each with the key that makes it happen once (the date or the situation that grounds it) and the rule row in
force on the day it arose.  The month figures of the trial triggers are settings (RULES §3 has them from a
secondary source): ``HUHANG_CUSTODY_<CODE>_MONTHS``; the continuation rows after the campaign can be switched
off with ``HUHANG_CUSTODY_CAMPAIGN_CONTINUED=0``.
"""

from __future__ import annotations

import datetime as _dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from services.review.cases.custody.vocabulary import PROSECUTION, TRIAL
from shared.calendar import add_months

TRIGGERS_FILE = Path(__file__).with_name("triggers.toml")
KINDS = ("prosecution_short_sentence", "special_situation", "back_from_supplementary", "first_instance_overdue",
         "second_instance_overdue")
#: 三年有期徒刑以下: the 2023 规定's line, in months.
SHORT_SENTENCE_MONTHS = 36


@dataclass(frozen=True)
class TriggerRule:
    code: str
    kind: str
    title: str
    basis: str
    effective_from: _dt.date
    effective_to: _dt.date | None = None
    months: int | None = None
    continuation: bool = False
    note: str | None = None

    def in_force(self, on: _dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def setting_name(self) -> str:
        return f"HUHANG_CUSTODY_{self.code.replace('.', '_').upper()}_MONTHS"

    def months_setting(self, env: Mapping[str, str]) -> int:
        raw = env.get(self.setting_name())
        if raw is None:
            return self.months or 0
        value = int(raw)
        if value < 1:
            raise ValueError(f"{self.setting_name()} must be a positive number of months")
        return value


@dataclass(frozen=True)
class Situation:
    code: str
    text: str
    confirmed: bool


@dataclass(frozen=True)
class Catalogue:
    rules: tuple[TriggerRule, ...]
    situations: tuple[Situation, ...]


def _date(value: Any) -> _dt.date:
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value))


@cache
def catalogue(path: Path = TRIGGERS_FILE) -> Catalogue:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    rules = tuple(TriggerRule(
        code=str(r["code"]), kind=str(r["kind"]), title=str(r["title"]), basis=str(r["basis"]),
        effective_from=_date(r["effective_from"]),
        effective_to=_date(r["effective_to"]) if "effective_to" in r else None,
        months=int(r["months"]) if "months" in r else None, continuation=bool(r.get("continuation", False)),
        note=r.get("note")) for r in raw["trigger"])
    for rule in rules:
        if rule.kind not in KINDS:
            raise ValueError(f"{path.name}: {rule.code}: kind must be one of {KINDS}")
        if rule.kind.endswith("_overdue") and not rule.months:
            raise ValueError(f"{path.name}: {rule.code}: a trial trigger needs months")
    situations = tuple(Situation(code=str(s["code"]), text=str(s["text"]), confirmed=bool(s.get("confirmed", True)))
                       for s in raw["situation"])
    return Catalogue(rules, situations)


def situation_text() -> dict[str, str]:
    return {s.code: s.text for s in catalogue().situations}


def rule_for(kind: str, on: _dt.date, env: Mapping[str, str] | None = None) -> TriggerRule | None:
    """The row of ``kind`` in force on ``on`` (continuation rows only while the setting allows them)."""
    environ = os.environ if env is None else env
    continued = environ.get("HUHANG_CUSTODY_CAMPAIGN_CONTINUED", "1") not in ("0", "false", "no")
    for rule in catalogue().rules:
        if rule.kind == kind and rule.in_force(on) and (continued or not rule.continuation):
            return rule
    return None


def by_code(code: str) -> TriggerRule | None:
    return next((r for r in catalogue().rules if r.code == code), None)


class Entry(Protocol):
    """What :func:`due` reads of a custody register entry (models.CustodyRegisterEntry)."""

    stage: str
    stage_entered_on: _dt.date
    likely_sentence_months: int | None
    likely_short_sentence: bool | None
    returned_from_supplementary_on: _dt.date | None
    first_instance_started_on: _dt.date | None
    second_instance_started_on: _dt.date | None
    judged_on: _dt.date | None
    special_situations: list[str]


@dataclass(frozen=True)
class Due:
    """One trigger that has arisen: its rule, the key that makes it once, the day it arose, what it says."""

    rule: TriggerRule
    key: str
    arose_on: _dt.date
    detail: str


def short_sentence(entry: Entry) -> bool:
    """可能判处三年有期徒刑以下刑罚: the flag if set, else the likely sentence in months."""
    if entry.likely_short_sentence is not None:
        return entry.likely_short_sentence
    return entry.likely_sentence_months is not None and entry.likely_sentence_months <= SHORT_SENTENCE_MONTHS


def due(entry: Entry, *, today: _dt.date, env: Mapping[str, str] | None = None) -> list[Due]:
    """Every trigger the entry meets by ``today``, with the rule in force on the day each arose."""
    environ = os.environ if env is None else env
    found: list[Due] = []

    def add(kind: str, key: str, arose_on: _dt.date, detail: str) -> None:
        if arose_on > today:
            return
        rule = rule_for(kind, arose_on, environ)
        if rule is not None:
            found.append(Due(rule, key, arose_on, detail))

    if entry.stage == PROSECUTION and short_sentence(entry):
        # Once per entry into 审查起诉; a case entering it before the 2023 规定 counts from its effective day.
        rule = rule_for("prosecution_short_sentence", today, environ)
        if rule is not None:
            arose = max(entry.stage_entered_on, rule.effective_from)
            found.append(Due(rule, f"stage:{entry.stage_entered_on.isoformat()}", arose,
                             "审查起诉阶段，可能判处三年有期徒刑以下刑罚"))
    texts = situation_text()
    for code in entry.special_situations:
        rule = rule_for("special_situation", today, environ)
        if rule is not None and code in texts:
            found.append(Due(rule, f"situation:{code}", today, f"特殊情形：{texts[code]}"))
    if entry.returned_from_supplementary_on is not None:
        add("back_from_supplementary", f"returned:{entry.returned_from_supplementary_on.isoformat()}",
            entry.returned_from_supplementary_on, "退回补充侦查后重新移送")
    if entry.stage == TRIAL and entry.judged_on is None:
        if entry.first_instance_started_on is not None and entry.second_instance_started_on is None:
            _trial(found, "first_instance_overdue", entry.first_instance_started_on, today, environ, "一审")
        if entry.second_instance_started_on is not None:
            _trial(found, "second_instance_overdue", entry.second_instance_started_on, today, environ, "二审")
    return found


def _trial(found: list[Due], kind: str, started: _dt.date, today: _dt.date, env: Mapping[str, str],
           instance: str) -> None:
    # The rule that says how many months is the one in force on the day the months would run out.
    for rule in catalogue().rules:
        if rule.kind != kind:
            continue
        arose = add_months(started, rule.months_setting(env))
        chosen = rule_for(kind, arose, env)
        if chosen is rule and arose <= today:
            found.append(Due(rule, f"{kind}:{started.isoformat()}", arose,
                             f"{instance}自{started.isoformat()}起超过{rule.months_setting(env)}个月尚未判决"))
            return
