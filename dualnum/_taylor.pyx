# cython: freethreading_compatible = False
"""Jet: a truncated Taylor series, the number type of higher derivatives.

``Jet([c0, c1, ..., cK])`` stands for ``c0 + c1 t + ... + cK t**K`` modulo
``t**(K+1)``: seeding ``x0 + t`` and evaluating f gives the coefficients
``f^(k)(x0) / k!`` of f's Taylor expansion, so ``derivative(f, x0, n=K)``
costs one evaluation with O(K**2) work per operation (dualnum/_jets.pxd)
instead of 2**K nested first-order duals.

A Jet carries the tag of the differentiation call that seeded it, like a
Dual; combining jets of different calls, or a jet with a Dual, raises a
ValueError rather than mixing unrelated perturbations.
"""

cimport cython
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.float cimport PyFloat_AS_DOUBLE
from cpython.long cimport PyLong_AsDouble
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.object cimport PyObject_RichCompare
from libc.math cimport frexp, isfinite, isnan, ldexp
from libc.string cimport memcpy

from dualnum._jets cimport (
    JET_SCRATCH,
    jet_exp, jet_expm1, jet_exp2, jet_log, jet_log1p, jet_log2, jet_log10, jet_sqrt, jet_cbrt,
    jet_sin, jet_cos, jet_tan, jet_asin, jet_acos, jet_atan, jet_sinh, jet_cosh, jet_tanh,
    jet_asinh, jet_acosh, jet_atanh, jet_fabs, jet_floor, jet_ceil, jet_trunc, jet_degrees,
    jet_radians, jet_neg,
    jet_add, jet_sub, jet_times, jet_divide, jet_floordiv, jet_mod, jet_pow, jet_atan2,
    jet_hypot,
)

import math
import numbers
import operator
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

cdef double _FACTORIAL[171]
for _k in range(171):
    _FACTORIAL[_k] = float(math.factorial(_k))

cdef object _ndarray = np.ndarray
cdef object _np_generic = np.generic
cdef tuple _REAL_TYPES = (np.floating, np.integer, np.bool_, numbers.Real)

# set by dualnum._core, which imports this module: its Dual type (to name it
# in errors) and its table of what a numpy ufunc computes on a scalar
cdef object _Dual = None
cdef tuple _OTHER_DUALS = ()
cdef dict _UFUNCS = {}


def register_core(dual_type, tuple other_duals, dict ufuncs):
    """Called once by dualnum._core at import."""
    global _Dual, _OTHER_DUALS, _UFUNCS
    _Dual = dual_type
    _OTHER_DUALS = other_duals
    _UFUNCS = ufuncs


_NESTING = (
    "cannot combine a Taylor series (from derivative(f, x, n) with n >= 2) with {}: "
    "nesting higher-order derivatives with other differentiation calls is not "
    "supported in this version of dualnum")

_NO_FLOAT = (
    "a dualnum.Jet cannot become a {} without dropping its derivatives: use the "
    "dualnum function of the same name (e.g. dualnum.sin instead of math.sin), "
    "or take .value explicitly")


# ------------------------------------------------------------ construction

cdef inline Jet _new(Py_ssize_t order, unsigned long long tag):
    cdef Jet r = Jet.__new__(Jet)
    r.order = order
    r.tag = tag
    if order < JET_INLINE:
        r.c = r.inline_c
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, (order + 1) * sizeof(double))
        r.c = <double*> PyBytes_AS_STRING(r.heap)
    return r


cdef inline bint _to_double(object o, double* out) except -1:
    """Store a real number (not a Jet or Dual) as a C double; else return False."""
    if type(o) is float:
        out[0] = PyFloat_AS_DOUBLE(o)
        return True
    if type(o) is int:
        out[0] = PyLong_AsDouble(o)
        return True
    if isinstance(o, (float, int)) or (isinstance(o, _REAL_TYPES) and type(o) not in _OTHER_DUALS):
        out[0] = float(o)
        return True
    return False


