"""Week-1 forecasting pipeline: classify, select per family segment, forecast.

Input is exactly what the dbt model passes (``int_demand_history_by_sku_period``):
``master_sku, master_family, period_seq, demand_units, promo_units``, dense and zero-filled
from each SKU's first demand period to the last closed period. Periods are fiscal 4-4-5
periods, so time is the integer ``period_seq`` with ``freq=1``, never a date. No dbt here.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

import numpy as np
import pandas as pd

from sop_analytics.forecasting.candidates import ENSEMBLES, top_down_split
from sop_analytics.forecasting.classification import CLASSIFICATION_SCHEMA, classify_demand
from sop_analytics.forecasting.config import CLASSIFICATION_VARS, ForecastConfig
from sop_analytics.forecasting.forecast import (
    FORECAST_SCHEMA,
    conformal_intervals,
    empty_forecast,
    forecast_selected,
    zero_collapse_fallback,
)
from sop_analytics.forecasting.reuse import family_keys
from sop_analytics.forecasting.selection import SELECTION_SCHEMA, ensemble_median, select_methods

FamilyCache = object  # anything with get(keys) and put(keys, outputs), see sop_analytics.forecasting.reuse

__all__ = [
    "BACKTEST_SCHEMA", "CLASSIFICATION_VARS", "HISTORY_COLUMNS", "PROMO_CALENDAR_COLUMNS", "ForecastConfig",
    "calendar_regressor", "empty_backtest", "forecast_demand", "promo_families", "run_forecasting", "selected_backtest",
    "to_panel",
]

HISTORY_COLUMNS: tuple[str, ...] = (
    "master_sku", "master_family", "period_seq", "demand_units", "promo_units",
)
PIPELINE_CLASSIFICATION_SCHEMA: dict[str, str] = {"family": "object", **CLASSIFICATION_SCHEMA}
# the rolling-origin backtest of the selected method: cutoff = period_seq of the last
# training period of the window, ds = period_seq forecast, y = actual, forecast = unclipped
BACKTEST_SCHEMA: dict[str, str] = {
    "unique_id": "object",
    "family": "object",
    "segment": "object",
    "cutoff": "int64",
    "ds": "int64",
    "y": "float64",
    "forecast": "float64",
    "method": "object",
}
_BACKTEST_KEYS = ["unique_id", "family", "segment", "cutoff", "ds", "y"]


PROMO_CALENDAR_COLUMNS: tuple[str, ...] = ("master_sku", "period_seq", "promo_coverage")


def to_panel(history: pd.DataFrame, promo_calendar: pd.DataFrame | None = None) -> pd.DataFrame:
    """dbt history -> tidy panel ``unique_id, family, ds, y, promo_units, promo_share``.

    ``promo_share`` is PromoLift's regressor. With a promotion calendar
    (``master_sku, period_seq, promo_coverage``: the share of the period's days a promotion
    covers, ``int_promotion_coverage_by_sku_period``) it is that coverage, 0 in periods
    without a row, so history and horizon use the same regressor. Without one (no
    ``crm/promotions`` landed) it is the promoted share of the demand,
    ``promo_units / demand_units`` clipped to [0, 1]. Sorted by ``unique_id, ds``.
    """
    missing = [c for c in HISTORY_COLUMNS if c not in history.columns]
    if missing:
        raise ValueError(f"history is missing columns {missing}")
    y = history["demand_units"].astype(float).fillna(0.0).to_numpy()
    promo = history["promo_units"].astype(float).fillna(0.0).to_numpy()
    panel = pd.DataFrame({
        "unique_id": history["master_sku"].astype(str).to_numpy(dtype=object),
        "family": history["master_family"].astype(str).to_numpy(dtype=object),
        "ds": history["period_seq"].astype("int64").to_numpy(),
        "y": y,
        "promo_units": promo,
        "promo_share": np.clip(np.divide(promo, y, out=np.zeros_like(y), where=y > 0), 0.0, 1.0),
    })
    if promo_calendar is not None:
        coverage = calendar_regressor(promo_calendar)
        panel = panel.drop(columns="promo_share").merge(coverage, on=["unique_id", "ds"], how="left")
        panel["promo_share"] = panel["promo_share"].fillna(0.0)
    return panel.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)


def calendar_regressor(promo_calendar: pd.DataFrame) -> pd.DataFrame:
    """Promotion calendar -> ``unique_id, ds, promo_share`` (coverage clipped to [0, 1])."""
    missing = [c for c in PROMO_CALENDAR_COLUMNS if c not in promo_calendar.columns]
    if missing:
        raise ValueError(f"promotion calendar is missing columns {missing}")
    return pd.DataFrame({
        "unique_id": promo_calendar["master_sku"].astype(str).to_numpy(dtype=object),
        "ds": promo_calendar["period_seq"].astype("int64").to_numpy(),
        "promo_share": np.clip(promo_calendar["promo_coverage"].astype(float).to_numpy(), 0.0, 1.0),
    }).drop_duplicates(["unique_id", "ds"])


def promo_families(panel: pd.DataFrame, threshold: float) -> list[str]:
    """Families whose promoted units are at least ``threshold`` of their demand units.

    A family whose history carries no promoted units at all (shipment-only extracts have
    no promotion flag) is judged by the promotion calendar instead, when the panel has one
    (``promo_share`` from :func:`to_panel`): the demand-weighted share of its periods that
    promotions covered, ``sum(y * promo_share) / sum(y)``.
    """
    weighted = panel.assign(covered=panel["y"] * panel["promo_share"]) if "promo_share" in panel.columns \
        else panel.assign(covered=0.0)
    totals = weighted.groupby("family")[["promo_units", "covered", "y"]].sum()
    promoted = totals["promo_units"].where(totals["promo_units"] > 0, totals["covered"])
    share = promoted / totals["y"].where(totals["y"] > 0)
    return sorted(share.index[share >= threshold])


def run_forecasting(
    history: pd.DataFrame,
    horizon: int,
    n_windows: int,
    pins: pd.DataFrame | None,
    season_length: int = 12,
    n_jobs: int = 1,
    *,
    long_tail_families: Sequence[str] = (),
    promo_share_threshold: float = 0.10,
    max_backtest_series: int | None = None,
    seed: int = 0,
    refit: bool = False,
    promo_calendar: pd.DataFrame | None = None,
    period_days: pd.DataFrame | None = None,
    ml: bool = True,
    conformal: bool = True,
    noise_fallback: bool = True,
    cache: FamilyCache | None = None,
    progress: Callable[[str], None] | None = None,
    engine: str = "local",
    engine_address: str | None = None,
    classification_cutoffs: Mapping[str, float] | None = None,
) -> dict[str, pd.DataFrame]:
    """:func:`forecast_demand` with the settings as keyword arguments (those of
    :class:`ForecastConfig`, which documents them): for scripts and notebooks."""
    config = ForecastConfig(
        horizon=horizon, n_windows=n_windows, season_length=season_length, long_tail_families=tuple(long_tail_families),
        promo_share_threshold=promo_share_threshold, max_backtest_series=max_backtest_series, seed=seed, refit=refit,
        ml=ml, conformal=conformal, noise_fallback=noise_fallback, classification_cutoffs=classification_cutoffs or {},
        n_jobs=n_jobs, engine=engine, engine_address=engine_address,
    )
    return forecast_demand(history, config, pins=pins, promo_calendar=promo_calendar, period_days=period_days,
                           cache=cache, progress=progress)


def forecast_demand(
    history: pd.DataFrame,
    config: ForecastConfig,
    *,
    pins: pd.DataFrame | None = None,
    promo_calendar: pd.DataFrame | None = None,
    period_days: pd.DataFrame | None = None,
    cache: FamilyCache | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Classify every SKU, select a method per family segment, forecast ``config.horizon`` periods.

    The settings are ``config`` (:class:`ForecastConfig`, which documents each); the rest
    is data and plumbing.

    ``period_days`` (``period_seq, n_days`` for every history and horizon period): periods of
    unequal length (4-4-5: 28 or 35 days) are modelled as demand per day, so a 5-week
    period is not mistaken for a demand spike and is forecast 25% above a 4-week one.
    Classification still reads units; selection, backtest and forecast run on the daily
    rate, and every forecast, interval and backtest value is multiplied back by its
    period's days. Without it, periods count as equally long.

    ``ml`` adds the global LightGBM candidate (:mod:`ml`) and the ``EnsembleML`` of it and
    the best statistical candidate to family segments with enough series. ``conformal``
    replaces the intervals of every backtested SKU-level family segment by split-conformal
    ones from the selected method's backtest errors (:func:`forecast.conformal_intervals`).
    ``noise_fallback``: see :func:`selection.select_methods`.

    ``classification_cutoffs``: the classification vars by their dbt names (``adi_cutoff``,
    ``cv2_cutoff``, ``min_history_periods``, ``inactive_periods``; see
    ``CLASSIFICATION_VARS``), so the segments the methods are selected for follow the same
    rule as the SQL classification (int_skus_classified); a name left out keeps
    :func:`classification.classify_demand`'s default.

    Families in ``long_tail_families`` are forecast as one aggregated series and split to
    SKUs by their share of the last ``season_length`` periods (``TopDown(<method>)``).
    Families whose promoted units reach ``promo_share_threshold`` of demand get the
    PromoLift candidate; its regressor is the promotion calendar when ``promo_calendar``
    is given (:func:`to_panel`), so planned promotions lift the horizon periods they
    cover; without one, no promotion is assumed in the horizon. ``max_backtest_series`` caps the SKUs backtested per family
    segment (seeded sample, ``seed``). ``pins``: ``family, method, reason`` (+ ``segment``).
    ``n_jobs > 1`` runs chunks of families in that many processes (a ``forkserver`` pool:
    the workers are not forked from a caller that runs threads, such as dbt); the result is
    identical to ``n_jobs=1`` (families are independent and the output is sorted).
    ``engine="dask"`` fits the families through Fugue on Dask instead (:mod:`distributed`;
    ``engine_address`` a Dask scheduler, else a local cluster of ``n_jobs`` workers); the
    result is the same.

    ``cache`` (:mod:`reuse`: ``get(keys)`` / ``put(keys, outputs)``) reuses the outputs of
    every family whose history, pins, promotions and settings hash the same as a family
    stored there, and stores the families it fits: an unchanged rebuild refits nothing, and
    a reused family's output is bit for bit the one a fresh fit makes. ``progress`` gets a
    line per batch of families fitted ("forecasting: 12 of 40 families done ...").

    Returns ``{"classification", "selection", "forecast", "backtest"}``: classification
    per SKU (``family`` + ``CLASSIFICATION_SCHEMA``), the selection table
    (``SELECTION_SCHEMA``), the forecast (``FORECAST_SCHEMA``, ``unique_id`` = master_sku,
    ``ds`` = period_seq) and the rolling-origin backtest forecasts of the selected method of
    every family segment (``BACKTEST_SCHEMA``, see :func:`selected_backtest`), sorted by
    ``unique_id, cutoff, ds``. Long-tail families (forecast at family level) have no
    backtest rows: their backtest is of the aggregated family series, not of a SKU.
    """
    horizon, n_windows, n_jobs = int(config.horizon), int(config.n_windows), int(config.n_jobs)
    conformal, engine, engine_address = bool(config.conformal), config.engine, config.engine_address
    long_tail_families = config.long_tail_families
    if history.empty:
        return {
            "classification": pd.DataFrame({c: pd.Series(dtype=t) for c, t in PIPELINE_CLASSIFICATION_SCHEMA.items()}),
            "selection": pd.DataFrame({c: pd.Series(dtype=t) for c, t in SELECTION_SCHEMA.items()}),
            "forecast": empty_forecast(),
            "backtest": empty_backtest(),
        }
    panel = to_panel(history, promo_calendar)
    last_ds = int(panel["ds"].max())
    future_promo = None
    if promo_calendar is not None:
        future_promo = calendar_regressor(promo_calendar)
        future_promo = future_promo[future_promo["ds"] > last_ds].reset_index(drop=True)
    cutoffs = config.classify_kwargs()
    classification = classify_demand(panel, last_ds=last_ds, **cutoffs)
    families = panel[["unique_id", "family"]].drop_duplicates("unique_id")
    classification = families.merge(classification, on="unique_id", how="right")[
        list(PIPELINE_CLASSIFICATION_SCHEMA)
    ].astype(PIPELINE_CLASSIFICATION_SCHEMA)
    panel = panel.merge(classification[["unique_id", "segment"]], on="unique_id", how="left")
    days = _days_by_period(period_days, panel["ds"], last_ds + horizon)
    if days is not None:
        panel = panel.assign(y=panel["y"] / panel["ds"].map(days), promo_units=panel["promo_units"] / panel["ds"].map(days),
                             n_days=panel["ds"].map(days))
    common = config.selection_settings(promo_families(panel, config.promo_share_threshold))
    keys = family_keys(panel, pins=pins, long_tail=tuple(long_tail_families), last_ds=last_ds, common=common,
                       future_promo=future_promo, days=days, conformal=conformal,
                       cutoffs=cutoffs) if cache is not None else {}
    reused = cache.get(keys) if cache is not None else {}
    all_families = sorted(panel["family"].unique())
    todo = [f for f in all_families if f not in reused]
    fitting = (f"{len(todo)} to fit on {min(int(n_jobs), len(todo)) if engine == 'local' else 'Dask'}"
               + (" process(es)" if engine == "local" else "")) if todo else "nothing to fit"
    _say(progress, f"forecasting: {len(all_families)} families, {len(reused)} reused (history, pins and "
                   f"settings unchanged), {fitting}")
    args = (pins, tuple(long_tail_families), last_ds, common, future_promo, days, conformal, cutoffs)
    fitted = _fit_families(panel[panel["family"].isin(todo)], todo, args, n_jobs=n_jobs, engine=engine,
                           address=engine_address, progress=progress, n_done=len(reused),
                           n_total=len(all_families))
    if cache is not None and todo:
        cache.put(keys, _by_family(fitted, panel, todo))
    parts = [*(reused[f] for f in sorted(reused)), *fitted]
    selection = pd.concat([p[0] for p in parts], ignore_index=True).astype(SELECTION_SCHEMA)
    forecast = pd.concat([p[1] for p in parts], ignore_index=True).astype(FORECAST_SCHEMA)
    forecast = forecast.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
    selection = selection.sort_values(["family", "segment", "rank", "candidate"], kind="mergesort")
    backtest = pd.concat([empty_backtest()] + [p[2] for p in parts], ignore_index=True).astype(BACKTEST_SCHEMA)
    backtest = backtest.sort_values(["unique_id", "cutoff", "ds"], kind="mergesort").reset_index(drop=True)
    if days is not None:
        factor = forecast["ds"].map(days).to_numpy(dtype=float)
        for col in ("forecast", "lo_80", "hi_80", "lo_95", "hi_95"):
            forecast[col] = forecast[col].to_numpy(dtype=float) * factor
        bt_factor = backtest["ds"].map(days).to_numpy(dtype=float)
        backtest["y"] = backtest["y"].to_numpy(dtype=float) * bt_factor
        backtest["forecast"] = backtest["forecast"].to_numpy(dtype=float) * bt_factor
    return {
        "classification": classification.reset_index(drop=True),
        "selection": selection.reset_index(drop=True),
        "forecast": forecast,
        "backtest": backtest,
    }


