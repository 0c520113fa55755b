"""Nested differentiation: perturbation confusion never happens.

References: the Taylor-mode derivatives (dualnum.derivatives, tested against
mpmath in test_taylor.py), hessian (tested in test_hessian.py) and analytic
values.
"""
import math

import numpy as np
import pytest

import dualnum as dn
from dualnum.nesting import Nested


def test_the_classic_perturbation_confusion_case():
    # d/dx [x * d/dy (x + y)] = d/dx [x] = 1; confusing the perturbations gives 2
    assert dn.derivative(lambda x: x * dn.derivative(lambda y: x + y, 1.0), 1.0) == 1.0
    assert dn.derivative(lambda x: dn.derivative(lambda y: x * y, 2.0), 3.0) == 1.0
    assert dn.derivative(lambda x: x * dn.derivative(lambda y: x * y, 2.0), 3.0) == 6.0
    # the inner function ignores the outer variable, or the outer ignores the inner result
    assert dn.derivative(lambda x: dn.derivative(lambda y: y * y, x), 3.0) == 2.0
    assert dn.derivative(lambda x: x + dn.derivative(lambda y: y * y, 1.0), 3.0) == 1.0


UNARY = [dn.sin, dn.cos, dn.tan, dn.asin, dn.acos, dn.atan, dn.sinh, dn.cosh, dn.tanh,
         dn.asinh, dn.atanh, dn.exp, dn.exp2, dn.expm1, dn.log, dn.log2, dn.log10, dn.log1p,
         dn.sqrt, dn.cbrt, dn.erf, dn.erfc, dn.gamma, dn.lgamma, dn.sigmoid, dn.softplus,
         abs, dn.relu, dn.degrees, lambda t: t ** 3, lambda t: 2.0 ** t, lambda t: 1 / t]


@pytest.mark.parametrize("f", UNARY)
def test_derivative_of_derivative_is_the_second_derivative(f):
    x0 = 0.35
    taylor = dn.derivatives(f, x0, 3)
    second = dn.derivative(lambda x: dn.derivative(f, x), x0)
    assert second == pytest.approx(taylor[2], rel=1e-13, abs=1e-13)
    third = dn.derivative(lambda x: dn.derivative(lambda y: dn.derivative(f, y), x), x0)
    assert third == pytest.approx(taylor[3], rel=1e-12, abs=1e-12)


BIVARIATE = [
    lambda a, b: a * b ** 2 + dn.sin(a * b),
    lambda a, b: dn.atan2(a, b) * dn.hypot(a, b),
    lambda a, b: a ** b + b ** 2.5 / a,
    lambda a, b: dn.logaddexp(a * b, a - b) + dn.exp(a) * dn.log(b),
    lambda a, b: dn.maximum(a * a, b) + dn.minimum(a, b * b) + dn.fmod(a * b, 0.7),
    lambda a, b: dn.copysign(a * b, -1.0) + (a * b) % 0.5 + (a + b) // 0.3,
]


@pytest.mark.parametrize("f", BIVARIATE)
def test_nested_partials_are_the_mixed_second_derivatives(f):
    a0, b0 = 1.3, 0.6
    h = dn.hessian(lambda v: f(v[0], v[1]), [a0, b0])
    # d/da of (d/db f) with the outer variable closed over
    mixed = dn.partial(lambda a, b: dn.partial(lambda p, q: f(p, q), (a, b), 1), (a0, b0), 0)
    assert mixed == pytest.approx(h[0, 1], rel=1e-13, abs=1e-13)
    mixed_other_order = dn.derivative(lambda b: dn.derivative(lambda a: f(a, b), a0), b0)
    assert mixed_other_order == pytest.approx(h[1, 0], rel=1e-13, abs=1e-13)
    assert dn.derivative(lambda a: dn.derivative(lambda s: f(s, b0), a), a0) == pytest.approx(
        h[0, 0], rel=1e-13, abs=1e-13)


def test_derivative_inside_gradient_and_jacobian():
    # gradient over x of sum(x) * d/dy (x0 + y) = (1, 1)
    g = dn.gradient(lambda x: np.sum(x) * dn.derivative(lambda y: x[0] + y, 0.5), [1.0, 2.0])
    np.testing.assert_array_equal(g, [1.0, 1.0])
    # v0 * d/dy (v1 y^2) at y = 1 is 2 v0 v1
    jac = dn.jacobian(lambda v: [v[0] * dn.derivative(lambda y: v[1] * y * y, 1.0)], [1.0, 2.0])
    np.testing.assert_array_equal(jac, [[4.0, 2.0]])


