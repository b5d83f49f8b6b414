"""Forecast method selection per family segment (backtest table), from the demand history.

Thin wrapper: the logic is ``sop_analytics.forecasting.run_forecasting`` (tested with
pytest). One row per (master_family, segment, candidate) with its backtest score and
``is_selected``; the columns are ``sop_analytics.forecasting.selection.SELECTION_SCHEMA``
with ``family`` renamed ``master_family``.

Vars reach a Python model only through its config: the model's YAML sets
``config.meta.forecast_horizon`` and ``backtest_windows`` from the dbt vars of the same
names, read here with ``dbt.config.meta_get`` (dbt >= 1.10). Rendered values arrive as
strings, hence ``int()``.
"""

import pandas as pd


def _strings(df: pd.DataFrame) -> pd.DataFrame:
    # DuckDB types an empty object column as NULL; the pandas string dtype maps to VARCHAR
    return df.astype({c: "string" for c in df.columns if df[c].dtype == object})


def _pins(dbt) -> pd.DataFrame:
    # the planner's pins (seed forecast_method_pins): family, segment, method, reason
    pins = dbt.ref("forecast_method_pins").df()
    return pins.rename(columns={"master_family": "family"}).astype(str)


def model(dbt, session):
    dbt.config(materialized="table", packages=[])
    from sop_analytics.forecasting import run_forecasting

    horizon = int(dbt.config.meta_get("forecast_horizon", 12))
    n_windows = int(dbt.config.meta_get("backtest_windows", 3))
    history = dbt.ref("int_demand_history_by_sku_period").df()
    result = run_forecasting(
        history[["master_sku", "master_family", "period_seq", "demand_units", "promo_units"]],
        horizon=horizon,
        n_windows=n_windows,
        pins=_pins(dbt),
    )
    return _strings(result["selection"].rename(columns={"family": "master_family"}))
