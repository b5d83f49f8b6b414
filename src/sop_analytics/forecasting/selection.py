"""Per-family method selection by rolling-origin backtest.

The unit of selection is a *family segment*: the SKUs of one family that share a segment
(``continuous`` = smooth + erratic, ``intermittent`` = intermittent + lumpy, ``new``,
``inactive``; see :mod:`classification`). A family whose SKUs are all of one pattern has
one segment, so this is per-family selection; a family mixing smooth and lumpy SKUs gets
one winner per pattern instead of forcing ETS on lumpy SKUs or Croston on smooth ones.

Backtest (statsforecast ``cross_validation``, expanding window): ``n_windows`` forecast
origins, each forecasting ``h`` periods ahead. The windows are ``step_size`` periods
apart, ``step_size <= h``: the largest step that keeps every series that could take part
with step 1. On 48 periods with ``h = 12`` and three windows, step 12 would leave only
12 training periods in the first window (too few for a seasonal model, which gets 30, see
:func:`candidates.min_train_length`), so the step shrinks to 3 (30 + 12 + 2 * 3 = 48) and
the windows overlap; they still start at different points of the season and cost no more
than disjoint ones (one fit per window). When the history is too short even then, the seasonal candidates are
dropped, then ``h`` shrinks, and finally the segment falls back to the Naive yardstick;
the ``selection_reason`` says which happened.

Models that can re-filter new data with fixed parameters (``forward``: AutoETS, AutoTheta,
MSTL, Naive, SeasonalNaive) are fitted on the first window and re-filtered on the later
ones unless ``refit=True`` (3x cheaper for AutoETS); the rest are refit on every window.

Score: RMSSE for continuous and new segments, the scaled squared error (MSSE) for
intermittent ones, both scaled per series and cutoff by the in-sample naive (lag-1)
squared error of the training series, averaged over the (series, window) pairs with a
non-zero scale. Squared errors are minimised by the mean, so an all-zero forecast cannot
win them on intermittent demand the way it wins MAE, MASE or WAPE. Bias (pooled
``sum(yhat - y) / sum(y)``), WAPE and MASE are reported beside the score, never used to
choose.

Ensembles: ``Ensemble`` (median of the best two or three non-yardstick candidates) and
``EnsembleML`` (the best statistical candidate and the global LightGBM model, see
:mod:`ml`) are scored like any candidate; no member appears twice. A single method whose
lead over ``Ensemble`` is within one standard error of its own score (its noise over
series) gives way to the Ensemble, and the ``selection_reason`` says so. Naive is a
candidate of every backtested segment, so the selected method never scores worse than
Naive in the backtest.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import Naive

from sop_analytics.forecasting import metrics
from sop_analytics.forecasting.ml import MIN_SERIES as ML_MIN_SERIES
from sop_analytics.forecasting.candidates import (
    ENSEMBLE,
    ENSEMBLE_ML,
    ENSEMBLES,
    GLOBAL_ML,
    METHODS,
    TIE_ORDER,
    YARDSTICKS,
    candidate_methods,
    make_model,
    min_train_length,
)

__all__ = [
    "SELECTION_SCHEMA",
    "BacktestPlan",
    "ensemble_median",
    "plan_backtest",
    "run_backtest",
    "select_methods",
]

SELECTION_SCHEMA: dict[str, str] = {
    "family": "object",
    "segment": "object",
    "forecast_level": "object",
    "candidate": "object",
    "members": "object",
    "metric": "object",
    "score": "float64",
    "score_promoted": "float64",
    "bias_pct": "float64",
    "wape": "float64",
    "mase": "float64",
    "n_series": "int64",
    "n_series_total": "int64",
    "n_promoted_series": "int64",
    "n_windows": "int64",
    "h": "int64",
    "step_size": "int64",
    "rank": "int64",
    "is_selected": "bool",
    "pinned": "bool",
    "selection_reason": "object",
}

# order used to break exact ties: simpler / cheaper first (candidates.REGISTRY)
_TIE_ORDER = TIE_ORDER
_FALLBACK = "Naive"
# scored beside the candidates in every backtested segment, never selected (rank 0)
ZERO_REFERENCE = "ZeroForecast"


@dataclass(frozen=True)
class BacktestPlan:
    """Backtest settings for one family segment (``h == 0`` means no backtest possible)."""

    h: int
    n_windows: int
    step_size: int
    seasonal: bool
    min_train: int
    n_eligible: int
    note: str

    @property
    def test_size(self) -> int:
        return self.h + self.step_size * (self.n_windows - 1)

    def eligible(self, lengths: np.ndarray) -> np.ndarray:
        """Series long enough for every window to have ``min_train`` training points."""
        return lengths >= self.min_train + self.test_size


def plan_backtest(
    lengths: Sequence[int] | np.ndarray,
    *,
    segment: str,
    horizon: int,
    n_windows: int,
    season_length: int,
) -> BacktestPlan:
    """Choose ``h``, ``step_size`` and seasonality for a family segment's backtest.

    A series of length ``L`` takes part when ``L >= min_train + h + step * (n_windows - 1)``.
    Order of preference: seasonal candidates at ``h = horizon`` (if they keep at least half
    the series the non-seasonal plan keeps), non-seasonal at ``h = horizon``, non-seasonal
    with the largest ``h < horizon`` that fits; else ``h = 0`` (no backtest). The step is
    the largest ``<= h`` that keeps as many series as step 1.
    """
    lengths = np.asarray(lengths, dtype=int)
    w = max(int(n_windows), 1)

    def count(mt: int, h: int, step: int) -> int:
        return int(np.sum(lengths >= mt + h + step * (w - 1)))

    def make(seasonal: bool, h: int, note: str) -> BacktestPlan | None:
        mt = min_train_length(segment, seasonal, season_length)
        n1 = count(mt, h, 1)
        if n1 == 0:
            return None
        step = next(s for s in range(h, 0, -1) if count(mt, h, s) == n1)
        return BacktestPlan(h, w, step, seasonal, mt, n1, note)

    if lengths.size == 0:
        return BacktestPlan(0, w, 0, False, 0, 0, "no series")
    seasonal_ok = segment in ("continuous", "intermittent") and season_length > 1
    plain = make(False, horizon, "")
    if seasonal_ok:
        seasonal = make(True, horizon, "")
        if seasonal is not None and seasonal.n_eligible >= 0.5 * (plain.n_eligible if plain else 0):
            return seasonal
        if plain is not None:
            return BacktestPlan(
                plain.h, w, plain.step_size, False, plain.min_train, plain.n_eligible,
                f"seasonal candidates dropped: under two seasons of training history "
                f"({2 * season_length} periods) before the first window",
            )
    elif plain is not None:
        return plain
    for h in range(horizon - 1, 0, -1):
        plan = make(False, h, "")
        if plan is not None:
            return BacktestPlan(
                h, w, plan.step_size, False, plan.min_train, plan.n_eligible,
                f"backtest horizon shrunk from {horizon} to {h}: longest series has "
                f"{lengths.max()} periods",
            )
    mt = min_train_length(segment, False, season_length)
    return BacktestPlan(
        0, w, 0, False, mt, 0,
        f"history too short for a backtest: longest series has {lengths.max()} periods, "
        f"{mt + 1 + (w - 1)} needed for {w} windows of h=1",
    )


def _cv(
    df: pd.DataFrame, methods: list[str], plan: BacktestPlan, season_length: int,
    refit: bool, n_jobs: int,
) -> pd.DataFrame:
    """Cross-validation of ``methods``; forward-capable models re-filtered unless ``refit``.

    The global ML model is backtested per family segment (:func:`ml.global_ml_cv`, same
    cutoffs) and joined on."""
    ml_cols = [m for m in methods if m == GLOBAL_ML]
    methods = [m for m in methods if m != GLOBAL_ML]
    models = [make_model(m, season_length=season_length) for m in methods]
    if refit:
        groups = [(models, True)]
    else:
        fwd = [m for m in models if hasattr(m, "forward")]
        rest = [m for m in models if not hasattr(m, "forward")]
        groups = [(g, r) for g, r in ((fwd, False), (rest, True)) if g]
    out = None
    for group, refit_group in groups:
        uses_exog = any(getattr(m, "uses_exog", False) for m in group)
        cols = ["unique_id", "ds", "y"] + (["promo_share"] if uses_exog else [])
        sf = StatsForecast(models=group, freq=1, n_jobs=n_jobs, fallback_model=Naive())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sf.cross_validation(
                df=df[cols], h=plan.h, n_windows=plan.n_windows, step_size=plan.step_size,
                refit=refit_group,
            )
        res = res.reset_index(drop=True) if "unique_id" in res.columns else res.reset_index()
        out = res if out is None else out.merge(res, on=["unique_id", "ds", "cutoff", "y"], how="inner")
    if ml_cols and out is not None:
        from sop_analytics.forecasting.ml import global_ml_cv

        parts = []
        for _, grp in df.groupby(["family", "segment"], sort=True):
            parts.append(global_ml_cv(grp, h=plan.h, n_windows=plan.n_windows, step_size=plan.step_size,
                                      season_length=season_length))
        ml_cv = pd.concat(parts, ignore_index=True)
        out = out.merge(ml_cv, on=["unique_id", "ds", "cutoff"], how="left")
    return out


def run_backtest(
    panel: pd.DataFrame,
    *,
    horizon: int,
    n_windows: int = 3,
    season_length: int = 12,
    promo_families: Sequence[str] = (),
    max_series_per_segment: int | None = None,
    seed: int = 0,
    refit: bool = False,
    n_jobs: int = 1,
    ml: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backtest every family segment's candidates.

    ``panel``: ``unique_id, family, segment, ds, y`` and optionally ``promo_share``.
    ``max_series_per_segment`` caps the series backtested per family segment (a random
    sample seeded by ``seed`` and the family segment's name); all are forecast regardless.
    ``ml`` adds the global LightGBM candidate to family segments with at least
    ``ML_MIN_SERIES`` backtestable series.

    Returns ``(cv, plans)``: ``cv`` has ``family, segment, unique_id, ds, cutoff, y`` and
    one column per method (NaN where the method was not a candidate for that segment);
    ``plans`` has one row per family segment with the plan and candidate list.
    """
    base = ["family", "segment", "unique_id", "ds", "cutoff", "y"]
    empty_cv = pd.DataFrame({c: pd.Series(dtype=t) for c, t in
                             zip(base, ["object", "object", "object", "int64", "int64", "float64"])})
    plan_cols = ["family", "segment", "plan", "methods", "ids", "n_series_total"]
    if panel.empty:
        return empty_cv, pd.DataFrame(columns=plan_cols)
    plan_rows = []
    promo_set = set(promo_families)
    lengths = panel.groupby(["family", "segment", "unique_id"], sort=True).size().rename("n").reset_index()
    for (family, segment), grp in lengths.groupby(["family", "segment"], sort=True):
        # one stream per family segment: the sample does not depend on what else is in the panel
        rng = np.random.default_rng([seed, zlib.crc32(f"{family}|{segment}".encode())])
        plan = plan_backtest(
            grp["n"].to_numpy(), segment=segment, horizon=horizon, n_windows=n_windows,
            season_length=season_length,
        )
        n_eligible = int(plan.eligible(grp["n"].to_numpy()).sum()) if plan.h > 0 else 0
        methods = (
            candidate_methods(segment, seasonal=plan.seasonal, promo=family in promo_set,
                              ml=ml and n_eligible >= ML_MIN_SERIES)
            if segment != "inactive" and plan.h > 0 else []
        )
        ids = grp.loc[plan.eligible(grp["n"].to_numpy()), "unique_id"].to_numpy() if methods else np.array([])
        if max_series_per_segment is not None and ids.size > max_series_per_segment:
            ids = np.sort(rng.choice(ids, size=max_series_per_segment, replace=False))
        plan_rows.append(
            {"family": family, "segment": segment, "plan": plan, "methods": tuple(methods),
             "ids": ids, "n_series_total": int(len(grp))}
        )
    plans = pd.DataFrame(plan_rows, columns=plan_cols)
    cv_parts = []
    if not plans.empty:
        keyed = plans[plans["methods"].map(len) > 0].copy()
        keyed["key"] = [(p.h, p.n_windows, p.step_size, m) for p, m in zip(keyed["plan"], keyed["methods"])]
        for key, grp in keyed.groupby("key", sort=True):
            plan = grp["plan"].iloc[0]
            ids = np.concatenate(grp["ids"].to_list())
            sub = panel[panel["unique_id"].isin(ids)]
            if "promo_share" not in sub.columns:
                sub = sub.assign(promo_share=0.0)
            res = _cv(sub, list(key[3]), plan, season_length, refit, n_jobs)
            res = res.merge(sub[["unique_id", "family", "segment"]].drop_duplicates(), on="unique_id")
            cv_parts.append(res)
    if not cv_parts:
        return empty_cv, plans
    cv = pd.concat(cv_parts, ignore_index=True, sort=False)
    method_cols = [m for m in METHODS if m in cv.columns]
    cv = cv[base + method_cols].sort_values(["family", "segment", "unique_id", "cutoff", "ds"], kind="mergesort")
    return cv.reset_index(drop=True), plans


