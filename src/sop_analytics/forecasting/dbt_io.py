"""What the dbt Python model needs around :func:`run_forecasting`: the planner's pins from
the seed, and one output frame that carries the selection table, the forecast and the
backtest forecasts of the selected methods.

dbt-duckdb allows one model per ``.py`` file and one returned frame per model; the backtest
selection, the forecast and the selected method's backtest come out of one run, so they are
returned stacked (told apart by the ``output`` column) and SQL models split them. Running
the pipeline once per output would run every backtest several times.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["dbt_progress", "pins_from_seed", "stack_outputs", "STACKED_COLUMNS"]

SELECTION_COLUMNS: tuple[str, ...] = (
    "master_family", "segment", "forecast_level", "candidate", "members", "metric", "score",
    "score_promoted", "bias_pct", "wape", "mase", "n_series", "n_series_total",
    "n_promoted_series", "n_windows", "h", "step_size", "rank", "is_selected", "pinned",
    "selection_reason",
)
FORECAST_COLUMNS: tuple[str, ...] = (
    "master_sku", "master_family", "demand_class", "period_seq", "forecast", "lo_80", "hi_80",
    "lo_95", "hi_95", "method",
)
# backtest rows reuse master_sku, master_family, segment, period_seq, forecast and method
BACKTEST_COLUMNS: tuple[str, ...] = (
    "master_sku", "master_family", "segment", "cutoff_seq", "period_seq", "actual_units", "forecast",
    "method",
)
STACKED_COLUMNS: tuple[str, ...] = ("output", "output_key") + SELECTION_COLUMNS + tuple(
    c for c in FORECAST_COLUMNS if c not in SELECTION_COLUMNS
) + tuple(c for c in BACKTEST_COLUMNS if c not in SELECTION_COLUMNS + FORECAST_COLUMNS)
_INTEGER = {"n_series", "n_series_total", "n_promoted_series", "n_windows", "h", "step_size", "rank", "period_seq",
            "cutoff_seq"}
_BOOLEAN = {"is_selected", "pinned"}
_FLOAT = {"score", "score_promoted", "bias_pct", "wape", "mase", "forecast", "lo_80", "hi_80", "lo_95", "hi_95",
          "actual_units"}


def pins_from_seed(seed: pd.DataFrame) -> pd.DataFrame:
    """The seed ``forecast_method_pins`` (master_family, segment, method, reason) as the
    ``pins`` frame of :func:`run_forecasting` (family, segment, method, reason)."""
    pins = seed.rename(columns={"master_family": "family"})
    return pins[["family", "segment", "method", "reason"]].astype(str).reset_index(drop=True)


def stack_outputs(result: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Selection rows (``output = 'selection'``, ``output_key`` = family|segment|candidate),
    forecast rows (``output = 'forecast'``, ``output_key`` = master_sku|period_seq) and
    backtest rows of the selected methods (``output = 'backtest'``, ``output_key`` =
    master_sku|cutoff_seq|period_seq; ``cutoff_seq`` is the last training period,
    ``actual_units`` the actual demand) in one frame with nullable, explicitly typed columns
    (so an empty run still has types). A result without a ``backtest`` frame adds no rows."""
    selection = result["selection"].rename(columns={"family": "master_family"})
    selection = selection.assign(
        output="selection",
        output_key=selection["master_family"] + "|" + selection["segment"] + "|" + selection["candidate"])
    classes = result["classification"][["unique_id", "family", "demand_class"]]
    forecast = result["forecast"].merge(classes, on="unique_id", how="left").rename(
        columns={"unique_id": "master_sku", "family": "master_family", "ds": "period_seq"})
    forecast = forecast.assign(
        output="forecast", output_key=forecast["master_sku"] + "|" + forecast["period_seq"].astype(str))
    frames = [selection, forecast]
    if "backtest" in result:
        backtest = result["backtest"].rename(columns={
            "unique_id": "master_sku", "family": "master_family", "cutoff": "cutoff_seq", "ds": "period_seq",
            "y": "actual_units"})
        backtest = backtest.assign(
            output="backtest",
            output_key=backtest["master_sku"] + "|" + backtest["cutoff_seq"].astype(str) + "|"
            + backtest["period_seq"].astype(str))
        frames.append(backtest)
    stacked = pd.concat(frames, ignore_index=True, sort=False)
    stacked = stacked.reindex(columns=list(STACKED_COLUMNS))
    types = {c: ("Int64" if c in _INTEGER else "boolean" if c in _BOOLEAN else "float64" if c in _FLOAT
                 else "string") for c in STACKED_COLUMNS}
    return stacked.astype(types)


def dbt_progress():
    """A ``progress`` callback for :func:`run_forecasting` that writes each line to dbt's
    log (console and ``logs/dbt.log``) as an adapter info event; ``print`` outside dbt."""
    try:
        from dbt.adapters.events.logging import AdapterLogger
    except ImportError:  # pragma: no cover - outside a dbt installation
        return lambda message: print(message, flush=True)
    logger = AdapterLogger("sop_forecasting")
    return logger.info
