"""The real car parts data (../shared/data), mapped to the landing contract as a user's
extract job would (items and shipments only) and shifted ten years back (1988-1992, before
the 1995 a calendar var used to start at), builds without errors; every other entity is
reported as source_absent, no row is lost, and every part with demand in its last 12
periods gets a forecast."""

from __future__ import annotations

import pytest

from conftest import SHARED_DATA, run_dbt

pytestmark = pytest.mark.dbt

CARPARTS = SHARED_DATA / "carparts_long.csv"


@pytest.fixture(scope="module")
def carparts_build(tmp_path_factory):
    if not CARPARTS.exists():
        pytest.skip(f"{CARPARTS} not found (shared data is beside the repo on developer and CI machines)")
    from sop_analytics.carparts import map_carparts

    out = tmp_path_factory.mktemp("carparts")
    map_carparts(CARPARTS, out, shift_years=10)
    run = run_dbt(out / "landing", out / "run", env={"SOP_PLANNING_CALENDAR": "calendar_month"})
    assert run.returncode == 0, run.output[-5000:]
    return run


def test_absent_sources_are_reported_absent(carparts_build):
    status = dict(((s, e), st) for s, e, st in carparts_build.query(
        "select source_system, entity, status from marts.rpt_landing_row_accounting"))
    assert status[("erp", "items")] == "present"
    assert status[("erp", "shipments")] == "present"
    assert {k for k, v in status.items() if v == "present"} == {("erp", "items"), ("erp", "shipments")}


def test_no_row_is_lost(carparts_build):
    assert carparts_build.query(
        "select count(*) from marts.rpt_landing_row_accounting where not is_balanced") == [(0,)]
    assert carparts_build.query("select count(*) from marts.fct_landing_quarantine") == [(0,)]


def test_demand_history_falls_back_to_shipments(carparts_build):
    [(parts, periods, source, total)] = carparts_build.query(
        "select count(distinct master_sku), count(distinct period_id), min(demand_source), sum(demand_units) "
        "from intermediate.int_demand_history_by_sku_period")
    assert source == "erp_shipments"
    assert parts > 2000 and periods == 51
    assert total > 0


def test_three_numbers_say_their_sources_are_absent(carparts_build):
    assert carparts_build.query("select count(*) from marts.rpt_three_numbers") == [(0,)]
    assert carparts_build.query("select count(*) from marts.fct_reconciliation_variances") == [(0,)]


def test_history_is_dated_before_1995_and_kept(carparts_build):
    [(first, last)] = carparts_build.query("select min(ship_date), max(ship_date) from intermediate.int_shipments_checked")
    assert first.year == 1988 and last.year == 1992
    [(history_first,)] = carparts_build.query("select min(period_id) from intermediate.int_demand_history_by_sku_period")
    assert history_first == "1988-01"


def test_every_part_with_recent_demand_gets_a_forecast(carparts_build):
    [(recent, forecast, missing)] = carparts_build.query("""
        with recent as (
            select distinct history.master_sku
            from intermediate.int_demand_history_by_sku_period as history
            where history.demand_units > 0 and history.period_seq > (
                select max(period_seq) - 12 from intermediate.int_demand_history_by_sku_period)
        ),
        forecast as (select distinct master_sku from marts.fct_demand_forecast)
        select (select count(*) from recent), (select count(*) from forecast),
               (select count(*) from recent where master_sku not in (select master_sku from forecast))
    """)
    assert recent > 1000
    assert missing == 0