def _say(progress: Callable[[str], None] | None, message: str) -> None:
    if progress is not None:
        progress(message)


def _batches(families: Sequence[str], panel: pd.DataFrame, n_jobs: int) -> list[list[str]]:
    """Families in batches of similar SKU counts: one per process when ``n_jobs > 1`` times
    four (so progress shows and a slow batch does not hold a core idle), eight when serial."""
    if not families:
        return []
    n = 8 if n_jobs <= 1 else 4 * int(n_jobs)
    return _family_chunks(panel[panel["family"].isin(families)], n)


def _fit_families(panel: pd.DataFrame, families: list[str], args: tuple, *, n_jobs: int, engine: str,
                  address: str | None, progress: Callable[[str], None] | None, n_done: int,
                  n_total: int) -> list[tuple]:
    """:func:`_select_and_forecast` over ``families`` in batches: in this process, a
    forkserver pool of ``n_jobs`` processes, or Fugue on Dask (``engine="dask"``)."""
    if not families:
        return []
    if engine == "dask":
        from sop_analytics.forecasting.distributed import fit_on_dask

        started = time.perf_counter()
        parts = fit_on_dask(panel, families, args, address=address, n_workers=max(1, int(n_jobs)))
        _say(progress, f"forecasting: {n_total} of {n_total} families done on Dask, "
                       f"elapsed {time.perf_counter() - started:.0f}s")
        return parts
    if engine != "local":
        raise ValueError(f"forecast engine {engine!r} is not one of local, dask")
    batches = _batches(families, panel, n_jobs)
    started = time.perf_counter()
    parts: list[tuple] = []

    def done(batch: list[str]) -> None:
        nonlocal n_done
        n_done += len(batch)
        _say(progress, f"forecasting: {n_done} of {n_total} families done, elapsed {time.perf_counter() - started:.0f}s")

    if n_jobs <= 1 or len(batches) <= 1:
        for batch in batches:
            parts.append(_select_and_forecast(panel[panel["family"].isin(batch)], *args))
            done(batch)
        return parts
    # families are independent: batches of families in a pool of processes, each on one core
    # (statsforecast's own n_jobs starts a process pool per call, too costly here).
    # forkserver, not fork: dbt calls this from one of its threads, and forking a
    # threaded process can copy a lock some other thread holds.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(int(n_jobs), len(batches)), mp_context=context) as pool:
        futures = {pool.submit(_select_and_forecast, panel[panel["family"].isin(b)], *args): i
                   for i, b in enumerate(batches)}
        finished: dict[int, tuple] = {}
        for future in as_completed(futures):
            finished[futures[future]] = future.result()
            done(batches[futures[future]])
    return [finished[i] for i in range(len(batches))]  # in batch order, whichever finished first