# tags of differentiation calls, shared with dualnum._core (one counter, so
# that tags of Duals and Jets are ordered together: newer calls, higher tags)
cdef unsigned long long _last_tag = 0

cdef unsigned long long next_tag() noexcept:
    global _last_tag
    _last_tag += 1
    return _last_tag


# the largest order of derivative(f, x, n) and derivatives: a jet of order K
# costs O(K**2) per operation (at this limit, seconds), and above it the size
# of a jet in bytes could overflow
cdef enum:
    JET_MAX_ORDER = 100_000

MAX_ORDER = JET_MAX_ORDER


def order_too_high(order):
    """The error for an order above MAX_ORDER."""
    return ValueError(f"n = {order} is above the largest supported order, {MAX_ORDER}")


def step_exponent(Py_ssize_t order):
    """log2 of the step h of the seed x + h t.  Coefficient k is then
    f^(k) h**k / k!: with h = 1 it underflows past k ~ 170 for entire
    functions (exp: 1/k!); h ~ order/e keeps it near f^(k) / sqrt(2 pi k),
    in range whenever the derivative itself is.  A power of two keeps the
    rescaling exact; orders up to 150 use h = 1."""
    return 0 if order <= 150 else round(math.log2(order / math.e))


def seed(double x, Py_ssize_t order, unsigned long long tag, int exponent=0):
    """The jet of the variable at x: x + h t with h = 2**exponent
    (coefficients x, h, 0, ..., 0)."""
    if order < 0:
        raise ValueError(f"the order must be >= 0, got {order}")
    return _seed(x, order, tag, exponent)


cdef inline Jet _seed(double x, Py_ssize_t order, unsigned long long tag, int exponent):
    cdef Jet r = _new(order, tag)
    cdef Py_ssize_t k
    r.c[0] = x
    for k in range(1, order + 1):
        r.c[k] = ldexp(1.0, exponent) if k == 1 else 0.0
    return r


def fresh_seed(double x, Py_ssize_t order):
    """The seed of derivative(f, x, n=order) at a float x, with a new tag:
    the scalar hot path (order >= 1); nan and inf propagate, as on floats."""
    if order > JET_MAX_ORDER:
        raise order_too_high(order)
    return _seed(x, order, next_tag(), 0 if order <= 150 else step_exponent(order))


def tag_of(Jet x):
    return x.tag


def _rebuild(coefficients, tag):
    """Unpickle a Jet."""
    cdef Jet r = Jet(coefficients)
    r.tag = tag
    return r


# ------------------------------------------------------------ applying kernels

# work space for one kernel call: on the stack when small, else on the heap
cdef inline double* _work(double* stack, Py_ssize_t stack_size, Py_ssize_t need) noexcept:
    return stack if need <= stack_size else <double*> PyMem_Malloc(need * sizeof(double))


cdef int raise_like(object ref, tuple args) except -1:
    """Evaluate the float reference so it raises what math / float would; a
    complex result (negative base, fractional power) is a domain error."""
    if isinstance(ref(*args), complex):
        raise ValueError("math domain error")
    return 0


cdef object jet_unary_call(Jet x, jet_unary kernel, object ref):
    cdef Jet r = _new(x.order, x.tag)
    cdef double stack[8 * JET_SCRATCH]
    cdef Py_ssize_t need = JET_SCRATCH * (x.order + 1)
    cdef double* s = _work(stack, 8 * JET_SCRATCH, need)
    if s == NULL:
        raise MemoryError()
    kernel(x.c, r.c, x.order, s)
    if s != stack:
        PyMem_Free(s)
    if ref is not None and not isfinite(r.c[0]) and not isnan(x.c[0]):
        raise_like(ref, (x.c[0],))
    return r


