"""What the receipt and the public pages print: the units' names (in step with review's tree) and the lines' commitments."""

from __future__ import annotations

import pytest

from services.intake.config import IntakeSettings
from services.intake.petitions import lines, receiving_units
from services.review.identity.units.tree import SEED_FILE, parse


def test_every_unit_that_can_register_has_its_printed_name() -> None:
    units = parse(SEED_FILE.read_text(encoding="utf-8"))
    by_code = {u.code: u for u in units}
    for unit in units:
        if unit.kind == "task_force":
            continue  # the 专班 receives reports, not petitions
        printed = receiving_units.NAMES.get(unit.code)
        assert printed is not None, f"{unit.code} ({unit.name}) has no printed name"
        assert unit.name in printed, (unit.code, printed)
        if unit.kind == "department" and unit.parent:
            assert printed.startswith(by_code[unit.parent].name), printed  # a department names its organ
    assert set(receiving_units.NAMES) <= set(by_code), "a printed name of a unit review does not know"


def test_an_unknown_unit_prints_as_its_organ_and_code() -> None:
    assert receiving_units.name_of("NY-JCY-NEW", line="12309") == "南阳市人民检察院（NY-JCY-NEW）"
    assert receiving_units.name_of("NY-FY-NEW", line="12309") == "南阳市中级人民法院（NY-FY-NEW）"
    assert receiving_units.name_of(None, line="12368") == "南阳市中级人民法院"


def test_the_12309_commitment_follows_the_day_or_working_day_setting() -> None:
    assert lines.commitments("12309", IntakeSettings(procedural_reply_unit="day"))[0].startswith("自收到之日起7日内")
    assert "7个工作日内" in lines.commitments("12309", IntakeSettings(procedural_reply_unit="working_day"))[0]


def test_the_12368_work_order_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT", "24")
    monkeypatch.setenv("HUHANG_RULE_COURT_12368_WORK_ORDER_UNIT", "day")
    assert "24日内回复" in lines.commitments("12368", IntakeSettings())[1]


@pytest.mark.parametrize("name, value", [
    ("HUHANG_RULE_12309_PROCEDURAL_REPLY_UNIT", "week"),
    ("HUHANG_PUBLIC_STATUS_QUERY_LIMIT", "0"),
    ("HUHANG_RULE_COURT_12368_WORK_ORDER_AMOUNT", "0"),
])
def test_a_bad_setting_fails_loudly(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError):
        IntakeSettings()


def test_each_line_lists_the_four_channels() -> None:
    for line in lines.lines(IntakeSettings()):
        assert [c.channel for c in line.channels] == ["信", "访", "网", "电"]
        assert line.commitments and line.handles
