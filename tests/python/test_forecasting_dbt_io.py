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


def test_pins_from_seed_renames_the_family():
    seed = pd.DataFrame({"master_family": ["F"], "segment": ["continuous"], "method": ["Naive"], "reason": ["why"]})
    assert list(pins_from_seed(seed).columns) == ["family", "segment", "method", "reason"]
