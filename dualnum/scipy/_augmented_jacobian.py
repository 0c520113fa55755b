"""The Jacobian of the augmented system (y, S) for BDF, Radau and LSODA.

With z = (y, S[:, 0], ..., S[:, m-1]) and S' = J_y S + J_θ, the Jacobian
is block lower triangular:

    [ J_y                ]
    [ L_0   J_y          ]      L_l = ∂(J_y S[:, l] + J_θ[:, l]) / ∂y
    [ ...        ...     ]
    [ L_m-1          J_y ]

J_y is dualnum's ∂fun/∂y (or the user's ``jac``), sparse by the rule of
dualnum/scipy/_ode_jacobian.py.  The blocks L need second derivatives of
fun: they are one ``dn.jacobian`` in y (with J_y's pattern, repeated per
parameter, where J_y is sparse) of the tangent J_y S + J_θ, which is computed
on Nested numbers (the values are the jacobian's duals, the m tangents S
and the identity on θ): Python objects, but the Jacobian is asked for only
when the Newton iterations converge slowly.  With the exact L, Radau needs
about a quarter of the Jacobians and half the LU decompositions of the
block diagonal form on Robertson's system (measured: 33 against 144 njev).

Where fun cannot run on those object arrays (a numpy function without an
object loop raises TypeError), the L blocks are left out for the rest of
the solve: the block diagonal form, CVODES' simultaneous-corrector
approximation, which only slows the Newton iterations.  The second-order
system (y, S, W) of dualnum/scipy/_second_sensitivities.py gets that block
diagonal form too (its lower blocks would need third derivatives).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse

import dualnum as dn
from dualnum._core import dual_from
from dualnum._nested import Nested
from dualnum._number import new_tag
from dualnum._object_arrays import DualObjects
from dualnum._read import read_enclosing
from dualnum.scipy._ode_jacobian import method_name, pattern_for, state_jacobian
from dualnum.scipy._sensitivities import SensitivitySystem

_F64 = npt.NDArray[np.float64]


def _objects(items: list[Any], shape: tuple[int, ...]) -> Any:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape).view(DualObjects) if shape else items[0]


def tangent_on_nested(system: SensitivitySystem, t: float, y_outer: Any, s: _F64) -> Any:
    """J_y S + J_θ at y = y_outer (numbers of an enclosing jacobian call), as
    an (n, m) object array of that call's numbers: fun evaluated once on
    Nested numbers carrying S and the identity on θ."""
    m = system.m
    tag = new_tag()
    state = _objects([Nested(y_outer[i], list(s[i]), tag) for i in range(system.n)], (system.n,))
    args = list(system.params.args)
    for i, leaf in enumerate(system.params.arg_leaves):
        if leaf is not None:
            columns = np.arange(leaf.columns.start, leaf.columns.stop)
            seeds = [dual_from(float(v), np.eye(m)[j], tag) for v, j in zip(leaf.value.reshape(-1), columns)]
            args[i] = _objects(seeds, leaf.value.shape)
    _, partials = read_enclosing(system.single(t, state, *args), tag, m)
    return partials.reshape(system.n, m)


def lower_blocks(system: SensitivitySystem, t: float, y: _F64, s: _F64,
                 pattern: dn.SparsityPattern | None) -> Any:
    """L as an (m n, n) array (block l in rows l n ... (l + 1) n), or
    scipy.sparse with J_y's pattern."""
    n, m = system.n, system.m

    def tangent(y_outer: Any) -> Any:
        return tangent_on_nested(system, t, y_outer, s)
    if pattern is None:
        L = dn.jacobian(tangent, y)                                   # (n, m, n)
        return L.transpose(1, 0, 2).reshape(m * n, n)
    mask = np.zeros((n, n), dtype=bool)
    mask[pattern.rows, pattern.cols] = True
    L = dn.jacobian(tangent, y, sparsity=np.repeat(mask, m, axis=0), sparse_output=True)
    L = scipy.sparse.coo_array(L)      # row i m + l of L is row l n + i of the blocks
    return scipy.sparse.csr_array((L.data, ((L.row % m) * n + L.row // m, L.col)), shape=(m * n, n))


def augmented_jacobian(system: SensitivitySystem, t0: float, method: object, jac: Any,
                       jac_sparsity: Any) -> Callable[[float, _F64], Any]:
    """scipy's ``jac`` for the augmented system (see the module docstring)."""
    y0 = np.asarray(system.params.y0, dtype=np.float64).reshape(-1)
    pattern = pattern_for(system.fun, t0, y0, system.params.args, system.vectorized, method, jac_sparsity)
    if jac is None:
        jac = state_jacobian(system.fun, system.vectorized, pattern)
    n, blocks = system.n, system.blocks
    sparse_ok = method_name(method) in ("BDF", "Radau")
    exact = [system.order == 1]         # False once fun has refused object arrays

    def augmented(t: float, z: _F64) -> Any:
        y, s = system.split(z)[:2]
        j_y = jac(t, y, *system.params.args) if callable(jac) else jac
        lower = None
        if exact[0]:
            try:
                lower = lower_blocks(system, t, y, s, pattern if scipy.sparse.issparse(j_y) else None)
            except TypeError:
                exact[0] = False
        if scipy.sparse.issparse(j_y) and sparse_ok:
            out = scipy.sparse.kron(scipy.sparse.eye(blocks), j_y, format="csc")
            if lower is not None:
                lower = scipy.sparse.coo_array(lower)
                out = out + scipy.sparse.csc_array((lower.data, (lower.row + n, lower.col)), shape=out.shape)
            return out
        j_y = j_y.toarray() if scipy.sparse.issparse(j_y) else np.asarray(j_y, dtype=np.float64)
        out = np.kron(np.eye(blocks), j_y)
        if lower is not None:
            out[n:, :n] = lower.toarray() if scipy.sparse.issparse(lower) else lower
        return out
    return augmented
