"""Honest accuracy on the demo after several published cycles: the metric SQL on a
hand-worked example and against utilsforecast, the planted level shift found among the SKUs
the aggregate hides, every number in the room in one table, backtests kept apart."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest
from utilsforecast import losses

from sop_analytics.forecasting import metrics

pytestmark = pytest.mark.dbt



# Two SKUs of one family, two cycles, lag 1. Worked by hand below.
HAND_ERRORS = pd.DataFrame({
    "master_sku": ["A", "A", "B", "B"],
    "cycle": ["2026-01", "2026-02", "2026-01", "2026-02"],
    "forecast_units": [12.0, 6.0, 0.0, 3.0],
    "actual_units": [10.0, 8.0, 4.0, 0.0],
    "scale_mae": [2.0, 2.0, 1.0, 1.0],
    "scale_mse": [5.0, 5.0, 1.0, 1.0],
    "unit_price": [1.0, 1.0, 10.0, 10.0],
})
# (level, sku): wape, netted_wape, mape, mape_excluded, mase, rmsse, bias_units, bias_pct, revenue_weighted_error
HAND_EXPECTED = {
    # at SKU level the netted figure is the WAPE (nothing to cancel against)
    # A: |e| 2 + 2 = 4 over 18; APE (0.2 + 0.25) / 2; scaled |e| 2/2, 2/2; scaled e^2 4/5, 4/5
    ("sku", "A"): (4 / 18, 4 / 18, 0.225, 0, 1.0, math.sqrt(0.8), 0.0, 0.0, 4 / 18),
    # B: |e| 4 + 3 = 7 over 4; only the period with demand has an APE (4/4); 4/1, 3/1; 16, 9
    ("sku", "B"): (7 / 4, 7 / 4, 1.0, 1, 3.5, math.sqrt(12.5), -1.0, -0.25, 70 / 40),
    # family: SKU errors summed (11 over 22); netted per cycle |2 - 4| + |-2 + 3| = 3;
    # MAPE pools the three SKU-periods with demand; MASE, RMSSE: mean of the SKUs'
    ("family", None): (11 / 22, 3 / 22, (0.2 + 0.25 + 1.0) / 3, 1, 2.25,
                       (math.sqrt(0.8) + math.sqrt(12.5)) / 2, -1.0, -1 / 22, 74 / 58),
}


def test_accuracy_sql_on_a_hand_worked_example(planted_build, tmp_path):
    """The compiled fct_forecast_accuracy (with the two intermediate models it reads,
    int_forecast_error_totals_by_level and int_forecast_scaled_errors_by_level), run on
    hand-made error rows, gives the figures worked out by hand, including the family figure
    from SKU errors and the netted one."""
    run, _ = planted_build
    target = run.database.parent / "target" / "compiled"
    compiled = next(target.rglob("marts/accuracy/fct_forecast_accuracy.sql"))
    parts = [next(target.rglob(f"intermediate/accuracy/{name}.sql"))
             for name in ("int_forecast_error_totals_by_level", "int_forecast_scaled_errors_by_level")]
    con = duckdb.connect(str(tmp_path / "sop.duckdb"))
    con.sql(f"attach '{run.database}' as built (read_only)")
    con.sql("create schema marts")
    for table in ("fct_forecast_errors", "fct_demand_classification"):
        con.sql(f"create table marts.{table} as select * from built.marts.{table} limit 0")
    rows = HAND_ERRORS.assign(
        evaluation="published", number_source="statistical_baseline", lag=1, master_family="F",
        error_units=lambda d: d["forecast_units"] - d["actual_units"],
        abs_error_units=lambda d: (d["forecast_units"] - d["actual_units"]).abs(),
        squared_error=lambda d: (d["forecast_units"] - d["actual_units"]) ** 2,
        abs_error_value=lambda d: (d["forecast_units"] - d["actual_units"]).abs() * d["unit_price"],
        actual_value=lambda d: d["actual_units"] * d["unit_price"],
        is_tracking_signal_flagged=False,
    )
    con.register("hand", rows)
    cols = ", ".join(rows.columns)
    con.sql(f"insert into marts.fct_forecast_errors ({cols}) select {cols} from hand")
    con.sql("insert into marts.fct_demand_classification (master_sku, master_family, demand_class) "
            "values ('A', 'F', 'smooth'), ('B', 'F', 'intermittent')")
    con.sql("detach built")
    con.sql("create schema intermediate")
    for part in parts:
        con.sql(f"create table intermediate.{part.stem} as {part.read_text()}")
    result = con.sql(compiled.read_text()).df()
    pooled = result[result["cycle"] == "all"]
    fields = ["wape", "netted_wape", "mape", "mape_excluded_periods", "mase", "rmsse", "bias_units", "bias_pct",
              "revenue_weighted_error"]
    for (level, sku), expected in HAND_EXPECTED.items():
        row = pooled[(pooled["aggregation_level"] == level) & (
            pooled["master_sku"] == sku if sku else pooled["master_sku"].isna())]
        assert len(row) == 1
        got = row.iloc[0]
        for field, value in zip(fields, expected):
            assert got[field] == pytest.approx(value, abs=1e-9), (level, sku, field)
    # the SKU judged on RMSSE is the intermittent one
    skus = pooled[pooled["aggregation_level"] == "sku"].set_index("master_sku")
    assert skus.loc["A", "primary_metric"] == "wape" and skus.loc["B", "primary_metric"] == "rmsse"
    assert skus.loc["B", "primary_error"] == pytest.approx(math.sqrt(12.5))
    # per cycle: one period each, company netted error of the first cycle |2 - 4| / 14
    first = result[(result["cycle"] == "2026-01") & (result["aggregation_level"] == "company")].iloc[0]
    assert first["netted_wape"] == pytest.approx(2 / 14)
    assert first["wape"] == pytest.approx(6 / 14)
    con.close()


def test_metrics_equal_utilsforecast(planted_build):
    """For one published cycle at lag 1, the SKU figures equal utilsforecast's wape, mape,
    mase, rmsse and bias (seasonality 1, train = the history before the cycle), the company
    WAPE equals utilsforecast's on all SKU-periods pooled, and the tracking signal equals
    the package's over the cycles."""
    run, _ = planted_build
    errors = run.frame("""
        select e.cycle, e.master_sku as unique_id, p.period_seq as ds, e.actual_units as y, e.forecast_units as model
        from marts.fct_forecast_errors as e
        inner join intermediate.int_planning_periods as p using (period_id)
        where e.evaluation = 'published' and e.number_source = 'statistical_baseline' and e.lag = 1""")
    cycle = sorted(errors["cycle"].unique())[0]
    df = errors[errors["cycle"] == cycle].drop(columns="cycle").sort_values("unique_id").reset_index(drop=True)
    cycle_seq = int(df["ds"].iloc[0])
    train = run.frame(f"""
        select master_sku as unique_id, period_seq as ds, cast(demand_units as double) as y
        from intermediate.int_demand_history_by_sku_period where period_seq < {cycle_seq}""")
    train = train[train["unique_id"].isin(df["unique_id"])].sort_values(["unique_id", "ds"])
    mart = run.frame(f"""
        select master_sku as unique_id, wape, mape, mase, rmsse, bias_units
        from marts.fct_forecast_accuracy
        where evaluation = 'published' and number_source = 'statistical_baseline' and lag = 1
            and aggregation_level = 'sku' and cycle = '{cycle}'""").set_index("unique_id").sort_index()
    assert len(mart) == len(df) > 300

    reference = {
        "wape": losses.wape(df, ["model"]),
        "mase": losses.mase(df, ["model"], seasonality=1, train_df=train),
        "rmsse": losses.rmsse(df, ["model"], seasonality=1, train_df=train),
        "bias_units": losses.bias(df, ["model"]),  # one period per SKU: mean error = sum
    }
    for name, ref in reference.items():
        ref = ref.set_index("unique_id")["model"].reindex(mart.index)
        both = ref.notna() & mart[name].notna() & np.isfinite(ref)
        assert both.sum() > 300, name
        np.testing.assert_allclose(mart.loc[both, name], ref[both], rtol=1e-9, atol=1e-9, err_msg=name)
    with_demand = df[df["y"] > 0]
    ref_mape = losses.mape(with_demand, ["model"]).set_index("unique_id")["model"]
    np.testing.assert_allclose(mart.loc[ref_mape.index, "mape"], ref_mape, rtol=1e-9)
    assert mart.loc[df.loc[df["y"] == 0, "unique_id"], "mape"].isna().all()

    [(company_wape,)] = run.query(f"""
        select wape from marts.fct_forecast_accuracy
        where evaluation = 'published' and number_source = 'statistical_baseline' and lag = 1
            and aggregation_level = 'company' and cycle = '{cycle}'""")
    pooled = losses.wape(df.assign(unique_id="all"), ["model"])["model"].iloc[0]
    assert company_wape == pytest.approx(pooled, rel=1e-9)

    ts = metrics.tracking_signal(errors.drop(columns="cycle"), ["model"])
    ts = ts.set_index("unique_id")["model"]
    mart_ts = run.frame("""
        select master_sku as unique_id, tracking_signal from marts.fct_forecast_accuracy
        where evaluation = 'published' and number_source = 'statistical_baseline' and lag = 1
            and aggregation_level = 'sku' and cycle = 'all'""").set_index("unique_id")["tracking_signal"]
    both = mart_ts.dropna().index.intersection(ts.dropna().index)
    assert len(both) > 300
    np.testing.assert_allclose(mart_ts[both], ts[both], rtol=1e-9)


