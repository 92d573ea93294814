"""The mandatory-review triggers as dated data: which rule a register entry meets on a day, and its settings."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from services.review.cases.custody import checklist, triggers

D = _dt.date


@dataclass
class Entry:
    stage: str = "investigation"
    stage_entered_on: _dt.date = D(2026, 9, 1)
    likely_sentence_months: int | None = None
    likely_short_sentence: bool | None = None
    returned_from_supplementary_on: _dt.date | None = None
    first_instance_started_on: _dt.date | None = None
    second_instance_started_on: _dt.date | None = None
    judged_on: _dt.date | None = None
    special_situations: list[str] = field(default_factory=list)


def codes(entry: Entry, today: _dt.date, env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(d.rule.code, d.key) for d in triggers.due(entry, today=today, env=env or {})]


def test_short_sentence_in_prosecution_is_the_2023_rule_once_per_entry_into_the_stage() -> None:
    entry = Entry(stage="prosecution", stage_entered_on=D(2026, 9, 20), likely_sentence_months=36)
    assert codes(entry, D(2026, 10, 9)) == [("2023.prosecution_short_sentence", "stage:2026-09-20")]
    assert codes(Entry(stage="prosecution", likely_sentence_months=37), D(2026, 10, 9)) == []
    # The flag overrides the months; before 2023-12-13 the rule is not in force.
    assert codes(Entry(stage="prosecution", likely_sentence_months=120, likely_short_sentence=True), D(2023, 12, 12)) == []
    assert codes(Entry(stage="prosecution", likely_sentence_months=120, likely_short_sentence=True),
                 D(2023, 12, 13))[0][0] == "2023.prosecution_short_sentence"


def test_each_special_situation_is_a_trigger_of_its_own() -> None:
    entry = Entry(special_situations=["pregnancy", "serious_illness", "no_such"])
    assert codes(entry, D(2026, 10, 9)) == [("2023.special_situation", "situation:pregnancy"),
                                            ("2023.special_situation", "situation:serious_illness")]
    assert len(triggers.catalogue().situations) == 8


def test_back_from_supplementary_cites_the_campaign_in_2022_and_the_practice_row_after() -> None:
    assert codes(Entry(returned_from_supplementary_on=D(2022, 5, 10)), D(2026, 1, 5)) == [
        ("campaign.back_from_supplementary", "returned:2022-05-10")]
    assert codes(Entry(returned_from_supplementary_on=D(2023, 2, 1)), D(2026, 1, 5)) == [
        ("practice.back_from_supplementary", "returned:2023-02-01")]
    assert codes(Entry(returned_from_supplementary_on=D(2021, 6, 30)), D(2026, 1, 5)) == []  # before the campaign
    assert codes(Entry(returned_from_supplementary_on=D(2023, 2, 1)), D(2026, 1, 5),
                 {"HUHANG_CUSTODY_CAMPAIGN_CONTINUED": "0"}) == []


def test_trial_months_run_out_on_the_corresponding_day_and_are_settings() -> None:
    first = Entry(stage="trial", first_instance_started_on=D(2026, 3, 31))
    assert codes(first, D(2026, 9, 29)) == []
    assert codes(first, D(2026, 9, 30)) == [("practice.first_instance_overdue", "first_instance_overdue:2026-03-31")]
    assert codes(first, D(2026, 10, 30), {"HUHANG_CUSTODY_PRACTICE_FIRST_INSTANCE_OVERDUE_MONTHS": "8"}) == []
    second = Entry(stage="trial", first_instance_started_on=D(2021, 1, 1), second_instance_started_on=D(2022, 3, 1))
    assert codes(second, D(2022, 7, 1)) == [("campaign.second_instance_overdue", "second_instance_overdue:2022-03-01")]
    assert codes(Entry(stage="trial", first_instance_started_on=D(2026, 1, 1), judged_on=D(2026, 5, 1)),
                 D(2026, 10, 1)) == []


def test_the_checklist_has_the_groups_of_578_579_580() -> None:
    groups = {g: [i.code for i in items] for g, items in checklist.grouped()}
    assert len(groups["factor"]) == 7 and len(groups["must"]) == 4 and len(groups["may"]) == 13
    assert all(code.startswith("580.") for code in groups["may"])
