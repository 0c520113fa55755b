"""Polynomials and signals of dual arrays, for both array orders: numpy
compositions (dualnum/_composition.py says how one handler serves both).

* ``polyval`` is numpy's Horner loop on the dual operands (coefficients,
  x or both); ``polyder``, ``polyint``, ``polyadd``, ``polysub`` and
  ``polymul`` act on dual coefficients (polymul is convolve).
* ``convolve`` and ``correlate`` gather every window of one operand at once
  (one fancy index), multiply by the other and sum: all tangent directions
  in one product, O(len(a) len(v)) as numpy's direct method.
* ``gradient`` and ``ediff1d`` are differences of shifted slices with the
  coefficients of numpy's formulas (spacings must be plain).

Everything here is polynomial in the dual operands: no kinks.
"""
import numpy as np

from dualnum._composition import finish, is_dual, plain, value_of
from dualnum._function_args import axes as _axes, function_table

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


def _operand(engine, x):
    """x as it is if dual, else a float64 array."""
    return x if is_dual(engine, x) else np.asarray(x, dtype=np.float64)


def _vector(engine, x, *others):
    """A dual or plain operand as a 1-d array (numpy's ndmin=1 reading); a
    scalar dual number becomes one element of its order's array, chosen by
    np.where against one of the ``others`` that is an array."""
    x = _operand(engine, x)
    if not hasattr(x, "reshape"):
        arrays = [y for y in others if isinstance(y, engine.array)]
        if not arrays:
            engine.refuse("this function", {"scalar dual operands only": x})
        return np.where(np.zeros(1, dtype=bool), arrays[0].reshape(-1)[:1], x)
    return x.reshape(1) if x.ndim == 0 else x


# ------------------------------------------------------------- polynomials

@_implements(np.polyval)
def _polyval(engine, p, x):
    p, x = _operand(engine, p), _operand(engine, x)
    shape = np.shape(np.polyval(value_of(engine, p), value_of(engine, x)))
    y = np.zeros(np.shape(value_of(engine, x)))
    # numpy's Horner loop; a dual coefficient as a one-element slice, which
    # broadcasts as numpy's scalar does
    for i in range(len(p)):
        y = y * x + (p[i:i + 1] if is_dual(engine, p) else p[i])
    if value_of(engine, y).shape != shape:
        y = finish(y, shape)
    return y


@_implements(np.polyder)
def _polyder(engine, p, m=1):
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    p = _vector(engine, p)
    for _ in range(m):
        p = p[:-1] * np.arange(len(p) - 1, 0, -1, dtype=np.float64)
    return p


@_implements(np.polyint)
def _polyint(engine, p, m=1, k=None):
    plain(engine, "polyint", k=k)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    constants = np.zeros(m) if k is None else np.atleast_1d(np.asarray(k, dtype=np.float64))
    if len(constants) == 1 and m > 1:
        constants = np.full(m, constants[0])
    if len(constants) < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    p = _vector(engine, p)
    for i in range(m):
        p = np.concatenate([p / np.arange(len(p), 0, -1, dtype=np.float64), constants[i:i + 1]])
    return p


def _aligned(engine, a1, a2):
    """Two coefficient vectors padded in front to one length."""
    a1, a2 = _vector(engine, a1, a2), _vector(engine, a2, a1)
    extra = len(a2) - len(a1)
    if extra > 0:
        a1 = np.concatenate([np.zeros(extra), a1])
    elif extra < 0:
        a2 = np.concatenate([np.zeros(-extra), a2])
    return a1, a2


@_implements(np.polyadd)
def _polyadd(engine, a1, a2):
    a1, a2 = _aligned(engine, a1, a2)
    return a1 + a2


@_implements(np.polysub)
def _polysub(engine, a1, a2):
    a1, a2 = _aligned(engine, a1, a2)
    return a1 - a2


@_implements(np.polymul)
def _polymul(engine, a1, a2):
    return _convolve(engine, a1, a2)


# ------------------------------------------------------------- convolution

def _full_convolution(a, v):
    """sum_j a[n - j] v[j] for n = 0 .. len(a) + len(v) - 2: every window of a
    gathered at once (a plain 0/1 mask where the window leaves a)."""
    n, length = len(a), len(v)
    index = np.arange(n + length - 1)[:, None] - np.arange(length)[None, :]
    inside = (index >= 0) & (index < n)
    windows = a[np.where(inside, index, 0)] * inside
    return np.sum(windows * v, axis=1)


def _mode_slice(mode, n, length):
    """The part of the full result (len(a) = n >= len(v) = length) a mode keeps."""
    if mode in ("full", 2):
        return slice(None)
    if mode in ("same", 1):
        start = (length - 1) // 2
        return slice(start, start + n)
    if mode in ("valid", 0):
        return slice(length - 1, n)
    raise ValueError(f"mode must be one of 'valid', 'same', or 'full' (got {mode!r})")


def _signals(engine, a, v):
    a, v = _vector(engine, a, v), _vector(engine, v, a)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError("object too deep for desired array")
    if len(a) == 0 or len(v) == 0:
        raise ValueError("a cannot be empty" if len(a) == 0 else "v cannot be empty")
    return a, v


