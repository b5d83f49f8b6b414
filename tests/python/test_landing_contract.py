"""Broken landing folders get the documented outcome (landing contract, "Bad input"):
structural problems stop the build with one message naming file, column, row and value,
and replace nothing; row-level problems land in quarantine with their rule, and for every
entity rows landed = rows used + rows quarantined."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import copy_landing, run_dbt

pytestmark = pytest.mark.dbt


def edit_csv(path: Path, change) -> None:
    """Rewrite a landing CSV through ``change(frame) -> frame``, keeping every value as text."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame).to_csv(path, index=False)


def test_required_file_missing_stops_the_build(small_planted, tmp_path):
    landing = copy_landing(small_planted[0], tmp_path / "landing")
    (landing / "erp" / "items.csv").unlink()
    run = run_dbt(landing, tmp_path / "run")
    assert run.returncode != 0
    assert "required file missing" in run.output
    assert str(landing / "erp" / "items.csv") in run.output


def test_no_demand_history_stops_the_build(small_planted, tmp_path):
    landing = copy_landing(small_planted[0], tmp_path / "landing")
    (landing / "erp" / "shipments.csv").unlink()
    (landing / "crm" / "orders.csv").unlink()
    run = run_dbt(landing, tmp_path / "run")
    assert run.returncode != 0
    assert "no demand history" in run.output


def test_required_column_missing_names_file_and_column(small_planted, tmp_path):
    landing = copy_landing(small_planted[0], tmp_path / "landing")
    edit_csv(landing / "crm" / "orders.csv", lambda f: f.drop(columns=["requested_date"]))
    run = run_dbt(landing, tmp_path / "run")
    assert run.returncode != 0
    assert f"file {landing / 'crm' / 'orders.csv'}, column requested_date, row header" in run.output
    assert "required column is missing" in run.output


def test_optional_column_may_be_absent(small_planted, tmp_path):
    landing = copy_landing(small_planted[0], tmp_path / "landing")
    edit_csv(landing / "crm" / "orders.csv", lambda f: f.drop(columns=["promo_id"]))
    run = run_dbt(landing, tmp_path / "run", "run", "--select", "stg_crm__orders")
    assert run.returncode == 0, run.output[-3000:]
    assert run.query("select count(*) from staging.stg_crm__orders where promo_id is not null") == [(0,)]


def test_unparsable_date_names_file_column_row_and_value(small_planted, tmp_path):
    landing = copy_landing(small_planted[0], tmp_path / "landing")

    def break_row_five(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[4, "order_date"] = "2024-02-30"
        return frame

    edit_csv(landing / "crm" / "orders.csv", break_row_five)
    run = run_dbt(landing, tmp_path / "run")
    assert run.returncode != 0
    assert (
        f"file {landing / 'crm' / 'orders.csv'}, column order_date, row 5 (line 6 of a CSV with its header), "
        "value '2024-02-30' is not a date YYYY-MM-DD"
    ) in run.output


def test_failed_landing_replaces_nothing(planted_build, small_planted, tmp_path):
    good, _ = planted_build
    database = tmp_path / "copy.duckdb"
    shutil.copy(good.database, database)
    before = good.query("select count(*), sum(rows_landed) from marts.rpt_landing_row_accounting")
    landing = copy_landing(small_planted[0], tmp_path / "landing")
    edit_csv(landing / "erp" / "shipments.csv", lambda f: f.assign(quantity="a lot"))
    run = run_dbt(landing, tmp_path / "run", database=database)
    assert run.returncode != 0
    assert "column quantity, row 1" in run.output
    check = type(good)(0, "", database)
    assert check.query("select count(*), sum(rows_landed) from marts.rpt_landing_row_accounting") == before
    assert check.query("select count(*) from landing.erp__shipments") == good.query(
        "select count(*) from landing.erp__shipments")


@pytest.fixture(scope="module")
def row_level_build(small_planted, tmp_path_factory):
    """One build of a landing folder with four row-level problems planted at known rows."""
    tmp = tmp_path_factory.mktemp("row_level")
    landing = copy_landing(small_planted[0], tmp / "landing")
    orders_path = landing / "crm" / "orders.csv"
    orders = pd.read_csv(orders_path, dtype=str, keep_default_na=False)
    clean_rows = orders.index[(orders["status"] == "shipped") & (orders["promo_id"] == "")]
    dup_row, neg_row, status_row = (int(i) for i in clean_rows[[2, 9, 11]])
    orders.loc[neg_row, "quantity"] = "-5"
    orders.loc[status_row, "status"] = "lost"
    orders = pd.concat([orders, orders.loc[[dup_row]]], ignore_index=True)
    orders.to_csv(orders_path, index=False)
    shipments_path = landing / "erp" / "shipments.csv"
    shipments = pd.read_csv(shipments_path, dtype=str, keep_default_na=False)
    shipments.loc[6, "erp_item"] = "ZZ-NOT-AN-ITEM"
    shipments.to_csv(shipments_path, index=False)
    run = run_dbt(landing, tmp / "run")
    assert run.returncode == 0, run.output[-5000:]
    expected = {
        ("crm", "orders", len(orders), "duplicate_key"),
        ("crm", "orders", neg_row + 1, "non_positive_quantity"),
        ("crm", "orders", status_row + 1, "unknown_status"),
        ("erp", "shipments", 7, "unknown_item"),
    }
    return run, expected, landing


def test_row_level_problems_are_quarantined_with_their_rule(row_level_build):
    run, expected, _ = row_level_build
    found = set(run.query(
        "select source_system, entity, landing_row, quarantine_rule from marts.fct_landing_quarantine"
    ))
    assert expected <= found


def test_quarantined_row_keeps_its_content(row_level_build):
    run, _, _ = row_level_build
    [(content,)] = run.query(
        "select row_content from marts.fct_landing_quarantine "
        "where entity = 'shipments' and landing_row = 7"
    )
    assert "ZZ-NOT-AN-ITEM" in content


def test_no_row_is_lost(row_level_build):
    run, _, landing = row_level_build
    accounting = run.query(
        "select source_system, entity, status, rows_landed, rows_used, rows_quarantined "
        "from marts.rpt_landing_row_accounting"
    )
    assert len(accounting) == 19
    for system, entity, status, landed, used, quarantined in accounting:
        assert landed == used + quarantined, (system, entity)
        files = list((landing / system).glob(f"{entity}.*"))
        if status == "present":
            assert landed == len(pd.read_csv(files[0], dtype=str)), (system, entity)
        else:
            assert not files and landed == 0
