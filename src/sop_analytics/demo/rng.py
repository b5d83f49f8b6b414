"""Deterministic random streams: one independent generator per (seed, purpose)."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, purpose: str) -> np.random.Generator:
    """Generator for ``purpose`` under ``seed``; streams of different purposes are independent,
    so adding a plant (its own purpose) never changes the draws of the base data."""
    return np.random.default_rng([int(seed), zlib.crc32(purpose.encode("utf-8"))])


def stochastic_round(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round to an integer up with probability equal to the fractional part (mean-preserving)."""
    floor = np.floor(values)
    return (floor + (rng.random(values.shape) < (values - floor))).astype(np.int64)
