# cython: freethreading_compatible = False
"""Compiled core of dualnum: the Dual number type and the elementary functions.

Representation.  A Dual is ``value + sum_i partials[i] * eps_i`` with
``eps_i * eps_j = 0``: a C double value and a C array of n partials, one per
direction.  Several directions per number let ``gradient``/``jacobian``
evaluate f once per chunk of variables instead of once per variable, and they
are the same layout the dual array type uses (a trailing axis of k tangents).
Up to INLINE_PARTIALS partials live inside the object (no second allocation
on the common one-direction path); more go to the heap.  n == 0 is a constant.

Every Dual carries the *tag* of the differentiation call that seeded it.
Combining duals with different tags must not mix unrelated perturbations
(the classic "perturbation confusion"): tags increase, so the inner call of
two nested ones has the higher tag, and such a combination is handed to
dualnum.nesting, which keeps the two perturbations apart.  Higher orders are
separate types driven by the same rules: truncated Taylor series
(dualnum/_taylor.pyx) and second-order duals (dualnum/_second.pyx); the
function table below dispatches to them.
"""

cimport cython
from cpython.float cimport PyFloat_AS_DOUBLE
from cpython.object cimport PyObject_RichCompare
from cpython.long cimport PyLong_AsDouble
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from libc.math cimport isfinite, isnan

from dualnum._rules cimport (
    _strong, unary_rule, binary_rule,
    sin_rule, cos_rule, tan_rule, asin_rule, acos_rule, atan_rule, sinh_rule,
    cosh_rule, tanh_rule, asinh_rule, acosh_rule, atanh_rule, exp_rule, exp2_rule,
    expm1_rule, log_rule, log2_rule, log10_rule, log1p_rule, sqrt_rule, cbrt_rule,
    fabs_rule, erf_rule, erfc_rule, gamma_rule, lgamma_rule, floor_rule, ceil_rule,
    trunc_rule, degrees_rule, radians_rule, sigmoid_rule, softplus_rule, relu_rule,
    neg_rule, add_rule, sub_rule, mul_rule, div_rule, floordiv_rule, mod_rule,
    pow_rule, atan2_rule, hypot_rule, copysign_rule, fmod_rule, logaddexp_rule,
    maximum_rule, minimum_rule,
)

from dualnum._taylor cimport Jet, JetCheck, jet_unary_call, jet_binary_call, next_tag
from dualnum._second cimport Dual2, dual2_unary_call, dual2_binary_call
from dualnum._jets cimport (
    jet_unary, jet_binary,
    jet_exp, jet_expm1, jet_exp2, jet_log, jet_log1p, jet_log2, jet_log10, jet_sqrt, jet_cbrt,
    jet_sin, jet_cos, jet_tan, jet_asin, jet_acos, jet_atan, jet_sinh, jet_cosh, jet_tanh,
    jet_asinh, jet_acosh, jet_atanh, jet_erf, jet_erfc, jet_gamma, jet_lgamma, jet_sigmoid,
    jet_softplus, jet_fabs, jet_relu, jet_floor, jet_ceil, jet_trunc, jet_degrees,
    jet_radians, jet_pow, jet_atan2, jet_hypot, jet_copysign, jet_fmod, jet_logaddexp,
    jet_maximum, jet_minimum,
)

import math
import numbers
import operator
from collections.abc import Sequence

import numpy as np

cdef object _ndarray = np.ndarray
cdef object _np_generic = np.generic
# real scalars accepted beside int/float: numpy scalars, Fraction and any numbers.Real
cdef tuple _REAL_TYPES = (np.floating, np.integer, np.bool_, numbers.Real)

# float references that raise the errors floats raise (looked up once, not per call)
cdef object _op_truediv = operator.truediv
cdef object _op_floordiv = operator.floordiv
cdef object _op_mod = operator.mod
cdef object _op_pow = operator.pow

cdef enum Check:
    NO_CHECK = 0          # operation never raises on floats (+, -, *)
    CHECK_DIVISOR = 1     # floats raise ZeroDivisionError on a zero divisor
    CHECK_FINITE = 2      # a non-finite result may be a math domain/range error


# ------------------------------------------------------------------- tags

cdef inline unsigned long long _next_tag() noexcept:
    return next_tag()          # one counter for Duals and Jets (dualnum/_taylor.pyx)


def new_tag():
    """Return a fresh tag for one differentiation call (64 bits: never wraps)."""
    return _next_tag()


# ------------------------------------------------------- building duals

cdef inline Dual _new(double val, Py_ssize_t n, unsigned long long tag):
    cdef Dual r = Dual.__new__(Dual)
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


cdef inline bint _to_double(object o, double* out) except -1:
    """Store o as a C double if it is a real number (not a Dual); else return False."""
    if type(o) is float:
        out[0] = PyFloat_AS_DOUBLE(o)
        return True
    if type(o) is int:
        out[0] = PyLong_AsDouble(o)
        return True
    if _is_real(o):                            # bool, numpy scalars, Fraction...
        out[0] = float(o)
        return True
    return False


