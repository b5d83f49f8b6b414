"""What the workbench shows, read from the published build only.

``Published.open()`` resolves ``CURRENT`` once (``sop_analytics.published.current()``) and
reads that build's Parquet files (an in-memory DuckDB over ``read_parquet``), falling back
to the published database copy opened read-only. It never opens the database a build
writes, so a build can run while the app is open. Every page's data is a plain function of
a ``Published`` (and, for what was decided since the build, the landing rows), testable
without Streamlit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
import duckdb
import pandas as pd

from sop_analytics.published import PublishedBuild, current

__all__ = [
    "Published", "company_view", "family_view", "leadership_view", "proposal_evidence", "proposal_queue",
    "reconciliation_view", "sku_history", "sku_view", "variance_evidence", "MARTS_READ", "SEGMENT_OF_CLASS",
]

# fct_forecast_method_selection.segment of each demand class (see its description)
SEGMENT_OF_CLASS = {"smooth": "continuous", "erratic": "continuous", "intermittent": "intermittent",
                    "lumpy": "intermittent", "new": "new"}
# Every mart the app reads (the exposure planners_workbench lists them; a test checks both),
# and the one it reads when a build publishes it (issue 17's decisions needed).
MARTS_READ = (
    "dim_planning_periods", "dim_skus", "fct_plan_proposals", "fct_plan_miss_decomposition",
    "fct_plan_miss_root_causes", "fct_plan_archive", "rpt_sku_demand_history", "fct_demand_forecast",
    "fct_consensus_plan", "rpt_family_demand_plan", "fct_forecast_accuracy", "fct_demand_classification",
    "fct_forecast_method_selection", "fct_reconciliation_variances", "fct_reconciliation_evidence",
    "rpt_three_numbers", "rpt_decisions_needed", "fct_scenario_options", "fct_leadership_decisions",
)
# read only by a build without the Week 3 marts: the open risks stand in for the decisions needed
OPTIONAL_MARTS_READ = ("fct_risk_register",)
HISTORY_PERIODS = 24  # closed periods of SKU history on the evidence chart (as the pack's family charts)
DECOMPOSITION_PARTS = ["supply_disruption_units", "customer_mix_units", "demand_variability_units",
                       "forecast_error_units"]


@dataclass
class Published:
    """One published build, read-only."""

    build: PublishedBuild
    _con: duckdb.DuckDBPyConnection = field(default=None, repr=False)
    _attached: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, root: str | os.PathLike | None = None) -> Published:
        """The build ``CURRENT`` names now (resolved once: later reads stay in this build)."""
        return cls(current(root))

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = duckdb.connect(":memory:")
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def manifest(self) -> dict:
        try:
            return self.build.manifest
        except (FileNotFoundError, ValueError, IndexError):
            return {}

    def marts(self) -> list[str]:
        """The marts this build published (its Parquet files)."""
        folder = self.build.folder / "parquet"
        return sorted(p.stem for p in folder.glob("*.parquet")) if folder.is_dir() else []

    def has(self, mart: str) -> bool:
        return self.build.parquet(mart).exists() or (not self.marts() and self._db_has(mart))

    def _db_has(self, mart: str) -> bool:
        if not self.build.database.exists():
            return False
        self._attach()
        return bool(self.con.execute(
            "select count(*) from duckdb_tables() where database_name = 'published' and schema_name = 'marts' "
            "and table_name = ?", [mart]).fetchone()[0])

    def _attach(self) -> None:
        if not self._attached:
            self.con.execute(f"attach '{self.build.database}' as published (read_only)")
            self._attached = True

    def relation_sql(self, mart: str) -> str:
        path = self.build.parquet(mart)
        if path.exists():
            return "read_parquet('" + str(path).replace("'", "''") + "')"
        if self._db_has(mart):
            return f"published.marts.{mart}"
        raise FileNotFoundError(f"mart {mart} is not in the published build {self.build.build_id} ({self.build.folder})")

    def frame(self, mart: str, where: str = "", params: list | None = None, order_by: str = "") -> pd.DataFrame:
        """``select * from <mart> [where ...] [order by ...]`` as a DataFrame."""
        sql = f"select * from {self.relation_sql(mart)}"
        if where:
            sql += f" where {where}"
        if order_by:
            sql += f" order by {order_by}"
        return self.con.execute(sql, params or []).df()

    def sql(self, sql: str, params: list | None = None, **marts: str) -> pd.DataFrame:
        """A query with ``{name}`` placeholders for marts: ``sql('select * from {m}', m='dim_skus')``."""
        return self.con.execute(sql.format(**{k: self.relation_sql(v) for k, v in marts.items()}), params or []).df()

    @property
    def cycle(self) -> str:
        """The build's cycle: the manifest's, else the cycle of its statistical baseline."""
        cycle = self.manifest.get("cycle")
        if cycle:
            return str(cycle)
        return str(self.sql("select max(cycle) as cycle from {f}", f="fct_demand_forecast")["cycle"].iloc[0])

    def cycle_start(self, cycle: str | None = None) -> pd.Timestamp | None:
        """First day (the as-of date) of ``cycle`` (default the build's)."""
        found = self.frame("dim_planning_periods", "period_id = ?", [cycle or self.cycle])
        return pd.Timestamp(found["period_start"].iloc[0]) if len(found) else None

    def info(self) -> dict:
        """What the header shows: build id, cycle, when it was built, where it is read from."""
        m = self.manifest
        built = next((m[k] for k in ("built_at", "published_at", "generated_at", "created_at", "time") if m.get(k)), None)
        source = "Parquet" if self.marts() else "database copy (read-only)"
        return {"build_id": self.build.build_id, "cycle": self.cycle, "built_at": built,
                "invocation_id": m.get("invocation_id"), "folder": str(self.build.folder), "source": source}


def _landed_latest(landed: list[dict[str, str]]) -> pd.DataFrame:
    cols = ["proposal_id", "decision", "adjusted_quantity", "rationale", "decided_by", "decided_at"]
    frame = pd.DataFrame(landed or [], columns=None if landed else cols)
    if frame.empty:
        return pd.DataFrame(columns=cols)
    return frame.sort_values("decided_at").drop_duplicates("proposal_id", keep="last")[cols]


def proposal_queue(pub: Published, landed: list[dict[str, str]] | None = None, cycle: str | None = None) -> pd.DataFrame:
    """The proposals raised in ``cycle`` (default the build's), largest change first, with the
    latest decision already in ``plan/decisions`` (landed rows: decided since the build too)."""
    cycle = cycle or pub.cycle
    proposals = pub.frame("fct_plan_proposals", "cycle = ?", [cycle])
    proposals = proposals.assign(abs_change=proposals["change_pct"].abs()).sort_values(
        ["abs_change", "proposal_id"], ascending=[False, True]).drop(columns="abs_change")
    latest = _landed_latest(landed or []).rename(columns={
        "decision": "latest_decision", "adjusted_quantity": "latest_adjusted_quantity",
        "rationale": "latest_rationale", "decided_by": "latest_decided_by", "decided_at": "latest_decided_at"})
    out = proposals.merge(latest, on="proposal_id", how="left")
    out["status"] = out["latest_decision"].map(lambda d: "open" if pd.isna(d) or d == "" else f"decided: {d}")
    return out.reset_index(drop=True)


def proposal_evidence(pub: Published, proposal: pd.Series | dict) -> dict[str, pd.DataFrame]:
    """Everything behind one proposal, by kind:

    - ``history``: the SKU's demand (requested, unconstrained) and shipments over the last
      ``HISTORY_PERIODS`` closed periods;
    - ``misses``: the published plans for closed periods (every cycle and lag) with the miss
      and its decomposition, the noise band (half the 95% interval) and whether the family's
      volume miss was beyond noise (the significance of the miss);
    - ``baseline``: the statistical baseline of the proposal's cycle with its intervals, and
      ``proposed_units``, the proposed corrected baseline (baseline x proposed / baseline level).
    """
    proposal = dict(proposal)
    sku, cycle = proposal["master_sku"], proposal["cycle"]
    periods = pub.frame("dim_planning_periods")[["period_id", "period_start"]]
    misses = pub.frame("fct_plan_miss_decomposition", "master_sku = ?", [sku], "period_id, cycle, lag")
    for col in misses.columns:
        if str(misses[col].dtype).startswith("decimal") or misses[col].dtype == object and col.endswith("_units"):
            misses[col] = pd.to_numeric(misses[col])
    misses = misses.merge(periods, on="period_id", how="left")
    if len(misses):
        misses["miss_beyond_noise"] = misses["total_miss_units"].abs() > misses["noise_band_units"].astype(float)
    history = sku_history(pub, sku).tail(HISTORY_PERIODS).reset_index(drop=True)
    if pub.has("fct_plan_archive"):
        baseline = pub.frame("fct_plan_archive", "master_sku = ? and cycle = ?", [sku, cycle], "horizon_step")
    else:
        baseline = pd.DataFrame()
    if baseline.empty:
        baseline = pub.frame("fct_demand_forecast", "master_sku = ? and cycle = ?", [sku, cycle], "horizon_step")
    factor = float(proposal["proposed_level_units"]) / float(proposal["baseline_level_units"]) \
        if float(proposal["baseline_level_units"] or 0) else float("nan")
    baseline = baseline.assign(proposed_units=baseline["forecast_units"] * factor)
    return {"history": history, "misses": misses.reset_index(drop=True), "baseline": baseline.reset_index(drop=True)}


def sku_history(pub: Published, sku: str) -> pd.DataFrame:
    """The SKU's demand (unconstrained) and shipments per closed period (rpt_sku_demand_history;
    empty, not zero, for a build published before that mart existed)."""
    if not pub.has("rpt_sku_demand_history"):
        return pd.DataFrame(columns=["period_id", "period_start", "demand_units", "shipped_units"])
    return pub.frame("rpt_sku_demand_history", "master_sku = ?", [sku], "period_start")[
        ["period_id", "period_start", "demand_units", "shipped_units"]]


def company_view(pub: Published) -> dict[str, pd.DataFrame]:
    """Company level: demand history and plans per period summed over families (no interval:
    intervals do not add up), and company accuracy by lag (published plans, pooled cycles)."""
    plan = pub.sql(
        "select period_id, period_start, row_kind, sum(demand_units) as demand_units, "
        "sum(baseline_units) as baseline_units, sum(consensus_units) as consensus_units "
        "from {f} group by all order by period_start", f="rpt_family_demand_plan")
    # a period with no demand row at all stays missing, not zero
    plan.loc[plan["row_kind"] != "history", "demand_units"] = float("nan")
    plan.loc[plan["row_kind"] != "plan", ["baseline_units", "consensus_units"]] = float("nan")
    accuracy = _accuracy(pub, "company")
    families = pub.sql(
        "select master_family, count(*) as n_skus from {s} group by all order by master_family", s="dim_skus")
    return {"plan": plan, "accuracy": accuracy, "families": families}


def _accuracy(pub: Published, level: str, family: str | None = None, sku: str | None = None) -> pd.DataFrame:
    where = ["aggregation_level = ?", "cycle = 'all'"]
    params: list = [level]
    if family is not None:
        where.append("master_family = ?")
        params.append(family)
    if sku is not None:
        where.append("master_sku = ?")
        params.append(sku)
    cols = ["evaluation", "number_source", "lag", "n_cycles", "n_sku_periods", "wape", "mape", "mase", "rmsse",
            "bias_pct", "primary_metric", "primary_error"]
    frame = pub.frame("fct_forecast_accuracy", " and ".join(where), params, "evaluation, number_source, lag")
    return frame[[c for c in cols if c in frame.columns]]


def family_view(pub: Published, family: str) -> dict[str, pd.DataFrame]:
    """One family: its demand history and plans with intervals, accuracy by lag, the method
    selection (every candidate's score), and its SKUs with their demand class."""
    plan = pub.frame("rpt_family_demand_plan", "master_family = ?", [family], "period_start")
    skus = pub.sql(
        "select s.master_sku, s.description, s.status, c.demand_class, c.adi, c.cv2, c.total_units "
        "from {s} as s left join {c} as c on s.master_sku = c.master_sku "
        "where s.master_family = ? order by s.master_sku", [family], s="dim_skus", c="fct_demand_classification")
    methods = pub.frame("fct_forecast_method_selection", "master_family = ?", [family], "segment, rank")
    return {"plan": plan, "accuracy": _accuracy(pub, "family", family=family), "methods": methods, "skus": skus}


def sku_view(pub: Published, sku: str) -> dict:
    """One SKU: demand history, the statistical baseline and the consensus plan with their
    intervals, accuracy by lag, demand class, the method that made its forecast and the
    scores of the candidates of its family and segment beside it."""
    [found] = pub.frame("dim_skus", "master_sku = ?", [sku]).to_dict("records") or [None]
    if found is None:
        raise KeyError(f"master SKU {sku!r} is not in dim_skus of build {pub.build.build_id}")
    family = found["master_family"]
    classification = pub.frame("fct_demand_classification", "master_sku = ?", [sku])
    demand_class = classification["demand_class"].iloc[0] if len(classification) else None
    history = sku_history(pub, sku)
    statistical = pub.frame("fct_demand_forecast", "master_sku = ?", [sku], "horizon_step")
    consensus = pub.frame("fct_consensus_plan", "master_sku = ?", [sku], "horizon_step")
    method = statistical["method"].iloc[0] if len(statistical) else None
    segment = SEGMENT_OF_CLASS.get(demand_class)
    candidates = pub.frame("fct_forecast_method_selection", "master_family = ?", [family], "segment, rank")
    if segment is not None and (candidates["segment"] == segment).any():
        candidates = candidates[candidates["segment"] == segment]
    return {"sku": found, "family": family, "demand_class": demand_class, "classification": classification,
            "history": history, "statistical": statistical, "consensus": consensus, "method": method,
            "segment": segment, "candidates": candidates.reset_index(drop=True),
            "accuracy": _accuracy(pub, "sku", sku=sku)}


def reconciliation_view(pub: Published, family: str | None = None) -> dict[str, pd.DataFrame]:
    """The open variances (every difference beyond tolerance in this build) summed by cause,
    the variances themselves (largest money first), and the three numbers per family."""
    variances = pub.frame("fct_reconciliation_variances", order_by="abs(difference_value) desc nulls last, variance_id")
    by_cause = variances.groupby(["comparison", "cause"], as_index=False, dropna=False).agg(
        n_variances=("variance_id", "count"),
        abs_difference_units=("difference_units", lambda s: s.abs().sum(min_count=1)),
        abs_difference_value=("difference_value", lambda s: s.abs().sum(min_count=1)),
        evidence_rows=("evidence_rows", "sum"),
    ).sort_values("abs_difference_value", ascending=False, na_position="last")
    three = pub.frame("rpt_three_numbers", "master_family = ?" if family else "", [family] if family else None,
                      "master_family, period_start")
    return {"by_cause": by_cause.reset_index(drop=True), "variances": variances, "three_numbers": three}


def variance_evidence(pub: Published, variance_id: str) -> pd.DataFrame:
    """The landed rows behind one variance."""
    return pub.frame("fct_reconciliation_evidence", "variance_id = ?", [variance_id],
                     "abs(evidence_value) desc nulls last, landing_row")


def leadership_view(pub: Published) -> dict:
    """The decisions the review needs: ``rpt_decisions_needed`` with its options when the build
    published it, else the open risks of the register, largest money first; and the decision log."""
    cycle = pub.cycle
    if pub.has("rpt_decisions_needed"):
        needed = pub.frame("rpt_decisions_needed")
        source = "rpt_decisions_needed"
        if "risk_id" in needed.columns and pub.has("fct_scenario_options"):
            # the Week 3 marts: one row per constraint and option, the largest money at stake first
            options = pub.frame("fct_scenario_options", "cycle = ?", [cycle], "risk_id, option_rank")
            needed = needed[needed["cycle"] == cycle][
                ["decision_rank", "risk_id", "risk_description", "money_at_stake", "recommended_option_id"]]
            option_cols = [c for c in ("risk_id", "option_id", "option_label", "units_short", "revenue_effect",
                                       "margin_effect", "action_cost", "is_recommended") if c in options.columns]
            needed = needed.merge(options[option_cols], on="risk_id", how="left")
            needed = needed.rename(columns={"risk_id": "decision_needed_id", "risk_description": "topic"})
            needed = needed.sort_values(["decision_rank", "option_id"], kind="mergesort").reset_index(drop=True)
    else:
        needed = pub.frame("fct_risk_register", "status = 'open' and cycle = ?", [cycle],
                           "size_money desc nulls last, risk_id")
        source = "fct_risk_register"
    log = pub.frame("fct_leadership_decisions", order_by="decision_id") if pub.has("fct_leadership_decisions") \
        else pd.DataFrame()
    return {"source": source, "needed": needed, "log": log, "cycle": cycle}

