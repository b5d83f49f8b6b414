"""Real-data benchmark: the project's published forecast against single methods on held-out data.

For each real set in ``../shared/data`` (see its README):

- ``carparts``: 2,674 car parts x 51 months (``carparts_long.csv``), mapped to the landing
  contract by :mod:`sop_analytics.carparts`, planning calendar ``calendar_month``;
- ``online_retail``: UCI Online Retail invoice lines, mapped by
  :mod:`sop_analytics.online_retail` to items, shipments and a weekly planning calendar
  (the data covers one year: 53 whole weeks, 2010-11-29..2011-12-04; the last, partial
  week is left out), ``forecast_season_length`` 52.

Protocol: the last 12 planning periods are held out. The landing folder is written as a
user's extract job would write it, truncated at the first held-out period, and
``dbt build`` runs on it (a subprocess with scratch database, target and log folders, as
tests/python/conftest.py ``run_dbt`` does). The published ``marts.fct_demand_forecast``
is scored against the held-out actuals. ``--no-dbt`` instead calls
:func:`sop_analytics.forecasting.run_forecasting` directly on the history the dbt model
would pass (dense from each SKU's first demand, demand per day of each period), so
variants of the forecasting code can be compared fast; it is not the published forecast.

Each single method (every candidate of the pipeline except PromoLift, which needs a
promotion calendar these sets do not have; plus the 3-period moving average
``WindowAverage`` and ``SeasonalNaive``) is fitted with statsforecast on the same training
history (each SKU from its first demand) and forecasts the same 12 periods; seasonal
methods run non-seasonal on series shorter than two seasons, as in the pipeline. Their
forecasts are cached in ``<out>/<set>_singles.parquet`` (``--refresh-singles`` refits).

Scored: every SKU with demand in the training periods (SKUs with none are not forecast
by anyone). RMSSE (scale: in-sample naive, lag 1) and MASE (scale: in-sample seasonal
naive, lag 12 on monthly data, the Monash convention) averaged over SKUs with a non-zero
scale; pooled bias ``sum(f - y) / sum(y)``; interval coverage = share of held-out SKU-periods
inside the published 80 % / 95 % interval. Forecasts are clipped at zero.

Usage::

    python scripts/real_data_benchmark.py --sets carparts online_retail --out build/real_benchmark
    python scripts/real_data_benchmark.py --sets carparts --no-dbt --tag variant_x
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the repository (a worktree one level deeper finds it two up); --data overrides
DATA = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data") if p.exists()),
            ROOT.parent / "shared" / "data")
HOLDOUT = 12
SINGLE = ["AutoETS", "AutoTheta", "MSTL", "CrostonSBA", "TSB", "ADIDA", "IMAPA", "HistoricAverage",
          "WindowAverage", "Naive", "SeasonalNaive"]


@dataclass
class RealSet:
    name: str
    panel: pd.DataFrame        # unique_id, family, ds, y: dense over every period, SKUs with any demand
    periods: pd.DataFrame      # period_seq, period_start, n_days (history + horizon)
    season_length: int
    mase_season: int
    env: dict
    dbt_vars: dict

    @property
    def last_train(self) -> int:
        return int(self.panel["ds"].max()) - HOLDOUT

    def until(self) -> pd.Timestamp:
        return self.periods.set_index("period_seq").loc[self.last_train + 1, "period_start"]

    def write_landing(self, out: Path) -> None:
        raise NotImplementedError


class CarParts(RealSet):
    def write_landing(self, out: Path) -> None:
        from sop_analytics.carparts import carparts_items, carparts_shipments, read_long
        from sop_analytics.extracts import write_entity

        long = read_long(DATA / "carparts_long.csv")
        landing = out / "landing"
        write_entity(landing, "erp/items", carparts_items(long))
        ship = carparts_shipments(long)
        write_entity(landing, "erp/shipments", ship[ship["ship_date"] < self.until()].reset_index(drop=True))


class OnlineRetail(RealSet):
    def write_landing(self, out: Path) -> None:
        from sop_analytics.online_retail import map_online_retail

        map_online_retail(DATA / "online_retail_2010_2011.parquet", out, until=str(self.until().date()))


def load_carparts() -> RealSet:
    from sop_analytics.carparts import read_long

    raw = read_long(DATA / "carparts_long.csv")
    months = sorted(raw["month"].unique())
    seq = {m: i + 1 for i, m in enumerate(months)}
    raw = raw[raw["demand"] > 0]
    positive = sorted(raw["part"].unique())
    grid = pd.MultiIndex.from_product([positive, months], names=["part", "month"])
    dense = raw.groupby(["part", "month"])["demand"].sum().reindex(grid, fill_value=0.0).reset_index()
    panel = pd.DataFrame({"unique_id": dense["part"], "family": "CAR_PARTS", "ds": dense["month"].map(seq),
                          "y": dense["demand"].astype(float)})
    starts = pd.date_range(months[0] + "-01", periods=len(months) + HOLDOUT + 12, freq="MS")
    periods = pd.DataFrame({"period_seq": np.arange(1, len(starts) + 1), "period_start": starts,
                            "n_days": starts.days_in_month.astype(float)})
    return CarParts("carparts", panel, periods, 12, 12, {"SOP_PLANNING_CALENDAR": "calendar_month"}, {})


def load_online_retail() -> RealSet:
    from sop_analytics.online_retail import FAMILY_PREFIX, demand_lines, read_invoices, week_start

    lines = demand_lines(read_invoices(DATA / "online_retail_2010_2011.parquet"))
    lines["week"] = week_start(lines["date"])
    first = lines["week"].min()
    lines = lines[lines["week"] < lines["week"].max()]  # the last week is partial (data ends on a Friday)
    n_weeks = int((lines["week"].max() - first).days // 7) + 1
    lines["ds"] = (lines["week"] - first).dt.days // 7 + 1
    # scored per master SKU as the project derives it (normalize_code: upper case), so
    # '15056bl' and '15056BL' are one SKU, as in the published forecast
    lines["StockCode"] = lines["StockCode"].str.upper()
    agg = lines.groupby(["StockCode", "ds"])["Quantity"].sum()
    codes = sorted(agg.index.get_level_values(0).unique())
    grid = pd.MultiIndex.from_product([codes, range(1, n_weeks + 1)], names=["StockCode", "ds"])
    dense = agg.reindex(grid, fill_value=0).reset_index()
    panel = pd.DataFrame({"unique_id": dense["StockCode"], "family": FAMILY_PREFIX + dense["StockCode"].str[:2],
                          "ds": dense["ds"], "y": dense["Quantity"].astype(float)})
    starts = pd.date_range(first, periods=n_weeks + HOLDOUT + 12, freq="7D")
    periods = pd.DataFrame({"period_seq": np.arange(1, len(starts) + 1), "period_start": starts, "n_days": 7.0})
    return OnlineRetail("online_retail", panel, periods, 52, 1, {"SOP_PLANNING_CALENDAR": "fiscal_445"},
                        {"forecast_season_length": 52})


LOADERS = {"carparts": load_carparts, "online_retail": load_online_retail}


def training_history(rs: RealSet) -> pd.DataFrame:
    """Training periods of every SKU, from its first demand on (what the dbt model passes)."""
    train = rs.panel[rs.panel["ds"] <= rs.last_train]
    first = train[train["y"] > 0].groupby("unique_id")["ds"].min().rename("first")
    train = train.merge(first, on="unique_id")
    return train[train["ds"] >= train["first"]].drop(columns="first").reset_index(drop=True)


def run_published(rs: RealSet, work: Path, n_jobs: int) -> tuple[pd.DataFrame, float]:
    """dbt build on the truncated landing; the published forecast as ``unique_id, ds, ...``."""
    import duckdb

    work.mkdir(parents=True, exist_ok=True)
    rs.write_landing(work)
    database = work / "sop.duckdb"
    if database.exists():
        database.unlink()
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", str(ROOT),
               "--project-dir", str(ROOT), "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
               "--vars", json.dumps({**rs.dbt_vars, "forecast_n_jobs": n_jobs})]
    env = {**os.environ, "SOP_LANDING_DIR": str(work / "landing"), "SOP_DUCKDB_PATH": str(database),
           "SOP_PARQUET_DIR": str(work / "parquet"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **rs.env}
    t0 = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    (work / "dbt_build.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed for {rs.name} (see {work / 'dbt_build.log'}):\n{done.stdout[-3000:]}")
    con = duckdb.connect(str(database), read_only=True)
    try:
        fc = con.sql("select master_sku, period_start, forecast_units, lo_80, hi_80, lo_95, hi_95, method, "
                     "demand_class from marts.fct_demand_forecast").df()
    finally:
        con.close()
    seq = dict(zip(pd.to_datetime(rs.periods["period_start"]), rs.periods["period_seq"]))
    fc["ds"] = pd.to_datetime(fc["period_start"]).map(seq)
    fc = fc.rename(columns={"master_sku": "unique_id", "forecast_units": "forecast"})
    return fc[["unique_id", "ds", "forecast", "lo_80", "hi_80", "lo_95", "hi_95", "method", "demand_class"]], seconds


def run_direct(rs: RealSet, n_jobs: int, n_windows: int, **options) -> tuple[pd.DataFrame, float, pd.DataFrame]:
    """run_forecasting on the history the dbt model would pass (no dbt)."""
    from sop_analytics.forecasting import run_forecasting

    hist = training_history(rs)
    history = pd.DataFrame({"master_sku": hist["unique_id"], "master_family": hist["family"],
                            "period_seq": hist["ds"], "demand_units": hist["y"], "promo_units": 0.0})
    t0 = time.perf_counter()
    out = run_forecasting(history, horizon=HOLDOUT, n_windows=n_windows, pins=None,
                          season_length=rs.season_length, n_jobs=n_jobs,
                          period_days=rs.periods[["period_seq", "n_days"]], **options)
    seconds = time.perf_counter() - t0
    fc = out["forecast"].merge(out["classification"][["unique_id", "demand_class"]], on="unique_id", how="left")
    return fc, seconds, out["selection"]


def fit_singles(rs: RealSet, out: Path, refresh: bool, n_jobs: int) -> pd.DataFrame:
    """Every single method on the training history; ``unique_id, ds, <method>...`` (cached)."""
    from sop_analytics.forecasting.forecast import forecast_selected

    cache = out / f"{rs.name}_singles.parquet"
    if cache.exists() and not refresh:
        return pd.read_parquet(cache)
    hist = training_history(rs).assign(family="ALL", segment="ALL")
    frames = []
    for m in SINGLE:
        t0 = time.perf_counter()
        sel = pd.DataFrame({"family": ["ALL"], "segment": ["ALL"], "candidate": [m], "members": [""],
                            "is_selected": [True]})
        fc = forecast_selected(hist, sel, horizon=HOLDOUT, season_length=rs.season_length, n_jobs=n_jobs)
        frames.append(fc[["unique_id", "ds", "forecast", "lo_80", "hi_80"]].rename(
            columns={"forecast": m, "lo_80": f"{m}-lo-80", "hi_80": f"{m}-hi-80"}).set_index(["unique_id", "ds"]))
        print(f"  {rs.name}: {m} fitted in {time.perf_counter() - t0:.0f} s", flush=True)
    singles = pd.concat(frames, axis=1).reset_index()
    out.mkdir(parents=True, exist_ok=True)
    singles.to_parquet(cache)
    return singles


def score(rs: RealSet, fc: pd.DataFrame, singles: pd.DataFrame) -> dict:
    from sop_analytics.forecasting import metrics

    train = training_history(rs)[["unique_id", "ds", "y"]]
    ids = train["unique_id"].unique()
    test = rs.panel[(rs.panel["ds"] > rs.last_train) & rs.panel["unique_id"].isin(ids)][["unique_id", "ds", "y"]]
    sel = fc.rename(columns={"forecast": "Selected"})
    test = test.merge(sel[["unique_id", "ds", "Selected", "lo_80", "hi_80", "lo_95", "hi_95", "method"]],
                      on=["unique_id", "ds"], how="left")
    n_missing = int(test["Selected"].isna().groupby(test["unique_id"]).all().sum())
    test["Selected"] = test["Selected"].fillna(0.0)
    test = test.merge(singles[["unique_id", "ds", *SINGLE]], on=["unique_id", "ds"], how="left")
    test["Zero"] = 0.0
    names = ["Selected", *SINGLE, "Zero"]
    test[names] = test[names].clip(lower=0)
    classes = fc.drop_duplicates("unique_id").set_index("unique_id")["demand_class"]
    test["demand_class"] = test["unique_id"].map(classes).fillna("not forecast")

    def table(frame: pd.DataFrame) -> pd.DataFrame:
        tr = train[train["unique_id"].isin(frame["unique_id"].unique())]
        return pd.DataFrame({
            "RMSSE": metrics.rmsse(frame, names, 1, tr, pooled=True).iloc[0],
            "MASE": metrics.mase(frame, names, rs.mase_season, tr, pooled=True).iloc[0],
            "bias": metrics.bias_pct(frame, names, pooled=True).iloc[0],
        })

    overall = table(test)
    singles_only = overall.drop(["Selected", "Zero"])
    best = singles_only["RMSSE"].idxmin()
    smooth = test[test["demand_class"] == "smooth"]
    smooth_t = table(smooth) if not smooth.empty else None
    active = test[test["demand_class"] != "inactive"]

    def cover(frame: pd.DataFrame, lv: int) -> float:
        inside = (frame["y"] >= frame[f"lo_{lv}"] - 1e-9) & (frame["y"] <= frame[f"hi_{lv}"] + 1e-9)
        return float(inside[frame[f"lo_{lv}"].notna()].mean())

    by_class = {}
    for cls, grp in test.groupby("demand_class", sort=True):
        t = table(grp)
        s = t.drop(["Selected", "Zero"])["RMSSE"].dropna()
        by_class[cls] = {"skus": int(grp["unique_id"].nunique()), "selected": t.loc["Selected", "RMSSE"],
                         "best_single": s.idxmin() if len(s) else None, "best_single_rmsse": s.min() if len(s) else None,
                         "window_average": t.loc["WindowAverage", "RMSSE"], "cover80": cover(grp, 80),
                         "cover95": cover(grp, 95)}
    return {
        "set": rs.name, "skus_scored": int(test["unique_id"].nunique()), "skus_not_forecast": n_missing,
        "periods_train": rs.last_train, "table": overall, "best_single": best,
        "rmsse_ratio": overall.loc["Selected", "RMSSE"] / overall.loc[best, "RMSSE"],
        "smooth_skus": int(smooth["unique_id"].nunique()),
        "smooth_ratio": (smooth_t.loc["Selected", "RMSSE"] / smooth_t.loc["WindowAverage", "RMSSE"])
        if smooth_t is not None else np.nan,
        "cover80": cover(test, 80), "cover95": cover(test, 95),
        "cover80_active": cover(active, 80), "cover95_active": cover(active, 95),
        "mase_ratio": overall.loc["Selected", "MASE"] / overall.loc["SeasonalNaive", "MASE"],
        "bias": overall.loc["Selected", "bias"], "by_class": by_class,
        "methods": test.drop_duplicates("unique_id")["method"].fillna("none").str.replace(
            r"\[fallback.*", "[zero-collapse fallback]", regex=True).value_counts().head(8).to_dict(),
    }


def report(r: dict, seconds: float, mode: str) -> str:
    def flag(ok: bool) -> str:
        return "met" if ok else "**missed**"

    t = r["table"].sort_values("RMSSE", kind="mergesort")
    lines = [f"### {r['set']} ({mode}; {r['skus_scored']:,} SKUs scored, {r['periods_train']} training periods, "
             f"last {HOLDOUT} held out; {'dbt build' if 'dbt' in mode and 'directly' not in mode else 'run_forecasting'} {seconds:.0f} s)", "",
             "| target | value | target | |", "|---|---:|---:|---|",
             f"| selected RMSSE / best single method with hindsight ({r['best_single']}) | {r['rmsse_ratio']:.3f} "
             f"| <= 0.97 | {flag(r['rmsse_ratio'] <= 0.97)} |",
             f"| smooth SKUs ({r['smooth_skus']}): selected RMSSE / 3-period moving average | {r['smooth_ratio']:.3f} "
             f"| <= 0.90 | {flag(r['smooth_ratio'] <= 0.90)} |",
             f"| 80% interval coverage (all SKUs / not inactive) | {r['cover80']:.1%} / {r['cover80_active']:.1%} "
             f"| 77-83% | {flag(0.77 <= r['cover80'] <= 0.83)} |",
             f"| 95% interval coverage (all SKUs / not inactive) | {r['cover95']:.1%} / {r['cover95_active']:.1%} "
             f"| ~95% | |"]
    if r["set"] == "carparts":
        lines.append(f"| MASE / seasonal-naive MASE | {r['mase_ratio']:.3f} | <= 0.80 | {flag(r['mase_ratio'] <= 0.80)} |")
    lines += [f"| bias of the selected forecast | {r['bias']:+.1%} | | |", "",
              "| method | RMSSE | MASE | bias |", "|---|---:|---:|---:|"]
    for name, row in t.iterrows():
        label = "**Selected (published)**" if name == "Selected" else ("all-zero" if name == "Zero" else name)
        lines.append(f"| {label} | {row['RMSSE']:.3f} | {row['MASE']:.3f} | {row['bias']:+.1%} |")
    lines += ["", "| demand class | SKUs | selected RMSSE | best single | 3-period MA | 80% cover | 95% cover |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for cls, c in r["by_class"].items():
        best = f"{c['best_single']} {c['best_single_rmsse']:.3f}" if c["best_single"] else "n/a"
        lines.append(f"| {cls} | {c['skus']:,} | {c['selected']:.3f} | {best} | {c['window_average']:.3f} | "
                     f"{c['cover80']:.1%} | {c['cover95']:.1%} |")
    lines += ["", "Methods of the published forecast (SKUs): "
              + ", ".join(f"{k} {v}" for k, v in r["methods"].items()), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=list(LOADERS), choices=list(LOADERS))
    parser.add_argument("--data", type=Path, default=None, help="folder of the real sets (default ../shared/data)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "real_benchmark")
    parser.add_argument("--no-dbt", action="store_true", help="call run_forecasting directly (fast variants)")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--n-windows", type=int, default=3, help="backtest windows (--no-dbt only)")
    parser.add_argument("--refresh-singles", action="store_true")
    parser.add_argument("--no-ml", action="store_true", help="without the global ML candidate (--no-dbt only)")
    parser.add_argument("--no-robust", action="store_true", help="no ensemble fallback within noise (--no-dbt only)")
    parser.add_argument("--no-conformal", action="store_true", help="model intervals, not conformal (--no-dbt only)")
    parser.add_argument("--max-backtest-series", type=int, default=None,
                        help="cap the SKUs backtested per family segment (--no-dbt only; default: no cap)")
    parser.add_argument("--tag", default="", help="suffix of the result files")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    if args.data is not None:
        globals()["DATA"] = args.data
    mode = "run_forecasting directly" if args.no_dbt else "dbt build, published forecast"
    texts = []
    for name in args.sets:
        rs = LOADERS[name]()
        print(f"{name}: {rs.panel['unique_id'].nunique():,} SKUs x {int(rs.panel['ds'].max())} periods; "
              f"training 1..{rs.last_train}", flush=True)
        singles = fit_singles(rs, args.out, args.refresh_singles, args.n_jobs)
        if args.no_dbt:
            # only options asked for, so the script also runs older versions of the package
            options = {k: False for k, off in (("ml", args.no_ml), ("conformal", args.no_conformal),
                                               ("noise_fallback", args.no_robust)) if off}
            if args.max_backtest_series is not None:
                options["max_backtest_series"] = args.max_backtest_series
            fc, seconds, _ = run_direct(rs, args.n_jobs, args.n_windows, **options)
        else:
            fc, seconds = run_published(rs, args.out / f"{name}_dbt", args.n_jobs)
        r = score(rs, fc, singles)
        text = report(r, seconds, mode)
        print(text, flush=True)
        texts.append(text)
        (args.out / f"{name}{'_nodbt' if args.no_dbt else ''}{args.tag}.md").write_text(text)
    return 0


if __name__ == "__main__":
    if not os.environ.get("PYTHONPATH"):  # PYTHONPATH wins: it can point at another version of the package
        sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
