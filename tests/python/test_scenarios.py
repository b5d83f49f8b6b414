"""Trade-off options for the constraints Week 2 surfaces.

- The margin allocation's linear programme against one worked by hand, and the pro rata
  cut as a feasible point it never does worse than.
- The customer-priority allocation against one worked by hand: key accounts first, then the
  next tier; with every customer in one tier (no priority landed) it serves the most units.
- On the planted demo: the capacity overload and the late supplier each have at least three
  options whose effects add up (revenue = units short x price from dim_skus, the no-action
  option = the constrained plan's cut, the LP's hours fit the resource, overtime = the
  overload's hours x the seed's rate), and the decisions needed today rank them by money.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import plant
from sop_analytics.scenarios import allocate_by_margin, allocate_by_priority, solve_period, solve_period_by_priority


def test_margin_allocation_matches_a_programme_worked_by_hand():
    """10 hours on one resource. A: 1 h/unit, 6 planned, margin 5 (5 per hour); B: 2 h/unit,
    4 planned, margin 8 (4 per hour); C: 1 h/unit, 5 planned, margin 2 (2 per hour).
    By hand: A first (6 units, 6 h), then B with the 4 h left (2 units), nothing for C:
    margin 6 x 5 + 2 x 8 = 46. Pro rata (10 of 19 hours needed) earns 50 x 10/19 = 26.3."""
    x = solve_period(np.array([6.0, 4.0, 5.0]), np.array([5.0, 8.0, 2.0]), np.array([[1.0, 2.0, 1.0]]),
                     np.array([10.0]))
    assert x == pytest.approx([6.0, 2.0, 0.0], abs=1e-9)
    assert float(np.dot(x, [5.0, 8.0, 2.0])) == pytest.approx(46.0)
    assert 46.0 > (6 * 5 + 4 * 8 + 5 * 2) * 10 / 19


def test_margin_allocation_keeps_other_skus_hours_and_leaves_unoverloaded_periods_alone():
    """Two resources in 2027-01: R1 (10 h) is overloaded by A and B; C uses only R2 and keeps
    its plan, but its 3 hours on R2 (available 7) leave 4 h there, which binds B (1 h/unit
    on R2). In 2027-02 nothing is overloaded: no row."""
    lines = pd.DataFrame([
        ("A", "2027-01", "R1", 1.0, 8.0, 1.0),
        ("B", "2027-01", "R1", 1.0, 8.0, 3.0),
        ("B", "2027-01", "R2", 1.0, 8.0, 3.0),
        ("C", "2027-01", "R2", 1.0, 3.0, 9.0),
        ("A", "2027-02", "R1", 1.0, 2.0, 1.0),
    ], columns=["master_sku", "period_id", "resource_id", "hours_per_unit", "plan_units", "unit_margin"])
    capacity = pd.DataFrame([("R1", "2027-01", 10.0, True), ("R2", "2027-01", 7.0, False),
                             ("R1", "2027-02", 10.0, False)],
                            columns=["resource_id", "period_id", "available_hours", "is_overloaded"])
    out = allocate_by_margin(lines, capacity).set_index("master_sku")
    assert set(out.index) == {"A", "B"} and set(out["period_id"]) == {"2027-01"}
    # B: margin 3 but only 4 h left on R2; A takes the rest of R1 (10 - 4 = 6)
    assert out.loc["B", "allocated_units"] == pytest.approx(4.0)
    assert out.loc["A", "allocated_units"] == pytest.approx(6.0)


def test_margin_allocation_of_nothing_is_empty():
    empty = pd.DataFrame(columns=["master_sku", "period_id", "resource_id", "hours_per_unit", "plan_units",
                                  "unit_margin"])
    assert allocate_by_margin(empty, pd.DataFrame(columns=["resource_id", "period_id", "available_hours",
                                                           "is_overloaded"])).empty


def test_priority_allocation_matches_a_programme_worked_by_hand():
    """The margin case's 10 hours, now with customers: A (1 h/unit, margin 5) has 2 of its 6
    units for key accounts (tier 1) and 4 for tier 3; B (2 h/unit, margin 8) sells its 4 to
    tier 2; C (1 h/unit, margin 2) has 3 of its 5 for tier 1 and 2 for tier 3.
    By hand: tier 1 needs A 2 h + C 3 h = 5 h, all served; tier 2 gets the 5 h left: B 2.5
    units; tier 3 nothing. Margin 2 x 5 + 2.5 x 8 + 3 x 2 = 36, less than the margin option's
    46, which leaves C's 3 key-account units short."""
    plan, margin, hours = np.array([6.0, 4.0, 5.0]), np.array([5.0, 8.0, 2.0]), np.array([[1.0, 2.0, 1.0]])
    shares = np.array([[2 / 6, 0.0, 4 / 6], [0.0, 1.0, 0.0], [3 / 5, 0.0, 2 / 5]])
    x = solve_period_by_priority(plan, margin, hours, np.array([10.0]), shares)
    assert x == pytest.approx(np.array([[2.0, 0.0, 0.0], [0.0, 2.5, 0.0], [3.0, 0.0, 0.0]]), abs=1e-7)
    assert float(margin @ x.sum(axis=1)) == pytest.approx(36.0)
    by_margin = solve_period(plan, margin, hours, np.array([10.0]))
    assert by_margin == pytest.approx([6.0, 2.0, 0.0], abs=1e-9)  # C's key accounts get nothing