def _by_family(parts: list[tuple], panel: pd.DataFrame, families: list[str]) -> dict[str, tuple]:
    """The fitted parts (selection, forecast, backtest) split into one part per family."""
    selection = pd.concat([p[0] for p in parts], ignore_index=True)
    forecast = pd.concat([p[1] for p in parts], ignore_index=True)
    backtest = pd.concat([empty_backtest()] + [p[2] for p in parts], ignore_index=True).astype(BACKTEST_SCHEMA)
    family_of = panel.drop_duplicates("unique_id").set_index("unique_id")["family"]
    forecast_family = forecast["unique_id"].map(family_of)
    return {f: (selection[selection["family"] == f].astype(SELECTION_SCHEMA),
                forecast[forecast_family == f].astype(FORECAST_SCHEMA),
                backtest[backtest["family"] == f])
            for f in families}


def _days_by_period(period_days: pd.DataFrame | None, ds: pd.Series, last_needed: int) -> pd.Series | None:
    """``period_seq -> n_days`` as a Series, checked to cover every period used."""
    if period_days is None:
        return None
    days = period_days.drop_duplicates("period_seq").set_index(
        period_days.drop_duplicates("period_seq")["period_seq"].astype("int64"))["n_days"].astype(float)
    needed = set(range(int(ds.min()), last_needed + 1))
    missing = sorted(needed - set(days.index))
    if missing:
        raise ValueError(f"period_days has no n_days for period_seq {missing[:5]}")
    if (days.loc[sorted(needed)] <= 0).any():
        raise ValueError("period_days has a period of zero or fewer days")
    return days


