"""The benchmark workloads (W1-W6 of the benchmark plan, ODE, UNC, HS) that this version can run.

Each Entry is one row of the table. Its `build()` returns a Case: a baseline
and a dualnum callable (no arguments, timed against each other) and a check
that raises AssertionError when dualnum's answer is wrong, because timing a
wrong result is worthless.
"""

import math
from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

import dualnum as dn


@dataclass(frozen=True)
class Case:
    baseline: Callable[[], object]
    dualnum: Callable[[], object]
    check: Callable[[], None]


@dataclass(frozen=True)
class Entry:
    workload: str  # "W3"
    size: str  # "n=10"
    baseline: str  # what the baseline computes, for the table
    peers: str  # ratios measured for fastdual / num-dual / JAX jit, as text
    build: Callable[[], Case]


def require(condition, message):
    """An assert that `python -O` cannot strip."""
    if not condition:
        raise AssertionError(message)


def assert_close(actual, expected, what):
    """Forward mode is exact up to rounding, so the tolerance is tight."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    require(actual.shape == expected.shape, f"{what}: shape {actual.shape}, expected {expected.shape}")
    require(actual.dtype == np.float64, f"{what}: dtype {actual.dtype}, expected float64")
    ok = np.abs(actual - expected) <= 1e-12 * (1 + np.abs(expected))  # nan is never ok
    if not ok.all():
        first = np.unravel_index(np.argmin(ok), ok.shape)
        raise AssertionError(
            f"{what}: {ok.size - np.count_nonzero(ok)} of {ok.size} wrong, first at "
            f"{first}: got {float(actual[first])!r}, expected {float(expected[first])!r}"
        )


def grid_point(n):
    """The fixed evaluation point x_i = (i % 7)/7 - 0.3 used by W3 and W5."""
    return (np.arange(n) % 7) / 7 - 0.3


# W1: scalar derivative in a Python loop (per-call overhead).

W1_POINTS = 100_000


def f_math(x):
    return math.sin(x) * math.exp(-x * x / 2) + math.log(1 + x * x) / math.sqrt(1 + x * x)


def f_dual(x):
    return dn.sin(x) * dn.exp(-x * x / 2) + dn.log(1 + x * x) / dn.sqrt(1 + x * x)


def f_prime(x):
    """f'(x) derived by hand (numpy, so it serves scalars and arrays)."""
    u = 1 + x * x
    return (np.cos(x) - x * np.sin(x)) * np.exp(-x * x / 2) + x * (2 - np.log(u)) / u**1.5


def build_w1():
    xs = [-3 + 6 * i / W1_POINTS for i in range(W1_POINTS)]

    def baseline():
        for x in xs:
            f_math(x)

    def dualnum():
        for x in xs:
            dn.derivative(f_dual, x)

    def check():
        for x in xs[:: W1_POINTS // 7] + [0.0]:
            d = dn.derivative(f_dual, x)
            require(isinstance(d, float), f"W1: derivative returned {type(d).__name__}, not float")
            assert_close(d, f_prime(x), f"W1: f'({x})")

    return Case(baseline, dualnum, check)


# W2: elementwise derivative of the same f, written with numpy, on an array.

W2_POINTS = 1_000_000


def f_numpy(x):
    return np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)


def build_w2(threads=None):
    """threads: run dualnum's side on that many threads (None: the default,
    dn.get_num_threads(), the physical cores)."""
    x = np.linspace(-3, 3, W2_POINTS)

    def check():
        value, deriv = dn.value_and_derivative(f_numpy, x)
        assert_close(value, f_numpy(x), "W2 values")
        assert_close(deriv, f_prime(x), "W2 derivatives")

    def on_threads():
        with dn.num_threads(threads):
            return dn.value_and_derivative(f_numpy, x)

    return Case(
        baseline=partial(f_numpy, x),
        dualnum=partial(dn.value_and_derivative, f_numpy, x) if threads is None else on_threads,
        check=check,
    )


# W3: gradient of the extended Rosenbrock function, written with numpy.

W3_SIZES = (2, 10, 100, 1000)