def test_priority_allocation_with_every_customer_tied_serves_the_most_units():
    """One tier (no priority landed): the most units the 10 hours make, A 6 and C 4 (1 h
    each), not B (2 h a unit); the margin stage then has nothing left to choose."""
    x = solve_period_by_priority(np.array([6.0, 4.0, 5.0]), np.array([5.0, 8.0, 2.0]), np.array([[1.0, 2.0, 1.0]]),
                                 np.array([10.0]), np.ones((3, 1)))
    assert x[:, 0] == pytest.approx([6.0, 0.0, 4.0], abs=1e-7)


def test_priority_allocation_frames_keep_fixed_skus_and_default_to_the_last_tier():
    """The margin test's two resources, by priority: A's and B's customers are key accounts
    (tier 1), C's are tier 2 (C needs no overloaded resource: it keeps its plan, leaving 4 h
    on R2). Tier 1 fills R1's 10 h (A + B <= 10, B <= 4); the margin stage gives B (margin 3)
    its 4 and A (margin 1) 6. D (margin 50, on R1) has no customer rows: it is served last,
    in tier 2, and gets nothing, where the margin option gives it all its 2 units. Nothing
    outside the overloaded period is returned."""
    lines = pd.DataFrame([
        ("A", "2027-01", "R1", 1.0, 8.0, 1.0),
        ("B", "2027-01", "R1", 1.0, 8.0, 3.0),
        ("B", "2027-01", "R2", 1.0, 8.0, 3.0),
        ("C", "2027-01", "R2", 1.0, 3.0, 9.0),
        ("D", "2027-01", "R1", 1.0, 2.0, 50.0),
        ("A", "2027-02", "R1", 1.0, 2.0, 1.0),
    ], columns=["master_sku", "period_id", "resource_id", "hours_per_unit", "plan_units", "unit_margin"])
    capacity = pd.DataFrame([("R1", "2027-01", 10.0, True), ("R2", "2027-01", 7.0, False),
                             ("R1", "2027-02", 10.0, False)],
                            columns=["resource_id", "period_id", "available_hours", "is_overloaded"])
    tiers = pd.DataFrame([("A", 1, 1.0), ("B", 1, 1.0), ("C", 2, 1.0)],
                         columns=["master_sku", "priority_tier", "tier_share"])
    out = allocate_by_priority(lines, capacity, tiers).set_index("master_sku")
    assert set(out.index) == {"A", "B", "D"} and set(out["period_id"]) == {"2027-01"}
    assert out.loc["B", "allocated_units"] == pytest.approx(4.0)
    assert out.loc["A", "allocated_units"] == pytest.approx(6.0)
    assert out.loc["D", "priority_tier"] == 2 and out.loc["D", "allocated_units"] == pytest.approx(0.0, abs=1e-7)
    assert allocate_by_margin(lines, capacity).set_index("master_sku").loc["D", "allocated_units"] == pytest.approx(2.0)


