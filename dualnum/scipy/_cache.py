"""What the optimize bridge shares: a function's value and derivative from one
dualnum evaluation, remembered at the last point, and the refusal of dual
numbers where the bridge does not differentiate through them.

scipy asks for fun(x) and then jac(x) at the same x (and least_squares for
the residuals, then their Jacobian); one evaluation of f on dual numbers
gives both, so the second call is served from the cache.  The cache holds the
last point only (as scipy's own MemoizeJac): solvers move on and never
return to an old point, so a longer memory would only cost.
"""
from collections.abc import Callable
from typing import Any

import numpy as np

from dualnum.scipy._implicit import dual_order

# scipy's finite-difference choices: where the bridge supplies exact derivatives instead
FINITE_DIFFERENCES = ("2-point", "3-point", "cs")


class ValueAndDerivative:
    """``fun(x, *args)`` and ``derivative(x, *args)`` served from one call of
    ``evaluate(x, *args) -> (value, derivative)`` per point (and per args),
    for the bridge's function ``solver``."""

    def __init__(self, evaluate: Callable[..., tuple[Any, Any]], solver: str) -> None:
        self._evaluate = evaluate
        self._solver = solver
        self._x: np.ndarray | None = None
        self._args: tuple[Any, ...] = ()
        self._found: tuple[Any, Any] = (None, None)

    def _at(self, x: Any, args: tuple[Any, ...]) -> tuple[Any, Any]:
        x = np.asarray(x, dtype=np.float64)
        same_args = len(args) == len(self._args) and all(a is b for a, b in zip(args, self._args))
        if self._x is None or not same_args or not np.array_equal(x, self._x):
            # the solver may overwrite its x in place: keep a copy
            found = self._evaluate(x.copy(), *args)
            if holds_dual_numbers(found[0]):
                raise NotImplementedError(
                    f"dualnum.scipy.{self._solver}: the function returned dual numbers of an "
                    f"enclosing dualnum call (it uses that call's numbers through a closure or a "
                    f"global): {ARGS_ADVICE}")
            self._found = found
            self._x, self._args = x.copy(), args
        return self._found

    def fun(self, x: Any, *args: Any) -> Any:
        value = self._at(x, args)[0]
        return value.copy() if isinstance(value, np.ndarray) else value

    def derivative(self, x: Any, *args: Any) -> Any:
        derivative = self._at(x, args)[1]
        # a copy: scipy may update the array it is given in place
        return derivative.copy()


def holds_dual_numbers(value: Any) -> bool:
    """True when ``value`` is, or holds (in an ndarray, list, tuple or dict),
    a dual number or dual array of a dualnum call."""
    return dual_order(value) > 0


# where dual numbers a solution depends on belong
ARGS_ADVICE = ("parameters the solution depends on belong in args, where minimize, "
               "least_squares, root, root_scalar and fixed_point differentiate the solution by "
               "the implicit function theorem")


def refuse_dual_numbers(solver: str, **arguments: Any) -> None:
    """NotImplementedError naming ``solver`` when one of ``arguments`` holds
    dual numbers the solver does not differentiate through."""
    for name, value in arguments.items():
        if holds_dual_numbers(value):
            raise NotImplementedError(
                f"dualnum.scipy.{solver}: dual numbers in {name} are not differentiated "
                f"through: pass plain floats in {name}; {ARGS_ADVICE}")
