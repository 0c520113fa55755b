"""numpy's ufunc methods (reduce, accumulate, reduceat, outer, at) on both
array orders (dualnum/_ufunc_methods.py), and the rows fmax, fmin,
logaddexp2 and heaviside at their edges.

References: central differences of numpy's own method on floats (first
order: the Jacobian of dense and of sparse tangents; second order: the
compiled array's Hessian against differences of the gradient), np.max's
derivative for ties, mpmath for the Taylor kernels of any order.
"""
import math

import mpmath
import numpy as np
import pytest

import dualnum as dn
from dualnum import _hessian_array
from dualnum._array import seed_sparse
from dualnum._table import ROWS

BINARY = sorted({row.ufunc.__name__ for row in ROWS if row.arity == 2 and row.ufunc is not None})
ASSOCIATIVE = {"add", "multiply", "maximum", "minimum", "fmax", "fmin", "logaddexp",
               "logaddexp2", "hypot"}
RNG = np.random.default_rng(15)
# distinct values in [1.1, 1.9]: every row is smooth along a reduction of them
# (powers of positive bases, quotients away from jumps, no ties)
POINT = np.array([[1.13, 1.72, 1.41, 1.58], [1.86, 1.27, 1.64, 1.19], [1.35, 1.51, 1.77, 1.22]])


def differences(f, x, h=1e-6):
    """Central differences of a float function f at x: shape f(x).shape + x.shape."""
    x = np.asarray(x, dtype=float)
    columns = []
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        up = np.asarray(f(x + step.reshape(x.shape)), dtype=float)
        down = np.asarray(f(x - step.reshape(x.shape)), dtype=float)
        columns.append((up - down) / (2 * h))
    return np.stack(columns, axis=-1).reshape(np.shape(columns[0]) + x.shape)


def sparse_jacobian(f, x):
    """The Jacobian of f from one evaluation on sparse tangent rows."""
    seeded = seed_sparse(np.asarray(x, dtype=float), 99)
    assert seeded.sparse_tangent is not None
    result = f(seeded)
    if isinstance(result, dn.Dual):
        return np.array(result.partials).reshape(np.shape(x))
    return result.tangent.reshape(result.shape + np.shape(x))


def compiled_hessian(f, x):
    """hessian of f, asserting that it ran once, on the compiled array."""
    calls = []

    def counted(v):
        calls.append(type(v))
        return f(v)
    hess = dn.hessian(counted, x)
    assert calls == [_hessian_array.Dual2Array], "the compiled path declined"
    return hess


def check(float_f, x, rtol=1e-6, atol=1e-7):
    """float_f's derivatives on dual numbers: Jacobian (dense and sparse),
    Hessian of a weighted sum (compiled), against central differences; the
    Hessian-vector product against that Hessian."""
    x = np.array(x, dtype=float)             # a copy: f may change its argument in place
    want = differences(float_f, x)
    np.testing.assert_allclose(dn.jacobian(float_f, x), want, rtol=rtol, atol=atol)
    np.testing.assert_allclose(sparse_jacobian(float_f, x), want, rtol=rtol, atol=atol)
    weights = RNG.uniform(0.5, 1.5, np.shape(float_f(x.copy())))

    def scalar(v):
        return np.sum(float_f(v) * weights)
    hess = compiled_hessian(scalar, x)
    grad_differences = differences(lambda v: dn.gradient(scalar, v), x, 1e-5)
    np.testing.assert_allclose(hess, grad_differences, rtol=1e-5, atol=1e-6)
    direction = RNG.uniform(-1.0, 1.0, x.shape)
    np.testing.assert_allclose(dn.hvp(scalar, x, direction),
                               (hess.reshape(x.size, x.size) @ direction.ravel()).reshape(x.shape),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dn.gradient(scalar, x), differences(scalar, x), rtol=rtol, atol=atol)


# ------------------------------------------------------------ reduce

def reduce_axes(name):
    if name in ASSOCIATIVE:
        return [0, 1, -1, None, (0, 1), (1, 0)]
    return [0, 1, -1]                  # numpy: at most one axis for the others


@pytest.mark.parametrize("name", BINARY)
def test_reduce_every_row_every_axis(name):
    ufunc = getattr(np, name)
    for axis in reduce_axes(name):
        for keepdims in (False, True):
            check(lambda v: ufunc.reduce(v, axis=axis, keepdims=keepdims), POINT)
    check(lambda v: ufunc.reduce(v), POINT[0])                  # 1-d: a scalar


