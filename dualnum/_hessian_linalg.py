"""numpy.linalg on Dual2Array, the compiled second-order array of hessian().

An analytic matrix function is expanded around the value, A = A0 + E (see
dualnum/_hessian_matrices.py): each rule is its Taylor series in E truncated
after E^2, written with the array's own products, which drop every term above
second order, so the curvature comes out exact (M. B. Giles 2008 for the
first order):

    inv(A)  = V - V E V + V E V E V,            V = inv(A0)
    det(A)  = det(A0) (1 + tr(VE) + (tr(VE)^2 - tr(VEVE)) / 2)
    logabsdet(A) = logabsdet(A0) + tr(VE) - tr(VEVE) / 2
    solve(A, b)  = x0 + d - V E d,              d = V (b - b0 - E x0)
    pinv(A)      = inv(A^T A) A^T (A^T inv(A A^T) if wide), at full rank

A singular A0 raises numpy's LinAlgError (det, slogdet, inv, solve); a
rank-deficient one raises a TypeError for pinv and lstsq.  Norms: the vector
2-norm and the Frobenius norm as sqrt(sum(x*x)) (derivatives 0 at x = 0, as
at the first order), the other orders through abs, sums, max, min, powers
(first of ties) and singular values.  Decompositions are
dualnum/_hessian_decompositions.py.  LAPACK work not covered raises a
TypeError naming it: hessian's fallback, object arrays of Dual2s, cannot run
numpy.linalg either; other options raise NotCompiled (that fallback).
"""
import numpy as np

from dualnum._function_args import axes as _axes, function_table
from dualnum._functions_linalg import power_by_squaring
from dualnum._hessian_decompositions import FUNCTIONS as _DECOMPOSITIONS, _singular_values
from dualnum._hessian_functions import NotCompiled
from dualnum._hessian_matrices import (
    _dual_array, _expanded, _inverse, _mm, _second_order, _square_operand, _symmetric, _trace,
    _transpose, _unsupported, _value, _with_value)

__all__ = ["FUNCTIONS"]

_OWN, _implements = function_table()


# ------------------------------------------------------------- determinants, inverses

def _traces(e, v):
    """(tr(VE), tr(VEVE)) over the last two axes."""
    ve = _mm(v, e)
    return _trace(ve), np.sum(ve * _transpose(ve), axis=(-2, -1))


@_implements(np.linalg.det)
def _det(engine, a):
    a0, e, v = _expanded(engine, "det", a)
    first, second = _traces(e, v)
    d0 = np.linalg.det(a0)
    return _with_value(d0 * (1.0 + first + 0.5 * (first * first - second)), d0)


@_implements(np.linalg.slogdet)
def _slogdet(engine, a):
    a0, e, v = _expanded(engine, "slogdet", a)
    first, second = _traces(e, v)
    result = np.linalg.slogdet(a0)
    sign, logabsdet = result
    return type(result)(sign, _with_value(first - 0.5 * second, logabsdet))

@_implements(np.linalg.inv)
def _inv(engine, a):
    a0, e, v = _expanded(engine, "inv", a)
    return _with_value(_inverse(e, v), v)


@_implements(np.linalg.solve)
def _solve(engine, a, b):
    vector = np.ndim(_value(b)) == 1
    x0 = np.linalg.solve(_value(a), _value(b))   # numpy's checks and value
    a0 = _value(a)
    v = np.linalg.inv(a0)
    column = x0[..., None] if vector else x0
    rhs = np.zeros_like(column)
    if _second_order(engine, b):
        rhs = (b - _value(b))[..., None] if vector else b - _value(b)
    if _second_order(engine, a):
        e = _square_operand(engine, "solve", a) - a0
        rhs = rhs - _mm(e, column)
        d = _mm(v, rhs)
        d = d - _mm(_mm(v, e), d)
    else:
        d = _mm(v, rhs)
    x = d[..., 0] if vector else d
    return _with_value(x, x0)