def test_value_and_derivative_at_a_dual_point():
    # inside an outer call, the inner results are numbers of that call
    seen = []

    def outer(x):
        value, slope = dn.value_and_derivative(lambda y: y ** 3, x)
        seen.append((value, slope))
        return slope

    assert dn.derivative(outer, 2.0) == 12.0            # d/dx 3x^2
    value, slope = seen[0]
    assert value.value == 8.0 and value.partials == (12.0,)
    assert slope.value == 12.0 and slope.partials == (12.0,)
    # vector results at a dual point
    assert dn.derivative(lambda x: dn.derivative(lambda y: [y * x, y * y], x)[1], 3.0) == 2.0


def test_escaped_perturbations_are_errors_not_numbers():
    escaped = []

    def outer(x):
        dn.derivative(lambda y: escaped.append(y) or y * x, 1.0)
        return escaped[0] * x                    # a dual of a call that has finished

    with pytest.raises(ValueError, match="escaped"):
        dn.derivative(outer, 2.0)


def test_gradient_and_jacobian_inside_other_calls():
    f = lambda v: dn.sin(v[0]) * v[1] ** 2 + np.sum(v ** 3)
    x = np.array([0.3, -0.7, 1.2])
    # jacobian of the gradient is the Hessian (the gradient's point holds duals)
    np.testing.assert_allclose(dn.jacobian(lambda y: dn.gradient(f, y), x), dn.hessian(f, x),
                               rtol=1e-14, atol=1e-14)
    n = 100                                            # the outer pass uses sparse tangents
    ros = lambda v: np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2)
    point = np.linspace(-1, 1, n)
    np.testing.assert_allclose(dn.jacobian(lambda y: dn.gradient(ros, y), point),
                               dn.hessian(ros, point), rtol=1e-14, atol=1e-11)
    # a gradient inside a jacobian inside a derivative: d/ds J(grad(s f)) = H f
    g = lambda v: dn.exp(v[0]) * v[1] ** 3
    np.testing.assert_allclose(
        dn.derivative(lambda s: dn.jacobian(lambda y: dn.gradient(lambda v: s * g(v), y),
                                            [0.2, 0.5]), 2.0),
        dn.hessian(g, [0.2, 0.5]), rtol=1e-14)
    # a jacobian closing over the outer variable: d/ds of d/dx [s x d/dy (x y^2)] at y = 1
    assert dn.derivative(lambda s: dn.jacobian(
        lambda v: [s * v[0] * dn.derivative(lambda y: v[0] * y * y, 1.0)], [1.5])[0, 0],
        3.0) == 6.0
    # numpy code on the inner DualArray closing over the outer variable
    assert dn.derivative(lambda s: dn.gradient(lambda v: s * np.sum(v ** 2), [1.0, 2.0])[0],
                         1.0) == 2.0
    # a gradient at a point that holds the outer variable
    assert dn.derivative(lambda s: dn.gradient(lambda v: np.sum(v ** 2), [s, 2.0])[0],
                         1.0) == 2.0


