"""Demo company generator and car parts mapper: determinism, contract shape, reconciliation.

Runs the small size (40 SKUs, 20 customers) so the whole file takes seconds and needs no dbt.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

try:
    import sop_analytics  # noqa: F401
except ImportError:  # running without an install: use the src/ layout directly
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from sop_analytics.carparts import map_carparts
from sop_analytics.demo import CONTRACT, contract_columns, generate, normalize_code

SMALL = {"n_skus": 40, "n_customers": 20}
EXTRACT_DATE = "2026-10-31"
PLANT_TYPES = ["unmapped_code", "duplicate_shipment_line", "missing_gl_posting", "gl_cutoff", "uom_mixup",
               "supplier_delay", "customer_mix_shift", "level_shift", "capacity_overload", "late_supplier"]
SUPPLY_SIDE_PLANTS = {"capacity_overload", "late_supplier"}  # no demand or money moved: risks for the plan
UNCHANGED_BY_PLANTS = ["crm/customers", "crm/promotions", "erp/items", "erp/resources", "erp/routings",
                       "gl/budget", "master/sku_crosswalk", "master/fiscal_calendar"]
NUMERIC_KINDS = ("int", "num")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    generate(out, seed=42, variant="planted", **SMALL)
    return out


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    generate(out, seed=42, variant="clean", **SMALL)
    return out


def read(out: Path, entity: str) -> pd.DataFrame:
    """A landed CSV with every column as text, empty cells as ''."""
    return pd.read_csv(out / "landing" / f"{entity}.csv", dtype=str, keep_default_na=False)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def landed_files(out: Path) -> dict[str, bytes]:
    files = sorted((out / "landing").rglob("*.csv")) + [out / "manifest.json"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def crm_to_erp(out: Path) -> dict[str, str]:
    """CRM code -> erp_item through the crosswalk, else the normalization rule."""
    items = read(out, "erp/items")
    xwalk = read(out, "master/sku_crosswalk")
    crm = xwalk[xwalk["system"] == "crm"]
    via_xwalk = dict(zip(crm["source_code"], crm["master_sku"]))
    master_to_item = {normalize_code(i): i for i in items["erp_item"]}
    codes = set(read(out, "crm/products")["crm_product_code"]) | set(read(out, "crm/orders")["crm_product_code"])
    return {c: master_to_item.get(via_xwalk.get(c, normalize_code(c))) for c in codes}


def shipments_valued(out: Path) -> pd.DataFrame:
    """Shipment lines with family, eaches, fiscal period and value at the order unit price."""
    items = read(out, "erp/items")
    orders = read(out, "crm/orders")
    orders["erp_item"] = orders["crm_product_code"].map(crm_to_erp(out))
    ships = read(out, "erp/shipments").merge(items[["erp_item", "family", "units_per_uom", "std_cost"]], on="erp_item")
    ships = ships.merge(orders[["order_id", "erp_item", "unit_price", "quantity", "requested_date", "customer_id"]]
                        .rename(columns={"quantity": "order_quantity", "customer_id": "order_customer"}),
                        on=["order_id", "erp_item"], how="left")
    cal = read(out, "master/fiscal_calendar").rename(columns={"date": "ship_date"})
    ships = ships.merge(cal, on="ship_date")
    eaches = ships["quantity"].astype(float) * ships["units_per_uom"].astype(float)
    ships["eaches"] = eaches
    ships["value_cents"] = np.round(eaches * ships["unit_price"].astype(float) * 100)  # NaN if the order is unknown
    ships["cost_cents"] = np.round(eaches * ships["std_cost"].astype(float) * 100)
    return ships


def gl_family(out: Path) -> pd.DataFrame:
    gl = read(out, "gl/journal_lines")
    xwalk = read(out, "master/sku_crosswalk")
    families = dict(zip(xwalk.loc[xwalk["system"] == "gl", "source_code"], xwalk.loc[xwalk["system"] == "gl", "master_family"]))
    gl["family"] = gl["product_line"].map(families)
    gl["cents"] = np.round(gl["amount"].astype(float) * 100).astype(np.int64)
    return gl


# ---------------------------------------------------------------- determinism and shape

def test_same_seed_gives_identical_bytes(planted: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=42, variant="planted", **SMALL)
    assert landed_files(tmp_path) == landed_files(planted)


def test_writing_in_chunks_gives_the_bytes_of_one_pass(planted: Path, tmp_path: Path) -> None:
    """The writer formats large extracts a chunk at a time (memory); the file must not depend on
    the chunk size, also where a whole-number column has a fraction in one chunk only."""
    from sop_analytics.extracts import to_landing_text, write_entity

    orders = pd.read_csv(planted / "landing/crm/orders.csv", dtype=str, keep_default_na=False)
    orders.loc[3, "quantity"] = "-0"  # a negative zero: "0" in a whole-number chunk, and so everywhere
    orders.loc[len(orders) - 2, "quantity"] = "2.5"  # the column has a fraction in the last chunk only
    one_pass = to_landing_text("crm/orders", orders).to_csv(index=False, lineterminator="\n").encode("utf-8")
    for chunk_rows in (7, 1000, len(orders) + 1):
        written = write_entity(tmp_path / str(chunk_rows), "crm/orders", orders, chunk_rows=chunk_rows)
        data = (tmp_path / str(chunk_rows) / "crm/orders.csv").read_bytes()
        assert data == one_pass, chunk_rows
        assert written["rows"] == len(orders)
    assert b"\n2.5," in one_pass or b",2.5," in one_pass or b",2.5\n" in one_pass
    empty = write_entity(tmp_path / "empty", "crm/orders", orders.iloc[:0])
    assert empty["rows"] == 0
    assert (tmp_path / "empty/crm/orders.csv").read_text().strip() == ",".join(contract_columns("crm/orders"))


def test_different_seed_differs(planted: Path, tmp_path: Path) -> None:
    generate(tmp_path, seed=7, variant="planted", **SMALL)
    assert (tmp_path / "landing/crm/orders.csv").read_bytes() != (planted / "landing/crm/orders.csv").read_bytes()


@pytest.mark.parametrize("entity", sorted(CONTRACT))
def test_every_file_has_the_contract_header(planted: Path, clean: Path, entity: str) -> None:
    for out in (planted, clean):
        header = (out / "landing" / f"{entity}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == contract_columns(entity)


def test_no_plan_entities_and_manifest_lists_files(planted: Path) -> None:
    assert not (planted / "landing" / "plan").exists()
    files = manifest(planted)["files"]
    assert sorted(files) == sorted(f"landing/{e}.csv" for e in CONTRACT)
    for path, info in files.items():
        assert info["rows"] == len(read(planted, path[len("landing/"):-len(".csv")]))


def spec_path() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "docs" / "landing-contract.md",
                      here.parents[3] / "shared" / "spec" / "landing-contract.md"):
        if candidate.exists():
            return candidate
    return None


def split_columns(cell: str) -> list[str]:
    """Column names of a contract table cell: split on commas outside parentheses, keep
    the parts that read ``name type ...``."""
    parts, depth, current = [], 0, ""
    for char in cell:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    typed = re.compile(r"^(\w+) (str|int|num|date|ts)\b")  # skip prose after the column list
    # columns the contract marks "optional column" (v1.1) may be left out of an extract, but
    # the demo writes every one of its entities' columns (crm/customers.priority included)
    return [m.group(1) for m in (typed.match(p.strip()) for p in parts + [current]) if m]


def test_contract_constant_matches_the_spec() -> None:
    path = spec_path()
    if path is None:
        pytest.skip("landing-contract.md not found next to the repo")
    system, spec = None, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (\w+) ", line)
        if heading:
            system = heading.group(1)
        row = re.match(r"^\| (\w+) \| (.+) \|$", line)
        if system and row and row.group(1) != "entity":
            spec[f"{system}/{row.group(1)}"] = split_columns(row.group(2))
    for entity in CONTRACT:
        assert contract_columns(entity) == spec[entity], entity


def test_numbers_are_plain_with_at_most_4_decimals(planted: Path) -> None:
    pattern = re.compile(r"^(-?\d+(\.\d{1,4})?)?$")
    for entity, columns in CONTRACT.items():
        frame = read(planted, entity)
        for name, kind in columns:
            if kind.startswith(NUMERIC_KINDS):
                bad = frame.loc[~frame[name].str.match(pattern), name]
                assert bad.empty, f"{entity}.{name}: {bad.head().tolist()}"


def test_primary_keys_are_unique_in_clean(clean: Path) -> None:
    from sop_analytics.extracts import PRIMARY_KEYS

    for entity, keys in PRIMARY_KEYS.items():
        frame = read(clean, entity)
        assert not frame.duplicated(list(keys)).any(), entity


# ---------------------------------------------------------------- manifest

def test_planted_manifest_lists_every_plant(planted: Path) -> None:
    plants = manifest(planted)["plants"]
    assert [p["id"] for p in plants] == [f"P{i:02d}" for i in range(1, 11)]
    assert [p["type"] for p in plants] == PLANT_TYPES
    for plant in plants:
        assert plant["description"] and plant["periods"], plant["id"]
        assert all(re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", p) for p in plant["periods"]), plant["id"]
        if plant["type"] not in SUPPLY_SIDE_PLANTS:
            assert plant["units_eaches"] > 0 and plant["value_usd"] > 0, plant["id"]
        assert plant["master_skus"] and all(re.fullmatch(r"[A-Z0-9]+", s) for s in plant["master_skus"]), plant["id"]


def test_clean_manifest_lists_no_plants(clean: Path) -> None:
    assert manifest(clean)["plants"] == []
    assert manifest(clean)["variant"] == "clean"


def test_small_size_keeps_every_family(clean: Path) -> None:
    items = read(clean, "erp/items")
    assert len(items) == 40
    assert items["family"].nunique() == 8
    assert len(read(clean, "crm/customers")) == 20


# ---------------------------------------------------------------- clean variant reconciles exactly

def test_clean_every_crm_code_maps_to_a_master_sku(clean: Path) -> None:
    mapping = crm_to_erp(clean)
    forecast_codes = set(read(clean, "crm/sales_forecast")["crm_product_code"])
    promo_codes = set(read(clean, "crm/promotions")["crm_product_code"])
    assert forecast_codes | promo_codes <= set(mapping)
    assert all(mapping.values()), [c for c, i in mapping.items() if i is None]


def test_clean_has_no_duplicate_shipment_lines(clean: Path) -> None:
    ships = read(clean, "erp/shipments")
    assert not ships.duplicated(["order_id", "erp_item"]).any()
    assert not ships.drop(columns="line_no").duplicated().any()


def test_clean_shipments_match_orders(clean: Path) -> None:
    ships = shipments_valued(clean)
    orders = read(clean, "crm/orders")
    assert ships["unit_price"].notna().all()
    assert (ships["eaches"] == ships["order_quantity"].astype(float)).all()
    assert (ships["ship_date"] == ships["requested_date"]).all()
    assert (ships["customer_id"] == ships["order_customer"]).all()
    shipped = orders[orders["status"] == "shipped"]
    assert len(ships) == len(shipped)
    assert set(ships["order_id"]) == set(shipped["order_id"])
    assert (ships["quantity"].astype(float) % 1 == 0).all()  # whole cases / eaches


def test_clean_orders_follow_the_rules(clean: Path) -> None:
    orders = read(clean, "crm/orders")
    lag = (pd.to_datetime(orders["requested_date"]) - pd.to_datetime(orders["order_date"])).dt.days
    assert lag.between(2, 14).all()
    assert (orders["order_date"] >= "2023-01-01").all() and (orders["order_date"] <= EXTRACT_DATE).all()
    live = orders[orders["status"] != "cancelled"]
    assert ((live["status"] == "open") == (live["requested_date"] > EXTRACT_DATE)).all()
    assert 0.005 < (orders["status"] == "cancelled").mean() < 0.04
    prices = dict(zip(read(clean, "crm/products")["crm_product_code"], read(clean, "crm/products")["list_price"]))
    promos = read(clean, "crm/promotions").set_index("promo_id")
    promo_lines = orders[orders["promo_id"] != ""]
    assert len(promo_lines) > 0
    for line in promo_lines.itertuples():
        promo = promos.loc[line.promo_id]
        assert promo["crm_product_code"] == line.crm_product_code
        assert promo["start_date"] <= line.order_date <= promo["end_date"]
        expected = float(prices[line.crm_product_code]) * (1 - float(promo["discount_pct"]) / 100)
        assert abs(float(line.unit_price) - expected) < 0.005


def test_clean_case_items_order_whole_cases(clean: Path) -> None:
    items = read(clean, "erp/items").set_index("erp_item")
    orders = read(clean, "crm/orders")
    orders["erp_item"] = orders["crm_product_code"].map(crm_to_erp(clean))
    upu = orders["erp_item"].map(items["units_per_uom"]).astype(int)
    assert (orders["quantity"].astype(int) % upu == 0).all()
    assert (items["uom"] == "CS").any()


def test_clean_gl_equals_shipments_value_per_family_and_period(clean: Path) -> None:
    ships = shipments_valued(clean)
    gl = gl_family(clean)
    keys = ["family", "fiscal_year", "fiscal_period"]
    revenue = gl[gl["account_type"] == "revenue"].groupby(keys)["cents"].sum()
    cogs = -gl[gl["account_type"] == "cogs"].groupby(keys)["cents"].sum()
    assert ships["value_cents"].notna().all()
    assert revenue.equals(ships.groupby(keys)["value_cents"].sum().astype(np.int64).rename("cents"))
    assert cogs.equals(ships.groupby(keys)["cost_cents"].sum().astype(np.int64).rename("cents"))
    assert (gl["account_type"] == "other").any()
    assert (gl["customer_id"] == "").all()


def test_clean_budget_within_5pct_of_actuals(clean: Path) -> None:
    ships = shipments_valued(clean)
    keys = ["family", "fiscal_year", "fiscal_period"]
    actual = ships.groupby(keys)["value_cents"].sum() / 100
    budget = read(clean, "gl/budget")
    xwalk = read(clean, "master/sku_crosswalk")
    budget["family"] = budget["product_line"].map(dict(zip(xwalk["source_code"], xwalk["master_family"])))
    budget = budget.set_index(keys)["revenue"].astype(float)
    assert sorted(budget.index.get_level_values("fiscal_year").unique()) == ["2023", "2024", "2025", "2026", "2027"]
    closed = actual[[int(y) * 100 + int(p) <= 202610 for _, y, p in actual.index]]
    ratio = budget.reindex(closed.index) / closed
    assert ratio.between(0.95, 1.05).all(), ratio[~ratio.between(0.95, 1.05)]


def latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.sort_values("submitted_at").groupby([key, "period_start"]).tail(1)


def test_clean_sales_and_operations_agree_within_10pct(clean: Path) -> None:
    """Sales and operations start from the same view of the history; only their own noise
    (and units) tells them apart."""
    items = read(clean, "erp/items").set_index("erp_item")
    sales = latest(read(clean, "crm/sales_forecast"), "crm_product_code")
    sales["family"] = sales["crm_product_code"].map(crm_to_erp(clean)).map(items["family"])
    ops = latest(read(clean, "erp/ops_forecast"), "erp_item")
    ops["family"] = ops["erp_item"].map(items["family"])
    ops["eaches"] = ops["quantity"].astype(float) * ops["erp_item"].map(items["units_per_uom"]).astype(float)
    sales_units = sales.groupby(["family", "period_start"])["quantity"].apply(lambda q: q.astype(float).sum())
    ops_units = ops.groupby(["family", "period_start"])["eaches"].sum()
    ratio = (sales_units / ops_units).dropna()
    assert ratio.between(0.9, 1.1).all(), ratio[~ratio.between(0.9, 1.1)]


@pytest.fixture(scope="module")
def clean_default_size(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean_default")
    generate(out, seed=42, variant="clean")
    return out


def test_clean_budget_and_sales_year_agree_within_15pct(clean_default_size: Path) -> None:
    """Budget / realized price vs the sales forecast's units over the 12 fiscal periods
    2025-11..2026-10, the realized price being the family's average over the same periods,
    at the demo's default size. 15% is the three numbers' reconciliation tolerance: sales
    forecasts from the history, finance budgets the plan, and on a clean company the two
    stay within it (at 40 SKUs, a family of two lumpy SKUs does not)."""
    clean = clean_default_size
    sales = latest(read(clean, "crm/sales_forecast"), "crm_product_code")
    items = read(clean, "erp/items").set_index("erp_item")
    sales["family"] = sales["crm_product_code"].map(crm_to_erp(clean)).map(items["family"])
    ships = shipments_valued(clean)
    ship_key = ships["fiscal_year"].astype(int) * 100 + ships["fiscal_period"].astype(int)
    ships = ships[(ship_key >= 202511) & (ship_key <= 202610)]
    price = ships.groupby("family")["value_cents"].sum() / 100 / ships.groupby("family")["eaches"].sum()
    budget = read(clean, "gl/budget")
    xwalk = read(clean, "master/sku_crosswalk")
    budget["family"] = budget["product_line"].map(dict(zip(xwalk["source_code"], xwalk["master_family"])))
    key = budget["fiscal_year"].astype(int) * 100 + budget["fiscal_period"].astype(int)
    window = budget[(key >= 202511) & (key <= 202610)]
    budget_units = window.groupby("family")["revenue"].apply(lambda r: r.astype(float).sum()) / price
    months = sales[(sales["period_start"] >= "2025-11-01") & (sales["period_start"] <= "2026-10-01")]
    sales_year = months.groupby("family")["quantity"].apply(lambda q: q.astype(float).sum())
    ratio = (budget_units / sales_year).dropna()
    assert len(ratio) == 8 and ratio.between(0.85, 1.15).all(), ratio


def test_sales_and_operations_forecasts_see_no_demand_after_their_submission() -> None:
    """The planners' expectation for a submission is the same whatever demand comes after
    its last closed month, and changes once that demand is history: no forecast is built
    from the future the generator draws (issue 14)."""
    from sop_analytics.demo.company import build_items
    from sop_analytics.demo.forecasts import forecast_grid, planners_expectation, submission_months

    items = build_items(40, 42)
    rng = np.random.default_rng(0)
    history = rng.gamma(2.0, 50.0, size=(len(items), 60))
    promo, lifecycle = np.ones_like(history), np.ones_like(history)
    grid = forecast_grid(len(items))
    before = planners_expectation(items, history, promo, lifecycle, grid)
    cut = submission_months()[5]
    future = history.copy()
    future[:, cut:] = rng.gamma(2.0, 80.0, size=future[:, cut:].shape)
    after = planners_expectation(items, future, promo, lifecycle, grid)
    seen = (grid["submission"] > cut).to_numpy()
    assert np.array_equal(before[~seen], after[~seen])
    assert not np.allclose(before[seen], after[seen])


def test_clean_supply_inventory_capacity_are_plausible(clean: Path) -> None:
    supply = read(clean, "erp/supply")
    assert set(supply["status"]) == {"open", "received", "cancelled"}
    assert ((supply["status"] == "received") == (supply["received_date"] != "")).all()
    open_due = supply.loc[supply["status"] == "open", "due_date"]
    assert open_due.min() > EXTRACT_DATE and open_due.max() <= "2027-05-01"
    assert (supply.loc[supply["supply_type"] == "WO", "supplier_id"] == "").all()
    assert supply.loc[supply["supply_type"] == "PO", "supplier_id"].str.fullmatch(r"S-1(0[1-9]|1[0-2])").all()
    inventory = read(clean, "erp/inventory")
    assert (pd.to_datetime(inventory["snapshot_date"]) + pd.offsets.Day(1)).dt.day.eq(1).all()
    capacity = read(clean, "erp/capacity")
    assert len(capacity) == read(clean, "erp/resources").shape[0] * 60


# ---------------------------------------------------------------- planted variant

def test_planted_equals_clean_where_no_plant_touches(planted: Path, clean: Path) -> None:
    for entity in UNCHANGED_BY_PLANTS:
        assert (planted / "landing" / f"{entity}.csv").read_bytes() == (clean / "landing" / f"{entity}.csv").read_bytes()


def test_operations_see_a_planted_demand_change_only_once_it_is_history(planted: Path, clean: Path) -> None:
    """The operations forecast of a family whose demand a plant changed (the level shift,
    the customer mix shift) differs from the clean company's only in submissions made after
    the change began; every other family's is the same, row for row."""
    calendar = read(clean, "master/fiscal_calendar")
    calendar["period"] = calendar["fiscal_year"] + "-" + calendar["fiscal_period"].str.zfill(2)
    starts = calendar.groupby("period")["date"].min()
    changed = {p["family"]: starts[p["start_period"]] for p in manifest(planted)["plants"]
               if p["type"] in ("level_shift", "customer_mix_shift")}
    assert len(changed) == 2
    family = read(clean, "erp/items").set_index("erp_item")["family"]
    frames = {}
    for name, out in (("planted", planted), ("clean", clean)):
        ops = read(out, "erp/ops_forecast")
        frames[name] = ops.assign(family=ops["erp_item"].map(family)).set_index(
            ["erp_item", "period_start", "submitted_at"])["quantity"]
    both = pd.concat(frames, axis=1)
    both["family"] = both.index.get_level_values("erp_item").map(family)
    submitted = both.index.get_level_values("submitted_at").str[:10]
    start = both["family"].map(changed)
    seen = start.notna() & (submitted >= start.fillna(""))
    assert both.loc[~seen, "planted"].equals(both.loc[~seen, "clean"])
    for name, day in changed.items():
        after = both[seen & (both["family"] == name)]
        assert (after["planted"] != after["clean"]).any(), name


