"""The global ML candidate (mlforecast + LightGBM across the SKUs of a family segment) on a
small panel: it runs, is deterministic, learns structure shared across series, and
selection treats it like any other candidate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_analytics.forecasting import metrics
from sop_analytics.forecasting.candidates import ENSEMBLE_ML, GLOBAL_ML
from sop_analytics.forecasting.forecast import forecast_selected
from sop_analytics.forecasting.ml import MIN_SERIES, global_ml_cv, global_ml_forecast
from sop_analytics.forecasting.selection import select_methods

PATTERN = np.array([1.0, 3.0, 0.4, 2.0, 0.7, 1.6])  # shared by every series, period 6


def _panel(n_series: int = 30, periods: int = 36, seed: int = 7) -> pd.DataFrame:
    """Series of very different levels that all follow one 6-period pattern (x noise).
    Each series alone is short and noisy; across series the pattern is plain."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, periods + 1)
    rows = []
    for i in range(n_series):
        level = rng.uniform(5, 400)
        y = np.round(level * PATTERN[t % 6] * rng.gamma(40, 1 / 40, periods))
        rows.append(pd.DataFrame({"unique_id": f"S{i:02d}", "family": "F", "segment": "continuous",
                                  "ds": t, "y": y.astype(float)}))
    return pd.concat(rows, ignore_index=True)


def test_global_model_learns_the_shared_pattern_and_beats_naive() -> None:
    panel = _panel()
    train, test = panel[panel["ds"] <= 30], panel[panel["ds"] > 30]
    fc = global_ml_forecast(train, sorted(train["unique_id"].unique()), horizon=6, season_length=6)
    naive = train[train["ds"] == 30][["unique_id", "y"]].rename(columns={"y": "Naive"})
    scored = test.merge(fc, on=["unique_id", "ds"]).merge(naive, on="unique_id")
    assert len(scored) == 30 * 6
    rmsse = metrics.rmsse(scored, [GLOBAL_ML, "Naive"], 1, train[["unique_id", "ds", "y"]], pooled=True)
    # Naive repeats the last value of a pattern swinging 0.4x..3x; the shared pattern makes
    # the global model far better (a model that learnt nothing would tie or lose)
    assert rmsse[GLOBAL_ML].iloc[0] < 0.5 * rmsse["Naive"].iloc[0]


def test_global_model_is_deterministic() -> None:
    panel = _panel()
    a = global_ml_cv(panel, h=6, n_windows=2, step_size=3, season_length=6)
    b = global_ml_cv(panel.sample(frac=1.0, random_state=1), h=6, n_windows=2, step_size=3, season_length=6)
    assert len(a) == 30 * 6 * 2
    assert sorted(a["cutoff"].unique()) == [27, 30]
    pd.testing.assert_frame_equal(a.sort_values(["unique_id", "cutoff", "ds"]).reset_index(drop=True),
                                  b.sort_values(["unique_id", "cutoff", "ds"]).reset_index(drop=True))


def test_backtest_does_not_see_the_future() -> None:
    """Changing demand after a cutoff cannot change that window's backtest forecast."""
    panel = _panel()
    cv = global_ml_cv(panel, h=6, n_windows=1, step_size=6, season_length=6)
    late = panel.assign(y=np.where(panel["ds"] > 30, panel["y"] * 10, panel["y"]))
    cv_late = global_ml_cv(late, h=6, n_windows=1, step_size=6, season_length=6)
    np.testing.assert_array_equal(cv[GLOBAL_ML].to_numpy(), cv_late[GLOBAL_ML].to_numpy())


@pytest.fixture(scope="module")
def selected() -> tuple[pd.DataFrame, pd.DataFrame]:
    return select_methods(_panel(), horizon=6, n_windows=3, season_length=6)


def test_selection_scores_the_global_model_like_other_candidates(selected) -> None:
    selection, cv = selected
    rows = selection.set_index("candidate")
    assert GLOBAL_ML in rows.index and GLOBAL_ML in cv.columns
    assert np.isfinite(rows.loc[GLOBAL_ML, "score"])
    assert rows.loc[GLOBAL_ML, "score"] < rows.loc["Naive", "score"]
    # the ensemble of the best statistical candidate and the ML model, members distinct
    members = rows.loc[ENSEMBLE_ML, "members"].split("|")
    assert members[-1] == GLOBAL_ML and len(set(members)) == len(members) == 2
    # the seasonal statistical models see 6 noisy points a season: the ML model wins or is in the winner
    winner = selection[selection["is_selected"]].iloc[0]
    assert GLOBAL_ML in {winner["candidate"], *winner["members"].split("|")}, winner["selection_reason"]


def test_small_family_segments_get_no_global_model() -> None:
    selection, cv = select_methods(_panel(n_series=MIN_SERIES - 1), horizon=6, n_windows=3, season_length=6)
    assert GLOBAL_ML not in set(selection["candidate"]) and ENSEMBLE_ML not in set(selection["candidate"])


def test_forecast_with_the_selected_global_model(selected) -> None:
    selection, _ = selected
    panel = _panel()
    for candidate in (GLOBAL_ML, ENSEMBLE_ML):
        sel = selection.assign(is_selected=selection["candidate"] == candidate)
        fc = forecast_selected(panel, sel, horizon=6, season_length=6)
        assert len(fc) == 30 * 6 and fc["forecast"].notna().all()
        assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()
        assert (fc["forecast"] > 0).all()
        label = fc["method"].iloc[0]
        assert label == GLOBAL_ML if candidate == GLOBAL_ML else label.startswith(f"{ENSEMBLE_ML}(")