# -- on the planted demo ----------------------------------------------------------------

def check_options_add_up(run, risk_id: str) -> pd.DataFrame:
    """The options of one risk: at least three, each the sum of its lines, revenue = - units
    short x price from dim_skus; returns them."""
    options = run.frame(f"select * from marts.fct_scenario_options where risk_id = '{risk_id}'")
    lines = run.frame(f"select * from marts.fct_scenario_option_lines where risk_id = '{risk_id}'")
    prices = run.frame("select master_sku, coalesce(unit_price, 0)::double as price, "
                       "coalesce(std_cost, 0)::double as cost from marts.dim_skus")
    assert len(options) >= 3, options
    priced = lines.merge(prices, on="master_sku", how="left")
    assert priced["price"].notna().all()
    independent = (priced.assign(revenue=-priced["units_short"] * priced["price"],
                                 margin=-priced["units_short"] * (priced["price"] - priced["cost"]) - priced["action_cost"])
                   .groupby("option_id")[["revenue", "margin", "units_short", "action_cost"]].sum())
    shown = options.set_index("option_id")
    assert set(shown.index) == set(independent.index)
    for column, ours in (("revenue_effect", "revenue"), ("margin_effect", "margin"), ("units_short", "units_short"),
                         ("action_cost", "action_cost")):
        assert np.allclose(shown.loc[independent.index, column], independent[ours], rtol=1e-9, atol=1e-6), column
    touched = lines.groupby("option_id")["master_sku"].nunique()
    assert (shown.loc[touched.index, "n_skus_touched"] == touched).all()
    assert (shown["n_customers_touched"] > 0).all()
    # exactly one recommendation: the most margin kept
    assert shown["is_recommended"].sum() == 1
    best = shown.loc[shown["is_recommended"], "margin_effect"].iloc[0]
    assert best == pytest.approx(shown["margin_effect"].max())
    return options


def test_planted_capacity_overload_has_priced_options_that_add_up(planted_build):
    run, manifest = planted_build
    overload = plant(manifest, "capacity_overload")
    risk_id = f"RSK-capacity-{overload['resource_id']}"
    options = check_options_add_up(run, risk_id).set_index("option_key")
    assert {"do_nothing", "allocate_by_margin", "allocate_by_priority", "build_ahead", "add_hours"} <= set(options.index)
    # do nothing = the constrained plan's pro rata cut on that resource
    [(cut_units, cut_revenue)] = run.query(
        "select sum(at_risk_units), sum(at_risk_revenue) from marts.fct_constrained_plan "
        f"where binding_resources like '%{overload['resource_id']}%'")
    assert options.loc["do_nothing", "units_short"] == pytest.approx(cut_units, rel=1e-9)
    assert -options.loc["do_nothing", "revenue_effect"] == pytest.approx(cut_revenue, rel=1e-9)
    # the SKUs touched are the plant's
    lines = run.frame(f"select * from marts.fct_scenario_option_lines where risk_id = '{risk_id}'")
    assert set(lines["master_sku"]) <= set(overload["master_skus"])
    assert set(lines["period_id"]) == {overload["period"]}
    # the LP's allocation fits the resource's hours, and earns at least the pro rata margin
    [(used, available)] = run.query(f"""
        select sum(coalesce(a.allocated_units, p.consensus_units) * r.hours_per_unit), any_value(l.available_hours)
        from marts.fct_consensus_plan as p
        inner join intermediate.int_routings_by_master_sku as r on p.master_sku = r.master_sku
        inner join marts.fct_capacity_load as l on r.resource_id = l.resource_id and p.period_id = l.period_id
        left join intermediate.int_capacity_allocation as a on p.master_sku = a.master_sku and p.period_id = a.period_id
        where r.resource_id = '{overload["resource_id"]}' and p.period_id = '{overload["period"]}'""")
    assert used <= available * (1 + 1e-7)
    assert options.loc["allocate_by_margin", "margin_effect"] >= options.loc["do_nothing", "margin_effect"] - 1e-6
    # so does the allocation by customer priority (every tier's units of a SKU together)
    [(used,)] = run.query(f"""
        select sum(coalesce(a.allocated_units, p.consensus_units) * r.hours_per_unit)
        from marts.fct_consensus_plan as p
        inner join intermediate.int_routings_by_master_sku as r on p.master_sku = r.master_sku
        left join (select master_sku, period_id, sum(allocated_units) as allocated_units
                   from intermediate.int_capacity_allocation_by_priority group by all) as a
            on p.master_sku = a.master_sku and p.period_id = a.period_id
        where r.resource_id = '{overload["resource_id"]}' and p.period_id = '{overload["period"]}'""")
    assert used <= available * (1 + 1e-7)
    # overtime: the overload's hours at the seed's rate, nothing short
    [(hours,)] = run.query("select sum(overload_hours) from marts.fct_capacity_load "
                           f"where resource_id = '{overload['resource_id']}' and is_overloaded")
    [(rate,)] = run.query("select value from reference.scenario_cost_rates where rate_name = 'overtime_cost_per_hour'")
    assert options.loc["add_hours", "action_cost"] == pytest.approx(hours * rate, rel=1e-9)
    assert options.loc["add_hours", "units_short"] == 0
    # building ahead holds stock before the overload and pays to carry it
    assert options.loc["build_ahead", "inventory_value_effect"] > 0 and options.loc["build_ahead", "action_cost"] > 0
    assert options.loc["build_ahead", "units_short"] < options.loc["do_nothing", "units_short"]


