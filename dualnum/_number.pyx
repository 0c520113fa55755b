# cython: freethreading_compatible = False
"""The number protocol, written once: the base of Dual, Jet and Dual2.

Each number type supplies four ``cdef`` primitives (its value, a row of the
function table applied to it as a unary or binary function, and a number of
its kind with zero derivatives); this base builds on them everything a
numeric Python type must have:

- the arithmetic operators and their reflected forms (rows of the table);
- comparisons, ``hash`` and ``bool`` on the value, as for floats;
- refused conversions to float/int/complex (they would drop derivatives);
- copying (the numbers are immutable) and rounding;
- numpy's ``__array_ufunc__`` and ``__array_function__``;
- the methods named like numpy ufuncs (``x.sin()``), which numpy's object
  loops call; they are installed from the function table below.

It also holds the tags of differentiation calls: one counter for every number
and array type, so that their tags are ordered together.
"""
cimport cython
from cpython.object cimport PyObject_RichCompare, PyTypeObject
from libc.math cimport isfinite, isnan

from dualnum._table cimport Row, row as table_row

import math
import numbers
import operator

import numpy as np

from dualnum import _scipy_dispatch
from dualnum._table import ROWS as _ROWS

cdef object _ndarray = np.ndarray
cdef object _np_generic = np.generic
# real scalars accepted beside int/float: numpy scalars, Fraction and any numbers.Real
cdef tuple _REAL_TYPES = (float, int, np.floating, np.integer, np.bool_, numbers.Real)
cdef tuple _COMPLEX_SCALARS = (complex, np.complexfloating)


# ------------------------------------------------------------------- tags

cdef unsigned long long _last_tag = 0

cdef unsigned long long next_tag() noexcept:
    global _last_tag
    _last_tag += 1
    return _last_tag


def new_tag():
    """Return a fresh tag for one differentiation call (64 bits: never wraps)."""
    return next_tag()


class ForeignNumber(ValueError):
    """A Jet or a Dual2 met a number of another differentiation call; the API
    then differentiates through dualnum.nesting instead."""


# ------------------------------------------------------------ shared helpers

cdef inline bint _is_real(object o):
    return isinstance(o, _REAL_TYPES) and not isinstance(o, Number)


cdef bint _real_number(object o, double* out) except -1:
    if _is_real(o):
        out[0] = float(o)
        return True
    return False


cdef int raise_like(object ref, tuple args) except -1:
    """Evaluate the float reference so it raises what math / float would.

    Called only for a non-finite result; a reference that returns quietly (e.g.
    inf * 2) means floats accept this case too.  A complex result (a negative
    base to a fractional power) is a domain error for a real dual number.
    """
    if isinstance(ref(*args), complex):
        raise ValueError("math domain error")
    return 0


cdef object _object_scalar(object x):
    cdef object a = np.empty((), dtype=object)
    a[()] = x
    return a


_NO_FLOAT = (
    "a dualnum.{} cannot become a {} without dropping its derivatives: use the "
    "dualnum function of the same name (e.g. dualnum.sin instead of math.sin), "
    "or take .value explicitly")

cdef Row _ADD = table_row("add"), _SUB = table_row("subtract"), _MUL = table_row("multiply")
cdef Row _DIV = table_row("divide"), _FLOORDIV = table_row("floor_divide")
cdef Row _MOD = table_row("remainder"), _POW = table_row("power"), _NEG = table_row("negative")
cdef Row _ABS = table_row("absolute"), _FLOOR = table_row("floor"), _CEIL = table_row("ceil")
cdef Row _TRUNC = table_row("trunc")


# ---------------------------------------------------------------- the base

