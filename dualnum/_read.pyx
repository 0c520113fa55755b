# cython: freethreading_compatible = False
"""The reader of f's result: every API operation seeds its variables with a
fresh tag (dualnum/_seed.pyx for Jets and Dual2s), evaluates f once per pass
and reads the result here, as (value, partials for the k directions of that
tag), as Taylor coefficients (derivative of order n) or as (value, gradient,
Hessian or H v) (hessian, hvp).

f may return a real number, a Dual, a DualArray, or a sequence/ndarray of
them; floats and constants have zero partials.  Inside another
differentiation call its numbers are Nested (dualnum/_nested.pyx) or Duals of
the enclosing call: they are read at this call's level into numbers of the
enclosing call (object arrays), which stay valid only while that call runs.
The error messages about f's result are all here, one per situation.
"""

cimport numpy as cnp
from libc.math cimport frexp, isfinite
from libc.string cimport memcpy

from dualnum._complex_dual cimport ComplexDual
from dualnum._core cimport Dual
from dualnum._number cimport Number, to_double
from dualnum._second cimport Dual2
from dualnum._taylor cimport Jet

import math
import sys
from fractions import Fraction

import numpy as np

from dualnum._complex_array import ComplexDualArray as _ComplexDualArray
from dualnum._hessian_array import Dual2Array as _Dual2Array
from dualnum._number import ForeignNumber as _ForeignNumber
from dualnum.dualarray import DualArray as _DualArray
from dualnum._nested import Nested as _Nested, level as _nested_level

cnp.import_array()

cdef object _ndarray = np.ndarray
cdef tuple _COMPLEX = (complex, np.complexfloating)

# ------------------------------------------------------------ the messages

_MUST_RETURN = ("the function must return a real number, a dual number, or a sequence/ndarray "
                "of them; it returned {}")
_BAD_DTYPE = ("the function must return real numbers or dual numbers; it returned an "
              "array of dtype {}")
_SIZE = "the function returned {} with {} directions, expected {}"
_OTHER_CALL = (
    "the function returned {} that was not seeded by this differentiation call (e.g. from a "
    "nested call that closes over an outer variable); nested differentiation of this kind is "
    "not supported in this version of dualnum")
_ESCAPED_INNER = (
    "the function returned a dual number of a differentiation call nested inside it "
    "(a perturbation escaped its call, e.g. through a global or a closure)")
_FINISHED = (
    "the function used a dual number of a differentiation call that has finished "
    "(a perturbation escaped its call, e.g. through a global or a closure)")
_DIFFERENT_SHAPES = "the function returned results of different shapes on the same point ({} and {})"
_DIFFERENT_VALUES = "the function returned different values on different passes"
_NOT_SCALAR = ("{} needs a function returning a real number; it returned {} (use {} for "
               "vector-valued functions)")
_NOT_VECTOR = "a sparse Jacobian needs f to return a 1-D array, got shape {}"
_NOT_NESTABLE = (
    "{0} with sparsity= is not nestable in this version of dualnum: f returned dual numbers "
    "of an enclosing differentiation call (it closes over one); use {0} without sparsity= "
    "inside other calls")


cdef str _describe(object item):
    if isinstance(item, (list, tuple)):
        return f"a ragged or nested sequence (an element is a {type(item).__name__})"
    return f"a {type(item).__name__}" if item is not None else "None"


cdef str _describe_array(object result):
    """An array-like result where a real number is needed, for _NOT_SCALAR."""
    if isinstance(result, (_ndarray, _DualArray, _Dual2Array)):
        return f"an array of shape {result.shape}"
    return "a sequence"


# --------------------------------------------- Duals and floats (compiled)

class _Complex(Exception):
    """Internal: f's result holds complex numbers; read() reads it as complex
    (_read_complex) instead."""


cdef inline bint _is_complex(object item):
    return type(item) is ComplexDual or isinstance(item, _COMPLEX)


class _Enclosing(Exception):
    """Internal: f's result holds numbers of an enclosing call; read() reads it
    element by element instead."""