def test_every_first_and_second_order_api_nests():
    f = lambda v: dn.exp(v[0]) * v[1] ** 3
    # hessian and hvp closing over an outer variable, or at a point holding it
    np.testing.assert_allclose(
        dn.derivative(lambda s: dn.hessian(lambda v: s * f(v), [0.2, 0.5]), 2.0),
        dn.hessian(f, [0.2, 0.5]), rtol=1e-14)
    assert dn.derivative(lambda a: dn.hessian(lambda v: v[0] ** 3, [a])[0, 0], 1.0) == 6.0
    g = lambda v: dn.sin(v[0] * v[1]) * dn.exp(v[1] - v[2]) / (1 + v[0] ** 2)
    nested = dn.derivative(lambda s: dn.hessian(lambda v: s * g(v), [0.3, 0.7, -0.2]), 1.5)
    assert np.array_equal(nested, nested.T)                 # exactly symmetric here too
    np.testing.assert_allclose(nested, dn.hessian(g, [0.3, 0.7, -0.2]), rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(
        dn.derivative(lambda a: dn.hvp(lambda v: a * v[0] ** 2 * v[1], [1.0, 2.0], [1.0, 0.0]),
                      3.0), [4.0, 2.0])
    assert dn.derivative(
        lambda a: dn.hvp(lambda v: v[0] ** 3 * v[1], [a, 2.0], [1.0, 0.0])[0], 1.0) == 12.0
    # jvp inside derivative (numpy code: DualArray times the outer dual) and inside jacobian
    assert dn.derivative(
        lambda a: dn.jvp(lambda v: a * v ** 2, [1.0, 2.0], [1.0, 0.0])[1][0], 1.0) == 2.0
    np.testing.assert_array_equal(
        dn.jacobian(lambda x: dn.jvp(lambda v: np.sum(v ** 3), x, np.ones(2))[1], [1.0, 2.0]),
        [6.0, 12.0])
    # an elementwise derivative at an array point inside a derivative
    np.testing.assert_array_equal(
        dn.derivative(lambda x: dn.derivative(lambda y: y * x, np.array([1.0, 2.0])), 1.0),
        [1.0, 1.0])
    # numpy code on a sparse-seeded DualArray (n >= 96) times the outer dual
    assert dn.derivative(
        lambda s: dn.gradient(lambda v: np.sum(s * v ** 2), np.ones(150))[0], 1.0) == 2.0


def test_higher_orders_nest_through_first_order_derivatives():
    # Taylor series cannot hold another call's numbers: nested first derivatives instead
    assert dn.derivative(lambda x: dn.derivative(dn.sin, x, n=2), 1.0) == pytest.approx(
        -math.cos(1.0), rel=1e-15)
    assert dn.derivative(lambda x: dn.derivative(lambda y: x * y ** 3, 1.0, n=2), 1.0) == 6.0
    np.testing.assert_array_equal(dn.derivative(
        lambda x: dn.derivative(lambda y: x * y ** 3, np.array([1.0, 2.0]), n=2), 1.0), [6, 12])
    np.testing.assert_array_equal(dn.derivative(
        lambda x: dn.derivatives(lambda y: x * y ** 3, 1.0, 3), 2.0).astype(float), [1, 3, 6, 6])
    assert dn.hessian(lambda v: dn.derivative(lambda t: v[0] ** 2 * t ** 3, 1.0, n=2),
                      [1.5]).tolist() == [[12.0]]


def test_primitive_with_arguments_of_two_nested_calls():
    # a user-defined primitive whose arguments come from two nested calls
    # (issue 16 made it nestable: d/dx d/dy x y = 1, d/dx d/dy x² y³ at (2, 1) = 12)
    product = dn.primitive(lambda a, b: a * b, (lambda a, b: b, lambda a, b: a))
    assert dn.derivative(lambda x: dn.derivative(lambda y: product(x, y), 1.0), 2.0) == 1.0
    assert dn.derivative(lambda x: dn.derivative(lambda y: product(x * x, y ** 3), 1.0), 2.0) == 12.0


def test_nested_numbers_behave_like_numbers():
    captured = []
    dn.derivative(lambda x: dn.derivative(lambda y: captured.append(y * x) or y, 2.0), 3.0)
    z = captured[0]
    assert isinstance(z, Nested)
    assert z == 6.0 and z > 5 and hash(z) == hash(6.0) and bool(z)
    for convert in (float, int, complex):
        with pytest.raises(TypeError, match="dropping"):
            convert(z)
    with pytest.raises(TypeError, match="numpy.isnat"):
        np.isnat(z)
    assert np.sin(z) == math.sin(6.0) and dn.erf(z) == math.erf(6.0)
    assert "Nested" in repr(z)


# ---------------------------------------------------------------- issue 12, items 7, 8, 10

def test_closing_over_the_outer_variable_works_in_any_operand_order():
    # d/ds of s-dependent inner results, s in the middle of the product (v * s * v
    # multiplies a DualArray by an object array of nested numbers)
    x = np.array([1.0, 2.0])
    d = dn.derivative
    assert d(lambda s: dn.gradient(lambda v: np.sum(v * s * v), x)[1], 3.0) == 4.0
    assert d(lambda s: dn.gradient(lambda v: np.sum(v * (v * s)), x)[1], 3.0) == 4.0
    assert d(lambda s: dn.jacobian(lambda v: v * s * v, x)[1, 1], 3.0) == 4.0
    assert d(lambda s: dn.jvp(lambda v: v * s * v, x, x)[1][1], 3.0) == 8.0      # 2 x1 * x1
    assert d(lambda s: dn.hessian(lambda v: np.sum(v * s * v * v), x)[1, 1], 3.0) == 12.0
    assert d(lambda s: dn.hvp(lambda v: np.sum(v * s * v * v), x, x)[1], 3.0) == 24.0
    np.testing.assert_array_equal(d(lambda s: d(lambda v: v * s * v, x), 3.0), 2 * x)
    point = np.linspace(1.0, 2.0, 100)                    # the sparse gradient pass
    assert d(lambda s: dn.gradient(lambda v: np.sum(v * s * v), point)[1], 3.0) == 2 * point[1]
    # an ndarray times a nested scalar, either side
    t = np.array([1.0, 2.0, 3.0])
    assert d(lambda s: np.sum(d(lambda u: np.sum(t * u * s), 1.0)), 2.0) == 6.0
    assert d(lambda s: np.sum(d(lambda u: np.sum(u * s * t), 1.0)), 2.0) == 6.0


def _fd_hessian(f, x, h=1e-4):
    """Second-order central differences of f on plain floats."""
    n = x.size
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            def at(a, b):
                y = x.copy()
                y[i] += a
                y[j] += b
                return f(y)
            out[i, j] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)
    return out