def _metric_for(segment: str) -> str:
    return "scaled_squared_error" if segment == "intermittent" else "rmsse"


def _score(
    cv: pd.DataFrame, train: pd.DataFrame, methods: list[str], metric: str,
    promoted: set[str],
) -> pd.DataFrame:
    """Scores per (family, segment, candidate) from a backtest frame."""
    fn = metrics.scaled_squared_error if metric == "scaled_squared_error" else metrics.rmsse
    keys = cv[["unique_id", "family", "segment"]].drop_duplicates()
    per = fn(cv, methods, 1, train).merge(keys, on="unique_id")
    per_mase = metrics.mase(cv, methods, 1, train).merge(keys, on="unique_id")
    per["promoted"] = per["unique_id"].isin(promoted)
    rows = []
    y = cv["y"].astype(float)
    for (family, segment), idx in cv.groupby(["family", "segment"], sort=True).groups.items():
        p = per[(per["family"] == family) & (per["segment"] == segment)]
        pm = per_mase[(per_mase["family"] == family) & (per_mase["segment"] == segment)]
        yy = y.loc[idx]
        sum_y = yy.sum()
        for m in methods:
            f = cv.loc[idx, m].astype(float)
            if f.isna().all():
                continue
            err = f - yy
            rows.append({
                "family": family, "segment": segment, "candidate": m, "metric": metric,
                "score": p[m].mean(skipna=True),
                # standard error of that mean over series: the score's own noise
                "score_se": p[m].std(ddof=1, skipna=True) / np.sqrt(max(int(p[m].notna().sum()), 1)),
                "score_promoted": p.loc[p["promoted"], m].mean(skipna=True),
                "bias_pct": err.sum() / sum_y if sum_y != 0 else np.nan,
                "wape": err.abs().sum() / yy.abs().sum() if yy.abs().sum() != 0 else np.nan,
                "mase": pm[m].mean(skipna=True),
                "n_series": int(p["unique_id"].nunique()),
                "n_promoted_series": int(p.loc[p["promoted"], "unique_id"].nunique()),
            })
    return pd.DataFrame(rows)


