"""The 首违不罚 test itself (rules.evaluate, no database): every item of every list (parametrised over
the data), each condition of art. 33 ¶1 and of the list, the two routes, and the unconfirmed flags."""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

import pytest

from services.review.leniency import lists
from services.review.leniency.catalogue import to_row
from services.review.leniency.models import MAY, MORE_INFORMATION, MUST, NOT_APPLICABLE, SUGGESTED, LeniencyList
from services.review.leniency.rules import MET, NOT_MET, UNKNOWN, Facts, Prior, evaluate, window_start

ROWS = {p.stem: to_row(lists.parse(p.read_text(encoding="utf-8"), source=p.name), source=p.name, loaded_by="t")
        for p in lists.repo_files()}
ITEMS = [(code, item["code"]) for code, row in sorted(ROWS.items()) for item in row.items]
#: Every condition met: corrected before discovery, no harm, no gains, first.
ALL_MET = Facts(act_on=_dt.date(2026, 10, 16), corrected=True, corrected_on=_dt.date(2026, 10, 20),
                discovered_on=_dt.date(2026, 10, 22), harm="none", illegal_gains=False, first_claimed=True)
MINOR = replace(ALL_MET, harm="minor")


def _run(facts: Facts, code: str = "tax-2021-6", item: str = "3", priors: list[Prior] | None = None,
         listing: LeniencyList | None = None):  # type: ignore[no-untyped-def]
    row = listing if listing is not None else ROWS[code]
    return evaluate(facts, row, list_code=code, item_code=item, priors=priors or [], list_known=ROWS[code])


def _status(result, key: str) -> str:  # type: ignore[no-untyped-def]
    return next(c.status for c in result.conditions if c.key == key)


@pytest.mark.parametrize(("code", "item"), ITEMS)
def test_every_item_with_every_condition_met_is_suggested_citing_its_list_and_item(code: str, item: str) -> None:
    row = ROWS[code]
    result = _run(MINOR, code, item)
    assert (result.outcome, result.strength) == (SUGGESTED, MAY)
    assert any(f"{row.document_number}（{row.title}）第{item}项" in b for b in result.basis)
    assert any("第三十三条第一款" in b and "初次违法" in b for b in result.basis)
    text = row.item(item)["text"]  # type: ignore[index]
    assert text in result.explanation
    confirmed = row.item(item).get("confirmed", True)  # type: ignore[union-attr]
    assert any("本项未经核实" in u for u in result.unconfirmed) is (not confirmed)
    assert _status(result, "list.item") == MET


@pytest.mark.parametrize(("code", "item"), [ci for ci in ITEMS if "no_illegal_gains" in
                                            ROWS[ci[0]].item(ci[1])["conditions"]])  # type: ignore[index]
def test_an_item_worded_without_illegal_gains_fails_with_gains(code: str, item: str) -> None:
    result = _run(replace(MINOR, illegal_gains=True), code, item)
    assert result.outcome == NOT_APPLICABLE and _status(result, "list.no_illegal_gains") == NOT_MET
    assert "没有违法所得（有违法所得）" in result.explanation
    unknown = _run(replace(MINOR, illegal_gains=None), code, item)
    assert unknown.outcome == MORE_INFORMATION and "没有违法所得" in unknown.explanation


@pytest.mark.parametrize(("code", "item"), [ci for ci in ITEMS if not ROWS[ci[0]].item(ci[1])["conditions"]])  # type: ignore[index]
def test_an_item_without_that_wording_ignores_gains(code: str, item: str) -> None:
    assert _run(replace(MINOR, illegal_gains=True), code, item).outcome == SUGGESTED


def test_no_harm_minor_and_corrected_is_must_not_punish_under_the_first_sentence() -> None:
    result = _run(ALL_MET)
    assert (result.outcome, result.strength) == (SUGGESTED, MUST)
    assert "没有造成危害后果的，不予行政处罚" in result.basis[0] and "第三十三条第三款" in result.basis[-1]
    # Not first does not matter to the first sentence (it has no 初次 condition).
    repeat = _run(ALL_MET, priors=[Prior("punishment", "p", _dt.date(2026, 3, 1), "宛税罚〔2026〕1号")])
    assert (repeat.outcome, repeat.strength) == (SUGGESTED, MUST)
    assert _status(repeat, "art33.first") == NOT_MET


