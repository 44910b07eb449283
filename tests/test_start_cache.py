"""The start cache (issue 25): one 2020-12 state per (start parameters, replicate, code version), reused.

Results are bit-identical with and without it (NumPy and Numba kernels); a comparison computes one start
per replicate, not one per scenario and replicate; a corrupt or stale entry is recomputed, never used;
two processes filling one entry leave one good entry; ``ruralsim cache clear`` deletes only its own files.
The suite runs with the cache off (conftest); these tests turn it on in a temporary folder.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import subprocess
import sys

import pandas as pd
import pytest

from ruralsim import RuralModel
from ruralsim.simulation import start_cache, start_store
from ruralsim.simulation.levers import start_params

CLI = [sys.executable, "-m", "ruralsim.cli"]
SMALL = {"run_households": 2000, "run_months": 62}  # to 2026-02: past the transition's end (cliff_exit differs)
SCENARIOS = ("baseline", "cliff_exit", "health_shock", "budget_cut")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """The cache on, in a fresh folder, with this process's memory of starts emptied before and after."""
    folder = tmp_path / "starts"
    monkeypatch.setenv("RURALSIM_CACHE", str(folder))
    start_cache.forget()
    yield folder
    start_cache.forget()


def fingerprint(model: RuralModel) -> str:
    """A hash of everything a run reports: monthly series, income sample, spells, county table."""
    sha = hashlib.sha256()
    for frame in (model.timeseries(), model.distribution_frame(), model.spell_lengths(), model.group_table("county")):
        sha.update(pd.util.hash_pandas_object(frame, index=True).values.tobytes())
    return sha.hexdigest()


def run(scenario: str, **options) -> RuralModel:
    options = {**SMALL, **options}
    return RuralModel(scenario, **options).run()


def off_fingerprints(monkeypatch, kernels: str, replicate: int = 0) -> dict[str, str]:
    monkeypatch.setenv("RURALSIM_CACHE", "off")
    got = {sc: fingerprint(run(sc, kernels=kernels, replicate=replicate)) for sc in SCENARIOS}
    assert len(set(got.values())) == len(SCENARIOS)  # the scenarios differ, so equal hashes below mean something
    return got


# ---------------------------------------------------------------------------------------------
# Results do not depend on the cache
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kernels", ["numpy", "numba"])
def test_results_are_bit_identical_with_and_without_the_cache(kernels, tmp_path, monkeypatch):
    reference = off_fingerprints(monkeypatch, kernels)
    monkeypatch.setenv("RURALSIM_CACHE", str(tmp_path / "starts"))
    start_cache.forget()
    origins = []
    for sc in SCENARIOS:  # the first computes the start, the others restore it from memory
        model = run(sc, kernels=kernels)
        origins.append(model.start_origin["start"])
        assert fingerprint(model) == reference[sc], sc
    assert origins == ["computed", "memory", "memory", "memory"]
    start_cache.forget()  # as a new process would: from disk, with other threads and chunks
    other = "numba" if kernels == "numpy" else "numpy"
    for sc in ("budget_cut", "cliff_exit"):
        model = run(sc, kernels=other, threads=2, chunk_households=700)
        assert model.start_origin["start"] in ("disk", "memory")
        assert fingerprint(model) == reference[sc], sc
    # The run's length is not part of the start: a shorter run restores it and matches its own run without cache.
    short = run("health_shock", kernels=kernels, run_months=30)
    assert short.start_origin["start"] == "memory" and len(short.timeseries()) == 30
    monkeypatch.setenv("RURALSIM_CACHE", "off")
    assert fingerprint(short) == fingerprint(run("health_shock", kernels=kernels, run_months=30))
    start_cache.forget()


