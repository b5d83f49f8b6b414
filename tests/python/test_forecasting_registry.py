"""The method registry (candidates.REGISTRY): candidate lists per segment as documented in
README and the candidates module, models built with their names and season lengths, and
the tie order (simpler first, ensembles last)."""

from __future__ import annotations

import numpy as np
import pytest

from sop_analytics.forecasting import candidates as c

# the table of sop_analytics.forecasting.candidates' docstring, yardsticks last
DOCUMENTED = {
    ("continuous", True, False): ["AutoETS", "AutoTheta", "MSTL", "Naive", "SeasonalNaive"],
    ("continuous", True, True): ["AutoETS", "AutoTheta", "MSTL", "PromoLift", "Naive", "SeasonalNaive"],
    ("continuous", False, True): ["AutoETS", "AutoTheta", "PromoLift", "Naive"],
    ("intermittent", True, False): ["CrostonSBA", "TSB", "ADIDA", "IMAPA", "Naive", "SeasonalNaive"],
    ("intermittent", False, False): ["CrostonSBA", "TSB", "ADIDA", "IMAPA", "Naive"],
    ("new", True, False): ["HistoricAverage", "WindowAverage", "Naive"],
    ("inactive", True, False): ["ZeroModel"],
}


@pytest.mark.parametrize(("segment", "seasonal", "promo"), list(DOCUMENTED))
def test_candidates_per_segment_are_the_documented_ones(segment, seasonal, promo) -> None:
    assert c.candidate_methods(segment, seasonal=seasonal, promo=promo) == DOCUMENTED[segment, seasonal, promo]
    with_ml = c.candidate_methods(segment, seasonal=seasonal, promo=promo, ml=True)
    if segment == "inactive":
        assert with_ml == ["ZeroModel"]
    else:  # the global model comes after the statistical candidates, before the yardsticks
        plain = DOCUMENTED[segment, seasonal, promo]
        first_yardstick = min(plain.index(y) for y in c.YARDSTICKS if y in plain)
        assert with_ml == plain[:first_yardstick] + [c.GLOBAL_ML] + plain[first_yardstick:]


def test_unknown_segment_and_method_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown segment"):
        c.candidate_methods("seasonal", seasonal=True)
    with pytest.raises(ValueError, match="unknown forecasting method 'Prophet'"):
        c.make_model("Prophet", season_length=12)
    with pytest.raises(ValueError, match="global model"):
        c.make_model(c.GLOBAL_ML, season_length=12)


@pytest.mark.parametrize("method", [m for m in c.METHODS if m != c.GLOBAL_ML])
def test_every_registered_method_builds_fits_and_forecasts(method) -> None:
    """Each entry's model carries its name, and the non-seasonal form the fit falls back to
    on a short history (``effective_method``) a season length of 1; both forecast a short
    series with finite, non-empty output."""
    y = np.array([3.0, 0, 5, 4, 0, 6, 2, 7, 3, 0, 5, 6] * 3)
    short = c.effective_method(method, 12, 12)
    for name, season in ((method, 12), (short, 1 if short.endswith(c.NONSEASONAL_SUFFIX) else 12)):
        model = c.make_model(name, season_length=12)
        assert repr(model) == name
        if hasattr(model, "season_length"):
            assert np.atleast_1d(model.season_length).tolist() == [season]
        kwargs = {"X": np.zeros((len(y), 1)), "X_future": np.zeros((4, 1))} if method == "PromoLift" else {}
        out = model.forecast(y=y, h=4, **kwargs)
        assert len(out["mean"]) == 4 and np.isfinite(out["mean"]).all()


def test_effective_method_below_two_seasons() -> None:
    assert c.effective_method("AutoETS", 23, 12) == "AutoETS[nonseasonal]"
    assert c.effective_method("AutoETS", 24, 12) == "AutoETS"
    assert c.effective_method("MSTL", 23, 12) == "AutoETS[nonseasonal]"
    assert c.effective_method("SeasonalNaive", 23, 12) == "Naive"
    assert c.effective_method("CrostonSBA", 5, 12) == "CrostonSBA"


def test_ties_go_to_the_simpler_method() -> None:
    order = sorted(c.TIE_ORDER, key=c.TIE_ORDER.get)
    assert order[:2] == ["Naive", "SeasonalNaive"]
    assert order[-2:] == list(c.ENSEMBLES)
    assert order.index("AutoTheta") < order.index("AutoETS") < order.index("MSTL")
    assert set(order) == set(c.METHODS) | set(c.ENSEMBLES)
