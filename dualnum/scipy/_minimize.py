"""dualnum.scipy.minimize: scipy.optimize.minimize with derivatives from dualnum.

What is supplied, and when (anything else the user gives passes through
untouched):

- ``jac``, when the user gives none (None, False or a finite-difference
  string): fun and its gradient from one evaluation of fun on dual numbers
  (``dn.value_and_gradient``), remembered at the last x, so scipy's fun(x)
  then jac(x) cost one evaluation.  A callable or ``jac=True`` passes through.
- ``hess``, for the methods that use second derivatives (Newton-CG, dogleg,
  trust-ncg, trust-krylov, trust-exact, trust-constr), when the user gives
  neither hess nor hessp: ``dn.hessian``; with ``hess_sparsity`` one
  Hessian-vector product per colour of the pattern (a plain pattern, or
  ``"auto"``: the pattern ``dn.detect_hessian_sparsity`` finds at x0, once,
  star-coloured), handed to Newton-CG and
  trust-constr as a scipy.sparse matrix and to the others as an ndarray
  (trust-exact and dogleg factorise H, trust-ncg and trust-krylov multiply
  it with np.dot, which takes no sparse matrix).  Beyond
  DENSE_HESSIAN_LIMIT variables and without a pattern, the methods that take
  ``hessp`` get ``dn.hvp`` instead of an n x n matrix.  A
  HessianUpdateStrategy (BFGS(), SR1()) passes through.
- the constraints' Jacobians, for SLSQP and trust-constr: a dict without
  'jac', a NonlinearConstraint whose jac is a finite-difference string (its
  default) get fun and Jacobian from one evaluation (``dn.value_and_jacobian``;
  by colours of its ``finite_diff_jac_sparsity`` where given, sparse for
  trust-constr);
  for trust-constr, a NonlinearConstraint whose hess is scipy's default
  (a BFGS() with default settings) gets the exact ``hess(x, v)``, the
  Hessian of ``v @ fun(x)``.  Bounds and LinearConstraint pass through.
- nothing for the derivative-free methods (Nelder-Mead, Powell, COBYLA,
  COBYQA); given jac, hess or hessp they raise TypeError, as does a method
  that takes no Hessian given hess or hessp.

Dual numbers of an enclosing dualnum call in ``args`` (implicit
differentiation): scipy minimises with their plain values, then the
minimiser is lifted onto them through the optimality condition
grad_x fun(x, p) = 0 (dualnum/scipy/_implicit.py, ``lift_minimum``).  That
condition holds at an unconstrained minimum only, so with dual args the
constraints must be empty and no bound may be active at the solution
(NotImplementedError otherwise); a failed solve raises RuntimeError, unless
the gradient vanishes where scipy stopped (its line search stalls at a
minimiser it has found: "precision loss").  Dual
numbers in ``x0`` are refused: the minimiser does not depend on where the
search starts.

Hessian sparsity is detected only when asked (``hess_sparsity="auto"``),
not by default as least_squares detects a Jacobian's: detection can cost two
dense Hessians (O(n²) memory: fun not one sum of the compiled array, see
dualnum/hessian_sparsity.py), where least_squares' tracing is one
first-order pass.  A detected pattern that needs as many colours as there
are variables (a dense Hessian) is not used: the dense Hessian, one pass,
is handed instead of n Hessian-vector products.
"""
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.optimize
from scipy.optimize import BFGS, NonlinearConstraint, OptimizeResult

import dualnum as dn
from dualnum.scipy._cache import FINITE_DIFFERENCES, ValueAndDerivative, refuse_dual_numbers
from dualnum.scipy._implicit import (dual_order, lift_minimum, not_converged, plain,
                                     refuse_an_active_bound)

DERIVATIVE_FREE = ("nelder-mead", "powell", "cobyla", "cobyqa")
SECOND_ORDER = ("newton-cg", "dogleg", "trust-ncg", "trust-krylov", "trust-exact", "trust-constr")
TAKES_HESSP = ("newton-cg", "trust-ncg", "trust-krylov", "trust-constr")
SPARSE_HESSIAN_TAKERS = ("newton-cg", "trust-constr")    # the others need H as an ndarray
TAKES_CONSTRAINT_DERIVATIVES = ("slsqp", "trust-constr")
METHODS = DERIVATIVE_FREE + ("cg", "bfgs", "l-bfgs-b", "tnc", "slsqp") + SECOND_ORDER   # scipy's
# A dense Hessian of 1000 variables is 8 MB and one compiled pass; beyond,
# Hessian-vector products (O(n) memory each) are supplied where scipy takes them.
DENSE_HESSIAN_LIMIT = 1000


