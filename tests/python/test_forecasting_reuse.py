"""Incremental forecasting: a family is refit when its history, pins or settings changed,
reused otherwise, and a reused family's output is bit for bit a fresh fit's."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from sop_analytics.forecasting import pipeline
from sop_analytics.forecasting.dbt_io import stack_outputs
from sop_analytics.forecasting.reuse import DuckDBFamilyCache
from test_forecasting_pipeline import PINS, _history

FAMILIES = ["INTERMITTENT", "ONE_SKU", "PROMO"]
KEYS = ("classification", "selection", "forecast", "backtest")


def _run(history: pd.DataFrame, cache=None, pins=PINS, horizon: int = 6, progress=None,
         cutoffs=None) -> dict[str, pd.DataFrame]:
    return pipeline.run_forecasting(history, horizon=horizon, n_windows=2, pins=pins, season_length=12,
                                    cache=cache, progress=progress, classification_cutoffs=cutoffs)


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for key in KEYS:
        pd.testing.assert_frame_equal(a[key], b[key], check_exact=True)
    pd.testing.assert_frame_equal(stack_outputs(a), stack_outputs(b), check_exact=True)


@pytest.fixture()
def fitted_families(monkeypatch) -> list[set[str]]:
    """The families each call of the fitting step got (one set per run_forecasting call)."""
    calls: list[set[str]] = []
    real = pipeline._select_and_forecast

    def spy(panel, *args):
        calls[-1].update(panel["family"].unique())
        return real(panel, *args)

    monkeypatch.setattr(pipeline, "_select_and_forecast", spy)
    return calls


def test_changed_family_is_refit_and_unchanged_reused(fitted_families) -> None:
    history = _history()
    history = history[history["master_family"].isin(FAMILIES)].reset_index(drop=True)
    cache = DuckDBFamilyCache(duckdb.connect())
    lines: list[str] = []

    fitted_families.append(set())
    first = _run(history, cache, progress=lines.append)
    assert fitted_families[-1] == set(FAMILIES)
    assert any("3 of 3 families done" in line for line in lines)

    fitted_families.append(set())
    unchanged = _run(history, cache, progress=lines.append)
    assert fitted_families[-1] == set()  # nothing refit
    assert any("3 reused" in line for line in lines)
    _assert_same(unchanged, first)

    # one family's history changes (its last period), another family gets a pin
    changed = history.copy()
    last = (changed["master_sku"] == "I0") & (changed["period_seq"] == changed["period_seq"].max())
    changed.loc[last, "demand_units"] += 7.0
    pins = pd.concat([PINS, pd.DataFrame({"family": ["PROMO"], "method": ["Naive"], "reason": ["test"]})],
                     ignore_index=True)
    fitted_families.append(set())
    incremental = _run(changed, cache, pins=pins)
    assert fitted_families[-1] == {"INTERMITTENT", "PROMO"}  # ONE_SKU reused

    fitted_families.append(set())
    fresh = _run(changed, None, pins=pins)
    assert fitted_families[-1] == set(FAMILIES)
    _assert_same(incremental, fresh)  # reused + refit families = a fresh fit, bit for bit
    promo = incremental["selection"]
    assert promo.loc[(promo["family"] == "PROMO") & promo["is_selected"], "candidate"].eq("Naive").all()
    moved = incremental["forecast"].merge(first["forecast"], on=["unique_id", "ds"])
    assert (moved.loc[moved["unique_id"] == "ONLY", "forecast_x"]
            == moved.loc[moved["unique_id"] == "ONLY", "forecast_y"]).all()

    # a setting changes: every family is refit
    fitted_families.append(set())
    _run(changed, cache, pins=pins, horizon=7)
    assert fitted_families[-1] == set(FAMILIES)

    # a classification var changes (the segments may move): every family is refit, and the
    # result is a fresh fit's with that var
    fitted_families.append(set())
    recut = _run(changed, cache, pins=pins, cutoffs={"adi_cutoff": 1.05})
    assert fitted_families[-1] == set(FAMILIES)
    _assert_same(recut, _run(changed, None, pins=pins, cutoffs={"adi_cutoff": 1.05}))