def empty_backtest() -> pd.DataFrame:
    """An empty backtest frame with the columns and dtypes of ``BACKTEST_SCHEMA``."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in BACKTEST_SCHEMA.items()})


def selected_backtest(selection: pd.DataFrame, cv: pd.DataFrame) -> pd.DataFrame:
    """The backtest forecasts of each family segment's selected candidate (``BACKTEST_SCHEMA``).

    ``selection`` and ``cv`` as returned by :func:`selection.select_methods`. The forecast
    is the candidate's ``cv`` column; for the Ensemble, the median of its members' columns
    (:func:`selection.ensemble_median`, the rule selection scored it by). Rows where that
    forecast is NaN are left out, as in scoring. A segment whose selected method was not
    backtested gets no rows: inactive segments (ZeroModel by policy), segments that fell
    back to Naive with no backtest possible, and pins of a method that was not a candidate.
    Only the SKUs backtested have rows (all of them unless ``max_backtest_series`` sampled).
    """
    chosen = selection[selection["is_selected"].astype(bool)]
    if cv.empty or chosen.empty:
        return empty_backtest()
    groups = cv.groupby(["family", "segment"], sort=True).indices
    parts = []
    for row in chosen.itertuples(index=False):
        idx = groups.get((row.family, row.segment))
        if idx is None:
            continue
        seg_cv = cv.iloc[idx]
        if row.candidate in ENSEMBLES:
            members = [m for m in str(row.members).split("|") if m]
            if not members or any(m not in seg_cv.columns for m in members):
                continue
            values = ensemble_median(seg_cv, members)
        elif row.candidate in seg_cv.columns:
            values = seg_cv[row.candidate].to_numpy(dtype=float)
        else:
            continue
        keep = ~np.isnan(values)
        if not keep.any():
            continue
        part = seg_cv.loc[keep, _BACKTEST_KEYS].assign(forecast=values[keep], method=row.candidate)
        parts.append(part)
    if not parts:
        return empty_backtest()
    backtest = pd.concat(parts, ignore_index=True)[list(BACKTEST_SCHEMA)].astype(BACKTEST_SCHEMA)
    return backtest.sort_values(["unique_id", "cutoff", "ds"], kind="mergesort").reset_index(drop=True)


def _note_fallbacks(
    selection: pd.DataFrame, panel: pd.DataFrame, fallbacks: pd.DataFrame, window: int,
) -> pd.DataFrame:
    """Say in the selected row's ``selection_reason`` how many of the segment's SKUs fell
    back to a level method because their forecast collapsed to zero (see
    :func:`forecast.zero_collapse_fallback`)."""
    if fallbacks.empty:
        return selection
    segments = panel[["unique_id", "family", "segment"]].drop_duplicates("unique_id")
    counts = fallbacks.merge(segments, on="unique_id").groupby(["family", "segment"]).size()
    selection = selection.copy()
    for (family, segment), n in counts.items():
        hit = (selection["family"] == family) & (selection["segment"] == segment) & selection["is_selected"]
        selection.loc[hit, "selection_reason"] = selection.loc[hit, "selection_reason"] + (
            f"; zero-collapse fallback: {n} SKU(s) whose forecast was zero over the horizon after "
            f"demand in their last 3 periods got WindowAverage({window}) instead")
    return selection


def _note_conformal(selection: pd.DataFrame, calibrated: pd.DataFrame) -> pd.DataFrame:
    """Say in the selected row's ``selection_reason`` that the intervals are conformal."""
    if calibrated.empty:
        return selection
    selection = selection.copy()
    for r in calibrated.itertuples(index=False):
        hit = (selection["family"] == r.family) & (selection["segment"] == r.segment) & selection["is_selected"]
        selection.loc[hit, "selection_reason"] = selection.loc[hit, "selection_reason"] + (
            f"; intervals: conformal, from the {r.n_errors} backtest errors of the selected method")
    return selection