class ForeignNumber(ValueError):
    """A Jet (or a Dual2) met a number of another differentiation call; the
    API then differentiates through dualnum.nesting instead."""


cdef object _mismatch(object other):
    if _Dual is not None and type(other) is _Dual:
        return ForeignNumber(_NESTING.format("a dual number"))
    return ForeignNumber(_NESTING.format(f"a {type(other).__name__}"))


cdef object jet_binary_call(object a, object b, jet_binary kernel, JetCheck check, object ref):
    """Apply a binary kernel to two operands of which at least one is a Jet;
    NotImplemented for operands that are neither jets nor real numbers."""
    cdef Jet ja = None, jb = None, r
    cdef double av = 0.0, bv = 0.0
    cdef Py_ssize_t order, k, n
    cdef double stack[16 * JET_SCRATCH]
    cdef double* s
    cdef double* u
    cdef double* v
    if type(a) is Jet:
        ja = <Jet> a
    elif not _to_double(a, &av):
        if hasattr(a, "__dualnum_unary__") or type(a) in _OTHER_DUALS:
            raise _mismatch(a)
        return NotImplemented
    if type(b) is Jet:
        jb = <Jet> b
    elif not _to_double(b, &bv):
        if hasattr(b, "__dualnum_unary__") or type(b) in _OTHER_DUALS:
            raise _mismatch(b)
        return NotImplemented
    if ja is not None and jb is not None:
        if ja.tag != jb.tag:
            raise ForeignNumber(
                "cannot combine Taylor series seeded by different differentiation calls; "
                "nesting derivative(f, x, n) calls is not supported in this version of dualnum")
        if ja.order != jb.order:
            raise ValueError(
                f"cannot combine Taylor series of orders {ja.order} and {jb.order}")
    order = ja.order if ja is not None else jb.order
    n = order + 1
    if check == JET_CHECK_DIVISOR and (jb.c[0] if jb is not None else bv) == 0.0:
        ref(ja.c[0] if ja is not None else av, 0.0)     # raises ZeroDivisionError
    r = _new(order, ja.tag if ja is not None else jb.tag)
    s = _work(stack, 16 * JET_SCRATCH, (JET_SCRATCH + 1) * n)
    if s == NULL:
        raise MemoryError()
    # a real operand is the constant series (value, 0, 0, ...)
    if ja is not None:
        u = ja.c
    else:
        u = s + JET_SCRATCH * n
        u[0] = av
        for k in range(1, n):
            u[k] = 0.0
    if jb is not None:
        v = jb.c
    else:
        v = s + JET_SCRATCH * n
        v[0] = bv
        for k in range(1, n):
            v[k] = 0.0
    kernel(u, v, r.c, order, s)
    av, bv = u[0], v[0]
    if s != stack:
        PyMem_Free(s)
    if check == JET_CHECK_FINITE and not isfinite(r.c[0]) and not (isnan(av) or isnan(bv)):
        raise_like(ref, (av, bv))
    return r


cdef object _op_truediv = operator.truediv
cdef object _op_floordiv = operator.floordiv
cdef object _op_mod = operator.mod
cdef object _op_pow = operator.pow


# ------------------------------------------------------------ the type

