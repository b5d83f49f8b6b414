"""Backtest selection, forecasts and the pipeline on a small synthetic panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_analytics.forecasting import metrics
from sop_analytics.forecasting.candidates import ENSEMBLE, top_down_split
from sop_analytics.forecasting.classification import classify_demand
from sop_analytics.forecasting.forecast import FORECAST_SCHEMA
from sop_analytics.forecasting.pipeline import (
    BACKTEST_SCHEMA,
    promo_families,
    run_forecasting,
    selected_backtest,
    to_panel,
)
from sop_analytics.forecasting.selection import SELECTION_SCHEMA, plan_backtest, select_methods

INTERMITTENT_METHODS = {"CrostonSBA", "TSB", "ADIDA", "IMAPA"}
SMOOTH_METHODS = {"AutoETS", "AutoTheta", "MSTL"}
T = 48


def _history(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(T)
    rows = []

    def add(sku: str, fam: str, y: np.ndarray, promo: np.ndarray | None = None) -> None:
        first = int(np.flatnonzero(y > 0)[0])
        rows.append(pd.DataFrame({
            "master_sku": sku, "master_family": fam, "period_seq": t[first:] + 1,
            "demand_units": y[first:], "promo_units": (promo if promo is not None else np.zeros(T))[first:],
        }))

    for i in range(6):  # smooth, strongly seasonal
        level = 50 + 20 * i
        season = 1 + 0.5 * np.sin(2 * np.pi * t / 12)
        add(f"S{i}", "SMOOTH", np.round(level * (1 + 0.01 * t) * season * rng.gamma(12, 1 / 12, T)))
    for i in range(6):  # intermittent: p = 0.3, sizes ~ 6 +- 1
        add(f"I{i}", "INTERMITTENT", np.where(rng.random(T) < 0.3, rng.integers(5, 8, T), 0).astype(float))
    for i in range(4):  # promoted: 20 % of periods at +100 %
        on = rng.random(T) < 0.2
        base = np.round(40 * (1 + 0.3 * np.sin(2 * np.pi * t / 12)) * rng.gamma(50, 1 / 50, T))
        y = np.where(on, 2 * base, base)
        add(f"P{i}", "PROMO", y, np.where(on, y * 0.6, 0.0))
    add("ONLY", "ONE_SKU", np.round(30 + 10 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 2, T)))
    short = np.zeros(T)
    short[-15:] = np.round(rng.normal(20, 3, 15))
    add("SHORT", "SHORT", short)  # 15 periods: 'continuous' but too short for a seasonal backtest
    brand_new = np.zeros(T)
    brand_new[-5:] = [3.0, 4.0, 2.0, 5.0, 4.0]
    add("NEW", "SHORT", brand_new)
    return pd.concat(rows, ignore_index=True)


PINS = pd.DataFrame({"family": ["ONE_SKU"], "method": ["Naive"], "reason": ["launch plan overrides"]})


@pytest.fixture(scope="module")
def result() -> dict[str, pd.DataFrame]:
    return run_forecasting(_history(), horizon=12, n_windows=3, pins=PINS, season_length=12)


def _selected(selection: pd.DataFrame, family: str, segment: str) -> pd.Series:
    rows = selection[(selection["family"] == family) & (selection["segment"] == segment) & selection["is_selected"]]
    assert len(rows) == 1
    return rows.iloc[0]


def test_selection_table_schema(result) -> None:
    sel = result["selection"]
    assert dict(sel.dtypes.astype(str)) == SELECTION_SCHEMA
    assert not sel.duplicated(["family", "segment", "candidate"]).any()
    assert sel.groupby(["family", "segment"])["is_selected"].sum().eq(1).all()
    assert (sel.loc[sel["n_windows"] > 0, "n_windows"] >= 3).all()


def test_intermittent_family_gets_an_intermittent_method(result) -> None:
    row = _selected(result["selection"], "INTERMITTENT", "intermittent")
    methods = set(row["members"].split("|")) if row["candidate"] == ENSEMBLE else {row["candidate"]}
    assert methods <= INTERMITTENT_METHODS, row["selection_reason"]
    assert row["metric"] == "scaled_squared_error"


def test_smooth_family_gets_a_seasonal_model(result) -> None:
    row = _selected(result["selection"], "SMOOTH", "continuous")
    methods = set(row["members"].split("|")) if row["candidate"] == ENSEMBLE else {row["candidate"]}
    assert methods <= SMOOTH_METHODS, row["selection_reason"]
    assert row["metric"] == "rmsse"


def test_intermittent_winner_beats_all_zero_forecast() -> None:
    panel = to_panel(_history())
    panel = panel[panel["family"] == "INTERMITTENT"]
    panel = panel.merge(classify_demand(panel)[["unique_id", "segment"]], on="unique_id")
    selection, cv = select_methods(panel, horizon=12, n_windows=3, season_length=12)
    selection = selection[selection["segment"] == "intermittent"]
    cv = cv[cv["segment"] == "intermittent"].copy()
    winner = selection.loc[selection["is_selected"], "candidate"].iloc[0]
    if winner == ENSEMBLE:
        members = selection.loc[selection["is_selected"], "members"].iloc[0].split("|")
        cv[ENSEMBLE] = np.median(cv[members].to_numpy(), axis=1)
    cv["Zero"] = 0.0
    train = panel[["unique_id", "ds", "y"]]
    score = metrics.scaled_squared_error(cv, [winner, "Zero"], 1, train, pooled=True)
    assert score[winner].iloc[0] < score["Zero"].iloc[0]
    # ... although the all-zero forecast wins on MAE-type metrics for sparse enough series:
    # the selection metric must not be one of those.
    reported = selection.loc[selection["is_selected"], "score"].iloc[0]
    assert reported == pytest.approx(score[winner].iloc[0])


def test_one_sku_family_and_pin(result) -> None:
    row = _selected(result["selection"], "ONE_SKU", "continuous")
    assert row["candidate"] == "Naive" and row["pinned"]
    assert "launch plan overrides" in row["selection_reason"]
    fc = result["forecast"]
    assert len(fc[fc["unique_id"] == "ONLY"]) == 12
    assert (fc.loc[fc["unique_id"] == "ONLY", "method"] == "Naive").all()


def test_short_series_shrink_or_fall_back(result) -> None:
    sel = result["selection"]
    short = sel[(sel["family"] == "SHORT") & sel["is_selected"]]
    assert set(short["segment"]) == {"continuous", "new"}
    reasons = " ".join(short["selection_reason"])
    assert "shrunk" in reasons or "fallback" in reasons or "seasonal candidates dropped" in reasons
    assert result["forecast"]["unique_id"].isin(["SHORT", "NEW"]).sum() == 24


def test_plan_backtest_ladder() -> None:
    plan = plan_backtest([48], segment="continuous", horizon=12, n_windows=3, season_length=12)
    assert (plan.h, plan.step_size, plan.seasonal) == (12, 3, True)  # 30 + 12 + 2 * 3 = 48
    plan = plan_backtest([60], segment="continuous", horizon=12, n_windows=3, season_length=12)
    assert (plan.h, plan.step_size) == (12, 9)  # 30 + 12 + 2 * 9 = 60
    plan = plan_backtest([30], segment="continuous", horizon=12, n_windows=3, season_length=12)
    assert not plan.seasonal and plan.h == 12 and "seasonal" in plan.note
    plan = plan_backtest([4], segment="new", horizon=12, n_windows=3, season_length=12)
    assert plan.h == 0 and "too short" in plan.note


def test_promo_family_reports_promoted_skus(result) -> None:
    sel = result["selection"]
    promo = sel[sel["family"] == "PROMO"]
    assert "PromoLift" in set(promo["candidate"])
    assert (promo["n_promoted_series"] > 0).all()
    assert promo["score_promoted"].notna().all()
    assert "promoted SKUs" in promo.loc[promo["is_selected"], "selection_reason"].iloc[0]


def test_forecasts_non_negative_and_ordered(result) -> None:
    fc = result["forecast"]
    assert dict(fc.dtypes.astype(str)) == FORECAST_SCHEMA
    assert fc[["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]].notna().all().all()
    assert (fc["lo_95"] >= 0).all()
    assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["lo_80"] <= fc["forecast"]).all()
    assert (fc["forecast"] <= fc["hi_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()
    assert fc.groupby("unique_id").size().eq(12).all()
    assert set(fc["unique_id"]) == set(result["classification"]["unique_id"])
    last = _history().groupby("master_sku")["period_seq"].max().max()
    assert fc["ds"].min() == last + 1 and fc["ds"].max() == last + 12


def test_deterministic() -> None:
    hist = _history()
    small = hist[hist["master_family"].isin(["INTERMITTENT", "ONE_SKU", "PROMO"])]
    a = run_forecasting(small, horizon=6, n_windows=3, pins=None)
    b = run_forecasting(small.sample(frac=1.0, random_state=1), horizon=6, n_windows=3, pins=None)
    c = run_forecasting(small, horizon=6, n_windows=3, pins=None, n_jobs=2)  # family chunks
    assert set(c["backtest"]["family"]) == {"INTERMITTENT", "ONE_SKU", "PROMO"}  # parts from both chunks
    for key in ("classification", "selection", "forecast", "backtest"):
        pd.testing.assert_frame_equal(a[key], b[key])
        pd.testing.assert_frame_equal(a[key], c[key])


def test_empty_input() -> None:
    empty = _history().iloc[0:0]
    out = run_forecasting(empty, horizon=12, n_windows=3, pins=None)
    assert set(out) == {"classification", "selection", "forecast", "backtest"}
    assert all(frame.empty for frame in out.values())
    assert dict(out["selection"].dtypes.astype(str)) == SELECTION_SCHEMA
    assert dict(out["forecast"].dtypes.astype(str)) == FORECAST_SCHEMA
    assert dict(out["backtest"].dtypes.astype(str)) == BACKTEST_SCHEMA
    assert list(out["classification"].columns)[:2] == ["family", "unique_id"]


def test_long_tail_family_is_split_top_down() -> None:
    hist = _history()
    small = hist[hist["master_family"].isin(["INTERMITTENT"])]
    out = run_forecasting(small, horizon=6, n_windows=3, pins=None, long_tail_families=["INTERMITTENT"])
    assert out["backtest"].empty  # family-level backtests are not SKU backtests: no rows
    assert dict(out["backtest"].dtypes.astype(str)) == BACKTEST_SCHEMA
    fc = out["forecast"]
    assert fc["method"].str.startswith("TopDown(").all()
    assert (out["selection"]["forecast_level"] == "family").all()
    totals = fc.groupby("ds")["forecast"].sum()
    assert (totals > 0).all()


def test_top_down_split_shares() -> None:
    hist = pd.DataFrame({"unique_id": ["a", "a", "b", "b"], "family": "F", "ds": [1, 2, 1, 2],
                         "y": [1.0, 3.0, 0.0, 4.0]})
    fam = pd.DataFrame({"family": "F", "ds": [3], "forecast": [16.0], "lo_80": [8.0],
                        "hi_80": [24.0], "lo_95": [4.0], "hi_95": [32.0]})
    out = top_down_split(fam, hist, share_periods=12)
    assert out["forecast"].tolist() == [8.0, 8.0]  # shares 4/8 and 4/8
    out = top_down_split(fam, hist, share_periods=1)
    assert out["forecast"].tolist() == pytest.approx([16 * 3 / 7, 16 * 4 / 7])


def _promo_calendar_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four SKUs with flat demand doubled in the periods a promotion fully covers; the
    calendar holds those periods and one planned promotion in the horizon (ds = T + 3)."""
    rng = np.random.default_rng(11)
    t = np.arange(1, T + 1)
    hist, cal = [], []
    for i in range(4):
        on = (t % 7 == i) | (t % 11 == 0)
        y = np.round(60 * rng.gamma(200, 1 / 200, T) * np.where(on, 2.0, 1.0))
        hist.append(pd.DataFrame({"master_sku": f"P{i}", "master_family": "PROMO", "period_seq": t,
                                  "demand_units": y, "promo_units": np.where(on, y / 2, 0.0)}))
        cal.append(pd.DataFrame({"master_sku": f"P{i}", "period_seq": np.append(t[on], T + 3),
                                 "promo_coverage": 1.0}))
    return pd.concat(hist, ignore_index=True), pd.concat(cal, ignore_index=True)


