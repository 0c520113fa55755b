"""laplacian and value_and_laplacian on the forward-Laplacian carrier.

References: closed forms (|x|², exp(-|x|²), harmonic functions, 1/|x| in 3-D),
central second differences of f on floats, the trace of dualnum.hessian (an
independent implementation: full local Hessians, no running sum), mpmath's
derivatives for scipy.special's rows, and a loop of single points for the
batched form.  Each numpy code of COVERED is checked to run on the carrier
(no fallback), and the fallback to hessian is checked to be taken, and
right, where the carrier declines.
"""
import importlib
import math
import warnings

import numpy as np
import pytest

import dualnum as dn
from dualnum import _scipy_dispatch
from dualnum._laplacian_array import LaplacianArray
from dualnum._laplacian_functions import NotCarried
from dualnum._table import SPECIAL_ROWS
from test_function_table import BINARY, UNARY, binary_points, unary_points
from test_scipy_special import CASES as SPECIAL_CASES, reference as mp_reference

# the module (dualnum.laplacian is the function)
laplacian_module = importlib.import_module("dualnum.laplacian")


def second_differences(f, x, h=1e-4):
    """Σ_i (f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h², on floats."""
    x = np.asarray(x, dtype=float)
    total, centre = 0.0, f(x)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        total += (f(x + step) - 2.0 * centre + f(x - step)) / h ** 2
    return total


def hessian_trace(f, x):
    n = np.size(x)
    return float(np.trace(np.reshape(dn.hessian(f, x), (n, n))))


@pytest.fixture
def fallbacks(monkeypatch):
    """The points at which laplacian took the trace of hessian instead."""
    taken = []
    original = laplacian_module._by_hessian

    def spy(f, x):
        taken.append(x)
        return original(f, x)
    monkeypatch.setattr(laplacian_module, "_by_hessian", spy)
    return taken


# ------------------------------------------------------------ closed forms

@pytest.mark.parametrize("n", [1, 2, 5, 30])
def test_closed_forms(n, fallbacks):
    rng = np.random.default_rng(n)
    x = rng.normal(size=n)
    r2 = float(x @ x)
    assert math.isclose(dn.laplacian(lambda v: np.sum(v ** 2), x), 2.0 * n, rel_tol=1e-14)
    gauss = dn.laplacian(lambda v: np.exp(-np.sum(v * v)), x)
    assert math.isclose(gauss, (4 * r2 - 2 * n) * math.exp(-r2), rel_tol=1e-12, abs_tol=1e-14)
    value, lap = dn.value_and_laplacian(lambda v: v @ v, x)
    assert math.isclose(value, r2, rel_tol=1e-14) and math.isclose(lap, 2.0 * n, rel_tol=1e-14)
    assert not fallbacks


HARMONIC = {
    "exp(x) sin(y)": (lambda v: np.exp(v[0]) * np.sin(v[1]), [0.3, 1.2]),
    "x² - y²": (lambda v: v[0] ** 2 - v[1] ** 2, [1.5, -0.4]),
    "Re z³": (lambda v: v[0] ** 3 - 3 * v[0] * v[1] ** 2, [0.7, 2.1]),
    "log |r| in 2-D": (lambda v: 0.5 * np.log(np.sum(v ** 2)), [0.8, -1.3]),
    "1/|r| in 3-D": (lambda v: 1.0 / np.linalg.norm(v), [0.4, -1.1, 0.9]),
    "atan2(y, x)": (lambda v: np.arctan2(v[1], v[0]), [0.6, 0.9]),
    "x y z": (lambda v: np.prod(v[:1]) * v[1] * v[2], [1.2, -0.3, 2.0]),
}


@pytest.mark.parametrize("name", HARMONIC)
def test_harmonic_functions_have_zero_laplacian(name):
    f, x = HARMONIC[name]
    assert abs(dn.laplacian(f, x)) < 1e-13 * max(1.0, abs(f(np.array(x))))


def test_inverse_distance_in_n_dimensions():
    # Δ |r|^p = p (p + n - 2) |r|^(p-2)
    x = np.array([0.5, -1.0, 0.25, 2.0])
    r = np.linalg.norm(x)
    for p in (-2.0, -1.0, 0.5, 3.0):
        lap = dn.laplacian(lambda v: np.sum(v ** 2) ** (p / 2), x)
        assert math.isclose(lap, p * (p + 2) * r ** (p - 2), rel_tol=1e-13, abs_tol=1e-14)


