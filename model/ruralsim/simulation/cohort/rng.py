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
        self._run_words = _int_words(self.seed) if self.seed >= 0 else None

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
        b0, b1 = lo // BLOCK, (hi - 1) // BLOCK if hi > lo else lo // BLOCK - 1
        whole = []  # whole blocks for the compiled maker (consecutive: only the first and last can be cut)
        for b in range(b0, b1 + 1):  # a loop over blocks of 65,536 rows, not over households
            start = b * BLOCK
            size = min(BLOCK, n - start)
            s, e = max(lo, start), min(hi, start + size)
            if s == start and e == start + size:  # the whole block is wanted: draw straight into place
                if not normal and self._compiled(name, month, b):
                    whole.append(b)
                else:
                    self._block(name, month, b, size, normal, out[s - lo:e - lo])
            else:  # a block cut by the chunk's edge: keep the chunk's rows of the whole block
                out[s - lo:e - lo] = self._cut_block(name, month, b, n, size, normal)[s - start:e - start]
        if whole:  # in one compiled call
            first = whole[0] * BLOCK
            span = out[first - lo:min(first + len(whole) * BLOCK, n) - lo]
            if every is not None and every[1] % 2 == 0 and self.block_uniforms_every is not None:
                phase, step = every
                firsts = np.array([(phase - b * BLOCK) % step for b in whole], np.int64)
                self.block_uniforms_every(self._entropy(name, month, whole), span, BLOCK, firsts, step)
            else:
                self.block_uniforms(self._entropy(name, month, whole), span, BLOCK)
        return out

    def _compiled(self, name: str, month: int, b: int) -> bool:
        """Whether the compiled maker can draw this address: one 32-bit word per key, as SeedSequence takes them."""
        if self.block_uniforms is None or self._run_words is None:
            return False
        return 0 <= self.replicate < 2**32 and 0 <= month + _MONTH_OFFSET < 2**32 and 0 <= b < 2**32

    def _entropy(self, name: str, month: int, blocks: list[int]) -> np.ndarray:
        """SeedSequence's entropy words of each block's address (one row per block), for the compiled maker."""
        words = np.empty((len(blocks), len(self._run_words) + 4), np.uint64)
        words[:, :len(self._run_words)] = self._run_words
        words[:, -4:-1] = (self.replicate, stream_id(name), month + _MONTH_OFFSET)
        words[:, -1] = blocks
        return words

    def _block(self, name: str, month: int, b: int, size: int, normal: bool, out: np.ndarray) -> None:
        if not normal and self._compiled(name, month, b):
            self.block_uniforms(self._entropy(name, month, [b]), out[:size], BLOCK)
            return
        g = self.generator(name, month, b)
        if normal:
            g.standard_normal(size, dtype=np.float32, out=out)
        else:
            _uniform32(g, size, out)

    def _cut_block(self, name: str, month: int, b: int, n: int, size: int, normal: bool) -> np.ndarray:
        users = self._sharers.get(n)
        if users is None or b >= len(users) or users[b] < 2:
            vals = np.empty(size, np.float32)
            self._block(name, month, b, size, normal, vals)
            return vals
        key = (name, month, b, n, normal)
        with self._lock:
            entry = self._shared.get(key)
            if entry is None:
                vals = np.empty(size, np.float32)
                self._block(name, month, b, size, normal, vals)
                entry = self._shared[key] = [vals, int(users[b])]
            entry[1] -= 1
            if entry[1] <= 0:
                del self._shared[key]
            return entry[0]


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