def test_planned_promotion_lifts_only_the_period_it_covers() -> None:
    history, calendar = _promo_calendar_case()
    pins = pd.DataFrame({"family": ["PROMO"], "method": ["PromoLift"], "reason": ["test"]})
    fc = run_forecasting(history, horizon=6, n_windows=2, pins=pins, promo_calendar=calendar)["forecast"]
    assert set(fc["method"]) == {"PromoLift"}
    wide = fc.pivot(index="unique_id", columns="ds", values="forecast")
    lift = wide[T + 3] / wide[[T + 1, T + 2, T + 4, T + 5, T + 6]].mean(axis=1)
    assert (lift > 1.6).all() and (lift < 2.4).all()  # the planted uplift is 2x
    # without the calendar nothing is planned in the horizon: no period stands out
    flat = run_forecasting(history, horizon=6, n_windows=2, pins=pins)["forecast"]
    flat_wide = flat.pivot(index="unique_id", columns="ds", values="forecast")
    assert (flat_wide[T + 3] / flat_wide.mean(axis=1)).between(0.8, 1.25).all()


def test_calendar_is_the_regressor_in_history_too() -> None:
    history, calendar = _promo_calendar_case()
    panel = to_panel(history, calendar)
    promoted = history["promo_units"].to_numpy() > 0
    assert np.array_equal(panel.sort_values(["unique_id", "ds"])["promo_share"].to_numpy() == 1.0, promoted)
    with pytest.raises(ValueError, match="promo_coverage"):
        to_panel(history, calendar.drop(columns="promo_coverage"))