def minimize(fun: Callable[..., Any], x0: Any, args: Any = (), method: str | Callable[..., Any] | None = None,
             jac: Any = None, hess: Any = None, hessp: Callable[..., Any] | None = None,
             bounds: Any = None, constraints: Any = (), tol: float | None = None,
             callback: Callable[..., Any] | None = None, options: dict[str, Any] | None = None,
             *, hess_sparsity: Any = None) -> OptimizeResult:
    """minimize(fun, x0, args=(), method=None, jac=None, hess=None, hessp=None, bounds=None, constraints=(), tol=None, callback=None, options=None, *, hess_sparsity=None) -> OptimizeResult

    :func:`scipy.optimize.minimize`, with the derivatives scipy asks for
    computed exactly by dualnum.  Pass ``fun`` as you would to scipy; the
    parameters and the result are scipy's.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float`` with ``x`` a 1-D array.  It receives
        dualnum's dual arrays when derivatives are computed, so it must be
        written with numpy or dualnum functions (as for :func:`dualnum.gradient`).
    x0 : array_like, shape (n,)
        The initial guess.
    args : tuple, optional
        Extra arguments of fun (and of jac, hess, hessp), plain numbers.
    method : str or callable, optional
        scipy's method; None picks as scipy does (SLSQP with constraints,
        L-BFGS-B with bounds, else BFGS).
    jac : callable, bool or str, optional
        None (or False, or a finite-difference string '2-point', '3-point',
        'cs'): the gradient comes from dualnum, from the evaluation that gives
        fun's value at the same x.  A callable, or True (fun returns the value
        and the gradient), passes through.
    hess : callable, str or HessianUpdateStrategy, optional
        For Newton-CG, dogleg, trust-ncg, trust-krylov, trust-exact and
        trust-constr: None (or a finite-difference string) and no ``hessp``:
        dualnum's Hessian (Hessian-vector products for the methods that take
        ``hessp`` when x has more than 1000 entries and no ``hess_sparsity``
        is given).  A callable or a HessianUpdateStrategy passes through.
    hessp : callable, optional
        Passes through (then no Hessian is supplied).
    bounds, tol, callback, options
        Pass through to scipy.
    constraints : dict, NonlinearConstraint, LinearConstraint or a sequence of them
        For SLSQP and trust-constr, a dict without 'jac' and a
        NonlinearConstraint whose jac is a finite-difference string get
        dualnum's Jacobian; with trust-constr, a NonlinearConstraint whose
        hess is scipy's default (``BFGS()``) gets the exact Hessian of
        ``v @ fun(x)``.  Everything else passes through.
    hess_sparsity : (n, n) boolean array, scipy.sparse matrix, SparsityPattern or "auto", optional
        Where the Hessian can be nonzero (symmetric): the Hessian then costs
        one Hessian-vector product per colour (a plain pattern is
        star-coloured: 3 for a tridiagonal one, 2 for an arrowhead) and is
        handed to Newton-CG and trust-constr as a ``scipy.sparse.csr_array``
        (to the other methods as an ndarray).  ``"auto"``: the pattern is
        detected once at x0 (:func:`dualnum.detect_hessian_sparsity`: the
        entries nonzero at x0 or near it, so entries that vanish at x0 only
        by coincidence are kept); a dense one falls back to the dense Hessian.

    Returns
    -------
    scipy.optimize.OptimizeResult
        scipy's result; ``nfev``, ``njev``, ``nhev`` count scipy's calls (fun
        and jac at one x are one evaluation of fun here).

    Raises
    ------
    ValueError
        For a method scipy does not know.
    TypeError
        For derivatives given to a method that does not use them, or
        ``hess_sparsity`` where no Hessian is supplied.
    RuntimeError
        With dual numbers in args, when the minimisation failed.
    NotImplementedError
        For dual numbers in ``x0`` or the constraints, or returned by fun (a
        closure over an enclosing dualnum call's numbers: pass them in
        ``args``); with dual numbers in ``args``, for constraints or a bound
        active at the solution.
    numpy.linalg.LinAlgError
        With dual numbers in args, when the Hessian at the minimiser is
        singular (the minimiser does not depend differentiably on them).

    Examples
    --------
    >>> import numpy as np
    >>> from dualnum.scipy import minimize
    >>> rosen = lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    >>> result = minimize(rosen, [-1.2, 1.0], method="trust-exact")
    >>> result.x.round(6), result.success
    (array([1., 1.]), True)

    The minimiser as a function of a parameter in ``args``:

    >>> import dualnum as dn
    >>> fun = lambda x, p: np.sum((x - p) ** 2) + np.sum(x ** 4)
    >>> slope = dn.derivative(lambda p: minimize(fun, [0.0], args=(p,)).x[0], 1.0)
    >>> x = minimize(fun, [0.0], args=(1.0,), tol=1e-12).x[0]   # x + 2 x**3 = p: dx/dp = 1/(1 + 6 x**2)
    >>> bool(abs(slope - 1 / (1 + 6 * x ** 2)) < 1e-9)
    True
    """  # noqa: E501  (the first line is the call)
    refuse_dual_numbers("minimize", x0=x0, constraints=constraints)
    if not isinstance(args, tuple):
        args = (args,)
    if dual_order(args):
        return _lifted(fun, x0, args, method, jac, hess, hessp, bounds, constraints, tol, callback,
                       options, hess_sparsity)
    name = _method_name(method, bounds, constraints)
    _check_options(name, method, jac, hess, hessp, hess_sparsity)
    if name in DERIVATIVE_FREE:
        return scipy.optimize.minimize(fun, x0, args, method, jac, hess, hessp, bounds, constraints,
                                       tol, callback, options)
    user_fun = fun
    value_of = (lambda x, *a: user_fun(x, *a)[0]) if jac is True else user_fun
    if _supplied(jac):
        objective = ValueAndDerivative(lambda x, *a: dn.value_and_gradient(lambda y: user_fun(y, *a), x),
                                       "minimize")
        fun, jac = objective.fun, objective.derivative
    if name in SECOND_ORDER and _supplied(hess) and hessp is None:
        n = np.size(x0)
        if isinstance(hess_sparsity, str):             # "auto" (_check_options refuses others)
            hess_sparsity = _detected_pattern(value_of, x0, args)
            if hess_sparsity.colours >= n:
                hess_sparsity = None                    # dense: one pass, not n products
        if hess_sparsity is not None:
            hess = _sparse_hessian(value_of, hess_sparsity, sparse=name in SPARSE_HESSIAN_TAKERS)
        elif n > DENSE_HESSIAN_LIMIT and name in TAKES_HESSP:
            hess, hessp = None, _hessian_vector_product(value_of)
        else:
            hess = _dense_hessian(value_of)
    if name in TAKES_CONSTRAINT_DERIVATIVES:
        constraints = _with_derivatives(constraints, second_order=name == "trust-constr")
    return scipy.optimize.minimize(fun, x0, args, method, jac, hess, hessp, bounds, constraints,
                                   tol, callback, options)