_T = np.array([0.5, 1.0, 2.0])
NESTED_HESSIAN_CORPUS = [
    ("arctan2", lambda v: np.sum(np.arctan2(v, v[::-1] + 2.0))),
    ("logaddexp", lambda v: np.sum(np.logaddexp(v, 2.0 * v[::-1]))),
    ("floor", lambda v: np.sum(np.floor(v) * v ** 2)),
    ("abs", lambda v: np.sum(np.abs(v) * v ** 2) + abs(v[0]) * v[1]),
    ("v0 times v**2", lambda v: np.sum(v[0] * v ** 2)),
    ("exp(-t x0)", lambda v: np.sum(np.exp(-_T * v[0]) * v[1])),
    ("t * x0 first", lambda v: np.sum((_T * v[0]) ** 2) * v[2]),
    ("hypot", lambda v: np.sum(np.hypot(v, 1.5 * v[::-1]))),
    ("maximum minimum", lambda v: np.sum(np.maximum(v, 0.1) ** 3 + np.minimum(v ** 2, 5.0) * v)),
    ("copysign fmod", lambda v: np.sum(np.copysign(v ** 2, -1.0) + np.fmod(v * v, 0.7) * v)),
    ("trig and logs", lambda v: np.sum(np.sin(v) * np.log1p(v ** 2) + np.tanh(v) * np.exp2(v))),
    ("ceil trunc rint", lambda v: np.sum((np.ceil(v) + np.trunc(v) + np.rint(v)) * v ** 3)),
    ("square reciprocal", lambda v: np.sum(np.square(v) * np.reciprocal(v + 3.0))),
    ("power", lambda v: np.sum(np.power(v + 2.0, v)) + np.sum(np.float_power(2.0, v))),
]


@pytest.mark.parametrize("f", [f for _, f in NESTED_HESSIAN_CORPUS],
                         ids=[name for name, _ in NESTED_HESSIAN_CORPUS])
