# cython: freethreading_compatible = False
# cython: cdivision=True
"""LaplacianArray: the forward-Laplacian carrier that laplacian() seeds.

Each element carries three components for the n variables of one call:

    value[e]        x_e
    grad[e, i]      ∂x_e/∂x_i                  (a trailing axis of n entries)
    lap[e]          Σ_i ∂²x_e/∂x_i²            (the running Laplacian)

An elementwise function φ maps them as the trace of Dual2's rule,
    grad' = φ'(v) grad,        lap' = φ'(v) lap + φ''(v) |grad|²,
and a binary f(a, b) as the trace of the second-order chain rule,
    lap' = f_a lap_a + f_b lap_b + f_aa |g_a|² + 2 f_ab g_a·g_b + f_bb |g_b|²
(a product: a lap_b + b lap_a + 2 g_a·g_b), so an operation costs O(n) per
element and no n x n Hessian is ever formed.  φ, φ', φ'' and the partials come
from the Taylor kernels of the function table's rows (dualnum/_jets.pxd:
jet_local_unary, local_partials), the kernels Dual2 and Dual2Array use: every
row, scipy.special's included, works here, with the same conventions at kinks
(the rules' one-sided slopes, φ'' = 0), at singular points (nan or infinite
higher derivatives) and with strong zeros (a zero gradient entry contributes
nothing even where φ' or φ'' is inf or nan).

Linear operations (sums, indexing, reshapes, joins, products with constants)
act on value, gradient and Laplacian alike; they are written on the component
tuple ``(value, grad, lap)`` in dualnum/_laplacian_functions.py, which takes
the moves of elements from dualnum/_array_functions.py.  Anything else
(another numpy function, conversion to an ndarray or a float, item
assignment, numbers of another differentiation call) raises NotCarried or
ForeignNumber, and laplacian() computes the trace of hessian() instead.

Batched points are the same type: for points X of shape (..., n) every point's
n entries get their own n directions (grad[..., j, i] = δ_ij) and f, which
never mixes points, gives each point its own Laplacian in one pass.
"""
cimport cython
cimport numpy as cnp
from libc.math cimport isfinite

from dualnum._jets cimport _strong, _strong2, jet_unary, jet_binary, jet_local_unary, local_partials
from dualnum._table cimport Row

import numpy as np

from dualnum._table import BY_SPELLING as _BY_SPELLING
from dualnum._chains import report as _report
from dualnum._function_args import VALUE_UFUNCS as _VALUE_UFUNCS
from dualnum._number import ForeignNumber
from dualnum._ufunc_methods import apply as _ufunc_method
from dualnum._scipy_dispatch import NUMPY_UFUNCS as _NUMPY_UFUNCS, special_row as _special_row
from dualnum._laplacian_functions import CarrierPrimitives as _CarrierPrimitives, NotCarried
from dualnum._laplacian_functions import FUNCTIONS as _FUNCTIONS, LIKE_FUNCTIONS as _LIKE_FUNCTIONS
from dualnum._laplacian_functions import constant as _constant_of, matmul as _matmul_of

cnp.import_array()

# the primitives handed to the numpy functions (_Primitives, set once the type exists)
cdef object _ENGINE = None

# every spelling of the table's rows, by arity (numpy's names: np.sin.__name__ is "sin")
cdef dict _UNARY = {name: r for name, r in _BY_SPELLING.items() if (<Row> r).arity == 1}
cdef dict _BINARY = {name: r for name, r in _BY_SPELLING.items() if (<Row> r).arity == 2}
cdef Row _ADD = _BY_SPELLING["add"]
cdef Row _SUB = _BY_SPELLING["subtract"]
cdef Row _MUL = _BY_SPELLING["multiply"]
cdef Row _DIV = _BY_SPELLING["divide"]
cdef Row _POW = _BY_SPELLING["power"]
cdef Row _FLOORDIV = _BY_SPELLING["floor_divide"]
cdef Row _MOD = _BY_SPELLING["remainder"]
cdef Row _NEG = _BY_SPELLING["negative"]
cdef Row _ABS = _BY_SPELLING["absolute"]


# ------------------------------------------------------------ the loops