@pytest.mark.parametrize("name", BINARY)
def test_reduce_with_initial_and_where(name):
    ufunc = getattr(np, name)
    where = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])
    initial = 1.47
    check(lambda v: ufunc.reduce(v, axis=0, initial=initial), POINT)
    check(lambda v: ufunc.reduce(v, axis=1, initial=initial, where=where), POINT)
    if ufunc.identity is not None:
        check(lambda v: ufunc.reduce(v, axis=0, where=where), POINT)


def test_reduce_matches_numpy_values_and_empty_lines():
    x = POINT
    for name in BINARY:
        ufunc = getattr(np, name)
        assert np.allclose(ufunc.reduce(dn.DualArray(x, np.ones(x.shape + (1,))), axis=1).value,
                           ufunc.reduce(x, axis=1), rtol=1e-14)
    empty = np.zeros((0, 3))
    for name in ("add", "multiply", "logaddexp", "hypot"):
        ufunc = getattr(np, name)
        value, jac = dn.value_and_jacobian(lambda v: ufunc.reduce(v, axis=0), empty)
        assert np.array_equal(value, ufunc.reduce(empty, axis=0)) and jac.shape == (3, 0, 3)
    with pytest.raises(ValueError, match="identity"):
        dn.gradient(lambda v: np.sum(np.maximum.reduce(v, axis=0)), empty)
    with pytest.raises(ValueError, match="reorderable"):
        dn.gradient(lambda v: np.subtract.reduce(v, axis=None), POINT)


@pytest.mark.parametrize("name, reducer", [("maximum", np.max), ("minimum", np.min),
                                           ("fmax", np.max), ("fmin", np.min)])
def test_extremum_reduce_ties_as_np_max(name, reducer):
    """At a tie the first element takes the derivative, as np.max gives it."""
    ufunc = getattr(np, name)
    x = np.array([[1.0, 3.0, 3.0, 0.5], [2.0, 2.0, -1.0, 2.0]])
    for axis in (None, 0, 1):
        got = dn.jacobian(lambda v: ufunc.reduce(v, axis=axis), x)
        assert np.array_equal(got, dn.jacobian(lambda v: reducer(v, axis=axis), x))
        assert np.array_equal(sparse_jacobian(lambda v: ufunc.reduce(v, axis=axis), x), got)
        hess_grad = dn.value_gradient_and_hessian(lambda v: np.sum(ufunc.reduce(v, axis=axis)), x)[1]
        assert np.array_equal(hess_grad, got.reshape(-1, x.size).sum(axis=0).reshape(x.shape))
    # initial comes first: at a tie it wins, with derivative 0
    top = 3.0 if name in ("maximum", "fmax") else -1.0
    grad = dn.gradient(lambda v: ufunc.reduce(v, axis=None, initial=top), x)
    assert np.array_equal(grad, np.zeros_like(x))


def test_nan_in_extremum_reductions():
    x = np.array([1.0, np.nan, 4.0, 2.0])
    g = dn.gradient(lambda v: np.maximum.reduce(v), x)
    assert np.array_equal(g, [0.0, 1.0, 0.0, 0.0])             # the nan propagates, with its slope
    g = dn.gradient(lambda v: np.fmax.reduce(v), x)
    assert np.array_equal(g, [0.0, 0.0, 1.0, 0.0])             # fmax ignores it
    value, g = dn.value_and_gradient(lambda v: np.fmin.reduce(v), np.array([np.nan, np.nan]))
    assert math.isnan(value) and np.array_equal(g, [1.0, 0.0])


def test_logaddexp_reduce_is_the_softmax():
    x = np.array([0.3, -1.2, 2.5, 0.9])
    weights = np.exp(x) / np.sum(np.exp(x))
    for name, scale in (("logaddexp", 1.0), ("logaddexp2", math.log(2))):
        g = dn.gradient(lambda v: getattr(np, name).reduce(v), x)
        np.testing.assert_allclose(g, np.exp(scale * x) / np.sum(np.exp(scale * x)), rtol=1e-14)
    np.testing.assert_allclose(dn.gradient(lambda v: np.logaddexp.reduce(v), x), weights, rtol=1e-14)
    # -inf entries weigh nothing; all -inf: -inf, derivative 0
    g = dn.gradient(lambda v: np.logaddexp.reduce(v), np.array([-np.inf, 0.0, 0.0]))
    np.testing.assert_allclose(g, [0.0, 0.5, 0.5], rtol=1e-15)
    value, g = dn.value_and_gradient(lambda v: np.logaddexp.reduce(v), np.array([-np.inf, -np.inf]))
    assert value == -np.inf and np.array_equal(g, [0.0, 0.0])


