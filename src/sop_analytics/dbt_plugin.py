"""dbt-duckdb plugin (``profiles.yml``: ``plugins: [{module: sop_analytics.dbt_plugin}]``):
SQL functions the project's hooks call for what SQL cannot do on its own.

- ``sop_publish_begin(root, build_id)``, ``sop_publish_commit(root, build_id, keep)``,
  ``sop_publish_abort(root, build_id)``: the writer side of ``sop_analytics.published``
  (create the staging folder; rename it and swap ``CURRENT`` atomically; drop it).
- ``sop_landing_probe(base)``: what the landing folder holds for one entity
  (``sop_analytics.landing_files.probe``), as JSON.
- ``sop_csv_scan(path, max_line_bytes)``: the first encoding, line length or dialect problem
  of a CSV file, or null (``sop_analytics.landing_files.scan_csv``), as JSON.
- ``sop_csv_line(path, row)``: the line of a CSV file on which data row ``row`` starts.

Each returns a string, so a hook reads its answer with ``run_query``.
"""

from __future__ import annotations

import json

from dbt.adapters.duckdb.plugins import BasePlugin


def _publish_begin(root: str, build_id: str) -> str:
    from sop_analytics import published

    return published.begin(root, build_id).as_posix()


def _publish_commit(root: str, build_id: str, keep: int) -> str:
    from sop_analytics import published

    return published.commit(root, build_id, int(keep)).folder.as_posix()


def _publish_abort(root: str, build_id: str) -> str:
    from sop_analytics import published

    published.abort(root, build_id)
    return "aborted"


def _landing_probe(base: str) -> str:
    from sop_analytics import landing_files

    return json.dumps(landing_files.probe(base))


def _csv_scan(path: str, max_line_bytes: int) -> str | None:
    from sop_analytics import landing_files

    problem = landing_files.scan_csv(path, int(max_line_bytes))
    return None if problem is None else json.dumps(problem)


def _csv_line(path: str, row: int) -> int | None:
    from sop_analytics import landing_files

    return landing_files.line_of_row(path, int(row))


FUNCTIONS = [
    ("sop_publish_begin", _publish_begin, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    ("sop_publish_commit", _publish_commit, ["VARCHAR", "VARCHAR", "BIGINT"], "VARCHAR"),
    ("sop_publish_abort", _publish_abort, ["VARCHAR", "VARCHAR"], "VARCHAR"),
    ("sop_landing_probe", _landing_probe, ["VARCHAR"], "VARCHAR"),
    ("sop_csv_scan", _csv_scan, ["VARCHAR", "BIGINT"], "VARCHAR"),
    ("sop_csv_line", _csv_line, ["VARCHAR", "BIGINT"], "BIGINT"),
]


def register(conn) -> None:
    """Register the functions on a DuckDB connection (once; a second call is a no-op)."""
    for name, function, parameters, returns in FUNCTIONS:
        try:
            conn.create_function(name, function, parameters, returns, null_handling="special", side_effects=True)
        except Exception as error:  # already registered on this database
            if "already exists" not in str(error):
                raise


class Plugin(BasePlugin):
    """Registers the project's SQL functions on every connection dbt opens."""

    def configure_connection(self, conn) -> None:
        register(conn)
