"""Forecast accuracy metrics on tidy frames.

Every function takes a frame with an id column (``unique_id``), the actuals (``y``) and one
column per model holding that model's forecast, and returns one row per series (per
``(cutoff, unique_id)`` when a ``cutoff`` column is present, as cross-validation output has)
and one column per model: the same shape as ``utilsforecast.losses``, so the two can be
compared value for value.

``pooled=True`` returns a single row instead. What "pooled" means is said per metric:

* ratio metrics (``wape``, ``bias_pct``) pool numerator and denominator separately:
  ``sum |y - yhat| / sum |y|`` over every row, so errors of opposite sign never net out;
* mean metrics (``mae``, ``mse``, ``rmse``, ``mean_error``) take the mean over every row;
* sums (``bias_units``) sum over every row;
* scaled metrics (``mase``, ``rmsse``, ``scaled_squared_error``) and ``tracking_signal``
  take the mean of the per-series values, skipping series whose value is NaN (a zero or
  undefined scale).

Sign convention: an error is ``forecast - actual``; a positive bias is over-forecasting.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "bias_pct",
    "bias_units",
    "mae",
    "mase",
    "mean_error",
    "mse",
    "msse",
    "naive_scale",
    "rmse",
    "rmsse",
    "scaled_squared_error",
    "tracking_signal",
    "wape",
]


def _group_cols(df: pd.DataFrame, id_col: str, cutoff_col: str) -> list[str]:
    return [cutoff_col, id_col] if cutoff_col in df.columns else [id_col]


def _sum_by(
    df: pd.DataFrame, values: pd.DataFrame, group_cols: list[str], pooled: bool
) -> pd.DataFrame:
    """Sum ``values`` (same index as ``df``) per group, or over everything when pooled."""
    if pooled:
        return values.sum(min_count=0).to_frame().T.reset_index(drop=True)
    keys = [df[c] for c in group_cols]
    return values.groupby(keys, sort=True).sum().reset_index()


def _count_by(df: pd.DataFrame, group_cols: list[str], pooled: bool) -> pd.Series:
    if pooled:
        return pd.Series([float(len(df))])
    return df.groupby(group_cols, sort=True).size().astype(float).reset_index(drop=True)


def _errors(df: pd.DataFrame, models: Sequence[str], target_col: str) -> pd.DataFrame:
    """``forecast - actual`` for each model column, as float."""
    y = df[target_col].astype(float)
    return pd.DataFrame({m: df[m].astype(float) - y for m in models}, index=df.index)


def _ratio(
    num: pd.DataFrame, den: pd.Series | pd.DataFrame, models: Sequence[str]
) -> pd.DataFrame:
    """Divide the model columns of ``num`` by ``den`` row by row; a zero denominator gives NaN."""
    out = num.copy()
    for m in models:
        d = np.asarray(den[m] if isinstance(den, pd.DataFrame) else den, dtype=float)
        n = out[m].to_numpy(dtype=float)
        out[m] = np.divide(n, d, out=np.full_like(n, np.nan), where=(d != 0) & ~np.isnan(d))
    return out


def mae(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean absolute error: ``MAE = mean_t |yhat_t - y_t|``."""
    groups = _group_cols(df, id_col, cutoff_col)
    abs_err = _sum_by(df, _errors(df, models, target_col).abs(), groups, pooled)
    return _ratio(abs_err, _count_by(df, groups, pooled), models)