def test_planted_unmapped_codes(planted: Path) -> None:
    plant = manifest(planted)["plants"][0]
    xwalk = read(planted, "master/sku_crosswalk")
    masters = {normalize_code(i) for i in read(planted, "erp/items")["erp_item"]}
    orders = read(planted, "crm/orders")
    for code in plant["codes"]:
        name = code["crm_product_code"]
        assert normalize_code(name) not in masters and name not in set(xwalk["source_code"])
        assert name in set(read(planted, "crm/products")["crm_product_code"])
        assert name in set(read(planted, "crm/sales_forecast")["crm_product_code"])
        lines = orders[orders["crm_product_code"] == name]
        assert (lines["status"] == "shipped").all() and len(lines) == len(code["order_lines"])
        ships = read(planted, "erp/shipments")
        assert (ships[ships["order_id"].isin(lines["order_id"])]["erp_item"] == code["erp_item"]).any()


def test_planted_duplicate_lines_and_uom_mixup(planted: Path) -> None:
    ships = read(planted, "erp/shipments").set_index(["shipment_id", "line_no"])
    duplicate = manifest(planted)["plants"][1]
    assert len(duplicate["lines"]) == 6 and len(duplicate["master_skus"]) == 3
    for line in duplicate["lines"]:
        original = ships.loc[(line["shipment_id"], str(line["line_no"]))]
        copy = ships.loc[(line["shipment_id"], str(line["duplicate_line_no"]))]
        assert original.equals(copy)
    uom = manifest(planted)["plants"][4]
    assert uom["units_per_uom"] == 12 and uom["recorded_quantity"] == uom["true_quantity_cases"] * 12


