"""Compiled random draws for the Numba kernels: a block of float32 uniforms from its stream address.

:mod:`ruralsim.simulation.cohort.rng` addresses every block of draws by a ``SeedSequence`` (run seed, replicate,
stream, month, block) and makes its uniforms with NumPy's PCG64. Per block that costs a SeedSequence, a
bit generator and NumPy's per-output calls; :func:`pcg64_uniforms` does the hashing, the seeding, the
stepping and the float32 conversion in one compiled loop and gives exactly NumPy's numbers
(``tests/test_scale.py`` compares them for every kind of address). Also here: every ``step``-th row only
(:func:`pcg64_blocks_every`), scattered rows only (a *reader*, :func:`make_reader`: :func:`read_uniforms` for rows
listed, :func:`read_uniform` for a kernel that finds its rows as it goes), and a block's float32 standard normals
(:func:`pcg64_normals`, NumPy's ziggurat).
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from .jit import _jit, f32

_U = np.uint64
_M32 = _U(0xFFFFFFFF)
_S16, _S32, _S58, _S63 = _U(16), _U(32), _U(58), _U(63)
_INIT_A, _MULT_A, _INIT_B, _MULT_B = _U(0x43B0D7E5), _U(0x931E8875), _U(0x8B51F9DD), _U(0x58F38DED)
_MIX_L, _MIX_R = _U(0xCA01F9DD), _U(0x4973F715)
_PCG_MUL_HI, _PCG_MUL_LO = _U(2549297995355413924), _U(4865540595714422341)
_ONE, _SIXTYFOUR = _U(1), _U(64)
_SHIFT8, _SHIFT40 = _U(8), _U(40)


@_jit
def _hashmix(value, hash_const):
    value = (value ^ hash_const) & _M32
    hash_const = (hash_const * _MULT_A) & _M32
    value = (value * hash_const) & _M32
    value ^= value >> _S16
    return value, hash_const


@_jit
def _mix(x, y):
    result = ((_MIX_L * x) - (_MIX_R * y)) & _M32
    return result ^ (result >> _S16)


@intrinsic
def _mulhi(typingctx, a, b):
    """High 64 bits of the 128-bit product of two uint64: one machine multiply (LLVM's i128 multiply), where
    the same arithmetic in 64-bit halves takes four; a generator step is a chain of these, so this is most
    of what a uniform costs."""
    sig = types.uint64(types.uint64, types.uint64)

    def codegen(context, builder, signature, args):
        i128 = ir.IntType(128)
        product = builder.mul(builder.zext(args[0], i128), builder.zext(args[1], i128))
        return builder.trunc(builder.lshr(product, ir.Constant(i128, 64)), ir.IntType(64))

    return sig, codegen


@_jit
def _pcg_step(sh, sl, ih, il):
    lo = sl * _PCG_MUL_LO
    hi = sh * _PCG_MUL_LO + sl * _PCG_MUL_HI + _mulhi(sl, _PCG_MUL_LO)
    lo2 = lo + il
    carry = _ONE if lo2 < lo else _U(0)
    return hi + ih + carry, lo2


@_jit
def pcg64_state(entropy):
    """(state hi, state lo, inc hi, inc lo) of ``PCG64(SeedSequence)`` for the assembled entropy words
    (uint64 array of 32-bit words: the run entropy padded to 4 words, then the spawn key's words)."""
    mixer = np.zeros(4, np.uint64)
    hc = _INIT_A
    for i in range(4):
        v = entropy[i] if i < entropy.shape[0] else _U(0)
        mixer[i], hc = _hashmix(v, hc)
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                h, hc = _hashmix(mixer[i_src], hc)
                mixer[i_dst] = _mix(mixer[i_dst], h)
    for i_src in range(4, entropy.shape[0]):
        for i_dst in range(4):
            h, hc = _hashmix(entropy[i_src], hc)
            mixer[i_dst] = _mix(mixer[i_dst], h)
    words = np.zeros(8, np.uint64)
    hb = _INIT_B
    for i in range(8):
        d = mixer[i % 4]
        d = (d ^ hb) & _M32
        hb = (hb * _MULT_B) & _M32
        d = (d * hb) & _M32
        d ^= d >> _S16
        words[i] = d
    seed0 = words[0] | (words[1] << _S32)
    seed1 = words[2] | (words[3] << _S32)
    inc0 = words[4] | (words[5] << _S32)
    inc1 = words[6] | (words[7] << _S32)
    # pcg_setseq_128_srandom_r: inc = (initseq << 1) | 1; step; state += initstate; step.
    ih = (inc0 << _ONE) | (inc1 >> _S63)
    il = (inc1 << _ONE) | _ONE
    sh, sl = _pcg_step(_U(0), _U(0), ih, il)
    lo = sl + seed1
    carry = _ONE if lo < sl else _U(0)
    sh, sl = sh + seed0 + carry, lo
    sh, sl = _pcg_step(sh, sl, ih, il)
    return sh, sl, ih, il


@_jit
def pcg64_uniforms(entropy, out):
    """Fill ``out`` with the block's float32 uniforms (see the section comment)."""
    sh, sl, ih, il = pcg64_state(entropy)
    scale = f32(2.0 ** -24)
    n = out.shape[0]
    for k in range((n + 1) // 2):
        sh, sl = _pcg_step(sh, sl, ih, il)
        x = _output(sh, sl)
        out[2 * k] = f32((x & _M32) >> _SHIFT8) * scale
        if 2 * k + 1 < n:
            out[2 * k + 1] = f32(x >> _SHIFT40) * scale


@_jit
def _output(sh, sl):
    """PCG64's output (XSL-RR) of a state."""
    x = sh ^ sl
    rot = sh >> _S58
    return (x >> rot) | (x << ((_SIXTYFOUR - rot) & _S63))


@_jit
def pcg64_blocks(entropy, out, block):
    """Fill ``out`` with consecutive blocks' uniforms: row ``j`` of ``entropy`` addresses ``out[j * block:]`` (the
    last block may be short). Why two at a time: a block's generator is one long chain of dependent 128-bit
    multiplications; stepping two independent chains in one loop lets the processor overlap them (a fifth
    faster), with each block's numbers unchanged."""
    n, k = out.shape[0], entropy.shape[0]
    j = 0
    while j + 1 < k and (j + 2) * block <= n:
        _two_blocks(entropy[j], entropy[j + 1], out[j * block:(j + 1) * block], out[(j + 1) * block:(j + 2) * block])
        j += 2
    while j < k:
        pcg64_uniforms(entropy[j], out[j * block:min((j + 1) * block, n)])
        j += 1


@_jit
def _two_blocks(entropy_a, entropy_b, out_a, out_b):
    """:func:`pcg64_uniforms` of two blocks of the same (even) size, their steps interleaved."""
    ah, al, aih, ail = pcg64_state(entropy_a)
    bh, bl, bih, bil = pcg64_state(entropy_b)
    scale = f32(2.0 ** -24)
    for k in range(out_a.shape[0] // 2):
        ah, al = _pcg_step(ah, al, aih, ail)
        bh, bl = _pcg_step(bh, bl, bih, bil)
        x, y = _output(ah, al), _output(bh, bl)
        out_a[2 * k] = f32((x & _M32) >> _SHIFT8) * scale
        out_a[2 * k + 1] = f32(x >> _SHIFT40) * scale
        out_b[2 * k] = f32((y & _M32) >> _SHIFT8) * scale
        out_b[2 * k + 1] = f32(y >> _SHIFT40) * scale


# A block's rows taken every ``step`` rows (the month's birthdays and reviews: a twelfth of the rows) need not
# step through the others: ``step / 2`` generator steps are one multiply-add with the steps' combined multiplier
# and increment (PCG's jump ahead), so the rows drawn cost a sixth of the block.
@_jit
def _mul128(ah, al, bh, bl):
    """(a * b) mod 2**128 of two (high, low) 64-bit pairs."""
    return ah * bl + al * bh + _mulhi(al, bl), al * bl


@_jit
def _jump(ih, il, steps):
    """Multiplier and increment of ``steps`` generator steps: state -> m * state + c (mod 2**128)."""
    mh, ml, ch, cl = _U(0), _ONE, _U(0), _U(0)
    for _ in range(steps):
        mh, ml = _mul128(_PCG_MUL_HI, _PCG_MUL_LO, mh, ml)
        ch, cl = _pcg_step(ch, cl, ih, il)
    return mh, ml, ch, cl


@_jit
def pcg64_blocks_every(entropy, out, block, firsts, step):
    """As :func:`pcg64_blocks`, but only rows ``firsts[j], firsts[j] + step, ...`` of block ``j`` (``step`` even:
    a row's number is the same half of every jumped-to output); the other rows of ``out`` are left as they are."""
    n = out.shape[0]
    scale = f32(2.0 ** -24)
    for j in range(entropy.shape[0]):
        base = j * block
        size = min(block, n - base)
        r = firsts[j]
        if r >= size:
            continue
        sh, sl, ih, il = pcg64_state(entropy[j])
        mh, ml, ch, cl = _jump(ih, il, step // 2)
        for _ in range(r // 2 + 1):
            sh, sl = _pcg_step(sh, sl, ih, il)
        odd = r % 2 == 1
        while True:
            x = _output(sh, sl)
            out[base + r] = f32(x >> _SHIFT40) * scale if odd else f32((x & _M32) >> _SHIFT8) * scale
            r += step
            if r >= size:
                break
            ph, pl = _mul128(mh, ml, sh, sl)
            sl = pl + cl
            sh = ph + ch + (_ONE if sl < pl else _U(0))


# Rows of a block read here and there (a few percent of them: the ill households' labourers, the households of
# villages hit by a disaster, ...) need not step through the others either: the state ``t`` steps after a
# block's seeded state ``s`` is ``M_t * s + inc * F_t`` (mod 2**128; ``M_t`` = the multiplier to the ``t``-th
# power, ``F_t`` = the sum of its powers below ``t``). With ``t = h * L + l`` (``L`` = _LOW_STEPS) that is
# ``M_l * G_h + inc * F_l``, where ``G_h`` (the state every ``L`` steps) is made once per block and ``M_l``,
# ``F_l`` are tables made once: a row costs two 128-bit products, and no row waits for another.
_LOW_STEPS = 256


def _step_tables(steps: int) -> np.ndarray:
    """Rows (M hi, M lo, F hi, F lo) of ``l`` = 0..``steps`` generator steps: state -> M_l * state + inc * F_l."""
    a = (int(_PCG_MUL_HI) << 64) | int(_PCG_MUL_LO)
    mask, half = (1 << 128) - 1, (1 << 64) - 1
    table = np.zeros((4, steps + 1), np.uint64)
    m, f = 1, 0
    for l in range(steps + 1):  # noqa: E741  (257 entries, once at import)
        table[:, l] = m >> 64, m & half, f >> 64, f & half
        m, f = (m * a) & mask, (f * a + 1) & mask
    return table


_STEP_TABLE = _step_tables(_LOW_STEPS)
_M24 = _U(0xFFFFFF)


@_jit
def group_rows(groups, first):
    """The rows ``first[g]:first[g + 1]`` of each of the ascending ``groups``, in order (e.g. the households of the
    villages hit by a disaster: the rows whose draws are read with :func:`read_uniforms`)."""
    total = 0
    for g in groups:
        total += first[g + 1] - first[g]
    rows = np.empty(total, np.int64)
    k = 0
    for g in groups:
        for j in range(first[g], first[g + 1]):
            rows[k] = j
            k += 1
    return rows


# Standard normals (float32), as NumPy's Generator.standard_normal(dtype=np.float32) makes them: its ziggurat of 256
# layers on the generator's 32-bit halves (low half first, a spare half kept for the next draw). A draw takes one
# half 99% of the time; the others (the wedges' and the tail's rejection tests) take more, so a block is drawn
# whole, in order. The layers' tables are NumPy's own, read from the static library NumPy ships with its random
# module (numpy/random/lib/libnpyrandom.a); without them the streams keep NumPy's generators.
_ZIG_R = f32(3.6541528853610087963519472518)  # the ziggurat's base strip edge, and its inverse
_ZIG_INV_R = f32(0.27366123732975827203338247596)
_ZIG_TABLES = ("ki_float", "wi_float", "fi_float")
_U8BITS, _U23BITS, _S9 = _U(0xFF), _U(0x7FFFFF), _U(9)


def ziggurat_tables():
    """NumPy's float32 normal ziggurat tables (``ki`` as uint64, ``wi``, ``fi`` float32), or None where its static
    library is missing or unreadable: the symbols of an ``ar`` archive's little-endian ELF64 members."""
    import os
    import struct

    path = os.path.join(os.path.dirname(np.__file__), "random", "lib", "libnpyrandom.a")
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if data[:8] != b"!<arch>\n":
        return None
    found, pos = {}, 8
    try:
        while pos + 60 <= len(data) and len(found) < len(_ZIG_TABLES):
            size = int(data[pos + 48:pos + 58].decode().strip())
            body = data[pos + 60:pos + 60 + size]
            pos += 60 + size + (size & 1)
            if body[:6] != b"\x7fELF\x02\x01":
                continue
            shoff, = struct.unpack_from("<Q", body, 0x28)
            shentsize, shnum = struct.unpack_from("<HH", body, 0x3A)
            secs = [struct.unpack_from("<IIQQQQIIQQ", body, shoff + i * shentsize) for i in range(shnum)]
            for sec in secs:
                if sec[1] != 2:  # the symbol table
                    continue
                names = secs[sec[6]][4]
                for off in range(sec[4], sec[4] + sec[5], sec[9]):
                    st_name, _, _, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", body, off)
                    name = body[names + st_name:body.index(b"\0", names + st_name)].decode()
                    if name in _ZIG_TABLES and 0 < st_shndx < shnum and st_size == 1024:
                        start = secs[st_shndx][4] + st_value
                        found[name] = body[start:start + st_size]
    except (ValueError, struct.error, UnicodeDecodeError):
        return None
    if len(found) < len(_ZIG_TABLES):
        return None
    return (np.frombuffer(found["ki_float"], "<u4").astype(np.uint64),
            np.frombuffer(found["wi_float"], "<f4").astype(np.float32),
            np.frombuffer(found["fi_float"], "<f4").astype(np.float32))


@_jit
def _next_half(sh, sl, ih, il, have, spare):
    """NumPy's next_uint32 of PCG64: the spare high half if there is one, else a step and its low half."""
    if have:
        return sh, sl, False, spare, spare
    sh, sl = _pcg_step(sh, sl, ih, il)
    x = _output(sh, sl)
    return sh, sl, True, x >> _S32, x & _M32


@_jit
def pcg64_normals(entropy, out, ki, wi, fi):
    """Fill ``out`` with the block's float32 standard normals (see the section comment)."""
    sh, sl, ih, il = pcg64_state(entropy)
    have, spare = False, _U(0)
    scale = f32(2.0 ** -24)
    for k in range(out.shape[0]):
        while True:
            sh, sl, have, spare, r = _next_half(sh, sl, ih, il, have, spare)
            idx = np.int64(r & _U8BITS)
            rabs = (r >> _S9) & _U23BITS
            x = f32(np.int64(rabs)) * wi[idx]
            if (r >> _SHIFT8) & _ONE:
                x = -x
            if rabs < ki[idx]:
                out[k] = x  # 99% of draws
                break
            if idx == 0:  # the tail
                while True:
                    sh, sl, have, spare, r1 = _next_half(sh, sl, ih, il, have, spare)
                    sh, sl, have, spare, r2 = _next_half(sh, sl, ih, il, have, spare)
                    xx = -_ZIG_INV_R * math.log1p(-(f32(np.int64(r1 >> _SHIFT8)) * scale))
                    yy = -math.log1p(-(f32(np.int64(r2 >> _SHIFT8)) * scale))
                    if yy + yy > xx * xx:
                        out[k] = -(_ZIG_R + xx) if (rabs >> _SHIFT8) & _ONE else _ZIG_R + xx
                        break
                break
            sh, sl, have, spare, r1 = _next_half(sh, sl, ih, il, have, spare)  # a wedge: accept or draw again
            u = f32(np.int64(r1 >> _SHIFT8)) * scale
            if np.float64((fi[idx - 1] - fi[idx]) * u + fi[idx]) < math.exp(-0.5 * np.float64(x) * np.float64(x)):
                out[k] = x
                break


# A kernel that reads a stream at a few rows it finds as it goes (a separated labourer's next status, a graduate's
# placement, a household's detection) takes a *reader* instead of the stream's whole array: one uint64 array with
# a header (mode, first block, model row of local row 0, log2 of the rows per block) and, for each block of the
# chunk, its tables (the state every _LOW_STEPS steps, the increment's part of every fewer steps: the section on
# scattered rows above). A read is then two 128-bit products, with no call and no branch but the mode's: one array
# made whole beforehand, because a compiled call given arrays, or making a view, pays reference counts on every
# read (~35 ns a read with a tuple of three arrays and tables made on the first read in a block, ~3 ns so). With
# no entropy words (NumPy's generators) the mode is dense and the data are the chunk's draws as the integers ``k`` of
# ``k * 2**-24`` (every float32 uniform of NumPy's is one).
_NHI = 130  # states every _LOW_STEPS steps of a block of up to 2**16 rows (129), and one more
_TABLES = 2 * _NHI + 2 * _LOW_STEPS  # words of one block's tables
_DATA = 4  # the header's words: mode (0 tables, 1 dense), first block, row 0, log2 of the rows per block


def make_reader(entropy: np.ndarray, first_block: int, row0: int, block: int, dense: np.ndarray) -> np.ndarray:
    """A reader (see the section comment) of local rows ``i`` = model rows ``row0 + i``: from the entropy words
    of the blocks from ``first_block`` on (one row per block), or, with no entropy rows, from ``dense`` (the rows
    drawn whole)."""
    shift = int(block).bit_length() - 1
    if block != 1 << shift:
        raise ValueError(f"a reader's blocks are a power of two rows, not {block}")
    if entropy.shape[0]:
        reader = np.empty(_DATA + _TABLES * entropy.shape[0], np.uint64)
        _reader_tables(reader, entropy, block)
        reader[:_DATA] = (0, first_block, row0, shift)
        return reader
    k = np.asarray(dense, np.float64) * 2.0 ** 24
    if not np.array_equal(np.floor(k), k):
        raise ValueError("a dense reader holds float32 uniforms k * 2**-24 only")
    return np.r_[np.array([1, first_block, row0, shift], np.uint64), k.astype(np.uint64)]


@_jit
def _reader_tables(reader, entropy, block):
    """Each block's tables, from its entropy words, into the reader after the header."""
    low = _LOW_STEPS
    mh, ml, fh, fl = _STEP_TABLE[0], _STEP_TABLE[1], _STEP_TABLE[2], _STEP_TABLE[3]
    for j in range(entropy.shape[0]):
        ws = reader[_DATA + j * _TABLES:_DATA + (j + 1) * _TABLES]
        sh, sl, ih, il = pcg64_state(entropy[j])
        ch, cl = _mul128(ih, il, fh[low], fl[low])
        ws[0], ws[_NHI] = sh, sl
        for h in range(1, (block // 2) // low + 1):
            xh, xl = _mul128(mh[low], ml[low], ws[h - 1], ws[_NHI + h - 1])
            lo = xl + cl
            ws[h] = xh + ch + (_ONE if lo < xl else _U(0))
            ws[_NHI + h] = lo
        for l in range(low):  # noqa: E741
            ws[2 * _NHI + l], ws[2 * _NHI + low + l] = _mul128(ih, il, fh[l], fl[l])


@_jit
def read_uniform(reader, i):
    """The float32 uniform of the chunk's row ``i`` of a reader's stream (see the section comment)."""
    if reader[0] != _U(0):
        return f32(reader[_DATA + i]) * f32(2.0 ** -24)
    row = _U(i) + reader[2]
    shift = reader[3]
    r = row & ((_ONE << shift) - _ONE)
    base = _U(_DATA) + ((row >> shift) - reader[1]) * _U(_TABLES)
    low = _U(_LOW_STEPS)
    t = r // _U(2) + _ONE
    h, l = t // low, t % low  # noqa: E741
    xh, xl = _mul128(_STEP_TABLE[0][l], _STEP_TABLE[1][l], reader[base + h], reader[base + _U(_NHI) + h])
    lo = xl + reader[base + _U(2 * _NHI) + low + l]
    x = _output(xh + reader[base + _U(2 * _NHI) + l] + (_ONE if lo < xl else _U(0)), lo)
    return f32((x >> (_SHIFT8 + (r & _ONE) * _S32)) & _M24) * f32(2.0 ** -24)


@_jit
def read_uniforms(reader, rows):
    """A reader's uniforms at the chunk's ``rows`` (a list a kernel made on its way, before the loop that reads
    them)."""
    out = np.empty(rows.shape[0], np.float32)
    for j in range(rows.shape[0]):
        out[j] = read_uniform(reader, np.int64(rows[j]))
    return out
