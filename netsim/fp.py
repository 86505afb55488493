"""Float64 arithmetic that gives the same bits on every CPU.

NumPy hands a matrix product to OpenBLAS, which picks a kernel for the CPU it finds
(Nehalem, Haswell, SkylakeX, ...), and its ``exp``, ``log``, ``tanh``, ``log10`` and
``power`` have versions for AVX2 and for AVX-512. Every one of them is accurate, but their
last bits differ from CPU to CPU, and a long training run amplifies a last bit until a number
on screen changes (chapter 9 once said "3.4 times" on one CPU and "3.9" on another).

So netsim computes with this module only:

- :func:`matmul` sums its products with ``numpy.einsum``'s own loop (never BLAS), one fixed
  order for a given shape and layout; :func:`matmul_by_rows` gives its bits faster for a tall
  product in the one case where the same order can be had along longer rows;
- :func:`exp`, :func:`expm1`, :func:`exp10`, :func:`log`, :func:`log1p`, :func:`log10`, :func:`tanh`,
  :func:`sigmoid` are
  written with +, -, *, /, max and ``ldexp`` (or, where it is exact, a multiply by 2^k built
  from its bits), each one NumPy ufunc call on whole arrays or on blocks of them. IEEE 754
  defines each of those to the bit, and separate calls cannot be fused into an FMA, so no
  CPU can round them differently;
- :func:`norm` is the square root of a sum of squares, with no BLAS dot product.

Each function is within about two units in the last place of the exact value;
``tests/test_fp.py`` checks that against NumPy's own functions, and runs a chapter's training
under other OpenBLAS kernels and other SIMD levels to check that not a bit changes.
"""

from __future__ import annotations

import math

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


#: einsum's subscripts for a product of an a.ndim-D and a b.ndim-D operand.
_MATMUL_SUBSCRIPTS = {(2, 2): "ik,kj->ij", (2, 1): "ik,k->i", (1, 2): "k,kj->j", (1, 1): "k,k->"}


def matmul(a: Array, b: Array) -> Array:
    """a b, for 2-D ``a`` (m, k) and ``b`` (k, n), or a 1-D vector on either side.

    ``einsum`` without ``optimize`` runs NumPy's own summation loop, the same on every CPU,
    where ``a @ b`` runs whichever OpenBLAS kernel suits the CPU.
    """
    return np.einsum(_MATMUL_SUBSCRIPTS[a.ndim, b.ndim], a, b)


#: Rows from which :func:`matmul_by_rows` pays for its transposed copy.
BY_ROWS_FROM = 64


def matmul_by_rows(a: Array, b: Array) -> Array:
    """matmul(a, b) to the bit, for a 2-D ``a`` (m, k) and ``b`` (k, n) in C order, faster when
    m is large and n small (1797 digits by 30 units): returned in C order.

    For C-ordered operands with n >= 2, einsum's own loop sums each entry's k products one at a
    time, k = 0, 1, ..., with a multiply and an add each, over a row of b (n values) at a time:
    m k calls of a loop of n. b^T a^T with a^T laid out row by row adds the very same products
    in the very same order, over rows of m values instead: k n calls of a loop of m, which
    NumPy's inner loop runs several times faster. Anything else goes to :func:`matmul` as it
    is (``tests/test_fp.py`` checks both give the same bits over many shapes).
    """
    m, n = a.shape[0], b.shape[-1]
    if (a.ndim != 2 or b.ndim != 2 or n < 2 or m < BY_ROWS_FROM
            or not (a.flags.c_contiguous and b.flags.c_contiguous)):
        return matmul(a, b)
    t = np.einsum("ik,kj->ij", b.T, np.ascontiguousarray(a.T))  # (a b)^T, C order
    return np.ascontiguousarray(t.T)


def _poly(x: Array, coeffs: tuple[float, ...]) -> Array:
    """c_0 + c_1 x + ... + c_(n-1) x^(n-1) by Horner's rule, one multiply and one add per
    coefficient, in place on one new array."""
    p = np.full_like(x, coeffs[-1])
    for c in coeffs[-2::-1]:
        p *= x
        p += c
    return p


