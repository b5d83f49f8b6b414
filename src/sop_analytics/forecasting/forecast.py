"""Fit the selected method per family segment and forecast with 80 % and 95 % intervals.

Intervals: statsforecast's native intervals where the model has them (AutoETS, AutoTheta,
MSTL, Naive, SeasonalNaive, HistoricAverage, ZeroModel); conformal intervals
(``ConformalIntervals(h=horizon, n_windows=4)``, passed as ``prediction_intervals=``; statsforecast uses ``min(4, (n - 1) // horizon)`` windows per series) for
the intermittent methods and WindowAverage, which have none. Conformal calibration needs
``2 * horizon + 1`` periods; on shorter series the intervals are the empirical quantiles of
the series' own per-period demand (10/90 % and 2.5/97.5 %), the honest fallback for a
handful of observations. An Ensemble takes the median of its members' point forecasts and
of each interval bound.

The pipeline then replaces the intervals of every backtested family segment by
split-conformal ones from the selected method's own backtest errors
(:func:`conformal_intervals`), which were better calibrated on the real-data benchmark
(BENCHMARKS.md: 95 % coverage 90 -> 94 % on car parts, 84 -> 89 % on Online Retail). The
global ML model has no native intervals: it gets the empirical ones until then.

Every output is clipped at zero and ordered ``lo_95 <= lo_80 <= forecast <= hi_80 <= hi_95``.
Deterministic: inputs are sorted and no model draws random numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import Naive
from statsforecast.utils import ConformalIntervals

from sop_analytics.forecasting.candidates import (
    CONFORMAL_ONLY,
    ENSEMBLES,
    GLOBAL_ML,
    NONSEASONAL_SUFFIX,
    effective_method,
    make_model,
)

__all__ = ["FALLBACK_PREFIX", "FORECAST_SCHEMA", "forecast_selected", "order_and_clip", "zero_collapse_fallback"]

FORECAST_SCHEMA: dict[str, str] = {
    "unique_id": "object",
    "ds": "int64",
    "forecast": "float64",
    "lo_80": "float64",
    "hi_80": "float64",
    "lo_95": "float64",
    "hi_95": "float64",
    "method": "object",
}
_VALUES = ["forecast", "lo_80", "hi_80", "lo_95", "hi_95"]
# method label of a forecast replaced by the zero-collapse fallback: "<prefix><method>)"
FALLBACK_PREFIX = "WindowAverage[fallback: zero forecast from "


def empty_forecast() -> pd.DataFrame:
    """An empty forecast frame with the columns and dtypes of ``FORECAST_SCHEMA``."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in FORECAST_SCHEMA.items()})


def order_and_clip(fc: pd.DataFrame) -> pd.DataFrame:
    """Clip at zero and enforce ``lo_95 <= lo_80 <= forecast <= hi_80 <= hi_95``."""
    out = fc.copy()
    f = np.clip(out["forecast"].to_numpy(dtype=float), 0, None)
    lo80 = np.clip(np.minimum(out["lo_80"].to_numpy(dtype=float), f), 0, None)
    lo95 = np.clip(np.minimum(out["lo_95"].to_numpy(dtype=float), lo80), 0, None)
    hi80 = np.maximum(out["hi_80"].to_numpy(dtype=float), f)
    hi95 = np.maximum(out["hi_95"].to_numpy(dtype=float), hi80)
    out["forecast"], out["lo_80"], out["lo_95"], out["hi_80"], out["hi_95"] = f, lo80, lo95, hi80, hi95
    return out


def _future_promo_share(panel: pd.DataFrame, horizon: int, future_promo: pd.DataFrame | None) -> pd.DataFrame:
    """The regressor over the horizon: ``future_promo`` rows (``unique_id, ds, promo_share``)
    for the ``horizon`` periods after each series' last one, 0 where no promotion is planned
    (or no promotion calendar was given)."""
    last = panel.groupby("unique_id")["ds"].max()
    rows = pd.DataFrame({
        "unique_id": np.repeat(last.index.to_numpy(), horizon),
        "ds": (last.to_numpy()[:, None] + np.arange(1, horizon + 1)).ravel(),
    })
    if future_promo is None or future_promo.empty:
        return rows.assign(promo_share=0.0)
    plan = future_promo[["unique_id", "ds", "promo_share"]].drop_duplicates(["unique_id", "ds"])
    rows = rows.merge(plan, on=["unique_id", "ds"], how="left")
    rows["promo_share"] = rows["promo_share"].astype(float).fillna(0.0).clip(0.0, 1.0)
    return rows[["unique_id", "ds", "promo_share"]]