cdef int _store(object item, unsigned long long tag, Py_ssize_t k,
                double* value, double* partials) except -1:
    """Write one element of f's result: its value and its k partials."""
    cdef Dual d
    cdef Py_ssize_t j
    if type(item) is Dual:
        d = <Dual> item
        value[0] = d.val
        if d.n == 0:
            for j in range(k):
                partials[j] = 0.0
            return 0
        if d.tag != tag:
            raise _Enclosing()
        if d.n != k:
            raise ValueError(_SIZE.format("a dual number", d.n, k))
        for j in range(k):
            partials[j] = d.d[j]
        return 0
    if not to_double(item, value):
        if type(item) is _Nested:
            raise _Enclosing()
        if _is_complex(item):
            raise _Complex()
        raise TypeError(_MUST_RETURN.format(_describe(item)))
    for j in range(k):
        partials[j] = 0.0
    return 0


cdef object _read_floats(object result, unsigned long long tag, Py_ssize_t k):
    cdef double v
    cdef Py_ssize_t i, m
    cdef double[:, ::1] pview
    cdef double[::1] vview
    if type(result) is Dual or to_double(result, &v):
        partials = np.empty((1, k), dtype=np.float64)
        pview = partials
        _store(result, tag, k, &v, &pview[0, 0])
        return v, partials[0]
    if isinstance(result, _ndarray) and result.dtype != object:
        if result.dtype.kind == "c":
            raise _Complex()
        if result.dtype.kind not in "biuf":
            raise TypeError(_BAD_DTYPE.format(result.dtype))
        values = np.asarray(result, dtype=np.float64)
        return values, np.zeros(values.shape + (k,))
    if not isinstance(result, (_ndarray, list, tuple)):
        if type(result) is _Nested:
            raise _Enclosing()
        if _is_complex(result):
            raise _Complex()
        raise TypeError(_MUST_RETURN.format(_describe(result)))
    arr = np.asarray(result, dtype=object)
    flat = arr.reshape(-1)
    m = flat.shape[0]
    values = np.empty(m, dtype=np.float64)
    partials = np.empty((m, k), dtype=np.float64)
    vview = values
    pview = partials
    for i in range(m):
        _store(flat[i], tag, k, &vview[i], &pview[i, 0])
    return values.reshape(arr.shape), partials.reshape(arr.shape + (k,))


def read_numbers(object result, unsigned long long tag, Py_ssize_t k):
    """f's result (numbers, or a sequence/ndarray of them) as (value, partials)
    for k >= 1 directions seeded with tag.

    A scalar result gives (float, array of shape (k,)); an array-like result of
    shape S gives (float64 array of shape S, float64 array of shape S + (k,)).
    When the result holds numbers of an enclosing call: object arrays of those
    numbers, shaped alike.
    """
    try:
        return _read_floats(result, tag, k)
    except _Enclosing:
        return read_enclosing(result, tag, k)
    except _Complex:
        return _read_complex(result, tag, k)


# ----------------------------------------------------- complex results

cdef bint _of_this_call(Py_ssize_t n, unsigned long long item_tag, unsigned long long tag,
                        Py_ssize_t k, str what) except -1:
    """Whether an element of a complex result carries partials (False: a
    constant); ValueError for another call's or the wrong number of them."""
    if n == 0:
        return False
    if item_tag != tag:
        raise ValueError(_OTHER_CALL.format(what))
    if n != k:
        raise ValueError(_SIZE.format(what, n, k))
    return True


cdef tuple _complex_item(object item, unsigned long long tag, Py_ssize_t k):
    """(complex value, complex128 partials of shape (k,)) of one element."""
    cdef ComplexDual z
    cdef Dual d
    partials = np.zeros(k, dtype=np.complex128)
    if type(item) is ComplexDual:
        z = <ComplexDual> item
        if _of_this_call(z.n, z.tag, tag, k, "a complex dual number"):
            partials[:] = z.partials
        return z.value, partials
    if type(item) is Dual:
        d = <Dual> item
        if _of_this_call(d.n, d.tag, tag, k, "a dual number"):
            partials[:] = d.partials
        return complex(d.val), partials
    if isinstance(item, _COMPLEX) or (isinstance(item, (int, float, np.number))
                                      and not isinstance(item, (bool, np.bool_))):
        return complex(item), partials
    raise TypeError(_MUST_RETURN.format(_describe(item)))


