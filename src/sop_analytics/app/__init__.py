"""The planner's workbench: a Streamlit app over the published build.

    bash scripts/app.sh                       # on the demo, after scripts/demo.sh
    streamlit run src/sop_analytics/app/streamlit_app.py

- ``data``: reads the published build only (``sop_analytics.published.current()``: the
  Parquet set, else the published database copy, read-only); page logic as plain functions.
- ``decisions``: checks and appends planner decisions to ``<landing>/plan/decisions.csv``
  and leadership decisions to ``<landing>/plan/leadership_decisions.csv``, in the landing
  contract's format, atomically, never rewriting earlier rows.
- ``charts``: the evidence and plan charts (Altair).
- ``streamlit_app``: the Streamlit layer (pages, forms, messages), nothing else.
"""