# ------------------------------------------------------------ numpy code on the carrier

A = np.array([[2.0, -1.0, 0.5], [0.3, 1.5, -0.7], [1.1, 0.2, 0.9]])
B = np.arange(6.0).reshape(2, 3) / 5
COVERED = {
    "operators with constants": lambda x: np.sum(3.0 - x * 2 + x / 4 - 1 / (x + 5) + x ** 3 - 2 ** x),
    "operators with numpy scalars": lambda x: np.sum(np.float64(2) * x + x ** np.float32(2)),
    "scalar-style elements": lambda x: x[0] * x[1] + x[2] ** 2 * x[0] - x[1] / x[2],
    "unary minus, abs, pos": lambda x: np.sum(-x * abs(x) + (+x) ** 2),
    "elementwise table functions": lambda x: np.sum(np.sin(x) * np.exp(x) + np.log1p(x * x)),
    "dualnum's own functions": lambda x: np.sum(dn.erf(x) + dn.sigmoid(x) * dn.softplus(x)),
    "binary table functions": lambda x: np.sum(np.hypot(x, x[::-1]) + np.arctan2(x, 2.0)),
    "square, reciprocal": lambda x: np.sum(np.square(x) + np.reciprocal(x + 3)),
    "sum and mean over axes": lambda x: np.sum(np.mean(x.reshape(1, 3) * x.reshape(3, 1), axis=0)),
    "methods": lambda x: x.reshape(3, 1).T.sum() * x.mean() + x.ravel().dot(x),
    "indexing and slicing": lambda x: x[0] * x[-1] + np.sum(x[1:] ** 2) * x[[0, 2]].sum()
    + np.sum(x[np.array([True, False, True])] ** 3),
    "ellipsis and newaxis": lambda x: np.sum(x[..., 1:] * x[None, :2]),
    "reshape and transpose": lambda x: np.sum(np.transpose(np.reshape(x * x, (1, 3))) @ x.reshape(1, 3)),
    "concatenate and stack": lambda x: np.sum(np.concatenate([x, x ** 2, [1.0, 2.0]]) ** 2)
    + np.sum(np.stack([x, np.sin(x)], axis=1) ** 3),
    "matmul with a constant": lambda x: x @ A @ x + np.sum(np.matmul(A, x) ** 2),
    "matmul of matrices and stacks": lambda x: np.sum(np.sin(A @ (x.reshape(3, 1) * x.reshape(1, 3))) @ A.T)
    + np.sum(np.stack([A, A.T]) @ x) + np.sum((x.reshape(1, 3) @ A) ** 2),
    "dot, inner, vdot": lambda x: np.dot(x, A @ np.sin(x)) + np.inner(x, x) * np.vdot(x, x),
    "matmul between carriers": lambda x: np.sum(np.exp(x.reshape(3, 1) @ x.reshape(1, 3))),
    "einsum": lambda x: np.einsum("ij,i,j->", A, x, np.cos(x)) + np.einsum("i,i", x, x)
    + np.sum(np.einsum("ki,i->k", B, x) ** 2),
    "norm": lambda x: np.linalg.norm(x) ** 3 + np.linalg.norm(x.reshape(1, 3), axis=1)[0],
    "where": lambda x: np.sum(np.where(POINT > 0, x ** 2, np.exp(x)) + np.where(POINT > 0, x, 1.0)),
    "cumsum, diff, flip": lambda x: np.sum(np.cumsum(x) ** 2 + np.flip(x) * x)
    + np.sum(np.diff(x ** 2) ** 2),
    "moveaxis, swapaxes, squeeze, expand_dims": lambda x: np.sum(
        np.squeeze(np.moveaxis(np.expand_dims(x * x, 0), 0, 1)) * np.swapaxes(x.reshape(1, 3), 0, 1)[:, 0]),
    "hstack": lambda x: np.sum(np.hstack([x, x[:1] ** 2]) ** 2),
    "moves shared with the other arrays": lambda x: np.sum(np.tile(x, 2) ** 3 * np.roll(np.repeat(x, 2), 1))
    + np.sum(np.triu(np.outer(x, np.sin(x)))) + np.sum(np.pad(x, 1, mode="edge") ** 3)
    + np.sum(np.diag(np.sin(x)) ** 2) + np.sum(np.vstack([x, x ** 2]) ** 2) + np.trace(np.outer(x, x)),
    "a linear pad": lambda x: np.sum(np.pad(x, 2, mode="mean") ** 2)
    + np.sum(np.pad(x.reshape(1, 3), 1, mode="linear_ramp", end_values=1.0) ** 3),
    "queries and like=": lambda x: np.argmax(x) * np.sum(np.zeros(3, like=x) + x ** 2)
    + np.sum(np.array_split(x, 2)[0] ** 3),
    "compositions shared with the other arrays": lambda x: np.var(x) * np.std(x)
    + np.sum(np.cross(x, np.sin(x)) ** 2) + np.sum(np.kron(x, x) ** 2) + np.polyval(x, 0.5) ** 2
    + np.average(x ** 2, weights=[1, 2, 3]) + np.tensordot(x, x, 1) ** 2 + np.sum(np.cumprod(x ** 2)),
    "interp": lambda x: np.sum(np.interp([0.1, 0.2], [0, 0.5, 1], x ** 2)),
    "max and min": lambda x: np.max(x ** 2) * np.min(np.exp(x)) + np.sum(np.max(np.outer(x, x), axis=0))
    + np.sum(np.amin(x.reshape(3, 1) * x, axis=1, keepdims=True)),
    "prod and ufunc methods": lambda x: np.prod(x) * np.prod(x ** 2) + np.add.reduce(x ** 3)
    + np.sum(np.prod(x.reshape(3, 1) * x, axis=0) ** 2) + np.sum(np.maximum.accumulate(x ** 2))
    + np.sum(np.multiply.outer(x, x) ** 2) + np.logaddexp.reduce(x * x) + np.subtract.reduce(x ** 3),
    "iteration": lambda x: sum(e ** 3 for e in x),
    "ndarray on the left": lambda x: np.sum(np.array([1.0, 2.0, 3.0]) * x + np.ones(3) @ (x * x)),
}
POINT = np.array([0.7, -1.3, 0.4])