@_implements(np.convolve)
def _convolve(engine, a, v, mode="full"):
    a, v = _signals(engine, a, v)
    if len(v) > len(a):                       # as numpy: the longer one slides
        a, v = v, a
    return _full_convolution(a, v)[_mode_slice(mode, len(a), len(v))]


@_implements(np.correlate)
def _correlate(engine, a, v, mode="valid"):
    a, v = _signals(engine, a, v)
    if len(v) > len(a):                       # numpy's order: the swapped result reversed
        return _correlate(engine, v, a, mode)[::-1]
    return _full_convolution(a, v[::-1])[_mode_slice(mode, len(a), len(v))]


# ------------------------------------------------------------- differences

def _spacing(varargs, axes, shape):
    """numpy.gradient's spacing per axis: a number or coordinate array."""
    if not varargs:
        return [1.0] * len(axes)
    if len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        return [float(varargs[0])] * len(axes)
    if len(varargs) != len(axes):
        raise TypeError("invalid number of arguments")
    spacings = []
    for h, axis in zip(varargs, axes):
        h = np.asarray(h, dtype=np.float64)
        if h.ndim == 0:
            spacings.append(float(h))
            continue
        if h.ndim != 1:
            raise ValueError("distances must be either scalars or 1d")
        if len(h) != shape[axis]:
            raise ValueError("when 1d, distances must match the length of the corresponding dimension")
        steps = np.diff(h)
        spacings.append(float(steps[0]) if np.all(steps == steps[0]) else steps)
    return spacings


def _along(axis, ndim):
    """Index of a slice along one axis."""
    def at(part):
        return (slice(None),) * axis + (part,) + (slice(None),) * (ndim - axis - 1)
    return at


def _derivative(f, axis, h, edge_order):
    """numpy.gradient along one axis: central differences inside, one-sided
    ones of order ``edge_order`` at the ends (numpy's formulas)."""
    at = _along(axis, f.ndim)
    shape = [1] * f.ndim
    shape[axis] = -1

    def along(c):
        return np.asarray(c, dtype=np.float64).reshape(shape)

    if np.ndim(h) == 0:
        inner = (f[at(slice(2, None))] - f[at(slice(None, -2))]) / (2.0 * h)
        if edge_order == 1:
            first = (f[at(slice(1, 2))] - f[at(slice(0, 1))]) / h
            last = (f[at(slice(-1, None))] - f[at(slice(-2, -1))]) / h
        else:
            first = (-1.5 * f[at(slice(0, 1))] + 2.0 * f[at(slice(1, 2))]
                     - 0.5 * f[at(slice(2, 3))]) / h
            last = (0.5 * f[at(slice(-3, -2))] - 2.0 * f[at(slice(-2, -1))]
                    + 1.5 * f[at(slice(-1, None))]) / h
    else:
        dx1, dx2 = h[:-1], h[1:]
        a = along(-dx2 / (dx1 * (dx1 + dx2)))
        b = along((dx2 - dx1) / (dx1 * dx2))
        c = along(dx1 / (dx2 * (dx1 + dx2)))
        inner = a * f[at(slice(None, -2))] + b * f[at(slice(1, -1))] + c * f[at(slice(2, None))]
        if edge_order == 1:
            first = (f[at(slice(1, 2))] - f[at(slice(0, 1))]) / h[0]
            last = (f[at(slice(-1, None))] - f[at(slice(-2, -1))]) / h[-1]
        else:
            d1, d2 = h[0], h[1]
            first = (-(2.0 * d1 + d2) / (d1 * (d1 + d2)) * f[at(slice(0, 1))]
                     + (d1 + d2) / (d1 * d2) * f[at(slice(1, 2))]
                     - d1 / (d2 * (d1 + d2)) * f[at(slice(2, 3))])
            d1, d2 = h[-2], h[-1]
            last = (d2 / (d1 * (d1 + d2)) * f[at(slice(-3, -2))]
                    - (d2 + d1) / (d1 * d2) * f[at(slice(-2, -1))]
                    + (2.0 * d2 + d1) / (d2 * (d1 + d2)) * f[at(slice(-1, None))])
    return np.concatenate([first, inner, last], axis=axis)


@_implements(np.gradient)
def _gradient(engine, f, *varargs, axis=None, edge_order=1):
    plain(engine, "gradient", varargs=list(varargs))
    if not is_dual(engine, f) or not hasattr(f, "ndim"):
        engine.refuse("gradient", {"f": f})
    axes = tuple(range(f.ndim)) if axis is None else _axes(axis, f.ndim)
    if edge_order not in (1, 2):
        raise ValueError("'edge_order' greater than 2 not supported")
    spacings = _spacing(varargs, axes, f.shape)
    results = []
    for ax, h in zip(axes, spacings):          # one pass per axis, as numpy
        if f.shape[ax] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        results.append(_derivative(f, ax, h, edge_order))
    return results[0] if len(results) == 1 else tuple(results)


@_implements(np.ediff1d)
def _ediff1d(engine, ary, to_end=None, to_begin=None):
    flat = _operand(engine, ary).reshape(-1)
    parts = [flat[1:] - flat[:-1]]
    if to_begin is not None:
        parts.insert(0, _vector(engine, to_begin, flat).reshape(-1))
    if to_end is not None:
        parts.append(_vector(engine, to_end, flat).reshape(-1))
    return np.concatenate(parts) if len(parts) > 1 else parts[0]