def _lifted(fun: Callable[..., Any], x0: Any, args: tuple[Any, ...], method: Any, jac: Any,
            hess: Any, hessp: Any, bounds: Any, constraints: Any, tol: float | None,
            callback: Any, options: Any, hess_sparsity: Any) -> OptimizeResult:
    """minimize with dual numbers in args: solve with their plain values, then
    lift the minimiser onto them (the optimality condition, see the module)."""
    if constraints:
        raise NotImplementedError(
            "dualnum.scipy.minimize: with dual numbers in args the minimiser is differentiated "
            "through the optimality condition grad f = 0, which constraints change (their "
            "multipliers enter): drop the constraints (e.g. a penalty or a change of variables), "
            "or pass plain floats in args")
    result = minimize(fun, x0, plain(args), method, jac, hess, hessp, bounds, constraints, tol,
                      callback, options, hess_sparsity=hess_sparsity)
    value_of = (lambda x, *a: fun(x, *a)[0]) if jac is True else fun
    if not result.success and not _stationary(value_of, result.x, plain(args)):
        raise not_converged("minimize", result.message)
    if bounds is not None:
        refuse_an_active_bound("minimize", result.x, *_bound_arrays(bounds))
    result.x = lift_minimum(value_of, result.x, args)
    return result


def _stationary(fun: Callable[..., Any], x: np.ndarray, args: tuple[Any, ...]) -> bool:
    """True when the gradient at x is below 1e-6 (relative to 1 + |f|): scipy
    reports failure also where its line search stalls at a found minimiser
    ("precision loss", trust-exact at tight tol), which the lift can take."""
    value, gradient = dn.value_and_gradient(lambda y: fun(y, *args), x)
    return bool(np.max(np.abs(gradient)) <= 1e-6 * (1.0 + abs(value)))


