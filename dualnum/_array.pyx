# cython: freethreading_compatible = False
"""Compiled core of dualnum.DualArray: storage, arithmetic, the numpy ufunc
fast path, indexing and the full sum.

dualnum.dualarray.DualArray subclasses DualArrayCore and adds what is not
per-operation overhead (numpy functions, shape methods, documentation).  Here
operands are unpacked without Python-level calls, broadcast, and handed to
the fused loops of dualnum/_kernels.pyx as raw pointers; results are
allocated through the numpy C API.  This matters because numpy code on small
arrays is dominated by per-call overhead: a gradient of a 10-variable numpy
function runs ~10 operations, each of which must cost about what numpy's own
call costs.
"""
cimport cython
cimport numpy as cnp
from cpython.object cimport PyObject_RichCompare

from dualnum._core cimport Dual, make_dual
from dualnum._kernels cimport Rule, binary_loop, unary_loop

import numbers
import warnings

import numpy as np

from dualnum._kernels import BINARY_RULES, UNARY_RULES

cnp.import_array()

cdef object _ndarray = np.ndarray
cdef object _ALL = slice(None)
cdef tuple _REAL = (numbers.Real, np.number, np.bool_)
# release the GIL only when the loop is long enough to repay it
cdef Py_ssize_t _NOGIL_ENTRIES = 16384
cdef enum:
    MAX_DIMS = 64                     # numpy's limit (32 before numpy 2)

# numpy ufunc -> rule, for the __array_ufunc__ fast path
cdef dict _UNARY_UFUNCS = {}
cdef dict _BINARY_UFUNCS = {}
for _name, _rule in UNARY_RULES.items():
    if isinstance(getattr(np, _name, None), np.ufunc):
        _UNARY_UFUNCS[getattr(np, _name)] = _rule
for _name, _rule in BINARY_RULES.items():
    if isinstance(getattr(np, _name, None), np.ufunc):
        _BINARY_UFUNCS[getattr(np, _name)] = _rule

cdef Rule _ADD = BINARY_RULES["add"], _SUB = BINARY_RULES["subtract"]
cdef Rule _MUL = BINARY_RULES["multiply"], _DIV = BINARY_RULES["divide"]
cdef Rule _FLOORDIV = BINARY_RULES["floor_divide"], _MOD = BINARY_RULES["remainder"]
cdef Rule _POW = BINARY_RULES["power"]
cdef Rule _NEG = UNARY_RULES["negative"], _ABS = UNARY_RULES["absolute"]

# numpy function -> its DualArray version; filled by dualnum/dualarray.py and
# the modules it imports
FUNCTIONS = {}

# the Python class results are made of (dualnum.dualarray.DualArray)
cdef object _result_type = None


def register_result_type(cls):
    """Make ``cls`` (a subclass of DualArrayCore) the type of every result."""
    global _result_type
    if not issubclass(cls, DualArrayCore):
        raise TypeError("the result type must subclass DualArrayCore")
    _result_type = cls


