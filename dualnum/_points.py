"""Validation of the points at which the API differentiates.

A point of real numbers becomes a float; an array point a float64 ndarray.
A point holding numbers of an enclosing differentiation call (a derivative
inside another call's function) is reported as the plan NESTED: the API follows the
nested plan for it (dualnum/_nested_plan.py) where it has one, and refuses it
with a clear TypeError where it has none.
"""
import numbers

import numpy as np

from dualnum._array import DualArrayCore
from dualnum._core import Dual
from dualnum._taylor import Jet
from dualnum._plan import NESTED
from dualnum._nested import Nested
from dualnum._read import is_plain_point

_NOT_NESTABLE = (
    "dual numbers as points (nested differentiation) are not supported here in this "
    "version of dualnum: derivatives of order n >= 2 and jacobian with sparsity= or "
    "argnums= need points of real numbers")
_REAL = (numbers.Real, np.integer, np.floating)
_COMPLEX_FIRST_ORDER = (
    "complex points are taken by derivative, jvp, jacobian and gradient: complex dual numbers "
    "are first order, and the higher-order numbers of hessian, hvp, derivatives of order n >= 2, "
    "sparsity= and argnums= take no complex numbers (for the first derivatives in the real and "
    "imaginary parts, use jacobian(lambda v: f(v[0] + 1j * v[1]), [z.real, z.imag]))")


def _enclosing(x):
    """True for a number or dual array of an enclosing differentiation call."""
    return isinstance(x, (Dual, Nested, DualArrayCore))


def as_scalar(x, name="x"):
    """x as a float, or a clear TypeError (nan and inf propagate, as on floats)."""
    if isinstance(x, (Dual, Jet)):
        raise TypeError(f"{name}: {_NOT_NESTABLE}")
    if is_complex_scalar(x):
        raise TypeError(f"{name} must be a real number here, got {type(x).__name__}: "
                        f"{_COMPLEX_FIRST_ORDER}")
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, _REAL):
        raise TypeError(f"{name} must be a real number, got {type(x).__name__}")
    return float(x)


def is_scalar(x):
    """True for a real number (the point of a scalar derivative)."""
    return isinstance(x, _REAL) and not isinstance(x, Dual)


def as_point(x, name="x"):
    """x as a float64 ndarray, NESTED for a point holding an enclosing call's
    numbers, or a clear TypeError/ValueError.

    Sequences, ndarrays and real scalars are accepted; ints, bools and float32
    are promoted to float64.  A C-contiguous float64 ndarray is used as it is
    (the API only reads the point), anything else is converted into a new
    array (also a strided view such as a matrix column).  nan and inf entries
    are points like any other: they propagate into the results, as on floats.
    """
    if is_plain_point(x):
        return x
    if _enclosing(x):
        return NESTED
    if isinstance(x, Jet):
        raise TypeError(f"{name}: {_NOT_NESTABLE}")
    if isinstance(x, (str, bytes, dict, set)) or x is None:
        raise TypeError(f"{name} must be a real number, a sequence or an ndarray, got {type(x).__name__}")
    try:
        arr = np.array(x)
    except ValueError as exc:                       # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of real numbers: {exc}") from None
    if arr.dtype == object:
        for item in arr.reshape(-1):
            if _enclosing(item):
                return NESTED
            if isinstance(item, Jet):
                raise TypeError(f"{name}: {_NOT_NESTABLE}")
            if not isinstance(item, _REAL):
                raise TypeError(
                    f"{name} must contain real numbers only, got an element of type {type(item).__name__}")
    elif arr.dtype.kind == "c":
        raise TypeError(f"{name} must contain real numbers here, got an array of dtype {arr.dtype}: "
                        f"{_COMPLEX_FIRST_ORDER}")
    elif arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must contain real numbers, got an array of dtype {arr.dtype}")
    return arr.astype(np.float64, order="C")     # keeps a 0-d shape


def is_complex_scalar(x):
    """True for a complex number that is not real (the point of a complex derivative)."""
    return isinstance(x, (complex, np.complexfloating))


def is_complex_point(x):
    """True for a complex point: a complex number, or a sequence/ndarray with
    a complex entry (the API then differentiates in holomorphic mode)."""
    if is_complex_scalar(x):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype.kind == "c"
    if isinstance(x, (list, tuple)):
        try:
            return np.asarray(x).dtype.kind == "c"
        except ValueError:                          # ragged: as_point says so
            return False
    return False


def as_complex_point(x, name="x"):
    """x as a complex128 ndarray (a complex point of jacobian, gradient, jvp)."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "biufc":
        raise TypeError(f"{name} must contain complex numbers, got an array of dtype {arr.dtype}")
    return arr.astype(np.complex128, order="C")


def first_order_only(x, n):
    """The refusal of derivatives of order n >= 2 at a complex point."""
    if n > 1 and is_complex_point(x):
        raise NotImplementedError(
            f"derivatives of order {n} at a complex point are not supported: complex dual "
            "numbers are first order, and the Taylor numbers of higher orders take no complex "
            "numbers; take n=1")


def as_array(x, name="x"):
    """x as a float64 ndarray (see as_point), for operations without a nested plan."""
    point = as_point(x, name)
    if point is NESTED:
        raise TypeError(f"{name}: {_NOT_NESTABLE}")
    return point
