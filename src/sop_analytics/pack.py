"""The S&OP pack: one self-contained HTML page for a cycle, read from the marts.

    python -m sop_analytics.pack --database build/sop.duckdb --out build/pack

writes ``build/pack/sop_pack_<cycle>.html``, in the order a leader reads it:

1. the executive summary: one KPI tile each for revenue, margin, cash, inventory value,
   service and forecast accuracy, with the change against budget, last cycle and last year
   and its direction (rpt_executive_kpis);
2. decisions needed today: one card per material constraint with its options and their
   cost, the recommended one marked (rpt_decisions_needed, fct_scenario_options);
3. the evidence: demand history and plan per family, plan vs actual, revenue plan vs budget
   vs last plan, capacity against its 100% line, projected inventory status, accuracy
   trend against its target, the miss decomposition;
4. the material risks and the decision log, open items first.

No server, no script, no external file: the charts are Vega-Lite (vega-altair) rendered to
static SVG (vl-convert) inline, so the page opens offline and prints to at most six
landscape pages. Every figure is read from a mart; the code here only lays them out (it
sums nothing, and a missing figure stays an empty cell or a gap in a line, never 0).
Tiles and cards carry their figures in ``data-*`` attributes and every chart mark its
figure in its ARIA label (``chart|category|series|value``), so a test can compare the page
with the marts.
"""

from __future__ import annotations

import argparse
import html
import math
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
import vl_convert as vlc

__all__ = ["SECTIONS", "build_pack", "main"]

SECTIONS = (
    ("summary", "Executive summary"),
    ("decisions", "Decisions needed today"),
    ("evidence", "The evidence"),
    ("risks", "Material risks"),
    ("log", "Decision log"),
)
WIDE, NARROW, TALL = 470, 470, 190
PLAN_COLORS = {
    "demand (history)": "#222222", "consensus plan": "#1f5fbf", "statistical baseline": "#e07b00",
    "previous cycle's plan": "#2e9e44", "80% interval": "#7aa6e6", "95% interval": "#d3e2f7",
}
STATUS_COLORS = {"shortage": "#c0392b", "needs_new_supply": "#e67e22", "below_safety_stock": "#f1c40f",
                 "ok": "#27ae60", "excess": "#7f8c8d"}
MISS_LABELS = {"supply_disruption_units": "Supply disruption", "customer_mix_units": "Customer mix",
               "demand_variability_units": "Demand variability", "forecast_error_units": "Forecast error"}


def _e(value: object) -> str:
    return html.escape("" if _missing(value) else str(value))


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT


def _money(value: object, signed: bool = False) -> str:
    """Money, short: 130.5M, 12.3k, 950; empty when missing."""
    if _missing(value):
        return ""
    v = float(value)
    sign = "+" if signed and v > 0 else ("-" if v < 0 else "")
    a = abs(v)
    text = f"{a / 1e6:,.1f}M" if a >= 1e6 else f"{a / 1e3:,.1f}k" if a >= 1e4 else f"{a:,.0f}"
    return sign + text


def _share(value: object, signed: bool = False) -> str:
    if _missing(value):
        return ""
    return f"{100 * float(value):{'+' if signed else ''}.1f}%"


def _points(value: object) -> str:
    """A change of a share, in percentage points."""
    return "" if _missing(value) else f"{100 * float(value):+.1f} pp"


def _units(value: object) -> str:
    if _missing(value):
        return ""
    v = float(value)
    return f"{v:,.1f}" if 0 < abs(v) < 10 else f"{v:,.0f}"


def _attr(value: object) -> str:
    """A figure as a data attribute: its exact repr, empty when missing."""
    return "" if _missing(value) else repr(float(value))


def _svg(chart: alt.TopLevelMixin, name: str) -> str:
    svg = vlc.vegalite_to_svg(chart.to_json())
    return f'<figure class="chart" data-chart="{_e(name)}">{svg}</figure>'


