"""Week 0 on anyone's extracts: one master SKU list, a calendar that covers the data, an
honest as-of date, no green build without a plan, no quarantined row in any figure.

Each case is planted in a small landing folder and must be found; every build here is a
single `dbt build` of a small company (60 SKUs, 30 customers) or a tiny hand-made landing.

Builds: the distributor archetype (planted, clean, and clean with one null-key row added
per entity), the medical company with the edge cases below, and two tiny ERP-only landings
for the build gate.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

import test_reconciliation as planted_truth
from conftest import generate_demo, plant, run_dbt
from sop_analytics.demo import normalize_code

pytestmark = pytest.mark.dbt

SMALL = {"n_skus": 60, "n_customers": 30}


def read(landing: Path, entity: str) -> pd.DataFrame:
    return pd.read_csv(landing / f"{entity}.csv", dtype=str, keep_default_na=False)


def write(landing: Path, entity: str, frame: pd.DataFrame) -> None:
    frame.to_csv(landing / f"{entity}.csv", index=False, lineterminator="\n")


def append(landing: Path, entity: str, rows: pd.DataFrame) -> None:
    write(landing, entity, pd.concat([read(landing, entity), rows], ignore_index=True))


# ---------------------------------------------------------------- the distributor archetype

@pytest.fixture(scope="module")
def distributor(tmp_path_factory) -> dict:
    """The distributor archetype, planted and clean, each built once."""
    builds = {}
    for variant in ("planted", "clean"):
        out = tmp_path_factory.mktemp(f"distributor_{variant}")
        manifest = generate_demo(out, variant, archetype="distributor", **SMALL)
        run = run_dbt(out / "landing", out / "run")
        assert run.returncode == 0, run.output[-5000:]
        builds[variant] = (run, manifest)
    return builds


@pytest.mark.parametrize("check", [
    "test_unmapped_codes_are_found", "test_duplicate_shipment_lines_are_found", "test_uom_mixup_is_found",
    "test_missing_gl_posting_is_found", "test_gl_cutoff_is_found", "test_supplier_delay_is_found_as_late_shipments",
    "test_customer_mix_shift_is_not_a_data_error", "test_nothing_is_left_unexplained",
    "test_every_variance_traces_to_a_plant",
])
def test_distributor_plants_are_found(distributor, check):
    """The medical company's planted-truth checks, on the distributor's extracts."""
    getattr(planted_truth, check)(distributor["planted"])


def test_distributor_level_shift_is_a_forecast_disagreement(distributor):
    # at 60 SKUs other families' price mix can move the three numbers too (see conftest),
    # so only the planted family is checked here
    run, manifest = distributor["planted"]
    level = plant(manifest, "level_shift")
    rows = planted_truth.variances(run, f"comparison = 'three_numbers' and subject = '{level['family']}'")
    assert {r["cause"] for r in rows} == {"forecast_disagreement"}
    shifted = [r for r in rows if r["period_id"] >= level["start_period"]]
    assert len(shifted) >= 3 and len(shifted) * 2 > len(rows)


@pytest.mark.parametrize("variant", ["planted", "clean"])
def test_distributor_dim_skus_is_the_master_list(distributor, variant):
    run, manifest = distributor[variant]
    assert sorted(s for (s,) in run.query("select master_sku from marts.dim_skus")) == manifest["master_skus"]
    # digits-only ERP codes beside prefixed masters: 1 in 10 found by the master-prefix rule
    rules = dict(run.query("select mapping_rule, count(*) from marts.dim_source_codes "
                           "where source_system = 'erp' group by 1"))
    assert set(rules) == {"crosswalk", "master_prefix"}
    assert rules["master_prefix"] >= len(manifest["master_skus"]) // 20


def test_distributor_clean_has_no_variance_and_no_quarantine(distributor):
    # the three numbers are left out: at 60 SKUs the families' price mix moves them apart
    # without any plant (see conftest; the default-size clean build has none at all)
    run, manifest = distributor["clean"]
    assert run.query("select count(*) from marts.fct_reconciliation_variances "
                     "where comparison != 'three_numbers'") == [(0,)]
    quarantined = dict(run.query("select source_system || '/' || entity, count(*) from marts.fct_landing_quarantine "
                                 "group by 1"))
    assert quarantined == manifest["expected_quarantine_rows"]


def test_history_before_1995_is_kept(distributor):
    """The distributor's history starts in 1967 and no fiscal calendar is landed: the
    generated calendar covers it with no var."""
    run, manifest = distributor["planted"]
    assert manifest["history_start"] < "1995"
    [(first, source)] = run.query("select min(calendar_date), min(calendar_source) from intermediate.int_calendar_days")
    assert source == "generated_445"
    assert first <= date.fromisoformat(manifest["history_start"])
    assert run.query("select count(*) from marts.fct_landing_quarantine "
                     "where quarantine_rule = 'date_outside_calendar'") == [(0,)]
    [(first_period,)] = run.query("select min(period_id) from intermediate.int_demand_history_by_sku_period")
    assert first_period == manifest["history_start"][:4] + "-01"
    assert run.query("select count(distinct master_sku) from marts.fct_demand_forecast")[0][0] > 0


def test_data_ending_mid_period_leaves_the_period_open(distributor):
    """The extract ends on 1970-10-19, inside fiscal period 1970-10 (which ends 1970-10-31):
    that period is open, it is the cycle, and its open orders are not `unshipped_orders`."""
    run, manifest = distributor["planted"]
    [(cycle, last_closed, as_of)] = run.query(
        "select cycle, last_closed_period_id, data_as_of_date from intermediate.int_planning_cycle")
    assert as_of == date.fromisoformat(manifest["history_end"])
    assert last_closed == manifest["last_closed_period"]
    assert cycle == "1970-10"
    [(open_lines,)] = run.query("select count(*) from intermediate.int_orders_checked as o "
                                "inner join intermediate.int_calendar_days as d on o.requested_date = d.calendar_date "
                                "where o.status = 'open' and d.period_id = '1970-10'")
    assert open_lines > 0
    assert run.query("select count(*) from marts.fct_reconciliation_variances where comparison != 'three_numbers' "
                     "and (cause = 'unshipped_orders' or period_id >= '1970-10')") == [(0,)]
    assert run.query("select count(*) from intermediate.int_reconciliation_evidence "
                     "where cause = 'unshipped_orders' and period_id >= '1970-10'") == [(0,)]


# ---------------------------------------------------------------- no quarantined row feeds anything

KEYED = {  # entity -> the key column set to empty in the added row
    "crm/customers": "customer_id", "crm/products": "crm_product_code", "crm/orders": "order_id",
    "crm/promotions": "promo_id", "crm/sales_forecast": "crm_product_code", "erp/items": "erp_item",
    "erp/shipments": "shipment_id", "erp/inventory": "snapshot_date", "erp/supply": "supply_id",
    "erp/resources": "resource_id", "erp/capacity": "resource_id", "erp/routings": "erp_item",
    "erp/ops_forecast": "erp_item", "gl/journal_lines": "journal_id", "gl/budget": "fiscal_year",
    "master/sku_crosswalk": "source_code",
}
SKIP_MARTS = {"fct_landing_quarantine", "rpt_landing_row_accounting"}


@pytest.fixture(scope="module")
def null_key_build(distributor, tmp_path_factory):
    """The clean distributor plus, in every entity, a copy of its largest row with the key
    emptied (so it is quarantined as missing_key) and its quantity made large."""
    _, manifest = distributor["clean"]
    out = tmp_path_factory.mktemp("null_keys")
    generate_demo(out, "clean", archetype="distributor", **SMALL)
    landing = out / "landing"
    for entity, key in KEYED.items():
        frame = read(landing, entity)
        row = frame.iloc[[0]].copy()
        row[key] = ""
        for column in ("quantity", "on_hand_qty", "amount", "revenue", "available_hours"):
            if column in row:
                row[column] = "987654"
        append(landing, entity, row)
    run = run_dbt(landing, out / "run")
    assert run.returncode == 0, run.output[-5000:]
    return run


def mart_fingerprints(run) -> dict[str, str]:
    return {table: fingerprint for table, fingerprint in planted_truth.mart_fingerprints(run).items()
            if table not in SKIP_MARTS}


@pytest.fixture(scope="module")
def marts_changed(distributor, null_key_build) -> set[str]:
    """The marts (quarantine listings aside) that differ between the clean distributor and
    the same landing with the null-key rows added."""
    clean, _ = distributor["clean"]
    before, after = mart_fingerprints(clean), mart_fingerprints(null_key_build)
    assert len(before) >= 12
    return {t for t in before if after.get(t) != before[t]}


@pytest.mark.parametrize("entity", sorted(KEYED))
def test_a_quarantined_row_feeds_no_figure(entity, null_key_build, marts_changed):
    system, name = entity.split("/")
    rules = null_key_build.query(
        "select quarantine_rule from marts.fct_landing_quarantine "
        f"where source_system = '{system}' and entity = '{name}' and landing_row = "
        f"(select max(landing_row) from marts.fct_landing_quarantine where source_system = '{system}' "
        f"and entity = '{name}')")
    assert rules == [("missing_key",)]
    assert marts_changed == set()


# ---------------------------------------------------------------- one build, the other cases

@pytest.fixture(scope="module")
def edge_build(tmp_path_factory):
    """The small planted medical company, plus: a digits-only ERP code, a phantom ERP code,
    a shipment two years ahead, an order line with an empty order_id, a crosswalk row naming
    a lower-case master, a shipment line landed twice, and a small GL difference beside the
    planted cut-off shift."""
    out = tmp_path_factory.mktemp("edge")
    manifest = generate_demo(out, "planted", **SMALL)
    landing = out / "landing"
    planted_skus = {s for p in manifest["plants"] for s in p.get("master_skus", [])}
    items = read(landing, "erp/items")
    ships = read(landing, "erp/shipments")
    orders = read(landing, "crm/orders")
    quiet = [i for i in items["erp_item"] if i.replace("-", "") not in planted_skus]
    cases = {}

    # a digits-only ERP code: every ERP file writes 10 0xx instead of MD-10 0xx
    digits_item = quiet[0]
    for entity in ("erp/items", "erp/shipments", "erp/inventory", "erp/supply", "erp/routings", "erp/ops_forecast"):
        frame = read(landing, entity)
        frame.loc[frame["erp_item"] == digits_item, "erp_item"] = digits_item.split("-")[1]
        write(landing, entity, frame)
    cases["digits"] = (digits_item.split("-")[1], digits_item.replace("-", ""))

    # a phantom ERP code with a few shipments
    phantom = items.iloc[[0]].assign(erp_item="TEMP-KIT-9")
    append(landing, "erp/items", phantom)
    ships = read(landing, "erp/shipments")
    phantom_ships = ships.iloc[:3].assign(shipment_id=["SH-PH1", "SH-PH2", "SH-PH3"], erp_item="TEMP-KIT-9",
                                          order_id="")
    append(landing, "erp/shipments", phantom_ships)

    # one shipped line two years ahead of the data
    future = ships[ships["erp_item"] == quiet[1]].iloc[[0]].assign(
        shipment_id="SH-FUTURE", ship_date=(date.fromisoformat(manifest["history_end"]) + timedelta(days=730)).isoformat())
    append(landing, "erp/shipments", future)

    # an order line with an empty order_id, beside a quiet SKU's real lines
    masters = orders["crm_product_code"].map(normalize_code)
    [null_key_item] = [i for i in quiet[2:] if ((masters == i.replace("-", "")) & (orders["status"] == "shipped")).any()][:1]
    target = orders[(masters == null_key_item.replace("-", "")) & (orders["status"] == "shipped")].iloc[[0]]
    append(landing, "crm/orders", target.assign(order_id="", quantity="987654"))
    cases["null_key"] = (null_key_item.replace("-", ""), target["requested_date"].iloc[0])
    quiet = [i for i in quiet if i != null_key_item]

    # a crosswalk row naming an existing master in lower case with a separator
    clash_master = quiet[3].lower()
    append(landing, "master/sku_crosswalk", pd.DataFrame(
        [{"system": "crm", "source_code": "ALT-" + quiet[3], "master_sku": clash_master, "master_family": ""}]))
    cases["clash"] = clash_master

    # a shipment line landed twice (same shipment and line number)
    ships = read(landing, "erp/shipments")
    twice = ships[(ships["erp_item"] == quiet[4]) & (ships["order_id"] != "")].iloc[[0]]
    append(landing, "erp/shipments", twice)
    cases["twice"] = (quiet[4].replace("-", ""), twice["ship_date"].iloc[0])

    # a small unrelated GL difference in the cut-off's from-period: one revenue line less
    cutoff = plant(manifest, "gl_cutoff")
    gl = read(landing, "gl/journal_lines")
    year, period = (int(x) for x in cutoff["from_period"].split("-"))
    pool = gl[(gl["product_line"] == cutoff["product_line"]) & (gl["account_type"] == "revenue")
              & (gl["fiscal_year"] == str(year)) & (gl["fiscal_period"] == str(period))].copy()
    pool["value"] = pool["amount"].astype(float)
    fitting = pool[pool["value"].between(0.15 * cutoff["value_usd"], 0.9 * cutoff["value_usd"])]
    assert len(fitting), "no GL line of the right size to remove"
    removed = fitting.iloc[0]
    write(landing, "gl/journal_lines", gl.drop(index=removed.name))
    cases["cutoff"] = (cutoff, float(removed["value"]))

    run = run_dbt(landing, out / "run")
    assert run.returncode == 0, run.output[-5000:]
    return run, manifest, cases


def test_digits_only_erp_code_maps_to_its_prefixed_master(edge_build):
    run, manifest, cases = edge_build
    code, master = cases["digits"]
    assert run.query(f"select master_sku, mapping_rule from marts.dim_source_codes "
                     f"where source_system = 'erp' and source_code = '{code}'") == [(master, "master_prefix")]
    assert run.query(f"select erp_items from marts.dim_skus where master_sku = '{master}'") == [(code,)]
    assert sorted(s for (s,) in run.query("select master_sku from marts.dim_skus")) == manifest["master_skus"]


def test_phantom_code_is_quarantined_not_a_master(edge_build):
    run, manifest, _ = edge_build
    assert run.query("select count(*) from marts.dim_skus where master_sku like 'TEMP%'") == [(0,)]
    assert run.query("select mapping_method from marts.dim_source_codes where source_code = 'TEMP-KIT-9'") == [
        ("unmapped",)]
    rules = dict(run.query("select entity, count(*) from marts.fct_landing_quarantine "
                           "where quarantine_rule = 'unmapped_code' and row_content like '%TEMP-KIT-9%' group by 1"))
    assert rules == {"items": 1, "shipments": 3}


def test_far_future_row_is_quarantined_and_does_not_move_the_cycle(edge_build):
    run, manifest, _ = edge_build
    assert run.query("select cycle, last_closed_period_id from intermediate.int_planning_cycle") == [
        ("2026-11", manifest["last_closed_period"])]
    assert run.query("select count(*) from marts.fct_landing_quarantine where quarantine_rule = 'beyond_horizon' "
                     "and row_content like '%SH-FUTURE%'") == [(1,)]
    assert run.query("select min(horizon_step), max(horizon_step) from marts.fct_demand_forecast") == [(1, 12)]


def test_null_key_order_line_feeds_no_comparison(edge_build):
    run, _, cases = edge_build
    master, requested = cases["null_key"]
    assert run.query("select count(*) from marts.fct_landing_quarantine where source_system = 'crm' "
                     "and entity = 'orders' and quarantine_rule = 'missing_key' and row_content like '%987654%'") == [(1,)]
    [(period,)] = run.query(f"select period_id from intermediate.int_calendar_days where calendar_date = '{requested}'")
    [(crm_units,)] = run.query(f"select left_value from intermediate.int_units_compared_crm_erp "
                               f"where subject = '{master}' and period_id = '{period}'")
    [(used_units,)] = run.query(f"select sum(quantity_eaches) from intermediate.int_orders_checked "
                                f"where master_sku = '{master}' and requested_period_id = '{period}' "
                                "and quarantine_rule is null and status != 'cancelled'")
    assert crm_units == pytest.approx(float(used_units))
    assert run.query("select count(*) from intermediate.int_reconciliation_evidence where detail like '%987654%' "
                     "or detail is null") == [(0,)]


def test_lower_case_master_in_the_crosswalk_is_a_clash(edge_build):
    run, manifest, cases = edge_build
    assert run.query("select quarantine_rule from marts.fct_landing_quarantine where entity = 'sku_crosswalk'") == [
        ("master_code_clash",)]
    assert run.query(f"select count(*) from marts.dim_skus where master_sku = '{cases['clash']}'") == [(0,)]
    assert len(run.query("select master_sku from marts.dim_skus")) == len(manifest["master_skus"])


def test_quarantined_duplicate_explains_its_variance(edge_build):
    run, _, cases = edge_build
    master, ship_date = cases["twice"]
    [(period,)] = run.query(f"select period_id from intermediate.int_calendar_days where calendar_date = '{ship_date}'")
    assert run.query("select cause from marts.fct_reconciliation_variances where comparison = "
                     f"'crm_orders_vs_erp_shipments' and subject = '{master}' and period_id = '{period}'") == [
        ("duplicate",)]


def test_cut_off_shift_is_found_beside_a_small_difference(edge_build):
    run, _, cases = edge_build
    cutoff, removed = cases["cutoff"]
    rows = dict(run.query("select period_id, cause from marts.fct_reconciliation_variances "
                          f"where comparison = 'erp_shipments_vs_gl_revenue' and subject = '{cutoff['family']}' "
                          f"and period_id in ('{cutoff['from_period']}', '{cutoff['to_period']}')"))
    assert rows == {cutoff["from_period"]: "cut_off_timing", cutoff["to_period"]: "cut_off_timing"}
    [(difference,)] = run.query("select difference_value from marts.fct_reconciliation_variances "
                                f"where comparison = 'erp_shipments_vs_gl_revenue' and subject = '{cutoff['family']}' "
                                f"and period_id = '{cutoff['from_period']}'")
    assert difference == pytest.approx(-cutoff["value_usd"] - removed, abs=1.0)


# ---------------------------------------------------------------- no green build without a plan

def tiny_erp_landing(folder: Path, n_unknown: int, n_shipments: int = 30) -> Path:
    """Three items and ``n_shipments`` weekly shipment lines, ``n_unknown`` of them of an item
    that erp/items does not list."""
    from sop_analytics.extracts import write_entity

    landing = folder / "landing"
    write_entity(landing, "erp/items", pd.DataFrame({
        "erp_item": ["A-1", "A-2", "A-3"], "description": "part", "family": "PARTS", "uom": "EA",
        "units_per_uom": 1, "std_cost": None, "currency": "", "lead_time_days": None, "moq": None,
        "status": "active"}))
    start = pd.Timestamp("2024-01-01")
    write_entity(landing, "erp/shipments", pd.DataFrame({
        "shipment_id": [f"S-{i:03d}" for i in range(n_shipments)], "line_no": 1, "order_id": "",
        "customer_id": "UNKNOWN",
        "erp_item": ["ZZ-9" if i < n_unknown else f"A-{i % 3 + 1}" for i in range(n_shipments)],
        "ship_date": [start + pd.Timedelta(days=7 * i) for i in range(n_shipments)],
        "quantity": 5, "warehouse": "MAIN"}))
    return landing


def test_build_stops_when_an_entity_loses_too_many_rows(tmp_path):
    run = run_dbt(tiny_erp_landing(tmp_path, n_unknown=12), tmp_path / "run",
                  env={"SOP_PLANNING_CALENDAR": "calendar_month"})
    assert run.returncode != 0
    assert "Build stopped: erp/shipments lost 12 of 30 landed rows (40.0%)" in run.output
    assert "most as unknown_item (12 rows)" in run.output


def test_build_stops_when_the_demand_history_is_empty(tmp_path):
    """Every shipment line lands but all are quarantined: the landing passes its structural
    checks, the history is empty after the row checks, and the gate names why."""
    run = run_dbt(tiny_erp_landing(tmp_path, n_unknown=30), tmp_path / "run",
                  env={"SOP_PLANNING_CALENDAR": "calendar_month"})
    assert run.returncode != 0
    assert ("Build stopped: the demand history is empty after the landing checks, so there is nothing to plan. "
            "erp/shipments: 0 of 30 landed rows used, 30 quarantined, most as unknown_item (30 rows)") in run.output


def test_build_stops_when_no_demand_row_is_landed(tmp_path):
    """A shipments file with a header only: the landing step stops before anything is replaced."""
    run = run_dbt(tiny_erp_landing(tmp_path, n_unknown=0, n_shipments=0), tmp_path / "run",
                  env={"SOP_PLANNING_CALENDAR": "calendar_month"})
    assert run.returncode != 0
    assert "no demand history: at least one of" in run.output


def test_landed_calendar_that_stops_short_is_reported(tmp_path):
    """A landed fiscal calendar starting 2024-03-03, shipments from 2024-01-01: the rows it
    does not cover are reported with entity, dates and count, and as they are 30% of the
    shipments the build stops."""
    from sop_analytics.calendar import fiscal_calendar
    from sop_analytics.extracts import write_entity

    landing = tiny_erp_landing(tmp_path, n_unknown=0)
    write_entity(landing, "master/fiscal_calendar", fiscal_calendar("2024-03-03", "2026-12-31"))
    run = run_dbt(landing, tmp_path / "run")
    assert run.returncode != 0
    assert ("Build stopped: erp/shipments lost 9 of 30 landed rows (30.0%) to quarantine, more than the 20.0% "
            "allowed (seed quarantine_thresholds); most as date_outside_calendar (9 rows, dated 2024-01-01 to "
            "2024-02-26); the calendar covers 2024-03-03 to 2026-12-31") in run.output
    assert run.query("select rows_landed, rows_outside, first_date_outside, last_date_outside "
                     "from intermediate.int_calendar_coverage where entity = 'shipments'") == [
        (30, 9, date(2024, 1, 1), date(2024, 2, 26))]


def test_cycle_outside_the_generated_calendar_stops_the_build(tmp_path):
    """No fiscal calendar is landed: the generated one covers fiscal 2024 (from 2023-12-31) to the horizon's end, so
    a cycle in 2040 is no planning period of it, and the gate says which span it covers."""
    run = run_dbt(tiny_erp_landing(tmp_path, n_unknown=0), tmp_path / "run",
                  env={"SOP_PLANNING_CALENDAR": "calendar_month"}, dbt_vars={"cycle": "2040-01"})
    assert run.returncode != 0
    assert "Build stopped: var cycle 2040-01 is not a planning period of the calendar, which covers 2023-12-31 to " in run.output
