# cython: freethreading_compatible = False
"""Nested differentiation without perturbation confusion: the Nested number.

Every dual number carries the tag of the differentiation call that seeded
it, and tags grow: an inner call has a higher tag than the call around it.
When numbers of two calls meet (``derivative(lambda x: x * derivative(lambda
y: x + y, 1.0), 1.0)``: ``x + y``), the result belongs to the inner call and
its value and partials are numbers of the outer one -- a ``Nested`` number.
So each call reads only its own perturbation, and the example gives 1, not
the 2 of perturbation confusion.

Nested is a number of the protocol (dualnum/_number.pyx), which writes its
operators, comparisons and numpy protocols.  It knows no other number type:
it reads a Dual through the protocol's ``level`` and has results whose parts
are all floats made by a number it holds (``first_order``), so Dual
(dualnum/_core.pyx) builds on this module, not the other way round.

- A unary row: ``f(v + p e) = f(v) + f'(v) p e`` with f'(v) evaluated on the
  outer number v (for a Dual v = v0 + q e', f'(v) = f'(v0) + f''(v0) q e',
  the higher derivatives from the row's Taylor kernel, so any depth of
  nesting works).
- A binary row: the partial derivatives of ``RULES`` (one per row, below),
  expressions on numbers of the enclosing calls.

Nested numbers meet arrays elementwise, as numpy object arrays
(dualnum/_object_arrays.py).  They are Python objects: correct, not fast.
"""
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.math cimport M_LN2, copysign, isfinite, isnan, trunc

from dualnum._jets cimport JET_SCRATCH
from dualnum._number cimport Number, raise_like, to_double
from dualnum._table cimport Row, row as table_row

import numpy as np

from dualnum._elementary import log as _log, scalar_function as _scalar_function, sigmoid as _sigmoid
from dualnum._number import ON_NUMBER_FUNCTIONS as _ON_NUMBER_FUNCTIONS, SCIPY_RULES as _SCIPY_RULES
from dualnum._object_arrays import apply as _apply, is_dual_array as _is_dual_array
from dualnum._table import ROWS as _ROWS, SPECIAL_ROWS as _SPECIAL_ROWS

cdef object _ndarray = np.ndarray
cdef Row _NEG = table_row("negative")
# each row as a function of numbers of any kind (the module function dualnum.sin & co.)
cdef dict _FUNCTION = {r: _scalar_function((<Row> r).name) for r in _ROWS + _SPECIAL_ROWS}


# ------------------------------------------------------------ the parts

cdef tuple _level(object x):
    """(tag, value, partials) of x at its own call's level; tag 0 for plain numbers."""
    cdef tuple found
    if isinstance(x, Number):
        found = (<Number> x).level()
        if found is not None:
            return found
    return (0, x, [])


def level(x):
    """(tag, value, partials) of a dual number at its own call's level; (0, x, [])
    for a real number or a constant."""
    return _level(x)


def is_dual_number(x):
    """A first-order dual number of some call: a Dual or a Nested number."""
    return isinstance(x, Number) and (<Number> x).level() is not None


cdef double _innermost(object x) except? -1.0:
    """The plain float at the bottom of a (nested) dual number."""
    return (<Number> x).value_of() if isinstance(x, Number) else float(x)


cdef inline object _times(object c, object p):
    """c * p, except that an exact zero p stays zero (strong zeros, as in Dual)."""
    if type(p) is float and p == 0.0:
        return 0.0
    return c * p


cdef inline object _term(object g, object p):
    """g * p for a slope g (as _times; exact for g = +-1)."""
    if type(g) is float:
        if g == 1.0:
            return p
        if g == -1.0:
            return -p
    return _times(g, p)


cdef Nested _new(object value, list partials, unsigned long long tag):
    cdef Nested r = Nested.__new__(Nested)
    r.value = value
    r.partials = partials
    r.tag = tag
    r.innermost = _innermost(value)
    return r


cdef object _make(object value, list partials, unsigned long long tag, Number source):
    """A Dual when every part is a plain float (source, a number holding a Dual,
    makes it), else a Nested."""
    if type(value) is float and all([type(p) is float for p in partials]):
        return source.first_order(value, partials, tag)
    return _new(value, partials, tag)


# --------------------------------------------------------- unary rows