@cython.freelist(32)
cdef class Jet:
    """Jet(coefficients)

    A truncated Taylor series ``c0 + c1 t + ... + cK t**K`` (modulo
    ``t**(K+1)``): arithmetic and every dualnum function propagate all K
    coefficients.  ``derivative(f, x, n)`` seeds ``Jet([x, 1, 0, ...])`` and
    reads ``f^(n)(x) = n! c_n``.

    Parameters
    ----------
    coefficients : sequence of reals
        c0 (the value), c1, ..., cK; at least one.

    Notes
    -----
    Jets are immutable.  Like Dual, comparisons, ``hash`` and ``bool`` act on
    the value, and there is no float conversion.

    Examples
    --------
    >>> from dualnum import Jet, exp
    >>> exp(Jet([0.0, 1.0, 0.0, 0.0]))
    Jet([1.0, 1.0, 0.5, 0.16666666666666666])
    """

    def __init__(self, coefficients):
        cdef Py_ssize_t k
        cdef double value
        if self.c != NULL:
            raise TypeError("dualnum.Jet is immutable")
        if (not isinstance(coefficients, (list, tuple, _ndarray, range, Sequence))
                or isinstance(coefficients, (str, bytes, bytearray, memoryview))):
            raise TypeError(
                "Jet coefficients must be a sequence of real numbers, "
                f"got {type(coefficients).__name__}")
        items = list(coefficients)
        if not items:
            raise ValueError("a Jet needs at least one coefficient (its value)")
        for k in range(len(items)):
            if type(items[k]) is Jet or not _to_double(items[k], &value):
                raise TypeError(
                    f"Jet coefficients must be real numbers, got {type(items[k]).__name__} "
                    f"at position {k}")
        self.order = len(items) - 1
        if self.order < JET_INLINE:
            self.c = self.inline_c
        else:
            self.heap = PyBytes_FromStringAndSize(NULL, len(items) * sizeof(double))
            self.c = <double*> PyBytes_AS_STRING(self.heap)
        for k in range(len(items)):
            _to_double(items[k], &self.c[k])

    @property
    def value(self):
        """The value c0 as a float."""
        return self.c[0]

    @property
    def order(self):
        """K: the highest power of t kept."""
        return self.order

    @property
    def coefficients(self):
        """(c0, c1, ..., cK) as a tuple of floats."""
        return tuple([self.c[k] for k in range(self.order + 1)])

    @property
    def derivatives(self):
        """(f, f', ..., f^(K)) at the expansion point: k! c_k, as a tuple of floats."""
        out = []
        factorial = 1.0
        for k in range(self.order + 1):
            if k > 1:
                factorial *= k
            out.append(self.c[k] * factorial)
        return tuple(out)

    # ----- representation, copying, pickling

    def __repr__(self):
        return f"Jet([{', '.join([repr(self.c[k]) for k in range(self.order + 1)])}])"

    def __reduce__(self):
        return (_rebuild, (self.coefficients, self.tag))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # ----- no silent conversion to plain numbers

    def __float__(self):
        raise TypeError(_NO_FLOAT.format("float"))

    def __int__(self):
        raise TypeError(_NO_FLOAT.format("int"))

    def __complex__(self):
        raise TypeError(_NO_FLOAT.format("complex"))

    def __bool__(self):
        return self.c[0] != 0.0

    # ----- comparisons act on the value

    def __hash__(self):
        if isnan(self.c[0]):
            return object.__hash__(self)
        return hash(self.c[0])

    def __richcmp__(self, other, int op):
        cdef double v
        if type(other) is Jet:
            return PyObject_RichCompare(self.c[0], (<Jet> other).c[0], op)
        if type(other) is float or _to_double(other, &v):
            return PyObject_RichCompare(self.c[0], other, op)
        return NotImplemented

    # ----- arithmetic

    def __add__(self, other):
        return jet_binary_call(self, other, jet_add, JET_NO_CHECK, None)

    def __radd__(self, other):
        return jet_binary_call(other, self, jet_add, JET_NO_CHECK, None)

    def __sub__(self, other):
        return jet_binary_call(self, other, jet_sub, JET_NO_CHECK, None)

    def __rsub__(self, other):
        return jet_binary_call(other, self, jet_sub, JET_NO_CHECK, None)

    def __mul__(self, other):
        return jet_binary_call(self, other, jet_times, JET_NO_CHECK, None)

    def __rmul__(self, other):
        return jet_binary_call(other, self, jet_times, JET_NO_CHECK, None)

    def __truediv__(self, other):
        return jet_binary_call(self, other, jet_divide, JET_CHECK_DIVISOR, _op_truediv)

    def __rtruediv__(self, other):
        return jet_binary_call(other, self, jet_divide, JET_CHECK_DIVISOR, _op_truediv)

    def __floordiv__(self, other):
        return jet_binary_call(self, other, jet_floordiv, JET_CHECK_DIVISOR, _op_floordiv)

    def __rfloordiv__(self, other):
        return jet_binary_call(other, self, jet_floordiv, JET_CHECK_DIVISOR, _op_floordiv)

    def __mod__(self, other):
        return jet_binary_call(self, other, jet_mod, JET_CHECK_DIVISOR, _op_mod)

    def __rmod__(self, other):
        return jet_binary_call(other, self, jet_mod, JET_CHECK_DIVISOR, _op_mod)

    def __divmod__(self, other):
        q = jet_binary_call(self, other, jet_floordiv, JET_CHECK_DIVISOR, _op_floordiv)
        if q is NotImplemented:
            return q
        return q, jet_binary_call(self, other, jet_mod, JET_CHECK_DIVISOR, _op_mod)

    def __rdivmod__(self, other):
        q = jet_binary_call(other, self, jet_floordiv, JET_CHECK_DIVISOR, _op_floordiv)
        if q is NotImplemented:
            return q
        return q, jet_binary_call(other, self, jet_mod, JET_CHECK_DIVISOR, _op_mod)

    def __pow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return jet_binary_call(self, other, jet_pow, JET_CHECK_FINITE, _op_pow)

    def __rpow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return jet_binary_call(other, self, jet_pow, JET_CHECK_FINITE, _op_pow)

    def __neg__(self):
        return jet_unary_call(self, jet_neg, None)

    def __pos__(self):
        return self

    def __abs__(self):
        return jet_unary_call(self, jet_fabs, None)

    def __floor__(self):
        return jet_unary_call(self, jet_floor, None)

    def __ceil__(self):
        return jet_unary_call(self, jet_ceil, None)

    def __trunc__(self):
        return jet_unary_call(self, jet_trunc, None)

    def __round__(self, ndigits=None):
        cdef Jet r = _new(self.order, self.tag)
        cdef Py_ssize_t k
        r.c[0] = round(self.c[0]) if ndigits is None else round(self.c[0], ndigits)
        for k in range(1, self.order + 1):
            r.c[k] = 0.0
        return r

    # ----- methods named like numpy ufuncs: numpy object arrays call them

    def sin(self): return jet_unary_call(self, jet_sin, math.sin)
    def cos(self): return jet_unary_call(self, jet_cos, math.cos)
    def tan(self): return jet_unary_call(self, jet_tan, math.tan)
    def arcsin(self): return jet_unary_call(self, jet_asin, math.asin)
    def arccos(self): return jet_unary_call(self, jet_acos, math.acos)
    def arctan(self): return jet_unary_call(self, jet_atan, math.atan)
    def sinh(self): return jet_unary_call(self, jet_sinh, math.sinh)
    def cosh(self): return jet_unary_call(self, jet_cosh, math.cosh)
    def tanh(self): return jet_unary_call(self, jet_tanh, math.tanh)
    def arcsinh(self): return jet_unary_call(self, jet_asinh, math.asinh)
    def arccosh(self): return jet_unary_call(self, jet_acosh, math.acosh)
    def arctanh(self): return jet_unary_call(self, jet_atanh, math.atanh)
    def exp(self): return jet_unary_call(self, jet_exp, math.exp)
    def exp2(self): return jet_unary_call(self, jet_exp2, None)
    def expm1(self): return jet_unary_call(self, jet_expm1, math.expm1)
    def log(self): return jet_unary_call(self, jet_log, math.log)
    def log2(self): return jet_unary_call(self, jet_log2, math.log2)
    def log10(self): return jet_unary_call(self, jet_log10, math.log10)
    def log1p(self): return jet_unary_call(self, jet_log1p, math.log1p)
    def sqrt(self): return jet_unary_call(self, jet_sqrt, math.sqrt)
    def cbrt(self): return jet_unary_call(self, jet_cbrt, None)
    def fabs(self): return jet_unary_call(self, jet_fabs, None)
    def floor(self): return jet_unary_call(self, jet_floor, None)
    def ceil(self): return jet_unary_call(self, jet_ceil, None)
    def trunc(self): return jet_unary_call(self, jet_trunc, None)
    def rint(self): return self.__round__()
    def radians(self): return jet_unary_call(self, jet_radians, None)
    def degrees(self): return jet_unary_call(self, jet_degrees, None)
    def deg2rad(self): return jet_unary_call(self, jet_radians, None)
    def rad2deg(self): return jet_unary_call(self, jet_degrees, None)
    def arctan2(self, other): return jet_binary_call(self, other, jet_atan2, JET_CHECK_FINITE, math.atan2)
    def hypot(self, other): return jet_binary_call(self, other, jet_hypot, JET_CHECK_FINITE, math.hypot)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy ufuncs on a Jet give a Jet; with ndarrays, an object array of Jets."""
        return scalar_ufunc(self, _OTHER_DUALS, _UFUNCS, ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return scalar_function(self, func, types, args, kwargs)


def scalar_ufunc(x, tuple others, dict ufuncs, ufunc, str method, tuple inputs, dict kwargs):
    """__array_ufunc__ of the scalar number types Jet and Dual2: a ufunc gives
    what the dualnum function of its name gives (``ufuncs``); with ndarrays,
    reductions or out=, numpy's object loops, which call x's operators and
    methods.  ``others``: the number types x must not mix with."""
    cls = type(x)
    if method != "__call__" or kwargs or any(isinstance(i, _ndarray) for i in inputs):
        return getattr(ufunc, method)(
            *[_object_scalar(i) if type(i) is cls else i for i in inputs], **kwargs)
    func = ufuncs.get(ufunc.__name__)
    if func is None:
        raise TypeError(f"numpy.{ufunc.__name__} is not supported for dualnum.{cls.__name__}")
    args = []
    for item in inputs:
        if type(item) is cls:
            args.append(item)
        elif isinstance(item, _REAL_TYPES) and type(item) not in others:
            # numpy scalars become floats, or the operator would call back into numpy
            args.append(float(item) if isinstance(item, _np_generic) else item)
        else:
            return NotImplemented
    return func(*args)


def scalar_function(x, func, types, args, kwargs):
    """__array_function__ of the scalar number types Dual, Jet and Dual2: numpy's
    own implementation, as without the protocol (on object arrays of them); one
    that needs a float array's attributes (np.sinc reads .dtype) gets a
    TypeError naming it instead of an AttributeError."""
    cls = type(x)
    for t in types:
        if t is not cls and not issubclass(t, _ndarray):
            return NotImplemented          # e.g. a DualArray takes part: its handler decides
    try:
        return func._implementation(*args, **kwargs)
    except AttributeError:
        raise TypeError(
            f"numpy.{func.__name__} is not supported for dualnum.{cls.__name__} (it needs a "
            "float array); write the function with dualnum's functions (dualnum.sin, ...) "
            "or apply it to .value") from None


cdef object _object_scalar(object x):
    cdef object a = np.empty((), dtype=object)
    a[()] = x
    return a


# ------------------------------------------------------------ reading results

cdef int _store(object item, unsigned long long tag, Py_ssize_t order, double* out) except -1:
    """Write the order + 1 coefficients of one element of f's result."""
    cdef Jet j
    cdef Py_ssize_t k
    cdef double v
    if type(item) is Jet:
        j = <Jet> item
        if j.tag != tag:
            raise ForeignNumber(
                "the function returned a Taylor series that was not seeded by this "
                "differentiation call; nested derivative(f, x, n) calls are not supported "
                "in this version of dualnum")
        memcpy(out, j.c, (order + 1) * sizeof(double))
        return 0
    if type(item) in _OTHER_DUALS:
        raise _mismatch(item)
    if not _to_double(item, &v):
        raise TypeError(
            "the function must return a real number, a dual number, or a sequence/ndarray "
            f"of them; it returned a {type(item).__name__}")
    out[0] = v
    for k in range(1, order + 1):
        out[k] = 0.0
    return 0