def _read_complex(object result, unsigned long long tag, Py_ssize_t k):
    """f's complex result (complex dual numbers, Duals and numbers, or a
    sequence/ndarray of them) as (complex value, complex128 partials), shaped
    as read_numbers'; complex duals do not nest, so numbers of another call
    raise ValueError."""
    if not isinstance(result, (_ndarray, list, tuple)):
        return _complex_item(result, tag, k)
    if isinstance(result, _ndarray) and result.dtype.kind == "c":
        values = np.asarray(result, dtype=np.complex128)
        return values, np.zeros(values.shape + (k,), dtype=np.complex128)
    arr = np.asarray(result, dtype=object)
    flat = arr.reshape(-1)
    values = np.empty(flat.shape[0], dtype=np.complex128)
    partials = np.empty((flat.shape[0], k), dtype=np.complex128)
    for i in range(flat.shape[0]):
        values[i], partials[i] = _complex_item(flat[i], tag, k)
    return values.reshape(arr.shape), partials.reshape(arr.shape + (k,))


def read(object result, unsigned long long tag, Py_ssize_t k):
    """f's result (also DualArrays, or sequences of them) as (value, partials of
    shape value.shape + (k,)), as read_numbers."""
    cdef Dual d
    cdef cnp.ndarray partials
    cdef cnp.npy_intp size = k
    if type(result) is Dual:          # the common scalar result, without the generic reader
        d = <Dual> result
        if d.tag == tag and d.n == k:
            partials = cnp.PyArray_EMPTY(1, &size, cnp.NPY_DOUBLE, 0)
            memcpy(cnp.PyArray_DATA(partials), d.d, k * sizeof(double))
            return d.val, partials
    if isinstance(result, (_DualArray, _ComplexDualArray)):
        # (a complex one, of a complex result: complex value and partials)
        what, scalar = ((("a dual array", float) if isinstance(result, _DualArray)
                         else ("a complex dual array", complex)))
        if result.tag != tag:
            raise ValueError(_OTHER_CALL.format(what))
        if result.directions != k:
            raise ValueError(_SIZE.format(what, result.directions, k))
        if result.ndim == 0:
            return scalar(result.value), result.tangent.reshape(k)
        return result.value, result.tangent
    if isinstance(result, (list, tuple)) and any(isinstance(item, (_DualArray, _ComplexDualArray))
                                                 for item in result):
        pieces = [read(item, tag, k) for item in result]
        shapes = [np.shape(value) for value, _ in pieces]
        if len(set(shapes)) > 1:
            raise ValueError(_MUST_RETURN.format(f"a ragged sequence of arrays (shapes {shapes})"))
        dtype = np.result_type(*[np.asarray(value) for value, _ in pieces], np.float64)
        return (np.stack([np.asarray(value, dtype=dtype) for value, _ in pieces]),
                np.stack([partials for _, partials in pieces]))
    return read_numbers(result, tag, k)


cdef tuple _read_first(object result, unsigned long long tag):
    """(value, derivative) of f's result for one seeded direction."""
    cdef Dual d
    if type(result) is Dual:
        d = <Dual> result
        if d.tag == tag and d.n == 1:
            return d.val, d.d[0]
        if d.tag != tag and d.n != 0:
            return read_one(result, tag)      # a dual of an enclosing call, or a leak
    elif type(result) is _Nested:
        return read_one(result, tag)
    value, partials = read_numbers(result, tag, 1)
    if type(value) is float:
        return value, float(partials[0])
    if type(value) is complex:
        return value, complex(partials[0])
    return value, partials[..., 0]


def first_partial(object result, Dual seed):
    """f'(x) from f's result on ``scalar_seed(x)``: a float for a scalar
    result, a float64 array of the result's shape for an array-like one."""
    cdef Dual d
    if type(result) is Dual:
        d = <Dual> result
        if d.tag == seed.tag and d.n == 1:
            return d.d[0]
    return _read_first(result, seed.tag)[1]


