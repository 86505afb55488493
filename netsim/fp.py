"""Float64 arithmetic that gives the same bits on every CPU.

NumPy hands a matrix product to OpenBLAS, which picks a kernel for the CPU it finds
(Nehalem, Haswell, SkylakeX, ...), and its ``exp``, ``log``, ``tanh``, ``log10`` and
``power`` have versions for AVX2 and for AVX-512. Every one of them is accurate, but their
last bits differ from CPU to CPU, and a long training run amplifies a last bit until a number
on screen changes (chapter 9 once said "3.4 times" on one CPU and "3.9" on another).

So netsim computes with this module only:

- :func:`matmul` gives the bits of ``numpy.einsum``'s own summation loop (never BLAS), one
  fixed order of sums for a given shape and layout;
- :func:`exp`, :func:`expm1`, :func:`exp10`, :func:`log`, :func:`log1p`, :func:`log10`, :func:`tanh`,
  :func:`sigmoid` are written with +, -, *, /, comparisons and exact scalings by powers of 2
  built from their bits (as ``frexp`` and ``ldexp`` do), in a fixed order. IEEE 754 defines
  each of those to the bit, so no CPU can round them differently;
- :func:`norm` is the square root of a sum of squares, with no BLAS dot product.

The products netsim's passes make and the element-by-element functions are compiled by numba
(LLVM) for the CPU at hand: SIMD registers hold several entries or elements side by side, but
each keeps its own operations in its own order, and without fastmath LLVM neither reorders a
sum nor fuses a multiply and an add into an FMA. They do the very operations that NumPy's
ufunc calls and einsum's loop did before them, in one pass, so they give the same bits, several
times faster. numba caches the compiled code on disk (a few seconds' compile on the first import
after a change, then under a second to load).

Each function is within about two units in the last place of the exact value;
``tests/test_fp.py`` checks that against NumPy's own functions, checks the compiled code's bits
against the NumPy calls it replaces and that it holds no FMA, and runs a chapter's training under
other OpenBLAS kernels, other SIMD levels and numba compiling for a generic x86-64 to check that
not a bit changes.
"""

from __future__ import annotations

import functools
import math

import numba
import numpy as np

Array = np.ndarray

# ln 2 split in two (fdlibm's): k * LN2_HI is exact for |k| < 2**20, so x - k ln 2 loses nothing.
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
INV_LN2 = 1.44269504088896338700e00
INV_LN10 = 0.43429448190325182765
LN10 = 2.30258509299404568402
SQRT_HALF = 0.70710678118654752440
#: exp overflows above this and is 0 below the other: x is clipped there so 2**k stays representable.
EXP_MAX, EXP_MIN = 709.8, -745.2

# expm1(r) = r (1 + r/2! + r^2/3! + ... + r^13/14!): for |r| <= ln2/2 the first term left
# out, r^15/15!, is below 1e-18 of r.
_EXPM1_COEFFS = tuple(1.0 / math.factorial(n + 1) for n in range(14))
# 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + ... + s^22/23): for |s| <= 0.172 the first term left
# out is below 1e-19 of s.
_ATANH_COEFFS = tuple(2.0 / n for n in range(1, 24, 2))
# The coefficients after the top one, downward: the order Horner's rule takes them in.
_EXPM1_REST = _EXPM1_COEFFS[-2::-1]
_ATANH_REST = _ATANH_COEFFS[-2::-1]
_TWO_54 = 2.0**54
#: A float's 52 mantissa bits, and the exponent bits of 1/2: the steps of frexp.
_MANTISSA, _HALF_EXPONENT = (1 << 52) - 1, 1022 << 52


# -- compiled kernels ---------------------------------------------------------------------------
#
# numba compiles these with LLVM for the CPU it runs on, without fastmath: LLVM then keeps every
# operation as written, one IEEE 754 rounding each, never reassociates a sum and never fuses a
# multiply and an add into an FMA. Running several elements or several sums side by side in SIMD
# registers (what makes them fast) changes no result, since each keeps its own operations in its
# own order; so the bits are the same on every CPU, as NumPy's ufunc calls gave them.
# tests/test_fp.py checks them against those calls and against a build for a generic x86-64 CPU,
# and that no FMA instruction is in the compiled products.


