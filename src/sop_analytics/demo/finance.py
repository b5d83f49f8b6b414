"""Finance's view: GL journal lines posted from shipments.

Rounding rule: unit prices and standard costs are whole cents (list prices are multiples of
$0.20 and every price factor a multiple of 5%), and quantities are whole eaches, so every
shipment line's value quantity_eaches * unit_price is an exact number of cents. The revenue
line of a journal is the exact sum of those values; no rounding happens anywhere, and
sum(quantity_eaches * unit_price) over shipments equals GL revenue to the cent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import CURRENCY, FAMILIES
from .demand import FiscalDays
from .rng import stream

REVENUE_ACCOUNT, COGS_ACCOUNT, FREIGHT_ACCOUNT = "4000", "5000", "6000"
FREIGHT_SHARE = 0.03


def journals_from_shipments(shipments: pd.DataFrame, items: pd.DataFrame, fiscal: FiscalDays) -> pd.DataFrame:
    """One journal per (posting_date = ship_date, product_line): revenue cents = +sum(quantity
    eaches * unit price cents), cogs cents = -sum(quantity eaches * std cost cents)."""
    product_line = np.array([f.product_line for f in FAMILIES])[shipments["fam_idx"].to_numpy()]
    cost = items["cost_cents"].to_numpy()[shipments["sku"].to_numpy()]
    lines = pd.DataFrame({
        "posting_day": shipments["ship_date"].to_numpy(),
        "product_line": product_line,
        "revenue_cents": shipments["quantity_eaches"].to_numpy() * shipments["unit_price_cents"].to_numpy(),
        "cogs_cents": -shipments["quantity_eaches"].to_numpy() * cost,
    })
    journals = lines.groupby(["posting_day", "product_line"], as_index=False).sum()
    journals["fiscal_year"] = fiscal.year_of(journals["posting_day"].to_numpy())
    journals["fiscal_period"] = fiscal.period_of(journals["posting_day"].to_numpy())
    return journals


def journal_lines(journals: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Journal lines: line 1 revenue (4000), line 2 cogs (5000), and on ~3% of journals a line 3
    freight (6000, account_type ``other``, -$50..-$800) that the pipeline must ignore.
    Journal ids JE-nnnnnnn in (posting date, product line) order. Amounts stay in cents."""
    rng = stream(seed, "gl_other")
    ordered = journals.sort_values(["posting_day", "product_line"], ignore_index=True)
    ordered["journal_id"] = [f"JE-{i + 1:07d}" for i in range(len(ordered))]
    base = ordered[["journal_id", "posting_day", "fiscal_year", "fiscal_period", "product_line"]]
    revenue = base.assign(line_no=1, account=REVENUE_ACCOUNT, account_type="revenue",
                          amount_cents=ordered["revenue_cents"])
    cogs = base.assign(line_no=2, account=COGS_ACCOUNT, account_type="cogs", amount_cents=ordered["cogs_cents"])
    freight_rows = rng.random(len(ordered)) < FREIGHT_SHARE
    freight = base[freight_rows].assign(line_no=3, account=FREIGHT_ACCOUNT, account_type="other",
                                        amount_cents=-rng.integers(5_000, 80_001, size=int(freight_rows.sum())))
    lines = pd.concat([revenue, cogs, freight], ignore_index=True)
    lines["customer_id"] = ""
    lines["currency"] = CURRENCY
    return lines.sort_values(["journal_id", "line_no"], ignore_index=True)
