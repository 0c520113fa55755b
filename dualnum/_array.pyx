# cython: freethreading_compatible = False
"""dualnum.DualArray: its compiled core (arithmetic, the numpy ufunc fast path,
indexing, the full sum and sparse tangents, on the storage and recorded
chains of dualnum/_chains.pyx) and the class users see, built here from
that core and the Python methods of dualnum/_array_methods.py, so that
every result is made of it without a hook.  The numpy functions are the
tables of dualnum/_functions_shape.py, dualnum/_functions_linalg.py and
dualnum/_array_reductions.py, whose handlers get this module's primitives
(_FirstOrder) as their first argument.

Here operands are unpacked without Python-level calls, broadcast, and handed to
the fused loops of dualnum/_kernels.pyx as raw pointers; results are
allocated through the numpy C API.  This matters because numpy code on small
arrays is dominated by per-call overhead: a gradient of a 10-variable numpy
function runs ~10 operations, each of which must cost about what numpy's own
call costs.
"""
cimport cython
cimport numpy as cnp
from cpython.object cimport PyObject_RichCompare, PyTypeObject

from dualnum._chains cimport (
    ArrayStorage, Pending, attach, contiguous_storage as _contiguous_storage,
    empty as _empty, expose as _expose, plan, ready as _ready, real_scalar as _scalar,
    run_binary as _run_binary, run_unary as _run_unary, shape_of as _shape_of, size_of as _size_of,
)
from dualnum._core cimport Dual, make_dual
from dualnum._kernels cimport FAST_ADD, FAST_MUL, FAST_POW, FAST_SUB, Rule
from dualnum._nested cimport Nested
from dualnum._rules cimport binary_rule, unary_rule
from dualnum._loops cimport AddOp, AnyBinaryOp, MulOp, SubOp, binary_concat_loop
from dualnum._rows cimport COMPACT_WIDTH, MAX_DIMS, contiguous as _contiguous, merge_entries, merge_plan

import numbers
import operator
import threading

import numpy as np

cdef tuple _COMPLEX_SCALARS = (complex, np.complexfloating)

from dualnum import _array_reductions, _functions_linalg, _functions_moves, _functions_shape
from dualnum import _functions_composite, _functions_fft, _functions_interp, _functions_values
from dualnum import _linalg_rules
from dualnum._complex_array import ComplexDualArray as _ComplexDualArray
from dualnum._function_args import join_tables as _join_tables
from dualnum._array_methods import DualArrayMethods as _DualArrayMethods
from dualnum._chains import report as _report
from dualnum._kernels import BINARY_RULES, SQUARE_BY_POWER, UNARY_RULES
from dualnum._object_arrays import DualObjects as _DualObjectsType, binary as _objects_binary

cnp.import_array()

cdef object _ndarray = np.ndarray
cdef type _DualObjects = _DualObjectsType     # a C global: read by every binary operation
cdef object _ALL = slice(None)
# release the GIL only when the loop is long enough to repay it
cdef Py_ssize_t _NOGIL_ENTRIES = 16384
cdef object _FLOAT64 = np.dtype(np.float64)

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
cdef Rule _POW = BINARY_RULES["power"], _SQUARE = SQUARE_BY_POWER
cdef Rule _NEG = UNARY_RULES["negative"], _ABS = UNARY_RULES["absolute"]

# the class results are made of: DualArray, built at the end of this module
cdef type _result_type = None
# numpy function -> handler(engine, *args, **kwargs), for __array_function__
cdef dict _FUNCTIONS = _join_tables(
    _functions_shape.FUNCTIONS, _functions_linalg.FUNCTIONS, _linalg_rules.FUNCTIONS,
    _array_reductions.FUNCTIONS, _functions_composite.FUNCTIONS, _functions_fft.FUNCTIONS,
    _functions_interp.FUNCTIONS,
    shared=(_functions_moves.FUNCTIONS, _functions_values.FUNCTIONS))
# NEP 35 like=self: numpy function -> handler(engine, self, *args, **kwargs)
cdef dict _LIKE_FUNCTIONS = _functions_values.LIKE_FUNCTIONS
# the primitives handed to the handlers (_FirstOrder, set once the types exist)
cdef object _ENGINE = None


