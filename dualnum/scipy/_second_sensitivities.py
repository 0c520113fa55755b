"""Second-order forward sensitivities, for dual numbers of hessian, hvp and
derivative(n=2) and of two nested first-order calls
(dualnum/scipy/_ode_parameters.py).

Besides S = ∂y/∂θ, the second derivatives W = ∂²y/∂θ² (n × m × m) satisfy

    W' = J_y W + (the second derivative of f along (S, I) in (y, θ)),  W(t0) = 0

(y0 is linear in θ).  Both right-hand sides come from one evaluation of f
on hessian's second-order array: y carries the gradient S and the
curvature W, each parameter the gradient e_j and no curvature, and the
second-order chain rule of the array gives f's gradient J_y S + J_θ and its
curvature, which is W'.  Where f needs more of numpy than that array
covers (NotCompiled), it is evaluated on an object array of Dual2s instead.

The state is z = (y, S by columns, W by (a, b) pairs), n (1 + m + m²)
equations: W is stored whole although symmetric, for simple indexing.  The
error control includes W, block (a, b) with the absolute tolerance
atol / (|θ_a| |θ_b|).  BDF, Radau and LSODA get the block diagonal part of
its Jacobian (J_y on every block; see _augmented_jacobian.py).  Events are
not covered at this order.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from dualnum._hessian_array import Dual2Array, NotCompiled, components, make
from dualnum._number import new_tag
from dualnum._second import Dual2
from dualnum.scipy._ode_parameters import Parameters
from dualnum.scipy._sensitivities import SensitivitySystem

_F64 = npt.NDArray[np.float64]


def _dense(value: _F64, index: npt.NDArray[np.intp], grad: _F64, curv: _F64, m: int) -> tuple[_F64, _F64]:
    """Gradients (…, m) and curvatures (…, m, m) over all m variables from
    the array's entries (index -1: unused; repeated indices add up)."""
    shape = np.shape(value)
    w = index.shape[-1]
    index = index.reshape(-1, w)
    used = index >= 0
    at = np.where(used, index, 0)
    rows = np.arange(index.shape[0])
    gradient = np.zeros((index.shape[0], m))
    np.add.at(gradient, (rows[:, None], at), np.where(used, grad.reshape(-1, w), 0.0))
    both = used[:, :, None] & used[:, None, :]
    curvature = np.zeros((index.shape[0], m, m))
    np.add.at(curvature, (rows[:, None, None], at[:, :, None], at[:, None, :]),
              np.where(both, curv.reshape(-1, w, w), 0.0))
    return gradient.reshape(shape + (m,)), curvature.reshape(shape + (m, m))


def _read(result: object, tag: int, m: int) -> tuple[_F64, _F64, _F64]:
    """(value, gradient, curvature) of f's result over the m variables."""
    if isinstance(result, Dual2Array):
        value, index, grad, curv = components(result, tag, m)
        return (value,) + _dense(value, index, grad, curv, m)
    items = np.asarray(result, dtype=object)
    flat = items.reshape(-1)             # one Python step per element of f's result
    value = np.array([float(x.value) if isinstance(x, Dual2) else float(x) for x in flat])
    gradient = np.array([x.gradient if isinstance(x, Dual2) else np.zeros(m) for x in flat])
    curvature = np.array([x.hessian if isinstance(x, Dual2) else np.zeros((m, m)) for x in flat])
    return (value.reshape(items.shape), gradient.reshape(items.shape + (m,)),
            curvature.reshape(items.shape + (m, m)))


class SecondOrderSystem(SensitivitySystem):
    """The augmented system (y, S, W) for second-order numbers in y0 or args."""

    order = 2

    def __init__(self, fun: Callable[..., Any], params: Parameters, vectorized: bool) -> None:
        super().__init__(fun, params, vectorized)
        self.blocks = 1 + self.m + self.m * self.m

    def scales(self) -> _F64:
        first = super().scales()
        return np.concatenate([first, np.outer(first, first).reshape(-1)])

    def initial_state(self) -> _F64:
        return np.concatenate([super().initial_state(), np.zeros(self.m * self.m * self.n)])

    def split(self, z: _F64) -> tuple[_F64, _F64, _F64]:
        """(y, S, W) of augmented states z: S (n, [k,] m), W (n, [k,] m, m)."""
        n, m = self.n, self.m
        y, s = super().split(z[:n * (m + 1)])
        w = z[n * (m + 1):].reshape((m, m, n) + z.shape[1:])
        return y, s, np.moveaxis(w, (0, 1), (-2, -1))

    def _carriers(self, y: _F64, s: _F64, w: _F64, tag: int) -> tuple[Any, list[Any]]:
        """f's arguments: y carrying (S, W), each parameter its own variable."""
        m = self.m
        state = make(y, np.broadcast_to(np.arange(m), (self.n, m)), s, w, m, tag)
        args = list(self.params.args)
        for i, leaf in enumerate(self.params.arg_leaves):
            if leaf is not None:
                shape = leaf.value.shape
                index = np.arange(leaf.columns.start, leaf.columns.stop).reshape(shape + (1,))
                args[i] = make(leaf.value, index, np.ones(shape + (1,)), np.zeros(shape + (1, 1)), m, tag)
        return state, args

    def _objects(self, y: _F64, s: _F64, w: _F64) -> tuple[npt.NDArray[np.object_], list[Any]]:
        """f's arguments on the slow path: object arrays of Dual2s."""
        state = np.empty(self.n, dtype=object)
        state[:] = [Dual2(y[i], s[i], w[i]) for i in range(self.n)]
        args = list(self.params.args)
        eye = np.eye(self.m)
        for i, leaf in enumerate(self.params.arg_leaves):
            if leaf is not None:
                columns = range(leaf.columns.start, leaf.columns.stop)
                items = [Dual2(v, eye[j], np.zeros((self.m, self.m)))
                         for v, j in zip(leaf.value.reshape(-1), columns)]
                arr = np.empty(len(items), dtype=object)
                arr[:] = items
                args[i] = arr.reshape(leaf.value.shape) if leaf.value.ndim else items[0]
        return state, args

    def rhs(self, t: float, z: _F64) -> _F64:
        """The augmented right-hand side (y', S', W'), one evaluation of fun."""
        n, m = self.n, self.m
        y, s, w = self.split(z)
        tag = new_tag()
        try:
            state, args = self._carriers(y, np.ascontiguousarray(s), np.ascontiguousarray(w), tag)
            value, gradient, curvature = _read(self.single(t, state, *args), tag, m)
        except NotCompiled:
            state, args = self._objects(y, s, w)
            value, gradient, curvature = _read(self.single(t, state, *args), tag, m)
        out = np.empty_like(z)
        out[:n] = np.reshape(value, n)
        out[n:n * (m + 1)].reshape(m, n)[...] = np.reshape(gradient, (n, m)).T
        out[n * (m + 1):].reshape(m, m, n)[...] = np.moveaxis(np.reshape(curvature, (n, m, m)), 0, -1)
        return out