def _jit(*signatures: str):
    """numba.njit, compiled when this module is imported for the given signatures only (or loaded
    from numba's cache on disk, next to this file, when one was compiled for this CPU before).

    LLVM's SLP vectoriser is on while they compile: it is what packs the products' separate
    running sums into SIMD registers (numba leaves it off by default after miscompiles in 2023;
    the tests compare every kernel's bits). ``error_model="numpy"``: a division by zero gives
    IEEE's inf or NaN as NumPy does, no exception. Where no cache directory can be written,
    numba compiles on every import instead.
    """
    def decorate(fn):
        config = numba.core.config
        slp, config.SLP_VECTORIZE = config.SLP_VECTORIZE, 1
        try:
            try:
                return numba.njit(list(signatures), cache=True, nogil=True, error_model="numpy")(fn)
            except RuntimeError:  # "cannot cache function ...: no locator available"
                return numba.njit(list(signatures), nogil=True, error_model="numpy")(fn)
        finally:
            config.SLP_VECTORIZE = slp
    return decorate


@numba.njit(inline="always")  # compiled into each kernel that calls it
def _block(a, b, order, i, j, dst, di, dj, second):
    """The 4 by 8 sums over ``order`` of a[i + r, k] b[k, j + c], written to dst[di + r, dj + c];
    with ``second``, 0 + (what dst holds + the sum) instead (einsum's two running sums added).

    The 32 running sums stay in registers throughout. j and dj must come from a range or be
    constants: LLVM vectorises the sums only where it sees an index is not negative.
    """
    c00 = c01 = c02 = c03 = c04 = c05 = c06 = c07 = 0.0
    c10 = c11 = c12 = c13 = c14 = c15 = c16 = c17 = 0.0
    c20 = c21 = c22 = c23 = c24 = c25 = c26 = c27 = 0.0
    c30 = c31 = c32 = c33 = c34 = c35 = c36 = c37 = 0.0
    for t in range(order.shape[0]):
        k = order[t]
        b0, b1, b2, b3 = b[k, j], b[k, j + 1], b[k, j + 2], b[k, j + 3]
        b4, b5, b6, b7 = b[k, j + 4], b[k, j + 5], b[k, j + 6], b[k, j + 7]
        x = a[i, k]
        c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3  # noqa: E702
        c04 += x * b4; c05 += x * b5; c06 += x * b6; c07 += x * b7  # noqa: E702
        x = a[i + 1, k]
        c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3  # noqa: E702
        c14 += x * b4; c15 += x * b5; c16 += x * b6; c17 += x * b7  # noqa: E702
        x = a[i + 2, k]
        c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3  # noqa: E702
        c24 += x * b4; c25 += x * b5; c26 += x * b6; c27 += x * b7  # noqa: E702
        x = a[i + 3, k]
        c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3  # noqa: E702
        c34 += x * b4; c35 += x * b5; c36 += x * b6; c37 += x * b7  # noqa: E702
    if second:
        c00 = 0.0 + (dst[di, dj] + c00); c01 = 0.0 + (dst[di, dj + 1] + c01)  # noqa: E702
        c02 = 0.0 + (dst[di, dj + 2] + c02); c03 = 0.0 + (dst[di, dj + 3] + c03)  # noqa: E702
        c04 = 0.0 + (dst[di, dj + 4] + c04); c05 = 0.0 + (dst[di, dj + 5] + c05)  # noqa: E702
        c06 = 0.0 + (dst[di, dj + 6] + c06); c07 = 0.0 + (dst[di, dj + 7] + c07)  # noqa: E702
        c10 = 0.0 + (dst[di + 1, dj] + c10); c11 = 0.0 + (dst[di + 1, dj + 1] + c11)  # noqa: E702
        c12 = 0.0 + (dst[di + 1, dj + 2] + c12); c13 = 0.0 + (dst[di + 1, dj + 3] + c13)  # noqa: E702
        c14 = 0.0 + (dst[di + 1, dj + 4] + c14); c15 = 0.0 + (dst[di + 1, dj + 5] + c15)  # noqa: E702
        c16 = 0.0 + (dst[di + 1, dj + 6] + c16); c17 = 0.0 + (dst[di + 1, dj + 7] + c17)  # noqa: E702
        c20 = 0.0 + (dst[di + 2, dj] + c20); c21 = 0.0 + (dst[di + 2, dj + 1] + c21)  # noqa: E702
        c22 = 0.0 + (dst[di + 2, dj + 2] + c22); c23 = 0.0 + (dst[di + 2, dj + 3] + c23)  # noqa: E702
        c24 = 0.0 + (dst[di + 2, dj + 4] + c24); c25 = 0.0 + (dst[di + 2, dj + 5] + c25)  # noqa: E702
        c26 = 0.0 + (dst[di + 2, dj + 6] + c26); c27 = 0.0 + (dst[di + 2, dj + 7] + c27)  # noqa: E702
        c30 = 0.0 + (dst[di + 3, dj] + c30); c31 = 0.0 + (dst[di + 3, dj + 1] + c31)  # noqa: E702
        c32 = 0.0 + (dst[di + 3, dj + 2] + c32); c33 = 0.0 + (dst[di + 3, dj + 3] + c33)  # noqa: E702
        c34 = 0.0 + (dst[di + 3, dj + 4] + c34); c35 = 0.0 + (dst[di + 3, dj + 5] + c35)  # noqa: E702
        c36 = 0.0 + (dst[di + 3, dj + 6] + c36); c37 = 0.0 + (dst[di + 3, dj + 7] + c37)  # noqa: E702
    dst[di, dj] = c00; dst[di, dj + 1] = c01; dst[di, dj + 2] = c02; dst[di, dj + 3] = c03  # noqa: E702
    dst[di, dj + 4] = c04; dst[di, dj + 5] = c05; dst[di, dj + 6] = c06; dst[di, dj + 7] = c07  # noqa: E702
    dst[di + 1, dj] = c10; dst[di + 1, dj + 1] = c11; dst[di + 1, dj + 2] = c12; dst[di + 1, dj + 3] = c13  # noqa: E702
    dst[di + 1, dj + 4] = c14; dst[di + 1, dj + 5] = c15; dst[di + 1, dj + 6] = c16; dst[di + 1, dj + 7] = c17  # noqa: E702
    dst[di + 2, dj] = c20; dst[di + 2, dj + 1] = c21; dst[di + 2, dj + 2] = c22; dst[di + 2, dj + 3] = c23  # noqa: E702
    dst[di + 2, dj + 4] = c24; dst[di + 2, dj + 5] = c25; dst[di + 2, dj + 6] = c26; dst[di + 2, dj + 7] = c27  # noqa: E702
    dst[di + 3, dj] = c30; dst[di + 3, dj + 1] = c31; dst[di + 3, dj + 2] = c32; dst[di + 3, dj + 3] = c33  # noqa: E702
    dst[di + 3, dj + 4] = c34; dst[di + 3, dj + 5] = c35; dst[di + 3, dj + 6] = c36; dst[di + 3, dj + 7] = c37  # noqa: E702


