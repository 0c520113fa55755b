"""The corpus of conftest.py through every function of the Python layer.

Analytic values are compared with rtol=1e-12; finite differences (independent
of dualnum's AD) with looser tolerances.
"""

import math

import numpy as np
import pytest

import dualnum as dn

# every test runs with dense chunked and with sparse one-pass seeding
pytestmark = pytest.mark.usefixtures("seeding")

RTOL = 1e-12
ATOL = 1e-13  # only matters for entries that are exactly 0 analytically


def close(actual, expected, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def is_scalar_float(v):
    return isinstance(v, float) and not isinstance(v, dn.Dual)


def is_float64_array(a, shape):
    return isinstance(a, np.ndarray) and a.dtype == np.float64 and a.shape == shape


# --------------------------------------------------------------------------- #
# derivative / value_and_derivative
# --------------------------------------------------------------------------- #
def test_derivative_r1(r1_case):
    d = dn.derivative(r1_case.f, r1_case.x)
    assert is_scalar_float(d)
    close(d, r1_case.deriv)


def test_value_and_derivative_r1(r1_case):
    v, d = dn.value_and_derivative(r1_case.f, r1_case.x)
    assert is_scalar_float(v) and is_scalar_float(d)
    close(v, r1_case.value)
    close(d, r1_case.deriv)


def test_derivative_n0_is_value(r1_case):
    v = dn.derivative(r1_case.f, r1_case.x, n=0)
    assert is_scalar_float(v)
    close(v, r1_case.value)


def test_derivative_n1_keyword(r1_case):
    close(dn.derivative(r1_case.f, r1_case.x, n=1), r1_case.deriv)


def test_derivative_constant_is_exact_zero():
    # "constant result -> 0.0": exactly zero, a float
    d = dn.derivative(lambda x: 4.25, 2.0)
    assert is_scalar_float(d) and d == 0.0


def test_derivative_vector_valued(r1m_case):
    # f returning a sequence/ndarray: derivative has f's output shape
    d = dn.derivative(r1m_case.f, r1m_case.x)
    assert is_float64_array(d, r1m_case.deriv.shape)
    close(d, r1m_case.deriv)


def test_value_and_derivative_vector_valued(r1m_case):
    v, d = dn.value_and_derivative(r1m_case.f, r1m_case.x)
    assert is_float64_array(np.asarray(v), r1m_case.value.shape)
    close(v, r1m_case.value)
    close(d, r1m_case.deriv)


def test_derivative_n0_vector_valued(r1m_case):
    v = dn.derivative(r1m_case.f, r1m_case.x, n=0)
    assert isinstance(v, np.ndarray) and v.shape == r1m_case.value.shape
    close(v, r1m_case.value)


def test_derivative_vector_valued_constant_is_zeros():
    d = dn.derivative(lambda t: [1.0, 2.0], 0.5)
    assert is_float64_array(d, (2,))
    assert np.array_equal(d, [0.0, 0.0])


@pytest.mark.parametrize("x", [2, 3, -1])
def test_derivative_int_point(x):
    # an int point is a real point: x**3 -> 3 x^2 as a float
    d = dn.derivative(lambda t: t ** 3 + dn.sin(t), x)
    assert is_scalar_float(d)
    close(d, 3 * x ** 2 + math.cos(x))


@pytest.mark.parametrize("x", [np.float64(0.3), np.float32(0.25), np.int64(2)],
                         ids=["float64", "float32", "int64"])
def test_derivative_numpy_scalar_point(x):
    xf = float(x)
    close(dn.derivative(lambda t: t * dn.exp(t), x), (1 + xf) * math.exp(xf))


# --------------------------------------------------------------------------- #
# elementwise derivative on an ndarray / sequence point
# --------------------------------------------------------------------------- #
ELEMENTWISE = [
    ("sin", lambda x: dn.sin(x), np.cos),
    ("x2_exp", lambda x: x ** 2 * dn.exp(x), lambda x: (2 * x + x ** 2) * np.exp(x)),
    ("rational", lambda x: 1 / (1 + x ** 2), lambda x: -2 * x / (1 + x ** 2) ** 2),
    ("cube_plus_linear", lambda x: x ** 3 - 4 * x, lambda x: 3 * x ** 2 - 4),
]


@pytest.mark.parametrize("name,f,df", ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
@pytest.mark.parametrize("shape", [(4,), (2, 3)], ids=["1d", "2d"])
def test_derivative_elementwise_ndarray(name, f, df, shape):
    x = np.linspace(-1.3, 1.7, math.prod(shape)).reshape(shape)
    d = dn.derivative(f, x)
    assert is_float64_array(d, shape)
    close(d, df(x))


def test_derivative_elementwise_list_point():
    x = [0.1, 0.5, 2.0]
    d = dn.derivative(dn.sin, x)
    assert is_float64_array(d, (3,))
    close(d, np.cos(x))


def test_value_and_derivative_elementwise():
    x = np.array([-0.5, 0.25, 1.5])
    v, d = dn.value_and_derivative(lambda x: dn.exp(2 * x), x)
    close(v, np.exp(2 * x))
    close(d, 2 * np.exp(2 * x))


# --------------------------------------------------------------------------- #
# partial
# --------------------------------------------------------------------------- #
def _three(x, y, z):
    return x * y ** 2 + dn.sin(z) * x


PARTIAL_ARGS = (1.5, -0.5, 0.7)
PARTIAL_EXPECTED = (
    PARTIAL_ARGS[1] ** 2 + math.sin(PARTIAL_ARGS[2]),   # d/dx: y^2 + sin z
    2 * PARTIAL_ARGS[0] * PARTIAL_ARGS[1],              # d/dy: 2 x y
    math.cos(PARTIAL_ARGS[2]) * PARTIAL_ARGS[0],        # d/dz: x cos z
)


@pytest.mark.parametrize("i", [0, 1, 2])
def test_partial(i):
    d = dn.partial(_three, PARTIAL_ARGS, i)
    assert is_scalar_float(d)
    close(d, PARTIAL_EXPECTED[i])


def test_partial_others_held_constant():
    # d/da (a*b) = b and d/db (a*b) = a: the other argument is not seeded
    close(dn.partial(lambda a, b: a * b, (2.0, 3.0), 0), 3.0)
    close(dn.partial(lambda a, b: a * b, (2.0, 3.0), 1), 2.0)


@pytest.mark.parametrize("i", [0, 3, 4])
def test_partial_matches_gradient_rosenbrock(i):
    # partial of Rosenbrock (n=5) written with scalar arguments
    x = np.array([(-1) ** k * (0.3 + 0.17 * k) for k in range(5)])

    def rosen(*a):
        return sum(100 * (a[k + 1] - a[k] ** 2) ** 2 + (1 - a[k]) ** 2 for k in range(4))

    g = np.zeros(5)
    for k in range(5):
        if k < 4:
            g[k] += -400 * x[k] * (x[k + 1] - x[k] ** 2) - 2 * (1 - x[k])
        if k > 0:
            g[k] += 200 * (x[k] - x[k - 1] ** 2)
    close(dn.partial(rosen, tuple(x), i), g[i])


# --------------------------------------------------------------------------- #
# gradient / value_and_gradient
# --------------------------------------------------------------------------- #
def test_gradient(rn_case):
    g = dn.gradient(rn_case.f, rn_case.x)
    assert is_float64_array(g, rn_case.x.shape)
    close(g, rn_case.deriv)


def test_value_and_gradient(rn_case):
    v, g = dn.value_and_gradient(rn_case.f, rn_case.x)
    assert is_scalar_float(v)
    assert is_float64_array(g, rn_case.x.shape)
    close(v, rn_case.value)
    close(g, rn_case.deriv)


def test_gradient_large_2d_point():
    # 90 variables in a (9, 10) point: gradient of sum(W * X^2) is 2 W X
    X = np.cos(np.arange(90.0)).reshape(9, 10)
    W = np.sin(np.arange(90.0) * 0.5 + 1).reshape(9, 10)
    g = dn.gradient(lambda X: np.sum(W * X ** 2), X)
    assert is_float64_array(g, (9, 10))
    close(g, 2 * W * X)


def test_gradient_unused_variable_is_exact_zero():
    g = dn.gradient(lambda x: dn.sin(x[0] * x[1]), [0.8, -1.1, 5.0])
    assert g[2] == 0.0


def test_gradient_does_not_modify_x(rn_case):
    x = rn_case.x.copy()
    dn.gradient(rn_case.f, x)
    assert np.array_equal(x, rn_case.x) and x.dtype == np.float64


@pytest.mark.parametrize("api", [
    lambda f, x: dn.gradient(f, x),
    lambda f, x: dn.jacobian(f, x),
    lambda f, x: dn.jvp(f, x, np.ones_like(x)),
    lambda f, x: dn.derivative(f, x),
])
def test_f_receives_a_dual_array_of_x_shape(api):
    # issue 3: the API seeds a DualArray, so numpy code runs on the fused kernels
    seen = {}

    def f(x):
        seen["type"], seen["dtype"], seen["shape"] = type(x), x.dtype, x.shape
        return np.sum(x)

    api(f, np.ones((2, 3)))
    assert seen == {"type": dn.DualArray, "dtype": np.dtype(np.float64), "shape": (2, 3)}


def test_f_receives_a_scalar_dual_for_a_0d_point():
    seen = []
    dn.gradient(lambda x: seen.append(type(x)) or x * x, np.float64(2.0).reshape(()))
    assert seen == [dn.Dual]


def test_jacobian_of_scalar_f_is_gradient(rn_case):
    # jacobian shape is f(x).shape + x.shape = () + x.shape
    j = dn.jacobian(rn_case.f, rn_case.x)
    assert is_float64_array(j, rn_case.x.shape)
    close(j, rn_case.deriv)


# --------------------------------------------------------------------------- #
# jacobian / value_and_jacobian
# --------------------------------------------------------------------------- #
def test_jacobian(rnm_case):
    j = dn.jacobian(rnm_case.f, rnm_case.x)
    assert is_float64_array(j, rnm_case.value.shape + rnm_case.x.shape)
    close(j, rnm_case.deriv)


def test_value_and_jacobian(rnm_case):
    v, j = dn.value_and_jacobian(rnm_case.f, rnm_case.x)
    assert is_float64_array(v, rnm_case.value.shape)
    assert is_float64_array(j, rnm_case.value.shape + rnm_case.x.shape)
    close(v, rnm_case.value)
    close(j, rnm_case.deriv)


def test_jacobian_bratu_is_tridiagonal(corpus):
    # exact structural zeros away from the three central diagonals
    case = corpus["bratu_n6"]
    u, n = case.x, len(case.x)
    j = dn.jacobian(case.f, u)
    mask = np.abs(np.subtract.outer(np.arange(n), np.arange(n))) > 1
    assert np.all(j[mask] == 0.0)
    close(np.diag(j, 1), np.full(n - 1, (n + 1) ** 2))
    close(np.diag(j, -1), np.full(n - 1, (n + 1) ** 2))
    close(np.diag(j), -2 * (n + 1) ** 2 + np.exp(u))


def test_jacobian_2d_point():
    # X of shape (2, 3), f = column sums: J shape (3, 2, 3), J[k, i, j] = [j == k]
    X = np.arange(6.0).reshape(2, 3)
    j = dn.jacobian(lambda X: X.sum(axis=0) * 1.0, X)
    expected = np.zeros((3, 2, 3))
    for k in range(3):
        expected[k, :, k] = 1.0
    assert is_float64_array(j, (3, 2, 3))
    close(j, expected)


def test_jacobian_constant_output_is_zeros():
    j = dn.jacobian(lambda x: [1.0, 2.0, 3.0], [0.5, 0.25])
    assert is_float64_array(j, (3, 2))
    assert np.array_equal(j, np.zeros((3, 2)))


# --------------------------------------------------------------------------- #
# jvp
# --------------------------------------------------------------------------- #
def _direction(x):
    # a fixed, non-trivial direction of x's shape
    return np.cos(np.arange(x.size) * 1.3 + 0.2).reshape(x.shape)


def test_jvp_vector(rnm_case):
    v = _direction(rnm_case.x)
    fx, jv = dn.jvp(rnm_case.f, rnm_case.x, v)
    expected = np.tensordot(rnm_case.deriv, v, axes=rnm_case.x.ndim)
    close(fx, rnm_case.value)
    assert is_float64_array(jv, rnm_case.value.shape)
    close(jv, expected)


def test_jvp_scalar_output(rn_case):
    v = _direction(rn_case.x)
    fx, jv = dn.jvp(rn_case.f, rn_case.x, v)
    close(fx, rn_case.value)
    close(jv, np.sum(rn_case.deriv * v))


def test_jvp_basis_vector_gives_column(rnm_case):
    x = rnm_case.x
    e = np.zeros(x.shape)
    e.flat[0] = 1.0
    _, jv = dn.jvp(rnm_case.f, x, e)
    close(jv, rnm_case.deriv.reshape(rnm_case.value.shape + (-1,))[..., 0])


def test_jvp_single_evaluation():
    # "in one evaluation": f is called once
    calls = []

    def f(x):
        calls.append(1)
        return np.array([x[0] * x[1], x[1] ** 2])

    fx, jv = dn.jvp(f, [2.0, 3.0], [1.0, -1.0])
    assert len(calls) == 1
    close(fx, [6.0, 9.0])
    close(jv, [3.0 - 2.0, -6.0])


def test_jvp_v_as_list():
    fx, jv = dn.jvp(lambda x: x * x, np.array([1.0, 2.0]), [0.5, 0.25])
    close(jv, [1.0, 1.0])


# --------------------------------------------------------------------------- #
# argnums
# --------------------------------------------------------------------------- #
A_SCALAR = 0.7
B_ARRAY = np.array([[1.0, -2.0], [0.5, 3.0]])
C_SCALAR = -1.5


def _fabc(a, B, c):
    # a * sum(B^2) + sin(a * c) + c * B[0, 1]
    return a * np.sum(B ** 2) + dn.sin(a * c) + c * B[0, 1]


def _grad_abc():
    a, B, c = A_SCALAR, B_ARRAY, C_SCALAR
    da = np.sum(B ** 2) + c * math.cos(a * c)
    dB = 2 * a * B
    dB[0, 1] += c
    dc = a * math.cos(a * c) + B[0, 1]
    return da, dB, dc


ARGS = (A_SCALAR, B_ARRAY, C_SCALAR)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_gradient_argnums_int(k):
    g = dn.gradient(_fabc, ARGS, argnums=k)
    expected = _grad_abc()[k]
    if np.ndim(ARGS[k]) == 0:
        assert is_scalar_float(g)
    else:
        assert is_float64_array(g, np.shape(ARGS[k]))
    close(g, expected)


@pytest.mark.parametrize("argnums", [(0, 2), (1,), (2, 1, 0), (0, 1, 2)])
def test_gradient_argnums_tuple(argnums):
    g = dn.gradient(_fabc, ARGS, argnums=argnums)
    assert isinstance(g, tuple) and len(g) == len(argnums)
    full = _grad_abc()
    for got, k in zip(g, argnums):
        if np.ndim(ARGS[k]) == 0:
            assert is_scalar_float(got)
        else:
            assert is_float64_array(got, np.shape(ARGS[k]))
        close(got, full[k])


def test_gradient_argnums_numpy_integer():
    # a numpy integer is an integer: accepted like int
    close(dn.gradient(_fabc, ARGS, argnums=np.int64(2)), _grad_abc()[2])


def test_value_and_gradient_argnums():
    v, (ga, gc) = dn.value_and_gradient(_fabc, ARGS, argnums=(0, 2))
    a, B, c = ARGS
    close(v, a * np.sum(B ** 2) + math.sin(a * c) + c * B[0, 1])
    da, _, dc = _grad_abc()
    close(ga, da)
    close(gc, dc)


def test_gradient_argnums_others_not_seeded():
    # non-selected arguments reach f unperturbed: d/da of a*c equals c
    g = dn.gradient(lambda a, c: a * c, (2.0, 5.0), argnums=0)
    assert is_scalar_float(g)
    close(g, 5.0)


def _vec_f(x, s):
    # R^2 x R -> R^2: [s * x0 * x1, x1 + s^2]
    return np.array([s * x[0] * x[1], x[1] + s ** 2])


def test_gradient_argnums_non_numeric_other_argument():
    # spec silent; a careful user expects (as in JAX) that arguments not in
    # argnums reach f untouched, whatever they are
    def f(x, mode, params):
        return params["k"] * x ** 2 if mode == "square" else x

    g = dn.gradient(f, (1.5, "square", {"k": 3.0}), argnums=0)
    close(g, 9.0)


def test_jacobian_argnums_int():
    x, s = np.array([2.0, -3.0]), 0.5
    jx = dn.jacobian(_vec_f, (x, s), argnums=0)
    js = dn.jacobian(_vec_f, (x, s), argnums=1)
    assert is_float64_array(jx, (2, 2))
    close(jx, [[s * x[1], s * x[0]], [0.0, 1.0]])
    # scalar argument: J has shape f(x).shape + () = (2,)
    assert is_float64_array(js, (2,))
    close(js, [x[0] * x[1], 2 * s])


def test_jacobian_argnums_tuple_and_value():
    x, s = np.array([2.0, -3.0]), 0.5
    v, (jx, js) = dn.value_and_jacobian(_vec_f, (x, s), argnums=(0, 1))
    close(v, [s * x[0] * x[1], x[1] + s ** 2])
    close(jx, [[s * x[1], s * x[0]], [0.0, 1.0]])
    close(js, [x[0] * x[1], 2 * s])


# --------------------------------------------------------------------------- #
# compose / chain_rule
# --------------------------------------------------------------------------- #
def _chain(name, f, g, x, u, df_u, dg_x):
    # u = g(x), df_u = f'(u), dg_x = g'(x), all by hand with math
    return pytest.param(f, g, x, u, df_u, dg_x, id=name)


_x1, _x2, _x3, _x4 = 1.3, 0.4, 0.6, -0.8
CHAIN = [
    _chain("sin_of_square", dn.sin, lambda x: x ** 2, _x1,
           _x1 ** 2, math.cos(_x1 ** 2), 2 * _x1),
    _chain("exp_of_sin", dn.exp, dn.sin, _x2,
           math.sin(_x2), math.exp(math.sin(_x2)), math.cos(_x2)),
    _chain("log_of_rational", dn.log, lambda x: (x ** 2 + 1) / (x + 2), _x3,
           (_x3 ** 2 + 1) / (_x3 + 2), (_x3 + 2) / (_x3 ** 2 + 1),
           (_x3 ** 2 + 4 * _x3 - 1) / (_x3 + 2) ** 2),
    _chain("cube_of_tanh", lambda u: u ** 3, dn.tanh, _x4,
           math.tanh(_x4), 3 * math.tanh(_x4) ** 2, 1 - math.tanh(_x4) ** 2),
]


@pytest.mark.parametrize("f,g,x,u,df_u,dg_x", CHAIN)
def test_chain_rule(f, g, x, u, df_u, dg_x):
    res = dn.chain_rule(f, g, x)
    outer, inner, total = res  # a named tuple unpacks in this order
    assert (outer, inner, total) == (res.outer, res.inner, res.total)
    assert all(is_scalar_float(t) for t in res)
    close(res.outer, df_u)
    close(res.inner, dg_x)
    close(res.total, res.outer * res.inner)
    close(res.total, df_u * dg_x)


def test_chain_rule_total_goes_through_composition():
    # spec: total is computed directly through f∘g (not as outer*inner), so f
    # must at some point receive the dual g(x) carrying g'(x) = 3 as partial
    seen = []

    def f(u):
        if isinstance(u, dn.Dual):
            seen.append(u.partials)
        return dn.sin(u)

    res = dn.chain_rule(f, lambda x: 3 * x, 0.5)
    assert (3.0,) in seen
    close(res.total, 3 * math.cos(1.5))


@pytest.mark.parametrize("f,g,x,u,df_u,dg_x", CHAIN)
def test_compose_two(f, g, x, u, df_u, dg_x):
    h = dn.compose(f, g)
    close(h(x), f(u))
    close(dn.derivative(h, x), df_u * dg_x)


def test_compose_three():
    # exp(sin(x^2)): derivative exp(sin(x^2)) cos(x^2) 2x
    h = dn.compose(dn.exp, dn.sin, lambda x: x ** 2)
    x = 0.9
    close(h(x), math.exp(math.sin(x ** 2)))
    close(dn.derivative(h, x), math.exp(math.sin(x ** 2)) * math.cos(x ** 2) * 2 * x)


def test_compose_order():
    # compose(f, g)(x) = f(g(x)), not g(f(x))
    h = dn.compose(lambda u: u + 1, lambda x: 2 * x)
    assert h(3.0) == 7.0
    close(dn.derivative(h, 3.0), 2.0)


def test_compose_with_gradient():
    # compose works on vector arguments too: f(g(x)) with g: R^2 -> R, f: R -> R
    h = dn.compose(dn.exp, lambda x: x[0] * x[1])
    x = np.array([0.5, -1.5])
    e = math.exp(x[0] * x[1])
    close(dn.gradient(h, x), [e * x[1], e * x[0]])


# --------------------------------------------------------------------------- #
# input kinds: list, tuple, int and float32 arrays (promoted to float64)
# --------------------------------------------------------------------------- #
def _sumsq_cubes(x):
    return np.sum(x ** 2) + x[0] * x[1] ** 3


def _sumsq_cubes_grad(x):
    x = np.asarray(x, dtype=np.float64)
    g = 2 * x
    g[0] += x[1] ** 3
    g[1] += 3 * x[0] * x[1] ** 2
    return g


INPUTS = {
    "list": [1.0, 2.0, -0.5],
    "tuple": (1.0, 2.0, -0.5),
    "list_of_ints": [1, 2, -3],
    "int_array": np.array([1, 2, -3]),
    "int32_array": np.array([1, 2, -3], dtype=np.int32),
    "float32_array": np.array([1.1, 2.3, -0.7], dtype=np.float32),
}


@pytest.mark.parametrize("x", list(INPUTS.values()), ids=list(INPUTS))
def test_gradient_input_kinds(x):
    g = dn.gradient(_sumsq_cubes, x)
    assert is_float64_array(g, (3,))
    # float32 values are promoted exactly: analytic at float64(x)
    close(g, _sumsq_cubes_grad(x))


@pytest.mark.parametrize("x", list(INPUTS.values()), ids=list(INPUTS))
def test_jacobian_input_kinds(x):
    j = dn.jacobian(lambda x: x * x[0], x)
    # f_i = x_i x_0: J = x_0 I + x e_0^T
    xf = np.asarray(x, dtype=np.float64)
    expected = xf[0] * np.eye(3)
    expected[:, 0] += xf
    assert is_float64_array(j, (3, 3))
    close(j, expected)


@pytest.mark.parametrize("x", list(INPUTS.values()), ids=list(INPUTS))
def test_jvp_input_kinds(x):
    v = [1.0, 0.0, 2.0]
    fx, jv = dn.jvp(_sumsq_cubes, x, v)
    close(jv, _sumsq_cubes_grad(x) @ np.array(v))


def test_float32_point_promoted_not_rounded():
    # computations run in float64: the gradient of sum(x^3) at float32 points
    # equals the float64 formula at the exactly-promoted values
    x = np.array([0.1, 1 / 3], dtype=np.float32)
    g = dn.gradient(lambda x: np.sum(x ** 3), x)
    assert g.dtype == np.float64
    close(g, 3 * x.astype(np.float64) ** 2, rtol=1e-15)


def test_value_and_gradient_types_2d():
    X = np.arange(1.0, 7.0).reshape(3, 2)
    v, g = dn.value_and_gradient(lambda X: np.sum(X ** 2), X)
    assert is_scalar_float(v)
    assert is_float64_array(g, (3, 2))
    close(v, 91.0)
    close(g, 2 * X)


# --------------------------------------------------------------------------- #
# independent cross-check against central finite differences
# --------------------------------------------------------------------------- #
FD_RTOL = 1e-6


@pytest.mark.parametrize("name", ["exp_sin_cos", "rational", "x_pow_x", "erf_half"])
def test_derivative_vs_finite_differences(name, fd, corpus):
    # corpus entries selected by name; central differences with h = 1e-6
    case = corpus[name]
    close(dn.derivative(case.f, case.x), fd(case.f, case.x), rtol=FD_RTOL, atol=1e-8)


@pytest.mark.parametrize("name", ["rosenbrock_numpy_n5", "logsumexp_numpy", "matrix_point"])
def test_gradient_vs_finite_differences(name, fd, corpus):
    case = corpus[name]
    close(dn.gradient(case.f, case.x), fd(case.f, case.x), rtol=FD_RTOL, atol=1e-6)


@pytest.mark.parametrize("name", ["bratu_n6", "polar_to_cartesian", "outer_product"])
def test_jacobian_vs_finite_differences(name, fd, corpus):
    case = corpus[name]
    close(dn.jacobian(case.f, case.x), fd(case.f, case.x), rtol=FD_RTOL, atol=1e-6)


def test_strided_points_and_directions():
    """A matrix column is a strided view: every API function takes it as a copy."""
    m = np.arange(1.0, 10.0).reshape(3, 3)
    column, direction = m[:, 1], m[:, 2]
    f = lambda v: np.sum(v ** 3) + v[0] * v[2]
    want_grad = 3 * column ** 2 + np.array([column[2], 0.0, column[0]])
    np.testing.assert_allclose(dn.gradient(f, column), want_grad, rtol=1e-15)
    np.testing.assert_allclose(dn.jacobian(lambda v: v ** 2, column), np.diag(2 * column))
    hess = np.diag(6 * column) + np.array([[0, 0, 1], [0, 0, 0], [1, 0, 0]])
    np.testing.assert_allclose(dn.hessian(f, column), hess, rtol=1e-15)
    np.testing.assert_allclose(dn.hvp(f, column, direction), hess @ direction, rtol=1e-15)
    np.testing.assert_allclose(dn.jvp(lambda v: v ** 2, column, direction)[1],
                               2 * column * direction, rtol=1e-15)
    np.testing.assert_allclose(dn.derivative(np.sin, column), np.cos(column), rtol=1e-15)