def mse(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean squared error: ``MSE = mean_t (yhat_t - y_t)^2``."""
    groups = _group_cols(df, id_col, cutoff_col)
    sq_err = _sum_by(df, _errors(df, models, target_col) ** 2, groups, pooled)
    return _ratio(sq_err, _count_by(df, groups, pooled), models)


def rmse(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Root mean squared error: ``RMSE = sqrt(mean_t (yhat_t - y_t)^2)``."""
    out = mse(df, models, id_col=id_col, target_col=target_col, cutoff_col=cutoff_col, pooled=pooled)
    out[list(models)] = np.sqrt(out[list(models)])
    return out


def wape(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Weighted absolute percentage error: ``WAPE = sum_t |yhat_t - y_t| / sum_t |y_t|``.

    Pooled: the sums run over every row of every series (never netted). NaN when the
    actuals sum to zero. Warning: on intermittent demand an all-zero forecast often has
    the lowest WAPE (it scores exactly 1.0); never select models on WAPE alone.
    """
    groups = _group_cols(df, id_col, cutoff_col)
    abs_err = _sum_by(df, _errors(df, models, target_col).abs(), groups, pooled)
    abs_y = df[target_col].astype(float).abs()
    den = abs_y.sum() if pooled else abs_y.groupby([df[c] for c in groups], sort=True).sum().reset_index(drop=True)
    den = pd.Series([den]) if pooled else den
    return _ratio(abs_err, den, models)


def mean_error(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean error (``utilsforecast.losses.bias``): ``ME = mean_t (yhat_t - y_t)``."""
    groups = _group_cols(df, id_col, cutoff_col)
    err = _sum_by(df, _errors(df, models, target_col), groups, pooled)
    return _ratio(err, _count_by(df, groups, pooled), models)


def bias_units(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Bias in units: ``sum_t (yhat_t - y_t)``; positive = over-forecast."""
    groups = _group_cols(df, id_col, cutoff_col)
    return _sum_by(df, _errors(df, models, target_col), groups, pooled)


def bias_pct(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Bias as a share of actuals: ``sum_t (yhat_t - y_t) / sum_t y_t`` (0.10 = 10 % over).

    NaN when the actuals sum to zero.
    """
    groups = _group_cols(df, id_col, cutoff_col)
    err = _sum_by(df, _errors(df, models, target_col), groups, pooled)
    y = df[target_col].astype(float)
    den = pd.Series([y.sum()]) if pooled else y.groupby([df[c] for c in groups], sort=True).sum().reset_index(drop=True)
    return _ratio(err, den, models)


def tracking_signal(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Tracking signal: ``TS = sum_t (yhat_t - y_t) / MAD`` with ``MAD = mean_t |yhat_t - y_t|``.

    The textbook running sum of forecast errors uses ``actual - forecast``; here the sign
    follows ``bias_units`` (positive = over-forecast). |TS| > 4 is the usual alarm.
    NaN when MAD is zero. Pooled: mean of the per-series values.
    """
    groups = _group_cols(df, id_col, cutoff_col)
    out = _ratio(
        bias_units(df, models, id_col=id_col, target_col=target_col, cutoff_col=cutoff_col),
        mae(df, models, id_col=id_col, target_col=target_col, cutoff_col=cutoff_col),
        models,
    )
    return _mean_of_series(out, models) if pooled else out[groups + list(models)]


def naive_scale(
    train_df: pd.DataFrame,
    *,
    seasonality: int = 1,
    power: int = 1,
    cutoffs: pd.DataFrame | None = None,
    id_col: str = "unique_id",
    time_col: str = "ds",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
) -> pd.DataFrame:
    """In-sample (seasonal) naive error of each training series, the denominator of MASE/RMSSE.

    ``scale = mean_{t > m} |y_t - y_{t-m}| ** power`` over the training series, with
    ``m = seasonality`` (1 = naive, 12 = seasonal naive on monthly data) and ``power`` 1 for
    MASE, 2 for MSSE/RMSSE. With ``cutoffs`` (columns ``unique_id, cutoff``, e.g. the
    distinct pairs of a cross-validation frame) the training series of each pair is the
    history up to and including its cutoff. Series with at most ``m`` points get NaN.
    """
    train = train_df[[id_col, time_col, target_col]].sort_values([id_col, time_col], kind="mergesort")
    keys = [id_col]
    if cutoffs is not None:
        pairs = cutoffs[[id_col, cutoff_col]].drop_duplicates()
        train = train.merge(pairs, on=id_col, how="inner")
        train = train[train[time_col] <= train[cutoff_col]]
        keys = [cutoff_col, id_col]
        train = train.sort_values(keys + [time_col], kind="mergesort")
    y = train[target_col].astype(float)
    lagged = y.groupby([train[k] for k in keys], sort=False).shift(seasonality)
    diff = (y - lagged).abs() ** power
    scale = diff.groupby([train[k] for k in keys], sort=True).mean().rename("scale").reset_index()
    return scale


def _mean_of_series(per_series: pd.DataFrame, models: Sequence[str]) -> pd.DataFrame:
    """Mean of per-series values skipping NaN, as a one-row frame."""
    return per_series[list(models)].astype(float).mean(skipna=True).to_frame().T.reset_index(drop=True)


def _scaled(
    numerator: pd.DataFrame,
    scale: pd.DataFrame,
    models: Sequence[str],
    group_cols: list[str],
    pooled: bool,
) -> pd.DataFrame:
    merged = numerator.merge(scale, on=group_cols, how="left")
    out = _ratio(merged[group_cols + list(models)], merged["scale"], models)
    return _mean_of_series(out, models) if pooled else out


def mase(
    df: pd.DataFrame,
    models: Sequence[str],
    seasonality: int,
    train_df: pd.DataFrame,
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    time_col: str = "ds",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean absolute scaled error: ``MASE = MAE / mean_{t>m} |y_t - y_{t-m}|`` (training).

    ``seasonality`` m = 1 scales by the in-sample naive error, 12 by the seasonal naive
    on monthly data. A zero scale (a constant or all-zero training series) gives NaN,
    never infinity; pooled MASE is the mean of the finite per-series values.
    """
    groups = _group_cols(df, id_col, cutoff_col)
    cutoffs = df[groups] if cutoff_col in df.columns else None
    scale = naive_scale(
        train_df, seasonality=seasonality, power=1, cutoffs=cutoffs, id_col=id_col,
        time_col=time_col, target_col=target_col, cutoff_col=cutoff_col,
    )
    num = mae(df, models, id_col=id_col, target_col=target_col, cutoff_col=cutoff_col)
    return _scaled(num, scale, models, groups, pooled)


def msse(
    df: pd.DataFrame,
    models: Sequence[str],
    seasonality: int,
    train_df: pd.DataFrame,
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    time_col: str = "ds",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean squared scaled error: ``MSSE = MSE / mean_{t>m} (y_t - y_{t-m})^2`` (training).

    Zero scale gives NaN. Pooled: mean of the finite per-series values.
    """
    groups = _group_cols(df, id_col, cutoff_col)
    cutoffs = df[groups] if cutoff_col in df.columns else None
    scale = naive_scale(
        train_df, seasonality=seasonality, power=2, cutoffs=cutoffs, id_col=id_col,
        time_col=time_col, target_col=target_col, cutoff_col=cutoff_col,
    )
    num = mse(df, models, id_col=id_col, target_col=target_col, cutoff_col=cutoff_col)
    return _scaled(num, scale, models, groups, pooled)


def scaled_squared_error(
    df: pd.DataFrame,
    models: Sequence[str],
    seasonality: int,
    train_df: pd.DataFrame,
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    time_col: str = "ds",
    pooled: bool = False,
) -> pd.DataFrame:
    """Scaled squared error, the selection metric for intermittent demand (= ``msse``).

    ``SSE_scaled = mean_t (yhat_t - y_t)^2 / mean_{t>m} (y_t - y_{t-m})^2``. A squared
    error is minimised by the mean, not the median, so an all-zero forecast cannot win it
    on intermittent series the way it wins MAE, MASE and WAPE.
    """
    return msse(
        df, models, seasonality, train_df, id_col=id_col, target_col=target_col,
        cutoff_col=cutoff_col, time_col=time_col, pooled=pooled,
    )


def rmsse(
    df: pd.DataFrame,
    models: Sequence[str],
    seasonality: int,
    train_df: pd.DataFrame,
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    time_col: str = "ds",
    pooled: bool = False,
) -> pd.DataFrame:
    """Root mean squared scaled error: ``RMSSE = sqrt(MSSE)`` (the M5 accuracy measure).

    Zero scale gives NaN. Pooled: mean of the finite per-series RMSSE values.
    """
    groups = _group_cols(df, id_col, cutoff_col)
    out = msse(
        df, models, seasonality, train_df, id_col=id_col, target_col=target_col,
        cutoff_col=cutoff_col, time_col=time_col,
    )
    out[list(models)] = np.sqrt(out[list(models)])
    return _mean_of_series(out, models) if pooled else out[groups + list(models)]
