"""root, root_scalar and fixed_point: scipy's root finders with dualnum's
derivatives, differentiable in their ``args``.

Plain args: scipy solves, with the derivatives the method uses supplied by
dualnum (exact, from one evaluation of f with its value).  Dual numbers of
any dualnum call in args: scipy solves with their plain values, and the
solution is lifted onto the dual numbers by the implicit function theorem
(dualnum/scipy/_implicit.py).  A failed solve cannot be lifted (the theorem
needs a root): with dual args it raises RuntimeError, with plain args the
result is scipy's, success flag and all.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.optimize

import dualnum as dn
from dualnum.scipy._implicit import (dual_order, lift_fixed_point, lift_root, lift_scalar_root,
                                     not_converged, plain)

ROOT_METHODS = ("hybr", "lm", "broyden1", "broyden2", "anderson", "linearmixing",
                "diagbroyden", "excitingmixing", "krylov", "df-sane")
ROOT_SCALAR_METHODS = ("bisect", "brentq", "brenth", "ridder", "toms748", "newton", "secant", "halley")
FIXED_POINT_METHODS = ("del2", "iteration")
_USES_JACOBIAN = ("hybr", "lm")


def _as_tuple(args: Any) -> tuple[Any, ...]:
    """args as scipy takes them: a tuple, or one extra argument on its own."""
    return args if isinstance(args, tuple) else (args,)


def _unknown(solver: str, method: object, known: Sequence[str]) -> ValueError:
    return ValueError(
        f"dualnum.scipy.{solver}: unknown method {method!r}; scipy's {solver} knows "
        f"{', '.join(repr(name) for name in known)}")


def _plain_only(fun: Callable[..., Any], solver: str) -> Callable[..., Any]:
    """fun for scipy's plain solve: a clear TypeError where it returns dual numbers
    although x and args are plain (it uses an enclosing call's numbers that are not
    in args), where scipy would fail on an object array."""
    def plain_fun(x: Any, *a: Any) -> Any:
        out = fun(x, *a)
        if dual_order(out):
            raise TypeError(
                f"dualnum.scipy.{solver}: the function returned dual numbers at plain x and "
                f"args: it uses dual numbers of a dualnum call that are not in args (through "
                f"a closure or a global); pass them in args, which {solver} differentiates "
                f"the solution with respect to")
        return out
    return plain_fun


def root(fun: Callable[..., Any], x0: Any, args: tuple[Any, ...] = (), method: str = "hybr",
         jac: bool | Callable[..., Any] | None = None, tol: float | None = None,
         callback: Callable[..., Any] | None = None,
         options: dict[str, Any] | None = None) -> scipy.optimize.OptimizeResult:
    """Find a root of a vector function, as :func:`scipy.optimize.root`,
    with dualnum's Jacobian and differentiable in ``args``.

    For the methods that use a Jacobian ('hybr', 'lm') and no ``jac`` given,
    dualnum supplies it: fun's value and Jacobian from one evaluation
    (scipy's ``jac=True`` convention).  The other methods get none, as in
    scipy.  A ``jac`` you pass is used as it is.

    When ``args`` holds dual numbers of a dualnum call (a derivative,
    gradient, jacobian, hessian or nested call whose function calls root),
    scipy solves with their plain values and ``result.x`` is the root as
    dual numbers of that call, by the implicit function theorem
    (dx/dp = -(dF/dx)^-1 dF/dp, and every higher order the call needs).

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> array``, the equations, written for dualnum (numpy
        and dualnum functions), of the shape of ``x``; with ``jac=True`` it
        returns ``(F, J)``.
    x0 : array_like
        The starting point (its plain values; it is not differentiated).
    args : tuple, optional
        Extra arguments of fun; they may hold dual numbers (see above).
    method : str, optional
        One of scipy's: 'hybr' (default), 'lm', 'broyden1', 'broyden2',
        'anderson', 'linearmixing', 'diagbroyden', 'excitingmixing',
        'krylov', 'df-sane'.
    jac : bool or callable, optional
        As in scipy; None lets dualnum supply the Jacobian.
    tol, callback, options
        As in scipy.

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result; with dual numbers in args its ``x`` holds dual
        numbers (of scipy's shape, its value refined by a Newton step),
        the other fields are the plain solve's.

    Raises
    ------
    ValueError
        For a method scipy does not know.
    RuntimeError
        With dual numbers in args, when the solve failed (``success`` False).
    numpy.linalg.LinAlgError
        With dual numbers in args, when fun's Jacobian in x is singular at the root.

    Examples
    --------
    >>> import dualnum as dn, dualnum.scipy
    >>> def x_of(p):
    ...     return dualnum.scipy.root(lambda x, p: x ** 3 + p * x - 1, 0.5, args=(p,)).x[0]
    >>> x = float(x_of(1.0))
    >>> round(dn.derivative(x_of, 1.0), 12) == round(-x / (3 * x ** 2 + 1.0), 12)
    True
    """
    if not isinstance(method, str) or method.lower() not in ROOT_METHODS:
        raise _unknown("root", method, ROOT_METHODS)
    args = _as_tuple(args)
    plain_args = plain(args)
    solve_fun, solve_jac = fun, jac
    if jac is None and method.lower() in _USES_JACOBIAN:
        def solve_fun(x: np.ndarray, *a: Any) -> tuple[Any, Any]:
            return dn.value_and_jacobian(lambda y: fun(y, *a), x)
        solve_jac = True
    sol = scipy.optimize.root(_plain_only(solve_fun, "root"), plain(x0), args=plain_args,
                              method=method, jac=solve_jac, tol=tol, callback=callback,
                              options=options)
    if dual_order(args) == 0:
        return sol
    if not sol.success:
        raise not_converged("root", sol.message)
    # fun gets x of the solution's shape, as scipy gives it (1-D for hybr and lm, x0's
    # shape for the others); the lift works on the flat x
    shape = np.shape(sol.x)
    returns_jac = jac is not None and not callable(jac) and bool(jac)     # fun returns (F, J)

    def equations(x: Any, *a: Any) -> Any:
        out = fun(np.reshape(x, shape), *a)
        return out[0] if returns_jac else out

    flat = np.asarray(sol.x, dtype=np.float64).reshape(-1)
    sol.x = np.reshape(lift_root(equations, flat, args, "root"), shape)
    return sol


def root_scalar(f: Callable[..., Any], args: tuple[Any, ...] = (), method: str | None = None,
                bracket: Sequence[float] | None = None,
                fprime: bool | Callable[..., Any] | None = None,
                fprime2: bool | Callable[..., Any] | None = None,
                x0: float | None = None, x1: float | None = None, xtol: float | None = None,
                rtol: float | None = None, maxiter: int | None = None,
                options: dict[str, Any] | None = None) -> Any:
    """Find a root of a scalar function, as :func:`scipy.optimize.root_scalar`,
    with dualnum's derivatives and differentiable in ``args``.

    scipy chooses the method as it does (bracket: 'brentq'; x0 and fprime:
    'newton', with fprime2 'halley'; x0 and x1: 'secant'; x0 alone:
    'newton').  'newton' and 'halley' without ``fprime`` get f's value and
    derivatives from one evaluation by dualnum (scipy's ``fprime=True``
    convention; scipy itself would use finite differences for newton, and
    refuse halley); halley with your ``fprime`` gets dualnum's ``fprime2``.
    The other methods use no derivatives.

    When ``args`` holds dual numbers of a dualnum call, scipy solves with
    their plain values and ``result.root`` is the root as dual numbers of
    that call (implicit function theorem: dx/dp = -f_p / f_x, and the higher
    orders the call needs).

    Parameters
    ----------
    f : callable
        ``f(x, *args) -> float``, written for dualnum; with ``fprime=True``
        it returns ``(f, f')``, with ``fprime2=True`` too ``(f, f', f'')``.
    args : tuple, optional
        Extra arguments of f; they may hold dual numbers.
    method, bracket, fprime, fprime2, x0, x1, xtol, rtol, maxiter, options
        As in scipy.

    Returns
    -------
    scipy.optimize.RootResults
        scipy's result; with dual numbers in args its ``root`` is a dual number.

    Raises
    ------
    ValueError
        For a method scipy does not know, or no method chosen.
    RuntimeError
        With dual numbers in args, when the solve did not converge.
    numpy.linalg.LinAlgError
        With dual numbers in args, when f'(root) is zero (a multiple root).

    Examples
    --------
    >>> import math, dualnum as dn, dualnum.scipy
    >>> def sqrt(p):                               # the root of x**2 - p
    ...     return dualnum.scipy.root_scalar(lambda x, p: x ** 2 - p, args=(p,), x0=1.0).root
    >>> round(dn.derivative(sqrt, 2.0), 12) == round(0.5 / math.sqrt(2.0), 12)
    True
    """
    args = _as_tuple(args)
    plain_args = plain(args)
    chosen = _scalar_method(method, bracket, fprime, fprime2, x0, x1)
    solve_f, solve_fprime, solve_fprime2 = f, fprime, fprime2
    if chosen in ("newton", "halley") and not fprime:
        order = 1 if chosen == "newton" else 2

        def solve_f(x: float, *a: Any) -> Any:
            return tuple(dn.derivatives(lambda y: f(y, *a), x, order))
        solve_fprime, solve_fprime2 = True, chosen == "halley" or None
    elif chosen == "halley" and not fprime2:
        value: Callable[..., Any] = f if fprime is not True else (lambda y, *a: f(y, *a)[0])

        def solve_fprime2(x: float, *a: Any) -> Any:
            return dn.derivative(lambda y: value(y, *a), x, n=2)
    sol = scipy.optimize.root_scalar(
        _plain_only(solve_f, "root_scalar"), args=plain_args, method=chosen,
        bracket=plain(bracket), fprime=solve_fprime, fprime2=solve_fprime2, x0=plain(x0),
        x1=plain(x1), xtol=xtol, rtol=rtol, maxiter=maxiter, options=options)
    if dual_order(args) == 0:
        return sol
    if not sol.converged:
        raise not_converged("root_scalar", sol.flag)
    equation = f
    if fprime is True or fprime2 is True:                  # f returns (f, f', ...)
        def equation(x: Any, *a: Any) -> Any:
            return f(x, *a)[0]
    sol.root = lift_scalar_root(equation, float(sol.root), args)
    return sol


def _scalar_method(method: str | None, bracket: Any, fprime: Any, fprime2: Any, x0: Any,
                   x1: Any) -> str:
    """The method root_scalar uses: ``method`` checked, or scipy's choice."""
    if method is not None:
        if not isinstance(method, str) or method.lower() not in ROOT_SCALAR_METHODS:
            raise _unknown("root_scalar", method, ROOT_SCALAR_METHODS)
        return method.lower()
    if bracket is not None:
        return "brentq"
    if x0 is not None:
        if fprime:
            return "halley" if fprime2 else "newton"
        return "secant" if x1 is not None else "newton"
    raise ValueError("dualnum.scipy.root_scalar: unable to select a method, as neither a "
                     "bracket nor a starting point x0 is given; pass bracket=[a, b] or x0")


def fixed_point(func: Callable[..., Any], x0: Any, args: tuple[Any, ...] = (),
                xtol: float = 1e-08, maxiter: int = 500, method: str = "del2") -> Any:
    """Find a fixed point ``x = func(x, *args)``, as :func:`scipy.optimize.fixed_point`,
    differentiable in ``args``.

    The methods use no derivatives.  When ``args`` holds dual numbers of a
    dualnum call, scipy iterates with their plain values and the fixed point
    is returned as dual numbers of that call, by the implicit function
    theorem on ``F(x) = func(x, *args) - x``.

    Parameters
    ----------
    func : callable
        ``func(x, *args)``, written for dualnum, of the shape of ``x0``.
    x0 : array_like
        The starting point (its plain values).
    args : tuple, optional
        Extra arguments of func; they may hold dual numbers.
    xtol, maxiter, method
        As in scipy ('del2' or 'iteration').

    Returns
    -------
    ndarray or dual numbers
        scipy's fixed point; with dual numbers in args, the fixed point as
        dual numbers of their call (a scalar for a scalar ``x0``).

    Raises
    ------
    ValueError
        For a method scipy does not know.
    RuntimeError
        When the iteration does not converge (scipy's own error).
    numpy.linalg.LinAlgError
        With dual numbers in args, when I - dfunc/dx is singular at the fixed point.

    Examples
    --------
    >>> import math, dualnum as dn, dualnum.scipy
    >>> def x_of(p):                               # x = cos(p x)
    ...     return dualnum.scipy.fixed_point(lambda x, p: dn.cos(p * x), 0.5, args=(p,))
    >>> x = float(x_of(1.0))
    >>> closed = -x * math.sin(x) / (1 + math.sin(x))
    >>> round(dn.derivative(x_of, 1.0), 12) == round(closed, 12)
    True
    """
    if not isinstance(method, str) or method not in FIXED_POINT_METHODS:
        raise _unknown("fixed_point", method, FIXED_POINT_METHODS)
    args = _as_tuple(args)
    x_star = scipy.optimize.fixed_point(_plain_only(func, "fixed_point"), plain(x0),
                                        args=plain(args), xtol=xtol, maxiter=maxiter,
                                        method=method)
    if dual_order(args) == 0:
        return x_star
    return lift_fixed_point(func, x_star if np.ndim(x0) else float(x_star), args)
