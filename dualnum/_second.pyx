# cython: freethreading_compatible = False
"""Dual2: a second-order dual number, the number type of Hessians.

``Dual2`` carries a value, the gradient with respect to n variables and the
Hessian (its upper triangle, so it is symmetric by construction) through
every operation in one pass:

    f(u):   g = f'(u0) g_u,   H = f'(u0) H_u + f''(u0) g_u g_u^T
    u * v:  g = v0 g_u + u0 g_v,   H = v0 H_u + u0 H_v + g_u g_v^T + g_v g_u^T

f'(u0) and f''(u0) come from the order-2 Taylor kernels of dualnum/_jets.pxd
(binary functions: their five partials from three kernel calls), so no rule
is written twice.  Cost per operation: O(n**2).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.math cimport isfinite, isnan

from dualnum._jets cimport (
    _strong, _strong2, jet_local_unary, jet_local_binary, local_partials, ARITH_DIV, ARITH_POW,
)
from dualnum._number cimport Number, fresh, raise_like, to_double, use_freelist
from dualnum._table cimport CHECK_DIVISOR, CHECK_FINITE, Row

from collections.abc import Sequence

import numpy as np

from dualnum._complex_constants import real_operands
from dualnum._number import ForeignNumber

cdef object _ndarray = np.ndarray


_NESTING = (
    "cannot combine a second-order dual number (from hessian) with {}: nesting "
    "hessian with other differentiation calls is not supported in this version of dualnum")

# ------------------------------------------------------------ construction

cdef inline Py_ssize_t _size(Py_ssize_t n, bint along) noexcept:
    return 2 * n + 1 if along else n + n * (n + 1) // 2


cdef Dual2 dual2_new(double val, Py_ssize_t n, unsigned long long tag, bint along=False):
    cdef Dual2 r = <Dual2> fresh(Dual2, _TEMPLATE, sizeof(Dual2))
    cdef Py_ssize_t m = _size(n, along)
    r.val = val
    r.n = n
    r.tag = tag
    r.along = along
    if m <= DUAL2_INLINE:
        r.d = r.inline_d
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, m * sizeof(double))
        r.d = <double*> PyBytes_AS_STRING(r.heap)
    return r


# ------------------------------------------------------------ the chain rule

cdef Dual2 _chain1(double f, double f1, double f2, Dual2 x):
    """f(x) with local derivatives f1 = f'(x0) and f2 = f''(x0)."""
    cdef Dual2 r = dual2_new(f, x.n, x.tag, x.along)
    cdef Py_ssize_t n = x.n, i, j, k = 0
    cdef double* g = x.d
    cdef double* h = x.d + n
    cdef double* rh = r.d + n
    for i in range(n):
        r.d[i] = _strong(f1, g[i])
    if x.along:
        # h[0] = dx/dv, h[1 + i] = d/dv dx/dx_i
        rh[0] = _strong(f1, h[0])
        for i in range(n):
            rh[1 + i] = _strong(f1, h[1 + i]) + _strong2(f2, g[i], h[0])
        return r
    for i in range(n):
        for j in range(i, n):
            rh[k] = _strong(f1, h[k]) + _strong2(f2, g[i], g[j])
            k += 1
    return r


cdef Dual2 _chain2(double f, double fa, double fb, double faa, double fab, double fbb,
                   Dual2 a, Dual2 b):
    """f(a, b) with its five local partial derivatives."""
    cdef Dual2 r = dual2_new(f, a.n, a.tag, a.along)
    cdef Py_ssize_t n = a.n, i, j, k = 0
    cdef double* ga = a.d
    cdef double* gb = b.d
    cdef double* ha = a.d + n
    cdef double* hb = b.d + n
    cdef double* rh = r.d + n
    for i in range(n):
        r.d[i] = _strong(fa, ga[i]) + _strong(fb, gb[i])
    if a.along:
        rh[0] = _strong(fa, ha[0]) + _strong(fb, hb[0])
        for i in range(n):
            rh[1 + i] = (_strong(fa, ha[1 + i]) + _strong(fb, hb[1 + i])
                         + _strong2(faa, ga[i], ha[0])
                         + _strong2(fab, ga[i], hb[0]) + _strong2(fab, gb[i], ha[0])
                         + _strong2(fbb, gb[i], hb[0]))
        return r
    for i in range(n):
        for j in range(i, n):
            rh[k] = (_strong(fa, ha[k]) + _strong(fb, hb[k]) + _strong2(faa, ga[i], ga[j])
                     + _strong2(fab, ga[i], gb[j]) + _strong2(fab, gb[i], ga[j])
                     + _strong2(fbb, gb[i], gb[j]))
            k += 1
    return r


