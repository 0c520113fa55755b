"""dn.primitive: making float-only functions dual-aware with a given derivative."""

import math

import numpy as np
import pytest
import scipy.special as sc

import dualnum as dn

RTOL = 1e-12


def close(actual, expected, rtol=RTOL, atol=1e-14):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


j0 = dn.primitive(sc.j0, lambda x: -sc.j1(x))


def _floats_only_g(a, b):
    # math.exp refuses duals (spec: TypeError), so this proves that the wrapped
    # function only ever sees plain floats
    return a * math.exp(b)


g2 = dn.primitive(_floats_only_g,
                  (lambda a, b: math.exp(b), lambda a, b: a * math.exp(b)))

POINTS = [0.3, 1.3, 2.404825557695773, 4.0, -2.2]  # incl. a zero of j0


# --------------------------------------------------------------------------- #
# one argument: scipy.special.j0 with j0' = -j1
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("x", POINTS)
def test_j0_derivative(x):
    close(dn.derivative(j0, x), -sc.j1(x))


@pytest.mark.parametrize("x", POINTS)
def test_sin_of_j0_chain_rule(x):
    # d/dx sin(j0(x)) = cos(j0(x)) * (-j1(x))
    d = dn.derivative(lambda x: dn.sin(j0(x)), x)
    close(d, math.cos(sc.j0(x)) * -sc.j1(x))


