"""ComplexParts: the complex intermediates of hessian's array, as two real parts.

hessian and hvp run f on the compiled second-order array (Dual2Array, whose
elements are Dual2s), which holds real numbers only.  np.fft of it
(dualnum/_functions_fft.py, SECOND_ORDER) gives a ComplexParts: the real
part and the imaginary part, each a Dual2Array (a Dual2 when 0-d) or a plain
float array, so every rule below is the real arithmetic of those parts and
runs compiled: (a + ib)(c + id) = (ac - bd) + i(ad + bc), and so on.

What works today (the boundary issue 17's complex duals will move):

* np.fft of a Dual2Array or a ComplexParts (the transforms back to real give
  a Dual2Array); ``fftshift``/``ifftshift``;
* arithmetic (``+ - * /`` and the ufuncs add, subtract, multiply, divide)
  with itself, with second-order numbers of the call and with plain real or
  complex numbers and arrays; ``**`` and ``np.power`` by a real constant
  (an integer 0..4: products; else through the polar form, singular at 0);
* exp, log, sqrt, sin, cos, square, reciprocal, negative, positive,
  conjugate; indexing and slicing, ``reshape``, ``transpose``/``.T``,
  ``sum``/``mean`` (``axis``, ``keepdims``), the queries ``iscomplexobj``,
  ``isrealobj``, ``shape``, ``ndim``, ``size`` (dualnum/_complex_protocol.py,
  shared with the first order);
* the real results: ``.real``, ``.imag``, ``np.real``, ``np.imag``,
  ``np.abs`` (``np.hypot`` of the parts; at z = 0 the real part itself, so
  that d|z| = Re dz as at first order: dualnum/_complex_array.py) and
  ``np.angle`` (``np.arctan2`` of the parts, its convention at 0).

Everything else raises TypeError (not NotCompiled: hessian's object-array
fallback cannot run np.fft either): "<the operation> of a complex
intermediate of hessian's array is not supported (dualnum has no complex
dual numbers yet: end in a real result such as np.abs, .real, .imag,
np.angle or np.fft.irfft)".  That includes what only the first order has:
tan, sinh, cosh, tanh, expm1, log1p, log2, log10 and a complex or dual
exponent.  Where hessian or hvp runs f on object arrays for another reason
(hvp's compiled pass refuses an element x[i] combined with x), np.fft raises
"numpy.fft.fft is not supported on arrays of dual numbers (numpy object
arrays)".
"""
import numbers

import numpy as np

from dualnum._complex_protocol import ComplexProtocol
from dualnum._second import Dual2

__all__ = ["ComplexParts"]


def _value(part):
    """The plain value of a part (a Dual2Array or Dual2's, or the part itself)."""
    return np.asarray(part.value if hasattr(part, "value") else part)


class ComplexParts(ComplexProtocol):
    """re + i im, each a second-order real number or array or a constant (see
    the module docstring); ``engine`` is the second-order array's primitives,
    ``transforms`` the np.fft handlers that take it."""

    __slots__ = ("re", "im", "_engine", "_transforms")
    _of = "hessian's array"

    def __init__(self, re, im, engine, transforms):
        self.re, self.im = re, im
        self._engine, self._transforms = engine, transforms

    def _new(self, re, im):
        return ComplexParts(re, im, self._engine, self._transforms)

    @property
    def value(self):
        """The complex value, a complex128 array."""
        return _value(self.re) + 1j * _value(self.im)

    @property
    def shape(self):
        return np.shape(_value(self.re))

    def __repr__(self):
        return f"ComplexParts(value={self.value!r})"

    # ----- the real results

    @property
    def real(self):
        return self.re

    @property
    def imag(self):
        return self.im

    def __abs__(self):
        size = np.hypot(self.re, self.im)
        zero = (_value(self.re) == 0) & (_value(self.im) == 0)
        if not zero.any():
            return size
        # at z = 0 the real part, whose derivative is Re dz (as at first order)
        return self.re if zero.ndim == 0 else np.where(zero, self.re, size)

    def angle(self, deg=False):
        angle = np.arctan2(self.im, self.re)
        return angle * (180.0 / np.pi) if deg else angle

    # ----- complex results

    def conj(self):
        return self._new(self.re, -self.im)

    def __getitem__(self, key):
        return self._new(self.re[key], self.im[key])

    def reshape(self, *shape):
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return self._new(np.reshape(self.re, shape), np.reshape(self.im, shape))

    def transpose(self, *axes):
        axes = self._axes_of(axes)
        return self._new(np.transpose(self.re, axes), np.transpose(self.im, axes))

    def sum(self, axis=None, keepdims=False):
        return self._new(np.sum(self.re, axis=axis, keepdims=keepdims),
                         np.sum(self.im, axis=axis, keepdims=keepdims))

    def mean(self, axis=None, keepdims=False):
        return self._new(np.mean(self.re, axis=axis, keepdims=keepdims),
                         np.mean(self.im, axis=axis, keepdims=keepdims))

    def __neg__(self):
        return self._new(-self.re, -self.im)

    # ----- the rules, in the real arithmetic of the parts

    def _parts(self, x):
        """(re, im) of an operand, or None for an unknown one."""
        if isinstance(x, ComplexParts):
            return x.re, x.im
        if isinstance(x, (self._engine.array, Dual2)):
            return x, 0.0
        if isinstance(x, (numbers.Number, np.ndarray, list, tuple)):
            value = np.asarray(x)
            if value.dtype.kind in "biufc":
                return value.real.astype(np.float64), value.imag.astype(np.float64)
        return None

    def _binary(self, name, u, v):
        x, y = self._parts(u), self._parts(v)
        if x is None or y is None:
            return NotImplemented
        if name == "power":
            if u is not self or not isinstance(v, numbers.Real):
                self._refuse("numpy.power with a complex or dual exponent")
            return self._power(v)
        (a, b), (c, d) = x, y
        if name == "add":
            return self._new(a + c, b + d)
        if name == "subtract":
            return self._new(a - c, b - d)
        if name == "multiply":
            return self._new(a * c - b * d, a * d + b * c)
        size2 = c * c + d * d                              # divide
        return self._new((a * c + b * d) / size2, (b * c - a * d) / size2)

    def _power(self, p):
        if float(p).is_integer() and 0 <= p <= 4:          # products: exact, also at 0
            result = self._new(np.ones_like(_value(self.re)), np.zeros_like(_value(self.re)))
            for _ in range(int(p)):
                result = result * self
            return result
        size, angle = abs(self) ** p, self.angle() * p
        return self._new(size * np.cos(angle), size * np.sin(angle))

    def _exp(self):
        scale = np.exp(self.re)
        return self._new(scale * np.cos(self.im), scale * np.sin(self.im))

    def _log(self):
        return self._new(np.log(abs(self)), self.angle())

    def _sin(self):
        return self._new(np.sin(self.re) * np.cosh(self.im), np.cos(self.re) * np.sinh(self.im))

    def _cos(self):
        return self._new(np.cos(self.re) * np.cosh(self.im), -np.sin(self.re) * np.sinh(self.im))

    _UNARY = {
        "exp": _exp, "log": _log, "sin": _sin, "cos": _cos,
        "sqrt": lambda z: z._power(0.5), "square": lambda z: z * z,
        "reciprocal": lambda z: 1.0 / z,
    }

    def _unary(self, name, ufunc):
        rule = self._UNARY.get(name)
        return None if rule is None else rule(self)
