"""The per-year file format: parsing, every validation error, round trips."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shared.calendar import (
    CalendarDataError,
    CalendarYearData,
    default_table,
    dump_year_file,
    load_year_file,
    parse_year_text,
)
from shared.calendar.table import load_data_dir

FIXTURE_2027 = Path(__file__).with_name("fictional_2027.csv")

HEADER = "year,2027\nsource,国办发明电〔2026〕N号 (test)\npublished,2026-11-01\ndate,kind,name\n"
# The 2027 statutory days that fall Monday–Friday; a valid file must list them.
STATUTORY_WEEKDAYS_2027 = """\
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-08,holiday,春节
2027-04-05,holiday,清明节
2027-06-09,holiday,端午节
2027-09-15,holiday,中秋节
2027-10-01,holiday,国庆节
"""


def parse(rows: str, header: str = HEADER) -> CalendarYearData:
    return parse_year_text(header + STATUTORY_WEEKDAYS_2027 + rows)


def errors_of(text: str) -> list[str]:
    with pytest.raises(CalendarDataError) as exc:
        parse_year_text(text)
    return exc.value.errors


# ---------------------------------------------------------------- valid files


def test_fixture_file_loads() -> None:
    data = load_year_file(FIXTURE_2027)
    assert data.year == 2027
    assert data.source == "TEST FIXTURE (fictional notice)"
    assert data.published == date(2026, 11, 1)
    assert data.holidays[date(2027, 2, 6)] == "春节"
    assert data.workdays == {
        date(2027, 2, 20): "春节",
        date(2027, 4, 25): "劳动节",
        date(2027, 9, 26): "国庆节",
        date(2027, 10, 9): "国庆节",
    }


def test_path_text_and_str_path_give_same_data(tmp_path: Path) -> None:
    text = FIXTURE_2027.read_text(encoding="utf-8")
    copy = tmp_path / "2027.csv"
    copy.write_text(text, encoding="utf-8")
    assert load_year_file(text) == load_year_file(copy) == load_year_file(str(copy))


def test_bom_comments_blank_lines_spaces_and_quoted_names() -> None:
    text = "\ufeff# comment\n\n" + HEADER.replace("year,2027", " year , 2027 ") + (
        STATUTORY_WEEKDAYS_2027 + '2027-02-06 , holiday , "春节,初一"\n# trailing comment\n'
    )
    data = parse_year_text(text)
    assert data.holidays[date(2027, 2, 6)] == "春节,初一"


def test_weekend_holiday_is_allowed() -> None:
    data = parse("2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n")
    assert date(2027, 2, 7) in data.holidays  # a Sunday inside the block


def test_previous_december_is_allowed() -> None:
    data = parse("2026-12-26,workday,元旦\n")  # Saturday in December 2026
    assert data.workdays == {date(2026, 12, 26): "元旦"}


def test_optional_title_and_note() -> None:
    header = "title,国务院办公厅关于2027年部分节假日安排的通知\nnote,checked twice\n" + HEADER
    assert parse("", header=header).year == 2027


def test_round_trip_of_dump() -> None:
    data = load_year_file(FIXTURE_2027)
    assert load_year_file(dump_year_file(data, title="round trip")) == data


@pytest.mark.parametrize("year", range(2004, 2027))
def test_every_chinese_calendar_year_round_trips_through_the_format(year: int) -> None:
    real = default_table().year_data(year)
    assert real is not None
    # The package data has no publication date; the format requires one.
    dated = CalendarYearData(year, real.holidays, real.workdays, real.source, date(year - 1, 12, 1))
    assert load_year_file(dump_year_file(dated)) == dated


# ---------------------------------------------------------------- invalid files


def test_date_in_wrong_year() -> None:
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + "2028-01-01,holiday,元旦\n")
    assert len(errs) == 1 and "line 12" in errs[0] and "not in 2027" in errs[0]


def test_date_in_earlier_month_of_previous_year() -> None:
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + "2026-11-28,workday,元旦\n")
    assert len(errs) == 1 and "not in 2027" in errs[0]


def test_duplicate_date() -> None:
    rows = "2027-02-06,holiday,春节\n2027-02-06,workday,春节\n"
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + rows)
    assert errs == ["line 13: 2027-02-06 already listed on line 12"]


def test_duplicate_date_same_kind() -> None:
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + "2027-01-01,holiday,元旦\n")
    assert errs == ["line 12: 2027-01-01 already listed on line 5"]


def test_workday_on_a_weekday() -> None:
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + "2027-02-10,workday,春节\n")
    assert len(errs) == 1 and "Wednesday" in errs[0] and "Saturday or Sunday" in errs[0]


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("2027/02/06,holiday,春节", "not a date"),
        ("20270206,holiday,春节", "not a date"),
        ("2027-02-30,holiday,春节", "not a date"),
        ("2027-02-06,rest,春节", "must be 'holiday' or 'workday'"),
        ("2027-02-06,holiday", "expected 3 fields"),
        ("2027-02-06,holiday,春节,extra", "expected 3 fields"),
        ("2027-02-06,holiday,", "empty name"),
    ],
)
def test_bad_rows(row: str, needle: str) -> None:
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + row + "\n")
    assert len(errs) == 1 and errs[0].startswith("line 12:") and needle in errs[0], errs


@pytest.mark.parametrize(
    ("header", "needle"),
    [
        ("source,x\npublished,2026-11-01\n", "missing header line 'year"),
        ("year,2027\npublished,2026-11-01\n", "missing header line 'source"),
        ("year,2027\nsource,x\n", "missing header line 'published"),
        ("year,twenty\nsource,x\npublished,2026-11-01\n", "is not a number"),
        ("year,2027\nsource,x\npublished,1 Nov 2026\n", "is not a date"),
        ("year,2027\nsource,\npublished,2026-11-01\n", "source is empty"),
        ("year,2027\nsource,x\npublished,2026-11-01\nauthor,me\n", "unknown header key 'author'"),
        ("year,2027\nyear,2027\nsource,x\npublished,2026-11-01\n", "year given twice"),
        ("year,2027,extra\nsource,x\npublished,2026-11-01\n", "header lines are 'key,value'"),
    ],
)
def test_bad_headers(header: str, needle: str) -> None:
    errs = errors_of(header + "date,kind,name\n" + STATUTORY_WEEKDAYS_2027)
    assert any(needle in e for e in errs), errs


def test_missing_column_line() -> None:
    errs = errors_of("year,2027\nsource,x\npublished,2026-11-01\n")
    assert any("missing the column line" in e for e in errs)


def test_all_errors_reported_together() -> None:
    text = HEADER + STATUTORY_WEEKDAYS_2027 + (
        "2028-01-01,holiday,元旦\n2027-02-10,workday,春节\n2027-01-01,holiday,元旦\n"
    )
    with pytest.raises(CalendarDataError) as exc:
        parse_year_text(text, origin="2027.csv")
    assert len(exc.value.errors) == 3
    assert str(exc.value).startswith("2027.csv: 3 problems")
    assert isinstance(exc.value, ValueError)


def test_statutory_weekday_missing() -> None:
    text = HEADER + STATUTORY_WEEKDAYS_2027.replace("2027-02-05,holiday,春节\n", "")
    errs = errors_of(text)
    assert len(errs) == 1
    assert "2027-02-05" in errs[0] and "春节" in errs[0] and "not listed" in errs[0]
    assert parse_year_text(text, check_statutory=False).year == 2027


def test_statutory_weekend_day_listed_as_workday() -> None:
    errs = errors_of(HEADER + STATUTORY_WEEKDAYS_2027 + "2027-02-06,workday,春节\n")
    assert len(errs) == 1 and "2027-02-06" in errs[0] and "listed as a workday" in errs[0]


def test_statutory_weekend_day_may_be_omitted() -> None:
    # Sat 2027-02-06 (正月初一) is not listed, which is fine: it is a weekend.
    assert date(2027, 2, 6) not in parse("").holidays


# ---------------------------------------------------------------- CalendarYearData directly


def test_calendar_year_data_validation() -> None:
    with pytest.raises(CalendarDataError, match="both holiday and workday"):
        CalendarYearData(2027, {date(2027, 2, 6): "春节"}, {date(2027, 2, 6): "春节"})
    with pytest.raises(CalendarDataError, match="not a date"):
        CalendarYearData(2027, {"2027-02-06": "春节"}, {})  # type: ignore[dict-item]
    with pytest.raises(CalendarDataError, match="Saturday or Sunday"):
        CalendarYearData(2027, {}, {date(2027, 2, 10): "春节"})
    with pytest.raises(CalendarDataError, match="not in 2027"):
        CalendarYearData(2027, {date(2026, 6, 1): "x"}, {})


def test_calendar_year_data_is_a_snapshot() -> None:
    holidays = {date(2027, 2, 6): "春节"}
    data = CalendarYearData(2027, holidays, {})
    holidays[date(2027, 2, 7)] = "春节"
    assert date(2027, 2, 7) not in data.holidays
    with pytest.raises(TypeError):
        data.holidays[date(2027, 2, 8)] = "春节"  # type: ignore[index]


# ---------------------------------------------------------------- data directory


def test_data_dir_loader(tmp_path: Path) -> None:
    (tmp_path / "2027.csv").write_text(FIXTURE_2027.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "README.md").write_text("ignored", encoding="utf-8")
    assert sorted(load_data_dir(tmp_path)) == [2027]


def test_data_dir_file_name_must_match_year(tmp_path: Path) -> None:
    (tmp_path / "2028.csv").write_text(FIXTURE_2027.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CalendarDataError, match="named 2028.csv"):
        load_data_dir(tmp_path)


def test_shipped_data_dir_is_valid() -> None:
    # Whatever is shipped in shared/calendar/data/ must parse (today: no year file).
    shipped = load_data_dir()
    for year, data in shipped.items():
        assert data.year == year
        assert data.source and data.published is not None
