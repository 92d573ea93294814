"""The list files: the repository's own parse and say what RULES.md says (10 + 4 items, the flags of
what it marks unconfirmed); a bad file is refused naming the file, the field and why."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from services.review.leniency import lists

FILES = {p.name: p for p in lists.repo_files()}


def _parsed(name: str) -> lists.ListVersion:
    return lists.parse(FILES[name].read_text(encoding="utf-8"), source=name)


def test_the_repository_holds_the_two_tax_lists_and_no_invented_samr_items() -> None:
    assert set(FILES) == {"tax-2021-6.toml", "tax-2021-33.toml"}
    six, thirty_three = _parsed("tax-2021-6.toml"), _parsed("tax-2021-33.toml")
    assert (six.document_number, len(six.items)) == ("国家税务总局公告2021年第6号", 10)
    assert (thirty_three.document_number, len(thirty_three.items)) == ("国家税务总局公告2021年第33号", 4)
    assert six.field == thirty_three.field == "税务" and six.region == "全国"


def test_what_rules_md_marks_unconfirmed_is_flagged_in_the_data() -> None:
    six, thirty_three = _parsed("tax-2021-6.toml"), _parsed("tax-2021-33.toml")
    assert str(six.effective_from) == "2021-04-01" and six.effective_from_confirmed is False
    assert str(thirty_three.effective_from) == "2022-01-01" and thirty_three.effective_from_confirmed is True
    assert [i.code for i in thirty_three.items if not i.confirmed] == ["3", "4"]
    assert all(i.confirmed for i in six.items)
    assert six.lookback_confirmed is False and thirty_three.lookback_confirmed is False  # RULES.md gives none


def test_items_worded_without_illegal_gains_need_that_condition() -> None:
    for name in FILES:
        for item in _parsed(name).items:
            assert ("no_illegal_gains" in item.conditions) == ("无违法所得" in item.text), (name, item.code)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_item_texts_are_rules_md_wording(name: str) -> None:
    rules_md = Path("/work/shared/domain/RULES.md")
    if not rules_md.exists():
        pytest.skip("RULES.md is not beside the repository")
    section = rules_md.read_text(encoding="utf-8").split("## 5.")[1].split("## 6.")[0]
    for item in _parsed(name).items:
        assert item.text in section, item.text


GOOD = FILES["tax-2021-33.toml"].read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda t: t.replace('field = "税务"', 'field = "海关"'), "bad.toml: field: must be one of 税务, 市场监管"),
    (lambda t: t.replace("effective_from = 2022-01-01", 'effective_from = "2022"'),
     "bad.toml: effective_from: must be a date (YYYY-MM-DD, unquoted)"),
    (lambda t: t.replace('region = "全国"', 'region = "南阳"'), "bad.toml: region: 全国 or a six-digit GB/T 2260 region code"),
    (lambda t: t.replace("version = 1", "version = 0"), "bad.toml: version: must be a whole number ≥ 1"),
    (lambda t: t.replace('code = "2"', 'code = "1"'), "bad.toml: item[2].code: '1' listed twice"),
    (lambda t: t.replace('conditions = []', 'conditions = ["lucky"]', 1),
     "bad.toml: item[2].conditions: a list of first, minor_harm, corrected, no_illegal_gains"),
    (lambda t: t.replace("lookback_months = 24", "lookback_months = 0"),
     "bad.toml: first.lookback_months: a whole number of months, 1–240"),
    (lambda t: t.replace('text = "未按规定办理税务登记证件验证或换证"', 'text = ""'),
     "bad.toml: item[2].text: must be a non-empty string"),
    (lambda t: t.replace('issuer = "国家税务总局"\n', ""), "bad.toml: issuer: missing"),
    (lambda t: t.split("[[item]]")[0], "bad.toml: item: a list needs at least one [[item]] (a list whose items are not known is not loaded)"),
    (lambda t: t + "\n[[item\n", None),
])
def test_a_bad_file_is_refused_naming_the_file_the_field_and_why(change, problem) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(lists.InvalidListFile) as refused:
        lists.parse(change(GOOD), source="bad.toml")
    problems = refused.value.details["problems"]
    if problem is None:
        assert problems[0].startswith("bad.toml: not TOML")
    else:
        assert problem in problems
    assert refused.value.message_zh.startswith("bad.toml")


def test_the_good_file_is_valid_toml_the_tests_change() -> None:
    assert tomllib.loads(GOOD)["code"] == "tax-2021-33"
    assert lists.parse(GOOD, source="ok.toml").sha256 == lists.parse(GOOD, source="again.toml").sha256
