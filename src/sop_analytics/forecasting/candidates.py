"""Candidate forecasting methods per demand segment, and the model factory.

Not every model runs on every SKU: each segment (see
:func:`sop_analytics.forecasting.classification.segment_of_class`) gets the few methods that
suit its demand pattern, chosen with their cost in mind (one core, 1,000 monthly series:
AutoETS(12) ~30-60 s, AutoTheta ~5-10 s, MSTL ~9 s, AutoARIMA ~300-600 s, the four
intermittent methods together ~0.1 s):

============  ==============================================================  =============
segment       candidates                                                      yardsticks
============  ==============================================================  =============
continuous    AutoETS, AutoTheta, MSTL (season_length; non-seasonal AutoETS   Naive,
              and AutoTheta when the history is under two seasons),           SeasonalNaive
              PromoLift in promotion-driven families
intermittent  CrostonSBA, TSB(alpha_d=0.1, alpha_p=0.1), ADIDA, IMAPA         Naive,
                                                                              SeasonalNaive
new           HistoricAverage, WindowAverage(3)                               Naive
inactive      ZeroModel (policy, no backtest)                                 -
============  ==============================================================  =============

Family segments with at least 20 backtestable series also get ``GlobalLGBM``, one
LightGBM model (mlforecast) trained across the segment's SKUs (:mod:`ml`), in the
continuous, intermittent and new segments. An ``Ensemble`` (median of the best two or three
non-yardstick candidates of a family segment by backtest) and an ``EnsembleML`` (mean of
the best statistical candidate and GlobalLGBM) compete as well; they are built in
:mod:`selection`, not here. AutoARIMA is left
out on cost: at ~0.3-0.6 s a series it alone would exceed the 10k-SKU budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from statsforecast.models import (
    ADIDA,
    IMAPA,
    MSTL,
    TSB,
    AutoETS,
    AutoTheta,
    CrostonSBA,
    HistoricAverage,
    Naive,
    SeasonalNaive,
    WindowAverage,
    ZeroModel,
)
from statsforecast.utils import ConformalIntervals

__all__ = [
    "CONFORMAL_ONLY",
    "ENSEMBLE",
    "ENSEMBLE_ML",
    "ENSEMBLES",
    "GLOBAL_ML",
    "METHODS",
    "REGISTRY",
    "SEASONAL_METHODS",
    "TIE_ORDER",
    "YARDSTICKS",
    "Method",
    "PromoLift",
    "candidate_methods",
    "effective_method",
    "make_model",
    "min_train_length",
    "top_down_split",
]

ENSEMBLE = "Ensemble"
# median (= mean) of the best statistical candidate and the global ML model of a family segment
ENSEMBLE_ML = "EnsembleML"
ENSEMBLES: tuple[str, ...] = (ENSEMBLE, ENSEMBLE_ML)
# global LightGBM across the SKUs of a family segment (sop_analytics.forecasting.ml)
GLOBAL_ML = "GlobalLGBM"
NONSEASONAL_SUFFIX = "[nonseasonal]"
SEGMENTS: tuple[str, ...] = ("continuous", "intermittent", "new", "inactive")


@dataclass(frozen=True)
class Method:
    """One forecasting method: everything the backtest, the selection and the fit need to
    know of it. A new method is one entry of ``REGISTRY``.

    - ``build(season_length, intervals, alias)`` makes the statsforecast model (``None``
      for a global model fitted outside statsforecast);
    - ``segments``: the demand segments it is a candidate (or yardstick) of;
    - ``simplicity``: exact score ties go to the lowest (simpler, cheaper first);
    - ``seasonal``: takes the season length, and runs in a non-seasonal form
      (``nonseasonal_form``, default ``<name>[nonseasonal]``) below two seasons of history;
    - ``needs_seasons``: a candidate only when the backtest windows hold two seasons;
    - ``promo_only``: a candidate only in promotion-driven families;
    - ``yardstick``: scored as a reference, listed after the candidates;
    - ``conformal_only``: no native distribution, intervals only from conformal calibration;
    - ``global_model``: a candidate only when the ML candidate is switched on.
    """

    name: str
    build: Callable[[int, ConformalIntervals | None, str], Any] | None
    segments: tuple[str, ...]
    simplicity: int
    seasonal: bool = False
    nonseasonal_form: str | None = None
    needs_seasons: bool = False
    promo_only: bool = False
    yardstick: bool = False
    conformal_only: bool = False
    global_model: bool = False


_STAT = ("continuous", "intermittent", "new")
# registry order is the order of backtest columns and of candidate lists
REGISTRY: tuple[Method, ...] = (
    Method("AutoETS", lambda sl, pi, alias: AutoETS(season_length=sl, alias=alias, prediction_intervals=pi),
           ("continuous",), 10, seasonal=True),
    Method("AutoTheta", lambda sl, pi, alias: AutoTheta(season_length=sl, alias=alias, prediction_intervals=pi),
           ("continuous",), 9, seasonal=True),
    Method("MSTL", lambda sl, pi, alias: MSTL(season_length=sl, alias=alias, prediction_intervals=pi),
           ("continuous",), 11, seasonal=True, nonseasonal_form="AutoETS" + NONSEASONAL_SUFFIX,
           needs_seasons=True),
    Method("PromoLift", lambda sl, pi, alias: PromoLift(season_length=sl, alias=alias),
           ("continuous",), 12, seasonal=True, promo_only=True),
    Method("CrostonSBA", lambda sl, pi, alias: CrostonSBA(alias=alias, prediction_intervals=pi),
           ("intermittent",), 5, conformal_only=True),
    Method("TSB", lambda sl, pi, alias: TSB(alpha_d=0.1, alpha_p=0.1, alias=alias, prediction_intervals=pi),
           ("intermittent",), 6, conformal_only=True),
    Method("ADIDA", lambda sl, pi, alias: ADIDA(alias=alias, prediction_intervals=pi),
           ("intermittent",), 7, conformal_only=True),
    Method("IMAPA", lambda sl, pi, alias: IMAPA(alias=alias, prediction_intervals=pi),
           ("intermittent",), 8, conformal_only=True),
    Method("HistoricAverage", lambda sl, pi, alias: HistoricAverage(alias=alias, prediction_intervals=pi),
           ("new",), 3),
    Method("WindowAverage", lambda sl, pi, alias: WindowAverage(window_size=3, alias=alias, prediction_intervals=pi),
           ("new",), 4, conformal_only=True),
    Method("ZeroModel", lambda sl, pi, alias: ZeroModel(alias=alias), ("inactive",), 2),
    Method("Naive", lambda sl, pi, alias: Naive(alias=alias, prediction_intervals=pi), _STAT, 0, yardstick=True),
    Method("SeasonalNaive", lambda sl, pi, alias: SeasonalNaive(season_length=sl, alias=alias, prediction_intervals=pi),
           ("continuous", "intermittent"), 1, seasonal=True, nonseasonal_form="Naive", needs_seasons=True,
           yardstick=True),
    Method(GLOBAL_ML, None, _STAT, 13, global_model=True),
)
_BY_NAME = {m.name: m for m in REGISTRY}

METHODS: tuple[str, ...] = tuple(m.name for m in REGISTRY)
YARDSTICKS: tuple[str, ...] = tuple(m.name for m in REGISTRY if m.yardstick)
SEASONAL_METHODS: tuple[str, ...] = tuple(m.name for m in REGISTRY if m.seasonal)
# models whose intervals come only from conformal calibration (no native distribution)
CONFORMAL_ONLY: tuple[str, ...] = tuple(m.name for m in REGISTRY if m.conformal_only)
# order used to break exact ties: simpler / cheaper first, the ensembles last
TIE_ORDER: dict[str, int] = {
    name: i for i, name in enumerate(
        [m.name for m in sorted(REGISTRY, key=lambda m: m.simplicity)] + list(ENSEMBLES))
}


def min_train_length(segment: str, seasonal: bool, season_length: int) -> int:
    """Shortest training series a backtest window may have for the segment's candidates.

    Seasonal candidates get two and a half seasons (30 periods on monthly data): two
    seasons are the minimum to estimate a seasonal pattern, and with fewer than ~2.5
    AutoETS and AutoTheta choose non-seasonal forms by AICc, so the backtest would score
    a different model from the one fitted on the full history. Intermittent methods need
    one season to see a few demands; new items need three periods.
    """
    if segment == "new":
        return 3
    if segment == "intermittent":
        return season_length if seasonal else 6
    return 2 * season_length + season_length // 2 if seasonal else 6


def candidate_methods(segment: str, *, seasonal: bool, promo: bool = False, ml: bool = False) -> list[str]:
    """Candidate method names for a segment (yardsticks last), read from ``REGISTRY``.

    ``seasonal`` says whether the backtest windows have at least two seasons of training
    history; without it the methods that need two seasons (MSTL, SeasonalNaive) are left
    out and the other seasonal candidates run in their non-seasonal forms (see
    :func:`effective_method`). ``promo`` adds PromoLift to the continuous segment of
    promotion-driven families. ``ml`` adds the global LightGBM model (``GlobalLGBM``,
    :mod:`sop_analytics.forecasting.ml`) to the continuous, intermittent and new segments
    (the family segment needs several series to learn across).
    """
    if segment not in SEGMENTS:
        raise ValueError(f"unknown segment {segment!r}")
    fits = [m for m in REGISTRY if segment in m.segments and (seasonal or not m.needs_seasons)
            and (promo or not m.promo_only) and (ml or not m.global_model)]
    return ([m.name for m in fits if not m.yardstick and not m.global_model]
            + [m.name for m in fits if m.global_model] + [m.name for m in fits if m.yardstick])


def effective_method(method: str, n_obs: int, season_length: int) -> str:
    """The method actually fitted on a series of ``n_obs`` points.

    Seasonal methods need ``n_obs >= 2 * season_length``; below that AutoETS, AutoTheta and
    PromoLift run with ``season_length=1`` (named ``<method>[nonseasonal]``), MSTL becomes
    non-seasonal AutoETS and SeasonalNaive becomes Naive.
    """
    spec = _BY_NAME.get(method)
    if spec is None or not spec.seasonal or n_obs >= 2 * season_length or season_length <= 1:
        return method
    return spec.nonseasonal_form or method + NONSEASONAL_SUFFIX


def make_model(
    method: str,
    *,
    season_length: int,
    prediction_intervals: ConformalIntervals | None = None,
) -> Any:
    """A statsforecast model instance for a method name, aliased to that name.

    Accepts the names in ``METHODS`` and their ``[nonseasonal]`` forms. TSB uses
    ``alpha_d = alpha_p = 0.1``; WindowAverage uses the last 3 periods.
    """
    nonseasonal = method.endswith(NONSEASONAL_SUFFIX)
    base = method[: -len(NONSEASONAL_SUFFIX)] if nonseasonal else method
    spec = _BY_NAME.get(base)
    if spec is None:
        raise ValueError(f"unknown forecasting method {method!r}; known: {', '.join(METHODS)}")
    if spec.build is None:
        raise ValueError(f"{base} is a global model: fitted by sop_analytics.forecasting.ml, not statsforecast")
    return spec.build(1 if nonseasonal else season_length, prediction_intervals, method)


class PromoLift:
    """Seasonal model on de-promoted demand, re-lifted by the promotion uplift.

    Exogenous input: ``X[:, 0]`` = promo share ``s_t = promo_units_t / demand_units_t``.

    1. Local baseline ``r_t``: mean demand of the non-promoted periods (``s < 0.01``)
       within +/- 6 periods of ``t``.
    2. Uplift per unit of promo share, least squares through the origin over promoted
       periods: ``beta = sum_t s_t (y_t / r_t - 1) / sum_t s_t^2``, clipped to [0, 10].
    3. De-promoted demand ``d_t = y_t / (1 + beta s_t)``, forecast with AutoTheta
       (``season_length``).
    4. Re-lift: ``yhat_{T+k} = dhat_{T+k} (1 + beta s_{T+k})`` with the future promo share
       from ``X_future`` (zero when not given). Intervals are re-lifted the same way.

    Cost is AutoTheta's plus a convolution. It exists so the backtest can tell whether
    modelling promotions helps on promoted SKUs; it competes like any other candidate.
    """

    uses_exog = True

    def __init__(self, season_length: int, alias: str = "PromoLift", window: int = 6):
        self.season_length = season_length
        self.alias = alias
        self.window = window
        self.prediction_intervals = None

    def __repr__(self) -> str:
        return self.alias

    def new(self) -> PromoLift:
        return PromoLift(self.season_length, self.alias, self.window)

    def uplift(self, y: np.ndarray, share: np.ndarray) -> float:
        """``beta`` of step 2 (0.0 when there are no promoted or too few plain periods)."""
        plain = share < 0.01
        if plain.sum() < 3 or (~plain).sum() < 1:
            return 0.0
        kernel = np.ones(2 * self.window + 1)
        num = np.convolve(np.where(plain, y, 0.0), kernel, mode="same")
        den = np.convolve(plain.astype(float), kernel, mode="same")
        ref = np.divide(num, den, out=np.full_like(num, np.nan), where=den > 0)
        use = ~plain & np.isfinite(ref) & (ref > 0)
        if not use.any():
            return 0.0
        lift = y[use] / ref[use] - 1.0
        s = share[use]
        beta = float(np.sum(s * lift) / np.sum(s * s))
        return float(np.clip(beta, 0.0, 10.0))

    def forecast(
        self,
        y: np.ndarray,
        h: int,
        X: np.ndarray | None = None,
        X_future: np.ndarray | None = None,
        level: Sequence[int] | None = None,
        fitted: bool = False,
    ) -> dict[str, np.ndarray]:
        y = np.asarray(y, dtype=float)
        share = np.zeros_like(y) if X is None else np.clip(np.asarray(X, dtype=float)[:, 0], 0, 1)
        share_f = (
            np.zeros(h) if X_future is None else np.clip(np.asarray(X_future, dtype=float)[:, 0], 0, 1)
        )
        beta = self.uplift(y, share)
        depromoted = y / (1.0 + beta * share)
        sl = self.season_length if y.size >= 2 * self.season_length else 1
        base = AutoTheta(season_length=sl)
        res = base.forecast(y=depromoted, h=h, level=list(level) if level else None)
        lift = 1.0 + beta * share_f
        return {k: np.asarray(v, dtype=float) * lift for k, v in res.items() if k == "mean" or k.startswith(("lo-", "hi-"))}


def top_down_split(
    family_forecast: pd.DataFrame,
    history: pd.DataFrame,
    *,
    share_periods: int = 12,
    value_cols: Sequence[str] = ("forecast", "lo_80", "hi_80", "lo_95", "hi_95"),
) -> pd.DataFrame:
    """Split a family-level forecast to its SKUs by their share of recent demand.

    ``share_i = sum of y_i over the family's last share_periods periods / family sum``;
    when the family sold nothing in that window the shares of all history are used, and
    when it never sold, equal shares. ``family_forecast`` has ``family, ds`` and
    ``value_cols``; ``history`` has ``unique_id, family, ds, y``. Every value column is
    multiplied by the share (proportional split of interval bounds: a planning
    convention, not a coherent probabilistic disaggregation). Returns
    ``unique_id, ds, <value_cols>``.
    """
    cols = ["unique_id", "ds", *value_cols]
    if family_forecast.empty or history.empty:
        return pd.DataFrame({c: pd.Series(dtype="object" if c == "unique_id" else "float64") for c in cols}).astype(
            {"ds": "int64"}
        )
    last = history.groupby("family")["ds"].transform("max")
    recent = history[history["ds"] > last - share_periods]
    shares = []
    for family, grp in history.groupby("family", sort=True):
        skus = np.sort(grp["unique_id"].unique())
        for source in (recent[recent["family"] == family], grp):
            totals = source.groupby("unique_id")["y"].sum().reindex(skus, fill_value=0.0)
            if totals.sum() > 0:
                share = totals / totals.sum()
                break
        else:
            share = pd.Series(1.0 / len(skus), index=skus)
        shares.append(pd.DataFrame({"family": family, "unique_id": skus, "share": share.to_numpy()}))
    share_df = pd.concat(shares, ignore_index=True)
    out = family_forecast.merge(share_df, on="family", how="inner")
    for c in value_cols:
        out[c] = out[c] * out["share"]
    return out[cols].sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
