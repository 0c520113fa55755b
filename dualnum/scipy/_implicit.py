"""Implicit differentiation: the solution of F(x, p) = 0 as dual numbers of p.

The solvers of dualnum.scipy solve with the plain values of their ``args``
(scipy sees floats only), then lift the plain solution x* onto the dual
numbers the args hold (a Dual, Jet, Dual2, DualArray, hessian's array,
Nested numbers of nested calls, or object arrays of them) by chord steps

    x <- x - J^-1 F(x, p),      J = dF/dx at (x*, plain p), a float matrix,

evaluated on the dual numbers, so numpy dispatches every step to the right
number type, nesting included.  By the implicit function theorem x(p) is the
fixed point of this map, and each step makes one more Taylor order exact:
the error after k steps is O(dp^(k+1)) because J differs from dF/dx(x(p), p)
by O(dp).  So the lift takes as many steps as the args' dual numbers carry
orders (``dual_order``): one for gradient, jacobian and jvp, two for hessian,
n for an n-th derivative, one per nesting level.

Why chord steps rather than Newton steps (which double the exact orders per
step): J is a float matrix computed once from plain numbers, where Newton
needs dF/dx at a dual x, that is a Jacobian nested inside the enclosing
call, for every step -- n times dearer per step, and not available for a
Taylor point.  Orders 1 and 2, the common ones, cost one and two
evaluations of F on dual numbers either way.

Conventions: the lift starts from x* after one plain Newton step (where
that lowers the residual), so its derivatives are wrong by the square of
the solver's error in x*, not by the error itself; the first chord step is
one more Newton step in the value, so the lifted solution's value may differ
from scipy's x by the solver's tolerance.  A singular J (the solution does
not depend differentiably on p) raises numpy.linalg.LinAlgError naming the
solver.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np

import dualnum as dn
from dualnum._array import DualArrayCore
from dualnum._hessian_array import Dual2Array
from dualnum._nested import is_dual_number, level
from dualnum._number import Number
from dualnum._second import Dual2
from dualnum._taylor import Jet

# the relative size of J's smallest singular value below which J is singular
_SINGULAR = 1e3 * np.finfo(np.float64).eps


def dual_order(obj: Any) -> int:
    """The Taylor order the dual numbers in ``obj`` carry (0: none).

    First-order numbers (Dual, Nested, DualArray) carry one order per call
    (tag) they belong to: a Nested number of a call inside another one has
    second-order cross terms.  A Jet carries its order, a Dual2 and hessian's
    array two (both belong to one call: numbers of other calls make those
    passes raise and repeat as nested first derivatives).
    """
    tags: set[int] = set()
    high = _collect(obj, tags)
    return len(tags) + high


def _collect(obj: Any, tags: set[int]) -> int:
    """Add the tags of obj's first-order numbers to ``tags``; return the
    highest order of its Jets and second-order numbers."""
    if isinstance(obj, DualArrayCore):
        tags.add(obj.tag)
        return 0
    if isinstance(obj, Dual2Array) or isinstance(obj, Dual2):
        return 2
    if isinstance(obj, Jet):
        return obj.order
    if is_dual_number(obj):
        tag, value, partials = level(obj)
        tags.add(tag)
        return max([_collect(value, tags), *(_collect(p, tags) for p in partials)])
    if isinstance(obj, np.ndarray):
        return max([0, *(_collect(item, tags) for item in obj.reshape(-1))]) if obj.dtype == object else 0
    if isinstance(obj, (tuple, list)):
        return max([0, *(_collect(item, tags) for item in obj)])
    if isinstance(obj, dict):
        return max([0, *(_collect(item, tags) for item in obj.values())])
    return 0


def plain(obj: Any) -> Any:
    """``obj`` with every dual number replaced by its plain value (floats;
    float64 arrays for arrays of dual numbers), inside tuples, lists and dicts."""
    if isinstance(obj, (DualArrayCore, Dual2Array)):
        return np.array(obj.value, dtype=np.float64)
    if isinstance(obj, Number):
        return _plain_number(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype != object:
            return obj
        values = [plain(item) for item in obj.reshape(-1)]
        try:
            return np.array(values, dtype=np.float64).reshape(obj.shape)
        except (TypeError, ValueError):          # not an array of numbers: keep its objects
            out = np.empty(obj.shape, dtype=object)
            out.reshape(-1)[:] = values
            return out
    if isinstance(obj, tuple):
        return tuple(plain(item) for item in obj)
    if isinstance(obj, list):
        return [plain(item) for item in obj]
    if isinstance(obj, dict):
        return {key: plain(item) for key, item in obj.items()}
    return obj


def _plain_number(x: Any) -> float:
    while is_dual_number(x):                  # a Dual, or a Nested number's value
        x = level(x)[1]
    if isinstance(x, (Jet, Dual2)):
        return x.value
    return float(x)


# F's results of at least this many dual numbers are gathered into a DualArray
# (numpy's like=) for the chord steps, fewer into an object array: gradients of
# a coupled system, gathered / objects, took 0.75 / 0.58 ms at n = 2, about equal
# at n = 24, 5.6 / 11 ms at n = 64.  Hessian's array is never gathered into: its
# like= and dense products took 1.5-3x the object arrays' time at every n
# measured (2 to 128).
GATHER_MIN = 32


def array_of(obj: Any) -> Any:
    """A DualArray in ``obj`` (inside tuples, lists, dicts), or None: the array
    F's results are gathered into."""
    if isinstance(obj, DualArrayCore):
        return obj
    items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (tuple, list)) else ()
    for item in items:
        found = array_of(item)
        if found is not None:
            return found
    return None