def _pseudo_inverse(engine, a, name, hermitian=False):
    """pinv(A) = inv(A^T A) A^T (A A^T for a wide A), for A of full rank: pinv
    is analytic there (an ndarray A: numpy's pinv)."""
    if not _second_order(engine, a):
        return np.linalg.pinv(np.asarray(a, dtype=np.float64), hermitian=hermitian)
    m, n = a.shape[-2:]
    if np.any(np.linalg.matrix_rank(a.value, hermitian=hermitian) < min(m, n)):
        raise _unsupported(name, " of a rank-deficient matrix")
    if hermitian:                                # numpy reads the lower triangle
        a = _symmetric(a, True)
    at = _transpose(a)
    gram = _mm(at, a) if m >= n else _mm(a, at)
    inverse = _inverse(gram - gram.value, np.linalg.inv(gram.value))
    return _mm(inverse, at) if m >= n else _mm(at, inverse)


@_implements(np.linalg.pinv)
def _pinv(engine, a, rcond=None, hermitian=False, **kwargs):
    a = _dual_array(engine, "linalg.pinv", a)
    value = np.linalg.pinv(a.value, rcond=rcond, hermitian=hermitian, **kwargs)
    return _with_value(_pseudo_inverse(engine, a, "pinv", hermitian), value)


@_implements(np.linalg.lstsq)
def _lstsq(engine, a, b, rcond=None):
    """(x, residuals, rank, s) with x = pinv(A) b and residuals sum((b - A x)^2, axis 0)."""
    x0, residuals, rank, s = np.linalg.lstsq(_value(a), _value(b), rcond=rcond)
    vector = np.ndim(_value(b)) == 1
    column = b[:, None] if vector else b
    x = _mm(_pseudo_inverse(engine, a, "lstsq"), column)
    if np.size(residuals):
        r = column - _mm(a, x)
        residuals = _with_value(np.sum(r * r, axis=0), residuals)
    return _with_value(x[:, 0] if vector else x, x0), residuals, rank, s


@_implements(np.linalg.tensorinv)
def _tensorinv(engine, a, ind=2):
    """inv of a reshaped to a square matrix, as numpy computes it."""
    a = _dual_array(engine, "linalg.tensorinv", a)
    value = np.linalg.tensorinv(a.value, ind)    # numpy's checks
    rows = int(np.prod(a.shape[:ind]))
    return _inv(engine, a.reshape(rows, -1)).reshape(value.shape)


@_implements(np.linalg.tensorsolve)
def _tensorsolve(engine, a, b, axes=None):
    """solve with a reshaped to a square matrix, as numpy computes it."""
    value = np.linalg.tensorsolve(_value(a), _value(b), axes)    # numpy's checks
    if axes is not None:                         # numpy moves these axes of a to the end
        ndim = np.ndim(_value(a))
        moved = [ax % ndim for ax in axes]
        a = a.transpose([d for d in range(ndim) if d not in moved] + moved)
    rows = np.size(_value(b))
    x = _solve(engine, a.reshape(rows, rows), b.reshape(-1))
    return x.reshape(value.shape)


@_implements(np.linalg.matrix_power)
def _matrix_power(engine, a, n):
    a = _square_operand(engine, "matrix_power", a)
    value = np.linalg.matrix_power(a.value, n)   # numpy's checks of n
    if n < 0:
        a0, e, v = _expanded(engine, "matrix_power", a)
        a, n = _inverse(e, v), -n
    if n == 0:
        return a * 0.0 + value                   # constant: zero derivatives
    power = power_by_squaring(a, n, _mm)
    return _with_value(power, value)


def _chain(engine, arrays, value):
    """arrays[0] @ arrays[1] @ ... with numpy's 1-D ends (a row, a column vector)
    and stacks broadcast, on numpy's ``value``."""
    arrays = list(arrays)
    first, last = np.ndim(_value(arrays[0])) == 1, np.ndim(_value(arrays[-1])) == 1
    if first:
        arrays[0] = arrays[0][None, :]
    if last:
        arrays[-1] = arrays[-1][:, None]
    product = arrays[0]
    for item in arrays[1:]:
        product = _mm(product, item)
    if last:
        product = product[..., 0]
    if first:
        product = product[..., 0] if last else product[..., 0, :]
    if not _second_order(engine, product):
        raise NotCompiled("a product without a second-order operand")
    return _with_value(product, value)


