"""hessian of numpy code on the compiled second-order array (dualnum/_hessian_array.pyx).

References: mpmath's high-precision partials (through the bivariate corpus of
tests/hessian_references.py, evaluated elementwise on arrays), the object-array path of
scalar Dual2s (forced by making the compiled path decline), and finite
differences of the gradient.
"""
import importlib
import math
import warnings

import numpy as np
import pytest
import hessian_references as references  # tests/, on pytest's pythonpath
import test_numpy_corpus as numpy_corpus

import dualnum as dn
from dualnum import Dual2, _hessian_array

BIVARIATE, mp_hessian = references.BIVARIATE, references.mp_hessian
rosenbrock, rosenbrock_hessian = references.rosenbrock, references.rosenbrock_hessian

hessian_module = importlib.import_module("dualnum.hessian")


def counted(f):
    """f and a list that gets one entry per evaluation."""
    calls = []

    def wrapper(v):
        calls.append(type(v))
        return f(v)
    return wrapper, calls


def compiled(f, x):
    """value, gradient, Hessian of f, asserting one evaluation on the compiled array."""
    wrapper, calls = counted(f)
    result = dn.value_gradient_and_hessian(wrapper, x)
    assert calls == [_hessian_array.Dual2Array], "the compiled path declined"
    return result


def object_path(f, x, monkeypatch):
    """value, gradient, Hessian of f on object arrays of Dual2s."""
    def not_compiled(f, point):
        raise _hessian_array.NotCompiled("for this test")
    with monkeypatch.context() as patch:
        patch.setattr(hessian_module, "hessian_pass", not_compiled)
        return dn.value_gradient_and_hessian(f, x)


def assert_same(got, want, rtol=1e-13, atol=1e-13):
    assert got[0] == pytest.approx(want[0], rel=rtol, abs=atol)
    np.testing.assert_allclose(got[1], want[1], rtol=rtol, atol=atol)
    np.testing.assert_allclose(got[2], want[2], rtol=rtol, atol=atol)
    n = got[1].size
    assert np.array_equal(got[2].reshape(n, n), got[2].reshape(n, n).T)


# ------------------------------------------------------------ every rule, elementwise

@pytest.mark.parametrize("name, f, mp_f, point", BIVARIATE, ids=[b[0] for b in BIVARIATE])
def test_elementwise_rules_against_mpmath(name, f, mp_f, point):
    """sum_k F(x_k, y_k) over three pairs: the Hessian is block diagonal with
    F's 2 x 2 Hessian at each pair, so every rule is checked on arrays, with
    both operands varying, one varying and the other constant."""
    offsets = [0.0, 0.05, -0.03]
    pairs = [(point[0] + d, point[1] - d) for d in offsets]
    v = np.array(pairs).reshape(-1)                       # x0, y0, x1, y1, x2, y2
    value, grad, hess = compiled(lambda a: np.sum(f(a[0::2], a[1::2])), v)
    want_value, want_grad, want_hess = 0.0, np.zeros(6), np.zeros((6, 6))
    for k, (x, y) in enumerate(pairs):
        pv, pg, ph = mp_hessian(mp_f, x, y)
        want_value += pv
        want_grad[2 * k:2 * k + 2] = pg
        want_hess[2 * k:2 * k + 2, 2 * k:2 * k + 2] = ph
    assert value == pytest.approx(want_value, rel=1e-13)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hess, want_hess, rtol=1e-11, atol=1e-11)
    assert np.array_equal(hess, hess.T)


@pytest.mark.parametrize("name, f, mp_f, point", BIVARIATE, ids=[b[0] for b in BIVARIATE])
def test_one_operand_constant(name, f, mp_f, point):
    """F(x_k, c) with a constant array c: the y-partials must vanish."""
    x = np.array([point[0], point[0] + 0.04])
    c = np.array([point[1], point[1] - 0.02])
    value, grad, hess = compiled(lambda a: np.sum(f(a, c)), x)
    for k in range(2):
        pv, pg, ph = mp_hessian(mp_f, x[k], c[k])
        assert grad[k] == pytest.approx(pg[0], rel=1e-12, abs=1e-12)
        assert hess[k, k] == pytest.approx(ph[0, 0], rel=1e-11, abs=1e-11)
    assert hess[0, 1] == hess[1, 0] == 0.0


# ------------------------------------------------------------ structure

