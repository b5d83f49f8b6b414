"""The forecasting step on a local Dask cluster (Fugue) equals the local engine."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("dask.distributed", reason="the optional dependency dask[dataframe,distributed] is not installed")

from sop_analytics.forecasting.dbt_io import stack_outputs  # noqa: E402
from sop_analytics.forecasting.pipeline import run_forecasting  # noqa: E402
from test_forecasting_pipeline import PINS, _history  # noqa: E402


def test_dask_engine_equals_the_local_engine() -> None:
    history = _history()
    history = history[history["master_family"].isin(["INTERMITTENT", "ONE_SKU", "PROMO", "SHORT"])]
    common = dict(horizon=6, n_windows=2, pins=PINS, season_length=12, long_tail_families=["SHORT"])
    lines: list[str] = []
    local = run_forecasting(history, **common)
    dask = run_forecasting(history, **common, engine="dask", n_jobs=2, progress=lines.append)
    assert any("on Dask" in line for line in lines)
    assert set(dask["forecast"]["unique_id"]) == set(history["master_sku"])
    for key in ("classification", "selection", "forecast", "backtest"):
        pd.testing.assert_frame_equal(dask[key], local[key], check_exact=True)
    pd.testing.assert_frame_equal(stack_outputs(dask), stack_outputs(local), check_exact=True)
