"""The workbench's charts (Altair): units on the y axis, planning periods on the x axis, the
plan told apart from history (history solid, plans dashed or as points), intervals as bands,
missing values left out (never drawn as zero)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sop_analytics.app.data import DECOMPOSITION_PARTS

__all__ = ["evidence_chart", "plan_chart", "accuracy_chart"]

_X = alt.X("period_start:T", title="planning period (start)")
WIDTH = 760  # px: the two panels of the evidence chart share one x axis


def _long(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    parts = []
    for column, label in columns.items():
        if column in frame.columns:
            part = frame[["period_start", column]].rename(columns={column: "units"}).assign(series=label)
            parts.append(part.dropna(subset=["units"]))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["period_start", "units", "series"])
    out["units"] = out["units"].astype(float)
    return out


def evidence_chart(evidence: dict[str, pd.DataFrame], proposal: dict, modified_units: float | None = None) -> alt.VConcatChart:
    """One proposal's evidence on one chart: top, the SKU's demand and shipments (history),
    the published lag-1 plans that missed with their noise band (half the 95% interval), the
    statistical baseline of the proposal's cycle with its 80% interval and the proposed
    corrected baseline; below, on the same periods, the miss of each published lag-1 plan
    split into its parts (supply disruption, customer mix, demand variability, forecast
    error), a ring where the miss was beyond the noise band (significant)."""
    history, misses, baseline = evidence["history"], evidence["misses"], evidence["baseline"]
    lag1 = misses[misses["lag"] == 1] if len(misses) else misses
    lines = pd.concat([
        _long(history, {"demand_units": "demand (requested), history", "shipped_units": "shipped, history"}),
        _long(lag1.rename(columns={"plan_units": "p"}), {"p": "published plan (lag 1)"}),
        _long(baseline, {"forecast_units": f"baseline {proposal['cycle']}",
                         "proposed_units": "proposed corrected baseline"}),
    ], ignore_index=True)
    if modified_units is not None and len(baseline):
        factor = modified_units / float(proposal["baseline_level_units"]) if proposal["baseline_level_units"] else None
        if factor is not None:
            lines = pd.concat([lines, _long(baseline.assign(m=baseline["forecast_units"] * factor),
                                            {"m": "modified baseline (your quantity)"})], ignore_index=True)
    order = ["demand (requested), history", "shipped, history", "published plan (lag 1)",
             f"baseline {proposal['cycle']}", "proposed corrected baseline", "modified baseline (your quantity)"]
    palette = dict(zip(order, ["#222222", "#8c8c8c", "#d95f02", "#1b9e77", "#7570b3", "#e7298a"]))
    dashes = dict(zip(order, [[1, 0], [2, 2], [1, 0], [6, 3], [6, 3], [3, 3]]))
    order = [o for o in order if o in set(lines["series"])]
    color = alt.Color("series:N", title=None, sort=order, legend=alt.Legend(orient="bottom", columns=3, labelLimit=320),
                      scale=alt.Scale(domain=order, range=[palette[o] for o in order]))
    dash = alt.StrokeDash("series:N", sort=order, legend=None,
                          scale=alt.Scale(domain=order, range=[dashes[o] for o in order]))
    y = alt.Y("units:Q", title="units (eaches) per period")
    tooltip = ["series:N", alt.Tooltip("period_start:T", title="period"), alt.Tooltip("units:Q", format=",.1f")]
    base = alt.Chart(lines).encode(x=_X, y=y, color=color, tooltip=tooltip)
    layers = [base.mark_line(point=True).encode(strokeDash=dash)]
    if len(baseline) and "lo_80" in baseline:
        layers.insert(0, alt.Chart(baseline.astype({"lo_80": float, "hi_80": float})).mark_area(
            opacity=0.18, color="#1b9e77").encode(x=_X, y=alt.Y("lo_80:Q", title="units (eaches) per period"),
                                                 y2="hi_80:Q", tooltip=["period_id", "lo_80", "hi_80"]))
    if len(lag1):
        band = lag1.assign(lo=lag1["plan_units"] - lag1["noise_band_units"], hi=lag1["plan_units"] + lag1["noise_band_units"])
        layers.insert(0, alt.Chart(band).mark_rule(color="#d95f02", opacity=0.5, strokeWidth=6).encode(
            x=_X, y="lo:Q", y2="hi:Q", tooltip=["period_id", alt.Tooltip("noise_band_units:Q", title="noise band ±")]))
    top = alt.layer(*layers).properties(height=280, width=WIDTH,
                                        title=f"{proposal['master_sku']}: history, published plans, baseline and proposal")
    parts = lag1.melt(id_vars=["period_start", "period_id"], value_vars=DECOMPOSITION_PARTS,
                      var_name="part", value_name="units") if len(lag1) else pd.DataFrame(
        columns=["period_start", "period_id", "part", "units"])
    parts["part"] = parts["part"].str.replace("_units", "").str.replace("_", " ")
    bars = alt.Chart(parts).mark_bar().encode(
        x=_X, y=alt.Y("sum(units):Q", title="miss of lag-1 plan, units"),
        color=alt.Color("part:N", title="miss decomposition", legend=alt.Legend(orient="bottom")),
        tooltip=["period_id", "part", alt.Tooltip("units:Q", format=",.1f")])
    significant = lag1[lag1["miss_beyond_noise"]] if len(lag1) and "miss_beyond_noise" in lag1 else lag1.iloc[0:0]
    rings = alt.Chart(significant).mark_point(shape="circle", size=140, color="black", filled=False).encode(
        x=_X, y=alt.Y("total_miss_units:Q"), tooltip=["period_id", alt.Tooltip("total_miss_units:Q", title="miss beyond noise")])
    bottom = (alt.layer(bars, rings) if len(significant) else bars).properties(
        height=160, width=WIDTH, title="miss of each published lag-1 plan by part (ring: beyond the noise band)")
    return alt.vconcat(top, bottom).resolve_scale(x="shared", color="independent")


def plan_chart(plan: pd.DataFrame, title: str, intervals: bool = True) -> alt.LayerChart:
    """History and plans of a family or SKU: demand (history, solid), the statistical baseline
    and the consensus plan (dashed), 80% and 95% interval bands when given."""
    lines = _long(plan, {"demand_units": "demand, history", "baseline_units": "statistical baseline",
                         "forecast_units": "statistical baseline", "consensus_units": "consensus plan",
                         "previous_cycle_units": "previous cycle's consensus"})
    palette = {"demand, history": ("#222222", [1, 0]), "statistical baseline": ("#1b9e77", [6, 3]),
               "consensus plan": ("#d95f02", [2, 2]), "previous cycle's consensus": ("#7570b3", [1, 3])}
    order = [o for o in palette if o in set(lines["series"])]
    color = alt.Color("series:N", title=None, sort=order, legend=alt.Legend(orient="bottom", labelLimit=320),
                      scale=alt.Scale(domain=order, range=[palette[o][0] for o in order]))
    dash = alt.StrokeDash("series:N", legend=None, sort=order,
                          scale=alt.Scale(domain=order, range=[palette[o][1] for o in order]))
    layers = []
    if intervals:
        for lo, hi, opacity in (("lo_95", "hi_95", 0.12), ("lo_80", "hi_80", 0.22)):
            if lo in plan.columns:
                band = plan.dropna(subset=[lo, hi]).astype({lo: float, hi: float})
                layers.append(alt.Chart(band).mark_area(opacity=opacity, color="#d95f02").encode(
                    x=_X, y=alt.Y(f"{lo}:Q", title="units (eaches) per period"), y2=f"{hi}:Q",
                    tooltip=["period_id", lo, hi]))
    layers.append(alt.Chart(lines).mark_line(point=True).encode(
        x=_X, y=alt.Y("units:Q", title="units (eaches) per period"), color=color, strokeDash=dash,
        tooltip=["series:N", alt.Tooltip("period_start:T", title="period"), alt.Tooltip("units:Q", format=",.1f")]))
    return alt.layer(*layers).properties(height=300, width=WIDTH, title=title)


def accuracy_chart(accuracy: pd.DataFrame, title: str) -> alt.LayerChart:
    """Primary error (WAPE, or RMSSE for intermittent demand) by lag per number, of the
    published plans (pooled cycles); the backtest when nothing published was scored yet."""
    data = accuracy.dropna(subset=["primary_error"]) if len(accuracy) else accuracy
    if len(data) and (data["evaluation"] == "published").any():
        data = data[data["evaluation"] == "published"]
    data = data.assign(primary_error=data["primary_error"].astype(float), lag=data["lag"].astype(int))
    return alt.layer(alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("lag:Q", title="lag (periods ahead)", axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0.8, float(data["lag"].max()) + 0.2] if len(data) else None)),
        y=alt.Y("primary_error:Q", title="primary error (lower is better)"),
        color=alt.Color("number_source:N", title="number", legend=alt.Legend(orient="bottom")),
        tooltip=["evaluation", "number_source", "lag", "primary_metric", alt.Tooltip("primary_error:Q", format=".3f"),
                 "n_cycles"])).properties(height=240, width=WIDTH, title=title)
