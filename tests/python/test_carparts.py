"""The real car parts data (../shared/data), mapped to the landing contract as a user's
extract job would (items and shipments only), builds without errors; every other entity
is reported as source_absent, and no row is lost."""

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
    map_carparts(CARPARTS, out)
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
