"""Forecast accuracy metrics on tidy frames.

Every function takes a frame with an id column (``unique_id``), the actuals (``y``) and one
column per model holding that model's forecast, and returns one row per series (per
``(cutoff, unique_id)`` when a ``cutoff`` column is present, as cross-validation output has)
and one column per model: the shape of ``utilsforecast.losses``, which computes every metric it
has (MAE, MSE, RMSE, bias, WAPE, MASE, MSSE, RMSSE). This module adds only what it lacks:
pooling, a zero or undefined scale giving NaN instead of infinity, every series kept (also
one with no training rows), and the metrics it has no name for (``bias_units``,
``bias_pct``, ``tracking_signal``).

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

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from utilsforecast import losses as _ufl

__all__ = [
    "bias_pct",
    "bias_units",
    "mae",
    "mase",
    "mean_error",
    "mse",
    "msse",
    "rmse",
    "rmsse",
    "scaled_squared_error",
    "tracking_signal",
    "wape",
]

_POOLED_ID = "__all__"


def _group_cols(df: pd.DataFrame, id_col: str, cutoff_col: str) -> list[str]:
    return [cutoff_col, id_col] if cutoff_col in df.columns else [id_col]


def _as_float(df: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    return df.assign(**{c: df[c].astype(float) for c in columns})


def _finite(frame: pd.DataFrame, models: Sequence[str]) -> pd.DataFrame:
    """Infinity (a zero denominator) becomes NaN."""
    values = frame[list(models)].astype(float)
    return frame.assign(**{m: values[m].where(np.isfinite(values[m])) for m in models})


def _per_series(
    loss: Callable, df: pd.DataFrame, models: Sequence[str], id_col: str, target_col: str,
    cutoff_col: str, pooled: bool,
) -> pd.DataFrame:
    """``utilsforecast.losses.<loss>`` per series, or over every row as one series when pooled."""
    frame = _as_float(df, [*models, target_col])
    if pooled:
        frame = frame.drop(columns=[cutoff_col], errors="ignore").assign(**{id_col: _POOLED_ID})
    out = loss(frame, list(models), id_col=id_col, target_col=target_col, cutoff_col=cutoff_col)
    out = _finite(out, models)
    if pooled:
        return out[list(models)].reset_index(drop=True)
    groups = _group_cols(df, id_col, cutoff_col)
    return out.sort_values(groups, kind="mergesort")[groups + list(models)].reset_index(drop=True)


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


def _sum_by(df: pd.DataFrame, values: pd.DataFrame, group_cols: list[str], pooled: bool) -> pd.DataFrame:
    """Sum ``values`` (same index as ``df``) per group, or over everything when pooled."""
    if pooled:
        return values.sum(min_count=0).to_frame().T.reset_index(drop=True)
    return values.groupby([df[c] for c in group_cols], sort=True).sum().reset_index()


def _errors(df: pd.DataFrame, models: Sequence[str], target_col: str) -> pd.DataFrame:
    """``forecast - actual`` for each model column, as float."""
    y = df[target_col].astype(float)
    return pd.DataFrame({m: df[m].astype(float) - y for m in models}, index=df.index)


def mae(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean absolute error: ``MAE = mean_t |yhat_t - y_t|`` (``utilsforecast.losses.mae``)."""
    return _per_series(_ufl.mae, df, models, id_col, target_col, cutoff_col, pooled)


def mse(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean squared error: ``MSE = mean_t (yhat_t - y_t)^2`` (``utilsforecast.losses.mse``)."""
    return _per_series(_ufl.mse, df, models, id_col, target_col, cutoff_col, pooled)


def rmse(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Root mean squared error: ``RMSE = sqrt(mean_t (yhat_t - y_t)^2)`` (``utilsforecast``)."""
    return _per_series(_ufl.rmse, df, models, id_col, target_col, cutoff_col, pooled)


def wape(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Weighted absolute percentage error: ``WAPE = sum_t |yhat_t - y_t| / sum_t |y_t|``
    (``utilsforecast.losses.wape``).

    Pooled: the sums run over every row of every series (never netted). NaN when the
    actuals sum to zero. Warning: on intermittent demand an all-zero forecast often has
    the lowest WAPE (it scores exactly 1.0); never select models on WAPE alone.
    """
    return _per_series(_ufl.wape, df, models, id_col, target_col, cutoff_col, pooled)


def mean_error(
    df: pd.DataFrame,
    models: Sequence[str],
    *,
    id_col: str = "unique_id",
    target_col: str = "y",
    cutoff_col: str = "cutoff",
    pooled: bool = False,
) -> pd.DataFrame:
    """Mean error: ``ME = mean_t (yhat_t - y_t)`` (``utilsforecast.losses.bias``)."""
    return _per_series(_ufl.bias, df, models, id_col, target_col, cutoff_col, pooled)


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


def _mean_of_series(per_series: pd.DataFrame, models: Sequence[str]) -> pd.DataFrame:
    """Mean of per-series values skipping NaN, as a one-row frame."""
    return per_series[list(models)].astype(float).mean(skipna=True).to_frame().T.reset_index(drop=True)


def _scaled(
    loss: Callable, df: pd.DataFrame, models: Sequence[str], seasonality: int, train_df: pd.DataFrame,
    id_col: str, target_col: str, cutoff_col: str, time_col: str, pooled: bool,
) -> pd.DataFrame:
    """A scaled ``utilsforecast.losses`` metric per series, keeping every series of ``df``
    (NaN where the training series is too short or its scale is zero); pooled: the mean
    of the finite per-series values."""
    groups = _group_cols(df, id_col, cutoff_col)
    frame = _as_float(df, [*models, target_col])
    train = train_df[[id_col, time_col, target_col]].astype({target_col: float})
    train = train.sort_values([id_col, time_col], kind="mergesort")
    out = loss(frame, list(models), seasonality, train, id_col=id_col, target_col=target_col,
               cutoff_col=cutoff_col, time_col=time_col)
    out = _finite(out, models)
    every = frame[groups].drop_duplicates().sort_values(groups, kind="mergesort")
    out = every.merge(out[groups + list(models)], on=groups, how="left").reset_index(drop=True)
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
    """Mean absolute scaled error: ``MASE = MAE / mean_{t>m} |y_t - y_{t-m}|`` (training;
    ``utilsforecast.losses.mase``).

    ``seasonality`` m = 1 scales by the in-sample naive error, 12 by the seasonal naive
    on monthly data. With a ``cutoff`` column the training series of each fold is the
    history up to its cutoff. A zero scale (a constant or all-zero training series) gives
    NaN, never infinity; pooled MASE is the mean of the finite per-series values.
    """
    return _scaled(_ufl.mase, df, models, seasonality, train_df, id_col, target_col, cutoff_col, time_col, pooled)


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
    """Mean squared scaled error: ``MSSE = MSE / mean_{t>m} (y_t - y_{t-m})^2`` (training;
    ``utilsforecast.losses.msse``).

    Zero scale gives NaN. Pooled: mean of the finite per-series values.
    """
    return _scaled(_ufl.msse, df, models, seasonality, train_df, id_col, target_col, cutoff_col, time_col, pooled)


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
    """Root mean squared scaled error: ``RMSSE = sqrt(MSSE)`` (the M5 accuracy measure;
    ``utilsforecast.losses.rmsse``).

    Zero scale gives NaN. Pooled: mean of the finite per-series RMSSE values.
    """
    return _scaled(_ufl.rmsse, df, models, seasonality, train_df, id_col, target_col, cutoff_col, time_col, pooled)