cdef inline bint _is_real(object o):
    """True for a real number other than a Dual (int, float, bool, numpy real, Fraction...)."""
    return isinstance(o, (float, int)) or (isinstance(o, _REAL_TYPES) and type(o) is not Dual)


cdef Dual _scale(double f, Dual x, double g):
    """Dual with value f and partials g * x.partials (the chain rule of a unary f)."""
    cdef Py_ssize_t i
    cdef Dual r = _new(f, x.n, x.tag)
    if isfinite(g):
        for i in range(x.n):
            r.d[i] = g * x.d[i]
    else:
        for i in range(x.n):
            r.d[i] = _strong(g, x.d[i])
    return r


cdef int _check_compatible(Dual a, Dual b) except -1:
    if a.tag != b.tag:
        # (operators hand such pairs to dualnum.nesting before they get here;
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
    _check_compatible(a, b)
    r = _new(f, a.n, a.tag)
    if isfinite(ga) and isfinite(gb):
        for i in range(a.n):
            r.d[i] = ga * a.d[i] + gb * b.d[i]
    else:
        for i in range(a.n):
            r.d[i] = _strong(ga, a.d[i]) + _strong(gb, b.d[i])
    return r


cdef int _raise_like(object ref, tuple args) except -1:
    """Evaluate the float reference so it raises what math / float would.

    Called only for a non-finite result; a reference that returns quietly (e.g.
    inf * 2) means floats accept this case too.  A complex result (a negative
    base to a fractional power) is a domain error for a real dual number.
    """
    if isinstance(ref(*args), complex):
        raise ValueError("math domain error")
    return 0


cdef object _unary(Dual x, unary_rule rule, object ref):
    cdef double g
    cdef double f = rule(x.val, &g)
    if ref is not None and not isfinite(f) and not isnan(x.val):
        _raise_like(ref, (x.val,))
    return _scale(f, x, g)


# ------------------------------------------------------------------- nesting
# Duals of two differentiation calls meet when a function differentiated
# inside another closes over the outer variable.  dualnum.nesting (Python)
# then builds a number of the inner call whose parts are duals of the outer
# one; it registers these hooks at import.

cdef object _NESTED_BINARY = None     # (operation name, x, y) -> result
cdef object _NESTED_TYPE = None


def register_nesting(nested_type, binary):
    global _NESTED_TYPE, _NESTED_BINARY
    _NESTED_TYPE, _NESTED_BINARY = nested_type, binary
    return _UFUNCS                    # the nested type takes the same ufunc table


cdef object _nested_binary(binary_rule rule, object x, object y):
    cdef str name
    if rule == add_rule:
        name = "add"
    elif rule == sub_rule:
        name = "sub"
    elif rule == mul_rule:
        name = "mul"
    elif rule == div_rule:
        name = "div"
    elif rule == floordiv_rule:
        name = "floordiv"
    elif rule == mod_rule:
        name = "mod"
    elif rule == pow_rule:
        name = "pow"
    elif rule == atan2_rule:
        name = "atan2"
    elif rule == hypot_rule:
        name = "hypot"
    elif rule == copysign_rule:
        name = "copysign"
    elif rule == fmod_rule:
        name = "fmod"
    elif rule == logaddexp_rule:
        name = "logaddexp"
    elif rule == maximum_rule:
        name = "maximum"
    elif rule == minimum_rule:
        name = "minimum"
    else:
        raise ValueError("cannot combine dual numbers of different differentiation calls here")
    return _NESTED_BINARY(name, x, y)


cdef object _binary(object x, object y, binary_rule rule, Check check, object ref):
    """Apply a binary rule to two operands of which at least one is a Dual.

    Returns NotImplemented when an operand is not a real number or a Dual.
    """
    cdef double xv, yv, gx, gy, f
    cdef Dual dx = None
    cdef Dual dy = None
    if type(x) is Dual:
        dx = <Dual> x
        xv = dx.val
    elif not _to_double(x, &xv):
        return NotImplemented
    if type(y) is Dual:
        dy = <Dual> y
        yv = dy.val
        if dx is not None and dx.tag != dy.tag and dx.n != 0 and dy.n != 0:
            return _nested_binary(rule, x, y)     # duals of two differentiation calls
    elif not _to_double(y, &yv):
        return NotImplemented
    if check == CHECK_DIVISOR and yv == 0.0:
        ref(xv, yv)                               # raises ZeroDivisionError
    f = rule(xv, yv, &gx, &gy)
    if check == CHECK_FINITE and not isfinite(f) and not (isnan(xv) or isnan(yv)):
        _raise_like(ref, (xv, yv))
    return _combine(f, dx, gx, dy, gy)


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
    if type(value) is Dual or not _to_double(value, &v):
        raise TypeError(f"Dual value must be a real number, got {type(value).__name__}")
    if _to_double(partials, &p):
        items = (p,)
    elif (isinstance(partials, (list, tuple, _ndarray, range, Sequence))
          and not isinstance(partials, (str, bytes, bytearray, memoryview))):
        items = list(partials)
    else:
        raise TypeError(
            f"Dual partials must be a real number or a sequence of real numbers, "
            f"got {type(partials).__name__}")
    for i in range(len(items)):
        if type(items[i]) is Dual or not _to_double(items[i], &p):
            raise TypeError(
                f"Dual partials must be real numbers, got {type(items[i]).__name__} "
                f"at position {i}")
    r.val = v
    r.n = len(items)
    _allocate(r, r.n)
    for i in range(r.n):
        _to_double(items[i], &r.d[i])
    return 0