@_jit("void(f8[:, ::1], f8[:, ::1], i8[::1], i8[::1], f8[:, ::1])",
      "void(f8[::1, :], f8[:, ::1], i8[::1], i8[::1], f8[:, ::1])")
def _sum_products(a, b, first, second, out):
    """out[i, j] = (((0 + a[i, k0] b[k0, j]) + a[i, k1] b[k1, j]) + ...) for k0, k1, ... in
    ``first``: each product rounded, then each sum, one at a time. Where ``second`` is not
    empty, the same sum over it is added as 0 + (first sum + second sum).

    Entries are computed 4 rows by 8 columns at a time (:func:`_block`). Where m is not a
    multiple of 4 the last block of rows overlaps the one before it, and where n is not a
    multiple of 8 the last 8 columns are done apart, into a small block copied out: the
    entries computed twice get the same bits both times.
    """
    m, n = out.shape
    two = second.shape[0] > 0
    if m < 4 or n < 8:
        for i in range(m):
            for j in range(n):
                s = 0.0
                for k in first:
                    s = a[i, k] * b[k, j] + s
                if two:
                    s2 = 0.0
                    for k in second:
                        s2 = a[i, k] * b[k, j] + s2
                    s = 0.0 + (s + s2)
                out[i, j] = s
        return
    last = np.ascontiguousarray(b[:, n - 8:])
    block = np.empty((4, 8))
    for i0 in range(0, m, 4):
        i = min(i0, m - 4)
        for p in range(n // 8):  # j = 8 p, from a range: LLVM sees it is not negative
            for s in range(1 + two):
                _block(a, b, second if s else first, i, 8 * p, out, i, 8 * p, s > 0)
        if n % 8:  # the last 8 columns
            for s in range(1 + two):
                _block(a, last, second if s else first, i, 0, block, 0, 0, s > 0)
            for r in range(4):
                for c in range(8):
                    out[i + r, n - 8 + c] = block[r, c]


#: einsum's subscripts for a product of an a.ndim-D and a b.ndim-D operand.
_MATMUL_SUBSCRIPTS = {(2, 2): "ik,kj->ij", (2, 1): "ik,k->i", (1, 2): "k,kj->j", (1, 1): "k,k->"}


def matmul(a: Array, b: Array) -> Array:
    """a b, for 2-D ``a`` (m, k) and ``b`` (k, n), or a 1-D vector on either side: the bits of
    ``numpy.einsum`` without ``optimize`` (NumPy's own summation loop, the same on every CPU,
    where ``a @ b`` runs whichever OpenBLAS kernel suits the CPU).

    The products netsim's passes make are compiled (:func:`_sum_products`): float64 operands
    with m, k, n >= 2, ``a`` in C or Fortran order and ``b`` in C order, or ``a`` in C order
    and ``b`` in Fortran order (a W^T; copied to C order first, k n values for m k n products). They add the same
    products in the same order as einsum's loop does for those layouts, so they give its bits:
    where ``b`` is in C order, each entry's k products one at a time, k = 0, 1, ...; for a W^T,
    where einsum's loop runs along k with two running sums (of the even and of the odd k, 8 at
    a time from the top, 6, 4, 2, 0, then the rest upward), those two sums, added last. The
    result is in C order, as einsum's. Anything else goes to einsum itself.
    """
    if a.ndim == 2 and b.ndim == 2 and a.dtype == _FLOAT64 and b.dtype == _FLOAT64:
        (m, k), n = a.shape, b.shape[1]
        # einsum's iterator merges or drops axes of length 1, which changes its loop: compiled
        # from 2 on. The kernels' signatures take writeable aligned arrays: a read-only operand
        # is copied, in its own layout (its size, against m k n products).
        if m >= 2 and k >= 2 and n >= 2 and b.shape[0] == k:
            a = a if a.flags.writeable else np.array(a, order="K")
            b = b if b.flags.writeable else np.array(b, order="K")
            fa, fb = a.flags, b.flags
            if fa.aligned and fb.aligned:
                if fb.c_contiguous and (fa.c_contiguous or fa.f_contiguous):  # the k products one at a time
                    out = np.empty((m, n))
                    _sum_products(a, b, _ascending(k), _NONE, out)
                    return out
                if fa.c_contiguous and fb.f_contiguous:  # a W^T: einsum's two running sums along k
                    out = np.empty((m, n))
                    _sum_products(a, np.ascontiguousarray(b), *_two_sums_order(k), out)
                    return out
    return np.einsum(_MATMUL_SUBSCRIPTS[a.ndim, b.ndim], a, b)


_FLOAT64 = np.dtype(np.float64)
_NONE = np.zeros(0, dtype=np.int64)


@functools.cache
def _ascending(k: int) -> Array:
    """0, 1, ..., k - 1: the order einsum adds a product's terms in when ``b`` is in C order."""
    return np.arange(k, dtype=np.int64)


@functools.cache
def _two_sums_order(k: int) -> tuple[Array, Array]:
    """The order of the terms of einsum's two running sums for a W^T (its loop along k, two
    float64 lanes of 128-bit vectors, four vectors a step added from the last: terms 6, 4, 2, 0
    of each 8 into the first sum and 7, 5, 3, 1 into the second; then the rest, two at a time)."""
    whole = k // 8 * 8
    even = [j + t for j in range(0, whole, 8) for t in (6, 4, 2, 0)] + list(range(whole, k, 2))
    odd = [j + t + 1 for j in range(0, whole, 8) for t in (6, 4, 2, 0)] + list(range(whole + 1, k, 2))
    return np.array(even, dtype=np.int64), np.array(odd, dtype=np.int64)


def _scalar(a: Array) -> Array:
    """A 0-d result as NumPy's own ufuncs give it (a scalar), any other array as it is."""
    return a[()] if a.ndim == 0 else a


def _elementwise(kernel, x) -> Array:
    """kernel applied to each element of x (as float64), in a new array of x's layout (C or
    Fortran order; any other layout gets C order), as NumPy's own ufuncs give it."""
    x = np.asarray(x, dtype=float)
    order = "F" if x.flags.f_contiguous and not x.flags.c_contiguous else "C"
    out = np.empty(x.shape, order=order)
    flat = x.ravel(order=order)  # a view where x is contiguous, else a copy
    kernel(flat if flat.flags.writeable else flat.copy(), out.ravel(order=order))  # the kernels' signatures
    return _scalar(out)


@numba.njit(inline="always")  # compiled into each kernel that calls it
def _expm1_reduced(x):
    """(k, expm1(r)) for x = k ln 2 + r, |r| <= ln2 / 2, k = round(x / ln 2) a whole float.

    x is first clipped to [EXP_MIN, EXP_MAX], where 2^k is representable and e^x rounds to 0
    or to inf; a NaN stays NaN (and makes expm1(r) NaN). The steps are those of
    x - k ln2_hi - k ln2_lo and r (1 + r/2! + ...) by Horner's rule, one IEEE operation each.
    """
    if x < EXP_MIN:
        x = EXP_MIN
    elif x > EXP_MAX:
        x = EXP_MAX
    k = np.rint(x * INV_LN2)
    r = x - k * LN2_HI
    r = r - k * LN2_LO
    p = r * _EXPM1_COEFFS[-1]  # Horner's rule from the top coefficient
    for c in _EXPM1_REST:
        p = (p + c) * r
    return k, p


@numba.njit(inline="always")  # compiled into each kernel that calls it
def _ldexp(y, k):
    """y 2^k rounded once, as NumPy's ldexp gives it, for |y| < 2 and a whole float k in
    [-1075, 1024] (or NaN, which leaves y as it is: NaN, here): y times 2^k built from its bits,
    a normal or a subnormal number, itself exact, so the one rounding is the multiply's; at
    k = -1075 and 1024, where 2^k is no float, y / 2 times 2^-1074 and 2 y times 2^1023
    (a y small enough for y / 2 to round gives 0 either way).
    """
    ki = np.int64(k) if k == k else 0
    if ki < -1074:
        y = y * 0.5
        ki = -1074
    elif ki > 1023:
        y = y * 2.0
        ki = 1023
    if ki < -1022:
        return y * np.int64(1 << (ki + 1074)).view(np.float64)
    return y * np.int64((ki + 1023) << 52).view(np.float64)


def exp(x: Array) -> Array:
    """e^x: inf above about 709.78, 0 below about -745.13, as IEEE arithmetic says.
    Compiled, element by element: 2^k (1 + expm1(r))."""
    return _elementwise(_exp_kernel, x)


@_jit("void(f8[::1], f8[::1])")
def _exp_kernel(x, out):
    for i in range(x.shape[0]):
        k, p = _expm1_reduced(x[i])
        out[i] = _ldexp(p + 1.0, k)


def expm1(x: Array) -> Array:
    """e^x - 1, accurate near x = 0 too: 2^k expm1(r) + (2^k - 1) adds two exact terms once.
    Compiled, element by element."""
    return _elementwise(_expm1_kernel, x)


@_jit("void(f8[::1], f8[::1])")
def _expm1_kernel(x, out):
    for i in range(x.shape[0]):
        k, p = _expm1_reduced(x[i])
        out[i] = _ldexp(p, k) + (_ldexp(1.0, k) - 1.0)


def log(x: Array) -> Array:
    """ln x for x > 0 (-inf at 0, NaN below): x = m 2^k with m in [sqrt(1/2), sqrt 2), then
    ln m = 2 atanh(s) with s = (m - 1) / (m + 1). Compiled, element by element (:func:`_log`)."""
    return _elementwise(_log_kernel, x)


@numba.njit(inline="always")  # compiled into each kernel that calls it
def _log(x):
    """ln x, one float: the steps of NumPy's frexp (m and k from x's bits, exact), then
    s = (m - 1) / (m + 1), 2 s (1 + s^2/3 + ...) by Horner's rule and k ln 2 in two parts."""
    if not (x > 0.0 and x < np.inf):
        return -np.inf if x == 0.0 else (np.inf if x == np.inf else np.nan)
    bits = np.float64(x).view(np.int64)
    k = (bits >> 52) - 1022
    if k == -1022:  # a subnormal x: scaled by 2^54 first, exactly
        bits = np.float64(x * _TWO_54).view(np.int64)
        k = (bits >> 52) - 1022 - 54
    m = np.int64((bits & _MANTISSA) | _HALF_EXPONENT).view(np.float64)  # x = m 2^k, m in [1/2, 1)
    if m < SQRT_HALF:
        m = 2.0 * m
        k -= 1
    kf = np.float64(k)
    s = (m - 1.0) / (m + 1.0)
    s2 = s * s
    p = _ATANH_COEFFS[-1]
    for c in _ATANH_REST:
        p = p * s2 + c
    p = s * p  # 2 atanh(s) = ln m
    return kf * LN2_HI + (p + kf * LN2_LO)


@_jit("void(f8[::1], f8[::1])")
def _log_kernel(x, out):
    for i in range(x.shape[0]):
        out[i] = _log(x[i])


def log1p(x: Array) -> Array:
    """ln(1 + x), accurate for small x: ln u - ((u - 1) - x) / u with u = 1 + x rounded.
    Compiled, element by element."""
    return _elementwise(_log1p_kernel, x)


@_jit("void(f8[::1], f8[::1])")
def _log1p_kernel(x, out):
    for i in range(x.shape[0]):
        u = 1.0 + x[i]
        y = _log(u) - ((u - 1.0) - x[i]) / u
        out[i] = -np.inf if u == 0.0 else (np.inf if u == np.inf else y)


def log10(x: Array) -> Array:
    """log10 x = ln x / ln 10."""
    return log(x) * INV_LN10


def exp10(x: Array) -> Array:
    """10^x = e^(x ln 10): within about |x| / 1e13 of the exact value, relatively."""
    return exp(np.asarray(x, dtype=float) * LN10)


def sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), from e = e^-|z| <= 1 so nothing overflows:
    1 / (1 + e) for z >= 0, e / (1 + e) for z < 0.

    Compiled, element by element (:func:`_sigmoid_kernel`): the same IEEE operations on each
    element as written out with NumPy's ufuncs (``tests/test_fp.py`` has them), so the same
    bits, in one pass over memory instead of forty.
    """
    return _elementwise(_sigmoid_kernel, z)


@_jit("void(f8[::1], f8[::1])")
def _sigmoid_kernel(z, out):
    for i in range(z.shape[0]):
        zi = z[i]
        k, p = _expm1_reduced(-abs(zi))  # -|z| <= 0: e^-|z| <= 1 never overflows
        e = _ldexp(p + 1.0, k)  # 2^k e^r
        out[i] = (1.0 if zi >= 0.0 else e) / (e + 1.0)


def tanh(z: Array) -> Array:
    """tanh(z) = -m / (2 + m) with m = expm1(-2|z|), the sign of z put back. Compiled, element
    by element."""
    return _elementwise(_tanh_kernel, z)


@_jit("void(f8[::1], f8[::1])")
def _tanh_kernel(z, out):
    for i in range(z.shape[0]):
        zi = z[i]
        k, p = _expm1_reduced(-2.0 * abs(zi))
        m = _ldexp(p, k) + (_ldexp(1.0, k) - 1.0)
        out[i] = math.copysign(-m / (2.0 + m), zi)


def norm(x: Array, axis: int | None = None) -> Array:
    """The Euclidean (Frobenius) norm, sqrt(sum of squares), over all of x or along ``axis``,
    in x's own float type (float32 stays float32)."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(float)
    if axis is None:
        return np.sqrt(np.add.reduce((x * x).ravel()))
    return np.sqrt(np.add.reduce(x * x, axis=axis))
