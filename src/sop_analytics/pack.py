"""The S&OP pack: one self-contained HTML page for a cycle, read from the marts.

    python -m sop_analytics.pack --database build/sop.duckdb --out build/pack

writes ``build/pack/sop_pack_<cycle>.html``: no server, no script, no external file (charts
are inline SVG), so it opens offline in any browser. Every figure is read from a mart;
the code here only lays them out (it sums nothing: per-family and per-period totals come
from rpt_family_demand_plan, rpt_plan_miss_by_period and rpt_inventory_status_by_period). Each chart element carries its figure
in ``data-value`` so a test can compare the page with the marts.
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

__all__ = ["SECTIONS", "build_pack", "main"]

SECTIONS = (
    ("summary", "One page"),
    ("demand", "Demand history and plan by family"),
    ("accuracy", "Accuracy by family, and what hides in the aggregate"),
    ("misses", "Why the plan missed"),
    ("supply", "Projected inventory and capacity"),
    ("risks", "Risk register"),
    ("decisions", "Decision log"),
)
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
W, H, PAD = 720, 260, 48


def _e(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _fmt(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.0f}"
    return str(value)


def _table(frame: pd.DataFrame, name: str) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(_fmt(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False))
    return f'<table data-table="{_e(name)}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _scale(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values + [0.0]), max(values + [0.0])
    return (lo, hi if hi > lo else lo + 1.0)


def _axis(lo: float, hi: float, y) -> str:
    """The value scale: its top, its bottom and zero, labelled at the left edge."""
    ticks = sorted({lo, hi, 0.0} if lo <= 0 <= hi else {lo, hi})
    return "".join(f'<text x="2" y="{y(t) + 3:.1f}" font-size="9" fill="#555">{_e(_fmt(float(t)) if t else "0")}</text>'
                   f'<line x1="{PAD - 4}" x2="{W - PAD}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>'
                   for t in ticks)


def _empty(name: str) -> str:
    return f'<p class="empty" data-chart="{_e(name)}">no data</p>'


def _figure(name: str, parts: list[str], series: Sequence[str], bands: Sequence[str] = ()) -> str:
    """The chart's SVG with its legend: one coloured mark per series, then per band."""
    legend = "".join(f'<span style="color:{COLORS[j % len(COLORS)]}">&#9632; {_e(s)}</span> '
                     for j, s in enumerate(series))
    legend += "".join(f'<span style="color:#1f77b4;opacity:0.6">&#9632; {_e(b)}</span> ' for b in bands)
    return (f'<figure><svg class="chart" data-chart="{_e(name)}" viewBox="0 0 {W} {H + 30}" width="{W}" '
            f'height="{H + 30}" role="img">{"".join(parts)}</svg><figcaption>{legend}</figcaption></figure>')


def _bars(categories: list[str], series: dict[str, list[float]], name: str, stacked: bool = False) -> str:
    """Grouped (or stacked) bars, one group per category, with data-* attributes."""
    if not categories:
        return _empty(name)
    if stacked:
        pos = [sum(max(v[i], 0) for v in series.values()) for i in range(len(categories))]
        neg = [sum(min(v[i], 0) for v in series.values()) for i in range(len(categories))]
        lo, hi = _scale(pos + neg)
    else:
        lo, hi = _scale([x for v in series.values() for x in v])
    y = lambda v: H - PAD - (v - lo) / (hi - lo) * (H - 2 * PAD)  # noqa: E731
    group = (W - 2 * PAD) / len(categories)
    width = group * 0.8 / (1 if stacked else max(len(series), 1))
    parts = [_axis(lo, hi, y), f'<line x1="{PAD}" x2="{W - PAD}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#444"/>']
    for i, cat in enumerate(categories):
        x0 = PAD + i * group + group * 0.1
        up, down = 0.0, 0.0
        for j, (label, values) in enumerate(series.items()):
            v = float(values[i])
            if stacked:
                base = up if v >= 0 else down
                top, bottom = (y(base + v), y(base)) if v >= 0 else (y(base), y(base + v))
                up, down = (up + v, down) if v >= 0 else (up, down + v)
                x = x0
            else:
                top, bottom = (y(v), y(0)) if v >= 0 else (y(0), y(v))
                x = x0 + j * width
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{max(bottom - top, 0.5):.1f}" '
                f'fill="{COLORS[j % len(COLORS)]}" data-category="{_e(cat)}" data-series="{_e(label)}" '
                f'data-value="{v!r}"><title>{_e(cat)} {_e(label)}: {_e(_fmt(v))}</title></rect>')
        parts.append(f'<text x="{x0:.1f}" y="{H - PAD + 14}" font-size="9" '
                     f'transform="rotate(30 {x0:.1f} {H - PAD + 14})">{_e(cat)}</text>')
    return _figure(name, parts, list(series))


