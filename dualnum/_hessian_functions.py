"""numpy functions on Dual2Array, the compiled second-order array of hessian().

Each is written with the array's compiled operations (arithmetic, indexing,
sums) or, for selections, with numpy on its component arrays (value, index,
grad, curv; see dualnum/_hessian_array.pyx); the moves of elements both
array orders share are dualnum/_array_functions.py, and sum, mean, cumsum
and diff, one handler for both orders, dualnum/_array_reductions.py (on
RowPrimitives here).  Arguments these versions do not handle raise
NotCompiled, and hessian() evaluates f again on an object array of Dual2s.

The handlers take the array's module primitives as their first argument,
``engine`` (dualnum/_hessian_array.pyx: ``array``, ``make``, ``linear``,
``components``, ``sum_all``, and RowPrimitives' methods), so this module
sits below the compiled array that dispatches to it and imports nothing of it.
"""
import numpy as np

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:                                     # numpy < 2
    from numpy.core.numeric import normalize_axis_tuple  # type: ignore[attr-defined, unused-ignore]

from dualnum import _array_functions as _moves
from dualnum._array_reductions import own_array as _dual_array
from dualnum._array import _not_real
from dualnum._function_args import function_table
from dualnum._second import Dual2

__all__ = ["FUNCTIONS", "UFUNC_FUNCTIONS", "NotCompiled", "RowPrimitives"]


class NotCompiled(Exception):
    """f used something the compiled second-order array does not cover;
    hessian() then evaluates f on an object array of Dual2s."""


# numpy function -> handler(engine, *args, **kwargs), for Dual2Array.__array_function__
FUNCTIONS, implements = function_table()


def _source(engine, *operands):
    """(tag, n) of the first second-order array among the operands (a scalar
    Dual2 among them, e.g. np.where(c, x[0], x), takes its call from it)."""
    for x in operands:
        if isinstance(x, engine.array):
            return x.tag, x.n
    raise NotCompiled("no second-order array operand")


def _no_options(name, **options):
    if any(value is not None and value is not False for value in options.values()):
        raise NotCompiled(f"numpy.{name} with {sorted(k for k, v in options.items() if v)}")


def _second_order(engine, x):
    return isinstance(x, (engine.array, Dual2))


# ------------------------------------------------------------ reductions

def _axes(axis, ndim):
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(normalize_axis_tuple(axes, ndim)))


class RowPrimitives:
    """The second order's side of the numpy functions both orders share
    (dualnum/_array_reductions.py), written in Python on the compiled
    primitives that dualnum/_hessian_array.pyx's engine adds (``linear``)."""

    @staticmethod
    def refuse(name, options, **defaults_only):
        _no_options(name, **options, **defaults_only)

    @staticmethod
    def foreign(name, a):
        return NotCompiled(f"numpy.{name} of a {type(a).__name__}")

    def reduce(self, a, func, axis, keepdims):
        """np.sum or np.mean of a over ``axis``, as a linear map of a: each
        result element gathers its line with coefficient 1 (sum) or 1/length."""
        if func is np.mean and a.size == 0:
            raise NotCompiled("the mean of an empty array")
        value = func(a.value, axis=axis, keepdims=keepdims)
        axes = _axes(tuple(range(a.ndim)) if axis is None else axis, a.ndim)
        kept = [d for d in range(a.ndim) if d not in axes]
        flat = np.arange(a.size).reshape(a.shape).transpose(kept + list(axes))
        length = int(np.prod([a.shape[d] for d in axes], dtype=np.intp))
        rows = flat.size // length if length else int(np.prod([a.shape[d] for d in kept]))
        src = flat.reshape(rows, length)
        ptr = np.arange(0, rows * length + 1, length) if length else np.zeros(rows + 1, np.intp)
        coef = np.full(src.size, 1.0 if func is np.sum else 1.0 / length)
        return self.linear(a, np.asarray(value), ptr, src.reshape(-1), coef)

    def cumulate(self, a, axis):
        """np.cumsum of a along a non-negative axis: element i of a line sums
        elements 0..i (worked along the last axis)."""
        order = [d for d in range(a.ndim) if d != axis] + [axis]
        lines = np.arange(a.size).reshape(a.shape).transpose(order)
        length = lines.shape[-1]
        lines = lines.reshape(-1, length)
        below = np.tril(np.ones((length, length), dtype=bool))
        src = np.broadcast_to(lines[:, None, :], (len(lines), length, length))[
            np.broadcast_to(below, (len(lines), length, length))]
        counts = np.tile(np.arange(1, length + 1), len(lines))
        ptr = np.concatenate(([0], np.cumsum(counts)))
        value = np.cumsum(a.value, axis=axis).transpose(order)
        moved = self.linear(a, value, ptr, src, np.ones(src.size))
        return moved.transpose(np.argsort(order))


