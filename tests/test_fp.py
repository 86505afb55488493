"""netsim's arithmetic (``netsim.fp``): within a few units in the last place of the exact value,
and the same bits whatever the CPU.

Checked three ways: against Python's ``math`` module; by a scan of netsim's code for calls
that would reach OpenBLAS or NumPy's CPU-specific SIMD functions; and by training chapter 9's
ReLU net (the run that once said "3.4 times" on one CPU and "3.9" on another) under other
OpenBLAS kernels and other SIMD levels, which must not change a bit.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import platform
import re
import subprocess
import sys
import warnings
from pathlib import Path

import llvmlite.binding
import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim import fp
from netsim.spec import NetSpec

pytestmark = pytest.mark.netsim  # netsim's own tests: pytest -m netsim runs them alone

ROOT = Path(__file__).resolve().parents[1]
NETSIM = ROOT / "netsim"

#: The most units in the last place a function may be from the reference (math's own result is
#: within one of the exact value).
MAX_ULPS = 4


def ulps(got: np.ndarray, want: np.ndarray) -> float:
    """The largest distance from got to want, in units in the last place of want."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return float(np.max(np.abs(got - want) / np.spacing(np.abs(want))))


def _sigmoid(x: float) -> float:
    e = math.exp(-abs(x))
    return (1.0 if x >= 0 else e) / (1.0 + e)