def as_array(r: Any, like: Any = None) -> Any:
    """F's result as a 1-D array for the chord step: dual arrays as they are; a
    sequence of dual numbers gathered into the DualArray ``like`` when it is
    long (GATHER_MIN), else into a numpy object array; plain numbers as float64."""
    if isinstance(r, (DualArrayCore, Dual2Array)):
        return np.reshape(cast(Any, r), -1)      # numpy dispatches it to the dual array
    if isinstance(r, Number):
        r = [r]
    if isinstance(r, np.ndarray) and r.dtype != object:
        return r.reshape(-1)
    items = np.asarray(r, dtype=object).reshape(-1).tolist()
    if like is not None and len(items) >= GATHER_MIN:
        try:
            return np.array(items, like=like)
        except (TypeError, ValueError):       # numbers of another call too: object arrays
            pass
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr if dual_order(items) else arr.astype(np.float64)


def inverse_jacobian(jac: np.ndarray, solver: str) -> np.ndarray:
    """J^-1 for the chord steps, or LinAlgError naming ``solver`` when J is
    singular at the solution (its smallest singular value below _SINGULAR
    times its largest, or not finite)."""
    jac = np.atleast_2d(np.asarray(jac, dtype=np.float64))
    singular = not np.all(np.isfinite(jac))
    if not singular:
        s = np.linalg.svd(jac, compute_uv=False)
        singular = s[0] == 0.0 or s[-1] <= _SINGULAR * s[0]
    if singular:
        raise np.linalg.LinAlgError(
            f"dualnum.scipy.{solver}: the Jacobian of the equations in x is singular at the "
            f"solution, so the solution does not depend differentiably on the dual numbers in "
            f"args (the implicit function theorem needs an invertible Jacobian); check that "
            f"the root is simple, or differentiate a regularised problem")
    return np.linalg.inv(jac)


def not_converged(solver: str, message: object) -> RuntimeError:
    """The error of a failed solve with dual numbers in args: there is no solution to lift."""
    reason = " ".join(str(message).split())          # scipy's messages hold line breaks
    return RuntimeError(
        f"dualnum.scipy.{solver} did not converge ({reason}), so the solution cannot be "
        f"differentiated with respect to the dual numbers in args (the implicit function "
        f"theorem needs a solution); pass a better starting point, a larger maxiter or "
        f"another method")


def refuse_an_active_bound(solver: str, x: np.ndarray, lower: Any, upper: Any) -> None:
    """NotImplementedError naming ``solver`` when an entry of the minimiser x sits
    on (within 1e-8 of, relatively) its lower or upper bound: there grad f = 0,
    the condition the lift differentiates, does not hold."""
    lower, upper = np.broadcast_to(lower, x.shape), np.broadcast_to(upper, x.shape)
    tolerance = 1e-8 * (1.0 + np.abs(x))
    if np.any((x - lower <= tolerance) | (upper - x <= tolerance)):
        raise NotImplementedError(
            f"dualnum.scipy.{solver}: the minimiser lies on a bound, where grad f = 0 does not "
            f"hold, so it cannot be differentiated through the optimality condition: loosen "
            f"the bound, or pass plain floats in args")


def lift_root(fun: Callable[..., Any], x_star: np.ndarray, args: tuple[Any, ...],
              solver: str = "root") -> Any:
    """The root x* of fun(x, *plain(args)) = 0 (a float64 1-D array) as dual
    numbers of the calls whose numbers ``args`` holds (x* itself when it holds none)."""
    steps = dual_order(args)
    if steps == 0:
        return x_star
    plain_args = plain(args)
    x, inverse = polish(
        x_star, lambda x: as_array(fun(x, *plain_args)),
        lambda x: np.reshape(dn.jacobian(lambda y: fun(y, *plain_args), x), (x.size, x.size)), solver)
    return _chord(lambda x: fun(x, *args), x, inverse, steps, array_of(args))


def lift_scalar_root(f: Callable[..., Any], x_star: float, args: tuple[Any, ...],
                     solver: str = "root_scalar") -> Any:
    """The root x* of f(x, *plain(args)) = 0 (a float) as dual numbers of args' calls."""
    steps = dual_order(args)
    if steps == 0:
        return x_star
    plain_args = plain(args)
    point, inverse = polish(
        np.array([x_star]), lambda x: as_array(f(x[0], *plain_args)),
        lambda x: dn.derivative(lambda y: f(y, *plain_args), x[0]), solver)
    x: Any = float(point[0])
    slope = float(inverse[0, 0])
    for _ in range(steps):
        x = x - slope * f(x, *args)
    return x