def _described(frame: pd.DataFrame, chart: str, category: str, series: str | None, value: str,
               series_label: str | None = None) -> pd.DataFrame:
    """Add the ARIA description each mark carries: chart|category|series|value (exact)."""
    out = frame.copy()
    labels = out[series].astype(str) if series else pd.Series(series_label or value, index=out.index)
    out["mark"] = [f"{chart}|{c}|{s}|{float(v)!r}" for c, s, v in zip(out[category].astype(str), labels, out[value])]
    return out


def _empty(name: str) -> str:
    return f'<p class="empty" data-chart="{_e(name)}">no data</p>'


# -- sections -------------------------------------------------------------------------------

def _tile(k: pd.Series) -> str:
    fmt = _money if k["unit"] == "money" else _share
    change_fmt = (lambda v: _money(v, signed=True)) if k["unit"] == "money" else _points
    rows = []
    for base, label in (("budget", "target" if k["kpi"] == "forecast_accuracy" else "budget"),
                        ("last_cycle", "last cycle"), ("last_year", "last year")):
        change, direction = k[f"change_vs_{base}"], k[f"direction_vs_{base}"]
        arrow = {"up": "&#9650;", "down": "&#9660;", "flat": "&#9654;"}.get(direction, "")
        good = "" if _missing(direction) or direction == "flat" else (
            "good" if (direction == "up") == bool(k["higher_is_better"]) else "bad")
        rows.append(
            f'<tr><th>vs {label}</th><td class="{good}" data-kpi="{_e(k["kpi"])}" data-field="change_vs_{base}" '
            f'data-value="{_attr(change)}" data-direction="{_e(direction)}">{arrow} {_e(change_fmt(change))}</td>'
            f'<td class="base" data-kpi="{_e(k["kpi"])}" data-field="{base}_value" '
            f'data-value="{_attr(k[f"{base}_value"])}">{_e(fmt(k[f"{base}_value"]))}</td></tr>')
    return (f'<div class="tile" data-kpi="{_e(k["kpi"])}"><h3>{_e(k["label"])}</h3>'
            f'<p class="value" data-kpi="{_e(k["kpi"])}" data-field="value" data-value="{_attr(k["value"])}">'
            f'{_e(fmt(k["value"]))}</p><p class="scope">{_e(k["scope"])}</p>'
            f'<table class="changes">{"".join(rows)}</table></div>')


def _summary(kpis: pd.DataFrame, needed: pd.DataFrame, cycle: str) -> str:
    tiles = "".join(_tile(k) for _, k in kpis.iterrows())
    top = needed.head(3)
    headline = "; ".join(f"{r.subject} ({r.risk_type.replace('_', ' ')}): {_money(r.money_at_stake)} at stake"
                         for r in top.itertuples())
    return (f'<p class="headline">Cycle {_e(cycle)}: {len(needed)} decisions needed today'
            + (f" &mdash; largest: {_e(headline)}" if headline else "") + '.</p>'
            f'<div class="tiles">{tiles}</div>'
            '<p class="note">Money in the reporting currency. Arrows: direction of the change; green good, red '
            'bad. An empty cell has no comparison in the data (never 0).</p>')