cdef class Number:
    """Base of dualnum's number types (Dual, Jet, Dual2, Nested): not made directly."""

    cdef double value_of(self) noexcept:
        return 0.0

    cdef object unary(self, Row row):
        raise NotImplementedError

    cdef object binary(self, Row row, object a, object b):
        raise NotImplementedError

    cdef object flat(self, double value):
        raise NotImplementedError

    cdef tuple level(self):
        return None

    cdef bint is_complex(self) noexcept:
        return False

    cdef object first_order(self, double value, list partials, unsigned long long tag):
        raise NotImplementedError

    cdef object ufunc_on_arrays(self, object ufunc, str method, tuple inputs, dict kwargs):
        # they cannot store a number in a float array: numpy's object loops,
        # which call the operators and methods
        cls = type(self)
        if ufunc not in _scipy_dispatch.NUMPY_UFUNCS and ufunc_row(ufunc, inputs) is not None:
            # scipy.special's ufuncs have no object loops: element by element
            if method != "__call__" or kwargs:
                raise TypeError(
                    f"scipy.special.{ufunc.__name__}"
                    f"{'' if method == '__call__' else '.' + method} with the options "
                    f"{sorted(kwargs)} is not supported for dualnum.{cls.__name__}")
            return np.frompyfunc(ufunc, ufunc.nin, ufunc.nout)(*inputs)
        return getattr(ufunc, method)(
            *[_object_scalar(i) if type(i) is cls else i for i in inputs], **kwargs)

    # ----- no silent conversion to plain numbers

    def __float__(self):
        raise TypeError(_NO_FLOAT.format(type(self).__name__, "float"))

    def __int__(self):
        raise TypeError(_NO_FLOAT.format(type(self).__name__, "int"))

    def __complex__(self):
        raise TypeError(_NO_FLOAT.format(type(self).__name__, "complex"))

    def __bool__(self):
        return self.value_of() != 0.0

    # ----- immutable: copies are the object itself

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # ----- comparisons act on the value

    def __hash__(self):
        cdef double v = self.value_of()
        if isnan(v):
            # like float('nan') since Python 3.10: hashed by identity, but stable
            # for this object (hash(v) would box a new nan each call)
            return object.__hash__(self)
        return hash(v)

    def __richcmp__(self, other, int op):
        if type(other) is type(self):
            return PyObject_RichCompare(self.value_of(), (<Number> other).value_of(), op)
        if _is_real(other):
            # float's own comparison: exact against ints and Fractions, as for floats
            return PyObject_RichCompare(self.value_of(), other, op)
        if _nest_together(self, other):
            return PyObject_RichCompare(self.value_of(), (<Number> other).value_of(), op)
        return NotImplemented

    # ----- arithmetic (Cython 3: self is always this number)

    def __add__(self, other): return self.binary(_ADD, self, other)
    def __radd__(self, other): return self.binary(_ADD, other, self)
    def __sub__(self, other): return self.binary(_SUB, self, other)
    def __rsub__(self, other): return self.binary(_SUB, other, self)
    def __mul__(self, other): return self.binary(_MUL, self, other)
    def __rmul__(self, other): return self.binary(_MUL, other, self)
    def __truediv__(self, other): return self.binary(_DIV, self, other)
    def __rtruediv__(self, other): return self.binary(_DIV, other, self)
    def __floordiv__(self, other): return self.binary(_FLOORDIV, self, other)
    def __rfloordiv__(self, other): return self.binary(_FLOORDIV, other, self)
    def __mod__(self, other): return self.binary(_MOD, self, other)
    def __rmod__(self, other): return self.binary(_MOD, other, self)

    def __divmod__(self, other):
        q = self.binary(_FLOORDIV, self, other)
        if q is NotImplemented:
            return q
        return q, self.binary(_MOD, self, other)

    def __rdivmod__(self, other):
        q = self.binary(_FLOORDIV, other, self)
        if q is NotImplemented:
            return q
        return q, self.binary(_MOD, other, self)

    def __pow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return self.binary(_POW, self, other)

    def __rpow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return self.binary(_POW, other, self)

    def __neg__(self): return self.unary(_NEG)
    def __pos__(self): return self
    def __abs__(self): return self.unary(_ABS)

    # rounding keeps the number (derivative 0) instead of dropping to int
    def __floor__(self): return self.unary(_FLOOR)
    def __ceil__(self): return self.unary(_CEIL)
    def __trunc__(self): return self.unary(_TRUNC)

    def __round__(self, ndigits=None):
        cdef double v = self.value_of()
        return self.flat(round(v) if ndigits is None else round(v, ndigits))

    def rint(self):
        """Round to the nearest integer (numpy's rint), derivative 0."""
        cdef double v = self.value_of()
        return self.flat(round(v) if isfinite(v) else v)

    def sign(self):
        """numpy's sign of the value (-1, 0, 1 or nan), derivative 0."""
        cdef double v = self.value_of()
        return self.flat(v if isnan(v) else (v > 0.0) - (v < 0.0))

    # ----- a real number's complex parts, as for floats (complex numbers override them)

    @property
    def real(self):
        """The number itself (a real number is its own real part)."""
        return self

    @property
    def imag(self):
        """0, as a number of this kind with derivative 0."""
        return self.flat(0.0)

    def conjugate(self):
        """The number itself (a real number is its own conjugate)."""
        return self

    # ----- numpy

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy ufuncs on a number give a number of its kind; with ndarrays, an
        object array of them."""
        cls = type(self)
        if method != "__call__" or kwargs or any(isinstance(i, _ndarray) for i in inputs):
            return self.ufunc_on_arrays(ufunc, method, inputs, kwargs)   # reductions, out=..., arrays
        args = []
        for item in inputs:
            if type(item) is cls or _nest_together(self, item) or _with_complex(self, item):
                args.append(item)
            elif _is_real(item):
                # numpy scalars become floats, or the operator would call back into numpy
                args.append(float(item) if isinstance(item, _np_generic) else item)
            elif isinstance(item, _COMPLEX_SCALARS):
                # a complex number makes a complex dual number (the types' binary)
                args.append(complex(item))
            else:
                # e.g. a DualArray, which handles the ufunc itself
                return NotImplemented
        func = _ON_UFUNCS.get(ufunc)
        if func is not None:
            return func(*args)
        r = ufunc_row(ufunc, inputs)
        if r is None or r.arity != len(args):
            raise TypeError(f"numpy.{ufunc.__name__} is not supported for dualnum.{cls.__name__}")
        if r.arity == 1:
            return self.unary(r)
        return self.binary(r, args[0], args[1])

    def __array_function__(self, func, types, args, kwargs):
        """numpy functions as without this protocol (on object arrays of numbers);
        one that needs a float array's attributes (np.sinc reads .dtype) gets a
        TypeError naming it instead of an AttributeError."""
        cls = type(self)
        for t in types:
            if t is not cls and not issubclass(t, _ndarray):
                return NotImplemented          # e.g. a DualArray takes part: its handler decides
        own = _ON_NUMBER_FUNCTIONS.get(func)
        if own is not None:
            return own(*args, **kwargs)
        try:
            return func._implementation(*args, **kwargs)
        except AttributeError:
            raise TypeError(
                f"numpy.{func.__name__} is not supported for dualnum.{cls.__name__} (it needs a "
                "float array); write the function with dualnum's functions (dualnum.sin, ...) "
                "or apply it to .value") from None


cdef inline bint _nest_together(Number a, object b):
    """a and b are numbers of kinds that nest (a Dual and a Nested number)."""
    return isinstance(b, Number) and a.level() is not None and (<Number> b).level() is not None


cdef inline bint _with_complex(Number a, object b):
    """a and b are numbers of which one is complex (a Dual and a ComplexDual)."""
    return isinstance(b, Number) and (a.is_complex() or (<Number> b).is_complex())


def _value(x):
    return (<Number> x).value_of() if isinstance(x, Number) else x


# numpy ufuncs on numbers that are not rows of the table: predicates on the
# value, and compositions of rows
cdef dict _ON_NUMBERS = {
    "positive": operator.pos, "divmod": divmod,
    "square": lambda x: x * x, "reciprocal": lambda x: 1.0 / x,
    "equal": operator.eq, "not_equal": operator.ne, "less": operator.lt,
    "less_equal": operator.le, "greater": operator.gt, "greater_equal": operator.ge,
    "isnan": lambda x: math.isnan(_value(x)),
    "isinf": lambda x: math.isinf(_value(x)),
    "isfinite": lambda x: math.isfinite(_value(x)),
    "rint": lambda x: x.rint(), "sign": lambda x: x.sign(),
    "conjugate": lambda x: x.conjugate(),
}

# sinc's Taylor series in (pi x)**2, (-1)**j / (2j + 1)!, through (pi x)**20
cdef list _SINC_SERIES = [(-1) ** j / math.factorial(2 * j + 1) for j in range(11)]


def sinc_series(z):
    """sin(y)/y for z = y**2 by its series (|y| < 1: below rounding after the
    (pi x)**20 term; exact at 0, where sin(y)/y would divide 0 by 0), on a
    number or an array: numbers and dual arrays share it
    (dualnum/_functions_composite.py)."""
    series = _SINC_SERIES[-1]
    for coefficient in reversed(_SINC_SERIES[:-1]):
        series = series * z + coefficient
    return series


def _sinc(x):
    """numpy's sinc on a number, as on dual arrays: the series for |pi x| < 1."""
    y = x * math.pi
    if abs(_value(y)) >= 1.0:
        return np.sin(y) / y
    return sinc_series(y * y)


