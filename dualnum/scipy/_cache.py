"""What the optimize bridge shares: a function's value and derivative from one
dualnum evaluation, remembered at the last point, and the refusal of dual
numbers where the bridge cannot take them yet.

scipy asks for fun(x) and then jac(x) at the same x (and least_squares for
the residuals, then their Jacobian); one evaluation of f on dual numbers
gives both, so the second call is served from the cache.  The cache holds the
last point only (as scipy's own MemoizeJac): solvers move on and never
return to an old point, so a longer memory would only cost.
"""
from collections.abc import Callable
from typing import Any

import numpy as np

from dualnum._array import DualArrayCore
from dualnum._hessian_array import Dual2Array
from dualnum._number import Number

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
                    f"enclosing dualnum call (it uses that call's numbers); differentiating "
                    f"through the solution is not supported yet: pass plain floats")
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
    if isinstance(value, (Number, DualArrayCore, Dual2Array)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype == object and any(holds_dual_numbers(item) for item in value.flat)
    if isinstance(value, (list, tuple)):
        return any(holds_dual_numbers(item) for item in value)
    if isinstance(value, dict):
        return any(holds_dual_numbers(item) for item in value.values())
    return False


def refuse_dual_numbers(solver: str, **arguments: Any) -> None:
    """NotImplementedError naming ``solver`` when one of ``arguments`` holds
    dual numbers (a solve inside another dualnum call: implicit
    differentiation, not in this version)."""
    for name, value in arguments.items():
        if holds_dual_numbers(value):
            raise NotImplementedError(
                f"dualnum.scipy.{solver}: dual numbers in {name} (a solve inside "
                f"another dualnum call, differentiated through the solution) are not "
                f"supported yet; pass plain floats in {name}, or differentiate the "
                f"optimality condition yourself")
