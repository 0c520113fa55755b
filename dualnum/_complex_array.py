"""ComplexDualArray: the complex array of dual numbers (first order).

A complex128 value of shape S, a complex128 tangent of shape S + (k,) (one
trailing entry per direction, as a dense DualArray's), the tag of its call
and its mode, as for the scalar ComplexDual (dualnum/_complex_dual.pyx):

* holomorphic mode (``holomorphic=True``): seeded at a complex point by
  jacobian, jvp, gradient and the elementwise derivative
  (dualnum/_forward.py ``complex_pass``); the tangents are complex
  derivatives d/dz, and the non-holomorphic operations (``.real``,
  ``.imag``, ``abs``, ``np.angle``, ``conj``, transforms back to real
  numbers) raise the scalar's TypeError;
* the real path: a DualArray meeting a complex number or array
  (``1j * x``, dualnum/_array.pyx) or np.fft of a DualArray
  (dualnum/_functions_fft.py); every real variable's tangent is
  dz = dRe z + i dIm z, so ``.real``, ``.imag``, ``np.real``, ``np.imag``,
  ``np.abs`` and ``np.angle`` (``deg=``) give DualArrays (a Dual when 0-d).

Both take arithmetic (``+ - * / **`` and their ufuncs) with themselves, with
DualArrays, Duals and ComplexDuals of the same call and with real or complex
constants; the holomorphic ufuncs from the complex column of the function
table (dualnum/_complex_rules.pxd, in a C loop: dualnum/_complex_dual.pyx's
``holomorphic_unary``/``holomorphic_binary``), ``square`` and
``reciprocal``; the linear maps ``@``/``np.matmul``, ``np.dot``,
``np.concatenate``, ``np.stack``, ``sum``/``mean``, indexing (an element
is a scalar ComplexDual), ``reshape``, ``transpose``, ``conj`` (real path)
and the np.fft transforms; the queries of dualnum/_complex_protocol.py.
f returning one is read as a complex Jacobian (dualnum/_read.pyx).

Conventions at the non-differentiable point z = 0: ``|z|`` takes the unit
phase 1 there, so d|z| = Re dz (on the real axis the real rule's
``abs'(0) = 1``); ``angle`` has derivative 0 there.

What raises, all TypeError: other ufuncs (the rows without a complex
kernel) and ufunc methods, ufunc options (``out=``, ``where=``, ...), other
numpy functions, ``np.asarray``, ``bool()``, comparisons ("<the operation>
of a complex intermediate of a DualArray is not supported (...: end in a
real result ...)"); a ufunc whose first operand is a DualArray and whose
second is a complex dual array (``np.multiply(x, z)``: write ``x * z``).
Operands of two differentiation calls raise ValueError: complex duals are
first order and do not nest.  hessian and hvp carry complex intermediates
as two real parts (dualnum/_complex_parts.py).
"""
import numbers

import numpy as np

from dualnum._core import Dual
from dualnum._complex_dual import (
    NOT_HOLOMORPHIC, ComplexDual, complex_from, complex_parts, holomorphic_binary,
    holomorphic_unary,
)
from dualnum._complex_protocol import ComplexProtocol
from dualnum._function_args import axes as _axes
from dualnum._number import ufunc_row
from dualnum._table import find

__all__ = ["ComplexDualArray"]

# numpy ufuncs that are compositions of rows on complex numbers
_COMPOSED = {"square": lambda z: z * z, "reciprocal": lambda z: 1.0 / z}


def _directions_first(tangent):
    return np.moveaxis(tangent, -1, 0)


def _directions_last(tangent):
    return np.moveaxis(tangent, 0, -1)


def _matmul(a, b):
    """a @ b with a complex dual array among them: d(ab) = da b + a db, all
    directions in one numpy matmul each (the directions as a leading batch axis)."""
    z = a if isinstance(a, ComplexDualArray) else b
    x, y = z._operand(a), z._operand(b)
    if x is None or y is None:
        return NotImplemented
    (u, du), (v, dv) = x, y
    value = np.matmul(u, v)
    tangent = np.zeros(np.shape(value) + (z.directions,), dtype=np.complex128)
    if du is not None:
        tangent = tangent + _directions_last(np.matmul(_directions_first(du), v))
    if dv is not None:
        dv = _directions_first(dv)
        term = np.matmul(u, dv[..., None])[..., 0] if np.ndim(v) == 1 else np.matmul(u, dv)
        tangent = tangent + _directions_last(term)
    return z._new(value, tangent)


