# cython: freethreading_compatible = False
"""ComplexDual: the complex dual number, a sibling of Dual on the number protocol.

``value + sum_i partials[i] eps_i`` with a complex value and complex
partials, the tag of its differentiation call and its *mode*:

- **holomorphic mode**: the call was seeded at a complex point
  (``derivative(f, 1 + 1j)``); the partials are complex derivatives d/dz,
  so only holomorphic operations are defined: arithmetic and the rows of
  the function table with a complex kernel (its complex column,
  dualnum/_complex_rules.pxd).  ``abs``, ``conj``/``conjugate``, ``.real``,
  ``.imag``, ``np.angle``, ordering comparisons and rounding raise a
  TypeError that says so and what to do instead.
- **real path**: a complex intermediate of a call seeded at real points
  (``dn.exp(1j * x)`` for a real Dual x); each partial is dRe + i dIm, so
  every operation is defined: the holomorphic rows by the chain rule, and
  ``.real``, ``.imag``, ``abs`` (``np.abs``), ``np.angle`` give real Duals,
  ``conj`` a ComplexDual.  At z = 0, ``abs`` takes the unit phase 1, so
  d|z| = Re dz (the real rule's abs'(0) = 1), and ``angle`` has derivative 0.

Values are numpy's complex128 values (npymath, dualnum/_complex_rules.pxd),
with numpy's branch cuts; dividing by a zero ComplexDual raises
ZeroDivisionError, as for Python's complex.  A real Dual meets a complex
number (``1j * x``) through its slow path (dualnum/_core.pyx), which
hands the operation here.  This module sits below Dual's, as nesting does:
it reads a Dual through the number protocol (``level``) and makes the real
path's real results with the Dual that met the complex number
(``first_order``), so nothing imports in a circle.

ComplexDuals are first order and do not nest: numbers of two
differentiation calls raise ValueError.  ``==`` and ``!=`` compare values as
for complex numbers (``hash`` is the value's); ``<`` and the other orderings
raise TypeError, as for complex numbers.
"""
import math

import numpy as np

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.complex cimport PyComplex_FromDoubles
from libc.math cimport atan2, hypot

from dualnum._complex cimport cplx, cnum, cadd, cmul_strong, cis_zero
from dualnum._number cimport Number, next_tag, to_double
from dualnum._table cimport CHECK_DIVISOR, Row, row as table_row

cdef Row _ABS = table_row("absolute")
cdef tuple _COMPLEX_TYPES = (complex, np.complexfloating)

NOT_HOLOMORPHIC = (
    "{} of a complex dual number seeded at a complex point is not holomorphic: it has no "
    "complex derivative d/dz.  Differentiate the real and imaginary parts as functions of "
    "real variables instead, e.g. dualnum.jacobian(lambda v: f(v[0] + 1j * v[1]), "
    "[z.real, z.imag])")
_NO_KERNEL = (
    "dualnum.{0} of a complex number is not supported: the function table has no complex "
    "rule for {0} (it is not holomorphic, or numpy has no complex {0}); apply it to the "
    "real and imaginary parts (.real, .imag) of a real path's complex number instead")
_TWO_CALLS = (
    "complex dual numbers of two differentiation calls cannot be combined: complex duals are "
    "first order and do not nest (differentiate the real and imaginary parts as real "
    "functions for nested derivatives)")
_SIZES = "cannot combine complex dual numbers with {} and {} partial derivatives"


# ------------------------------------------------------- building them

cdef ComplexDual _new(cplx val, Py_ssize_t n, unsigned long long tag, bint holomorphic):
    cdef ComplexDual r = ComplexDual.__new__(ComplexDual)
    r.val = val
    r.n = n
    r.tag = tag if n else 0
    r.holo = holomorphic and n != 0
    if n <= 1:
        r.d = r.inline_d
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, n * sizeof(cplx))
        r.d = <cplx*> PyBytes_AS_STRING(r.heap)
    return r


cdef inline cplx _as_cplx(object z):
    z = complex(z)
    return cnum(z.real, z.imag)


