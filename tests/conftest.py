"""Shared corpus of test functions with hand-derived derivatives.

Each corpus entry is a ``Case``:

* ``f``      -- the function, written with dualnum functions (``dn.sin``,
                ``dn.exp``, ...) and/or numpy operations on the DualArray
                the API passes in;
* ``x``      -- the point (a float for R->R, an ndarray otherwise);
* ``value``  -- f(x), computed here with ``math``/numpy floats only;
* ``deriv``  -- the derivative / gradient / Jacobian, written out by hand.

The analytic values never go through dualnum, so a test comparing against them
can fail.  Tests get the entries through the fixtures ``r1_case`` (R->R),
``r1m_case`` (R->R^m, for ``derivative`` of a vector-valued f), ``rn_case``
(R^n->R) and ``rnm_case`` (R^n->R^m), parametrized in ``pytest_generate_tests``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

import dualnum as dn
from dualnum import _plan


@pytest.fixture(params=["dense chunks", "sparse one pass"])
def seeding(request, monkeypatch):
    """Run a test under both ways the API seeds f's argument (dualnum/_plan.py):
    dense tangents in chunks, or all directions in one pass with sparse
    tangents (which the API uses from n = 96), here for every n >= 2."""
    sizes = (10**12, 10**12) if request.param == "dense chunks" else (2, 10**12)
    monkeypatch.setattr(_plan, "SPARSE_SEEDING", sizes)
    return request.param


@dataclass(frozen=True)
class Case:
    name: str
    f: Callable[..., Any]
    x: Any
    value: Any
    deriv: Any


# --------------------------------------------------------------------------- #
# R -> R
# --------------------------------------------------------------------------- #
def _r1_cases():
    c = []

    x = 0.7
    c.append(Case("sin_times_exp", lambda x: dn.sin(x) * dn.exp(x), x,
                  math.sin(x) * math.exp(x),
                  (math.cos(x) + math.sin(x)) * math.exp(x)))

    x = 1.1  # composition log(1 + sin(x)^2)
    c.append(Case("log_1p_sin_sq", lambda x: dn.log(1 + dn.sin(x) ** 2), x,
                  math.log(1 + math.sin(x) ** 2),
                  2 * math.sin(x) * math.cos(x) / (1 + math.sin(x) ** 2)))

    x = 0.5  # triple composition exp(sin(cos(x)))
    c.append(Case("exp_sin_cos", lambda x: dn.exp(dn.sin(dn.cos(x))), x,
                  math.exp(math.sin(math.cos(x))),
                  math.exp(math.sin(math.cos(x))) * math.cos(math.cos(x))
                  * (-math.sin(x))))

    x = 1.7  # fractional power
    c.append(Case("power_3_5", lambda x: x ** 3.5, x, x ** 3.5, 3.5 * x ** 2.5))

    x = -1.3  # integer powers (incl. negative) at a negative point
    c.append(Case("int_powers_negative_x", lambda x: 3 * x ** -2 + x ** 5, x,
                  3 * x ** -2 + x ** 5, -6 * x ** -3 + 5 * x ** 4))

    x = 0.4  # rational function (x^2+1)/(x-3)
    c.append(Case("rational", lambda x: (x ** 2 + 1) / (x - 3), x,
                  (x ** 2 + 1) / (x - 3),
                  (x ** 2 - 6 * x - 1) / (x - 3) ** 2))

    x = 1.25  # Horner form of 2x^3 - 3x^2 + x - 7
    c.append(Case("horner_cubic", lambda x: ((2 * x - 3) * x + 1) * x - 7, x,
                  2 * x ** 3 - 3 * x ** 2 + x - 7, 6 * x ** 2 - 6 * x + 1))

    x = 2.0  # returns a plain float, never touches x
    c.append(Case("constant_float", lambda x: 4.25, x, 4.25, 0.0))

    x = 2.0  # returns a dual whose partial is exactly 0
    c.append(Case("constant_via_x", lambda x: 0 * x + 2.5, x, 2.5, 0.0))

    x = 0.8
    c.append(Case("tanh_of_square", lambda x: dn.tanh(x ** 2), x,
                  math.tanh(x ** 2), 2 * x * (1 - math.tanh(x ** 2) ** 2)))

    x = -2.0
    c.append(Case("sqrt_1_plus_sq", lambda x: dn.sqrt(1 + x ** 2), x,
                  math.sqrt(1 + x ** 2), x / math.sqrt(1 + x ** 2)))

    x = 1.5  # dual ** dual
    c.append(Case("x_pow_x", lambda x: x ** x, x,
                  x ** x, x ** x * (math.log(x) + 1)))

    x = 0.3  # constant base, dual exponent
    c.append(Case("two_pow_x", lambda x: 2.0 ** x, x,
                  2.0 ** x, math.log(2.0) * 2.0 ** x))

    x = 0.9  # atan(1/x) = pi/2 - atan(x) for x > 0
    c.append(Case("atan_reciprocal", lambda x: dn.atan(1 / x), x,
                  math.atan(1 / x), -1 / (1 + x ** 2)))

    x = 0.6
    c.append(Case("erf_half", lambda x: dn.erf(x / 2), x,
                  math.erf(x / 2), math.exp(-x ** 2 / 4) / math.sqrt(math.pi)))

    x = 3.0  # two-argument log
    c.append(Case("log_base_10", lambda x: dn.log(x, 10), x,
                  math.log(x, 10), 1 / (x * math.log(10))))

    x = -0.4
    s = 1 / (1 + math.exp(-x))
    c.append(Case("sigmoid", lambda x: dn.sigmoid(x), x, s, s * (1 - s)))
    return c


# --------------------------------------------------------------------------- #
# R -> R^m (derivative of a sequence/array-valued f of one scalar)
# --------------------------------------------------------------------------- #
def _r1m_cases():
    c = []
    t = 0.9
    c.append(Case("list_cos_sin_sq", lambda t: [dn.cos(t), dn.sin(t), t ** 2], t,
                  np.array([math.cos(t), math.sin(t), t ** 2]),
                  np.array([-math.sin(t), math.cos(t), 2 * t])))
    t = -0.35
    c.append(Case("tuple_linear", lambda t: (t, 2 * t, 5.0), t,
                  np.array([t, 2 * t, 5.0]), np.array([1.0, 2.0, 0.0])))
    t = 1.2  # 2-D output with a constant entry
    c.append(Case("array_2d", lambda t: np.array([[t, t ** 2], [1.0, dn.exp(t)]]), t,
                  np.array([[t, t ** 2], [1.0, math.exp(t)]]),
                  np.array([[1.0, 2 * t], [0.0, math.exp(t)]])))
    return c


# --------------------------------------------------------------------------- #
# R^n -> R
# --------------------------------------------------------------------------- #
def _rosen_point(n):
    # Alternating signs, no symmetry, nothing at a stationary point.
    return np.array([(-1) ** i * (0.3 + 0.17 * i) for i in range(n)])


def _rosen_loop(x):
    # Scalar style: Python loop over the elements.
    total = 0.0
    for i in range(len(x) - 1):
        total = total + 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return total


def _rosen_np(x):
    # numpy style, acting on the whole object array.
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _rosen_value(x):
    return sum(100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
               for i in range(len(x) - 1))


def _rosen_grad(x):
    # df/dx_i = -400 x_i (x_{i+1} - x_i^2) - 2 (1 - x_i)   [if i < n-1]
    #           + 200 (x_i - x_{i-1}^2)                    [if i > 0]
    n = len(x)
    g = np.zeros(n)
    for i in range(n):
        if i < n - 1:
            g[i] += -400.0 * x[i] * (x[i + 1] - x[i] ** 2) - 2.0 * (1.0 - x[i])
        if i > 0:
            g[i] += 200.0 * (x[i] - x[i - 1] ** 2)
    return g


_A3 = np.array([[2.0, -1.0, 0.5],
                [0.3, 1.5, -2.0],
                [1.0, 0.25, 3.0]])  # deliberately not symmetric

_W23 = np.array([[1.0, -2.0, 0.5],
                 [3.0, 0.25, -1.5]])


def _rn_cases():
    c = []
    # n = 100 and 150 need more directions than one pass may carry (the
    # implementation is free to split them into chunks): same gradient expected
    for n in (2, 5, 10, 100, 150):
        x = _rosen_point(n)
        c.append(Case(f"rosenbrock_loop_n{n}", _rosen_loop, x,
                      _rosen_value(x), _rosen_grad(x)))
        c.append(Case(f"rosenbrock_numpy_n{n}", _rosen_np, x,
                      _rosen_value(x), _rosen_grad(x)))

    x = np.array([0.5, -1.25, 2.0])  # x.Ax with A not symmetric: grad (A + A^T) x
    c.append(Case("quadratic_form", lambda x: x @ _A3 @ x, x,
                  float(x @ _A3 @ x), (_A3 + _A3.T) @ x))

    x = np.array([0.1, -0.7, 1.3, 0.4])  # log-sum-exp: gradient is the softmax
    e = np.exp(x)
    c.append(Case("logsumexp_numpy", lambda x: dn.log(np.sum(dn.exp(x))), x,
                  math.log(e.sum()), e / e.sum()))
    c.append(Case("logsumexp_loop",
                  lambda x: dn.log(sum(dn.exp(xi) for xi in x)), x,
                  math.log(e.sum()), e / e.sum()))

    x = np.array([0.8, -1.1, 5.0])  # f depends on x0*x1 only; x2 unused -> 0
    p = x[0] * x[1]
    c.append(Case("sin_of_product", lambda x: dn.sin(x[0] * x[1]), x,
                  math.sin(p), np.array([x[1] * math.cos(p), x[0] * math.cos(p), 0.0])))

    x = np.array([1.0, 2.0, 3.0])
    c.append(Case("constant_scalar", lambda x: 7.0, x, 7.0, np.zeros(3)))

    # 2-D point: sum(W * X^2) + X[0,0]*X[1,2]
    X = np.array([[0.5, -1.0, 2.0],
                  [1.5, 0.25, -0.75]])
    g = 2 * _W23 * X
    g[0, 0] += X[1, 2]
    g[1, 2] += X[0, 0]
    c.append(Case("matrix_point", lambda X: np.sum(_W23 * X ** 2) + X[0, 0] * X[1, 2], X,
                  float(np.sum(_W23 * X ** 2) + X[0, 0] * X[1, 2]), g))
    return c


# --------------------------------------------------------------------------- #
# R^n -> R^m
# --------------------------------------------------------------------------- #
_B34 = np.array([[1.0, 2.0, -1.0, 0.5],
                 [0.0, -3.0, 4.0, 1.0],
                 [2.5, 0.0, 0.0, -2.0]])


def _bratu(u):
    # F_i = (u[i-1] - 2 u[i] + u[i+1]) (n+1)^2 + exp(u[i]),  u[-1] = u[n] = 0
    n = len(u)
    up = np.concatenate(([0.0], u, [0.0]))
    return (up[:-2] - 2 * up[1:-1] + up[2:]) * (n + 1) ** 2 + dn.exp(u)


def _bratu_value_jac(u):
    n = len(u)
    h2 = (n + 1) ** 2
    up = np.concatenate(([0.0], u, [0.0]))
    val = (up[:-2] - 2 * up[1:-1] + up[2:]) * h2 + np.exp(u)
    jac = np.zeros((n, n))
    for i in range(n):
        jac[i, i] = -2 * h2 + math.exp(u[i])
        if i > 0:
            jac[i, i - 1] = h2
        if i < n - 1:
            jac[i, i + 1] = h2
    return val, jac


def _rnm_cases():
    c = []

    x = np.array([2.0, 0.6])  # polar (r, theta) -> cartesian
    r, th = x
    c.append(Case("polar_to_cartesian",
                  lambda x: np.array([x[0] * dn.cos(x[1]), x[0] * dn.sin(x[1])]), x,
                  np.array([r * math.cos(th), r * math.sin(th)]),
                  np.array([[math.cos(th), -r * math.sin(th)],
                            [math.sin(th), r * math.cos(th)]])))

    x = np.array([0.5, -1.0, 2.0, 0.25])  # linear map: J = B
    c.append(Case("linear_map", lambda x: _B34 @ x, x, _B34 @ x, _B34.copy()))

    u = np.array([0.1, -0.2, 0.35, 0.05, -0.4, 0.3])
    val, jac = _bratu_value_jac(u)
    c.append(Case("bratu_n6", _bratu, u, val, jac))

    u = 0.3 * np.sin(np.arange(1, 71) * 0.7)  # larger system, n = 70
    val, jac = _bratu_value_jac(u)
    c.append(Case("bratu_n70", _bratu, u, val, jac))

    x = np.cos(np.arange(130) * 0.37)  # wide linear map, 130 inputs
    B = np.sin(np.add.outer(np.arange(4) * 1.1, np.arange(130) * 0.23))
    c.append(Case("linear_map_wide", lambda x: B @ x, x, B @ x, B.copy()))

    x = np.array([1.5, -0.5])  # returns a list, last entry a constant
    c.append(Case("list_return",
                  lambda x: [x[0] ** 2 * x[1], dn.sin(x[1]) + 5 * x[0], 3.0], x,
                  np.array([x[0] ** 2 * x[1], math.sin(x[1]) + 5 * x[0], 3.0]),
                  np.array([[2 * x[0] * x[1], x[0] ** 2],
                            [5.0, math.cos(x[1])],
                            [0.0, 0.0]])))

    x = np.array([0.5, -2.0, 1.5])  # 2-D output: J[i,j,k] = d_ik x_j + x_i d_jk
    eye = np.eye(3)
    outer_jac = (np.einsum("ik,j->ijk", eye, x) + np.einsum("i,jk->ijk", x, eye))
    c.append(Case("outer_product", lambda x: np.outer(x, x), x, np.outer(x, x), outer_jac))

    x = np.array([0.7, 1.9])  # 2-D output written element by element
    a, b = x
    c.append(Case("array_2d_return",
                  lambda x: np.array([[x[0] * x[1], dn.exp(x[0])],
                                      [x[1] / x[0], 1.0]]), x,
                  np.array([[a * b, math.exp(a)], [b / a, 1.0]]),
                  np.array([[[b, a], [math.exp(a), 0.0]],
                            [[-b / a ** 2, 1 / a], [0.0, 0.0]]])))
    return c


R1_CASES = _r1_cases()
R1M_CASES = _r1m_cases()
RN_CASES = _rn_cases()
RNM_CASES = _rnm_cases()

_CORPUS = {
    "r1_case": R1_CASES,
    "r1m_case": R1M_CASES,
    "rn_case": RN_CASES,
    "rnm_case": RNM_CASES,
}


def pytest_generate_tests(metafunc):
    for fixture, cases in _CORPUS.items():
        if fixture in metafunc.fixturenames:
            metafunc.parametrize(fixture, cases, ids=[c.name for c in cases])


def central_difference(f, x, h=1e-6):
    """Central finite difference of f at x (scalar or ndarray point).

    Returns an array of shape f(x).shape + x.shape (a float for R->R).
    Used only as an independent cross-check, with loose tolerances.
    """
    x = np.asarray(x, dtype=float)
    f0 = np.asarray(f(x.copy() if x.ndim else float(x)), dtype=float)
    out = np.zeros(f0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        xp = x.copy()
        xm = x.copy()
        xp[idx] += h
        xm[idx] -= h
        fp = np.asarray(f(xp if x.ndim else float(xp)), dtype=float)
        fm = np.asarray(f(xm if x.ndim else float(xm)), dtype=float)
        out[(Ellipsis,) + idx] = (fp - fm) / (2 * h)
    return out


@pytest.fixture
def fd():
    """Central finite differences, independent of dualnum's AD machinery."""
    return central_difference


@pytest.fixture
def corpus():
    """All corpus entries by name, for tests that pick a few of them."""
    return {c.name: c for c in R1_CASES + R1M_CASES + RN_CASES + RNM_CASES}


# ---------------------------------------------------------------- recording


def pytest_addoption(parser):
    parser.addoption(
        "--record-all-chains", action="store_true",
        help="record every elementwise DualArray operation, however small (see "
             "'recorded chains' in dualnum/_chains.pyx), so that the whole suite "
             "checks that recording changes no result")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "warns_at_operation: expects numpy's warning while the operation "
                   "runs; a recorded chain warns when it runs, later (--record-all-chains "
                   "skips these)")
    config.addinivalue_line(
        "markers", "eager_below_threshold: checks the size below which operations "
                   "run at once (--record-all-chains skips these)")
    if config.getoption("--record-all-chains"):
        from dualnum import _chains
        _chains.chain_settings(defer_entries=1)


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--record-all-chains"):
        return
    skip = pytest.mark.skip(reason="depends on operations running at once (--record-all-chains)")
    for item in items:
        if item.get_closest_marker("warns_at_operation") or item.get_closest_marker("eager_below_threshold"):
            item.add_marker(skip)