def value_and_first_partial(object result, Dual seed):
    """(f(x), f'(x)) from f's result on ``scalar_seed(x)``."""
    return _read_first(result, seed.tag)


# ------------------------------------------------------ the point itself

def is_plain_point(object x):
    """True for the array point the API uses as it is: an ndarray (not a
    subclass) of native float64, C-contiguous (dualnum/_points.py).  Here in
    C, with numpy's C API at hand, because every call of gradient, jacobian
    and hessian asks it and numpy's attributes (x.flags, x.dtype) cost about
    0.2 us from Python."""
    return (type(x) is _ndarray and cnp.PyArray_TYPE(<cnp.ndarray> x) == cnp.NPY_DOUBLE
            and cnp.PyArray_IS_C_CONTIGUOUS(<cnp.ndarray> x)
            and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray> x))


# ------------------------------------ what an operation needs of the result

def scalar_value(value):
    """f's value, which gradient needs to be a real number (a number of an
    enclosing call is one too)."""
    if isinstance(value, _ndarray):
        raise ValueError(_NOT_SCALAR.format("gradient", _describe_array(value), "jacobian"))
    return value


def vector_value(value):
    """f's value as the 1-D float64 array a sparse Jacobian needs."""
    value = np.asarray(value)
    if value.ndim != 1:
        raise ValueError(_NOT_VECTOR.format(value.shape))
    return value


def same_shape(first, value):
    """ValueError unless two passes of f gave values of one shape."""
    if np.shape(value) != np.shape(first):
        raise ValueError(_DIFFERENT_SHAPES.format(np.shape(first), np.shape(value)))


def same_value(first, value):
    """ValueError unless two passes of f gave one (scalar) value (nan and nan agree)."""
    if value != first and not (np.isnan(value) and np.isnan(first)):
        raise ValueError(_DIFFERENT_VALUES)


def real_partials(partials, what="jacobian"):
    """partials, or the clear error when they hold another call's dual numbers
    (operations with sparsity= do not nest)."""
    if np.asarray(partials).dtype == object:
        raise TypeError(_NOT_NESTABLE.format(what))
    return partials


# ------------------------------------------------- Taylor series (order n)

cdef double _FACTORIAL[171]
for _k in range(171):
    _FACTORIAL[_k] = float(math.factorial(_k))


cdef int _store_series(object item, unsigned long long tag, Py_ssize_t order,
                       double* out) except -1:
    """Write the order + 1 Taylor coefficients of one element of f's result."""
    cdef Jet j
    cdef Py_ssize_t k
    cdef double v
    if type(item) is Jet:
        j = <Jet> item
        if j.tag != tag:
            raise _ForeignNumber(_OTHER_CALL.format("a Taylor series"))
        memcpy(out, j.c, (order + 1) * sizeof(double))
        return 0
    if isinstance(item, Number):
        raise _ForeignNumber(_OTHER_CALL.format(_describe(item)))
    if not to_double(item, &v):
        raise TypeError(_MUST_RETURN.format(_describe(item)))
    out[0] = v
    for k in range(1, order + 1):
        out[k] = 0.0
    return 0


cdef object _coefficients(object result, unsigned long long tag, Py_ssize_t order):
    """Taylor coefficients of f's result: shape (order + 1,) for a scalar result,
    S + (order + 1,) for an array-like result of shape S."""
    cdef double[:, ::1] view
    cdef Py_ssize_t i, m
    if not isinstance(result, (_ndarray, list, tuple)):
        out = np.empty((1, order + 1))
        view = out
        _store_series(result, tag, order, &view[0, 0])
        return out[0]
    if isinstance(result, _ndarray) and result.dtype != object:
        if result.dtype.kind == "c":
            raise _Complex()
        if result.dtype.kind not in "biuf":
            raise TypeError(_BAD_DTYPE.format(result.dtype))
        out = np.zeros(result.shape + (order + 1,))
        out[..., 0] = result
        return out
    arr = np.asarray(result, dtype=object)
    flat = arr.reshape(-1)
    m = flat.shape[0]
    out = np.empty((m, order + 1))
    view = out
    for i in range(m):
        _store_series(flat[i], tag, order, &view[i, 0])
    return out.reshape(arr.shape + (order + 1,))