# ------------------------------------------------- the function table
# One row per public elementary function: its C rule, the float reference that
# gives math's value and errors, and the numpy ufunc for arrays.  Rows are C
# globals, so a call does no module attribute lookups.

cdef object _math_exp2 = getattr(math, "exp2", None) or (lambda x: math.pow(2.0, x))
cdef object _math_cbrt = getattr(math, "cbrt", None)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef object _map_rule(unary_rule rule, object x):
    """Apply a unary rule elementwise to a float array (no numpy equivalent)."""
    cdef double g
    cdef Py_ssize_t i
    cdef object out = np.array(x, dtype=np.float64, copy=True, order="C")
    cdef double[::1] flat = out.reshape(-1)
    with nogil:
        for i in range(flat.shape[0]):
            flat[i] = rule(flat[i], &g)
    return out


cdef object _elementwise(object func, object arr):
    """Apply func to every element of an object array (e.g. an array of Duals)."""
    cdef object out = np.empty(arr.shape, dtype=object)
    cdef object flat_out = out.reshape(-1)
    cdef Py_ssize_t i = 0
    for item in arr.reshape(-1):
        flat_out[i] = func(item)
        i += 1
    return out


cdef class _UnaryFunction:
    cdef unary_rule rule
    cdef jet_unary jet           # the same function on Taylor series (dualnum/_jets.pxd)
    cdef object math_fn          # float reference (value and errors), or None
    cdef object np_fn            # numpy ufunc, or None: then the rule maps over arrays
    cdef str name

    cdef inline object dual(self, Dual x):
        return _unary(x, self.rule, self.math_fn)

    cdef object call(self, object x):
        """Dispatch on the argument's type."""
        cdef double v, g
        if type(x) is Dual:
            return _unary(<Dual> x, self.rule, self.math_fn)
        if type(x) is Jet:
            return jet_unary_call(<Jet> x, self.jet, self.math_fn)
        if type(x) is Dual2:
            return dual2_unary_call(<Dual2> x, self.jet, self.math_fn)
        if type(x) is float or type(x) is int:
            return self.math_fn(x) if self.math_fn is not None else self.rule(<double> x, &g)
        if isinstance(x, _ndarray):
            if x.dtype == object:
                return _elementwise(self.call_object, x)
            return self.np_fn(x) if self.np_fn is not None else _map_rule(self.rule, x)
        if isinstance(x, _np_generic) and self.np_fn is not None:
            return self.np_fn(x)
        if isinstance(x, (list, tuple)):
            return self.call(np.asarray(x))
        if _to_double(x, &v):
            return self.math_fn(v) if self.math_fn is not None else self.rule(v, &g)
        if self.np_fn is not None and hasattr(x, "__array_ufunc__"):
            return self.np_fn(x)
        if hasattr(x, "__dualnum_unary__"):         # a DualArray, for erf, gamma, sigmoid...
            return x.__dualnum_unary__(self.name)
        raise TypeError(
            f"dualnum.{self.name}() expects a real number, an ndarray or a dual number, "
            f"got {type(x).__name__}")

    def call_object(self, x):
        return self.call(x)


cdef _UnaryFunction _unary_function(unary_rule rule, jet_unary jet, object math_fn,
                                   object np_fn, str name):
    cdef _UnaryFunction f = _UnaryFunction.__new__(_UnaryFunction)
    f.rule = rule
    f.jet = jet
    f.math_fn = math_fn
    f.np_fn = np_fn
    f.name = name
    return f


