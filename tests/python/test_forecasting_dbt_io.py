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


# ------------------------------------------------------------- the classification vars
# The dbt Python model passes every classification var to the forecaster, so its classes
# (and the segments methods are selected for) follow the same rule as int_skus_classified;
# on every build the dbt test forecaster_classes_match_the_sql_classification checks the two
# agree. Here each var is changed in turn, through the model's config meta as dbt passes it,
# and exactly the SKU built to sit on that var's boundary changes class.

def _boundary_history() -> pd.DataFrame:
    """Four SKUs over periods 1-30, each built to sit near one var's default cut-off:
    A: 10 units except every 5th period: ADI 30/24 = 1.25 (smooth under 1.32, not under 1.2);
    B: 6 and 14 by turns: CV2 (4/10)^2 = 0.16 (smooth under 0.49, erratic under 0.1);
    C: 10 units from period 11: 20 periods of history (12 needed by default, not 24);
    D: 10 units to period 26, none after: 4 periods without demand (inactive after 6, or 3)."""
    t = range(1, 31)
    series = {
        "A": [0.0 if p % 5 == 0 else 10.0 for p in t],
        "B": [6.0 if p % 2 else 14.0 for p in t],
        "C": [10.0 if p >= 11 else 0.0 for p in t],
        "D": [10.0 if p <= 26 else 0.0 for p in t],
    }
    rows = [{"master_sku": sku, "master_family": "F", "period_seq": p, "demand_units": y, "promo_units": 0.0}
            for sku, ys in series.items() for p, y in zip(t, ys) if not (sku == "C" and p < 11)]
    return pd.DataFrame(rows)


class _Relation:
    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def df(self) -> pd.DataFrame:
        return self._frame


class _Config:
    """dbt.config: called with the model's config, and meta_get for the YAML's meta."""

    def __init__(self, meta: dict) -> None:
        self._meta = meta

    def __call__(self, **_) -> None:
        return None

    def meta_get(self, name, default=None):
        return self._meta.get(name, default)


class _FakeDbt:
    """What int_forecast_outputs.model() uses of dbt: config.meta_get, ref, source."""

    def __init__(self, meta: dict, refs: dict[str, pd.DataFrame]) -> None:
        self._refs = refs
        self.config = _Config(meta)

    def ref(self, name: str) -> _Relation:
        if name == "stg_landing__files":
            return self.source("landing", "files")
        return _Relation(self._refs.get(name, pd.DataFrame()))

    def source(self, *_):
        return _Relation(pd.DataFrame({"source_system": ["erp"], "entity": ["items"], "status": ["present"]}))


def _run_model(**vars_) -> pd.DataFrame:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "python_models" / "forecasting" / "int_forecast_outputs.py"
    spec = importlib.util.spec_from_file_location("int_forecast_outputs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    meta = {"forecast_horizon": "2", "backtest_windows": "1", "forecast_season_length": "12",
            "long_tail_families": "", "forecast_n_jobs": "1", "forecast_ml": "False",
            "forecast_conformal_intervals": "False", "forecast_noise_fallback": "False",
            "adi_cutoff": "1.32", "cv2_cutoff": "0.49", "min_history_periods": "12", "inactive_periods": "6",
            **{k: str(v) for k, v in vars_.items()}}
    refs = {
        "int_demand_history_by_sku_period": _boundary_history(),
        "int_promotion_coverage_by_sku_period": pd.DataFrame(columns=["master_sku", "period_seq", "promo_coverage"]),
        "int_planning_periods": pd.DataFrame({"period_seq": range(1, 33), "n_days": [28] * 32}),
        "forecast_method_pins": pd.DataFrame(columns=["master_family", "segment", "method", "reason"]),
    }
    return module.model(_FakeDbt(meta, refs), session=None)


def _classes_and_segments(stacked: pd.DataFrame) -> tuple[dict[str, str], set[str]]:
    forecast = stacked[stacked["output"] == "forecast"]
    classes = forecast.drop_duplicates("master_sku").set_index("master_sku")["demand_class"].to_dict()
    segments = set(stacked.loc[stacked["output"] == "selection", "segment"])
    return classes, segments


def test_the_forecaster_follows_every_classification_var():
    default, default_segments = _classes_and_segments(_run_model())
    assert default == {"A": "smooth", "B": "smooth", "C": "smooth", "D": "smooth"}
    assert default_segments == {"continuous"}
    for var, value, sku, changed, segment in [
        ("adi_cutoff", 1.2, "A", "intermittent", "intermittent"),
        ("cv2_cutoff", 0.1, "B", "erratic", "continuous"),
        ("min_history_periods", 24, "C", "new", "new"),
        ("inactive_periods", 3, "D", "inactive", "inactive"),
    ]:
        classes, segments = _classes_and_segments(_run_model(**{var: value}))
        assert classes == {**default, sku: changed}, (var, classes)
        assert segment in segments, (var, segments)
