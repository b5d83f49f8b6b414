"""The S&OP pack of a demo cycle: self-contained, every figure equal to its mart, and
rendered by a real headless Chromium with no console errors (a screenshot per section is
kept in build/test-artifacts/pack/)."""

from __future__ import annotations

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


class _Figures(HTMLParser):
    """Collects chart marks (data-chart > data-category/series/value) and table row counts."""

    def __init__(self) -> None:
        super().__init__()
        self.chart, self.table, self.sections = None, None, []
        self.marks: list[tuple[str, str, str, float]] = []
        self.bands: list[tuple[str, str, str, float, float]] = []
        self.rows: dict[str, int] = {}
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id"))
        if "data-chart" in a:
            self.chart = a["data-chart"]
        if "data-table" in a:
            self.table = a["data-table"]
            self.rows[self.table] = 0
        if tag == "tr" and self.table and self.rows is not None:
            self.rows[self.table] += 1
        if "data-value" in a:
            self.marks.append((self.chart, a["data-category"], a["data-series"], float(a["data-value"])))
        if "data-lo" in a:
            self.bands.append((self.chart, a["data-category"], a["data-series"], float(a["data-lo"]),
                               float(a["data-hi"])))
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#"):
                self.external.append(a[key])
        if tag == "script":
            self.external.append("script")

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None


@pytest.fixture(scope="module")
def pack(planted_build, tmp_path_factory):
    run, _ = planted_build
    path = build_pack(run.database, tmp_path_factory.mktemp("pack"))
    parser = _Figures()
    parser.feed(path.read_text(encoding="utf-8"))
    return run, path, parser



def test_pack_is_self_contained_with_every_section(pack):
    _, path, parsed = pack
    assert parsed.sections == [key for key, _ in SECTIONS]
    assert parsed.external == []  # no script, no external file: opens offline


def test_pack_figures_equal_the_marts(pack):
    run, _, parsed = pack
    marks = pd.DataFrame(parsed.marks, columns=["chart", "category", "series", "value"])
    acc = run.frame("select master_family, number_source, wape from marts.rpt_accuracy_by_number where lag = 1 "
                     "and granularity = 'sku' and number_source in ('statistical_baseline', 'consensus', 'sales', "
                     "'operations')")
    shown = marks[marks["chart"] == "accuracy"].merge(
        acc, left_on=["category", "series"], right_on=["master_family", "number_source"])
    assert len(shown) == len(acc) > 20
    assert (shown["value"] - shown["wape"]).abs().max() < 1e-12
    util = run.frame("select resource_id, period_id, utilization from marts.fct_capacity_load")
    shown = marks[marks["chart"] == "capacity"].merge(
        util, left_on=["series", "category"], right_on=["resource_id", "period_id"])
    assert len(shown) == len(util) and (shown["value"] - shown["utilization"]).abs().max() < 1e-12
    misses = run.frame("select period_id, sum(forecast_error_units)::double as fe from "
                        "marts.fct_plan_miss_decomposition where lag = 1 group by 1")
    shown = marks[(marks["chart"] == "misses") & (marks["series"] == "forecast_error")].merge(
        misses, left_on="category", right_on="period_id")
    assert len(shown) == len(misses) and (shown["value"] - shown["fe"]).abs().max() < 1e-6
    [(n_risks,)] = run.query("select count(*) from marts.rpt_risk_register where status = 'open'")
    assert parsed.rows["rpt_risk_register"] == n_risks + 1  # + header row
    [(n_decisions,)] = run.query("select count(*) from marts.fct_leadership_decisions")
    assert parsed.rows["fct_leadership_decisions"] == n_decisions + 1
    assert marks[marks["chart"].str.startswith("demand:")]["chart"].nunique() >= 8


def test_pack_demand_charts_show_the_family_plan_and_its_intervals(pack):
    run, _, parsed = pack
    marks = pd.DataFrame(parsed.marks, columns=["chart", "category", "series", "value"])
    bands = pd.DataFrame(parsed.bands, columns=["chart", "category", "series", "lo", "hi"])
    plan = run.frame("select 'demand:' || master_family as chart, period_id, row_kind, demand_units, "
                      "consensus_units, lo_80, hi_80, lo_95, hi_95 from marts.rpt_family_demand_plan")
    for series, column, kind in (("demand", "demand_units", "history"), ("consensus plan", "consensus_units", "plan")):
        shown = marks[marks["series"] == series].merge(plan, left_on=["chart", "category"],
                                                       right_on=["chart", "period_id"])
        assert len(shown) == (plan["row_kind"] == kind).sum() > 0, series
        assert (shown["value"] - shown[column]).abs().max() < 1e-9, series
    for series, lo, hi in (("95% interval", "lo_95", "hi_95"), ("80% interval", "lo_80", "hi_80")):
        shown = bands[bands["series"] == series].merge(plan, left_on=["chart", "category"],
                                                       right_on=["chart", "period_id"])
        assert len(shown) == (plan["row_kind"] == "plan").sum(), series
        assert (shown["lo"] - shown[lo]).abs().max() < 1e-9 and (shown["hi"] - shown[hi]).abs().max() < 1e-9


def test_pack_renders_in_headless_chromium(pack):
    _, path, parsed = pack
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs Debian's package when it runs as root)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = path.read_text(encoding="utf-8")
    base = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run(base + ["--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for key, _ in SECTIONS:
        assert f'id="{key}"' in dom.stdout
    assert dom.stdout.count("<svg") >= 12
    console = [line for line in dom.stderr.splitlines() if re.search(r"CONSOLE|Uncaught", line)]
    assert console == []
    for key, _ in SECTIONS:
        # the same page with only this section shown, so the screenshot is the section
        only = page.replace("</style>", f"section{{display:none}}#{key}{{display:block}}</style>")
        single = path.with_name(f"{path.stem}_{key}.html")
        single.write_text(only, encoding="utf-8")
        shot = ARTIFACTS / f"{key}.png"
        shot.unlink(missing_ok=True)
        done = subprocess.run(base + ["--window-size=1000,1200", f"--screenshot={shot}", single.as_uri()],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
        assert shot.stat().st_size > 15_000, key  # a rendered section, not a blank page
        console = [line for line in done.stderr.splitlines() if re.search(r"CONSOLE|Uncaught", line)]
        assert console == [], key


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