def test_backtest_is_the_selected_methods_cv(result) -> None:
    bt, sel = result["backtest"], result["selection"]
    assert dict(bt.dtypes.astype(str)) == BACKTEST_SCHEMA
    assert not bt.duplicated(["unique_id", "cutoff", "ds"]).any()
    assert bt.equals(bt.sort_values(["unique_id", "cutoff", "ds"], kind="mergesort").reset_index(drop=True))
    chosen = sel[sel["is_selected"]].set_index(["family", "segment"])
    backtested = chosen[chosen["n_windows"] > 0]
    # every backtested segment has rows, of its selected method (Ensemble and a pin among them);
    # inactive (ZeroModel policy) and the Naive fallback of the too-new SKU have none
    got = bt.groupby(["family", "segment"])["method"].agg(set)
    assert set(got.index) == set(backtested.index)
    assert {k: {v} for k, v in backtested["candidate"].items()} == got.to_dict()
    assert got[("PROMO", "continuous")] == {ENSEMBLE} and got[("ONE_SKU", "continuous")] == {"Naive"}
    assert not bt["segment"].isin(["inactive", "new"]).any()
    for (family, segment), rows in bt.groupby(["family", "segment"]):
        plan = backtested.loc[(family, segment)]
        lag = rows["ds"] - rows["cutoff"]
        assert set(lag) == set(range(1, plan["h"] + 1))
        assert rows.groupby("unique_id")["cutoff"].nunique().eq(plan["n_windows"]).all()
        assert (rows.groupby("unique_id").size() == plan["n_windows"] * plan["h"]).all()
    assert (bt.loc[bt["segment"] == "continuous", "cutoff"].nunique()) > 1
    # y is the actual demand of the period
    hist = _history().rename(columns={"master_sku": "unique_id", "period_seq": "ds"})
    actual = bt.merge(hist, on=["unique_id", "ds"], how="left")
    np.testing.assert_array_equal(actual["y"].to_numpy(), actual["demand_units"].to_numpy())

    # forecast = the cv column of the selected method, as select_methods returns it
    panel = to_panel(_history())
    panel = panel.merge(classify_demand(panel, last_ds=int(panel["ds"].max()))[["unique_id", "segment"]],
                        on="unique_id")
    families = ["PROMO", "ONE_SKU", "INTERMITTENT"]
    sub = panel[panel["family"].isin(families)]
    selection, cv = select_methods(sub, horizon=12, n_windows=3, season_length=12, pins=PINS,
                                   promo_families=promo_families(panel, 0.10))
    keys = ["unique_id", "cutoff", "ds"]
    merged = bt[bt["family"].isin(families)].merge(cv, on=keys, how="left", suffixes=("", "_cv"))
    assert len(merged) == len(bt[bt["family"].isin(families)])
    for (family, segment, method), rows in merged.groupby(["family", "segment", "method"]):
        if method == ENSEMBLE:
            members = _selected(selection, family, segment)["members"].split("|")
            assert len(members) >= 2
            expected = np.median(rows[members].to_numpy(dtype=float), axis=1)
        else:
            expected = rows[method].to_numpy(dtype=float)
        np.testing.assert_allclose(rows["forecast"].to_numpy(), expected)


