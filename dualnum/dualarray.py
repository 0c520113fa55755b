"""DualArray: a value ndarray plus a tangent ndarray with a trailing axis of k
directions, so numpy code runs on dual numbers at array speed.

Elementwise numpy ufuncs on a DualArray run fused loops (dualnum/_loops.pxd)
driven by the same rule table as the scalar Dual: one pass computes values and
all k tangents.  The class is the compiled core (dualnum/_chains.pyx:
storage; dualnum/_array.pyx: operators, ufuncs, indexing, sum, sparse
tangents) plus what this module adds in Python: numpy functions, shape
methods and documentation.  Every DualArray
carries the tag of the differentiation call that seeded it, like the scalar
Dual, so perturbations of different calls are never mixed silently.
"""
from __future__ import annotations

from typing import Any, Iterator, NoReturn

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from dualnum import _array_functions as _moves, _functions_linalg, _functions_shape
from dualnum._array import DualArrayCore, elementwise, register_result_type, restructure, wrap
from dualnum._array import parts as _parts
from dualnum._core import Dual, dual_from, dual_parts
from dualnum._function_args import axes as _axes

# numpy function -> handler, for __array_function__ (dualnum/_array.pyx)
_NUMPY_FUNCTIONS = {**_functions_shape.FUNCTIONS, **_functions_linalg.FUNCTIONS}

# comparisons and predicates act on the value and return plain arrays
_ON_VALUE = frozenset({
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "isnan", "isinf", "isfinite", "signbit", "sign",
})