def test_broadcasting_and_matrices(monkeypatch):
    weights = np.array([0.5, -1.0, 2.0, 0.25])

    def f(a):                                   # a: (3, 4)
        column = a[:, :1]                       # (3, 1) broadcast against (3, 4)
        return np.sum(np.exp(a * 0.3) * weights) + np.sum(column * a ** 2) - np.mean(a.T * a.T)

    a = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    got = compiled(f, a)
    assert got[1].shape == (3, 4) and got[2].shape == (3, 4, 3, 4)
    assert_same(got, object_path(f, a, monkeypatch))


def test_shape_methods(monkeypatch):
    def f(v):
        m = v.reshape(2, 3)
        total = np.sum(np.sin(m.T) * np.arange(1.0, 7.0).reshape(3, 2))
        total = total + np.sum(np.reshape(m, (3, 2))[1:] ** 3) + m.ravel()[4] * m.flatten()[0]
        for row in m:                            # iteration gives rows
            total = total + np.sum(row) ** 2 / len(row)
        return total + np.transpose(m, (1, 0))[2, 1] * np.ravel(m)[1] + m.transpose()[0, 1]

    v = np.linspace(0.2, 1.2, 6)
    assert_same(compiled(f, v), object_path(f, v, monkeypatch))


def test_scalar_style_and_array_code_mix(monkeypatch):
    """Indexing gives scalar Dual2s, which combine with the array both ways."""
    def f(v):
        s = v[0] * v[2]                          # a Dual2 of all variables
        return (np.sum(s * np.cos(v) + v / s) + dn.atan2(s, v[1]) + np.sum(dn.atan2(v, s))
                + np.sum(s ** v) + np.sum(v ** s) + np.sum(2.0 ** v))

    v = np.array([0.7, 1.3, 0.9, 1.1])
    assert_same(compiled(f, v), object_path(f, v, monkeypatch))


def test_shared_and_repeated_variables(monkeypatch):
    """x * sin(x) shares its entries; sums of shifted slices repeat variables
    within a row until the rows are merged (wider than 8 entries)."""
    def f(v):
        shared = np.sum(v * np.sin(v) + np.exp(v) / (1 + v * v))
        product = v[0:-9] * 1.0
        for k in range(1, 10):                   # 10 variables per element
            product = product * v[k:len(v) - 9 + k]
        repeated = (v[:-1] + v[1:]) * (v[:-1] - v[1:]) * (v[1:] + 2 * v[:-1])
        return shared + np.sum(product) + np.sum(repeated ** 2)

    v = np.linspace(0.5, 1.5, 14)
    got = compiled(f, v)
    assert_same(got, object_path(f, v, monkeypatch), rtol=1e-12, atol=1e-12)


