"""The closed loop's false and true signals on a built demo company.

``signal_counts(database, manifest)`` reads the closed-loop marts of a multi-cycle build
(``python -m sop_analytics.cycles``) and returns:

- ``skus``, ``cycles``: master SKUs and published cycles judged at lag 1;
- escalations (``rpt_miss_escalations``) by cause, in all and per 100 SKUs per judged
  cycle, and those still open in the current cycle; root causes
  (``fct_plan_miss_root_causes``) and proposals (``fct_plan_proposals``);
- on a planted company, the share of each planted effect attributed to its cause in the
  plans published before the plant could be seen (cycle <= the plant's start):
  ``supply_found`` (the late supplier's shortfall found as supply disruption, lag 1),
  ``level_shift_found`` (the shift's extra units found as forecast error) and the mix
  shift's moved units found as customer mix, with the right sign, on its receiving
  (``mix_receiving_found``) and its giving SKU (``mix_giving_found``).

The closed-loop issue's bar: on a clean company at most 1 escalation per 100 SKUs per
cycle and no forecast-error or customer-mix escalation open in the current cycle; on a
planted one at least 80% of each planted effect found. ``scripts/closed_loop_signals.py``
counts them over seeds and archetypes.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

__all__ = ["signal_counts"]


def _plant(manifest: dict, kind: str) -> dict | None:
    found = [p for p in manifest["plants"] if p["type"] == kind]
    return found[0] if found else None


def _share(found: float, planted: float) -> float | None:
    return float(found / planted) if planted > 0 else None


def signal_counts(database: Path, manifest: dict) -> dict:
    """The signal counts of one multi-cycle build of a demo company (see the module)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        def scalar(sql: str):
            return con.sql(sql).fetchall()[0][0]

        def by_key(sql: str) -> dict:
            return dict(con.sql(sql).fetchall())

        n_skus = scalar("select count(distinct master_sku) from marts.fct_plan_miss_decomposition")
        n_cycles = scalar("select count(distinct cycle) from marts.fct_plan_miss_decomposition where lag = 1")
        escalations = by_key("select cause, count(*) from marts.rpt_miss_escalations group by cause")
        still_open = by_key("select cause, count(*) from marts.rpt_miss_escalations where status = 'open' group by cause")
        causes = by_key("select root_cause, count(*) from marts.fct_plan_miss_root_causes group by root_cause")
        n_proposals = scalar("select count(*) from marts.fct_plan_proposals")
        parts = con.sql("select * from marts.fct_plan_miss_decomposition").df()
    finally:
        con.close()
    total = sum(escalations.values())
    row: dict = {
        "skus": n_skus, "cycles": n_cycles, "escalations": total,
        "esc_per_100_skus_cycle": 100 * total / max(n_skus, 1) / max(n_cycles, 1),
        "esc_supply": escalations.get("supply_disruption", 0),
        "esc_forecast_error": escalations.get("forecast_error", 0),
        "esc_customer_mix": escalations.get("customer_mix", 0),
        "open_forecast_error": still_open.get("forecast_error", 0),
        "open_customer_mix": still_open.get("customer_mix", 0),
        "rc_forecast_error": causes.get("forecast_error", 0), "rc_customer_mix": causes.get("customer_mix", 0),
        "rc_supply": causes.get("supply_disruption", 0), "proposals": n_proposals,
    }
    for column in ("requested_units", "shipped_units", "forecast_error_units", "customer_mix_units",
                   "supply_disruption_units"):
        parts[column] = parts[column].astype(float)
    row.update(_planted_found(parts, manifest))
    return row


def _listed(value) -> list:
    return list(value) if not isinstance(value, str) else [value]


def _planted_found(parts: pd.DataFrame, manifest: dict) -> dict:
    found: dict = {}
    delay = _plant(manifest, "supplier_delay")
    if delay:
        rows = parts[parts["master_sku"].isin(_listed(delay["master_skus"])) & parts["period_id"].isin(delay["periods"])
                     & (parts["lag"] == 1)]
        shortfall = -(rows["shipped_units"] - rows["requested_units"]).sum()
        found["supply_found"] = _share(-rows["supply_disruption_units"].sum(), shortfall)
    shift = _plant(manifest, "level_shift")
    if shift:
        rows = parts[parts["master_sku"].isin(_listed(shift["master_skus"])) & (parts["cycle"] <= shift["start_period"])
                     & (parts["period_id"] >= shift["start_period"])]
        planted = (rows["requested_units"] * (1 - 1 / shift["factor"])).sum()
        found["level_shift_found"] = _share(rows["forecast_error_units"].sum(), planted)
    mix = _plant(manifest, "customer_mix_shift")
    if mix:
        rows = parts[(parts["cycle"] <= mix["start_period"]) & (parts["period_id"] >= mix["start_period"])]
        for side, key, sign in (("mix_receiving_found", "sku_to", 1), ("mix_giving_found", "sku_from", -1)):
            sku_rows = rows[rows["master_sku"] == mix[key]["master_sku"]]
            moved = sum(mix["units_moved_by_period"].get(p, 0) for p in sku_rows["period_id"])
            found[side] = _share(sign * sku_rows["customer_mix_units"].sum(), moved)
    return found
