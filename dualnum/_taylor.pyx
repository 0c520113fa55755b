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
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from libc.math cimport isfinite, isnan

from dualnum._jets cimport ARITH_ADD, ARITH_DIV, JET_SCRATCH
from dualnum._number cimport Number, fresh, raise_like, to_double, use_freelist
from dualnum._table cimport CHECK_DIVISOR, CHECK_FINITE, Row

from collections.abc import Sequence

import numpy as np

from dualnum._complex_constants import real_operands
from dualnum._number import ForeignNumber

cdef object _ndarray = np.ndarray

_NESTING = (
    "cannot combine a Taylor series (from derivative(f, x, n) with n >= 2) with {}: "
    "nesting higher-order derivatives with other differentiation calls is not "
    "supported in this version of dualnum")


# ------------------------------------------------------------ construction

cdef inline Jet _new(Py_ssize_t order, unsigned long long tag):
    cdef Jet r = <Jet> fresh(Jet, _TEMPLATE, sizeof(Jet))
    r.order = order
    r.tag = tag
    if order < JET_INLINE:
        r.c = r.inline_c
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, (order + 1) * sizeof(double))
        r.c = <double*> PyBytes_AS_STRING(r.heap)
    return r


cdef Jet jet_new(Py_ssize_t order, unsigned long long tag):
    """An uninitialised jet of the given order and tag (its coefficients to be written)."""
    return _new(order, tag)


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


def _identically_zero(Jet x):
    """Every coefficient of x is 0 (dualnum/_complex_constants.py)."""
    cdef Py_ssize_t k
    for k in range(x.order + 1):
        if x.c[k] != 0.0:
            return False
    return True


cdef object _with_complex_constant(object a, object b, Row row):
    """+ - * / of a Jet and a complex constant where the result is real
    (dualnum/_complex_constants.py); NotImplemented for other operands."""
    if row.arith < ARITH_ADD or row.arith > ARITH_DIV:
        return NotImplemented
    real = real_operands(a, b, "+-*/"[row.arith - ARITH_ADD], Jet, _identically_zero)
    return NotImplemented if real is None else jet_binary_call(real[0], real[1], row)


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
        return _with_complex_constant(a, b, row)
    if type(b) is Jet:
        jb = <Jet> b
    elif not to_double(b, &bv):
        if hasattr(b, "__dualnum_unary__") or isinstance(b, Number):
            raise _mismatch(b)
        return _with_complex_constant(a, b, row)
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
cdef Jet _TEMPLATE = Jet.__new__(Jet)
use_freelist(Jet, _TEMPLATE)
assert sizeof(Jet) == Jet.__basicsize__