def test_planted_late_supplier_has_priced_options_that_add_up(planted_build):
    run, manifest = planted_build
    late = plant(manifest, "late_supplier")
    risk_id = f"RSK-supplier-{late['supplier_id']}"
    options = check_options_add_up(run, risk_id).set_index("option_key")
    assert {"accept_shortage", "expedite", "split_supplier"} <= set(options.index)
    lines = run.frame(f"select * from marts.fct_scenario_option_lines where risk_id = '{risk_id}'")
    assert set(lines["master_sku"]) <= set(late["master_skus"])
    assert options.loc["accept_shortage", "units_short"] > 0
    assert options.loc["expedite", "units_short"] == 0 and options.loc["expedite", "action_cost"] > 0
    # shifting the supplier's open orders can only add backlog where the plan already needs them
    assert (lines.loc[lines["option_key"] == "accept_shortage", "units_short"] > 0).all()


def test_decisions_needed_rank_the_material_constraints_by_money(planted_build):
    run, manifest = planted_build
    needed = run.frame("select * from marts.rpt_decisions_needed order by decision_rank")
    thresholds = run.frame("select * from reference.materiality_thresholds").set_index("risk_type")["threshold_money"]
    options = run.frame("select * from marts.fct_scenario_options")
    assert list(needed["money_at_stake"]) == sorted(needed["money_at_stake"], reverse=True)
    assert (needed["money_at_stake"] >= needed["risk_type"].map(thresholds)).all()
    no_action = options[options["is_no_action"]].set_index("risk_id")
    material = no_action[-no_action["revenue_effect"] >= no_action["risk_type"].map(thresholds)]
    assert set(needed["risk_id"]) == set(material.index)
    for kind in ("capacity_overload", "late_supplier"):
        assert plant(manifest, kind)  # both planted constraints need a decision today
    assert {f"RSK-capacity-{plant(manifest, 'capacity_overload')['resource_id']}",
            f"RSK-supplier-{plant(manifest, 'late_supplier')['supplier_id']}"} <= set(needed["risk_id"])
    recommended = options[options["is_recommended"]].set_index("risk_id")["option_id"]
    assert (needed.set_index("risk_id")["recommended_option_id"] == recommended.loc[needed["risk_id"]]).all()


