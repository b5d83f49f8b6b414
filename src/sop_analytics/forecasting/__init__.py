"""Forecasting logic: demand classification, candidate models, backtest selection, forecasts.

Pure functions over tidy frames (``unique_id``, ``ds``, ``y``); dbt Python models in
``python_models/forecasting/`` are thin wrappers around :func:`pipeline.forecast_demand`, whose
settings are one :class:`config.ForecastConfig` (:func:`pipeline.run_forecasting` takes
them as keyword arguments instead).
"""

from sop_analytics.forecasting.config import ForecastConfig
from sop_analytics.forecasting.pipeline import forecast_demand, run_forecasting

__all__ = ["ForecastConfig", "forecast_demand", "run_forecasting"]