cdef list _taylor(Row row, double x, Py_ssize_t order):
    """[f(x), f'(x), ..., f^(order)(x)] from the row's Taylor kernel (math's
    errors where f(x) is not finite, as for a Jet)."""
    cdef Py_ssize_t n = order + 1, k
    cdef double factorial = 1.0
    cdef double* u = <double*> PyMem_Malloc((2 + JET_SCRATCH) * n * sizeof(double))
    if u == NULL:
        raise MemoryError()
    cdef double* w = u + n
    try:
        for k in range(n):
            u[k] = 0.0
        u[0] = x
        u[1] = 1.0                              # x + t
        row.taylor_unary(u, w, order, w + n)
        if row.reference is not None and not isfinite(w[0]) and not isnan(x):
            raise_like(row.reference, (x,))
        out = []
        for k in range(n):
            if k > 1:
                factorial *= k
            out.append(w[k] * factorial)
        return out
    finally:
        PyMem_Free(u)


cdef object _derivative_at(Row row, Py_ssize_t k, object v):
    """The k-th derivative (k >= 1) of the row's function at v (a float, Dual or Nested)."""
    cdef Nested nv
    if type(v) is Nested:
        nv = <Nested> v
        return _new(_derivative_at(row, k, nv.value),
                    [_times(_derivative_at(row, k + 1, nv.value), p) for p in nv.partials], nv.tag)
    if isinstance(v, Number):                   # a Dual
        tag, value, partials = (<Number> v).level()
        d = _taylor(row, value, k + 1)
        if not partials:
            return d[k]
        return (<Number> v).first_order(d[k], [_times(d[k + 1], p) for p in partials], tag)
    return _taylor(row, float(v), k)[k]


cdef object _unary(Row row, Nested x):
    if row is _NEG:
        return _new(-x.value, [-p for p in x.partials], x.tag)
    value = _FUNCTION[row](x.value)
    slope = _derivative_at(row, 1, x.value)
    return _make(value, [_times(slope, p) for p in x.partials], x.tag, x)


# -------------------------------------------------------- binary rows
# RULES: per binary row of the table, its partial derivatives (da, db) at
# (a, b), numbers of the enclosing calls, given the value f = a (row) b; None
# for an operand that cannot contribute.  b_varies is False when b is a
# constant of this call (a power then needs no log of its base).  The
# piecewise rules take their slopes at the innermost values, as the
# first-order rules do (dualnum/_rules.pxd).

def _add(a, b, f, b_varies): return 1.0, 1.0
def _subtract(a, b, f, b_varies): return 1.0, -1.0
def _multiply(a, b, f, b_varies): return b, a
def _divide(a, b, f, b_varies): return 1.0 / b, -(f / b)
def _floor_divide(a, b, f, b_varies): return None, None


def _power(a, b, f, b_varies):
    if not b_varies:
        return (0.0 if _innermost(b) == 0.0 else b * a ** (b - 1)), None
    return f * b / a, f * _log(a)


def _atan2(a, b, f, b_varies):                  # atan2(y = a, x = b)
    scale = a * a + b * b
    return b / scale, -(a / scale)


def _hypot(a, b, f, b_varies): return a / f, b / f
def _logaddexp(a, b, f, b_varies): return _sigmoid(a - b), _sigmoid(b - a)


def _maximum(a, b, f, b_varies):
    cdef double a0 = _innermost(a), b0 = _innermost(b)
    if isnan(a0) or isnan(b0):
        return float("nan"), float("nan")
    if a0 == b0:
        return 0.5, 0.5
    return (1.0, 0.0) if a0 > b0 else (0.0, 1.0)


def _minimum(a, b, f, b_varies):
    return _maximum(b, a, f, b_varies)        # a is the minimum where b is the maximum


def _fmax(a, b, f, b_varies):                   # as maximum, a nan operand ignored
    cdef double a0 = _innermost(a), b0 = _innermost(b)
    if isnan(a0) != isnan(b0):
        return (0.0, 1.0) if isnan(a0) else (1.0, 0.0)
    return _maximum(a, b, f, b_varies)


def _fmin(a, b, f, b_varies):
    return _fmax(b, a, f, b_varies)           # a is the fmin where b is the fmax


def _logaddexp2(a, b, f, b_varies): return _sigmoid((a - b) * M_LN2), _sigmoid((b - a) * M_LN2)
def _heaviside(a, b, f, b_varies): return None, (1.0 if _innermost(a) == 0.0 else None)


def _copysign(a, b, f, b_varies):
    return copysign(1.0, _innermost(a)) * copysign(1.0, _innermost(b)), None