cdef inline object _py(cplx z):
    # not complex(re, im), which Cython builds as re + im * I: nan from inf * 0
    return PyComplex_FromDoubles(z.re, z.im)


# An operand of an operation: a ComplexDual, a real dual number (read as a
# ComplexDual of the real path: its partials are dRe + i 0) or a real or
# complex constant.
cdef struct Operand:
    cplx val
    const cplx* d                    # the partials (NULL for a constant)
    Py_ssize_t n
    unsigned long long tag
    bint holomorphic


cdef ComplexDual _of_real(Number o):
    """A real dual number as a ComplexDual of the real path, or None for a
    number that takes no part (a Jet, a Dual2, a nested number)."""
    cdef tuple level = o.level()
    cdef Py_ssize_t i
    if level is None or type(level[1]) is not float:
        return None
    tag, value, partials = level
    cdef ComplexDual r = _new(cnum(value, 0.0), len(partials), tag, False)
    for i in range(r.n):
        if type(partials[i]) is not float:
            return None
        r.d[i] = cnum(partials[i], 0.0)
    r.real_kind = o
    return r


cdef bint _operand(object o, Operand* out, list keep) except -1:
    """Read o into out (keep holds what out points into); False for an
    operand that is no number of these kinds."""
    cdef double v
    cdef ComplexDual z
    out.d = NULL
    out.n = 0
    out.tag = 0
    out.holomorphic = False
    if type(o) is not ComplexDual and isinstance(o, Number):
        o = _of_real(<Number> o)
        if o is None:
            return False
        keep.append(o)
    if type(o) is ComplexDual:
        z = <ComplexDual> o
        out.val = z.val
        out.d = z.d
        out.n = z.n
        out.tag = z.tag
        out.holomorphic = z.holo
    elif to_double(o, &v):
        out.val = cnum(v, 0.0)
    elif isinstance(o, _COMPLEX_TYPES):
        out.val = _as_cplx(o)
    else:
        return False
    return True


cdef inline Number _real_kind(object a, object b):
    """The real number of the call that a result keeps (see ComplexDual.real_kind)."""
    for o in (a, b):
        if isinstance(o, Number):
            if type(o) is not ComplexDual:
                return <Number> o
            if (<ComplexDual> o).real_kind is not None:
                return (<ComplexDual> o).real_kind
    return None


cdef object _binary(Row row, object a, object b):
    """The row applied to (a, b), at least one a ComplexDual or a complex number
    with a Dual; NotImplemented for an unknown operand."""
    cdef Operand x, y
    cdef cplx gx, gy, f, acc
    cdef Py_ssize_t i, n
    cdef list keep = []
    if not _operand(a, &x, keep) or not _operand(b, &y, keep):
        return NotImplemented
    if row.holomorphic_binary == NULL:
        raise TypeError(_NO_KERNEL.format(row.name))
    if x.n != 0 and y.n != 0:
        if x.tag != y.tag:
            raise ValueError(_TWO_CALLS)
        if x.n != y.n:
            raise ValueError(_SIZES.format(x.n, y.n))
    if row.check == CHECK_DIVISOR and cis_zero(y.val):
        raise ZeroDivisionError("complex division by zero")
    f = row.holomorphic_binary(x.val, y.val, &gx, &gy)
    n = x.n if x.n != 0 else y.n
    cdef ComplexDual r = _new(f, n, x.tag if x.n != 0 else y.tag, x.holomorphic or y.holomorphic)
    for i in range(n):
        acc = cnum(0.0, 0.0)
        if x.n != 0:
            acc = cmul_strong(gx, x.d[i])
        if y.n != 0:
            acc = cadd(acc, cmul_strong(gy, y.d[i]))
        r.d[i] = acc
    if not r.holo:
        r.real_kind = _real_kind(a, b)
    return r


cdef object complex_binary(Row row, object a, object b):
    return _binary(row, a, b)