def _fit_group(
    df: pd.DataFrame, method: str, horizon: int, season_length: int, levels: Sequence[int],
    n_jobs: int, future_promo: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Forecast one group of series with one effective method; returns the value columns."""
    base = method.removesuffix(NONSEASONAL_SUFFIX)
    n_obs = df.groupby("unique_id").size()
    conformal = base in CONFORMAL_ONLY
    parts = []
    # conformal intervals need 2 * horizon + 1 points; shorter series get none here
    long_ids = n_obs.index[n_obs >= 2 * horizon + 1] if conformal else n_obs.index
    short_ids = n_obs.index.difference(long_ids)
    for ids, with_level in ((long_ids, True), (short_ids, False)):
        if len(ids) == 0:
            continue
        sub = df[df["unique_id"].isin(ids)]
        pi = ConformalIntervals(h=horizon, n_windows=4) if conformal and with_level else None
        model = make_model(method, season_length=season_length, prediction_intervals=pi)
        uses_exog = getattr(model, "uses_exog", False)
        cols = ["unique_id", "ds", "y"] + (["promo_share"] if uses_exog else [])
        x_df = _future_promo_share(sub, horizon, future_promo) if uses_exog else None
        sf = StatsForecast(models=[model], freq=1, n_jobs=n_jobs, fallback_model=Naive())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sf.forecast(df=sub[cols], h=horizon, X_df=x_df,
                              level=list(levels) if with_level else None)
        res = res.reset_index(drop=True) if "unique_id" in res.columns else res.reset_index()
        out = pd.DataFrame({"unique_id": res["unique_id"], "ds": res["ds"], "forecast": res[method]})
        for lv in (80, 95):
            out[f"lo_{lv}"] = res.get(f"{method}-lo-{lv}", np.nan)
            out[f"hi_{lv}"] = res.get(f"{method}-hi-{lv}", np.nan)
        parts.append(out)
    return pd.concat(parts, ignore_index=True)


def _fit_global(
    panel: pd.DataFrame, series: pd.DataFrame, ids: pd.Series, horizon: int, season_length: int,
    future_promo: pd.DataFrame | None, period_days: pd.Series | None,
) -> pd.DataFrame:
    """The global model per family segment: trained on all its series, forecasting ``ids``.
    No native intervals (filled in like the other models without any)."""
    from sop_analytics.forecasting.ml import global_ml_forecast

    wanted = series[series["unique_id"].isin(set(ids))]
    parts = []
    for (family, segment), grp in wanted.groupby(["family", "segment"], sort=True):
        train = panel[(panel["family"] == family) & (panel["segment"] == segment)]
        fc = global_ml_forecast(train, grp["unique_id"].tolist(), horizon=horizon, season_length=season_length,
                                future_promo=future_promo, days=period_days)
        parts.append(pd.DataFrame({"unique_id": fc["unique_id"], "ds": fc["ds"].astype("int64"),
                                   "forecast": fc[GLOBAL_ML], "lo_80": np.nan, "hi_80": np.nan,
                                   "lo_95": np.nan, "hi_95": np.nan}))
    return pd.concat(parts, ignore_index=True)


def _empirical_intervals(panel: pd.DataFrame) -> pd.DataFrame:
    """Per-series quantiles of the observed per-period demand (10, 90, 2.5, 97.5 %)."""
    q = panel.groupby("unique_id")["y"].quantile([0.10, 0.90, 0.025, 0.975]).unstack()
    q.columns = ["lo_80", "hi_80", "lo_95", "hi_95"]
    return q.reset_index()


def forecast_selected(
    panel: pd.DataFrame,
    selection: pd.DataFrame,
    *,
    horizon: int = 12,
    season_length: int = 12,
    levels: Sequence[int] = (80, 95),
    n_jobs: int = 1,
    future_promo: pd.DataFrame | None = None,
    period_days: pd.Series | None = None,
) -> pd.DataFrame:
    """Forecast every series of ``panel`` with its family segment's selected method.

    The global ML model (``GlobalLGBM``, alone or in ``EnsembleML``) is fitted on every
    series of the family segment and forecasts those that selected it; ``period_days``
    (``ds -> n_days``) gives it the length of the horizon periods.

    ``panel``: ``unique_id, family, segment, ds, y`` (+ ``promo_share`` for PromoLift);
    ``future_promo``: the regressor over the horizon (``unique_id, ds, promo_share``, from
    the promotion calendar), 0 where absent;
    ``selection``: the table of :func:`selection.select_methods` (rows with
    ``is_selected``). Series whose family segment has no selected row get Naive. Seasonal
    methods fall back to their non-seasonal form on series shorter than two seasons
    (:func:`candidates.effective_method`); ``method`` reports what was actually fitted.
    Returns ``FORECAST_SCHEMA`` columns, ``horizon`` rows per series, sorted.
    """
    if panel.empty:
        return empty_forecast()
    panel = panel.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
    if "promo_share" not in panel.columns:
        panel = panel.assign(promo_share=0.0)
    chosen = selection.loc[selection["is_selected"], ["family", "segment", "candidate", "members"]]
    series = panel.groupby("unique_id", sort=True).agg(
        family=("family", "first"), segment=("segment", "first"), n_obs=("y", "size")
    ).reset_index()
    series = series.merge(chosen, on=["family", "segment"], how="left")
    series["candidate"] = series["candidate"].fillna("Naive")
    series["members"] = series["members"].fillna("")

    jobs = []  # (unique_id, effective method, label)
    for r in series.itertuples(index=False):
        if r.candidate in ENSEMBLES:
            # one fit per distinct effective method: on a short series MSTL is fitted as
            # non-seasonal AutoETS, which may already be a member, and the median of
            # (a, b, a) would weigh it twice
            members = list(dict.fromkeys(effective_method(m, r.n_obs, season_length) for m in r.members.split("|")))
            label = f"{r.candidate}({'+'.join(members)})"
            jobs.extend((r.unique_id, m, label) for m in members)
        else:
            m = effective_method(r.candidate, r.n_obs, season_length)
            jobs.append((r.unique_id, m, m))
    jobs_df = pd.DataFrame(jobs, columns=["unique_id", "fit_method", "method"])

    parts = []
    for method, grp in jobs_df.groupby("fit_method", sort=True):
        if method == GLOBAL_ML:
            fc = _fit_global(panel, series, grp["unique_id"], horizon, season_length, future_promo, period_days)
            fc["fit_method"] = method
            parts.append(fc)
            continue
        sub = panel[panel["unique_id"].isin(grp["unique_id"])]
        fc = _fit_group(sub, method, horizon, season_length, levels, n_jobs, future_promo)
        fc["fit_method"] = method
        parts.append(fc)
    fc = pd.concat(parts, ignore_index=True).merge(jobs_df, on=["unique_id", "fit_method"])
    # ensembles: median over members of each value column (single models: identity)
    fc = fc.groupby(["unique_id", "ds", "method"], sort=True)[_VALUES].median().reset_index()

    missing = fc[["lo_80", "hi_80", "lo_95", "hi_95"]].isna().any(axis=1)
    if missing.any():
        emp = _empirical_intervals(panel[panel["unique_id"].isin(fc.loc[missing, "unique_id"])])
        filled = fc.loc[missing, ["unique_id"]].merge(emp, on="unique_id", how="left")
        for c in ["lo_80", "hi_80", "lo_95", "hi_95"]:
            fc.loc[missing, c] = fc.loc[missing, c].fillna(pd.Series(filled[c].to_numpy(), index=fc.index[missing]))
    fc["forecast"] = fc["forecast"].fillna(0.0)
    fc = order_and_clip(fc)
    fc = fc[list(FORECAST_SCHEMA)].astype(FORECAST_SCHEMA)
    return fc.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)


def zero_collapse_fallback(
    panel: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    recent: int = 3,
    window: int = 12,
    keep_methods: Sequence[str] = ("ZeroModel",),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace a forecast that collapsed to zero while the series still sells.

    A series whose forecast is zero over the whole horizon although it had demand in its
    last ``recent`` periods (a trended model extrapolated below zero and was clipped, a
    seasonal naive repeated last year's zeros after a restart) gets a level forecast
    instead: the mean of its last ``window`` periods (``WindowAverage``), with the
    empirical 10/90 % and 2.5/97.5 % quantiles of those periods as intervals. Its method
    reads ``WindowAverage[fallback: zero forecast from <method>]``. Series forecast by a
    method in ``keep_methods`` (the inactive policy's ZeroModel) are left alone.

    Returns ``(forecast, fallbacks)``: the forecast with the replaced rows, and one row per
    replaced series (``unique_id, replaced_method``).
    """
    none = pd.DataFrame({"unique_id": pd.Series(dtype="object"), "replaced_method": pd.Series(dtype="object")})
    if forecast.empty or panel.empty:
        return forecast, none
    total = forecast.groupby("unique_id", sort=True)["forecast"].sum()
    method = forecast.groupby("unique_id", sort=True)["method"].first()
    ordered = panel.sort_values(["unique_id", "ds"], kind="mergesort")
    recent_sum = ordered.groupby("unique_id", sort=True).tail(recent).groupby("unique_id")["y"].sum()
    hit = total.index[(total <= 0) & (recent_sum.reindex(total.index).fillna(0) > 0)
                      & ~method.reindex(total.index).isin(list(keep_methods))]
    if len(hit) == 0:
        return forecast, none
    tail = ordered[ordered["unique_id"].isin(hit)].groupby("unique_id", sort=True).tail(window)
    level = tail.groupby("unique_id")["y"].mean()
    bands = _empirical_intervals(tail).set_index("unique_id")
    out = forecast.copy()
    rows = out["unique_id"].isin(hit)
    ids = out.loc[rows, "unique_id"]
    out.loc[rows, "forecast"] = ids.map(level).to_numpy(dtype=float)
    for c in ("lo_80", "hi_80", "lo_95", "hi_95"):
        out.loc[rows, c] = ids.map(bands[c]).to_numpy(dtype=float)
    out.loc[rows, "method"] = [f"{FALLBACK_PREFIX}{m}]" for m in ids.map(method)]
    fallbacks = pd.DataFrame({"unique_id": list(hit), "replaced_method": method.reindex(hit).to_list()})
    out = order_and_clip(out)[list(FORECAST_SCHEMA)].astype(FORECAST_SCHEMA)
    return out, fallbacks.astype({"unique_id": "object", "replaced_method": "object"})


def conformal_intervals(
    panel: pd.DataFrame,
    forecast: pd.DataFrame,
    backtest: pd.DataFrame,
    *,
    min_samples: int = 50,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """80 % and 95 % intervals from the selected method's own backtest errors (split conformal).

    Per family segment, the backtest errors ``e = (y - forecast) / scale`` of the selected
    method (``backtest``: :func:`pipeline.selected_backtest`; ``scale`` = the series' mean
    demand, so SKUs of any size share one distribution) give the empirical quantiles
    10/90 % and 2.5/97.5 % for each horizon step (``ds - cutoff``) with at least
    ``min_samples`` errors, else over all steps of the family segment. Each forecast of the
    segment gets ``forecast + scale * quantile`` as its bounds (then clipped at zero and
    ordered). Signed, not absolute, errors: a method that over-forecasts intermittent
    demand gets a band reaching down to zero, not a symmetric one. Segments with fewer
    than ``min_samples`` errors keep their model intervals.

    Returns ``(forecast, used)``: the forecast with new bounds, and ``family, segment,
    n_errors`` per family segment calibrated this way.
    """
    used_cols = {"family": "object", "segment": "object", "n_errors": "int64"}
    none = pd.DataFrame({c: pd.Series(dtype=t) for c, t in used_cols.items()})
    if forecast.empty or backtest.empty:
        return forecast, none
    scale = panel.groupby("unique_id", sort=True)["y"].mean()
    scale = scale[scale > 0]
    bt = backtest[backtest["unique_id"].isin(scale.index)]
    if bt.empty:
        return forecast, none
    err = (bt["y"].to_numpy(dtype=float) - bt["forecast"].to_numpy(dtype=float)) / bt["unique_id"].map(scale).to_numpy()
    bt = pd.DataFrame({"family": bt["family"].to_numpy(), "segment": bt["segment"].to_numpy(),
                       "step": (bt["ds"] - bt["cutoff"]).to_numpy(dtype="int64"), "e": err})
    probs = {"lo_95": 0.025, "lo_80": 0.10, "hi_80": 0.90, "hi_95": 0.975}
    seg = panel[["unique_id", "family", "segment"]].drop_duplicates("unique_id")
    last = panel.groupby("unique_id", sort=True)["ds"].max()
    out = forecast.merge(seg, on="unique_id", how="left")
    out["step"] = (out["ds"] - out["unique_id"].map(last)).astype("int64")
    out["scale"] = out["unique_id"].map(scale)
    used = []
    for (family, segment), grp in bt.groupby(["family", "segment"], sort=True):
        if len(grp) < min_samples:
            continue
        pooled = {k: float(np.quantile(grp["e"], p)) for k, p in probs.items()}
        by_step = {s: {k: float(np.quantile(g["e"], p)) for k, p in probs.items()}
                   for s, g in grp.groupby("step") if len(g) >= min_samples}
        rows = (out["family"] == family) & (out["segment"] == segment) & out["scale"].notna()
        rows &= ~out["method"].isin(["ZeroModel"])
        if not rows.any():
            continue
        steps = out.loc[rows, "step"]
        for k in probs:
            q = steps.map(lambda s, k=k: by_step.get(s, pooled)[k]).to_numpy(dtype=float)
            out.loc[rows, k] = out.loc[rows, "forecast"].to_numpy(dtype=float) + out.loc[rows, "scale"].to_numpy() * q
        used.append({"family": family, "segment": segment, "n_errors": int(len(grp))})
    out = order_and_clip(out)[list(FORECAST_SCHEMA)].astype(FORECAST_SCHEMA)
    return out, pd.DataFrame(used, columns=list(used_cols)).astype(used_cols)