@pytest.mark.parametrize("name", COVERED)
def test_numpy_code_on_the_carrier(name, fallbacks):
    f = COVERED[name]
    expected = hessian_trace(f, POINT)
    value, lap = dn.value_and_laplacian(f, POINT)
    assert not fallbacks, f"{name} fell back to hessian"
    assert math.isclose(lap, expected, rel_tol=1e-12, abs_tol=1e-12), (lap, expected)
    assert math.isclose(value, f(POINT), rel_tol=1e-14, abs_tol=1e-14)
    assert math.isclose(lap, second_differences(f, POINT), rel_tol=1e-5, abs_tol=1e-5)


def test_points_of_any_shape():
    # a scalar x: the second derivative
    assert dn.laplacian(lambda t: t ** 3 * np.sin(t), 0.8) == pytest.approx(
        6 * 0.8 * math.sin(0.8) + 6 * 0.64 * math.cos(0.8) - 0.512 * math.sin(0.8), rel=1e-13)
    assert dn.laplacian(lambda t: t ** 2, np.float32(2.0)) == 2.0
    # a 2-D x: the sum over all its entries
    X = np.arange(1.0, 7.0).reshape(2, 3) / 3

    def f(m):
        return np.sum(np.log(m) * m[::-1, ::-1]) + m[1, 2] * m[0, 0] ** 2

    assert math.isclose(dn.laplacian(f, X), hessian_trace(f, X), rel_tol=1e-12)
    assert math.isclose(dn.laplacian(f, X), second_differences(f, X), rel_tol=1e-5)
    # an empty point and a constant f
    assert dn.laplacian(lambda v: 1.5, [1.0, 2.0]) == 0.0
    assert dn.laplacian(lambda v: np.sum(v ** 2), np.zeros(0)) == 0.0
    assert dn.laplacian(lambda v: np.sum(v ** 2), [[1, 2]]) == 4.0     # ints are promoted


