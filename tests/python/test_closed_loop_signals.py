"""The closed loop tells a real miss from noise: counted on a clean company replayed over
several cycles (the distributor archetype, its own seed), where nothing was planted, and on
the planted demo (the medical archetype, ``planted_build``), where each planted effect must
be found with its cause. ``scripts/closed_loop_signals.py`` counts the same over 3 seeds x
2 archetypes (docs/closed_loop.md has the table)."""

from __future__ import annotations

import pytest

from conftest import plant, run_cycles
from sop_analytics.demo import generate
from sop_analytics.demo.signals import signal_counts

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def clean_cycles(tmp_path_factory):
    """A clean distributor company (seed 7, 120 SKUs) with 6 cycles published before the
    current one by the scripted planner."""
    out = tmp_path_factory.mktemp("clean_distributor")
    manifest = generate(out, seed=7, variant="clean", archetype="distributor", n_skus=120, n_customers=60)
    run = run_cycles(out / "landing", tmp_path_factory.mktemp("clean_distributor_build"), previous=6)
    assert run.returncode == 0, run.output[-5000:]
    return run, manifest


def test_a_clean_company_raises_at_most_one_escalation_per_100_skus_per_cycle(clean_cycles):
    run, manifest = clean_cycles
    counts = signal_counts(run.database, manifest)
    assert counts["cycles"] >= 5
    assert counts["esc_per_100_skus_cycle"] <= 1.0, counts


def test_a_clean_company_has_no_forecast_error_or_customer_mix_escalation_open(clean_cycles):
    run, manifest = clean_cycles
    counts = signal_counts(run.database, manifest)
    assert counts["open_forecast_error"] == 0 and counts["open_customer_mix"] == 0, counts


def test_every_forecast_error_crossed_a_band_from_the_familys_own_errors(clean_cycles, planted_build):
    """Forecast error only where the family's statistic is beyond a band measured on its own
    residuals (archive, or archive and backtest while the archive is short); every judged
    cycle has a band for the families whose plan it published."""
    for run in (clean_cycles[0], planted_build[0]):
        d = run.frame("""
            select cycle, master_family, miss_band_source, miss_band, miss_statistic, is_volume_beyond_noise,
                forecast_error_units::double as fe, significant_forecast_error_units::double as sig
            from marts.fct_plan_miss_decomposition""")
        flagged = d[d["fe"] != 0]
        assert len(flagged) > 0
        assert flagged["is_volume_beyond_noise"].all()
        assert (flagged["miss_statistic"].abs() > flagged["miss_band"]).all()
        assert flagged["miss_band_source"].isin(["archive", "archive+backtest"]).all()
        # the significant part is smaller than the whole and of the same sign
        assert ((flagged["sig"] * flagged["fe"]) >= 0).all() and (flagged["sig"].abs() < flagged["fe"].abs()).all()
        assert (d["miss_band_source"] != "none").mean() >= 0.9


def test_each_planted_effect_is_found_with_its_cause_before_it_could_be_seen(planted_build):
    """In the plans published before each plant could be seen (cycle <= its start), at
    least 80% of the late supplier's shortfall is supply disruption, of the level shift's
    extra units forecast error, and of the units the customer moved customer mix, on the
    receiving and on the giving SKU."""
    run, manifest = planted_build
    counts = signal_counts(run.database, manifest)
    for found in ("supply_found", "level_shift_found", "mix_receiving_found", "mix_giving_found"):
        assert counts[found] is not None and counts[found] >= 0.8, (found, counts)


def test_no_proposal_on_an_intermittent_or_lumpy_sku(planted_build):
    run, _ = planted_build
    [(n_proposals,)] = run.query("select count(*) from marts.fct_plan_proposals")
    [(on_lumpy,)] = run.query("""
        select count(*) from marts.fct_plan_proposals as p
        inner join marts.fct_plan_archive as a
            on p.cycle = a.cycle and p.master_sku = a.master_sku and a.horizon_step = 1
        where a.demand_class in ('intermittent', 'lumpy')""")
    assert n_proposals > 0 and on_lumpy == 0


def test_the_planted_mix_shift_names_its_customer_with_a_confidence(planted_build):
    run, manifest = planted_build
    mix = plant(manifest, "customer_mix_shift")
    skus = (mix["sku_from"]["master_sku"], mix["sku_to"]["master_sku"])
    rows = run.frame(f"""
        select master_sku, top_customer_id, customer_mix_confidence
        from marts.fct_plan_miss_decomposition
        where customer_mix_units != 0 and master_sku in {skus} and period_id >= '{mix["start_period"]}'""")
    receiving = rows[rows["master_sku"] == mix["sku_to"]["master_sku"]]
    giving = rows[rows["master_sku"] == mix["sku_from"]["master_sku"]]
    assert len(receiving) > 0 and (receiving["top_customer_id"] == mix["customer_id"]).mean() >= 0.8, receiving
    # the giving SKU is a large one that many customers buy: the mover is named among others
    assert (giving["top_customer_id"] == mix["customer_id"]).any(), giving
    assert rows["customer_mix_confidence"].between(1 - 1 / 9, 1).all()