@_implements(np.linalg.multi_dot)
def _multi_dot(engine, arrays, *, out=None):
    if out is not None:
        raise NotCompiled("numpy.linalg.multi_dot with out=")
    arrays = list(arrays)
    return _chain(engine, arrays, np.linalg.multi_dot([_value(x) for x in arrays]))


@_implements(np.linalg.matmul)
def _linalg_matmul(engine, x1, x2, /):
    return _chain(engine, [x1, x2], np.linalg.matmul(_value(x1), _value(x2)))


@_implements(np.linalg.outer)
def _linalg_outer(engine, x1, x2, /):
    value = np.linalg.outer(_value(x1), _value(x2))             # numpy's checks: 1-D
    return _with_value(x1[:, None] * x2[None, :], value)


@_implements(np.linalg.vecdot)
def _vecdot(engine, x1, x2, /, *, axis=-1):
    value = np.linalg.vecdot(_value(x1), _value(x2), axis=axis)
    return _with_value(np.sum(x1 * x2, axis=axis), value)


@_implements(np.linalg.matrix_transpose)
def _matrix_transpose(engine, x, /):
    return _transpose(_dual_array(engine, "linalg.matrix_transpose", x))


@_implements(np.linalg.diagonal)
def _diagonal(engine, x, /, *, offset=0):
    """The offset diagonal of the last two axes: a mask, a row sum, the rows that hold it."""
    x = _dual_array(engine, "linalg.diagonal", x)
    value = np.linalg.diagonal(x.value, offset=offset)     # numpy's checks
    rows, columns = x.shape[-2:]
    picked = np.sum(x * np.eye(rows, columns, offset), axis=-1)
    first = max(-offset, 0)
    return _with_value(picked[..., first:first + value.shape[-1]], value)


@_implements(np.linalg.cross)
def _cross(engine, x1, x2, /, *, axis=-1):
    """The cross product of 3-vectors along ``axis``, component by component."""
    value = np.linalg.cross(_value(x1), _value(x2), axis=axis)   # numpy's checks
    a, b = (np.moveaxis(x, axis, -1) if not _second_order(engine, x) else
            x.transpose([d for d in range(x.ndim) if d != axis % x.ndim] + [axis % x.ndim])
            for x in (x1, x2))
    parts = [a[..., (i + 1) % 3] * b[..., (i + 2) % 3] - a[..., (i + 2) % 3] * b[..., (i + 1) % 3]
             for i in range(3)]
    return _with_value(np.stack(parts, axis=-1), np.moveaxis(value, axis, -1)).transpose(
        _axis_back(value.ndim, axis))


def _axis_back(ndim, axis):
    """The transposition that moves the last axis back to ``axis``."""
    order = list(range(ndim - 1))
    order.insert(axis % ndim, ndim - 1)
    return order


def _trace_over(engine, x, offset, axis1, axis2):
    """The sums of the offset diagonals over two axes: a mask and a sum."""
    x = _dual_array(engine, "trace", x)
    value = np.trace(x.value, offset, axis1, axis2)              # numpy's checks
    pair = _axes((axis1, axis2), x.ndim)
    moved = x.transpose([d for d in range(x.ndim) if d not in pair] + list(pair))
    rows, columns = moved.shape[-2:]
    return _with_value(np.sum(moved * np.eye(rows, columns, offset), axis=(-2, -1)), value)


