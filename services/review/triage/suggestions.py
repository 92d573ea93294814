"""Routing suggestions (分流建议): the rules of ``routing.toml`` (line, category, the enterprise's 县区 → unit).

Rules are data; the first rule that matches the item and names a unit its receiving unit may
route to wins (see the file's header).  The suggestion is advice: the officer may choose another
target, and then says why (triage/decisions.py records both in the audit row and the event).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from services.review.identity.units.tree import by_code
from services.review.triage import targets
from services.review.triage.models import TriageItem

RULES_FILE = Path(__file__).with_name("routing.toml")
KEYS = ("line", "category", "division")


class RoutingRulesError(ValueError):
    """routing.toml names an unknown key or unit: refused when loaded, never at a triage officer."""


@dataclass(frozen=True)
class RoutingRule:
    position: int  # 1-based, the order they are tried in
    unit: str
    note: str
    line: str | None = None
    category: str | None = None
    division: str | None = None

    def matches(self, *, line: str, category: str, division: str | None) -> bool:
        return ((self.line is None or self.line == line) and (self.category is None or self.category == category)
                and (self.division is None or self.division == division))


@dataclass(frozen=True)
class Suggestion:
    unit_code: str
    unit_name: str
    route: str  # "here" (the receiving unit itself) or "assigned" (交办)
    rule: RoutingRule


def parse(text: str) -> tuple[RoutingRule, ...]:
    """The rules of a routing.toml text, checked: known keys, a unit of the tree, a note."""
    rules = []
    for position, raw in enumerate(tomllib.loads(text).get("rule", []), start=1):
        unknown = set(raw) - {*KEYS, "unit", "note"}
        if unknown:
            raise RoutingRulesError(f"rule {position}: unknown keys {sorted(unknown)}")
        if by_code(str(raw.get("unit", ""))) is None:
            raise RoutingRulesError(f"rule {position}: unit {raw.get('unit')!r} is not in the unit tree")
        if not raw.get("note"):
            raise RoutingRulesError(f"rule {position}: a note saying why is required")
        rules.append(RoutingRule(position=position, unit=raw["unit"], note=raw["note"],
                                 **{k: str(raw[k]) for k in KEYS if k in raw}))
    return tuple(rules)


@lru_cache(maxsize=1)
def rules() -> tuple[RoutingRule, ...]:
    return parse(RULES_FILE.read_text(encoding="utf-8"))


def suggest(item: TriageItem, rule_set: tuple[RoutingRule, ...] | None = None) -> Suggestion | None:
    """The first rule's unit that matches ``item`` and that its receiving unit may route to; None if no rule fits."""
    if item.unit_code is None:
        return None
    allowed = {t.code for t in targets.assignable(item.unit_code)}
    category = item.category or item.petition_type
    for rule in rule_set if rule_set is not None else rules():
        if not rule.matches(line=item.line, category=category, division=item.enterprise_division):
            continue
        if rule.unit == item.unit_code:
            return Suggestion(rule.unit, targets.name_of(rule.unit), "here", rule)
        if rule.unit in allowed:
            return Suggestion(rule.unit, targets.name_of(rule.unit), "assigned", rule)
    return None