def test_kinks_and_singular_points_follow_hessian():
    # abs and maximum at their kinks: the rules' slopes, zero second derivative;
    # sqrt at 0: an infinite curvature, as hessian's
    for f, x in [(lambda v: np.sum(np.abs(v)) * v[1], [0.0, 2.0]),
                 (lambda v: np.maximum(v[0], v[1]) ** 2, [1.0, 1.0]),
                 (lambda v: v[0] ** 2 + np.sqrt(v[1]), [1.0, 0.0]),
                 (lambda v: np.sum(np.sqrt(v) * 0.0 + v ** 2), [1.0, 0.0])]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            assert np.array_equal(dn.laplacian(f, x), hessian_trace(f, x), equal_nan=True)


def test_domain_errors_warn_as_numpy():
    with pytest.warns(RuntimeWarning, match="invalid value encountered in log"):
        assert math.isnan(dn.value_and_laplacian(lambda v: np.sum(np.log(v)), [-1.0, 2.0])[0])
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        dn.laplacian(lambda v: np.sum(np.log(v)), [-1.0, 2.0])


# ------------------------------------------------------------ every row of the table

@pytest.mark.parametrize("row", UNARY, ids=lambda r: r.name)
def test_unary_rows_through_the_carrier(row, fallbacks):
    xs = np.array([x for x, _ in unary_points(row)])
    m = xs.size
    fn = getattr(np, row.ufunc.__name__) if row.ufunc is not None else getattr(dn, row.functions[0])

    # every element depends on two variables, so |grad|² and the running sum are exercised
    def f(v):
        return np.sum(fn(0.6 * v[:m] + 0.8 * v[m:] - 0.4 * xs))

    point = np.concatenate([xs, xs])
    assert math.isclose(dn.laplacian(f, point), hessian_trace(f, point), rel_tol=1e-11, abs_tol=1e-11)
    assert not fallbacks


@pytest.mark.parametrize("row", BINARY, ids=lambda r: r.name)
def test_binary_rows_through_the_carrier(row, fallbacks):
    points = binary_points(row)
    a = np.array([p[0][0] for p in points])
    b = np.array([p[0][1] for p in points])
    m = a.size

    def both(v):       # each operand depends on both variables: the mixed term 2 f_ab g_a·g_b
        u, w = v[:m] + 0.3 * (v[m:] - b), v[m:] + 0.2 * (v[:m] - a)
        return np.sum(row.ufunc(u, w))

    def first(v):
        return np.sum(row.ufunc(v, b))

    def second(v):
        return np.sum(row.ufunc(a, v))

    for f, point in [(both, np.concatenate([a, b])), (first, a), (second, b)]:
        assert math.isclose(dn.laplacian(f, point), hessian_trace(f, point),
                            rel_tol=1e-11, abs_tol=1e-11), row.name
    assert not fallbacks


@pytest.mark.parametrize("name, fn, ref, points", SPECIAL_CASES, ids=[c[0] for c in SPECIAL_CASES])
def test_scipy_special_rows_against_mpmath(name, fn, ref, points, fallbacks):
    xs = np.array(points)
    m = xs.size
    # two variables per element with |grad|² = 0.36 + 0.64 = 1: Δ = Σ f''(x)
    lap = dn.laplacian(lambda v: np.sum(fn(0.6 * v[:m] + 0.8 * v[m:] - 0.4 * xs)),
                       np.concatenate([xs, xs]))
    expected = sum(mp_reference(ref, x, 2) for x in points)
    assert math.isclose(lap, expected, rel_tol=1e-9, abs_tol=1e-9), (name, lap, expected)
    assert not fallbacks


def test_every_scipy_special_ufunc_through_the_carrier(fallbacks):
    # every ufunc scipy.special has a row for, against hessian's trace
    rows = _scipy_dispatch._made()
    assert {row.name for row in SPECIAL_ROWS} <= {row.name for row in rows.values()}
    a, b = np.array([1.3, 1.45, 1.8]), np.array([0.3, 0.45, 0.8])
    for fn in rows:
        if fn.nin == 1:
            cases = [(lambda v, fn=fn: np.sum(fn(0.6 * v[:3] + 0.8 * v[3:] - 0.4 * b)),
                      np.concatenate([b, b]))]
        else:
            cases = [(lambda v, fn=fn: np.sum(fn(a, v)), b)]
            try:
                fn(dn.Dual(1.3, 1.0), dn.Dual(0.3, 1.0))
                cases.append((lambda v, fn=fn: np.sum(fn(v[:3], v[3:] * 0.5 + 0.1 * v[:3])),
                              np.concatenate([a, b])))
            except TypeError:           # no derivative in the first argument (an order)
                pass
        for f, point in cases:
            assert math.isclose(dn.laplacian(f, point), hessian_trace(f, point),
                                rel_tol=1e-11, abs_tol=1e-11), fn.__name__
    assert not fallbacks