def test_planted_gl_plants(planted: Path) -> None:
    gl = gl_family(planted)
    missing, cutoff = manifest(planted)["plants"][2], manifest(planted)["plants"][3]
    year, period = missing["period"].split("-")
    assert gl[(gl["family"] == missing["family"]) & (gl["fiscal_year"] == year)
              & (gl["fiscal_period"] == str(int(period)))].empty
    moved = gl[gl["journal_id"].isin(cutoff["journal_ids"])]
    assert (moved["posting_date"] == cutoff["posting_date"]).all()
    assert moved["fiscal_period"].astype(int).eq(int(cutoff["to_period"][-2:])).all()


def test_planted_supplier_delay_ships_after_late_receipt(planted: Path) -> None:
    plant = manifest(planted)["plants"][5]
    supply = read(planted, "erp/supply").set_index("supply_id").loc[plant["supply_ids"]]
    late = pd.to_datetime(supply["received_date"]) - pd.to_datetime(supply["due_date"])
    assert (late.dt.days == 35).all() and (supply["supplier_id"] == "S-104").all()
    assert 5 <= len(plant["erp_items"]) <= 15
    ships = shipments_valued(planted)
    delayed = ships[ships["erp_item"].isin(plant["erp_items"]) & (ships["ship_date"] > ships["requested_date"])]
    assert len(delayed) == plant["late_order_lines"]


