"""lift_minimum (dualnum/scipy/_implicit.py): a minimiser found by
scipy.optimize.minimize, lifted onto dual numbers of the args by the
optimality condition grad_x fun(x, p) = 0 (issue 16, item 5), alone and
through dualnum.scipy.minimize.  References: closed forms, central
differences of a tight plain solve of the hand-written gradient, central
differences of dualnum's gradients for Hessians."""
import math

import numpy as np
import pytest
import implicit_references as references  # tests/, on pytest's pythonpath
import scipy.optimize

import dualnum as dn
from dualnum.scipy import minimize
from dualnum.scipy._implicit import lift_minimum, plain

central = references.central


def objective(x, p):
    return (x[0] - p[0]) ** 2 + (x[1] - x[0] * p[1]) ** 4 + x[1] ** 2 + dn.cosh(x[0] * p[1])


def objective_gradient(x, p):
    """By hand, for the reference solve."""
    u = x[1] - x[0] * p[1]
    return [2 * (x[0] - p[0]) - 4 * p[1] * u ** 3 + p[1] * math.sinh(x[0] * p[1]), 4 * u ** 3 + 2 * x[1]]


P = np.array([1.0, 0.5])


def plain_minimiser(p):
    sol = scipy.optimize.root(lambda x: objective_gradient(x, p), [0.5, 0.0], tol=1e-14)
    assert np.max(np.abs(objective_gradient(sol.x, p))) < 1e-13
    return sol.x


def argmin(p, method="BFGS"):
    jac = None if method == "Nelder-Mead" else (lambda x, q: dn.gradient(lambda y: objective(y, q), x))
    x_star = scipy.optimize.minimize(objective, [0.0, 0.0], args=(plain(p),), method=method, jac=jac,
                                     tol=1e-12).x
    return lift_minimum(objective, x_star, (p,))


def test_plain_args_return_the_minimiser_as_it_is():
    x_star = np.array([0.25, -1.5])
    assert lift_minimum(objective, x_star, (P,)) is not None
    np.testing.assert_array_equal(lift_minimum(objective, x_star, (P,)), x_star)