class DualArray(DualArrayCore, NDArrayOperatorsMixin):
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
    unsupported numpy function raises TypeError naming it.  Arithmetic,
    ufuncs, indexing and ``sum`` run in the compiled core
    (dualnum/_array.pyx); the rest is written here on top of it.  On large
    arrays, elementwise operations are recorded and run together, block by
    block, when a result is first used; the numbers are the same as one at
    a time (see "recorded chains" in dualnum/_chains.pyx).

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> x = dn.DualArray([0.0, 1.0], [[1.0], [1.0]])
    >>> y = np.sin(x) * x
    >>> y.tangent[:, 0]                      # d/dx x sin x = sin x + x cos x
    array([0.        , 1.38177329])
    """

    __slots__ = ()
    __array_priority__ = 20

    _wrap = staticmethod(wrap)
    _numpy_functions = _NUMPY_FUNCTIONS

    # ----- array attributes (shape, ndim, size and dtype are compiled: they
    # must not run a pending chain, see dualnum/_chains.pyx)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d DualArray")
        return self.shape[0]

    def __iter__(self) -> Iterator[Any]:
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        stored = "dense" if self.sparse_tangent is None else "sparse"
        shape = self.shape + (self.directions,)
        return f"DualArray(value={self.value!r}, tangent=<{shape} float64, {stored}>)"

    def __array__(self, dtype: Any = None, copy: Any = None) -> NoReturn:
        # np.r_ and np.c_ convert their items like this, before any dispatch
        raise TypeError(
            "a DualArray cannot become a plain ndarray without dropping its derivative; "
            "take .value explicitly (for np.r_[...] or np.c_[...], write np.concatenate, "
            "np.append, np.hstack or np.column_stack, which keep the derivative)")

    def tolist(self) -> NoReturn:
        raise TypeError(
            "DualArray.tolist() would drop the derivative: take .value.tolist() for the "
            "values, or list(x) for a list of Duals")

    def item(self, *args: Any) -> NoReturn:
        raise TypeError(
            "DualArray.item() would drop the derivative: index an element (x[i] is a Dual), "
            "or take .value.item() for the value")

    def __bool__(self) -> bool:
        return bool(self.value)

    def __pos__(self) -> DualArray:                     # a copy, as numpy's +x
        return restructure(self, self.value.copy(), np.copy)

    def copy(self) -> DualArray:
        """A copy with its own value and tangent arrays, as ndarray.copy."""
        return +self

    def __copy__(self) -> DualArray:                    # as ndarray: copy.copy copies the data
        return +self

    def __deepcopy__(self, memo: Any) -> DualArray:
        return +self

    # ----- indexing (reading is compiled: DualArrayCore.__getitem__)

    def __setitem__(self, key: Any, item: Any) -> None:
        key = key if isinstance(key, tuple) else (key,)
        value, tangent = _parts(item, self.tag, self.directions)
        self.value[key] = value
        self.tangent[key + (slice(None),)] = 0.0 if tangent is None else tangent

    # ----- shape methods

    @property
    def T(self) -> DualArray:
        return self.transpose()

    def transpose(self, *axes: Any) -> DualArray:
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes  # type: ignore[assignment]
        axes = _axes(axes, self.ndim) if axes else tuple(reversed(range(self.ndim)))
        return restructure(self, self.value.transpose(axes), _moves.transposed(axes))

    def reshape(self, *shape: Any) -> DualArray:
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape  # type: ignore[assignment]
        value = self.value.reshape(shape)
        return restructure(self, value, _moves.reshaped(value.shape))

    def mean(self, axis: Any = None, keepdims: bool = False) -> Any:
        if axis is None and not keepdims and self.size:
            # numpy's mean is its sum divided by the count: the same numbers,
            # and the compiled sum keeps a sparse tangent sparse
            value, partials, tag = dual_parts(self.sum())
            return dual_from(value / self.size, partials / self.size, tag)
        return self._reduce(np.mean, axis, keepdims)

    # ndarray methods that numpy code calls, as the numpy functions on a DualArray
    def ravel(self) -> Any:
        return np.ravel(self)

    def flatten(self) -> Any:
        return np.ravel(self).copy()

    def squeeze(self, axis: Any = None) -> Any:
        return np.squeeze(self, axis)

    def max(self, axis: Any = None, keepdims: bool = False) -> Any:
        return np.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> Any:
        return np.min(self, axis=axis, keepdims=keepdims)

    def prod(self, axis: Any = None, keepdims: bool = False) -> Any:
        return np.prod(self, axis=axis, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        return np.cumsum(self, axis=axis)

    def clip(self, min: Any = None, max: Any = None) -> Any:
        return np.clip(self, min, max)

    def take(self, indices: Any, axis: Any = None) -> Any:
        return np.take(self, indices, axis=axis)

    def trace(self) -> Any:
        return np.trace(self)

    def dot(self, other: Any) -> Any:
        return np.dot(self, other)

    def astype(self, dtype: Any) -> DualArray:
        """A copy as float64; any other dtype would drop or round the derivative."""
        if np.dtype(dtype) != np.float64:
            raise TypeError(f"a DualArray holds float64 only; astype({np.dtype(dtype)}) is not supported")
        return self.copy()

    # ----- numpy protocols (the elementwise fast path is compiled)

    def _reduce(self, func: Any, axis: Any, keepdims: bool) -> Any:
        """sum or mean over axes, for the compiled core's sum."""
        return _functions_shape.reduce(self, func, axis, keepdims)

    def _ufunc_fallback(self, ufunc, method, inputs, kwargs):
        """__array_ufunc__ for what the compiled fast path does not take."""
        name = ufunc.__name__
        out = kwargs.pop("out", None)
        if (method == "reduce" and name == "add" and out is None and kwargs.get("dtype") is None
                and set(kwargs) <= {"axis", "keepdims", "dtype"}):
            return _functions_shape.reduce(inputs[0], np.sum, kwargs.get("axis", 0),
                                           kwargs.get("keepdims", False))
        if method != "__call__" or any(v is not None for v in kwargs.values()):
            given = sorted(kwargs) + (["out"] if out is not None else [])
            raise TypeError(
                f"numpy.{name}.{method} with arguments {given} is not supported for "
                "dualnum.DualArray")
        if out is not None and not any(isinstance(x, (DualArray, Dual)) for x in inputs):
            # only out= is dual, e.g. np.add(a, b, out=x): x gets a + b, derivative 0
            return _store_into(out, ufunc(*inputs), name)
        result = _call(ufunc, inputs)
        if out is None:
            return result
        return _store_into(out, result, name)

register_result_type(DualArray)


# ------------------------------------------------------------- operations

def _call(ufunc, inputs):
    """A ufunc call the fast path left over: predicates, synonyms, matmul."""
    name = ufunc.__name__
    if name in _ON_VALUE:
        return ufunc(*[x.value if isinstance(x, (DualArray, Dual)) else x for x in inputs])
    if name == "positive":
        return +inputs[0]
    if name == "square":
        return elementwise("multiply", inputs[0], inputs[0])
    if name == "reciprocal":
        return elementwise("divide", 1.0, inputs[0])
    if name == "matmul" and len(inputs) == 2:
        return _functions_linalg.matmul(*inputs)
    return elementwise(name, *inputs)


def _store_into(out, result, name):
    """ufunc(..., out=(dual_array,)), e.g. x += 1: write the result into out."""
    if len(out) != 1 or not isinstance(out[0], DualArray):
        raise TypeError(f"numpy.{name}: out= must be a single DualArray")
    target = out[0]
    target[...] = result
    return target
