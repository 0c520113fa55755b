"""numpy.linalg norms on DualArray: norm, vector_norm, matrix_norm, cond, matrix_rank.

The value is numpy's.  The tangent is w . dx summed over the reduced axes,
with w a (sub)gradient of the norm at x.  Kinks take one documented
convention, the one |x| at 0 has in dualnum (derivative 0):
- a zero entry contributes 0 (ord 1, other p, and the 2-norm at x = 0, which
  thus agrees with sqrt(sum(x*x)) and with hessian's second-order array);
- ord inf / -inf (and the matrix 1, -1, inf, -inf norms) follow the first of
  tied maxima / minima, as max and min do;
- ord 0 counts non-zeros: tangent 0;
- matrix 2 / -2 norms follow numpy's first / last singular vectors, 'nuc'
  U V^T; a zero singular value gives 0, like |x| at 0.
"""
import numpy as np

from dualnum._function_args import axes as _axes, function_table
from dualnum._functions_linalg import finish, operands

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


# ------------------------------------------------------------- weights w(x)

def _vector_weights(x, ord):
    """w with d|x|_ord = sum(w dx) along the last axis of x."""
    if ord == 0:
        return np.zeros_like(x)
    magnitude = np.abs(x)
    if ord in (np.inf, -np.inf):
        return np.sign(x) * _first(magnitude, ord > 0, -1)
    p = 2.0 if ord is None else float(ord)
    size = np.linalg.norm(x, ord=ord, axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # d|x|_p = sign(x) (|x| / |x|_p)^(p-1) dx
        weights = np.sign(x) * (magnitude / size) ** (p - 1.0)
    return np.where((x == 0) | (size == 0), 0.0, weights)


def _first(values, largest, axis):
    """A mask of the first largest (or smallest) of ``values`` along ``axis``."""
    pick = (np.argmax if largest else np.argmin)(values, axis=axis)
    return np.arange(values.shape[axis]) == np.expand_dims(pick, -1)


def _matrix_weights(x, ord):
    """w with d|x|_ord = sum(w dx) over the last two axes of x."""
    if ord in (None, "fro"):
        size = np.sqrt(np.sum(x * x, axis=(-2, -1), keepdims=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(size == 0, 0.0, x / size)
    if ord in (1, -1):                  # the largest (smallest) column sum of |x|
        column = _first(np.sum(np.abs(x), axis=-2), ord > 0, -1)
        return np.sign(x) * column[..., None, :]
    if ord in (np.inf, -np.inf):        # the largest (smallest) row sum of |x|
        row = _first(np.sum(np.abs(x), axis=-1), ord > 0, -1)
        return np.sign(x) * row[..., :, None]
    if ord not in ("nuc", 2, -2):
        np.linalg.norm(x, ord=ord, axis=(-2, -1))   # numpy's error for the order
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    if ord == "nuc":
        return np.where(s[..., None, :] == 0, 0.0, u) @ vt
    i = 0 if ord == 2 else -1
    outer = u[..., :, i, None] * vt[..., i, None, :]
    return np.where(s[..., i, None, None] == 0, 0.0, outer)


# ------------------------------------------------------------- tangents

def _norm_tangent(xv, xt, ord, axes, value_shape, matrix):
    """sum(w dx) over ``axes`` (moved to the end; several vector axes are flattened)."""
    ends = list(range(xv.ndim - len(axes), xv.ndim))
    moved = np.moveaxis(xv, axes, ends)
    moved_t = np.moveaxis(xt, axes, ends)
    if matrix:
        weights = _matrix_weights(moved, ord)
    else:
        moved = moved.reshape(moved.shape[:len(moved.shape) - len(axes)] + (-1,))
        moved_t = moved_t.reshape(moved.shape + (xt.shape[-1],))
        weights = _vector_weights(moved, ord)
    flat = weights.reshape(weights.shape[:weights.ndim - (2 if matrix else 1)] + (-1,))
    flat_t = moved_t.reshape(flat.shape + (xt.shape[-1],))
    tangent = np.einsum("...i,...iz->...z", flat, flat_t)
    return tangent.reshape(tuple(value_shape) + (xt.shape[-1],))


@_implements(np.linalg.norm)
def norm(engine, x, ord=None, axis=None, keepdims=False):
    """Every ord numpy knows, for vectors (one axis) and matrices (two axes)."""
    tag, k, (xv,), (xt,) = operands(engine, x)
    value = np.linalg.norm(xv, ord=ord, axis=axis, keepdims=keepdims)  # numpy's checks
    if axis is None:
        axes = tuple(range(xv.ndim))
        matrix = ord is not None and xv.ndim == 2
    else:
        axes = _axes(axis, xv.ndim)
        matrix = len(axes) == 2
    if axis is None and ord is None and xv.ndim:      # the 2-norm of all elements
        matrix = False
    tangent = _norm_tangent(xv, xt, ord, axes, np.shape(value), matrix)
    return finish(engine, value, tangent, tag)


@_implements(np.linalg.vector_norm)
def vector_norm(engine, x, /, *, axis=None, keepdims=False, ord=2):
    """The norm of the elements over ``axis`` (all by default) taken as one vector."""
    tag, k, (xv,), (xt,) = operands(engine, x)
    value = np.linalg.vector_norm(xv, axis=axis, keepdims=keepdims, ord=ord)
    axes = tuple(range(xv.ndim)) if axis is None else _axes(axis, xv.ndim)
    tangent = _norm_tangent(xv, xt, ord, axes, np.shape(value), False)
    return finish(engine, value, tangent, tag)


@_implements(np.linalg.matrix_norm)
def matrix_norm(engine, x, /, *, keepdims=False, ord="fro"):
    """The norm over the last two axes."""
    tag, k, (xv,), (xt,) = operands(engine, x)
    value = np.linalg.matrix_norm(xv, keepdims=keepdims, ord=ord)
    tangent = _norm_tangent(xv, xt, ord, (xv.ndim - 2, xv.ndim - 1), np.shape(value), True)
    return finish(engine, value, tangent, tag)


@_implements(np.linalg.cond)
def cond(engine, x, p=None):
    """The condition number written as numpy computes it, with the dual rules of
    svd, norm and inv: s_max / s_min (p None, 2, -2: s_min / s_max) or
    norm(A, p) norm(inv(A), p).  A singular A: numpy's LinAlgError (p not None, 2, -2)
    or a ratio that is not finite."""
    if p in (None, 2, -2):
        s = np.linalg.svd(x, compute_uv=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            return s[..., 0] / s[..., -1] if p != -2 else s[..., -1] / s[..., 0]
    return (np.linalg.norm(x, ord=p, axis=(-2, -1))
            * np.linalg.norm(np.linalg.inv(x), ord=p, axis=(-2, -1)))


@_implements(np.linalg.matrix_rank)
def matrix_rank(engine, A, tol=None, hermitian=False, **kwargs):
    """numpy's integer rank of the value (no derivative)."""
    value = A.value if isinstance(A, engine.array) else np.asarray(A, dtype=np.float64)
    return np.linalg.matrix_rank(value, tol, hermitian, **kwargs)
