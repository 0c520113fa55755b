"""numpy shape, selection and reduction functions on DualArray.

Each handler computes the value with numpy itself (so shapes, axis rules and
errors are numpy's) and the tangent with the same operation applied to the
tangent array, whose trailing axis holds the k directions: an axis of the
value is the same axis of the tangent once normalised to be non-negative.
Operands without a derivative (plain arrays, scalars, constant Duals)
contribute zero tangents.

Conventions at non-differentiable points:

* ``max``/``min``/``amax``/``amin``: the derivative of the element that
  ``argmax``/``argmin`` selects, i.e. the first one of ties (unlike the
  ``maximum``/``minimum`` ufuncs, which average the two tangents at a tie).
* ``clip``: ``minimum(maximum(a, lo), hi)`` through the DualArray ufuncs, so
  a tie with a bound averages the tangents as those ufuncs do.
* ``sort``: tangents follow a stable argsort (equal values keep their order).

Each handler takes the array's compiled primitives as its first argument,
``engine`` (dualnum/_array.pyx: ``array``, ``wrap``, ``result``, ``parts``,
``source``, ...), as the second-order handlers do, so this module sits below
the compiled array that dispatches to it and imports nothing of it.

Options that would change the dtype, write into ``out=`` or need extra
operands (``diff``'s prepend/append, ``prod``/``max``'s
initial/where) raise TypeError naming the function.  ``sort`` accepts but
ignores ``kind``/``stable``: it always sorts stably.
"""
import numpy as np

from dualnum import _array_functions as _moves
from dualnum._array_reductions import own_array
from dualnum._core import Dual, dual_from, dual_parts
from dualnum._function_args import axes as _axes, function_table, reject_options

__all__ = ["FUNCTIONS", "TangentPrimitives"]     # the handlers are reached through numpy only

FUNCTIONS, _implements = function_table()


# ------------------------------------------------------------- helpers

def _reject_casting(name, dtype, casting):
    # the result is always float64, so dtype/casting have nothing to choose
    if dtype is not None or casting != "same_kind":
        raise TypeError(f"numpy.{name} of a DualArray does not support dtype= or casting=")


def _plain(engine, name, **operands):
    """Arguments that must carry no derivative (indices, sample points, ...)."""
    for key, x in operands.items():
        if isinstance(x, (engine.array, Dual)):
            raise TypeError(
                f"numpy.{name} of a DualArray: argument {key!r} cannot be a dual number")


def _with_tangent(value, tangent, k):
    """The tangent, or zeros when the operand is a constant."""
    value = np.asarray(value, dtype=np.float64)
    if tangent is None:
        # np.zeros, not a broadcast view: numpy's broadcast_to costs ~10 us of
        # Python per call, which dominated small concatenations (W5 at n = 10)
        tangent = np.zeros(value.shape + (k,))
    return value, tangent


def _operands(engine, items):
    """(tag, k, values, tangents) for a sequence of mixed operands."""
    items = list(items)
    tag, k = engine.source(*items)
    pairs = [_with_tangent(*engine.parts(x, tag, k), k) for x in items]
    return tag, k, [v for v, _ in pairs], [t for _, t in pairs]


def _dual(engine, a, name):
    """(value, tangent, tag, k) of the main operand, which must be a DualArray."""
    own_array(engine, name, a)
    return a.value, a.tangent, a.tag, a.directions


def _to_end(value, tangent, axis):
    """Move the reduced axes to one trailing axis (before k on the tangent).

    Returns the (..., m) value and the (..., m, k) tangent; the caller has
    already reduced the value with numpy, which rejected bad or repeated axes.
    """
    ndim = value.ndim
    axes = tuple(range(ndim)) if axis is None else tuple(sorted(set(_axes(axis, ndim))))
    kept = tuple(i for i in range(ndim) if i not in axes)
    kept_shape = tuple(value.shape[i] for i in kept)
    m = int(np.prod([value.shape[i] for i in axes], dtype=np.int64))
    k = tangent.shape[-1]
    value = value.transpose(kept + axes).reshape(kept_shape + (m,))
    tangent = tangent.transpose(kept + axes + (ndim,)).reshape(kept_shape + (m, k))
    return value, tangent


# ------------------------------------------------------------- joining

def _join(engine, values, tangents, axis, tag):
    """Concatenate values and tangents; axis None joins the flattened arrays."""
    return engine.result(*_moves.concatenate(list(zip(values, tangents)), axis), tag)


def _sparse_or_constant(engine, items):
    """True when some item has a sparse tangent and none a dense one."""
    sparse = False
    for x in items:
        if isinstance(x, engine.array):
            if x.sparse_tangent is None:
                return False
            sparse = True
        elif isinstance(x, Dual) and x.partials:
            return False
    return sparse


