# cython: freethreading_compatible = False
# cython: cdivision=True
"""Dual2Array: the array of second-order dual numbers that hessian() seeds.

Each element carries its value and, for the w variables it depends on, the
gradient and the local Hessian:

    index[e, a]     the variable of entry a (-1: unused)
    grad[e, a]      ∂x_e/∂x_index[e, a]
    curv[e, a, b]   ∂²x_e/∂x_index[e, a]∂x_index[e, b]  (symmetric, w x w)

Seeded, every element has one entry; an operation on elements that depend on
different variables puts their entries side by side (duplicates are merged
once a row grows past COMPACT_WIDTH, dualnum/_rows.pxd).  So numpy code whose elements each
depend on a few variables -- elementwise, sliced, banded -- costs O(w²) per
element and operation, whatever n is, where a dense second-order type costs
O(n²).  The chain rule per element is that of dualnum.Dual2, with f', f'' from
the order-2 Taylor kernels of dualnum/_jets.pxd, so no rule is written twice.

The type covers what second-order numpy code mostly is: arithmetic, the
elementwise functions of the rule table, indexing, assignment and shape
changes here, and reductions, products, joins and selections in
dualnum/_hessian_functions.py and the modules both orders share (through
``linear`` and the component arrays).  Everything else (other numpy
functions, conversion to an ndarray, unknown attributes) raises NotCompiled,
and hessian() evaluates f again on an object array of scalar Dual2s, which
numpy handles through its object loops.
Indexing one element gives a scalar Dual2, so scalar-style code
(``x[0] * x[1]``) works on the same argument.

For hvp the arrays are the same, but the scalars they give (sums, elements)
are Dual2s that carry H v instead of H (see _DIRECTIONS), so no n x n matrix
is formed.
"""
cimport cython
cimport numpy as cnp
from cpython.object cimport PyObject
from cpython.ref cimport _Py_REFCNT
from libc.stdlib cimport qsort
from libc.string cimport memset

from dualnum._jets cimport _strong
from dualnum._hessian_loops cimport (
    linear_rows, merge_rows, one_sided_loop, shared_loop, side_by_side_loop, unary_loop,
)
from dualnum._rows cimport COMPACT_WIDTH, MAX_DIMS, ONE_BLOCK_ENTRIES, contiguous as _contiguous, view
from dualnum._second cimport Dual2, dual2_new
from dualnum._table cimport Row

import numbers
import operator

import numpy as np

from dualnum import _array_functions as _moves, _second
from dualnum._table import BY_SPELLING as _BY_SPELLING
from dualnum._array import DualArrayCore, _as_tag, _not_real
from dualnum._chains import REAL_SCALARS as _REAL_SCALARS, report as _report
from dualnum._array_reductions import FUNCTIONS as _REDUCTIONS
from dualnum._functions_fft import SECOND_ORDER as _FFT
from dualnum._functions_interp import FUNCTIONS as _INTERP
from dualnum._functions_composite import SECOND_ORDER_FUNCTIONS as _COMPOSED
from dualnum._functions_moves import FUNCTIONS as _MOVES
from dualnum._functions_values import FUNCTIONS as _QUERIES, LIKE_FUNCTIONS as _LIKE_FUNCTIONS
from dualnum._hessian_functions import FUNCTIONS as _OWN_FUNCTIONS, UFUNC_FUNCTIONS as _UFUNC_FUNCTIONS
from dualnum._hessian_functions import NotCompiled, RowPrimitives as _RowPrimitives
from dualnum._hessian_linalg import FUNCTIONS as _LINALG
from dualnum._ufunc_methods import apply as _ufunc_method
from dualnum._function_args import VALUE_UFUNCS as _VALUE_UFUNCS, join_tables as _join_tables
from dualnum._core import Dual
from dualnum._taylor import Jet
from dualnum._number import ForeignNumber
from dualnum._scipy_dispatch import NUMPY_UFUNCS as _NUMPY_UFUNCS, special_row as _special_row

cnp.import_array()

cdef object _ALL = slice(None)
# numpy function -> handler(engine, *args, **kwargs): its own and those both orders share
cdef dict _FUNCTIONS = _join_tables(_OWN_FUNCTIONS, _REDUCTIONS, _LINALG, _COMPOSED, _FFT, _INTERP,
                                    shared=(_MOVES, _QUERIES))
# the primitives handed to the numpy functions (_SecondOrder, set once the type exists)
cdef object _ENGINE = None
cdef tuple _FOREIGN = (Dual, Jet, DualArrayCore)        # numbers of other calls
cdef tuple _REAL = _REAL_SCALARS       # real scalars, not complex (dualnum/_chains.pyx)
# no array of local Hessians may hold more doubles than this (512 MiB)
cdef Py_ssize_t _MAX_CURV_ENTRIES = 1 << 26


# ------------------------------------------------------------ the rule tables

# every spelling of every row of the function table, unary and binary; the
# rows carry the Taylor kernels (the local first and second derivatives) and,
# for + - * / **, the ARITH_* code whose partials the loops write out
cdef dict _UNARY = {name: r for name, r in _BY_SPELLING.items() if (<Row> r).arity == 1}
cdef dict _BINARY = {name: r for name, r in _BY_SPELLING.items() if (<Row> r).arity == 2}

cdef frozenset _ON_VALUE = _VALUE_UFUNCS


# ------------------------------------------------------------ operands

cdef class _Operand:
    """One operand of a loop: its values, and index/grad/curv unless a constant."""
    cdef cnp.ndarray value           # C-contiguous float64, or None: one number
    cdef double number               # the value of a number or scalar Dual2
    cdef cnp.ndarray index           # C-contiguous value.shape + (w,), or None: a constant
    cdef cnp.ndarray grad
    cdef cnp.ndarray curv
    cdef Py_ssize_t w

    cdef inline bint scalar(self):
        return self.value is None

    cdef inline const double* values(self):
        return &self.number if self.value is None else <double*> cnp.PyArray_DATA(self.value)

    cdef object original(self):
        return self.number if self.value is None else self.value


cdef _Operand _from_array(Dual2Array x):
    if x.value is None:
        _uninitialised()
    cdef _Operand op = _Operand.__new__(_Operand)
    op.value = _contiguous(x.value)
    op.index = _contiguous(x.index)
    op.grad = _contiguous(x.grad)
    op.curv = _contiguous(x.curv)
    op.w = cnp.PyArray_DIM(x.index, x.index.ndim - 1)
    return op


