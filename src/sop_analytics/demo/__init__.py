"""Deterministic demo company (medical devices, ~$120M a year) written as a landing folder.

    python -m sop_analytics.demo --seed 42 --out data/demo [--variant planted|clean] [--skus N] [--customers N]

or ``generate(out_dir, seed=42, variant="planted", n_skus=420, n_customers=200)``, which
returns the manifest (``<out>/manifest.json``; its ``plants`` list says what was planted).
"""

from .codes import normalize_code
from .generator import generate
from ..extracts import CONTRACT, contract_columns

__all__ = ["CONTRACT", "contract_columns", "generate", "normalize_code"]