def test_multiply_reduce_exact_with_zeros():
    x = np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 5.0]])
    jac = dn.jacobian(lambda v: np.multiply.reduce(v, axis=1), x)
    assert np.array_equal(jac[0], [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0]])
    assert np.array_equal(jac[1], np.zeros((2, 3)))
    hess = compiled_hessian(lambda v: np.multiply.reduce(v, axis=1)[0], x)
    assert hess[0, 0, 0, 1] == 3.0 and hess[0, 1, 0, 2] == 2.0 and hess[0, 0, 0, 2] == 0.0


# ------------------------------------------------------------ accumulate, reduceat, outer

@pytest.mark.parametrize("name", BINARY)
def test_accumulate_every_row(name):
    ufunc = getattr(np, name)
    for axis in (0, 1, -1):
        check(lambda v: ufunc.accumulate(v, axis=axis), POINT)
    check(lambda v: ufunc.accumulate(v), POINT[1])


@pytest.mark.parametrize("name", ["maximum", "minimum", "fmax", "fmin"])
def test_extremum_accumulate_first_of_ties(name):
    ufunc = getattr(np, name)
    x = np.array([1.0, 3.0, 3.0, 0.5, 3.0, 4.0])
    jac = dn.jacobian(lambda v: ufunc.accumulate(v), x)
    first = [np.argmax(x[:i + 1]) if "max" in name else np.argmin(x[:i + 1]) for i in range(len(x))]
    assert np.array_equal(jac, np.eye(len(x))[first])


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "subtract", "logaddexp", "power"])
def test_reduceat(name):
    ufunc = getattr(np, name)
    for indices in ([0, 2, 3], [1, 1, 3, 2]):
        check(lambda v: ufunc.reduceat(v, indices, axis=1), POINT)
    check(lambda v: ufunc.reduceat(v, [0, 2]), POINT[2])


@pytest.mark.parametrize("name", BINARY)
def test_outer_every_row(name):
    ufunc = getattr(np, name)
    check(lambda v: ufunc.outer(v[:2], v[2:]), POINT[0])
    check(lambda v: ufunc.outer(v[0], v[1:, :2]), POINT)
    check(lambda v: ufunc.outer(v, np.array([1.3, 1.6])), POINT[1])
    check(lambda v: ufunc.outer(np.array([1.3, 1.6]), v), POINT[1])


# ------------------------------------------------------------ at

def at_float(ufunc, indices, with_operand=True):
    """f(v) = ufunc.at on a copy of v's first part, operand from its second part."""
    def f(v):
        head, operand = v[:5] * 1.0, v[5:]
        if with_operand:
            ufunc.at(head, indices, operand)
        else:
            ufunc.at(head, indices)
        return head
    return f


REPEATED = np.array([0, 2, 0, 4, 0, 2])


@pytest.mark.parametrize("name", BINARY)
def test_at_repeated_indices_every_binary_row(name):
    ufunc = getattr(np, name)
    x = np.concatenate([POINT[0, :], [1.37], POINT[1, :], POINT[2, :2]])[:11]
    check(at_float(ufunc, REPEATED), x)
    check(at_float(ufunc, (slice(1, 4),)), x[:8])


def defined_twice(f):
    """Points where f(f(x)) is finite: in [0.3, 0.7], [0.56, 0.96], [1.6, 2.0] or [3.1, 3.5]."""
    for low in (0.3, 0.56, 1.6, 3.1):
        x = low + np.array([0.01, 0.17, 0.22, 0.36, 0.08])
        with np.errstate(all="ignore"):
            if np.isfinite(f(f(x))).all():
                return x
    raise AssertionError("no point")


@pytest.mark.parametrize("row", [r for r in ROWS if r.arity == 1 and r.ufunc is not None],
                         ids=lambda r: r.name)
def test_at_repeated_indices_unary_rows(row):
    x = defined_twice(row.ufunc)
    check(at_float(row.ufunc, [1, 3, 1], with_operand=False), x)


