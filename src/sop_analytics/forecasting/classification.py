"""Syntetos-Boylan demand classification (ADI / CV²), reference implementation in pandas.

The production classification is SQL in dbt; this one exists to cross-check it and to
drive candidate selection in :mod:`sop_analytics.forecasting.selection`.

Definitions, per series, over its history window (the periods from the first period with
demand > 0 to the last period of the panel, optionally cut to the last ``window`` periods):

* ``ADI  = n_periods / n_demand_periods`` (average inter-demand interval);
* ``CV²  = (std / mean)²`` of the non-zero demand sizes, with the *population* standard
  deviation (``ddof=0``); one non-zero period gives CV² = 0.

Classes, checked in this order (the first that applies wins):

1. ``inactive``: no demand > 0 in the last ``inactive_periods`` periods (also any series
   with no demand at all);
2. ``new``: fewer than ``min_history`` periods since the first demand;
3. ``smooth`` (ADI < 1.32, CV² < 0.49), ``erratic`` (ADI < 1.32, CV² >= 0.49),
   ``intermittent`` (ADI >= 1.32, CV² < 0.49), ``lumpy`` (ADI >= 1.32, CV² >= 0.49).
   A value equal to a cut-off falls in the higher class.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "CLASSIFICATION_SCHEMA",
    "DEMAND_CLASSES",
    "classify_demand",
    "segment_of_class",
]

DEMAND_CLASSES: tuple[str, ...] = ("smooth", "erratic", "intermittent", "lumpy", "new", "inactive")

CLASSIFICATION_SCHEMA: dict[str, str] = {
    "unique_id": "object",
    "n_periods": "int64",
    "n_demand_periods": "int64",
    "adi": "float64",
    "cv2": "float64",
    "total_demand": "float64",
    "first_demand_ds": "float64",
    "last_demand_ds": "float64",
    "periods_since_last_demand": "float64",
    "demand_class": "object",
    "segment": "object",
}

_SEGMENTS = {
    "smooth": "continuous",
    "erratic": "continuous",
    "intermittent": "intermittent",
    "lumpy": "intermittent",
    "new": "new",
    "inactive": "inactive",
}


def segment_of_class(demand_class: str) -> str:
    """Model family a demand class is forecast with.

    smooth, erratic -> ``continuous``; intermittent, lumpy -> ``intermittent``;
    ``new`` and ``inactive`` stay themselves.
    """
    return _SEGMENTS[demand_class]


def classify_demand(
    df: pd.DataFrame,
    *,
    adi_cutoff: float = 1.32,
    cv2_cutoff: float = 0.49,
    min_history: int = 12,
    inactive_periods: int = 6,
    window: int | None = None,
    last_ds: int | None = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
) -> pd.DataFrame:
    """Classify each series as smooth / erratic / intermittent / lumpy / new / inactive.

    ``df`` is tidy (one row per series and integer period ``ds``; missing periods count as
    zero demand). ``last_ds`` is the last closed period of the panel (default: the largest
    ``ds`` in ``df``), so a series whose rows stop early is still judged against it.
    ``window`` limits the ADI/CV² history to the last ``window`` periods (default: all).
    Returns one row per series with the columns of ``CLASSIFICATION_SCHEMA``.
    """
    if df.empty:
        return _empty()
    data = df[[id_col, time_col, target_col]].rename(
        columns={id_col: "unique_id", time_col: "ds", target_col: "y"}
    )
    data["y"] = data["y"].astype(float).fillna(0.0)
    last = int(data["ds"].max()) if last_ds is None else int(last_ds)
    data = data[data["ds"] <= last]
    ids = pd.Index(sorted(data["unique_id"].unique()), name="unique_id")

    positive = data[data["y"] > 0]
    first = positive.groupby("unique_id")["ds"].min().reindex(ids)
    last_demand = positive.groupby("unique_id")["ds"].max().reindex(ids)
    start = first if window is None else np.maximum(first, last - window + 1)
    in_window = positive.merge(start.rename("start").reset_index(), on="unique_id")
    in_window = in_window[in_window["ds"] >= in_window["start"]]
    sizes = in_window.groupby("unique_id")["y"]
    n_demand = sizes.size().reindex(ids).fillna(0).astype("int64")
    mean = sizes.mean().reindex(ids)
    std = sizes.std(ddof=0).reindex(ids)

    n_periods = (last - start + 1).fillna(0).astype("int64")
    history_len = (last - first + 1).fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = (n_periods / n_demand.replace(0, np.nan)).astype(float)
        cv2 = ((std / mean) ** 2).astype(float)
    since_last = (last - last_demand).astype(float)

    is_high_adi = adi >= adi_cutoff
    is_high_cv2 = cv2 >= cv2_cutoff
    demand_class = np.select(
        [
            last_demand.isna() | (since_last >= inactive_periods),
            history_len < min_history,
            ~is_high_adi & ~is_high_cv2,
            ~is_high_adi & is_high_cv2,
            is_high_adi & ~is_high_cv2,
        ],
        ["inactive", "new", "smooth", "erratic", "intermittent"],
        default="lumpy",
    )
    out = pd.DataFrame(
        {
            "unique_id": ids.astype(object),
            "n_periods": n_periods.to_numpy(),
            "n_demand_periods": n_demand.to_numpy(),
            "adi": adi.to_numpy(),
            "cv2": cv2.to_numpy(),
            "total_demand": data.groupby("unique_id")["y"].sum().reindex(ids).to_numpy(dtype=float),
            "first_demand_ds": first.to_numpy(dtype=float),
            "last_demand_ds": last_demand.to_numpy(dtype=float),
            "periods_since_last_demand": since_last.to_numpy(),
            "demand_class": demand_class.astype(object),
        }
    )
    out["segment"] = out["demand_class"].map(_SEGMENTS).astype(object)
    return out.astype(CLASSIFICATION_SCHEMA)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in CLASSIFICATION_SCHEMA.items()})