def test_level_shift_hides_in_the_aggregate(planted_build):
    """The planted SURGICAL level shift: the affected SKUs are listed in the hidden-error
    mart, under-forecast, while the company's roll-up figure stays comfortable; the company
    WAPE from SKU errors is larger than the netted one."""
    run, manifest = planted_build
    [plant] = [p for p in manifest["plants"] if p["type"] == "level_shift"]
    planted = set(plant["master_skus"])
    [(wape, netted)] = run.query("""
        select wape, netted_wape from marts.fct_forecast_accuracy
        where evaluation = 'published' and number_source = 'statistical_baseline' and lag = 1
            and aggregation_level = 'company' and cycle = 'all'""")
    assert netted <= 0.15 < wape
    skus = run.frame("""
        select master_sku, abc_class from marts.fct_forecast_accuracy as a
        left join marts.rpt_hidden_forecast_error as h using (number_source, lag, master_sku)
        where a.evaluation = 'published' and a.number_source = 'statistical_baseline' and a.lag = 1
            and a.aggregation_level = 'sku' and a.cycle = 'all'""")
    hidden = run.frame("""
        select master_sku, sku_bias_pct, is_biased, company_looks_fine, revenue_at_risk_rank
        from marts.rpt_hidden_forecast_error where number_source = 'statistical_baseline' and lag = 1""")
    assert hidden["company_looks_fine"].all()
    hidden["planted"] = hidden["master_sku"].isin(planted)
    n_planted = len(planted & set(skus["master_sku"]))
    share_planted = hidden["planted"].sum() / n_planted
    share_other = (~hidden["planted"]).sum() / (len(skus) - n_planted)
    assert share_planted >= 0.6, share_planted
    assert share_planted >= 2 * share_other, (share_planted, share_other)
    # the planted SKUs are there for the reason planted: under-forecast
    assert hidden.loc[hidden["planted"], "sku_bias_pct"].median() < -0.10
    assert hidden.loc[~hidden["planted"], "sku_bias_pct"].median() > -0.05
    under = hidden["is_biased"] & (hidden["sku_bias_pct"] < 0)
    assert under[hidden["planted"]].mean() >= 2 * under[~hidden["planted"]].mean()