def test_every_shipped_scenario_numba_from_the_cache_equals_numpy_computed(tmp_path, monkeypatch):
    """Every file in scenarios/: a NumPy run with its start built afresh equals a Numba run whose start came
    from the cache (the first scenario's start serves all those of the same root and world)."""
    from conftest import SCENARIOS as FOLDER

    names = sorted(path.stem for path in FOLDER.glob("*.toml"))
    assert len(names) >= 19
    monkeypatch.setenv("RURALSIM_CACHE", "off")
    reference = {}
    for name in names:
        model = run(name, kernels="numpy")
        reference[name] = (fingerprint(model), model.inc_sum.copy(), model.mon_state.copy(), model.labs.status.copy())
    monkeypatch.setenv("RURALSIM_CACHE", str(tmp_path / "starts"))
    start_cache.forget()
    origins, keys = [], set()
    for name in names:
        model = run(name, kernels="numba")
        origins.append(model.start_origin["start"])
        keys.add(model.start_origin["key"])
        got = (fingerprint(model), model.inc_sum, model.mon_state, model.labs.status)
        assert got[0] == reference[name][0], name
        assert all((a == b).all() for a, b in zip(got[1:], reference[name][1:])), name
    # One start computed per distinct start (today one for the whole library: its files change levers only).
    assert origins.count("computed") == len(keys) and origins.count("memory") == len(names) - len(keys)
    start_cache.forget()


def test_a_restored_start_is_the_computed_state(cache):
    """Every array of the 2020-12 state equals the computed one, and restoring hands out a copy (a run cannot
    change the cached start)."""
    first = RuralModel("baseline", **SMALL)
    second = RuralModel("cliff_exit", **SMALL)
    assert (first.start_origin["start"], second.start_origin["start"]) == ("computed", "memory")
    assert first.start_origin["key"] == second.start_origin["key"]
    assert second.hh.phi is not first.hh.phi and (second.hh.phi == first.hh.phi).all()
    assert (second.ring == first.ring).all() and (second.mon_state == first.mon_state).all()
    assert second.prog_dibao.m is second and second.budget.p is second.p  # references point at the new model
    assert second.spans is not first.spans and len(second.agents) == len(first.agents)
    assert second.p == start_params(second.scenario_params, second.root_params)
    second.run()
    third = RuralModel("baseline", **SMALL)
    assert (third.ring == first.ring).all()


def test_the_key_follows_what_the_start_depends_on(cache):
    base = RuralModel("baseline", run_households=2000, run_months=1)
    lever = RuralModel("baseline", run_households=2000, run_months=1, monitoring_detection_prob=0.1)
    world = RuralModel("baseline", run_households=2000, run_months=1, shocks_illness_rate=0.02)
    rep = RuralModel("baseline", run_households=2000, run_months=1, replicate=1)
    size = RuralModel("baseline", run_households=2100, run_months=1)
    assert lever.start_origin == {**lever.start_origin, "start": "memory", "key": base.start_origin["key"]}
    keys = {m.start_origin["key"] for m in (base, world, rep, size)}
    assert len(keys) == 4
    assert world.start_origin["start"] == rep.start_origin["start"] == size.start_origin["start"] == "computed"
    # A sweep or the app runs RuralModel(None, **params): points that differ in levers only share a start.
    point = RuralModel(None, run_households=2000, run_months=1, training_coverage=0.3)
    other = RuralModel(None, run_households=2000, run_months=1, training_coverage=0.6, posts_wage=900.0)
    world_point = RuralModel(None, run_households=2000, run_months=1, training_coverage=0.3, shocks_illness_rate=0.02)
    assert (point.start_origin["start"], other.start_origin["start"]) == ("computed", "memory")
    assert other.start_origin["key"] == point.start_origin["key"] != world_point.start_origin["key"]


# ---------------------------------------------------------------------------------------------
# A comparison computes one start per replicate
# ---------------------------------------------------------------------------------------------
def test_a_comparison_of_five_scenarios_computes_the_start_once_per_replicate(cache):
    from ruralsim.workflows.compare import load_scenarios, run_comparison

    names = ["baseline", "cliff_exit", "merge_monitoring", "health_shock", "budget_cut"]
    replicates = 3
    before = dict(start_cache.COUNTS)
    run_comparison(load_scenarios(names), {"run_households": 2000, "run_months": 12, "run_replicates": replicates},
                   workers=1, progress=False)
    made = {k: start_cache.COUNTS[k] - before.get(k, 0) for k in ("computed", "memory", "disk")}
    assert made["computed"] == replicates  # not 5 x 3
    assert made["memory"] + made["disk"] == (len(names) - 1) * replicates
    assert len(list(cache.glob("*.start"))) == replicates