# ---------------------------------------------------------------- car parts mapper

def test_carparts_mapper(tmp_path: Path) -> None:
    src = tmp_path / "carparts_long.csv"
    src.write_text("part,month,demand\n00123,1998-01,0\n00123,1998-02,3\n123,1998-01,2\n"
                   "555,1998-01,0\n00123,1998-04,1\n", encoding="utf-8")
    map_carparts(src, tmp_path / "out")
    items = read(tmp_path / "out", "erp/items")
    ships = read(tmp_path / "out", "erp/shipments")
    assert list(items.columns) == contract_columns("erp/items")
    assert list(ships.columns) == contract_columns("erp/shipments")
    assert items["erp_item"].tolist() == ["00123", "123", "555"]
    assert set(items["family"]) == {"CAR_PARTS"} and set(items["uom"]) == {"EA"}
    assert set(items["units_per_uom"]) == {"1"} and set(items["status"]) == {"active"}
    assert ships.to_dict("records") == [
        {"shipment_id": "CP-00123-199802", "line_no": "1", "order_id": "", "customer_id": "UNKNOWN",
         "erp_item": "00123", "ship_date": "1998-02-01", "quantity": "3", "warehouse": "MAIN"},
        {"shipment_id": "CP-00123-199804", "line_no": "1", "order_id": "", "customer_id": "UNKNOWN",
         "erp_item": "00123", "ship_date": "1998-04-01", "quantity": "1", "warehouse": "MAIN"},
        {"shipment_id": "CP-123-199801", "line_no": "1", "order_id": "", "customer_id": "UNKNOWN",
         "erp_item": "123", "ship_date": "1998-01-01", "quantity": "2", "warehouse": "MAIN"},
    ]
    assert not (tmp_path / "out" / "landing" / "crm").exists()