def _lines(labels: list[str], series: dict[str, list[float | None]], name: str,
           bands: dict[str, tuple[list[float | None], list[float | None]]] | None = None) -> str:
    """Lines over labelled periods; ``bands`` are intervals (lower, upper) drawn behind them,
    each period's bounds also as a whisker carrying ``data-lo`` and ``data-hi``."""
    if not labels:
        return _empty(name)
    bands = bands or {}
    present = lambda vs: [(i, float(v)) for i, v in enumerate(vs) if v is not None and not pd.isna(v)]  # noqa: E731
    values = [v for vs in series.values() for _, v in present(vs)]
    values += [v for lo_hi in bands.values() for vs in lo_hi for _, v in present(vs)]
    lo, hi = _scale(values)
    x = lambda i: PAD + i * (W - 2 * PAD) / max(len(labels) - 1, 1)  # noqa: E731
    y = lambda v: H - PAD - (v - lo) / (hi - lo) * (H - 2 * PAD)  # noqa: E731
    parts = [_axis(lo, hi, y)]
    for k, (label, (lows, highs)) in enumerate(bands.items()):
        both = [(i, a, b) for (i, a), (_, b) in zip(present(lows), present(highs))]
        if not both:
            continue
        outline = [f"{x(i):.1f},{y(b):.1f}" for i, _, b in both] + [f"{x(i):.1f},{y(a):.1f}" for i, a, _ in both[::-1]]
        parts.append(f'<polygon points="{" ".join(outline)}" fill="#1f77b4" fill-opacity="{0.12 + 0.1 * k:.2f}" '
                     f'stroke="none" data-band="{_e(label)}"/>')
        for i, a, b in both:
            parts.append(f'<line class="band" x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(a):.1f}" y2="{y(b):.1f}" '
                         f'stroke="#1f77b4" stroke-opacity="0.3" data-category="{_e(labels[i])}" '
                         f'data-series="{_e(label)}" data-lo="{a!r}" data-hi="{b!r}"/>')
    for j, (label, vs) in enumerate(series.items()):
        points = [(i, x(i), y(v), v) for i, v in present(vs)]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for _, px, py, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{COLORS[j % len(COLORS)]}" stroke-width="2"/>')
        for i, px, py, v in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{COLORS[j % len(COLORS)]}" '
                         f'data-category="{_e(labels[i])}" data-series="{_e(label)}" data-value="{v!r}"/>')
    for i, lab in enumerate(labels):
        parts.append(f'<text x="{x(i):.1f}" y="{H - PAD + 14}" font-size="8" '
                     f'transform="rotate(40 {x(i):.1f} {H - PAD + 14})">{_e(lab)}</text>')
    return _figure(name, parts, list(series), bands=list(bands))


