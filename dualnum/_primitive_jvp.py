"""A primitive given by a JVP rule: an array-to-array black box (a sparse
solve, an FFT filter) that is not elementwise, made dual-aware by
``primitive(func, jvp=rule)``.

``rule(*values, *tangents)`` gets the value arrays (float64) and, for each
argument, its tangents as one array of shape ``value.shape + (k,)``: all k
directions at once, along a trailing axis (zeros for an argument that does
not vary; a sparse tangent is made dense first).  It returns the tangents of
``func``'s result, shape ``result.shape + (k,)``.  This is first order only:
on the numbers of hessian, hvp, higher derivatives and nested calls it raises
a TypeError (a JVP rule does not say how the JVP itself changes).
"""
import numpy as np

from dualnum._array import parts, result, source
from dualnum._core import Dual
from dualnum._hessian_array import Dual2Array
from dualnum._number import Number


def on_jvp(prim, args):
    """func's value and rule's tangents, as a DualArray (a Dual for a scalar result)."""
    higher = {type(a).__name__ for a in args if _is_higher(a)}
    if higher:
        raise TypeError(
            f"primitive {getattr(prim.func, '__name__', 'primitive')!r} has a JVP rule: first "
            f"derivatives only (gradient, jacobian, jvp, derivative), not {', '.join(sorted(higher))} "
            "(hessian, hvp, higher or nested derivatives); give it an elementwise derivative "
            "instead, or write it with dualnum/numpy functions")
    tag, k = source(*args)
    pieces = [parts(a, tag, k) for a in args]
    values = [np.asarray(value, dtype=np.float64) for value, _ in pieces]
    tangents = [np.zeros(v.shape + (k,)) if t is None else np.asarray(t, dtype=np.float64)
                for v, (_, t) in zip(values, pieces)]
    value = np.array(prim.func(*values), dtype=np.float64)       # a C-contiguous copy
    tangent = np.array(prim.jvp(*values, *tangents), dtype=np.float64)
    if tangent.shape != value.shape + (k,):
        raise ValueError(
            f"the JVP rule of primitive {getattr(prim.func, '__name__', 'primitive')!r} returned "
            f"shape {tangent.shape}; with {k} direction(s) and a result of shape {value.shape} "
            f"it must be {value.shape + (k,)} (directions on the last axis)")
    return result(value, tangent, tag)


def _is_higher(x):
    """A number (or an object array of numbers) that a first-order rule cannot serve."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return any(_is_higher(e) for e in x.flat)
    return isinstance(x, Number) and type(x) is not Dual or isinstance(x, Dual2Array)