@pytest.mark.parametrize(("facts", "key", "failed"), [
    (replace(MINOR, corrected=False, corrected_on=None), "art33.corrected", "尚未改正"),
    (replace(MINOR, harm="significant"), "art33.minor_harm", "危害后果较重"),
    (replace(MINOR, first_claimed=False), "art33.first", "申报为非首次违法"),
    (replace(MINOR, corrected_on=_dt.date(2026, 10, 25), within_order_period=False), "art33.corrected",
     "被发现后改正，且未在责令限期内改正"),
])
def test_each_art_33_condition_failing_makes_it_not_applicable_and_says_which(facts: Facts, key: str,
                                                                             failed: str) -> None:
    result = _run(facts)
    assert result.outcome == NOT_APPLICABLE and result.strength is None
    assert _status(result, key) == NOT_MET
    assert failed in result.explanation and result.explanation.startswith("不适用")


@pytest.mark.parametrize(("facts", "key"), [
    (replace(MINOR, corrected=None), "art33.corrected"),
    (replace(MINOR, harm=None), "art33.minor_harm"),
    (replace(MINOR, first_claimed=None), "art33.first"),
    (replace(MINOR, discovered_on=None), "art33.corrected"),
])
def test_each_unstated_fact_leaves_its_condition_unknown_and_asks_for_it(facts: Facts, key: str) -> None:
    result = _run(facts)
    assert result.outcome == MORE_INFORMATION and _status(result, key) == UNKNOWN
    assert result.explanation.startswith("需补充信息")


def test_the_first_sentence_conditions_each() -> None:
    result = _run(MINOR)
    assert _status(result, "art33.no_harm") == NOT_MET and _status(result, "art33.minor_violation") == MET
    significant = _run(replace(ALL_MET, harm="significant"))
    assert _status(significant, "art33.minor_violation") == NOT_MET and significant.outcome == NOT_APPLICABLE


def test_corrected_within_the_order_period_counts_after_discovery() -> None:
    late = replace(MINOR, corrected_on=_dt.date(2026, 10, 25), within_order_period=True)
    result = _run(late)
    assert result.outcome == SUGGESTED and "责令限期内改正" in next(
        c.reason for c in result.conditions if c.key == "art33.corrected")


def test_a_prior_within_the_look_back_makes_it_not_first_and_names_it() -> None:
    prior = Prior("check", "c1", _dt.date(2025, 12, 1), "tax-2021-6 第1项")
    result = _run(MINOR, priors=[prior])
    assert result.outcome == NOT_APPLICABLE and _status(result, "list.first") == NOT_MET
    assert "2025年12月1日的首违不罚审查（建议不予处罚）" in result.explanation


def test_an_act_before_the_list_took_effect_cannot_claim_its_items() -> None:
    before = replace(MINOR, act_on=_dt.date(2021, 12, 31), corrected_on=None, discovered_on=None,
                     within_order_period=True)
    result = evaluate(before, None, list_code="tax-2021-33", item_code="1", priors=[], list_known=ROWS["tax-2021-33"])
    assert result.outcome == NOT_APPLICABLE and [c.key for c in result.conditions] == ["list.in_force"]
    assert "2022年1月1日起施行" in result.explanation and "2021年12月31日" in result.explanation


def test_an_item_not_on_the_list_is_not_applicable() -> None:
    result = _run(MINOR, item="11")
    assert result.outcome == NOT_APPLICABLE and _status(result, "list.item") == NOT_MET


def test_the_unconfirmed_effective_date_and_look_back_travel_with_the_result() -> None:
    six = _run(MINOR)
    assert any("生效日期2021年4月1日未经核实" in u for u in six.unconfirmed)
    assert any("回溯期间" in u for u in six.unconfirmed)
    thirty_three = _run(MINOR, "tax-2021-33", "1")
    assert not any("生效日期" in u for u in thirty_three.unconfirmed)
    assert next(c for c in six.conditions if c.key == "list.first").unconfirmed


@pytest.mark.parametrize(("act_on", "months", "start"), [
    (_dt.date(2026, 10, 16), 24, _dt.date(2024, 10, 16)),
    (_dt.date(2026, 3, 31), 1, _dt.date(2026, 2, 28)),
    (_dt.date(2024, 2, 29), 12, _dt.date(2023, 2, 28)),
    (_dt.date(2026, 1, 15), 1, _dt.date(2025, 12, 15)),
])
def test_the_look_back_window(act_on: _dt.date, months: int, start: _dt.date) -> None:
    assert window_start(act_on, months) == start