cdef class DualArrayCore:
    """Storage and hot paths of :class:`dualnum.DualArray` (see there)."""
    cdef readonly cnp.ndarray value
    cdef readonly cnp.ndarray tangent
    cdef readonly unsigned long long tag

    def __init__(self, value, tangent, unsigned long long tag=0):
        v = np.array(value, dtype=np.float64)
        t = np.array(tangent, dtype=np.float64)
        if t.ndim != v.ndim + 1 or t.shape[:-1] != v.shape:
            raise ValueError(
                f"tangent must have shape value.shape + (k,) = {v.shape} + (k,), got {t.shape}")
        self.value, self.tangent, self.tag = v, t, tag

    @property
    def directions(self):
        """k, the number of tangent directions."""
        return _directions(self)

    # arithmetic: the rule table through the fused loops
    def __add__(self, other):
        return _binary(_ADD, self, other)

    def __radd__(self, other):
        return _binary(_ADD, other, self)

    def __sub__(self, other):
        return _binary(_SUB, self, other)

    def __rsub__(self, other):
        return _binary(_SUB, other, self)

    def __mul__(self, other):
        return _binary(_MUL, self, other)

    def __rmul__(self, other):
        return _binary(_MUL, other, self)

    def __truediv__(self, other):
        return _binary(_DIV, self, other)

    def __rtruediv__(self, other):
        return _binary(_DIV, other, self)

    def __floordiv__(self, other):
        return _binary(_FLOORDIV, self, other)

    def __rfloordiv__(self, other):
        return _binary(_FLOORDIV, other, self)

    def __mod__(self, other):
        return _binary(_MOD, self, other)

    def __rmod__(self, other):
        return _binary(_MOD, other, self)

    def __pow__(self, other, mod):
        return _binary(_POW, self, other) if mod is None else NotImplemented

    def __rpow__(self, other, mod):
        return _binary(_POW, other, self) if mod is None else NotImplemented

    def __neg__(self):
        return _unary(_NEG, self)

    def __abs__(self):
        return _unary(_ABS, self)

    def __richcmp__(self, other, int op):
        # comparisons act on the values and give plain boolean arrays
        return PyObject_RichCompare(self.value, _value_of(other), op)

    __hash__ = None                   # mutable, like ndarray

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        cdef Rule rule
        if method == "__call__" and not kwargs:
            if len(inputs) == 1:
                rule = _UNARY_UFUNCS.get(ufunc)
                if rule is not None:
                    return _unary(rule, inputs[0])
            elif len(inputs) == 2:
                rule = _BINARY_UFUNCS.get(ufunc)
                if rule is not None:
                    result = _binary(rule, inputs[0], inputs[1])
                    if result is not NotImplemented:
                        return result
        return self._ufunc_fallback(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        for t in types:
            if not (issubclass(t, DualArrayCore) or issubclass(t, _ndarray)):
                return NotImplemented        # another array type takes part: let it try
        handler = FUNCTIONS.get(func)
        if handler is None:
            raise TypeError(
                f"numpy.{func.__name__} is not supported for dualnum.DualArray "
                "(it would drop or misplace the derivative)")
        return handler(*args, **kwargs)

    def __dualnum_unary__(self, str name):
        """Apply a dualnum function that has no numpy ufunc (erf, gamma, sigmoid, ...)."""
        return _unary(UNARY_RULES[name], self)

    def __getitem__(self, key):
        cdef Py_ssize_t i, n, k
        cdef cnp.ndarray t = self.tangent
        if type(key) is int and self.value.ndim == 1:      # scalar-style code: x[i]
            n = self.value.shape[0]
            i = key
            if i < 0:
                i += n
            if 0 <= i < n:
                k = _directions(self)
                return make_dual(
                    (<double*> cnp.PyArray_GETPTR1(self.value, i))[0],
                    <double*> cnp.PyArray_GETPTR2(t, i, 0),
                    cnp.PyArray_STRIDE(t, 1) // sizeof(double), k, self.tag)
        value = self.value[key]
        tangent = self.tangent[(key if type(key) is tuple else (key,)) + (_ALL,)]
        if type(value) is not _ndarray or (<cnp.ndarray> value).ndim == 0:
            return _to_dual(float(value), tangent, self.tag)
        return _wrap(value, tangent, self.tag)

    def sum(self, axis=None, keepdims=False):
        """Sum over all elements (a Dual) or over ``axis``, as ndarray.sum."""
        if axis is None and not keepdims:
            return _sum_all(self)
        from dualnum.dualarray import _reduce
        return _reduce(self, np.sum, axis, keepdims)


# ------------------------------------------------------------- operands

@cython.final
@cython.freelist(8)
cdef class _Operand:
    """One operand unpacked for a loop: an array, or a scalar (value None)."""
    cdef cnp.ndarray value          # C-contiguous float64, or None for a scalar
    cdef cnp.ndarray tangent        # C-contiguous value.shape + (k,), or None
    cdef double scalar
    cdef Dual dual                  # a scalar with partials, or None

    cdef const double* values(self):
        return &self.scalar if self.value is None else <double*> cnp.PyArray_DATA(self.value)

    cdef const double* tangents(self):
        if self.dual is not None:
            return self.dual.d
        return NULL if self.tangent is None else <double*> cnp.PyArray_DATA(self.tangent)

    cdef Py_ssize_t size(self):
        return 1 if self.value is None else cnp.PyArray_SIZE(self.value)

    cdef object original(self):
        return self.scalar if self.value is None else self.value


cdef inline Py_ssize_t _directions(DualArrayCore x):
    return cnp.PyArray_DIM(x.tangent, cnp.PyArray_NDIM(x.tangent) - 1)


cdef inline tuple _shape(cnp.ndarray a):
    return (<object> a).shape


cdef inline cnp.ndarray _contiguous(cnp.ndarray a):
    return a if cnp.PyArray_IS_C_CONTIGUOUS(a) else np.ascontiguousarray(a)


cdef int _check(unsigned long long tag, Py_ssize_t k,
                unsigned long long expected_tag, Py_ssize_t expected_k) except -1:
    if tag != expected_tag:
        raise ValueError(
            "cannot combine dual numbers seeded by different differentiation calls "
            "(e.g. a nested derivative whose function closes over the outer variable); "
            "nested differentiation is not supported in this version of dualnum")
    if k != expected_k:
        raise ValueError(f"cannot combine dual numbers with {k} and {expected_k} tangent directions")
    return 0


cdef bint _source(object x, unsigned long long* tag, Py_ssize_t* k):
    """Store (tag, k) of x if it is a dual operand; False otherwise."""
    if isinstance(x, DualArrayCore):
        tag[0] = (<DualArrayCore> x).tag
        k[0] = _directions(<DualArrayCore> x)
        return True
    if type(x) is Dual and (<Dual> x).n:
        tag[0] = (<Dual> x).tag
        k[0] = (<Dual> x).n
        return True
    return False


cdef _Operand _operand(object x, unsigned long long tag, Py_ssize_t k):
    """x unpacked for a loop, or None when x is no number or array (NotImplemented)."""
    cdef _Operand op = _Operand.__new__(_Operand)
    cdef DualArrayCore d
    cdef cnp.ndarray arr
    if isinstance(x, DualArrayCore):
        d = <DualArrayCore> x
        if d.tag != tag or _directions(d) != k:
            _check(d.tag, _directions(d), tag, k)
        op.value = _contiguous(d.value)
        op.tangent = _contiguous(d.tangent)
        return op
    if type(x) is float or type(x) is int:
        op.scalar = x
        return op
    if type(x) is Dual:
        op.scalar = (<Dual> x).val
        if (<Dual> x).n:
            _check((<Dual> x).tag, (<Dual> x).n, tag, k)
            op.dual = <Dual> x
        return op
    if isinstance(x, _REAL):
        op.scalar = float(x)
        return op
    if isinstance(x, _ndarray):
        if (<cnp.ndarray> x).dtype.kind not in "biuf":
            if (<cnp.ndarray> x).dtype.kind == "O":
                raise TypeError("cannot combine a DualArray with a numpy object array")
            return None
    elif not isinstance(x, (list, tuple)):
        return None
    arr = cnp.PyArray_FROMANY(x, cnp.NPY_DOUBLE, 0, 0,
                              cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ALIGNED)
    if arr.ndim == 0:
        op.scalar = (<double*> cnp.PyArray_DATA(arr))[0]
    else:
        op.value = arr
    return op


cdef object _value_of(object x):
    if isinstance(x, DualArrayCore):
        return (<DualArrayCore> x).value
    if type(x) is Dual:
        return (<Dual> x).val
    return x


# ------------------------------------------------------------- results

cdef inline object _wrap(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    cdef DualArrayCore r = DualArrayCore.__new__(_result_type)
    r.value = value
    r.tangent = tangent
    r.tag = tag
    return r


cdef object _to_dual(double value, cnp.ndarray tangent, unsigned long long tag):
    """A Dual from a value and a 1-d (k,) tangent."""
    return make_dual(value, <double*> cnp.PyArray_DATA(tangent),
                     cnp.PyArray_STRIDE(tangent, 0) // sizeof(double),
                     cnp.PyArray_DIM(tangent, 0), tag)


cdef object _result(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    """A DualArray, or a Dual for a 0-d value."""
    if value.ndim == 0:
        return _to_dual((<double*> cnp.PyArray_DATA(value))[0],
                        tangent.reshape(-1), tag)
    return _wrap(value, tangent, tag)


cdef tuple _empty(int ndim, cnp.npy_intp* shape, Py_ssize_t k):
    """Fresh (value, tangent) arrays of the given shape and k directions."""
    cdef cnp.npy_intp dims[MAX_DIMS + 1]
    cdef int i
    if ndim >= MAX_DIMS:
        raise ValueError(f"a DualArray supports at most {MAX_DIMS - 1} dimensions")
    for i in range(ndim):
        dims[i] = shape[i]
    dims[ndim] = k
    return (cnp.PyArray_EMPTY(ndim, dims, cnp.NPY_DOUBLE, 0),
            cnp.PyArray_EMPTY(ndim + 1, dims, cnp.NPY_DOUBLE, 0))


def _report(str name, tuple values):
    """Non-finite results from finite inputs warn (or raise) as numpy would."""
    ufunc = getattr(np, name, None)
    if isinstance(ufunc, np.ufunc):
        ufunc(*values)                       # numpy emits its own warning per np.errstate
        return
    mode = np.geterr()["invalid"]
    message = f"invalid value encountered in {name}"
    if mode == "raise":
        raise FloatingPointError(message)
    if mode != "ignore":
        warnings.warn(message, RuntimeWarning, stacklevel=3)


# ------------------------------------------------------------- operations

cdef object _unary(Rule rule, object x):
    cdef DualArrayCore d = <DualArrayCore?> x
    cdef Py_ssize_t k = _directions(d), m, bad
    cdef cnp.ndarray v = _contiguous(d.value), t = _contiguous(d.tangent)
    out_value, out_tangent = _empty(v.ndim, cnp.PyArray_DIMS(v), k)
    cdef double* ov = <double*> cnp.PyArray_DATA(out_value)
    cdef double* ot = <double*> cnp.PyArray_DATA(out_tangent)
    cdef const double* pv = <double*> cnp.PyArray_DATA(v)
    cdef const double* pt = <double*> cnp.PyArray_DATA(t)
    m = cnp.PyArray_SIZE(v)
    if m * k >= _NOGIL_ENTRIES:
        with nogil:
            bad = unary_loop(rule.unary, m, k, pv, pt, ov, ot)
    else:
        bad = unary_loop(rule.unary, m, k, pv, pt, ov, ot)
    if bad:
        _report(rule.name, (d.value,))
    return _result(out_value, out_tangent, d.tag)


cdef object _binary(Rule rule, object a, object b):
    """rule(a, b) with a dual operand among a and b; NotImplemented for unknown types."""
    cdef unsigned long long tag = 0
    cdef Py_ssize_t k = 0, m, bad
    if not _source(a, &tag, &k):
        _source(b, &tag, &k)
    cdef _Operand x = _operand(a, tag, k), y = _operand(b, tag, k)
    if x is None or y is None:
        return NotImplemented
    cdef cnp.ndarray shaped                     # the operand whose shape the result has
    if y.value is None:
        shaped = x.value
    elif x.value is None or _same_shape(x.value, y.value):
        shaped = y.value
    else:
        shaped = _broadcast(x, y, k)
    if shaped is None:                          # two scalars: a 0-d result
        out_value, out_tangent = _empty(0, NULL, k)
    else:
        out_value, out_tangent = _empty(shaped.ndim, cnp.PyArray_DIMS(shaped), k)
    m = cnp.PyArray_SIZE(out_value)
    cdef double* ov = <double*> cnp.PyArray_DATA(out_value)
    cdef double* ot = <double*> cnp.PyArray_DATA(out_tangent)
    cdef const double* pa = x.values()
    cdef const double* ta = x.tangents()
    cdef const double* pb = y.values()
    cdef const double* tb = y.tangents()
    cdef Py_ssize_t step_a = 1 if x.size() == m else 0
    cdef Py_ssize_t step_b = 1 if y.size() == m else 0
    if m * k >= _NOGIL_ENTRIES:
        with nogil:
            bad = binary_loop(rule.binary, m, k, pa, ta, step_a, pb, tb, step_b, ov, ot)
    else:
        bad = binary_loop(rule.binary, m, k, pa, ta, step_a, pb, tb, step_b, ov, ot)
    if bad:
        _report(rule.name, (x.original(), y.original()))
    return _result(out_value, out_tangent, tag)


cdef bint _same_shape(cnp.ndarray a, cnp.ndarray b):
    cdef int i
    if a.ndim != b.ndim:
        return False
    for i in range(a.ndim):
        if cnp.PyArray_DIM(a, i) != cnp.PyArray_DIM(b, i):
            return False
    return True


cdef cnp.ndarray _broadcast(_Operand x, _Operand y, Py_ssize_t k):
    """Broadcast two array operands of different shapes in place (an operand of
    one element stays one element: the loop reads it with step 0); returns an
    array of the result's shape."""
    shape = np.broadcast_shapes(_shape(x.value), _shape(y.value))
    cdef _Operand op
    for op in (x, y):
        if _shape(op.value) != shape and op.size() != 1:
            op.value = np.ascontiguousarray(np.broadcast_to(op.value, shape))
            if op.tangent is not None:
                op.tangent = np.ascontiguousarray(np.broadcast_to(op.tangent, shape + (k,)))
    if _shape(x.value) == shape:
        return x.value
    if _shape(y.value) == shape:
        return y.value
    return np.empty(shape)                       # both had one element


cdef object _sum_all(DualArrayCore x):
    """The sum of all elements: a Dual.  The value is numpy's sum (so it equals
    the value of the same code on plain arrays); the tangent rows are added in
    order, as numpy's sum over the leading axis does."""
    cdef Py_ssize_t k = _directions(x), m = cnp.PyArray_SIZE(x.value), i, j
    value = x.value.sum()
    if k == 1 or m == 0:
        return _to_dual(value, x.tangent.reshape(m, k).sum(axis=0), x.tag)
    cdef cnp.ndarray t = _contiguous(x.tangent)
    total = np.zeros(k)
    cdef double* acc = <double*> cnp.PyArray_DATA(total)
    cdef const double* row = <double*> cnp.PyArray_DATA(t)
    with nogil:
        for i in range(m):
            for j in range(k):
                acc[j] += row[i * k + j]
    return _to_dual(value, total, x.tag)


# --------------------------------------------- helpers for the Python layer

def wrap(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    """A DualArray around float64 arrays (tangent: value.shape + (k,)), no copy."""
    return _wrap(value, tangent, tag)


def result(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    """As :func:`wrap`, but a Dual for a 0-d value."""
    return _result(value, tangent, tag)


def source(*operands):
    """(tag, k) of the first dual operand."""
    cdef unsigned long long tag = 0
    cdef Py_ssize_t k = 0
    for x in operands:
        if _source(x, &tag, &k):
            return tag, k
    raise TypeError("no dual operand")


def parts(x, unsigned long long tag, Py_ssize_t k):
    """(value array, tangent array or None) of an operand, checking its tag and k."""
    cdef _Operand op = _operand(x, tag, k)
    if op is None:
        raise TypeError(f"cannot combine a DualArray with {type(x).__name__}")
    if isinstance(x, DualArrayCore):            # as stored (views stay views)
        return (<DualArrayCore> x).value, (<DualArrayCore> x).tangent
    if op.dual is not None:
        return op.scalar, np.array(<double[:k]> op.dual.d)
    if type(x) is Dual:
        return op.scalar, None
    return np.asarray(x, dtype=np.float64), None   # as given: no contiguous copy


def elementwise(str name, *operands):
    """The rule ``name`` of the table applied to one or two operands (one dual)."""
    if len(operands) == 1 and name in UNARY_RULES:
        return _unary(UNARY_RULES[name], operands[0])
    if len(operands) == 2 and name in BINARY_RULES:
        result = _binary(BINARY_RULES[name], operands[0], operands[1])
        if result is NotImplemented:
            raise TypeError(
                f"numpy.{name} of a DualArray and {type(operands[0]).__name__}, "
                f"{type(operands[1]).__name__} is not supported")
        return result
    raise TypeError(f"numpy.{name} with {len(operands)} operands is not supported for dualnum.DualArray")


def seed_block(cnp.ndarray point, Py_ssize_t start, Py_ssize_t k, unsigned long long tag):
    """The argument of one chunk of a gradient or Jacobian: a copy of the float64
    ``point`` whose tangent is e_0..e_{k-1} at flat entries start..start+k-1 and
    zero elsewhere (a scalar Dual for a 0-d point)."""
    cdef Py_ssize_t j, n = cnp.PyArray_SIZE(point)
    if not 0 <= start <= start + k <= n:
        raise ValueError(f"directions {start}..{start + k} out of range for {n} variables")
    value = np.array(point, dtype=np.float64, order="C")
    tangent = np.zeros((<object> point).shape + (k,))
    cdef double* t = <double*> cnp.PyArray_DATA(tangent)
    for j in range(k):
        t[(start + j) * k + j] = 1.0
    return _result(value, tangent, tag)