def test_every_number_in_one_table(planted_build):
    """Sales, operations, the finance budget and the statistical baseline (and the
    yardsticks) are scored per family and lag in one table; the planted level shift shows
    as FVA: sales (whose forecast includes it) beats the baseline on SURGICAL, operations
    and finance (whose numbers do not) lose to it."""
    run, _ = planted_build
    table = run.frame("select * from marts.rpt_accuracy_by_number")
    numbers = {"statistical_baseline", "consensus", "sales", "operations", "finance_budget", "naive", "seasonal_naive"}
    families = set(run.frame("select distinct master_family from marts.fct_forecast_errors")["master_family"])
    for lag in (1, 2, 3):
        at_lag = table[table["lag"] == lag]
        assert set(at_lag["number_source"]) == numbers
        for number in numbers - {"finance_budget"}:
            assert set(at_lag.loc[at_lag["number_source"] == number, "master_family"]) == families | {"(all)"}
    fam = table[(table["master_family"] == "SURGICAL") & (table["lag"] == 1)].set_index("number_source")
    assert fam.loc["sales", "fva_total_wape_vs_baseline"] > 0.03
    assert fam.loc["operations", "fva_total_wape_vs_baseline"] < 0
    assert fam.loc["finance_budget", "fva_total_wape_vs_baseline"] < 0
    assert fam.loc["statistical_baseline", "bias_pct"] < -0.05  # the baseline under-forecasts the shift
    assert pd.isna(fam.loc["finance_budget", "wape"])  # no SKU split: never a made-up SKU figure
    base = table[table["number_source"] == "statistical_baseline"]
    assert (base["fva_total_wape_vs_baseline"].abs() < 1e-12).all()
    # SKU errors never cancel: WAPE from SKU errors >= the netted total WAPE, everywhere
    sku_scored = table[table["granularity"] == "sku"]
    assert (sku_scored["wape"] >= sku_scored["total_wape"] - 1e-12).all()


