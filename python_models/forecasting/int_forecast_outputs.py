"""One forecasting run for the cycle: backtest selection per family segment, the
forecast of every master SKU and the backtest forecasts of the selected methods, stacked in
one frame (column ``output``), split by the SQL models int_forecast_method_selection,
int_demand_forecast and int_forecast_backtest.

Thin wrapper: the logic is ``sop_analytics.forecasting`` (tested with pytest). Vars reach a
Python model through its config: the YAML sets ``config.meta.forecast_horizon``,
``backtest_windows``, ``forecast_season_length`` (periods per season, default 12) and ``long_tail_families`` (comma-separated families forecast at
family level and split to SKUs by share) from the dbt vars of the same names (rendered as
strings), and ``forecast_n_jobs`` (default: the profile's threads) sets how many
processes forecast families side by side; the output is the same for any value.
``forecast_ml`` (default false) adds the global LightGBM candidate and EnsembleML;
``forecast_conformal_intervals`` and ``forecast_noise_fallback`` (default false) switch on
the conformal intervals and the robust-ensemble fallback (see the YAML);
``forecast_max_backtest_series`` (default 300, null = all) caps the SKUs backtested per
family segment (a seeded sample).
``forecast_reuse`` (default true) reuses the outputs of every family whose history, pins,
promotions and settings are unchanged (``forecast_cache.family_outputs``, keyed by a
content hash; :mod:`sop_analytics.forecasting.reuse`); ``forecast_engine`` (local or dask)
chooses where families are fitted. The classification vars (``adi_cutoff``,
``cv2_cutoff``, ``min_history_periods``, ``inactive_periods``) reach it the same way, so its
segments follow the SQL classification's rule (the dbt test
forecaster_classes_match_the_sql_classification). The node logs its progress (families
done of all) to the dbt log.

Demand is modelled per day of each planning period (4-4-5 periods have 28 or 35 days),
so int_planning_periods passes every period's length.

The promotion calendar (int_promotion_coverage_by_sku_period) is PromoLift's regressor for
history and horizon when crm/promotions was landed; without it no promotion is assumed in
the horizon.
"""


def model(dbt, session):
    dbt.config(materialized="table", packages=[])
    from sop_analytics.forecasting.config import ForecastConfig
    from sop_analytics.forecasting.dbt_io import dbt_progress, pins_from_seed, stack_outputs
    from sop_analytics.forecasting.pipeline import forecast_demand
    from sop_analytics.forecasting.reuse import DuckDBFamilyCache

    # dbt finds meta_get calls by reading this file: keep each a plain call. The values are
    # the rendered vars (strings); ForecastConfig.from_dbt_meta parses and checks them.
    meta = {
        "forecast_horizon": dbt.config.meta_get("forecast_horizon"),
        "backtest_windows": dbt.config.meta_get("backtest_windows"),
        "forecast_season_length": dbt.config.meta_get("forecast_season_length"),
        "long_tail_families": dbt.config.meta_get("long_tail_families"),
        "forecast_n_jobs": dbt.config.meta_get("forecast_n_jobs"),
        "forecast_ml": dbt.config.meta_get("forecast_ml"),
        "forecast_conformal_intervals": dbt.config.meta_get("forecast_conformal_intervals"),
        "forecast_noise_fallback": dbt.config.meta_get("forecast_noise_fallback"),
        "forecast_max_backtest_series": dbt.config.meta_get("forecast_max_backtest_series"),
        "forecast_engine": dbt.config.meta_get("forecast_engine"),
        "forecast_dask_address": dbt.config.meta_get("forecast_dask_address"),
        # the classification vars, the same the SQL classification (int_skus_classified) reads
        "adi_cutoff": dbt.config.meta_get("adi_cutoff"),
        "cv2_cutoff": dbt.config.meta_get("cv2_cutoff"),
        "min_history_periods": dbt.config.meta_get("min_history_periods"),
        "inactive_periods": dbt.config.meta_get("inactive_periods"),
    }
    config = ForecastConfig.from_dbt_meta({name: value for name, value in meta.items() if value is not None})
    reuse = str(dbt.config.meta_get("forecast_reuse")).strip().lower() in ("true", "1", "yes")
    # the build gate stops the build (one message) when there is no plan to make
    dbt.ref("int_build_gate")
    history = dbt.ref("int_demand_history_by_sku_period").df()
    calendar = dbt.ref("int_promotion_coverage_by_sku_period").df()
    periods = dbt.ref("int_planning_periods").df()
    files = dbt.ref("stg_landing__files").df()
    promotions_landed = bool(
        ((files["source_system"] == "crm") & (files["entity"] == "promotions") & (files["status"] == "present")).any()
    )
    result = forecast_demand(
        history[["master_sku", "master_family", "period_seq", "demand_units", "promo_units"]],
        config,
        pins=pins_from_seed(dbt.ref("forecast_method_pins").df()),
        promo_calendar=calendar[["master_sku", "period_seq", "promo_coverage"]] if promotions_landed else None,
        period_days=periods[["period_seq", "n_days"]],
        cache=DuckDBFamilyCache(session) if reuse else None,
        progress=dbt_progress(),
    )
    return stack_outputs(result)
