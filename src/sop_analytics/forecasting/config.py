"""The settings of one forecasting run, in one place.

:class:`ForecastConfig` holds everything :func:`pipeline.forecast_demand` needs besides the data
(history, pins, promotion calendar, period lengths) and the plumbing (family cache,
progress log). :meth:`ForecastConfig.from_dbt_meta` builds it from the strings the dbt
model ``int_forecast_outputs`` receives through its ``config.meta`` (the dbt vars of the
same names, see ``dbt_project.yml``), so the dbt model only reads and passes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CLASSIFICATION_VARS", "ENGINES", "ForecastConfig"]

# The classification's vars, as dbt names them (dbt_project.yml), and the parameter of
# classify_demand each one sets: the forecaster classifies with the same cut-offs as the SQL
# model int_skus_classified (a dbt test on every build checks that they agree).
CLASSIFICATION_VARS: dict[str, str] = {
    "adi_cutoff": "adi_cutoff",
    "cv2_cutoff": "cv2_cutoff",
    "min_history_periods": "min_history",
    "inactive_periods": "inactive_periods",
}
ENGINES = ("local", "dask")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no", "")


@dataclass(frozen=True)
class ForecastConfig:
    """One forecasting run's settings.

    ``horizon`` periods ahead, selected on ``n_windows`` rolling-origin backtest windows;
    ``season_length`` periods per season. ``long_tail_families`` are forecast as one
    aggregated series and split to SKUs by share. Families whose promoted units reach
    ``promo_share_threshold`` of demand get the PromoLift candidate.
    ``max_backtest_series`` caps the SKUs backtested per family segment (seeded sample,
    ``seed``); ``refit`` refits each backtest window. ``ml`` adds the global LightGBM
    candidate and EnsembleML; ``conformal`` the split-conformal intervals;
    ``noise_fallback`` the median ensemble when a winner's lead is within its noise.
    ``classification_cutoffs``: the classification vars by their dbt names
    (``CLASSIFICATION_VARS``; one left out keeps classify_demand's default). ``n_jobs``
    processes on the ``local`` engine, or workers of a local Dask cluster on the ``dask``
    engine unless ``engine_address`` names a scheduler.
    """

    horizon: int
    n_windows: int
    season_length: int = 12
    long_tail_families: tuple[str, ...] = ()
    promo_share_threshold: float = 0.10
    max_backtest_series: int | None = None
    seed: int = 0
    refit: bool = False
    ml: bool = True
    conformal: bool = True
    noise_fallback: bool = True
    classification_cutoffs: Mapping[str, float] = field(default_factory=dict)
    n_jobs: int = 1
    engine: str = "local"
    engine_address: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "long_tail_families", tuple(self.long_tail_families))
        object.__setattr__(self, "classification_cutoffs", dict(self.classification_cutoffs or {}))
        if int(self.horizon) < 1:
            raise ValueError(f"forecast horizon must be at least 1 period, got {self.horizon!r}")
        if int(self.n_windows) < 1:
            raise ValueError(f"backtest windows must be at least 1, got {self.n_windows!r}")
        if self.engine not in ENGINES:
            raise ValueError(f"forecast engine {self.engine!r} is not one of {', '.join(ENGINES)}")
        unknown = sorted(set(self.classification_cutoffs) - set(CLASSIFICATION_VARS))
        if unknown:
            raise ValueError(f"unknown classification var(s) {unknown}: expected some of {sorted(CLASSIFICATION_VARS)}")

    def classify_kwargs(self) -> dict[str, float]:
        """``classify_demand`` keyword arguments from the classification vars."""
        out: dict[str, float] = {}
        for name, value in self.classification_cutoffs.items():
            param = CLASSIFICATION_VARS[name]
            out[param] = int(value) if param in ("min_history", "inactive_periods") else float(value)
        return out

    def selection_settings(self, promo_families: Sequence[str]) -> dict[str, Any]:
        """The keyword arguments of :func:`selection.select_methods` (and what a family's
        reuse key hashes as its settings, with ``promo_families`` left out)."""
        return dict(horizon=int(self.horizon), n_windows=int(self.n_windows), season_length=int(self.season_length),
                    promo_families=list(promo_families), max_series_per_segment=self.max_backtest_series,
                    seed=int(self.seed), refit=bool(self.refit), ml=bool(self.ml),
                    noise_fallback=bool(self.noise_fallback))

    @classmethod
    def from_dbt_meta(cls, meta: Mapping[str, Any]) -> ForecastConfig:
        """The config from the dbt model's ``config.meta`` values (strings, as dbt renders
        vars), by var name: ``forecast_horizon``, ``backtest_windows``,
        ``forecast_season_length``, ``long_tail_families`` (comma-separated),
        ``forecast_n_jobs``, ``forecast_ml``, ``forecast_conformal_intervals``,
        ``forecast_noise_fallback``, ``forecast_max_backtest_series`` (a whole number, or
        ``None``/empty for no cap), ``forecast_engine``, ``forecast_dask_address`` and the
        classification vars. A value that is not what its var must be is an error naming
        the var and the value."""

        def flag(name: str, default: bool) -> bool:
            text = str(meta.get(name, default)).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(f"var {name}: {meta.get(name)!r} is not true or false")

        def number(name: str, default: int) -> int:
            value = meta.get(name, default)
            try:
                return int(float(str(value).strip()))
            except ValueError:
                raise ValueError(f"var {name}: {value!r} is not a whole number") from None

        def cap(name: str) -> int | None:
            text = str(meta.get(name, "") or "").strip()
            if text.lower() in ("", "none", "null"):
                return None
            value = number(name, 0)
            if value < 1:
                raise ValueError(f"var {name}: {meta.get(name)!r} must be at least 1 (or null for no cap)")
            return value

        long_tail = str(meta.get("long_tail_families", "") or "")
        address = str(meta.get("forecast_dask_address", "") or "").strip()
        return cls(
            horizon=number("forecast_horizon", 12),
            n_windows=number("backtest_windows", 3),
            season_length=number("forecast_season_length", 12),
            long_tail_families=tuple(f.strip() for f in long_tail.split(",") if f.strip()),
            ml=flag("forecast_ml", False),
            conformal=flag("forecast_conformal_intervals", False),
            noise_fallback=flag("forecast_noise_fallback", False),
            max_backtest_series=cap("forecast_max_backtest_series"),
            classification_cutoffs={name: meta[name] for name in CLASSIFICATION_VARS if meta.get(name) is not None},
            n_jobs=max(1, number("forecast_n_jobs", 1)),
            engine=str(meta.get("forecast_engine", "local") or "local").strip().lower(),
            engine_address=address or None,
        )