cdef int _uninitialised() except -1:
    # Dual2Array.__new__ alone leaves the arrays missing, and the loops read them
    raise TypeError("this Dual2Array has no arrays (made by Dual2Array.__new__ alone)")


cdef _Operand _from_dual2(Dual2 d, Py_ssize_t n):
    """A scalar Dual2 as one element that depends on all n variables."""
    cdef _Operand op = _Operand.__new__(_Operand)
    if d.along:
        # it carries H v, not the local Hessian this array needs
        raise NotCompiled("an element of an hvp argument combined with the array")
    if d.n != n:
        raise ValueError(f"cannot combine second-order dual numbers with {d.n} and {n} variables")
    op.number = d.val
    op.index = np.arange(n, dtype=np.intp).reshape(1, n)
    op.grad = np.array(d.gradient, dtype=np.float64).reshape(1, n)
    op.curv = _second.hessian_matrix(d).reshape(1, n, n)
    op.w = n
    return op


cdef _Operand _operand(object x, unsigned long long tag, Py_ssize_t n):
    """x unpacked, or None for a type this array does not combine with."""
    cdef _Operand op
    if type(x) is Dual2Array:
        if (<Dual2Array> x).tag != tag:
            raise ForeignNumber(
                "cannot combine second-order dual arrays of different hessian calls")
        return _from_array(<Dual2Array> x)
    op = _Operand.__new__(_Operand)
    if type(x) is float or type(x) is int:
        op.number = x
        return op
    if type(x) is Dual2:
        if (<Dual2> x).tag != tag:
            raise ForeignNumber(
                "cannot combine second-order dual numbers of different hessian calls")
        return _from_dual2(<Dual2> x, n)
    if isinstance(x, _REAL) and not isinstance(x, np.ndarray):
        op.number = float(x)
        return op
    if isinstance(x, (list, tuple)):
        x = np.asarray(x)                  # numpy's own reading: duals make an object array
    if isinstance(x, np.ndarray):
        if x.dtype.kind == "O":
            raise NotCompiled("an object array (e.g. of dual numbers)")
        if x.dtype.kind not in "biuf":
            raise _not_real(x, "an operand of the array of hessian")  # as numpy's float ufuncs
        value = np.ascontiguousarray(x, dtype=np.float64)
    elif isinstance(x, _FOREIGN) or hasattr(x, "__dualnum_unary__"):
        raise ForeignNumber(f"a {type(x).__name__} cannot meet the arrays of hessian")
    elif isinstance(x, numbers.Complex):
        raise _not_real(x, "an operand of the array of hessian")
    else:
        return None
    if value.ndim == 0:
        op.number = value[()]
    else:
        op.value = value
    return op


cdef inline tuple _shape_of(_Operand op):
    return () if op.value is None else (<object> op.value).shape


cdef void _broadcast(_Operand op, tuple shape):
    """op's arrays over ``shape`` (copies); one element becomes a number-like
    operand, read with step 0."""
    if op.value is None or _shape_of(op) == shape:
        return
    if cnp.PyArray_SIZE(op.value) == 1:
        op.number = (<double*> cnp.PyArray_DATA(op.value))[0]
        op.value = None
        if op.index is not None:
            op.index = op.index.reshape(1, op.w)
            op.grad = op.grad.reshape(1, op.w)
            op.curv = op.curv.reshape(1, op.w, op.w)
        return
    op.value = np.ascontiguousarray(np.broadcast_to(op.value, shape))
    if op.index is not None:
        op.index = np.ascontiguousarray(np.broadcast_to(op.index, shape + (op.w,)))
        op.grad = np.ascontiguousarray(np.broadcast_to(op.grad, shape + (op.w,)))
        op.curv = np.ascontiguousarray(np.broadcast_to(op.curv, shape + (op.w, op.w)))


cdef cnp.ndarray _alloc(cnp.ndarray like, Py_ssize_t trailing, Py_ssize_t extent, int typenum):
    """An uninitialised array of like's shape (like None: 0-d) plus ``trailing``
    axes of length ``extent``."""
    cdef cnp.npy_intp dims[MAX_DIMS + 2]
    cdef int nd = 0, i
    if like is not None:
        nd = like.ndim
        for i in range(nd):
            dims[i] = cnp.PyArray_DIM(like, i)
    for i in range(trailing):
        dims[nd + i] = extent
    return cnp.PyArray_EMPTY(nd + trailing, dims, typenum, 0)


cdef tuple _alloc_parts(cnp.ndarray like, Py_ssize_t w, bint with_index):
    """Uninitialised (value, index or None, grad, curv) for a result of like's
    shape (None: 0-d) and width w.  Large ones are views of one allocation
    (dualnum/_rows.pxd; x[1:] * x[:-1] at 10^4 elements took 456 µs in four)."""
    cdef cnp.npy_intp dims[MAX_DIMS + 2]
    cdef int nd = 0 if like is None else like.ndim, i
    cdef cnp.npy_intp m = 1, total
    for i in range(nd):
        dims[i] = cnp.PyArray_DIM(like, i)
        m *= dims[i]
    total = m * (1 + w + w * w + (w if with_index else 0))
    if total < ONE_BLOCK_ENTRIES or sizeof(Py_ssize_t) != sizeof(double):
        return (_alloc(like, 0, 0, cnp.NPY_DOUBLE),
                _alloc(like, 1, w, cnp.NPY_INTP) if with_index else None,
                _alloc(like, 1, w, cnp.NPY_DOUBLE), _alloc(like, 2, w, cnp.NPY_DOUBLE))
    block = cnp.PyArray_EMPTY(1, &total, cnp.NPY_DOUBLE, 0)
    cdef double* data = <double*> cnp.PyArray_DATA(block)
    value = view(nd, dims, cnp.NPY_DOUBLE, data, block)
    dims[nd] = w
    grad = view(nd + 1, dims, cnp.NPY_DOUBLE, data + m, block)
    index = view(nd + 1, dims, cnp.NPY_INTP, data + m + m * w, block) if with_index else None
    dims[nd + 1] = w
    curv = view(nd + 2, dims, cnp.NPY_DOUBLE,
                 data + m + m * w * (2 if with_index else 1), block)
    return value, index, grad, curv


