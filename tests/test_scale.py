"""National scale (issue 6): chunked and threaded runs equal plain runs; Numba equals NumPy; state is small."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim import RuralModel
from ruralsim.simulation.chunking import HOUSEHOLD_STATE, default_threads, partition
from ruralsim.simulation.kernels import NumpyKernels, numba_available, select

# Many small counties (5 villages of 40 households) so that a few thousand households make many chunks.
SMALL_COUNTIES = dict(population_villages_per_county=5, population_households_per_village=40)


def _run(scenario=None, **kw) -> RuralModel:
    return RuralModel(scenario, **kw).run()


def _assert_same_run(a: RuralModel, b: RuralModel) -> None:
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries(), check_exact=True)
    pd.testing.assert_frame_equal(a.distribution_frame(), b.distribution_frame(), check_exact=True)
    pd.testing.assert_frame_equal(a.spell_lengths(), b.spell_lengths(), check_exact=True)
    pd.testing.assert_frame_equal(a.place_groups(), b.place_groups(), check_exact=True)  # groups.csv's rows
    for name in ("ring", *HOUSEHOLD_STATE):  # every per-household state array, the policy phase's included
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for field in fields(a.hh):
        np.testing.assert_array_equal(getattr(a.hh, field.name), getattr(b.hh, field.name), err_msg=field.name)
    for field in fields(a.labs):
        np.testing.assert_array_equal(getattr(a.labs, field.name), getattr(b.labs, field.name), err_msg=field.name)


@pytest.fixture(scope="module")
def plain() -> RuralModel:
    """One chunk, one thread: the plain run the others must reproduce."""
    return _run(run_households=3000, run_months=14, chunk_households=10**9, threads=1, kernels="numpy",
                **SMALL_COUNTIES)


def test_partition_is_whole_counties_covering_every_row(plain):
    m = plain
    spans = partition(m.hh.county, m.hh.village, m.labs.hh, 700)
    assert len(spans) > 3
    assert spans[0].h0 == 0 and spans[-1].h1 == m.n_households
    assert spans[0].l0 == 0 and spans[-1].l1 == m.n_labourers
    for a, b in zip(spans, spans[1:]):
        assert a.h1 == b.h0 and a.l1 == b.l0 and a.v1 == b.v0 and a.c1 == b.c0
        assert m.hh.county[a.h1 - 1] != m.hh.county[b.h0]  # a cut never splits a county
    for s in spans:
        assert (m.labs.hh[s.l0:s.l1] >= s.h0).all() and (m.labs.hh[s.l0:s.l1] < s.h1).all()
        assert len(s.hh_starts) == s.c1 - s.c0


@pytest.mark.parametrize("n, threads", [(20_000, 2), (600_000, 2), (1_000_000, 2), (1_000_000, 1),
                                        (2_000_001, 2), (3_000_000, 4), (30_000_000, 2), (30_000_000, 3)])
def test_default_chunks_are_equal_a_multiple_of_the_threads_and_bounded(monkeypatch, n, threads):
    """The default cut: no chunk under CHUNK_HOUSEHOLDS (a small run stays one chunk) or over CHUNK_MAX, and
    above the floor as few equal chunks as that allows, a multiple of the threads (so no thread idles at the end
    of a pass for want of a chunk); RURALSIM_CHUNK overrides it."""
    from ruralsim.simulation.cohort.chunking import CHUNK_HOUSEHOLDS, CHUNK_MAX, default_chunk_households

    monkeypatch.delenv("RURALSIM_CHUNK", raising=False)
    target = default_chunk_households(n, threads)
    assert CHUNK_HOUSEHOLDS <= target <= max(CHUNK_HOUSEHOLDS, CHUNK_MAX)
    chunks = -(-n // target)  # windows of ``target`` rows (partition cuts at the counties starting in each)
    if target > CHUNK_HOUSEHOLDS:
        assert chunks % threads == 0 and chunks * target - n < chunks  # equal to within a household
        assert chunks // threads == -(-n // (threads * CHUNK_MAX))  # the fewest passes of chunks <= CHUNK_MAX
    else:
        assert n <= threads * CHUNK_HOUSEHOLDS * -(-n // (threads * CHUNK_MAX))
    monkeypatch.setenv("RURALSIM_CHUNK", "700")
    assert default_chunk_households(n, threads) == 700


@pytest.mark.parametrize("chunk, threads", [(700, 1), (1000, 2), (200, 2)])
def test_chunked_and_threaded_runs_equal_the_plain_run(plain, chunk, threads):
    m = _run(run_households=3000, run_months=14, chunk_households=chunk, threads=threads, kernels="numpy",
             **SMALL_COUNTIES)
    assert len(m.spans) > 2 and m.threads == threads
    _assert_same_run(plain, m)


def test_a_different_seed_is_not_equal(plain):
    """Guards the equality tests: they would pass vacuously if runs did not depend on anything."""
    m = _run(run_households=3000, run_months=14, chunk_households=700, kernels="numpy", run_seed=11,
             **SMALL_COUNTIES)
    assert not np.allclose(plain.timeseries()["mean_income"], m.timeseries()["mean_income"])


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
def test_numba_kernels_equal_the_numpy_reference():
    """Whole runs, in a scenario that exercises every branch of the kernels (a migrant-demand fall
    starting, over-capacity job losses, budget rationing, monitoring priority)."""
    kw = dict(run_households=2500, run_months=30, shocks_migrant_demand_drop_start=2021,
              shocks_migrant_demand_drop=0.3, **SMALL_COUNTIES)
    ref = _run(SCENARIOS / "employment_shock.toml", kernels="numpy", threads=1, **kw)
    fast = _run(SCENARIOS / "employment_shock.toml", kernels="numba", threads=2, chunk_households=600, **kw)
    assert fast.kern.name == "numba" and ref.kern.name == "numpy"
    ts = ref.timeseries()
    assert ts["falls_job_loss"].sum() > 0 and ts["post_labourers"].min() > 0 and ts["monitored_households"].max() > 0
    _assert_same_run(ref, fast)


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
def test_numba_equals_numpy_when_levers_switch_and_the_market_tightens():
    """Issue 11: levers switched on at 2021-01 (wider cooperative membership, more training) and a cliff
    exit in 2022 that sends post holders into the migrant market: Numba still equals NumPy."""
    kw = dict(run_households=2500, run_months=30, transition_years=1, transition_exit_mode="cliff",
              training_coverage=0.2, places_key_fund_factor=1.5, places_other_fund_factor=0.875,
              places_east_west_rate=0.05, **SMALL_COUNTIES)
    ref = _run(SCENARIOS / "dividend_push.toml", kernels="numpy", threads=1, **kw)
    fast = _run(SCENARIOS / "dividend_push.toml", kernels="numba", threads=2, chunk_households=600, **kw)
    assert fast.kern.name == "numba"
    _assert_same_run(ref, fast)


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
@pytest.mark.parametrize("scenario", ["baseline", "no_monitoring", "cliff_exit"])
def test_numba_policy_phase_equals_numpy(scenario):
    """The policy phase in Numba (monitoring, grants, 兜底 enrolment and reviews, temporary help, placements,
    birthdays, the registry and market parts): whole runs equal NumPy's, every timeseries column and every
    household and labourer array at the end, with monitoring on (and the policy acting), off, and after a
    cliff exit (2021-2022 transition, then no targeted support)."""
    kw = dict(run_households=2500, run_months=36, **SMALL_COUNTIES)
    if scenario == "cliff_exit":
        kw["transition_years"] = 2
    ref = _run(SCENARIOS / f"{scenario}.toml", kernels="numpy", threads=1, **kw)
    fast = _run(SCENARIOS / f"{scenario}.toml", kernels="numba", threads=2, chunk_households=600, **kw)
    assert fast.kern.name == "numba" and ref.kern.name == "numpy"
    ts = ref.timeseries()
    assert ts["dibao_households"].min() > 0 and ts["tekun_people"].min() > 0 and ts["mass_return_villages"].max() >= 0
    if scenario == "no_monitoring":
        assert ts["monitored_households"].max() == 0 and ts["detected"].sum() == 0
    else:  # identification, hardship help, grants and placements all happen
        assert ts["detected"].sum() > 0 and ts["fiscal_temporary"].sum() > 0 and ts["fiscal_industry"].sum() > 0
        assert (ref.episode > 0).any() or (ref.measures > 1).any()
    if scenario == "cliff_exit":
        assert ts["support_level"].iloc[-1] == 0.0
    _assert_same_run(ref, fast)


# Issue 13's regime acts from 2026: 72 months from 2021-01 run through 2026. Overrides make each rule bite:
# the merged system's detection factor off 1; no public-welfare posts (weak labourers are then not placed);
# levels off 1 on temporary help, the subsidies (the means test's left-out part, counted when excluded) and
# the 低保 standards;
# regional monitoring lines differ by default (places.line_level).
POST_2025 = {
    "policy_2026": ("policy_2026", {}),
    "merge_monitoring": ("merge_monitoring", {"monitoring_merged_detection_factor": 1.3}),
    "fund_to_employment": ("fund_to_employment", {}),
    "end_posts_able": ("end_posts_able", {}),
    "no_posts": ("policy_2026", {"programmes_posts": 0.0}),
    "levels": ("policy_2026", {"programmes_temporary": 0.5, "programmes_subsidies": 0.5, "programmes_dibao": 1.2,
                           "transfers_income_test_excludes": 0.5}),
    "key_counties_focus": ("key_counties_focus", {}),
    # Issue 21: every channel and its delays, the work deduction, no 渐退; the enrolment link off with 渐退.
    "identification": ("merge_monitoring", {"transfers_income_test_work_deduction": 800.0,
                                            "transfers_gradual_exit_months": 0, "monitoring_data_screening_delay": 0,
                                            "monitoring_self_report_prob": 0.05, "monitoring_annual_check_delay": 3}),
    "no_enrolment_link": ("policy_2026", {"monitoring_enrol_identified": False, "transfers_gradual_exit_months": 12}),
}


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
@pytest.mark.parametrize("case", sorted(POST_2025))
def test_numba_policy_phase_equals_numpy_after_2025(case):
    """Issue 13's rules in the policy phase (regional monitoring lines, the detection factor, placement only
    where posts exist and its package factor, the grant factor, no take-up draw for the protected, programme
    levels on temporary help and the means test; category counts and groups' parts): Numba equals NumPy
    over whole runs through 2026, every timeseries column, groups.csv's rows and every household array."""
    from ruralsim.simulation import places as places_mod

    scenario, overrides = POST_2025[case]
    kw = dict(run_households=2000, run_months=72, **SMALL_COUNTIES, **overrides)
    ref = _run(SCENARIOS / f"{scenario}.toml", kernels="numpy", threads=1, **kw)
    fast = _run(SCENARIOS / f"{scenario}.toml", kernels="numba", threads=2, chunk_households=600, **kw)
    assert fast.kern.name == "numba" and ref.kern.name == "numpy"
    assert np.unique(places_mod.line_levels(ref.p)).size > 1  # regions' lines differ
    ts = ref.timeseries()
    late = ts.iloc[60:]  # 2026
    assert late["detected"].sum() > 0 and late["fiscal_industry"].sum() > 0
    assert ref.packages and (ref.category >= 0).all()
    _assert_same_run(ref, fast)


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
def test_numba_segment_sums_equal_bincount():
    rng = np.random.default_rng(3)
    x = (rng.lognormal(6, 2, 50_000)).astype(np.float32)
    starts = np.r_[0, np.sort(rng.choice(np.arange(1, 50_000), 30, replace=False))]
    seg = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(x)]))
    fast = select(10**9, "numba")
    np.testing.assert_array_equal(fast.segment_sums(x, seg, starts), NumpyKernels.segment_sums(x, seg, starts))
    mask = x > 500
    np.testing.assert_array_equal(fast.segment_sums(mask, seg, starts), np.bincount(seg, mask, len(starts)))


