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


# ---------------------------------------------------------------------------------------------
# The bad-input corpus: every case below is a row of the table in docs/landing.md ("Bad-input
# corpus"), with the outcome documented there. Cheap: one small demo landing folder, reset
# before each case at the same path (so dbt's partial parse is reused), and only the hooks
# plus one staging view run (`dbt run --select stg_erp__items`); the var cases ask to publish
# (`publish: true`), so a var that slipped through would publish over the baseline build.
# Row-level cases read the one `row_level_build` above; the failures in the middle of a build
# and the reader during a build are in test_publish.py.
# ---------------------------------------------------------------------------------------------

def _csv(landing: Path, entity: str) -> Path:
    return landing / f"{entity}.csv"


def _set(entity: str, row: int, column: str, value: str):
    """A case that sets one value (data row ``row``, counted from 1) of a landing CSV."""
    def change(landing: Path) -> None:
        def edit(frame):
            frame.loc[row - 1, column] = value
            return frame
        edit_csv(_csv(landing, entity), edit)
    return change


def _write_lines(entity: str, transform):
    def change(landing: Path) -> None:
        path = _csv(landing, entity)
        path.write_bytes(transform(path.read_bytes()))
    return change


def _replace_line(entity: str, line: int, transform):
    """A case that rewrites one physical line (1 = header) of a landing CSV."""
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[line - 1] = transform(lines[line - 1])
        return b"\n".join(lines)
    return _write_lines(entity, edit)


def _to_parquet(entity: str, select: str = "*"):
    """A case that delivers ``entity`` as Parquet (every column text unless ``select`` casts)."""
    def change(landing: Path) -> None:
        import duckdb
        source = _csv(landing, entity)
        target = landing / f"{entity}.parquet"
        duckdb.execute(f"copy (select {select} from read_csv(?, all_varchar = true)) to '{target}' (format parquet)",
                       [str(source)])
        source.unlink()
    return change


def _spark_folder(landing: Path) -> None:
    """erp/shipments as Spark writes it: a folder of part files with _SUCCESS and .crc files."""
    import duckdb
    source = _csv(landing, "erp/shipments")
    folder = landing / "erp" / "shipments.parquet"
    folder.mkdir()
    con = duckdb.connect()
    con.execute("create table s as select * from read_csv(?, all_varchar = true)", [str(source)])
    [(n,)] = con.execute("select count(*) from s").fetchall()
    for part in range(3):
        con.execute(f"copy (select * from s where rowid % 3 = {part} order by rowid) to "
                    f"'{folder / f'part-0000{part}-abc.snappy.parquet'}' (format parquet)")
        (folder / f".part-0000{part}-abc.snappy.parquet.crc").write_bytes(b"crc")
    (folder / "_SUCCESS").write_text("")
    con.close()
    source.unlink()
    (landing / "expected_rows.txt").write_text(str(n))


def _quoted_newline_then_bad_date(landing: Path) -> None:
    """A quoted line break in row 2, then an unparsable date in row 5 (on line 7 of the file)."""
    path = _csv(landing, "crm/orders")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[1, "currency"] = "USD"
    frame.loc[1, "promo_id"] = "two\nlines"
    frame.loc[4, "order_date"] = "2024-02-30"
    frame.to_csv(path, index=False)


def _header_only(entity: str):
    def change(landing: Path) -> None:
        path = _csv(landing, entity)
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return change


def _both(*changes):
    def change(landing: Path) -> None:
        for one in changes:
            one(landing)
    return change


def _unlink(*entities: str):
    def change(landing: Path) -> None:
        for entity in entities:
            _csv(landing, entity).unlink()
    return change


def _broken_link(landing: Path) -> None:
    path = _csv(landing, "erp/items")
    path.unlink()
    path.symlink_to(landing / "erp" / "no_such_items_file.csv")


def _link_loop(landing: Path) -> None:
    path = _csv(landing, "erp/shipments")
    path.unlink()
    path.symlink_to(path)


def _csv_folder(landing: Path) -> None:
    path = _csv(landing, "erp/shipments")
    path.unlink()
    path.mkdir()
    (path / "part-0.csv").write_text("shipment_id\n")