@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t _unary_loop(jet_unary kernel, Py_ssize_t m, Py_ssize_t n,
                            const double* v, const double* g, const double* l,
                            double* ov, double* og, double* ol) noexcept nogil:
    """φ per element; returns how many values came out non-finite from finite ones."""
    cdef Py_ssize_t e, i, bad = 0
    cdef double f[3]
    cdef double gi, acc
    for e in range(m):
        jet_local_unary(kernel, v[e], f)
        ov[e] = f[0]
        if not isfinite(f[0]) and isfinite(v[e]):
            bad += 1
        acc = _strong(f[1], l[e])
        for i in range(n):
            gi = g[e * n + i]
            og[e * n + i] = _strong(f[1], gi)
            acc = acc + _strong2(f[2], gi, gi)
        ol[e] = acc
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t _binary_loop(jet_binary kernel, int op, Py_ssize_t m, Py_ssize_t n,
                             const double* va, const double* ga, const double* la, Py_ssize_t sa,
                             const double* vb, const double* gb, const double* lb, Py_ssize_t sb,
                             double* ov, double* og, double* ol) noexcept nogil:
    """f(a, b) per element; an operand without derivatives has ga (gb) NULL,
    one read with step 0 (sa, sb) is one element for all."""
    cdef Py_ssize_t e, i, bad = 0
    cdef bint da = ga != NULL, db = gb != NULL
    cdef double p[6]
    cdef double a, b, gai, gbi, acc
    for e in range(m):
        a = va[e * sa]
        b = vb[e * sb]
        local_partials(kernel, op, a, b, da, db, p)
        ov[e] = p[0]
        if not isfinite(p[0]) and isfinite(a) and isfinite(b):
            bad += 1
        acc = 0.0
        if da and db:
            acc = _strong(p[1], la[e * sa]) + _strong(p[2], lb[e * sb])
            for i in range(n):
                gai = ga[e * sa * n + i]
                gbi = gb[e * sb * n + i]
                og[e * n + i] = _strong(p[1], gai) + _strong(p[2], gbi)
                acc = (acc + _strong2(p[3], gai, gai) + 2.0 * _strong2(p[4], gai, gbi)
                       + _strong2(p[5], gbi, gbi))
        elif da:
            acc = _strong(p[1], la[e * sa])
            for i in range(n):
                gai = ga[e * sa * n + i]
                og[e * n + i] = _strong(p[1], gai)
                acc = acc + _strong2(p[3], gai, gai)
        else:
            acc = _strong(p[2], lb[e * sb])
            for i in range(n):
                gbi = gb[e * sb * n + i]
                og[e * n + i] = _strong(p[2], gbi)
                acc = acc + _strong2(p[5], gbi, gbi)
        ol[e] = acc
    return bad


cdef inline double* _data(cnp.ndarray a):
    return <double*> cnp.PyArray_DATA(a)


cdef cnp.ndarray _c(object a):
    # not np.ascontiguousarray, which makes a 0-d array 1-d
    return np.asarray(a, dtype=np.float64, order="C")


# ------------------------------------------------------------ the carrier