def coefficients(object result, unsigned long long tag, Py_ssize_t order):
    """Taylor coefficients of f's result: shape (order + 1,) for a scalar result,
    S + (order + 1,) for an array-like result of shape S."""
    cdef double[:, ::1] view
    cdef Py_ssize_t i, m
    out = None
    if not isinstance(result, (_ndarray, list, tuple)):
        out = np.empty((1, order + 1))
        view = out
        _store(result, tag, order, &view[0, 0])
        return out[0]
    if isinstance(result, _ndarray) and result.dtype != object:
        if result.dtype.kind not in "biuf":
            raise TypeError(
                "the function must return real numbers or Taylor series; it returned an "
                f"array of dtype {result.dtype}")
        out = np.zeros(result.shape + (order + 1,))
        out[..., 0] = result
        return out
    arr = np.asarray(result, dtype=object)
    flat = arr.reshape(-1)
    m = flat.shape[0]
    out = np.empty((m, order + 1))
    view = out
    for i in range(m):
        if isinstance(flat[i], (list, tuple)):
            raise TypeError(
                "the function must return real numbers or a rectangular sequence/ndarray of "
                "them; it returned a ragged or nested sequence")
        _store(flat[i], tag, order, &view[i, 0])
    return out.reshape(arr.shape + (order + 1,))


