"""Product-code normalization (the pipeline's rule, read from its seed) and the CRM spellings
of ERP codes."""

from __future__ import annotations

import csv
import functools
import re

from ..contract import project_dir


@functools.lru_cache(maxsize=1)
def normalization_rules() -> tuple[tuple[str, re.Pattern, str], ...]:
    """The pipeline's code-normalization rules (``seeds/code_normalization_rules.csv``, the
    seed the dbt macro ``code_normalization_rules`` reads), in order, up to the first rule
    that needs the masters' shared prefix (``{master_prefix}``): the rules that make a master
    key. The first rule, ``case``, has no pattern: upper-case and trim always come first."""
    path = project_dir() / "seeds" / "code_normalization_rules.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["rule_order"]))
    rules = []
    for row in rows:
        if "{master_prefix}" in row["pattern"]:
            break
        if row["pattern"]:
            rules.append((row["rule"], re.compile(row["pattern"]), row["replacement"]))
    return tuple(rules)


def normalize_code(code: str) -> str:
    """Pipeline normalization (``master_key`` of the dbt macro): upper-case and trim, then
    each rule of the seed in order, every match replaced (with the shipped seed: strip one
    trailing region suffix ``[-_/ ](US|EU|UK|APAC|LATAM)$``, then drop every character not in
    [A-Z0-9]).

    >>> normalize_code(" md10023-us ")
    'MD10023'
    >>> normalize_code("MD.10023/EU")
    'MD10023'
    """
    text = code.upper().strip()
    for _, pattern, replacement in normalization_rules():
        text = pattern.sub(replacement, text)
    return text


def crm_spelling(erp_item: str, style: int) -> str:
    """The CRM's way of writing ERP code ``PREFIX-DIGITS`` in one of six styles.

    Every style normalizes back to ``PREFIXDIGITS``: ``md10023-us``, ``Md_10023``,
    ``MD.10023/EU``, ``MD-10023``, ``MD10023_UK``, ``md-10023/latam``.
    """
    prefix, digits = erp_item.split("-", 1)
    styles = (
        f"{prefix.lower()}{digits}-us",
        f"{prefix.title()}_{digits}",
        f"{prefix}.{digits}/EU",
        f"{prefix}-{digits}",
        f"{prefix}{digits}_UK",
        f"{prefix.lower()}-{digits}/latam",
    )
    return styles[style % len(styles)]