cdef class DualArrayCore(ArrayStorage):
    """Hot paths of :class:`dualnum.DualArray` (see there) on the storage of
    dualnum/_chains.pyx (dense or sparse tangents, recorded chains)."""

    def __init__(self, value, tangent, tag=0):
        v = np.array(_real_array(value, "the value of a DualArray"), dtype=np.float64)
        t = np.array(_real_array(tangent, "the tangent of a DualArray"), dtype=np.float64)
        if t.ndim != v.ndim + 1 or t.shape[:-1] != v.shape:
            raise ValueError(
                f"tangent must have shape value.shape + (k,) = {v.shape} + (k,), got {t.shape}")
        tag = _as_tag(tag)
        if self._value is not None or self._pending is not None:
            _expose(self)       # __init__ again: pending arrays must not read the new storage
        self._value, self._dense, self._index, self._weight, self.tag = v, t, None, None, tag
        self.directions = t.shape[t.ndim - 1]
        self._fresh = True                        # np.array made copies

    @property
    def value(self):
        """The values, a float64 ndarray (not a copy)."""
        _expose(self)
        return self._value

    @property
    def tangent(self):
        """The dense tangent, shape ``value.shape + (k,)`` (k = ``directions``)."""
        _expose(self)
        return _dense_of(self)

    @property
    def sparse_tangent(self):
        """``(index, weight)`` while the tangent is stored sparsely, else None:
        element e has ``weight[e + (j,)]`` in direction ``index[e + (j,)]``
        (entries with index -1 are unused; repeated directions add up)."""
        _expose(self)
        return None if self._dense is not None else (self._index, self._weight)

    @property
    def shape(self):
        """Shape of the value array."""
        return _shape_of(self)

    @property
    def ndim(self):
        """Number of dimensions."""
        return len(_shape_of(self))

    @property
    def size(self):
        """Number of elements."""
        if self._value is None and self._pending is None:
            _no_storage()
        return _size_of(self)

    @property
    def dtype(self):
        """float64, the dtype of values and tangents."""
        return _FLOAT64

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
        _ready(self)
        return PyObject_RichCompare(self._value, _value_of(other), op)

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
        for x in inputs:
            if type(x) is _DualObjects:
                return NotImplemented         # numbers of other calls: nesting's array computes
        return self._ufunc_fallback(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        for t in types:
            if not (issubclass(t, DualArrayCore) or issubclass(t, _ndarray) or t is Dual) \
                    or t is _DualObjects:
                return NotImplemented        # another array type takes part: let it try
        handler = _FUNCTIONS.get(func)
        if handler is None:
            handler = _LIKE_FUNCTIONS.get(func)     # np.zeros(..., like=self) & co.
            if handler is not None:
                return handler(_ENGINE, self, *args, **kwargs)
            raise TypeError(
                f"numpy.{func.__name__} is not supported for dualnum.DualArray "
                "(it would drop or misplace the derivative)")
        return handler(_ENGINE, *args, **kwargs)

    def __reduce__(self):
        # the storage as it is (sparse stays sparse), without the bookkeeping
        # of recorded chains, which belongs to this process's objects
        _ready(self)
        if self._dense is None:
            return _unpickle, (type(self), self._value, None, self._index, self._weight,
                               self.directions, self.tag)
        return _unpickle, (type(self), self._value, self._dense, None, None, self.directions, self.tag)

    def __dualnum_unary__(self, str name):
        """Apply a dualnum function that has no numpy ufunc (erf, gamma, sigmoid, ...)."""
        return _unary(UNARY_RULES[name], self)

    def __getitem__(self, key):
        cdef Py_ssize_t i, n, k
        _ready(self)
        cdef cnp.ndarray t = self._dense
        if self._dense is None:
            return _sparse_getitem(self, key)
        if type(key) is int and self._value.ndim == 1:      # scalar-style code: x[i]
            n = self._value.shape[0]
            i = key
            if i < 0:
                i += n
            if 0 <= i < n:
                k = _directions(self)
                return make_dual(
                    (<double*> cnp.PyArray_GETPTR1(self._value, i))[0],
                    <double*> cnp.PyArray_GETPTR2(t, i, 0),
                    cnp.PyArray_STRIDE(t, 1) // sizeof(double), k, self.tag)
        _expose(self)                        # the result may be a view of the storage
        value = self._value[key]
        tangent = t[(key if type(key) is tuple else (key,)) + (_ALL,)]
        if type(value) is not _ndarray or (<cnp.ndarray> value).ndim == 0:
            return _to_dual(float(value), tangent, self.tag)
        return _wrap(value, tangent, self.tag)

    def sum(self, axis=None, keepdims=False):
        """Sum over all elements (a Dual) or over ``axis``, as ndarray.sum."""
        if axis is None and not keepdims:
            return _sum_stored(self)
        return _ENGINE.reduce(self, np.sum, axis, keepdims)


# DualArrayCore adds no fields to its storage, so the storage's deallocation is
# all it needs: Cython's own would untrack it from the garbage collector,
# track it again and call the storage's (about 20 instructions and two
# indirect calls per array dropped)
assert DualArrayCore.__basicsize__ == ArrayStorage.__basicsize__, "fields need their own tp_dealloc"
(<PyTypeObject*> DualArrayCore).tp_dealloc = (<PyTypeObject*> ArrayStorage).tp_dealloc


def _unpickle(cls, value, dense, index, weight, k, tag):
    """A DualArrayCore of class cls from the state DualArrayCore.__reduce__ saves
    (checked: the loops trust shapes, dtypes and directions)."""
    if not (isinstance(cls, type) and issubclass(cls, DualArrayCore)):
        raise TypeError("a DualArray pickle must name a DualArray class")
    for a in (value, dense, index, weight):
        if a is not None and type(a) is not _ndarray:
            raise TypeError(f"a DualArray pickle holds ndarrays, not {type(a).__name__}")
    cdef Py_ssize_t directions = _as_count(k)
    if value is None or (dense is None) == (index is None and weight is None):
        raise ValueError("a DualArray pickle holds a value and either a dense or a sparse tangent")
    if dense is not None:
        _check_dense(value, dense)
        if cnp.PyArray_DIM(dense, dense.ndim - 1) != directions:
            raise ValueError(f"a DualArray pickle of {directions} directions holds a tangent "
                             f"of shape {dense.shape}")
    else:
        _check_sparse(value, index, weight, directions)
    cdef DualArrayCore r = DualArrayCore.__new__(cls)
    r._value, r._dense, r._index, r._weight = value, dense, index, weight
    r.directions, r.tag = directions, _as_tag(tag)
    return r


# ------------------------------------------------------- checked input
# Constructors, unpickling and the wrap_* helpers check what they are given:
# the loops read raw memory and trust shapes, dtypes and directions.

cpdef object _not_real(object x, str what):
    """The TypeError for a complex or non-numeric operand or argument."""
    if isinstance(x, _ndarray):
        kind, name = (<cnp.ndarray> x).dtype.kind, f"an array of dtype {(<cnp.ndarray> x).dtype}"
    else:
        kind, name = "c" if isinstance(x, numbers.Complex) else "", type(x).__name__
    if kind == "c":
        return TypeError(
            f"{what} is complex ({name}): dualnum has no complex dual numbers yet "
            "(take .real explicitly if the imaginary part is zero)")
    return TypeError(f"{what} must be real numbers, not {name}")


cdef cnp.ndarray _real_array(object x, str what):
    """x as an array of real numbers (bool, int or float), as numpy reads it:
    strings, None and complex numbers raise TypeError, as numpy's float ufuncs do."""
    cdef cnp.ndarray a = np.asarray(x)
    if a.dtype.kind not in "biuf":
        raise _not_real(a, what)
    return a


cdef int _no_storage() except -1:
    # DualArrayCore.__new__ alone leaves the storage missing, and the loops read it
    raise TypeError("this DualArray has no storage (made by __new__ without __init__)")


cpdef unsigned long long _as_tag(object tag) except? 0:
    t = operator.index(tag)                     # TypeError for non-integers
    if not 0 <= t < 2 ** 64:
        raise ValueError(f"tag must be an integer in [0, 2**64), got {t}")
    return t


cdef Py_ssize_t _as_count(object k) except -1:
    n = operator.index(k)
    if not 0 <= n < 2 ** 62:
        raise ValueError(f"the number of directions must be a non-negative integer, got {n}")
    return n


cdef inline bint _is_float64(cnp.ndarray a):
    return cnp.PyArray_TYPE(a) == cnp.NPY_DOUBLE and cnp.PyArray_ISNOTSWAPPED(a)


cdef int _check_trailing(cnp.ndarray value, cnp.ndarray a, str what) except -1:
    """a must have shape value.shape + (w,)."""
    cdef int i
    if a.ndim == value.ndim + 1:
        for i in range(value.ndim):
            if cnp.PyArray_DIM(a, i) != cnp.PyArray_DIM(value, i):
                break
        else:
            return 0
    raise ValueError(f"{what} must have shape value.shape + (k,) = {_shape(value)} + (k,), "
                     f"got {_shape(a)}")


cdef int _check_dense(cnp.ndarray value, cnp.ndarray tangent) except -1:
    if value is None or tangent is None:
        raise TypeError("value and tangent must be ndarrays")
    if not (_is_float64(value) and _is_float64(tangent)):
        for a in (value, tangent):
            if cnp.PyArray_ISCOMPLEX(a):         # e.g. numpy's result with a complex operand
                raise _not_real(a, "a DualArray")
        raise TypeError(f"value and tangent must be float64 arrays, not {value.dtype} and {tangent.dtype}")
    _check_trailing(value, tangent, "tangent")
    return 0


cdef int _check_sparse(cnp.ndarray value, cnp.ndarray index, cnp.ndarray weight,
                       Py_ssize_t k) except -1:
    if value is None or index is None or weight is None:
        raise TypeError("value, index and weight must be ndarrays")
    if not (_is_float64(value) and _is_float64(weight)
            and cnp.PyArray_TYPE(index) == cnp.NPY_INTP and cnp.PyArray_ISNOTSWAPPED(index)):
        raise TypeError("value and weight must be float64 arrays and index an intp array")
    _check_trailing(value, index, "index")
    if _shape(index) != _shape(weight):
        raise ValueError(f"index and weight must have the same shape, got {_shape(index)} "
                         f"and {_shape(weight)}")
    if k < 0:
        raise ValueError(f"the number of directions must be non-negative, got {k}")
    cdef cnp.ndarray idx = _contiguous(index)
    cdef const Py_ssize_t* p = <Py_ssize_t*> cnp.PyArray_DATA(idx)
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(idx), bad = -1
    with nogil:
        for i in range(n):
            if p[i] < -1 or p[i] >= k:       # -1: no entry; the scatter trusts the rest
                bad = i
                break
    if bad >= 0:
        raise ValueError(f"a sparse index must lie in [-1, {k}), got {p[bad]}")
    return 0


# ------------------------------------------------------------- operands

@cython.final
@cython.freelist(8)
cdef class _Operand:
    """One operand unpacked for a loop: an array, or a scalar (value None)."""
    cdef cnp.ndarray value          # C-contiguous float64, or None for a scalar
    cdef cnp.ndarray tangent        # C-contiguous value.shape + (k,), or None
    cdef cnp.ndarray index          # a sparse tangent (C-contiguous), or None
    cdef cnp.ndarray weight
    cdef double scalar
    cdef Dual dual                  # a scalar with partials, or None
    cdef DualArrayCore source       # the DualArray it came from, or None

    cdef bint dense_tangent(self):
        return self.tangent is not None or self.dual is not None

    cdef int densify(self) except -1:
        if self.index is not None:
            self.tangent = _contiguous(_dense_of(self.source))
            self.index = self.weight = None
        return 0

    cdef Py_ssize_t width(self):
        return cnp.PyArray_DIM(self.index, self.index.ndim - 1)

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
    return x.directions


cdef inline tuple _shape(cnp.ndarray a):
    return (<object> a).shape


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
        _ready(d)
        if d._value is None:
            _no_storage()
        op.value = _contiguous(d._value)
        op.source = d
        if d._dense is not None:
            op.tangent = _contiguous(d._dense)
        else:
            op.index = _contiguous(d._index)
            op.weight = _contiguous(d._weight)
        return op
    if _scalar(x, &op.scalar):
        if type(x) is Dual and (<Dual> x).n:
            _check((<Dual> x).tag, (<Dual> x).n, tag, k)
            op.dual = <Dual> x
        return op
    if isinstance(x, (list, tuple)):
        # numpy's own reading (strings stay strings; duals make an object array)
        x = cnp.PyArray_FROM_O(x)
    elif not isinstance(x, _ndarray):
        if isinstance(x, numbers.Complex):
            raise _not_real(x, "an operand of a DualArray")
        return None
    arr = <cnp.ndarray> x
    if not (cnp.PyArray_ISFLOAT(arr) or cnp.PyArray_ISINTEGER(arr) or cnp.PyArray_ISBOOL(arr)):
        if cnp.PyArray_ISOBJECT(arr):
            return _object_operand(op, arr, tag, k)
        raise _not_real(arr, "an operand of a DualArray")    # numpy's float ufuncs raise too
    arr = cnp.PyArray_FROMANY(arr, cnp.NPY_DOUBLE, 0, 0,
                              cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ALIGNED)
    if arr.ndim == 0:
        op.scalar = (<double*> cnp.PyArray_DATA(arr))[0]
    else:
        op.value = arr
    return op


@cython.boundscheck(False)
@cython.wraparound(False)
cdef _Operand _object_operand(_Operand op, cnp.ndarray x, unsigned long long tag, Py_ssize_t k):
    """An object array of real numbers and Duals of this call (tag, k) as a
    dense array operand, e.g. np.array([x[0], x[1]]) or [x[0] - 1.0]."""
    cdef Py_ssize_t i, j
    cdef double scalar
    cdef Dual d
    value = np.empty(_shape(x))
    tangent = np.zeros(_shape(x) + (k,))
    cdef double* v = <double*> cnp.PyArray_DATA(value)
    cdef double* t = <double*> cnp.PyArray_DATA(tangent)
    for i, item in enumerate(x.flat):
        if type(item) is Dual and (<Dual> item).n:
            d = <Dual> item
            if d.tag != tag:
                # a number of another (e.g. an enclosing) call: not this array's
                raise TypeError("cannot combine a DualArray with a numpy object array "
                                "holding dual numbers of another differentiation call")
            _check(d.tag, d.n, tag, k)
            v[i] = d.val
            for j in range(k):
                t[i * k + j] = d.d[j]
        elif _scalar(item, &scalar):
            v[i] = scalar
        elif isinstance(item, numbers.Complex):
            raise _not_real(item, "an element of an operand of a DualArray")
        else:
            raise TypeError("cannot combine a DualArray with a numpy object array holding "
                            f"{type(item).__name__}")
    op.value, op.tangent = value, tangent
    return op


cdef object _value_of(object x):
    if isinstance(x, DualArrayCore):
        _ready(<DualArrayCore> x)
        return (<DualArrayCore> x)._value
    if type(x) is Dual:
        return (<Dual> x).val
    return x


# ------------------------------------------------------------- results

cdef inline object _wrap(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    cdef DualArrayCore r = DualArrayCore.__new__(_result_type)
    r._value = value
    r._dense = tangent
    r.directions = cnp.PyArray_DIM(tangent, tangent.ndim - 1)
    r.tag = tag
    return r


cdef object _wrap_sparse(cnp.ndarray value, cnp.ndarray index, cnp.ndarray weight,
                         Py_ssize_t k, unsigned long long tag):
    cdef DualArrayCore r = DualArrayCore.__new__(_result_type)
    r._value = value
    r._index = index
    r._weight = weight
    r.directions = k
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


cdef object _fresh_result(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    """_result for arrays just allocated here."""
    r = _result(value, tangent, tag)
    if isinstance(r, DualArrayCore):
        (<DualArrayCore> r)._fresh = True
    return r


# ------------------------------------------------------------- operations

cdef object _record(Rule rule, object a, object b, bint binary):
    """A pending result of rule(a) or rule(a, b) (see dualnum/_chains.pyx), or
    None where the operation must run now."""
    cdef Pending p = plan(rule, a, b, binary)
    if p is None:
        return None
    cdef DualArrayCore r = DualArrayCore.__new__(_result_type)
    return r if attach(r, p) else None


cdef object _unary(Rule rule, object x):
    cdef DualArrayCore d = <DualArrayCore?> x
    pending = _record(rule, d, None, False)
    return pending if pending is not None else _unary_now(rule, d)


cdef object _unary_now(Rule rule, DualArrayCore d):
    _ready(d)
    if d._value is None:
        _no_storage()
    if d._dense is None:
        return _sparse_unary(rule, d)
    cdef Py_ssize_t k = _directions(d), m, bad
    cdef cnp.ndarray v = _contiguous(d._value), t = _contiguous(d._dense)
    out_value, out_tangent = _empty(v.ndim, cnp.PyArray_DIMS(v), k)
    cdef double* ov = <double*> cnp.PyArray_DATA(out_value)
    cdef double* ot = <double*> cnp.PyArray_DATA(out_tangent)
    cdef const double* pv = <double*> cnp.PyArray_DATA(v)
    cdef const double* pt = <double*> cnp.PyArray_DATA(t)
    m = cnp.PyArray_SIZE(v)
    cdef int fast = rule.fast
    cdef unary_rule f = rule.unary
    if m * k >= _NOGIL_ENTRIES:
        with nogil:                             # reads d's storage (see "Threads" in _chains.pyx)
            bad = _run_unary(fast, f, m, k, pv, pt, ov, ot)
    else:
        bad = _run_unary(fast, f, m, k, pv, pt, ov, ot)
    if bad:
        _report(rule.name, (d._value,))
    return _fresh_result(out_value, out_tangent, d.tag)


cdef inline bint _is_complex(object x):
    """x is a complex number or array (a DualArray with it is complex: the real
    path of dualnum/_complex_array.py); cheap for the real operands first."""
    if type(x) is float or type(x) is int or isinstance(x, DualArrayCore):
        return False
    if type(x) is _ndarray:
        return cnp.PyArray_ISCOMPLEX(<cnp.ndarray> x)
    if type(x) is list or type(x) is tuple:
        return any([isinstance(item, _COMPLEX_SCALARS) for item in x])
    return isinstance(x, _COMPLEX_SCALARS)


def _complex_binary(str name, a, b):
    """A DualArray (or Dual) with a complex operand: a ComplexDualArray of the real path."""
    tag, k = source(a, b)
    lifted = [_ComplexDualArray(*parts(x, tag, k), tag, _ENGINE, _functions_fft.FUNCTIONS)
              if isinstance(x, DualArrayCore) else x for x in (a, b)]
    return lifted[0]._binary(name, *lifted) if isinstance(lifted[0], _ComplexDualArray) \
        else lifted[1]._binary(name, *lifted)


cdef object _binary(Rule rule, object a, object b):
    """rule(a, b) with a dual operand among a and b; NotImplemented for unknown types."""
    cdef unsigned long long tag = 0, other_tag = 0
    cdef Py_ssize_t k = 0, other_k = 0
    if _is_complex(b) or _is_complex(a):
        return _complex_binary(rule.name, a, b)
    if (type(a) is _DualObjects or type(b) is _DualObjects or type(a) is Nested
            or type(b) is Nested):
        return _objects_binary(rule.name, a, b)     # holds numbers of other calls
    if not _source(a, &tag, &k):
        _source(b, &tag, &k)
    elif _source(b, &other_tag, &other_k) and other_tag != tag:
        # numbers of two differentiation calls: elementwise, each pair nests
        return _objects_binary(rule.name, a, b)
    if _holds_other_calls(a, tag) or _holds_other_calls(b, tag):
        return _objects_binary(rule.name, a, b)     # e.g. an inner call's numbers in an ndarray
    pending = _record(rule, a, b, True)
    if pending is not None:
        return pending
    return _binary_now(rule, a, b, tag, k)


cdef bint _holds_other_calls(object x, unsigned long long tag):
    """x is a numpy object array holding numbers of another call than ``tag``'s
    (an inner call's Duals, nested numbers), which pair with this array's
    elementwise, as two dual arrays of two calls do."""
    if type(x) is not _ndarray or not cnp.PyArray_ISOBJECT(<cnp.ndarray> x):
        return False
    for item in (<cnp.ndarray> x).flat:
        if type(item) is Nested or (type(item) is Dual and (<Dual> item).n
                                    and (<Dual> item).tag != tag and (<Dual> item).tag != 0):
            return True            # (a Dual of no call, tag 0, stays an error in _object_operand)
    return False


cdef object _binary_now(Rule rule, object a, object b, unsigned long long tag, Py_ssize_t k):
    cdef Py_ssize_t m, bad
    cdef _Operand x = _operand(a, tag, k), y = _operand(b, tag, k)
    if x is None or y is None:
        return NotImplemented
    if rule.fast == FAST_POW and _constant_two(y) and (x.dense_tangent() or x.index is not None):
        rule = _SQUARE                          # x ** 2: the same numbers without pow and log
    if x.index is not None or y.index is not None:
        if not (x.dense_tangent() or y.dense_tangent()):
            return _sparse_binary(rule, x, y, tag, k)
        x.densify()                             # sparse meets dense: all dense
        y.densify()
    cdef cnp.ndarray shaped = _shaped(x, y, k)
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
    cdef int fast = rule.fast
    cdef binary_rule f = rule.binary
    if m * k >= _NOGIL_ENTRIES:
        with nogil:                             # reads a's and b's storage (see "Threads" in _chains.pyx)
            bad = _run_binary(fast, f, m, k, pa, ta, step_a, pb, tb, step_b, ov, ot)
    else:
        bad = _run_binary(fast, f, m, k, pa, ta, step_a, pb, tb, step_b, ov, ot)
    if bad:
        _report(rule.name, (x.original(), y.original()))
    return _fresh_result(out_value, out_tangent, tag)


cdef inline bint _constant_two(_Operand y):
    """y is the number 2 without a tangent (a Python or numpy scalar, a 0-d array)."""
    return y.value is None and y.dual is None and y.scalar == 2.0


cdef bint _same_shape(cnp.ndarray a, cnp.ndarray b):
    cdef int i
    if a.ndim != b.ndim:
        return False
    for i in range(a.ndim):
        if cnp.PyArray_DIM(a, i) != cnp.PyArray_DIM(b, i):
            return False
    return True


cdef inline cnp.ndarray _shaped(_Operand x, _Operand y, Py_ssize_t k):
    """The operand whose shape the result has, after broadcasting the two if
    they differ; None for two scalars (a 0-d result)."""
    if y.value is None:
        return x.value
    if x.value is None or _same_shape(x.value, y.value):
        return y.value
    return _broadcast(x, y, k)


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
            if op.index is not None:
                w = (op.width(),)
                op.index = np.ascontiguousarray(np.broadcast_to(op.index, shape + w))
                op.weight = np.ascontiguousarray(np.broadcast_to(op.weight, shape + w))
    if _shape(x.value) == shape:
        return x.value
    if _shape(y.value) == shape:
        return y.value
    return np.empty(shape)                       # both had one element


cdef object _sum_stored(DualArrayCore x):
    """_sum_all of x, once its storage exists."""
    _ready(x)
    if x._value is None:
        _no_storage()
    return _sum_all(x)


cdef object _sum_all(DualArrayCore x):
    """The sum of all elements: a Dual.  The value is numpy's sum (so it equals
    the value of the same code on plain arrays); the tangent rows are added in
    order, as numpy's sum over the leading axis does."""
    cdef Py_ssize_t k = _directions(x), m = cnp.PyArray_SIZE(x._value), i, j
    value = x._value.sum()
    if x._dense is None:
        return _to_dual(value, _scatter(x._index, x._weight, k, False), x.tag)
    if k == 1 or m == 0:
        return _to_dual(value, x._dense.reshape(m, k).sum(axis=0), x.tag)
    cdef cnp.ndarray t = _contiguous(x._dense)
    total = np.zeros(k)
    cdef double* acc = <double*> cnp.PyArray_DATA(total)
    cdef const double* row = <double*> cnp.PyArray_DATA(t)
    with nogil:                                 # reads x's tangent (see "Threads" in _chains.pyx)
        for i in range(m):
            for j in range(k):
                acc[j] += row[i * k + j]
    return _to_dual(value, total, x.tag)


# ------------------------------------------------------- sparse tangents

@cython.boundscheck(False)
@cython.wraparound(False)
cdef cnp.ndarray _scatter(cnp.ndarray index, cnp.ndarray weight, Py_ssize_t k, bint per_element):
    """Add sparse entries into a dense tangent: value.shape + (k,) per element,
    or one (k,) row for all elements together (the sum of the array)."""
    index = _contiguous(index)
    weight = _contiguous(weight)
    cdef Py_ssize_t w = cnp.PyArray_DIM(index, index.ndim - 1)
    cdef Py_ssize_t m = cnp.PyArray_SIZE(index) // w if w else 0, i, j, c
    shape = (<object> index).shape[:-1] + (k,) if per_element else (k,)
    dense = np.zeros(shape)
    cdef double* out = <double*> cnp.PyArray_DATA(dense)
    cdef const Py_ssize_t* idx = <Py_ssize_t*> cnp.PyArray_DATA(index)
    cdef const double* wt = <double*> cnp.PyArray_DATA(weight)
    cdef Py_ssize_t row = k if per_element else 0
    with nogil:                     # reads a sparse operand's storage (see "Threads" in _chains.pyx)
        for i in range(m):
            for j in range(w):
                c = idx[i * w + j]
                if c >= 0:
                    out[i * row + c] += wt[i * w + j]
    return dense


class DenseTangentTooLarge(Exception):
    """Raised inside a sparse one-pass gradient or Jacobian when an operation
    needs a dense tangent above the budget; the API then evaluates f again
    with dense tangents in chunks."""


# bytes a sparse tangent may grow to when made dense; 0: no limit.  The API
# sets it around its sparse pass (dualnum/_forward.py), so that code which
# needs dense derivatives of many variables falls back to chunks instead of
# holding (elements x n) arrays.  Per thread, so that concurrent API calls
# keep their own; it is read only when a sparse tangent turns dense.
cdef object _budget = threading.local()


def set_dense_budget(Py_ssize_t nbytes):
    """Set this thread's budget (see DenseTangentTooLarge) and return the previous one."""
    previous = getattr(_budget, "nbytes", 0)
    _budget.nbytes = nbytes
    return previous


cdef int _check_budget(Py_ssize_t entries) except -1:
    cdef Py_ssize_t nbytes = getattr(_budget, "nbytes", 0)
    if nbytes and entries * <Py_ssize_t> sizeof(double) > nbytes:
        raise DenseTangentTooLarge(
            f"a dense tangent of {entries} entries exceeds the budget of {nbytes} bytes")
    return 0


cdef cnp.ndarray _dense_of(DualArrayCore x):
    """x's dense tangent; a sparse x switches to the dense form for good."""
    _ready(x)
    if x._value is None:
        _no_storage()
    if x._dense is None:
        _check_budget(cnp.PyArray_SIZE(x._value) * x.directions)
        x._dense = _scatter(x._index, x._weight, x.directions, True)
        x._index = x._weight = None
    return x._dense


cdef object _sparse_result(cnp.ndarray value, cnp.ndarray index, cnp.ndarray weight,
                           Py_ssize_t k, unsigned long long tag):
    if value.ndim == 0:
        return _to_dual((<double*> cnp.PyArray_DATA(value))[0], _scatter(index, weight, k, False), tag)
    return _wrap_sparse(value, index, weight, k, tag)


cdef object _sparse_getitem(DualArrayCore x, key):
    cdef tuple tangent_key = (key if type(key) is tuple else (key,)) + (_ALL,)
    value = x._value[key]
    index = x._index[tangent_key]
    weight = x._weight[tangent_key]
    if type(value) is not _ndarray or (<cnp.ndarray> value).ndim == 0:
        return _to_dual(float(value), _scatter(index, weight, x.directions, False), x.tag)
    # a copy of the value, so that assigning into the slice (which converts it
    # to a dense tangent of its own) cannot change x's value without its tangent
    return _wrap_sparse(np.array(value), index, weight, x.directions, x.tag)


cdef object _sparse_unary(Rule rule, DualArrayCore d):
    """The chain rule scales the weights; the directions are shared, not copied."""
    cdef cnp.ndarray v = _contiguous(d._value), wt = _contiguous(d._weight)
    cdef Py_ssize_t w = cnp.PyArray_DIM(wt, wt.ndim - 1), m = cnp.PyArray_SIZE(v), bad
    out_value, out_weight = _empty(v.ndim, cnp.PyArray_DIMS(v), w)
    bad = _run_unary(rule.fast, rule.unary, m, w,
                     <double*> cnp.PyArray_DATA(v), <double*> cnp.PyArray_DATA(wt),
                     <double*> cnp.PyArray_DATA(out_value), <double*> cnp.PyArray_DATA(out_weight))
    if bad:
        _report(rule.name, (d._value,))
    return _sparse_result(out_value, d._index, out_weight, d.directions, d.tag)


cdef object _sparse_binary(Rule rule, _Operand x, _Operand y, unsigned long long tag, Py_ssize_t k):
    """rule(x, y) where each operand has a sparse tangent or none (a constant)."""
    cdef cnp.ndarray shaped = _shaped(x, y, k)
    out_value = cnp.PyArray_EMPTY(shaped.ndim, cnp.PyArray_DIMS(shaped), cnp.NPY_DOUBLE, 0)
    cdef Py_ssize_t m = cnp.PyArray_SIZE(out_value), bad, w
    cdef Py_ssize_t step_a = 1 if x.size() == m else 0, step_b = 1 if y.size() == m else 0
    cdef double* ov = <double*> cnp.PyArray_DATA(out_value)
    cdef const double* pa = x.values()
    cdef const double* pb = y.values()
    shape = (<object> out_value).shape
    if x.index is not None and y.index is not None and x.index is not y.index:
        # different variables meet: the entries of both rows, side by side
        w = x.width() + y.width()
        out_weight = _rows_of(out_value, w, cnp.NPY_DOUBLE)
        bad = _concat(rule, m, pa, <double*> cnp.PyArray_DATA(x.weight), x.width(), step_a,
                      pb, <double*> cnp.PyArray_DATA(y.weight), y.width(), step_b,
                      ov, <double*> cnp.PyArray_DATA(out_weight))
        out_index = _rows_of(out_value, w, cnp.NPY_INTP)
        _concat_index(m, <Py_ssize_t*> cnp.PyArray_DATA(x.index), x.width(), step_a,
                      <Py_ssize_t*> cnp.PyArray_DATA(y.index), y.width(), step_b,
                      <Py_ssize_t*> cnp.PyArray_DATA(out_index))
        if w > COMPACT_WIDTH:
            out_index, out_weight = _compact(out_index, out_weight, k)
    else:
        # one set of directions: that of the sparse operand (both, if they share it)
        lead = x if x.index is not None else y
        w = lead.width()
        out_weight = _rows_of(out_value, w, cnp.NPY_DOUBLE)
        bad = _run_binary(rule.fast, rule.binary, m, w,
                          pa, NULL if x.index is None else <double*> cnp.PyArray_DATA(x.weight), step_a,
                          pb, NULL if y.index is None else <double*> cnp.PyArray_DATA(y.weight), step_b,
                          ov, <double*> cnp.PyArray_DATA(out_weight))
        out_index = _spread(lead.index, shape)
    if bad:
        _report(rule.name, (x.original(), y.original()))
    if out_index is None:                        # compacted to the dense form
        return _result(out_value, out_weight, tag)
    return _sparse_result(out_value, out_index, out_weight, k, tag)


cdef cnp.ndarray _rows_of(cnp.ndarray value, Py_ssize_t w, int typenum):
    """An uninitialised array of value.shape + (w,) (entries per element)."""
    cdef cnp.npy_intp dims[MAX_DIMS + 1]
    cdef int i
    for i in range(value.ndim):
        dims[i] = cnp.PyArray_DIM(value, i)
    dims[value.ndim] = w
    return cnp.PyArray_EMPTY(value.ndim + 1, dims, typenum, 0)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _concat_index(Py_ssize_t m, const Py_ssize_t* ia, Py_ssize_t na, Py_ssize_t step_a,
                        const Py_ssize_t* ib, Py_ssize_t nb, Py_ssize_t step_b,
                        Py_ssize_t* out) noexcept nogil:
    """The directions of binary_concat_loop's rows: a's row of element i
    (row 0 for all when step_a is 0, a broadcast scalar), then b's."""
    cdef Py_ssize_t i, j, w = na + nb
    for i in range(m):
        for j in range(na):
            out[i * w + j] = ia[i * step_a * na + j]
        for j in range(nb):
            out[i * w + na + j] = ib[i * step_b * nb + j]


cdef Py_ssize_t _concat(Rule rule, Py_ssize_t m,
                        const double* a, const double* wa, Py_ssize_t na, Py_ssize_t step_a,
                        const double* b, const double* wb, Py_ssize_t nb, Py_ssize_t step_b,
                        double* ov, double* ow) noexcept:
    """binary_concat_loop with the rule inlined where numpy code meets it most
    (x[1:] - x[:-1], sums and products of neighbours), else through its pointer."""
    cdef binary_rule f = rule.binary
    if rule.fast == FAST_ADD:
        return binary_concat_loop(<AddOp*> NULL, f, m, a, wa, na, step_a, b, wb, nb, step_b, ov, ow)
    if rule.fast == FAST_SUB:
        return binary_concat_loop(<SubOp*> NULL, f, m, a, wa, na, step_a, b, wb, nb, step_b, ov, ow)
    if rule.fast == FAST_MUL:
        return binary_concat_loop(<MulOp*> NULL, f, m, a, wa, na, step_a, b, wb, nb, step_b, ov, ow)
    return binary_concat_loop(<AnyBinaryOp*> NULL, f, m, a, wa, na, step_a, b, wb, nb, step_b, ov, ow)


cdef cnp.ndarray _spread(cnp.ndarray index, tuple shape):
    """A sparse operand's directions over the result's shape (shared when it has it)."""
    cdef tuple target = shape + ((<object> index).shape[-1],)
    if (<object> index).shape == target:
        return index
    return np.ascontiguousarray(np.broadcast_to(index, target))


cdef tuple _compact(cnp.ndarray index, cnp.ndarray weight, Py_ssize_t k):
    """Merge repeated directions within each row (dualnum/_rows.pxd).  Returns
    (index, weight) of the new width, or (None, dense tangent) when the rows are
    so full that the dense form is smaller."""
    cdef Py_ssize_t w = cnp.PyArray_DIM(index, index.ndim - 1), m = cnp.PyArray_SIZE(index) // w
    cdef Py_ssize_t i, n, width = 1
    cdef Py_ssize_t* idx = <Py_ssize_t*> cnp.PyArray_DATA(index)   # merged in place (fresh arrays)
    cdef double* wt = <double*> cnp.PyArray_DATA(weight)
    scratch = np.empty(w, dtype=np.intp)
    cdef Py_ssize_t* into = <Py_ssize_t*> cnp.PyArray_DATA(scratch)
    with nogil:                                 # only arrays allocated for its result
        for i in range(m):
            n = merge_plan(w, idx + i * w, into)
            merge_entries(w, into, wt + i * w, 1)
            if n > width:
                width = n
    if 2 * width >= k:
        _check_budget(m * k)
        return None, _scatter(index, weight, k, True)
    new_index = np.ascontiguousarray(index[..., :width])
    new_weight = np.ascontiguousarray(weight[..., :width])
    return new_index, new_weight


# --------------------------------------------- helpers for the Python layer

def wrap(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag, bint fresh=False):
    """A DualArray around float64 arrays (tangent: value.shape + (k,)), no copy.
    ``fresh``: nothing else holds the two arrays, so that pending operations
    may read them later (see "recorded chains" in dualnum/_chains.pyx)."""
    _check_dense(value, tangent)
    r = _wrap(value, tangent, tag)
    (<DualArrayCore> r)._fresh = fresh and _contiguous_storage(r)
    return r


def result(cnp.ndarray value, cnp.ndarray tangent, unsigned long long tag):
    """As :func:`wrap`, but a Dual for a 0-d value."""
    _check_dense(value, tangent)
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
    if op.tangent is not None:                  # an object array of duals
        return op.value, op.tangent
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


def sum_all(DualArrayCore x):
    """The sum of all elements of x, a Dual (compiled)."""
    return _sum_stored(x)


def wrap_sparse(cnp.ndarray value, cnp.ndarray index, cnp.ndarray weight, Py_ssize_t k,
                unsigned long long tag):
    """A DualArray with a sparse tangent (see DualArrayCore), no copy: ``index``
    (intp) and ``weight`` (float64) of shape value.shape + (w,), k directions."""
    _check_sparse(value, index, weight, k)
    return _wrap_sparse(value, index, weight, k, tag)


def restructure(DualArrayCore x, cnp.ndarray value, move):
    """x's tangent moved like its value (reshape, transpose, ...): ``move`` maps
    the tangent storage, whose last axis it must leave in place."""
    _expose(x)                               # the result may be a view of its storage
    if x._dense is None:
        # the value is copied, as in indexing, so that assigning into either
        # array (which densifies only that one) cannot desynchronise the other
        value = np.array(value)
        index, weight = move(x._index), move(x._weight)
        _check_sparse(value, index, weight, x.directions)
        return _sparse_result(value, index, weight, x.directions, x.tag)
    tangent = move(x._dense)
    _check_dense(value, tangent)
    return _result(value, tangent, x.tag)


def seed_sparse(cnp.ndarray point, unsigned long long tag):
    """The argument of a one-pass gradient or Jacobian: a copy of ``point`` in
    which element i carries direction i (n = point.size directions, stored
    sparsely: one entry per element)."""
    cdef cnp.ndarray value
    if type(point) is _ndarray and point.dtype is _FLOAT64:     # (np.array: a plain copy)
        value = cnp.PyArray_NewCopy(point, cnp.NPY_CORDER)
    else:
        value = np.array(point, dtype=np.float64, order="C")
    cdef Py_ssize_t i, n = cnp.PyArray_SIZE(value)
    cdef cnp.ndarray index = _rows_of(value, 1, cnp.NPY_INTP), weight = _rows_of(value, 1, cnp.NPY_DOUBLE)
    cdef Py_ssize_t* idx = <Py_ssize_t*> cnp.PyArray_DATA(index)
    cdef double* wt = <double*> cnp.PyArray_DATA(weight)
    for i in range(n):
        idx[i] = i
        wt[i] = 1.0
    return _sparse_result(value, index, weight, n, tag)


def seed_block(cnp.ndarray point, Py_ssize_t start, Py_ssize_t k, unsigned long long tag):
    """The argument of one chunk of a gradient or Jacobian: a copy of the float64
    ``point`` whose tangent is e_0..e_{k-1} at flat entries start..start+k-1 and
    zero elsewhere (a scalar Dual for a 0-d point)."""
    cdef Py_ssize_t j, n = cnp.PyArray_SIZE(point)
    if not 0 <= start <= start + k <= n:
        raise ValueError(f"directions {start}..{start + k} out of range for {n} variables")
    if point.dtype != np.float64:
        raise TypeError("point must be a float64 array")
    cdef cnp.npy_intp dims[MAX_DIMS + 1]
    cdef int i
    for i in range(point.ndim):
        dims[i] = point.shape[i]
    dims[point.ndim] = k
    value = cnp.PyArray_NewCopy(point, cnp.NPY_CORDER)
    tangent = cnp.PyArray_ZEROS(point.ndim + 1, dims, cnp.NPY_DOUBLE, 0)
    cdef double* t = <double*> cnp.PyArray_DATA(tangent)
    for j in range(k):
        t[(start + j) * k + j] = 1.0
    return _fresh_result(value, tangent, tag)


@cython.boundscheck(False)
@cython.wraparound(False)
def concatenate_1d(list items, unsigned long long tag, Py_ssize_t k):
    """np.concatenate of 1-d operands (at least one dual), or None when some
    operand is not a 1-d array (numpy's own rules then apply, in Python).

    The result's tangent is sparse when every dual operand's is (rows padded
    to the widest, index -1 and weight 0 for constants), dense otherwise.
    """
    cdef list ops = []
    cdef _Operand op
    cdef Py_ssize_t rows = 0, width = 1, n, r, j, w, start = 0
    cdef bint sparse = True
    for x in items:
        op = _operand(x, tag, k)
        if op is None or op.value is None or op.value.ndim != 1:
            return None
        ops.append(op)
        rows += op.value.shape[0]
        if op.tangent is not None:
            sparse = False
        elif op.index is not None:
            width = max(width, op.width())
    value = np.empty(rows)
    cdef double* out_value = <double*> cnp.PyArray_DATA(value)
    cdef double* out_weight
    cdef Py_ssize_t* out_index
    if sparse:
        index = np.full((rows, width), -1, dtype=np.intp)
        tangent = np.zeros((rows, width))
        out_index = <Py_ssize_t*> cnp.PyArray_DATA(index)
    else:
        width = k
        tangent = np.zeros((rows, k))
    out_weight = <double*> cnp.PyArray_DATA(tangent)
    cdef const double* src_value
    cdef const double* src_weight
    cdef const Py_ssize_t* src_index
    for op in ops:
        n = op.value.shape[0]
        src_value = op.values()
        for r in range(n):
            out_value[start + r] = src_value[r]
        if sparse and op.index is not None:
            w = op.width()
            src_index = <Py_ssize_t*> cnp.PyArray_DATA(op.index)
            src_weight = <double*> cnp.PyArray_DATA(op.weight)
            for r in range(n):
                for j in range(w):
                    out_index[(start + r) * width + j] = src_index[r * w + j]
                    out_weight[(start + r) * width + j] = src_weight[r * w + j]
        elif not sparse:
            op.densify()
            src_weight = op.tangents()
            if src_weight != NULL:                  # constants keep their zero rows
                for r in range(n * k):
                    out_weight[start * k + r] = src_weight[r]
        start += n
    if sparse:
        return _wrap_sparse(value, index, tangent, k, tag)
    return _wrap(value, tangent, tag)


# ------------------------------------------------------- the class users see

class DualArray(DualArrayCore, _DualArrayMethods):
    """DualArray(value, tangent, tag=0)

    An array of dual numbers: ``value`` has shape S and ``tangent`` shape
    S + (k,), one trailing entry per direction.  Arithmetic operators, numpy
    ufuncs and the supported numpy functions give DualArrays (comparisons give
    boolean arrays of the values); indexing one element gives a scalar
    :class:`dualnum.Dual`.

    Parameters
    ----------
    value : array_like
        Converted to float64 (a copy).
    tangent : array_like
        Shape ``value.shape + (k,)``, converted to float64 (a copy).

    Notes
    -----
    There is no conversion to a plain ndarray (``np.asarray`` raises
    TypeError): take ``.value`` to drop the derivative explicitly.  An
    unsupported numpy function raises TypeError naming it.  Arithmetic,
    ufuncs, indexing and ``sum`` run in the compiled core
    (dualnum/_array.pyx); the rest is written on top of it
    (dualnum/_array_methods.py, dualnum/_functions_*.py).  On large
    arrays, elementwise operations are recorded and run together, block by
    block, when a result is first used; the numbers are the same as one at
    a time (see "recorded chains" in dualnum/_chains.pyx).

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> x = dn.DualArray([0.0, 1.0], [[1.0], [1.0]])
    >>> y = np.sin(x) * x
    >>> y.tangent[:, 0]                      # d/dx x sin x = sin x + x cos x
    array([0.        , 1.38177329])
    """

    __module__ = "dualnum.dualarray"     # where users import it from (and pickles name it)
    __slots__ = ()
    __array_priority__ = 20

    _wrap = staticmethod(wrap)
    _numpy_functions = _FUNCTIONS


class _FirstOrder(_functions_shape.TangentPrimitives):
    """What the numpy functions of dualnum/_functions_*.py and
    dualnum/_array_reductions.py and the methods of dualnum/_array_methods.py
    build on, handed to them (so they need not import this module, which
    dispatches to them); the base class adds what is written in Python."""
    array = DualArrayCore
    wrap = staticmethod(wrap)
    result = staticmethod(result)
    wrap_sparse = staticmethod(wrap_sparse)
    parts = staticmethod(parts)
    source = staticmethod(source)
    elementwise = staticmethod(elementwise)
    restructure = staticmethod(restructure)
    concatenate_1d = staticmethod(concatenate_1d)
    sum_all = staticmethod(sum_all)


_ENGINE = _FirstOrder()
DualArray._engine = _ENGINE
_result_type = DualArray