# ---------------------------------------------------------------------------------------------
# Entries are checked before they are trusted
# ---------------------------------------------------------------------------------------------
def entry_of(model: RuralModel, folder):
    return start_store.entry_path(folder, model.start_origin["key"])


def test_a_corrupt_entry_is_recomputed_not_used(cache, monkeypatch):
    reference = fingerprint(run("cliff_exit"))
    path = entry_of(RuralModel("baseline", **SMALL), cache)
    data = bytearray(path.read_bytes())
    middle = len(start_store.MAGIC) + (len(data) // 2)
    data[middle:middle + 8] = bytes(b ^ 0xFF for b in data[middle:middle + 8])  # flip bytes inside the payload
    path.write_bytes(bytes(data))
    start_cache.forget()
    model = run("cliff_exit")
    assert model.start_origin["start"] == "computed"
    assert fingerprint(model) == reference
    start_cache.forget()
    assert RuralModel("cliff_exit", **SMALL).start_origin["start"] == "disk"  # the entry was rewritten whole
    for cut in (len(data) - 3, 10):  # truncated: no trailer, or not even the magic
        path.write_bytes(bytes(data[:cut]))
        start_cache.forget()
        assert RuralModel("baseline", **SMALL).start_origin["start"] == "computed"


def test_a_stale_entry_is_recomputed_not_used(cache, monkeypatch):
    """An entry whose stored key is not the one asked for (here replicate 0's file under replicate 1's
    name) is not used, even though its checksum is good."""
    zero = RuralModel("baseline", **SMALL)
    monkeypatch.setenv("RURALSIM_CACHE", "off")
    reference = fingerprint(run("baseline", replicate=1))
    monkeypatch.setenv("RURALSIM_CACHE", str(cache))
    one_key = start_cache.key_hash(start_cache.start_key(zero.p, 1))
    start_store.entry_path(cache, one_key).write_bytes(entry_of(zero, cache).read_bytes())
    start_cache.forget()
    one = run("baseline", replicate=1)
    assert one.start_origin == {**one.start_origin, "start": "computed", "key": one_key}
    assert fingerprint(one) == reference != fingerprint(zero.run())


def test_the_code_version_is_part_of_the_key(cache, monkeypatch):
    first = RuralModel("baseline", **SMALL)
    monkeypatch.setattr(start_cache, "code_version", lambda: "another version of the rules")
    start_cache.forget()
    second = RuralModel("baseline", **SMALL)
    assert second.start_origin["start"] == "computed" and second.start_origin["key"] != first.start_origin["key"]


# ---------------------------------------------------------------------------------------------
# Two processes at once
# ---------------------------------------------------------------------------------------------
def _build_start(queue) -> None:
    model = RuralModel("baseline", run_households=3000, run_months=1)
    queue.put((model.start_origin["start"], model.start_origin["key"], fingerprint(model.run())))


def _write_many(folder: str, digest: str, seed: int, queue) -> None:
    from pathlib import Path

    for k in range(25):  # no lock: the rename alone must keep the entry whole
        payload = bytes([seed]) * (200_000 + 1000 * k)
        start_store.write_entry(Path(folder), digest, {"k": "v"}, {}, lambda w, p=payload: w.write(p))
    queue.put("done")


def test_two_processes_filling_one_entry_leave_one_good_entry(cache):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_build_start, args=(queue,)) for _ in range(2)]
    for p in procs:
        p.start()
    got = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert sorted(g[0] for g in got) == ["computed", "disk"]  # the second waited for the first, then read it
    assert got[0][1:] == got[1][1:]
    files = sorted(p.name for p in cache.iterdir())
    assert files == sorted([f"{got[0][1]}.start", f"{got[0][1]}.lock", start_store.TAG])
    fh, trailer = start_store.open_entry(cache / f"{got[0][1]}.start", start_cache.start_key(
        RuralModel("baseline", run_households=3000, run_months=1).p, 0))
    assert fh is not None
    fh.close()

    digest = "0" * 32
    writers = [ctx.Process(target=_write_many, args=(str(cache), digest, seed, queue)) for seed in (1, 2)]
    for p in writers:
        p.start()
    assert [queue.get(timeout=300) for _ in writers] == ["done", "done"]
    for p in writers:
        p.join(timeout=60)
    fh, trailer = start_store.open_entry(start_store.entry_path(cache, digest), {"k": "v"})
    assert fh is not None  # whole and matching its checksum
    payload = fh.read(trailer["payload_bytes"])
    fh.close()
    assert len(set(payload)) == 1 and len(payload) == 200_000 + 1000 * 24
    assert not list(cache.glob(".*.tmp"))


