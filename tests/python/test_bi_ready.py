"""Marts any BI tool can read: each good build is published (sop_analytics.published) as a
folder of Parquet files and a copy of the marts in its own DuckDB file, which readers open
read-only while the next build holds the work database."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from sop_analytics.published import build_id_of_parquet, current

pytestmark = pytest.mark.dbt

READER = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
marts = [t for (t,) in con.sql("select table_name from information_schema.tables "
                                "where table_schema = 'marts' order by 1").fetchall()]
print(json.dumps({t: con.sql(f"select count(*) from marts.{t}").fetchall()[0][0] for t in marts}))
"""


def test_every_mart_is_read_by_a_separate_read_only_process(planted_build):
    run, _ = planted_build
    published = current(run.published)
    done = subprocess.run([sys.executable, "-c", READER, str(published.database)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert len(counts) >= 30
    assert all(n > 0 for n in counts.values()), {t: n for t, n in counts.items() if n == 0}
    assert counts == {m["name"]: m["rows"] for m in published.manifest["marts"]}
    # and it could not write
    write = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)"
                            ".sql('create table marts.x as select 1')", str(published.database)],
                           capture_output=True, text=True, timeout=120)
    assert write.returncode != 0


def test_every_mart_is_published_to_parquet(planted_build):
    run, _ = planted_build
    published = current(run.published)
    manifest = published.manifest
    assert manifest["build_id"] == published.build_id
    [(cycle,)] = run.query("select cycle from intermediate.int_planning_cycle")
    assert manifest["cycle"] == cycle
    con = duckdb.connect(str(run.database), read_only=True)
    copy = duckdb.connect(str(published.database), read_only=True)
    try:
        marts = [t for (t,) in con.sql("select table_name from information_schema.tables "
                                       "where table_schema = 'marts' order by 1").fetchall()]
        assert [m["name"] for m in manifest["marts"]] == marts
        for mart in marts:
            path = published.parquet(mart)
            assert build_id_of_parquet(path) == published.build_id, mart
            in_db = con.sql(f"select * from marts.{mart} order by all").fetchall()
            assert duckdb.execute("select * from read_parquet(?)", [str(path)]).fetchall() == in_db, mart
            assert copy.sql(f"select * from marts.{mart}").fetchall() == in_db, mart
        assert copy.sql("select build_id from published.build").fetchall() == [(published.build_id,)]
        landed = con.sql("select count(*) from landing.erp__shipments").fetchall()
        assert copy.sql("select count(*) from landing.erp__shipments").fetchall() == landed
    finally:
        con.close()
        copy.close()