cdef class _BinaryFunction:
    cdef binary_rule rule
    cdef jet_binary jet
    cdef object math_fn
    cdef object np_fn
    cdef str name

    cdef object call(self, object a, object b):
        """Dispatch on the arguments' types."""
        cdef double av, bv, ga, gb
        cdef object r
        if type(a) is Jet or type(b) is Jet or type(a) is Dual2 or type(b) is Dual2:
            if not (isinstance(a, (_ndarray, list, tuple)) or isinstance(b, (_ndarray, list, tuple))):
                check = (JetCheck.JET_CHECK_FINITE if self.math_fn is not None
                         else JetCheck.JET_NO_CHECK)
                if type(a) is Jet or type(b) is Jet:
                    r = jet_binary_call(a, b, self.jet, check, self.math_fn)
                else:
                    r = dual2_binary_call(a, b, self.jet, check, self.math_fn)
                if r is not NotImplemented:
                    return r
            return self.np_fn(a, b)
        if type(a) is Dual or type(b) is Dual:
            if isinstance(a, (_ndarray, list, tuple)) or isinstance(b, (_ndarray, list, tuple)):
                return self.np_fn(a, b)     # object arrays, through Dual.__array_ufunc__
            r = _binary(a, b, self.rule, CHECK_FINITE if self.math_fn is not None else NO_CHECK,
                        self.math_fn)
            if r is not NotImplemented:
                return r
            other = b if type(a) is Dual else a
            if hasattr(other, "__array_ufunc__"):     # a DualArray: numpy dispatches to it
                return self.np_fn(a, b)
        elif (isinstance(a, (_ndarray, _np_generic, list, tuple))
              or isinstance(b, (_ndarray, _np_generic, list, tuple))):
            return self.np_fn(a, b)
        elif _to_double(a, &av) and _to_double(b, &bv):
            if self.math_fn is not None:
                return self.math_fn(a, b)
            return self.rule(av, bv, &ga, &gb)
        elif hasattr(a, "__array_ufunc__") or hasattr(b, "__array_ufunc__"):
            return self.np_fn(a, b)
        raise TypeError(
            f"dualnum.{self.name}() expects real numbers, ndarrays or dual numbers, "
            f"got {type(a).__name__} and {type(b).__name__}")


cdef _BinaryFunction _binary_function(binary_rule rule, jet_binary jet, object math_fn,
                                     object np_fn, str name):
    cdef _BinaryFunction f = _BinaryFunction.__new__(_BinaryFunction)
    f.rule = rule
    f.jet = jet
    f.math_fn = math_fn
    f.np_fn = np_fn
    f.name = name
    return f


cdef _UnaryFunction _SIN = _unary_function(sin_rule, jet_sin, math.sin, np.sin, "sin")
cdef _UnaryFunction _COS = _unary_function(cos_rule, jet_cos, math.cos, np.cos, "cos")
cdef _UnaryFunction _TAN = _unary_function(tan_rule, jet_tan, math.tan, np.tan, "tan")
cdef _UnaryFunction _ASIN = _unary_function(asin_rule, jet_asin, math.asin, np.arcsin, "asin")
cdef _UnaryFunction _ACOS = _unary_function(acos_rule, jet_acos, math.acos, np.arccos, "acos")
cdef _UnaryFunction _ATAN = _unary_function(atan_rule, jet_atan, math.atan, np.arctan, "atan")
cdef _UnaryFunction _SINH = _unary_function(sinh_rule, jet_sinh, math.sinh, np.sinh, "sinh")
cdef _UnaryFunction _COSH = _unary_function(cosh_rule, jet_cosh, math.cosh, np.cosh, "cosh")
cdef _UnaryFunction _TANH = _unary_function(tanh_rule, jet_tanh, math.tanh, np.tanh, "tanh")
cdef _UnaryFunction _ASINH = _unary_function(asinh_rule, jet_asinh, math.asinh, np.arcsinh, "asinh")
cdef _UnaryFunction _ACOSH = _unary_function(acosh_rule, jet_acosh, math.acosh, np.arccosh, "acosh")
cdef _UnaryFunction _ATANH = _unary_function(atanh_rule, jet_atanh, math.atanh, np.arctanh, "atanh")
cdef _UnaryFunction _EXP = _unary_function(exp_rule, jet_exp, math.exp, np.exp, "exp")
cdef _UnaryFunction _EXP2 = _unary_function(exp2_rule, jet_exp2, _math_exp2, np.exp2, "exp2")
cdef _UnaryFunction _EXPM1 = _unary_function(expm1_rule, jet_expm1, math.expm1, np.expm1, "expm1")
cdef _UnaryFunction _LOG = _unary_function(log_rule, jet_log, math.log, np.log, "log")
cdef _UnaryFunction _LOG2 = _unary_function(log2_rule, jet_log2, math.log2, np.log2, "log2")
cdef _UnaryFunction _LOG10 = _unary_function(log10_rule, jet_log10, math.log10, np.log10, "log10")
cdef _UnaryFunction _LOG1P = _unary_function(log1p_rule, jet_log1p, math.log1p, np.log1p, "log1p")
cdef _UnaryFunction _SQRT = _unary_function(sqrt_rule, jet_sqrt, math.sqrt, np.sqrt, "sqrt")
cdef _UnaryFunction _CBRT = _unary_function(cbrt_rule, jet_cbrt, _math_cbrt, np.cbrt, "cbrt")
cdef _UnaryFunction _FABS = _unary_function(fabs_rule, jet_fabs, math.fabs, np.fabs, "fabs")
cdef _UnaryFunction _ABSOLUTE = _unary_function(fabs_rule, jet_fabs, math.fabs, np.absolute, "absolute")
cdef _UnaryFunction _ERF = _unary_function(erf_rule, jet_erf, math.erf, None, "erf")
cdef _UnaryFunction _ERFC = _unary_function(erfc_rule, jet_erfc, math.erfc, None, "erfc")
cdef _UnaryFunction _GAMMA = _unary_function(gamma_rule, jet_gamma, math.gamma, None, "gamma")
cdef _UnaryFunction _LGAMMA = _unary_function(lgamma_rule, jet_lgamma, math.lgamma, None, "lgamma")
cdef _UnaryFunction _FLOOR = _unary_function(floor_rule, jet_floor, math.floor, np.floor, "floor")
cdef _UnaryFunction _CEIL = _unary_function(ceil_rule, jet_ceil, math.ceil, np.ceil, "ceil")
cdef _UnaryFunction _TRUNC = _unary_function(trunc_rule, jet_trunc, math.trunc, np.trunc, "trunc")
cdef _UnaryFunction _DEGREES = _unary_function(degrees_rule, jet_degrees, math.degrees, np.degrees, "degrees")
cdef _UnaryFunction _RADIANS = _unary_function(radians_rule, jet_radians, math.radians, np.radians, "radians")
cdef _UnaryFunction _SIGMOID = _unary_function(sigmoid_rule, jet_sigmoid, None, None, "sigmoid")
cdef _UnaryFunction _SOFTPLUS = _unary_function(softplus_rule, jet_softplus, None, None, "softplus")
cdef _UnaryFunction _RELU = _unary_function(relu_rule, jet_relu, None, None, "relu")