def test_selected_backtest_rules() -> None:
    cv = pd.DataFrame({
        "unique_id": ["a", "a", "b", "b", "c"], "family": ["F", "F", "F", "F", "G"],
        "segment": "continuous", "ds": [5, 6, 5, 6, 5], "cutoff": [4, 4, 4, 4, 4],
        "y": [1.0, 2.0, 3.0, 4.0, 5.0],
        "AutoETS": [1.0, 2.0, 3.0, 4.0, 9.0], "AutoTheta": [3.0, 3.0, 3.0, np.nan, 8.0],
        "Naive": [2.0, 10.0, 0.0, 1.0, 7.0],
    })
    base = {"segment": "continuous", "is_selected": True}
    selection = pd.DataFrame([
        {**base, "family": "F", "candidate": ENSEMBLE, "members": "AutoETS|AutoTheta|Naive"},
        {**base, "family": "G", "candidate": "MSTL", "members": ""},  # pinned, never backtested
        {**base, "family": "H", "candidate": "ZeroModel", "members": ""},  # no cv at all
        {**base, "family": "G", "candidate": "Naive", "members": "", "is_selected": False},
    ])
    bt = selected_backtest(selection, cv)
    assert dict(bt.dtypes.astype(str)) == BACKTEST_SCHEMA
    # median of the members; b/6 has a NaN member, so no forecast (left out, as in scoring)
    assert bt[["unique_id", "ds", "forecast"]].values.tolist() == [["a", 5, 2.0], ["a", 6, 3.0], ["b", 5, 3.0]]
    assert set(bt["method"]) == {ENSEMBLE}
    assert selected_backtest(selection, cv.iloc[0:0]).empty


