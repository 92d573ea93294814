"""The 首违不罚 test of one violation, as a plain function over the facts, the list version in force
and the earlier determinations found (no session here: service.py gathers them).

行政处罚法 (2021) art. 33 ¶1 (RULES.md §5) gives two routes to 不予行政处罚:

* 应当不予处罚 (first sentence): 违法行为轻微, 及时改正, 没有造成危害后果;
* 可以不予处罚 (second sentence, 首违不罚): 初次违法, 危害后果轻微, 及时改正; the tax lists
  (公告2021年第33号 §1) add that all three hold for an item on the list, and an item worded
  "且无违法所得" needs that too.

Both need the claimed item on a list in force on the day of the act (a check is of a listed item:
the list is chosen by the date of the act, not the date of the check).  Every condition is shown as
met / not met / unknown with its reason.  A route with every condition met gives ``suggested``; a
route with no condition failed but some unknown gives ``more_information_needed``; otherwise
``not_applicable``, naming each failed condition.  Flags of data RULES.md marks unconfirmed (an
effective date, an item, the look-back period) go into ``unconfirmed`` whenever the result uses them.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from services.review.leniency.lists import CONDITIONS
from services.review.leniency.models import (
    MAY,
    MORE_INFORMATION,
    MUST,
    NOT_APPLICABLE,
    STRENGTH_TEXT,
    SUGGESTED,
    LeniencyList,
)
from shared.documents import chinese_date

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"
STATUS_TEXT = {MET: "符合", NOT_MET: "不符合", UNKNOWN: "待查明"}

ART33 = "《中华人民共和国行政处罚法》第三十三条第一款"
ART33_MUST = f"{ART33}（违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚）"
ART33_MAY = f"{ART33}（初次违法且危害后果轻微并及时改正的，可以不予行政处罚）"
ART33_EDUCATE = "《中华人民共和国行政处罚法》第三十三条第三款（对依法不予行政处罚的当事人应当进行教育）"


@dataclass(frozen=True)
class Facts:
    """The violation as the reviewer states it; None: not stated (the condition stays unknown)."""

    act_on: _dt.date
    corrected: bool | None = None
    corrected_on: _dt.date | None = None
    discovered_on: _dt.date | None = None
    within_order_period: bool | None = None  # corrected within the 责令限期
    harm: str | None = None  # none / minor / significant
    illegal_gains: bool | None = None
    first_claimed: bool | None = None


@dataclass(frozen=True)
class Prior:
    """An earlier determination that makes this violation not the first: a ``suggested`` check or a punishment."""

    kind: str  # check / punishment
    id: str
    act_on: _dt.date
    reference: str  # what the page shows: the check's list item, or the 处罚决定书 number

    def describe(self) -> str:
        what = "首违不罚审查（建议不予处罚）" if self.kind == "check" else "行政处罚"
        return f"{chinese_date(self.act_on)}的{what}（{self.reference}）"


@dataclass(frozen=True)
class Condition:
    key: str  # e.g. list.first, art33.no_harm
    text: str
    status: str
    reason: str
    unconfirmed: str | None = None  # the unconfirmed datum this condition rests on, if any

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "text": self.text, "status": self.status, "reason": self.reason,
                "unconfirmed": self.unconfirmed}


@dataclass
class Result:
    outcome: str
    strength: str | None
    conditions: list[Condition]
    basis: list[str]
    unconfirmed: list[str] = field(default_factory=list)
    explanation: str = ""


def window_start(act_on: _dt.date, months: int) -> _dt.date:
    """The first day of the look-back: ``months`` calendar months before the act (the 31st → month end)."""
    month_index = act_on.year * 12 + act_on.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (act_on.day, 30, 29, 28):
        try:
            return _dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # every month has a 28th


def _corrected(facts: Facts) -> tuple[str, str]:
    if facts.corrected is None:
        return UNKNOWN, "未说明是否已改正"
    if not facts.corrected:
        return NOT_MET, "尚未改正"
    if facts.corrected_on is not None and facts.discovered_on is not None and facts.corrected_on <= facts.discovered_on:
        return MET, f"于{chinese_date(facts.corrected_on)}在被发现前主动改正"
    if facts.within_order_period:
        when = f"于{chinese_date(facts.corrected_on)}" if facts.corrected_on else ""
        return MET, f"{when}在责令限期内改正"
    if facts.within_order_period is False:
        if facts.discovered_on is not None and facts.corrected_on is not None:
            return NOT_MET, "被发现后改正，且未在责令限期内改正"
        return UNKNOWN, "未在责令限期内改正；是否在被发现前改正未说明（需改正日期与发现日期）"
    return UNKNOWN, "已改正，但未说明是否在被发现前或责令限期内改正"


def _harm(facts: Facts, *, none_only: bool) -> tuple[str, str]:
    if facts.harm is None:
        return UNKNOWN, "未说明危害后果"
    if none_only:
        return (MET, "没有造成危害后果") if facts.harm == "none" else (NOT_MET, "造成了危害后果")
    if facts.harm == "significant":
        return NOT_MET, "危害后果较重，不属于轻微（税款无法追缴或造成较大社会影响的，不属于危害后果轻微）"
    return MET, "没有造成危害后果" if facts.harm == "none" else "危害后果轻微"


def _first(facts: Facts, priors: list[Prior], months: int) -> tuple[str, str]:
    if priors:
        return NOT_MET, "回溯期间内已有在先记录：" + "；".join(p.describe() for p in priors)
    period = f"违法行为发生前{months}个月内"
    if facts.first_claimed is False:
        return NOT_MET, "申报为非首次违法"
    if facts.first_claimed:
        return MET, f"{period}平台无在先不予处罚建议或处罚记录，且申报为首次"
    return UNKNOWN, f"{period}平台无在先记录，但未说明是否首次（请核对国家企业信用信息公示系统）"


def _gains(facts: Facts) -> tuple[str, str]:
    if facts.illegal_gains is None:
        return UNKNOWN, "未说明有无违法所得"
    return (NOT_MET, "有违法所得") if facts.illegal_gains else (MET, "没有违法所得")


def evaluate(facts: Facts, listing: LeniencyList | None, *, list_code: str, item_code: str,
             priors: list[Prior], list_known: LeniencyList | None = None) -> Result:
    """The answer for one violation: ``listing`` is the version in force on ``facts.act_on`` (None:
    none was); ``list_known`` any version of the list (for the refusal's wording); ``priors`` the
    earlier determinations within the look-back (service.priors)."""
    on = chinese_date(facts.act_on)
    if listing is None:
        named = list_known.document_number if list_known else list_code
        since = f"（自{chinese_date(list_known.effective_from)}起施行）" if list_known else ""
        cond = Condition("list.in_force", "违法行为发生时清单已施行", NOT_MET,
                         f"违法行为发生于{on}，{named}{since}当时尚未施行或已失效，不能援引其所列事项")
        return Result(NOT_APPLICABLE, None, [cond], [], [], f"不适用：{cond.reason}。")
    unconfirmed: list[str] = []
    from_note = None
    if not listing.effective_from_confirmed:
        from_note = listing.effective_from_note or f"{listing.document_number}的施行日期未经核实"
        unconfirmed.append(from_note)
    conditions = [Condition("list.in_force", "违法行为发生时清单已施行", MET,
                            f"{listing.document_number}自{chinese_date(listing.effective_from)}起施行（第{listing.version}版），"
                            f"违法行为发生于{on}", from_note)]
    item = listing.item(item_code)
    if item is None:
        cond = Condition("list.item", "所称事项列于清单", NOT_MET,
                         f"{listing.document_number}（第{listing.version}版）无第{item_code}项")
        conditions.append(cond)
        return Result(NOT_APPLICABLE, None, conditions, [], unconfirmed, f"不适用：{cond.reason}。")
    item_note = None
    if not item.get("confirmed", True):
        item_note = item.get("note") or f"{listing.document_number}第{item_code}项未经核实"
        unconfirmed.append(item_note)
    conditions.append(Condition("list.item", "所称事项列于清单", MET, f"第{item_code}项：{item['text']}", item_note))

    lookback_note = None
    if not listing.lookback_confirmed:
        lookback_note = listing.first_note or "“首次”的回溯期间未经核实"
    corrected, first = _corrected(facts), _first(facts, priors, listing.lookback_months)
    evaluated = {
        "first": first, "minor_harm": _harm(facts, none_only=False), "corrected": corrected, "no_illegal_gains": _gains(facts),
    }
    list_keys = [*listing.conditions, *(c for c in item.get("conditions", []) if c not in listing.conditions)]
    list_conditions = [Condition(f"list.{k}", CONDITIONS[k], *evaluated[k],
                                 lookback_note if k == "first" else None) for k in list_keys]
    minor_violation = _harm(facts, none_only=False)
    must = [
        Condition("art33.minor_violation", "违法行为轻微", minor_violation[0],
                  "危害后果较重，违法行为不属轻微" if minor_violation[0] == NOT_MET else minor_violation[1]),
        Condition("art33.no_harm", "没有造成危害后果", *_harm(facts, none_only=True)),
        Condition("art33.corrected", "及时改正", *corrected),
    ]
    may = [
        Condition("art33.first", "初次违法", *first, lookback_note),
        Condition("art33.minor_harm", "危害后果轻微", *_harm(facts, none_only=False)),
        Condition("art33.corrected_first", "及时改正", *corrected),
    ]
    conditions += list_conditions + must + may
    if lookback_note is not None:
        unconfirmed.append(lookback_note)
    item_basis = f"{listing.document_number}（{listing.title}）第{item_code}项：{item['text']}"

    def state(route: list[Condition]) -> str:
        statuses = {c.status for c in route}
        return NOT_MET if NOT_MET in statuses else UNKNOWN if UNKNOWN in statuses else MET

    must_state, may_state = state(must), state(may + list_conditions)
    if must_state == MET:
        strength: str | None = MUST
        basis = [ART33_MUST, item_basis, ART33_EDUCATE]
    elif may_state == MET:
        strength = MAY
        basis = [ART33_MAY, item_basis, ART33_EDUCATE]
    else:
        strength = None
    if strength is not None:
        return Result(SUGGESTED, strength, conditions, basis, unconfirmed,
                      f"建议{STRENGTH_TEXT[strength]}：{item_basis}。")
    if UNKNOWN in (must_state, may_state):
        missing = sorted({c.text for c in must + may + list_conditions if c.status == UNKNOWN})
        return Result(MORE_INFORMATION, None, conditions, [item_basis], unconfirmed,
                      "需补充信息：" + "、".join(missing) + "尚待查明。")
    failed = [f"{c.text}（{c.reason}）" for c in must + may + list_conditions if c.status == NOT_MET]
    seen: list[str] = []
    for f in failed:
        if f not in seen:
            seen.append(f)
    return Result(NOT_APPLICABLE, None, conditions, [item_basis], unconfirmed,
                  "不适用：不符合条件——" + "；".join(seen) + "。")