def _fmod(a, b, f, b_varies): return 1.0, -trunc(_innermost(a) / _innermost(b))
def _remainder(a, b, f, b_varies): return 1.0, -(_innermost(a) // _innermost(b))


RULES = {table_row(name): rule for name, rule in [
    ("add", _add), ("subtract", _subtract), ("multiply", _multiply), ("divide", _divide),
    ("floor_divide", _floor_divide), ("remainder", _remainder), ("power", _power),
    ("pow", _power), ("atan2", _atan2), ("hypot", _hypot), ("logaddexp", _logaddexp),
    ("maximum", _maximum), ("minimum", _minimum), ("copysign", _copysign), ("fmod", _fmod),
    ("fmax", _fmax), ("fmin", _fmin), ("logaddexp2", _logaddexp2), ("heaviside", _heaviside),
]}


cdef list _partials(object ga, list ap, object gb, list bp):
    if ga is None and gb is None:
        return [0.0] * len(ap)
    if gb is None:
        return [_term(ga, x) for x in ap]
    if ga is None:
        return [_term(gb, y) for y in bp]
    return [_term(ga, x) + _term(gb, y) for x, y in zip(ap, bp)]


cdef object nested_binary(Row row, object a, object b):
    ta, av, ap = _level(a)
    tb, bv, bp = _level(b)
    tag = max(ta, tb)
    if ta != tag:                      # a is a constant of the inner call
        av, ap = a, [0.0] * len(bp)
    if tb != tag:
        bv, bp = b, [0.0] * len(ap)
    if len(ap) != len(bp):
        raise ValueError(f"cannot combine dual numbers with {len(ap)} and {len(bp)} partial derivatives")
    rule = RULES.get(row) or _SCIPY_RULES.get(row)
    if rule is None:
        raise TypeError(f"{row.name} is not supported on nested dual numbers")
    value = _FUNCTION[row](av, bv)
    b_varies = not all([type(y) is float and y == 0.0 for y in bp])
    ga, gb = rule(av, bv, value, b_varies)
    return _make(value, _partials(ga, ap, gb, bp), tag, a if isinstance(a, Number) else b)


# ---------------------------------------------------------------- the type

cdef class Nested(Number):
    """A dual number of one differentiation call whose value and partials are
    numbers of enclosing calls (plain floats, Duals or other Nested numbers).

    Made by dualnum when calls are nested; not usually constructed by hand.
    """

    __array_priority__ = 100

    def __init__(self, value, partials, tag):
        partials = list(partials)
        if type(value) is float and all([type(p) is float for p in partials]):
            raise TypeError("a Nested number holds a number of an enclosing call among its "
                            "parts; with floats only, it is a Dual")
        self.value = value
        self.partials = partials
        self.tag = tag
        self.innermost = _innermost(value)

    def __repr__(self):
        return f"Nested({self.value!r}, {self.partials!r}, tag={self.tag})"

    def __reduce__(self):
        return (Nested, (self.value, self.partials, self.tag))

    # ----- the primitives of the number protocol

    cdef double value_of(self) noexcept:
        return self.innermost

    cdef object unary(self, Row row):
        return _unary(row, self)

    cdef object binary(self, Row row, object a, object b):
        cdef double v
        other = b if a is self else a
        if isinstance(other, Number):
            if (<Number> other).level() is None:
                return NotImplemented           # a Jet or a Dual2: it refuses us
        elif to_double(other, &v):
            if a is self:
                b = v
            else:
                a = v
        elif isinstance(other, (_ndarray, list, tuple)) or _is_dual_array(other):
            return _apply(row.ufunc, "__call__", (a, b), {})   # elementwise, as numpy would
        else:
            return NotImplemented
        return nested_binary(row, a, b)

    cdef object flat(self, double value):
        inner = (<Number> self.value).flat(value) if isinstance(self.value, Number) else value
        return _make(inner, [0.0] * len(self.partials), self.tag, self)

    cdef tuple level(self):
        return (self.tag, self.value, self.partials)

    cdef object first_order(self, double value, list partials, unsigned long long tag):
        # the parts are not all floats (see __init__): one of them holds a Dual
        for part in [self.value, *self.partials]:
            if isinstance(part, Number):
                return (<Number> part).first_order(value, partials, tag)
        raise AssertionError("a Nested number without a number among its parts")

    cdef object ufunc_on_arrays(self, object ufunc, str method, tuple inputs, dict kwargs):
        return _apply(ufunc, method, inputs, kwargs)     # a DualObjects array

    # ----- other number kinds and arrays take part

    def __dualnum_unary__(self, str name):
        """The row name applied to this number (the mark of dualnum's dual numbers
        that the hessian's arrays refuse)."""
        return self.unary(table_row(name))

    def __array_function__(self, func, types, args, kwargs):
        """numpy functions on objects: a nested number meets the numbers of
        enclosing calls (Duals) there, and object arrays of them."""
        for t in types:
            if not (issubclass(t, Number) or issubclass(t, _ndarray)):
                return NotImplemented           # e.g. a DualArray: its handler decides
        own = _ON_NUMBER_FUNCTIONS.get(func)         # np.sinc
        if own is not None:
            return own(*args, **kwargs)
        return func._implementation(*args, **kwargs)