def _card(d: pd.Series, options: pd.DataFrame) -> str:
    rows = []
    for _, o in options.iterrows():
        cls = ' class="recommended"' if o["is_recommended"] else ""
        cells = "".join(
            f'<td data-option="{_e(o["option_id"])}" data-field="{f}" data-value="{_attr(o[f])}">{_e(fmt(o[f]))}</td>'
            for f, fmt in (("units_short", _units), ("top_priority_units_short", _units), ("revenue_effect", _money),
                           ("action_cost", _money), ("margin_effect", _money)))
        rows.append(f'<tr{cls}><th>{"&#9733; " if o["is_recommended"] else ""}{_e(o["option_label"])}</th>{cells}</tr>')
    chosen = (f'<p class="chosen">Chosen: {_e(d["chosen_option_id"])} ({_e(d["decision_id"])})</p>'
              if not _missing(d["chosen_option_id"]) else "")
    return (f'<div class="card" data-risk="{_e(d["risk_id"])}"><h3>{int(d["decision_rank"])}. {_e(d["subject"])} '
            f'<small>{_e(d["risk_type"].replace("_", " "))}, from {_e(d["first_period_id"])}, '
            f'{_e(d["owner_role"])}</small></h3>'
            f'<p class="stake">At stake: <b data-risk="{_e(d["risk_id"])}" data-field="money_at_stake" '
            f'data-value="{_attr(d["money_at_stake"])}">{_e(_money(d["money_at_stake"]))}</b> revenue if nothing is '
            f'done. Recommended: <b>{_e(d["recommended_option_label"])}</b>, saves '
            f'<b data-risk="{_e(d["risk_id"])}" data-field="recommended_margin_gain" '
            f'data-value="{_attr(d["recommended_margin_gain"])}">{_e(_money(d["recommended_margin_gain"]))}</b> '
            f'margin.</p><table class="options"><thead><tr><th>option</th><th>units short</th>'
            f'<th title="units short of the top-priority customers (crm/customers.priority)">of it key accts</th>'
            f'<th>revenue</th><th>cost</th><th>margin</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{chosen}</div>')


def _decisions(needed: pd.DataFrame, options: pd.DataFrame) -> str:
    if needed.empty:
        return '<p class="empty">No material constraint this cycle.</p>'
    cards = "".join(_card(d, options[options["risk_id"] == d["risk_id"]].sort_values("option_rank"))
                    for _, d in needed.iterrows())
    rule = needed["recommendation_rule"].iloc[0]
    return (f'<p class="note">Effects over the horizon against the consensus plan; cost rates from '
            f'seeds/scenario_cost_rates.csv. &#9733; recommended: {_e(rule)}.</p><div class="cards">{cards}</div>')


