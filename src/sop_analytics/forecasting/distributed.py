"""The forecasting step on a distributed engine: Fugue (statsforecast's own distributed
backend) on Dask, one partition per family.

Families are independent (selection, backtest and forecast read only the family's rows),
so each is one Fugue partition: a worker gets the family's rows of the panel, runs the same
fitting as the local engine (:func:`pipeline._select_and_forecast`) and sends back its
selection, forecast and backtest as Parquet blobs (float64 exactly, bit for bit). The
result equals the local engine's.

Needs the optional dependencies ``dask[dataframe,distributed]`` (``pip install
'sop-analytics[dask]'``); fugue comes with statsforecast. ``address`` is a Dask scheduler
(``tcp://host:8786``); without one a local cluster of ``n_workers`` single-threaded
processes is started for the run and closed after it.
"""

from __future__ import annotations

import io

import pandas as pd

__all__ = ["fit_on_dask"]

_SCHEMA = "family:str,selection:bytes,forecast:bytes,backtest:bytes"


def _blob(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False)
    return buffer.getvalue()


def _frame(blob: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(bytes(blob)))


def fit_on_dask(panel: pd.DataFrame, families: list[str], args: tuple, *, address: str | None = None,
                n_workers: int = 2) -> list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
    """``_select_and_forecast`` of every family in ``families`` on Dask, through Fugue;
    one ``(selection, forecast, backtest)`` per family, in ``families`` order."""
    from dask.distributed import Client, LocalCluster
    from fugue import transform

    from sop_analytics.forecasting.pipeline import _select_and_forecast

    dtypes = {c: str(t) for c, t in panel.dtypes.items()}
    rows = panel[panel["family"].isin(families)].reset_index(drop=True)
    rows = rows.assign(_row=range(len(rows)))

    def fit_family(part: pd.DataFrame) -> pd.DataFrame:
        # Fugue hands the partition over Arrow: back to the local engine's row order and dtypes
        part = part.sort_values("_row", kind="mergesort").drop(columns="_row").reset_index(drop=True)
        part = part.astype({c: ("object" if t == "object" else t) for c, t in dtypes.items()})
        selection, forecast, backtest = _select_and_forecast(part, *args)
        return pd.DataFrame({"family": [str(part["family"].iloc[0])], "selection": [_blob(selection)],
                             "forecast": [_blob(forecast)], "backtest": [_blob(backtest)]})

    cluster = None if address else LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                                 dashboard_address=None)
    client = Client(address or cluster)
    try:
        out = transform(rows, fit_family, schema=_SCHEMA, partition={"by": "family"}, engine=client,
                        as_local=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    out = out if isinstance(out, pd.DataFrame) else out.as_pandas()
    by_family = {r.family: r for r in out.itertuples(index=False)}
    missing = sorted(set(families) - set(by_family))
    if missing:
        raise RuntimeError(f"the Dask run returned no output for families {missing[:5]}")
    return [(_frame(by_family[f].selection), _frame(by_family[f].forecast), _frame(by_family[f].backtest))
            for f in families]
