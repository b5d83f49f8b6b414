"""Benchmark the forecasting pipeline at scale, with two comparisons.

For each size (SKUs x 48 periods, mixed demand classes, seeded) a fresh child process
runs one job, after an untimed warm-up on 60 SKUs that compiles numba kernels, and
reports wall time and peak RSS (``resource.getrusage(RUSAGE_SELF)``,
which sees numpy's allocations; tracemalloc does not). Jobs:

* ``pipeline``: ``run_forecasting`` (classification + backtest selection + forecast);
* ``plain``: a bare statsforecast script doing the same model work without the pipeline
  (one ``cross_validation`` per segment with the same candidates and windows, one
  ``forecast`` per chosen method), the denominator of the overhead ratio;
* ``per_sku``: the statsforecast tutorial approach, every candidate on every SKU through
  ``cross_validation`` + ``forecast``, best model picked per SKU;
* ``dask``: ``run_forecasting`` with ``engine="dask"`` (Fugue on a local Dask cluster of
  ``--n-jobs`` workers), against ``pipeline`` (the local engine) in the same run: the
  distributed engine's overhead on one machine (``--dask-sizes``).

Usage::

    python scripts/benchmark_forecasting.py --sizes 1000 10000 --plain-sizes 1000 10000 \
        --per-sku-sizes 1000 --n-jobs 2 --seed 42
    python scripts/benchmark_forecasting.py --sizes 1000 --plain-sizes --per-sku-sizes \
        --dask-sizes 1000 --n-jobs 2
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

HORIZON = 12
N_WINDOWS = 3
SEASON = 12


def make_history(n_skus: int, *, n_periods: int = 48, seed: int = 0,
                 family_size: tuple[int, int] = (20, 80)) -> pd.DataFrame:
    """Synthetic dbt-shaped history: ``master_sku, master_family, period_seq, demand_units, promo_units``.

    Families of ``family_size`` SKUs; each family has one demand pattern (smooth seasonal
    40 %, erratic 10 %, intermittent 35 %, lumpy 15 % of families; 8 % of SKUs launched late
    (new) and 4 % discontinued (inactive)); 20 % of continuous families run promotions
    (15 % of periods, +80 % uplift, 70 % of promoted-period units sold on promotion).
    Rows are dense from each SKU's first demand to the last period.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n_periods)
    skus, fams, seqs, ys, promos = [], [], [], [], []
    made, fam_no = 0, 0
    while made < n_skus:
        size = int(min(rng.integers(family_size[0], family_size[1] + 1), n_skus - made))
        kind = rng.choice(["smooth", "erratic", "intermittent", "lumpy"], p=[0.40, 0.10, 0.35, 0.15])
        promo_family = kind in ("smooth", "erratic") and rng.random() < 0.2
        phase = rng.uniform(0, 2 * np.pi)
        for _ in range(size):
            level = rng.lognormal(3.5, 1.0)
            season = 1 + rng.uniform(0.2, 0.5) * np.sin(2 * np.pi * t / SEASON + phase)
            if kind == "smooth":
                y = level * season * rng.gamma(30, 1 / 30, n_periods)
            elif kind == "erratic":
                y = level * season * rng.gamma(1.2, 1 / 1.2, n_periods)
            else:
                p = rng.uniform(0.15, 0.5)
                shape = 8.0 if kind == "intermittent" else 0.8
                size_mean = rng.lognormal(1.5, 0.8)
                y = (rng.random(n_periods) < p) * rng.gamma(shape, size_mean / shape, n_periods)
            y = np.round(y)
            promo = np.zeros(n_periods)
            if promo_family:
                on = rng.random(n_periods) < 0.15
                y = np.where(on, np.round(y * 1.8), y)
                promo = np.where(on, np.round(0.7 * y), 0.0)
            u = rng.random()
            if u < 0.08:  # new
                y[: n_periods - int(rng.integers(4, 11))] = 0
                promo[y == 0] = 0
            elif u < 0.12:  # inactive
                y[n_periods - int(rng.integers(7, 15)):] = 0
                promo[y == 0] = 0
            nz = np.flatnonzero(y > 0)
            first = int(nz[0]) if nz.size else n_periods - 1
            sl = slice(first, n_periods)
            k = n_periods - first
            skus += [f"SKU{made:06d}"] * k
            fams += [f"FAM{fam_no:04d}"] * k
            seqs.append(t[sl] + 100)
            ys.append(y[sl])
            promos.append(promo[sl])
            made += 1
        fam_no += 1
    return pd.DataFrame({
        "master_sku": skus, "master_family": fams,
        "period_seq": np.concatenate(seqs).astype("int64"),
        "demand_units": np.concatenate(ys).astype(float),
        "promo_units": np.concatenate(promos).astype(float),
    })


