"""Stored-results layer: summary numbers, manifest provenance, atomic files, plots."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ruralsim.analysis import outputs
from ruralsim.presentation import run_plots as plots
from ruralsim.workflows.run import write_run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PROGRAMMES = ("training", "workshops", "posts", "dividend_subsidy", "industry", "dibao",
              "medical", "monitoring", "temporary")


def synthetic_ts(replicates: int = 3, months: int = 24, seed: int = 7) -> pd.DataFrame:
    """A monthly series that follows the model's column contract, with replicate noise."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2021-01-01", periods=months, freq="MS")
    frames = []
    for r in range(replicates):
        t = np.arange(months)
        noise = lambda scale: rng.normal(0, scale, months)  # noqa: E731
        comp = {
            "wage_income": 7000 + 40 * t + noise(150),
            "operating_income": 2500 + 10 * t + noise(80),
            "transfer_income": 1800 - 5 * t + noise(40),
            "property_income": 300 + 2 * t + noise(10),
            "medical_oop": 600 + noise(50),
        }
        mean_income = (comp["wage_income"] + comp["operating_income"] + comp["transfer_income"]
                       + comp["property_income"] - comp["medical_oop"])
        fiscal = {f"fiscal_{p}": rng.uniform(1e6, 8e6, months) for p in PROGRAMMES}
        frames.append(pd.DataFrame({
            "replicate": r, "date": dates, "households": 2000, "people": 6700,
            **comp, "mean_income": mean_income, "median_income": mean_income * 0.9,
            "poverty_rate_alert": np.clip(0.02 + 0.001 * t + noise(0.003), 0, 1),
            "monitored_households": np.round(120 + 3 * t + noise(5)),
            "risk_eliminated_share": np.clip(0.02 * t + noise(0.02), 0, 1),
            "mass_return_villages": 0,
            "employed_labourers": np.round(2600 + noise(30)),
            "employment_rate": np.clip(0.8 + noise(0.01), 0, 1),
            "dividends_paid": rng.uniform(0, 1e5, months),
            **fiscal, "fiscal_cost": sum(fiscal.values()),
            "budget": np.full(months, 5.5e7),
            "ever_fallen_share": np.clip(0.03 + 0.002 * t, 0, 1),
            "below_monitoring_line": np.clip(0.08 - 0.001 * t, 0, 1),
        }))
    return pd.concat(frames, ignore_index=True)