def test_against_finite_differences_of_the_gradient():
    def f(v):
        return np.sum(np.log1p(v ** 2) * np.tanh(v[::-1])) + np.sum(v[1:] * v[:-1]) ** 2

    v = np.linspace(-0.8, 0.9, 7)
    hess = compiled(f, v)[2]
    step = 1e-6
    for j in range(v.size):
        e = np.zeros(v.size)
        e[j] = step
        column = (dn.gradient(f, v + e) - dn.gradient(f, v - e)) / (2 * step)
        np.testing.assert_allclose(hess[:, j], column, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("n", [1, 2, 33, 500])
def test_banded_rosenbrock_at_many_sizes(n):
    x = np.cos(np.arange(n, dtype=float))
    value, grad, hess = compiled(rosenbrock, x)
    np.testing.assert_allclose(hess, rosenbrock_hessian(x), rtol=1e-14, atol=1e-11)
    assert value == rosenbrock(x)


def test_vector_products(monkeypatch):
    c = np.array([0.5, -2.0, 1.5])

    def f(v):
        s = v @ v + np.dot(v, c) * np.inner(c, np.sin(v)) + c @ v
        return s + np.matmul(np.exp(v), v) + v[0] * (v @ v)

    v = np.array([0.3, 0.8, 1.4])
    assert_same(compiled(f, v), object_path(f, v, monkeypatch))
    # constant operands as lists, and shapes that do not align
    np.testing.assert_allclose(compiled(lambda w: np.sum(np.dot([[1.0, 2.0, 3.0]], w) ** 2), v)[2],
                               2 * np.outer([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="align"):
        dn.hessian(lambda w: np.sum(np.dot(w, np.ones((2, 2)))), v)
    # vdot (object arrays of Dual2s lack conjugate): the sum of cubes, and on
    # matrices the sum of products of the flattened operands
    np.testing.assert_allclose(compiled(lambda w: np.vdot(w ** 2, w), v)[2], np.diag(6 * v))
    m = np.array([[0.3, 0.8], [1.4, -0.6]])
    weights = np.array([[1.0, 2.0], [3.0, 4.0]])
    hess = compiled(lambda w: np.vdot(w, w * weights), m)[2]
    np.testing.assert_array_equal(hess.reshape(4, 4), np.diag(2 * weights.reshape(-1)))


def test_integer_and_float32_points():
    f = lambda v: np.sum(v ** 3)
    np.testing.assert_array_equal(compiled(f, np.array([1, 2]))[2], [[6.0, 0.0], [0.0, 12.0]])
    np.testing.assert_array_equal(compiled(f, np.array([1, 2], dtype=np.float32))[2],
                                  [[6.0, 0.0], [0.0, 12.0]])


# ------------------------------------------------------------ numpy functions

C = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])

COMPILED_FUNCTIONS = {
    "matrix @ vector": lambda m: np.sum(np.sin(C @ m[0]) * (m[1] @ m.T)),
    "vector @ matrix": lambda m: np.sum(np.exp(m[0] @ m.T) + np.dot(m[1], C.T) ** 2),
    "matrix @ matrix": lambda m: np.sum((m.T @ m) ** 2) + np.sum(np.dot(C.T, m) ** 2),
    "inner": lambda m: (np.sum(np.inner(m, C) ** 2) + np.sum(np.inner(C, np.exp(m)))
                        + np.sum(np.inner(m, m[0]))),
    "norm": lambda m: np.linalg.norm(m) ** 3 + np.linalg.norm(m[0]) * m[1, 1],
    "where": lambda m: np.sum(np.where(m > 0.5, m ** 2, np.cos(m))
                              + np.where(m < 1, 3.0, m * m[0, 0])),
    "cumsum": lambda m: (np.sum(np.cumsum(m) ** 2) + np.sum(np.cumsum(m, axis=0) ** 3)
                         + np.sum(np.sin(np.cumsum(m * m, axis=1)))),
    "sum and mean over axes": lambda m: (
        np.sum(np.sum(m * m, axis=0) ** 2) + np.sum(np.exp(m).sum(axis=-1) * m[:, 0])
        + np.sum(np.mean(m ** 3, axis=1, keepdims=True) * m)
        + np.sum(m, axis=(0, 1)) ** 2 + np.sum(np.mean(np.sin(m), axis=0) ** 2)),
    "concatenate and stack": lambda m: (
        np.sum(np.concatenate([m[0], m[1] ** 2, [1.0, 2.0]]) ** 3)
        + np.sum(np.concatenate([m, np.exp(m)], axis=1) ** 2 * np.arange(6.0))
        + np.sum(np.stack([m[0], 2 * m[1]], axis=1) ** 3)
        + np.sum(np.concatenate([m, m], axis=None)[::2] ** 2)),
    "diff and clip": lambda m: (np.sum(np.diff(m, axis=1) ** 3)
                                + np.sum(np.diff(m[0] ** 2, n=2) ** 2)
                                + np.sum(np.clip(m, 0.4, 1.2) ** 3)),
    "max, min and sort": lambda m: (
        np.max(m) ** 3 + np.sum(np.min(m, axis=0) ** 2) + np.sum(m.max(axis=1, keepdims=True) * m)
        + np.sum(np.sort(m, axis=1) ** 2 * np.arange(3.0)) + np.sum(np.sort(m, axis=None)[::2] ** 3)
        + m.min() * np.sum(np.sort(-m, axis=0)[0] ** 3)),
    "square, reciprocal, positive": lambda m: np.sum(
        np.square(m) * np.reciprocal(m) + np.positive(m) ** 3),
    "outer": lambda m: np.sum(np.outer(m, m[0]) ** 2),
    "prod": lambda m: (np.prod(m) + np.sum(np.prod(m, axis=0) ** 2)
                       + np.sum(m.prod(axis=1, keepdims=True) * m)),
}


def test_rint_conjugate_and_logical_ufuncs_stay_compiled():
    # rint has derivative 0, a real array is its own conjugate, logical_and reads values:
    # the same as the function written without them
    m = np.array([[0.3, 0.8, 1.4], [0.6, 1.1, 0.45]])
    inside = np.logical_and(m > 0.5, m < 1.2)
    got = compiled(lambda v: np.sum(np.rint(3 * v) * v + np.conjugate(v) ** 3
                                    + np.where(np.logical_and(v > 0.5, v < 1.2), v * v, v)), m)
    expected = dn.value_gradient_and_hessian(
        lambda v: np.sum(np.rint(3 * m) * v + v ** 3 + np.where(inside, v * v, v)), m)
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(COMPILED_FUNCTIONS))
def test_numpy_functions_stay_compiled(name, monkeypatch):
    f = COMPILED_FUNCTIONS[name]
    m = np.array([[0.3, 0.8, 1.4], [0.6, 1.1, 0.45]])
    got = compiled(f, m)
    assert got[2].shape == (2, 3, 2, 3)
    assert_same(got, object_path(f, m, monkeypatch), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("f", [
    lambda v: np.sum(np.pad(v, 1, mode="minimum") ** 2),
    lambda v: np.add.reduce(v * v, dtype=object),    # (ufunc methods are compiled)
    lambda v: np.asarray(v).sum() ** 2,
    lambda v: np.sum(np.intersect1d(v, v[::-1]) * v ** 2),
    lambda v: np.sum(v.copy() ** 2),
    lambda v: np.einsum("i,i", v, v),
    lambda v: np.sum(np.pad(v, 1, mode="maximum") * v[0]),
], ids=["pad_minimum", "reduce", "asarray", "intersect1d", "copy", "einsum", "pad_maximum"])
def test_uncovered_numpy_falls_back_to_object_arrays(f, monkeypatch):
    v = np.array([0.3, 0.8, 1.4])
    wrapper, calls = counted(f)
    got = dn.value_gradient_and_hessian(wrapper, v)
    # declined, then objects
    assert calls[0] is _hessian_array.Dual2Array and issubclass(calls[1], np.ndarray)
    assert_same(got, object_path(f, v, monkeypatch))


# ------------------------------------------------------------ hvp

def hvp_compiled(f, x, v):
    wrapper, calls = counted(f)
    result = dn.value_gradient_and_hvp(wrapper, x, v)
    assert calls == [_hessian_array.Dual2Array], "the compiled path declined"
    return result


@pytest.mark.parametrize("name", list(COMPILED_FUNCTIONS))
def test_hvp_is_the_compiled_hessian_times_v(name):
    f = COMPILED_FUNCTIONS[name]
    m = np.array([[0.3, 0.8, 1.4], [0.6, 1.1, 0.45]])
    v = np.array([[1.0, -0.5, 0.25], [2.0, 0.0, -1.5]])
    value, grad, hess = compiled(f, m)
    if name == "where":          # an element times the array: the object path
        got_value, got_grad, product = dn.value_gradient_and_hvp(f, m, v)
    else:
        got_value, got_grad, product = hvp_compiled(f, m, v)
    assert got_value == pytest.approx(value, rel=1e-15)
    np.testing.assert_allclose(got_grad, grad, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(product, (hess.reshape(6, 6) @ v.reshape(6)).reshape(2, 3),
                               rtol=1e-12, atol=1e-12)


def test_hvp_of_a_large_banded_function():
    n = 20000                                       # H would take 3.2 GB
    x = np.cos(np.arange(n, dtype=float))
    v = np.sin(np.arange(n, dtype=float))
    _, _, product = hvp_compiled(rosenbrock, x, v)
    want = np.zeros(n)
    want[:-1] += (1200 * x[:-1] ** 2 - 400 * x[1:] + 2) * v[:-1] - 400 * x[:-1] * v[1:]
    want[1:] += 200 * v[1:] - 400 * x[:-1] * v[:-1]
    np.testing.assert_allclose(product, want, rtol=1e-13, atol=1e-9)


def test_hvp_elements_with_the_array_fall_back(monkeypatch):
    """An element of an hvp argument carries H v, not what the array needs:
    f is evaluated again on object arrays, with the same result."""
    f = lambda w: np.sum(w[0] * np.sin(w) * w) + np.sum(w ** 3) * w[2] ** 2
    x, v = np.array([0.4, 1.2, -0.7]), np.array([1.0, 2.0, -1.0])
    wrapper, calls = counted(f)
    got = dn.value_gradient_and_hvp(wrapper, x, v)
    assert calls[0] is _hessian_array.Dual2Array and issubclass(calls[1], np.ndarray)
    hess = compiled(f, x)[2]
    np.testing.assert_allclose(got[2], hess @ v, rtol=1e-13, atol=1e-13)


def test_assignment_is_compiled():
    def f(v):
        w = v * 1.0
        w[0] = v[1] ** 2
        return np.sum(w * w)

    wrapper, calls = counted(f)
    h = dn.hessian(wrapper, [1.0, 2.0])
    assert calls == [_hessian_array.Dual2Array]
    np.testing.assert_array_equal(h, [[0.0, 0.0], [0.0, 2 + 12 * 4.0]])


# ------------------------------------------------------------ numpy semantics and errors

def test_invalid_values_warn_as_numpy_does():
    with pytest.warns(RuntimeWarning, match="invalid value"):
        value, grad, _ = compiled(lambda v: np.sum(np.log(v)), np.array([1.0, -1.0]))
    assert math.isnan(value)
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        value = compiled(lambda v: np.sum(1.0 / (v - 1.0)), np.array([1.0, 2.0]))[0]
    assert value == math.inf
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("error")
        assert math.isnan(compiled(lambda v: np.sum(np.sqrt(v)), np.array([-1.0, 2.0]))[0])


def test_comparisons_give_plain_arrays():
    seen = {}

    def f(v):
        seen["less"] = v < 1.0
        seen["isfinite"] = np.isfinite(v)
        seen["equal"] = v == v[::-1]
        return np.sum(v * v)

    compiled(f, np.array([0.5, 1.5]))
    assert seen["less"].tolist() == [True, False]
    assert seen["isfinite"].tolist() == [True, True]
    assert seen["equal"].tolist() == [False, False]


def test_errors_and_foreign_numbers():
    with pytest.raises(ValueError, match="real number"):
        dn.hessian(lambda v: np.sin(v), [1.0, 2.0])
    with pytest.raises(TypeError, match="index"):
        dn.hessian(lambda v: np.sum(v[v]), [1.0, 2.0])
    # numbers of an enclosing call: the nested path, still exact
    got = dn.derivative(lambda a: dn.hessian(lambda v: np.sum(a * v ** 3), [1.0, 2.0])[1, 1], 1.5)
    assert got == 12.0
    # a Dual2 meeting the array from the other side
    x = Dual2(2.0, [1.0])
    with pytest.raises(ValueError, match="variables|different"):
        dn.hessian(lambda v: np.sum(v * x), [1.0, 2.0])


# ------------------------------------------------------------ the numpy corpus

# the scalar functions of tests/test_numpy_corpus.py
CORPUS = numpy_corpus.SCALAR_CASES


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_numpy_corpus_hessians_against_differences_of_the_gradient(case):
    x = np.asarray(case.x, dtype=float)
    n, step = x.size, 1e-6
    hess = dn.hessian(case.f, x).reshape(n, n)
    differences = np.zeros((n, n))
    for j in range(n):
        e = np.zeros(n)
        e[j] = step
        up = dn.gradient(case.f, (x.reshape(-1) + e).reshape(x.shape)).reshape(-1)
        down = dn.gradient(case.f, (x.reshape(-1) - e).reshape(x.shape)).reshape(-1)
        differences[:, j] = (up - down) / (2 * step)
    scale = max(1.0, float(np.max(np.abs(differences))))
    np.testing.assert_allclose(hess, differences, rtol=1e-6, atol=1e-6 * scale)
    assert np.array_equal(hess, hess.T)


# ------------------------------------------------------------ moves both orders share

def _moves_of_elements(x):
    """where, stack, concatenate, sort, max, reshape and transpose (the moves
    of dualnum/_array_functions.py), with a constant and a Dual operand."""
    grid = x.reshape(2, 3).T.reshape(-1)
    chosen = np.where(np.array([True, False, True, False, True, False]), grid * grid, np.sin(x))
    joined = np.concatenate([chosen[:4], x[1] * x[2:4], np.array([0.5])])
    stacked = np.stack([joined[:3], joined[3:6], 2.0 * joined[4:7]], axis=1)
    return (np.sum(np.sort(stacked, axis=0)[::-1] * np.arange(1.0, 10.0).reshape(3, 3))
            + np.max(stacked.T, axis=1)[0] ** 2 + np.transpose(stacked)[2, 1] * x[0])


def test_the_shared_moves_agree_between_the_orders_and_with_scalar_dual2s(monkeypatch):
    x = np.array([0.3, -1.2, 0.8, 1.7, -0.4, 2.1])
    value, gradient, hessian = compiled(_moves_of_elements, x)
    # the first-order array (DualArray) runs the same moves for the gradient
    np.testing.assert_allclose(gradient, dn.gradient(_moves_of_elements, x), rtol=1e-14, atol=1e-14)
    assert_same((value, gradient, hessian), object_path(_moves_of_elements, x, monkeypatch))
