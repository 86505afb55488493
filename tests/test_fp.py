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
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

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


def test_sigmoid_gives_the_bits_of_its_formula_written_out():
    """sigmoid works in place, block by block, with 2^k built from its bits where that is exact:
    the same bits as e = exp(-|z|), where(z >= 0, 1, e) / (1 + e) with ldexp, on blocks with and
    without |z| > 708, NaN and signed zeros, in C, Fortran and strided layouts."""
    def written_out(z):
        with np.errstate(all="ignore"):
            x = np.maximum(-np.abs(z), fp.EXP_MIN)
            k = np.rint(x * fp.INV_LN2)
            r = x - k * fp.LN2_HI
            r -= k * fp.LN2_LO
            e = np.ldexp(r * fp._poly(r, fp._EXPM1_COEFFS) + 1.0, k.astype(np.int64))
            return np.where(z >= 0, 1.0, e) / (1.0 + e)

    rng = np.random.default_rng(8)
    z = rng.normal(0, 8, (3 * fp.SIGMOID_BLOCK // 30 + 7, 30))
    z.ravel()[fp.SIGMOID_BLOCK + 5:fp.SIGMOID_BLOCK + 12] = [709.0, -710.0, 745.5, -746.0, np.nan, 0.0, -0.0]
    for arr in (z, z[:100], z.T, z[:, ::3], z[0, :5], np.array(-0.5)):
        got, want = fp.sigmoid(arr), written_out(arr)
        assert np.asarray(got).tobytes() == np.asarray(want).tobytes()
        assert np.shape(got) == np.shape(want) and np.ndim(got) == np.ndim(want)


def test_matmul_by_rows_gives_matmuls_bits():
    """The faster route adds the same products in the same order: the same bits, signed zeros
    included, over shapes on both sides of its threshold, and the shapes it leaves to matmul."""
    rng = np.random.default_rng(6)

    def operand(shape):
        x = rng.normal(size=shape)
        x[rng.uniform(size=shape) < 0.2] = 0.0
        x[rng.uniform(size=shape) < 0.05] = -0.0
        return x

    for m in (1, 3, 63, 64, 65, 300, 1797):
        for k in (1, 2, 7, 8, 9, 30, 64):
            for n in (1, 2, 3, 10, 30):
                a, b = operand((m, k)), operand((k, n))
                got, want = fp.matmul_by_rows(a, b), fp.matmul(a, b)
                assert got.flags.c_contiguous and got.tobytes() == want.tobytes(), (m, k, n)
    a, b = operand((100, 30)), operand((30, 10))
    assert fp.matmul_by_rows(a, b.T.copy().T).tobytes() == fp.matmul(a, b.T.copy().T).tobytes()  # F order
    assert fp.matmul_by_rows(a, b[:, 0]).tobytes() == fp.matmul(a, b[:, 0]).tobytes()  # a vector


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
    a, b = rng.normal(size=(1797, 64)), rng.normal(size=(64, 30))
    out = {name: h(getattr(fp, name)(x)) for name in ("exp", "expm1", "tanh", "sigmoid", "exp10")}
    out["log"] = h(fp.log(np.abs(x)), fp.log1p(np.abs(x)), fp.log10(np.abs(x)))
    out["matmul"] = h(fp.matmul(a, b), fp.norm(a, axis=0))
    r = cost_of_fading(NetSpec((64, 30, 30, 30, 30, 10), activation="relu", init="he", bias_init="zeros", seed=0),
                       eta=0.1)
    out["chapter 9, relu-he"] = h(r.speeds, r.deep_accuracy, r.shallow_accuracy, r.deep_cost, np.array([r.ratio]))
    return out


def _cpu_variants() -> dict[str, dict[str, str]]:
    """Environments that make this machine compute as another CPU would: OpenBLAS's oldest
    x86-64 kernel with NumPy's baseline SIMD only (no AVX2, no AVX-512), and, where the CPU has
    AVX2, the Haswell kernel with AVX2 but no AVX-512."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    present = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    if platform.machine() not in {"x86_64", "AMD64"}:
        return {"OpenBLAS ARMV8 kernel": {"OPENBLAS_CORETYPE": "ARMV8", "NPY_DISABLE_CPU_FEATURES": " ".join(present)}}
    variants = {"Nehalem kernel, SSE4.2 only": {"OPENBLAS_CORETYPE": "Nehalem",
                                                  "NPY_DISABLE_CPU_FEATURES": " ".join(present)}}
    if __cpu_features__.get("AVX2"):
        no_avx512 = [f for f in present if f != "X86_V3"]
        variants["Haswell kernel, AVX2 without AVX-512"] = {"OPENBLAS_CORETYPE": "Haswell",
                                                            "NPY_DISABLE_CPU_FEATURES": " ".join(no_avx512)}
    return variants


def test_training_gives_the_same_bits_on_other_cpus():
    code = "import json; from tests.test_fp import digest; print(json.dumps(digest()))"
    procs = {name: subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env},
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
