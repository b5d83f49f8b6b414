"""Forecast metrics (delegated to utilsforecast.losses): hand-worked values, pooling, the
zero-scale guard, and per-fold values against a plain loop over the folds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sop_analytics.forecasting import metrics

# Series A: training 2, 4, 3, 5 -> naive diffs 2, 1, 2: mean |d| = 5/3, mean d^2 = 9/3 = 3.
# Test actuals 4, 6; forecast 5, 4 -> errors (forecast - actual) +1, -2.
TRAIN = pd.DataFrame({"unique_id": "A", "ds": [1, 2, 3, 4], "y": [2.0, 4.0, 3.0, 5.0]})
TEST = pd.DataFrame({"unique_id": "A", "ds": [5, 6], "y": [4.0, 6.0], "f": [5.0, 4.0]})


def _one(frame: pd.DataFrame) -> float:
    return float(frame["f"].iloc[0])


def test_hand_worked_values() -> None:
    assert _one(metrics.mae(TEST, ["f"])) == pytest.approx(1.5)  # (1 + 2) / 2
    assert _one(metrics.mse(TEST, ["f"])) == pytest.approx(2.5)  # (1 + 4) / 2
    assert _one(metrics.rmse(TEST, ["f"])) == pytest.approx(math.sqrt(2.5))
    assert _one(metrics.wape(TEST, ["f"])) == pytest.approx(0.3)  # 3 / 10
    assert _one(metrics.mean_error(TEST, ["f"])) == pytest.approx(-0.5)
    assert _one(metrics.bias_units(TEST, ["f"])) == pytest.approx(-1.0)
    assert _one(metrics.bias_pct(TEST, ["f"])) == pytest.approx(-0.1)  # -1 / 10
    assert _one(metrics.tracking_signal(TEST, ["f"])) == pytest.approx(-1 / 1.5)
    assert _one(metrics.mase(TEST, ["f"], 1, TRAIN)) == pytest.approx(1.5 / (5 / 3))  # 0.9
    assert _one(metrics.msse(TEST, ["f"], 1, TRAIN)) == pytest.approx(2.5 / 3)
    assert _one(metrics.scaled_squared_error(TEST, ["f"], 1, TRAIN)) == pytest.approx(2.5 / 3)
    assert _one(metrics.rmsse(TEST, ["f"], 1, TRAIN)) == pytest.approx(math.sqrt(2.5 / 3))


def test_seasonal_scale() -> None:
    # seasonality 2: diffs y3 - y1 = 1, y4 - y2 = 1 -> scale 1, MASE = MAE = 1.5
    assert _one(metrics.mase(TEST, ["f"], 2, TRAIN)) == pytest.approx(1.5)
    # squared: (1^2 + 1^2) / 2 = 1, so MSSE = MSE = 2.5
    assert _one(metrics.msse(TEST, ["f"], 2, TRAIN)) == pytest.approx(2.5)


def test_zero_scale_gives_nan_not_inf() -> None:
    flat = pd.DataFrame({"unique_id": "A", "ds": [1, 2, 3], "y": [3.0, 3.0, 3.0]})
    assert math.isnan(_one(metrics.mase(TEST, ["f"], 1, flat)))
    assert math.isnan(_one(metrics.rmsse(TEST, ["f"], 1, flat)))
    zero_actuals = TEST.assign(y=0.0)
    assert math.isnan(_one(metrics.wape(zero_actuals, ["f"])))
    assert math.isnan(_one(metrics.bias_pct(zero_actuals, ["f"])))


def test_pooled_wape_sums_absolute_errors_never_nets() -> None:
    b = pd.DataFrame({"unique_id": "B", "ds": [5, 6], "y": [0.0, 0.0], "f": [1.0, 1.0]})
    both = pd.concat([TEST, b], ignore_index=True)
    per = metrics.wape(both, ["f"])
    assert per["f"].iloc[0] == pytest.approx(0.3) and math.isnan(per["f"].iloc[1])
    # pooled: (|+1| + |-2| + 1 + 1) / (4 + 6 + 0 + 0) = 0.5
    assert _one(metrics.wape(both, ["f"], pooled=True)) == pytest.approx(0.5)
    # pooled bias nets by definition: (-1 + 2) / 10
    assert _one(metrics.bias_pct(both, ["f"], pooled=True)) == pytest.approx(0.1)
    assert _one(metrics.bias_units(both, ["f"], pooled=True)) == pytest.approx(1.0)


def test_pooled_scaled_metric_is_mean_of_finite_series() -> None:
    train_b = pd.DataFrame({"unique_id": "B", "ds": [1, 2, 3, 4], "y": [1.0, 1.0, 1.0, 1.0]})
    b = pd.DataFrame({"unique_id": "B", "ds": [5, 6], "y": [1.0, 1.0], "f": [2.0, 2.0]})
    both, train = pd.concat([TEST, b]), pd.concat([TRAIN, train_b])
    per = metrics.rmsse(both, ["f"], 1, train)
    assert math.isnan(per["f"].iloc[1])  # B has a zero scale
    assert _one(metrics.rmsse(both, ["f"], 1, train, pooled=True)) == pytest.approx(math.sqrt(2.5 / 3))


@pytest.fixture(scope="module")
def cv_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    rows, train = [], []
    for uid in ["a", "b", "c"]:
        y = rng.gamma(2.0, 5.0, 40).round()
        train.append(pd.DataFrame({"unique_id": uid, "ds": np.arange(40), "y": y}))
        for cutoff in (27, 33):
            ds = np.arange(cutoff + 1, cutoff + 7)
            rows.append(pd.DataFrame({
                "unique_id": uid, "ds": ds, "cutoff": cutoff, "y": y[ds],
                "m1": y[ds] + rng.normal(0, 3, 6), "m2": np.full(6, y[: cutoff + 1].mean()),
            }))
    return pd.concat(rows, ignore_index=True), pd.concat(train, ignore_index=True)


def _loop_metric(name: str, test: pd.DataFrame, train: pd.DataFrame, model: str) -> float:
    """One metric of one fold of one series, by hand: no pandas grouping, no utilsforecast."""
    y, f = test["y"].to_numpy(float), test[model].to_numpy(float)
    err = f - y
    history = train["y"].to_numpy(float)
    naive = np.diff(history)
    scale1 = np.abs(naive).mean() if len(naive) else np.nan
    scale2 = (naive ** 2).mean() if len(naive) else np.nan
    values = {
        "mae": np.abs(err).mean(), "mse": (err ** 2).mean(), "rmse": np.sqrt((err ** 2).mean()),
        "mean_error": err.mean(), "wape": np.abs(err).sum() / np.abs(y).sum() if np.abs(y).sum() else np.nan,
        "mase": np.abs(err).mean() / scale1 if scale1 else np.nan,
        "msse": (err ** 2).mean() / scale2 if scale2 else np.nan,
        "rmsse": np.sqrt((err ** 2).mean() / scale2) if scale2 else np.nan,
        "bias_units": err.sum(), "bias_pct": err.sum() / y.sum() if y.sum() else np.nan,
    }
    return float(values[name])


SCALED = {"mase", "msse", "rmsse"}


@pytest.mark.parametrize("name", ["mae", "mse", "rmse", "mean_error", "wape", "mase", "msse", "rmsse",
                                  "bias_units", "bias_pct"])
@pytest.mark.parametrize("with_cutoff", [True, False])
def test_per_fold_values_equal_a_plain_loop(cv_frame, name, with_cutoff) -> None:
    """Each (cutoff, series) value equals the metric computed by hand on that fold, with the
    training series cut at the fold's cutoff; a series with a flat history gets NaN, and
    every series of the frame keeps its row."""
    df, train = cv_frame
    flat = pd.DataFrame({"unique_id": "d", "ds": np.arange(40), "y": 5.0})
    train = pd.concat([train, flat], ignore_index=True)
    d = df[df["unique_id"] == "a"].assign(unique_id="d", y=5.0)
    df = pd.concat([df, d], ignore_index=True)
    if not with_cutoff:
        df = df[df["cutoff"] == 33].drop(columns="cutoff")
    fn = getattr(metrics, name)
    out = fn(df, ["m1", "m2"], 1, train) if name in SCALED else fn(df, ["m1", "m2"])
    keys = ["cutoff", "unique_id"] if with_cutoff else ["unique_id"]
    assert len(out) == len(df[keys].drop_duplicates())
    for _, row in out.iterrows():
        fold = df[(df[keys] == row[keys]).all(axis=1)]
        # with folds, each fold's training series ends at its cutoff; without, it is all of train
        cutoff = row["cutoff"] if with_cutoff else np.inf
        history = train[(train["unique_id"] == row["unique_id"]) & (train["ds"] <= cutoff)]
        for model in ("m1", "m2"):
            expected = _loop_metric(name, fold, history, model)
            if np.isnan(expected):
                assert np.isnan(row[model]), (name, row[keys].tolist(), model)
            else:
                assert row[model] == pytest.approx(expected, rel=1e-9), (name, row[keys].tolist(), model)
    if name in SCALED:
        assert out.loc[out["unique_id"] == "d", ["m1", "m2"]].isna().all().all()