# ---------------------------------------------------------------------------------------------
# ruralsim cache info|clear
# ---------------------------------------------------------------------------------------------
def ruralsim(*args, env_cache=None):
    import os

    env = {**os.environ, **({"RURALSIM_CACHE": env_cache} if env_cache else {})}
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=300, env=env)


def test_cache_info_lists_entries_and_clear_deletes_only_ruralsim_files(cache):
    for replicate in (0, 1):
        RuralModel("baseline", run_households=2000, run_months=1, replicate=replicate)
    info = ruralsim("cache", "info", env_cache=str(cache))
    assert info.returncode == 0, info.stderr
    assert str(cache) in info.stdout and "2 entries" in info.stdout and "2,000" in info.stdout
    total = sum(p.stat().st_size for p in cache.glob("*.start"))
    assert f"{total / 1e6:,.1f} MB in all" in info.stdout

    foreign = cache / "notes.txt"
    foreign.write_text("mine")
    impostor = cache / ("f" * 32 + ".start")  # a name ruralsim uses, but not a file it wrote
    impostor.write_bytes(b"not a start")
    refused = ruralsim("cache", "clear", "--dir", cache)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "notes.txt" in refused.stderr and impostor.name in refused.stderr and "nothing was deleted" in refused.stderr
    assert len(list(cache.glob("*.start"))) == 3 and foreign.read_text() == "mine"

    foreign.unlink()
    impostor.unlink()
    cleared = ruralsim("cache", "clear", env_cache=str(cache))
    assert cleared.returncode == 0, cleared.stderr
    assert cache.is_dir() and not list(cache.iterdir())  # entries, locks and the tag gone; the folder kept
    assert "No entries" in ruralsim("cache", "info", "--dir", cache).stdout


def test_cache_command_says_when_the_cache_is_off_and_rejects_a_file_as_folder(tmp_path):
    off = ruralsim("cache", "info", env_cache="off")
    assert off.returncode == 0 and "off" in off.stdout
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    bad = ruralsim("cache", "clear", "--dir", a_file)
    assert bad.returncode == 2 and "--dir" in bad.stderr and "not a folder" in bad.stderr
    assert a_file.read_text() == "x"


def test_worker_processes_share_starts_through_the_folder_and_manifests_record_them(cache, tmp_path):
    """``ruralsim compare`` with two worker processes: one start per replicate is computed, the other
    scenario's runs get it from a worker's memory or the folder, and each run's manifest says which."""
    import json

    out = tmp_path / "cmp"
    res = ruralsim("compare", "baseline", "cliff_exit", "--households", 1000, "--months", 2, "--replicates", 2,
                   "--workers", 2, "--no-plots", "--quiet", "--out", out, env_cache=str(cache))
    assert res.returncode == 0, res.stderr
    starts = [s for label in ("baseline", "cliff_exit")
              for s in json.loads((out / label / "manifest.json").read_text())["extra"]["starts"]]
    assert sorted(s["replicate"] for s in starts) == [0, 0, 1, 1]
    assert [s["start"] for s in starts].count("computed") == 2  # one per replicate, not one per run
    assert {s["start"] for s in starts} - {"computed"} <= {"memory", "disk"} and len({s["key"] for s in starts}) == 2
    assert all(s["cache"] == str(cache) for s in starts)
    assert len(list(cache.glob("*.start"))) == 2