cdef object dual2_unary_call(Dual2 x, Row row):
    cdef double f[3]
    jet_local_unary(row.taylor_unary, x.val, f)
    if row.reference is not None and not isfinite(f[0]) and not isnan(x.val):
        raise_like(row.reference, (x.val,))
    return _chain1(f[0], f[1], f[2], x)


cdef object _mismatch(object other):
    return ForeignNumber(_NESTING.format(f"a {type(other).__name__}"))


cdef object _unpack(object o, double* value):
    """o as a Dual2, or None with value set for a real number; NotImplemented otherwise."""
    if type(o) is Dual2:
        value[0] = (<Dual2> o).val
        return o
    if to_double(o, value):
        return None
    if getattr(type(o), "holds_dual2", False):
        return NotImplemented       # an array of Dual2s (dualnum/_hessian_array.pyx): its operators take over
    if isinstance(o, Number) or hasattr(o, "__dualnum_unary__"):
        raise _mismatch(o)
    return NotImplemented


cdef object _pair(Dual2 a, Dual2 b):
    if a is not None and b is not None:
        if a.tag != b.tag:
            raise ForeignNumber(
                "cannot combine second-order dual numbers seeded by different "
                "differentiation calls; nesting hessian calls is not supported in this "
                "version of dualnum")
        if a.n != b.n or a.along != b.along:
            raise ValueError(
                f"cannot combine second-order dual numbers with {a.n} and {b.n} variables")
    return None


cdef object _combine(double* p, Dual2 a, Dual2 b):
    if a is None:
        return _chain1(p[0], p[2], p[5], b)
    if b is None:
        return _chain1(p[0], p[1], p[3], a)
    return _chain2(p[0], p[1], p[2], p[3], p[4], p[5], a, b)


cdef tuple _operands(object a, object b, double* av, double* bv):
    """(a, b) as (Dual2 or None, Dual2 or None) with their values stored;
    None when an operand is neither a Dual2 nor a real number."""
    oa = _unpack(a, av)
    if oa is NotImplemented:
        return None
    ob = _unpack(b, bv)
    if ob is NotImplemented:
        return None
    _pair(oa, ob)
    return oa, ob


cdef object dual2_binary_call(object a, object b, Row row):
    cdef double av, bv
    cdef double p[6]
    pair = _operands(a, b, &av, &bv)
    if pair is None:
        return NotImplemented
    oa, ob = pair
    if row.check == CHECK_DIVISOR and bv == 0.0:
        row.reference(av, bv)
    jet_local_binary(row.taylor_binary, av, bv, oa is not None, ob is not None, p)
    if row.check == CHECK_FINITE and not isfinite(p[0]) and not (isnan(av) or isnan(bv)):
        raise_like(row.reference, (av, bv))
    return _combine(p, oa, ob)


def _identically_zero(Dual2 x):
    """x's value and every derivative are 0 (dualnum/_complex_constants.py)."""
    cdef Py_ssize_t i
    if x.val != 0.0:
        return False
    for i in range(_size(x.n, x.along)):
        if x.d[i] != 0.0:
            return False
    return True


cdef object _arith(object a, object b, int op):
    """+, -, *, / (op: an ARITH_* of _jets.pxd) with their partials written out."""
    cdef double av, bv
    cdef double p[6]
    pair = _operands(a, b, &av, &bv)
    if pair is None:
        # a complex constant where the result is real (dualnum/_complex_constants.py)
        real = real_operands(a, b, "+-*/"[op - 1], Dual2, _identically_zero)
        return NotImplemented if real is None else _arith(real[0], real[1], op)
    oa, ob = pair
    if op == ARITH_DIV and bv == 0.0:
        av / bv                                    # raises ZeroDivisionError
    local_partials(NULL, op, av, bv, oa is not None, ob is not None, p)
    return _combine(p, oa, ob)


# ------------------------------------------------------------ the type

