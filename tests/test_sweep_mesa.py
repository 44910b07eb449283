"""Interoperability: Mesa's own ``batch_run`` drives RuralModel through flat keyword parameters."""

from __future__ import annotations

import mesa
import pandas as pd

from ruralsim import RuralModel


def test_mesa_batch_run_drives_the_model():
    rows = mesa.batch_run(RuralModel, parameters={"run_households": 300, "run_months": 6,
                                                  "training_coverage": [0.0, 0.3]},
                          iterations=1, max_steps=6, number_processes=1, data_collection_period=1,
                          display_progress=False)
    df = pd.DataFrame(rows)
    assert len(df) == 2 * 6  # two parameter values x six months, one row per month
    assert sorted(df["training_coverage"].unique()) == [0.0, 0.3]
    assert {"poverty_rate", "mean_income", "trained_share", "fiscal_cost"} <= set(df.columns)
    last = df[df["Step"] == df["Step"].max()].set_index("training_coverage")
    assert last.loc[0.3, "trained_share"] > last.loc[0.0, "trained_share"]
    # Each row is the model's own month: the same run outside batch_run gives the same numbers.
    own = RuralModel(None, run_households=300, run_months=6, training_coverage=0.3).run().timeseries()
    got = df[df["training_coverage"] == 0.3].sort_values("Step")
    assert got["poverty_rate"].tolist() == own["poverty_rate"].tolist()
    assert got["date"].tolist() == own["date"].tolist()


def test_mesas_seed_keywords_set_the_master_seed():
    """Mesa 3.5's batch_run passes ``rng=``, older Mesa ``seed=``: both mean run.seed; None keeps it."""
    kw = dict(run_households=300, run_months=3)
    by_param = RuralModel(None, run_seed=7, **kw).run().timeseries()
    for mesa_kw in ({"rng": 7}, {"seed": 7}):
        pd.testing.assert_frame_equal(RuralModel(None, **mesa_kw, **kw).run().timeseries(), by_param)
    default = RuralModel(None, **kw).run().timeseries()
    pd.testing.assert_frame_equal(RuralModel(None, rng=None, **kw).run().timeseries(), default)
    assert not default["mean_income"].equals(by_param["mean_income"])