def _expm1_reduced(x: Array, k: Array, r: Array, upper: bool = True, lower: bool = True) -> None:
    """Leave k = round(x / ln 2) (float) in ``k`` and expm1(r) in ``x``, with x = k ln 2 + r,
    |r| <= ln2 / 2; ``r`` is overwritten. Everything happens in the three given float arrays
    of one shape: no new array.

    x is first clipped to [EXP_MIN, EXP_MAX], where 2^k is representable and e^x rounds to 0
    or to inf; a NaN stays NaN (and makes expm1(r) NaN). ``upper=False`` skips the clip at
    EXP_MAX for an x known to be <= 0, ``lower=False`` the one at EXP_MIN for an x known to be
    above it (the same bits: there the clip changes nothing). The steps are
    those of x - k ln2_hi - k ln2_lo and r (1 + r/2! + ...) by Horner's rule, one IEEE
    operation each, so the bits do not depend on which arrays hold them. Call it under
    ``np.errstate(all="ignore")``.
    """
    if lower:
        np.maximum(x, EXP_MIN, out=x)
    if upper:
        np.minimum(x, EXP_MAX, out=x)
    np.multiply(x, INV_LN2, out=k)
    np.rint(k, out=k)
    np.multiply(k, LN2_HI, out=r)
    np.subtract(x, r, out=r)  # x - k ln2_hi
    np.multiply(k, LN2_LO, out=x)
    np.subtract(r, x, out=r)  # - k ln2_lo
    p = np.multiply(r, _EXPM1_COEFFS[-1], out=x)  # Horner's rule from the top coefficient
    for c in _EXPM1_COEFFS[-2::-1]:
        p += c
        p *= r
    # p = r * poly(r): the last step above multiplies by r once more, as r * _poly(r) does


def _reduced(x: Array) -> tuple[Array, Array]:
    """(k, expm1(r)) with x = k ln 2 + r, |r| <= ln2 / 2, k a whole number (int array).

    x is first clipped to [EXP_MIN, EXP_MAX], where 2^k is representable and e^x rounds to 0
    or to inf; a NaN stays NaN (and makes expm1(r) NaN). Call it under ``np.errstate(all="ignore")``.
    """
    x = np.array(x, dtype=float)  # a copy: it becomes expm1(r)
    k, r = np.empty_like(x), np.empty_like(x)
    _expm1_reduced(x, k, r)
    return k.astype(np.int64), x


def _scalar(a: Array) -> Array:
    """A 0-d result as NumPy's own ufuncs give it (a scalar), any other array as it is."""
    return a[()] if a.ndim == 0 else a


def exp(x: Array) -> Array:
    """e^x: inf above about 709.78, 0 below about -745.13, as IEEE arithmetic says."""
    with np.errstate(all="ignore"):
        k, p = _reduced(x)
        p += 1.0
        return _scalar(np.ldexp(p, k, out=p))


def expm1(x: Array) -> Array:
    """e^x - 1, accurate near x = 0 too: 2^k expm1(r) + (2^k - 1) adds two exact terms once."""
    with np.errstate(all="ignore"):
        k, p = _reduced(x)
        y = np.ldexp(p, k, out=p)
        y += np.ldexp(1.0, k) - 1.0
        return _scalar(y)


def log(x: Array) -> Array:
    """ln x for x > 0 (-inf at 0, NaN below): x = m 2^k with m in [sqrt(1/2), sqrt 2), then
    ln m = 2 atanh(s) with s = (m - 1) / (m + 1)."""
    x = np.asarray(x, dtype=float)
    ok = (x > 0) & (x < np.inf)
    m, k = np.frexp(np.where(ok, x, 1.0))  # x = m 2^k, m in [1/2, 1)
    small = m < SQRT_HALF
    m = np.where(small, 2.0 * m, m)
    k = (k - small).astype(float)
    s = (m - 1.0) / (m + 1.0)
    p = s * _poly(s * s, _ATANH_COEFFS)  # 2 atanh(s) = ln m
    y = k * LN2_HI + (p + k * LN2_LO)
    if ok.all():
        return y
    return np.where(ok, y, np.where(x == 0, -np.inf, np.where(x == np.inf, np.inf, np.nan)))


def log1p(x: Array) -> Array:
    """ln(1 + x), accurate for small x: ln u - ((u - 1) - x) / u with u = 1 + x rounded."""
    x = np.asarray(x, dtype=float)
    u = 1.0 + x
    with np.errstate(divide="ignore", invalid="ignore"):
        y = log(u) - ((u - 1.0) - x) / u
    return np.where(u == 0, -np.inf, np.where(u == np.inf, np.inf, y))


def log10(x: Array) -> Array:
    """log10 x = ln x / ln 10."""
    return log(x) * INV_LN10


def exp10(x: Array) -> Array:
    """10^x = e^(x ln 10): within about |x| / 1e13 of the exact value, relatively."""
    return exp(np.asarray(x, dtype=float) * LN10)


#: Elements per block of :func:`sigmoid`: its forty-odd passes over a block and its scratch
#: arrays (about 660 KiB in all) stay in the CPU's L2 cache instead of going out to memory.
SIGMOID_BLOCK = 16384
#: Up to this many elements (a mini-batch's), :func:`sigmoid` makes the fewest NumPy calls.
SIGMOID_SMALL = 1024