def _read(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return con.sql(sql).df()


def build_pack(database: Path, out_dir: Path) -> Path:
    """Write the pack for the database's cycle; return its path."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        [(cycle,)] = con.sql("select cycle from marts.fct_consensus_plan limit 1").fetchall()
        body = {key: [] for key, _ in SECTIONS}
        review = _read(con, "select section, section_rank, subject, metric, value, unit, detail "
                            "from marts.rpt_sop_review order by section, section_rank")
        body["summary"].append(_table(review, "rpt_sop_review"))

        demand = _read(con, "select master_family, period_id, row_kind, demand_units, baseline_units, "
                            "consensus_units, previous_cycle_units, lo_80, hi_80, lo_95, hi_95 "
                            "from marts.rpt_family_demand_plan order by master_family, period_start")
        body["demand"].append("<p>Demand per period (orders on their requested date), then the plan: the "
                              "statistical baseline, the consensus plan with its 80% and 95% intervals, and "
                              "the previous cycle's consensus (rpt_family_demand_plan).</p>")
        for family, f in demand.groupby("master_family", sort=True):
            series = {"demand": list(f["demand_units"]), "consensus plan": list(f["consensus_units"]),
                      "statistical baseline": list(f["baseline_units"]),
                      "previous cycle's plan": list(f["previous_cycle_units"])}
            bands = {"95% interval": (list(f["lo_95"]), list(f["hi_95"])),
                     "80% interval": (list(f["lo_80"]), list(f["hi_80"]))}
            body["demand"].append(f"<h3>{_e(family)}</h3>"
                                  + _lines(list(f["period_id"]), series, f"demand:{family}", bands))

        acc = _read(con, "select master_family, number_source, wape from marts.rpt_accuracy_by_number "
                         "where lag = 1 and granularity = 'sku' and number_source in "
                         "('statistical_baseline', 'consensus', 'sales', 'operations') order by 1, 2")
        grid = acc.pivot(index="master_family", columns="number_source", values="wape").fillna(0.0)
        families = list(grid.index)
        series = {n: list(grid[n]) for n in grid.columns}
        body["accuracy"].append("<p>Lag-1 WAPE from SKU errors, per family and number.</p>"
                                + _bars(families, series, "accuracy"))
        hidden = _read(con, "select revenue_at_risk_rank, master_sku, master_family, primary_metric, sku_error, "
                            "sku_bias_pct, company_netted_wape, revenue_at_risk, why_hidden "
                            "from marts.rpt_hidden_forecast_error where number_source = 'statistical_baseline' "
                            "and lag = 1 order by revenue_at_risk_rank limit 15")
        body["accuracy"].append("<h3>Hidden in the aggregate</h3>" + _table(hidden, "rpt_hidden_forecast_error"))

        misses = _read(con, "select period_id, supply_disruption_units::double as supply_disruption, "
                            "customer_mix_units::double as customer_mix, "
                            "demand_variability_units::double as demand_variability, "
                            "forecast_error_units::double as forecast_error "
                            "from marts.rpt_plan_miss_by_period where lag = 1 order by period_id")
        parts = ["supply_disruption", "customer_mix", "demand_variability", "forecast_error"]
        body["misses"].append("<p>Lag-1 miss against shipments, all SKUs, by cause (units).</p>" + _bars(
            list(misses["period_id"]), {c: list(misses[c]) for c in parts}, "misses", stacked=True))
        causes = _read(con, "select cycle, master_sku, period_id, root_cause, root_cause_units, assumption_broken "
                            "from marts.fct_plan_miss_root_causes where lag = 1 "
                            "order by period_id desc, abs(root_cause_units) desc limit 15")
        body["misses"].append(_table(causes, "fct_plan_miss_root_causes"))

        load = _read(con, "select resource_id, period_id, utilization from marts.fct_capacity_load "
                          "order by resource_id, period_id")
        grid = load.pivot(index="period_id", columns="resource_id", values="utilization").fillna(0.0)
        periods = list(grid.index)
        series = {r: list(grid[r]) for r in grid.columns}
        body["supply"].append("<p>Capacity utilization by resource (1.0 = all available hours).</p>"
                              + _bars(periods, series, "capacity"))
        status = _read(con, "select period_id, inventory_status, n_skus::double as n "
                            "from marts.rpt_inventory_status_by_period order by 1, 2")
        grid = status.pivot(index="period_id", columns="inventory_status", values="n").fillna(0.0)
        periods = list(grid.index)
        series = {s: list(grid[s]) for s in grid.columns}
        body["supply"].append("<p>Projected inventory: SKUs by status per period.</p>"
                              + _bars(periods, series, "inventory", stacked=True))

        risks = _read(con, "select risk_id, risk_type, first_period_id, size_units, size_money, owner_role, "
                           "first_cycle, n_cycles_seen, description from marts.rpt_risk_register "
                           "where status = 'open' order by size_money desc nulls last, risk_id")
        body["risks"].append(_table(risks, "rpt_risk_register"))
        decisions = _read(con, "select decision_id, decided_in_cycle, decision, owner, due_date, status, age_days, "
                               "is_overdue, days_overdue from marts.fct_leadership_decisions order by decision_id")
        body["decisions"].append(_table(decisions, "fct_leadership_decisions"))
    finally:
        con.close()

    nav = " | ".join(f'<a href="#{k}">{_e(t)}</a>' for k, t in SECTIONS)
    sections = "".join(f'<section id="{k}"><h2>{_e(t)}</h2>{"".join(body[k])}</section>' for k, t in SECTIONS)
    page = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>S&amp;OP pack {_e(cycle)}</title><style>"
        "body{font-family:sans-serif;margin:24px;color:#222}section{margin-bottom:40px}"
        "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
        "figcaption{font-size:12px}"
        f"</style></head><body><h1>S&amp;OP review, cycle {_e(cycle)}</h1><nav>{nav}</nav>{sections}</body></html>"
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
