"""The dual numbers of the caller's call in solve_ivp's ``y0`` and ``args``.

A *leaf* is ``y0`` or one element of ``args`` that holds first-order dual
numbers (a ``Dual`` of ``derivative``, a ``DualArray`` of ``gradient``,
``jacobian`` or ``jvp``, or a sequence/object array holding Duals).  The
leaves' values, flattened one after the other, are the m real parameters θ
the sensitivities S = dy/dθ are taken with respect to.  A result r(θ) with
its sensitivities R = dr/dθ goes back to the caller as dual numbers by the
first-order expansion ``r + Σ R_leaf · (leaf - value(leaf))``, written with
numpy operations on the leaves, so numpy dispatches to the caller's type.

Refused with NotImplementedError (first-order sensitivities carry no second
derivatives): numbers of ``hessian``/``hvp`` (Dual2, the second-order
array), Jets of ``derivative`` at n >= 2, numbers of a nested call
(Nested), and duals of two different calls at once.
"""
import numbers

import numpy as np

from dualnum._array import DualArrayCore
from dualnum._core import Dual, dual_parts
from dualnum._hessian_array import Dual2Array
from dualnum._nested import Nested
from dualnum._second import Dual2
from dualnum._taylor import Jet

_SECOND_ORDER = (Dual2, Dual2Array, Jet)

_NOT_FIRST_ORDER = (
    "dualnum.scipy.solve_ivp integrates first-order sensitivities only, so {where} cannot hold "
    "{what}: take the first derivatives with dn.derivative, gradient, jacobian or jvp around "
    "solve_ivp, and higher ones by finite differences of those (or write the sensitivity "
    "equations of the order you need as an ODE system and pass it to solve_ivp)")


def _refuse(where, what):
    raise NotImplementedError(_NOT_FIRST_ORDER.format(where=where, what=what))


def _check_number(x, where):
    """Refuse the dual numbers that first-order sensitivities cannot serve."""
    if isinstance(x, _SECOND_ORDER):
        _refuse(where, f"second-order or Taylor numbers ({type(x).__name__}, of hessian, hvp or "
                       "derivative with n >= 2)")
    if isinstance(x, Nested):
        _refuse(where, "numbers of a nested call (a derivative inside another call's function)")


def _tag(x):
    return x.tag if isinstance(x, DualArrayCore) else dual_parts(x)[2]


class _Leaf:
    """One input holding dual numbers: its numbers, real value and columns of θ."""

    def __init__(self, numbers, value, start):
        self.numbers = numbers          # the caller's object (a DualArray, Dual or object array)
        self.value = value              # float64 ndarray (0-d for a scalar)
        self.columns = slice(start, start + value.size)

    def delta(self):
        """``numbers - value``: the caller's perturbation, with value zero."""
        return self.numbers - (float(self.value) if self.value.ndim == 0 else self.value)

    def expand(self, partials):
        """Σ_j partials[..., j] · delta_j for this leaf's columns (partials: R.shape + (m,))."""
        block = partials[..., self.columns]
        if self.value.ndim == 0 and not isinstance(self.numbers, DualArrayCore):
            return block[..., 0] * self.delta()             # a scalar Dual: elementwise
        flat = block.reshape(-1, self.value.size) @ self.delta().reshape(-1)
        return flat.reshape(block.shape[:-1])


def _as_leaf(x, where, start):
    """A _Leaf if x holds first-order duals, else None (a plain input)."""
    if isinstance(x, DualArrayCore):
        return _Leaf(x, np.array(x.value, dtype=np.float64), start)
    if isinstance(x, Dual):
        return _Leaf(x, np.array(x.value), start)
    _check_number(x, where)
    if isinstance(x, (list, tuple, np.ndarray)):
        try:
            arr = np.array(x, dtype=object)
        except (ValueError, TypeError):
            return None                   # ragged or unusual: passed to fun as it is
        items = arr.reshape(-1)
        found = False
        for item in items:
            _check_number(item, where)
            if isinstance(item, DualArrayCore):
                raise TypeError(f"{where} holds a sequence of dual arrays: pass one array "
                                "(np.stack them inside your function)")
            found = found or isinstance(item, Dual)
        if found:
            if not all(isinstance(item, (Dual, numbers.Real)) for item in items):
                raise TypeError(f"{where} must hold real or dual numbers")
            value = np.array([item.value if isinstance(item, Dual) else float(item)
                              for item in items]).reshape(arr.shape)
            return _Leaf(arr, value, start)
    return None


class Parameters:
    """The leaves of y0 and args: θ, the real inputs, and the way back to duals."""

    def __init__(self, y0, args):
        self.leaves = []
        self.y0_leaf = self._add(y0, "y0")
        self.arg_leaves = [self._add(arg, f"args[{i}]") for i, arg in enumerate(args)]
        tags = {_tag(leaf.numbers) for leaf in self.leaves if not isinstance(leaf.numbers, np.ndarray)}
        tags |= {_tag(item) for leaf in self.leaves if isinstance(leaf.numbers, np.ndarray)
                 for item in leaf.numbers.reshape(-1) if isinstance(item, Dual)}
        if len(tags) > 1:
            _refuse("y0 and args", "dual numbers of two calls at once (nested differentiation)")
        self.m = sum(leaf.value.size for leaf in self.leaves)
        self.y0 = y0 if self.y0_leaf is None else self.y0_leaf.value
        self.args = tuple(arg if leaf is None else (float(leaf.value) if leaf.value.ndim == 0
                                                    else leaf.value)
                          for arg, leaf in zip(args, self.arg_leaves))

    def _add(self, x, where):
        leaf = _as_leaf(x, where, sum(item.value.size for item in self.leaves))
        if leaf is not None:
            self.leaves.append(leaf)
        return leaf

    @property
    def theta(self):
        """The m real parameters, one after the other."""
        return np.concatenate([leaf.value.reshape(-1) for leaf in self.leaves])

    def dual(self, value, partials):
        """value (float array) with partials (value.shape + (m,)) as the caller's dual numbers."""
        out = value
        for leaf in self.leaves:
            out = out + leaf.expand(partials)
        return out