def _job_pipeline(history: pd.DataFrame, n_jobs: int) -> dict:
    from sop_analytics.forecasting import run_forecasting

    out = run_forecasting(history, horizon=HORIZON, n_windows=N_WINDOWS, pins=None,
                          season_length=SEASON, n_jobs=n_jobs)
    sel = out["selection"]
    chosen = sel.loc[sel["is_selected"]].groupby("candidate").size().to_dict()
    return {"forecast_rows": len(out["forecast"]), "selected": chosen,
            "classes": out["classification"]["demand_class"].value_counts().to_dict()}


def _job_dask(history: pd.DataFrame, n_jobs: int) -> dict:
    from sop_analytics.forecasting import run_forecasting

    out = run_forecasting(history, horizon=HORIZON, n_windows=N_WINDOWS, pins=None, season_length=SEASON, n_jobs=n_jobs,
                engine="dask")
    return {"forecast_rows": len(out["forecast"])}


def _job_plain(history: pd.DataFrame, n_jobs: int) -> dict:
    """The same statsforecast work as the pipeline, with none of its bookkeeping."""
    from statsforecast import StatsForecast
    from statsforecast.models import Naive
    from statsforecast.utils import ConformalIntervals

    from sop_analytics.forecasting.candidates import CONFORMAL_ONLY, make_model
    from sop_analytics.forecasting.pipeline import run_forecasting  # noqa: F401 (import cost parity)

    # the pipeline's decisions, taken from a cheap precomputation that is not timed
    plan = history.attrs["plan"]
    df = history.rename(columns={"master_sku": "unique_id", "period_seq": "ds", "demand_units": "y"})
    y, promo = df["y"].to_numpy(), df["promo_units"].to_numpy()
    df["promo_share"] = np.clip(np.divide(promo, y, out=np.zeros_like(y), where=y > 0), 0, 1)
    for group in plan["cv"]:
        sub = df[df["unique_id"].isin(group["ids"])]
        models = [make_model(m, season_length=SEASON) for m in group["methods"]]
        for refit, ms in ((False, [m for m in models if hasattr(m, "forward")]),
                          (True, [m for m in models if not hasattr(m, "forward")])):
            if not ms:
                continue
            cols = ["unique_id", "ds", "y"] + (["promo_share"] if any(getattr(m, "uses_exog", False) for m in ms) else [])
            StatsForecast(ms, freq=1, n_jobs=n_jobs, fallback_model=Naive()).cross_validation(
                df=sub[cols], h=group["h"], n_windows=N_WINDOWS, step_size=group["step"], refit=refit)
    for method, ids in plan["forecast"].items():
        sub = df[df["unique_id"].isin(ids)]
        conformal = method.split("[")[0] in CONFORMAL_ONLY
        pi = ConformalIntervals(h=HORIZON, n_windows=4) if conformal else None
        long = sub.groupby("unique_id")["y"].transform("size") >= 2 * HORIZON + 1
        for part, lv in ((sub[long], [80, 95]), (sub[~long], [80, 95] if not conformal else None)):
            if part.empty:
                continue
            model = make_model(method, season_length=SEASON, prediction_intervals=pi if lv else None)
            x_df = None
            cols = ["unique_id", "ds", "y"]
            if getattr(model, "uses_exog", False):
                cols.append("promo_share")
                last = part.groupby("unique_id")["ds"].max()
                x_df = pd.DataFrame({"unique_id": np.repeat(last.index, HORIZON),
                                     "ds": (last.to_numpy()[:, None] + np.arange(1, HORIZON + 1)).ravel(),
                                     "promo_share": 0.0})
            StatsForecast([model], freq=1, n_jobs=n_jobs, fallback_model=Naive()).forecast(
                df=part[cols], h=HORIZON, level=lv, X_df=x_df)
    return {}


def _job_per_sku(history: pd.DataFrame, n_jobs: int) -> dict:
    """Every candidate on every SKU; best model per SKU by RMSSE (tutorial approach)."""
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    from sop_analytics.forecasting import metrics
    from sop_analytics.forecasting.candidates import make_model

    df = history.rename(columns={"master_sku": "unique_id", "period_seq": "ds", "demand_units": "y"})
    df = df[["unique_id", "ds", "y"]]
    names = ["AutoETS", "AutoTheta", "MSTL", "CrostonSBA", "TSB", "ADIDA", "IMAPA", "Naive", "SeasonalNaive"]
    models = [make_model(m, season_length=SEASON) for m in names]
    n = df.groupby("unique_id").size()
    # tutorial approach needs every series long enough for every model: seasonal ones need 2 seasons
    long_ids = n.index[n >= 2 * SEASON + HORIZON + 2 * 6]
    sub = df[df["unique_id"].isin(long_ids)]
    sf = StatsForecast(models, freq=1, n_jobs=n_jobs, fallback_model=Naive())
    cv = sf.cross_validation(df=sub, h=HORIZON, n_windows=N_WINDOWS, step_size=6)
    scores = metrics.rmsse(cv, names, 1, sub)
    best = scores.groupby("unique_id")[names].mean().idxmin(axis=1)
    sf.forecast(df=sub, h=HORIZON)  # forecast every model, keep the best per SKU
    return {"series": int(len(long_ids)), "best_counts": best.value_counts().to_dict()}