def test_planted_priority_allocation_serves_key_accounts_first(planted_build):
    """On the planted overload: the customer tiers are the landed priorities of the customers
    who ordered each SKU in the last year (recomputed here from the landed files), and the
    allocation by priority leaves the key accounts (priority 1) fewer units short than any
    option that cuts within the same hours (pro rata, by margin), all its units short falling
    on lower tiers first."""
    run, manifest = planted_build
    overload = plant(manifest, "capacity_overload")
    risk_id = f"RSK-capacity-{overload['resource_id']}"
    customers = pd.read_csv(run.landing / "crm" / "customers.csv", dtype={"customer_id": str})
    assert set(customers["priority"]) == {1, 2, 3}
    orders = run.frame("""
        select o.master_sku, o.customer_id, o.quantity_eaches from intermediate.int_orders_checked as o
        cross join intermediate.int_planning_cycle as c
        where o.quarantine_rule is null and o.status != 'cancelled'
          and o.requested_date < c.as_of_date and o.requested_date >= c.as_of_date - interval 365 day""")
    mine = orders.merge(customers[["customer_id", "priority"]], on="customer_id", how="left")
    assert mine["priority"].notna().all()
    key_share = (mine.assign(key=mine["quantity_eaches"] * (mine["priority"] == 1))
                 .groupby("master_sku")[["key", "quantity_eaches"]].sum())
    key_share = key_share["key"] / key_share["quantity_eaches"]
    tiers = run.frame("select * from intermediate.int_customer_priority_shares")
    assert tiers["priorities_landed"].all()
    built = tiers[tiers["priority_tier"] == 1].set_index("master_sku")["tier_share"]
    skus = sorted(set(overload["master_skus"]) & set(key_share.index))
    assert skus
    assert np.allclose(built.reindex(skus).fillna(0.0), key_share.loc[skus], atol=1e-9)
    options = run.frame(f"select * from marts.fct_scenario_options where risk_id = '{risk_id}'").set_index("option_key")
    assert "no priorities landed" not in options.loc["allocate_by_priority", "option_label"]
    key_short = options["top_priority_units_short"]
    assert key_short["do_nothing"] > 0  # pro rata, the key accounts lose units too
    assert key_short["allocate_by_priority"] < key_short["do_nothing"]
    assert key_short["allocate_by_priority"] <= key_short["allocate_by_margin"] + 1e-6
    # tier by tier in the programme: a tier is short only when every higher tier of its SKU
    # is short too or the SKU is fully cut (no hours given to a lower tier of that SKU first)
    alloc = run.frame("select * from intermediate.int_capacity_allocation_by_priority "
                      f"where period_id = '{overload['period']}'")
    alloc = alloc[alloc["plan_units"] > 0].assign(served_share=lambda a: a["allocated_units"] / a["plan_units"])
    assert not alloc.empty
    for _, one in alloc.groupby("master_sku"):
        served = one.sort_values("priority_tier")["served_share"].to_numpy()
        assert (np.diff(served) <= 1e-4).all() or (served >= 1 - 1e-6).all(), one


def test_planted_shortage_reallocation_moves_stock_to_high_priority(planted_build):
    """Every projected shortage has a reallocation by priority: the same units short and money
    as accepting it (stock moves between customers, nothing is bought), but the key accounts
    lose at most their pro rata share, and for some shortages strictly less: the lower tiers
    take the cut, never more than the demand they have."""
    run, _ = planted_build
    options = run.frame("select * from marts.fct_scenario_options where risk_type = 'projected_shortage'")
    assert not options.empty
    by = options.pivot(index="risk_id", columns="option_key")
    assert set(options["option_key"]) == {"accept_shortage", "expedite", "reallocate_by_priority"}
    for column in ("units_short", "revenue_effect", "margin_effect"):
        assert np.allclose(by[column]["reallocate_by_priority"], by[column]["accept_shortage"], rtol=1e-9), column
    assert (by["action_cost"]["reallocate_by_priority"] == 0).all()
    moved = by["top_priority_units_short"]["accept_shortage"] - by["top_priority_units_short"]["reallocate_by_priority"]
    assert (moved >= -1e-9).all()
    assert (moved > 1e-6).any()
    # the key accounts' pro rata share under accept = units short x their share of the SKU
    tiers = run.frame("select master_sku, tier_share from intermediate.int_customer_priority_shares "
                      "where priority_tier = 1")
    share = tiers.set_index("master_sku")["tier_share"]
    subject = options.drop_duplicates("risk_id").set_index("risk_id")["subject"]
    pro_rata = by["units_short"]["accept_shortage"] * subject.map(share).fillna(0.0)
    assert np.allclose(by["top_priority_units_short"]["accept_shortage"], pro_rata.loc[by.index], atol=1e-6)
