"""The text similarity of two petitions (services/intake/duplicates/similarity.py)."""

from __future__ import annotations

import pytest

from services.intake.duplicates import similarity as s
from tests.unit.services.intake.duplicates.labelled import PAIRS, point, scored_pairs

# The floors docs/duplicates.md promises for THRESHOLD on the labelled pairs.
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.8


def test_normalise_drops_punctuation_spaces_and_boilerplate() -> None:
    assert s.normalise("请求依法解除对我公司账户的冻结！") == "解除账户冻结"
    assert s.normalise("ＡＢＣ　１２３，帐户") == "abc123账户"  # full width → half width, 帐 → 账
    assert s.normalise("，。！？") == ""


def test_identical_texts_score_one_and_unrelated_near_zero() -> None:
    same = s.similarity("账户冻结", "请求解除账户冻结", "账户冻结", "请求解除账户冻结")
    assert same.value == pytest.approx(1.0)
    other = s.similarity("账户冻结", "请求解除账户冻结", "商标侵权", "假冒注册商标白酒")
    assert other.value < 0.1 and not other.is_duplicate()


def test_a_typo_still_matches_and_boilerplate_alone_does_not() -> None:
    typo = s.similarity("解除查封厂房", "债务已清偿，请求解除对厂房的查封", "解除查封厂房", "债务已清尝，请求解除对厂房的查封")
    assert typo.is_duplicate()
    only_boilerplate = s.similarity("", "请求依法尽快处理我公司反映的问题", "", "恳请贵院依法督促处理本企业反映的事项")
    assert only_boilerplate.value < s.THRESHOLD


def test_a_missing_subject_compares_subject_and_claim_together() -> None:
    score = s.similarity("", "请求解除农业银行账户的冻结", "农行账户被冻结", "请求解除农业银行账户冻结")
    assert score.subject is None and score.value == score.joint and score.is_duplicate()


def test_different_case_numbers_are_different_cases() -> None:
    assert s.case_numbers("（2022）豫1302执856号案件") == {"(2022)豫1302执856号"}
    assert s.case_numbers("(2022) 豫1302执856 号") == {"(2022)豫1302执856号"}
    claim = "{}案件执行款已到法院账户，请求发放。"
    same_case = s.similarity("执行款", claim.format("(2022)豫1302执856号"), "执行款", claim.format("（2022）豫1302执856号"))
    other_case = s.similarity("执行款", claim.format("(2022)豫1302执856号"), "执行款", claim.format("(2023)豫1303执1204号"))
    assert not same_case.different_case_numbers and same_case.is_duplicate()
    assert other_case.different_case_numbers and not other_case.is_duplicate()


def test_the_labelled_set_is_big_enough_and_balanced() -> None:
    pairs = scored_pairs()
    assert len(pairs) >= 120
    assert len({p.id for p in pairs}) == len(pairs)
    assert sum(p.duplicate for p in pairs) >= 40 and sum(not p.duplicate for p in pairs) >= 40
    assert PAIRS.name == "pairs.jsonl"


def test_precision_and_recall_at_the_threshold_stay_above_the_floors() -> None:
    at = point(scored_pairs(), s.THRESHOLD)
    assert at.precision >= PRECISION_FLOOR, at
    assert at.recall >= RECALL_FLOOR, at


def test_one_petition_against_fifty_candidates_is_fast() -> None:
    import time

    pairs = [("拖欠城东安置房项目工程款", "南阳某置业公司拖欠我公司城东安置房项目工程款460万元，请求督促支付。" * 3)] * 50
    started = time.perf_counter()
    for subject, claim in pairs:
        s.similarity("城东安置房项目工程款被拖欠", "开发商仍欠工程款460万元未付，请求依法督促支付。", subject, claim)
    assert time.perf_counter() - started < 0.5