def times_factorial(double c, Py_ssize_t k, int exponent=0):
    """c k! / 2**(k exponent): the k-th derivative from coefficient k of a jet
    seeded with step 2**exponent, rounded once."""
    if exponent == 0 and k <= 170:
        return c * _FACTORIAL[k]
    if c == 0.0 or not isfinite(c):
        return c
    try:
        return float(Fraction(c) * math.factorial(k) / Fraction(2) ** (k * exponent))
    except OverflowError:
        return math.copysign(math.inf, c)


cdef int _exponent(Jet seed):
    """log2 of the step h of a seed x + h t."""
    cdef int e
    if seed.order == 0:
        return 0
    frexp(seed.c[1], &e)
    return e - 1


def exponent_of(Jet seed):
    return _exponent(seed)


def scalar_derivative(object result, Jet seed):
    """The derivative of order seed.order of a scalar result of f(seed); None
    when the result is not a scalar (the caller then reads it elementwise)."""
    cdef double v
    cdef Py_ssize_t n = seed.order
    cdef Jet j
    if type(result) is Jet:
        j = <Jet> result
        if j.tag == seed.tag:
            if n <= 170 and seed.c[1] == 1.0:
                return j.c[n] * _FACTORIAL[n]
            return times_factorial(j.c[n], n, _exponent(seed))
    elif type(result) is float or _to_double(result, &v):
        return 0.0 if n > 0 else v
    elif isinstance(result, (_ndarray, list, tuple)):
        return None
    cdef double[::1] unused = np.empty(n + 1)
    _store(result, seed.tag, n, &unused[0])        # raises the error that fits
    return None


def seed_array(object point, Py_ssize_t order, unsigned long long tag, int exponent=0):
    """Object array of jets x_i + h t (every element seeded: an elementwise f)."""
    cdef double[::1] flat = np.ascontiguousarray(point, dtype=np.float64).reshape(-1)
    out = np.empty(flat.shape[0], dtype=object)
    for i in range(flat.shape[0]):
        out[i] = seed(flat[i], order, tag, exponent)
    return out.reshape(np.shape(point))
