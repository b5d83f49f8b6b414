"""The planner's workbench (Streamlit layer only: the data and the writing are in
``sop_analytics.app.data`` and ``sop_analytics.app.decisions``).

    streamlit run src/sop_analytics/app/streamlit_app.py

Environment:
- ``SOP_PUBLISH_DIR``: the published root (default ``build/published``); the app reads the
  build its ``CURRENT`` names, never the database a build writes.
- ``SOP_LANDING_DIR``: the landing folder decisions are appended to (default the demo's).
- ``SOP_APP_CLOCK``: ``real`` (default): a decision is recorded at the current time (UTC);
  ``cycle``: five days into the published cycle at the current time of day, for a replayed
  or demo company whose cycles are in the past (so the next cycle's build applies it).
- ``SOP_APP_USER``: the default "decided by" name.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from sop_analytics.app import charts, data
from sop_analytics.app.decisions import (
    DECISIONS, LEADERSHIP_DECISIONS, DecisionRefused, append_decision, append_leadership_decision, landing_dir,
    read_rows,
)

PAGES = ["Proposals", "Drill-down", "Reconciliation", "Leadership"]


def decision_time(pub: data.Published) -> datetime:
    """When a decision taken now is recorded (see ``SOP_APP_CLOCK``)."""
    now = datetime.now(timezone.utc)
    if os.environ.get("SOP_APP_CLOCK", "real").strip().lower() == "cycle":
        start = pub.cycle_start()
        if start is not None:
            day = start.to_pydatetime().replace(tzinfo=timezone.utc) + timedelta(days=5)
            return day.replace(hour=now.hour, minute=now.minute, second=now.second, microsecond=0)
    return now.replace(microsecond=0)


def _header(pub: data.Published) -> None:
    info = pub.info()
    st.title("S&OP planner's workbench")
    st.caption(
        f"Reading the published build **{info['build_id']}** · cycle **{info['cycle']}**"
        + (f" · built {info['built_at']}" if info["built_at"] else "")
        + f" · {info['source']} in `{info['folder']}` · landing folder `{landing_dir()}`")


def _show(frame: pd.DataFrame, **kwargs) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", **kwargs)


def page_proposals(pub: data.Published) -> None:
    st.header("Proposals queue")
    landing = landing_dir()
    landed = read_rows(landing, DECISIONS)
    all_proposals = pub.sql("select cycle, count(*) as n from {p} group by cycle order by cycle desc",
                            p="fct_plan_proposals")
    cycles = [pub.cycle] + [c for c in all_proposals["cycle"] if c != pub.cycle]
    cycle = st.selectbox("Proposals raised in cycle", cycles, key="proposal_cycle",
                         help="The build's cycle first; a decision changes the next cycle's consensus plan.")
    queue = data.proposal_queue(pub, landed, cycle)
    if queue.empty:
        st.info(f"No proposals were raised in cycle {cycle}.")
        return
    n_open = int((queue["status"] == "open").sum())
    st.write(f"{len(queue)} proposals in {cycle}, {n_open} still open (decisions in `{landing}/plan/decisions.csv` "
             "count from the next build).")
    _show(queue[["proposal_id", "master_sku", "master_family", "change_pct", "n_forecast_error_periods",
                 "recent_bias_pct", "status", "latest_decided_by", "latest_decided_at", "reason"]],
          column_config={"change_pct": st.column_config.NumberColumn(format="percent"),
                         "recent_bias_pct": st.column_config.NumberColumn(format="percent")})
    labels = {row.proposal_id: f"{row.proposal_id} · {row.master_family} · {row.change_pct:+.0%} · {row.status}"
              for row in queue.itertuples()}
    proposal_id = st.selectbox("Proposal", list(labels), format_func=labels.get, key="proposal")
    proposal = queue.set_index("proposal_id").loc[proposal_id].to_dict() | {"proposal_id": proposal_id}
    st.subheader(proposal_id)
    st.write(f"**Why:** {proposal['reason']}")
    st.write(f"**Change:** {proposal['proposed_change']}")
    evidence = data.proposal_evidence(pub, proposal)
    st.altair_chart(charts.evidence_chart(evidence, proposal), width="content")
    misses = evidence["misses"]
    if len(misses):
        st.caption("Published plans that missed (every cycle and lag), the decomposition of each miss, and "
                   "whether it was beyond the noise band (half the published 95% interval).")
        _show(misses[["cycle", "lag", "period_id", "plan_units", "requested_units", "shipped_units",
                      "total_miss_units", *data.DECOMPOSITION_PARTS, "noise_band_units", "miss_beyond_noise",
                      "is_volume_beyond_noise"]])
    causes = pub.frame("fct_plan_miss_root_causes", "master_sku = ?", [proposal["master_sku"]], "period_id, lag")
    if len(causes):
        _show(causes[["cycle", "lag", "period_id", "root_cause", "root_cause_units", "assumption_broken"]])

    st.subheader("Decide")
    when = decision_time(pub)
    st.caption(f"Recorded at {when:%Y-%m-%d %H:%M:%S} UTC"
               + (" (SOP_APP_CLOCK=cycle: five days into the published cycle)"
                  if os.environ.get("SOP_APP_CLOCK", "").lower() == "cycle" else ""))
    with st.form("decide"):
        decision = st.radio("Decision", ["accept", "reject", "modify"], key="decision", horizontal=True)
        quantity = st.number_input(
            "Adjusted quantity, units per period (modify only)", min_value=0.0, value=None, step=1.0,
            key="adjusted_quantity",
            help=f"Baseline level {proposal['baseline_level_units']:,.1f}, proposed {proposal['proposed_level_units']:,.1f}")
        rationale = st.text_area("Rationale", key="rationale")
        decided_by = st.text_input("Decided by", value=os.environ.get("SOP_APP_USER", ""), key="decided_by")
        submitted = st.form_submit_button("Record decision")
    if submitted:
        try:
            row = append_decision(landing, proposal_id=proposal_id, decision=decision, adjusted_quantity=quantity,
                                  rationale=rationale, decided_by=decided_by,
                                  known_proposals=set(queue["proposal_id"]), now=decision_time(pub))
        except DecisionRefused as refused:
            st.error("Not recorded: " + "; ".join(refused.messages))
        else:
            st.success(f"Recorded {row['decision']} on {row['proposal_id']} by {row['decided_by']} at "
                       f"{row['decided_at']} in {landing}/plan/decisions.csv")


def page_drilldown(pub: data.Published) -> None:
    st.header("Drill-down: company, family, SKU")
    company = data.company_view(pub)
    families = list(company["families"]["master_family"])
    family = st.selectbox("Family", ["(company)", *families], key="family")
    if family == "(company)":
        st.altair_chart(charts.plan_chart(company["plan"], "Company: demand and plans (sum of families)",
                                          intervals=False), width="content")
        st.caption("Intervals are per family and SKU (they do not add up); pick a family.")
        if len(company["accuracy"]):
            st.altair_chart(charts.accuracy_chart(company["accuracy"], "Company accuracy by lag"), width="content", theme=None)
        _show(company["accuracy"])
        _show(company["families"])
        return
    view = data.family_view(pub, family)
    skus = list(view["skus"]["master_sku"])
    sku = st.selectbox("SKU", ["(family)", *skus], key="sku")
    if sku == "(family)":
        st.altair_chart(charts.plan_chart(view["plan"], f"{family}: demand, baseline and consensus with 80%/95% intervals"),
                        width="content")
        if len(view["accuracy"]):
            st.altair_chart(charts.accuracy_chart(view["accuracy"], f"{family} accuracy by lag"), width="content", theme=None)
        _show(view["accuracy"])
        st.subheader("Method selection (every candidate's backtest score)")
        _show(view["methods"][["segment", "forecast_level", "candidate", "metric", "score", "wape", "bias_pct",
                               "rank", "is_selected", "pinned", "selection_reason"]])
        st.subheader("SKUs")
        _show(view["skus"])
        return
    s = data.sku_view(pub, sku)
    st.write(f"**{sku}** · {s['sku'].get('description')} · family {s['family']} · demand class "
             f"**{s['demand_class']}** · method **{s['method']}**")
    consensus = s["consensus"]
    plan = pd.concat([s["history"][["period_id", "period_start", "demand_units"]],
                      consensus[["period_id", "period_start", "baseline_units", "consensus_units",
                                 "lo_80", "hi_80", "lo_95", "hi_95"]]], ignore_index=True)
    st.altair_chart(charts.plan_chart(plan, f"{sku}: demand, statistical baseline and consensus with intervals"),
                    width="content")
    _show(s["statistical"][["period_id", "horizon_step", "forecast_units", "lo_80", "hi_80", "lo_95", "hi_95", "method"]])
    _show(consensus[["period_id", "horizon_step", "baseline_units", "consensus_units", "lo_80", "hi_80", "lo_95",
                     "hi_95", "adjustment_factor", "proposal_id", "decision"]])
    if len(s["accuracy"]):
        st.altair_chart(charts.accuracy_chart(s["accuracy"], f"{sku} accuracy by lag"), width="content", theme=None)
    _show(s["accuracy"])
    st.subheader(f"Selected method and the candidates' scores ({s['family']}, segment {s['segment']})")
    _show(s["candidates"][["segment", "candidate", "metric", "score", "wape", "bias_pct", "rank", "is_selected",
                           "selection_reason"]])
    _show(s["classification"])


def page_reconciliation(pub: data.Published) -> None:
    st.header("Reconciliation")
    view = data.reconciliation_view(pub)
    st.subheader("Open variances by cause")
    _show(view["by_cause"])
    variances = view["variances"]
    if len(variances):
        causes = list(dict.fromkeys(view["by_cause"]["cause"].dropna()))  # largest money first
        cause = st.selectbox("Cause", causes, key="cause")
        of_cause = variances[variances["cause"] == cause]
        of_cause = of_cause.assign(_size=of_cause["difference_value"].abs()).sort_values(
            ["evidence_rows", "_size"], ascending=False, na_position="last").drop(columns="_size")
        _show(of_cause[["variance_id", "comparison", "subject", "period_id", "measure", "left_system", "left_value",
                        "right_system", "right_value", "difference", "difference_value", "explained_share",
                        "evidence_rows"]])
        variance_id = st.selectbox("Variance", list(of_cause["variance_id"]), key="variance", format_func=lambda v: (
            lambda r: f"{r.comparison} · {r.subject} · {r.period_id} · {r.difference_value:,.0f}")(
            of_cause.set_index("variance_id").loc[v]))
        st.caption("Evidence rows: the landed rows behind the variance")
        _show(data.variance_evidence(pub, variance_id))
    else:
        st.info("No variance beyond tolerance in this build.")
    st.subheader("The three numbers, per family")
    three = view["three_numbers"]
    family = st.selectbox("Family", sorted(three["master_family"].unique()), key="three_family")
    rows = three[three["master_family"] == family]
    long = rows.melt(id_vars=["period_start"], value_vars=["sales_units", "operations_units", "finance_units"],
                     var_name="number", value_name="units").dropna(subset=["units"])
    import altair as alt
    st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
        x=alt.X("period_start:T", title="planning period (start)"),
        y=alt.Y("units:Q", title="units (eaches) per period"), color=alt.Color("number:N", title=None),
        tooltip=["number", "period_start:T", alt.Tooltip("units:Q", format=",.0f")]).properties(
        height=260, width=charts.WIDTH, title=f"{family}: sales, operations and finance side by side"), width="content")
    _show(rows)


def page_leadership(pub: data.Published) -> None:
    st.header("Leadership")
    view = data.leadership_view(pub)
    needed = view["needed"]
    if view["source"] == "rpt_decisions_needed":
        st.subheader("Decisions needed and their options")
    else:
        st.subheader("Material risks (open, largest money first)")
        st.caption("rpt_decisions_needed is not in this build: showing the open risks of fct_risk_register.")
    _show(needed)
    st.subheader("Decision log")
    if len(view["log"]):
        _show(view["log"])
    landing = landing_dir()
    st.subheader("Record a leadership decision")
    topics = _topics(needed, view["source"])
    options = _options(needed)
    start = pub.cycle_start()
    with st.form("leadership"):
        topic = st.selectbox("Topic", [*topics, "(other)"], key="ld_topic")
        other = st.text_input("Other topic (when (other))", key="ld_other_topic")
        option = st.selectbox("Option", ["", *options], key="ld_option") if options else ""
        decision = st.text_area("Decision", key="ld_decision")
        owner = st.text_input("Owner", key="ld_owner")
        due = st.date_input("Due date", value=None, key="ld_due")
        status = st.selectbox("Status", ["open", "done", "dropped"], key="ld_status")
        submitted = st.form_submit_button("Record leadership decision")
    if submitted:
        try:
            row = append_leadership_decision(
                landing, cycle=view["cycle"], topic=other if topic == "(other)" else topic, decision=decision,
                owner=owner, due_date=due, status=status, option_id=option or None,
                earliest_due=start.date() if start is not None else None)
        except DecisionRefused as refused:
            st.error("Not recorded: " + "; ".join(refused.messages))
        else:
            st.success(f"Recorded {row['decision_id']} ({row['owner']}, due {row['due_date']}) in "
                       f"{landing}/plan/leadership_decisions.csv")


def _topics(needed: pd.DataFrame, source: str) -> list[str]:
    if needed.empty:
        return []
    if source == "fct_risk_register":
        return [f"{r.risk_id}: {r.description}"[:300] for r in needed.itertuples()]
    for column in ("topic", "decision_needed", "title", "description"):
        if column in needed.columns:
            ids = next((c for c in ("decision_needed_id", "topic_id", "risk_id") if c in needed.columns), None)
            labels = [f"{i}: {t}" if ids else str(t) for i, t in zip(needed[ids] if ids else needed[column],
                                                                        needed[column])]
            return list(dict.fromkeys(label[:300] for label in labels))
    return [str(v)[:300] for v in needed.iloc[:, 0].unique()]


def _options(needed: pd.DataFrame) -> list[str]:
    return [str(v) for v in needed["option_id"].dropna().unique()] if "option_id" in needed.columns else []


def main() -> None:
    st.set_page_config(page_title="S&OP workbench", layout="wide")
    try:
        pub = data.Published.open()
    except FileNotFoundError as missing:
        st.title("S&OP planner's workbench")
        st.error(f"Nothing to show: {missing}")
        return
    try:
        _header(pub)
        page = st.sidebar.radio("Page", PAGES, key="page")
        {"Proposals": page_proposals, "Drill-down": page_drilldown, "Reconciliation": page_reconciliation,
         "Leadership": page_leadership}[page](pub)
    finally:
        pub.close()


if __name__ == "__main__":
    main()
