# mypy: disable-error-code="attr-defined, index, union-attr, call-overload"
# (the methods use the attributes of the compiled core, dualnum._array.DualArrayCore,
# which DualArray puts before this mixin; the stub of DualArray has both; numpy
# >= 2.5's stubs take no such mixin as an array in np.max & co.)
"""What dualnum.DualArray adds in Python to its compiled core: numpy's operator
mixin, shape and ndarray methods, refused conversions and the ufuncs the
compiled fast path leaves over.

dualnum/_array.pyx builds the class users see from its compiled core and
this mixin, so the core knows its result type when it is imported.  The
mixin reaches the core's primitives through ``self._engine`` (the object
the numpy-function handlers get), so it imports nothing of the core.
"""
from __future__ import annotations

from typing import Any, Iterator, NoReturn

import numpy as np
from numpy.lib.mixins import NDArrayOperatorsMixin

from dualnum import _array_functions as _moves, _functions_linalg, _ufunc_methods
from dualnum._core import Dual
from dualnum._function_args import VALUE_UFUNCS, axes as _axes
from dualnum._scipy_dispatch import NUMPY_UFUNCS, special_row


class DualArrayMethods(NDArrayOperatorsMixin):
    """The Python half of :class:`dualnum.DualArray` (see there)."""

    __slots__ = ()
    _engine: Any          # the compiled core's primitives, set by dualnum/_array.pyx

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
        # np.r_, np.c_, np.vectorize and library code calling np.asarray convert
        # their arguments like this, before any dispatch
        raise TypeError(
            "a DualArray cannot become a plain ndarray without dropping its derivative; "
            "take .value explicitly. For np.r_[...] or np.c_[...], write np.concatenate, "
            "np.append, np.hstack or np.column_stack, which keep the derivative. (gradient, "
            "jacobian, jvp and hessian evaluate code that converts its argument again on "
            "object arrays of dual numbers, slowly; see dualnum.SlowPathWarning)")

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

    def __pos__(self) -> Any:                           # a copy, as numpy's +x
        return self._engine.restructure(self, self.value.copy(), np.copy)

    def copy(self) -> Any:
        """A copy with its own value and tangent arrays, as ndarray.copy."""
        return +self

    def __copy__(self) -> Any:                          # as ndarray: copy.copy copies the data
        return +self

    def __deepcopy__(self, memo: Any) -> Any:
        return +self

    # ----- indexing (reading is compiled: DualArrayCore.__getitem__)

    def __setitem__(self, key: Any, item: Any) -> None:
        key = key if isinstance(key, tuple) else (key,)
        value, tangent = self._engine.parts(item, self.tag, self.directions)
        self.value[key] = value
        self.tangent[key + (slice(None),)] = 0.0 if tangent is None else tangent

    # ----- shape methods

    @property
    def T(self) -> Any:
        return self.transpose()

    def transpose(self, *axes: Any) -> Any:
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes  # type: ignore[assignment]
        axes = _axes(axes, self.ndim) if axes else tuple(reversed(range(self.ndim)))
        return self._engine.restructure(self, self.value.transpose(axes), _moves.transposed(axes))

    def reshape(self, *shape: Any) -> Any:
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape  # type: ignore[assignment]
        value = self.value.reshape(shape)
        return self._engine.restructure(self, value, _moves.reshaped(value.shape))

    def mean(self, axis: Any = None, keepdims: bool = False) -> Any:
        return self._engine.reduce(self, np.mean, axis, keepdims)

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

    def var(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
            keepdims: bool = False) -> Any:
        return np.var(self, axis, dtype, out, ddof, keepdims)

    def std(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
            keepdims: bool = False) -> Any:
        return np.std(self, axis, dtype, out, ddof, keepdims)

    def cumprod(self, axis: Any = None) -> Any:
        return np.cumprod(self, axis=axis)

    def round(self, decimals: int = 0) -> Any:
        return np.round(self, decimals)

    def conj(self) -> Any:                              # of a real array: a copy
        return +self

    @property
    def real(self) -> Any:
        """The array itself, as ``ndarray.real`` of a float array (code written for
        numpy's complex results, e.g. eig's on numpy >= 2.5, takes ``.real``)."""
        return np.real(self)

    @property
    def imag(self) -> Any:
        """Plain zeros of the array's shape, as ``np.imag``."""
        return np.imag(self)

    conjugate = conj

    def astype(self, dtype: Any) -> Any:
        """A copy as float64; any other dtype would drop or round the derivative."""
        if np.dtype(dtype) != np.float64:
            raise TypeError(f"a DualArray holds float64 only; astype({np.dtype(dtype)}) is not supported")
        return self.copy()

    # ----- numpy protocols (the elementwise fast path is compiled)

    def _ufunc_fallback(self, ufunc: Any, method: str, inputs: Any, kwargs: Any) -> Any:
        """__array_ufunc__ for what the compiled fast path does not take."""
        if method != "__call__":                   # reduce, accumulate, outer, at, reduceat
            return _ufunc_methods.apply(self._engine, ufunc, method, inputs, kwargs)
        name = ufunc.__name__
        out = kwargs.pop("out", None)
        composed = self._numpy_functions.get(ufunc)        # modf, frexp, ...: written with rows
        if composed is not None and out is None and not kwargs:
            return composed(self._engine, *inputs)
        if any(v is not None for v in kwargs.values()):
            given = sorted(kwargs) + (["out"] if out is not None else [])
            raise TypeError(
                f"numpy.{name}.{method} with arguments {given} is not supported for "
                "dualnum.DualArray")
        if out is not None and not any(isinstance(x, (DualArrayMethods, Dual)) for x in inputs):
            # only out= is dual, e.g. np.add(a, b, out=x): x gets a + b, derivative 0
            return _store_into(out, ufunc(*inputs), name)
        result = _call(self._engine, ufunc, inputs)
        if out is None:
            return result
        return _store_into(out, result, name)


# ------------------------------------------------------------- operations

def _call(engine: Any, ufunc: Any, inputs: Any) -> Any:
    """A ufunc call the fast path left over: predicates, synonyms, matmul."""
    name = ufunc.__name__
    if name in VALUE_UFUNCS:
        return ufunc(*[x.value if isinstance(x, (DualArrayMethods, Dual)) else x for x in inputs])
    if name in ("positive", "conjugate"):        # conjugate: a real array is its own
        return +inputs[0]
    if name == "rint":
        return np.round(inputs[0])               # numpy's round is rint: derivative 0
    if name == "square":
        return engine.elementwise("multiply", inputs[0], inputs[0])
    if name == "reciprocal":
        return engine.elementwise("divide", 1.0, inputs[0])
    if name == "matmul" and len(inputs) == 2:
        return _functions_linalg.matmul(engine, *inputs)
    if ufunc not in NUMPY_UFUNCS:                # scipy.special's rows, found by identity
        row = special_row(ufunc, tuple(inputs))
        if row is None:
            raise TypeError(f"the ufunc {name} (not numpy's or scipy.special's) is not supported "
                            "for dualnum.DualArray")
        name = row.name
    return engine.elementwise(name, *inputs)


def _store_into(out: Any, result: Any, name: str) -> Any:
    """ufunc(..., out=(dual_array,)), e.g. x += 1: write the result into out."""
    if len(out) != 1 or not isinstance(out[0], DualArrayMethods):
        raise TypeError(f"numpy.{name}: out= must be a single DualArray")
    target = out[0]
    target[...] = result
    return target
