"""numpy.linalg on Dual2Array, the compiled second-order array of hessian().

An analytic matrix function is expanded around the value: A = A0 + E, where
E = A - A0 holds A's first- and second-order parts and has value 0.  Each
rule is the Taylor series of the function in E truncated after E^2 and
written with the array's own products, which drop every term above second
order, so the curvature comes out exact (M. B. Giles 2008 for the first
order):

    inv(A)  = V - V E V + V E V E V,            V = inv(A0)
    det(A)  = det(A0) (1 + tr(VE) + (tr(VE)^2 - tr(VEVE)) / 2)
    logabsdet(A) = logabsdet(A0) + tr(VE) - tr(VEVE) / 2
    solve(A, b)  = x0 + d - V E d,              d = V (b - b0 - E x0)
    cholesky(A)  = L0 + L0 X,  X = Phi(F - Phi(F) Phi(F)^T),  F = L0^-1 E L0^-T
    eigvalsh(A)  = w0 + diag(G) + sum_j G_ij^2 / (w_i - w_j),  G = Q^T E Q

Values are numpy's own results (a zero-valued correction is added to them).
A singular A0 raises numpy's LinAlgError (det, slogdet, inv, solve).
Eigenvalue ties drop the 1/(w_i - w_j) terms of tied pairs, as at the first
order (dualnum/_linalg_decompositions.py).  Norms: the vector 2-norm and the
Frobenius norm as sqrt(sum(x*x)) (derivatives 0 at x = 0, as at the first
order), ord 1, inf, -inf and other p through abs, max, min and powers.
Everything else raises NotCompiled, and hessian() re-evaluates f on object
arrays of Dual2s, where numpy.linalg stops with a TypeError naming it.
"""
import numpy as np

from dualnum._array_reductions import own_array as _dual_array
from dualnum._function_args import axes as _axes, function_table
from dualnum._functions_linalg import power_by_squaring
from dualnum._hessian_functions import NotCompiled
from dualnum._second import Dual2

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


# ------------------------------------------------------------- helpers

def _value(x):
    """The value of a second-order operand (ndarray, Dual2Array or Dual2)."""
    value = getattr(x, "value", x)
    return np.asarray(value, dtype=np.float64)


def _with_value(x, value):
    """x's derivatives on numpy's own value: x - x0 has value 0 exactly."""
    return (x - _value(x)) + value


def _transpose(m):
    """Swap the last two axes (Dual2Array.transpose takes the full order)."""
    order = list(range(np.ndim(_value(m))))
    order[-2:] = order[:-3:-1]
    return m.transpose(order)


def _mm(a, b):
    """a @ b for stacks of matrices, either a Dual2Array or an ndarray, written
    with broadcasting products and a sum (the array's own arithmetic)."""
    return np.sum(a[..., :, :, None] * b[..., None, :, :], axis=-2)


def _trace(m):
    return np.sum(m * np.eye(np.shape(_value(m))[-1]), axis=(-2, -1))


def _square_operand(engine, name, a):
    a = _dual_array(engine, name, a)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        getattr(np.linalg, name)(a.value)        # numpy's error for the shape
    return a


def _expanded(engine, name, a):
    """(A0, E = A - A0, V = inv(A0)): numpy raises LinAlgError for a singular A0."""
    a = _square_operand(engine, name, a)
    a0 = a.value
    return a0, a - a0, np.linalg.inv(a0)


def _second_order(engine, x):
    return isinstance(x, (engine.array, Dual2))


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


def _inverse(e, v):
    """V - V E V + V E V E V, with value V."""
    ve = _mm(v, e)
    return v - _mm(ve - _mm(ve, ve), v)


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
    rhs = (b - _value(b))[..., None] if vector and _second_order(engine, b) else (
        b - _value(b) if _second_order(engine, b) else np.zeros_like(column))
    if _second_order(engine, a):
        e = _square_operand(engine, "solve", a) - a0
        rhs = rhs - _mm(e, column)
        d = _mm(v, rhs)
        d = d - _mm(_mm(v, e), d)
    else:
        d = _mm(v, rhs)
    x = d[..., 0] if vector else d
    return _with_value(x, x0)


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


@_implements(np.linalg.multi_dot)
def _multi_dot(engine, arrays, *, out=None):
    if out is not None:
        raise NotCompiled("numpy.linalg.multi_dot with out=")
    arrays = list(arrays)
    value = np.linalg.multi_dot([_value(x) for x in arrays])     # numpy's checks
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
        product = product[0]
    if not _second_order(engine, product):
        raise NotCompiled("numpy.linalg.multi_dot without a second-order operand")
    return _with_value(product, value)


# ------------------------------------------------------------- symmetric matrices

def _symmetric(e, lower):
    """The symmetric matrix LAPACK sees: one triangle of e, mirrored."""
    n = np.shape(_value(e))[-1]
    keep = np.tril(np.ones((n, n))) if lower else np.triu(np.ones((n, n)))
    strict = keep - np.eye(n)
    return e * keep + _transpose(e * strict)


@_implements(np.linalg.cholesky)
def _cholesky(engine, a, /, *, upper=False):
    a = _square_operand(engine, "cholesky", a)
    value = np.linalg.cholesky(a.value, upper=upper)
    lower = np.swapaxes(value, -1, -2) if upper else value
    li = np.linalg.inv(lower)
    n = a.shape[-1]
    phi = np.tril(np.ones((n, n)), -1) + 0.5 * np.eye(n)    # strictly lower + half diagonal
    f = _mm(_mm(li, _symmetric(a - a.value, not upper)), np.swapaxes(li, -1, -2))
    first = f * phi
    x = (f - _mm(first, _transpose(first))) * phi
    result = _mm(lower, x)
    return _with_value(_transpose(result) if upper else result, value)


@_implements(np.linalg.eigvalsh)
def _eigvalsh(engine, a, UPLO="L"):
    a = _square_operand(engine, "eigvalsh", a)
    value = np.linalg.eigvalsh(a.value, UPLO=UPLO)
    w, q = np.linalg.eigh(a.value, UPLO=UPLO)
    g = _mm(_mm(np.swapaxes(q, -1, -2), _symmetric(a - a.value, UPLO.upper() == "L")), q)
    gap = w[..., :, None] - w[..., None, :]                  # w_i - w_j; ties dropped
    with np.errstate(divide="ignore"):
        coupling = np.where(gap == 0.0, 0.0, 1.0 / np.where(gap == 0.0, 1.0, gap))
    n = a.shape[-1]
    shift = np.sum(g * np.eye(n), axis=-1) + np.sum(g * g * coupling, axis=-1)
    return _with_value(shift, value)


# ------------------------------------------------------------- norms

def _vector_norm(x, ord, axes, keepdims):
    """|x|_ord over ``axes`` with the array's own abs, max, min, powers and sums."""
    if ord in (None, 2):
        return np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdims))
    if ord == 0:                                 # a count: zero derivatives
        return np.sum(x * 0.0, axis=axes, keepdims=keepdims) + np.count_nonzero(
            _value(x), axis=axes, keepdims=keepdims)
    if ord in (np.inf, -np.inf):
        if len(axes) != 1:
            raise NotCompiled("numpy.linalg.norm with ord=inf over several axes")
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
    if matrix and ord not in (None, "fro"):
        raise NotCompiled(f"numpy.linalg.norm with the matrix ord={ord!r}")
    return _with_value(_vector_norm(x, None if matrix else ord, axes, keepdims), value)