cdef int _check_size(Py_ssize_t m, Py_ssize_t w) except -1:
    if m * w * w > _MAX_CURV_ENTRIES:
        raise NotCompiled(f"local Hessians of {m} x {w} x {w} entries")
    return 0


cdef tuple _compact(cnp.ndarray index, cnp.ndarray grad, cnp.ndarray curv):
    """(index, grad, curv) with repeated variables merged and the width cut to
    the widest row (fresh arrays are modified in place)."""
    cdef Py_ssize_t w = cnp.PyArray_DIM(index, index.ndim - 1)
    cdef Py_ssize_t m = cnp.PyArray_SIZE(index) // w if w else 0, widest
    scratch = np.empty(w, dtype=np.intp)
    widest = merge_rows(m, w, <Py_ssize_t*> cnp.PyArray_DATA(index),
                         <double*> cnp.PyArray_DATA(grad), <double*> cnp.PyArray_DATA(curv),
                         <Py_ssize_t*> cnp.PyArray_DATA(scratch))
    widest = max(widest, 1)
    if widest == w:
        return index, grad, curv
    return (np.ascontiguousarray(index[..., :widest]), np.ascontiguousarray(grad[..., :widest]),
            np.ascontiguousarray(curv[..., :widest, :widest]))


# ------------------------------------------------------------ operations

cdef object _make(cnp.ndarray value, cnp.ndarray index, cnp.ndarray grad, cnp.ndarray curv,
                  Py_ssize_t n, unsigned long long tag):
    """A Dual2Array, or a scalar Dual2 for a 0-d value."""
    if value.ndim == 0:
        return _to_dual2(float(value), index.reshape(-1), grad.reshape(-1),
                         curv.reshape(-1), 1, n, tag)
    cdef Dual2Array r = Dual2Array.__new__(Dual2Array)
    r.value, r.index, r.grad, r.curv, r.n, r.tag = value, index, grad, curv, n, tag
    return r


