"""Marts any BI tool can read: exported to Parquet after the build (DuckDB locks its file
while a build runs), and readable from another process through a read-only connection."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

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
    done = subprocess.run([sys.executable, "-c", READER, str(run.database)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert len(counts) >= 30
    assert all(n > 0 for n in counts.values()), {t: n for t, n in counts.items() if n == 0}
    # and it could not write
    write = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)"
                            ".sql('create table marts.x as select 1')", str(run.database)],
                           capture_output=True, text=True, timeout=120)
    assert write.returncode != 0


def test_every_mart_is_exported_to_parquet(planted_build):
    run, _ = planted_build
    folder = run.database.parent / "parquet"
    con = duckdb.connect(str(run.database), read_only=True)
    try:
        marts = [t for (t,) in con.sql("select table_name from information_schema.tables "
                                       "where table_schema = 'marts' order by 1").fetchall()]
        listed = [m for (m,) in duckdb.sql(f"select mart from '{folder / '_marts_0.parquet'}' order by 1").fetchall()]
        assert listed == marts
        for mart in marts:
            path = folder / f"{mart}.parquet"
            assert path.exists(), mart
            in_db = con.sql(f"select * from marts.{mart} order by all").fetchall()
            in_file = duckdb.sql(f"select * from '{path}'").fetchall()
            assert in_file == in_db, mart
    finally:
        con.close()