def ensemble_median(cv: pd.DataFrame, members: Sequence[str]) -> np.ndarray:
    """The Ensemble's backtest forecast: row-wise median of its ``members``' columns of
    ``cv`` (NaN where any member is NaN). The one rule, used by selection and by the
    pipeline's backtest output."""
    return np.median(cv[list(members)].to_numpy(dtype=float), axis=1)


def _add_ensemble(cv: pd.DataFrame, scores: pd.DataFrame, size: int) -> tuple[pd.DataFrame, dict]:
    """Ensembles of each family segment: ``Ensemble``, the median of the ``size`` best
    non-yardstick candidates, and ``EnsembleML``, the mean of the best statistical
    candidate and the global ML model (when it was backtested). Members never repeat."""
    members: dict[tuple[str, str, str], list[str]] = {}
    cv = cv.copy()
    cv[ENSEMBLE] = np.nan
    cv[ENSEMBLE_ML] = np.nan
    for (family, segment), grp in scores.groupby(["family", "segment"], sort=True):
        pool = grp[~grp["candidate"].isin(YARDSTICKS) & grp["score"].notna()]
        pool = pool.sort_values(["score", "candidate"], kind="mergesort").drop_duplicates("candidate")
        mask = (cv["family"] == family) & (cv["segment"] == segment)
        chosen = pool["candidate"].head(size).tolist()
        if len(chosen) >= 2:
            cv.loc[mask, ENSEMBLE] = ensemble_median(cv.loc[mask], chosen)
            members[(family, segment, ENSEMBLE)] = chosen
        stat = pool[pool["candidate"] != GLOBAL_ML]["candidate"].head(1).tolist()
        if stat and GLOBAL_ML in set(pool["candidate"]):
            pair = [stat[0], GLOBAL_ML]
            cv.loc[mask, ENSEMBLE_ML] = ensemble_median(cv.loc[mask], pair)
            members[(family, segment, ENSEMBLE_ML)] = pair
    return cv, members