def test_at_applies_repeats_in_order():
    x = np.array([1.5, 2.0, 3.0])
    value, jac = dn.value_and_jacobian(at_float(np.power, [0, 0]), np.array([1.5, 2.0, 3.0, 0.7, 0.9,
                                                                            1.1]))
    expected = np.array([1.5, 2.0, 3.0, 0.7, 0.9])
    np.power.at(expected, [0, 0], np.array([1.1]))
    assert np.allclose(value, expected) and np.isfinite(jac).all()
    # a 2-d array, tuple indices, a scalar dual operand
    def f(v):
        m = v.reshape(2, 3) * 1.0
        np.multiply.at(m, (np.array([0, 1, 0]), np.array([2, 0, 2])), v[1])
        return m
    check(f, x.tolist() + [0.8, 1.2, 1.7])


def test_at_writes_into_the_array_in_place():
    x = dn.DualArray([1.0, 2.0, 3.0], np.eye(3))
    tangent_before = x.tangent.copy()
    assert np.add.at(x, [0, 0, 2], 1.0) is None
    assert np.array_equal(x.value, [3.0, 2.0, 4.0])
    assert np.array_equal(x.tangent, tangent_before)


@pytest.mark.parametrize("name", ["logaddexp", "copysign", "heaviside", "maximum", "subtract",
                                  "multiply"])
def test_methods_in_nested_calls(name):
    """Inner calls whose arrays hold numbers of the outer call (numpy's object
    loops, or element by element where a row has none)."""
    ufunc = getattr(np, name)

    def f(v):
        inner = lambda w: (np.sum(ufunc.accumulate(w * v[0])) + ufunc.reduce(w + v)
                           + np.sum(ufunc.outer(w, v[:2])))
        return dn.gradient(inner, v)
    x = POINT[0, :3]
    np.testing.assert_allclose(dn.jacobian(f, x), differences(f, x), rtol=1e-6, atol=1e-7)


def test_at_on_the_argument_itself():
    """f changes its argument in place after using it: earlier results keep
    the old values (also while operations are recorded)."""
    def f(v):
        before = v * v
        np.multiply.at(v, [0, 2, 0], v[1] * 1.0)
        return before + np.sin(v)
    point = POINT[0].copy()
    check(f, point)
    assert np.array_equal(point, POINT[0])                     # dualnum works on copies


# ------------------------------------------------------------ out= and refusals

def test_out_into_a_dual_array_both_orders():
    def f(v):
        out = v[0] * 0.0
        result = np.add.reduce(v, axis=0, out=out)
        assert result is out
        np.multiply.accumulate(v[1], out=out)
        return out * v[2]
    check(f, POINT)
    check(lambda v: np.maximum.outer(v[0, :2], v[1, :2], out=v[1:, :2] * 1.0), POINT)


def test_refused_options_name_themselves():
    x = dn.DualArray(POINT, np.ones(POINT.shape + (1,)))
    with pytest.raises(TypeError, match="dtype"):
        np.add.reduce(x, dtype=np.float32)
    with pytest.raises(TypeError, match="where"):
        np.add.outer(x, x, where=False)
    with pytest.raises(TypeError, match="numpy.equal.reduce"):
        np.equal.reduce(x)
    with pytest.raises(TypeError, match="out= a ndarray"):
        np.add.reduce(x, axis=0, out=np.zeros(4))
    with pytest.raises(TypeError, match="numpy.add.at of a ndarray"):
        np.add.at(np.zeros(3), [0], x[0, :1])
    # the second order declines them: hessian then uses its object arrays
    calls = []

    def f(v):
        calls.append(type(v))
        return np.sum(np.add.reduce(v, axis=0, dtype=np.float32) * 1.0)
    with pytest.raises(TypeError):
        dn.hessian(f, POINT)
    assert calls[0] is _hessian_array.Dual2Array


# ------------------------------------------------------------ the new rows at their edges

NAN, INF = math.nan, math.inf


def first_and_second(f, a, b):
    """(value, gradient, Hessian) of f at (a, b) from Dual2, and the gradient from Dual."""
    d = f(dn.Dual(a, (1.0, 0.0)), dn.Dual(b, (0.0, 1.0)))
    d2 = f(dn.Dual2(a, [1.0, 0.0]), dn.Dual2(b, [0.0, 1.0]))
    assert np.array_equal(d.partials, d2.gradient, equal_nan=True)
    return d2.value, np.array(d.partials), d2.hessian