def lift_fixed_point(func: Callable[..., Any], x_star: Any, args: tuple[Any, ...],
                     solver: str = "fixed_point") -> Any:
    """The fixed point x* = func(x*, *plain(args)) as dual numbers of args' calls
    (x* a float or a float64 array, the shape of x0)."""
    steps = dual_order(args)
    if steps == 0:
        return x_star
    if np.ndim(x_star) == 0:
        return lift_scalar_root(lambda x, *a: func(x, *a) - x, float(x_star), args, solver)
    shape = np.shape(x_star)
    flat = np.asarray(x_star, dtype=np.float64).reshape(-1)

    def residual(x: Any, *a: Any) -> Any:
        return as_array(func(np.reshape(x, shape), *a), array_of(a)) - x

    return np.reshape(lift_root(residual, flat, args, solver), shape)


def lift_minimum(fun: Callable[..., Any], x_star: Any, args: tuple[Any, ...] = ()) -> Any:
    """The minimiser x* of fun(x, *plain(args)) (a float64 array) as dual
    numbers of the calls whose numbers ``args`` holds.

    The optimality condition grad_x fun(x, p) = 0 is lifted like a root: chord
    steps with the Hessian of fun in x at x* (computed with dualnum), the
    gradient in x evaluated on the dual numbers (a dualnum gradient nested
    inside their call).  A singular Hessian (a degenerate minimum) raises
    LinAlgError.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float``, the objective, written for dualnum (numpy
        and dualnum functions).
    x_star : array_like
        A minimiser of ``fun(x, *plain args)``, e.g. ``scipy.optimize.minimize(...).x``.
    args : tuple
        fun's extra arguments, which may hold dual numbers of any dualnum call.

    Returns
    -------
    x : ndarray or dual array
        ``x_star`` itself when args holds no dual numbers, else the minimiser
        as dual numbers of args' calls, the shape of ``x_star``.

    Examples
    --------
    >>> import numpy as np, scipy.optimize, dualnum as dn
    >>> from dualnum.scipy._implicit import lift_minimum
    >>> fun = lambda x, p: (x[0] - p) ** 2 + (x[1] - p ** 2) ** 2
    >>> def argmin(p):
    ...     x_star = scipy.optimize.minimize(fun, [0.0, 0.0], args=(1.5,), tol=1e-12).x
    ...     return lift_minimum(fun, x_star, (p,))
    >>> np.round(dn.jacobian(argmin, 1.5), 6)       # d/dp of (p, p**2)
    array([1., 3.])
    """
    x_star = np.asarray(x_star, dtype=np.float64)
    steps = dual_order(args)
    if steps == 0:
        return x_star
    shape = x_star.shape
    plain_args = plain(args)

    def gradient(x: Any, args: tuple[Any, ...] = args) -> Any:
        return dn.gradient(lambda y: fun(np.reshape(y, shape), *args), x)

    flat, inverse = polish(
        x_star.reshape(-1), lambda x: gradient(x, plain_args),
        lambda x: dn.hessian(lambda y: fun(np.reshape(y, shape), *plain_args), x), "minimize")
    return np.reshape(_chord(gradient, flat, inverse, steps, array_of(args)), shape)


def polish(x_star: np.ndarray, residual: Callable[[np.ndarray], np.ndarray],
           jacobian: Callable[[np.ndarray], Any], solver: str) -> tuple[np.ndarray, np.ndarray]:
    """The plain point the lift starts from and J^-1 there: x* after one plain
    Newton step where the step lowers the residual.  The lift's derivatives are
    those of the root through its starting point, so a solver's error d in x*
    (its tolerance) would make them wrong by O(d); after the step, by O(d^2)."""
    inverse = inverse_jacobian(jacobian(x_star), solver)
    before = residual(x_star)
    x = x_star - inverse @ before
    if not np.linalg.norm(residual(x)) < np.linalg.norm(before):    # at the root already
        return x_star, inverse
    return x, inverse_jacobian(jacobian(x), solver)


def _chord(residual: Callable[[Any], Any], x: Any, inverse: np.ndarray, steps: int,
           like: Any) -> Any:
    """``steps`` chord steps x <- x - inverse @ residual(x), on dual numbers.  A
    diagonal inverse (equations each in its own unknown) multiplies elementwise:
    a dense product would cost n times more on hessian's array, whose entries
    carry n x n curvatures."""
    diagonal = np.diagonal(inverse)
    step: Callable[[Any], Any]
    if np.count_nonzero(inverse) > np.count_nonzero(diagonal):
        step = lambda r: inverse @ r
    else:
        step = lambda r: diagonal * r
    for _ in range(steps):
        x = x - step(as_array(residual(x), like))
    return x
