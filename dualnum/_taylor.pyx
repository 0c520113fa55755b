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

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.ref cimport Py_INCREF
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from libc.math cimport frexp, isfinite, isnan, ldexp
from libc.string cimport memcpy

from dualnum._jets cimport JET_SCRATCH
from dualnum._number cimport Number, fresh, next_tag, raise_like, to_double, use_freelist
from dualnum._table cimport CHECK_DIVISOR, CHECK_FINITE, Row

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from dualnum._number import ForeignNumber

cdef double _FACTORIAL[171]
for _k in range(171):
    _FACTORIAL[_k] = float(math.factorial(_k))

cdef object _ndarray = np.ndarray

_NESTING = (
    "cannot combine a Taylor series (from derivative(f, x, n) with n >= 2) with {}: "
    "nesting higher-order derivatives with other differentiation calls is not "
    "supported in this version of dualnum")


# ------------------------------------------------------------ construction

cdef inline Jet _new(Py_ssize_t order, unsigned long long tag):
    cdef Jet r = <Jet> fresh(Jet, _TEMPLATE, sizeof(Jet))
    Py_INCREF(None)                   # r.heap: the template's None, now r's too
    r.order = order
    r.tag = tag
    if order < JET_INLINE:
        r.c = r.inline_c
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, (order + 1) * sizeof(double))
        r.c = <double*> PyBytes_AS_STRING(r.heap)
    return r


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


cdef object jet_unary_call(Jet x, Row row):
    cdef Jet r = _new(x.order, x.tag)
    cdef double stack[8 * JET_SCRATCH]
    cdef Py_ssize_t need = JET_SCRATCH * (x.order + 1)
    cdef double* s = _work(stack, 8 * JET_SCRATCH, need)
    if s == NULL:
        raise MemoryError()
    row.taylor_unary(x.c, r.c, x.order, s)
    if s != stack:
        PyMem_Free(s)
    if row.reference is not None and not isfinite(r.c[0]) and not isnan(x.c[0]):
        raise_like(row.reference, (x.c[0],))
    return r


cdef object _mismatch(object other):
    if type(other).__name__ == "Dual":
        return ForeignNumber(_NESTING.format("a dual number"))
    return ForeignNumber(_NESTING.format(f"a {type(other).__name__}"))


cdef object jet_binary_call(object a, object b, Row row):
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
    elif not to_double(a, &av):
        if hasattr(a, "__dualnum_unary__") or isinstance(a, Number):
            raise _mismatch(a)
        return NotImplemented
    if type(b) is Jet:
        jb = <Jet> b
    elif not to_double(b, &bv):
        if hasattr(b, "__dualnum_unary__") or isinstance(b, Number):
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
    if row.check == CHECK_DIVISOR and (jb.c[0] if jb is not None else bv) == 0.0:
        row.reference(ja.c[0] if ja is not None else av, 0.0)     # raises ZeroDivisionError
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
    row.taylor_binary(u, v, r.c, order, s)
    av, bv = u[0], v[0]
    if s != stack:
        PyMem_Free(s)
    if row.check == CHECK_FINITE and not isfinite(r.c[0]) and not (isnan(av) or isnan(bv)):
        raise_like(row.reference, (av, bv))
    return r


# ------------------------------------------------------------ the type

cdef class Jet(Number):
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
            if not to_double(items[k], &value):
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
            to_double(items[k], &self.c[k])

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

    # ----- the primitives of the number protocol

    cdef double value_of(self) noexcept:
        return self.c[0]

    cdef object unary(self, Row row):
        return jet_unary_call(self, row)

    cdef object binary(self, Row row, object a, object b):
        return jet_binary_call(a, b, row)

    cdef object flat(self, double value):
        cdef Jet r = _new(self.order, self.tag)
        cdef Py_ssize_t k
        r.c[0] = value
        for k in range(1, self.order + 1):
            r.c[k] = 0.0
        return r

    # ----- representation, pickling

    def __repr__(self):
        return f"Jet([{', '.join([repr(self.c[k]) for k in range(self.order + 1)])}])"

    def __reduce__(self):
        return (_rebuild, (self.coefficients, self.tag))


# (not @cython.freelist, which Cython gives no subclass: see dualnum/_number.pxd)
use_freelist(Jet)
cdef Jet _TEMPLATE = Jet.__new__(Jet)
assert sizeof(Jet) == Jet.__basicsize__


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
    if isinstance(item, Number):
        raise _mismatch(item)
    if not to_double(item, &v):
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
    elif type(result) is float or to_double(result, &v):
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