def test_period_lengths_are_modelled_as_daily_rates() -> None:
    """4-4-5 periods: demand of 10 a day gives 280 and 350; with the lengths the forecast
    follows them (and the backtest is in units), without them it averages them out."""
    t = np.arange(1, T + 1)
    days = pd.DataFrame({"period_seq": np.arange(1, T + 13), "n_days": np.where(np.arange(1, T + 13) % 3 == 0, 35, 28)})
    rng = np.random.default_rng(5)
    y = np.round(days["n_days"].to_numpy()[:T] * 10 * rng.gamma(400, 1 / 400, T))
    history = pd.DataFrame({"master_sku": "X", "master_family": "F", "period_seq": t, "demand_units": y,
                            "promo_units": 0.0})
    pins = pd.DataFrame({"family": ["F"], "method": ["AutoETS"], "reason": ["test"]})
    out = run_forecasting(history, horizon=6, n_windows=2, pins=pins, period_days=days)
    fc = out["forecast"].set_index("ds")["forecast"]
    n = days.set_index("period_seq")["n_days"]
    np.testing.assert_allclose(fc / n.loc[fc.index], 10.0, rtol=0.05)
    assert fc.loc[[d for d in fc.index if d % 3 == 0]].min() > 1.2 * fc.loc[[d for d in fc.index if d % 3]].max()
    bt = out["backtest"]
    assert len(bt) > 0
    np.testing.assert_allclose(bt["y"], bt["ds"].map(history.set_index("period_seq")["demand_units"]), rtol=1e-9)
    with pytest.raises(ValueError, match="period_days"):
        run_forecasting(history, horizon=6, n_windows=2, pins=pins, period_days=days[days["period_seq"] < T])