cdef _BinaryFunction _ATAN2 = _binary_function(atan2_rule, jet_atan2, math.atan2, np.arctan2, "atan2")
cdef _BinaryFunction _HYPOT = _binary_function(hypot_rule, jet_hypot, math.hypot, np.hypot, "hypot")
cdef _BinaryFunction _POW = _binary_function(pow_rule, jet_pow, math.pow, np.power, "pow")
cdef _BinaryFunction _COPYSIGN = _binary_function(copysign_rule, jet_copysign, math.copysign, np.copysign,
                                                  "copysign")
cdef _BinaryFunction _FMOD = _binary_function(fmod_rule, jet_fmod, math.fmod, np.fmod, "fmod")
cdef _BinaryFunction _LOGADDEXP = _binary_function(logaddexp_rule, jet_logaddexp, None, np.logaddexp,
                                                   "logaddexp")
cdef _BinaryFunction _MAXIMUM = _binary_function(maximum_rule, jet_maximum, None, np.maximum, "maximum")
cdef _BinaryFunction _MINIMUM = _binary_function(minimum_rule, jet_minimum, None, np.minimum, "minimum")


_NO_FLOAT = (
    "a dualnum.Dual cannot become a {} without dropping its derivative: use the "
    "dualnum function of the same name (e.g. dualnum.sin instead of math.sin), "
    "or take .value explicitly")


# ---------------------------------------------------------------- the type