cdef object _unary(ComplexDual x, Row row):
    cdef cplx g, f
    cdef Py_ssize_t i
    if row.holomorphic_unary == NULL:
        if row is _ABS:
            return x._abs()
        raise TypeError(_NO_KERNEL.format(row.name))
    f = row.holomorphic_unary(x.val, &g)
    cdef ComplexDual r = _new(f, x.n, x.tag, x.holo)
    for i in range(x.n):
        r.d[i] = cmul_strong(g, x.d[i])
    r.real_kind = x.real_kind
    return r


cdef int _holomorphic_only(ComplexDual z, str what) except -1:
    """The TypeError of a non-holomorphic operation in holomorphic mode."""
    if z.holo:
        raise TypeError(NOT_HOLOMORPHIC.format(what))
    return 0


cdef object _real_number(ComplexDual z, double value, list partials):
    """A real result of the real path: a Dual of z's call (made by the Dual
    that met a complex number), a float for a constant."""
    if z.n == 0:
        return value
    if z.real_kind is None:
        raise TypeError("a ComplexDual made by hand has no real dual numbers to give its real "
                        "parts: make it as 1j * x of a dualnum.Dual x")
    return z.real_kind.first_order(value, partials, z.tag)


# ---------------------------------------------------------------- the type

cdef class ComplexDual(Number):
    """ComplexDual(value, partials=(), holomorphic=False)

    A complex dual number: a complex value and complex partial derivatives
    (see the module docstring for the two modes).  Made by the API at complex
    points (holomorphic mode) and by a real Dual meeting a complex number (the
    real path); made by hand, it is a constant's or a seed's stand-in.

    Parameters
    ----------
    value : complex
    partials : complex or sequence of complex, optional
    holomorphic : bool, optional
        True: a number of a call seeded at a complex point, on which only
        holomorphic operations are defined.

    Examples
    --------
    >>> import dualnum as dn
    >>> z = dn.ComplexDual(1 + 1j, 1.0, holomorphic=True)
    >>> z * z
    ComplexDual(2j, (2+2j), holomorphic=True)
    >>> x = dn.Dual(0.5, 1.0)
    >>> dn.exp(1j * x).imag
    Dual(0.479425538604203, 0.8775825618903728)
    """

    def __init__(self, value, partials=(), holomorphic=False):
        if self.d != NULL:
            raise TypeError("dualnum.ComplexDual is immutable")
        _fill(self, value, partials, holomorphic)

    @property
    def value(self):
        """The value as a Python complex."""
        return _py(self.val)

    @property
    def partials(self):
        """The partial derivatives, one per direction, as a tuple of complex."""
        return tuple([_py(self.d[i]) for i in range(self.n)])

    @property
    def holomorphic(self):
        """True in holomorphic mode (seeded at a complex point), False on a real path."""
        return bool(self.holo)

    # ----- the primitives of the number protocol

    cdef double value_of(self) noexcept:
        return self.val.re

    cdef object unary(self, Row row):
        return _unary(self, row)

    cdef object binary(self, Row row, object a, object b):
        return _binary(row, a, b)

    cdef object flat(self, double value):
        return _new(cnum(value, 0.0), 0, 0, False)

    cdef bint is_complex(self) noexcept:
        return True

    # ----- what complex numbers have: the real path's non-holomorphic parts

    @property
    def real(self):
        """The real part: a real Dual (real path only)."""
        _holomorphic_only(self, ".real")
        return _real_number(self, self.val.re, [self.d[i].re for i in range(self.n)])

    @property
    def imag(self):
        """The imaginary part: a real Dual (real path only)."""
        _holomorphic_only(self, ".imag")
        return _real_number(self, self.val.im, [self.d[i].im for i in range(self.n)])

    def conjugate(self):
        """The complex conjugate, conj(z) with partials conj(dz) (real path only)."""
        _holomorphic_only(self, "conj")
        cdef Py_ssize_t i
        cdef ComplexDual r = _new(cnum(self.val.re, -self.val.im), self.n, self.tag, False)
        for i in range(self.n):
            r.d[i] = cnum(self.d[i].re, -self.d[i].im)
        r.real_kind = self.real_kind
        return r

    def conj(self):
        """The complex conjugate (as conjugate)."""
        return self.conjugate()

    def _abs(self):
        """|z| as a real Dual: d|z| = Re(conj(z) dz)/|z|, Re dz at z = 0."""
        _holomorphic_only(self, "abs")
        cdef Py_ssize_t i
        cdef double size = hypot(self.val.re, self.val.im)
        cdef double c = 1.0, s = 0.0            # the unit phase conj(z)/|z|; 1 at 0
        if size != 0.0:
            c = self.val.re / size
            s = self.val.im / size
        return _real_number(self, size, [c * self.d[i].re + s * self.d[i].im
                                         for i in range(self.n)])

    def angle(self, deg=False):
        """arg z as a real Dual: ``d arg z = Im(conj(z) dz) / abs(z)**2``, 0 at
        z = 0 (``deg``: in degrees, as numpy.angle); real path only."""
        _holomorphic_only(self, "angle")
        cdef Py_ssize_t i
        cdef double size2 = self.val.re * self.val.re + self.val.im * self.val.im
        cdef double scale = 180.0 / math.pi if deg else 1.0
        return _real_number(self, scale * atan2(self.val.im, self.val.re), [
            0.0 if size2 == 0.0 else
            scale * (self.val.re * self.d[i].im - self.val.im * self.d[i].re) / size2
            for i in range(self.n)])

    # ----- comparisons, hash, truth and rounding as for complex numbers

    def __richcmp__(self, other, int op):
        cdef Operand o
        cdef list keep = []
        if op != 2 and op != 3:
            raise TypeError(f"'{['<', '<=', '==', '!=', '>', '>='][op]}' is not supported "
                            "for complex dual numbers (complex numbers are not ordered)")
        if not _operand(other, &o, keep):
            return NotImplemented
        equal = self.val.re == o.val.re and self.val.im == o.val.im
        return equal if op == 2 else not equal

    def __hash__(self):
        return hash(_py(self.val))

    def __bool__(self):
        return not cis_zero(self.val)

    def __round__(self, ndigits=None):
        raise TypeError("complex dual numbers cannot be rounded (complex numbers are not ordered)")

    def rint(self):
        """Refused: rounding a complex number is not differentiable."""
        raise TypeError("numpy.rint of a complex dual number is not supported")

    def sign(self):
        """Refused: numpy's complex sign is not holomorphic."""
        raise TypeError("numpy.sign of a complex dual number is not supported")

    # ----- representation, pickling

    def __repr__(self):
        if self.n == 0:
            text = f"ComplexDual({self.value!r}"
        elif self.n == 1:
            text = f"ComplexDual({self.value!r}, {self.partials[0]!r}"
        else:
            text = f"ComplexDual({self.value!r}, {self.partials!r}"
        return text + (", holomorphic=True)" if self.holo else ")")

    def __reduce__(self):
        return (_rebuild, (self.value, self.partials, self.tag, bool(self.holo)))


