"""Errors of dualnum.scipy.root, root_scalar and fixed_point (issue 16, item 5):
unknown methods, failed solves and singular Jacobians with dual args, dual
numbers that do not come through args, and numbers of a finished call."""
import numpy as np
import pytest

import dualnum as dn
import dualnum.scipy as ds


def cubic(x, p):
    return x ** 3 + p * x - 1


@pytest.mark.parametrize("call, solver, method", [
    (lambda: ds.root(cubic, 0.5, args=(1.0,), method="newton"), "root", "newton"),
    (lambda: ds.root(cubic, 0.5, args=(1.0,), method=None), "root", "None"),
    (lambda: ds.root_scalar(cubic, args=(1.0,), x0=0.5, method="hybr"), "root_scalar", "hybr"),
    (lambda: ds.fixed_point(np.cos, 0.5, method="newton"), "fixed_point", "newton"),
])
def test_unknown_methods_are_named_with_the_known_ones(call, solver, method):
    with pytest.raises(ValueError, match=f"dualnum.scipy.{solver}: unknown method '?{method}'?; scipy's"):
        call()


def test_root_scalar_without_bracket_or_start_says_what_to_pass():
    with pytest.raises(ValueError, match="neither a bracket nor a starting point x0.*pass bracket"):
        ds.root_scalar(cubic, args=(1.0,))


def test_a_failed_root_with_dual_args_raises():
    """x**2 + p has no real root: scipy reports success False, and with dual
    args the solution cannot be differentiated (with plain args: scipy's result)."""
    assert not ds.root(lambda x, p: x ** 2 + p, 0.5, args=(1.0,)).success
    with pytest.raises(RuntimeError, match="dualnum.scipy.root did not converge .*implicit function theorem"):
        dn.derivative(lambda p: ds.root(lambda x, p: x ** 2 + p, 0.5, args=(p,)).x[0], 1.0)


def test_a_failed_root_scalar_with_dual_args_raises():
    options = {"disp": False}                         # scipy's own RuntimeError off: converged False
    assert not ds.root_scalar(lambda x, p: x ** 2 + p, args=(1.0,), x0=0.5, maxiter=5,
                              options=options).converged
    with pytest.raises(RuntimeError, match="dualnum.scipy.root_scalar did not converge"):
        dn.derivative(lambda p: ds.root_scalar(lambda x, p: x ** 2 + p, args=(p,), x0=0.5, maxiter=5,
                                               options=options).root, 1.0)


def test_a_singular_jacobian_names_the_solver():
    """Two copies of one equation: a line of roots, J singular, no unique x(p)."""
    def equations(x, p):
        return [x[0] + x[1] - p, 2 * (x[0] + x[1] - p)]

    with pytest.raises(np.linalg.LinAlgError, match="dualnum.scipy.root: the Jacobian .* is singular"):
        dn.derivative(lambda p: ds.root(equations, [0.0, 0.0], args=(p,), method="lm").x, 1.0)


def test_a_zero_slope_at_the_root_names_the_solver():
    """x**3 - (p - 1)**3 at p = 1: bisection lands on the triple root 0 exactly, f'(0) = 0."""
    def x_of(p):
        return ds.root_scalar(lambda x, p: x ** 3 - (p - 1) ** 3, args=(p,), bracket=[-1.0, 1.0],
                              method="bisect").root

    assert x_of(1.0) == 0.0
    with pytest.raises(np.linalg.LinAlgError, match="dualnum.scipy.root_scalar: the Jacobian"):
        dn.derivative(x_of, 1.0)


def test_a_fixed_point_with_a_singular_jacobian_names_the_solver():
    """x = p x at p = 1: every x is a fixed point."""
    assert ds.fixed_point(lambda x, p: p * x, 0.5, args=(1.0,)) == 0.5
    with pytest.raises(np.linalg.LinAlgError, match="dualnum.scipy.fixed_point: the Jacobian"):
        dn.derivative(lambda p: ds.fixed_point(lambda x, p: p * x, 0.5, args=(p,)), 1.0)


@pytest.mark.parametrize("solve", [
    lambda f, p: ds.root(lambda x: f(x, p), 0.5).x[0],
    lambda f, p: ds.root(lambda x: f(x, p), 0.5, method="broyden1").x[0],
    lambda f, p: ds.root_scalar(lambda x: f(x, p), x0=0.5).root,
    lambda f, p: ds.root_scalar(lambda x: f(x, p), bracket=[0.0, 2.0]).root,
    lambda f, p: ds.fixed_point(lambda x: x - f(x, p), 0.5),
])
def test_dual_numbers_in_a_closure_are_refused_with_advice(solve):
    advice = "dual numbers of a dualnum call that are not in args.*pass them in args"
    with pytest.raises(TypeError, match=advice):
        dn.derivative(lambda p: solve(cubic, p), 1.0)


def test_numbers_of_a_finished_call_are_refused():
    """A perturbation that escaped its call, mixed with the current call's: dualnum's own error."""
    escaped = []
    dn.derivative(lambda q: escaped.append(q) or q, 1.0)
    with pytest.raises(ValueError, match="a differentiation call that has finished"):
        dn.derivative(lambda p: ds.root(lambda x, p, q: x ** 3 + p * x - q, 0.5, args=(p, escaped[0])).x[0],
                      1.0)
