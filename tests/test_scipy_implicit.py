"""Implicit differentiation through dualnum.scipy.root, root_scalar and
fixed_point (issue 16, item 5).

References, none computed by the lift itself: closed forms of the implicit
function theorem; mpmath's high-precision derivatives of its own root
finder (orders 1-4); central differences of scipy's plain solves with a
tight tolerance and scipy's own finite-difference Jacobians; central
differences of dualnum's gradients for Hessians.
"""
import math

import mpmath
import numpy as np
import pytest
import implicit_references as references  # tests/, on pytest's pythonpath
import scipy.optimize

import dualnum as dn
import dualnum.scipy as ds
from dualnum.scipy._implicit import GATHER_MIN

central, cubic_root, mp_cubic_derivative = (
    references.central, references.cubic_root, references.mp_cubic_derivative)


# ------------------------------------------------------------------ a cubic
# x(p, q): the root of x**3 + p x - q; x_p = -x / (3x² + p), x_q = 1 / (3x² + p)

def cubic(x, p, q=1.0):
    return x ** 3 + p * x - q


SCALAR_SOLVERS = {
    "root hybr": lambda p, q=1.0: ds.root(cubic, 0.5, args=(p, q)).x[0],
    "root lm": lambda p, q=1.0: ds.root(cubic, 0.5, args=(p, q), method="lm").x[0],
    # x0's shape, 0-d, as scipy's broyden1 gives it
    "root broyden1": lambda p, q=1.0: ds.root(cubic, 0.5, args=(p, q), method="broyden1").x[()],
    "root_scalar newton": lambda p, q=1.0: ds.root_scalar(cubic, args=(p, q), x0=0.5).root,
    "root_scalar halley": lambda p, q=1.0: ds.root_scalar(cubic, args=(p, q), x0=0.5,
                                                          method="halley").root,
    "root_scalar brentq": lambda p, q=1.0: ds.root_scalar(cubic, args=(p, q), bracket=[0.0, 2.0]).root,
    "root_scalar secant": lambda p, q=1.0: ds.root_scalar(cubic, args=(p, q), x0=0.5, x1=0.6).root,
    # x = q / (x² + p), the same root
    "fixed_point": lambda p, q=1.0: ds.fixed_point(lambda x, p, q: q / (x * x + p), 0.5, args=(p, q),
                                                   xtol=1e-14),
}


def test_the_issue_example():
    """derivative(lambda p: root(x**3 + p x - 1, 0.5, args=(p,)).x[0], 1.0) = -x/(3x² + p)."""
    got = dn.derivative(lambda p: ds.root(lambda x, p: x ** 3 + p * x - 1, 0.5, args=(p,)).x[0], 1.0)
    x = cubic_root(1.0)
    assert got == pytest.approx(-x / (3 * x * x + 1.0), rel=1e-12)


@pytest.mark.parametrize("solver", SCALAR_SOLVERS)
def test_scalar_root_first_derivative_closed_form(solver):
    x_of = SCALAR_SOLVERS[solver]
    p = 1.3
    x = cubic_root(p)
    value, slope = dn.value_and_derivative(x_of, p)
    assert float(value) == pytest.approx(x, rel=1e-12)
    assert slope == pytest.approx(-x / (3 * x * x + p), rel=1e-10)


@pytest.mark.parametrize("solver", SCALAR_SOLVERS)
@pytest.mark.parametrize("n", [2, 3, 4])
def test_scalar_root_higher_orders_against_mpmath(solver, n):
    """Jets of order n: n chord steps make every order exact."""
    got = dn.derivative(SCALAR_SOLVERS[solver], 1.0, n=n)
    assert got == pytest.approx(mp_cubic_derivative(n), rel=1e-9)


@pytest.mark.parametrize("solver", ["root hybr", "root_scalar newton", "fixed_point"])
def test_gradient_and_hessian_in_two_parameters(solver):
    x_of = SCALAR_SOLVERS[solver]
    point = np.array([1.3, 0.8])
    x = cubic_root(*point)
    grad = dn.gradient(lambda v: x_of(v[0], v[1]), point)
    np.testing.assert_allclose(grad, [-x / (3 * x * x + point[0]), 1 / (3 * x * x + point[0])], rtol=1e-10)
    hess = dn.hessian(lambda v: x_of(v[0], v[1]), point)
    reference = [[mp_cubic_derivative(None, *point, dp=(2, 0)), mp_cubic_derivative(None, *point, dp=(1, 1))],
                 [mp_cubic_derivative(None, *point, dp=(1, 1)), mp_cubic_derivative(None, *point, dp=(0, 2))]]
    np.testing.assert_allclose(hess, reference, rtol=1e-9)
    v = np.array([0.5, -2.0])
    np.testing.assert_allclose(dn.hvp(lambda w: x_of(w[0], w[1]), point, v), hess @ v, rtol=1e-10)