@pytest.mark.parametrize("x", [0.3, 1.3, 4.0])
def test_sin_of_j0_vs_finite_differences(x):
    f = lambda t: math.sin(sc.j0(t))  # noqa: E731  (pure float reference)
    h = 1e-6
    fd = (f(x + h) - f(x - h)) / (2 * h)
    close(dn.derivative(lambda x: dn.sin(j0(x)), x), fd, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("x", [0.3, 1.3, 4.0])
def test_j0_value_and_derivative(x):
    v, d = dn.value_and_derivative(lambda x: x * j0(x), x)
    close(v, x * sc.j0(x))
    close(d, sc.j0(x) - x * sc.j1(x))  # product rule


@pytest.mark.parametrize("x", [0.0, 1.3, -7.5, 3])
def test_float_input_returns_plain_float(x):
    r = j0(x)
    assert isinstance(r, float) and not isinstance(r, dn.Dual)
    assert r == sc.j0(x)


def test_dual_input_returns_dual():
    d = j0(dn.Dual(1.3, 2.0))
    assert isinstance(d, dn.Dual)
    close(d.value, sc.j0(1.3))
    close(d.partials, [-2.0 * sc.j1(1.3)])


def test_dual_input_several_directions():
    d = j0(dn.Dual(0.7, (1.0, -3.0, 0.0)))
    close(d.value, sc.j0(0.7))
    close(d.partials, [-sc.j1(0.7), 3.0 * sc.j1(0.7), 0.0])


def test_derivative_function_receives_floats():
    # the user's derivative is a float function too: it must not see duals
    seen = []

    def dcube(x):
        seen.append(x)
        return 3 * math.pow(x, 2)

    cube = dn.primitive(lambda x: math.pow(x, 3), dcube)
    close(dn.derivative(cube, 1.5), 6.75)
    assert seen and all(not isinstance(s, dn.Dual) for s in seen)


# --------------------------------------------------------------------------- #
# two arguments: g(a, b) = a * exp(b), partials (exp(b), a exp(b))
# --------------------------------------------------------------------------- #
AB = (1.5, -0.4)


def test_two_arg_float_call():
    r = g2(*AB)
    assert isinstance(r, float) and not isinstance(r, dn.Dual)
    assert r == AB[0] * math.exp(AB[1])


@pytest.mark.parametrize("argnums,expected", [
    (0, math.exp(AB[1])),
    (1, AB[0] * math.exp(AB[1])),
    ((0, 1), (math.exp(AB[1]), AB[0] * math.exp(AB[1]))),
    ((1, 0), (AB[0] * math.exp(AB[1]), math.exp(AB[1]))),
], ids=["a", "b", "ab", "ba"])
def test_two_arg_gradient_argnums(argnums, expected):
    g = dn.gradient(g2, AB, argnums=argnums)
    if isinstance(argnums, tuple):
        assert isinstance(g, tuple) and len(g) == len(argnums)
    close(g, expected)


def test_two_arg_gradient_vector():
    g = dn.gradient(lambda x: g2(x[0], x[1]), list(AB))
    close(g, [math.exp(AB[1]), AB[0] * math.exp(AB[1])])


@pytest.mark.parametrize("i", [0, 1])
def test_two_arg_partial(i):
    expected = (math.exp(AB[1]), AB[0] * math.exp(AB[1]))[i]
    close(dn.partial(g2, AB, i), expected)


def test_two_arg_mixed_dual_and_float():
    # only the first argument is a dual; the second is a plain float
    d = dn.derivative(lambda a: g2(a, 0.25), 2.0)
    close(d, math.exp(0.25))
    d = dn.derivative(lambda b: g2(3.0, b), 0.5)
    close(d, 3.0 * math.exp(0.5))


def test_two_arg_composed_arguments():
    # h(x, y) = g(x*y, sin y) = x y exp(sin y)
    # dh/dx = y exp(sin y); dh/dy = x exp(sin y) (1 + y cos y)
    x, y = 0.8, 1.1
    g = dn.gradient(lambda v: g2(v[0] * v[1], dn.sin(v[1])), [x, y])
    close(g, [y * math.exp(math.sin(y)),
              x * math.exp(math.sin(y)) * (1 + y * math.cos(y))])


# --------------------------------------------------------------------------- #
# decorator form
# --------------------------------------------------------------------------- #
@dn.primitive(derivative=lambda x: 1.0 / (1.0 + abs(x)) ** 2)
def softsign(x):
    # float-only body: float() would raise TypeError on a dual
    x = float(x)
    return x / (1.0 + abs(x))


@dn.primitive(derivative=(lambda a, b: 2 * a * b, lambda a, b: a * a))
def a2b(a, b):
    return float(a) ** 2 * float(b)


@pytest.mark.parametrize("x", [-2.0, -0.3, 0.5, 4.0])
def test_decorator_one_arg(x):
    assert softsign(x) == x / (1 + abs(x))
    close(dn.derivative(softsign, x), 1 / (1 + abs(x)) ** 2)
    # composed: d/dx softsign(x^2) = 2x / (1 + x^2)^2
    close(dn.derivative(lambda t: softsign(t ** 2), x), 2 * x / (1 + x * x) ** 2)


def test_decorator_two_args():
    a, b = 1.5, -2.0
    assert a2b(a, b) == a * a * b
    close(dn.gradient(a2b, (a, b), argnums=(0, 1)), (2 * a * b, a * a))


# --------------------------------------------------------------------------- #
# primitives inside gradient / jacobian (several directions at once)
# --------------------------------------------------------------------------- #
def test_primitive_in_gradient_several_directions():
    # f(x) = j0(x0 x1) + x2 j0(x2)
    # df/dx0 = -j1(x0 x1) x1, df/dx1 = -j1(x0 x1) x0, df/dx2 = j0(x2) - x2 j1(x2)
    x = np.array([0.9, 1.7, -2.5])
    p = x[0] * x[1]
    g = dn.gradient(lambda x: j0(x[0] * x[1]) + x[2] * j0(x[2]), x)
    close(g, [-sc.j1(p) * x[1], -sc.j1(p) * x[0], sc.j0(x[2]) - x[2] * sc.j1(x[2])])


def test_primitive_in_gradient_vs_finite_differences(fd):
    f_ad = lambda x: j0(x[0] * x[1]) * g2(x[2], x[0])  # noqa: E731
    f_fl = lambda x: sc.j0(x[0] * x[1]) * x[2] * math.exp(x[0])  # noqa: E731
    x = np.array([0.6, -1.4, 2.0])
    close(dn.gradient(f_ad, x), fd(f_fl, x), rtol=1e-6, atol=1e-8)


def test_primitive_in_jacobian():
    # F(x) = [j0(x0), g(x0, x1)]; J = [[-j1(x0), 0], [exp(x1), x0 exp(x1)]]
    x = np.array([1.2, 0.3])
    J = dn.jacobian(lambda x: [j0(x[0]), g2(x[0], x[1])], x)
    close(J, [[-sc.j1(x[0]), 0.0], [math.exp(x[1]), x[0] * math.exp(x[1])]])


def test_primitive_in_jvp():
    x = np.array([1.2, 0.3])
    v = np.array([0.5, -2.0])
    fx, jv = dn.jvp(lambda x: g2(x[0], x[1]), x, v)
    close(fx, x[0] * math.exp(x[1]))
    close(jv, math.exp(x[1]) * v[0] + x[0] * math.exp(x[1]) * v[1])


# --------------------------------------------------------------------------- #
# strong zeros and numpy object arrays
# --------------------------------------------------------------------------- #
def _sqrt_deriv(x):
    return 0.5 / math.sqrt(x) if x > 0 else math.inf


psqrt = dn.primitive(math.sqrt, _sqrt_deriv)
sqrt_plus = dn.primitive(lambda a, b: math.sqrt(a) + b,
                         (lambda a, b: _sqrt_deriv(a), lambda a, b: 1.0))


def test_strong_zero_through_primitive():
    # spec: an exactly-zero input partial stays 0 even where the local
    # derivative is inf -- d/dy [sqrt(x) + y] at x = 0 is exactly 1, not nan
    g = dn.gradient(lambda v: psqrt(v[0]) + v[1], [0.0, 2.0])
    assert g[0] == math.inf and g[1] == 1.0


def test_strong_zero_two_arg_primitive():
    g = dn.gradient(lambda v: sqrt_plus(v[0], v[1]), [0.0, 1.0])
    assert g[0] == math.inf and g[1] == 1.0
    assert dn.derivative(lambda b: sqrt_plus(0.0, b), 1.0) == 1.0


def test_primitive_on_dual_array_in_gradient():
    # numpy-written f: j0 applied to the whole DualArray gradient passes in,
    # one vectorised call of sc.j0 and sc.j1 on the value array
    x = np.array([0.5, 1.5, 3.0])
    close(dn.gradient(lambda x: np.sum(j0(x)), x), -sc.j1(x))
    close(dn.jacobian(lambda x: j0(x), x), np.diag(-sc.j1(x)))
    close(dn.derivative(j0, x), -sc.j1(x))


def test_primitive_on_object_array_of_duals():
    x = np.array([dn.Dual(0.5, 1.0), dn.Dual(1.5, 2.0)], dtype=object)
    out = j0(x)
    assert out.dtype == object
    close([d.value for d in out], sc.j0([0.5, 1.5]))
    close([d.partials[0] for d in out], -sc.j1([0.5, 1.5]) * [1.0, 2.0])


def test_primitive_on_dual_array_falls_back_to_elements_for_float_only_functions():
    # _floats_only_g uses math.exp, which rejects arrays: it is applied per element
    a, b = np.array([1.0, 2.0, -0.5]), np.array([0.3, -1.0, 2.0])
    J = dn.jacobian(lambda v: g2(v[:3], v[3:]), np.concatenate([a, b]))
    close(J[:, :3], np.diag(np.exp(b)))
    close(J[:, 3:], np.diag(a * np.exp(b)))


def test_primitive_mixes_dual_array_and_scalar_arguments():
    # g2(a_vector, b_scalar): the scalar's partials broadcast over the array
    J = dn.jacobian(lambda v: g2(v[:2], v[2]), [1.0, 2.0, 0.5])
    close(J, [[math.exp(0.5), 0.0, 1.0 * math.exp(0.5)],
              [0.0, math.exp(0.5), 2.0 * math.exp(0.5)]])


def test_primitive_on_dual_array_keeps_strong_zeros():
    g = dn.gradient(lambda v: np.sum(psqrt(v[:2])) + v[2], [0.0, 4.0, 1.0])
    assert g[0] == math.inf and g[1] == 0.25 and g[2] == 1.0
    J = dn.jacobian(lambda v: psqrt(v), [0.0, 4.0])
    assert J[0, 0] == math.inf and J[1, 1] == 0.25
    assert J[0, 1] == 0.0 and J[1, 0] == 0.0          # not inf * 0 = nan


def test_primitive_on_dual_array_rejects_non_elementwise_functions():
    total = dn.primitive(lambda x: np.sum(x), lambda x: np.ones_like(x))
    with pytest.raises(ValueError, match="elementwise"):
        dn.gradient(lambda v: total(v), [1.0, 2.0])
