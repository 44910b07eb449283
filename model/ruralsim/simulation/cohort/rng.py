"""Seeded random streams that make scenarios comparable (common random numbers).

Every random process (illness, job loss, detection, ...) has its own named stream, and every
draw is addressed by (master seed, replicate, stream, month, block of rows). So:

* the same household gets the same illness draw in month *t* in every scenario, whatever the
  policy did before: a difference between two scenarios is the policy's effect, not noise;
* turning a programme on or off never shifts the draws of an unrelated process;
* rows are drawn in fixed blocks of ``BLOCK`` rows, so a run processed in chunks (issue 6) draws
  exactly what a plain run draws.

Draws are uniforms compared against probabilities (``u < p``), so raising a probability adds
events to those already happening rather than reshuffling them.
"""

from __future__ import annotations

import sys
import threading
import zlib
from functools import lru_cache
from typing import NamedTuple

import numpy as np

BLOCK = 1 << 16  # rows per independently seeded block
_MONTH_OFFSET = 1000  # so burn-in months (negative) map to non-negative spawn keys


@lru_cache(maxsize=None)
def stream_id(name: str) -> int:
    """A stable integer for a stream name (independent of declaration order)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


class Streams:
    """The random-number tree of one replicate."""

    def __init__(self, seed: int, replicate: int) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)
        # Blocks cut by a chunk's edge are wanted by the chunks on both sides: the first to need one
        # draws it and leaves it here for the others (see share_blocks).
        self._sharers: dict[int, np.ndarray] = {}
        self._shared: dict[tuple, list] = {}
        self._lock = threading.Lock()
        # A compiled ``(entropy words per block, out, BLOCK)`` maker of consecutive blocks' uniforms (set by the
        # model with the Numba kernels): the same numbers as :meth:`generator` and :func:`_uniform32`, without
        # their Python objects.
        self.block_uniforms = None
        # Its maker of every ``step``-th row only, ``(entropy, out, BLOCK, first row per block, step)``.
        self.block_uniforms_every = None
        # Its maker of a compiled kernel's reader (:meth:`uniform_reader`) and its reader of listed rows, ``(reader,
        # rows)``: for draws read on a few percent of the rows (:meth:`uniform_rows`). Set by the model, so this
        # module needs no kernel module.
        self.make_reader = None
        self.read_uniforms = None
        # Its maker of one block's float32 standard normals, ``(entropy words, out)``: NumPy's numbers (None: NumPy's
        # generators).
        self.block_normals = None
        self._run_words = _int_words(self.seed) if self.seed >= 0 else None
        self._plans: dict[tuple[int, int, int], _Plan] = {}  # block plans by (rows, first row, end row)

    def share_blocks(self, n: int, chunk_starts: np.ndarray) -> None:
        """Say how an ``n``-row population is cut into chunks (their first rows), so that a block
        shared by several chunks is drawn once per (stream, month) rather than once per chunk."""
        starts = np.asarray(chunk_starts, np.int64)
        ends = np.r_[starts[1:], n]
        users = np.zeros(-(-n // BLOCK), np.int64)
        for s, e in zip(starts, ends):  # a loop over chunks, not rows
            if e > s:
                users[s // BLOCK:(e - 1) // BLOCK + 1] += 1
        self._sharers[n] = users

    def forget_shared(self) -> None:
        """Drop shared blocks nobody collected (e.g. a stream drawn by some chunks only)."""
        with self._lock:
            self._shared.clear()

    def generator(self, name: str, month: int = 0, block: int = 0) -> np.random.Generator:
        """A fresh generator for one (stream, month, block) address."""
        ss = np.random.SeedSequence(
            entropy=self.seed,
            spawn_key=(self.replicate, stream_id(name), month + _MONTH_OFFSET, block),
        )
        return np.random.Generator(np.random.PCG64(ss))

    def uniform(self, name: str, month: int, n: int, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Float32 uniforms in [0, 1) for rows ``lo:hi`` of an ``n``-row population."""
        return self._rows(name, month, n, lo, hi, normal=False)

    def uniform_every(self, name: str, month: int, n: int, lo: int, hi: int, phase: int, step: int = 12) -> np.ndarray:
        """:meth:`uniform` where only rows ``r`` with ``r % step == phase`` (model rows) will be read: with the
        compiled maker the other rows of whole blocks are not drawn (their values are unspecified); the rows
        read are exactly :meth:`uniform`'s."""
        return self._rows(name, month, n, lo, hi, normal=False, every=(phase, step))

    def uniform_rows(self, name: str, month: int, n: int, rows: np.ndarray) -> np.ndarray:
        """``uniform(name, month, n)[rows]`` for ascending ``rows`` of an ``n``-row population: with the compiled
        maker only those rows are drawn (a row costs about five rows of a whole block, so this pays below a
        fifth of the rows); else the blocks touched are drawn whole."""
        rows = np.asarray(rows, np.int64)
        out = np.empty(len(rows), np.float32)
        if not len(rows):
            return out
        b0, b1 = int(rows[0]) // BLOCK, int(rows[-1]) // BLOCK
        if self.read_uniforms is not None and self._compiled(month):
            reader = self.make_reader(self._entropy(name, month, list(range(b0, b1 + 1))), b0, b0 * BLOCK, BLOCK, None)
            return self.read_uniforms(reader, rows - b0 * BLOCK)
        cuts = np.searchsorted(rows, np.arange(b0, b1 + 2, dtype=np.int64) * BLOCK)
        for b, s, e in zip(range(b0, b1 + 1), cuts[:-1], cuts[1:]):  # a loop over blocks, not rows
            if e > s:
                size = min(BLOCK, n - b * BLOCK)
                vals = np.empty(size, np.float32)
                self._block(name, month, b, size, False, vals)
                out[s:e] = vals[rows[s:e] - b * BLOCK]
        return out

    def uniform_reader(self, name: str, month: int, n: int, lo: int, hi: int) -> np.ndarray:
        """A compiled kernel's reader of :meth:`uniform`'s rows ``lo:hi`` (:func:`.pcg64_numba.read_uniform`, local
        row ``i`` = model row ``lo + i``), for a draw read at a few rows found as the kernel goes: with the compiled
        maker it holds the blocks' addresses only, else the rows drawn whole."""
        if self.read_uniforms is not None and self._compiled(month) and hi > lo:
            b0, b1 = lo // BLOCK, (hi - 1) // BLOCK
            return self.make_reader(self._entropy(name, month, list(range(b0, b1 + 1))), b0, lo, BLOCK, None)
        return self.make_reader(np.zeros((0, 0), np.uint64), 0, lo, BLOCK, self.uniform(name, month, n, lo, hi))

    def normal(self, name: str, month: int, n: int, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Float32 standard normals for rows ``lo:hi`` of an ``n``-row population."""
        return self._rows(name, month, n, lo, hi, normal=True)

    def small(self, name: str, month: int, size: int | tuple[int, ...]) -> np.ndarray:
        """Float64 uniforms for a few rows (villages, crops, firms): one generator, no blocks."""
        return self.generator(name, month, 0).random(size)

    def small_normal(self, name: str, month: int, size: int | tuple[int, ...]) -> np.ndarray:
        """Float64 standard normals for a few rows."""
        return self.generator(name, month, 0).standard_normal(size)

    def _rows(self, name: str, month: int, n: int, lo: int, hi: int | None, normal: bool,
              every: tuple[int, int] | None = None) -> np.ndarray:
        hi = n if hi is None else hi
        out = np.empty(hi - lo, dtype=np.float32)
        plan = self._plan(n, lo, hi)
        compiled = self._compiled(month)
        for b, s, e, start, size in plan.cut:  # blocks cut by the chunk's edge: the chunk's rows of the whole block
            out[s - lo:e - lo] = self._cut_block(name, month, b, n, size, normal, every)[s - start:e - start]
        if not plan.whole:
            return out
        if not compiled or normal:  # one block at a time, straight into place
            for b in plan.whole:
                start = b * BLOCK
                size = min(BLOCK, n - start)
                self._block(name, month, b, size, normal, out[start - lo:start + size - lo])
            return out
        first = plan.whole[0] * BLOCK  # whole blocks (consecutive) in one compiled call
        span = out[first - lo:min(first + len(plan.whole) * BLOCK, n) - lo]
        self._compiled_uniforms(self._entropy(name, month, plan.words), span, plan.starts, every)
        return out

    def _compiled_uniforms(self, words: np.ndarray, out: np.ndarray, starts: np.ndarray,
                           every: tuple[int, int] | None) -> None:
        """Consecutive blocks' uniforms into ``out`` with the compiled maker (``words``: their entropy words,
        ``starts``: their first model rows): every row, or with ``every`` (phase, an even step) only the rows
        ``r % step == phase``."""
        if every is not None and every[1] % 2 == 0 and self.block_uniforms_every is not None:
            phase, step = every
            self.block_uniforms_every(words, out, BLOCK, (phase - starts) % step, step)
        else:
            self.block_uniforms(words, out, BLOCK)

    def _plan(self, n: int, lo: int, hi: int) -> "_Plan":
        """Which blocks rows ``lo:hi`` of an ``n``-row population take whole and which are cut by its edges: the
        same every month for a chunk, so worked out once (a Python loop over blocks, not rows, but every stream
        of every chunk-month made it again)."""
        key = (n, lo, hi)
        plan = self._plans.get(key)
        if plan is None:
            b0, b1 = lo // BLOCK, (hi - 1) // BLOCK if hi > lo else lo // BLOCK - 1
            whole, cut = [], []
            for b in range(b0, b1 + 1):  # a loop over blocks of 65,536 rows, not over households
                start = b * BLOCK
                size = min(BLOCK, n - start)
                s, e = max(lo, start), min(hi, start + size)
                if s == start and e == start + size:
                    whole.append(b)
                else:
                    cut.append((b, s, e, start, size))
            words = (self._block_words(whole) if self._run_words is not None
                     else np.zeros((len(whole), 4), np.uint64))  # no compiled draws without run words
            plan = self._plans[key] = _Plan(whole, cut, words, np.asarray(whole, np.int64) * BLOCK)
        return plan

    def _compiled(self, month: int) -> bool:
        """Whether the compiled maker can draw this month's addresses: one 32-bit word per key, as SeedSequence
        takes them (blocks are far below 2**32)."""
        if self.block_uniforms is None or self._run_words is None:
            return False
        return 0 <= self.replicate < 2**32 and 0 <= month + _MONTH_OFFSET < 2**32

    def _entropy(self, name: str, month: int, template: np.ndarray | list[int]) -> np.ndarray:
        """SeedSequence's entropy words of each block's address (one row per block), for the compiled maker:
        ``template`` is a plan's words (run, replicate and block filled in) or a list of block numbers."""
        words = template.copy() if isinstance(template, np.ndarray) else self._block_words(template)
        words[:, -3] = stream_id(name)
        words[:, -2] = month + _MONTH_OFFSET
        return words

    def _block_words(self, blocks: list[int]) -> np.ndarray:
        """The entropy words of ``blocks``' addresses with the stream and month left to fill (run, replicate,
        block): one row per block."""
        words = np.zeros((len(blocks), len(self._run_words) + 4), np.uint64)
        words[:, :len(self._run_words)] = self._run_words
        words[:, -4] = self.replicate
        words[:, -1] = blocks
        return words

    def _block(self, name: str, month: int, b: int, size: int, normal: bool, out: np.ndarray,
               every: tuple[int, int] | None = None) -> None:
        """Block ``b``'s numbers into ``out``; with ``every`` (phase, step) and the compiled maker only the rows
        ``r % step == phase`` (model rows) are drawn, as in :meth:`_rows`."""
        if self._compiled(month) and (not normal or self.block_normals is not None):
            if normal:
                self.block_normals(self._entropy(name, month, [b])[0], out[:size])
            else:
                self._compiled_uniforms(self._entropy(name, month, [b]), out[:size],
                                        np.array([b * BLOCK], np.int64), every)
            return
        g = self.generator(name, month, b)
        if normal:
            g.standard_normal(size, dtype=np.float32, out=out)
        else:
            _uniform32(g, size, out)

    def _cut_block(self, name: str, month: int, b: int, n: int, size: int, normal: bool,
                   every: tuple[int, int] | None = None) -> np.ndarray:
        users = self._sharers.get(n)
        if users is None or b >= len(users) or users[b] < 2:
            vals = np.empty(size, np.float32)
            self._block(name, month, b, size, normal, vals, every)
            return vals
        key = (name, month, b, n, normal, every)
        with self._lock:
            entry = self._shared.get(key)
            if entry is None:
                vals = np.empty(size, np.float32)
                self._block(name, month, b, size, normal, vals, every)
                entry = self._shared[key] = [vals, int(users[b])]
            entry[1] -= 1
            if entry[1] <= 0:
                del self._shared[key]
            return entry[0]