def _demand_chart(demand: pd.DataFrame) -> str:
    if demand.empty:
        return _empty("demand")
    lines = demand.melt(id_vars=["master_family", "period_start", "period_id"],
                        value_vars=["demand_units", "consensus_units", "baseline_units", "previous_cycle_units"],
                        var_name="series", value_name="units").dropna(subset=["units"])
    lines["series"] = lines["series"].map({"demand_units": "demand (history)", "consensus_units": "consensus plan",
                                           "baseline_units": "statistical baseline",
                                           "previous_cycle_units": "previous cycle's plan"})
    lines = _described(lines, "demand", "period_id", "series", "units")
    lines["chart"] = "demand:" + lines["master_family"]
    lines["mark"] = lines["chart"] + lines["mark"].str[len("demand"):]
    bands = pd.concat([
        demand.assign(series=label, lo=demand[lo], hi=demand[hi])[["master_family", "period_start", "period_id",
                                                                   "series", "lo", "hi"]]
        for label, lo, hi in (("95% interval", "lo_95", "hi_95"), ("80% interval", "lo_80", "hi_80"))
    ]).dropna(subset=["lo", "hi"])
    bands["mark"] = ["demand:" + f"{f}|{p}|{s}|{float(lo)!r}|{float(hi)!r}"
                     for f, p, s, lo, hi in zip(bands["master_family"], bands["period_id"], bands["series"],
                                                bands["lo"], bands["hi"])]
    boundary = demand[demand["row_kind"] == "plan"].groupby("master_family", as_index=False)["period_start"].min()
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=list(PLAN_COLORS),
                                                              range=list(PLAN_COLORS.values())),
                      legend=alt.Legend(orient="top", columns=6))
    x = alt.X("period_start:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=6))
    band = alt.Chart().mark_area(opacity=0.9).encode(
        x=x, y=alt.Y("lo:Q", title="units (eaches) per period"), y2="hi:Q", color=color, description="mark:N")
    dash = alt.StrokeDash("series:N", legend=None, scale=alt.Scale(
        domain=["demand (history)", "consensus plan", "statistical baseline", "previous cycle's plan"],
        range=[[1, 0], [1, 0], [6, 3], [2, 2]]))
    line = alt.Chart().mark_line(point=alt.OverlayMarkDef(size=12)).encode(
        x=x, y=alt.Y("units:Q", title="units (eaches) per period", axis=alt.Axis(format="~s", tickCount=5)),
        color=color, strokeDash=dash, description="mark:N",
        strokeWidth=alt.StrokeWidth("series:N", legend=None, scale=alt.Scale(
            domain=["demand (history)", "consensus plan", "statistical baseline", "previous cycle's plan"],
            range=[1.5, 4, 2, 2])))
    rule = alt.Chart().mark_rule(color="#555", strokeDash=[3, 3]).encode(x="period_start:T")
    data = pd.concat([bands.assign(layer="band"), lines.assign(layer="line"), boundary.assign(layer="rule")],
                     ignore_index=True)
    data["period_start"] = pd.to_datetime(data["period_start"]).dt.strftime("%Y-%m-%d")
    spec = alt.layer(band.transform_filter(alt.datum.layer == "band"),
                     line.transform_filter(alt.datum.layer == "line"),
                     rule.transform_filter(alt.datum.layer == "rule")).properties(width=225, height=115)
    chart = alt.FacetChart(data=data, spec=spec, columns=4,
                           facet=alt.Facet("master_family:N", title=None,
                                           header=alt.Header(labelFontWeight="bold", labelFontSize=11)))
    return _svg(chart.resolve_scale(y="independent"), "demand")


def _line_chart(frame: pd.DataFrame, name: str, category: str, x: str, series: str, value: str, y_title: str,
                colors: dict[str, str] | None = None, y_format: str = "~s", rules: list | None = None,
                width: int = NARROW, dash: dict | None = None) -> str:
    frame = frame.dropna(subset=[value])
    if frame.empty:
        return _empty(name)
    data = _described(frame, name, category, series, value)
    data[x] = pd.to_datetime(data[x]).dt.strftime("%Y-%m-%d")
    color = alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="top"),
                      scale=alt.Scale(domain=list(colors), range=list(colors.values())) if colors else alt.Undefined)
    enc = {"x": alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0)),
           "y": alt.Y(f"{value}:Q", title=y_title, axis=alt.Axis(format=y_format, tickCount=5)),
           "color": color, "description": "mark:N"}
    if dash:
        enc["strokeDash"] = alt.StrokeDash(f"{series}:N", legend=None,
                                           scale=alt.Scale(domain=list(dash), range=list(dash.values())))
    chart = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=20)).encode(**enc)
    for r in rules or []:
        chart = chart + r
    return _svg(chart.properties(width=width, height=TALL), name)


