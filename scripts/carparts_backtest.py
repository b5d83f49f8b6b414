"""Selection on the car parts data set versus single methods, all-zero and seasonal naive.

Data: /work/shared/data/carparts_long.csv (2,674 parts x 51 months, missing months = 0).
Every part is one SKU of one family; the pipeline splits the family by demand segment.

Protocol (out of sample, so the selection cannot grade its own homework): the last
``--horizon`` months are held out. The pipeline sees months 1..51-h (dense from each
part's first demand, as the dbt model passes it), selects per segment by its own
rolling-origin backtest on that history and forecasts the held-out months. Every single
method is fitted on the same training months (full 51-h month series, leading zeros
kept, as in the Monash archive) and forecasts the same months. Parts with no demand in
the training months get a zero forecast from the pipeline (it never sees them).

Metrics over the held-out months, per part then averaged over parts with a finite value:
RMSSE (scale: in-sample naive, lag 1), MASE (scale: in-sample seasonal naive, lag 12, the
Monash convention: their seasonal naive on car parts scores 1.201), pooled WAPE and bias.

Usage::

    python scripts/carparts_backtest.py --horizon 12 --n-windows 3 --n-jobs 2
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import pandas as pd

DATA = "/work/shared/data/carparts_long.csv"
SINGLE = ["AutoETS", "AutoTheta", "MSTL", "CrostonSBA", "TSB", "ADIDA", "IMAPA",
          "HistoricAverage", "Naive", "SeasonalNaive"]


def load(path: str = DATA) -> pd.DataFrame:
    """Dense tidy panel ``unique_id, ds, y`` with ds = 1..51 (missing months = 0)."""
    raw = pd.read_csv(path, dtype={"part": str, "month": str})
    months = sorted(raw["month"].unique())
    grid = pd.MultiIndex.from_product([sorted(raw["part"].unique()), months], names=["part", "month"])
    dense = raw.groupby(["part", "month"])["demand"].sum().reindex(grid, fill_value=0.0).reset_index()
    dense["ds"] = dense["month"].map({m: i + 1 for i, m in enumerate(months)})
    return dense.rename(columns={"part": "unique_id", "demand": "y"})[["unique_id", "ds", "y"]]


def evaluate(test: pd.DataFrame, train: pd.DataFrame, models: list[str]) -> pd.DataFrame:
    from sop_analytics.forecasting import metrics

    rmsse = metrics.rmsse(test, models, 1, train, pooled=True)
    mase = metrics.mase(test, models, 12, train, pooled=True)
    wape = metrics.wape(test, models, pooled=True)
    bias = metrics.bias_pct(test, models, pooled=True)
    n_rmsse = metrics.rmsse(test, models, 1, train)[models].notna().sum()
    n_mase = metrics.mase(test, models, 12, train)[models].notna().sum()
    return pd.DataFrame({
        "method": models, "RMSSE": rmsse.iloc[0].to_numpy(), "MASE_m12": mase.iloc[0].to_numpy(),
        "WAPE": wape.iloc[0].to_numpy(), "bias_pct": bias.iloc[0].to_numpy(),
        "n_rmsse": n_rmsse.to_numpy(), "n_mase": n_mase.to_numpy(),
    })


def main(argv: list[str] | None = None) -> int:
    from statsforecast import StatsForecast
    from statsforecast.models import Naive

    from sop_analytics.forecasting import run_forecasting
    from sop_analytics.forecasting.candidates import make_model

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--horizon", type=int, default=12)
    parser.add_argument("--n-windows", type=int, default=3)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--max-parts", type=int, default=None, help="first N parts only (smoke runs)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    h = args.horizon

    panel = load()
    if args.max_parts:
        panel = panel[panel["unique_id"].isin(sorted(panel["unique_id"].unique())[: args.max_parts])]
    last = int(panel["ds"].max())
    train = panel[panel["ds"] <= last - h]
    test = panel[panel["ds"] > last - h].copy()
    print(f"{panel['unique_id'].nunique():,} parts x {last} months; train 1..{last - h}, "
          f"test {last - h + 1}..{last}; zero cells {np.mean(panel['y'] == 0):.1%}")

    # --- pipeline: dense from first demand, one family ---------------------------------
    first = train[train["y"] > 0].groupby("unique_id")["ds"].min()
    hist = train.merge(first.rename("first"), on="unique_id")
    hist = hist[hist["ds"] >= hist["first"]]
    history = pd.DataFrame({
        "master_sku": hist["unique_id"], "master_family": "CARPARTS", "period_seq": hist["ds"],
        "demand_units": hist["y"].astype(float), "promo_units": 0.0,
    })
    t0 = time.perf_counter()
    out = run_forecasting(history, horizon=h, n_windows=args.n_windows, pins=None, n_jobs=args.n_jobs)
    pipeline_s = time.perf_counter() - t0
    cls = out["classification"]["demand_class"].value_counts()
    print(f"\npipeline: {pipeline_s:.0f} s; classes: " + ", ".join(f"{k} {v}" for k, v in cls.items()))
    sel = out["selection"]
    cols = ["segment", "candidate", "metric", "score", "bias_pct", "wape", "mase", "n_series", "h",
            "step_size", "rank", "is_selected"]
    print("\nselection table (in-sample backtest on the training months):")
    print(sel[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    fc = out["forecast"][["unique_id", "ds", "forecast"]].rename(columns={"forecast": "Selected"})
    test = test.merge(fc, on=["unique_id", "ds"], how="left")
    test["Selected"] = test["Selected"].fillna(0.0)

    # --- every single method on every part (full training months) ----------------------
    t0 = time.perf_counter()
    models = [make_model(m, season_length=12) for m in SINGLE]
    sf = StatsForecast(models, freq=1, n_jobs=args.n_jobs, fallback_model=Naive())
    single = sf.forecast(df=train, h=h)
    single = single.reset_index() if "unique_id" not in single.columns else single
    single_s = time.perf_counter() - t0
    test = test.merge(single, on=["unique_id", "ds"], how="left")
    test["Zero"] = 0.0
    names = ["Selected", *SINGLE, "Zero"]
    test[names] = test[names].clip(lower=0)  # same non-negativity as the pipeline
    res = evaluate(test, train, names).sort_values("RMSSE", kind="mergesort")
    print(f"\nsingle methods: {single_s:.0f} s")
    print(f"\nheld-out accuracy, last {h} months (lower is better):")
    print("| method | RMSSE | MASE (m=12) | WAPE | bias | parts scored (RMSSE / MASE) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in res.itertuples(index=False):
        print(f"| {r.method} | {r.RMSSE:.3f} | {r.MASE_m12:.3f} | {r.WAPE:.3f} | {r.bias_pct:+.1%} | "
              f"{r.n_rmsse:,} / {r.n_mase:,} |")
    # accuracy by segment for the selected forecast vs the best single method per segment
    seg = out["classification"][["unique_id", "segment"]]
    test = test.merge(seg, on="unique_id", how="left")
    test["segment"] = test["segment"].fillna("no training demand")
    print("\nRMSSE by pipeline segment (parts classified on the training months):")
    print("| segment | parts | Selected | best single | Zero | SeasonalNaive |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, grp in test.groupby("segment", sort=True):
        r = evaluate(grp, train[train["unique_id"].isin(grp["unique_id"])], names).set_index("method")["RMSSE"]
        singles = r.drop(["Selected", "Zero"]).dropna()
        best = f"{singles.idxmin()} {singles.min():.3f}" if len(singles) else "n/a (zero scale)"
        print(f"| {name} | {grp['unique_id'].nunique():,} | {r['Selected']:.3f} | {best} | "
              f"{r['Zero']:.3f} | {r['SeasonalNaive']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, "src")
    sys.exit(main())