cdef class Dual2(Number):
    """Dual2(value, gradient=(), hessian=None)

    A second-order dual number: a value with its gradient and Hessian with
    respect to n variables, all carried exactly through arithmetic and every
    dualnum function.  ``hessian(f, x)`` seeds one per variable.

    Parameters
    ----------
    value : real
    gradient : sequence of n reals, optional
    hessian : (n, n) array_like, optional
        Symmetric; zero if omitted.  Only the upper triangle is stored.

    Examples
    --------
    >>> from dualnum import Dual2, exp
    >>> x = Dual2(0.0, [1.0, 0.0])
    >>> y = Dual2(2.0, [0.0, 1.0])
    >>> h = exp(x) * y * y
    >>> h.gradient, h.hessian.tolist()
    ((4.0, 4.0), [[4.0, 4.0], [4.0, 2.0]])
    """

    def __init__(self, value, gradient=(), hessian=None):
        cdef double v
        cdef Py_ssize_t n, i, j, k
        if self.d != NULL:
            raise TypeError("dualnum.Dual2 is immutable")
        if not to_double(value, &v):
            raise TypeError(f"Dual2 value must be a real number, got {type(value).__name__}")
        if (not isinstance(gradient, (list, tuple, _ndarray, range, Sequence))
                or isinstance(gradient, (str, bytes, bytearray, memoryview))):
            raise TypeError(f"Dual2 gradient must be a sequence of reals, got {type(gradient).__name__}")
        g = np.array(gradient, dtype=np.float64).reshape(-1)
        n = g.shape[0]
        h = np.zeros((n, n)) if hessian is None else np.array(hessian, dtype=np.float64)
        if h.shape != (n, n):
            raise ValueError(f"Dual2 hessian must have shape ({n}, {n}), got {h.shape}")
        if not np.array_equal(h, h.T, equal_nan=True):
            raise ValueError("Dual2 hessian must be symmetric")
        self.val, self.n = v, n
        if _size(n, False) <= DUAL2_INLINE:
            self.d = self.inline_d
        else:
            self.heap = PyBytes_FromStringAndSize(NULL, _size(n, False) * sizeof(double))
            self.d = <double*> PyBytes_AS_STRING(self.heap)
        for i in range(n):
            self.d[i] = g[i]
        k = n
        for i in range(n):
            for j in range(i, n):
                self.d[k] = h[i, j]
                k += 1

    @property
    def value(self):
        """The value as a float."""
        return self.val

    @property
    def gradient(self):
        """The n first partial derivatives, as a tuple of floats."""
        return tuple([self.d[i] for i in range(self.n)])

    @property
    def hessian(self):
        """The (n, n) symmetric matrix of second partial derivatives (a new ndarray)."""
        if self.along:
            raise ValueError("this Dual2 (from hvp) carries H v, not the Hessian: see .hvp")
        return hessian_matrix(self)

    @property
    def hvp(self):
        """For a Dual2 made by hvp: (derivative along v, H v as a tuple)."""
        if not self.along:
            raise ValueError("this Dual2 carries the whole Hessian: see .hessian")
        return self.d[self.n], tuple([self.d[self.n + 1 + i] for i in range(self.n)])

    def __repr__(self):
        if self.along:
            return f"<Dual2 {self.val!r} with gradient {list(self.gradient)!r} and H v {self.hvp!r}>"
        return f"Dual2({self.val!r}, {list(self.gradient)!r}, {self.hessian.tolist()!r})"

    def __reduce__(self):
        if self.along:
            return (_rebuild_along, (self.val, self.gradient, self.hvp[0], self.hvp[1], self.tag))
        return (_rebuild, (self.val, self.gradient, self.hessian, self.tag))

    # ----- the primitives of the number protocol

    cdef double value_of(self) noexcept:
        return self.val

    cdef object unary(self, Row row):
        return dual2_unary_call(self, row)

    cdef object binary(self, Row row, object a, object b):
        if row.arith != 0 and row.arith != ARITH_POW:
            return _arith(a, b, row.arith)        # + - * /: partials written out
        return dual2_binary_call(a, b, row)

    cdef object flat(self, double value):
        return _chain1(value, 0.0, 0.0, self)


# (not @cython.freelist, which Cython gives no subclass: see dualnum/_number.pxd)
cdef Dual2 _TEMPLATE = Dual2.__new__(Dual2)
use_freelist(Dual2, _TEMPLATE)
assert sizeof(Dual2) == Dual2.__basicsize__


def _rebuild(value, gradient, hessian, tag):
    """Unpickle a Dual2."""
    cdef Dual2 r = Dual2(value, gradient, hessian)
    r.tag = tag
    return r


def _rebuild_along(value, gradient, slope, hv, tag):
    """Unpickle a Dual2 made by hvp."""
    cdef Py_ssize_t n = len(gradient), i
    cdef Dual2 r = dual2_new(value, n, tag, True)
    for i in range(n):
        r.d[i] = gradient[i]
        r.d[n + 1 + i] = hv[i]
    r.d[n] = slope
    return r


def hessian_matrix(Dual2 x):
    """The symmetric (n, n) Hessian of x as an ndarray."""
    cdef Py_ssize_t n = x.n, i, j, k = n
    out = np.empty((n, n))
    cdef double[:, ::1] view = out
    for i in range(n):
        for j in range(i, n):
            view[i, j] = view[j, i] = x.d[k]
            k += 1
    return out