def _bound_arrays(bounds: Any) -> tuple[Any, Any]:
    """minimize's bounds (a Bounds, or (lo, hi) pairs with None for no bound) as (lower, upper)."""
    if isinstance(bounds, scipy.optimize.Bounds):
        return bounds.lb, bounds.ub
    pairs = np.array([(-np.inf if lo is None else lo, np.inf if hi is None else hi)
                      for lo, hi in bounds], dtype=np.float64)
    return pairs[:, 0], pairs[:, 1]


def _method_name(method: Any, bounds: Any, constraints: Any) -> str:
    """scipy's name of the method (lower case; '_custom' for a callable), chosen
    as scipy chooses it when None, or ValueError for a name scipy lacks."""
    if callable(method):
        return "_custom"
    if method is None:
        return "slsqp" if constraints else "l-bfgs-b" if bounds is not None else "bfgs"
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ValueError(f"dualnum.scipy.minimize: unknown method {method!r}; choose one of scipy's: "
                         + ", ".join(METHODS) + " (or pass a callable)")
    return method.lower()


def _check_options(name: str, method: Any, jac: Any, hess: Any, hessp: Any, hess_sparsity: Any) -> None:
    """TypeError for derivatives the method would ignore (scipy only warns):
    a user who passes them expects them used."""
    if name == "_custom":
        if hess_sparsity is not None:
            raise TypeError("minimize: hess_sparsity= needs one of scipy's methods that use a Hessian: "
                            + ", ".join(SECOND_ORDER) + "; a callable method gets only jac")
        return
    if name in DERIVATIVE_FREE:
        given_derivatives = (("jac", jac), ("hess", hess), ("hessp", hessp), ("hess_sparsity", hess_sparsity))
        for keyword, given in given_derivatives:
            if given is not None and given is not False:
                raise TypeError(
                    f"minimize: method {method!r} uses no derivatives, so {keyword}= has no effect; "
                    f"drop {keyword}= or choose a method that uses it (e.g. 'BFGS', 'trust-exact')")
        return
    for keyword, given, takers in (("hess", hess, SECOND_ORDER), ("hessp", hessp, TAKES_HESSP),
                                   ("hess_sparsity", hess_sparsity, SECOND_ORDER)):
        if given is not None and name not in takers:
            raise TypeError(
                f"minimize: method {method!r} uses no {keyword}; drop {keyword}= or choose one of "
                + ", ".join(takers))
    if isinstance(hess_sparsity, str) and hess_sparsity != "auto":
        raise TypeError(f"minimize: hess_sparsity={hess_sparsity!r}: pass 'auto' (detect the pattern at "
                        "x0) or the pattern (a symmetric boolean array, scipy.sparse matrix or "
                        "dualnum.SparsityPattern)")
    for keyword, given in (("hess", not _supplied(hess)), ("hessp", hessp is not None)):
        if hess_sparsity is not None and given:
            raise TypeError(f"minimize: hess_sparsity= is for the Hessian dualnum supplies; with {keyword}= "
                            "given, drop it")


def _supplied(derivative: Any) -> bool:
    """True where dualnum supplies the derivative: the user gave none or asked
    for finite differences."""
    return derivative is None or derivative is False or (
        isinstance(derivative, str) and derivative in FINITE_DIFFERENCES)


def _dense_hessian(fun: Callable[..., Any]) -> Callable[..., Any]:
    return lambda x, *args: dn.hessian(lambda y: fun(y, *args), x)