def select_methods(
    panel: pd.DataFrame,
    *,
    horizon: int,
    n_windows: int = 3,
    season_length: int = 12,
    pins: pd.DataFrame | None = None,
    promo_families: Sequence[str] = (),
    ensemble_size: int = 3,
    max_series_per_segment: int | None = None,
    seed: int = 0,
    refit: bool = False,
    n_jobs: int = 1,
    forecast_level: str = "sku",
    ml: bool = True,
    noise_fallback: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backtest the candidates of every family segment and pick one method for each.

    ``panel``: ``unique_id, family, segment, ds, y`` (+ optional ``promo_share``; a series
    counts as promoted when any ``promo_share > 0``). ``pins``: ``family, method, reason``
    (+ optional ``segment``; without it the pin applies to every segment of the family)
    overriding the backtest winner; a pinned method that was not a candidate is added as a
    row with no score. ``noise_fallback``: a single method whose lead over the median
    Ensemble is within one standard error of its score gives way to the Ensemble
    (:func:`_robust_fallback`). Returns ``(selection, cv)``: the selection table (one row per family,
    segment, candidate; columns ``SELECTION_SCHEMA``) and the backtest frame.
    """
    if panel.empty:
        empty_cv, _ = run_backtest(panel, horizon=horizon)
        return _empty(), empty_cv
    panel = panel.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
    cv, plans = run_backtest(
        panel, horizon=horizon, n_windows=n_windows, season_length=season_length,
        promo_families=promo_families, max_series_per_segment=max_series_per_segment,
        seed=seed, refit=refit, n_jobs=n_jobs, ml=ml,
    )
    promoted = (
        set(panel.loc[panel["promo_share"] > 0, "unique_id"]) if "promo_share" in panel.columns else set()
    )
    train = panel[["unique_id", "ds", "y"]]
    score_parts = []
    members: dict[tuple[str, str, str], list[str]] = {}
    for segment in sorted(cv["segment"].unique()):
        seg_cv = cv[cv["segment"] == segment]
        methods = [m for m in METHODS if m in seg_cv.columns and seg_cv[m].notna().any()]
        metric = _metric_for(segment)
        scores = _score(seg_cv, train, methods, metric, promoted)
        seg_cv, seg_members = _add_ensemble(seg_cv, scores, ensemble_size)
        members.update(seg_members)
        for name in ENSEMBLES:
            if seg_cv[name].notna().any():
                ens = _score(seg_cv[seg_cv[name].notna()], train, [name], metric, promoted)
                scores = pd.concat([scores, ens], ignore_index=True)
        # the all-zero forecast is scored as a reference, never a candidate: the table
        # shows that the winner beats it on the selection metric (it often wins on WAPE)
        zero = _score(seg_cv.assign(**{ZERO_REFERENCE: 0.0}), train, [ZERO_REFERENCE], metric, promoted)
        scores = pd.concat([scores, zero], ignore_index=True)
        score_parts.append(scores)
    scores = pd.concat(score_parts, ignore_index=True) if score_parts else pd.DataFrame()

    rows = []
    for plan_row in plans.itertuples(index=False):
        fam, seg, plan = plan_row.family, plan_row.segment, plan_row.plan
        base = {"family": fam, "segment": seg, "forecast_level": forecast_level,
                "n_series_total": plan_row.n_series_total}
        fam_scores = (
            scores[(scores["family"] == fam) & (scores["segment"] == seg)]
            if not scores.empty else pd.DataFrame()
        )
        if seg == "inactive":
            rows.append(_policy_row(base, "ZeroModel", f"policy: {seg} SKUs (no demand in the recent "
                                    "periods) get a zero forecast; no backtest"))
            continue
        if fam_scores.empty:
            reason = plan.note or "no series long enough for a backtest"
            rows.append(_policy_row(base, _FALLBACK, f"fallback to yardstick {_FALLBACK}: {reason}"))
            continue
        rows.extend(_rank_rows(base, fam_scores, plan,
                               {name: members.get((fam, seg, name), []) for name in ENSEMBLES},
                               fam in set(promo_families), noise_fallback))
    selection = pd.DataFrame(rows)
    selection = _apply_pins(selection, pins)
    selection = selection.reindex(columns=list(SELECTION_SCHEMA))
    selection = selection.astype(SELECTION_SCHEMA)
    selection = selection.sort_values(["family", "segment", "rank", "candidate"], kind="mergesort")
    return selection.reset_index(drop=True), cv


def _policy_row(base: dict, method: str, reason: str) -> dict:
    return {**base, "candidate": method, "members": "", "metric": "", "score": np.nan,
            "score_promoted": np.nan, "bias_pct": np.nan, "wape": np.nan, "mase": np.nan,
            "n_series": 0, "n_promoted_series": 0, "n_windows": 0, "h": 0, "step_size": 0,
            "rank": 1, "is_selected": True, "pinned": False, "selection_reason": reason}


def _rank_rows(
    base: dict, scores: pd.DataFrame, plan: BacktestPlan, members: dict[str, list[str]], promo: bool,
    noise_fallback: bool = True,
) -> list[dict]:
    reference = scores[scores["candidate"] == ZERO_REFERENCE]
    s = scores[scores["candidate"] != ZERO_REFERENCE].copy()
    s["tie"] = s["candidate"].map(_TIE_ORDER).fillna(99)
    s["nan_last"] = s["score"].isna()
    s = s.sort_values(["nan_last", "score", "tie"], kind="mergesort").reset_index(drop=True)
    robust = _robust_fallback(s) if noise_fallback else None
    if robust is not None:
        s = pd.concat([s.iloc[[robust]], s.drop(index=robust)], ignore_index=True)
    s["rank"] = np.arange(1, len(s) + 1)
    metric = s["metric"].iloc[0]
    have_score = s["score"].notna().any()
    setup = (f"{int(s['n_series'].max())} series x {plan.n_windows} windows "
             f"(h={plan.h}, step {plan.step_size})")
    if plan.note:
        setup += f"; {plan.note}"
    if promo and "PromoLift" in set(s["candidate"]):
        promo_score = s.loc[s["candidate"] == "PromoLift", "score_promoted"].iloc[0]
        others = s[~s["candidate"].isin(["PromoLift", *ENSEMBLES])]["score_promoted"]
        best_other = others.min(skipna=True)
        if np.isfinite(promo_score) and np.isfinite(best_other):
            verdict = "helps" if promo_score < best_other else "does not help"
            setup += (f"; on promoted SKUs PromoLift {metric} {promo_score:.3f} vs best "
                      f"non-promo {best_other:.3f}: promo model {verdict}")
    rows = []
    for r in s.itertuples(index=False):
        selected = bool(r.rank == 1 and have_score) or (not have_score and r.candidate == _FALLBACK)
        if selected and have_score:
            runner = s.iloc[1] if len(s) > 1 else None
            reason = f"lowest {metric} {r.score:.3f} over {setup}"
            if runner is not None and np.isfinite(runner["score"]):
                reason += f"; runner-up {runner['candidate']} {runner['score']:.3f}"
            if robust is not None:
                reason = (f"robust ensemble: {metric} {r.score:.3f} is within the noise of the best single "
                          f"candidate {runner['candidate']} {runner['score']:.3f} (standard error "
                          f"{runner['score_se']:.3f} over series) over {setup}")
        elif selected:
            reason = f"fallback to yardstick {_FALLBACK}: no finite {metric} (zero naive scale on every series)"
        else:
            reason = f"rank {r.rank} of {len(s)} by {metric}"
        rows.append({**base, "candidate": r.candidate,
                     "members": "|".join(members.get(r.candidate, [])),
                     "metric": metric, "score": r.score, "score_promoted": r.score_promoted,
                     "bias_pct": r.bias_pct, "wape": r.wape, "mase": r.mase,
                     "n_series": r.n_series, "n_promoted_series": r.n_promoted_series,
                     "n_windows": plan.n_windows, "h": plan.h, "step_size": plan.step_size,
                     "rank": r.rank, "is_selected": selected, "pinned": False,
                     "selection_reason": reason})
    winner = s.iloc[0] if have_score else None
    for r in reference.itertuples(index=False):
        reason = f"reference only, never selected: the all-zero forecast scores {metric} {r.score:.3f}"
        if winner is not None:
            reason += (f" against the winner's {winner['score']:.3f} (WAPE {r.wape:.3f} against "
                       f"{winner['wape']:.3f}: WAPE can reward forecasting nothing)")
        rows.append({**base, "candidate": r.candidate, "members": "", "metric": metric,
                     "score": r.score, "score_promoted": r.score_promoted, "bias_pct": r.bias_pct,
                     "wape": r.wape, "mase": r.mase, "n_series": r.n_series,
                     "n_promoted_series": r.n_promoted_series, "n_windows": plan.n_windows,
                     "h": plan.h, "step_size": plan.step_size, "rank": 0, "is_selected": False,
                     "pinned": False, "selection_reason": reason})
    return rows


def _robust_fallback(s: pd.DataFrame) -> int | None:
    """Row of ``s`` (sorted by score) to select instead of a single-method winner whose lead
    over the median ``Ensemble`` is within the winner's own noise (one standard error of its
    mean score over series): a lead that small does not carry over to the future, and a
    median of the best candidates is the more robust choice. None: keep the winner.

    A PromoLift winner is kept: it is the one candidate that reads the promotion calendar,
    and a median with members that do not would flatten the planned promotions' lift."""
    if s.empty or not np.isfinite(s["score"].iloc[0]) or s["candidate"].iloc[0] in ENSEMBLES:
        return None
    if s["candidate"].iloc[0] == "PromoLift":
        return None
    ens = s.index[(s["candidate"] == ENSEMBLE) & s["score"].notna()]
    if len(ens) == 0:
        return None
    se = s["score_se"].iloc[0]
    if np.isfinite(se) and s.loc[ens[0], "score"] <= s["score"].iloc[0] + se:
        return int(ens[0])
    return None


