"""A global machine-learning candidate: one LightGBM model (mlforecast) across the SKUs of a
family segment.

Local statistical models see one short, noisy series each; a global model learns the
shape of demand (how a period follows the last few, what a promotion or a long period
does) from every SKU of the family segment at once, which is what helps the long tail,
short histories and erratic demand.

Each series is divided by its own scale (the mean of its training demand; 1 when that is
zero), so SKUs selling 5 and 5,000 units share one model; forecasts are multiplied back.
Features (mlforecast, recursive multi-step):

- lags 1, 2, 3, 6 and ``season_length`` when it is at most 13 (monthly / 4-4-5 data;
  weekly data with a 52-period season has too few seasons for a seasonal lag);
- rolling statistics of lag 1: means over 3, 6 and 12 periods, standard deviation over 6,
  and the expanding mean;
- calendar: the period's position in the season (``ds % season_length``) and its length
  in days (``n_days``, 1 when unknown);
- promotions: ``promo_share`` (the promotion coverage of the period when a calendar is
  landed, known for the horizon as well);
- the family, as a categorical code (constant within a family segment: it matters when
  several families are trained together).

Deterministic: fixed seeds, ``deterministic=True``, one thread, inputs sorted. Cost: a
few seconds per family segment and window (LightGBM with 150 trees of 15 leaves).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["GLOBAL_ML", "MIN_SERIES", "global_ml_cv", "global_ml_forecast", "is_ml"]

from sop_analytics.forecasting.candidates import GLOBAL_ML  # noqa: E402
# a global model needs many series to learn across; smaller family segments skip it
MIN_SERIES = 20


def is_ml(method: str) -> bool:
    return method == GLOBAL_ML


def _lags(season_length: int) -> list[int]:
    lags = [1, 2, 3, 6]
    if 1 < season_length <= 13 and season_length not in lags:
        lags.append(season_length)
    return lags


def _model(seed: int = 0):
    from lightgbm import LGBMRegressor

    return LGBMRegressor(
        n_estimators=150, learning_rate=0.05, num_leaves=15, min_child_samples=20,
        subsample=1.0, colsample_bytree=1.0, reg_lambda=1.0, random_state=seed,
        deterministic=True, force_row_wise=True, n_jobs=1, verbose=-1,
    )


def _features(df: pd.DataFrame, season_length: int, days: pd.Series | None) -> pd.DataFrame:
    """``unique_id, ds, family_code, promo_share, season_pos, n_days`` (+ ``y`` when present)."""
    out = pd.DataFrame({"unique_id": df["unique_id"].to_numpy(), "ds": df["ds"].to_numpy(dtype="int64")})
    if "y" in df.columns:
        out["y"] = df["y"].to_numpy(dtype=float)
    out["promo_share"] = df["promo_share"].to_numpy(dtype=float) if "promo_share" in df.columns else 0.0
    out["season_pos"] = (out["ds"] % max(int(season_length), 1)).astype(float)
    if "n_days" in df.columns:
        out["n_days"] = df["n_days"].to_numpy(dtype=float)
    else:
        out["n_days"] = out["ds"].map(days).astype(float).fillna(1.0).to_numpy() if days is not None else 1.0
    return out


def _fit_predict(
    train: pd.DataFrame, future: pd.DataFrame, h: int, season_length: int, family_codes: pd.Series,
) -> pd.DataFrame:
    """Fit on ``train`` (features + y), predict ``h`` steps with ``future`` exogenous rows."""
    from mlforecast import MLForecast
    from mlforecast.lag_transforms import ExpandingMean, RollingMean, RollingStd

    train = train.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
    scale = train.groupby("unique_id", sort=True)["y"].mean()
    scale = scale.where(scale > 0, 1.0)
    train = train.assign(y=train["y"] / train["unique_id"].map(scale),
                         family_code=train["unique_id"].map(family_codes).astype(float))
    mlf = MLForecast(
        models={GLOBAL_ML: _model()}, freq=1, lags=_lags(season_length),
        lag_transforms={1: [RollingMean(window_size=3), RollingMean(window_size=6), RollingMean(window_size=12),
                            RollingStd(window_size=6), ExpandingMean()]},
        num_threads=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlf.fit(train[["unique_id", "ds", "y", "family_code", "promo_share", "season_pos", "n_days"]],
                static_features=["family_code"], dropna=False)
        x = future.sort_values(["unique_id", "ds"], kind="mergesort")[
            ["unique_id", "ds", "promo_share", "season_pos", "n_days"]]
        pred = mlf.predict(h, X_df=x)
    pred[GLOBAL_ML] = np.clip(pred[GLOBAL_ML].to_numpy(dtype=float), 0.0, None) * pred["unique_id"].map(scale).to_numpy()
    return pred[["unique_id", "ds", GLOBAL_ML]]


def _family_codes(df: pd.DataFrame) -> pd.Series:
    fams = df.drop_duplicates("unique_id").set_index("unique_id")["family"] if "family" in df.columns else None
    if fams is None:
        return pd.Series(0.0, index=df["unique_id"].unique())
    codes = {f: i for i, f in enumerate(sorted(fams.unique()))}
    return fams.map(codes).astype(float)


def global_ml_cv(
    df: pd.DataFrame, *, h: int, n_windows: int, step_size: int, season_length: int,
    days: pd.Series | None = None,
) -> pd.DataFrame:
    """Rolling-origin backtest of the global model with the statsforecast cutoffs.

    ``df``: ``unique_id, ds, y`` (+ ``family``, ``promo_share``), every series ending at the
    same period (the panel is dense to the last closed period). The model is refit at each
    cutoff on the data up to it. Returns ``unique_id, ds, cutoff, GlobalLGBM``.
    """
    df = df.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
    last = int(df["ds"].max())
    codes = _family_codes(df)
    feats = _features(df, season_length, days)
    parts = []
    for w in range(n_windows):
        cutoff = last - h - step_size * (n_windows - 1 - w)
        train = feats[feats["ds"] <= cutoff]
        future = feats[(feats["ds"] > cutoff) & (feats["ds"] <= cutoff + h)]
        ids = train["unique_id"].unique()
        future = future[future["unique_id"].isin(ids)]
        if len(ids) == 0 or future.empty:
            continue
        pred = _fit_predict(train.drop(columns=[]), future.drop(columns="y"), h, season_length, codes)
        parts.append(pred.assign(cutoff=cutoff))
    if not parts:
        return pd.DataFrame({"unique_id": pd.Series(dtype=object), "ds": pd.Series(dtype="int64"),
                             "cutoff": pd.Series(dtype="int64"), GLOBAL_ML: pd.Series(dtype=float)})
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"ds": "int64", "cutoff": "int64"})


def global_ml_forecast(
    train: pd.DataFrame, ids: Sequence[str], *, horizon: int, season_length: int,
    future_promo: pd.DataFrame | None = None, days: pd.Series | None = None,
) -> pd.DataFrame:
    """Fit on every series of ``train`` and forecast ``horizon`` periods of ``ids``.

    ``future_promo``: ``unique_id, ds, promo_share`` over the horizon (0 where absent).
    Returns ``unique_id, ds, GlobalLGBM``.
    """
    train = train.sort_values(["unique_id", "ds"], kind="mergesort").reset_index(drop=True)
    codes = _family_codes(train)
    feats = _features(train, season_length, days)
    last = train.groupby("unique_id", sort=True)["ds"].max()
    future = pd.DataFrame({
        "unique_id": np.repeat(last.index.to_numpy(), horizon),
        "ds": (last.to_numpy()[:, None] + np.arange(1, horizon + 1)).ravel(),
    })
    if future_promo is not None and not future_promo.empty:
        future = future.merge(future_promo[["unique_id", "ds", "promo_share"]].drop_duplicates(["unique_id", "ds"]),
                              on=["unique_id", "ds"], how="left")
    future["promo_share"] = future.get("promo_share", pd.Series(0.0, index=future.index)).astype(float).fillna(0.0)
    future = _features(future, season_length, days)
    pred = _fit_predict(feats, future, horizon, season_length, codes)
    return pred[pred["unique_id"].isin(set(ids))].reset_index(drop=True)