cdef int _fill(ComplexDual r, object value, object partials, bint holomorphic) except -1:
    if not isinstance(value, (int, float, complex, np.number)) or isinstance(value, bool):
        raise TypeError(f"ComplexDual value must be a complex number, got {type(value).__name__}")
    if isinstance(partials, (int, float, complex, np.number)):
        items = [partials]
    elif isinstance(partials, (list, tuple, np.ndarray, range)):
        items = list(np.asarray(partials).reshape(-1)) if isinstance(partials, np.ndarray) \
            else list(partials)
    else:
        raise TypeError(f"ComplexDual partials must be a complex number or a sequence of them, "
                        f"got {type(partials).__name__}")
    for i, item in enumerate(items):
        if not isinstance(item, (int, float, complex, np.number)):
            raise TypeError(f"ComplexDual partials must be complex numbers, got "
                            f"{type(item).__name__} at position {i}")
    r.val = _as_cplx(value)
    r.n = len(items)
    r.holo = holomorphic and r.n != 0
    if r.n <= 1:
        r.d = r.inline_d
    else:
        r.heap = PyBytes_FromStringAndSize(NULL, r.n * sizeof(cplx))
        r.d = <cplx*> PyBytes_AS_STRING(r.heap)
    for i in range(r.n):
        r.d[i] = _as_cplx(items[i])
    return 0


