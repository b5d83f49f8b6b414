"""Week 1 inside the dbt build of the demo: the SQL classification agrees with the pandas
reference, families with different demand get different methods and the selection table
says why, the forecast covers the horizon with ordered non-negative intervals, and the plan
archive keeps a cycle once."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import PREVIOUS_CYCLES

from sop_analytics.forecasting.classification import classify_demand

pytestmark = pytest.mark.dbt



def test_sql_classification_matches_the_reference(planted_build):
    run, _ = planted_build
    history = run.frame("select master_sku as unique_id, period_seq as ds, demand_units as y "
                         "from intermediate.int_demand_history_by_sku_period")
    last = int(history["ds"].max())
    reference = classify_demand(history.astype({"y": float}), last_ds=last).set_index("unique_id")
    sql = run.frame("select master_sku, demand_class, adi, cv2 from marts.fct_demand_classification "
                     "where demand_class != 'eol'").set_index("master_sku")
    assert len(sql) > 300
    joined = sql.join(reference, how="left", rsuffix="_ref")
    assert (joined["demand_class"] == joined["demand_class_ref"]).all(), joined[
        joined["demand_class"] != joined["demand_class_ref"]]


def test_the_demo_families_get_different_methods(planted_build):
    run, _ = planted_build
    chosen = dict(run.query(
        "select master_family, candidate from marts.fct_forecast_method_selection "
        "where is_selected and segment in ('continuous', 'intermittent') "
        "qualify row_number() over (partition by master_family order by n_series_total desc) = 1"))
    intermittent = {"CrostonSBA", "TSB", "ADIDA", "IMAPA", "Ensemble"}
    assert chosen["SPARE_PARTS"] in intermittent
    assert len(set(chosen.values())) >= 3, chosen
    # every family-segment has exactly one selected method and every candidate a score or a policy reason
    assert run.query(
        "select master_family, segment from marts.fct_forecast_method_selection "
        "group by all having count(*) filter (where is_selected) != 1") == []
    assert run.query("select count(*) from marts.fct_forecast_method_selection "
                     "where selection_reason is null or selection_reason = ''") == [(0,)]


def test_a_pinned_method_wins_and_says_why(planted_build):
    run, _ = planted_build
    [(candidate, reason)] = run.query(
        "select candidate, selection_reason from marts.fct_forecast_method_selection where pinned")
    assert candidate == "CrostonSBA"
    assert "Capital equipment" in reason


def test_forecast_covers_the_horizon_with_ordered_intervals(planted_build):
    run, _ = planted_build
    [(n_skus, steps, bad)] = run.query(
        "select count(distinct master_sku), count(distinct horizon_step), "
        "count(*) filter (where not (0 <= lo_95 and lo_95 <= lo_80 and lo_80 <= forecast_units "
        "and forecast_units <= hi_80 and hi_80 <= hi_95)) from marts.fct_demand_forecast")
    [(history_skus,)] = run.query(
        "select count(distinct master_sku) from intermediate.int_demand_history_by_sku_period")
    assert n_skus == history_skus
    assert steps == 12
    assert bad == 0


def test_plan_archive_keeps_each_cycle_once(planted_build):
    run, _ = planted_build
    [(cycle,)] = run.query("select cycle from intermediate.int_planning_cycle")
    assert run.query(f"select count(*) from marts.fct_plan_archive where cycle = '{cycle}'") == run.query(
        "select count(*) from marts.fct_demand_forecast")
    per_cycle = dict(run.query("select cycle, count(*) from marts.fct_plan_archive group by cycle"))
    assert len(per_cycle) == PREVIOUS_CYCLES + 1
    assert run.query("select count(*) from (select distinct cycle, master_sku, period_id from marts.fct_plan_archive)") == [
        (sum(per_cycle.values()),)]


def test_dbt_build_empty_passes(small_planted, tmp_path):
    """`dbt build --empty` passes zero rows to every model, the Python model included."""
    from conftest import run_dbt

    run = run_dbt(small_planted[0], tmp_path, "build", "--empty")
    assert run.returncode == 0, run.output[-5000:]
    assert run.query("select count(*) from marts.fct_demand_forecast") == [(0,)]


def test_intermittent_winner_beats_the_zero_forecast(planted_build):
    """On the demo's intermittent family the chosen method beats an all-zero forecast on
    the selection metric (a squared-error metric: zero cannot win it)."""
    run, _ = planted_build
    [(metric, chosen, zero)] = run.query(
        "select min(metric), min(score) filter (where is_selected), "
        "min(score) filter (where candidate = 'ZeroForecast') "
        "from marts.fct_forecast_method_selection "
        "where master_family = 'SPARE_PARTS' and segment = 'intermittent'")
    assert metric == "scaled_squared_error"
    assert chosen < zero


def test_long_tail_family_can_be_forecast_top_down(small_planted, tmp_path):
    """var long_tail_families: the family is forecast in aggregate and split by SKU share."""
    from conftest import run_dbt

    run = run_dbt(small_planted[0], tmp_path, "build", "--select", "+fct_demand_forecast", "--indirect-selection", "cautious",
                  dbt_vars={"long_tail_families": "LONG_TAIL"})
    assert run.returncode == 0, run.output[-5000:]
    methods = {m for (m,) in run.query(
        "select distinct method from marts.fct_demand_forecast where master_family = 'LONG_TAIL'")}
    assert methods and all(m.startswith("TopDown(") for m in methods), methods
    others = {m for (m,) in run.query(
        "select distinct method from marts.fct_demand_forecast where master_family != 'LONG_TAIL'")}
    assert not any(m.startswith("TopDown(") for m in others)


def test_planned_promotions_reach_the_forecast(planted_build):
    """crm/promotions is the regressor: every promotion planned in the horizon is in the
    coverage model, and where PromoLift forecasts (alone or in an ensemble), the periods it covers are lifted (per day:
    4-4-5 periods differ in length)."""
    run, _ = planted_build
    promotions = pd.read_csv(run.landing / "crm" / "promotions.csv", dtype=str)
    [(horizon_start, horizon_end)] = run.query(
        "select min(period_start), max(period_start) from marts.fct_demand_forecast")
    planned = set(promotions.loc[promotions["start_date"].between(str(horizon_start), str(horizon_end)), "promo_id"])
    covered = {r[0] for r in run.query(
        "select distinct unnest(string_split(promotion_ids, '|')) from intermediate.int_promotion_coverage_by_sku_period "
        f"where period_start >= '{horizon_start}'")}
    quarantined = {r[0] for r in run.query(
        "select promo_id from intermediate.int_promotions_checked where quarantine_rule is not null")}
    assert len(planned) > 10
    assert planned - quarantined <= covered
    ratios = run.frame("""
        with f as (
            select f.master_sku, f.forecast_units / p.n_days as forecast_units, coalesce(c.promo_coverage, 0) > 0 as covered
            from marts.fct_demand_forecast as f
            inner join intermediate.int_planning_periods as p using (period_id)
            left join intermediate.int_promotion_coverage_by_sku_period as c using (master_sku, period_id)
            where f.method like '%PromoLift%'
        )
        select master_sku,
            avg(forecast_units) filter (where covered) / avg(forecast_units) filter (where not covered) as lift
        from f group by master_sku having count(*) filter (where covered) > 0""")
    assert len(ratios) >= 5
    # PromoLift alone or in an ensemble (a median with members that see no promotion
    # dampens the lift, never removes it)
    assert (ratios["lift"] > 1.1).all(), ratios
    assert ratios["lift"].median() > 1.2, ratios


def test_forecast_node_output_is_the_same_on_one_core_and_on_two(small_planted, tmp_path):
    """The forecast node runs families in a pool of the profile's threads (forkserver workers
    inside dbt's own threads): one process and two give the same rows, bit for bit."""
    from conftest import run_dbt

    frames = []
    for n_jobs in (1, 2):
        run = run_dbt(small_planted[0], tmp_path / f"jobs{n_jobs}", "build", "--select", "+int_forecast_outputs", "--indirect-selection", "cautious",
                      dbt_vars={"forecast_n_jobs": n_jobs})
        assert run.returncode == 0, run.output[-5000:]
        frames.append(run.frame("select * from intermediate.int_forecast_outputs order by output, output_key"))
    assert len(frames[0]) > 100 and frames[0]["output"].nunique() == 3
    pd.testing.assert_frame_equal(frames[0], frames[1])