def test_zero_collapse_falls_back_to_a_level_method() -> None:
    """A selected method that forecasts zero for a SKU that sold in its last periods (here
    Naive after one zero period) is replaced by the mean of the last periods, labelled, and
    the selection table says so; a SKU that forecasts above zero is left alone."""
    from sop_analytics.forecasting.forecast import FALLBACK_PREFIX, forecast_selected, zero_collapse_fallback

    t = np.arange(1, 25)
    panel = pd.DataFrame({
        "unique_id": ["A"] * 24 + ["B"] * 24, "family": "F", "segment": "continuous",
        "ds": np.concatenate([t, t]),
        "y": np.concatenate([np.r_[np.full(22, 30.0), 30.0, 0.0], np.full(24, 10.0)]),
    })
    selection = pd.DataFrame({"family": ["F"], "segment": ["continuous"], "candidate": ["Naive"],
                              "members": [""], "is_selected": [True]})
    plain = forecast_selected(panel, selection, horizon=6, season_length=12)
    assert plain.loc[plain["unique_id"] == "A", "forecast"].eq(0).all()  # the collapse
    fixed, fallbacks = zero_collapse_fallback(panel, plain, window=12)
    a = fixed[fixed["unique_id"] == "A"]
    assert list(fallbacks["unique_id"]) == ["A"] and list(fallbacks["replaced_method"]) == ["Naive"]
    assert np.allclose(a["forecast"], panel[panel["unique_id"] == "A"]["y"].tail(12).mean())
    assert (a["method"] == FALLBACK_PREFIX + "Naive]").all()
    assert (a["hi_80"] > a["lo_80"]).all()  # a band, not zero width
    pd.testing.assert_frame_equal(fixed[fixed["unique_id"] == "B"].reset_index(drop=True),
                                  plain[plain["unique_id"] == "B"].reset_index(drop=True))

    # through the pipeline: a planner's Naive pin collapses A, the fallback shows in the selection table
    history = panel.rename(columns={"unique_id": "master_sku", "family": "master_family",
                                    "ds": "period_seq", "y": "demand_units"}).assign(promo_units=0.0)
    pins = pd.DataFrame({"family": ["F"], "method": ["Naive"], "reason": ["test"]})
    out = run_forecasting(history.drop(columns="segment"), horizon=6, n_windows=2, pins=pins)
    assert out["forecast"].loc[out["forecast"]["unique_id"] == "A", "forecast"].gt(0).all()
    reason = out["selection"].loc[out["selection"]["is_selected"], "selection_reason"].str.cat()
    assert "zero-collapse fallback: 1 SKU" in reason


def test_no_member_twice_in_an_ensemble() -> None:
    """On a series shorter than two seasons MSTL is fitted as non-seasonal AutoETS: an
    Ensemble of AutoETS, AutoTheta and MSTL must not list (or weigh) AutoETS twice."""
    from sop_analytics.forecasting.forecast import forecast_selected

    rng = np.random.default_rng(0)
    panel = pd.DataFrame({"unique_id": "A", "family": "F", "segment": "continuous", "ds": np.arange(1, 19),
                          "y": np.round(rng.normal(40, 5, 18))})
    selection = pd.DataFrame({"family": ["F"], "segment": ["continuous"], "candidate": [ENSEMBLE],
                              "members": ["AutoETS|AutoTheta|MSTL"], "is_selected": [True]})
    fc = forecast_selected(panel, selection, horizon=4, season_length=12)
    [label] = fc["method"].unique()
    members = label.removeprefix(f"{ENSEMBLE}(").removesuffix(")").split("+")
    assert len(members) == len(set(members)) == 2, label
    single = {m: forecast_selected(panel, selection.assign(candidate=m, members=""), horizon=4, season_length=12)
              for m in ("AutoETS", "AutoTheta")}
    # the median of two members is their mean: each counted once
    expected = (single["AutoETS"]["forecast"].to_numpy() + single["AutoTheta"]["forecast"].to_numpy()) / 2
    assert np.allclose(fc["forecast"].to_numpy(), expected)