def _inputs(lo: float, hi: float, n: int = 4000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.uniform(lo, hi, n), rng.normal(0, 1, n // 4), rng.normal(0, 1e-6, n // 8)]).clip(lo, hi)


@pytest.mark.parametrize(("name", "reference", "lo", "hi"), [
    ("exp", math.exp, -740.0, 709.0),
    ("expm1", math.expm1, -50.0, 709.0),
    ("tanh", math.tanh, -30.0, 30.0),
    ("sigmoid", _sigmoid, -740.0, 740.0),
    ("log1p", math.log1p, -0.999999, 1e6),
    ("exp10", lambda x: 10.0**x, -300.0, 300.0),
])
def test_functions_are_within_a_few_ulps(name, reference, lo, hi):
    x = _inputs(lo, hi)
    want = np.array([reference(float(v)) for v in x])
    limit = MAX_ULPS if name != "exp10" else 1e-13 / 2.2e-16 * 3  # 10^x = e^(x ln 10): |x| ln10 ulps of x
    assert ulps(getattr(fp, name)(x), want) <= limit


@pytest.mark.parametrize(("name", "reference"), [("log", math.log), ("log10", math.log10)])
def test_logarithms_are_within_a_few_ulps(name, reference):
    rng = np.random.default_rng(1)
    x = np.concatenate([np.exp(rng.uniform(-700, 700, 4000)), rng.uniform(0.5, 2.0, 2000),
                        1.0 + rng.normal(0, 1e-9, 500), [5e-324, 2.2e-308, 1.7e308]])
    assert ulps(getattr(fp, name)(x), [reference(float(v)) for v in x]) <= MAX_ULPS


def test_edges_are_ieee_values_without_warnings():
    inf, nan = math.inf, math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(fp.exp(np.array([inf, -inf, 710.0, -746.0, 0.0])), [inf, 0.0, inf, 0.0, 1.0])
        assert fp.exp(np.array([-745.1]))[0] == 5e-324  # the smallest subnormal
        assert np.isnan(fp.exp(np.array([nan]))[0]) and np.isnan(fp.sigmoid(np.array([nan]))[0])
        np.testing.assert_array_equal(fp.expm1(np.array([-inf, inf, 0.0])), [-1.0, inf, 0.0])
        np.testing.assert_array_equal(fp.log(np.array([0.0, inf, 1.0])), [-inf, inf, 0.0])
        assert np.isnan(fp.log(np.array([-1.0, nan]))).all()
        np.testing.assert_array_equal(fp.log1p(np.array([-1.0, 0.0])), [-inf, 0.0])
        np.testing.assert_array_equal(fp.tanh(np.array([inf, -inf, 0.0, 25.0])), [1.0, -1.0, 0.0, 1.0])
        assert math.copysign(1.0, fp.tanh(np.array([-0.0]))[0]) == -1.0
        np.testing.assert_array_equal(fp.sigmoid(np.array([inf, -inf, 0.0, 40.0])), [1.0, 0.0, 0.5, 1.0])
        assert fp.sigmoid(np.array([-40.0]))[0] == pytest.approx(math.exp(-40.0), rel=1e-15)  # not 0: no 1 - 1


def test_matmul_and_norm_are_the_sums_they_name():
    rng = np.random.default_rng(2)
    a, b, v = rng.normal(size=(7, 40)), rng.normal(size=(40, 5)), rng.normal(size=40)
    exact = np.array([[math.fsum(a[i] * b[:, j]) for j in range(5)] for i in range(7)])
    bound = 40 * np.finfo(float).eps * (np.abs(a) @ np.abs(b))
    assert np.all(np.abs(fp.matmul(a, b) - exact) <= bound)
    assert fp.matmul(a, v).shape == (7,) and fp.matmul(v, b).shape == (5,) and fp.matmul(v, v).shape == ()
    assert float(fp.matmul(v, v)) == pytest.approx(math.fsum(v * v), rel=1e-14)
    assert float(fp.norm(a)) == pytest.approx(math.sqrt(math.fsum((a * a).ravel())), rel=1e-15)
    np.testing.assert_allclose(fp.norm(a, axis=1), [math.hypot(*row) for row in a], rtol=1e-15)
    assert fp.norm(np.float32([3.0, 4.0])).dtype == np.float32  # float32 stays float32


# -- the compiled functions do the IEEE operations of their NumPy sequences ---------------------
#
# netsim.fp's functions are compiled by numba. Written here with NumPy's ufuncs, one call per
# step (what netsim computed with before, the same on every CPU), they must give the same bits.


def _poly(x, coeffs):
    p = np.full_like(x, coeffs[-1])
    for c in coeffs[-2::-1]:
        p *= x
        p += c
    return p


def _reduced(x):
    """(k, expm1(r)) with x = k ln 2 + r, x clipped to [EXP_MIN, EXP_MAX] first."""
    x = np.minimum(np.maximum(np.array(x, dtype=float), fp.EXP_MIN), fp.EXP_MAX)
    k = np.rint(x * fp.INV_LN2)
    r = x - k * fp.LN2_HI
    r -= k * fp.LN2_LO
    return k, r * _poly(r, fp._EXPM1_COEFFS)


def _ldexp(y, k):
    return np.ldexp(y, np.where(np.isnan(k), 0, k).astype(np.int64))


def _numpy_exp(x):
    k, p = _reduced(x)
    return _ldexp(p + 1.0, k)


def _numpy_expm1(x):
    k, p = _reduced(x)
    return _ldexp(p, k) + (_ldexp(np.ones_like(p), k) - 1.0)


def _numpy_tanh(z):
    m = _numpy_expm1(-2.0 * np.abs(z))
    return np.copysign(-m / (2.0 + m), z)


def _numpy_sigmoid(z):
    k, p = _reduced(-np.abs(z))
    e = _ldexp(p + 1.0, k)
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _numpy_log(x):
    ok = (x > 0) & (x < np.inf)
    m, k = np.frexp(np.where(ok, x, 1.0))  # x = m 2^k, m in [1/2, 1)
    small = m < fp.SQRT_HALF
    m = np.where(small, 2.0 * m, m)
    k = (k - small).astype(float)
    s = (m - 1.0) / (m + 1.0)
    y = k * fp.LN2_HI + (s * _poly(s * s, fp._ATANH_COEFFS) + k * fp.LN2_LO)
    return np.where(ok, y, np.where(x == 0, -np.inf, np.where(x == np.inf, np.inf, np.nan)))


def _numpy_log1p(x):
    u = 1.0 + x
    y = _numpy_log(u) - ((u - 1.0) - x) / u
    return np.where(u == 0, -np.inf, np.where(u == np.inf, np.inf, y))


NUMPY_SEQUENCES = {"exp": _numpy_exp, "expm1": _numpy_expm1, "tanh": _numpy_tanh, "sigmoid": _numpy_sigmoid,
                   "log": _numpy_log, "log1p": _numpy_log1p}
EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.2e-308, 1e-300, 1.7e308, -1.7e308, 1.0, -1.0, 0.5,
         708.0, -708.0, 709.7, 709.8, 709.9, 710.0, -745.1, -745.2, -745.3, -746.0, 745.5, -1e-18, 1e-18]


def same_bits(got, want) -> bool:
    """The same float64 bits, element for element (NaN's own bits included), and the same shape."""
    got, want = np.asarray(got), np.asarray(want)
    return got.shape == want.shape and got.dtype == want.dtype and got.tobytes() == want.tobytes()


@pytest.mark.parametrize("name", sorted(NUMPY_SEQUENCES))
def test_compiled_functions_give_the_bits_of_their_numpy_sequences(name):
    rng = np.random.default_rng(9)
    x = np.concatenate([EDGES, rng.normal(0, 1, 3000), rng.normal(0, 30, 3000), rng.uniform(-800, 800, 3000),
                        np.exp(rng.uniform(-740, 705, 3000)), -np.exp(rng.uniform(-740, 705, 1000)),
                        np.ldexp(rng.uniform(0.5, 1.0, 1000), rng.integers(-1074, -1021, 1000)),
                        rng.normal(0, 1e-9, 1000)])
    with np.errstate(all="ignore"):
        want = NUMPY_SEQUENCES[name](x)
    got = getattr(fp, name)(x)
    assert same_bits(got, want), x[got.view(np.int64) != want.view(np.int64)][:10]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True), min_size=1, max_size=40))