def test_closed_form_of_a_quadratic():
    """argmin of (x0 - p)² + (x1 - p²)² is (p, p²); in a plain list of args too."""
    fun = lambda x, c: (x[0] - c[0]) ** 2 + (x[1] - c[0] ** 2) ** 2 + c[1]

    def x_of(p):
        return lift_minimum(fun, scipy.optimize.minimize(fun, [0.0, 0.0], args=([1.5, 2.0],)).x, ([p, 2.0],))

    np.testing.assert_allclose(dn.derivative(x_of, 1.5), [1.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(dn.derivative(x_of, 1.5, n=2), [0.0, 2.0], atol=1e-6)


@pytest.mark.parametrize("method", ["BFGS", "Nelder-Mead"])
def test_jacobian_and_jvp_of_the_minimiser(method, seeding):
    reference = central(plain_minimiser, P)
    tol = 1e-6 if method == "BFGS" else 1e-3         # Nelder-Mead stops far from the minimiser
    np.testing.assert_allclose(dn.jacobian(lambda p: argmin(p, method), P), reference, rtol=tol, atol=tol)
    v = np.array([1.0, -0.5])
    np.testing.assert_allclose(dn.jvp(lambda p: argmin(p), P, v)[1], reference @ v, rtol=1e-6)


def test_hessian_and_hvp_through_the_minimiser():
    def loss(p):
        x = argmin(p)
        return x[0] * x[1] + x[0] ** 2

    hess = dn.hessian(loss, P)
    np.testing.assert_allclose(hess, central(lambda p: dn.gradient(loss, p), P, h=1e-5), rtol=1e-5, atol=1e-8)
    v = np.array([2.0, 1.0])
    np.testing.assert_allclose(dn.hvp(loss, P, v), hess @ v, rtol=1e-10)


def test_third_derivative_along_a_line():
    """Jets of order 3: three chord steps, each with a gradient nested inside the Taylor call."""
    line = lambda t: argmin(P * t)[0]
    second = lambda t: dn.derivative(line, t, n=2)
    assert dn.derivative(line, 1.0, n=3) == pytest.approx((second(1.0 + 1e-4) - second(1.0 - 1e-4)) / 2e-4,
                                                          rel=1e-5)


def test_a_degenerate_minimum_names_the_solver():
    fun = lambda x, p: (x[0] + x[1] - p) ** 2          # a valley of minimisers: Hessian singular
    with pytest.raises(np.linalg.LinAlgError, match="dualnum.scipy.minimize: the Jacobian"):
        dn.derivative(lambda p: lift_minimum(fun, np.array([0.5, 0.5]), (p,)), 1.0)


# ------------------------------------------------- through dualnum.scipy.minimize

@pytest.mark.parametrize("method", [None, "BFGS", "L-BFGS-B", "Newton-CG", "trust-exact",
                                    "trust-krylov", "Nelder-Mead"])
def test_minimize_differentiates_its_minimiser_in_args(method):
    options = {"xatol": 1e-12, "fatol": 1e-14, "maxiter": 4000} if method == "Nelder-Mead" else None
    tol = 1e-8 if method == "trust-krylov" else 1e-10   # tighter, scipy's trust-krylov overflows
    x_of = lambda p: minimize(objective, [0.0, 0.0], args=(p,), method=method, tol=tol,
                              options=options).x
    np.testing.assert_allclose(dn.value_and_jacobian(x_of, P)[0], plain_minimiser(P), atol=1e-9)
    np.testing.assert_allclose(dn.jacobian(x_of, P), central(plain_minimiser, P), rtol=1e-6, atol=1e-8)


def test_minimize_closed_form_and_every_call_kind():
    """argmin of sum (x - p)**2 + x**4 solves x + 2 x**3 = p: dx/dp = 1/(1 + 6x²),
    d²x/dp² = -12 x (dx/dp)³; through derivative (orders 1, 2), hessian and nesting."""
    fun = lambda x, p: np.sum((x - p) ** 2) + np.sum(x ** 4)
    x_of = lambda p: minimize(fun, [0.0], args=(p,)).x[0]
    x = float(np.real(np.roots([2.0, 0.0, 1.0, -1.0])[np.isreal(np.roots([2.0, 0.0, 1.0, -1.0]))][0]))
    slope = 1 / (1 + 6 * x ** 2)
    assert dn.derivative(x_of, 1.0) == pytest.approx(slope, rel=1e-9)
    assert dn.derivative(x_of, 1.0, n=2) == pytest.approx(-12 * x * slope ** 3, rel=1e-7)
    assert dn.hessian(lambda p: x_of(p[0]), np.array([1.0]))[0, 0] == pytest.approx(-12 * x * slope ** 3,
                                                                                     rel=1e-7)
    nested = dn.derivative(lambda a: dn.derivative(lambda b: x_of(a * b), 1.0), 1.0)
    assert nested == pytest.approx(slope - 12 * x * slope ** 3, rel=1e-7)   # d/da (a x'(a))


def test_minimize_with_dual_args_and_jac_true_or_inactive_bounds():
    """jac=True: fun returns (value, gradient), the gradient by hand; the lift
    differentiates the value alone."""
    both = lambda x, p: (np.sum((x - p) ** 2) + np.sum(x ** 4), 2 * (x - p) + 4 * x ** 3)
    x = minimize(both, [0.0], args=(1.0,), jac=True, tol=1e-12).x[0]
    slope = dn.derivative(lambda p: minimize(both, [0.0], args=(p,), jac=True).x[0], 1.0)
    assert slope == pytest.approx(1 / (1 + 6 * x ** 2), rel=1e-9)
    reference = central(plain_minimiser, P)
    np.testing.assert_allclose(
        dn.jacobian(lambda p: minimize(objective, [0.0, 0.0], args=(p,), bounds=[(-5, 5), (-5, 5)],
                                       tol=1e-12).x, P),
        reference, rtol=1e-6, atol=1e-8)


def test_minimize_refuses_what_the_optimality_condition_cannot_serve():
    fun = lambda x, p: np.sum((x - p) ** 2)
    with pytest.raises(NotImplementedError, match="minimiser lies on a bound"):
        dn.derivative(lambda p: minimize(fun, [0.0], args=(p,), bounds=[(0.0, 0.5)]).x[0], 1.0)
    with pytest.raises(NotImplementedError, match="which constraints change"):
        dn.derivative(lambda p: minimize(fun, [0.0, 0.0], args=(p,), constraints={
            "type": "ineq", "fun": lambda x: x[0] + 10.0}).x[0], 1.0)
    with pytest.raises(RuntimeError, match="dualnum.scipy.minimize did not converge"):
        dn.derivative(lambda p: minimize(lambda x, p: (x[0] - p) ** 2 + x[0] ** 4, [5.0], args=(p,),
                                         options={"maxiter": 1}).x[0], 1.0)
