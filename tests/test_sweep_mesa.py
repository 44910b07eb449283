"""Interoperability: Mesa's own ``batch_run`` drives RuralModel through flat keyword parameters,
the same on Mesa 3.3 (Python 3.11) and Mesa 3.5 (Python 3.12)."""

from __future__ import annotations

import warnings

import mesa
import numpy as np
import pandas as pd

from ruralsim import RuralModel

SMALL = {"run_households": 300, "run_months": 4}


def _batch(parameters: dict, iterations: int = 1, max_steps: int = 4) -> pd.DataFrame:
    with warnings.catch_warnings():  # Mesa 3.5 deprecates iterations= for rng=[None] * n; both work
        warnings.simplefilter("ignore", DeprecationWarning)
        rows = mesa.batch_run(RuralModel, parameters=parameters, iterations=iterations, max_steps=max_steps,
                              number_processes=1, data_collection_period=1, display_progress=False)
    return pd.DataFrame(rows)


def test_mesa_batch_run_drives_the_model():
    df = _batch({**SMALL, "training_coverage": [0.0, 0.3]})
    assert len(df) == 2 * 5  # two parameter values x (the start + four months), one row per step
    assert sorted(df["training_coverage"].unique()) == [0.0, 0.3]
    last = df[df["Step"] == df["Step"].max()].set_index("training_coverage")
    assert last.loc[0.3, "trained_share"] > last.loc[0.0, "trained_share"]
    # Each row is the model's own month: the same run outside batch_run gives the same numbers.
    own = RuralModel(training_coverage=0.3, **SMALL).run().timeseries()
    got = df[(df["training_coverage"] == 0.3) & (df["Step"] >= 1)].sort_values("Step")
    assert got["poverty_rate_alert"].tolist() == own["poverty_rate_alert"].tolist()
    assert got["date"].tolist() == own["date"].tolist()


def test_batch_run_with_numpy_parameter_lists_reports_every_metric_with_steps_from_one():
    df = _batch({**SMALL, "training_coverage": np.linspace(0.0, 0.3, 2),
                 "transition_taper_years": np.arange(3, 5), "monitoring_enabled": np.array([True])})
    assert len(df) == 2 * 2 * 5
    own = RuralModel(training_coverage=0.3, transition_taper_years=4, **SMALL).run().timeseries()
    missing = set(own.columns) - set(df.columns)
    assert not missing, f"timeseries metrics missing from batch_run rows: {sorted(missing)}"
    for name in ("falls", "falls_illness", "reentries", "recoveries", "detected", "tr_secure_below"):
        assert name in df.columns
    steps = sorted(df["Step"].unique())
    assert steps == [0, 1, 2, 3, 4]
    first = df[df["Step"] == 1]
    assert (first["date"] == pd.Timestamp("2021-01-01")).all()
    assert (df.loc[df["Step"] == 0, "date"] == pd.Timestamp("2020-12-01")).all()
    assert (df.loc[df["Step"] == 4, "date"] == pd.Timestamp("2021-04-01")).all()
    # The return-to-poverty dynamics are those of the model's own months, not zeros.
    run = df[(df["training_coverage"] == 0.3) & (df["transition_taper_years"] == 4) & (df["Step"] >= 1)]
    assert run.sort_values("Step")["falls"].tolist() == own["falls"].tolist()
    assert own["falls"].sum() > 0


def test_iterations_are_distinct_reproducible_replicates():
    df = _batch(dict(SMALL), iterations=2)
    by_it = {i: g.sort_values("Step").reset_index(drop=True) for i, g in df.groupby("iteration")}
    assert set(by_it) == {0, 1}
    assert not np.allclose(by_it[0]["mean_income"], by_it[1]["mean_income"])
    # Repeat k is replicate k: the same numbers as RuralModel(replicate=k) and as a second batch.
    for k in (0, 1):
        own = RuralModel(replicate=k, **SMALL).run().timeseries()
        assert by_it[k].loc[1:, "mean_income"].tolist() == own["mean_income"].tolist()
        assert (by_it[k].loc[1:, "replicate"] == k).all()
    again = _batch(dict(SMALL), iterations=2)
    assert again.sort_values(["iteration", "Step"])["mean_income"].tolist() == \
        df.sort_values(["iteration", "Step"])["mean_income"].tolist()


def test_a_model_built_outside_batch_run_is_replicate_zero():
    assert RuralModel(run_households=100, run_months=1).replicate == 0
    assert RuralModel(run_households=100, run_months=1, replicate=np.int64(3)).replicate == 3


def test_mesas_seed_keywords_set_the_master_seed():
    """Mesa 3.5's batch_run passes ``rng=``/``seed=``, older Mesa nothing: both mean run.seed; None keeps it."""
    kw = dict(run_households=300, run_months=3)
    by_param = RuralModel(None, run_seed=7, **kw).run().timeseries()
    for mesa_kw in ({"rng": 7}, {"seed": 7}, {"seed": np.int64(7)}):
        pd.testing.assert_frame_equal(RuralModel(None, **mesa_kw, **kw).run().timeseries(), by_param)
    default = RuralModel(None, **kw).run().timeseries()
    pd.testing.assert_frame_equal(RuralModel(None, rng=None, **kw).run().timeseries(), default)
    assert not default["mean_income"].equals(by_param["mean_income"])


def test_stepping_after_the_last_month_only_ends_the_run():
    m = RuralModel(run_households=200, run_months=2)
    m.step()
    m.step()
    assert m.running  # Mesa 3.3's batch_run reports step n only after an (n+1)-th step
    before = m.timeseries()
    m.step()
    assert not m.running
    pd.testing.assert_frame_equal(m.timeseries(), before)
    assert len(m.datacollector.get_model_vars_dataframe()) == 3  # the start and the two months
