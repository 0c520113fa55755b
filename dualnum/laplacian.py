"""laplacian and value_and_laplacian: the trace of the Hessian, in O(n) per operation.

f is evaluated once on a forward-Laplacian carrier
(dualnum/_laplacian_array.pyx): each number holds its value, its gradient
and the running sum of its second derivatives Σ_i ∂²/∂x_i², so no n x n
Hessian is formed (n + 2 numbers per element instead of hessian's
n + n(n+1)/2).  With ``batch=True`` the last axis of x holds the points'
coordinates and every leading entry is a point of its own, all in one pass.
Where the gradients of all n directions would hold more than CHUNK_ENTRIES
numbers per array, the directions are split into chunks, one pass each: the
Laplacian is a sum over directions, so the chunks' Laplacians add up.

Where f needs what the carrier does not cover (another numpy function,
``np.asarray`` of its argument, ``math.sin``, item assignment) or closes over
the numbers of an enclosing differentiation call, laplacian() returns the
trace of hessian() instead (hessian's compiled array, its object arrays, its
nested path): the same result, at hessian's cost; batched, point by point.
"""
import math

import numpy as np

from dualnum._laplacian_array import LaplacianArray, seed
from dualnum._laplacian_functions import NotCarried
from dualnum._number import ForeignNumber, new_tag
from dualnum._plan import NESTED
from dualnum._points import as_point, as_scalar, is_scalar
from dualnum.hessian import value_gradient_and_hessian

__all__ = ["laplacian", "value_and_laplacian"]

# at most this many gradient entries (8 bytes each) in the point's pass: 32 MB
CHUNK_ENTRIES = 1 << 22

_RETURN = ("laplacian needs f to return one real number{per}, got {got}; for a vector field "
           "use dualnum.divergence, for many points batch=True")


def value_and_laplacian(f, x, batch=False):
    """value_and_laplacian(f, x, batch=False) -> (f(x), Δf(x))

    The value and the Laplacian ``Δf = Σ_i ∂²f/∂x_i²`` from one evaluation
    of ``f`` on the forward-Laplacian carrier: O(n) work per element and
    operation, where ``np.trace(hessian(f, x))`` needs O(n²).  (Beyond
    2**22 gradient entries, x.size times n, the n directions are split into
    chunks of one evaluation each, which bounds the memory.)

    Parameters
    ----------
    f : callable
        Returns a real number.  It receives an array of x's shape whose
        arithmetic, elementwise functions (every row of the function table,
        scipy.special's too), indexing, reshapes, sums, joins and products
        (``@``, ``dot``, ``einsum``) carry the Laplacian; scalar-style code
        (``x[0] * x[1]``) works too.  If f uses anything else, or closes over
        the numbers of another differentiation call, the result is the trace
        of :func:`hessian` (the same numbers, at its cost).
    x : real or array_like
        The point, of any shape: the Laplacian sums over all its entries.
    batch : bool, optional
        x is an array of points of shape ``(..., n)``, its last axis their
        coordinates.  f must be vectorised over the leading axes (e.g.
        ``lambda p: np.sum(p**2, axis=-1)``), return one number per point and
        never combine different points; every point gets its own n variables,
        all in one evaluation of f.

    Returns
    -------
    value, laplacian : float, or ndarrays of shape ``x.shape[:-1]`` with batch

    Examples
    --------
    >>> import numpy as np
    >>> import dualnum as dn
    >>> dn.value_and_laplacian(lambda v: np.sum(v ** 3), [1.0, 2.0])
    (9.0, 18.0)
    """
    if batch:
        return _batched(f, x)
    scalar = is_scalar(x)
    point = np.array(as_scalar(x)) if scalar else as_point(x)
    if point is NESTED:
        return _by_hessian(f, x)
    try:
        return _passes(f, point, False, ())
    except (NotCarried, ForeignNumber):
        pass                          # outside the except clause: f's errors there are its own
    return _by_hessian(f, point)