def _family_chunks(panel: pd.DataFrame, n_jobs: int) -> list[list[str]]:
    """Split families into ``n_jobs`` groups of similar SKU counts (greedy, deterministic)."""
    sizes = panel.groupby("family")["unique_id"].nunique().sort_index()
    sizes = sizes.sort_values(ascending=False, kind="mergesort")
    n = max(1, min(int(n_jobs), len(sizes)))
    chunks: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for family, size in sizes.items():
        i = load.index(min(load))
        chunks[i].append(family)
        load[i] += int(size)
    return [c for c in chunks if c]


def _select_and_forecast(
    panel: pd.DataFrame, pins: pd.DataFrame | None, long_tail: tuple[str, ...], last_ds: int,
    common: dict, future_promo: pd.DataFrame | None = None, days: pd.Series | None = None,
    conformal: bool = True, cutoffs: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Selection, forecast and selected backtest for a set of families (SKU level, then
    long-tail families).

    A long-tail family's aggregated series has as regressor the mean of its SKUs' (the
    share of the family's SKUs on promotion, weighted by days), in history and horizon.
    Long-tail families add no backtest rows (their backtest is at family level).
    """
    sku_panel = panel[~panel["family"].isin(long_tail)]
    selection, cv = select_methods(sku_panel, pins=pins, **common)
    backtest = selected_backtest(selection, cv)
    forecast = forecast_selected(sku_panel, selection, horizon=common["horizon"],
                                 season_length=common["season_length"], future_promo=future_promo,
                                 period_days=days)
    if conformal:
        forecast, calibrated = conformal_intervals(sku_panel, forecast, backtest)
        selection = _note_conformal(selection, calibrated)
    forecast, fallbacks = zero_collapse_fallback(sku_panel, forecast, window=common["season_length"])
    selection = _note_fallbacks(selection, sku_panel, fallbacks, common["season_length"])
    lt_panel = panel[panel["family"].isin(long_tail)]
    if lt_panel.empty:
        return selection, forecast, backtest
    agg = lt_panel.groupby(["family", "ds"], sort=True).agg(
        y=("y", "sum"), promo_units=("promo_units", "sum"), promo_share=("promo_share", "sum"),
    ).reset_index()
    n_skus = lt_panel.groupby("family")["unique_id"].nunique()
    agg["promo_share"] = agg["promo_share"] / agg["family"].map(n_skus)
    agg["unique_id"] = agg["family"]
    lt_future = None
    if future_promo is not None:
        sku_family = lt_panel[["unique_id", "family"]].drop_duplicates("unique_id")
        lt_future = future_promo.merge(sku_family, on="unique_id")
        lt_future = lt_future.groupby(["family", "ds"], sort=True)["promo_share"].sum().reset_index()
        lt_future["promo_share"] = lt_future["promo_share"] / lt_future["family"].map(n_skus)
        lt_future = lt_future.rename(columns={"family": "unique_id"})
    agg_class = classify_demand(agg, last_ds=last_ds, **(cutoffs or {}))
    agg = agg.merge(agg_class[["unique_id", "segment"]], on="unique_id")
    lt_selection, _ = select_methods(agg, pins=pins, forecast_level="family", **common)
    lt_family_fc = forecast_selected(agg, lt_selection, horizon=common["horizon"],
                                     season_length=common["season_length"], future_promo=lt_future,
                                     period_days=days)
    lt_family_fc = lt_family_fc.rename(columns={"unique_id": "family"})
    split = top_down_split(lt_family_fc, lt_panel, share_periods=common["season_length"])
    families = lt_panel[["unique_id", "family"]].drop_duplicates("unique_id")
    split = split.merge(families, on="unique_id").merge(
        lt_family_fc[["family", "ds", "method"]], on=["family", "ds"])
    split["method"] = "TopDown(" + split["method"] + ")"
    selection = pd.concat([selection, lt_selection], ignore_index=True).astype(SELECTION_SCHEMA)
    forecast = pd.concat([forecast, split[list(FORECAST_SCHEMA)]], ignore_index=True)
    return selection, forecast.astype(FORECAST_SCHEMA), backtest