def _rebuild(value, partials, tag, holomorphic):
    """Unpickle a ComplexDual (keeps every partial, the tag and the mode)."""
    cdef ComplexDual r = ComplexDual.__new__(ComplexDual)
    _fill(r, value, partials, holomorphic)
    r.tag = tag
    return r


# ------------------------------------------------ seeds for the API

def complex_seed(z):
    """z + eps in holomorphic mode with a fresh tag: the input of a complex derivative."""
    cdef ComplexDual s = _new(_as_cplx(z), 1, next_tag(), True)
    s.d[0] = cnum(1.0, 0.0)
    return s


def complex_from(value, partials, unsigned long long tag, bint holomorphic, real_kind=None):
    """A ComplexDual with the given value, partials (a complex128 array), tag
    and mode; ``real_kind``: a Dual of the call, for the real path's real results."""
    cdef Py_ssize_t i
    cdef ComplexDual r = _new(_as_cplx(value), len(partials), tag, holomorphic)
    for i in range(r.n):
        r.d[i] = _as_cplx(partials[i])
    if not r.holo:
        r.real_kind = real_kind
    return r


def complex_parts(ComplexDual z):
    """(value, partials as a complex128 array, tag) of a ComplexDual."""
    return z.value, np.array(z.partials, dtype=np.complex128), z.tag


# ------------------------------------- the complex column on arrays

cdef inline double[:, ::1] _pairs(object a):
    """A C-contiguous complex128 array as its (re, im) pairs."""
    return a.reshape(-1).view(np.float64).reshape(-1, 2)


def holomorphic_unary(Row row, z):
    """(f(z), f'(z)) elementwise for complex128 values z, by the row's complex
    kernel in a C loop (the complex arrays' elementwise rules, so that each
    rule is written once); None for a row without one."""
    cdef cplx f, g
    cdef Py_ssize_t i
    if row.holomorphic_unary == NULL:
        return None
    z = np.array(z, dtype=np.complex128, order="C")         # (keeps a 0-d shape)
    value, slope = np.empty_like(z), np.empty_like(z)
    cdef double[:, ::1] zs = _pairs(z), vs = _pairs(value), ss = _pairs(slope)
    with nogil:
        for i in range(zs.shape[0]):
            f = row.holomorphic_unary(cnum(zs[i, 0], zs[i, 1]), &g)
            vs[i, 0], vs[i, 1], ss[i, 0], ss[i, 1] = f.re, f.im, g.re, g.im
    return value, slope


def holomorphic_binary(Row row, u, v):
    """(f(u, v), df/du, df/dv) elementwise for complex128 values u and v
    (broadcast together), by the row's complex kernel in a C loop; None for
    a row without one."""
    cdef cplx f, gu, gv
    cdef Py_ssize_t i
    if row.holomorphic_binary == NULL:
        return None
    u, v = np.broadcast_arrays(np.asarray(u, dtype=np.complex128),
                               np.asarray(v, dtype=np.complex128))
    u, v = np.array(u, order="C"), np.array(v, order="C")   # copies: broadcast views repeat items
    value, du, dv = np.empty_like(u), np.empty_like(u), np.empty_like(u)
    cdef double[:, ::1] us = _pairs(u), ws = _pairs(v), vs = _pairs(value)
    cdef double[:, ::1] dus = _pairs(du), dvs = _pairs(dv)
    with nogil:
        for i in range(us.shape[0]):
            f = row.holomorphic_binary(cnum(us[i, 0], us[i, 1]), cnum(ws[i, 0], ws[i, 1]), &gu, &gv)
            vs[i, 0], vs[i, 1] = f.re, f.im
            dus[i, 0], dus[i, 1], dvs[i, 0], dvs[i, 1] = gu.re, gu.im, gv.re, gv.im
    return value, du, dv