class _Plan(NamedTuple):
    """How a span of rows meets the blocks: ``whole`` block numbers (consecutive), ``cut`` blocks as
    ``(block, first row, end row, block's first row, block size)``, the whole blocks' entropy words without
    stream and month (``words``) and their first rows (``starts``)."""

    whole: list
    cut: list
    words: np.ndarray
    starts: np.ndarray


def _uniform32(g: np.random.Generator, size: int, out: np.ndarray) -> None:
    """``g.random(size, dtype=np.float32, out=out)``, bit for bit, from the raw 64-bit outputs.

    NumPy's float32 uniform is ``(u32 >> 8) * 2**-24`` where PCG64 hands out each 64-bit output as
    two 32-bit halves, low half first; converting raw outputs in bulk is a third faster
    (``tests/test_scale.py`` checks the identity).
    """
    if sys.byteorder != "little":
        g.random(size, dtype=np.float32, out=out)
        return
    raw = g.bit_generator.random_raw((size + 1) // 2)
    out[:] = raw.view(np.uint32)[:size] >> np.uint32(8)
    out *= np.float32(2.0 ** -24)


def _int_words(value: int) -> list[int]:
    """SeedSequence's 32-bit words of a non-negative entropy integer (little-endian), padded to its pool of 4
    (as it pads the run entropy when a spawn key follows)."""
    words = []
    while True:
        words.append(value & 0xFFFFFFFF)
        value >>= 32
        if not value:
            break
    return words + [0] * max(0, 4 - len(words))


def replicate_seeds(master_seed: int, replicates: int) -> list[dict]:
    """How each replicate's streams are addressed, for the run manifest."""
    return [{"replicate": r, "master_seed": int(master_seed), "spawn_key": [r]} for r in range(replicates)]