def test_jacobian_of_gradient_is_the_hessian(f):
    x = np.array([0.35, 1.3, -0.8])
    nested = dn.jacobian(lambda y: dn.gradient(f, y), x)
    np.testing.assert_allclose(nested, dn.hessian(f, x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(nested, _fd_hessian(f, x), rtol=1e-5, atol=1e-5)


def test_jacobian_of_gradient_matches_mpmath_on_every_elementary_function():
    import hessian_references as references   # tests/, on pytest's pythonpath
    for name, f, mp_f, point in references.BIVARIATE:
        _, _, expected = references.mp_hessian(mp_f, *point)
        nested = dn.jacobian(lambda y: dn.gradient(lambda v: f(v[0], v[1]), y), list(point))
        np.testing.assert_allclose(nested, expected, rtol=1e-12, atol=1e-12, err_msg=name)


def test_sparse_jacobian_closing_over_an_outer_variable_says_it_does_not_nest():
    # was: "a dualnum.Dual cannot become a float" (issue 12, item 16)
    x = np.array([1.0, 2.0])
    for sparsity in (np.eye(2, dtype=bool), "auto"):
        with pytest.raises(TypeError, match="sparsity= is not nestable"):
            dn.derivative(lambda s: dn.jacobian(lambda v: v * s, x, sparsity=sparsity)[1, 1], 3.0)


def test_a_number_escaped_from_a_finished_call_is_an_error_in_a_new_call():
    # it was read as a number of an enclosing call, and derivative returned a
    # Dual instead of a float (issue 12, item 18)
    escaped = []
    dn.derivative(lambda x: escaped.append(x) or x * x, 1.0)
    old = escaped[0]
    for call in (lambda: dn.derivative(lambda x: x * old, 2.0),
                 lambda: dn.value_and_derivative(lambda x: x * old, 2.0),
                 lambda: dn.derivative(lambda x: old, 2.0),
                 lambda: dn.gradient(lambda v: v[0] * old, [1.0, 2.0]),
                 lambda: dn.gradient(lambda v: np.sum(v * old), [1.0, 2.0]),
                 lambda: dn.jacobian(lambda v: v * old, [1.0, 2.0]),
                 lambda: dn.hessian(lambda v: v[0] ** 2 * old, [1.0, 2.0])):
        with pytest.raises(ValueError, match="finished"):
            call()
    # numbers of running calls are fine, however deep
    assert dn.derivative(lambda s: dn.derivative(
        lambda t: dn.derivative(lambda u: u * t * s, 1.0), 2.0), 3.0) == 1.0
    assert dn.derivative(lambda s: dn.gradient(lambda v: v[0] * s * v[1], [1.0, 2.0])[1],
                         3.0) == 1.0


def test_closing_over_the_outer_variable_with_argnums_and_array_functions():
    # d/ds of results of f closing over s (analytic references)
    d = dn.derivative
    x = np.array([1.0, 2.0])
    assert d(lambda s: dn.jacobian(lambda a, b: a * b * s, (1.0, 2.0), argnums=0), 3.0) == 2.0
    assert d(lambda s: dn.gradient(lambda a, b: a * b * s, (1.0, 2.0), argnums=(0, 1))[1],
             3.0) == 1.0
    assert d(lambda s: dn.hessian(lambda a, b: a * a * b * s, (1.0, 2.0), argnums=0)[0, 0],
             3.0) == 4.0
    # DualArray with an object array of nested numbers in matmul, dot, concatenate
    for g in (lambda v, s: v @ (v * s), lambda v, s: (v * s) @ v,
              lambda v, s: np.dot(v * s, v), lambda v, s: np.dot(v, v * s)):
        np.testing.assert_array_equal(d(lambda s: dn.gradient(lambda v: g(v, s), x), 3.0), 2 * x)
    np.testing.assert_array_equal(d(lambda s: dn.gradient(
        lambda v: np.sum(np.concatenate([v, v * s]) ** 2), x), 3.0), 4 * 3.0 * x)
    with pytest.raises(TypeError, match="hessian with sparsity= is not nestable"):
        d(lambda s: dn.hessian(lambda v: np.sum(v ** 3) * s, x,
                               sparsity=np.eye(2, dtype=bool))[1, 1], 3.0)


def test_an_outer_dual_array_meets_an_object_array_of_inner_numbers():
    """np.array([...]) of an inner call's Duals is a plain object array; the
    outer call's DualArray closed over pairs with it elementwise (it raised a
    TypeError, e.g. in dualnum.scipy's implicit lift of a fit to its data)."""
    point = np.array([0.5, 1.5])

    def inner_gradient(y):
        def loss(p):
            stacked = np.array([p[0] * p[1], p[1] ** 2])       # an object array of Duals
            return np.sum((stacked - y[:2]) ** 2) + p[0] * np.sum(y[2:])
        return dn.gradient(loss, point)

    def by_hand(y):
        p0, p1 = point
        r0, r1 = p0 * p1 - y[0], p1 ** 2 - y[1]
        return np.array([2 * r0 * p1 + np.sum(y[2:]), 2 * r0 * p0 + 4 * r1 * p1])

    y = np.array([0.3, 1.2, 0.7, 1.9, 2.4])
    np.testing.assert_allclose(inner_gradient(y), by_hand(y), rtol=1e-13)
    step = 1e-6
    columns = [(by_hand(y + step * e) - by_hand(y - step * e)) / (2 * step) for e in np.eye(5)]
    np.testing.assert_allclose(dn.jacobian(inner_gradient, y), np.stack(columns, axis=-1),
                               rtol=1e-7, atol=1e-9)