@_implements(np.trace)
def _numpy_trace(engine, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    if dtype is not None or out is not None:
        raise NotCompiled("numpy.trace with dtype or out")
    return _trace_over(engine, a, offset, axis1, axis2)


@_implements(np.linalg.trace)
def _linalg_trace(engine, x, /, *, offset=0, dtype=None):
    if dtype is not None:
        raise NotCompiled("numpy.linalg.trace with dtype")
    return _trace_over(engine, x, offset, -2, -1)


@_implements(np.linalg.cond)
def _cond(engine, x, p=None):
    """As numpy writes it: a ratio of singular values, or norm(A) norm(inv(A))."""
    if p in (None, 2, -2):
        s = _singular_values(engine, x)
        return s[..., 0] / s[..., -1] if p != -2 else s[..., -1] / s[..., 0]
    return np.linalg.norm(x, p, axis=(-2, -1)) * np.linalg.norm(np.linalg.inv(x), p, axis=(-2, -1))


@_implements(np.linalg.matrix_rank)
def _matrix_rank(engine, A, *args, **kwargs):
    """numpy's integer rank of the value (no derivative)."""
    return np.linalg.matrix_rank(_value(A), *args, **kwargs)


# ------------------------------------------------------------- norms

def _vector_norm(engine, x, ord, axes, keepdims):
    """|x|_ord over ``axes`` with the array's own abs, max, min, powers and sums."""
    if ord in (None, 2):
        if len(axes) == x.ndim and not keepdims:     # the whole array: the compiled sum
            return np.sqrt(engine.sum_all(x * x))
        return np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdims))
    if ord == 0:                                 # a count: zero derivatives
        return np.sum(x * 0.0, axis=axes, keepdims=keepdims) + np.count_nonzero(
            _value(x), axis=axes, keepdims=keepdims)
    if ord in (np.inf, -np.inf):                 # one axis: norm's vectors, vector_norm's flattened
        return (np.max if ord > 0 else np.min)(abs(x), axis=axes[0], keepdims=keepdims)
    if ord == 1:
        return np.sum(abs(x), axis=axes, keepdims=keepdims)
    p = float(ord)
    return np.sum(abs(x) ** p, axis=axes, keepdims=keepdims) ** (1.0 / p)


@_implements(np.linalg.norm)
def _norm(engine, x, ord=None, axis=None, keepdims=False):
    x = _dual_array(engine, "linalg.norm", x)
    value = np.linalg.norm(x.value, ord=ord, axis=axis, keepdims=keepdims)   # numpy's checks
    axes = tuple(range(x.ndim)) if axis is None else _axes(axis, x.ndim)
    matrix = len(axes) == 2 and (axis is not None or ord is not None)
    if not matrix or ord in (None, "fro"):
        return _with_value(_vector_norm(engine, x, None if matrix else ord, axes, keepdims), value)
    return _over_moved(x, axes, keepdims, value, lambda m: _matrix_norm(engine, m, ord))


def _over_moved(x, axes, keepdims, value, reduce):
    """reduce(x with ``axes`` moved to the end) on numpy's value and its shape."""
    if keepdims:                                 # a leading axis keeps the result an array
        x, axes = x[None], tuple(a + 1 for a in axes)
    result = reduce(x.transpose([d for d in range(x.ndim) if d not in axes] + list(axes)))
    return _with_value(result.reshape(value.shape) if keepdims else result, value)


@_implements(np.linalg.vector_norm)
def _vector_norm_function(engine, x, /, *, axis=None, keepdims=False, ord=2):
    x = _dual_array(engine, "linalg.vector_norm", x)
    value = np.linalg.vector_norm(x.value, axis=axis, keepdims=keepdims, ord=ord)
    axes = tuple(range(x.ndim)) if axis is None else _axes(axis, x.ndim)

    def flattened(moved):                        # the reduced axes as one
        moved = moved.reshape(moved.shape[:moved.ndim - len(axes)] + (-1,))
        return _vector_norm(engine, moved, ord, (moved.ndim - 1,), False)
    return _over_moved(x, axes, keepdims, value, flattened)


@_implements(np.linalg.matrix_norm)
def _matrix_norm_function(engine, x, /, *, keepdims=False, ord="fro"):
    x = _dual_array(engine, "linalg.matrix_norm", x)
    value = np.linalg.matrix_norm(x.value, keepdims=keepdims, ord=ord)
    return _over_moved(x, (x.ndim - 2, x.ndim - 1), keepdims, value,
                       lambda m: _matrix_norm(engine, m, ord))


def _matrix_norm(engine, x, ord):
    """A matrix norm over the last two axes."""
    if ord in (None, "fro"):
        return np.sqrt(np.sum(x * x, axis=(-2, -1)))
    if ord in ("nuc", 2, -2):
        s = _singular_values(engine, x)
        return np.sum(s, axis=-1) if ord == "nuc" else s[..., 0] if ord == 2 else s[..., -1]
    # 1: the largest column sum of |x|, inf: the largest row sum; -1, -inf the smallest
    sums = np.sum(abs(x), axis=-2 if ord in (1, -1) else -1)
    return (np.max if ord > 0 else np.min)(sums, axis=-1)


FUNCTIONS = {**_OWN, **_DECOMPOSITIONS}
