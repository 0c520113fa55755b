"""What the complex intermediates of both array orders share: operators,
refusals, numpy's protocols and the numpy functions written on them.

A complex intermediate (first order: ComplexDualArray of
dualnum/_complex_array.py; hessian's array: ComplexParts of
dualnum/_complex_parts.py) provides its own ``value``, ``shape``, ``real``,
``imag``, ``__abs__``, ``angle``, ``conj``, ``__getitem__``, ``reshape``,
``transpose``, ``sum``, ``mean``, ``__neg__``, ``_binary(name, a, b)``
(add, subtract, multiply, divide, power; NotImplemented for an unknown
operand) and ``_unary(name, ufunc)`` (an elementwise function, or None);
this class turns them into Python's operators and numpy's ufuncs and
functions, and refuses the rest with a TypeError that says what complex
arrays take and to end in a real result.
"""
import numpy as np

from dualnum._function_args import axes as _axes, function_table

__all__ = ["FUNCTIONS", "ComplexProtocol"]

_NO_COMPLEX = ("complex arrays take arithmetic, the holomorphic functions and linear maps "
               "(see docs/complex.md)")
_BINARY = ("add", "subtract", "multiply", "divide", "power")

# numpy function -> handler(z, *args, **kwargs), the same for both orders
FUNCTIONS, _implements = function_table()


class ComplexProtocol:
    """The operators and numpy protocols of a complex intermediate (see the
    module docstring); ``_of`` names its array in messages, ``_engine`` is
    its order's primitives and ``_transforms`` the np.fft handlers that take it."""

    __slots__ = ()
    __array_priority__ = 30          # above the real arrays': mixed operators come here
    _of = "an array"

    def _refuse(self, what):
        raise TypeError(f"{what} of a complex intermediate of {self._of} is not supported "
                        f"({_NO_COMPLEX}: end in a real result such as np.abs, .real, .imag, "
                        "np.angle or np.fft.irfft)")

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape))

    @property
    def dtype(self):
        return np.dtype(np.complex128)

    @property
    def T(self):
        return self.transpose()

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    def __array__(self, dtype=None, copy=None):
        self._refuse("conversion to an ndarray (take .value to drop the derivative)")

    def __bool__(self):
        self._refuse("the truth value")

    def _compare(self, other):
        self._refuse("comparison")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _compare
    __hash__ = None                       # type: ignore[assignment]  # mutable, as ndarray

    def conjugate(self):
        return self.conj()

    def _axes_of(self, axes):
        """transpose's axes argument as a tuple of non-negative axes."""
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return _axes(axes, self.ndim) if axes else tuple(reversed(range(self.ndim)))

    # ----- operators

    def __add__(self, other):
        return self._binary("add", self, other)

    def __radd__(self, other):
        return self._binary("add", other, self)

    def __sub__(self, other):
        return self._binary("subtract", self, other)

    def __rsub__(self, other):
        return self._binary("subtract", other, self)

    def __mul__(self, other):
        return self._binary("multiply", self, other)

    def __rmul__(self, other):
        return self._binary("multiply", other, self)

    def __truediv__(self, other):
        return self._binary("divide", self, other)

    def __rtruediv__(self, other):
        return self._binary("divide", other, self)

    def __pow__(self, other):
        return self._binary("power", self, other)

    def __rpow__(self, other):
        return self._binary("power", other, self)

    def __pos__(self):
        return self

    # ----- numpy protocols

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__
        if method != "__call__" or kwargs:
            self._refuse(f"numpy.{name}.{method} with arguments {sorted(kwargs)}")
        if len(inputs) == 2 and name in _BINARY:
            return self._binary(name, *inputs)
        if len(inputs) == 1:
            if name == "absolute":
                return abs(self)
            if name == "conjugate":
                return self.conj()
            if name == "negative":
                return -self
            if name == "positive":
                return self
            result = self._unary(name, ufunc)
            if result is not None:
                return result
        self._refuse(f"numpy.{name}")

    def __array_function__(self, func, types, args, kwargs):
        handler = FUNCTIONS.get(func)
        if handler is not None:
            return handler(*args, **kwargs)
        transform = self._transforms.get(func)          # np.fft, which needs the engine
        if transform is None:
            self._refuse(f"numpy.{func.__name__}")
        return transform(self._engine, *args, **kwargs)


def _complex(z, name):
    if not isinstance(z, ComplexProtocol):
        raise TypeError(f"numpy.{name}: the argument must be a complex intermediate here")
    return z


def _plain_options(z, name, dtype=None, out=None, **options):
    if dtype is not None or out is not None or options:
        z._refuse(f"numpy.{name} with dtype=, out=, initial= or where=")


@_implements(np.real)
def _real(val):
    return _complex(val, "real").real


@_implements(np.imag)
def _imag(val):
    return _complex(val, "imag").imag


@_implements(np.angle)
def _angle(z, deg=False):
    return _complex(z, "angle").angle(deg)


@_implements(np.sum)
def _sum(a, axis=None, dtype=None, out=None, keepdims=False, **options):
    _plain_options(_complex(a, "sum"), "sum", dtype, out, **options)
    return a.sum(axis, keepdims)


@_implements(np.mean)
def _mean(a, axis=None, dtype=None, out=None, keepdims=False, **options):
    _plain_options(_complex(a, "mean"), "mean", dtype, out, **options)
    return a.mean(axis, keepdims)


@_implements(np.reshape)
def _reshape(a, shape=None, **options):
    _plain_options(_complex(a, "reshape"), "reshape", **options)
    return a.reshape(shape)


@_implements(np.transpose)
def _transpose(a, axes=None):
    return _complex(a, "transpose").transpose(() if axes is None else axes)


@_implements(np.iscomplexobj)
def _iscomplexobj(x):
    return True


@_implements(np.isrealobj)
def _isrealobj(x):
    return False


@_implements(np.shape)
def _shape(a):
    return a.shape


@_implements(np.ndim)
def _ndim(a):
    return a.ndim


@_implements(np.size)
def _size(a, axis=None):
    return a.size if axis is None else a.shape[axis]