def test_compiled_functions_give_the_bits_of_their_numpy_sequences_anywhere(values):
    x = np.array(values, dtype=float)
    with np.errstate(all="ignore"):
        for name, sequence in NUMPY_SEQUENCES.items():
            assert same_bits(getattr(fp, name)(x), sequence(x)), name


def test_elementwise_functions_keep_the_layout_and_the_scalars():
    """C, Fortran, strided and read-only arrays, a 0-d array (a NumPy scalar back, as from a
    ufunc), and blocks of every length the kernels' vector loops can end on."""
    rng = np.random.default_rng(8)
    z = rng.normal(0, 8, (1645, 30))
    z.ravel()[16389:16396] = [709.0, -710.0, 745.5, -746.0, np.nan, 0.0, -0.0]
    frozen = z[:50].copy()
    frozen.flags.writeable = False
    for arr in (z, z[:100], z.T, z[:, ::3], z[0, :5], frozen, *(z.ravel()[:n] for n in range(1, 40)), np.array(-0.5)):
        for name, sequence in NUMPY_SEQUENCES.items():
            with np.errstate(all="ignore"):
                got, want = getattr(fp, name)(arr), sequence(arr)
            assert same_bits(got, want), name
            assert np.ndim(got) == np.ndim(arr) and (np.ndim(got) > 0 or isinstance(got, np.float64))
            if np.ndim(arr) == 2:
                assert got.flags.f_contiguous == (arr.flags.f_contiguous and not arr.flags.c_contiguous)


def test_sigmoid_gives_the_bits_of_its_formula_written_out():
    """The sigmoid's own formula, as its docstring writes it: e = exp(-|z|) (netsim's exp),
    where(z >= 0, 1, e) / (1 + e)."""
    rng = np.random.default_rng(8)
    z = rng.normal(0, 8, 20000)
    z[:7] = [709.0, -710.0, 745.5, -746.0, np.nan, 0.0, -0.0]
    e = fp.exp(-np.abs(z))
    assert same_bits(fp.sigmoid(z), np.where(z >= 0, 1.0, e) / (1.0 + e))