def _child(job: str, n_skus: int, seed: int, n_jobs: int, queue: mp.Queue) -> None:
    warnings.filterwarnings("ignore")
    history = make_history(n_skus, seed=seed)
    # every job is timed warm: numba compiles the models' kernels on first use (~10-20 s)
    _job_pipeline(make_history(60, seed=seed + 1), 1)
    if job == "plain":
        history.attrs["plan"] = _plain_plan(history, n_jobs)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    info = {"pipeline": _job_pipeline, "plain": _job_plain, "per_sku": _job_per_sku, "dask": _job_dask}[job](
        history, n_jobs)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    # n_jobs > 1: worker processes; ru_maxrss of RUSAGE_CHILDREN is the largest one
    peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    queue.put({"job": job, "n_skus": n_skus, "wall_s": wall, "peak_rss_mib": peak / 1024,
               "peak_worker_rss_mib": peak_worker / 1024,
               "rss_before_job_mib": base_rss / 1024, **info})


def _plain_plan(history: pd.DataFrame, n_jobs: int) -> dict:
    """Replay the pipeline's decisions (which series, which candidates, which winner)."""
    from sop_analytics.forecasting.candidates import effective_method
    from sop_analytics.forecasting.pipeline import promo_families, to_panel
    from sop_analytics.forecasting.classification import classify_demand
    from sop_analytics.forecasting.selection import run_backtest, select_methods

    panel = to_panel(history)
    cls = classify_demand(panel)
    panel = panel.merge(cls[["unique_id", "segment"]], on="unique_id")
    promo = promo_families(panel, 0.10)
    _, plans = run_backtest(panel, horizon=HORIZON, n_windows=N_WINDOWS, season_length=SEASON,
                            promo_families=promo)
    cv_groups: dict = {}
    for r in plans.itertuples(index=False):
        if not r.methods or r.plan.h == 0:
            continue
        key = (r.plan.h, r.plan.step_size, r.methods)
        cv_groups.setdefault(key, []).extend(r.ids.tolist())
    # the winners: cheap to recompute here? no - re-run selection is what we time. Use the
    # pipeline's own output from an untimed run so both jobs fit the same models.
    from sop_analytics.forecasting import run_forecasting

    out = run_forecasting(history, horizon=HORIZON, n_windows=N_WINDOWS, pins=None,
                          season_length=SEASON, n_jobs=n_jobs)
    fc = out["forecast"].drop_duplicates("unique_id")[["unique_id", "method"]]
    fit: dict = {}
    for uid, method in zip(fc["unique_id"], fc["method"]):
        if method.startswith("Ensemble("):
            for m in method[len("Ensemble("):-1].split("+"):
                fit.setdefault(m, []).append(uid)
        else:
            fit.setdefault(method, []).append(uid)
    _ = effective_method
    return {"cv": [{"h": k[0], "step": k[1], "methods": list(k[2]), "ids": v} for k, v in cv_groups.items()],
            "forecast": fit}


def run(job: str, n_skus: int, seed: int, n_jobs: int) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(job, n_skus, seed, n_jobs, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--plain-sizes", type=int, nargs="*", default=[1000, 10000],
                        help="sizes at which to also run the plain statsforecast script")
    parser.add_argument("--per-sku-sizes", type=int, nargs="*", default=[1000],
                        help="sizes at which to also run every candidate on every SKU")
    parser.add_argument("--dask-sizes", type=int, nargs="*", default=[],
                        help="sizes at which to also run the pipeline on a local Dask cluster (engine dask)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    results = []
    for n in args.sizes:
        jobs = (["pipeline"] + (["plain"] if n in args.plain_sizes else [])
                + (["per_sku"] if n in args.per_sku_sizes else []) + (["dask"] if n in args.dask_sizes else []))
        for job in jobs:
            r = run(job, n, args.seed, args.n_jobs)
            results.append(r)
            print(json.dumps(r, default=str), flush=True)
    print("\n| job | SKUs | n_jobs | wall s | peak RSS MiB | largest worker RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['job']} | {r['n_skus']:,} | {args.n_jobs} | {r['wall_s']:.1f} | "
              f"{r['peak_rss_mib']:.0f} | {r['peak_worker_rss_mib']:.0f} |")
    by = {(r["job"], r["n_skus"]): r["wall_s"] for r in results}
    for n in args.sizes:
        if ("plain", n) in by:
            print(f"\noverhead ratio at {n:,} SKUs (pipeline / plain statsforecast): "
                  f"{by[('pipeline', n)] / by[('plain', n)]:.2f}x")
        if ("dask", n) in by:
            print(f"Dask engine / local engine at {n:,} SKUs ({args.n_jobs} workers each): "
                  f"{by[('dask', n)] / by[('pipeline', n)]:.2f}x")
        if ("per_sku", n) in by:
            print(f"per-SKU all-candidates approach / pipeline at {n:,} SKUs: "
                  f"{by[('per_sku', n)] / by[('pipeline', n)]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, "src")
    sys.exit(main())
