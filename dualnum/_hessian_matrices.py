"""What the numpy.linalg rules of the second-order array share
(dualnum/_hessian_linalg.py, dualnum/_hessian_decompositions.py).

A rule expands its function around the value: A = A0 + E, where E = A - A0
holds A's first- and second-order parts and has value 0; products written
with the array's own arithmetic (``_mm``) drop every term above second order.
Results carry numpy's own values (``_with_value``).
"""
import numpy as np

from dualnum._array_reductions import own_array as _dual_array
from dualnum._second import Dual2

__all__ = ["_dual_array", "_expanded", "_inverse", "_mm", "_second_order", "_square_operand",
           "_symmetric", "_trace", "_transpose", "_unsupported", "_value", "_with_value"]


def _value(x):
    """The value of a second-order operand (ndarray, Dual2Array or Dual2)."""
    value = getattr(x, "value", x)
    return np.asarray(value, dtype=np.float64)


def _with_value(x, value):
    """x's derivatives on numpy's own value: x - x0 has value 0 exactly."""
    if np.array_equal(_value(x), value):         # already numpy's: spare two copies
        return x
    return (x - _value(x)) + value


def _transpose(m):
    """Swap the last two axes (Dual2Array.transpose takes the full order)."""
    order = list(range(np.ndim(_value(m))))
    order[-2:] = order[:-3:-1]
    return m.transpose(order)


def _mm(a, b):
    """a @ b for stacks of matrices, either a Dual2Array or an ndarray, written
    with broadcasting products and a sum (the array's own arithmetic)."""
    return np.sum(a[..., :, :, None] * b[..., None, :, :], axis=-2)


def _trace(m):
    return np.sum(m * np.eye(np.shape(_value(m))[-1]), axis=(-2, -1))


def _square_operand(engine, name, a):
    a = _dual_array(engine, name, a)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        getattr(np.linalg, name)(a.value)        # numpy's error for the shape
    return a


def _expanded(engine, name, a):
    """(A0, E = A - A0, V = inv(A0)): numpy raises LinAlgError for a singular A0."""
    a = _square_operand(engine, name, a)
    a0 = a.value
    return a0, a - a0, np.linalg.inv(a0)


def _second_order(engine, x):
    return isinstance(x, (engine.array, Dual2))


def _inverse(e, v):
    """V - V E V + V E V E V, with value V."""
    ve = _mm(v, e)
    return v - _mm(ve - _mm(ve, ve), v)


def _symmetric(e, lower):
    """The symmetric matrix LAPACK sees: one triangle of e, mirrored."""
    n = np.shape(_value(e))[-1]
    keep = np.tril(np.ones((n, n))) if lower else np.triu(np.ones((n, n)))
    strict = keep - np.eye(n)
    return e * keep + _transpose(e * strict)


def _unsupported(name, what=""):
    """The TypeError for LAPACK work this array does not cover: hessian's object
    arrays of Dual2s cannot run it either (numpy.linalg refuses object dtype)."""
    return TypeError(
        f"numpy.linalg.{name}{what} is not supported by hessian/hvp (the second order)")