# ------------------------------------------------------------ selections

def _take(engine, a, positions, axis):
    """np.take_along_axis of a's components (axis >= 0)."""
    return engine.make(*_moves.take_along(engine.components(a, a.tag, a.n), positions, axis),
                       a.n, a.tag)


def _extremum(engine, name, pick, reducer, a, axis, out, keepdims, initial, where):
    """max/min: the derivatives of the element argmax/argmin picks (the first
    of ties), as for first-order arrays."""
    a = _dual_array(engine, name, a)
    _no_options(name, out=out, initial=initial, where=where)
    value = reducer(a.value, axis=axis, keepdims=keepdims)     # numpy's errors (empty arrays)
    if axis is None:
        a, axis = a.reshape(-1), 0
    elif isinstance(axis, tuple):
        raise NotCompiled(f"numpy.{name} over several axes")
    axis = _axes(axis, a.ndim)[0]
    picked = _take(engine, a, np.expand_dims(pick(a.value, axis=axis), axis), axis)
    return picked.reshape(np.shape(value)) if np.ndim(value) else picked[(0,) * picked.ndim]


@implements(np.max, np.amax)
def _max(engine, a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extremum(engine, "max", np.argmax, np.max, a, axis, out, keepdims, initial, where)


@implements(np.min, np.amin)
def _min(engine, a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _extremum(engine, "min", np.argmin, np.min, a, axis, out, keepdims, initial, where)


@implements(np.prod)
def _prod(engine, a, axis=None, dtype=None, out=None, keepdims=False, **options):
    # multiply.reduce of dualnum/_ufunc_methods.py: a tree of products, exact with zeros;
    # initial= and where= pass through as numpy names them
    return np.multiply.reduce(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims, **options)


@implements(np.sort)
def _sort(engine, a, axis=-1, kind=None, order=None, *, stable=None):
    a = _dual_array(engine, "sort", a)
    _no_options("sort", order=order)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _axes(axis, a.ndim)[0]
    # a stable argsort, so that each element's derivatives travel with it
    return _take(engine, a, np.argsort(a.value, axis=axis, kind="stable"), axis)


# ------------------------------------------------------------ products

@implements(np.dot, np.matmul)
def _product(engine, a, b, out=None, **kwargs):
    if out is not None or kwargs:
        raise NotCompiled("a product with out= or other options")
    a, b = _operand(engine, a), _operand(engine, b)
    ndim_a, ndim_b = np.ndim(_value(engine, a)), np.ndim(_value(engine, b))
    if ndim_a in (1, 2) and ndim_b in (1, 2):
        np.dot(_value(engine, a), _value(engine, b))   # numpy's error for shapes that do not align
    if ndim_a == 1 and ndim_b == 1:
        return engine.sum_all(a * b)
    if ndim_a == 2 and ndim_b == 1:
        return engine.reduce(a * b[None, :], np.sum, 1, False)
    if ndim_a == 1 and ndim_b == 2:
        return engine.reduce(a[:, None] * b, np.sum, 0, False)
    if ndim_a == 2 and ndim_b == 2:
        return engine.reduce(a[:, :, None] * b[None, :, :], np.sum, 1, False)
    raise NotCompiled("a product of arrays with more than two dimensions")


@implements(np.inner)
def _inner(engine, a, b):
    """The sum over the last axes of a and b: dot(a, b.T) for a matrix b."""
    b = _operand(engine, b)
    if np.ndim(_value(engine, b)) == 2:
        b = b.T
    return _product(engine, a, b)


@implements(np.vdot)
def _vdot(engine, a, b):
    """The sum of the products of the flattened operands."""
    if np.size(_value(engine, a)) != np.size(_value(engine, b)):
        raise ValueError("vdot needs operands of the same size")
    return engine.sum_all(_flat(engine, a) * _flat(engine, b))


def _operand(engine, x):
    """A second-order operand as it is, anything else as a float64 array."""
    if _second_order(engine, x):
        return x
    a = np.asarray(x)
    if a.dtype.kind == "O":                 # e.g. np.array([x[0], x[1]]): numpy's object loops
        raise NotCompiled("an object array (e.g. of dual numbers)")
    if a.dtype.kind not in "biuf":
        raise _not_real(a, "an operand of the array of hessian")
    return a.astype(np.float64, copy=False)


def _flat(engine, x):
    return x.reshape(-1) if isinstance(x, engine.array) else np.ravel(x)


def _value(engine, x):
    if _second_order(engine, x):
        return x.value
    return np.asarray(x, dtype=float)


# ------------------------------------------------------------ shapes

@implements(np.reshape)
def _reshape(engine, a, *args, **kwargs):
    a = _dual_array(engine, "reshape", a)
    if len(args) + len(kwargs) != 1:
        raise NotCompiled("numpy.reshape with these arguments")
    shape = args[0] if args else kwargs.get("shape", kwargs.get("newshape"))
    return a.reshape(shape)


@implements(np.ravel)
def _ravel(engine, a, order="C"):
    a = _dual_array(engine, "ravel", a)
    if order != "C":
        raise NotCompiled("numpy.ravel with order != 'C'")
    return a.reshape(-1)


@implements(np.transpose)
def _transpose(engine, a, axes=None):
    return _dual_array(engine, "transpose", a).transpose(axes)


def _common(engine, operands):
    """(the operands' components padded to one width, tag, n)."""
    tag, n = _source(engine, *operands)
    parts = [engine.components(x, tag, n) for x in operands]
    width = max(p[1].shape[-1] for p in parts)
    return [_moves.pad_rows(p, width) for p in parts], tag, n


@implements(np.concatenate)
def _concatenate(engine, arrays, axis=0, out=None, dtype=None, casting=None):
    _no_options("concatenate", out=out, dtype=dtype, casting=casting)
    parts, tag, n = _common(engine, list(arrays))
    if axis is not None and parts[0][0].ndim == 0:
        raise NotCompiled("concatenating scalars")
    return engine.make(*_moves.concatenate(parts, axis), n, tag)


@implements(np.stack)
def _stack(engine, arrays, axis=0, out=None, dtype=None, casting=None):
    _no_options("stack", out=out, dtype=dtype, casting=casting)
    parts, tag, n = _common(engine, list(arrays))
    if len({p[0].shape for p in parts}) != 1:
        raise ValueError("all input arrays must have the same shape")
    return engine.make(*_moves.stack(parts, axis), n, tag)


@implements(np.where)
def _where(engine, condition, x=None, y=None):
    if x is None or y is None or _second_order(engine, condition):
        raise NotCompiled("numpy.where with one argument or a dual condition")
    (px, py), tag, n = _common(engine, [x, y])
    return engine.make(*_moves.choose(np.asarray(condition, dtype=bool), px, py), n, tag)


@implements(np.clip)
def _clip(engine, a, a_min=None, a_max=None, out=None, **kwargs):
    if out is not None or kwargs:
        raise NotCompiled("numpy.clip with out= or other options")
    if a_min is not None:
        a = np.maximum(a, a_min)
    if a_max is not None:
        a = np.minimum(a, a_max)
    return a


# ------------------------------------------------------------ ufuncs written with others

@implements(np.square)
def _square(engine, x):
    return x * x


@implements(np.reciprocal)
def _reciprocal(engine, x):
    return 1.0 / x


@implements(np.positive)
def _positive(engine, x):
    return +x                               # a copy, as numpy's (it may be assigned into)


# ufunc name -> the numpy function whose handler computes it
UFUNC_FUNCTIONS = {"matmul": np.matmul, "square": np.square, "reciprocal": np.reciprocal,
                   "positive": np.positive, "conjugate": np.positive,   # a real array's own
                   "rint": np.round}                                    # round is rint
