"""The forward sensitivity equations, integrated with y.

For y' = f(t, y, θ), y(t0) = y0(θ), the sensitivities S = ∂y/∂θ (n × m)
satisfy S' = J_y S + J_θ, S(t0) = ∂y0/∂θ.  The augmented state is
z = (y, S[:, 0], ..., S[:, m-1]) (parameter-major, so each column of S is
one block).  Its right-hand side is one evaluation of f on a DualArray whose
tangent is S, with the parameters seeded as the identity: the tangent of
f's result is J_y S + J_θ, all m directions at once.

The augmented Jacobian, for BDF, Radau and LSODA, is in
dualnum/scipy/_augmented_jacobian.py.

Error control includes the sensitivities (CVODES' default, errconS): the
steps are chosen so that S, not only y, meets rtol and atol.  The absolute
tolerance of column j is atol / |θ_j| (1 where θ_j = 0; CVODES' scaling by
pbar = θ), so that S·θ_j, the change of y for a relative change of θ_j,
is held to atol.

At an event g(t, y) = 0 the time moves with θ:
dt_e/dθ = -(g_y S + g_θ) / (g_t + g_y f), and the state there changes by
S + f dt_e/dθ (both from one evaluation of g with m + 1 directions).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from dualnum import _forward, _slow_path
from dualnum._core import dual_from
from dualnum._number import new_tag
from dualnum._read import read
from dualnum.scipy._ode_jacobian import rhs
from dualnum.scipy._ode_parameters import Parameters

_F64 = npt.NDArray[np.float64]

# dualnum/_forward.py and _slow_path.py carry no annotations: their signatures as used here
seed: Callable[[_F64, _F64, int], Any] = _forward.seed
converted: Callable[[TypeError, str], bool] = _slow_path.converted
objects: Callable[[Any], Any] = _slow_path.objects


class SensitivitySystem:
    """The augmented system of ``fun`` for the parameters of ``params``."""

    order = 1

    def __init__(self, fun: Callable[..., Any], params: Parameters, vectorized: bool) -> None:
        self.fun = fun
        self.params = params
        self.vectorized = vectorized
        self.n = np.size(params.y0)
        self.m = params.m
        self.blocks = self.m + 1             # blocks of n in the augmented state
        self._tangents: dict[int, list[tuple[int, _F64, _F64]]] = {}

    def scales(self) -> _F64:
        """Per block after y, the magnitude of its parameters (|θ_j|, 1 where θ_j = 0)."""
        theta = np.abs(self.params.theta)
        return np.where(theta > 0, theta, 1.0)

    def atol(self, atol: npt.ArrayLike) -> _F64:
        """atol for the augmented state: block j gets atol / scales()[j] (see above)."""
        atol_y = np.broadcast_to(np.asarray(atol, dtype=np.float64), (self.n,))
        return np.concatenate([atol_y, (atol_y[None, :] / self.scales()[:, None]).reshape(-1)])

    def dual(self, z: _F64) -> Any:
        """Augmented states z ((N,) or (N, k)) as y in the caller's dual numbers."""
        return self.params.dual(*self.split(z))

    def initial_state(self) -> _F64:
        y0 = np.asarray(self.params.y0, dtype=np.float64).reshape(-1)
        s0 = np.zeros((self.n, self.m))
        leaf = self.params.y0_leaf
        if leaf is not None:
            s0[:, leaf.columns] = np.eye(self.n)
        return np.concatenate([y0, s0.T.reshape(-1)])

    def split(self, z: _F64) -> tuple[_F64, ...]:
        """(y, S) of augmented states z: (n(m+1),) or (n(m+1), k) columns."""
        y = z[:self.n]
        s = z[self.n:].reshape((self.m, self.n) + z.shape[1:])
        return y, np.moveaxis(s, 0, -1)          # S: (n, m) or (n, k, m)

    def _seeds(self, extra: int) -> list[tuple[int, _F64, _F64]]:
        """Per leaf of args: its tangent, the identity on its columns of θ
        (plus ``extra`` zero directions), made once per number of directions."""
        if extra not in self._tangents:
            k = self.m + extra
            seeds = []
            for i, leaf in enumerate(self.params.arg_leaves):
                if leaf is not None:
                    tangent = np.zeros((leaf.value.size, k))
                    tangent[:, leaf.columns] = np.eye(leaf.value.size)
                    seeds.append((i, leaf.value, tangent.reshape(leaf.value.shape + (k,))))
            self._tangents[extra] = seeds
        return self._tangents[extra]

    def _arguments(self, tag: int, extra: int = 0) -> list[Any]:
        """The args, with each leaf seeded (see _seeds)."""
        out = list(self.params.args)
        for i, value, tangent in self._seeds(extra):
            out[i] = (dual_from(float(value), tangent, tag) if value.ndim == 0
                      else seed(value, tangent.copy(), tag))
        return out

    def _evaluate(self, function: Callable[..., Any], t: float, y: _F64, tangent: _F64,
                  extra: int = 0, t_tangent: _F64 | None = None) -> tuple[Any, Any]:
        """(value, partials) of function(t, y, *args) with y's tangent
        ``tangent`` and the parameters seeded, in one evaluation (on object
        arrays of duals when function converts its arguments: the slow path)."""
        k = self.m + extra
        tag = new_tag()
        y_carrier = seed(y, tangent, tag)
        args = self._arguments(tag, extra)
        t_carrier = t if t_tangent is None else seed(np.array(float(t)), t_tangent, tag)
        try:
            result = function(t_carrier, y_carrier, *args)
        except TypeError as error:
            if not converted(error, "solve_ivp"):
                raise
            result = function(objects(t_carrier), objects(y_carrier), *[objects(a) for a in args])
        return read(result, tag, k)

    def rhs(self, t: float, z: _F64) -> _F64:
        """The augmented right-hand side (y', S'), one evaluation of fun."""
        n = self.n
        s = np.ascontiguousarray(z[n:].reshape(self.m, n).T)
        value, partials = self._evaluate(self.single, t, z[:n], s)
        out = np.empty_like(z)
        out[:n] = np.reshape(value, n)
        out[n:].reshape(self.m, n)[...] = np.reshape(partials, (n, self.m)).T
        return out

    def single(self, t: float, y: Any, *args: Any) -> Any:
        return rhs(self.fun, t, y, args, self.vectorized)

    def event(self, event: Callable[..., Any]) -> Callable[[float, _F64], Any]:
        """The user's event g(t, y, *args) on augmented states (terminal and direction kept)."""
        def on_state(t: float, z: _F64) -> Any:
            return event(t, z[:self.n], *self.params.args)
        for name in ("terminal", "direction"):
            if hasattr(event, name):
                setattr(on_state, name, getattr(event, name))
        return on_state

    def event_moves(self, event: Callable[..., Any], t: float, z: _F64) -> tuple[_F64, _F64]:
        """(dt_e/dθ, dy_e/dθ) at an event of g = ``event`` at (t, z)."""
        y, s = self.split(z)
        f = np.reshape(self.single(t, y, *self.params.args), -1)
        t_tangent = np.zeros(self.m + 1)
        t_tangent[-1] = 1.0
        _, dg = self._evaluate(event, t, y, np.column_stack([s, f]), extra=1, t_tangent=t_tangent)
        dg = np.reshape(dg, -1)
        dt = -dg[:-1] / dg[-1]
        return dt, s + np.outer(f, dt)