def test_shipment_only_history_uses_the_promotion_calendar() -> None:
    """Shipment-only landings carry no promoted units: a family is still promotion-driven
    when the promotion calendar covers its demand, and PromoLift becomes its candidate."""
    hist = _history()
    promo = hist[hist["master_family"] == "PROMO"]
    calendar = promo.loc[promo["promo_units"] > 0, ["master_sku", "period_seq"]].assign(promo_coverage=1.0)
    shipment_only = hist.assign(promo_units=0.0)
    assert promo_families(to_panel(shipment_only), 0.10) == []  # no flag, no calendar: nothing
    assert promo_families(to_panel(shipment_only, calendar), 0.10) == ["PROMO"]
    out = run_forecasting(shipment_only[shipment_only["master_family"].isin(["PROMO", "SMOOTH"])],
                          horizon=12, n_windows=3, pins=None, promo_calendar=calendar)
    candidates = out["selection"].groupby("family")["candidate"].agg(set)
    assert "PromoLift" in candidates["PROMO"] and "PromoLift" not in candidates["SMOOTH"]


def test_conformal_intervals_follow_the_backtest_errors() -> None:
    """Bands come from the selected method's own backtest errors, scaled to each SKU: a
    method that under-forecast in every window gets a band above its forecast, a SKU ten
    times larger gets a band ten times wider, and a segment without enough errors keeps
    its model intervals."""
    from sop_analytics.forecasting.forecast import conformal_intervals

    rng = np.random.default_rng(0)
    panel = pd.concat([
        pd.DataFrame({"unique_id": uid, "family": fam, "segment": "continuous", "ds": np.arange(1, 25),
                      "y": float(level)})
        for uid, fam, level in [("A", "F", 10), ("B", "F", 100), ("C", "G", 10)]
    ], ignore_index=True)
    # family F: 60 backtest errors, actual always 10-30 % above the forecast; G: only 5
    rows = []
    for uid, fam, level, n in [("A", "F", 10.0, 30), ("B", "F", 100.0, 30), ("C", "G", 10.0, 5)]:
        for i in range(n):
            f = level
            rows.append({"unique_id": uid, "family": fam, "segment": "continuous", "cutoff": 12, "ds": 13 + i % 12,
                         "y": f * (1.1 + 0.2 * rng.random()), "forecast": f, "method": "AutoETS"})
    backtest = pd.DataFrame(rows)
    forecast = pd.DataFrame({"unique_id": np.repeat(["A", "B", "C"], 3), "ds": np.tile([25, 26, 27], 3),
                             "forecast": np.repeat([10.0, 100.0, 10.0], 3), "lo_80": 5.0, "hi_80": 15.0,
                             "lo_95": 1.0, "hi_95": 20.0, "method": "AutoETS"})
    out, used = conformal_intervals(panel, forecast, backtest, min_samples=50)
    assert used[["family", "n_errors"]].values.tolist() == [["F", 60]]
    a, b, c = (out[out["unique_id"] == u] for u in "ABC")
    # the band lies above the forecast (its lower end is held at the forecast by the ordering)
    assert (a["lo_80"] == a["forecast"]).all() and (a["hi_80"] > 10.0 * 1.1).all()
    assert (a["hi_95"] <= 10.0 * 1.3 + 1e-9).all()
    np.testing.assert_allclose(b["hi_80"] - b["forecast"], 10 * (a["hi_80"] - a["forecast"]).to_numpy())
    assert (c[["lo_80", "hi_80", "lo_95", "hi_95"]].to_numpy() == [5.0, 15.0, 1.0, 20.0]).all()