@cython.freelist(64)
cdef class Dual:
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

    # ----- representation, copying, pickling

    def __repr__(self):
        return _render(self, repr)

    def __format__(self, str spec):
        """Apply a float format to the value and every partial: f"{d:.3f}"."""
        if not spec:
            return repr(self)
        return _render(self, lambda v: format(v, spec))

    def __reduce__(self):
        return (_rebuild, (self.val, self.partials, self.tag))

    def __copy__(self):
        return self            # immutable

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
        return self.val != 0.0

    # ----- comparisons act on the value

    def __hash__(self):
        if isnan(self.val):
            # like float('nan') since Python 3.10: hashed by identity, but stable
            # for this object (hash(self.val) would box a new nan each call)
            return object.__hash__(self)
        return hash(self.val)

    def __richcmp__(self, other, int op):
        if type(other) is Dual:
            return PyObject_RichCompare(self.val, (<Dual> other).val, op)
        if type(other) is float or _is_real(other):
            # float's own comparison: exact against ints and Fractions, as for floats
            return PyObject_RichCompare(self.val, other, op)
        return NotImplemented

    # ----- arithmetic (Cython 3: self is always the Dual operand)

    def __add__(self, other):
        return _binary(self, other, add_rule, NO_CHECK, None)

    def __radd__(self, other):
        return _binary(other, self, add_rule, NO_CHECK, None)

    def __sub__(self, other):
        return _binary(self, other, sub_rule, NO_CHECK, None)

    def __rsub__(self, other):
        return _binary(other, self, sub_rule, NO_CHECK, None)

    def __mul__(self, other):
        return _binary(self, other, mul_rule, NO_CHECK, None)

    def __rmul__(self, other):
        return _binary(other, self, mul_rule, NO_CHECK, None)

    def __truediv__(self, other):
        return _binary(self, other, div_rule, CHECK_DIVISOR, _op_truediv)

    def __rtruediv__(self, other):
        return _binary(other, self, div_rule, CHECK_DIVISOR, _op_truediv)

    def __floordiv__(self, other):
        return _binary(self, other, floordiv_rule, CHECK_DIVISOR, _op_floordiv)

    def __rfloordiv__(self, other):
        return _binary(other, self, floordiv_rule, CHECK_DIVISOR, _op_floordiv)

    def __mod__(self, other):
        return _binary(self, other, mod_rule, CHECK_DIVISOR, _op_mod)

    def __rmod__(self, other):
        return _binary(other, self, mod_rule, CHECK_DIVISOR, _op_mod)

    def __divmod__(self, other):
        q = _binary(self, other, floordiv_rule, CHECK_DIVISOR, _op_floordiv)
        if q is NotImplemented:
            return q
        return q, _binary(self, other, mod_rule, CHECK_DIVISOR, _op_mod)

    def __rdivmod__(self, other):
        q = _binary(other, self, floordiv_rule, CHECK_DIVISOR, _op_floordiv)
        if q is NotImplemented:
            return q
        return q, _binary(other, self, mod_rule, CHECK_DIVISOR, _op_mod)

    def __pow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return _binary(self, other, pow_rule, CHECK_FINITE, _op_pow)

    def __rpow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return _binary(other, self, pow_rule, CHECK_FINITE, _op_pow)

    def __neg__(self):
        return _unary(self, neg_rule, None)

    def __pos__(self):
        return self

    def __abs__(self):
        return _unary(self, fabs_rule, None)

    # rounding keeps the dual (derivative 0) instead of dropping to int
    def __floor__(self):
        return _unary(self, floor_rule, None)

    def __ceil__(self):
        return _unary(self, ceil_rule, None)

    def __trunc__(self):
        return _unary(self, trunc_rule, None)

    def __round__(self, ndigits=None):
        return _scale(round(self.val) if ndigits is None else round(self.val, ndigits), self, 0.0)

    # ----- methods named like numpy ufuncs: numpy object arrays call them

    def sin(self): return _SIN.dual(self)
    def cos(self): return _COS.dual(self)
    def tan(self): return _TAN.dual(self)
    def arcsin(self): return _ASIN.dual(self)
    def arccos(self): return _ACOS.dual(self)
    def arctan(self): return _ATAN.dual(self)
    def sinh(self): return _SINH.dual(self)
    def cosh(self): return _COSH.dual(self)
    def tanh(self): return _TANH.dual(self)
    def arcsinh(self): return _ASINH.dual(self)
    def arccosh(self): return _ACOSH.dual(self)
    def arctanh(self): return _ATANH.dual(self)
    def exp(self): return _EXP.dual(self)
    def exp2(self): return _EXP2.dual(self)
    def expm1(self): return _EXPM1.dual(self)
    def log(self): return _LOG.dual(self)
    def log2(self): return _LOG2.dual(self)
    def log10(self): return _LOG10.dual(self)
    def log1p(self): return _LOG1P.dual(self)
    def sqrt(self): return _SQRT.dual(self)
    def cbrt(self): return _CBRT.dual(self)
    def fabs(self): return _FABS.dual(self)
    def deg2rad(self): return _RADIANS.dual(self)
    def rad2deg(self): return _DEGREES.dual(self)
    def radians(self): return _RADIANS.dual(self)
    def degrees(self): return _DEGREES.dual(self)
    def floor(self): return _unary(self, floor_rule, None)
    def ceil(self): return _unary(self, ceil_rule, None)
    def trunc(self): return _unary(self, trunc_rule, None)
    def rint(self): return _scale(round(self.val), self, 0.0)
    def deg2rad(self): return _unary(self, radians_rule, None)
    def rad2deg(self): return _unary(self, degrees_rule, None)
    def radians(self): return _unary(self, radians_rule, None)
    def degrees(self): return _unary(self, degrees_rule, None)
    def arctan2(self, other): return _ATAN2.call(self, other)
    def hypot(self, other): return _HYPOT.call(self, other)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy ufuncs on a Dual give a Dual; with ndarrays, an object array of Duals."""
        name = ufunc.__name__
        if method != "__call__" or kwargs or any(isinstance(i, _ndarray) for i in inputs):
            # reductions, out=..., arrays: numpy's object loops, which call the
            # Dual operators and methods; they cannot store a Dual in a float array
            return getattr(ufunc, method)(
                *[_object_scalar(i) if type(i) is Dual else i for i in inputs], **kwargs)
        func = _UFUNCS.get(name)
        if func is None:
            raise TypeError(f"numpy.{name} is not supported for dualnum.Dual")
        args = []
        for item in inputs:
            if type(item) is Dual:
                args.append(item)
            elif _is_real(item):
                # numpy scalars become floats, or the operator would call back into numpy
                args.append(float(item) if isinstance(item, _np_generic) else item)
            else:
                # e.g. a DualArray, which handles the ufunc itself, or a complex scalar
                return NotImplemented
        return func(*args)

    def __array_function__(self, func, types, args, kwargs):
        """numpy functions as without this protocol; np.sinc: a TypeError naming it."""
        return _taylor.scalar_function(self, func, types, args, kwargs)


cdef str _render(Dual d, object fmt):
    """Dual(v), Dual(v, p) or Dual(v, (p1, p2, ...)): the constructor's syntax."""
    if d.n == 0:
        return f"Dual({fmt(d.val)})"
    if d.n == 1:
        return f"Dual({fmt(d.val)}, {fmt(d.d[0])})"
    return f"Dual({fmt(d.val)}, ({', '.join([fmt(d.d[i]) for i in range(d.n)])}))"