def _angle(z, deg=False):
    """numpy's angle of a complex dual number (a real Dual); real numbers have none."""
    if isinstance(z, Number) and (<Number> z).is_complex():
        return z.angle(deg)
    raise TypeError(f"numpy.angle is not supported for dualnum.{type(z).__name__} (it needs a "
                    "float array or a complex number); apply it to .value")


# numpy functions (not ufuncs) on numbers that numpy's own cannot run on objects
cdef dict _ON_NUMBER_FUNCTIONS = {np.sinc: _sinc, np.angle: _angle}
ON_NUMBER_FUNCTIONS = _ON_NUMBER_FUNCTIONS          # and on nested numbers (dualnum/_nested.pyx)

# every numpy spelling of a row (np.power is the operator **, dualnum.pow the
# function with math.pow's errors)
cdef dict _UFUNC_ROWS = {name: r for r in _ROWS for name in (<Row> r).names
                         if isinstance(getattr(np, name, None), np.ufunc)}

# the same by identity: a ufunc that only shares a name with numpy's (np.frompyfunc,
# numba) is not taken for it
cdef dict _ON_UFUNCS = {getattr(np, name): func for name, func in _ON_NUMBERS.items()}
cdef dict _ROW_OF_UFUNC = {getattr(np, name): _UFUNC_ROWS[getattr(np, name).__name__]
                           for name in _UFUNC_ROWS}


