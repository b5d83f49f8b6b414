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
        lines.append("Accuracy at lag 1 over the published cycles, company (WAPE from SKU errors | netted):")
        for number, n_cycles, wape, netted, bias in con.sql(
            "select number_source, n_cycles, wape, total_wape, bias_pct from marts.rpt_accuracy_by_number "
            "where master_family = '(all)' and lag = 1 order by total_wape"
        ).fetchall():
            wape_text = "   n/a" if wape is None else f"{wape:6.1%}"
            lines.append(f"  {number:<22} {n_cycles:>2} cycles  {wape_text} | {netted:6.1%}  bias {bias:+6.1%}")
        lines.append("Hidden in the aggregate (statistical baseline, lag 1, top 5 by revenue at risk):")
        for sku, family, risk, why in con.sql(
            "select master_sku, master_family, revenue_at_risk, why_hidden from marts.rpt_hidden_forecast_error "
            "where number_source = 'statistical_baseline' and lag = 1 order by revenue_at_risk_rank limit 5"
        ).fetchall():
            lines.append(f"  {sku:<10} {family:<18} {risk:>12,.0f}  {why}")
        lines.append("Why the plan missed (lag 1, all published cycles, units; |parts| summed):")
        [parts] = con.sql(
            "select sum(abs(supply_disruption_units)), sum(abs(customer_mix_units)), "
            "sum(abs(demand_variability_units)), sum(abs(forecast_error_units)) "
            "from marts.fct_plan_miss_decomposition where lag = 1").fetchall()
        for name, value in zip(("supply disruption", "customer mix", "demand variability", "forecast error"), parts):
            lines.append(f"  {name:<22} {float(value or 0):>14,.0f}")
        [(n_proposals, n_decided)] = con.sql(
            "select count(*), count(d.proposal_id) from marts.fct_plan_proposals as p "
            "left join (select distinct proposal_id from marts.fct_plan_decisions) as d using (proposal_id)").fetchall()
        lines.append(f"Proposals raised: {n_proposals}, decided: {n_decided}; decisions by outcome:")
        for decision, n, value in con.sql(
            "select decision, count(*), sum(value_added_units) from marts.fct_plan_decisions where is_latest "
            "group by 1 order by 1").fetchall():
            lines.append(f"  {decision:<8} {n:>5}   error saved so far {float(value or 0):>12,.0f} units")
        lines.append("Open escalations by owner (to the leadership review):")
        for owner, n, lead in con.sql(
            "select owner_role, count(*), count(*) filter (where is_escalated_to_leadership) "
            "from marts.rpt_miss_escalations where status = 'open' group by 1 order by 1").fetchall():
            lines.append(f"  {owner:<16} {n:>4} open ({lead} to leadership)")
        lines.append("Risk register (open, largest in money first):")
        for risk_id, first, money, owner in con.sql(
            "select risk_id, first_period_id, size_money, owner_role from marts.rpt_risk_register "
            "where status = 'open' order by size_money desc nulls last limit 6").fetchall():
            lines.append(f"  {risk_id:<34} from {first}  {float(money or 0):>14,.0f}  {owner}")
        [(revenue, margin, cash)] = con.sql(
            "select sum(revenue), sum(margin), sum(cash_impact) from marts.fct_finance_plan").fetchall()
        lines.append(f"Plan over the horizon: revenue {revenue:,.0f}, margin {margin:,.0f}, cash impact {cash or 0:,.0f}")
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