cdef object _object_scalar(Dual d):
    cdef object a = np.empty((), dtype=object)
    a[()] = d
    return a


# ----------------------------------------------------- elementary functions


def sin(x):
    """sin(x): sine; d/dx sin x = cos x."""
    return _SIN.call(x)


def cos(x):
    """cos(x): cosine; d/dx cos x = -sin x."""
    return _COS.call(x)


def tan(x):
    """tan(x): tangent; d/dx tan x = 1 + tan(x)**2."""
    return _TAN.call(x)


def asin(x):
    """asin(x): inverse sine; d/dx = 1/sqrt(1 - x**2) (+inf at x = +-1)."""
    return _ASIN.call(x)


def acos(x):
    """acos(x): inverse cosine; d/dx = -1/sqrt(1 - x**2) (-inf at x = +-1)."""
    return _ACOS.call(x)


def atan(x):
    """atan(x): inverse tangent; d/dx = 1/(1 + x**2)."""
    return _ATAN.call(x)


def sinh(x):
    """sinh(x): hyperbolic sine; d/dx = cosh x."""
    return _SINH.call(x)


def cosh(x):
    """cosh(x): hyperbolic cosine; d/dx = sinh x."""
    return _COSH.call(x)


def tanh(x):
    """tanh(x): hyperbolic tangent; d/dx = 1 - tanh(x)**2."""
    return _TANH.call(x)


def asinh(x):
    """asinh(x): inverse hyperbolic sine; d/dx = 1/sqrt(x**2 + 1)."""
    return _ASINH.call(x)


def acosh(x):
    """acosh(x): inverse hyperbolic cosine; d/dx = 1/sqrt(x**2 - 1) (+inf at 1)."""
    return _ACOSH.call(x)


def atanh(x):
    """atanh(x): inverse hyperbolic tangent; d/dx = 1/(1 - x**2)."""
    return _ATANH.call(x)


def exp(x):
    """exp(x): exponential; d/dx = exp x."""
    return _EXP.call(x)


def exp2(x):
    """exp2(x): 2**x; d/dx = log(2) 2**x."""
    return _EXP2.call(x)


def expm1(x):
    """expm1(x): exp(x) - 1 without cancellation; d/dx = exp x."""
    return _EXPM1.call(x)


def log(x, base=None):
    """log(x[, base]): natural logarithm, or logarithm to ``base``; d/dx ln x = 1/x."""
    if base is None:
        return _LOG.call(x)
    if (_is_real(x) and _is_real(base)
            and not isinstance(x, _np_generic) and not isinstance(base, _np_generic)):
        return math.log(x, base)
    return log(x) / log(base)          # duals, arrays and dual arrays


def log2(x):
    """log2(x): base-2 logarithm; d/dx = 1/(x log 2)."""
    return _LOG2.call(x)


def log10(x):
    """log10(x): base-10 logarithm; d/dx = 1/(x log 10)."""
    return _LOG10.call(x)


def log1p(x):
    """log1p(x): log(1 + x) without cancellation; d/dx = 1/(1 + x)."""
    return _LOG1P.call(x)


def sqrt(x):
    """sqrt(x): square root; d/dx = 1/(2 sqrt x), +inf at 0 (also at -0.0)."""
    return _SQRT.call(x)


def cbrt(x):
    """cbrt(x): real cube root; d/dx = 1/(3 cbrt(x)**2), +inf at 0."""
    return _CBRT.call(x)


def fabs(x):
    """fabs(x): absolute value as a float; derivative sign(x) with abs'(0) = 1."""
    return _FABS.call(x)


def absolute(x):
    """absolute(x): numpy spelling of fabs (numpy's result type for arrays)."""
    return _ABSOLUTE.call(x)


def erf(x):
    """erf(x): error function; d/dx = 2/sqrt(pi) exp(-x**2)."""
    return _ERF.call(x)


def erfc(x):
    """erfc(x): complementary error function; d/dx = -2/sqrt(pi) exp(-x**2)."""
    return _ERFC.call(x)


def gamma(x):
    """gamma(x): the gamma function; d/dx = gamma(x) digamma(x)."""
    return _GAMMA.call(x)


def lgamma(x):
    """lgamma(x): log|gamma(x)|; d/dx = digamma(x)."""
    return _LGAMMA.call(x)


def floor(x):
    """floor(x): as math.floor for numbers; a Dual with derivative 0 for a Dual."""
    return _FLOOR.call(x)


def ceil(x):
    """ceil(x): as math.ceil for numbers; a Dual with derivative 0 for a Dual."""
    return _CEIL.call(x)


def trunc(x):
    """trunc(x): as math.trunc for numbers; a Dual with derivative 0 for a Dual."""
    return _TRUNC.call(x)


def degrees(x):
    """degrees(x): radians to degrees; d/dx = 180/pi."""
    return _DEGREES.call(x)


