"""The dual numbers of the caller's call in solve_ivp's ``y0`` and ``args``.

A *leaf* is ``y0`` or one element of ``args`` that holds dual numbers of
the calling dualnum function: first order (a ``Dual`` of ``derivative``, a
``DualArray`` of ``gradient``, ``jacobian`` or ``jvp``) or second order (a
``Dual2`` or second-order array of ``hessian`` or ``hvp``), alone or in a
sequence/object array.  The leaves' values, flattened one after the other,
are the m real parameters θ the sensitivities S = dy/dθ (and, at the second
order, W = d²y/dθ²) are taken with respect to.  A result r(θ) goes back to
the caller as dual numbers by its Taylor expansion in δ = leaf - value(leaf),
``r + Σ R δ (+ ½ δᵀ W δ)``, written with numpy operations on the leaves, so
numpy dispatches to the caller's type.

Numbers of two nested first-order calls (a derivative inside another call's
function: Nested numbers, or Duals of two calls) take the second-order
sensitivities too: the expansion's products δ_a δ_b then keep exactly the
mixed terms ε_inner ε_outer that the outer call differentiates.

Jets of ``derivative(f, x, n=2)`` take them as well (the expansion is exact
to second order).  Refused with NotImplementedError: Jets of order n >= 3
(sensitivities of higher order are not integrated), numbers of more than
two nested calls, and second-order numbers mixed with first-order ones.
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np
import numpy.typing as npt

from dualnum._array import DualArrayCore
from dualnum._core import Dual
from dualnum._hessian_array import Dual2Array
from dualnum._nested import Nested, level
from dualnum._second import Dual2
from dualnum._taylor import Jet
from dualnum.scipy._implicit import plain

SECOND = (Dual2, Dual2Array)
_SCALARS = (Dual, Dual2, Nested, Jet)

_NOT_COVERED = (
    "dualnum.scipy.solve_ivp integrates first- and second-order sensitivities only, so {where} "
    "cannot hold {what}: take first derivatives with dn.derivative, gradient, jacobian or jvp "
    "around solve_ivp and second ones with hessian, hvp or derivative(n=2) (higher ones by "
    "finite differences of those, or write the sensitivity equations you need as an ODE "
    "system and pass it to solve_ivp)")


def _refuse(where: str, what: str) -> NoReturn:
    raise NotImplementedError(_NOT_COVERED.format(where=where, what=what))


def _check_number(x: object, where: str) -> None:
    """Refuse the dual numbers that the sensitivities cannot serve."""
    if isinstance(x, Jet) and x.order > 2:
        _refuse(where, f"Taylor numbers of order {x.order} (Jet, of derivative with n >= 3)")


def _calls(x: object) -> set[int | str]:
    """The calls x's numbers belong to: tags (first order, nested included),
    or "second order" (hessian, hvp, derivative with n = 2)."""
    if isinstance(x, (*SECOND, Jet)):
        return {"second order"}
    if isinstance(x, DualArrayCore):
        return {x.tag}
    tag, value, partials = level(x)
    if tag == 0:
        return set()
    return {tag}.union(_calls(value), *(_calls(p) for p in partials))


class _Leaf:
    """One input holding dual numbers: its numbers, real value and columns of θ."""

    def __init__(self, numbers: Any, value: npt.NDArray[np.float64], start: int) -> None:
        self.numbers = numbers          # the caller's object (a dual number, dual array or object array)
        self.value = value              # float64 ndarray (0-d for a scalar)
        self.columns = slice(start, start + value.size)

    def delta(self) -> Any:
        """``numbers - value``: the caller's perturbation, with value zero."""
        return self.numbers - (float(self.value) if self.value.ndim == 0 else self.value)

    def expand(self, partials: npt.NDArray[np.float64]) -> Any:
        """Σ_j partials[..., j] · delta_j for this leaf's columns (partials: R.shape + (m,))."""
        block = partials[..., self.columns]
        if self.value.ndim == 0 and isinstance(self.numbers, _SCALARS):
            return block[..., 0] * self.delta()             # a scalar: elementwise
        flat = block.reshape(-1, self.value.size) @ self.delta().reshape(-1)
        return flat.reshape(block.shape[:-1])

    def contract(self, inner: Any) -> Any:
        """Σ_j inner[..., j] · delta_j (inner: dual numbers of shape R.shape + (size,))."""
        if self.value.ndim == 0:
            return inner[..., 0] * self.delta()
        return (inner * self.delta().reshape(-1)).sum(axis=-1)