def synthetic_dist(replicates: int = 3, households: int = 400, seed: int = 11) -> pd.DataFrame:
    """Per-household income samples at a start and an end date."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(replicates):
        for date, mu in (("2021-01-01", np.log(10_000)), ("2022-12-01", np.log(11_500))):
            rows.append(pd.DataFrame({
                "replicate": r, "date": pd.Timestamp(date),
                "income": rng.lognormal(mu, 0.4, households) - 800,
                "size": 1 + rng.poisson(2.35, households),
            }))
    return pd.concat(rows, ignore_index=True)


PARAMS = {
    "run_households": 2000, "run_seed": 42, "run_start_year": 2021,
    "transition_years": 1, "monitoring_enabled": True,
    "monitoring_line": {2021: 6000.0, 2022: 6600.0},
    "monitoring_poverty_line": {2021: 4100.0, 2022: 4200.0},
}


@pytest.fixture(scope="module")
def ts() -> pd.DataFrame:
    return synthetic_ts()


@pytest.fixture(scope="module")
def dist() -> pd.DataFrame:
    return synthetic_dist()


@pytest.fixture(scope="module")
def manifest() -> dict:
    seeds = np.random.SeedSequence(42).spawn(3)
    return outputs.run_manifest(
        PARAMS, scenario={"name": "synthetic", "file": "scenarios/x.toml", "extends": ["base"]},
        seeds=seeds, started_at="2024-05-01T08:00:00+08:00", wall_seconds=12.5,
        extra={"note": "test", "nan": float("nan")}, argv=["ruralsim", "run", "x.toml"])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, ts, dist, manifest) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("run")
    return out, write_run(out, ts, dist, manifest)


# --- summarise ------------------------------------------------------------------------------
def test_summarise_matches_hand_computation(ts):
    s = outputs.summarise(ts, dates=["2021-12"], metrics=["poverty_rate_alert"])
    v = ts.loc[ts["date"] == "2021-12-01", "poverty_rate_alert"].to_numpy()
    mean, sd = v.sum() / 3, math.sqrt(((v - v.mean()) ** 2).sum() / 2)
    half = 4.302652729911275 * sd / math.sqrt(3)  # t(0.975, df=2)
    row = s.iloc[0]
    assert list(s.columns) == ["date", "metric", "mean", "lo", "hi", "ci_lo", "ci_hi", "n"]
    assert (row["date"], row["metric"], row["n"]) == ("2021-12", "poverty_rate_alert", 3)
    assert row["mean"] == pytest.approx(mean)
    assert row["ci_lo"] == pytest.approx(mean - half)
    assert row["ci_hi"] == pytest.approx(mean + half)
    srt = np.sort(v)  # linear interpolation: position 0.025 * (n - 1) = 0.05
    assert row["lo"] == pytest.approx(srt[0] + 0.05 * (srt[1] - srt[0]))
    assert row["hi"] == pytest.approx(srt[1] + 0.95 * (srt[2] - srt[1]))


def test_summarise_default_dates_are_decembers_and_last_month(ts):
    s = outputs.summarise(ts.loc[ts["date"] <= "2022-06-01"])
    assert sorted(s["date"].unique()) == ["2021-12", "2022-06"]
    assert "replicate" not in set(s["metric"])
    assert {"mean_income", "fiscal_cost", "poverty_rate_alert"} <= set(s["metric"])


def test_summarise_single_replicate_and_unknown_date(ts):
    one = outputs.summarise(ts[ts["replicate"] == 0], dates=["2022-12"], metrics=["budget"])
    assert one.loc[0, "n"] == 1 and math.isnan(one.loc[0, "ci_lo"])
    with pytest.raises(ValueError, match="2030-12"):
        outputs.summarise(ts, dates=["2030-12"])


# --- manifest -------------------------------------------------------------------------------
def test_manifest_is_json_with_versions_seeds_params(manifest, tmp_path):
    path = outputs.write_manifest(tmp_path / "m.json", manifest)
    back = json.loads(path.read_text())
    assert back == manifest
    assert back["versions"]["numpy"] == np.__version__
    assert back["versions"]["pandas"] == pd.__version__
    assert back["versions"]["python"] and "ruralsim" in back["versions"]
    assert back["seeds"]["master"] == 42
    reps = back["seeds"]["replicates"]
    assert [r["spawn_key"] for r in reps] == [[0], [1], [2]]
    assert all(r["seed"] == 42 for r in reps)
    assert back["params"]["run"]["households"] == 2000
    assert back["params"]["monitoring"]["line"] == {"2021": 6000.0, "2022": 6600.0}
    assert back["scenario"]["extends"] == ["base"]
    assert back["started_at"] == "2024-05-01T00:00:00+00:00"
    assert back["wall_seconds"] == 12.5 and back["extra"]["nan"] is None
    assert back["resources"]["peak_rss_mb"] > 0 and back["resources"]["cpu_count"] >= 1
    assert back["command"] == ["ruralsim", "run", "x.toml"]
    assert back["git"] is None or len(back["git"]["commit"]) == 40


def test_nest_params_accepts_flat_dotted_and_nested():
    nested = outputs.nest_params({"run.seed": 1, "budget_scale": 0.8, "coop": {"crops": 3},
                                  "mystery": 5})
    assert nested == {"run": {"seed": 1}, "budget": {"scale": 0.8}, "coop": {"crops": 3},
                      "other": {"mystery": 5}}


def test_git_info_outside_a_checkout_is_none(tmp_path):
    assert outputs.git_info(tmp_path) is None


# --- files ----------------------------------------------------------------------------------
def test_write_run_writes_every_file(run_dir):
    out, paths = run_dir
    for name in ("timeseries.parquet", "distribution.parquet", "summary.csv", "manifest.json"):
        assert (out / name).stat().st_size > 0
    pngs = sorted(p.name for p in (out / "plots").glob("*.png"))
    assert pngs == ["employment_fiscal.png", "income_components.png",
                    "income_distribution.png", "poverty_monitoring.png"]
    for png in (out / "plots").glob("*.png"):
        data = png.read_bytes()
        assert len(data) > 10_000 and data[:8] == PNG_MAGIC
    assert all(Path(p).exists() for p in paths.values())
    assert paths["manifest"] == out / "manifest.json"


def test_atomic_writes_leave_no_temp_files(run_dir, tmp_path):
    out, _ = run_dir
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []
    target = tmp_path / "x.parquet"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with outputs.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash")
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]


def test_parquet_and_load_run_round_trip(run_dir, ts, dist, manifest):
    out, _ = run_dir
    ts2, dist2, manifest2 = outputs.load_run(out)
    pd.testing.assert_frame_equal(ts2, ts, check_dtype=False)
    pd.testing.assert_frame_equal(dist2, dist, check_dtype=False)
    assert pd.api.types.is_datetime64_any_dtype(ts2["date"])
    assert manifest2 == manifest
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns) == outputs.SUMMARY_COLUMNS
    assert set(summary["date"]) == {"2021-12", "2022-12"}


def test_plot_meta_from_manifest(manifest, ts):
    meta = outputs.plot_meta(manifest, ts)
    assert meta["name"] == "synthetic" and meta["households"] == 2000
    assert meta["transition_end"] == "2022-01" and meta["replicates"] == 3
    assert plots.line_in_year(meta["poverty_line"], 2030) == 4200.0


# --- plots ----------------------------------------------------------------------------------
def test_plots_tolerate_missing_columns_meta_and_two_replicates(tmp_path, ts, dist):
    thin = ts[ts["replicate"] < 2].drop(columns=["ever_fallen_share", "budget", "fiscal_cost"])
    paths = plots.write_run_plots(tmp_path, thin, dist, {})
    assert len(paths) == 4 and all(p.read_bytes()[:8] == PNG_MAGIC for p in paths)
    assert plots._band_name(thin) == "95% interval of the mean across replicates"  # one convention (issue 14)
    assert plots._band_name(thin[thin["replicate"] == 0]).startswith("none")


def test_source_note_and_annual_fiscal(ts):
    note = plots.source_note(ts, {"name": "base", "version": "9.9", "households": 20000})
    assert note == "ruralsim 9.9 · scenario base · 3 replicates × 20,000 households"
    mean, totals = plots.annual_fiscal(ts)
    assert list(mean.index) == [2021, 2022] and (mean["months"] == 12).all()
    expected = ts[ts["date"].dt.year == 2021].groupby("replicate")["fiscal_cost"].sum().mean()
    assert mean.loc[2021, "cost"] == pytest.approx(expected)
    assert "other" not in mean.columns


def test_group_quantiles_are_taken_across_the_groups_of_each_date():
    from ruralsim.presentation.group_plots import group_quantiles

    date = pd.Timestamp("2021-12-01")
    shares = np.arange(11) / 100  # 0 .. 10% in 11 villages; an empty village does not count
    villages = pd.DataFrame({"replicate": 0, "date": date, "village": np.arange(12),
                             "households": [10] * 11 + [0], "share_below": [*shares, 0.9],
                             "mass_return": [False] * 10 + [True, True]})
    q = group_quantiles(villages).iloc[0]
    assert q["groups"] == 11 and q["mass_return"] == 1
    assert q["p50"] == pytest.approx(0.05) and q["p10"] == pytest.approx(0.01) and q["p90"] == pytest.approx(0.09)
    assert q["mean"] == pytest.approx(0.05)


def test_group_plots_draw_villages_always_and_counties_only_when_there_are_enough(tmp_path):
    from ruralsim.presentation.group_plots import MIN_COUNTIES, write_group_plots

    rng = np.random.default_rng(0)

    def table(level, n):
        dates = [pd.Timestamp(f"{y}-12-01") for y in (2021, 2022)]
        return pd.DataFrame([{"replicate": 0, "date": d, level: i, "households": 50,
                              "share_below": rng.uniform(0, 0.1), "mass_return": False}
                             for d in dates for i in range(n)])

    few = write_group_plots(tmp_path / "few", {"village": table("village", 40),
                                               "county": table("county", MIN_COUNTIES - 1)}, {"name": "t"})
    assert [p.name for p in few] == ["villages.png"]
    many = write_group_plots(tmp_path / "many", {"village": table("village", 40),
                                                 "county": table("county", MIN_COUNTIES)}, {"name": "t"})
    assert [p.name for p in many] == ["villages.png", "counties.png"] and all(p.stat().st_size > 0 for p in many)


def test_plot_meta_labels_the_households_simulated_not_the_sample_size_setting():
    ts = pd.DataFrame({"replicate": [0], "date": [pd.Timestamp("2021-01-01")], "households": [31_435_376]})
    manifest = {"params": {"run": {"households": 20_000, "scale": "national"}}}
    assert outputs.plot_meta(manifest, ts)["households"] == 31_435_376
    assert outputs.plot_meta(manifest)["households"] == 20_000  # nothing better known without the series
