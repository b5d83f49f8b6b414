"""Fiscal calendar: 4-4-5 weeks per quarter, year ending on the Saturday nearest 31 December.

The dbt project builds the same calendar in SQL when ``master/fiscal_calendar`` is absent;
``test_sql_calendar_equals_the_python_calendar_1990_to_2040`` proves the two give every date
of fiscal years 1990-2040 the same year, period and week (and pins the boundaries).

Rules
-----
- Fiscal year ``Y`` ends on the Saturday nearest 31 December of ``Y`` (at most 3 days
  either side) and starts the day after fiscal year ``Y-1`` ends, so every year starts
  on a Sunday and has 52 weeks, or 53 when the nearest Saturday falls in early January.
- Periods 1-12 have 4, 4, 5 weeks in each quarter. In a 53-week year the extra week
  goes to period 12, which then has 6 weeks.
- ``fiscal_week`` counts weeks 1..52 (or 53) from the first day of the fiscal year.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

SATURDAY = 5  # date.weekday() of a Saturday
WEEKS_PER_PERIOD_445 = (4, 4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 5)


def fiscal_year_end(year: int) -> date:
    """Saturday nearest 31 December of ``year``.

    offset = ((SATURDAY - weekday(Dec 31) + 3) mod 7) - 3, a value in -3..+3 days.
    """
    dec31 = date(year, 12, 31)
    offset = ((SATURDAY - dec31.weekday() + 3) % 7) - 3
    return dec31 + timedelta(days=offset)


def fiscal_year_start(year: int) -> date:
    """First day (a Sunday) of fiscal ``year``: the day after fiscal year ``year-1`` ends."""
    return fiscal_year_end(year - 1) + timedelta(days=1)


def period_weeks(n_weeks: int) -> tuple[int, ...]:
    """Weeks per period 1..12 for a 52- or 53-week year (the 53rd week goes to period 12)."""
    if n_weeks not in (52, 53):
        raise ValueError(f"a 4-4-5 fiscal year has 52 or 53 weeks, not {n_weeks}")
    weeks = list(WEEKS_PER_PERIOD_445)
    weeks[-1] += n_weeks - 52
    return tuple(weeks)


def fiscal_year_frame(year: int) -> pd.DataFrame:
    """One row per day of fiscal ``year`` with fiscal_year, fiscal_period, fiscal_week."""
    start = fiscal_year_start(year)
    n_days = (fiscal_year_end(year) - start).days + 1
    n_weeks = n_days // 7
    week = np.repeat(np.arange(1, n_weeks + 1), 7)
    period_of_week = np.repeat(np.arange(1, 13), period_weeks(n_weeks))
    return pd.DataFrame(
        {
            "date": pd.date_range(start, periods=n_days, freq="D"),
            "fiscal_year": year,
            "fiscal_period": period_of_week[week - 1],
            "fiscal_week": week,
        }
    )


def fiscal_calendar(start: date | str, end: date | str) -> pd.DataFrame:
    """Fiscal calendar rows for every date from ``start`` to ``end`` inclusive.

    Columns: date (datetime64), fiscal_year, fiscal_period, fiscal_week (int64).
    """
    start_ts, end_ts = pd.Timestamp(start), pd.Timestamp(end)
    first_year = start_ts.year if start_ts.date() >= fiscal_year_start(start_ts.year) else start_ts.year - 1
    last_year = end_ts.year + 1 if end_ts.date() > fiscal_year_end(end_ts.year) else end_ts.year
    frame = pd.concat([fiscal_year_frame(y) for y in range(first_year, last_year + 1)], ignore_index=True)
    frame = frame[(frame["date"] >= start_ts) & (frame["date"] <= end_ts)].reset_index(drop=True)
    return frame.astype({"fiscal_year": "int64", "fiscal_period": "int64", "fiscal_week": "int64"})


def period_id(fiscal_year: int, fiscal_period: int) -> str:
    """Planning period id, e.g. fiscal year 2025 period 7 -> ``"2025-07"``."""
    return f"{fiscal_year}-{fiscal_period:02d}"
