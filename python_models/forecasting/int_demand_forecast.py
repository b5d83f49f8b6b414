"""Statistical demand forecast per master SKU and future planning period.

Thin wrapper: the logic is ``sop_analytics.forecasting.run_forecasting`` (tested with
pytest). One row per (master_sku, period_seq) for ``forecast_horizon`` periods after the
last closed period: point forecast, 80 % and 95 % intervals (non-negative, ordered) and
the method that produced it. ``period_seq`` continues the history's consecutive index;
a downstream SQL model joins it to the fiscal calendar for ``period_id``/``period_start``.

The selection is recomputed here rather than read from ``int_forecast_method_selection``
(dbt-duckdb allows one model per file and the two share one pure function; reading the
table back would need a second code path). Both are deterministic, so they agree.

Vars: see ``int_forecast_method_selection.py`` (``config.meta`` + ``dbt.config.meta_get``).
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
    families = result["classification"][["unique_id", "family", "demand_class"]]
    forecast = result["forecast"].merge(families, on="unique_id", how="left")
    forecast = forecast.rename(
        columns={"unique_id": "master_sku", "family": "master_family", "ds": "period_seq"}
    )
    columns = ["master_sku", "master_family", "demand_class", "period_seq", "forecast",
               "lo_80", "hi_80", "lo_95", "hi_95", "method"]
    return _strings(forecast[columns])