def _as_leaf(x: object, where: str, start: int) -> _Leaf | None:
    """A _Leaf if x holds dual numbers, else None (a plain input)."""
    if isinstance(x, (DualArrayCore, Dual2Array)):
        return _Leaf(x, np.array(x.value, dtype=np.float64), start)
    _check_number(x, where)
    if isinstance(x, _SCALARS):
        return _Leaf(x, np.array(float(plain(x))), start)
    if isinstance(x, (list, tuple, np.ndarray)):
        try:
            arr = np.array(x, dtype=object)
        except (ValueError, TypeError):
            return None                   # ragged or unusual: passed to fun as it is
        items = arr.reshape(-1)
        found = False
        for item in items:
            _check_number(item, where)
            if isinstance(item, (DualArrayCore, Dual2Array)):
                raise TypeError(f"{where} holds a sequence of dual arrays: pass one array "
                                "(np.stack them inside your function)")
            found = found or isinstance(item, _SCALARS)
        if found:
            if not all(isinstance(item, (*_SCALARS, numbers.Real)) for item in items):
                raise TypeError(f"{where} must hold real or dual numbers")
            value = np.array([float(plain(item)) for item in items]).reshape(arr.shape)
            return _Leaf(arr, value, start)
    return None


def _numbers(leaf: _Leaf) -> list[Any]:
    """The dual numbers of a leaf (the elements of an object array)."""
    if isinstance(leaf.numbers, np.ndarray):
        return [item for item in leaf.numbers.reshape(-1) if isinstance(item, _SCALARS)]
    return [leaf.numbers]


class Parameters:
    """The leaves of y0 and args: θ, the real inputs, and the way back to duals."""

    def __init__(self, y0: Any, args: Sequence[Any]) -> None:
        self.leaves: list[_Leaf] = []
        self.y0_leaf = self._add(y0, "y0")
        self.arg_leaves = [self._add(arg, f"args[{i}]") for i, arg in enumerate(args)]
        calls = set().union(*(_calls(x) for leaf in self.leaves for x in _numbers(leaf)))
        if "second order" in calls and len(calls) > 1:
            _refuse("y0 and args", "numbers of hessian, hvp or derivative(n=2) together with "
                                   "numbers of another call")
        if len(calls) > 2:
            _refuse("y0 and args", "numbers of more than two nested calls")
        self.order = 2 if "second order" in calls or len(calls) == 2 else 1
        self.m = sum(leaf.value.size for leaf in self.leaves)
        self.y0 = y0 if self.y0_leaf is None else self.y0_leaf.value
        self.args = tuple(arg if leaf is None else (float(leaf.value) if leaf.value.ndim == 0
                                                    else leaf.value)
                          for arg, leaf in zip(args, self.arg_leaves))

    def _add(self, x: object, where: str) -> _Leaf | None:
        leaf = _as_leaf(x, where, sum(item.value.size for item in self.leaves))
        if leaf is not None:
            self.leaves.append(leaf)
        return leaf

    @property
    def theta(self) -> npt.NDArray[np.float64]:
        """The m real parameters, one after the other."""
        return np.concatenate([leaf.value.reshape(-1) for leaf in self.leaves])

    def dual(self, value: Any, partials: npt.NDArray[np.float64],
             curvature: npt.NDArray[np.float64] | None = None) -> Any:
        """value (a float array) as the caller's dual numbers, from its partials
        (value.shape + (m,)) and, at the second order, its second derivatives
        (value.shape + (m, m)): value + Σ partials δ + ½ Σ δ curvature δ."""
        out = value
        for leaf in self.leaves:
            out = out + leaf.expand(partials)
        if curvature is not None:            # ½ Σ_A δ_A · (Σ_B W_AB δ_B), leaf by leaf
            for leaf in self.leaves:
                inner = self.dual(0.0, curvature[..., leaf.columns, :])
                out = out + 0.5 * leaf.contract(inner)
        return out
