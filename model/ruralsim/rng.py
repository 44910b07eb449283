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

import zlib

import numpy as np

BLOCK = 1 << 16  # rows per independently seeded block
_MONTH_OFFSET = 1000  # so burn-in months (negative) map to non-negative spawn keys


def stream_id(name: str) -> int:
    """A stable integer for a stream name (independent of declaration order)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


class Streams:
    """The random-number tree of one replicate."""

    def __init__(self, seed: int, replicate: int) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)

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

    def normal(self, name: str, month: int, n: int, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Float32 standard normals for rows ``lo:hi`` of an ``n``-row population."""
        return self._rows(name, month, n, lo, hi, normal=True)

    def small(self, name: str, month: int, size: int | tuple[int, ...]) -> np.ndarray:
        """Float64 uniforms for a few rows (villages, crops, firms): one generator, no blocks."""
        return self.generator(name, month, 0).random(size)

    def small_normal(self, name: str, month: int, size: int | tuple[int, ...]) -> np.ndarray:
        """Float64 standard normals for a few rows."""
        return self.generator(name, month, 0).standard_normal(size)

    def _rows(self, name: str, month: int, n: int, lo: int, hi: int | None, normal: bool) -> np.ndarray:
        hi = n if hi is None else hi
        out = np.empty(hi - lo, dtype=np.float32)
        b0, b1 = lo // BLOCK, (hi - 1) // BLOCK if hi > lo else lo // BLOCK - 1
        for b in range(b0, b1 + 1):  # a loop over blocks of 65,536 rows, not over households
            start = b * BLOCK
            size = min(BLOCK, n - start)
            g = self.generator(name, month, b)
            draw = g.standard_normal if normal else g.random
            s, e = max(lo, start), min(hi, start + size)
            if s == start and e == start + size:  # the whole block is wanted: draw straight into place
                draw(size, dtype=np.float32, out=out[s - lo:e - lo])
            else:  # a block cut by the chunk's edge: draw it whole, keep the chunk's rows
                out[s - lo:e - lo] = draw(size, dtype=np.float32)[s - start:e - start]
        return out


def replicate_seeds(master_seed: int, replicates: int) -> list[dict]:
    """How each replicate's streams are addressed, for the run manifest."""
    return [{"replicate": r, "master_seed": int(master_seed), "spawn_key": [r]} for r in range(replicates)]
