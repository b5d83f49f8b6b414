"""Forecast metrics: hand-worked values, pooling, zero-scale guard, equality with utilsforecast."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from utilsforecast import losses as ufl

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
    scale = metrics.naive_scale(TRAIN, seasonality=2, power=2)
    assert scale["scale"].iloc[0] == pytest.approx(1.0)


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


@pytest.mark.parametrize(
    ("ours", "theirs", "scaled"),
    [
        (metrics.mae, ufl.mae, False),
        (metrics.mse, ufl.mse, False),
        (metrics.rmse, ufl.rmse, False),
        (metrics.mean_error, ufl.bias, False),
        (metrics.wape, ufl.wape, False),
        (metrics.mase, ufl.mase, True),
        (metrics.msse, ufl.msse, True),
        (metrics.rmsse, ufl.rmsse, True),
    ],
)
@pytest.mark.parametrize("with_cutoff", [True, False])
def test_equals_utilsforecast(cv_frame, ours, theirs, scaled, with_cutoff) -> None:
    df, train = cv_frame
    if not with_cutoff:
        df = df[df["cutoff"] == 33].drop(columns="cutoff")
    kwargs = {"seasonality": 1, "train_df": train} if scaled else {}
    a = ours(df, ["m1", "m2"], **kwargs)
    b = theirs(df, ["m1", "m2"], **kwargs)
    keys = [c for c in ("cutoff", "unique_id") if c in b.columns]
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    np.testing.assert_allclose(a[["m1", "m2"]].to_numpy(), b[["m1", "m2"]].to_numpy(), rtol=1e-10)