@pytest.mark.parametrize("name, a, b, value, grad", [
    ("fmax", 2.0, 2.0, 2.0, [0.5, 0.5]), ("fmin", 2.0, 2.0, 2.0, [0.5, 0.5]),
    ("fmax", NAN, 1.5, 1.5, [0.0, 1.0]), ("fmax", 1.5, NAN, 1.5, [1.0, 0.0]),
    ("fmin", NAN, 1.5, 1.5, [0.0, 1.0]), ("fmin", -INF, 1.5, -INF, [1.0, 0.0]),
    ("fmax", INF, 1.5, INF, [1.0, 0.0]), ("fmax", NAN, NAN, NAN, [NAN, NAN]),
    ("logaddexp2", 3.0, 3.0, 4.0, [0.5, 0.5]), ("logaddexp2", -INF, 1.0, 1.0, [0.0, 1.0]),
    ("logaddexp2", -INF, -INF, -INF, [0.5, 0.5]), ("logaddexp2", INF, 2.0, INF, [1.0, 0.0]),
    ("heaviside", 0.0, 0.3, 0.3, [0.0, 1.0]), ("heaviside", -0.0, 0.7, 0.7, [0.0, 1.0]),
    ("heaviside", -2.0, 0.3, 0.0, [0.0, 0.0]), ("heaviside", 2.0, 0.3, 1.0, [0.0, 0.0]),
    ("heaviside", NAN, 0.3, NAN, [0.0, 0.0]), ("heaviside", INF, 0.3, 1.0, [0.0, 0.0]),
])
def test_new_rows_at_edges(name, a, b, value, grad):
    f = getattr(dn, name)
    got_value, got_grad, hess = first_and_second(f, a, b)
    assert np.array_equal([got_value], [value], equal_nan=True)
    assert np.array_equal(np.asarray(getattr(np, name)(a, b)), np.asarray(value), equal_nan=True)
    assert np.array_equal(got_grad, grad, equal_nan=True)
    if name != "logaddexp2" and not math.isnan(value):
        assert np.array_equal(hess, np.zeros((2, 2)))            # piecewise linear
    # numpy's ufunc on both array orders, and nested calls
    arrays = dn.jacobian(lambda v: getattr(np, name)(v[:1], v[1:]), np.array([a, b]))
    assert np.array_equal(arrays[0], grad, equal_nan=True)
    if not math.isnan(value) and math.isfinite(a) and math.isfinite(b):
        h = compiled_hessian(lambda v: np.sum(getattr(np, name)(v[:1], v[1:])), np.array([a, b]))
        np.testing.assert_allclose(h, hess, rtol=1e-14, atol=1e-15)
        nested = dn.gradient(lambda v: dn.derivative(lambda t: f(v[0] + t, v[1]), 0.0), [a, b])
        np.testing.assert_allclose(nested, hess[0], rtol=1e-14, atol=1e-15)


def mp_logaddexp2(a, b):
    return mpmath.log(mpmath.power(2, a) + mpmath.power(2, b), 2)


@pytest.mark.parametrize("a, b, slope", [(0.3, -1.2, 0.7), (5.0, 4.0, -1.5), (-30.0, 2.0, 0.5),
                                         (1.0, 1.0, 2.0)])
def test_logaddexp2_taylor_every_order(a, b, slope):
    """Jets of order 8 along (a + t, b + slope t) against mpmath's derivatives."""
    jet = dn.logaddexp2(dn.Jet([a, 1.0] + [0.0] * 7), dn.Jet([b, slope] + [0.0] * 7))
    with mpmath.workdps(40):
        want = [mpmath.diff(lambda t: mp_logaddexp2(a + t, b + slope * t), 0, k) for k in range(9)]
    np.testing.assert_allclose(jet.derivatives, [float(w) for w in want], rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("name", ["fmax", "fmin", "heaviside"])
def test_piecewise_rows_taylor_every_order(name):
    """Linear near the point: the first coefficient is the rule's, the rest 0."""
    f = getattr(dn, name)
    for a, b, da, db in [(1.2, 0.4, 1.0, 0.0), (0.4, 1.2, 0.0, 1.0), (0.0, 0.5, 0.0, 1.0)]:
        if name == "fmin":
            da, db = db, da
        if name == "heaviside":
            da, db = 0.0, (1.0 if a == 0.0 else 0.0)
        jet = f(dn.Jet([a, 1.0, 0.5, -0.25, 2.0]), dn.Jet([b, 2.0, 1.0, 0.0, -1.0]))
        expected = da * np.array([1.0, 0.5, -0.25, 2.0]) + db * np.array([2.0, 1.0, 0.0, -1.0])
        np.testing.assert_allclose(jet.coefficients[1:], expected, rtol=1e-15, atol=0)