def test_state_stays_small_per_household(plain):
    """Memory per household of everything that grows with the cohort (national: ~31M households).
    Issue 10 added 16 bytes (registry income of the year and the last year, 兜底 cover, monitoring
    measures and episodes, flags)."""
    nbytes = plain.state_nbytes()
    per_hh = sum(nbytes.values()) / plain.n_households
    assert 100 < per_hh < 190, nbytes
    assert plain.ring.dtype == np.float32 and plain.labs.status.dtype == np.int8


def test_threads_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RURALSIM_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.setenv("RURALSIM_THREADS", "zero")
    with pytest.raises(ValueError, match="RURALSIM_THREADS"):
        default_threads()
    monkeypatch.delenv("RURALSIM_THREADS")
    assert default_threads() >= 1


def test_fast_uniforms_are_numpys_float32_uniforms():
    """rng._uniform32 converts raw PCG64 outputs; it must give exactly Generator.random's float32 draws."""
    from ruralsim.simulation.rng import _uniform32

    for seed, size in ((1, 65_536), (2, 1), (3, 12_345)):
        out = np.empty(size, np.float32)
        _uniform32(np.random.Generator(np.random.PCG64(seed)), size, out)
        np.testing.assert_array_equal(out, np.random.Generator(np.random.PCG64(seed)).random(size, dtype=np.float32))


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
@pytest.mark.parametrize("seed", [0, 20210101, 2**40 + 7])
def test_compiled_blocks_are_numpys_seedsequence_pcg64_uniforms(seed):
    """With the Numba kernels a block's uniforms are made by a compiled SeedSequence + PCG64 (kernels_numba
    .pcg64_uniforms): exactly NumPy's draws for every address (run seed, replicate, stream, month, block)."""
    from ruralsim.simulation.rng import BLOCK, Streams

    n = 2 * BLOCK + 999  # whole blocks and a short last one
    for replicate, name, month in ((0, "hh.illness", 0), (3, "lab.find", -215), (1, "hh.dibao_takeup", -999)):
        compiled = Streams(seed, replicate)
        compiled.block_uniforms, compiled.block_uniforms_every = select(10**9, "numba").block_uniforms()
        ref = Streams(seed, replicate)
        plain = ref.uniform(name, month, n)
        np.testing.assert_array_equal(compiled.uniform(name, month, n), plain)
        np.testing.assert_array_equal(compiled.uniform(name, month, n, 70_000, n - 5), plain[70_000:n - 5])
        # Every twelfth row only (a month's birthdays and reviews), jumping over the others: the same numbers.
        for phase in (0, 5, 11):
            for lo, hi in ((0, n), (BLOCK, n), (3, 2 * BLOCK)):
                rows = np.arange(lo, hi)
                due = rows[rows % 12 == phase]
                got = compiled.uniform_every(name, month, n, lo, hi, phase)
                np.testing.assert_array_equal(got[due - lo], plain[due])
        np.testing.assert_array_equal(plain[:BLOCK], ref.generator(name, month, 0).random(BLOCK, dtype=np.float32))


