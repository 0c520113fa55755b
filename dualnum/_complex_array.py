"""ComplexDualArray: the complex intermediates of real-valued numpy code.

``np.fft.rfft(x)`` of a DualArray x is complex; code such as
``np.abs(np.fft.rfft(x)) ** 2`` or ``np.real(np.fft.ifft(np.fft.fft(x) * h))``
ends real.  A ComplexDualArray carries such an intermediate: a complex128
value of shape S, a complex128 tangent of shape S + (k,) (one trailing entry
per direction, as a dense DualArray's) and the tag of its call.  Every real
variable's tangent is dz = dRe z + i dIm z, so the real rules below are exact.

What works today (the boundary issue 17's complex duals will move):

* made by dualnum/_functions_fft.py only: the np.fft transforms of a
  DualArray, and of a ComplexDualArray (the transforms back to real,
  ``irfft``/``hfft``/``irfftn``..., give a DualArray);
* arithmetic (``+ - * / **`` and the ufuncs add, subtract, multiply, divide,
  power) with itself, with DualArrays and Duals of the same call, and with
  plain real or complex numbers and arrays;
* holomorphic ufuncs, tangent f'(z) dz: exp, expm1, log, log2, log10, log1p,
  sqrt, sin, cos, tan, sinh, cosh, tanh, square, reciprocal, negative,
  positive;
* conjugate (``np.conj``, ``.conj()``), indexing and slicing, ``reshape``,
  ``transpose``/``.T``, ``sum``/``mean`` (with ``axis``, ``keepdims``);
* the queries ``np.iscomplexobj`` (True), ``np.isrealobj``, ``np.shape``,
  ``np.ndim``, ``np.size`` (these and the operators, refusals and numpy
  protocols are dualnum/_complex_protocol.py's, shared with hessian's);
* the real results, which are DualArrays (a Dual when 0-d): ``.real``,
  ``.imag``, ``np.real``, ``np.imag``, ``np.abs``, ``np.angle`` (``deg=``).

Conventions at the non-differentiable point z = 0: ``|z|`` takes the unit
phase 1 there, so d|z| = Re dz (on the real axis the real rule's
``abs'(0) = 1``); ``angle`` has derivative 0 there.

What raises, all TypeError:

* other ufuncs and ufunc methods, ufunc options (``out=``, ``where=``, ...),
  other numpy functions, ``np.asarray``, ``bool()``, comparisons:
  "<the operation> of a complex intermediate of a DualArray is not
  supported (dualnum has no complex dual numbers yet: end in a real result
  such as np.abs, .real, .imag, np.angle or np.fft.irfft)";
* a ufunc whose first operand is a DualArray (``np.multiply(x, z)``, whose
  ufunc answers first): "numpy.multiply of a DualArray and DualArray,
  ComplexDualArray is not supported" (write ``x * z``); ``x @ z``:
  "cannot combine a DualArray with ComplexDualArray";
* a ComplexDualArray as f's result: "the function must return a real
  number, a dual number, ... it returned a ComplexDualArray";
* operands of two differentiation calls (nested calls): ValueError, and
  np.fft on the object arrays of nesting: "numpy.fft.fft is not supported
  on arrays of dual numbers (numpy object arrays)".

It is first order only: hessian and hvp carry complex intermediates as two
real parts (dualnum/_complex_parts.py).

The class is private: issue 17 (complex duals) will make complex DualArrays
of their own; this one then becomes that array's complex storage or gives way.
"""
import numbers

import numpy as np

from dualnum._core import Dual
from dualnum._complex_protocol import ComplexProtocol
from dualnum._function_args import axes as _axes

__all__ = ["ComplexDualArray"]

# holomorphic ufuncs: name -> f'(z, f(z)); the tangent is f'(z) dz
_HOLOMORPHIC = {
    "exp": lambda z, w: w,
    "expm1": lambda z, w: w + 1.0,
    "log": lambda z, w: 1.0 / z,
    "log2": lambda z, w: 1.0 / (z * np.log(2.0)),
    "log10": lambda z, w: 1.0 / (z * np.log(10.0)),
    "log1p": lambda z, w: 1.0 / (1.0 + z),
    "sqrt": lambda z, w: 0.5 / w,
    "sin": lambda z, w: np.cos(z),
    "cos": lambda z, w: -np.sin(z),
    "tan": lambda z, w: 1.0 + w * w,
    "sinh": lambda z, w: np.cosh(z),
    "cosh": lambda z, w: np.sinh(z),
    "tanh": lambda z, w: 1.0 - w * w,
    "square": lambda z, w: 2.0 * z,
    "reciprocal": lambda z, w: -w * w,
}


