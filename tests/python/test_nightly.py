"""The nightly build (``python -m sop_analytics.nightly``): skipped only when nothing a build
reads has changed since the published build, and built again as soon as anything has (a
landing file's content, a model, a setting, another dbt command into the work database)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, project_copy
from sop_analytics.nightly import INPUTS_FILE, build_inputs, changed_inputs
from sop_analytics.published import current


def _env(work: Path, landing: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOP_", "DBT_"))}
    return {**env, "SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(work / "sop.duckdb"),
            "SOP_PUBLISH_DIR": str(work / "published"), "DBT_TARGET_PATH": str(work / "target"),
            "DBT_LOG_PATH": str(work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def _landing(folder: Path) -> Path:
    (folder / "erp").mkdir(parents=True)
    (folder / "erp" / "items.csv").write_text("item_code,description\nA-1,first\n", encoding="utf-8")
    (folder / "crm").mkdir()
    (folder / "crm" / "orders.csv").write_text("order_id,item_code\n1,A-1\n", encoding="utf-8")
    return folder


def test_the_inputs_change_with_content_settings_and_code_only(tmp_path):
    project = project_copy(tmp_path / "project")
    landing = _landing(tmp_path / "landing")
    env = _env(tmp_path / "work", landing)
    first = build_inputs(project, env)
    assert changed_inputs(first, build_inputs(project, env)) == []

    items = landing / "erp" / "items.csv"
    os.utime(items, (1_000_000_000, 1_000_000_000))  # touched, same bytes
    assert changed_inputs(first, build_inputs(project, env)) == []

    items.write_text("item_code,description\nA-1,First\n", encoding="utf-8")
    assert changed_inputs(first, build_inputs(project, env)) == ["landing: erp/items.csv changed"]
    items.write_text("item_code,description\nA-1,first\n", encoding="utf-8")
    (landing / "plan").mkdir()
    (landing / "plan" / "decisions.csv").write_text("proposal_id,decision\n", encoding="utf-8")
    assert changed_inputs(first, build_inputs(project, env)) == ["landing: plan/decisions.csv added"]
    (landing / "plan" / "decisions.csv").unlink()

    assert changed_inputs(first, build_inputs(project, {**env, "SOP_CYCLE": "2026-03"})) == [
        "environment: SOP_CYCLE None -> '2026-03'"]
    assert changed_inputs(first, build_inputs(project, env, ["--vars", "{publish_keep: 5}"])) == [
        "dbt_args: [] -> ['--vars', '{publish_keep: 5}']"]

    model = project / "models" / "marts" / "core" / "dim_skus.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert changed_inputs(first, build_inputs(project, env)) == ["project: models/marts/core/dim_skus.sql changed"]
    (project / "tests" / "python").mkdir(parents=True, exist_ok=True)
    (project / "tests" / "python" / "test_x.py").write_text("x = 1\n", encoding="utf-8")  # pytest: not read by dbt
    assert changed_inputs(first, build_inputs(project, env)) == ["project: models/marts/core/dim_skus.sql changed"]


def _nightly(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sop_analytics.nightly", "--project-dir", str(ROOT), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.dbt
def test_an_unchanged_nightly_build_is_skipped_and_a_changed_one_is_not(tmp_path):
    from sop_analytics.demo import generate

    generate(tmp_path / "demo", seed=5, variant="clean", n_skus=40, n_customers=20)
    landing = tmp_path / "demo" / "landing"
    work = tmp_path / "work"
    env = _env(work, landing)

    built = _nightly(env)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "nothing published yet" in built.stdout and "Published" in built.stdout
    first = current(work / "published")
    assert (first.folder / INPUTS_FILE).is_file()

    database = work / "sop.duckdb"
    before = _sha(database)
    again = _nightly(env)
    assert again.returncode == 0, again.stdout[-3000:]
    assert f"nothing changed since published build {first.build_id}" in again.stdout
    assert "Running with dbt" not in again.stdout
    assert current(work / "published").build_id == first.build_id and _sha(database) == before

    # dbt docs generate (the demo runs it after the build) builds nothing: still current
    docs = subprocess.run([str(Path(sys.executable).parent / "dbt"), "docs", "generate", "--profiles-dir", str(ROOT),
                           "--project-dir", str(ROOT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert docs.returncode == 0, docs.stdout[-3000:]
    assert "nothing changed" in _nightly(env, "--explain").stdout

    # a landing file edited and put back: built only while it differs (content, not time)
    items = landing / "erp" / "items.csv"
    original = items.read_bytes()
    items.write_bytes(original.replace(b"\n", b"\r\n", 1) if b"\r\n" not in original else original + b"\n")
    explained = _nightly(env, "--explain")
    assert "a build is needed" in explained.stdout and "landing: erp/items.csv changed" in explained.stdout
    items.write_bytes(original)
    assert "nothing changed" in _nightly(env, "--explain").stdout

    # another dbt command into the work database (a selective run publishes nothing): build again
    other = subprocess.run([str(Path(sys.executable).parent / "dbt"), "run", "--select", "stg_erp__items",
                            "--profiles-dir", str(ROOT), "--project-dir", str(ROOT)], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=900)
    assert other.returncode == 0, other.stdout[-3000:]
    explained = _nightly(env, "--explain")
    assert "was written by another dbt command" in explained.stdout
    assert current(work / "published").build_id == first.build_id