def _join_sparse(engine, items, axis):
    """Concatenate values and sparse tangents; rows are padded to the widest
    (index -1, weight 0: no entry), constants get only padding."""
    items = list(items)
    tag, k = engine.source(*items)
    parts = []
    for x in items:
        if isinstance(x, engine.array):
            if x.tag != tag or x.directions != k:
                engine.parts(x, tag, k)             # raises the mismatch error
            parts.append((x.value,) + tuple(x.sparse_tangent))
        else:
            value = np.asarray(engine.parts(x, tag, k)[0])
            parts.append((value, np.empty(value.shape + (0,), dtype=np.intp),
                          np.empty(value.shape + (0,))))
    width = max(p[1].shape[-1] for p in parts)
    value, index, weight = _moves.concatenate([_moves.pad_rows(p, width) for p in parts], axis)
    return engine.wrap_sparse(value, index, weight, k, tag)


@_implements(np.concatenate)
def _concatenate(engine, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    reject_options("concatenate", {}, out=out)
    _reject_casting("concatenate", dtype, casting)
    if axis in (0, -1, None) and isinstance(arrays, (list, tuple)):
        tag, k = engine.source(*arrays)
        joined = engine.concatenate_1d(list(arrays), tag, k)   # compiled; None unless all are 1-d
        if joined is not None:
            return joined
    if _sparse_or_constant(engine, arrays):
        return _join_sparse(engine, arrays, axis)
    tag, _, values, tangents = _operands(engine, arrays)
    return _join(engine, values, tangents, axis, tag)


@_implements(np.append)
def _append(engine, arr, values, axis=None):
    if axis is None:                                # as numpy: both flattened, then joined
        tag, k = engine.source(arr, values)
        arr, values = (x.ravel() if isinstance(x, engine.array) else _flat(engine, x, tag, k)
                       for x in (arr, values))
        axis = 0
    return _concatenate(engine, (arr, values), axis=axis)


def _flat(engine, x, tag, k):
    """A 1-d DualArray of an operand that is not one (a Dual, list, ndarray)."""
    value, tangent = _with_tangent(*engine.parts(x, tag, k), k)
    return engine.result(value.reshape(-1), np.ascontiguousarray(tangent).reshape(-1, k), tag)


@_implements(np.stack)
def _stack(engine, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    reject_options("stack", {}, out=out)
    _reject_casting("stack", dtype, casting)
    tag, _, values, tangents = _operands(engine, arrays)
    return engine.result(*_moves.stack(list(zip(values, tangents)), axis), tag)


def _reshaped(values, tangents, shape_of):
    # reshape each value to shape_of(value) and its tangent to match
    new_values = [v.reshape(shape_of(v)) for v in values]
    new_tangents = [t.reshape(v.shape + t.shape[-1:]) for v, t in zip(new_values, tangents)]
    return new_values, new_tangents


def _shape_1d(v):
    return v.shape if v.ndim >= 1 else (1,)


def _shape_2d(v):
    return v.shape if v.ndim >= 2 else (1,) * (2 - v.ndim) + v.shape


@_implements(np.hstack)
def _hstack(engine, tup, *, dtype=None, casting="same_kind"):
    _reject_casting("hstack", dtype, casting)
    tag, _, values, tangents = _operands(engine, tup)
    values, tangents = _reshaped(values, tangents, _shape_1d)
    # as numpy: 1-d pieces are joined end to end, others along axis 1
    return _join(engine, values, tangents, 0 if values and values[0].ndim == 1 else 1, tag)


@_implements(np.vstack)
def _vstack(engine, tup, *, dtype=None, casting="same_kind"):
    _reject_casting("vstack", dtype, casting)
    tag, _, values, tangents = _operands(engine, tup)
    values, tangents = _reshaped(values, tangents, _shape_2d)
    return _join(engine, values, tangents, 0, tag)


@_implements(np.atleast_1d)
def _atleast_1d(engine, *arys):
    results = tuple(_one_atleast_1d(engine, x) for x in arys)
    return results[0] if len(results) == 1 else results


def _one_atleast_1d(engine, x):
    # plain operands (and constant Duals) stay plain, as numpy returns them
    if isinstance(x, engine.array):
        if x.ndim >= 1:
            return x                         # numpy returns such an array itself
        return engine.wrap(x.value.reshape(1), x.tangent.reshape(1, -1), x.tag)
    if type(x) is Dual:
        try:
            tag, k = engine.source(x)
        except TypeError:                    # a Dual without partials
            return np.atleast_1d(x.value)
        value, tangent = engine.parts(x, tag, k)
        return engine.wrap(np.array([value], dtype=np.float64), tangent.reshape(1, k).copy(), tag)
    return np.atleast_1d(x)


# ------------------------------------------------------------- selection

@_implements(np.where)
def _where(engine, condition, *xy):
    if len(xy) != 2:
        raise TypeError("numpy.where of a DualArray needs both x and y (the 1-argument "
                        "form gives indices, which have no derivative)")
    _plain(engine, "where", condition=condition)
    tag, _, (av, bv), (at, bt) = _operands(engine, xy)
    # the same choice in every direction; shapes broadcast to value.shape + (k,)
    return engine.result(*_moves.choose(condition, (av, at), (bv, bt)), tag)


@_implements(np.clip)
def _clip(engine, a, a_min=None, a_max=None, out=None, *, min=None, max=None, **kwargs):
    reject_options("clip", kwargs, out=out)
    if (a_min is not None and min is not None) or (a_max is not None and max is not None):
        raise TypeError("numpy.clip: give each bound once (a_min or min, a_max or max)")
    low = a_min if min is None else min
    high = a_max if max is None else max
    # numpy's definition; the ufuncs carry the min/max derivative rules
    result = a
    if low is not None:
        result = np.maximum(result, low)
    if high is not None:
        result = np.minimum(result, high)
    if result is a:
        value, tangent, tag, _ = _dual(engine, a, "clip")
        return engine.wrap(value.copy(), tangent.copy(), tag)
    return result


@_implements(np.take)
def _take(engine, a, indices, axis=None, out=None, mode="raise"):
    reject_options("take", {}, out=out)
    _plain(engine, "take", indices=indices)
    value, tangent, tag, k = _dual(engine, a, "take")
    result = np.take(value, indices, axis=axis, mode=mode)
    if axis is None:
        tangent = np.take(tangent.reshape(-1, k), indices, axis=0, mode=mode)
    else:
        tangent = np.take(tangent, indices, axis=_axes(axis, value.ndim)[0], mode=mode)
    return engine.result(np.asarray(result), tangent, tag)


# ------------------------------------------------------------- shape

@_implements(np.broadcast_to)
def _broadcast_to(engine, array, shape, subok=False):
    reject_options("broadcast_to", {}, subok=subok or None)
    value, tangent, tag, k = _dual(engine, array, "broadcast_to")
    value = np.broadcast_to(value, shape)
    # right-aligned broadcasting lines up the value axes before the k axis
    return engine.result(value, np.broadcast_to(tangent, value.shape + (k,)), tag)


@_implements(np.squeeze)
def _squeeze(engine, a, axis=None):
    value, tangent, tag, _ = _dual(engine, a, "squeeze")
    if axis is None:
        # only value axes: with k == 1 the tangent axis must stay
        axes = tuple(i for i, n in enumerate(value.shape) if n == 1)
    else:
        axes = _axes(axis, value.ndim)
    squeezed = np.squeeze(value, axis=axis)
    return engine.result(squeezed, np.squeeze(tangent, axis=axes), tag)


@_implements(np.expand_dims)
def _expand_dims(engine, a, axis):
    value, tangent, tag, _ = _dual(engine, a, "expand_dims")
    expanded = np.expand_dims(value, axis)
    axes = _axes(axis, expanded.ndim)       # relative to the result, as numpy
    return engine.wrap(expanded, np.expand_dims(tangent, axes), tag)


@_implements(np.ravel)
def _ravel(engine, a, order="C"):
    if order != "C":
        raise TypeError("numpy.ravel of a DualArray supports only order='C'")
    value, tangent, tag, k = _dual(engine, a, "ravel")
    return engine.wrap(value.ravel(), tangent.reshape(-1, k), tag)


@_implements(np.copy)
def _copy(engine, a, order="K", subok=False):
    if order not in ("K", "C", "A"):
        raise TypeError("numpy.copy of a DualArray supports only order='K', 'C' or 'A'")
    value, tangent, tag, _ = _dual(engine, a, "copy")
    return engine.wrap(value.copy(), tangent.copy(), tag)


# ------------------------------------------------------------- shape queries

@_implements(np.shape)
def _shape(engine, a):
    return a.shape


@_implements(np.ndim)
def _ndim(engine, a):
    return a.ndim


@_implements(np.size)
def _size(engine, a, axis=None):
    return a.size if axis is None else a.shape[axis]


@_implements(np.reshape)
def _reshape(engine, a, shape, order="C", **kwargs):
    if order != "C" or kwargs:
        raise TypeError("numpy.reshape of a DualArray supports only order='C'")
    return a.reshape(shape)


@_implements(np.transpose)
def _transpose(engine, a, axes=None):
    return a.transpose(*(axes or ()))


# ------------------------------------------------------------- linear maps

class TangentPrimitives:
    """The first order's side of the numpy functions both orders share
    (dualnum/_array_reductions.py), written in Python on the compiled
    primitives that dualnum/_array.pyx's engine adds (``result``)."""

    @staticmethod
    def refuse(name, options, **defaults_only):
        reject_options(name, options, **defaults_only)

    @staticmethod
    def foreign(name, a):
        return TypeError(f"numpy.{name}: the array argument must be a DualArray here")

    def reduce(self, a, func, axis, keepdims):
        """np.sum or np.mean of a DualArray over axes: numpy's own on the value
        and on the tangent (whose direction axis it never reduces)."""
        if func is np.mean and axis is None and not keepdims and a.size:
            # numpy's mean is its sum divided by the count: the same numbers,
            # and the compiled sum keeps a sparse tangent sparse
            value, partials, tag = dual_parts(a.sum())
            return dual_from(value / a.size, partials / a.size, tag)
        axes = tuple(range(a.ndim)) if axis is None else _axes(axis, a.ndim)
        value = func(a.value, axis=axes, keepdims=keepdims)
        return self.result(np.asarray(value), func(a.tangent, axis=axes, keepdims=keepdims), a.tag)

    def cumulate(self, a, axis):
        """np.cumsum of a DualArray along a non-negative axis."""
        return self.result(np.cumsum(a.value, axis=axis), np.cumsum(a.tangent, axis=axis), a.tag)


if hasattr(np, "trapezoid"):
    @_implements(np.trapezoid)
    def _trapezoid(engine, y, x=None, dx=1.0, axis=-1):
        _plain(engine, "trapezoid", x=x, dx=dx)
        value, tangent, tag, _ = _dual(engine, y, "trapezoid")
        result = np.asarray(np.trapezoid(value, x=x, dx=dx, axis=axis))
        axis = _axes(axis, value.ndim)[0]
        if x is not None and np.ndim(x) > 1:
            x = np.asarray(x)[..., np.newaxis]    # an x shaped like y: add the k axis
        return engine.result(result, np.trapezoid(tangent, x=x, dx=dx, axis=axis), tag)


# ------------------------------------------------------------- nonlinear reductions

@_implements(np.prod)
def _prod(engine, a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    reject_options("prod", kwargs, dtype=dtype, out=out)     # initial=/where= too
    value, tangent, tag, k = _dual(engine, a, "prod")
    result = np.asarray(np.prod(value, axis=axis, keepdims=keepdims))
    flat_value, flat_tangent = _to_end(value, tangent, axis)
    others = _products_of_others(flat_value)
    # product rule: d prod = sum_i (prod_{j != i} a_j) da_i
    tangent = np.einsum("...m,...mk->...k", others, flat_tangent)
    return engine.result(result, tangent.reshape(result.shape + (k,)), tag)


def _products_of_others(v):
    """prod_{j != i} v_j along the last axis, without dividing (zeros are fine)."""
    m = v.shape[-1]
    ones = np.ones(v.shape[:-1] + (1,))
    before = np.cumprod(np.concatenate([ones, v[..., :-1]], axis=-1), axis=-1)[..., :m]
    after = np.cumprod(np.concatenate([ones, v[..., :0:-1]], axis=-1), axis=-1)[..., :m]
    return before * after[..., ::-1]


def _extremum(engine, name, pick, a, axis, out, keepdims, kwargs):
    """max/min: the derivative of the element argmax/argmin picks (first of ties)."""
    reject_options(name, kwargs, out=out)                    # initial=/where= too
    value, tangent, tag, k = _dual(engine, a, name)
    reducer = np.max if pick is np.argmax else np.min
    result = np.asarray(reducer(value, axis=axis, keepdims=keepdims))   # numpy's errors
    flat_value, flat_tangent = _to_end(value, tangent, axis)
    index = pick(flat_value, axis=-1)[..., np.newaxis, np.newaxis]
    tangent = np.take_along_axis(flat_tangent, index, axis=-2)
    return engine.result(result, tangent.reshape(result.shape + (k,)), tag)


@_implements(np.max, np.amax)
def _max(engine, a, axis=None, out=None, keepdims=False, **kwargs):
    return _extremum(engine, "max", np.argmax, a, axis, out, keepdims, kwargs)


@_implements(np.min, np.amin)
def _min(engine, a, axis=None, out=None, keepdims=False, **kwargs):
    return _extremum(engine, "min", np.argmin, a, axis, out, keepdims, kwargs)


@_implements(np.sort)
def _sort(engine, a, axis=-1, kind=None, order=None, *, stable=None):
    reject_options("sort", {}, order=order)
    value, tangent, tag, k = _dual(engine, a, "sort")
    if axis is None:
        value, tangent, axis = value.ravel(), tangent.reshape(-1, k), 0
    axis = _axes(axis, value.ndim)[0]
    # a stable argsort so each tangent travels with its value
    index = np.argsort(value, axis=axis, kind="stable")
    return engine.wrap(*_moves.take_along((value, tangent), index, axis), tag)