def _dot(a, b, out=None):
    if out is not None or np.ndim(a) > 2 or np.ndim(b) > 2 or not (np.ndim(a) and np.ndim(b)):
        (a if isinstance(a, ComplexDualArray) else b)._refuse(
            "numpy.dot with out= or of a 0-d or more than 2-d operand (write @ or *)")
    return _matmul(a, b)


def _joined(arrays, axis, join):
    """np.concatenate / np.stack of complex dual arrays, dual arrays and constants."""
    z = next(x for x in arrays if isinstance(x, ComplexDualArray))
    parts = [z._operand(x) for x in arrays]
    if any(part is None for part in parts):
        z._refuse(f"numpy.{join.__name__} of an unknown operand")
    values = [np.asarray(value) for value, _ in parts]
    value = join(values, axis=axis)
    # the tangents' axis: the value's, counted from the front (k stays last)
    axis = axis % value.ndim if axis is not None else None
    if axis is None:
        z._refuse(f"numpy.{join.__name__} with axis=None")
    tangents = [np.zeros(v.shape + (z.directions,), dtype=np.complex128) if t is None
                else np.broadcast_to(t, v.shape + (z.directions,)) for v, (_, t) in zip(values, parts)]
    return z._new(value, join(tangents, axis=axis))


def _concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    if out is not None or dtype is not None:
        arrays[0]._refuse("numpy.concatenate with out= or dtype=")
    return _joined(arrays, axis, np.concatenate)


