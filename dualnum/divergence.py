"""divergence and curl of vector fields, read from one forward pass.

Both evaluate F once on a DualArray with one direction per coordinate (for
n up to jacobian's chunk size; see dualnum/_plan.py) and read the entries
they need of its tangents: the diagonal (divergence: Σ_i ∂F_i/∂x_i) or the
antisymmetric part (curl: ∂F_k/∂x_j − ∂F_j/∂x_k).  With ``batch=True`` the
last axis of x holds the points' coordinates: every point is seeded with its
own n directions (tangents of shape (..., n, n)), and F, vectorised over the
leading axes, gives all the results in one pass.

Where F cannot run on the DualArray of a batch (it converts its argument
with ``np.asarray``, or closes over another call's numbers), the batch is
done point by point through :func:`dualnum.jacobian`, whose slow and nested
paths then apply.
"""
import numpy as np

from dualnum._forward import seed as _seed
from dualnum._number import ForeignNumber, new_tag
from dualnum._plan import NESTED
from dualnum._points import as_point
from dualnum._read import read
from dualnum.laplacian import _enclosing_points
from dualnum.jacobian import jacobian

__all__ = ["curl", "divergence"]


def _jacobian(F, x, batch, operation):
    """J of shape points + (n, n) (points: x.shape[:-1] with batch, else ()),
    checking that F maps each point of n coordinates to n components."""
    point = as_point(x)
    if point is not NESTED and point.ndim != 1 and not (batch and point.ndim >= 1):
        raise ValueError(f"{operation} needs a point of n coordinates (a 1-D x, or points "
                         f"along the last axis with batch=True), got shape {np.shape(point)}")
    if not batch:
        J = np.asarray(jacobian(F, x))
        n = np.shape(x)[-1]
        if J.shape != (n, n):
            raise ValueError(f"{operation} needs F to map a point of {n} coordinates to a "
                             f"vector of {n} components, got the Jacobian shape {J.shape}")
        return J
    if point is NESTED:
        return _point_by_point(F, _enclosing_points(x), operation)
    n = point.shape[-1]
    tangent = np.zeros(point.shape + (n,))
    tangent[..., np.arange(n), np.arange(n)] = 1.0
    tag = new_tag()
    try:
        value, J = read(F(_seed(point, tangent, tag)), tag, n)
    except (TypeError, ForeignNumber):           # a conversion or another call's numbers
        return _point_by_point(F, point, operation)
    if np.shape(value) != point.shape:
        raise ValueError(f"{operation} needs F to map points of shape {point.shape} to vectors "
                         f"of the same shape, got shape {np.shape(value)}")
    return J


def _point_by_point(F, points, operation):
    lead, n = points.shape[:-1], points.shape[-1]
    found = [_jacobian(F, p, False, operation) for p in points.reshape((-1, n))]
    return np.reshape(np.array(found), lead + (n, n))


def _number(result):
    # a float for one point (an enclosing call's dual number stays one)
    return float(result) if isinstance(result, np.floating) else result


def divergence(F, x, batch=False):
    """divergence(F, x, batch=False) -> ∇·F(x)

    ``Σ_i ∂F_i/∂x_i``, the trace of the Jacobian of F: Rⁿ → Rⁿ, from one
    evaluation of F on a :class:`dualnum.DualArray` with n directions.

    Parameters
    ----------
    F : callable
        Maps a point of n coordinates to a vector of n components (a sequence
        or an array of dual numbers).
    x : array_like
        The point, 1-D; with ``batch``, points of shape ``(..., n)``.
    batch : bool, optional
        x holds many points along its leading axes; F must be vectorised over
        them (e.g. ``lambda p: p * np.sum(p**2, axis=-1, keepdims=True)``) and
        never combine different points.  All points take one evaluation.

    Returns
    -------
    float, or an ndarray of shape ``x.shape[:-1]`` with batch

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.divergence(lambda r: r * (r @ r), [1.0, 2.0, 0.0])   # (n + 2) |r|²
    25.0
    """
    return _number(np.trace(_jacobian(F, x, batch, "divergence"), axis1=-2, axis2=-1))


def curl(F, x, batch=False):
    """curl(F, x, batch=False) -> ∇×F(x)

    In 3-D the vector ``(∂F₃/∂x₂ − ∂F₂/∂x₃, ∂F₁/∂x₃ − ∂F₃/∂x₁, ∂F₂/∂x₁ − ∂F₁/∂x₂)``;
    in 2-D the scalar ``∂F₂/∂x₁ − ∂F₁/∂x₂``.  One evaluation of F, as
    :func:`divergence`.

    Parameters
    ----------
    F : callable
        Maps a point of 2 or 3 coordinates to a vector of as many components.
    x : array_like
        The point, of shape (2,) or (3,); with ``batch``, points of shape
        ``(..., 2)`` or ``(..., 3)``.
    batch : bool, optional
        As for :func:`divergence`.

    Returns
    -------
    ndarray of shape (3,) or float (2-D); with batch, ``x.shape[:-1] + (3,)``
    or ``x.shape[:-1]``

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.curl(lambda r: [-r[1], r[0], 0.0 * r[2]], [1.0, 2.0, 3.0])   # a rotation
    array([0., 0., 2.])
    >>> dn.curl(lambda r: [-r[1], r[0]], [1.0, 2.0])
    2.0
    """
    n = np.shape(x)[-1] if np.ndim(x) else 0
    if n not in (2, 3):
        raise ValueError(f"curl is defined for 2 or 3 coordinates, got a point of shape "
                         f"{np.shape(x)}; in n dimensions use J - J.T of dualnum.jacobian")
    J = _jacobian(F, x, batch, "curl")
    if n == 2:
        return _number(J[..., 1, 0] - J[..., 0, 1])
    # + 0.0: a difference of two zero partials reads 0, not -0 (from -0 - 0)
    return np.stack([J[..., 2, 1] - J[..., 1, 2], J[..., 0, 2] - J[..., 2, 0],
                     J[..., 1, 0] - J[..., 0, 1]], axis=-1) + 0.0
