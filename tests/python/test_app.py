"""The planner's workbench (src/sop_analytics/app): every page renders on a replayed demo
build, decisions are written back through the landing contract and applied by the next
build, bad input is refused, a real headless Chromium decides a proposal by clicking, and a
build runs while the app is open.

One session-scoped build: the demo company at its default size (the small one raises no
proposal: its families are too noisy for a miss to be beyond noise), three cycles replayed
by the scripted planner up to the cycle three periods after the planted level shift starts
(its proposals have three published lag-1 misses to go on); the app reads its published
build. The decisions the tests take are "five days into" that cycle (SOP_APP_CLOCK=cycle),
so the next cycle's build applies them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import ROOT, generate_demo, plant
from app_publish import ensure_published, publish_scratch_build

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from sop_analytics.app import data  # noqa: E402
from sop_analytics.app.decisions import next_leadership_decision_id  # noqa: E402
from sop_analytics.cycles import previous_cycles  # noqa: E402
from sop_analytics.contract import columns  # noqa: E402

DECISION_COLUMNS = columns("plan/decisions")

pytestmark = pytest.mark.dbt

APP = ROOT / "src" / "sop_analytics" / "app" / "streamlit_app.py"
ARTIFACTS = ROOT / "build" / "test-artifacts" / "app"
PREVIOUS = 3


def _shift(cycle: str, n: int) -> str:
    """The period ``n`` after ``cycle`` (YYYY-PP, 12 a year)."""
    year, period = (int(p) for p in cycle.split("-"))
    y, p = divmod(year * 12 + period - 1 + n, 12)
    return f"{y:04d}-{p + 1:02d}"


class Workbench:
    """The scratch build the app reads, and how to build again."""

    def __init__(self, root: Path, landing: Path, cycle: str):
        self.root, self.landing, self.cycle = root, landing, cycle
        self.database = root / "sop.duckdb"
        self.published = root / "published"
        self.env = {"SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(self.database),
                    "SOP_PARQUET_DIR": str(root / "parquet"), "SOP_PUBLISH_DIR": str(self.published),
                    "DBT_TARGET_PATH": str(root / "target"), "DBT_LOG_PATH": str(root / "logs"),
                    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}

    @property
    def decisions(self) -> Path:
        return self.landing / "plan" / "decisions.csv"

    def publish_if_needed(self) -> str:
        # Only when the build did not publish (the build-then-publish writer is not merged yet).
        return ensure_published(self.database, self.published)

    def build(self, cycle: str) -> subprocess.CompletedProcess:
        command = [str(Path(sys.executable).parent / "dbt"), "build", "--vars", json.dumps({"cycle": cycle}),
                   "--profiles-dir", str(ROOT), "--project-dir", str(ROOT)]
        return subprocess.run(command, cwd=ROOT, env={**os.environ, **self.env}, capture_output=True, text=True,
                              timeout=1800)

    def app_env(self) -> dict[str, str]:
        return {"SOP_PUBLISH_DIR": str(self.published), "SOP_LANDING_DIR": str(self.landing),
                "SOP_APP_CLOCK": "cycle", "SOP_APP_USER": ""}


@pytest.fixture(scope="session")
def workbench(tmp_path_factory) -> Workbench:
    out = tmp_path_factory.mktemp("app_demo")
    manifest = generate_demo(out, "planted")
    cycle = _shift(plant(manifest, "level_shift")["start_period"], 3)
    wb = Workbench(tmp_path_factory.mktemp("app_build"), out / "landing", cycle)
    command = [sys.executable, "-m", "sop_analytics.cycles", "--previous", str(PREVIOUS), "--project-dir", str(ROOT),
               "--scripted-planner", "--vars", json.dumps({"cycle": cycle})]
    done = subprocess.run(command, cwd=ROOT, env={**os.environ, **wb.env}, capture_output=True, text=True,
                          timeout=3600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]
    wb.publish_if_needed()
    return wb


@contextmanager
def _env(values: dict[str, str]):
    with pytest.MonkeyPatch.context() as mp:
        for k, v in values.items():
            mp.setenv(k, v)
        yield


def _app(wb: Workbench, page: str = "Proposals") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    if page != "Proposals":
        at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _queue(wb: Workbench) -> pd.DataFrame:
    pub = data.Published.open(wb.published)
    try:
        return data.proposal_queue(pub, [], wb.cycle)
    finally:
        pub.close()


def _decide(at: AppTest, proposal_id: str, decision: str, rationale: str, by: str,
            quantity: float | None = None) -> AppTest:
    at.selectbox(key="proposal").set_value(proposal_id).run()
    at.radio(key="decision").set_value(decision)
    at.number_input(key="adjusted_quantity").set_value(quantity)
    at.text_area(key="rationale").input(rationale)
    at.text_input(key="decided_by").input(by)
    [submit] = [b for b in at.button if b.label == "Record decision"]
    submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def test_the_demo_build_has_proposals_in_its_cycle(workbench):
    queue = _queue(workbench)
    assert len(queue) >= 5, f"{len(queue)} proposals in {workbench.cycle}: the tests need five"
    assert (queue["cycle"] == workbench.cycle).all()


def test_every_page_renders_on_the_demo(workbench):
    build_id = (workbench.published / "CURRENT").read_text().strip()
    queue = _queue(workbench)
    with _env(workbench.app_env()):
        at = _app(workbench)
        caption = " ".join(c.value for c in at.caption)
        assert build_id in caption and workbench.cycle in caption  # which build and cycle it reads
        assert at.header[0].value == "Proposals queue"
        listed = at.dataframe[0].value
        assert list(listed["proposal_id"]) == list(queue["proposal_id"])
        assert _charts(at) == 1  # the evidence chart of the selected proposal
        assert at.selectbox(key="proposal").value == queue["proposal_id"].iloc[0]

        at = _app(workbench, "Drill-down")
        assert _charts(at) >= 1 and len(at.dataframe) >= 2  # company
        family = at.selectbox(key="family").options[1]
        at.selectbox(key="family").set_value(family).run()
        assert not at.exception and _charts(at) >= 1
        assert any("selected" in (s.value or "").lower() or "method" in (s.value or "").lower() for s in at.subheader)
        sku = at.selectbox(key="sku").options[1]
        at.selectbox(key="sku").set_value(sku).run()
        assert not at.exception and _charts(at) >= 1
        text = " ".join(m.value for m in at.markdown)
        assert sku in text and "demand class" in text and "method" in text
        candidates = [d.value for d in at.dataframe if "candidate" in d.value.columns]
        assert candidates and candidates[0]["is_selected"].sum() >= 1 and candidates[0]["score"].notna().any()

        at = _app(workbench, "Reconciliation")
        assert [s.value for s in at.subheader] == ["Open variances by cause", "The three numbers, per family"]
        by_cause = at.dataframe[0].value
        assert by_cause["n_variances"].sum() > 0
        with_evidence = by_cause[by_cause["evidence_rows"] > 0]["cause"].iloc[0]
        at.selectbox(key="cause").set_value(with_evidence).run()
        evidence = [d.value for d in at.dataframe if "landing_row" in d.value.columns]
        pub_variances = data.Published.open(workbench.published).frame(
            "fct_reconciliation_variances", "variance_id = ?", [at.selectbox(key="variance").value])
        assert evidence and len(evidence[0]) == pub_variances["evidence_rows"].iloc[0] > 0  # its evidence rows
        assert set(evidence[0]["variance_id"]) == set(pub_variances["variance_id"])
        three = [d.value for d in at.dataframe if "sales_units" in d.value.columns]
        assert three and three[0]["master_family"].nunique() == 1 and _charts(at) == 1

        at = _app(workbench, "Leadership")
        headings = [s.value for s in at.subheader]
        assert "Record a leadership decision" in headings
        assert any(h.startswith("Decisions needed") or h.startswith("Material risks") for h in headings)


def test_the_app_exposure_lists_the_marts_the_app_reads(workbench, monkeypatch):
    """The docs lineage ends at the app: its exposure depends on exactly the marts it reads
    (every page visited, recorded)."""
    spec = yaml.safe_load((ROOT / "models" / "marts" / "workbench" / "_workbench__exposures.yml").read_text())
    [exposure] = [e for e in spec["exposures"] if e["name"] == "planners_workbench"]
    listed = {ref.split("'")[1] for ref in exposure["depends_on"]}
    assert listed == set(data.MARTS_READ)
    read: set[str] = set()
    original = data.Published.relation_sql
    monkeypatch.setattr(data.Published, "relation_sql", lambda self, mart: read.add(mart) or original(self, mart))
    with _env(workbench.app_env()):
        at = _app(workbench)
        for page in ("Drill-down", "Reconciliation", "Leadership"):
            at = _app(workbench, page)
            if page == "Drill-down":
                at.selectbox(key="family").set_value(at.selectbox(key="family").options[1]).run()
                at.selectbox(key="sku").set_value(at.selectbox(key="sku").options[1]).run()
    assert read - set(data.OPTIONAL_MARTS_READ) == set(data.MARTS_READ)


def test_bad_input_is_refused_on_the_page(workbench):
    queue = _queue(workbench)
    pid = queue["proposal_id"].iloc[1]
    before = workbench.decisions.read_bytes()
    with _env(workbench.app_env()):
        at = _app(workbench)
        cases = [("modify", "take a bit less", "Pat Planner", None, "a modify needs the adjusted quantity"),
                 ("accept", "   ", "Pat Planner", None, "the rationale is empty"),
                 ("reject", "not convinced", "", None, "say who decides"),
                 ("accept", "looks right", "Pat Planner", 10.0, "only for a modify")]
        for decision, rationale, by, quantity, message in cases:
            at = _decide(at, pid, decision, rationale, by, quantity)
            errors = " ".join(e.value for e in at.error)
            assert message in errors, (decision, errors)
            assert not at.success
            assert workbench.decisions.read_bytes() == before  # nothing written


@pytest.fixture(scope="session")
def decided(workbench) -> dict:
    """An accept, a reject and a modify taken in the app on three proposals of the cycle."""
    queue = _queue(workbench).set_index("proposal_id")
    ids = list(queue.index)
    before = workbench.decisions.read_bytes()
    plan = {ids[1]: ("accept", None), ids[2]: ("reject", None),
            ids[3]: ("modify", round(float(queue.loc[ids[3], "baseline_level_units"]) * 1.05 + 0.25, 2))}
    with _env(workbench.app_env()):
        at = _app(workbench)
        for pid, (decision, quantity) in plan.items():
            at = _decide(at, pid, decision, f"{decision} {pid}: checked the evidence, \"quoted\", with a comma",
                         "Pat Planner", quantity)
            assert not at.error, [e.value for e in at.error]
            assert f"Recorded {decision} on {pid}" in at.success[0].value
    return {"before": before, "plan": plan, "queue": queue}


def test_accept_reject_modify_are_written_as_the_contract_says(workbench, decided):
    raw = workbench.decisions.read_bytes()
    assert raw.startswith(decided["before"])  # earlier rows kept byte for byte
    header = raw.decode().splitlines()[0].split(",")
    assert header == DECISION_COLUMNS  # the contract's columns
    rows = {r["proposal_id"]: r for r in _rows(workbench.decisions)}
    start = pd.Timestamp(data.Published.open(workbench.published).cycle_start())
    next_start = start + pd.Timedelta(days=28)
    for pid, (decision, quantity) in decided["plan"].items():
        row = rows[pid]
        assert row["decision"] == decision
        if quantity is None:
            assert row["adjusted_quantity"] == ""
        else:  # a plain decimal, as the contract's num type reads it
            assert re.fullmatch(r"\d+(\.\d+)?", row["adjusted_quantity"]) and float(row["adjusted_quantity"]) == quantity
        assert row["rationale"] == f"{decision} {pid}: checked the evidence, \"quoted\", with a comma"
        assert row["decided_by"] == "Pat Planner"
        at = datetime.strptime(row["decided_at"], "%Y-%m-%dT%H:%M:%S")  # ISO 8601 timestamp
        assert start <= pd.Timestamp(at) < next_start  # inside the cycle (SOP_APP_CLOCK=cycle)
    # exactly one new line per decision, nothing else changed
    new = raw[len(decided["before"]):].decode()
    assert len(new.splitlines()) == len(decided["plan"])
    assert list(csv.reader(io.StringIO(new)))[0][0] in decided["plan"]


def test_two_decisions_in_a_row_both_land(workbench):
    queue = _queue(workbench)
    pid = queue["proposal_id"].iloc[4]
    n_before = len(_rows(workbench.decisions))
    with _env(workbench.app_env()):
        at = _app(workbench)
        at = _decide(at, pid, "reject", "first look: wait a period", "Pat Planner")
        at = _decide(at, pid, "accept", "second look: the shift holds", "Sam Lead")
    rows = _rows(workbench.decisions)
    assert len(rows) == n_before + 2
    first, second = [r for r in rows if r["proposal_id"] == pid][-2:]
    assert (first["decision"], second["decision"]) == ("reject", "accept")
    assert second["decided_at"] > first["decided_at"]  # the later one is the one that counts


def test_leadership_decision_is_appended_with_owner_and_due_date(workbench):
    path = workbench.landing / "plan" / "leadership_decisions.csv"
    before = path.read_bytes()
    with _env(workbench.app_env()):
        at = _app(workbench, "Leadership")
        submit = [b for b in at.button if b.label == "Record leadership decision"][0]
        at.text_area(key="ld_decision").input("expedite and allocate")
        submit.click().run()  # no owner, no due date: refused
        assert "name the owner" in at.error[0].value and "give a due date" in at.error[0].value
        assert path.read_bytes() == before
        start = data.Published.open(workbench.published).cycle_start().date()
        expected_id = next_leadership_decision_id(workbench.landing, workbench.cycle)
        at.text_input(key="ld_owner").input("Supply Planning Lead")
        at.date_input(key="ld_due").set_value(start + pd.Timedelta(days=21))
        [b for b in at.button if b.label == "Record leadership decision"][0].click().run()
        assert not at.error, [e.value for e in at.error]
    raw = path.read_bytes()
    assert raw.startswith(before)
    row = _rows(path)[-1]
    assert row["decision_id"] == expected_id and expected_id.encode() not in before  # a new id
    assert (row["cycle"], row["owner"], row["status"]) == (workbench.cycle, "Supply Planning Lead", "open")
    assert row["due_date"] == (start + pd.Timedelta(days=21)).isoformat()
    assert row["topic"] == at.selectbox(key="ld_topic").options[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(workbench):
    """The app served by ``streamlit run`` on 127.0.0.1 (stopped in teardown)."""
    port = _free_port()
    log = (workbench.root / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **workbench.app_env()}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"streamlit did not start: {(workbench.root / 'streamlit.log').read_text()[-3000:]}")
        time.sleep(0.5)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
    log.close()


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip("chromium or chromedriver is not installed (scripts/setup.sh installs Debian's chromium and "
                    "chromium-driver when it runs as root)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1400,2200"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    return driver


def test_a_proposal_decided_by_clicking_in_headless_chromium(workbench, app_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pid = _queue(workbench)["proposal_id"].iloc[0]  # the one the page selects first
    n_before = len(_rows(workbench.decisions))
    driver = _browser()
    try:
        wait = WebDriverWait(driver, 90)
        driver.get(app_server)
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(), 'Proposals queue')]")))
        wait.until(ec.presence_of_element_located((By.XPATH, "//textarea[@aria-label='Rationale']")))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] canvas, "
                                                                    "[data-testid='stVegaLiteChart'] svg")))
        driver.save_screenshot(str(ARTIFACTS / "01_proposals.png"))
        driver.find_element(By.XPATH, "//div[@data-testid='stRadio']//label[.//p[text()='reject']]").click()
        driver.find_element(By.XPATH, "//textarea[@aria-label='Rationale']").send_keys(
            "clicked in the browser: two periods are not enough")
        driver.find_element(By.XPATH, "//input[@aria-label='Decided by']").send_keys("Browser Planner")
        driver.save_screenshot(str(ARTIFACTS / "02_filled.png"))
        driver.find_element(By.XPATH, "//button[.//p[text()='Record decision']]").click()
        wait.until(ec.presence_of_element_located((By.XPATH, f"//*[contains(text(), 'Recorded reject on {pid}')]")))
        driver.save_screenshot(str(ARTIFACTS / "03_recorded.png"))
        driver.find_element(By.XPATH, "//section[@data-testid='stSidebar']//label[.//p[text()='Drill-down']]").click()
        wait.until(ec.presence_of_element_located((By.XPATH, "//*[contains(text(), 'Drill-down: company')]")))
        # the rerun has finished when the proposals page's elements are gone and the chart is drawn
        wait.until(lambda d: not d.find_elements(By.XPATH, "//button[.//p[text()='Record decision']]"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='stVegaLiteChart'] canvas, "
                                                                    "[data-testid='stVegaLiteChart'] svg")))
        driver.execute_script("window.scrollTo(0, 0); const m = document.querySelector('[data-testid=stMain]');"
                              " if (m) { m.scrollTo(0, 0); }")
        time.sleep(6)  # let the chart finish drawing before the picture (not a timing assertion)
        driver.save_screenshot(str(ARTIFACTS / "04_drilldown.png"))
        browser_log = driver.get_log("browser") if hasattr(driver, "get_log") else []
    finally:
        driver.quit()
    rows = _rows(workbench.decisions)
    assert len(rows) == n_before + 1
    assert rows[-1]["proposal_id"] == pid and rows[-1]["decision"] == "reject"
    assert rows[-1]["decided_by"] == "Browser Planner"
    assert rows[-1]["rationale"] == "clicked in the browser: two periods are not enough"
    assert not [e for e in browser_log if e.get("level") == "SEVERE"], browser_log


def test_the_next_build_applies_the_decisions_while_the_app_is_open(workbench, decided, app_server):
    """The next cycle's build runs while the app is open (a session holding the page) and
    succeeds; its consensus plan applies the latest decision on each proposal: accept and
    modify scale the baseline, reject leaves it."""
    next_cycle = _shift(workbench.cycle, 1)
    current_before = (workbench.published / "CURRENT").read_text()
    with urllib.request.urlopen(app_server, timeout=30) as r:
        assert r.status == 200
    with _env(workbench.app_env()):
        at = _app(workbench, "Drill-down")  # a reader inside the published build while dbt builds
        done = workbench.build(next_cycle)
        at.selectbox(key="family").set_value(at.selectbox(key="family").options[1]).run()
        assert not at.exception
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]
    with urllib.request.urlopen(f"{app_server}/_stcore/health", timeout=30) as r:
        assert r.status == 200

    import duckdb
    con = duckdb.connect(str(workbench.database), read_only=True)
    try:
        consensus = con.sql(f"select master_sku, min(adjustment_factor) as f, max(adjustment_factor) as f2, "
                            f"any_value(decision) as decision, any_value(proposal_id) as proposal_id "
                            f"from marts.fct_consensus_plan where cycle = '{next_cycle}' group by master_sku").df()
    finally:
        con.close()
    consensus = consensus.set_index("master_sku")
    landed = pd.DataFrame(_rows(workbench.decisions))
    latest = landed.sort_values("decided_at").drop_duplicates("proposal_id", keep="last").set_index("proposal_id")
    queue = decided["queue"]
    checked = 0
    for pid, proposal in queue.iterrows():
        row = consensus.loc[proposal["master_sku"]]
        assert row["f"] == row["f2"]  # one factor per SKU over the horizon
        if pid not in latest.index:
            assert row["f"] == 1.0 and pd.isna(row["decision"])
            continue
        decision = latest.loc[pid]
        expected = {"accept": proposal["proposed_level_units"] / proposal["baseline_level_units"],
                    "reject": 1.0,
                    "modify": float(decision["adjusted_quantity"] or "nan") / proposal["baseline_level_units"]
                    }[decision["decision"]]
        assert (row["proposal_id"], row["decision"]) == (pid, decision["decision"])
        assert row["f"] == pytest.approx(expected, rel=1e-9)
        checked += 1
    assert checked >= 3
    for pid, (kind, _) in decided["plan"].items():  # the three the app took, as it took them
        assert latest.loc[pid, "decision"] == kind

    # the app moves to the new build once it is published (and shows it)
    if (workbench.published / "CURRENT").read_text() == current_before:
        # only because the build did not publish (the build-then-publish writer is not merged yet)
        publish_scratch_build(workbench.database, workbench.published)
    with _env(workbench.app_env()):
        at = _app(workbench)
        assert next_cycle in " ".join(c.value for c in at.caption)