# hvp calls: tag -> the direction v (float64, n entries).  Their arrays are
# those of hessian, but a sum or an indexed element becomes a Dual2 that
# carries H v instead of H ("along" mode), so no n x n matrix is ever formed.
cdef dict _DIRECTIONS = {}
# tags whose sums and elements are recorded, for detecting Hessian sparsity
# (dualnum/hessian.py): tag -> [(the Dual2, m, index, curv), ...]
cdef dict _RECORDS = {}


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Dual2 _to_dual2(double value, cnp.ndarray index, cnp.ndarray grad, cnp.ndarray curv,
                     Py_ssize_t m, Py_ssize_t n, unsigned long long tag):
    """The sum of m rows (contiguous (m, w) index and grad, (m, w, w) curv) as a
    Dual2 of n variables with the given value."""
    index = _contiguous(index)
    grad = _contiguous(grad)
    curv = _contiguous(curv)
    cdef cnp.ndarray direction = _DIRECTIONS.get(tag) if _DIRECTIONS else None
    cdef Py_ssize_t w = cnp.PyArray_SIZE(index) // m if m else 0
    cdef Py_ssize_t e, a, b, ia, ib
    cdef Py_ssize_t size = 2 * n + 1 if direction is not None else n + n * (n + 1) // 2
    cdef const Py_ssize_t* ix = <Py_ssize_t*> cnp.PyArray_DATA(index)
    cdef const double* g = <double*> cnp.PyArray_DATA(grad)
    cdef const double* h = <double*> cnp.PyArray_DATA(curv)
    cdef const double* v
    cdef Dual2 r = dual2_new(value, n, tag, direction is not None)
    if _RECORDS and tag in _RECORDS:
        _RECORDS[tag].append((r, m, index, curv))
    cdef double* rg = r.d
    cdef double* rh = r.d + n
    memset(r.d, 0, size * sizeof(double))
    if direction is not None:
        v = <double*> cnp.PyArray_DATA(direction)
        with nogil:
            # rh[0]: the derivative along v; rh[1 + i]: (H v)[i]
            for e in range(m):
                for a in range(w):
                    ia = ix[e * w + a]
                    if ia < 0:
                        continue
                    rg[ia] += g[e * w + a]
                    rh[0] += _strong(v[ia], g[e * w + a])
                    for b in range(w):
                        ib = ix[e * w + b]
                        if ib >= 0:
                            rh[1 + ia] += _strong(v[ib], h[(e * w + a) * w + b])
        return r
    with nogil:
        for e in range(m):
            for a in range(w):
                ia = ix[e * w + a]
                if ia < 0:
                    continue
                rg[ia] += g[e * w + a]
                for b in range(w):
                    ib = ix[e * w + b]
                    # H[i, j] (i <= j) gathers the entries (a, b) with index i, j
                    if ib >= ia:
                        rh[ia * n - ia * (ia - 1) // 2 + ib - ia] += h[(e * w + a) * w + b]
    return r


cdef object _unary(Row rule, Dual2Array x):
    cdef _Operand op = _from_array(x)
    cdef Py_ssize_t m = cnp.PyArray_SIZE(op.value), w = op.w, bad
    out_value, _, out_grad, out_curv = _alloc_parts(op.value, w, False)
    bad = unary_loop(rule.taylor_unary, m, w, <double*> cnp.PyArray_DATA(op.value),
                      <double*> cnp.PyArray_DATA(op.grad), <double*> cnp.PyArray_DATA(op.curv),
                      <double*> cnp.PyArray_DATA(out_value), <double*> cnp.PyArray_DATA(out_grad),
                      <double*> cnp.PyArray_DATA(out_curv))
    if bad:
        _report(rule.name, (x.value,))
    return _make(out_value, op.index, out_grad, out_curv, x.n, x.tag)


cdef object _binary(Row rule, object a, object b):
    """rule(a, b) with a Dual2Array among a and b; NotImplemented for unknown types."""
    cdef Dual2Array source = a if type(a) is Dual2Array else b
    cdef _Operand x = _operand(a, source.tag, source.n)
    cdef _Operand y = _operand(b, source.tag, source.n)
    if x is None or y is None:
        return NotImplemented
    cdef cnp.ndarray shaped                    # an array of the result's shape, or None
    if y.value is None:
        shaped = x.value
    elif x.value is None or _shape_of(x) == _shape_of(y):
        shaped = y.value
    else:
        shape = np.broadcast_shapes(_shape_of(x), _shape_of(y))
        _broadcast(x, shape)
        _broadcast(y, shape)
        shaped = x.value if x.value is not None else y.value
        if shaped is None:
            shaped = np.empty(shape)
    cdef Py_ssize_t m = 1 if shaped is None else cnp.PyArray_SIZE(shaped), bad, w
    cdef Py_ssize_t sa = 0 if x.value is None else 1, sb = 0 if y.value is None else 1
    cdef double* ov
    cdef const double* va = x.values()
    cdef const double* vb = y.values()
    cdef _Operand lead
    if x.index is None or y.index is None:
        lead = y if x.index is None else x
        w = lead.w
        if lead.value is None and m > 1:
            # one element over the result's shape: the loop reads a row per element
            lead.grad = np.ascontiguousarray(np.broadcast_to(lead.grad.reshape(1, w), (m, w)))
            lead.curv = np.ascontiguousarray(np.broadcast_to(lead.curv.reshape(1, w, w), (m, w, w)))
        out_value, _, out_grad, out_curv = _alloc_parts(shaped, w, False)
        ov = <double*> cnp.PyArray_DATA(out_value)
        bad = one_sided_loop(rule.taylor_binary, rule.arith, lead is x, m, w, va, sa, vb, sb,
                              <double*> cnp.PyArray_DATA(lead.grad),
                              <double*> cnp.PyArray_DATA(lead.curv),
                              ov, <double*> cnp.PyArray_DATA(out_grad),
                              <double*> cnp.PyArray_DATA(out_curv))
        if lead.value is None:                  # one element over the result's shape
            index = np.ascontiguousarray(np.broadcast_to(lead.index.reshape(1, w), (m, w)))
            index = index.reshape((<object> out_grad).shape)
        else:
            index = lead.index
    elif x.index is y.index and sa == sb:
        w = x.w
        out_value, _, out_grad, out_curv = _alloc_parts(shaped, w, False)
        ov = <double*> cnp.PyArray_DATA(out_value)
        bad = shared_loop(rule.taylor_binary, rule.arith, m, w, va, <double*> cnp.PyArray_DATA(x.grad),
                           <double*> cnp.PyArray_DATA(x.curv), vb,
                           <double*> cnp.PyArray_DATA(y.grad), <double*> cnp.PyArray_DATA(y.curv),
                           ov, <double*> cnp.PyArray_DATA(out_grad),
                           <double*> cnp.PyArray_DATA(out_curv))
        index = x.index
    else:
        w = x.w + y.w
        _check_size(m, w)
        out_value, index, out_grad, out_curv = _alloc_parts(shaped, w, True)
        ov = <double*> cnp.PyArray_DATA(out_value)
        bad = side_by_side_loop(
            rule.taylor_binary, rule.arith, m,
            va, <Py_ssize_t*> cnp.PyArray_DATA(x.index), <double*> cnp.PyArray_DATA(x.grad),
            <double*> cnp.PyArray_DATA(x.curv), x.w, sa,
            vb, <Py_ssize_t*> cnp.PyArray_DATA(y.index), <double*> cnp.PyArray_DATA(y.grad),
            <double*> cnp.PyArray_DATA(y.curv), y.w, sb,
            ov, <Py_ssize_t*> cnp.PyArray_DATA(index), <double*> cnp.PyArray_DATA(out_grad),
            <double*> cnp.PyArray_DATA(out_curv))
        if w > COMPACT_WIDTH:
            index, out_grad, out_curv = _compact(index, out_grad, out_curv)
    if bad:
        _report(rule.name, (x.original(), y.original()))
    return _make(out_value, index, out_grad, out_curv, source.n, source.tag)


cdef object _sum_all(Dual2Array x):
    if x.value is None:
        _uninitialised()
    cdef Py_ssize_t m = cnp.PyArray_SIZE(x.value)
    return _to_dual2(float(x.value.sum()), x.index, x.grad, x.curv, m, x.n, x.tag)


def linear(Dual2Array x, cnp.ndarray value, cnp.ndarray ptr, cnp.ndarray src, cnp.ndarray coef):
    """The linear map of x whose result has the given value (computed by
    numpy, so that it equals the plain evaluation) and whose element r is
    sum_t coef[t] x.flat[src[t]] over t in ptr[r]..ptr[r + 1] (intp ptr and
    src, float64 coef)."""
    cdef _Operand op = _from_array(x)
    ptr = np.ascontiguousarray(ptr, dtype=np.intp)
    src = np.ascontiguousarray(src, dtype=np.intp)
    coef = np.ascontiguousarray(coef, dtype=np.float64)
    cdef Py_ssize_t rows = cnp.PyArray_SIZE(value), W, t, m = cnp.PyArray_SIZE(op.value)
    cdef Py_ssize_t nnz = cnp.PyArray_SIZE(src)
    if cnp.PyArray_SIZE(ptr) != rows + 1 or cnp.PyArray_SIZE(coef) != nnz:
        raise ValueError("ptr must have one entry per result element, plus one, "
                         "and coef one per entry of src")
    cdef const Py_ssize_t* rp = <Py_ssize_t*> cnp.PyArray_DATA(ptr)
    cdef const Py_ssize_t* rs = <Py_ssize_t*> cnp.PyArray_DATA(src)
    cdef bint bad = rp[0] != 0 or rp[rows] != nnz      # the loops read src through ptr
    with nogil:
        for t in range(rows):
            bad |= rp[t] > rp[t + 1]
        for t in range(nnz):
            bad |= rs[t] < 0 or rs[t] >= m
    if bad:
        raise ValueError("ptr must rise from 0 to len(src), and src index x.flat")
    union_ = np.empty(max(x.n, 1), dtype=np.intp)
    pos = np.empty(max(op.w, 1), dtype=np.intp)
    cdef const Py_ssize_t* pp = <Py_ssize_t*> cnp.PyArray_DATA(ptr)
    cdef const Py_ssize_t* ps = <Py_ssize_t*> cnp.PyArray_DATA(src)
    cdef const double* pc = <double*> cnp.PyArray_DATA(coef)
    cdef const Py_ssize_t* ix = <Py_ssize_t*> cnp.PyArray_DATA(op.index)
    cdef const double* g = <double*> cnp.PyArray_DATA(op.grad)
    cdef const double* h = <double*> cnp.PyArray_DATA(op.curv)
    cdef Py_ssize_t* pu = <Py_ssize_t*> cnp.PyArray_DATA(union_)
    cdef Py_ssize_t* pq = <Py_ssize_t*> cnp.PyArray_DATA(pos)
    with nogil:
        W = linear_rows(rows, pp, ps, pc, ix, g, h, op.w, 0, pu, NULL, NULL, NULL, pq)
    W = max(W, 1)
    _check_size(rows, W)
    shape = (<object> value).shape
    index = np.full(shape + (W,), -1, dtype=np.intp)
    grad = np.zeros(shape + (W,))
    curv = np.zeros(shape + (W, W))
    cdef Py_ssize_t* oi = <Py_ssize_t*> cnp.PyArray_DATA(index)
    cdef double* og = <double*> cnp.PyArray_DATA(grad)
    cdef double* oh = <double*> cnp.PyArray_DATA(curv)
    with nogil:
        linear_rows(rows, pp, ps, pc, ix, g, h, op.w, W, pu, oi, og, oh, pq)
    return _make(np.array(value, dtype=np.float64), index, grad, curv, x.n, x.tag)


def make(value, index, grad, curv, Py_ssize_t n, unsigned long long tag):
    """A Dual2Array (a Dual2 for a 0-d value) from its arrays, no copy."""
    value = _contiguous(np.asarray(value, dtype=np.float64))
    index = _contiguous(np.asarray(index, dtype=np.intp))
    grad = _contiguous(np.asarray(grad, dtype=np.float64))
    curv = _contiguous(np.asarray(curv, dtype=np.float64))
    _check_parts(value, index, grad, curv, n)
    return _make(value, index, grad, curv, n, tag)


def _unpickle(value, index, grad, curv, n, tag):
    """A Dual2Array from the state Dual2Array.__reduce__ saves (checked: the
    loops trust shapes, dtypes and variables)."""
    for a in (value, index, grad, curv):
        if type(a) is not np.ndarray:
            raise TypeError(f"a Dual2Array pickle holds ndarrays, not {type(a).__name__}")
    if not (value.dtype == grad.dtype == curv.dtype == np.float64 and index.dtype == np.intp):
        raise TypeError("a Dual2Array pickle holds float64 arrays and an intp index")
    return make(value, index, grad, curv, operator.index(n), _as_tag(tag))


cdef int _check_parts(cnp.ndarray value, cnp.ndarray index, cnp.ndarray grad, cnp.ndarray curv,
                      Py_ssize_t n) except -1:
    """The invariants the loops trust: index and grad of shape value.shape + (w,),
    curv value.shape + (w, w), every index in [-1, n)."""
    if not 0 <= n < 2 ** 30:                 # (a Dual2 holds n + n(n+1)/2 doubles)
        raise ValueError(f"the number of variables must lie in [0, 2**30), got {n}")
    shape = (<object> value).shape
    w = (<object> index).shape[-1] if index.ndim else -1
    if (<object> index).shape != shape + (w,) or (<object> grad).shape != shape + (w,) \
            or (<object> curv).shape != shape + (w, w):
        raise ValueError(
            f"index, grad and curv must have shapes value.shape + (w,), (w,) and (w, w); got "
            f"{(<object> index).shape}, {(<object> grad).shape}, {(<object> curv).shape} "
            f"for value.shape {shape}")
    cdef const Py_ssize_t* p = <Py_ssize_t*> cnp.PyArray_DATA(index)
    cdef Py_ssize_t i, size = cnp.PyArray_SIZE(index)
    cdef bint bad = False
    with nogil:
        for i in range(size):
            bad |= p[i] < -1 or p[i] >= n
    if bad:
        raise ValueError(f"an index of a Dual2Array must lie in [-1, {n})")
    return 0


def sum_all(Dual2Array x):
    """The sum of all elements, a Dual2."""
    return _sum_all(x)


def assign(Dual2Array target, Dual2Array source):
    """Make target hold source's elements, in place (ufunc.at, out=): its
    arrays are replaced by source's, not written into."""
    if (<object> target.value).shape != (<object> source.value).shape \
            or (target.tag, target.n) != (source.tag, source.n):
        raise NotCompiled("assignment of another shape or call")
    target.value, target.index, target.grad, target.curv = (
        source.value, source.index, source.grad, source.curv)


def components(object x, unsigned long long tag, Py_ssize_t n):
    """(value, index, grad, curv) of an operand as arrays: a Dual2Array's own,
    a Dual2's over all n variables, a constant's with one unused entry."""
    if type(x) is Dual2Array:
        return x.value, x.index, x.grad, x.curv
    cdef _Operand op = _operand(x, tag, n)
    if op is None:
        raise NotCompiled(f"an operand of type {type(x).__name__}")
    if op.index is not None:                       # a Dual2
        return np.array(op.number), op.index[0], op.grad[0], op.curv[0]
    value = np.array(op.number) if op.value is None else op.value
    shape = value.shape
    return (value, np.full(shape + (1,), -1, dtype=np.intp), np.zeros(shape + (1,)),
            np.zeros(shape + (1, 1)))


cdef object _getitem(Dual2Array x, object key):
    if isinstance(key, (Dual2Array, Dual2)):
        raise TypeError("a dual number cannot be an index")
    cdef tuple k1 = (key if type(key) is tuple else (key,)) + (_ALL,)
    cdef tuple k2 = k1 + (_ALL,)
    value = x.value[key]
    index = x.index[k1]
    grad = x.grad[k1]
    curv = x.curv[k2]
    if type(value) is not np.ndarray or (<cnp.ndarray> value).ndim == 0:
        return _to_dual2(float(value), index, grad, curv, 1, x.n, x.tag)
    r = _make(value, index, grad, curv, x.n, x.tag)
    # basic indexing gives views (a base), an index array or mask mostly copies
    return _view_of(x, r) if cnp.PyArray_BASE(<cnp.ndarray> value) != NULL else r


cdef object _restructure(Dual2Array x, object value, object move):
    """x with value -> value (a reshape or transpose of x.value); ``move`` maps
    an array of x.value's shape plus t trailing axes to value's shape plus them."""
    return _view_of(x, _make(_contiguous(value), move(x.index, 1), move(x.grad, 1),
                             move(x.curv, 2), x.n, x.tag))


cdef object _view_of(Dual2Array x, object r):
    """r, made of views of x's arrays: both are marked (see Dual2Array.__setitem__)."""
    x.viewed = True
    if type(r) is Dual2Array:
        (<Dual2Array> r).viewed = True
    return r


# ------------------------------------------------------------ the type

@cython.final
cdef class Dual2Array:
    """An array of second-order dual numbers (see the module docstring); made
    by hessian(), not meant to be built by hand."""
    cdef readonly cnp.ndarray value
    cdef readonly cnp.ndarray index
    cdef readonly cnp.ndarray grad
    cdef readonly cnp.ndarray curv
    cdef readonly Py_ssize_t n
    cdef readonly unsigned long long tag
    cdef bint viewed            # it views another's memory, or another views its own

    __array_priority__ = 30
    holds_dual2 = True               # a Dual2 meeting it leaves the operation to it
    _numpy_functions = _FUNCTIONS     # numpy function -> handler (docs/numpy_coverage.py reads it)

    @property
    def shape(self):
        return (<object> self.value).shape

    @property
    def ndim(self):
        return (<object> self.value).ndim

    @property
    def size(self):
        return self.value.size

    @property
    def T(self):
        return self.transpose()

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        for i in range(len(self.value)):
            yield _getitem(self, i)

    def __getitem__(self, key):
        return _getitem(self, key)

    def __setitem__(self, key, item):
        # every component of the selected elements takes the item's (broadcast,
        # as numpy assigns values); rows are padded to the wider of the two
        if isinstance(key, (Dual2Array, Dual2)):
            raise TypeError("a dual number cannot be an index")
        if self.value is None:
            _uninitialised()
        if self.viewed:
            # numpy writes through views, but operations also share the arrays
            # they leave unchanged (x * 2.0 keeps x's index): objects do it right
            raise NotCompiled("assignment into an array that shares memory with a view")
        new = components(item, self.tag, self.n)
        cdef Py_ssize_t own_width = cnp.PyArray_DIM(self.index, self.index.ndim - 1)
        width = max(own_width, new[1].shape[-1])
        _check_size(self.value.size, width)
        # copy the arrays it shares with others (operations reuse unchanged ones)
        value = self.value if _alone(<PyObject*> self.value) else self.value.copy()
        index = self.index if _alone(<PyObject*> self.index) else self.index.copy()
        grad = self.grad if _alone(<PyObject*> self.grad) else self.grad.copy()
        curv = self.curv if _alone(<PyObject*> self.curv) else self.curv.copy()
        own = _moves.pad_rows((value, index, grad, curv), width)
        new = _moves.pad_rows(new, width)
        shape = np.shape(own[0][key])
        cdef tuple rows = (key if type(key) is tuple else (key,)) + (_ALL,)
        own[0][key] = np.broadcast_to(new[0], shape)
        own[1][rows] = np.broadcast_to(new[1], shape + (width,))
        own[2][rows] = np.broadcast_to(new[2], shape + (width,))
        own[3][rows + (_ALL,)] = np.broadcast_to(new[3], shape + (width, width))
        self.value, self.index, self.grad, self.curv = own

    def __array__(self, *args, **kwargs):
        raise NotCompiled("conversion to an ndarray")

    def __bool__(self):
        raise NotCompiled("truth value of an array")

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotCompiled(f"the attribute {name}")

    def reshape(self, *shape, order="C"):
        if order != "C":
            raise NotCompiled("reshape with order != 'C'")
        value = self.value.reshape(*shape)
        return _restructure(self, value, _moves.reshaped(value.shape))

    def ravel(self):
        return self.reshape(-1)

    def flatten(self):
        return +self.reshape(-1)             # a copy, as numpy's

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = axes[0]                      # one sequence (or None) of axes
        axes = tuple(int(a) for a in axes) if axes is not None else ()
        nd = self.value.ndim
        value = self.value.transpose(axes) if axes else self.value.T     # numpy checks axes
        order = tuple(int(a) % nd for a in axes) if axes else tuple(range(nd))[::-1]
        return _restructure(self, value, _moves.transposed(order))

    # methods that numpy functions also are (dualnum/_hessian_functions.py)
    def sum(self, axis=None, dtype=None, out=None, keepdims=False):
        return _FUNCTIONS[np.sum](_ENGINE, self, axis, dtype, out, keepdims)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        return _FUNCTIONS[np.prod](_ENGINE, self, axis, dtype, out, keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return _FUNCTIONS[np.mean](_ENGINE, self, axis, dtype, out, keepdims)

    def cumsum(self, axis=None, dtype=None, out=None):
        return _FUNCTIONS[np.cumsum](_ENGINE, self, axis, dtype, out)

    def dot(self, other):
        return _FUNCTIONS[np.dot](_ENGINE, self, other)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return _FUNCTIONS[np.var](_ENGINE, self, axis, dtype, out, ddof, keepdims)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return _FUNCTIONS[np.std](_ENGINE, self, axis, dtype, out, ddof, keepdims)

    def cumprod(self, axis=None, dtype=None, out=None):
        return _FUNCTIONS[np.cumprod](_ENGINE, self, axis, dtype, out)

    def round(self, decimals=0, out=None):
        return _FUNCTIONS[np.round](_ENGINE, self, decimals, out)

    def conj(self):                              # of a real array: itself
        return self

    def conjugate(self):
        return self

    @property
    def real(self):                              # of a real array: itself, as DualArray's
        return self

    @property
    def imag(self):
        return _FUNCTIONS[np.imag](_ENGINE, self)

    def max(self, axis=None, out=None, keepdims=False):
        return _FUNCTIONS[np.max](_ENGINE, self, axis, out, keepdims)

    def min(self, axis=None, out=None, keepdims=False):
        return _FUNCTIONS[np.min](_ENGINE, self, axis, out, keepdims)

    # arithmetic
    def __add__(self, other):
        return _binary(_BINARY["add"], self, other)

    def __radd__(self, other):
        return _binary(_BINARY["add"], other, self)

    def __sub__(self, other):
        return _binary(_BINARY["subtract"], self, other)

    def __rsub__(self, other):
        return _binary(_BINARY["subtract"], other, self)

    def __mul__(self, other):
        return _binary(_BINARY["multiply"], self, other)

    def __rmul__(self, other):
        return _binary(_BINARY["multiply"], other, self)

    def __truediv__(self, other):
        return _binary(_BINARY["divide"], self, other)

    def __rtruediv__(self, other):
        return _binary(_BINARY["divide"], other, self)

    def __pow__(self, other, mod):
        if mod is not None:
            return NotImplemented
        return _binary(_BINARY["power"], self, other)

    def __rpow__(self, other, mod):
        if mod is not None:
            return NotImplemented
        return _binary(_BINARY["power"], other, self)

    def __floordiv__(self, other):
        return _binary(_BINARY["floor_divide"], self, other)

    def __rfloordiv__(self, other):
        return _binary(_BINARY["floor_divide"], other, self)

    def __mod__(self, other):
        return _binary(_BINARY["remainder"], self, other)

    def __rmod__(self, other):
        return _binary(_BINARY["remainder"], other, self)

    def __matmul__(self, other):
        return _FUNCTIONS[np.matmul](_ENGINE, self, other)

    def __rmatmul__(self, other):
        return _FUNCTIONS[np.matmul](_ENGINE, other, self)

    def __neg__(self):
        return _unary(_UNARY["negative"], self)

    def __pos__(self):                          # a copy, as numpy's +x
        return _make(self.value.copy(), self.index.copy(), self.grad.copy(), self.curv.copy(),
                     self.n, self.tag)

    def __abs__(self):
        return _unary(_UNARY["absolute"], self)

    def __lt__(self, other):
        return np.less(self, other)

    def __le__(self, other):
        return np.less_equal(self, other)

    def __gt__(self, other):
        return np.greater(self, other)

    def __ge__(self, other):
        return np.greater_equal(self, other)

    def __eq__(self, other):
        return np.equal(self, other)

    def __ne__(self, other):
        return np.not_equal(self, other)

    __hash__ = None

    def __dualnum_unary__(self, str name):
        rule = _UNARY.get(name)
        if rule is None:
            raise NotCompiled(f"dualnum.{name}")
        return _unary(<Row> rule, self)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__":                     # reduce, accumulate, outer, at
            return _ufunc_method(_ENGINE, ufunc, method, inputs, kwargs)
        if kwargs:
            raise NotCompiled(f"numpy.{ufunc.__name__} with {sorted(kwargs)}")
        name = ufunc.__name__
        if ufunc not in _NUMPY_UFUNCS:               # scipy.special's rows, found by identity
            return _special(ufunc, inputs)
        if name in _ON_VALUE:
            return ufunc(*[_value_of(item) for item in inputs])
        if len(inputs) == 1 and name in _UNARY:
            return _unary(<Row> _UNARY[name], inputs[0])
        if name in _UFUNC_FUNCTIONS:                 # matmul, square, ...
            return _FUNCTIONS[_UFUNC_FUNCTIONS[name]](_ENGINE, *inputs)
        if ufunc in _FUNCTIONS:                      # modf, frexp, ...: written with rows
            return _FUNCTIONS[ufunc](_ENGINE, *inputs)
        if len(inputs) == 2 and name in _BINARY:
            result = _binary(<Row> _BINARY[name], inputs[0], inputs[1])
            if result is not NotImplemented:
                return result
        raise NotCompiled(f"numpy.{name}")

    def __array_function__(self, func, types, args, kwargs):
        handler = _FUNCTIONS.get(func)
        if handler is None:
            handler = _LIKE_FUNCTIONS.get(func)     # np.zeros(..., like=self) & co.
            if handler is not None:
                return handler(_ENGINE, self, *args, **kwargs)
            raise NotCompiled(f"numpy.{func.__name__}")
        return handler(_ENGINE, *args, **kwargs)

    def __repr__(self):
        return f"<Dual2Array of shape {(<object> self.value).shape}, {self.n} variables>"

    def __reduce__(self):
        return _unpickle, (self.value, self.index, self.grad, self.curv, self.n, self.tag)


cdef bint _alone(PyObject* array):
    """Nothing but its one holder holds ``array`` or the memory it views (a view
    holds the array that owns its memory as its base): it can be written."""
    if _Py_REFCNT(array) != 1:
        return False
    cdef PyObject* base = cnp.PyArray_BASE(<cnp.ndarray> array)
    return base == NULL or _Py_REFCNT(base) == 1


cdef object _value_of(object item):
    if type(item) is Dual2Array:
        return (<Dual2Array> item).value
    if type(item) is Dual2:
        return (<Dual2> item).val
    return item


class _SecondOrder(_RowPrimitives):
    """What the numpy functions of dualnum/_hessian_functions.py and
    dualnum/_array_reductions.py build on, handed to them as their first
    argument (so they need not import this module, which dispatches to
    them); the base class adds what is written in Python."""
    array = Dual2Array
    make = staticmethod(make)
    linear = staticmethod(linear)
    components = staticmethod(components)
    sum_all = staticmethod(sum_all)
    assign = staticmethod(assign)
    unsupported = NotCompiled          # what dualnum/_ufunc_methods.py raises


_ENGINE = _SecondOrder()


# ------------------------------------------------------------ seeding

@cython.boundscheck(False)
@cython.wraparound(False)
def seed(cnp.ndarray point, unsigned long long tag):
    """The argument of a compiled hessian pass: a copy of the float64 array
    ``point`` whose element i is variable i."""
    cdef Py_ssize_t n = cnp.PyArray_SIZE(point), i
    if cnp.PyArray_TYPE(point) != cnp.NPY_DOUBLE or not cnp.PyArray_ISNOTSWAPPED(point):
        raise TypeError("point must be a float64 array")
    value = cnp.PyArray_NewCopy(point, cnp.NPY_CORDER)
    index = _alloc(value, 1, 1, cnp.NPY_INTP)
    grad = _alloc(value, 1, 1, cnp.NPY_DOUBLE)
    curv = _alloc(value, 2, 1, cnp.NPY_DOUBLE)
    cdef Py_ssize_t* ix = <Py_ssize_t*> cnp.PyArray_DATA(index)
    cdef double* g = <double*> cnp.PyArray_DATA(grad)
    cdef double* h = <double*> cnp.PyArray_DATA(curv)
    for i in range(n):
        ix[i] = i
        g[i] = 1.0
        h[i] = 0.0
    return _make(value, index, grad, curv, n, tag)


def seed_along(cnp.ndarray point, cnp.ndarray direction, unsigned long long tag):
    """seed, for an hvp pass along the float64 ``direction`` of point's shape:
    until release(tag), its sums and elements carry H v instead of H."""
    _DIRECTIONS[tag] = np.ascontiguousarray(direction, dtype=np.float64).reshape(
        cnp.PyArray_SIZE(point))
    return seed(point, tag)


def release(unsigned long long tag):
    """Forget the direction of a finished hvp pass."""
    del _DIRECTIONS[tag]


def record(unsigned long long tag):
    """Record the rows of every sum and element of this pass (its Dual2s)
    until recorded(tag): which variables each local Hessian couples."""
    _RECORDS[tag] = []


def recorded(unsigned long long tag):
    """The records since record(tag), which it stops: a list of (the Dual2,
    m, index, curv) with index (m, w) and curv (m, w, w) in any shape."""
    return _RECORDS.pop(tag)


cdef struct _Entry:
    Py_ssize_t col
    Py_ssize_t order          # its place in the records: equal columns sum in that order
    double value


cdef int _by_column(const void* a, const void* b) noexcept nogil:
    cdef const _Entry* x = <const _Entry*> a
    cdef const _Entry* y = <const _Entry*> b
    if x.col != y.col:
        return -1 if x.col < y.col else 1
    return -1 if x.order < y.order else (1 if x.order > y.order else 0)


cdef inline bint _before(const _Entry* x, const _Entry* y) noexcept nogil:
    return x.col < y.col or (x.col == y.col and x.order < y.order)


cdef void _sort_row(_Entry* row, Py_ssize_t length) noexcept nogil:
    """By column, then records' order: insertion for the short rows of a
    band (libc's qsort allocates a buffer per call), qsort for long ones."""
    cdef Py_ssize_t k, j
    cdef _Entry moving
    if length > 32:
        qsort(row, length, sizeof(_Entry), _by_column)
        return
    for k in range(1, length):
        moving = row[k]
        j = k - 1
        while j >= 0 and _before(&moving, &row[j]):
            row[j + 1] = row[j]
            j -= 1
        row[j + 1] = moving


cdef void _visit_pairs(Py_ssize_t m, Py_ssize_t w, const Py_ssize_t* ix, const double* h,
                       Py_ssize_t* at, _Entry* entry) noexcept nogil:
    """Each pair i <= j of each recorded row, to row i and, mirrored, to row
    j of H: counted in at[row] (entry NULL), or written to entry[at[row]]
    with at[row] advanced (at: each row's start)."""
    cdef Py_ssize_t e, a, b, i, j
    cdef double v
    for e in range(m):
        for a in range(w):
            i = ix[e * w + a]
            if i < 0:
                continue
            for b in range(a, w):
                j = ix[e * w + b]
                if j < 0:
                    continue
                if entry != NULL:
                    v = h[(e * w + a) * w + b]
                    if a != b and i == j:         # held twice: both mixed entries
                        v += h[(e * w + b) * w + a]
                    entry[at[i]] = _Entry(j, at[i], v)
                    if i != j:
                        entry[at[j]] = _Entry(i, at[j], v)
                at[i] += 1
                if i != j:
                    at[j] += 1


@cython.boundscheck(False)
@cython.wraparound(False)
def summed_hessian(Py_ssize_t m, index, curv, Py_ssize_t n):
    """(indptr, cols, data): the CSR matrix of the sum of m recorded local
    Hessians (index (m, w), -1 unused; curv (m, w, w)), on every pair of
    variables a local Hessian holds, zeros included.  Each pair i <= j of a
    row is read once, from the upper triangle (a variable held twice in a row
    gets both of its mixed entries on the diagonal), and goes to row i and,
    mirrored, to row j; each row's entries are summed in the records' order,
    so H is exactly symmetric."""
    cdef Py_ssize_t w = cnp.PyArray_SIZE(index) // m if m else 0
    cdef cnp.ndarray ix_array = np.ascontiguousarray(index, dtype=np.intp).reshape(-1)
    cdef cnp.ndarray h_array = np.ascontiguousarray(curv, dtype=np.float64).reshape(-1)
    cdef const Py_ssize_t* ix = <Py_ssize_t*> cnp.PyArray_DATA(ix_array)
    cdef const double* h = <double*> cnp.PyArray_DATA(h_array)
    cdef cnp.ndarray counts = np.zeros(n + 1, dtype=np.intp)
    cdef Py_ssize_t* count = <Py_ssize_t*> cnp.PyArray_DATA(counts)
    cdef Py_ssize_t r, k, out, total, start, end
    _visit_pairs(m, w, ix, h, count + 1, NULL)       # entries per row of H
    for r in range(n):
        count[r + 1] += count[r]
    total = count[n]
    cdef cnp.ndarray entries = np.empty(total * sizeof(_Entry), dtype=np.uint8)
    cdef _Entry* entry = <_Entry*> cnp.PyArray_DATA(entries)
    cdef cnp.ndarray fills = counts[:n].copy()
    _visit_pairs(m, w, ix, h, <Py_ssize_t*> cnp.PyArray_DATA(fills), entry)
    cdef cnp.ndarray indptr = np.zeros(n + 1, dtype=np.intp)
    cdef Py_ssize_t* ptr = <Py_ssize_t*> cnp.PyArray_DATA(indptr)
    cols = np.empty(total, dtype=np.intp)
    data = np.empty(total)
    cdef Py_ssize_t[::1] col_out = cols
    cdef double[::1] data_out = data
    out = 0
    for r in range(n):                               # sort each row, sum repeated columns
        start, end = count[r], count[r + 1]
        _sort_row(&entry[start], end - start)
        k = start
        while k < end:
            col_out[out] = entry[k].col
            data_out[out] = entry[k].value
            k += 1
            while k < end and entry[k].col == col_out[out]:
                data_out[out] += entry[k].value
                k += 1
            out += 1
        ptr[r + 1] = out
    return indptr, cols[:out], data[:out]


def _special(ufunc, tuple inputs):
    """A ufunc that is not numpy's: a row of scipy.special's (by identity), else
    the object pass (which calls it on the numbers)."""
    r = _special_row(ufunc, inputs)
    if r is not None and len(inputs) == (<Row> r).arity:
        result = (_unary(<Row> r, inputs[0]) if len(inputs) == 1
                  else _binary(<Row> r, inputs[0], inputs[1]))
        if result is not NotImplemented:
            return result
    raise NotCompiled(f"{ufunc.__name__}")
