# cython: freethreading_compatible = False
"""Compiled core of dualnum: the Dual number type.

Representation.  A Dual is ``value + sum_i partials[i] * eps_i`` with
``eps_i * eps_j = 0``: a C double value and a C array of n partials, one per
direction.  Several directions per number let ``gradient``/``jacobian``
evaluate f once per chunk of variables instead of once per variable, and they
are the same layout the dual array type uses (a trailing axis of k tangents).
Up to INLINE_PARTIALS partials live inside the object (no second allocation
on the common one-direction path); more go to the heap.  n == 0 is a constant.

Dual supplies the primitives of the number protocol (dualnum/_number.pyx):
a row of the function table (dualnum/_table.pyx) applied through its
first-order C rule.  Every Dual carries the *tag* of the differentiation call
that seeded it.  Combining duals with different tags must not mix unrelated
perturbations (the classic "perturbation confusion"): tags increase, so the
inner call of two nested ones has the higher tag, and such a combination is
handed to dualnum/_nested.pyx, which keeps the two perturbations apart.

A Dual and a complex number (``1j * x``) make a complex dual number of the
real path (dualnum/_complex_dual.pyx), on the slow path of a failed real
conversion, so the real paths pay nothing for it.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.math cimport isfinite, isnan

from dualnum._complex_dual cimport complex_binary
from dualnum._nested cimport nested_binary
from dualnum._number cimport Number, fresh, next_tag, raise_like, to_double, use_freelist
from dualnum._rules cimport _strong
from dualnum._table cimport CHECK_DIVISOR, CHECK_FINITE, Row

from collections.abc import Sequence

import numpy as np


cdef object _ndarray = np.ndarray
cdef tuple _COMPLEX_SCALARS = (complex, np.complexfloating)


# ------------------------------------------------------- building duals

cdef inline Dual _new(double val, Py_ssize_t n, unsigned long long tag):
    cdef Dual r = <Dual> fresh(Dual, _TEMPLATE, sizeof(Dual))
    r.val = val
    r.n = n
    r.tag = tag
    _allocate(r, n)
    return r


cdef inline int _allocate(Dual r, Py_ssize_t n) except -1:
    if n <= INLINE_PARTIALS:
        r.d = r.inline_d
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, n * sizeof(double))
        r.d = <double*> PyBytes_AS_STRING(r.heap)
    return 0


cdef Dual _scale(double f, Dual x, double g):
    """Dual with value f and partials g * x.partials (the chain rule of a unary f)."""
    cdef Py_ssize_t i
    cdef Dual r = _new(f, x.n, x.tag)
    if x.n == 1 and isfinite(g):      # a derivative's one direction: no loop
        r.d[0] = g * x.d[0]
    elif isfinite(g):
        for i in range(x.n):
            r.d[i] = g * x.d[i]
    else:
        for i in range(x.n):
            r.d[i] = _strong(g, x.d[i])
    return r


cdef int _check_compatible(Dual a, Dual b) except -1:
    if a.tag != b.tag:
        # (operators hand such pairs to dualnum/_nested.pyx before they get here;
        # what remains is a user-defined primitive's arguments)
        raise ValueError(
            "cannot combine dual numbers seeded by different differentiation calls in a "
            "user-defined primitive: nested differentiation through dualnum.primitive is "
            "not supported in this version of dualnum")
    if a.n != b.n:
        raise ValueError(
            f"cannot combine dual numbers with {a.n} and {b.n} partial derivatives")
    return 0


cdef Dual _combine(double f, Dual a, double ga, Dual b, double gb):
    """Dual with value f and partials ga * a.partials + gb * b.partials.

    a or b may be None (a plain number); a dual with no partials is a constant.
    """
    cdef Py_ssize_t i
    cdef Dual r
    cdef bint has_a = a is not None and a.n != 0
    cdef bint has_b = b is not None and b.n != 0
    if not has_b:
        return _scale(f, a, ga) if has_a else _new(f, 0, 0)
    if not has_a:
        return _scale(f, b, gb)
    if a.tag != b.tag or a.n != b.n:
        _check_compatible(a, b)
    r = _new(f, a.n, a.tag)
    if a.n == 1 and isfinite(ga) and isfinite(gb):     # a derivative's one direction
        r.d[0] = ga * a.d[0] + gb * b.d[0]
    elif isfinite(ga) and isfinite(gb):
        for i in range(a.n):
            r.d[i] = ga * a.d[i] + gb * b.d[i]
    else:
        for i in range(a.n):
            r.d[i] = _strong(ga, a.d[i]) + _strong(gb, b.d[i])
    return r


cdef inline object _unary(Dual x, Row row):
    cdef double g
    cdef double f = row.first_unary(x.val, &g)
    if not isfinite(f) and row.reference is not None and not isnan(x.val):
        raise_like(row.reference, (x.val,))
    return _scale(f, x, g)


cdef inline object _binary(object x, object y, Row row):
    """Apply a binary row to two operands of which at least one is a Dual.

    Returns NotImplemented when an operand is not a real number or a Dual.
    """
    # (the operands are read through casts, not typed locals, which would
    # cost a reference count per operation)
    cdef double xv, yv, gx, gy, f
    cdef bint x_dual = type(x) is Dual
    cdef bint y_dual = type(y) is Dual
    if x_dual:
        xv = (<Dual> x).val
    elif not to_double(x, &xv):
        return _complex_operand(row, x, y)
    if y_dual:
        yv = (<Dual> y).val
        if (x_dual and (<Dual> x).tag != (<Dual> y).tag
                and (<Dual> x).n != 0 and (<Dual> y).n != 0):
            # duals of two differentiation calls (a function differentiated inside
            # another closes over the outer variable): a number of the inner call
            # whose parts are duals of the outer one
            return nested_binary(row, x, y)
    elif not to_double(y, &yv):
        return _complex_operand(row, x, y)
    if row.check == CHECK_DIVISOR and yv == 0.0:
        row.reference(xv, yv)                         # raises ZeroDivisionError
    f = row.first_binary(xv, yv, &gx, &gy)
    if row.check == CHECK_FINITE and not isfinite(f) and not (isnan(xv) or isnan(yv)):
        raise_like(row.reference, (xv, yv))
    if not y_dual:
        return _combine(f, <Dual> x, gx, None, gy)
    if not x_dual:
        return _combine(f, None, gx, <Dual> y, gy)
    return _combine(f, <Dual> x, gx, <Dual> y, gy)


cdef object _complex_operand(Row row, object x, object y):
    """A Dual and a complex number make a complex dual number (the real path of
    dualnum/_complex_dual.pyx, which applies the row's complex kernel);
    NotImplemented for any other operand (e.g. a ComplexDual, whose reflected
    operator then runs)."""
    if not isinstance(x if type(x) is not Dual else y, _COMPLEX_SCALARS):
        return NotImplemented
    return complex_binary(row, x, y)


def _rebuild(value, partials, tag):
    """Unpickle a Dual (keeps every partial and the tag)."""
    cdef Dual r = Dual.__new__(Dual)
    _fill(r, value, partials)
    r.tag = tag
    return r


cdef int _fill(Dual r, object value, object partials) except -1:
    """Set a new Dual's value and partials from Python objects, checking them."""
    cdef double v, p
    cdef Py_ssize_t i
    if not to_double(value, &v):
        raise TypeError(f"Dual value must be a real number, got {type(value).__name__}")
    if to_double(partials, &p):
        items = (p,)
    elif (isinstance(partials, (list, tuple, _ndarray, range, Sequence))
          and not isinstance(partials, (str, bytes, bytearray, memoryview))):
        items = list(partials)
    else:
        raise TypeError(
            f"Dual partials must be a real number or a sequence of real numbers, "
            f"got {type(partials).__name__}")
    for i in range(len(items)):
        if not to_double(items[i], &p):
            raise TypeError(
                f"Dual partials must be real numbers, got {type(items[i]).__name__} "
                f"at position {i}")
    r.val = v
    r.n = len(items)
    _allocate(r, r.n)
    for i in range(r.n):
        to_double(items[i], &r.d[i])
    return 0


# ---------------------------------------------------------------- the type

cdef class Dual(Number):
    """Dual(value, partials=())

    A dual number ``value + sum_i partials[i]*eps_i`` (``eps_i*eps_j = 0``):
    arithmetic and every dualnum function carry exact partial derivatives.

    Parameters
    ----------
    value : real
    partials : real or sequence of reals, optional
        One real for a single direction, a sequence for several; empty for a
        constant.

    Notes
    -----
    Duals are immutable.  Comparisons, ``hash`` and ``bool`` act on the value
    (so branches behave as on floats and ``hash(d) == hash(d.value)``).
    There is no float conversion: ``float(d)`` and ``math.sin(d)`` raise
    TypeError, use ``dualnum.sin`` and ``d.value``.

    Examples
    --------
    >>> from dualnum import Dual, sin
    >>> x = Dual(0.0, 1.0)
    >>> sin(x) * 3 + x
    Dual(0.0, 4.0)
    """

    def __init__(self, value, partials=()):
        if self.d != NULL:
            raise TypeError("dualnum.Dual is immutable")
        _fill(self, value, partials)

    @property
    def value(self):
        """The value (real part) as a float."""
        return self.val

    @property
    def partials(self):
        """The partial derivatives, one per direction, as a tuple of floats."""
        return tuple([self.d[i] for i in range(self.n)])

    # ----- the primitives of the number protocol

    cdef double value_of(self) noexcept:
        return self.val

    cdef object unary(self, Row row):
        return _unary(self, row)

    cdef object binary(self, Row row, object a, object b):
        return _binary(a, b, row)

    cdef object flat(self, double value):
        return _scale(value, self, 0.0)

    cdef tuple level(self):
        if self.n == 0:
            return (0, self.val, [])
        return (self.tag, self.val, [self.d[i] for i in range(self.n)])

    cdef object first_order(self, double value, list partials, unsigned long long tag):
        cdef Py_ssize_t i
        cdef Dual r = _new(value, len(partials), tag)
        for i in range(r.n):
            r.d[i] = partials[i]
        return r

    # ----- representation, pickling

    def __repr__(self):
        return _render(self, repr)

    def __format__(self, str spec):
        """Apply a float format to the value and every partial: f"{d:.3f}"."""
        if not spec:
            return repr(self)
        return _render(self, lambda v: format(v, spec))

    def __reduce__(self):
        return (_rebuild, (self.val, self.partials, self.tag))


# (not @cython.freelist, which Cython gives no subclass: see dualnum/_number.pxd)
cdef Dual _TEMPLATE = Dual.__new__(Dual)
use_freelist(Dual, _TEMPLATE)
assert sizeof(Dual) == Dual.__basicsize__


cdef str _render(Dual d, object fmt):
    """Dual(v), Dual(v, p) or Dual(v, (p1, p2, ...)): the constructor's syntax."""
    if d.n == 0:
        return f"Dual({fmt(d.val)})"
    if d.n == 1:
        return f"Dual({fmt(d.val)}, {fmt(d.d[0])})"
    return f"Dual({fmt(d.val)}, ({', '.join([fmt(d.d[i]) for i in range(d.n)])}))"


# ------------- the scalar seed, and Duals from their parts (for the layers above)

cdef inline Dual _seed_scalar(double x, unsigned long long tag):
    """x + eps: the input of a first derivative (nan and inf propagate, as on floats)."""
    cdef Dual s = _new(x, 1, tag)
    s.d[0] = 1.0
    return s


def scalar_seed(double x):
    """x + eps with a fresh tag: the input of a first derivative."""
    return _seed_scalar(x, next_tag())


cdef Dual make_dual(double value, const double* partials, Py_ssize_t stride,
                    Py_ssize_t n, unsigned long long tag):
    cdef Py_ssize_t i
    cdef Dual r = _new(value, n, tag)
    for i in range(n):
        r.d[i] = partials[i * stride]
    return r


def dual_from(double value, const double[:] partials, unsigned long long tag):
    """A Dual with the given value, partials (a float64 array) and tag."""
    cdef Py_ssize_t i
    cdef Dual r = _new(value, partials.shape[0], tag)
    for i in range(r.n):
        r.d[i] = partials[i]
    return r


def dual_parts(Dual d):
    """(value, partials as a float64 array, tag) of a Dual."""
    return d.val, np.array([d.d[i] for i in range(d.n)], dtype=np.float64), d.tag


def lift(double value, tuple duals, tuple gradients):
    """A Dual with the given value and partials sum_i gradients[i] * duals[i].partials.

    This is the chain rule of a user-defined primitive: the primitive computed
    its value and local partial derivatives with plain floats; ``lift``
    attaches the derivative of its dual arguments (plain numbers in ``duals``
    contribute nothing).
    """
    cdef Dual acc = _new(value, 0, 0)
    cdef Py_ssize_t i
    cdef double g
    if len(duals) != len(gradients):
        raise ValueError("lift() needs one gradient per argument")
    for i in range(len(duals)):
        if type(duals[i]) is Dual:
            if not to_double(gradients[i], &g):
                raise TypeError(
                    f"a partial derivative must be a real number, got "
                    f"{type(gradients[i]).__name__} for argument {i}")
            acc = _combine(value, acc, 1.0, <Dual> duals[i], g)
    return acc