def radians(x):
    """radians(x): degrees to radians; d/dx = pi/180."""
    return _RADIANS.call(x)


def sigmoid(x):
    """sigmoid(x): logistic function 1/(1 + exp(-x)); d/dx = s(1 - s)."""
    return _SIGMOID.call(x)


def softplus(x):
    """softplus(x): log(1 + exp(x)) computed without overflow; d/dx = sigmoid(x)."""
    return _SOFTPLUS.call(x)


def relu(x):
    """relu(x): max(x, 0); derivative 1 for x > 0, else 0 (relu'(0) = 0)."""
    return _RELU.call(x)


def atan2(y, x):
    """atan2(y, x): angle of the point (x, y); partials (x, -y)/(x**2 + y**2), nan at the origin."""
    return _ATAN2.call(y, x)


def hypot(a, b):
    """hypot(a, b): sqrt(a**2 + b**2) without overflow; partials (a, b)/hypot, nan at the origin."""
    return _HYPOT.call(a, b)


def pow(a, b):
    """pow(a, b): a**b with math.pow's errors; x**0 has derivative 0 also at 0."""
    return _POW.call(a, b)


def copysign(a, b):
    """copysign(a, b): |a| with the sign of b; d/da = sign(a) sign(b), d/db = 0."""
    return _COPYSIGN.call(a, b)


def fmod(a, b):
    """fmod(a, b): C remainder (sign of a); d/da = 1, d/db = -trunc(a/b)."""
    return _FMOD.call(a, b)


def logaddexp(a, b):
    """logaddexp(a, b): log(exp(a) + exp(b)) without overflow; partials sigmoid(a - b), sigmoid(b - a)."""
    return _LOGADDEXP.call(a, b)


def maximum(a, b):
    """maximum(a, b): the larger value; at a tie each partial is weighted 1/2; nan propagates."""
    return _MAXIMUM.call(a, b)


def minimum(a, b):
    """minimum(a, b): the smaller value; at a tie each partial is weighted 1/2; nan propagates."""
    return _MINIMUM.call(a, b)


# numpy spellings and common aliases
arcsin = asin
arccos = acos
arctan = atan
arcsinh = asinh
arccosh = acosh
arctanh = atanh
arctan2 = atan2
power = pow
deg2rad = radians
rad2deg = degrees
expit = sigmoid

cdef dict _PUBLIC = {name: obj for name, obj in globals().items()
                     if callable(obj) and not name.startswith("_")}

# what a numpy ufunc applied to a scalar Dual computes
cdef dict _UFUNCS = {
    "add": operator.add, "subtract": operator.sub, "multiply": operator.mul,
    "divide": operator.truediv, "true_divide": operator.truediv,
    "floor_divide": operator.floordiv, "remainder": operator.mod, "divmod": divmod,
    "power": operator.pow, "float_power": operator.pow,
    "negative": operator.neg, "positive": operator.pos, "absolute": fabs, "fabs": fabs,
    "square": lambda x: x * x, "reciprocal": lambda x: 1.0 / x,
    "equal": operator.eq, "not_equal": operator.ne, "less": operator.lt,
    "less_equal": operator.le, "greater": operator.gt, "greater_equal": operator.ge,
    "isnan": lambda x: math.isnan(x.value if type(x) is Dual else x),
    "isinf": lambda x: math.isinf(x.value if type(x) is Dual else x),
    "isfinite": lambda x: math.isfinite(x.value if type(x) is Dual else x),
    "rint": lambda x: x.rint(),
}
for _name in ("sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
              "arcsinh", "arccosh", "arctanh", "exp", "exp2", "expm1", "log", "log2",
              "log10", "log1p", "sqrt", "cbrt", "floor", "ceil", "trunc", "degrees",
              "radians", "deg2rad", "rad2deg", "arctan2", "hypot", "copysign", "fmod",
              "logaddexp", "maximum", "minimum"):
    _UFUNCS[_name] = _PUBLIC[_name]

from dualnum import _second, _taylor
_taylor.register_core(Dual, (Dual, Dual2), _UFUNCS)
_second.register_core((Dual, Jet), _UFUNCS)


# ------------- the scalar seed, and Duals from their parts (for the layers above)

cdef inline Dual _seed_scalar(double x, unsigned long long tag):
    """x + eps: the input of a first derivative (nan and inf propagate, as on floats)."""
    cdef Dual s = _new(x, 1, tag)
    s.d[0] = 1.0
    return s


def scalar_seed(double x):
    """x + eps with a fresh tag: the input of a first derivative."""
    return _seed_scalar(x, _next_tag())


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


def dual_level(Dual d):
    """(value, partials as a list of floats, tag) of a Dual, for dualnum.nesting."""
    return d.val, [d.d[i] for i in range(d.n)], d.tag


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
            if not _to_double(gradients[i], &g):
                raise TypeError(
                    f"a partial derivative must be a real number, got "
                    f"{type(gradients[i]).__name__} for argument {i}")
            acc = _combine(value, acc, 1.0, <Dual> duals[i], g)
    return acc
