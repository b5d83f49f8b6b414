"""Fiscal calendar: 4-4-5, year ending on the Saturday nearest 31 December."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

try:
    import sop_analytics  # noqa: F401
except ImportError:  # running without an install: use the src/ layout directly
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from sop_analytics.calendar import fiscal_calendar, fiscal_year_end, fiscal_year_start, period_id, period_weeks


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (2022, date(2022, 1, 2), date(2022, 12, 31)),
        (2023, date(2023, 1, 1), date(2023, 12, 30)),
        (2024, date(2023, 12, 31), date(2024, 12, 28)),
        (2025, date(2024, 12, 29), date(2026, 1, 3)),
        (2026, date(2026, 1, 4), date(2027, 1, 2)),
        (2028, date(2028, 1, 2), date(2028, 12, 30)),
    ],
)
def test_fiscal_year_boundaries(year: int, start: date, end: date) -> None:
    assert fiscal_year_start(year) == start
    assert fiscal_year_end(year) == end


def test_53_week_year_puts_extra_week_in_period_12() -> None:
    cal = fiscal_calendar("2024-12-29", "2026-01-03")
    assert cal["fiscal_year"].unique().tolist() == [2025]
    assert cal["fiscal_week"].max() == 53
    days_per_period = cal.groupby("fiscal_period").size().tolist()
    assert days_per_period == [28, 28, 35, 28, 28, 35, 28, 28, 35, 28, 28, 42]


def test_52_week_year_periods_are_4_4_5() -> None:
    cal = fiscal_calendar("2023-01-01", "2023-12-30")
    assert cal.groupby("fiscal_period").size().tolist() == [28, 28, 35] * 4
    assert cal["fiscal_week"].max() == 52
    assert period_weeks(52) == (4, 4, 5) * 4


def test_full_range_is_contiguous_and_known_dates_map() -> None:
    cal = fiscal_calendar("2022-01-02", "2028-12-30")
    assert len(cal) == (date(2028, 12, 30) - date(2022, 1, 2)).days + 1
    assert cal["date"].diff().dropna().dt.days.eq(1).all()
    by_date = cal.set_index("date")
    assert tuple(by_date.loc["2026-10-31"]) == (2026, 10, 43)  # end of FY2026 period 10
    assert tuple(by_date.loc["2026-11-01"]) == (2026, 11, 44)
    assert tuple(by_date.loc["2022-01-02"]) == (2022, 1, 1)
    assert tuple(by_date.loc["2028-12-30"]) == (2028, 12, 52)


def test_period_id() -> None:
    assert period_id(2025, 7) == "2025-07"


@pytest.mark.dbt
def test_sql_calendar_equals_the_python_calendar_1990_to_2040(tmp_path) -> None:
    """The 4-4-5 calendar is written twice: in SQL (int_calendar_days, generated when no
    master/fiscal_calendar is landed) and in Python (sop_analytics.calendar, which writes the
    demo's master/fiscal_calendar). Over fiscal years 1990-2040, both give every date the
    same fiscal year, period and week."""
    from conftest import run_dbt
    from sop_analytics.calendar import fiscal_year_end, fiscal_year_start
    from sop_analytics.demo import generate

    generate(tmp_path / "company", seed=42, variant="clean", n_skus=30, n_customers=10, archetype="distributor")
    landing = tmp_path / "company" / "landing"
    assert not (landing / "master" / "fiscal_calendar.csv").exists()  # so the SQL generates it
    run = run_dbt(landing, tmp_path / "run", "run", "--select", "+int_calendar_days",
                  dbt_vars={"calendar_start_year": 1990, "calendar_end_year": 2040})
    assert run.returncode == 0, run.output[-3000:]
    sql = run.frame(
        "select calendar_date as date, fiscal_year, fiscal_period, fiscal_week, calendar_source "
        "from intermediate.int_calendar_days where fiscal_year between 1990 and 2040 order by calendar_date")
    assert set(sql.pop("calendar_source")) == {"generated_445"}
    python = fiscal_calendar(fiscal_year_start(1990), fiscal_year_end(2040))
    assert len(python) == (fiscal_year_end(2040) - fiscal_year_start(1990)).days + 1
    sql["date"] = pd.to_datetime(sql["date"])
    sql = sql.astype({"fiscal_year": "int64", "fiscal_period": "int64", "fiscal_week": "int64"})
    pd.testing.assert_frame_equal(sql.reset_index(drop=True), python, check_dtype=False)