def _apply_pins(selection: pd.DataFrame, pins: pd.DataFrame | None) -> pd.DataFrame:
    """Planner pins override the backtest winner; see :func:`select_methods`."""
    if pins is None or pins.empty or selection.empty:
        return selection
    selection = selection.copy()
    for pin in pins.to_dict("records"):
        method, family = str(pin["method"]), str(pin["family"])
        if method not in METHODS and method not in ENSEMBLES:
            raise ValueError(f"pinned method {method!r} for family {family!r} is unknown")
        seg = pin.get("segment")
        fam_mask = selection["family"] == family
        if seg is not None and not pd.isna(seg):
            fam_mask &= selection["segment"] == seg
        reason = f"pinned by planner: {pin.get('reason', '')}"
        for segment in sorted(selection.loc[fam_mask, "segment"].unique()):
            seg_mask = (selection["family"] == family) & (selection["segment"] == segment)
            if not (seg_mask & (selection["candidate"] == method)).any():
                if method in ENSEMBLES:
                    raise ValueError(f"cannot pin {method} for {family}/{segment}: no ensemble was built")
                template = selection.loc[seg_mask].iloc[0].to_dict()
                new = {**template, "candidate": method, "members": "", "score": np.nan,
                       "score_promoted": np.nan, "bias_pct": np.nan, "wape": np.nan,
                       "mase": np.nan, "rank": int(selection.loc[seg_mask, "rank"].max()) + 1,
                       "is_selected": False, "pinned": False}
                selection = pd.concat([selection, pd.DataFrame([new])], ignore_index=True)
                seg_mask = (selection["family"] == family) & (selection["segment"] == segment)
            hit = seg_mask & (selection["candidate"] == method)
            was = selection.loc[seg_mask & selection["is_selected"], "candidate"].tolist()
            selection.loc[seg_mask, "is_selected"] = False
            selection.loc[hit, "is_selected"] = True
            selection.loc[hit, "pinned"] = True
            selection.loc[hit, "selection_reason"] = reason + (
                f" (backtest winner was {was[0]})" if was and was[0] != method else "")
    return selection


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in SELECTION_SCHEMA.items()})