def test_planted_capacity_cut_is_one_resource_month(planted: Path, clean: Path) -> None:
    plant = [p for p in manifest(planted)["plants"] if p["type"] == "capacity_overload"][0]
    both = read(planted, "erp/capacity").merge(read(clean, "erp/capacity"), on=["resource_id", "period_start"],
                                               suffixes=("_planted", "_clean"))
    changed = both[both["available_hours_planted"] != both["available_hours_clean"]]
    assert list(zip(changed["resource_id"], changed["period_start"].astype(str).str[:7])) == [
        (plant["resource_id"], plant["calendar_month"])]
    ratio = float(changed["available_hours_planted"].iloc[0]) / float(changed["available_hours_clean"].iloc[0])
    assert abs(ratio - plant["share_of_hours_left"]) < 0.01


def test_customer_priorities_are_drawn_apart_and_carried_to_the_distributor(planted: Path, tmp_path: Path) -> None:
    """crm/customers.priority (contract v1.1): 1 = key account ... 3, every tier used, the key
    accounts mostly the largest customers; the same seed gives the same customers and
    priorities, another seed other priorities for the same customers (their own stream).
    The distributor archetype lands the same priorities."""
    import shutil

    from sop_analytics.demo.archetypes import to_distributor
    from sop_analytics.demo.company import build_customers, customer_priorities

    customers = read(planted, "crm/customers")
    assert set(customers["priority"]) == {"1", "2", "3"}
    built = build_customers(200, 42)
    assert built.groupby("priority")["weight"].median().is_monotonic_decreasing
    assert (customer_priorities(built["weight"].to_numpy(), 42) == built["priority"].to_numpy()).all()
    assert (customer_priorities(built["weight"].to_numpy(), 7) != built["priority"].to_numpy()).any()
    assert build_customers(200, 42).drop(columns="priority").equals(built.drop(columns="priority"))
    copy = tmp_path / "distributor"
    shutil.copytree(planted, copy)
    manifest = json.loads((planted / "manifest.json").read_text(encoding="utf-8"))
    to_distributor(copy, manifest)
    moved = read(copy, "crm/customers")
    assert moved[["customer_id", "priority"]].equals(customers[["customer_id", "priority"]])