# ------------------------------------------------------------ the fallback to hessian

UNCOVERED = {
    "np.asarray of the argument": lambda x: np.sum(np.asarray(x) ** 2),
    "a numpy function without a handler": lambda x: np.sum(np.sort(x) ** 3),
    "np.linalg": lambda x: np.linalg.det(np.diag(x)) + np.trace(np.outer(x, x)),
    "item assignment": lambda x: _assigned(x),
    "an object array": lambda x: np.sum(x ** 2 * np.array([1.0, 2.0, 3.0], dtype=object)),
    "a ufunc with out=": lambda x: np.sum(np.sin(x, out=None, where=True)),
    "a product of three carriers": lambda x: np.einsum("i,i,i->", x, x, x),
}


def _assigned(x):
    y = x * 1.0
    y[0] = x[1] ** 2
    return np.sum(y ** 2)


@pytest.mark.parametrize("name", UNCOVERED)
def test_fallback_to_the_trace_of_hessian(name, fallbacks):
    f = UNCOVERED[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dn.SlowPathWarning)
        lap = dn.laplacian(f, POINT)
    assert len(fallbacks) == 1 and type(lap) is float
    assert math.isclose(lap, hessian_trace(f, POINT), rel_tol=1e-12, abs_tol=1e-12)


def test_carrier_declines_with_not_carried():
    from dualnum._laplacian_array import seed
    x = seed(POINT, False, 0, 3, 1)
    for action in (lambda: np.asarray(x), lambda: float(x[0]), lambda: np.sort(x),
                   lambda: np.sin(x, out=np.empty(3)), lambda: np.frexp(x)):
        with pytest.raises(NotCarried):
            action()
    assert repr(x) == "<LaplacianArray of shape (3,), 3 variables>"
    assert isinstance(x[0], LaplacianArray) and x[0].shape == ()


def test_chunks_of_directions_add_up(monkeypatch, fallbacks):
    # past CHUNK_ENTRIES gradient entries the directions are split into passes
    f = COVERED["matmul between carriers"]
    X = np.random.default_rng(5).normal(size=(4, 3))
    one_pass = dn.laplacian(f, POINT), dn.laplacian(lambda p: np.exp(p[..., 0]) * p[..., 1] ** 2
                                                     * p[..., 2], X, batch=True)
    calls = []
    monkeypatch.setattr(laplacian_module, "CHUNK_ENTRIES", 4)
    counted = dn.laplacian(lambda v: (calls.append(v.grad.shape), f(v))[1], POINT)
    assert calls == [(3, 1)] * 3                    # one direction per pass
    assert math.isclose(counted, one_pass[0], rel_tol=1e-14)
    chunked = dn.laplacian(lambda p: np.exp(p[..., 0]) * p[..., 1] ** 2 * p[..., 2], X, batch=True)
    assert np.allclose(chunked, one_pass[1], rtol=1e-14)
    assert not fallbacks


# ------------------------------------------------------------ nesting

def test_gradient_of_a_laplacian_in_a_parameter(fallbacks):
    x0 = np.array([0.4, -0.9, 1.3])

    def lap(p):
        return dn.laplacian(lambda x: np.sum(np.sin(p[0] * x) * x) * p[1], x0)

    p0 = np.array([1.1, 0.7])
    # closed form: Δ Σ x sin(a x) = Σ 2 a cos(a x) - a² x sin(a x)
    def closed(p):
        a, c = p
        return c * float(np.sum(2 * a * np.cos(a * x0) - a * a * x0 * np.sin(a * x0)))

    assert math.isclose(lap(p0), closed(p0), rel_tol=1e-12)
    grad = dn.gradient(lap, p0)
    h = 1e-6
    numeric = [(closed(p0 + h * e) - closed(p0 - h * e)) / (2 * h) for e in np.eye(2)]
    assert np.allclose(grad, numeric, rtol=1e-7, atol=1e-8)
    assert fallbacks      # the nested call runs through hessian's nested path


