"""Syntetos-Boylan classification on hand-made series, one per class plus new and inactive."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_analytics.forecasting.classification import CLASSIFICATION_SCHEMA, classify_demand

N = 24


def _series(uid: str, values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": uid, "ds": np.arange(len(values)), "y": values})


def _panel() -> pd.DataFrame:
    smooth = [10.0, 11.0, 9.0, 10.0] * 6
    erratic = [1.0, 20.0] * 12                       # sizes 1, 20: CV^2 = (9.5 / 10.5)^2
    intermittent = [5.0, 0.0] * 12                   # ADI 24 / 12 = 2, CV^2 = 0
    lumpy = ([0.0, 0.0, 1.0, 0.0, 0.0, 30.0] * 4)    # first demand at 2: ADI 22 / 8, CV^2 high
    new = [0.0] * 16 + [4.0] * 8                     # 8 periods since first demand
    inactive = [5.0] * 16 + [0.0] * 8                # nothing in the last 8 periods
    return pd.concat([
        _series("smooth", smooth), _series("erratic", erratic),
        _series("intermittent", intermittent), _series("lumpy", lumpy),
        _series("new", new), _series("inactive", inactive),
    ], ignore_index=True)


def test_one_series_per_class() -> None:
    out = classify_demand(_panel()).set_index("unique_id")
    assert out.loc[list(out.index), "demand_class"].to_dict() == {uid: uid for uid in out.index}


def test_adi_and_cv2_hand_worked() -> None:
    out = classify_demand(_panel()).set_index("unique_id")
    assert out.loc["intermittent", "adi"] == pytest.approx(2.0)
    assert out.loc["intermittent", "cv2"] == pytest.approx(0.0)
    # population std (ddof=0) of sizes {1, 20}: 9.5, mean 10.5
    assert out.loc["erratic", "cv2"] == pytest.approx((9.5 / 10.5) ** 2)
    assert out.loc["erratic", "adi"] == pytest.approx(1.0)
    # lumpy: window starts at its first demand (ds 2): 22 periods, 8 demands; sizes 1, 30
    assert out.loc["lumpy", "n_periods"] == 22
    assert out.loc["lumpy", "adi"] == pytest.approx(22 / 8)
    assert out.loc["lumpy", "cv2"] == pytest.approx((14.5 / 15.5) ** 2)
    assert out.loc["inactive", "periods_since_last_demand"] == 8


def test_cutoffs_are_parameters_and_boundary_goes_up() -> None:
    panel = _panel()
    # ADI of 'intermittent' is exactly 2: with the cut-off at 2 it stays intermittent
    out = classify_demand(panel, adi_cutoff=2.0).set_index("unique_id")
    assert out.loc["intermittent", "demand_class"] == "intermittent"
    out = classify_demand(panel, adi_cutoff=2.5).set_index("unique_id")
    assert out.loc["intermittent", "demand_class"] == "smooth"
    out = classify_demand(panel, cv2_cutoff=0.9).set_index("unique_id")
    assert out.loc["erratic", "demand_class"] == "smooth"
    out = classify_demand(panel, min_history=6, inactive_periods=10).set_index("unique_id")
    assert out.loc["new", "demand_class"] == "smooth"
    assert out.loc["inactive", "demand_class"] == "intermittent"  # ADI 24 / 16 = 1.5


def test_last_ds_and_no_demand_and_schema() -> None:
    panel = pd.concat([_panel(), _series("never", [0.0] * N)], ignore_index=True)
    out = classify_demand(panel).set_index("unique_id")
    assert out.loc["never", "demand_class"] == "inactive"
    # judged against a later panel end, the smooth series has gone quiet
    late = classify_demand(_series("smooth", [10.0] * N), last_ds=N + 6)
    assert late["demand_class"].iloc[0] == "inactive"
    assert dict(classify_demand(panel).dtypes.astype(str)) == CLASSIFICATION_SCHEMA
    empty = classify_demand(panel.iloc[0:0])
    assert empty.empty and dict(empty.dtypes.astype(str)) == CLASSIFICATION_SCHEMA