def _operand(rng, shape, order, special):
    x = rng.normal(size=shape) * rng.choice([1.0, 1e-300, 1e300], size=shape, p=[0.9, 0.05, 0.05])
    x[rng.uniform(size=shape) < 0.15] = 0.0
    x[rng.uniform(size=shape) < 0.05] = -0.0
    if special:
        x[rng.uniform(size=shape) < 0.02] = rng.choice([np.inf, -np.inf, np.nan])
    return np.asarray(x, order=order)


def _same_product(got, want) -> bool:
    """The same bits where einsum's are a number (NaN's own bits are the CPU's: a NaN times a
    NaN keeps one of them, and LLVM may swap a product's operands), a NaN where einsum has one,
    and the same shape and layout."""
    nan = np.isnan(want)
    return (got.shape == want.shape and got.strides == want.strides and np.array_equal(np.isnan(got), nan)
            and got[~nan].tobytes() == want[~nan].tobytes())


@settings(max_examples=400, deadline=None)
@given(m=st.integers(1, 70), k=st.integers(1, 70), n=st.integers(1, 40),
       layouts=st.sampled_from(["CC", "CF", "FC", "FF"]), special=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_matmul_gives_einsums_bits(m, k, n, layouts, special, seed):
    """Every shape and the layouts netsim passes (a W^T is C by F, delta^T a is F by C), with
    signed zeros, numbers near under- and overflow, and infinities and NaNs."""
    rng = np.random.default_rng(seed)
    a, b = _operand(rng, (m, k), layouts[0], special), _operand(rng, (k, n), layouts[1], special)
    with np.errstate(all="ignore"):
        want = np.einsum("ik,kj->ij", a, b)
        assert _same_product(fp.matmul(a, b), want)


def test_matmul_on_netsims_shapes_and_other_operands():
    rng = np.random.default_rng(6)
    for m, k, n in [(1797, 64, 30), (1797, 30, 30), (1797, 30, 10), (1797, 10, 30), (10, 30, 30), (30, 1797, 64),
                    (10, 1797, 30), (4, 8, 8), (5, 9, 17), (300, 2, 2)]:
        a, b, w, d = (rng.normal(size=s) for s in ((m, k), (k, n), (n, k), (k, m)))
        for x, y in ((a, b), (a, w.T), (d.T, b)):
            assert _same_product(fp.matmul(x, y), np.einsum("ik,kj->ij", x, y)), (m, k, n)
    a, v = rng.normal(size=(7, 40)), rng.normal(size=40)
    for x, y in ((a, v), (v, a.T), (v, v), (a[:, ::2], a[:, ::2].T), (a.astype(np.float32), a.T.astype(np.float32))):
        assert same_bits(fp.matmul(x, y), np.einsum(fp._MATMUL_SUBSCRIPTS[x.ndim, y.ndim], x, y))
    frozen = a.copy()
    frozen.flags.writeable = False  # read-only operands: copied for the compiled kernels
    for x, y in ((frozen, frozen.T), (frozen.T, frozen), (frozen, a.T.copy())):
        assert _same_product(fp.matmul(x, y), np.einsum("ik,kj->ij", x, y))


#: An x86 FMA instruction (vfmadd231pd, vfnmsub132sd, ...) in AT&T or Intel syntax.
FMA = re.compile(r"\bvf(n?m(add|sub)|maddsub|msubadd)\d*[ps][sd]\b")


def _fresh_asm(kernel, **options) -> str:
    """The machine code of a fresh compile of one of fp's kernels, as fp compiles them (numba
    shows none for code it loaded from its cache)."""
    config = numba.core.config
    slp, config.SLP_VECTORIZE = config.SLP_VECTORIZE, 1
    try:
        fresh = numba.njit(kernel.signatures, error_model="numpy", **options)(kernel.py_func)
    finally:
        config.SLP_VECTORIZE = slp
    return "\n".join(fresh.inspect_asm(sig) for sig in fresh.signatures)


def test_compiled_code_has_no_fused_multiply_add():
    """An FMA rounds a * b + c once, where netsim's arithmetic rounds the product and the sum:
    LLVM must never fuse them (numba without fastmath does not), on a CPU that has FMA or not."""
    kernels = [fp._sum_products, fp._sigmoid_kernel, fp._exp_kernel, fp._expm1_kernel, fp._tanh_kernel,
               fp._log_kernel, fp._log1p_kernel]
    for kernel in kernels:
        asm = _fresh_asm(kernel)
        assert "mulpd" in asm or "mulsd" in asm  # the code is there to look at
        assert not FMA.search(asm), f"{kernel.__name__} has {FMA.search(asm).group()}"
    features = numba.config.CPU_FEATURES
    if features is None:
        features = llvmlite.binding.get_host_cpu_features().flatten()
    if "+fma" in features:  # where the CPU has FMA, the check does find one LLVM was allowed to make
        assert FMA.search(_fresh_asm(fp._sum_products, fastmath={"contract"}))


def test_kernels_compile_where_no_cache_directory_can_be_written(monkeypatch):
    """numba refuses cache=True where it finds no directory to write (a read-only checkout and
    home): fp's kernels then compile on every import instead, and the SLP setting is put back."""
    real = numba.njit

    def njit(*args, **kwargs):
        if kwargs.get("cache"):
            raise RuntimeError("cannot cache function 'twice': no locator available for file 'fp.py'")
        return real(*args, **kwargs)

    monkeypatch.setattr(numba, "njit", njit)
    slp = numba.core.config.SLP_VECTORIZE

    @fp._jit("void(f8[::1], f8[::1])")
    def twice(x, out):
        for i in range(x.shape[0]):
            out[i] = 2.0 * x[i]

    out = np.empty(3)
    twice(np.arange(3.0), out)
    assert out.tolist() == [0.0, 2.0, 4.0] and numba.core.config.SLP_VECTORIZE == slp


# -- nothing in netsim reaches arithmetic that depends on the CPU ---------------------------------

#: NumPy functions whose float64 result depends on the CPU: a BLAS kernel, or a SIMD version
#: for AVX2 or AVX-512 (Intel's SVML among them). netsim calls netsim.fp instead.
CPU_DEPENDENT = {"dot", "vdot", "inner", "matmul", "tensordot", "einsum", "linalg", "exp", "exp2", "expm1", "log",
                 "log2", "log10", "log1p", "power", "float_power", "tanh", "sinh", "cosh", "sin", "cos", "tan",
                 "arctan", "arctan2", "arcsin", "arccos", "arctanh", "arcsinh", "arccosh", "cbrt", "logaddexp",
                 "vecdot", "matvec", "vecmat"}
#: Where they may appear: fp itself, and the benchmark that times NumPy's own against it.
ALLOWED = {"fp.py", "bench.py"}


def _cpu_dependent_calls(path: Path) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
            found.append((node.lineno, "a @ b"))
        elif isinstance(node, ast.Attribute) and node.attr in CPU_DEPENDENT:
            base = node.value
            if isinstance(base, ast.Name) and base.id in {"np", "numpy"}:
                found.append((node.lineno, f"np.{node.attr}"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            # array ** array or array ** a float calls NumPy's power; x ** 2 and 10.0 ** n do not
            whole = isinstance(node.right, ast.Constant) and isinstance(node.right.value, int)
            if not whole and not isinstance(node.left, ast.Constant):
                found.append((node.lineno, "** with a computed exponent"))
    return [f"{path.name}:{line}: {what}" for line, what in sorted(found)]


def test_netsim_computes_only_with_cpu_independent_arithmetic():
    found = [hit for path in sorted(NETSIM.rglob("*.py")) if path.name not in ALLOWED
             for hit in _cpu_dependent_calls(path)]
    assert not found, "use netsim.fp instead:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nz = a @ w\ny = np.exp(z)\nn = np.linalg.norm(z)\nq = z ** p\nok = z ** 2\n")
    assert [h.split(": ", 1)[1] for h in _cpu_dependent_calls(bad)] == [
        "a @ b", "np.exp", "np.linalg", "** with a computed exponent"]


# -- the same bits under other OpenBLAS kernels and SIMD levels ----------------------------------


def digest() -> dict[str, str]:
    """Hashes of every fp function on fixed inputs, and of chapter 9's ReLU training (the
    relu-he lesson: [64, 30, 30, 30, 30, 10], He's start, zero biases, 200 epochs)."""
    from netsim.experiments.training import cost_of_fading

    def h(*arrays: np.ndarray) -> str:
        return hashlib.sha256(b"".join(np.ascontiguousarray(a, dtype=float).tobytes() for a in arrays)).hexdigest()[:16]

    x = _inputs(-30.0, 30.0, 20000, seed=3)
    rng = np.random.default_rng(4)
    a, b, w, d = (rng.normal(size=s) for s in ((1797, 64), (64, 30), (30, 64), (1797, 30)))
    out = {name: h(getattr(fp, name)(x)) for name in ("exp", "expm1", "tanh", "sigmoid", "exp10")}
    out["log"] = h(fp.log(np.abs(x)), fp.log1p(np.abs(x)), fp.log10(np.abs(x)))
    out["matmul"] = h(fp.matmul(a, b), fp.matmul(a, w.T), fp.matmul(d.T, a), fp.matmul(d, w), fp.norm(a, axis=0))
    r = cost_of_fading(NetSpec((64, 30, 30, 30, 30, 10), activation="relu", init="he", bias_init="zeros", seed=0),
                       eta=0.1)
    out["chapter 9, relu-he"] = h(r.speeds, r.deep_accuracy, r.shallow_accuracy, r.deep_cost, np.array([r.ratio]))
    return out


def _cpu_variants() -> dict[str, dict[str, str]]:
    """Environments that make this machine compute as another CPU would: OpenBLAS's oldest
    x86-64 kernel with NumPy's baseline SIMD only (no AVX2, no AVX-512) and numba compiling fp's
    kernels for a generic x86-64 (SSE2, no FMA), and, where the CPU has AVX2, the Haswell kernel
    with AVX2 but no AVX-512."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    present = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    if platform.machine() not in {"x86_64", "AMD64"}:
        return {"OpenBLAS ARMV8 kernel": {"OPENBLAS_CORETYPE": "ARMV8", "NPY_DISABLE_CPU_FEATURES": " ".join(present)}}
    variants = {"Nehalem kernel, SSE4.2 only, numba for a generic x86-64": {
        "OPENBLAS_CORETYPE": "Nehalem", "NPY_DISABLE_CPU_FEATURES": " ".join(present), "NUMBA_CPU_NAME": "generic"}}
    if __cpu_features__.get("AVX2"):
        no_avx512 = [f for f in present if f != "X86_V3"]
        variants["Haswell kernel, AVX2 without AVX-512"] = {"OPENBLAS_CORETYPE": "Haswell",
                                                            "NPY_DISABLE_CPU_FEATURES": " ".join(no_avx512)}
    return variants


def test_training_gives_the_same_bits_on_other_cpus(tmp_path):
    code = "import json; from tests.test_fp import digest; print(json.dumps(digest()))"
    cache = {"NUMBA_CACHE_DIR": str(tmp_path)}  # kernels compiled for another CPU stay out of fp's own cache
    procs = {name: subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **cache, **env},
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name, env in _cpu_variants().items()}
    here = digest()
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-2000:]
        assert json.loads(out) == here, f"{name} computes other bits"


def test_the_variants_do_change_numpys_own_results():
    """The environments above really reach other code: NumPy's own exp or matrix product
    gives other bits under at least one of them (else the test above would prove nothing)."""
    code = ("import numpy as np, hashlib; r = np.random.default_rng(5); x = r.uniform(-30, 30, 100000); "
            "a, b = r.normal(size=(300, 64)), r.normal(size=(64, 30)); "
            "print(hashlib.sha256(np.exp(x).tobytes() + np.tanh(x).tobytes() + (a @ b).tobytes()).hexdigest())")
    outs = {subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                           check=True).stdout for env in [{}, *_cpu_variants().values()]}
    assert len(outs) > 1