cdef double _times_factorial(double c, Py_ssize_t k, int exponent):
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


def read_derivatives(result, unsigned long long tag, Py_ssize_t order, int exponent):
    """Derivatives 0..order of f's result on the Taylor seed x + h t
    (h = 2**exponent), order first: Taylor coefficient k times k! / h**k."""
    coefficients = np.moveaxis(_coefficients(result, tag, order), -1, 0)
    out = np.empty_like(coefficients)
    with np.errstate(over="ignore"):      # an overflowing derivative is +-inf, as in derivative()
        for k in range(len(coefficients)):
            if k <= 170 and exponent == 0:
                out[k] = coefficients[k] * _FACTORIAL[k]
            else:
                out[k] = np.vectorize(lambda c, k=k: _times_factorial(c, k, exponent),
                                      otypes=[float])(coefficients[k])
    return out


def nth_derivative(object result, Jet seed):
    """The derivative of order seed.order of f's result on ``seed`` (from
    dualnum._seed.fresh_jet_seed): a float for a scalar result, an array of
    the result's shape otherwise."""
    cdef double v
    cdef Py_ssize_t n = seed.order
    cdef Jet j
    if type(result) is Jet:
        j = <Jet> result
        if j.tag == seed.tag:
            if n <= 170 and seed.c[1] == 1.0:
                return j.c[n] * _FACTORIAL[n]
            return _times_factorial(j.c[n], n, _exponent(seed))
    elif type(result) is float or to_double(result, &v):
        return 0.0 if n > 0 else v
    return read_derivatives(result, seed.tag, n, _exponent(seed))[n]


# ------------------------------------ second-order dual numbers (hessian, hvp)

cdef object _scalar_second(object result, unsigned long long tag, Py_ssize_t n, str operation):
    """f's result as a Dual2 of this call, or a float (a constant) when it is
    a real number; the error that fits otherwise."""
    cdef double v
    if type(result) is Dual2:
        if (<Dual2> result).tag != tag:
            raise ValueError(_OTHER_CALL.format("a second-order dual number"))
        if (<Dual2> result).n != n:
            raise ValueError(_SIZE.format("a second-order dual number", (<Dual2> result).n, n))
        return result
    if isinstance(result, Number):
        raise _ForeignNumber(_OTHER_CALL.format(_describe(result)))
    if isinstance(result, _ndarray) and result.ndim == 0:
        return _scalar_second(result[()], tag, n, operation)
    if isinstance(result, (_ndarray, _Dual2Array, list, tuple)):
        raise ValueError(_NOT_SCALAR.format(operation, _describe_array(result),
                                            "jacobian of gradient"))
    if to_double(result, &v):
        return v
    raise TypeError(_MUST_RETURN.format(_describe(result)))


cpdef tuple read_hessian(object result, unsigned long long tag, Py_ssize_t n):
    """(value, gradient (n,), Hessian (n, n)) of f's scalar result on n
    seeded variables."""
    found = _scalar_second(result, tag, n, "hessian")
    if type(found) is float:
        return found, np.zeros(n), np.zeros((n, n))
    cdef Dual2 d = <Dual2> found
    cdef Py_ssize_t i, j, k = n
    cdef cnp.npy_intp dims[2]
    dims[0] = dims[1] = n
    # numpy's C API, not np.empty: a microsecond less per call at small n
    cdef cnp.ndarray gradient = cnp.PyArray_EMPTY(1, dims, cnp.NPY_DOUBLE, 0)
    cdef cnp.ndarray hessian = cnp.PyArray_EMPTY(2, dims, cnp.NPY_DOUBLE, 0)
    cdef double* g = <double*> cnp.PyArray_DATA(gradient)
    cdef double* h = <double*> cnp.PyArray_DATA(hessian)
    for i in range(n):
        g[i] = d.d[i]
        for j in range(i, n):
            h[i * n + j] = h[j * n + i] = d.d[k]       # the upper triangle, row by row
            k += 1
    return d.val, gradient, hessian


