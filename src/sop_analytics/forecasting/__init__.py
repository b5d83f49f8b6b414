"""Forecasting logic: demand classification, candidate models, backtest selection, forecasts.

Pure functions over tidy frames (``unique_id``, ``ds``, ``y``); dbt Python models in
``python_models/forecasting/`` are thin wrappers around :func:`pipeline.run_forecasting`.
"""

from sop_analytics.forecasting.pipeline import run_forecasting

__all__ = ["run_forecasting"]