def test_pipeline_says_which_intervals_are_conformal(result) -> None:
    sel = result["selection"]
    reasons = sel.loc[sel["is_selected"], ["family", "segment", "selection_reason"]]
    conformal = reasons[reasons["selection_reason"].str.contains("intervals: conformal")]
    assert ("SMOOTH", "continuous") in set(zip(conformal["family"], conformal["segment"]))
    assert not reasons.loc[reasons["segment"] == "inactive", "selection_reason"].str.contains("conformal").any()


def test_a_lead_within_noise_gives_way_to_the_ensemble() -> None:
    """A single method ahead of the median Ensemble by less than one standard error of its
    own score is not trusted: the Ensemble is selected and the reason says so. A clear lead
    keeps the winner."""
    from sop_analytics.forecasting.selection import BacktestPlan, _rank_rows

    plan = BacktestPlan(12, 3, 3, True, 30, 10, "")
    base = {"family": "F", "segment": "continuous", "forecast_level": "sku", "n_series_total": 10}
    members = {ENSEMBLE: ["AutoETS", "AutoTheta"], "EnsembleML": []}

    def scores(ens: float) -> pd.DataFrame:
        return pd.DataFrame({"family": "F", "segment": "continuous", "candidate": ["AutoETS", "AutoTheta", ENSEMBLE, "Naive"],
                             "metric": "rmsse", "score": [1.00, 1.08, ens, 1.3], "score_se": [0.05, 0.05, 0.05, 0.05],
                             "score_promoted": np.nan, "bias_pct": 0.0, "wape": 0.5, "mase": 1.0, "n_series": 10,
                             "n_promoted_series": 0})

    near = pd.DataFrame(_rank_rows(base, scores(1.04), plan, members, False))
    won = near[near["is_selected"]].iloc[0]
    assert won["candidate"] == ENSEMBLE and won["rank"] == 1
    assert "within the noise" in won["selection_reason"] and "AutoETS" in won["selection_reason"]
    far = pd.DataFrame(_rank_rows(base, scores(1.06), plan, members, False))
    assert far.loc[far["is_selected"], "candidate"].iloc[0] == "AutoETS"
    off = pd.DataFrame(_rank_rows(base, scores(1.04), plan, members, False, noise_fallback=False))
    assert off.loc[off["is_selected"], "candidate"].iloc[0] == "AutoETS"
    # a PromoLift winner is kept: the median with members blind to the promotion calendar
    # would flatten the planned promotions
    promo = scores(1.04).assign(candidate=["PromoLift", "AutoTheta", ENSEMBLE, "Naive"])
    kept = pd.DataFrame(_rank_rows(base, promo, plan, {ENSEMBLE: ["PromoLift", "AutoTheta"], "EnsembleML": []}, True))
    assert kept.loc[kept["is_selected"], "candidate"].iloc[0] == "PromoLift"


def test_a_backtest_cap_samples_the_backtest_and_forecasts_every_sku() -> None:
    """``max_backtest_series`` (var forecast_max_backtest_series) backtests a seeded sample
    of a large family segment: the selection says how many of how many were scored, only
    those have backtest rows, and every SKU still gets a forecast from the chosen method."""
    smooth = _history()
    smooth = smooth[smooth["master_family"] == "SMOOTH"]
    copies = pd.concat([smooth.assign(master_sku=smooth["master_sku"] + f"_{k}") for k in range(4)],
                       ignore_index=True)  # 24 SKUs of one continuous segment
    capped = run_forecasting(copies, horizon=6, n_windows=2, pins=None, max_backtest_series=5, ml=False)
    sel = capped["selection"]
    scored = sel[(sel["segment"] == "continuous") & sel["is_selected"]]
    assert (scored["n_series"] == 5).all() and (scored["n_series_total"] == 24).all()
    assert capped["backtest"]["unique_id"].nunique() == 5
    assert capped["forecast"]["unique_id"].nunique() == 24
    again = run_forecasting(copies, horizon=6, n_windows=2, pins=None, max_backtest_series=5, ml=False)
    assert set(capped["backtest"]["unique_id"]) == set(again["backtest"]["unique_id"])  # seeded, not random
    full = run_forecasting(copies, horizon=6, n_windows=2, pins=None, ml=False)
    assert full["backtest"]["unique_id"].nunique() == 24
