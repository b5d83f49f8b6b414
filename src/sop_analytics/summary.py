"""Print what a build found: landed files, rows quarantined, variances by cause.

    python -m sop_analytics.summary --database build/sop.duckdb

Reads the marts only (read-only connection), so it can run beside a BI tool's copy.
"""

from __future__ import annotations

import argparse

import duckdb


def summarize(database: str) -> str:
    """Text summary of the landing accounting and the reconciliation variances."""
    con = duckdb.connect(database, read_only=True)
    try:
        lines = ["Landing (rows landed = used + quarantined):"]
        for row in con.sql(
            "select source_system || '/' || entity, status, rows_landed, rows_used, rows_quarantined, is_balanced "
            "from marts.rpt_landing_row_accounting order by source_system, entity"
        ).fetchall():
            name, status, landed, used, quarantined, balanced = row
            flag = "" if balanced else "  NOT BALANCED"
            lines.append(f"  {name:<28} {status:<14} {landed:>9} = {used:>9} + {quarantined:>6}{flag}")
        lines.append("Quarantine by rule:")
        for entity, rule, n in con.sql(
            "select source_system || '/' || entity, quarantine_rule, count(*) from marts.fct_landing_quarantine "
            "group by all order by 1, 2"
        ).fetchall():
            lines.append(f"  {entity:<28} {rule:<24} {n:>6}")
        lines.append("Variances beyond tolerance, by comparison and cause:")
        for comparison, cause, n, value in con.sql(
            "select comparison, cause, count(*), round(sum(abs(difference_value)), 0) "
            "from marts.fct_reconciliation_variances group by all order by 1, 2"
        ).fetchall():
            lines.append(f"  {comparison:<30} {cause:<24} {n:>5} rows  {value or 0:>14,.0f} in money")
        return "\n".join(lines)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="build/sop.duckdb")
    args = parser.parse_args(argv)
    print(summarize(args.database))


if __name__ == "__main__":
    main()