cpdef object ufunc_row(object ufunc, tuple inputs):
    """The row of the function table that ``ufunc`` is, numpy's or
    scipy.special's (dualnum/_scipy_special.pyx), by identity; None if none."""
    r = _ROW_OF_UFUNC.get(ufunc)
    if r is not None:
        return r
    return _scipy_dispatch.special_row(ufunc, inputs)


def is_row_ufunc(ufunc):
    """Whether numpy's or scipy.special's ufunc is a row of the table (no checks of operands)."""
    return ufunc in _ROW_OF_UFUNC or ufunc in _ON_UFUNCS or _scipy_dispatch.special_row(ufunc, ()) is not None


# for dualnum/_object_arrays.py, whose arrays follow the same tables
UFUNC_ROWS = _UFUNC_ROWS
ON_NUMBERS = _ON_NUMBERS
# for dualnum/_nested.pyx, which imports only the number protocol: scipy.special's binary rows
SCIPY_RULES = _scipy_dispatch.NESTED_RULES


# ------------------------------------------ methods named like numpy ufuncs
# numpy's object loops call x.sin(), x.arctan2(y) & co.  Installed into the
# base's type dict from the table, as Cython itself installs class attributes
# of extension types (PyDict_SetItem on tp_dict, then PyType_Modified).

cdef extern from "Python.h":
    void PyType_Modified(PyTypeObject* t)


cdef object _unary_method(Row r):
    @cython.binding(True)
    def method(self):
        return (<Number?> self).unary(r)
    return method


cdef object _binary_method(Row r):
    @cython.binding(True)
    def method(self, other):
        result = (<Number?> self).binary(r, self, other)
        if result is NotImplemented:
            raise TypeError(f"{r.name}() of a dualnum.{type(self).__name__} and a "
                            f"{type(other).__name__} is not supported")
        return result
    return method


cdef int _install_methods() except -1:
    cdef dict methods = <dict> (<PyTypeObject*> Number).tp_dict
    for name, r in _UFUNC_ROWS.items():
        if not (<Row> r).functions:
            continue                  # operators: numpy calls x + y, not x.add(y)
        method = _unary_method(r) if (<Row> r).arity == 1 else _binary_method(r)
        method.__name__ = method.__qualname__ = name
        method.__doc__ = f"numpy.{name} of this number: {(<Row> r).doc}"
        methods[name] = method
    PyType_Modified(<PyTypeObject*> Number)
    return 0


_install_methods()