def _power(u, v):
    w = u ** v
    # d(u**v) = v u**(v-1) du + log(u) u**v dv; the second only when v is dual
    with np.errstate(divide="ignore", invalid="ignore"):
        return w, (v * u ** (v - 1.0), np.log(u) * w)


# binary ufuncs: name -> (u, v) -> (value, (d/du, d/dv))
_BINARY = {
    "add": lambda u, v: (u + v, (1.0, 1.0)),
    "subtract": lambda u, v: (u - v, (1.0, -1.0)),
    "multiply": lambda u, v: (u * v, (v, u)),
    "divide": lambda u, v: (u / v, (1.0 / v, -u / (v * v))),
    "power": _power,
}


class ComplexDualArray(ComplexProtocol):
    """A complex128 value, its complex128 tangent[..., k] and the call's tag
    (see the module docstring); ``engine`` is the DualArray's (real results
    are ``engine.result``), ``transforms`` the np.fft handlers that take it."""

    __slots__ = ("value", "tangent", "tag", "_engine", "_transforms")
    _of = "a DualArray"

    def __init__(self, value, tangent, tag, engine, transforms):
        self.value = np.asarray(value, dtype=np.complex128)
        self.tangent = np.asarray(tangent, dtype=np.complex128)
        self.tag = tag
        self._engine = engine
        self._transforms = transforms

    def _new(self, value, tangent):
        """A ComplexDualArray of this call, the tangent broadcast to the value."""
        value = np.asarray(value, dtype=np.complex128)
        shape = value.shape + (self.directions,)
        if tangent.shape != shape:
            tangent = np.broadcast_to(tangent, shape).copy()
        return ComplexDualArray(value, tangent, self.tag, self._engine, self._transforms)

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

    def __repr__(self):
        return (f"ComplexDualArray(value={self.value!r}, "
                f"tangent=<{self.tangent.shape} complex128>)")

    # ----- the real results

    @property
    def real(self):
        return self._real(self.value.real, self.tangent.real)

    @property
    def imag(self):
        return self._real(self.value.imag, self.tangent.imag)

    def __abs__(self):
        z = self.value
        size = np.abs(z)
        # d|z| = Re(conj(z) dz) / |z|: the unit phase conj(z)/|z|, 1 at z = 0
        phase = np.divide(np.conj(z), size, out=np.ones_like(z), where=size != 0)
        return self._real(size, (phase[..., None] * self.tangent).real)

    def angle(self, deg=False):
        z = self.value
        size2 = (z * np.conj(z)).real
        # d arg z = Im(conj(z) dz) / |z|^2, taken as 0 at z = 0
        rate = np.divide(np.conj(z), size2, out=np.zeros_like(z), where=size2 != 0)
        scale = 180.0 / np.pi if deg else 1.0
        return self._real(np.angle(z, deg=deg), scale * (rate[..., None] * self.tangent).imag)

    # ----- complex results

    def conj(self):
        return self._new(np.conj(self.value), np.conj(self.tangent))

    def __getitem__(self, key):
        value = self.value[key]
        return self._new(value, self.tangent[(key if isinstance(key, tuple) else (key,))
                                             + (slice(None),)])

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
                                 "differentiation calls (nested calls through np.fft are "
                                 "not supported: dualnum has no complex dual numbers yet)")
            return x.value, x.tangent
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
        value, (fu, fv) = _BINARY[name](u, v)
        tangent = 0.0
        if du is not None:
            tangent = fu[..., None] * du if np.ndim(fu) else fu * du
        if dv is not None:
            tangent = tangent + (fv[..., None] * dv if np.ndim(fv) else fv * dv)
        return self._new(value, np.asarray(tangent, dtype=np.complex128))

    def _unary(self, name, ufunc):
        if name not in _HOLOMORPHIC:
            return None
        z = self.value
        value = ufunc(z)
        slope = np.asarray(_HOLOMORPHIC[name](z, value), dtype=np.complex128)
        return self._new(value, slope[..., None] * self.tangent)