def test_the_baseline_beats_the_naive_methods_and_the_functional_forecasts_overall(planted_build):
    """An honest demo: over the company, at every scored lag, the statistical baseline has a
    lower RMSSE than naive, seasonal naive, and the sales and operations forecasts, which
    the generator builds from the history they could see (generator version 1 gave them
    the expected demand itself, and they beat the baseline everywhere)."""
    run, _ = planted_build
    table = run.frame("""
        select lag, number_source, rmsse from marts.rpt_accuracy_by_number
        where aggregation_level = 'company'""").pivot(index="lag", columns="number_source", values="rmsse")
    assert list(table.index) == [1, 2, 3]
    for rival in ("naive", "seasonal_naive", "sales", "operations"):
        assert (table["statistical_baseline"] < table[rival]).all(), (rival, table.round(3).to_dict())


def test_published_rows_are_all_scored_and_backtests_kept_apart(planted_build):
    """Every archived baseline row of a closed period within the scored lags has an error
    row (nothing silently dropped); backtest rows are labelled and only for the baseline."""
    run, _ = planted_build
    [(archived,)] = run.query("""
        select count(*) from marts.fct_plan_archive as a
        inner join intermediate.int_planning_periods as p using (period_id)
        cross join intermediate.int_planning_cycle as c
        where a.horizon_step <= 3 and p.period_end < c.as_of_date""")
    [(scored,)] = run.query("""
        select count(*) from marts.fct_forecast_errors
        where evaluation = 'published' and number_source = 'statistical_baseline'""")
    assert scored == archived > 1000
    sources = dict(run.query("select evaluation, string_agg(distinct number_source) from marts.fct_forecast_errors group by 1"))
    assert sources["backtest"] == "statistical_baseline"
    [(n_backtest_cycles,)] = run.query(
        "select count(distinct cycle) from marts.fct_forecast_accuracy where evaluation = 'backtest' and cycle != 'all'")
    assert n_backtest_cycles >= 3


def test_interval_coverage_equals_utilsforecast_on_the_archive(planted_build):
    """Coverage of the published baseline's 80% and 95% intervals, per cycle at lag 1 and for
    the company, equals utilsforecast's coverage computed straight from the plan archive and
    the demand history (not from fct_forecast_errors); numbers published without an
    interval have no coverage."""
    run, _ = planted_build
    df = run.frame("""
        select a.cycle, 'all' as unique_id, a.master_sku, a.period_id as ds,
               coalesce(cast(h.demand_units as double), 0.0) as y,
               a.forecast_units as model, a.lo_80 as "model-lo-80", a.hi_80 as "model-hi-80",
               a.lo_95 as "model-lo-95", a.hi_95 as "model-hi-95"
        from marts.fct_plan_archive as a
        inner join intermediate.int_planning_periods as p on a.period_id = p.period_id
        left join intermediate.int_demand_history_by_sku_period as h
            on a.master_sku = h.master_sku and a.period_id = h.period_id
        cross join intermediate.int_planning_cycle as c
        where a.horizon_step = 1 and p.period_end < c.as_of_date""")
    mart = run.frame("""
        select cycle, coverage_80, coverage_95, n_interval_periods from marts.fct_forecast_accuracy
        where evaluation = 'published' and number_source = 'statistical_baseline' and lag = 1
            and aggregation_level = 'company' and cycle != 'all'""").set_index("cycle").sort_index()
    assert len(mart) >= 3
    for cycle, got in mart.iterrows():
        rows = df[df["cycle"] == cycle].drop(columns="cycle")
        assert got["n_interval_periods"] == len(rows) > 100
        for level in (80, 95):
            expected = losses.coverage(rows, ["model"], level=level)["model"].iloc[0]
            assert got[f"coverage_{level}"] == pytest.approx(expected, abs=1e-12), (cycle, level)
        assert 0 <= got["coverage_80"] <= got["coverage_95"] <= 1
    [(n_without,)] = run.query("""
        select count(*) from marts.fct_forecast_accuracy
        where number_source in ('sales', 'operations', 'naive', 'seasonal_naive') and coverage_80 is not null""")
    assert n_without == 0