def _empty_parquet_folder(landing: Path) -> None:
    _csv(landing, "erp/shipments").unlink()
    (landing / "erp" / "shipments.parquet").mkdir()
    (landing / "erp" / "shipments.parquet" / "_SUCCESS").write_text("")


def _copy_as_parquet_too(landing: Path) -> None:
    import duckdb
    duckdb.execute(f"copy (select * from read_csv(?, all_varchar = true)) to '{landing / 'erp' / 'items.parquet'}' "
                   "(format parquet)", [str(_csv(landing, "erp/items"))])


def _landed(sql: str, expected):
    """A check on the landed tables after a passing case."""
    def check(run) -> None:
        assert run.query(sql) == expected, sql
    return check


def _landed_rows_match(run) -> None:
    [(n,)] = run.query("select count(*) from landing.erp__shipments")
    assert n == int((run.landing / "expected_rows.txt").read_text()) and n > 0


STRUCTURAL = [
    # id, change, expected message parts (None: the run passes), check after a pass
    ("required_file_missing", _unlink("erp/items"), ["required file missing", "erp/items.csv"], None),
    ("no_demand_history", _unlink("erp/shipments", "crm/orders"), ["no demand history"], None),
    ("required_column_missing", lambda d: edit_csv(_csv(d, "crm/orders"), lambda f: f.drop(columns=["requested_date"])),
     ["column requested_date, row header", "required column is missing"], None),
    ("optional_column_absent", lambda d: edit_csv(_csv(d, "crm/orders"), lambda f: f.drop(columns=["promo_id"])),
     None, _landed("select count(*) from landing.crm__orders where promo_id is not null", [(0,)])),
    ("optional_entity_absent", _unlink("crm/promotions"), None,
     _landed("select status from landing.landing_files where entity = 'promotions'", [("source_absent",)])),
    ("unparsable_date", _set("crm/orders", 5, "order_date", "2024-02-30"),
     ["column order_date, row 5 (line 6 of a CSV with its header), value '2024-02-30' is not a date YYYY-MM-DD"], None),
    ("date_in_another_format", _set("erp/shipments", 3, "ship_date", "03/01/2023"),
     ["column ship_date, row 3 (line 4", "value '03/01/2023' is not a date"], None),
    ("fractional_whole_number", _set("erp/shipments", 2, "line_no", "1.5"),
     ["column line_no, row 2 (line 3", "value '1.5' is not a whole number"], None),
    ("whole_number_written_with_zero_decimals", _set("erp/shipments", 2, "line_no", "7.0"), None,
     _landed("select line_no from landing.erp__shipments where _landing_row = 2", [(7,)])),
    ("text_in_a_number", _set("erp/shipments", 4, "quantity", "a lot"),
     ["column quantity, row 4 (line 5", "value 'a lot' is not a number"], None),
    ("decimal_comma", _set("erp/items", 2, "std_cost", "2,25"),
     ["column std_cost, row 2 (line 3", "value '2,25' is not a number with a . as decimal point"], None),
    ("timestamp_with_offset_is_converted_to_utc", _set("crm/sales_forecast", 1, "submitted_at", "2024-01-05T10:00:00+02:00"),
     None, _landed("select cast(submitted_at as varchar) from landing.crm__sales_forecast where _landing_row = 1",
                   [("2024-01-05 08:00:00",)])),
    ("timestamp_in_utc_with_z", _set("crm/sales_forecast", 1, "submitted_at", "2024-01-05T10:00:00Z"),
     None, _landed("select cast(submitted_at as varchar) from landing.crm__sales_forecast where _landing_row = 1",
                   [("2024-01-05 10:00:00",)])),
    ("timestamp_without_offset_is_kept", _set("crm/sales_forecast", 1, "submitted_at", "2024-01-05 10:00"),
     None, _landed("select cast(submitted_at as varchar) from landing.crm__sales_forecast where _landing_row = 1",
                   [("2024-01-05 10:00:00",)])),
    ("timestamp_not_iso", _set("crm/sales_forecast", 3, "submitted_at", "05/01/2024 10:00"),
     ["column submitted_at, row 3 (line 4", "value '05/01/2024 10:00' is not an ISO 8601 timestamp"], None),
    ("timestamp_impossible", _set("crm/sales_forecast", 3, "submitted_at", "2024-13-45T10:00:00"),
     ["column submitted_at, row 3", "is not an ISO 8601 timestamp"], None),
    ("latin1_file", _replace_line("erp/items", 3, lambda line: line.replace(b"GAUZE", "GAUZE CAF\u00c9".encode("latin-1"))),
     ["erp/items.csv, column description, row 2 (line 3", "is not UTF-8"], None),
    ("line_over_2mb", _replace_line("erp/items", 4, lambda line: line.replace(b"SUCTION", b"S" * (2 * 1024 * 1024 + 10))),
     ["erp/items.csv, column description, row 3 (line 4", "longer than 2,097,152 bytes"], None),
    ("unquoted_thousands_separator", _replace_line(
        "erp/shipments", 6, lambda line: b",".join(line.split(b",")[:6] + [b"1,026"] + line.split(b",")[7:])),
     ["erp/shipments.csv, column quantity, row 5 (line 6", "value '1,026'", "9 values for 8 columns"], None),
    ("row_cut_short", _replace_line("erp/shipments", 6, lambda line: b",".join(line.split(b",")[:5])),
     ["erp/shipments.csv, column ship_date, row 5 (line 6", "a row cut short"], None),
    ("quoted_newline_then_bad_date", _quoted_newline_then_bad_date,
     ["column order_date, row 5 (line 7 of a CSV with its header), value '2024-02-30'"], None),
    ("utf8_bom_and_crlf", _write_lines("erp/items", lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")), None,
     _landed("select count(*) > 0, count(*) filter (where status not in ('active', 'eol', 'new')) from landing.erp__items",
             [(True, 0)])),
    ("extra_column_is_ignored", lambda d: edit_csv(_csv(d, "erp/items"), lambda f: f.assign(note="x")), None,
     _landed("select count(*) > 0 from landing.erp__items", [(True,)])),
    ("required_entity_header_only", _header_only("erp/items"), ["erp/items", "the required entity has no rows"], None),
    ("optional_entity_header_only", _header_only("erp/inventory"), None,
     _landed("select rows_landed, status from landing.landing_files where entity = 'inventory'", [(0, "present")])),
    ("both_demand_sources_header_only", _both(_header_only("erp/shipments"), _header_only("crm/orders")),
     ["no demand history"], None),
    ("csv_and_parquet_for_one_entity", _copy_as_parquet_too, ["keep exactly one file per entity"], None),
    ("parquet_entity", _to_parquet("erp/items"), None,
     _landed("select count(*) > 0, count(distinct _landing_file) from landing.erp__items", [(True, 1)])),
    ("parquet_integer_id_column", _to_parquet("erp/shipments", "cast(row_number() over () as bigint) as shipment_id, "
                                                             "* exclude (shipment_id)"),
     ["column shipment_id, row header: stored as BIGINT in Parquet", "leading zeros"], None),
    ("parquet_typed_date_and_number", _to_parquet("erp/shipments", "* replace (cast(ship_date as date) as ship_date, "
                                                                 "cast(quantity as double) as quantity)"), None,
     _landed("select count(*) > 0 from landing.erp__shipments where ship_date is not null", [(True,)])),
    ("parquet_fractional_whole_number", _to_parquet("erp/shipments", "* replace (cast(line_no as double) + 0.5 as line_no)"),
     ["column line_no, row 1, value '1.5' is not a whole number"], None),
    ("spark_folder_of_part_files", _spark_folder, None, _landed_rows_match),
    ("empty_parquet_folder", _empty_parquet_folder, ["shipments.parquet", "holds no Parquet part files"], None),
    ("csv_entity_is_a_folder", _csv_folder, ["shipments.csv", "is a folder"], None),
    ("broken_symlink", _broken_link, ["erp/items.csv", "broken symbolic link"], None),
    ("symlink_loop_unreadable", _link_loop, ["erp/shipments.csv", "unreadable"], None),
    ("customer_priority_below_one", _set("crm/customers", 3, "priority", "0"),
     ["column priority, row 3 (line 4 of a CSV with its header), value '0' is not a whole number of at least 1"], None),
    ("customer_priority_absent", lambda d: edit_csv(_csv(d, "crm/customers"), lambda f: f.drop(columns=["priority"])),
     None, _landed("select count(*), count(priority) from landing.crm__customers", [(30, 0)])),
]


@pytest.fixture(scope="module")
def corpus(small_planted, tmp_path_factory):
    """The corpus's scratch folders, with a baseline published build to compare against."""
    tmp = tmp_path_factory.mktemp("corpus")
    pristine = copy_landing(small_planted[0], tmp / "pristine")
    landing, work = tmp / "landing", tmp / "run"
    shutil.copytree(pristine, landing)
    baseline = run_dbt(landing, work, "run", "--select", "+dim_planning_periods", dbt_vars={"publish": True})
    assert baseline.returncode == 0, baseline.output[-3000:]
    return {"pristine": pristine, "landing": landing, "work": work}


def _reset(corpus) -> Path:
    landing = corpus["landing"]
    shutil.rmtree(landing)
    shutil.copytree(corpus["pristine"], landing, symlinks=True)
    return landing


def _published(corpus) -> str:
    return (corpus["work"] / "published" / "CURRENT").read_text()


@pytest.mark.parametrize("case, change, message, check", STRUCTURAL, ids=[c[0] for c in STRUCTURAL])
def test_corpus_structural(corpus, case, change, message, check):
    landing = _reset(corpus)
    change(landing)
    before = _published(corpus)
    run = run_dbt(landing, corpus["work"], "run", "--select", "stg_erp__items")
    if message is None:
        assert run.returncode == 0, run.output[-3000:]
        check(run)
    else:
        assert run.returncode != 0
        assert "Landing contract violated" in run.output
        for part in message:
            assert part in run.output, (part, run.output[-2000:])
        assert "The build stopped before anything was replaced" in run.output
    assert _published(corpus) == before


VAR_CASES = [
    ("cycle_period_13", {"cycle": "2026-13"}, "Invalid var cycle: '2026-13' is not a planning period id YYYY-PP"),
    ("cycle_not_a_period", {"cycle": "abc"}, "Invalid var cycle: 'abc' is not a planning period id"),
    ("cycle_sql_injection", {"cycle": "2026-01' or '1'='1"}, "Invalid var cycle: '2026-01' or '1'='1' is not a planning"),
    ("cycle_as_a_number", {"cycle": 202601}, "Invalid var cycle: '202601' is not a planning period id"),
    ("cycle_outside_the_calendar", {"cycle": "1990-01"},
     "Invalid var cycle: '1990-01' is not a planning period of the landed master/fiscal_calendar"),
    ("currency_holding_a_quote", {"reporting_currency": "US'D"}, "Invalid var reporting_currency: 'US'D' is not an ISO"),
    ("horizon_zero", {"forecast_horizon": 0}, "Invalid var forecast_horizon: '0' is out of range"),
    ("horizon_text", {"forecast_horizon": "twelve"}, "Invalid var forecast_horizon: 'twelve' is not a whole number"),
    ("negative_share", {"escalation_min_share": -0.5}, "Invalid var escalation_min_share: '-0.5' is out of range"),
    ("number_holding_sql", {"dso_days": "45; drop table marts.dim_skus"}, "Invalid var dso_days"),
    ("unknown_planning_calendar", {"planning_calendar": "weekly"}, "Invalid var planning_calendar: 'weekly' is not one of"),
    ("unknown_long_tail_family", {"long_tail_families": "LONG_TAIL, NO_SUCH_FAMILY"},
     "names the family NO_SUCH_FAMILY, which is not a family of erp/items"),
    ("abc_class_unknown", {"hidden_error_abc_classes": ["A", "Z"]}, "Invalid var hidden_error_abc_classes"),
    ("number_source_holding_a_quote", {"hidden_error_numbers": ["statistical_baseline', 'x"]},
     "Invalid var hidden_error_numbers"),
    ("calendar_years_reversed", {"calendar_start_year": 2030, "calendar_end_year": 2020},
     "Invalid var calendar_start_year: '2030' is after calendar_end_year"),
    ("publish_keep_zero", {"publish_keep": 0}, "Invalid var publish_keep: '0' is out of range"),
]


@pytest.mark.parametrize("case, dbt_vars, message", VAR_CASES, ids=[c[0] for c in VAR_CASES])
def test_corpus_bad_var_stops_and_publishes_nothing(corpus, case, dbt_vars, message):
    landing = _reset(corpus)
    before = _published(corpus)
    run = run_dbt(landing, corpus["work"], "run", "--select", "stg_erp__items", dbt_vars={"publish": True, **dbt_vars})
    assert run.returncode != 0
    assert message in run.output, run.output[-2000:]
    assert "Nothing ran; the published build is unchanged" in run.output
    assert _published(corpus) == before


def test_corpus_good_vars_publish(corpus):
    """The control of the var cases: valid vars (a family list, a cycle of the calendar) pass
    and, with publish: true, publish a new build."""
    landing = _reset(corpus)
    before = _published(corpus)
    run = run_dbt(landing, corpus["work"], "run", "--select", "stg_erp__items",
                  dbt_vars={"publish": True, "cycle": "2024-03", "long_tail_families": "LONG_TAIL"})
    assert run.returncode == 0, run.output[-3000:]
    assert _published(corpus) != before


def test_corpus_paths_holding_a_quote(corpus, tmp_path):
    """A landing folder and a publish folder whose names hold a quote work (no path is pasted
    into SQL unquoted)."""
    landing = tmp_path / "land'ing"
    shutil.copytree(corpus["pristine"], landing)
    published = tmp_path / "pub'lished"
    run = run_dbt(landing, corpus["work"], "run", "--select", "+dim_planning_periods",
                  dbt_vars={"publish": True}, published=published)
    assert run.returncode == 0, run.output[-3000:]
    from sop_analytics.published import current
    build = current(published)
    assert build.parquet("dim_planning_periods").is_file()
    assert run.query("select count(*) from landing.landing_files where file_path like '%land''ing%'")[0][0] > 0


ROW_LEVEL = [
    ("row_duplicate_key", "crm", "orders", "duplicate_key"),
    ("row_non_positive_quantity", "crm", "orders", "non_positive_quantity"),
    ("row_unknown_status", "crm", "orders", "unknown_status"),
    ("row_unknown_item", "erp", "shipments", "unknown_item"),
]


@pytest.mark.parametrize("case, system, entity, rule", ROW_LEVEL, ids=[c[0] for c in ROW_LEVEL])
def test_corpus_row_level(row_level_build, case, system, entity, rule):
    run, expected, _ = row_level_build
    [(row,)] = [(r,) for (s, e, r, q) in expected if (s, e, q) == (system, entity, rule)]
    assert run.query(
        "select count(*) from marts.fct_landing_quarantine where source_system = ? and entity = ? "
        "and landing_row = ? and quarantine_rule = ?".replace("?", "{}").format(
            f"'{system}'", f"'{entity}'", row, f"'{rule}'")) == [(1,)]
    [(landed, used, quarantined)] = run.query(
        f"select rows_landed, rows_used, rows_quarantined from marts.rpt_landing_row_accounting "
        f"where source_system = '{system}' and entity = '{entity}'")
    assert landed == used + quarantined and quarantined >= 1


MID_BUILD_AND_READER = ["last_model_raises", "error_test_fails", "crash", "reader_during_two_builds",
                        "good_vars_publish", "paths_holding_a_quote"]


def test_every_corpus_case_is_documented():
    """docs/landing.md lists every case of the corpus with its outcome, and at least 40."""
    from conftest import ROOT
    text = (ROOT / "docs" / "landing.md").read_text(encoding="utf-8")
    documented = [line.split("|")[2].strip().strip("`") for line in text.splitlines()
                  if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    cases = ([c[0] for c in STRUCTURAL] + [c[0] for c in VAR_CASES] + [c[0] for c in ROW_LEVEL]
             + MID_BUILD_AND_READER)
    assert sorted(documented) == sorted(cases)
    assert len(cases) >= 40