cdef class LaplacianArray:
    """Values with their gradients and Laplacians in the n variables of one
    laplacian() call (see the module docstring)."""
    cdef readonly object value       # float64 ndarray of the array's shape
    cdef readonly object grad        # value.shape + (n,)
    cdef readonly object lap         # value.shape
    cdef readonly Py_ssize_t n
    cdef readonly unsigned long long tag

    __array_priority__ = 30

    def __init__(self, value, grad, lap, unsigned long long tag):
        self.value = value
        self.grad = grad
        self.lap = lap
        self.n = grad.shape[-1]
        self.tag = tag

    # --- shape
    @property
    def shape(self):
        return self.value.shape

    @property
    def ndim(self):
        return self.value.ndim

    @property
    def size(self):
        return self.value.size

    @property
    def dtype(self):
        return self.value.dtype

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        for i in range(len(self.value)):
            yield self[i]

    def __getitem__(self, index):
        value = np.asarray(self.value[index])           # numpy's errors
        lap = np.asarray(self.lap[index])
        if index is Ellipsis or (type(index) is tuple and any(i is Ellipsis for i in index)):
            # the gradient's trailing axis stays out of the ellipsis
            index = (index if type(index) is tuple else (index,)) + (slice(None),)
        return made(value, self.grad[index], lap, self.tag)

    def __setitem__(self, index, item):
        raise NotCarried("item assignment into the array of laplacian")

    def reshape(self, *shape, order="C"):
        return _FUNCTIONS[np.reshape](_ENGINE, self, shape[0] if len(shape) == 1 else shape, order=order)

    def transpose(self, *axes):
        return _FUNCTIONS[np.transpose](_ENGINE, self, (axes[0] if len(axes) == 1 else axes) or None)

    @property
    def T(self):
        return self.transpose()

    def ravel(self):
        return self.reshape(-1)

    def flatten(self):
        return self.reshape(-1)

    def sum(self, axis=None, keepdims=False):
        return _ENGINE.reduce(self, np.sum, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return _ENGINE.reduce(self, np.mean, axis, keepdims)

    def dot(self, other):
        return _FUNCTIONS[np.dot](_ENGINE, self, other)

    # --- what would lose the derivatives
    def __array__(self, dtype=None, copy=None):
        raise NotCarried("conversion of the array of laplacian to an ndarray")

    def __float__(self):
        raise NotCarried("conversion of the array of laplacian to a float")

    def __bool__(self):
        return bool(self.value)

    def __index__(self):
        raise TypeError("the array of laplacian cannot be an index")

    # --- arithmetic: rows of the function table
    def __add__(self, other):
        return binary(_ADD, self, other)

    def __radd__(self, other):
        return binary(_ADD, other, self)

    def __sub__(self, other):
        return binary(_SUB, self, other)

    def __rsub__(self, other):
        return binary(_SUB, other, self)

    def __mul__(self, other):
        return binary(_MUL, self, other)

    def __rmul__(self, other):
        return binary(_MUL, other, self)

    def __truediv__(self, other):
        return binary(_DIV, self, other)

    def __rtruediv__(self, other):
        return binary(_DIV, other, self)

    def __pow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return binary(_POW, self, other)

    def __rpow__(self, other, modulo):
        if modulo is not None:
            return NotImplemented
        return binary(_POW, other, self)

    def __floordiv__(self, other):
        return binary(_FLOORDIV, self, other)

    def __rfloordiv__(self, other):
        return binary(_FLOORDIV, other, self)

    def __mod__(self, other):
        return binary(_MOD, self, other)

    def __rmod__(self, other):
        return binary(_MOD, other, self)

    def __matmul__(self, other):
        return _matmul_of(_ENGINE, self, other)

    def __rmatmul__(self, other):
        return _matmul_of(_ENGINE, other, self)

    def __neg__(self):
        return unary(_NEG, self)

    def __pos__(self):
        return self

    def __abs__(self):
        return unary(_ABS, self)

    # comparisons compare values, as numpy's ufuncs do on the arrays of the other calls
    def __lt__(self, other):
        return self.value < _value_of(other)

    def __le__(self, other):
        return self.value <= _value_of(other)

    def __gt__(self, other):
        return self.value > _value_of(other)

    def __ge__(self, other):
        return self.value >= _value_of(other)

    def __eq__(self, other):
        return self.value == _value_of(other)

    def __ne__(self, other):
        return self.value != _value_of(other)

    __hash__ = None

    def __dualnum_unary__(self, str name):
        """dualnum.<row>(x) for the rows without a numpy ufunc (erf, gamma, ...)."""
        return unary(<Row> _UNARY[name], self)

    # --- numpy
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__":                     # reduce, accumulate, outer, at
            return _ufunc_method(_ENGINE, ufunc, method, inputs, kwargs)
        if kwargs:
            raise NotCarried(f"numpy.{ufunc.__name__} with {sorted(kwargs)}")
        name = ufunc.__name__
        if ufunc not in _NUMPY_UFUNCS:               # scipy.special's rows, found by identity
            r = _special_row(ufunc, inputs)
            if r is None or len(inputs) != (<Row> r).arity:
                raise NotCarried(f"{name}")
            return unary(<Row> r, inputs[0]) if len(inputs) == 1 else binary(<Row> r, *inputs)
        if name in _VALUE_UFUNCS:
            return ufunc(*[_value_of(item) for item in inputs])
        if len(inputs) == 1 and name in _UNARY:
            return unary(<Row> _UNARY[name], inputs[0])
        if len(inputs) == 2 and name in _BINARY:
            return binary(<Row> _BINARY[name], inputs[0], inputs[1])
        if name == "square":
            return binary(_MUL, inputs[0], inputs[0])
        if name == "reciprocal":
            return binary(_DIV, 1.0, inputs[0])
        if name in ("positive", "conjugate"):
            return inputs[0]
        if name == "matmul":
            return _matmul_of(_ENGINE, *inputs)
        raise NotCarried(f"numpy.{name}")

    def __array_function__(self, func, types, args, kwargs):
        handler = _FUNCTIONS.get(func)
        if handler is not None:
            return handler(_ENGINE, *args, **kwargs)
        like = _LIKE_FUNCTIONS.get(func)             # np.zeros(..., like=self) & co.
        if like is None:
            raise NotCarried(f"numpy.{func.__name__}")
        return like(_ENGINE, self, *args, **kwargs)

    def __repr__(self):
        return f"<LaplacianArray of shape {self.value.shape}, {self.n} variables>"


cpdef LaplacianArray made(object value, object grad, object lap, unsigned long long tag):
    """A LaplacianArray of the given components (no copies, no checks)."""
    cdef LaplacianArray x = LaplacianArray.__new__(LaplacianArray)
    x.value = value
    x.grad = grad
    x.lap = lap
    x.n = grad.shape[grad.ndim - 1]
    x.tag = tag
    return x


class _Primitives(_CarrierPrimitives):
    """What dualnum/_laplacian_functions.py and the shared numpy-function
    modules build on, handed to their handlers as their first argument (so
    they need not import this module); the base class adds what is written
    in Python."""
    array = LaplacianArray
    made = staticmethod(made)


_ENGINE = _Primitives()


cdef object _value_of(object item):
    return (<LaplacianArray> item).value if type(item) is LaplacianArray else item


# ------------------------------------------------------------ operands

cdef object _constant(object x):
    """x as float64 (numbers directly; the rest: the functions' one reading)."""
    if type(x) is float or type(x) is int:
        return np.float64(x)
    return _constant_of(x)


cdef class _Operand:
    """One operand of the binary loop: C-contiguous components (grad, lap None
    for a constant), one element read with step 0 or one per result element."""
    cdef cnp.ndarray value, grad, lap
    cdef Py_ssize_t step

    cdef double* grad_data(self):
        return NULL if self.grad is None else _data(self.grad)

    cdef double* lap_data(self):
        return NULL if self.lap is None else _data(self.lap)


cdef _Operand _prepared(object value, LaplacianArray x, tuple shape, Py_ssize_t n):
    """value (and x's derivatives, x None for a constant) for a result of ``shape``."""
    cdef _Operand op = _Operand.__new__(_Operand)
    if np.ndim(value) == 0 and len(shape):
        op.step = 0
        op.value = _c(np.reshape(value, (1,)))
        if x is not None:
            op.grad, op.lap = _c(x.grad).reshape(1, n), _c(x.lap).reshape(1)
    else:
        op.step = 1
        op.value = _c(np.broadcast_to(value, shape))
        if x is not None:
            op.grad = _c(np.broadcast_to(x.grad, shape + (n,)))
            op.lap = _c(np.broadcast_to(x.lap, shape))
    return op


cpdef object unary(Row rule, LaplacianArray x):
    """rule(x) elementwise."""
    cdef cnp.ndarray v = _c(x.value), g = _c(x.grad), lp = _c(x.lap)
    cdef cnp.ndarray ov = np.empty_like(v), og = np.empty_like(g), ol = np.empty_like(lp)
    cdef Py_ssize_t bad = _unary_loop(rule.taylor_unary, cnp.PyArray_SIZE(v), x.n, _data(v),
                                      _data(g), _data(lp), _data(ov), _data(og), _data(ol))
    if bad:
        _report(rule.name, (x.value,))
    return made(ov, og, ol, x.tag)


cpdef object binary(Row rule, object a, object b):
    """rule(a, b) elementwise, with numpy's broadcasting; a or b is a LaplacianArray."""
    cdef LaplacianArray x = a if type(a) is LaplacianArray else None
    cdef LaplacianArray y = b if type(b) is LaplacianArray else None
    cdef LaplacianArray source = x if x is not None else y
    if x is not None and y is not None and x.tag != y.tag:
        raise ForeignNumber("cannot combine the arrays of different laplacian calls")
    va = x.value if x is not None else _constant(a)
    vb = y.value if y is not None else _constant(b)
    shape = np.broadcast_shapes(np.shape(va), np.shape(vb))
    cdef Py_ssize_t n = source.n
    cdef _Operand p = _prepared(va, x, shape, n), q = _prepared(vb, y, shape, n)
    cdef cnp.ndarray ov = np.empty(shape), og = np.empty(shape + (n,)), ol = np.empty(shape)
    cdef Py_ssize_t bad = _binary_loop(
        rule.taylor_binary, rule.arith, cnp.PyArray_SIZE(ov), n,
        _data(p.value), p.grad_data(), p.lap_data(), p.step,
        _data(q.value), q.grad_data(), q.lap_data(), q.step,
        _data(ov), _data(og), _data(ol))
    if bad:
        _report(rule.name, (np.asarray(va), np.asarray(vb)))
    return made(ov, og, ol, source.tag)


# ------------------------------------------------------------ seeding

def seed(object point, bint batch, Py_ssize_t start, Py_ssize_t k, unsigned long long tag):
    """f's argument at a float64 ``point`` for the k directions start..start+k-1
    of its variables (each entry one variable, or with ``batch`` each point
    point[..., :] its own n = point.shape[-1]): its Laplacian is then the sum
    over those directions alone, and the passes over all the chunks add up."""
    grad = np.zeros(point.shape + (k,))
    chosen = np.arange(k)
    if batch:
        grad[..., start + chosen, chosen] = 1.0
    else:
        grad.reshape(point.size, k)[start + chosen, chosen] = 1.0
    return made(point.copy(), grad, np.zeros(point.shape), tag)