def _evidence(con: duckdb.DuckDBPyConnection) -> str:
    parts = []
    demand = con.sql("select master_family, period_id, period_start, row_kind, demand_units, baseline_units, "
                     "consensus_units, previous_cycle_units, lo_80, hi_80, lo_95, hi_95 "
                     "from marts.rpt_family_demand_plan order by master_family, period_start").df()
    parts.append('<h3>Demand history and plan per family</h3><p class="note">Orders per period (history, black) '
                 'up to the dashed line, then the plan: consensus (blue, with its 80% and 95% intervals), '
                 'statistical baseline (orange, dashed) and the previous cycle\'s plan (green, dotted); '
                 'each family on its own scale (rpt_family_demand_plan).</p>' + _demand_chart(demand))

    actual = con.sql("select period_id, cycle, plan_units, requested_units, shipped_units "
                     "from marts.rpt_plan_miss_by_period where lag = 1 order by period_id").df()
    actual = actual.merge(con.sql("select period_id, period_start from marts.dim_planning_periods").df(),
                          on="period_id")
    long = actual.melt(id_vars=["period_id", "period_start"], value_vars=["plan_units", "requested_units",
                                                                          "shipped_units"],
                       var_name="series", value_name="units")
    long["series"] = long["series"].map({"plan_units": "plan at lag 1", "requested_units": "ordered",
                                         "shipped_units": "shipped"})
    plan_vs_actual = _line_chart(long, "plan_vs_actual", "period_id", "period_start", "series", "units",
                                 "units (eaches) per period",
                                 {"plan at lag 1": "#1f5fbf", "ordered": "#222222", "shipped": "#2e9e44"})

    revenue = con.sql("select period_id, period_start, revenue, budget_revenue, previous_cycle_revenue, "
                      "last_year_gl_revenue, currency from marts.rpt_revenue_plan_by_period order by period_id").df()
    currency = revenue["currency"].iloc[0] if len(revenue) else ""
    long = revenue.melt(id_vars=["period_id", "period_start"], value_vars=["revenue", "budget_revenue",
                                                                           "previous_cycle_revenue",
                                                                           "last_year_gl_revenue"],
                        var_name="series", value_name="money")
    long["series"] = long["series"].map({"revenue": "plan", "budget_revenue": "budget",
                                         "previous_cycle_revenue": "last cycle's plan",
                                         "last_year_gl_revenue": "last year (GL)"})
    revenue_chart = _line_chart(long, "revenue", "period_id", "period_start", "series", "money",
                                f"revenue per period ({currency})",
                                {"plan": "#1f5fbf", "budget": "#8e44ad", "last cycle's plan": "#2e9e44",
                                 "last year (GL)": "#999999"},
                                dash={"plan": [1, 0], "budget": [6, 3], "last cycle's plan": [2, 2],
                                      "last year (GL)": [1, 0]})
    parts.append(f'<div class="pair"><div><h3>Plan vs actual, recent cycles</h3>{plan_vs_actual}</div>'
                 f'<div><h3>Revenue: plan vs budget vs last plan</h3>{revenue_chart}</div></div>')

    load = con.sql("select resource_id, period_id, period_start, utilization from marts.fct_capacity_load "
                   "order by resource_id, period_id").df()
    hundred = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(color="#c0392b", strokeWidth=2).encode(y="y:Q")
    label = alt.Chart(pd.DataFrame({"y": [1.0], "t": ["100% of available hours"]})).mark_text(
        align="left", dx=4, dy=-6, color="#c0392b", fontSize=10).encode(y="y:Q", text="t:N", x=alt.value(0))
    capacity = _line_chart(load, "capacity", "period_id", "period_start", "resource_id", "utilization",
                           "load, % of available hours", y_format="%", rules=[hundred, label])
    status = con.sql("select period_id, inventory_status, n_skus::double as n "
                     "from marts.rpt_inventory_status_by_period order by 1, 2").df()
    if status.empty:
        inventory = _empty("inventory")
    else:
        data = _described(status, "inventory", "period_id", "inventory_status", "n")
        inventory = _svg(alt.Chart(data).mark_bar().encode(
            x=alt.X("period_id:O", title=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("n:Q", title="SKUs", stack="zero"),
            color=alt.Color("inventory_status:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))),
            order=alt.Order("order:Q"), description="mark:N",
        ).transform_calculate(order=f"indexof({list(STATUS_COLORS)!r}, datum.inventory_status)").properties(
            width=NARROW, height=TALL), "inventory")
    parts.append(f'<div class="pair"><div><h3>Capacity load against its 100% line</h3>{capacity}</div>'
                 f'<div><h3>Projected inventory status (SKUs per period)</h3>{inventory}</div></div>')

    trend = con.sql("select series, period_id, period_start, accuracy, target_accuracy "
                    "from marts.rpt_accuracy_trend order by series, period_id").df()
    target = trend["target_accuracy"].iloc[0] if len(trend) else None
    rules = [] if target is None else [
        alt.Chart(pd.DataFrame({"y": [target]})).mark_rule(color="#8e44ad", strokeDash=[5, 3]).encode(y="y:Q"),
        alt.Chart(pd.DataFrame({"y": [target], "t": [f"target {100 * target:.0f}%"]})).mark_text(
            align="left", dx=4, dy=-6, color="#8e44ad", fontSize=10).encode(y="y:Q", text="t:N", x=alt.value(0))]
    accuracy = _line_chart(trend, "accuracy", "period_id", "period_start", "series", "accuracy",
                           "accuracy, 1 - WAPE at lag 1", y_format="%", rules=rules,
                           colors={"consensus plan": "#1f5fbf", "statistical baseline": "#e07b00",
                                   "statistical baseline (backtest)": "#f5c28a"},
                           dash={"consensus plan": [1, 0], "statistical baseline": [6, 3],
                                 "statistical baseline (backtest)": [2, 2]})
    misses = con.sql("select period_id, supply_disruption_units::double as supply_disruption_units, "
                     "customer_mix_units::double as customer_mix_units, "
                     "demand_variability_units::double as demand_variability_units, "
                     "forecast_error_units::double as forecast_error_units "
                     "from marts.rpt_plan_miss_by_period where lag = 1 order by period_id").df()
    long = misses.melt(id_vars=["period_id"], value_vars=list(MISS_LABELS), var_name="cause",
                       value_name="units").dropna(subset=["units"])
    long["cause"] = long["cause"].map(MISS_LABELS)
    if long.empty:
        miss_chart = _empty("misses")
    else:
        data = _described(long, "misses", "period_id", "cause", "units")
        miss_chart = _svg(alt.Chart(data).mark_bar().encode(
            x=alt.X("period_id:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("units:Q", title="miss, units (shipped - plan)", stack="zero", axis=alt.Axis(format="~s")),
            color=alt.Color("cause:N", title=None, legend=alt.Legend(orient="top"),
                            scale=alt.Scale(domain=list(MISS_LABELS.values()),
                                            range=["#c0392b", "#8e44ad", "#95a5a6", "#1f5fbf"])),
            description="mark:N").properties(width=NARROW, height=TALL), "misses")
    parts.append(f'<div class="pair"><div><h3>Forecast accuracy against its target</h3>{accuracy}</div>'
                 f'<div><h3>Why the plan missed (lag 1, all SKUs)</h3>{miss_chart}</div></div>')
    return "".join(parts)


def _table(frame: pd.DataFrame, name: str, formats: dict[str, object]) -> str:
    head = "".join(f"<th>{_e(c.replace('_', ' '))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row):
            fmt = formats.get(column)
            text = "" if _missing(value) else (fmt(value) if fmt else str(value))
            cells.append(f"<td>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="list" data-table="{_e(name)}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


CSS = """
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:16px auto;max-width:1100px;color:#222;font-size:12px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;border-bottom:2px solid #1f5fbf;margin:0 0 8px;padding-bottom:2px}
h3{font-size:13px;margin:6px 0 4px}nav{font-size:11px;margin-bottom:8px}
section{margin-bottom:24px}
.headline{font-size:14px;font-weight:bold;margin:4px 0 10px}
.tiles{display:grid;grid-template-columns:repeat(3,1fr);gap:10px}
.tile{border:1px solid #ccc;border-radius:6px;padding:8px 12px}
.tile h3{margin:0;font-size:13px;color:#555}.tile .value{font-size:28px;font-weight:bold;margin:2px 0}
.tile .scope{color:#666;font-size:10px;margin:0 0 4px}
.changes{border-collapse:collapse;width:100%;font-size:12px}.changes th{text-align:left;font-weight:normal;color:#555}
.changes td{text-align:right;padding:1px 4px}.changes td.base{color:#777;font-size:11px}
.good{color:#1e8449}.bad{color:#c0392b}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:8px}
.card{border:1px solid #ccc;border-radius:6px;padding:6px 8px;break-inside:avoid}
.card h3{margin:0 0 2px;font-size:12px}.card small{font-weight:normal;color:#666}
.card .stake{margin:2px 0 4px;font-size:11px}
.options{border-collapse:collapse;width:100%;font-size:10.5px}
.options th,.options td{border-bottom:1px solid #eee;padding:1px 3px;text-align:right}
.options th:first-child{text-align:left;font-weight:normal}
.options tr.recommended{background:#eaf2fb;font-weight:bold}.chosen{font-size:10px;color:#555;margin:2px 0 0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:12px}
figure{margin:0}figure svg{max-width:100%;height:auto}
.note{color:#555;font-size:11px;margin:2px 0 6px}
table.list{border-collapse:collapse;font-size:10.5px;width:100%}
table.list td,table.list th{border-bottom:1px solid #ddd;padding:2px 4px;text-align:left;vertical-align:top}
@media print{
  @page{size:A4 landscape;margin:9mm}
  body{margin:0;max-width:none;font-size:11px}
  nav{display:none}
  section{break-before:page;margin:0}
  section#summary{break-before:auto}
  section#log{break-before:auto;margin-top:10px}
  .pair{break-inside:avoid}
  .evidence-page{break-before:page}
  .tile .value{font-size:24px}
  .card{padding:4px 6px}.card .stake{font-size:9.5px;margin:1px 0 2px}.chosen{font-size:9px}
  .options{font-size:9px}.options th:first-child{width:34%}
  table.list{font-size:9px}table.list td,table.list th{padding:1px 3px}
}
"""


def build_pack(database: Path, out_dir: Path) -> Path:
    """Write the pack for the database's cycle; return its path."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        [(cycle,)] = con.sql("select cycle from marts.fct_consensus_plan limit 1").fetchall()
        kpis = con.sql("select * from marts.rpt_executive_kpis order by kpi_rank").df()
        needed = con.sql("select * from marts.rpt_decisions_needed order by decision_rank").df()
        options = con.sql("select * from marts.fct_scenario_options order by risk_id, option_rank").df()
        body = {
            "summary": _summary(kpis, needed, cycle),
            "decisions": _decisions(needed, options),
            "evidence": _evidence(con),
        }
        risks = con.sql("select risk_id, risk_type, first_period_id as first_period, size_units, size_money, "
                        "owner_role, first_cycle, n_cycles_seen, description from marts.rpt_risk_register "
                        "where status = 'open' and is_material order by size_money desc nulls last, risk_id").df()
        body["risks"] = ('<p class="note">Open risks at or above their materiality threshold '
                         '(seeds/materiality_thresholds.csv), largest first.</p>'
                         + _table(risks, "rpt_risk_register", {"size_units": _units, "size_money": _money}))
        log = con.sql("select decision_id, decided_in_cycle, decision, option_id, owner, due_date, status, "
                      "days_overdue, risk_id, risk_status from marts.fct_leadership_decisions "
                      "order by status = 'open' desc, is_overdue desc, due_date, decision_id").df()
        log["days_overdue"] = log["days_overdue"].where(log["status"] == "open")
        body["log"] = ('<p class="note">Open decisions first; the risk each answers and whether it is still '
                       'open.</p>' + _table(log, "fct_leadership_decisions", {"days_overdue": _units, "due_date": lambda v: str(v)[:10]}))
    finally:
        con.close()

    nav = " | ".join(f'<a href="#{k}">{_e(t)}</a>' for k, t in SECTIONS)
    sections = "".join(f'<section id="{k}"><h2>{_e(t)}</h2>{body[k]}</section>' for k, t in SECTIONS)
    page = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>S&amp;OP pack {_e(cycle)}</title><style>{CSS}</style></head><body>"
        f"<h1>S&amp;OP leadership review, cycle {_e(cycle)}</h1><nav>{nav}</nav>{sections}</body></html>"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"sop_pack_{cycle}.html"
    path.write_text(page, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m sop_analytics.pack", description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("build/sop.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("build/pack"))
    args = parser.parse_args(argv)
    print(f"S&OP pack: {build_pack(args.database, args.out)}")


if __name__ == "__main__":
    main()