def test_a_cache_that_cannot_be_written_never_stops_a_run(cache, monkeypatch):
    import errno

    monkeypatch.setattr(start_store, "has_room", lambda folder, need: False)
    with pytest.warns(RuntimeWarning, match="too little disk space"):
        model = RuralModel("baseline", run_households=2000, run_months=1)
    assert model.start_origin["start"] == "computed" and not list(cache.glob("*.start"))
    start_cache.forget()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.undo()
    monkeypatch.setenv("RURALSIM_CACHE", str(cache))
    monkeypatch.setattr(start_store, "write_entry", full)
    with pytest.warns(RuntimeWarning, match="No space left"):
        model = RuralModel("baseline", run_households=2000, run_months=2).run()
    assert model.t == 2 and not list(cache.glob("*.start"))


def test_a_start_too_big_for_memory_streams_to_and_from_the_folder(cache, monkeypatch):
    """National starts are never kept in memory: they are pickled straight into the file and loaded straight
    from it (the path taken here by pretending every start is national), with the same results."""
    monkeypatch.setenv("RURALSIM_CACHE", "off")
    reference = fingerprint(run("health_shock"))
    monkeypatch.setenv("RURALSIM_CACHE", str(cache))
    monkeypatch.setattr(start_cache, "_keeps_in_memory", lambda model: False)
    first = RuralModel("baseline", **SMALL)
    second = run("health_shock")
    assert (first.start_origin["start"], second.start_origin["start"]) == ("computed", "disk")
    assert fingerprint(second) == reference
    assert not start_cache._memory


def test_a_start_that_cannot_be_pickled_is_said_and_the_run_goes_on(cache, monkeypatch):
    import threading

    from ruralsim.simulation.model import RuralModel as Model

    real = Model._set_up

    def set_up_with_a_lock(self, n):
        real(self, n)
        self.some_lock = threading.Lock()  # as a future rule might keep

    monkeypatch.setattr(Model, "_set_up", set_up_with_a_lock)
    with pytest.warns(RuntimeWarning, match="cannot be cached"):
        model = RuralModel("baseline", run_households=2000, run_months=2).run()
    assert model.t == 2 and not list(cache.glob("*.start")) and not list(cache.glob(".*.tmp"))


def test_the_folder_keeps_to_its_size_limit_dropping_the_least_recently_used(cache, monkeypatch):
    import os
    import time

    first = RuralModel("baseline", run_households=2000, run_months=1, replicate=0)
    size = entry_of(first, cache).stat().st_size
    monkeypatch.setenv("RURALSIM_CACHE_GB", str(2.5 * size / 1e9))  # room for two entries
    second = RuralModel("baseline", run_households=2000, run_months=1, replicate=1)
    old = time.time() - 3600
    os.utime(entry_of(second, cache), (old, old))  # replicate 1's entry is now the least recently used
    start_cache.forget()
    assert RuralModel("baseline", run_households=2000, run_months=1, replicate=0).start_origin["start"] == "disk"
    third = RuralModel("baseline", run_households=2000, run_months=1, replicate=2)
    assert third.start_origin["start"] == "computed"
    assert sorted(p.name for p in cache.glob("*.start")) == sorted(
        entry_of(m, cache).name for m in (first, third))  # replicate 1's went, the one just used stayed
    monkeypatch.setenv("RURALSIM_CACHE_GB", "lots")
    with pytest.raises(ValueError, match="RURALSIM_CACHE_GB"):
        RuralModel("baseline", run_households=2000, run_months=1, replicate=3)


def test_unset_the_cache_stays_in_memory_and_writes_nothing_outside_where_the_user_pointed(tmp_path, monkeypatch):
    """With RURALSIM_CACHE unset, two models of one start share it in memory and nothing is written under the
    home folder or XDG_CACHE_HOME (a disk cache is only ever a folder the user names)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("RURALSIM_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    assert start_store.setting().mode == "memory"
    start_cache.forget()
    before = dict(start_cache.COUNTS)
    a = RuralModel("baseline", run_households=500, run_months=3, replicate=11)
    b = RuralModel("cliff_exit", run_households=500, run_months=3, replicate=11)
    assert start_cache.COUNTS["memory"] - before.get("memory", 0) >= 1
    assert a.datacollector.get_model_vars_dataframe().equals(b.datacollector.get_model_vars_dataframe())
    assert not any(home.rglob("*")), list(home.rglob("*"))