def _stack(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    if out is not None or dtype is not None:
        arrays[0]._refuse("numpy.stack with out= or dtype=")
    return _joined(arrays, axis, np.stack)


# numpy functions of the first-order complex arrays only (the linear maps)
_LINEAR = {np.dot: _dot, np.concatenate: _concatenate, np.stack: _stack}


class ComplexDualArray(ComplexProtocol):
    """ComplexDualArray: a complex array of dual numbers (first order).

    A complex128 ``value``, its complex128 ``tangent`` of shape
    ``value.shape + (k,)``, the call's ``tag`` and its mode
    (``holomorphic``: seeded at complex points; else a real path's complex
    intermediate).  Made by the API at complex points and by a DualArray
    meeting complex numbers, not by hand: ``engine`` is the DualArray's
    (real results are ``engine.result``), ``transforms`` the np.fft
    handlers that take it.  See the module docstring and docs/complex.md
    for what it takes and what it refuses.

    Examples
    --------
    >>> import numpy as np
    >>> import dualnum as dn
    >>> dn.jacobian(lambda z: z ** 2, np.array([1j, 2.0]))
    array([[0.+2.j, 0.+0.j],
           [0.+0.j, 4.+0.j]])
    """

    __slots__ = ("value", "tangent", "tag", "holomorphic", "_engine", "_transforms")
    _of = "a DualArray"

    def __init__(self, value, tangent, tag, engine, transforms, holomorphic=False):
        self.value = np.asarray(value, dtype=np.complex128)
        self.tangent = np.asarray(tangent, dtype=np.complex128)
        self.tag = tag
        self.holomorphic = holomorphic
        self._engine = engine
        self._transforms = transforms

    def _new(self, value, tangent):
        """A ComplexDualArray of this call, the tangent broadcast to the value."""
        value = np.asarray(value, dtype=np.complex128)
        shape = value.shape + (self.directions,)
        if tangent.shape != shape:
            tangent = np.broadcast_to(tangent, shape).copy()
        return ComplexDualArray(value, tangent, self.tag, self._engine, self._transforms,
                                self.holomorphic)

    def _holomorphic_only(self, what):
        if self.holomorphic:
            raise TypeError(NOT_HOLOMORPHIC.format(what))

    def _real(self, value, tangent):
        """The real result: a DualArray, or a Dual when 0-d."""
        return self._engine.result(np.array(value, dtype=np.float64, order="C"),
                                   np.array(tangent, dtype=np.float64, order="C"), self.tag)

    @property
    def directions(self):
        return self.tangent.shape[-1]

    @property
    def shape(self):
        return self.value.shape

    def __matmul__(self, other):
        return _matmul(self, other)

    def __rmatmul__(self, other):
        return _matmul(other, self)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc is np.matmul and method == "__call__" and not kwargs:
            return _matmul(*inputs)
        return super().__array_ufunc__(ufunc, method, *inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        handler = _LINEAR.get(func)
        if handler is not None:
            return handler(*args, **kwargs)
        return super().__array_function__(func, types, args, kwargs)

    def __repr__(self):
        return (f"ComplexDualArray(value={self.value!r}, "
                f"tangent=<{self.tangent.shape} complex128>)")

    # ----- the real results

    @property
    def real(self):
        self._holomorphic_only(".real")
        return self._real(self.value.real, self.tangent.real)

    @property
    def imag(self):
        self._holomorphic_only(".imag")
        return self._real(self.value.imag, self.tangent.imag)

    def __abs__(self):
        self._holomorphic_only("abs")
        z = self.value
        size = np.abs(z)
        # d|z| = Re(conj(z) dz) / |z|: the unit phase conj(z)/|z|, 1 at z = 0
        phase = np.divide(np.conj(z), size, out=np.ones_like(z), where=size != 0)
        return self._real(size, (phase[..., None] * self.tangent).real)

    def angle(self, deg=False):
        self._holomorphic_only("angle")
        z = self.value
        size2 = (z * np.conj(z)).real
        # d arg z = Im(conj(z) dz) / |z|^2, taken as 0 at z = 0
        rate = np.divide(np.conj(z), size2, out=np.zeros_like(z), where=size2 != 0)
        scale = 180.0 / np.pi if deg else 1.0
        return self._real(np.angle(z, deg=deg), scale * (rate[..., None] * self.tangent).imag)

    # ----- complex results

    def conj(self):
        self._holomorphic_only("conj")
        return self._new(np.conj(self.value), np.conj(self.tangent))

    def __getitem__(self, key):
        value = self.value[key]
        tangent = self.tangent[(key if isinstance(key, tuple) else (key,)) + (slice(None),)]
        if np.ndim(value) == 0:
            # an element is a scalar complex dual number, as a DualArray's is a Dual
            real_kind = None if self.holomorphic else self._real(0.0, np.zeros(self.directions))
            return complex_from(value, tangent, self.tag, self.holomorphic, real_kind)
        return self._new(value, tangent)

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        value = self.value.reshape(shape)
        return self._new(value, self.tangent.reshape(value.shape + (self.directions,)))

    def transpose(self, *axes):
        axes = self._axes_of(axes)
        return self._new(self.value.transpose(axes), self.tangent.transpose(axes + (self.ndim,)))

    def sum(self, axis=None, keepdims=False):
        return self._reduce(np.sum, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return self._reduce(np.mean, axis, keepdims)

    def _reduce(self, func, axis, keepdims):
        """A linear reduction over axes: the same on the tangent, k left alone."""
        axes = tuple(range(self.ndim)) if axis is None else _axes(axis, self.ndim)
        return self._new(func(self.value, axis=axes, keepdims=keepdims),
                         func(self.tangent, axis=axes, keepdims=keepdims))

    def __neg__(self):
        return self._new(-self.value, -self.tangent)

    # ----- the rules

    def _operand(self, x):
        """(complex value, complex tangent or None) of an operand of this call."""
        if isinstance(x, ComplexDualArray):
            if x.tag != self.tag or x.directions != self.directions:
                raise ValueError("cannot combine complex intermediates of different "
                                 "differentiation calls: complex duals do not nest")
            return x.value, x.tangent
        if isinstance(x, ComplexDual):
            value, tangent, tag = complex_parts(x)
            if not tangent.size:
                return value, None
            if tag != self.tag or tangent.size != self.directions:
                raise ValueError("cannot combine complex dual numbers of different "
                                 "differentiation calls: complex duals do not nest")
            return value, tangent
        if isinstance(x, (self._engine.array, Dual)):
            value, tangent = self._engine.parts(x, self.tag, self.directions)
            return np.asarray(value, dtype=np.complex128), tangent
        if isinstance(x, (numbers.Number, np.ndarray, list, tuple)):
            value = np.asarray(x)
            if value.dtype.kind in "biufc":
                return value.astype(np.complex128), None
        return None

    def _binary(self, name, a, b):
        """a (op) b, one of them this array; NotImplemented for unknown operands."""
        x, y = self._operand(a), self._operand(b)
        if x is None or y is None:
            return NotImplemented
        (u, du), (v, dv) = x, y
        # the complex column of the function table (dualnum/_complex_rules.pxd)
        found = holomorphic_binary(find(name), u, v)
        if found is None:
            self._refuse(f"numpy.{name}")
        value, fu, fv = found
        tangent = 0.0
        if du is not None:
            tangent = fu[..., None] * du
        if dv is not None:
            tangent = tangent + fv[..., None] * dv
        return self._new(value, np.asarray(tangent, dtype=np.complex128))

    def _unary(self, name, ufunc):
        if name in _COMPOSED:
            return _COMPOSED[name](self)
        row = ufunc_row(ufunc, ())
        found = None if row is None else holomorphic_unary(row, self.value)
        if found is None:
            return None
        value, slope = found
        return self._new(value, slope[..., None] * self.tangent)