def test_plain_and_dual_entries_mixed_in_args():
    """args = (dual p, plain q) and (plain p, dual q)."""
    x = cubic_root(1.0, 2.0)
    dp = dn.derivative(lambda p: ds.root(cubic, 0.5, args=(p, 2.0)).x[0], 1.0)
    dq = dn.derivative(lambda q: ds.root(cubic, 0.5, args=(1.0, q)).x[0], 2.0)
    assert dp == pytest.approx(-x / (3 * x * x + 1.0), rel=1e-10)
    assert dq == pytest.approx(1 / (3 * x * x + 1.0), rel=1e-10)
    # a dual entry inside a list among plain ones
    dl = dn.derivative(lambda p: ds.root(lambda x, c: cubic(x, c[0], c[1]), 0.5, args=([p, 2.0],)).x[0], 1.0)
    assert dl == pytest.approx(dp, rel=1e-12)


# --------------------------------------------------------- nested calls

def test_derivative_of_a_derivative_through_the_solve():
    x_of = SCALAR_SOLVERS["root hybr"]
    got = dn.derivative(lambda p: dn.derivative(x_of, p), 1.0)
    assert got == pytest.approx(mp_cubic_derivative(2), rel=1e-9)


def test_two_calls_in_args_give_the_mixed_derivative():
    """p of the outer call, q of the inner one: Nested numbers, two chord steps."""
    x_of = SCALAR_SOLVERS["root hybr"]
    got = dn.derivative(lambda p: dn.derivative(lambda q: x_of(p, q), 1.0), 1.0)
    assert got == pytest.approx(mp_cubic_derivative(None, 1.0, 1.0, dp=(1, 1)), rel=1e-9)


def test_a_taylor_call_inside_a_first_order_call():
    """The inner Jet meets the outer Dual: dualnum repeats the inner call as nested first derivatives."""
    x_of = SCALAR_SOLVERS["root_scalar newton"]
    got = dn.derivative(lambda p: dn.derivative(lambda q: x_of(p, q), 1.0, n=2), 1.0)
    assert got == pytest.approx(mp_cubic_derivative(None, 1.0, 1.0, dp=(1, 2)), rel=1e-8)


def test_gradient_of_a_derivative_and_jacobian_of_a_gradient():
    x_of = SCALAR_SOLVERS["root hybr"]
    reference = dn.hessian(lambda w: x_of(w[0], w[1]), np.array([1.0, 1.0]))
    jac = dn.jacobian(lambda v: dn.gradient(lambda w: x_of(w[0], w[1]), v), np.array([1.0, 1.0]))
    np.testing.assert_allclose(jac, reference, rtol=1e-10)
    grad = dn.gradient(lambda v: dn.derivative(lambda q: x_of(v[0], q), v[1]), np.array([1.0, 1.0]))
    np.testing.assert_allclose(grad, reference[1], rtol=1e-10)


# ------------------------------------------------------------ a 2-D system

def system(x, p):
    return [x[0] ** 2 + p[0] * x[1] - 3.0, x[0] * x[1] + dn.sin(x[0]) * p[1] - 1.0]


def system_numpy(x, p):
    return np.stack([x[0] ** 2 + p[0] * x[1] - 3.0, x[0] * x[1] + np.sin(x[0]) * p[1] - 1.0])


X0 = np.array([1.5, 0.5])
P0 = np.array([1.0, 0.3])


def plain_system_root(p):
    """scipy's own solve, with its finite-difference Jacobian and a tight tolerance."""
    def equations(x):
        return [x[0] ** 2 + p[0] * x[1] - 3.0, x[0] * x[1] + math.sin(x[0]) * p[1] - 1.0]

    sol = scipy.optimize.root(equations, X0, tol=1e-14)
    assert np.max(np.abs(equations(sol.x))) < 1e-14       # at xtol=1e-14 scipy may say "no progress"
    return sol.x