def rosenbrock(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def rosenbrock_gradient(x):
    """The gradient derived by hand."""
    residual = x[1:] - x[:-1] ** 2
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * residual - 2 * (1 - x[:-1])
    g[1:] += 200 * residual
    return g


def build_w3(n):
    x = grid_point(n)
    return Case(
        baseline=partial(rosenbrock, x),
        dualnum=partial(dn.gradient, rosenbrock, x),
        check=lambda: assert_close(dn.gradient(rosenbrock, x), rosenbrock_gradient(x), f"W3 n={n}"),
    )


# W4: Hessian of the same Rosenbrock function.

W4_SIZES = (2, 10, 100)


def rosenbrock_hessian(x):
    n = len(x)
    h = np.zeros((n, n))
    i = np.arange(n - 1)
    h[i, i] += 1200 * x[:-1] ** 2 - 400 * x[1:] + 2
    h[i + 1, i + 1] += 200
    h[i, i + 1] = h[i + 1, i] = -400 * x[:-1]
    return h


def build_w4(n):
    x = grid_point(n)
    return Case(
        baseline=partial(rosenbrock, x),
        dualnum=partial(dn.hessian, rosenbrock, x),
        check=lambda: assert_close(dn.hessian(rosenbrock, x), rosenbrock_hessian(x), f"W4 n={n}"),
    )


# W5: Jacobian of the 1-D Bratu residual, written with numpy.

W5_SIZES = (10, 100, 1000)


def bratu_residual(u):
    """F_i = (u[i-1] - 2u[i] + u[i+1])*(n+1)^2 + exp(u[i]) with u[-1] = u[n] = 0."""
    n = len(u)
    padded = np.concatenate(([0.0], u, [0.0]))
    return (padded[:-2] - 2 * padded[1:-1] + padded[2:]) * (n + 1) ** 2 + np.exp(u)


def bratu_jacobian(u):
    """The tridiagonal Jacobian derived by hand."""
    n = len(u)
    laplacian = -2 * np.eye(n) + np.eye(n, k=1) + np.eye(n, k=-1)
    return laplacian * (n + 1) ** 2 + np.diag(np.exp(u))


def build_w5(n):
    u = grid_point(n)
    return Case(
        baseline=partial(bratu_residual, u),
        dualnum=partial(dn.jacobian, bratu_residual, u),
        check=lambda: assert_close(dn.jacobian(bratu_residual, u), bratu_jacobian(u), f"W5 n={n}"),
    )


W5_SPARSE_SIZES = (100, 1000)


def build_w5_sparse(n):
    """W5 with the tridiagonal pattern: 3 colours, one pass, scipy.sparse output.

    The pattern is analysed once, outside the timing, as a Newton solver would
    (dn.SparsityPattern); each timed call evaluates F once on a DualArray.
    """
    import scipy.sparse

    u = grid_point(n)
    pattern = dn.SparsityPattern(scipy.sparse.diags_array(
        [np.ones(n - 1), np.ones(n), np.ones(n - 1)], offsets=[-1, 0, 1], shape=(n, n)))
    call = partial(dn.jacobian, bratu_residual, u, sparsity=pattern, sparse_output=True)
    return Case(
        baseline=partial(bratu_residual, u),
        dualnum=call,
        check=lambda: assert_close(call().toarray(), bratu_jacobian(u), f"W5 sparse n={n}"),
    )


def build_w5_dense(n):
    """W5 with the tridiagonal pattern given as a dense boolean array in every
    call, as a Newton loop naturally writes it (no SparsityPattern made by
    hand): the pattern is analysed per call, or found in dualnum's cache of
    analysed patterns by its contents; scipy.sparse output as W5 sparse."""
    u = grid_point(n)
    pattern = np.eye(n, dtype=bool) | np.eye(n, k=1, dtype=bool) | np.eye(n, k=-1, dtype=bool)
    call = partial(dn.jacobian, bratu_residual, u, sparsity=pattern, sparse_output=True)
    return Case(
        baseline=partial(bratu_residual, u),
        dualnum=call,
        check=lambda: assert_close(call().toarray(), bratu_jacobian(u), f"W5 dense pattern n={n}"),
    )


# W6: 1st, 2nd and 3rd derivatives of the Fike-Alonso function at 1.5, one call at a time.

W6_POINT = 1.5
W6_PUBLISHED = {1: 4.0534278938986207, 2: 9.4630736815966034, 3: 32.167904513688941}


def fike_alonso_math(x):
    return math.exp(x) / math.sqrt(math.sin(x) ** 3 + math.cos(x) ** 3)


def fike_alonso(x):
    return dn.exp(x) / dn.sqrt(dn.sin(x) ** 3 + dn.cos(x) ** 3)


def build_w6(order):
    def dualnum():
        return dn.derivative(fike_alonso, W6_POINT, n=order)

    def check():
        d = dualnum()
        require(isinstance(d, float), f"W6: derivative returned {type(d).__name__}, not float")
        assert_close(d, W6_PUBLISHED[order], f"W6 order {order}")

    return Case(partial(fike_alonso_math, W6_POINT), dualnum, check)


def build_ode_fit():
    """ODE: least_squares fit of Lotka-Volterra's rates, jac from dualnum.scipy.solve_ivp's
    sensitivities against scipy's finite differences (benchmarks/ode_fit.py; needs scipy)."""
    import ode_fit
    return Case(ode_fit.fit_with_finite_differences, ode_fit.fit_with_dualnum, ode_fit.check)


# UNC: uncertainty propagation on 10^4 inputs, against the `uncertainties` package.

UNC_INPUTS = 10_000


def coupled_chain(v, exp=np.exp, sin=np.sin):
    """y_i = exp(-v_i) v_i + sin(v_i v_{i-1}) / 2 (v_{-1} = v_0): elementwise plus a coupling."""
    previous = np.concatenate((v[:1], v[:-1]))
    return exp(-v) * v + 0.5 * sin(v * previous)


def build_unc():
    """UNC: dn.propagate with independent σ against uncertainties.unumpy on the same f.

    The baseline is `uncertainties`' own propagation (not a float f): arrays of
    ufloats through f, then their standard deviations.  dualnum computes more:
    the whole output covariance J diag(σ²) Jᵀ, kept sparse (its bidiagonal
    pattern analysed once outside the timing, as in W5 sparse).
    """
    import scipy.sparse
    import uncertainties
    from uncertainties import unumpy

    n = UNC_INPUTS
    x = np.linspace(0.2, 2.0, n)
    std = 0.01 + 0.004 * (np.arange(n) % 5)
    pattern = dn.SparsityPattern(scipy.sparse.eye_array(n, format="csr")
                                 + scipy.sparse.eye_array(n, k=-1, format="csr"))

    def baseline():
        return unumpy.std_devs(coupled_chain(unumpy.uarray(x, std), unumpy.exp, unumpy.sin))

    def dualnum():
        return dn.propagate(coupled_chain, x, std=std, sparsity=pattern, sparse_output=True)

    def check():
        value, covariance = dualnum()
        assert_close(value, coupled_chain(x), "UNC value")
        assert_close(np.sqrt(covariance.diagonal()), baseline(), "UNC standard deviations")
        head = coupled_chain(unumpy.uarray(x[:6], std[:6]), unumpy.exp, unumpy.sin)
        assert_close(covariance[:6, :6].toarray(), np.array(uncertainties.covariance_matrix(head)),
                     "UNC covariances")

    return Case(baseline, dualnum, check)


# LAP: the Laplacian of a dense scalar function, against the trace of the Hessian.

LAP_SIZE = 100


def lap_weights(n):
    return np.cos(np.add.outer(np.arange(n), 2 * np.arange(n)) * 0.37) / np.sqrt(n)


def build_lap(n):
    """LAP: dn.laplacian of f(x) = Σ_k tanh(w_k·x), dense (every element of W x
    depends on all n variables), over np.trace(dn.hessian(f, x)) of the same
    f: here the baseline is dualnum's own Hessian path, not a float f.  The
    check is the hand-derived Δf = Σ_k tanh''(w_k·x) |w_k|²."""
    W = lap_weights(n)
    x = grid_point(n)

    def f(v):
        return np.sum(np.tanh(W @ v))

    def check():
        t = np.tanh(W @ x)
        expected = float(np.sum(-2 * t * (1 - t * t) * np.sum(W * W, axis=1)))
        assert_close(dn.laplacian(f, x), expected, "LAP laplacian")
        assert_close(np.trace(dn.hessian(f, x)), expected, "LAP trace of the Hessian")

    return Case(lambda: np.trace(dn.hessian(f, x)), lambda: dn.laplacian(f, x), check)
# HS: sparse Hessians at n = 1000, detected ("auto") or from a pattern analysed once.

HS_SIZE = 1000


def arrowhead(x):
    """x_0 * sum(x_i**2) + sum(sin(x_i)): H couples x_0 with every x_i, and
    nothing else off the diagonal (written as one sum, with x[:1], which the
    compiled second-order array keeps as an array)."""
    return np.sum(x ** 2 * x[:1] + np.sin(x))


def arrowhead_hessian(x):
    h = np.diag(2 * x[0] - np.sin(x))
    h[0, 1:] = h[1:, 0] = 2 * x[1:]
    h[0, 0] = 6 * x[0] - np.sin(x[0])
    return h


def build_hs(kind, detected):
    """The banded Rosenbrock or the arrowhead Hessian, scipy.sparse output:
    detected in each call (sparsity="auto": one pass recording the local
    Hessians of f's sum, which give H) or from a pattern star-coloured once
    outside the timing (3 and 2 Hessian-vector products)."""
    f, reference = (rosenbrock, rosenbrock_hessian) if kind == "band" else (arrowhead, arrowhead_hessian)
    x = grid_point(HS_SIZE)
    sparsity = "auto" if detected else dn.detect_hessian_sparsity(f, x)
    call = partial(dn.hessian, f, x, sparsity=sparsity, sparse_output=True)
    return Case(
        baseline=partial(f, x),
        dualnum=call,
        check=lambda: assert_close(call().toarray(), reference(x), f"HS {kind} n={HS_SIZE}"),
    )


# Peers' ratios (fastdual 0.3 / num-dual 0.15 / JAX 0.10 jit), copied from WORKLOADS.md.
PEERS = {
    ("W1", None): "1.9–2.1 / 9–10 / 45 (per-call jit)",
    ("W2", None): "53–130 / 150–200 / 1.2",
    ("W3", 2): "1.6 / 0.6 / 1.1",
    ("W3", 10): "2.7 / 4 / 1.2",
    ("W3", 100): "15 / 78 / 1.2",
    ("W3", 1000): "175–190 / 1500 / 0.8–5 (reverse mode)",
    ("W4", 2): "0.7 / 0.6 / 1.1",
    ("W4", 10): "— / 9 / 1.2",
    ("W4", 100): "12 500 / 1330 / 14",
    ("W5", 10): "— / 4 / 1.5",
    ("W5", 100): "— / 88 / 3.6",
    ("W5", 1000): "46 (pass) + list extraction 19 000 / 5600 / 40–48 (jacrev)",
    ("W6", 1): "— / — / —",
    ("W6", 2): "1.8 / — / —",
    ("W6", 3): "not possible / 6.3 / 38",
}

ENTRIES = [
    Entry("W1", f"N={W1_POINTS}", "math loop", PEERS["W1", None], build_w1),
    Entry("W2", f"N={W2_POINTS}", "numpy f", PEERS["W2", None], build_w2),
    Entry("W2", f"N={W2_POINTS} 1 thread", "numpy f", PEERS["W2", None], partial(build_w2, 1)),
    *(Entry("W3", f"n={n}", "numpy f", PEERS["W3", n], partial(build_w3, n)) for n in W3_SIZES),
    *(Entry("W4", f"n={n}", "numpy f", PEERS["W4", n], partial(build_w4, n)) for n in W4_SIZES),
    *(Entry("W5", f"n={n}", "numpy F", PEERS["W5", n], partial(build_w5, n)) for n in W5_SIZES),
    *(Entry("W5", f"n={n} sparse", "numpy F", PEERS["W5", n], partial(build_w5_sparse, n))
      for n in W5_SPARSE_SIZES),
    Entry("W5", "n=1000 dense pattern", "numpy F", PEERS["W5", 1000], partial(build_w5_dense, 1000)),
    *(Entry("W6", f"order {k}", "float g", PEERS["W6", k], partial(build_w6, k)) for k in (1, 2, 3)),
    Entry("ODE", "4 rates", "FD-jac fit", "— / — / —", build_ode_fit),
    Entry("UNC", f"n={UNC_INPUTS}", "uncertainties", "— / — / —", build_unc),
    Entry("LAP", f"n={LAP_SIZE}", "trace(hessian)", "— / — / —", partial(build_lap, LAP_SIZE)),
    *(Entry("HS", f"n={HS_SIZE} {kind} {how}", "numpy f", "— / — / —",
            partial(build_hs, kind, how == "auto"))
      for kind in ("band", "arrowhead") for how in ("auto", "pattern")),
]
