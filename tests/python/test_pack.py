"""The S&OP pack of a demo cycle, read as a leader reads it: self-contained, in the
issue's order (summary, decisions needed today, evidence, material risks, decision log),
every tile, card and chart figure equal to its mart, a missing figure left empty, and
rendered by a real headless Chromium with no console errors and printed to at most six
landscape pages. Screenshots of the summary and of "Decisions needed today" are kept in
build/test-artifacts/pack/ (the README describes them)."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from sop_analytics.pack import SECTIONS, build_pack

pytestmark = pytest.mark.dbt
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "pack"


class _Page(HTMLParser):
    """Sections, tile and card figures (data-kpi / data-risk / data-option with data-field and
    data-value), chart marks (ARIA label chart|category|series|value), table rows, and
    anything external."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.tiles: list[tuple[str, str, str]] = []
        self.cards: list[tuple[str, str, str]] = []
        self.card_ids: list[str] = []
        self.options: list[tuple[str, str, str]] = []
        self.marks: set[tuple[str, str, str, float]] = set()
        self.bands: set[tuple[str, str, str, float, float]] = set()
        self.rows: dict[str, int] = {}
        self.table: str | None = None
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        if "data-field" in a:
            target = (self.tiles, "data-kpi") if "data-kpi" in a else (
                (self.options, "data-option") if "data-option" in a else (self.cards, "data-risk"))
            target[0].append((a[target[1]], a["data-field"], a.get("data-value", "")))
        elif tag == "div" and "data-risk" in a:
            self.card_ids.append(a["data-risk"])
        label = a.get("aria-label") or ""
        if label.count("|") == 3:
            chart, category, series, value = label.split("|")
            self.marks.add((chart, category, series, float(value)))
        elif label.count("|") == 4:
            chart, category, series, lo, hi = label.split("|")
            self.bands.add((chart, category, series, float(lo), float(hi)))
        if "data-table" in a:
            self.table = a["data-table"]
            self.rows[self.table] = 0
        if tag == "tr" and self.table:
            self.rows[self.table] += 1
        for key in ("src", "href", "xlink:href"):
            if key in a and not a[key].startswith("#"):
                self.external.append(a[key])
        if tag in ("script", "iframe", "object", "embed", "link"):
            self.external.append(tag)

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None


@pytest.fixture(scope="module")
def pack(planted_build, tmp_path_factory):
    run, _ = planted_build
    path = build_pack(run.database, tmp_path_factory.mktemp("pack"))
    parsed = _Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    return run, path, parsed