def laplacian(f, x, batch=False):
    """laplacian(f, x, batch=False) -> Δf(x)

    ``Σ_i ∂²f/∂x_i²``, the trace of the Hessian without forming it; see
    :func:`value_and_laplacian`.

    Examples
    --------
    >>> import numpy as np
    >>> import dualnum as dn
    >>> dn.laplacian(lambda v: np.exp(v[0]) * np.sin(v[1]), [0.3, 1.2])  # harmonic
    0.0
    >>> dn.laplacian(lambda p: np.sum(p ** 2, axis=-1), np.ones((4, 3)), batch=True)
    array([6., 6., 6., 6.])
    """
    return value_and_laplacian(f, x, batch)[1]


def _passes(f, point, batch, shape):
    """(value, laplacian) from one pass, or one pass per chunk of directions
    where all at once would hold more than CHUNK_ENTRIES gradient entries
    (the Laplacian is a sum over directions: the chunks' Laplacians add up)."""
    n = point.shape[-1] if batch else point.size
    k = max(1, min(n, CHUNK_ENTRIES // max(point.size, 1)))
    value, total = None, 0.0
    for start in range(0, max(n, 1), k):
        tag = new_tag()
        value, lap = _read(f(seed(point, batch, start, min(k, n - start), tag)), tag, shape)
        total = total + lap
    return value, total


def _read(result, tag, shape):
    """(value, laplacian) of f's result, which must have ``shape``."""
    per = " per point" if shape else ""
    if isinstance(result, LaplacianArray):
        if result.tag != tag:
            raise ValueError("f returned the array of another laplacian call")
        if result.shape != shape:
            raise ValueError(_RETURN.format(per=per, got=f"an array of shape {result.shape}"))
        if not shape:
            return float(result.value), float(result.lap)
        return result.value, result.lap
    if isinstance(result, (int, float, np.integer, np.floating, np.ndarray)) and not isinstance(
            result, bool) and np.asarray(result).dtype.kind in "iuf":
        if np.shape(result) != shape:                     # a constant: no curvature
            raise ValueError(_RETURN.format(per=per, got=f"an array of shape {np.shape(result)}"))
        if not shape:
            return float(result), 0.0
        return np.asarray(result, dtype=np.float64), np.zeros(shape)
    raise TypeError(_RETURN.format(per=per, got=f"a {type(result).__name__}"))


def _by_hessian(f, x):
    """(f(x), trace of hessian(f, x)): where the carrier declines."""
    value, _, hess = value_gradient_and_hessian(f, x)
    n = math.isqrt(np.size(hess))                  # hess: x.shape * 2 (a float for a number)
    lap = np.trace(np.reshape(hess, (n, n)))
    # a float, as from the carrier (inside another call: that call's dual number)
    return value, float(lap) if isinstance(lap, np.floating) else lap


def _batched(f, x):
    point = as_point(x)
    if point is NESTED:
        return _point_by_point(f, _enclosing_points(x))
    if point.ndim == 0:
        raise ValueError("batch=True needs points along the last axis of x: shape (..., n)")
    try:
        return _passes(f, point, True, point.shape[:-1])
    except (NotCarried, ForeignNumber):
        pass
    return _point_by_point(f, point)


def _enclosing_points(x):
    """Points holding an enclosing call's numbers, as an array to take rows of:
    a dual array as it is (np.asarray would convert it), anything else an
    object array of its numbers."""
    return x if hasattr(x, "reshape") and hasattr(x, "tag") else np.asarray(x, dtype=object)


def _point_by_point(f, points):
    """The batched result from one laplacian per point."""
    lead = points.shape[:-1]
    found = [value_and_laplacian(f, p) for p in points.reshape((-1, points.shape[-1]))]
    values, laplacians = zip(*found) if found else ((), ())
    return np.reshape(np.array(values), lead), np.reshape(np.array(laplacians), lead)