cpdef tuple read_hvp(object result, unsigned long long tag, Py_ssize_t n):
    """(value, gradient (n,), H v (n,)) of f's scalar result on n variables
    seeded along a direction v."""
    found = _scalar_second(result, tag, n, "hvp")
    if type(found) is float:
        return found, np.zeros(n), np.zeros(n)
    cdef Dual2 d = <Dual2> found
    cdef Py_ssize_t i
    if not d.along:
        raise ValueError(_OTHER_CALL.format("a second-order dual number"))
    cdef cnp.ndarray gradient = np.empty(n)
    cdef cnp.ndarray product = np.empty(n)
    cdef double* g = <double*> cnp.PyArray_DATA(gradient)
    cdef double* p = <double*> cnp.PyArray_DATA(product)
    for i in range(n):
        g[i] = d.d[i]
        p[i] = d.d[n + 1 + i]          # after the gradient and the derivative along v
    return d.val, gradient, product


# --------------------------------- numbers of enclosing calls (nested, slow)

def _level_parts(item, tag, k):
    """(value, k partials) of one result element for the k directions of tag."""
    level, value, partials = _nested_level(item)
    if level == tag:
        if len(partials) != k:
            raise ValueError(_SIZE.format("a dual number", len(partials), k))
        return value, partials
    if level < tag:
        # a number of an enclosing call (or a constant): it does not depend on
        # this call's variables
        return item, [0.0] * k
    raise ValueError(_ESCAPED_INNER)


def read_level(result, tag):
    """(value, derivative) of a scalar result for the one direction of tag: the
    number read at that call's level, its parts numbers of enclosing calls."""
    value, partials = _level_parts(result, tag, 1)
    return value, partials[0]


def read_one(result, tag):
    """read_level, for a call's result: the enclosing calls whose numbers it
    holds must be running."""
    value, derivative = read_level(result, tag)
    require_running((value, derivative))
    return value, derivative


def read_enclosing(result, tag, k):
    if not isinstance(result, (list, tuple, np.ndarray)):
        value, partials = _level_parts(result, tag, k)
        require_running([value] + list(partials))
        out = np.empty(k, dtype=object)
        out[:] = partials
        return value, out
    arr = np.asarray(result, dtype=object)
    values = np.empty(arr.size, dtype=object)
    parts = np.empty((arr.size, k), dtype=object)
    for i, item in enumerate(arr.reshape(-1)):
        values[i], parts[i, :] = _level_parts(item, tag, k)
    require_running(list(values) + list(parts.reshape(-1)))
    return values.reshape(arr.shape), parts.reshape(arr.shape + (k,))


def read_elementwise(result, tag):
    """(values, derivatives) of f's result for the one direction of tag, kept
    per element: a derivative at a nested point (numbers of enclosing calls)."""
    if not isinstance(result, (list, tuple, np.ndarray)):
        return read_one(result, tag)
    values, partials = read_enclosing(result, tag, 1)
    return values, partials[..., 0]


def require_running(items):
    """ValueError when items hold a dual number of a differentiation call that
    is not running (it finished, and the number escaped it through a global or
    a closure): read as a number of an enclosing call, it would make the
    result a dual number instead of a float."""
    tags = {_nested_level(x)[0] for x in items if type(x) is Dual or type(x) is _Nested} - {0}
    if tags and not tags <= _running_tags():
        raise ValueError(_FINISHED)


def _running_tags():
    """The tags of the differentiation calls running in this thread: the API's
    (Python) frames hold each call's ``tag`` or its ``seed`` (derivative's
    scalar hot path).  Read only when a result holds another call's numbers
    (nested, slow), so that the calls need not register."""
    tags = set()
    frame = sys._getframe(0)          # compiled code has no frame: this is the caller's
    while frame is not None:
        if frame.f_globals.get("__name__", "").startswith("dualnum"):
            local = frame.f_locals
            if type(local.get("tag")) is int:
                tags.add(local["tag"])
            if type(local.get("seed")) is Dual:
                tags.add((<Dual> local["seed"]).tag)
        frame = frame.f_back
    return tags
