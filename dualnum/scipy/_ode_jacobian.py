"""The Jacobian ∂fun/∂y that solve_ivp gives scipy's implicit methods.

BDF, Radau and LSODA solve Newton systems with J = ∂fun/∂y; without a ``jac``
scipy estimates it by finite differences (n extra calls of fun, and an
error of about sqrt(machine epsilon)).  dualnum computes it exactly in one
evaluation of fun on a DualArray.

The sparse rule: for BDF and Radau, which factorise sparse matrices, a
system of n >= SPARSE_SIZE equations whose pattern has at most
SPARSE_DENSITY · n² entries gets a ``scipy.sparse`` Jacobian, one
evaluation with one direction per colour of the pattern (3 for a
tridiagonal system of any size).  The pattern is the user's
``jac_sparsity`` if given, else found once at (t0, y0) by
:func:`dualnum.detect_sparsity`: a fun whose pattern depends on t or on
branches on y's values must pass ``jac_sparsity``.  LSODA takes dense (or
banded) matrices only, so it gets a dense J; with ``lband``/``uband`` scipy
keeps its own banded estimate.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

import dualnum as dn

SPARSE_SIZE = 100          # below this, a dense LU is as cheap as a sparse one
SPARSE_DENSITY = 0.1       # at most this fraction of n² entries: sparse LU pays off

IMPLICIT = ("BDF", "Radau", "LSODA")


def method_name(method: object) -> str:
    """scipy's method as its name (a subclass of a scipy solver: that solver's name)."""
    if isinstance(method, str):
        return method
    import scipy.integrate
    for name in IMPLICIT:
        if isinstance(method, type) and issubclass(method, getattr(scipy.integrate, name)):
            return name
    spelled: str = getattr(method, "__name__", repr(method))
    return spelled


def rhs(fun: Callable[..., Any], t: float, y: Any, args: Sequence[Any], vectorized: bool) -> Any:
    """fun(t, y, *args) for a 1-D y, also when fun is vectorized (takes (n, k) columns)."""
    if vectorized:
        return fun(t, y[:, None], *args)[:, 0]
    return fun(t, y, *args)


def pattern_for(fun: Callable[..., Any], t0: float, y0: npt.NDArray[np.float64], args: Sequence[Any],
                vectorized: bool, method: object, jac_sparsity: Any) -> dn.SparsityPattern | None:
    """The sparsity pattern of ∂fun/∂y by the rule above, or None for a dense J."""
    n = y0.size
    if method_name(method) not in ("BDF", "Radau") or n < SPARSE_SIZE:
        return None
    if jac_sparsity is not None:
        pattern = dn.SparsityPattern(jac_sparsity)
    else:
        try:
            pattern = dn.detect_sparsity(lambda y: rhs(fun, t0, y, args, vectorized), y0)
        except ValueError:             # fun needs dense derivatives (a matrix product, ...)
            return None
    return pattern if pattern.rows.size <= SPARSE_DENSITY * n * n else None


def state_jacobian(fun: Callable[..., Any], vectorized: bool,
                   pattern: dn.SparsityPattern | None) -> Callable[..., Any]:
    """jac(t, y, *args) = ∂fun/∂y from dualnum (scipy.sparse where a pattern is given)."""
    def jac(t: float, y: npt.NDArray[np.float64], *args: Any) -> Any:
        def f(v: Any) -> Any:
            return rhs(fun, t, v, args, vectorized)
        if pattern is None:
            return dn.jacobian(f, y)
        return dn.jacobian(f, y, sparsity=pattern, sparse_output=True)
    return jac


def wants_jacobian(method: object, options: Mapping[str, Any]) -> bool:
    """True where scipy uses a Jacobian that is not banded (LSODA's lband/uband
    keep scipy's banded estimate)."""
    return method_name(method) in IMPLICIT and options.get("lband") is None and options.get("uband") is None


def plain_jacobian(fun: Callable[..., Any], t0: float, y0: Any, args: Sequence[Any], vectorized: bool,
                   method: object, options: dict[str, Any]) -> Any:
    """scipy's ``jac`` option for the implicit methods: the user's if given,
    else dualnum's (options drops jac_sparsity, which then serves as its
    pattern); None where scipy uses no Jacobian or keeps its banded estimate."""
    if options.get("jac") is not None or not wants_jacobian(method, options):
        return options.get("jac")
    if np.iscomplexobj(y0):
        return None                    # dualnum's duals are real: scipy's estimate
    y0 = np.asarray(y0, dtype=np.float64)
    pattern = pattern_for(fun, t0, y0, args, vectorized, method, options.pop("jac_sparsity", None))
    return state_jacobian(fun, vectorized, pattern)