def _same(shown: str, value) -> bool:
    """A figure on the page equals the mart's: both empty, or equal to the last bit."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return shown == ""
    return shown != "" and float(shown) == float(value)


def test_pack_is_self_contained_in_the_leaders_order(pack):
    _, path, parsed = pack
    assert parsed.sections == [key for key, _ in SECTIONS] == ["summary", "decisions", "evidence", "risks", "log"]
    assert parsed.external == []  # no script, no external file: opens offline
    page = path.read_text(encoding="utf-8")
    assert "@media print" in page and "landscape" in page


def test_every_tile_figure_equals_rpt_executive_kpis(pack):
    run, _, parsed = pack
    kpis = run.frame("select * from marts.rpt_executive_kpis").set_index("kpi")
    assert set(kpis.index) == {"revenue", "margin", "cash", "inventory_value", "service", "forecast_accuracy"}
    fields = ["value", "budget_value", "change_vs_budget", "last_cycle_value", "change_vs_last_cycle",
              "last_year_value", "change_vs_last_year"]
    shown = {(k, f): v for k, f, v in parsed.tiles}
    assert set(shown) == {(k, f) for k in kpis.index for f in fields}
    for (kpi, field), value in shown.items():
        assert _same(value, kpis.loc[kpi, field]), (kpi, field, value, kpis.loc[kpi, field])
    # a comparison without a base is empty on the page, not 0 (the demo has no margin budget)
    assert shown[("margin", "budget_value")] == "" and pd.isna(kpis.loc["margin", "budget_value"])
    assert kpis["value"].notna().all()


def test_every_card_figure_equals_the_decision_marts(pack):
    run, _, parsed = pack
    needed = run.frame("select * from marts.rpt_decisions_needed order by decision_rank")
    assert parsed.card_ids == list(needed["risk_id"]) and len(needed) > 0
    figures = needed.set_index("risk_id")
    for risk, field, value in parsed.cards:
        assert _same(value, figures.loc[risk, field]), (risk, field)
    assert {(r, f) for r, f, _ in parsed.cards} == {(r, f) for r in needed["risk_id"]
                                                     for f in ("money_at_stake", "recommended_margin_gain")}
    options = run.frame("select * from marts.fct_scenario_options").set_index("option_id")
    shown = {(o, f): v for o, f, v in parsed.options}
    expected = set(options.index[options["risk_id"].isin(needed["risk_id"])])
    assert {o for o, _ in shown} == expected
    for (option, field), value in shown.items():
        assert _same(value, options.loc[option, field]), (option, field)


def test_pack_charts_equal_the_marts(pack):
    run, _, parsed = pack
    marks = pd.DataFrame(sorted(parsed.marks), columns=["chart", "category", "series", "value"])
    util = run.frame("select resource_id, period_id, utilization from marts.fct_capacity_load "
                     "where utilization is not null")
    shown = marks[marks["chart"] == "capacity"].merge(
        util, left_on=["series", "category"], right_on=["resource_id", "period_id"])
    assert len(shown) == len(util) > 0 and (shown["value"] == shown["utilization"]).all()
    trend = run.frame("select series, period_id, accuracy from marts.rpt_accuracy_trend where accuracy is not null")
    shown = marks[marks["chart"] == "accuracy"].merge(trend, left_on=["series", "category"],
                                                     right_on=["series", "period_id"])
    assert len(shown) == len(trend) > 0 and (shown["value"] == shown["accuracy"]).all()
    misses = run.frame("select period_id, forecast_error_units::double as fe from marts.rpt_plan_miss_by_period "
                       "where lag = 1")
    shown = marks[(marks["chart"] == "misses") & (marks["series"] == "Forecast error")].merge(
        misses, left_on="category", right_on="period_id")
    assert len(shown) == len(misses) > 0 and (shown["value"] == shown["fe"]).all()
    revenue = run.frame("select period_id, revenue, last_year_gl_revenue from marts.rpt_revenue_plan_by_period")
    plan = marks[(marks["chart"] == "revenue") & (marks["series"] == "plan")].merge(
        revenue, left_on="category", right_on="period_id")
    assert len(plan) == len(revenue) and (plan["value"] == plan["revenue"]).all()
    # a period without last year's revenue has no mark: missing is not drawn as 0
    last_year = marks[(marks["chart"] == "revenue") & (marks["series"] == "last year (GL)")]
    assert len(last_year) == revenue["last_year_gl_revenue"].notna().sum()
    status = run.frame("select period_id, inventory_status, n_skus::double as n "
                       "from marts.rpt_inventory_status_by_period")
    shown = marks[marks["chart"] == "inventory"].merge(status, left_on=["category", "series"],
                                                      right_on=["period_id", "inventory_status"])
    assert len(shown) == len(status) and (shown["value"] == shown["n"]).all()


def test_pack_demand_charts_tell_history_plan_and_previous_cycle_apart(pack):
    run, _, parsed = pack
    marks = pd.DataFrame(sorted(parsed.marks), columns=["chart", "category", "series", "value"])
    bands = pd.DataFrame(sorted(parsed.bands), columns=["chart", "category", "series", "lo", "hi"])
    plan = run.frame("select 'demand:' || master_family as chart, period_id, row_kind, demand_units, "
                     "consensus_units, baseline_units, previous_cycle_units, lo_80, hi_80, lo_95, hi_95 "
                     "from marts.rpt_family_demand_plan")
    assert marks[marks["chart"].str.startswith("demand:")]["chart"].nunique() == plan["chart"].nunique() >= 8
    for series, column in (("demand (history)", "demand_units"), ("consensus plan", "consensus_units"),
                           ("statistical baseline", "baseline_units"),
                           ("previous cycle's plan", "previous_cycle_units")):
        shown = marks[marks["series"] == series].merge(plan, left_on=["chart", "category"],
                                                       right_on=["chart", "period_id"])
        assert len(shown) == plan[column].notna().sum() > 0, series
        assert (shown["value"] == shown[column]).all(), series
    for series, lo, hi in (("95% interval", "lo_95", "hi_95"), ("80% interval", "lo_80", "hi_80")):
        shown = bands[bands["series"] == series].merge(plan, left_on=["chart", "category"],
                                                       right_on=["chart", "period_id"])
        assert len(shown) > 0 and (shown["lo"] == shown[lo]).all() and (shown["hi"] == shown[hi]).all()


def test_pack_lists_only_material_open_risks_and_open_decisions_first(pack):
    run, path, parsed = pack
    [(n_material,)] = run.query("select count(*) from marts.rpt_risk_register where status = 'open' and is_material")
    [(n_open,)] = run.query("select count(*) from marts.rpt_risk_register where status = 'open'")
    assert parsed.rows["rpt_risk_register"] == n_material + 1 < n_open + 1  # + header row; padding gone
    [(n_decisions,)] = run.query("select count(*) from marts.fct_leadership_decisions")
    assert parsed.rows["fct_leadership_decisions"] == n_decisions + 1
    log = path.read_text(encoding="utf-8").split('data-table="fct_leadership_decisions"')[1].split("</table>")[0]
    header = re.findall(r"<th>(.*?)</th>", log)
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", log)[1:]]
    statuses = [row[header.index("status")] for row in rows]
    assert "open" in statuses and statuses == sorted(statuses, key=lambda s: s != "open")
    assert {"option id", "owner", "due date", "risk id", "risk status"} <= set(header)


def _chromium() -> list[str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs Debian's package when it runs as root)")
    return [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r"CONSOLE|Uncaught", line)]


def test_pack_renders_in_headless_chromium_and_prints_to_six_pages(pack, tmp_path):
    _, path, _ = pack
    base = _chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(base + profile + ["--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for key, _ in SECTIONS:
        assert f'id="{key}"' in dom.stdout
    assert dom.stdout.count("<svg") >= 7
    assert _console(dom.stderr) == []
    page = path.read_text(encoding="utf-8")
    for key in ("summary", "decisions"):
        # the page with only this section shown, so the screenshot is the section
        only = page.replace("</style>", f"section{{display:none}}#{key}{{display:block}}</style>")
        single = path.with_name(f"{path.stem}_{key}.html")
        single.write_text(only, encoding="utf-8")
        shot = ARTIFACTS / f"{key}.png"
        shot.unlink(missing_ok=True)
        done = subprocess.run(base + profile + ["--window-size=1150,1000", f"--screenshot={shot}", single.as_uri()],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
        assert shot.stat().st_size > 30_000, key  # a rendered section, not a blank page
        assert _console(done.stderr) == [], key
    pdf = ARTIFACTS / "sop_pack.pdf"
    pdf.unlink(missing_ok=True)
    done = subprocess.run(base + profile + ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", path.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    pages = _pdf_pages(pdf)
    assert 4 <= pages <= 6, pages
    sizes = _pdf_page_sizes(pdf)
    assert all(width > height for width, height in sizes)  # landscape


def _pdf_pages(pdf: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:  # count the page objects
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    return len(PdfReader(str(pdf)).pages)


def _pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(str(pdf)).pages]


def test_the_pack_exposure_lists_exactly_the_marts_the_pack_reads(planted_build):
    """The docs lineage ends at the pack: its exposure depends on every mart pack.py reads,
    and on nothing it does not."""
    import json

    import sop_analytics.pack as pack_module

    run, _ = planted_build
    manifest = json.loads((run.database.parent / "target" / "manifest.json").read_text())
    exposure = manifest["exposures"]["exposure.sop.sop_pack"]
    listed = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    read = set(re.findall(r"marts\.(\w+)", Path(pack_module.__file__).read_text(encoding="utf-8")))
    assert read and listed == read
