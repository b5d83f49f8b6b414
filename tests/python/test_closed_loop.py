"""The closed loop on the demo after several cycles run by the scripted planner: the miss
decomposition adds up and puts each planted problem in its component, root causes name the
broken assumption, proposals and decisions change the next consensus plan (or not), and
commercial and supply misses are escalated."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import plant

pytestmark = pytest.mark.dbt

PARTS = ["supply_disruption_units", "customer_mix_units", "demand_variability_units", "forecast_error_units"]




def decomposition(run) -> pd.DataFrame:
    out = run.frame("select * from marts.fct_plan_miss_decomposition")
    for col in PARTS + ["total_miss_units", "requested_units", "plan_units", "shipped_units"]:
        out[col] = out[col].astype(float)
    return out


def test_parts_add_up_to_the_miss_exactly(planted_build):
    """Against the parts' definitions, recomputed here from each row's units and its
    family's (demand variability is the model's residual, so summing the parts would check
    nothing): service gap S - D, volume effect (D_F - P_F) x P / P_F, mix effect
    (D - P) - volume effect; supply disruption is all of the service gap or none of it,
    forecast error all of the volume effect or none of it, and demand variability is what
    is left of the three effects; the total is S - P. In decimal arithmetic; and the
    hand-made dbt unit test passed."""
    run, _ = planted_build
    d = decomposition(run)
    assert len(d) > 3000
    keys = ["cycle", "lag", "master_family", "period_id"]
    family = d.groupby(keys)[["plan_units", "requested_units"]].transform("sum")
    gap = d["shipped_units"] - d["requested_units"]
    volume = ((family["requested_units"] - family["plan_units"]) * d["plan_units"]
              / family["plan_units"].where(family["plan_units"] > 0)).fillna(0.0)
    mix = d["requested_units"] - d["plan_units"] - volume
    tol = 1e-4  # the parts are decimals with 6 places
    assert ((d["total_miss_units"] - (d["shipped_units"] - d["plan_units"])).abs() < tol).all()
    supply, forecast = d["supply_disruption_units"], d["forecast_error_units"]
    assert ((supply.abs() < tol) | ((supply - gap).abs() < tol)).all()
    assert ((forecast.abs() < tol) | ((forecast - volume).abs() < tol)).all()
    rest = (gap - supply) + (volume - forecast) + (mix - d["customer_mix_units"])
    assert ((d["demand_variability_units"] - rest).abs() < tol).all()
    # every part occurs on the demo, so none of the checks passes on zeros
    assert all((d[part].abs() > tol).any() for part in PARTS)
    [(types,)] = run.query("""
        select string_agg(distinct data_type) from information_schema.columns
        where table_name = 'fct_plan_miss_decomposition'
            and column_name in ('total_miss_units', 'supply_disruption_units', 'customer_mix_units',
                                'demand_variability_units', 'forecast_error_units')""")
    assert types == "DECIMAL(38,6)"
    assert "PASS miss_decomposition_adds_up_on_a_hand_made_case" in run.output.replace("  ", " ") or \
        "miss_decomposition_adds_up_on_a_hand_made_case" in run.output and "ERROR=0" in run.output


def test_level_shift_is_forecast_error(planted_build):
    """Plans published before the SURGICAL level shift could be seen (cycles up to its
    start) missed it; at least 80% of its planted effect (the extra 25%: requested - requested
    / 1.25) lands in forecast error."""
    run, manifest = planted_build
    shift = plant(manifest, "level_shift")
    d = decomposition(run)
    rows = d[d["master_sku"].isin(shift["master_skus"]) & (d["cycle"] <= shift["start_period"])
             & (d["period_id"] >= shift["start_period"])]
    assert len(rows) >= 3 * len(shift["master_skus"])
    planted = (rows["requested_units"] * (1 - 1 / shift["factor"])).sum()
    assert rows["forecast_error_units"].sum() >= 0.8 * planted, (rows[PARTS].sum(), planted)


def test_supplier_delay_is_supply_disruption(planted_build):
    """The S-104 delay: in its periods the planted SKUs shipped less than was requested, and
    at least 80% of that shortfall is supply disruption (the late receipts were found)."""
    run, manifest = planted_build
    delay = plant(manifest, "supplier_delay")
    d = decomposition(run)
    rows = d[d["master_sku"].isin(delay["master_skus"]) & d["period_id"].isin(delay["periods"]) & (d["lag"] == 1)]
    shortfall = -(rows["shipped_units"] - rows["requested_units"]).sum()
    assert shortfall > 0.3 * delay["units_eaches"]  # the plant is visible as unshipped demand
    assert -rows["supply_disruption_units"].sum() >= 0.8 * shortfall


def test_customer_mix_shift_is_customer_mix(planted_build):
    """C-1101 moved 70% of its MD10061 volume to MD10006 from 2026-03: in the plan published
    before (cycle up to the start), at least 80% of the units moved onto MD10006 show as
    customer mix, named after C-1101. The giving side (MD10061, where the move is 2-4% of a
    lumpy volume, inside its noise) is never counted the wrong way."""
    run, manifest = planted_build
    mix = plant(manifest, "customer_mix_shift")
    d = decomposition(run)
    start = mix["start_period"]
    rows = d[(d["cycle"] <= start) & (d["period_id"] >= start)]
    to_sku = rows[rows["master_sku"] == mix["sku_to"]["master_sku"]]
    from_sku = rows[rows["master_sku"] == mix["sku_from"]["master_sku"]]
    moved = sum(mix["units_moved_by_period"].get(p, 0) for p in to_sku["period_id"])
    assert len(to_sku) >= 3 and moved > 0
    assert to_sku["customer_mix_units"].sum() >= 0.8 * moved, (to_sku[PARTS].sum(), moved)
    assert (to_sku.loc[to_sku["customer_mix_units"] != 0, "top_customer_id"] == mix["customer_id"]).all()
    assert from_sku["customer_mix_units"].sum() <= 0


def test_skus_with_nothing_planted_are_mostly_demand_variability(planted_build):
    run, manifest = planted_build
    planted = set()
    for p in manifest["plants"]:
        if p["type"] in ("level_shift", "supplier_delay", "customer_mix_shift"):
            planted |= set(p["master_skus"])
    d = decomposition(run)
    other = d[~d["master_sku"].isin(planted)]
    size = other[PARTS].abs().sum()
    assert size["demand_variability_units"] >= 0.5 * size.sum(), size


def test_root_causes_name_the_broken_assumption(planted_build):
    run, manifest = planted_build
    causes = run.frame("select * from marts.fct_plan_miss_root_causes")
    delay, mix, shift = plant(manifest, "supplier_delay"), plant(manifest, "customer_mix_shift"), plant(manifest, "level_shift")
    supply = causes[causes["master_sku"].isin(delay["master_skus"]) & (causes["root_cause"] == "supply_disruption")]
    assert len(supply) > 0 and supply["assumption_broken"].str.contains(delay["supplier_id"]).all()
    assert supply["assumption_broken"].str.contains(f"{delay['days_late']} days late").any()
    moved = causes[causes["master_sku"].isin(mix["master_skus"]) & (causes["root_cause"] == "customer_mix")]
    assert moved["assumption_broken"].str.contains(mix["customer_id"]).any()
    level = causes[causes["master_sku"].isin(shift["master_skus"]) & (causes["root_cause"] == "forecast_error")]
    assert level["assumption_broken"].str.contains(r"SURGICAL demand level \+\d+% vs plan since").any()


def test_accepted_proposals_change_the_next_consensus_and_rejected_do_not(planted_build):
    run, _ = planted_build
    decisions = run.frame("select * from marts.fct_plan_decisions")
    latest = decisions[decisions["is_latest"]]
    assert {"accept", "reject"} <= set(latest["decision"])
    assert latest["rationale"].str.len().gt(10).all()
    consensus = run.frame("""
        select cycle, master_sku, bool_and(consensus_units = round(baseline_units * adjustment_factor, 4)) as scaled,
            min(adjustment_factor) as factor, any_value(proposal_id) as proposal_id, any_value(decision) as decision
        from marts.fct_consensus_plan_archive group by cycle, master_sku""")
    applied = latest.merge(consensus, left_on=["applies_to_cycle", "master_sku"], right_on=["cycle", "master_sku"],
                           suffixes=("", "_plan"))
    assert len(applied) == len(latest)  # every decided proposal's next cycle was published
    accepted = applied[applied["decision"].isin(["accept", "modify"])]
    rejected = applied[applied["decision"] == "reject"]
    assert len(accepted) > 0 and len(rejected) > 0
    assert (accepted["factor"] - accepted["decision_factor"]).abs().max() < 1e-9
    assert (accepted["factor"] != 1.0).all() and accepted["scaled"].all()
    assert (accepted["proposal_id_plan"] == accepted["proposal_id"]).all()
    assert (rejected["factor"] == 1.0).all()
    # the full history stays: every decision row landed is there or quarantined
    [(landed,)] = run.query("select count(*) from landing.plan__decisions")
    [(quarantined,)] = run.query("select count(*) from intermediate.int_decisions_checked where quarantine_rule is not null")
    assert len(decisions) + quarantined == landed
    # the consensus is scored like every other number
    [(n,)] = run.query("select count(*) from marts.fct_forecast_errors where number_source = 'consensus'")
    assert n > 0


def test_decision_value_is_measured_once_periods_close(planted_build):
    run, _ = planted_build
    scored = run.frame("select * from marts.fct_plan_decisions where is_latest and n_periods_scored > 0")
    assert len(scored) > 0
    accepted = scored[scored["decision"] == "accept"]
    rejected = scored[scored["decision"] == "reject"]
    pd.testing.assert_series_equal(
        accepted["value_added_units"], accepted["baseline_abs_error_units"] - accepted["decision_abs_error_units"],
        check_names=False)
    pd.testing.assert_series_equal(
        rejected["value_added_units"], rejected["proposed_abs_error_units"] - rejected["baseline_abs_error_units"],
        check_names=False)


def test_supply_misses_are_escalated_to_their_owners(planted_build):
    run, manifest = planted_build
    esc = run.frame("select * from marts.rpt_miss_escalations")
    assert esc["escalation_id"].is_unique
    delay = plant(manifest, "supplier_delay")
    supply = esc[esc["master_sku"].isin(delay["master_skus"]) & (esc["cause"] == "supply_disruption")]
    assert len(supply) >= len(delay["master_skus"]) // 2
    assert (supply["owner_role"] == "supply planner").all()
    assert supply["first_period_id"].min() == min(delay["periods"])
    assert (supply["escalation_id"] == "ESC-supply_disruption-" + supply["master_sku"]).all()
    # the planted mix move is found (test_customer_mix_shift_is_customer_mix) but is material
    # (a quarter of the SKU's volume) in one period only, not in 3 in a row, so it is not
    # escalated; every customer-mix escalation goes to the sales lead
    assert (esc.loc[esc["cause"] == "customer_mix", "owner_role"] == "sales lead").all()
    assert (esc.loc[esc["cause"] == "forecast_error", "owner_role"] == "demand planner").all()
    [(last_closed,)] = run.query("select last_closed_period_id from intermediate.int_planning_cycle")
    assert ((esc["status"] == "open") == (esc["last_period_id"] == last_closed)).all()
    assert (esc.loc[esc["is_escalated_to_leadership"], "periods_open"] >= 2).all()


def test_proposals_on_the_planted_level_shift_cut_the_error(planted_build):
    """The proposals raised on the family whose level was planted would have reduced the
    plan's error once their periods closed: they correct the forecast error that is left,
    not the SKU's noise, and not what the baseline has already caught up with."""
    run, manifest = planted_build
    family = plant(manifest, "level_shift")["family"]
    scored = run.frame(
        "select decision, baseline_abs_error_units::double as baseline, proposed_abs_error_units::double as proposed, "
        "value_added_units::double as value_added "
        "from marts.fct_plan_decisions as d inner join marts.fct_plan_proposals as p using (proposal_id) "
        f"where d.is_latest and d.n_periods_scored > 0 and p.master_family = '{family}'")
    assert len(scored) >= 20
    assert scored["proposed"].sum() < 0.95 * scored["baseline"].sum()
    accepted = scored[scored["decision"] == "accept"]
    assert len(accepted) > 0 and accepted["value_added"].sum() > 0
