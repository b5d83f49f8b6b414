"""The landing contract is read from the staging sources YAML (sop_analytics.contract), the
one place dbt reads it too: a column added there reaches the demo writer's columns, and a
bad contract type is named with its file and column."""

from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import ROOT
from sop_analytics import contract


def _project(tmp_path):
    shutil.copytree(ROOT / "models" / "staging", tmp_path / "models" / "staging")
    return tmp_path


def _edit_items(project, change) -> None:
    path = project / "models" / "staging" / "erp" / "_erp__sources.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    [items] = [t for s in doc["sources"] for t in s["tables"] if t["name"] == "items"]
    change(items)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def test_entities_and_keys_come_from_the_yaml() -> None:
    entities = contract.entities()
    assert entities["erp/items"].required and not entities["crm/orders"].required
    assert entities["crm/orders"].primary_key == ("order_id", "line_no")
    assert "_landing_row" not in entities["crm/orders"].column_names
    assert contract.entity("crm/customers").columns[-1] == contract.Column("priority", "int", True, 1)
    assert {e.system for e in entities.values()} == {"crm", "erp", "gl", "master", "plan"}


def test_a_column_added_to_the_yaml_is_in_the_contract(tmp_path) -> None:
    project = _project(tmp_path)
    _edit_items(project, lambda t: t["columns"].insert(
        3, {"name": "abc_class", "data_type": "varchar", "meta": {"contract_type": "str", "optional_column": True}}))
    columns = contract.columns("erp/items", project)
    assert columns[3] == "abc_class" and columns[:3] == contract.columns("erp/items")[:3]
    assert len(columns) == len(contract.columns("erp/items")) + 1


def test_an_unknown_contract_type_is_named(tmp_path) -> None:
    project = _project(tmp_path)
    _edit_items(project, lambda t: t["columns"][0]["meta"].update(contract_type="money"))
    with pytest.raises(ValueError, match=r"_erp__sources.yml: erp.items.erp_item: contract_type 'money'"):
        contract.entities(project)


def test_an_unknown_entity_is_named() -> None:
    with pytest.raises(KeyError, match="'erp/bom' is not an entity of the landing contract"):
        contract.entity("erp/bom")
