"""Product-code normalization (the pipeline's rule) and the CRM spellings of ERP codes."""

from __future__ import annotations

import re

REGION_SUFFIX = re.compile(r"[-_/ ](US|EU|UK|APAC|LATAM)$")
NON_ALNUM = re.compile(r"[^A-Z0-9]")


def normalize_code(code: str) -> str:
    """Pipeline normalization: upper-case, trim, strip ONE trailing region suffix
    matching ``[-_/ ](US|EU|UK|APAC|LATAM)$``, then drop every character not in [A-Z0-9].

    >>> normalize_code(" md10023-us ")
    'MD10023'
    >>> normalize_code("MD.10023/EU")
    'MD10023'
    """
    upper = code.upper().strip()
    return NON_ALNUM.sub("", REGION_SUFFIX.sub("", upper, count=1))


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
