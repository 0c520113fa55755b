"""DualArray: a value ndarray plus a tangent ndarray with a trailing axis of k
directions, so numpy code runs on dual numbers at array speed.

Elementwise numpy ufuncs on a DualArray run fused kernels (dualnum/_kernels.pyx)
driven by the same rule table as the scalar Dual: one pass computes values and
all k tangents.  Every DualArray carries the tag of the differentiation call
that seeded it, like the scalar Dual, so perturbations of different calls are
never mixed silently.
"""
import math
import operator
import warnings

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from dualnum import _kernels
from dualnum._core import Dual, dual_from, dual_parts

# comparisons and predicates act on the value and return plain arrays
_ON_VALUE = frozenset({
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "isnan", "isinf", "isfinite", "signbit", "sign",
})


class DualArray(NDArrayOperatorsMixin):
    """DualArray(value, tangent, tag=0)

    An array of dual numbers: ``value`` has shape S and ``tangent`` shape
    S + (k,), one trailing entry per direction.  Arithmetic operators, numpy
    ufuncs and the supported numpy functions give DualArrays (comparisons give
    boolean arrays of the values); indexing one element gives a scalar
    :class:`dualnum.Dual`.

    Parameters
    ----------
    value : array_like
        Converted to float64 (a copy).
    tangent : array_like
        Shape ``value.shape + (k,)``, converted to float64 (a copy).

    Notes
    -----
    There is no conversion to a plain ndarray (``np.asarray`` raises
    TypeError): take ``.value`` to drop the derivative explicitly.  An
    unsupported numpy function raises TypeError naming it.

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> x = dn.DualArray([0.0, 1.0], [[1.0], [1.0]])
    >>> y = np.sin(x) * x
    >>> y.tangent[:, 0]                      # d/dx x sin x = sin x + x cos x
    array([0.        , 1.38177329])
    """

    __slots__ = ("value", "tangent", "tag")
    __array_priority__ = 20

    def __init__(self, value, tangent, tag=0):
        value = np.array(value, dtype=np.float64)
        tangent = np.array(tangent, dtype=np.float64)
        if tangent.ndim != value.ndim + 1 or tangent.shape[:-1] != value.shape:
            raise ValueError(
                f"tangent must have shape value.shape + (k,) = {value.shape} + (k,), "
                f"got {tangent.shape}")
        self.value, self.tangent, self.tag = value, tangent, tag

    @classmethod
    def _wrap(cls, value, tangent, tag):
        # build without copying: the kernels hand over fresh arrays
        result = cls.__new__(cls)
        result.value, result.tangent, result.tag = value, tangent, tag
        return result

    # ----- array attributes

    shape = property(lambda self: self.value.shape, doc="Shape of the value array.")
    ndim = property(lambda self: self.value.ndim, doc="Number of dimensions.")
    size = property(lambda self: self.value.size, doc="Number of elements.")
    dtype = property(lambda self: self.value.dtype, doc="float64, the dtype of values and tangents.")
    directions = property(lambda self: self.tangent.shape[-1], doc="k, the number of tangent directions.")

    def __len__(self):
        if self.value.ndim == 0:
            raise TypeError("len() of a 0-d DualArray")
        return len(self.value)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __repr__(self):
        return f"DualArray(value={self.value!r}, tangent=<{self.tangent.shape} float64>)"

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "a DualArray cannot become a plain ndarray without dropping its derivative; "
            "take .value explicitly")

    def __bool__(self):
        return bool(self.value)

    # ----- indexing

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        value = self.value[key]
        tangent = self.tangent[key + (slice(None),)]      # trailing axis untouched
        if np.ndim(value) == 0:
            return dual_from(float(value), tangent, self.tag)
        return DualArray._wrap(value, tangent, self.tag)

    def __setitem__(self, key, item):
        key = key if isinstance(key, tuple) else (key,)
        value, tangent = _parts(item, self.tag, self.directions)
        self.value[key] = value
        self.tangent[key + (slice(None),)] = 0.0 if tangent is None else tangent

    # ----- shape methods

    @property
    def T(self):
        return self.transpose()

    def transpose(self, *axes):
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = _axes(axes, self.ndim) if axes else tuple(reversed(range(self.ndim)))
        return DualArray._wrap(self.value.transpose(axes),
                               self.tangent.transpose(axes + (self.ndim,)), self.tag)

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        value = self.value.reshape(shape)
        return DualArray._wrap(value, self.tangent.reshape(value.shape + (self.directions,)), self.tag)

    def sum(self, axis=None, keepdims=False):
        return _reduce(self, np.sum, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return _reduce(self, np.mean, axis, keepdims)

    # ----- numpy protocols

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        out = kwargs.pop("out", None)
        if (method == "reduce" and name == "add" and out is None and kwargs.get("dtype") is None
                and set(kwargs) <= {"axis", "keepdims", "dtype"}):
            return _reduce(inputs[0], np.sum, kwargs.get("axis", 0), kwargs.get("keepdims", False))
        if method != "__call__" or any(v is not None for v in kwargs.values()):
            given = sorted(kwargs) + (["out"] if out is not None else [])
            raise TypeError(
                f"numpy.{name}.{method} with arguments {given} is not supported for "
                "dualnum.DualArray")
        result = self._call(ufunc, inputs)
        if out is None:
            return result
        return _store_into(out, result, name)

    def _call(self, ufunc, inputs):
        name = ufunc.__name__
        if name in _ON_VALUE:
            return ufunc(*[x.value if isinstance(x, (DualArray, Dual)) else x for x in inputs])
        if len(inputs) == 1 and name in _kernels.UNARY_NAMES:
            return _unary(name, inputs[0])
        if len(inputs) == 2 and name in _kernels.BINARY_NAMES:
            return _binary(name, inputs[0], inputs[1])
        if name == "positive":                       # a copy, as numpy's +x
            return DualArray._wrap(self.value.copy(), self.tangent.copy(), self.tag)
        if name == "square":
            return _binary("multiply", inputs[0], inputs[0])
        if name == "reciprocal":
            return _binary("divide", 1.0, inputs[0])
        if name == "matmul" and len(inputs) == 2:
            return _functions_linalg.matmul(*inputs)
        raise TypeError(f"numpy.{name} is not supported for dualnum.DualArray")

    def __array_function__(self, func, types, args, kwargs):
        if not all(issubclass(t, (DualArray, np.ndarray)) for t in types):
            return NotImplemented            # another array type takes part: let it try
        handler = _FUNCTIONS.get(func)
        if handler is None:
            raise TypeError(
                f"numpy.{func.__name__} is not supported for dualnum.DualArray "
                "(it would drop or misplace the derivative)")
        return handler(*args, **kwargs)

    def __dualnum_unary__(self, name):
        """Apply a dualnum function that has no numpy ufunc (erf, gamma, sigmoid, ...)."""
        return _unary(name, self)


# ------------------------------------------------------------- operations

def _parts(x, tag, k):
    """(value array, tangent array or None) of an operand, checking tags and k."""
    if type(x) is DualArray:                       # the common case, checked inline
        if x.tag != tag or x.tangent.shape[-1] != k:
            _check(x.tag, x.tangent.shape[-1], tag, k)
        return x.value, x.tangent
    if isinstance(x, DualArray):
        _check(x.tag, x.directions, tag, k)
        return x.value, x.tangent
    if type(x) is Dual:
        value, partials, xtag = dual_parts(x)
        if partials.shape[0] == 0:
            return value, None
        _check(xtag, partials.shape[0], tag, k)
        return value, partials
    if isinstance(x, np.ndarray) and x.dtype == object:
        raise TypeError("cannot combine a DualArray with a numpy object array")
    arr = np.asarray(x, dtype=np.float64)
    return arr, None


def _check(tag, k, expected_tag, expected_k):
    if tag != expected_tag:
        raise ValueError(
            "cannot combine dual numbers seeded by different differentiation calls "
            "(e.g. a nested derivative whose function closes over the outer variable); "
            "nested differentiation is not supported in this version of dualnum")
    if k != expected_k:
        raise ValueError(f"cannot combine dual numbers with {k} and {expected_k} tangent directions")


def _source(*operands):
    """(tag, k) of the first dual operand."""
    for x in operands:
        if type(x) is DualArray:
            return x.tag, x.tangent.shape[-1]
        if isinstance(x, DualArray):
            return x.tag, x.directions
        if type(x) is Dual:
            _, partials, tag = dual_parts(x)
            if partials.shape[0]:
                return tag, partials.shape[0]
    raise TypeError("no dual operand")


def _report(name, bad, *values):
    """Non-finite results from finite inputs warn (or raise) as numpy would."""
    if not bad:
        return
    ufunc = getattr(np, name, None)
    if isinstance(ufunc, np.ufunc):
        ufunc(*values)                       # numpy emits its own warning per np.errstate
        return
    mode = np.geterr()["invalid"]
    message = f"invalid value encountered in {name}"
    if mode == "raise":
        raise FloatingPointError(message)
    if mode != "ignore":
        warnings.warn(message, RuntimeWarning, stacklevel=4)


def _unary(name, x):
    tag, k = _source(x)
    value, tangent = _parts(x, tag, k)
    flat_value, flat_tangent, bad = _kernels.unary(name, value.reshape(-1), tangent.reshape(-1, k))
    _report(name, bad, value)
    shape = value.shape
    return _result(flat_value.reshape(shape), flat_tangent.reshape(shape + (k,)), tag)


def _binary(name, a, b):
    tag, k = _source(a, b)
    av, at = _parts(a, tag, k)
    bv, bt = _parts(b, tag, k)
    a_shape, b_shape = np.shape(av), np.shape(bv)
    if a_shape == b_shape or not b_shape:
        shape = a_shape
    elif not a_shape:
        shape = b_shape
    else:
        shape = np.broadcast_shapes(a_shape, b_shape)
    (av_flat, at_flat), (bv_flat, bt_flat) = (_flat(av, at, shape, k), _flat(bv, bt, shape, k))
    flat_value, flat_tangent, bad = _kernels.binary(name, av_flat, at_flat, bv_flat, bt_flat, k)
    _report(name, bad, av, bv)
    return _result(flat_value.reshape(shape), flat_tangent.reshape(shape + (k,)), tag)


def _flat(value, tangent, shape, k):
    """One operand as (m,) values and (m, k) tangents over the broadcast shape.

    Same-shape operands are flattened without a copy when contiguous; a scalar
    stays one element (the kernel broadcasts it); other broadcasts are materialised.
    """
    m = math.prod(shape)
    value_shape = np.shape(value)
    if not value_shape:                 # a scalar: length 1, the kernel broadcasts it
        return np.array([value], dtype=np.float64), None if tangent is None else tangent.reshape(1, k)
    if value_shape != shape:
        value = np.broadcast_to(value, shape)
        tangent = None if tangent is None else np.broadcast_to(tangent, shape + (k,))
    # reshape is a view for contiguous arrays and copies otherwise; the kernels
    # accept strided views, so no further copy is needed
    flat_value = value.reshape(m)
    flat_tangent = None if tangent is None else tangent.reshape(m, k)
    return flat_value, flat_tangent


def _result(value, tangent, tag):
    if value.ndim == 0:
        return dual_from(float(value), tangent, tag)
    return DualArray._wrap(value, tangent, tag)


def _reduce(x, func, axis, keepdims):
    """sum or mean of a DualArray over axes (the tangent axis is never reduced)."""
    if not isinstance(x, DualArray):
        return func(x, axis=axis, keepdims=keepdims)
    ndim = x.ndim
    if axis is None:
        axes = tuple(range(ndim))
    else:
        axes = _axes(axis, ndim)
    value = func(x.value, axis=axes, keepdims=keepdims)
    tangent = func(x.tangent, axis=axes, keepdims=keepdims)
    return _result(np.asarray(value), tangent, x.tag)


def _axes(axis, ndim):
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    out = []
    for a in items:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(a, ndim)
        out.append(a % ndim)
    return tuple(out)


def reject_options(name, kwargs, **defaults_only):
    """TypeError naming the numpy function for any option dualnum does not support:
    every key of ``kwargs``, and every ``defaults_only`` option not left at None."""
    extra = sorted(kwargs) + sorted(key for key, value in defaults_only.items() if value is not None)
    if extra:
        raise TypeError(f"numpy.{name} of a DualArray does not support the argument(s) {extra}")


def _sum(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    reject_options("sum", kwargs, dtype=dtype, out=out)
    return _reduce(a, np.sum, axis, keepdims)


def _mean(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
    reject_options("mean", kwargs, dtype=dtype, out=out)
    return _reduce(a, np.mean, axis, keepdims)


def _shape(a):
    return a.shape


def _ndim(a):
    return a.ndim


def _size(a, axis=None):
    return a.size if axis is None else a.shape[axis]


def _store_into(out, result, name):
    """ufunc(..., out=(dual_array,)), e.g. x += 1: write the result into out."""
    if len(out) != 1 or not isinstance(out[0], DualArray):
        raise TypeError(f"numpy.{name}: out= must be a single DualArray")
    target = out[0]
    target[...] = result
    return target


def _reshape(a, shape, order="C", **kwargs):
    if order != "C" or kwargs:
        raise TypeError("numpy.reshape of a DualArray supports only order='C'")
    return a.reshape(shape)


# numpy function -> handler; dualnum/_functions_*.py add theirs with @implements
_FUNCTIONS = {
    np.sum: _sum,
    np.mean: _mean,
    np.shape: _shape,
    np.ndim: _ndim,
    np.size: _size,
    np.reshape: _reshape,
    np.transpose: lambda a, axes=None: a.transpose(*(axes or ())),
}


def implements(*numpy_functions):
    """Register the decorated function as the DualArray version of numpy functions."""
    def register(handler):
        for func in numpy_functions:
            _FUNCTIONS[func] = handler
        return handler
    return register


# the numpy functions beyond the elementwise core register themselves on import
from dualnum import _functions_linalg, _functions_shape  # noqa: E402  (they import this module)
