"""The frame the dbt Python model returns: selection and forecast stacked, typed even when
empty, keyed by (output, output_key)."""

from __future__ import annotations

import pandas as pd

from sop_analytics.forecasting import run_forecasting
from sop_analytics.forecasting.dbt_io import STACKED_COLUMNS, pins_from_seed, stack_outputs

HISTORY_COLUMNS = ["master_sku", "master_family", "period_seq", "demand_units", "promo_units"]


def test_empty_history_gives_an_empty_typed_frame():
    empty = pd.DataFrame({c: pd.Series(dtype="float64") for c in HISTORY_COLUMNS})
    stacked = stack_outputs(run_forecasting(empty, horizon=12, n_windows=3, pins=None))
    assert list(stacked.columns) == list(STACKED_COLUMNS)
    assert stacked.empty
    assert str(stacked["is_selected"].dtype) == "boolean"
    assert str(stacked["period_seq"].dtype) == "Int64"
    assert str(stacked["cutoff_seq"].dtype) == "Int64"
    assert str(stacked["actual_units"].dtype) == "float64"


def test_one_sku_family_is_forecast_and_keyed():
    history = pd.DataFrame({
        "master_sku": ["A"] * 30, "master_family": ["F"] * 30, "period_seq": range(1, 31),
        "demand_units": [10.0 + (i % 3) for i in range(30)], "promo_units": [0.0] * 30,
    })
    stacked = stack_outputs(run_forecasting(history, horizon=6, n_windows=3, pins=None))
    forecast = stacked[stacked["output"] == "forecast"]
    selection = stacked[stacked["output"] == "selection"]
    assert list(forecast["period_seq"]) == [31, 32, 33, 34, 35, 36]
    assert (forecast["master_family"] == "F").all()
    assert selection["is_selected"].sum() == 1
    assert not stacked.duplicated(["output", "output_key"]).any()
    assert set(stacked["output"]) == {"selection", "forecast", "backtest"}


def test_backtest_rows_are_stacked_and_keyed():
    history = pd.DataFrame({
        "master_sku": ["A"] * 30, "master_family": ["F"] * 30, "period_seq": range(1, 31),
        "demand_units": [10.0 + (i % 3) for i in range(30)], "promo_units": [0.0] * 30,
    })
    result = run_forecasting(history, horizon=6, n_windows=3, pins=None)
    stacked = stack_outputs(result)
    backtest = stacked[stacked["output"] == "backtest"].reset_index(drop=True)
    source = result["backtest"]
    assert len(backtest) == len(source) == 3 * 6
    chosen = result["selection"].loc[result["selection"]["is_selected"], "candidate"].iloc[0]
    assert (backtest["method"] == chosen).all()
    assert (backtest["master_sku"] == "A").all() and (backtest["master_family"] == "F").all()
    assert (backtest["segment"] == "continuous").all()
    assert backtest["cutoff_seq"].tolist() == source["cutoff"].tolist()
    assert backtest["period_seq"].tolist() == source["ds"].tolist()
    assert backtest["actual_units"].tolist() == source["y"].tolist()
    assert backtest["forecast"].tolist() == source["forecast"].tolist()
    assert backtest["output_key"].iloc[0] == f"A|{source['cutoff'].iloc[0]}|{source['ds'].iloc[0]}"
    # the selection and forecast columns keep their types; backtest rows leave them null
    assert str(stacked["cutoff_seq"].dtype) == "Int64" and str(stacked["actual_units"].dtype) == "float64"
    assert backtest["lo_80"].isna().all() and backtest["candidate"].isna().all()
    others = stacked[stacked["output"] != "backtest"]
    assert others["cutoff_seq"].isna().all() and others["actual_units"].isna().all()


def test_pins_from_seed_renames_the_family():
    seed = pd.DataFrame({"master_family": ["F"], "segment": ["continuous"], "method": ["Naive"], "reason": ["why"]})
    assert list(pins_from_seed(seed).columns) == ["family", "segment", "method", "reason"]