def _read_rows(reader, rows):
    """A compiled loop reading a reader (pcg64_numba.read_uniform) at ``rows``, as a kernel does."""
    import numba

    from ruralsim.simulation.phases import pcg64_numba

    global _READ_ROWS
    if _READ_ROWS is None:
        read = pcg64_numba.read_uniform

        @numba.njit
        def loop(reader, rows):
            out = np.empty(rows.shape[0], np.float32)
            for k in range(rows.shape[0]):
                out[k] = read(reader, rows[k])
            return out

        _READ_ROWS = loop
    return _READ_ROWS(reader, np.asarray(rows, np.int64))


_READ_ROWS = None


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
@pytest.mark.parametrize("seed", [0, 20210101, 2**40 + 7])
def test_uniforms_at_scattered_rows_are_the_whole_draws_rows(seed):
    """Streams.uniform_rows (a compiled reader, and NumPy's blocks without it) gives exactly uniform()[rows]:
    rows at block edges, the first and last rows, dense and sparse rows, none, every kind of stream name, burn-in
    months, replicates; and Part's chunk-local helpers for chunks cut mid-block."""
    from types import SimpleNamespace

    from ruralsim.simulation.chunking import Part
    from ruralsim.simulation.rng import BLOCK, Streams

    n = 3 * BLOCK + 999  # whole blocks and a short last one
    kern = select(10**9, "numba")
    rng = np.random.default_rng(seed % 2**32)
    edges = np.array([0, 1, 2, 511, 512, 513, BLOCK - 2, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK - 1, 2 * BLOCK,
                      3 * BLOCK - 1, 3 * BLOCK, n - 2, n - 1])
    row_sets = [edges, np.array([0]), np.array([n - 1]), np.array([BLOCK - 1, BLOCK]), np.zeros(0, np.int64),
                np.arange(n), np.arange(BLOCK - 300, BLOCK + 300), np.arange(2 * BLOCK + 5, n, 7)]
    row_sets += [np.flatnonzero(rng.random(n) < share) for share in (0.0005, 0.004, 0.03, 0.3)]
    row_sets += [np.union1d(edges, np.flatnonzero(rng.random(n) < 0.01))]
    addresses = ((0, "hh.illness", 0), (3, "lab.ill", -215), (1, "hh.dibao_takeup", -999), (0, "lab.ill_len", 7),
                 (2, "hh.hardship", 119), (5, "lab.assist", -1), (0, "x", 300))
    for replicate, name, month in addresses:
        compiled = Streams(seed, replicate)
        compiled.block_uniforms, compiled.block_uniforms_every = kern.block_uniforms()
        compiled.make_reader, compiled.read_uniforms = kern.stream_readers()
        ref = Streams(seed, replicate)
        ref.make_reader = compiled.make_reader  # its readers hold the rows drawn whole (NumPy's generators)
        plain = ref.uniform(name, month, n)
        for rows in row_sets:
            for streams in (compiled, ref):
                got = streams.uniform_rows(name, month, n, rows)
                assert got.dtype == np.float32 and got.shape == rows.shape
                np.testing.assert_array_equal(got, plain[rows], err_msg=f"{name} {month} {len(rows)}")
        # A chunk's view: its households h0:h1 and labourers l0:l1, cut mid-block, with chunk-local rows.
        m = SimpleNamespace(streams=compiled, t=month, n_households=n, n_labourers=n - 500)
        plain_lab = ref.uniform(name, month, n - 500)
        for h0, h1 in ((0, n), (40_000, 150_000), (BLOCK - 7, 2 * BLOCK + 3), (n - 1_000, n)):
            part = Part.__new__(Part)
            part.m, part.span = m, SimpleNamespace(h0=h0, h1=h1, l0=h0 // 2, l1=h1 - 500)
            part.n_households, part.n_labourers = h1 - h0, h1 - 500 - h0 // 2
            for local in (np.zeros(0, np.int64), np.array([0, h1 - h0 - 1]),
                          np.flatnonzero(rng.random(h1 - h0) < 0.02), np.arange(0, h1 - h0, 97)):
                np.testing.assert_array_equal(part.uh_rows(name, local), plain[h0 + local])
                np.testing.assert_array_equal(part.uh_at(name, local)[local], plain[h0 + local])
                lab = local[local < part.n_labourers]
                np.testing.assert_array_equal(part.ul_rows(name, lab), plain_lab[h0 // 2 + lab])
                np.testing.assert_array_equal(part.ul_rows(name, lab, month=month + 1),
                                              ref.uniform(name, month + 1, n - 500)[h0 // 2 + lab])
                # A kernel's reader (rows read in ascending order as the kernel goes), compiled and NumPy's alike.
                for streams in (compiled, ref):
                    reader = streams.uniform_reader(name, month, n, h0, h1)
                    np.testing.assert_array_equal(_read_rows(reader, local), plain[h0 + local])
                    np.testing.assert_array_equal(_read_rows(reader, local[::-1]), plain[h0 + local[::-1]])


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
@pytest.mark.parametrize("seed", [0, 20210101, 2**40 + 7])
def test_compiled_normals_are_numpys_float32_standard_normals(seed):
    """With the Numba kernels a block's normals are made by a compiled ziggurat on NumPy's tables (pcg64_normals):
    exactly Generator.standard_normal(dtype=np.float32) of the block's generator, bit for bit, rejections and tail
    included (many blocks: the tail is taken a few times a block), whole runs and chunks' rows alike."""
    from ruralsim.simulation.rng import BLOCK, Streams

    kern = select(10**9, "numba")
    if kern.block_normals() is None:
        pytest.skip("NumPy's ziggurat tables were not found: the streams keep NumPy's generators")
    n = 2 * BLOCK + 999
    for replicate, name, month in ((0, "hh.illness_cost", 0), (3, "hh.illness_cost", -215), (1, "x", 117)):
        compiled = Streams(seed, replicate)
        compiled.block_uniforms, compiled.block_uniforms_every = kern.block_uniforms()
        compiled.block_normals = kern.block_normals()
        ref = Streams(seed, replicate)
        plain = ref.normal(name, month, n)
        np.testing.assert_array_equal(plain[:BLOCK], ref.generator(name, month, 0).standard_normal(BLOCK, np.float32))
        np.testing.assert_array_equal(compiled.normal(name, month, n).view(np.uint32), plain.view(np.uint32))
        np.testing.assert_array_equal(compiled.normal(name, month, n, 70_000, n - 5), plain[70_000:n - 5])
    for b in range(12):  # more blocks, one at a time
        out = np.empty(BLOCK, np.float32)
        kern.block_normals()(Streams(seed, 0)._entropy("hh.illness_cost", 5, [b])[0], out)
        want = Streams(seed, 0).generator("hh.illness_cost", 5, b).standard_normal(BLOCK, np.float32)
        np.testing.assert_array_equal(out.view(np.uint32), want.view(np.uint32))


def test_without_numpys_tables_or_with_wrong_ones_the_normals_stay_numpys_generators(monkeypatch):
    """The compiled normals are used only when NumPy's ziggurat tables are found *and* reproduce NumPy's numbers:
    missing tables (another platform) or tables that differ (another NumPy) leave the streams on NumPy's
    generators (kernels._block_normals returns None), so the numbers never depend on which maker ran."""
    pytest.importorskip("numba")
    from ruralsim.simulation.phases import kernels, pcg64_numba

    real = pcg64_numba.ziggurat_tables()
    monkeypatch.setattr(pcg64_numba, "ziggurat_tables", lambda: None)
    kernels._block_normals.cache_clear()
    try:
        assert kernels._block_normals() is None
        if real is not None:
            ki, wi, fi = real
            wrong = wi.copy()
            wrong[5] = np.nextafter(wrong[5], np.float32(1.0))  # one layer's width off by one unit in the last place
            monkeypatch.setattr(pcg64_numba, "ziggurat_tables", lambda: (ki, wrong, fi))
            kernels._block_normals.cache_clear()
            assert kernels._block_normals() is None
    finally:
        monkeypatch.undo()
        kernels._block_normals.cache_clear()


def test_blocks_shared_between_chunks_give_the_plain_draws():
    from ruralsim.simulation.rng import BLOCK, Streams

    n = 3 * BLOCK + 1_000
    cuts = [0, 40_000, 41_000, 150_000, n]  # two chunks inside one block, others across blocks
    shared = Streams(5, 1)
    shared.share_blocks(n, cuts[:-1])
    for normal in (False, True):
        draw = shared.normal if normal else shared.uniform
        plain = (Streams(5, 1).normal if normal else Streams(5, 1).uniform)("s", 3, n)
        parts = [draw("s", 3, n, a, b) for a, b in zip(cuts, cuts[1:])]
        np.testing.assert_array_equal(np.concatenate(parts), plain)
    assert not shared._shared  # every shared block was collected by all the chunks that needed it


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
def test_shared_blocks_of_a_months_due_rows_give_the_plain_draws():
    """A block shared by two chunks is drawn at the month's due rows only (every twelfth), once, for both."""
    from ruralsim.simulation.rng import BLOCK, Streams

    n = 3 * BLOCK + 1_000
    cuts = [0, 40_000, 41_000, 150_000, n]
    shared = Streams(5, 1)
    shared.block_uniforms, shared.block_uniforms_every = select(10**9, "numba").block_uniforms()
    shared.share_blocks(n, cuts[:-1])
    due = np.flatnonzero(np.arange(n) % 12 == 7)
    parts = [shared.uniform_every("s", 3, n, a, b, 7) for a, b in zip(cuts, cuts[1:])]
    np.testing.assert_array_equal(np.concatenate(parts)[due], Streams(5, 1).uniform("s", 3, n)[due])
    assert not shared._shared


def test_cohort_drawn_in_pieces_on_threads_is_the_same_cohort(monkeypatch):
    from dataclasses import fields

    from ruralsim.simulation import population
    from ruralsim.simulation.parameters import defaults
    from ruralsim.simulation.rng import BLOCK, Streams

    p, n = defaults(), 2 * BLOCK + 5_000
    whole = population.build(p, n, Streams(3, 0), threads=1)
    monkeypatch.setattr(population, "BUILD_ROWS", BLOCK)  # three pieces of households, more of labourers
    pieces = population.build(p, n, Streams(3, 0), threads=2)
    for a, b in zip(whole[:2], pieces[:2]):
        for f in fields(a):
            np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)
            assert getattr(a, f.name).dtype == getattr(b, f.name).dtype


def test_village_and_county_tables_add_up_to_the_month(plain):
    villages, counties = plain.group_table("village"), plain.group_table("county")
    last = plain.timeseries().iloc[-1]
    assert len(villages) == plain.n_villages and len(counties) == plain.n_counties > 5
    assert villages["households"].sum() == counties["households"].sum() == plain.n_households
    assert counties["people"].sum() == last["people_now"]  # people alive now (deaths since the start)
    assert villages["monitored"].sum() == last["monitored_households"]
    assert int(villages["mass_return"].sum()) == last["mass_return_villages"]
    with pytest.raises(ValueError, match="village"):
        plain.group_table("province")


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
def test_numba_equals_numpy_when_vacancies_bind_and_projects_fail():
    """Issue 22's rules in both kernel sets: a migrant market short of vacancies (displacement), posts first to
    those who cannot migrate, industry projects that fail often and pay part of their returns as asset income,
    and money moved from industry to training places: every column and array equal."""
    kw = dict(run_households=2000, run_months=30, labour_migrant_jobs_share=0.35, industry_failure_rate=0.5,
              industry_asset_income_share=0.5, industry_return_lag=2, budget_industry_to_employment={2021: 0.3},
              **SMALL_COUNTIES)
    ref = _run(SCENARIOS / "baseline.toml", kernels="numpy", threads=1, **kw)
    fast = _run(SCENARIOS / "baseline.toml", kernels="numba", threads=2, chunk_households=600, **kw)
    ts = ref.timeseries()
    assert (ts["migrant_displaced"] > 0).any() and (ts["industry_failed_capital"] > 0).any()
    assert ts["fiscal_training"].sum() > 0 and (ts["industry_returns"] > 0).all()
    _assert_same_run(ref, fast)


@pytest.mark.skipif(not numba_available(), reason="Numba not installed (the 'fast' extra)")
def test_compiled_kernels_cache_is_stamped_by_every_kernel_module(tmp_path):
    """Numba reuses cached machine code while the function's own file is unchanged, though a kernel has the
    helpers of other modules compiled in: the kernels' entries carry the digest of every module of the phases
    package instead, so a change to any of them (a reader in pcg64_numba) recompiles every kernel."""
    import re

    from ruralsim.simulation.phases import jit, pcg64_numba

    phases = Path(jit.__file__).parent
    for path in phases.parent.parent.rglob("*.py"):  # every compiled function is in the stamped package
        if re.search(r"^from \.+(phases\.)?jit import|numba\.njit|@jit\b", path.read_text(encoding="utf-8"), re.M):
            assert path.parent == phases, path
    copies = []
    for path in jit.kernel_sources():
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    digest = jit.sources_digest(copies)
    assert digest == jit.sources_digest(jit.kernel_sources())
    helper = tmp_path / "pcg64_numba.py"
    helper.write_text(helper.read_text(encoding="utf-8") + "\n# one line more\n", encoding="utf-8")
    assert jit.sources_digest(jit.kernel_sources(tmp_path)) != digest
    locator = pcg64_numba.read_uniform._cache._impl.locator
    assert type(locator).__name__.startswith("Kernels") and locator.get_source_stamp() == digest
