"""ForecastConfig: the forecasting run's settings, parsed from what the dbt model receives."""

from __future__ import annotations

import pytest

from sop_analytics.forecasting.classification import classify_demand
from sop_analytics.forecasting.config import CLASSIFICATION_VARS, ForecastConfig
from sop_analytics.forecasting.pipeline import to_panel
from test_forecasting_pipeline import _history

# what dbt renders for the defaults of dbt_project.yml (every var a string)
DBT_META = {
    "forecast_horizon": "12", "backtest_windows": "3", "forecast_season_length": "12", "long_tail_families": "",
    "forecast_n_jobs": "2", "forecast_ml": "False", "forecast_conformal_intervals": "False",
    "forecast_noise_fallback": "False", "forecast_max_backtest_series": "300", "forecast_engine": "local",
    "forecast_dask_address": "",
    "adi_cutoff": "1.32", "cv2_cutoff": "0.49", "min_history_periods": "12", "inactive_periods": "6",
}


def test_the_dbt_meta_becomes_typed_settings():
    config = ForecastConfig.from_dbt_meta({**DBT_META, "long_tail_families": " TAIL_A, ,TAIL_B ",
                                           "forecast_ml": "true", "forecast_dask_address": " tcp://s:8786 "})
    assert (config.horizon, config.n_windows, config.season_length, config.n_jobs) == (12, 3, 12, 2)
    assert config.long_tail_families == ("TAIL_A", "TAIL_B")
    assert config.ml is True and config.conformal is False and config.noise_fallback is False
    assert config.engine == "local" and config.engine_address == "tcp://s:8786"
    assert config.max_backtest_series == 300
    assert ForecastConfig.from_dbt_meta({**DBT_META, "forecast_max_backtest_series": "None"}).max_backtest_series is None
    assert config.classify_kwargs() == {"adi_cutoff": 1.32, "cv2_cutoff": 0.49, "min_history": 12,
                                        "inactive_periods": 6}
    assert set(config.classification_cutoffs) == set(CLASSIFICATION_VARS)
    settings = config.selection_settings(["PROMO"])
    assert settings["horizon"] == 12 and settings["promo_families"] == ["PROMO"] and settings["ml"] is True


@pytest.mark.parametrize(("name", "value", "message"), [
    ("forecast_ml", "maybe", "var forecast_ml: 'maybe' is not true or false"),
    ("forecast_horizon", "twelve", "var forecast_horizon: 'twelve' is not a whole number"),
    ("forecast_horizon", "0", "forecast horizon must be at least 1 period"),
    ("forecast_engine", "spark", "forecast engine 'spark' is not one of local, dask"),
    ("forecast_max_backtest_series", "0", "var forecast_max_backtest_series: '0' must be at least 1"),
])
def test_a_bad_setting_is_named_with_its_value(name, value, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        ForecastConfig.from_dbt_meta({**DBT_META, name: value})


def test_an_unknown_classification_var_is_an_error():
    with pytest.raises(ValueError, match="unknown classification var"):
        ForecastConfig(horizon=6, n_windows=2, classification_cutoffs={"adi": 1.0})


def test_the_classification_cutoffs_reach_classify_demand():
    """A changed cut-off changes the classes classify_demand gives with the config's kwargs."""
    panel = to_panel(_history())
    last = int(panel["ds"].max())
    default = classify_demand(panel, last_ds=last, **ForecastConfig.from_dbt_meta(DBT_META).classify_kwargs())
    strict = classify_demand(panel, last_ds=last,
                             **ForecastConfig.from_dbt_meta({**DBT_META, "adi_cutoff": "100"}).classify_kwargs())
    assert (default["segment"] != strict["segment"]).any()