#: e^x for x above this has 2^k, k = round(x / ln 2), a normal number (k >= -1021).
NORMAL_EXP_MIN = -708.0


def _sigmoid_into(z: Array, out: Array, k: Array, r: Array, ki: Array, ge: Array, small: bool = False) -> None:
    """sigma(z) written into ``out``, with k, r (float), ki (int64) and ge (bool) as scratch,
    all of z's shape: e = e^-|z|, then 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.

    Two of NumPy's functions cost more than the other forty steps together, and are replaced
    where that gives the same bits: ``ldexp`` (a call into the C library per element) by a
    multiply by 2^k built from its bits, exact when 2^k is a normal number, as it is unless
    some |z| > 708 (then the block takes ``ldexp``); and ``where(z >= 0, 1, e)`` (a branch per
    element that the CPU cannot predict) by max(e, [z >= 0]), the same since 0 <= e <= 1.
    On a ``small`` array, where each call's own cost outweighs its work, the fewest calls win:
    ``ldexp`` and a masked copy, without the check for |z| > 708.
    """
    np.abs(z, out=out)
    np.negative(out, out=out)  # -|z| <= 0: e^-|z| <= 1 never overflows
    normal = not small and bool(out.min() >= NORMAL_EXP_MIN)  # False for a NaN too
    _expm1_reduced(out, k, r, upper=False, lower=not normal)
    out += 1.0  # e^r
    np.copyto(ki, k, casting="unsafe")  # k is a whole number: the same as k.astype(int64)
    if normal:  # 2^k e^r with 2^k exact: one rounding at most, as ldexp's
        ki += 1023  # 2^k's biased exponent...
        np.left_shift(ki, 52, out=ki)  # ...in its place, over a zero mantissa
        out *= ki.view(np.float64)
    else:
        np.ldexp(out, ki, out=out)  # e = 2^k e^r
    np.add(out, 1.0, out=r)  # 1 + e
    np.greater_equal(z, 0.0, out=ge)
    if small:
        np.copyto(out, 1.0, where=ge)  # the numerator: 1 where z >= 0, else e
    else:
        np.copyto(k, ge)  # 1.0 where z >= 0, else 0.0
        np.maximum(out, k, out=out)  # the numerator: 1 where z >= 0, else e (0 <= e <= 1)
    np.divide(out, r, out=out)


def sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), from e = e^-|z| <= 1 so nothing overflows:
    1 / (1 + e) for z >= 0, e / (1 + e) for z < 0.

    Computed in place, block by block of :data:`SIGMOID_BLOCK` elements: the same IEEE
    operations on each element as written out whole, so the same bits, in a fraction of the
    time (a pass over an array the size of the cache costs little; over one larger, memory).
    """
    z = np.asarray(z, dtype=float)
    if z.flags.f_contiguous and not z.flags.c_contiguous:
        return sigmoid(z.T).T  # the same layout as z, as NumPy's own functions give
    out = np.empty_like(z)
    n = z.size
    if n <= SIGMOID_SMALL or not z.flags.c_contiguous:  # one block, in z's own layout
        with np.errstate(all="ignore"):
            _sigmoid_into(z, out, np.empty_like(z), np.empty_like(z), np.empty_like(z, dtype=np.int64),
                          np.empty_like(z, dtype=bool), small=n <= SIGMOID_SMALL)
        return _scalar(out)
    block = max(1, min(n, SIGMOID_BLOCK))
    k, r = np.empty(block), np.empty(block)
    ki, ge = np.empty(block, dtype=np.int64), np.empty(block, dtype=bool)
    flat_z, flat_out = z.reshape(-1), out.reshape(-1)
    with np.errstate(all="ignore"):
        for start in range(0, n, block):
            stop = min(start + block, n)
            m = stop - start
            _sigmoid_into(flat_z[start:stop], flat_out[start:stop], k[:m], r[:m], ki[:m], ge[:m])
    return _scalar(out)


def tanh(z: Array) -> Array:
    """tanh(z) = -m / (2 + m) with m = expm1(-2|z|), the sign of z put back."""
    z = np.asarray(z, dtype=float)
    m = expm1(-2.0 * np.abs(z))
    t = -m / (2.0 + m)
    return np.copysign(t, z)


def norm(x: Array, axis: int | None = None) -> Array:
    """The Euclidean (Frobenius) norm, sqrt(sum of squares), over all of x or along ``axis``,
    in x's own float type (float32 stays float32)."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(float)
    if axis is None:
        return np.sqrt(np.add.reduce((x * x).ravel()))
    return np.sqrt(np.add.reduce(x * x, axis=axis))
