"""Fixed description of the demo company: families, segments, dates.

Everything here is an immutable constant (frozen dataclasses and tuples); every random
choice made from it takes its seed as an argument elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

HISTORY_START = date(2023, 1, 1)
HISTORY_END = date(2026, 10, 31)  # = end of fiscal FY2026 period 10, the extract date
CALENDAR_START = date(2022, 1, 2)
CALENDAR_END = date(2028, 12, 30)
HORIZON_END = date(2028, 1, 1)  # end of FY2027, the last budget year
FORECAST_SUBMISSIONS = ("2025-10", "2026-10")  # first and last submission month (inclusive)
FORECAST_HORIZON_MONTHS = 12
ANNUAL_REVENUE_USD = 124_000_000.0  # nominal list-based sizing; realized revenue is ~$120M a year
CURRENCY = "USD"
CANCEL_RATE = 0.02


@dataclass(frozen=True)
class FamilySpec:
    """Demand pattern and master-data ranges of one product family.

    ``pattern`` chooses how order lines are drawn: ``poisson`` (count of lines per week is
    Poisson), ``intermittent`` (at most one line per week, sizes with low CV) or ``lumpy``
    (at most one line per week, sizes with high CV). ``rate`` is the mean number of lines
    per week of an average SKU (poisson) or the weekly probability of an order.
    """

    name: str
    product_line: str
    revenue_share: float
    sku_share: float
    min_skus: int
    pattern: str
    rate: float
    size_cv: float
    price_range: tuple[float, float]
    cost_ratio: tuple[float, float]
    manufactured: bool
    lead_time_days: tuple[int, int]
    season_amp: float
    season_peak_month: int
    trend_per_year: float
    weight_sigma: float
    nouns: tuple[str, ...]


FAMILIES: tuple[FamilySpec, ...] = (
    FamilySpec("CONSUMABLES", "PL-110", 0.25, 110 / 420, 6, "poisson", 3.0, 0.5,
               (0.4, 8.0), (0.35, 0.55), False, (14, 45), 0.0, 1, 0.03, 0.9,
               ("Nitrile exam gloves", "Syringe 5 ml", "IV catheter 20G", "Gauze swab 10x10",
                "Specimen cup", "Alcohol prep pad", "Surgical mask", "Wound dressing",
                "Suction tubing", "Blood collection tube")),
    FamilySpec("DIAGNOSTICS", "PL-120", 0.12, 40 / 420, 3, "poisson", 3.0, 0.5,
               (4.0, 60.0), (0.30, 0.50), True, (21, 45), 0.40, 1, 0.0, 0.8,
               ("Influenza A/B rapid test", "RSV antigen test", "Strep A test kit",
                "COVID-19 antigen test", "Glucose test strips", "Urinalysis strips")),
    FamilySpec("COLD_CHAIN", "PL-130", 0.10, 30 / 420, 3, "poisson", 2.5, 0.5,
               (20.0, 400.0), (0.40, 0.60), False, (21, 60), 0.0, 1, 0.0, 0.8,
               ("Vaccine carrier", "Reagent cold pack", "Biologic shipper", "Temperature logger",
                "Insulated tote")),
    FamilySpec("SPARE_PARTS", "PL-140", 0.04, 45 / 420, 3, "intermittent", 0.15, 0.15,
               (30.0, 900.0), (0.30, 0.50), False, (30, 90), 0.0, 1, 0.0, 0.8,
               ("Pump motor assembly", "Sensor board", "Battery pack", "Display module",
                "Valve kit", "Power supply")),
    FamilySpec("CAPITAL_EQUIPMENT", "PL-150", 0.18, 16 / 420, 2, "lumpy", 0.15, 1.0,
               (15_000.0, 120_000.0), (0.45, 0.60), True, (60, 120), 0.0, 1, 0.0, 0.5,
               ("Infusion system", "Patient monitor", "Ultrasound unit", "Anesthesia workstation",
                "Sterilizer cabinet", "Imaging workstation")),
    FamilySpec("LONG_TAIL", "PL-160", 0.05, 91 / 420, 3, "poisson", 0.4, 1.2,
               (5.0, 500.0), (0.35, 0.60), False, (21, 75), 0.0, 1, 0.0, 1.2,
               ("Adapter", "Bracket", "Cable", "Clamp", "Holder", "Connector", "Label set")),
    FamilySpec("SURGICAL", "PL-170", 0.16, 50 / 420, 3, "poisson", 2.0, 0.8,
               (10.0, 600.0), (0.30, 0.50), True, (14, 45), 0.0, 1, 0.08, 0.9,
               ("Scalpel handle", "Laparoscopic trocar", "Suture kit", "Surgical stapler",
                "Electrosurgical pencil", "Retractor")),
    FamilySpec("LAB_SUPPLIES", "PL-180", 0.10, 38 / 420, 6, "poisson", 3.0, 0.5,
               (2.0, 80.0), (0.35, 0.55), False, (14, 45), 0.10, 3, 0.02, 0.8,
               ("Pipette tips", "Centrifuge tube 50 ml", "Petri dish", "Microscope slides",
                "Cryovial", "Reagent reservoir")),
)

MANUFACTURED_RESOURCES: tuple[tuple[str, str, str, float, float], ...] = (
    # family, resource_id, description, hours_per_unit low, high
    ("CAPITAL_EQUIPMENT", "R-ASSY1", "Capital equipment assembly cell", 30.0, 80.0),
    ("CAPITAL_EQUIPMENT", "R-TEST", "Test and calibration bench", 6.0, 16.0),
    ("SURGICAL", "R-ASSY2", "Surgical instrument assembly line", 0.02, 0.12),
    ("SURGICAL", "R-STER", "Sterilization (EtO)", 0.004, 0.012),
    ("DIAGNOSTICS", "R-MOLD", "Cleanroom molding", 0.004, 0.02),
    ("DIAGNOSTICS", "R-KIT", "Diagnostics kitting", 0.003, 0.012),
    ("SURGICAL", "R-PACK", "Packaging line", 0.002, 0.006),
    ("DIAGNOSTICS", "R-PACK", "Packaging line", 0.002, 0.005),
    ("CAPITAL_EQUIPMENT", "R-PACK", "Packaging line", 0.5, 1.5),
)

SUPPLIERS_BY_FAMILY: dict[str, tuple[str, ...]] = {
    "CONSUMABLES": ("S-101", "S-102", "S-103"),
    "LAB_SUPPLIES": ("S-104", "S-105"),
    "COLD_CHAIN": ("S-106", "S-107"),
    "SPARE_PARTS": ("S-108", "S-109"),
    "LONG_TAIL": ("S-110", "S-111", "S-112"),
}
DELAYED_SUPPLIER = "S-104"
DELAYED_SUPPLIER_FAMILY = "LAB_SUPPLIES"

SEGMENTS: tuple[str, ...] = ("hospital", "clinic", "distributor", "lab")
SEGMENT_SHARE: tuple[float, ...] = (0.35, 0.30, 0.15, 0.20)
# unit price = list price * factor; factors are multiples of 0.05 so that, with list
# prices in multiples of $0.20, every unit price is a whole number of cents.
SEGMENT_PRICE_FACTOR: dict[str, int] = {"hospital": 95, "clinic": 100, "distributor": 90, "lab": 95}
SEGMENT_AFFINITY: dict[str, tuple[float, float, float, float]] = {
    # hospital, clinic, distributor, lab
    "CONSUMABLES": (1.0, 1.0, 1.2, 0.3),
    "DIAGNOSTICS": (1.0, 1.0, 0.8, 1.2),
    "COLD_CHAIN": (0.8, 0.6, 1.2, 1.0),
    "SPARE_PARTS": (1.0, 0.4, 0.8, 0.6),
    "CAPITAL_EQUIPMENT": (1.2, 0.3, 0.8, 0.5),
    "LONG_TAIL": (1.0, 1.0, 1.0, 1.0),
    "SURGICAL": (1.3, 0.7, 0.8, 0.1),
    "LAB_SUPPLIES": (0.4, 0.3, 0.8, 1.5),
}
REGIONS: tuple[str, ...] = ("NA", "EU", "APAC", "LATAM")
REGION_SHARE: tuple[float, ...] = (0.45, 0.30, 0.15, 0.10)
COUNTRIES: dict[str, tuple[str, ...]] = {
    "NA": ("US", "US", "US", "CA"),
    "EU": ("DE", "FR", "GB", "NL", "IT", "ES", "SE"),
    "APAC": ("JP", "AU", "SG", "KR"),
    "LATAM": ("BR", "MX", "CL", "CO"),
}
WAREHOUSE_BY_REGION: dict[str, str] = {"NA": "WH-US1", "LATAM": "WH-US1", "EU": "WH-NL1", "APAC": "WH-SG1"}
WAREHOUSES: tuple[str, ...] = ("WH-NL1", "WH-SG1", "WH-US1")
SALES_REPS: tuple[str, ...] = ("Alice Moreau", "Ben Okafor", "Carla Jensen", "Diego Ramos",
                               "Emma Lindqvist", "Farid Haddad")
PROMO_DISCOUNTS: tuple[int, ...] = (10, 15, 20, 25)
