"""The project keeps its own documentation and testing rules (conventions.md): every model
is described and has a primary-key test, every source column is described, every mart
has an enforced contract. dbt ignores misspelled YAML keys silently; this reads what dbt
actually parsed (target/manifest.json)."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_dbt

PRIMARY_KEY_TESTS = {"unique", "unique_combination"}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("parse")
    run = run_dbt(ROOT / "data" / "nowhere", tmp, "parse")
    assert run.returncode == 0, run.output[-3000:]
    return json.loads((tmp / "target" / "manifest.json").read_text())


def models(manifest: dict) -> list[dict]:
    return [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]


def test_every_model_is_described(manifest):
    missing = [m["name"] for m in models(manifest) if not m["description"].strip()]
    assert missing == []


def test_every_model_has_a_primary_key_test(manifest):
    tested = {
        dep
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("test_metadata", {}).get("name") in PRIMARY_KEY_TESTS
        for dep in node["depends_on"]["nodes"]
    }
    untested = [m["name"] for m in models(manifest)
                if m["unique_id"] not in tested and m["language"] == "sql"]
    assert untested == []


def test_every_source_column_is_described(manifest):
    bare = [f"{s['source_name']}.{s['name']}.{c}" for s in manifest["sources"].values()
            for c, col in s["columns"].items() if not col["description"].strip()]
    assert bare == []


def test_every_landing_source_has_its_contract_types(manifest):
    landing = [s for s in manifest["sources"].values() if s["schema"] == "landing" and s["source_name"] != "landing"]
    assert len(landing) == 19
    for source in landing:
        for name, column in source["columns"].items():
            assert column["data_type"], (source["name"], name)


def test_every_sql_mart_has_an_enforced_contract(manifest):
    marts = [m for m in models(manifest) if "/marts/" in m["original_file_path"].replace("\\", "/")
             and m["language"] == "sql"]
    assert marts
    assert [m["name"] for m in marts if not m["config"]["contract"]["enforced"]] == []


def test_every_checked_entity_has_a_row_accounting_test(manifest):
    accounted = {
        node["test_metadata"]["kwargs"]["entity"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("test_metadata", {}).get("name") == "rows_accounted_for"
    }
    landing = {s["name"] for s in manifest["sources"].values() if s["schema"] == "landing" and s["source_name"] != "landing"}
    assert accounted == landing


def test_every_mart_column_is_described(manifest):
    """dbt docs is the data dictionary: every column of every mart says what it holds."""
    marts = [m for m in models(manifest) if "/marts/" in m["original_file_path"].replace("\\", "/")]
    assert marts and all(m["columns"] for m in marts), [m["name"] for m in marts if not m["columns"]]
    bare = [f"{m['name']}.{c}" for m in marts for c, col in m["columns"].items() if not col["description"].strip()]
    assert bare == []


def test_every_semantic_model_measure_and_metric_is_described(manifest):
    semantic = list(manifest["semantic_models"].values())
    assert len(semantic) >= 5
    bare = [s["name"] for s in semantic if not (s.get("description") or "").strip()]
    bare += [f"{s['name']}.{m['name']}" for s in semantic for m in s["measures"]
             if not (m.get("description") or "").strip()]
    bare += [m["name"] for m in manifest["metrics"].values() if not (m.get("description") or "").strip()]
    assert bare == []
    # each semantic model reads a mart, so the layer and the marts cannot drift apart
    for s in semantic:
        [node] = s["depends_on"]["nodes"]
        assert "/marts/" in manifest["nodes"][node]["original_file_path"].replace("\\", "/"), s["name"]