@pytest.mark.parametrize("equations", [system, system_numpy])
@pytest.mark.parametrize("method", ["hybr", "lm", "krylov"])
def test_system_jacobian_and_jvp(equations, method, seeding):
    def x_of(p):
        return ds.root(equations, X0, args=(p,), method=method, tol=1e-13).x

    reference = central(plain_system_root, P0)
    np.testing.assert_allclose(dn.jacobian(x_of, P0), reference, rtol=1e-6, atol=1e-9)
    v = np.array([1.0, -2.0])
    value, tangent = dn.jvp(x_of, P0, v)
    np.testing.assert_allclose(value, plain_system_root(P0), rtol=1e-12)
    np.testing.assert_allclose(tangent, reference @ v, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("equations", [system, system_numpy])
def test_system_hessian_and_hvp_of_a_loss(equations):
    """The Hessian of a loss through an inner solve, against central differences of its gradient."""
    def loss(p):
        x = ds.root(equations, X0, args=(p,)).x
        return x[0] * x[1] + dn.exp(x[0])

    hess = dn.hessian(loss, P0)
    reference = central(lambda p: dn.gradient(loss, p), P0, h=1e-5)
    np.testing.assert_allclose(hess, reference, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(hess, hess.T, rtol=1e-12)
    v = np.array([0.3, 1.0])
    np.testing.assert_allclose(dn.hvp(loss, P0, v), hess @ v, rtol=1e-10)


def test_system_with_a_user_jacobian():
    """jac=True: fun returns (F, J), J used by scipy as it is; the lift uses F."""
    def fun_and_jac(x, p):
        jac = [[2 * x[0], p[0]], [x[1] + dn.cos(x[0]) * p[1], x[0]]]
        return system_numpy(x, p), np.array(jac)     # floats at plain args

    def x_of(p):
        return ds.root(fun_and_jac, X0, args=(p,), jac=True, tol=1e-13).x

    np.testing.assert_allclose(dn.jacobian(x_of, P0), central(plain_system_root, P0), rtol=1e-6)


# ------------------------------------------------- p an array, many roots

def test_elementwise_roots_sparse_and_dense(seeding):
    n = 120
    p = np.linspace(0.5, 2.0, n)

    def x_of(p):
        return ds.root(lambda x, p: x ** 3 + p * x - 1, np.full(n, 0.5), args=(p,), tol=1e-13).x

    x = np.array([cubic_root(c) for c in p])
    expected = np.diag(-x / (3 * x * x + p))
    np.testing.assert_allclose(dn.jacobian(x_of, p), expected, rtol=1e-10, atol=1e-14)
    for sparsity in (np.eye(n, dtype=bool), "auto"):        # given, and detected
        np.testing.assert_allclose(dn.jacobian(x_of, p, sparsity=sparsity), expected, rtol=1e-10, atol=1e-14)


def test_elementwise_roots_hessian_of_a_sum():
    n = 6
    p = np.linspace(0.5, 2.0, n)

    def total(p):
        return np.sum(ds.root(lambda x, p: x ** 3 + p * x - 1, np.full(n, 0.5), args=(p,)).x)

    hess = dn.hessian(total, p)
    expected = np.diag([mp_cubic_derivative(2, c) for c in p])
    np.testing.assert_allclose(hess, expected, rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------ fixed points

def test_fixed_point_of_cos_closed_form_and_orders():
    """x = cos(p x): x_p = -x sin(px) / (1 + p sin(px)); orders 2-4 by mpmath."""
    def x_of(p):
        return ds.fixed_point(lambda x, p: dn.cos(p * x), 0.5, args=(p,), xtol=1e-14)

    p = 1.0
    x = scipy.optimize.brentq(lambda x: math.cos(p * x) - x, 0.0, 1.0, xtol=1e-15)
    s = math.sin(p * x)
    assert dn.derivative(x_of, p) == pytest.approx(-x * s / (1 + p * s), rel=1e-10)
    with mpmath.workdps(40):
        for n in (2, 3, 4):
            expected = float(mpmath.diff(lambda q: mpmath.findroot(lambda y: mpmath.cos(q * y) - y, x), p, n))
            assert dn.derivative(x_of, p, n=n) == pytest.approx(expected, rel=1e-8)


def test_fixed_point_of_a_vector_map():
    def g(x, p):
        return np.cos(p * x[::-1]) * 0.5

    def plain_fixed_point(p):
        return scipy.optimize.fixed_point(g, np.array([0.5, 0.5]), args=(p,), xtol=1e-15)

    p = np.array([1.0, 2.0])
    x_of = lambda p: ds.fixed_point(g, np.array([0.5, 0.5]), args=(p,), xtol=1e-14)
    np.testing.assert_allclose(dn.jacobian(x_of, p), central(plain_fixed_point, p), rtol=1e-6)
    hess = dn.hessian(lambda p: x_of(p)[0], p)
    np.testing.assert_allclose(hess, central(lambda q: dn.gradient(lambda r: x_of(r)[0], q), p, h=1e-5),
                               rtol=1e-6, atol=1e-9)


# ------------------------------------------------- plain args: scipy as is

@pytest.mark.parametrize("method", ["hybr", "lm"])
def test_root_with_plain_args_supplies_an_exact_jacobian(method):
    """hybr and lm get fun and its Jacobian from one evaluation: the same iterates
    as a hand-written fun+jac (scipy's jac=True), and the root itself."""
    def by_hand(x):
        f = [x[0] ** 2 + P0[0] * x[1] - 3.0, x[0] * x[1] + math.sin(x[0]) * P0[1] - 1.0]
        jac = [[2 * x[0], P0[0]], [x[1] + math.cos(x[0]) * P0[1], x[0]]]
        return np.array(f), np.array(jac)

    ours = ds.root(system, X0, args=(P0,), method=method)
    theirs = scipy.optimize.root(by_hand, X0, jac=True, method=method)
    assert type(ours) is type(theirs)
    np.testing.assert_allclose(ours.x, theirs.x, rtol=1e-14)
    assert (ours.nfev, ours.njev) == (theirs.nfev, theirs.njev)


def test_root_scalar_newton_and_halley_get_exact_derivatives():
    """Without fprime, newton and halley get dualnum's derivatives: the iterations of hand-written ones."""
    for method, extra in (("newton", {}), ("halley", {"fprime2": lambda x: 6 * x})):
        ours = ds.root_scalar(lambda x: x ** 3 + x - 1, x0=0.5, method=method)
        theirs = scipy.optimize.root_scalar(lambda x: x ** 3 + x - 1, x0=0.5, method=method,
                                            fprime=lambda x: 3 * x * x + 1, **extra)
        assert ours.converged and ours.root == pytest.approx(theirs.root, rel=1e-15)
        assert ours.iterations == theirs.iterations
    # a user fprime is kept; halley then gets dualnum's fprime2
    ours = ds.root_scalar(lambda x: x ** 3 + x - 1, x0=0.5, fprime=lambda x: 3 * x * x + 1, method="halley")
    assert ours.converged and ours.root == pytest.approx(cubic_root(1.0), rel=1e-14)


def test_root_scalar_with_fprime_true_differentiates():
    def f_and_fprime(x, p):
        return x ** 3 + p * x - 1, 3 * x * x + p

    x = cubic_root(1.0)
    got = dn.derivative(lambda p: ds.root_scalar(f_and_fprime, args=(p,), x0=0.5, fprime=True).root, 1.0)
    assert got == pytest.approx(-x / (3 * x * x + 1.0), rel=1e-10)


def test_plain_fixed_point_is_scipys():
    ours = ds.fixed_point(lambda x, p: np.cos(p * x), 0.5, args=(1.0,))
    theirs = scipy.optimize.fixed_point(lambda x, p: np.cos(p * x), 0.5, args=(1.0,))
    np.testing.assert_array_equal(ours, theirs)


def test_one_extra_argument_need_not_be_a_tuple():
    """scipy takes args=p for args=(p,); so do the three solvers, dual or plain."""
    x = cubic_root(1.0)
    expected = -x / (3 * x * x + 1.0)
    for x_of in (lambda p: ds.root(cubic, 0.5, args=p).x[0],
                 lambda p: ds.root_scalar(cubic, args=p, x0=0.5).root,
                 lambda p: ds.fixed_point(lambda x, p: 1 / (x * x + p), 0.5, args=p, xtol=1e-14)):
        assert float(x_of(1.0)) == pytest.approx(x, rel=1e-10)
        assert dn.derivative(x_of, 1.0) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("n", [4, GATHER_MIN + 8])
def test_a_long_list_of_equations_is_gathered_into_a_dual_array(n):
    """F's list of scalars becomes a DualArray from GATHER_MIN entries on (numpy's
    like=), an object array below; the derivatives are the same either way."""
    kinds = []

    def total(p):
        x = ds.root(lambda x, p: [x[i] ** 3 + p[i] * x[i] - 1 + 0.1 * x[(i + 1) % n] for i in range(n)],
                    np.full(n, 0.5), args=(p,), tol=1e-13).x
        kinds.append(type(x))
        return np.sum(x)

    p = np.linspace(0.5, 2.0, n)
    grad = dn.gradient(total, p)
    assert kinds[-1] is (dn.DualArray if n >= GATHER_MIN else np.ndarray)

    def plain_total(p):
        coupled = lambda x: x ** 3 + p * x - 1 + 0.1 * np.roll(x, -1)
        return np.sum(scipy.optimize.root(coupled, np.full(n, 0.5), tol=1e-14).x)

    np.testing.assert_allclose(grad, central(plain_total, p), rtol=1e-6)


def test_third_derivative_of_a_system_along_a_line():
    """A Jet of order 3 in a 2-D system (object arrays of Jets): against central
    differences of the second derivative."""
    v = np.array([1.0, -0.5])

    def component(t):
        return ds.root(system, X0, args=(P0 + t * v,), tol=1e-13).x[0]

    second = lambda t: dn.derivative(component, t, n=2)
    assert dn.derivative(component, 0.0, n=3) == pytest.approx((second(1e-4) - second(-1e-4)) / 2e-4,
                                                               rel=1e-6)


def test_a_scalar_hessian_and_an_object_array_in_args():
    """hessian and hvp at a scalar point pass a Dual2; an object array in args
    holding one dual entry among plain ones lifts like any other."""
    x_of = SCALAR_SOLVERS["root hybr"]
    second = mp_cubic_derivative(2)
    assert dn.hessian(x_of, 1.0) == pytest.approx(second, rel=1e-9)
    assert dn.hvp(x_of, 1.0, 2.0) == pytest.approx(2.0 * second, rel=1e-9)

    def from_objects(v):
        coefficients = np.array([v[0], 1.0], dtype=object)
        return ds.root(lambda x, c: cubic(x, c[0], c[1]), 0.5, args=(coefficients,)).x[0]

    x = cubic_root(1.0)
    np.testing.assert_allclose(dn.gradient(from_objects, [1.0]), [-x / (3 * x * x + 1.0)], rtol=1e-10)
    np.testing.assert_allclose(dn.hessian(from_objects, [1.0]), [[second]], rtol=1e-9)


@pytest.mark.parametrize("method", ["hybr", "lm", "broyden1", "anderson", "krylov", "df-sane", "diagbroyden"])
def test_default_tolerances_give_accurate_derivatives_and_scipys_shape(method):
    """The lift starts after one plain Newton step: a root good to the solver's
    default tolerance (1e-6 for anderson) still gives derivatives to ~1e-12;
    x keeps scipy's shape (1-D for hybr and lm, x0's, here 0-d, for the others)."""
    x = cubic_root(1.0)
    shape = np.shape(scipy.optimize.root(lambda x: cubic(x, 1.0), 0.5, method=method).x)
    solutions = []

    def x_of(p):
        solution = ds.root(cubic, 0.5, args=(p,), method=method).x
        solutions.append(solution)
        return solution.reshape(-1)[0]

    assert dn.derivative(x_of, 1.0) == pytest.approx(-x / (3 * x * x + 1.0), rel=1e-11)
    assert np.shape(solutions[-1]) == shape


def test_a_two_dimensional_x0_keeps_its_shape():
    """krylov calls fun with x of x0's shape, here (2, 2), in the solve and in the lift."""
    def equations(x, p):
        assert x.shape == (2, 2)
        return x ** 3 + p * x - 1

    p = np.array([[1.0, 2.0], [0.5, 1.5]])
    jac = dn.jacobian(lambda p: ds.root(equations, np.full((2, 2), 0.5), args=(p,), method="krylov").x, p)
    x = np.vectorize(cubic_root)(p)
    expected = np.diag((-x / (3 * x * x + p)).reshape(-1)).reshape(2, 2, 2, 2)
    np.testing.assert_allclose(jac, expected, rtol=1e-10, atol=1e-14)