def test_derivative_of_a_laplacian_in_the_point():
    # Δ Σ x⁴ = 12 Σ x², whose gradient is 24 x
    x0 = np.array([0.5, -1.5])
    assert np.allclose(dn.gradient(lambda y: dn.laplacian(lambda x: np.sum(x ** 4), y), x0),
                       24 * x0, rtol=1e-12)
    assert math.isclose(dn.derivative(lambda t: dn.laplacian(lambda x: np.sum(x ** 3) * t, x0), 2.0),
                        float(np.sum(6 * x0)), rel_tol=1e-12)


# ------------------------------------------------------------ batched points

def test_batched_against_single_points(fallbacks):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(4, 5, 3))

    def f(p):
        r2 = np.sum(p * p, axis=-1)
        return np.exp(-r2) * np.sin(p[..., 0]) + p[..., 1] ** 3 * p[..., 2]

    values, laps = dn.value_and_laplacian(f, X, batch=True)
    assert laps.shape == values.shape == (4, 5)
    assert not fallbacks
    loop = np.array([[dn.laplacian(f, X[i, j]) for j in range(5)] for i in range(4)])
    assert np.allclose(laps, loop, rtol=1e-13, atol=1e-13)
    assert np.allclose(values, f(X), rtol=1e-15)
    # one point per row, and a 1-D x (one point)
    assert np.allclose(dn.laplacian(f, X[0], batch=True), loop[0], rtol=1e-13)
    assert math.isclose(float(dn.laplacian(f, X[0, 0], batch=True)), loop[0, 0], rel_tol=1e-13)


def test_batched_fallback_point_by_point(fallbacks):
    X = np.array([[0.5, 1.0], [1.5, -0.5], [2.0, 0.25]])

    def f(p):
        return np.sum(np.asarray(p) ** 3, axis=-1)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dn.SlowPathWarning)
        laps = dn.laplacian(f, X, batch=True)
    assert np.allclose(laps, 6 * X.sum(axis=-1), rtol=1e-13)
    assert len(fallbacks) == 3


def test_batched_nested_in_the_points():
    # the points themselves are another call's dual array: point by point,
    # without converting it (no slow path)
    X0 = np.array([[0.5, 1.0], [1.5, -0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", dn.SlowPathWarning)
        grad = dn.gradient(lambda X: dn.laplacian(lambda p: np.sum(p ** 4, axis=-1), X,
                                                  batch=True).sum(), X0)
    assert np.allclose(grad, 24 * X0, rtol=1e-13)


def test_batched_nested():
    X = np.array([[0.5, 1.0], [1.5, -0.5]])
    grad = dn.gradient(lambda p: dn.laplacian(lambda x: np.sum(x ** 2, axis=-1) * p[0] ** 2, X,
                                              batch=True).sum(), [3.0])
    assert np.allclose(grad, [2 * 4 * 2 * 3.0])


# ------------------------------------------------------------ errors

def test_f_must_return_one_number():
    with pytest.raises(ValueError, match=r"one real number, got an array of shape \(3,\).*"
                                         r"divergence.*batch=True"):
        dn.laplacian(lambda v: v ** 2, POINT)
    with pytest.raises(ValueError, match=r"per point, got an array of shape \(\)"):
        dn.laplacian(lambda v: np.sum(v ** 2), np.ones((4, 3)), batch=True)
    with pytest.raises(TypeError, match="one real number, got a str"):
        dn.laplacian(lambda v: "x", POINT)
    with pytest.raises(ValueError, match=r"batch=True needs points along the last axis"):
        dn.laplacian(lambda v: v ** 2, 1.0, batch=True)
    with pytest.raises(TypeError, match="must be a real number"):
        dn.laplacian(lambda v: v, "a")
    with pytest.raises(TypeError, match="real: got a complex operand"):
        dn.laplacian(lambda v: np.sum(v * 1j), POINT)


@pytest.mark.parametrize("name", ["matmul with a constant", "matmul of matrices and stacks",
                                  "dot, inner, vdot"])
def test_large_products_through_blas(name, monkeypatch):
    # products past BLAS_FROM multiply-adds go to numpy's matmul: the same numbers
    functions = importlib.import_module("dualnum._laplacian_functions")
    expected = dn.laplacian(COVERED[name], POINT)
    monkeypatch.setattr(functions, "BLAS_FROM", 0)
    assert math.isclose(dn.laplacian(COVERED[name], POINT), expected, rel_tol=1e-13, abs_tol=1e-13)