def _detected_pattern(fun: Callable[..., Any], x0: Any, args: tuple[Any, ...]) -> dn.SparsityPattern:
    """The Hessian pattern at x0, found once for the whole minimisation."""
    return dn.detect_hessian_sparsity(lambda y: fun(y, *args), np.asarray(x0, dtype=np.float64))


def _sparse_hessian(fun: Callable[..., Any], sparsity: Any, sparse: bool) -> Callable[..., Any]:
    pattern = (sparsity if isinstance(sparsity, dn.SparsityPattern)
               else dn.SparsityPattern(sparsity, symmetric=True))
    return lambda x, *args: dn.hessian(lambda y: fun(y, *args), x, sparsity=pattern, sparse_output=sparse)


def _hessian_vector_product(fun: Callable[..., Any]) -> Callable[..., Any]:
    return lambda x, p, *args: dn.hvp(lambda y: fun(y, *args), x, p)


def _with_derivatives(constraints: Any, second_order: bool) -> Any:
    """The constraints with dualnum's Jacobians (and, for trust-constr,
    Hessians) where scipy would take finite differences; same container."""
    if isinstance(constraints, (dict, NonlinearConstraint)) or not isinstance(constraints, Sequence):
        return _constraint_with_derivatives(constraints, second_order)
    lifted = [_constraint_with_derivatives(c, second_order) for c in constraints]
    return lifted if isinstance(constraints, list) else tuple(lifted)


def _constraint_with_derivatives(constraint: Any, second_order: bool) -> Any:
    if isinstance(constraint, dict) and constraint.get("jac") is None and "fun" in constraint:
        cached = _value_and_jacobian(constraint["fun"])
        return {**constraint, "fun": cached.fun, "jac": cached.derivative}
    if isinstance(constraint, NonlinearConstraint):
        fun, jac, hess = constraint.fun, constraint.jac, constraint.hess
        if _supplied(jac):
            # trust-constr takes a sparse Jacobian; SLSQP needs an ndarray
            sparsity = constraint.finite_diff_jac_sparsity
            sparse = second_order and sparsity is not None
            cached = _value_and_jacobian(constraint.fun, sparsity, sparse)
            fun, jac = cached.fun, cached.derivative
        if second_order and _default_hessian(hess):
            hess = _weighted_hessian(constraint.fun)
        return NonlinearConstraint(fun, constraint.lb, constraint.ub, jac, hess, constraint.keep_feasible,
                                   constraint.finite_diff_rel_step, constraint.finite_diff_jac_sparsity)
    return constraint


def _value_and_jacobian(fun: Callable[..., Any], sparsity: Any = None,
                        sparse: bool = False) -> ValueAndDerivative:
    """A constraint's value and Jacobian from one evaluation (by colours of
    ``sparsity`` where it is given)."""
    if sparsity is not None and not isinstance(sparsity, dn.SparsityPattern):
        sparsity = dn.SparsityPattern(sparsity)
    return ValueAndDerivative(lambda x, *args: dn.value_and_jacobian(
        lambda y: fun(y, *args), x, sparsity=sparsity, sparse_output=sparse), "minimize")


def _default_hessian(hess: Any) -> bool:
    """True for what NonlinearConstraint stores when given no hess: BFGS()
    with default settings, not yet used (an explicit BFGS() looks the same)."""
    return _supplied(hess) or (
        type(hess) is BFGS and vars(hess).keys() == vars(BFGS()).keys()
        and all(_same(getattr(hess, key), getattr(BFGS(), key)) for key in vars(hess)))


def _same(a: Any, b: Any) -> bool:
    return a is b or (type(a) is type(b) and not isinstance(a, np.ndarray) and a == b)


def _weighted_hessian(fun: Callable[..., Any]) -> Callable[[Any, Any], Any]:
    """hess(x, v): the Hessian of v @ fun(x), the constraints' part of the
    Lagrangian's Hessian that trust-constr asks for."""
    def weighted(x: Any, v: Any) -> Any:
        def lagrangian_part(y: Any) -> Any:
            value = fun(y)
            return np.sum(np.reshape(v, np.shape(value)) * value)
        return dn.hessian(lagrangian_part, x)
    return weighted
