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
    eigh(A)      = (w0 + diag(G) + sum_j G_ij^2 / (w_i - w_j),  Q K),  G = Q^T E Q
                   (K: Rayleigh-Schroedinger to second order, see _eigenvectors)
    svd(A)       from eigh of the smaller Gram matrix A^T A (A A^T if wide)
    pinv(A)      = inv(A^T A) A^T (A^T inv(A A^T) if wide), at full rank
    qr(A)        = (A R^-1, R), R = D chol(A^T A)^T, D: the signs of numpy's R
    eig(A)       = (w0 + diag(G) + sum_j G_ij G_ji / (w_i - w_j),  X K / |X K|),
                   G = X^-1 E X, for real eigenvalues (complex: a TypeError)

Values are numpy's own results (a zero-valued correction is added to them).
A singular A0 raises numpy's LinAlgError (det, slogdet, inv, solve); a
rank-deficient one for pinv and lstsq, or a zero singular value for svd's
vectors, is not differentiable.  Eigenvalue ties drop the 1/(w_i - w_j)
terms of tied pairs, as at the first order (_linalg_decompositions.py).
Norms: the vector 2-norm and the Frobenius norm as sqrt(sum(x*x))
(derivatives 0 at x = 0, as at the first order), the other orders through
abs, sums, max, min, powers (first of ties) and singular values.  LAPACK
work not covered (qr's raw mode, svd's full_matrices of a non-square A) raises a
TypeError naming it: hessian's fallback, object arrays of Dual2s, cannot run
numpy.linalg either.  Other options raise NotCompiled (that fallback).
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
    if np.array_equal(_value(x), value):         # already numpy's: spare two copies
        return x
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


def _eigen_expansion(w, q, e, left=None):
    """(G = Q^-1 E Q, C with C_ij = 1/(w_i - w_j), 0 on the diagonal and at ties)
    for A0 + E, A0 = Q diag(w) Q^-1 (``left`` = Q^-1; Q^T by default, symmetric A0)."""
    g = _mm(_mm(np.swapaxes(q, -1, -2) if left is None else left, e), q)
    gap = w[..., :, None] - w[..., None, :]
    with np.errstate(divide="ignore"):
        return g, np.where(gap == 0.0, 0.0, 1.0 / np.where(gap == 0.0, 1.0, gap))


def _eigenvalues(w, g, c, symmetric=True):
    """w_i + G_ii + sum_j G_ij G_ji C_ij: the eigenvalues to second order."""
    n = w.shape[-1]
    return w + np.sum(g * np.eye(n), axis=-1) + np.sum(
        g * (g if symmetric else _transpose(g)) * c, axis=-1)


def _real_eigen(name, a0):
    """numpy's eig of A0, refusing complex eigenvalues."""
    w, x = np.linalg.eig(a0)
    if np.iscomplexobj(w):
        raise TypeError(f"numpy.linalg.{name} with complex eigenvalues: complex duals are a "
                        "later issue (only real eigenvalues are supported)")
    return w, x


@_implements(np.linalg.eigvals)
def _eigvals(engine, a):
    """Real eigenvalues of a non-symmetric A (complex ones: a TypeError)."""
    a = _square_operand(engine, "eigvals", a)
    w, x = _real_eigen("eigvals", a.value)
    g, c = _eigen_expansion(w, x, a - a.value, left=np.linalg.inv(x))
    value = np.linalg.eigvals(a.value)
    return _with_value(_eigenvalues(w, g, c, symmetric=False),
                       value if np.array_equal(value, w) else w)


@_implements(np.linalg.eig)
def _eig(engine, a):
    """Real eigenvalues and unit eigenvectors of a non-symmetric A."""
    a = _square_operand(engine, "eig", a)
    w, x = _real_eigen("eig", a.value)
    g, c = _eigen_expansion(w, x, a - a.value, left=np.linalg.inv(x))
    return type(np.linalg.eig(np.eye(1)))(_eigenvalues(w, g, c, symmetric=False),
                                          _with_value(_eigenvectors(x, g, c), x))


def _eigenvectors(x, g, c):
    """The unit eigenvectors to second order: X K (Rayleigh-Schroedinger with
    G = X^-1 E X, K_ii = 1) normalised, with D = C^T (D_ji = 1/(w_i - w_j)) and
    H = D o G:  K = I + H + D o (G H) - D o D o G diag(G)."""
    n = x.shape[-1]
    d = np.swapaxes(c, -1, -2)
    h = d * g
    diagonal = np.sum(g * np.eye(n), axis=-1)[..., None, :]
    vectors = _mm(x, np.eye(n) + h + d * _mm(g, h) - d * d * g * diagonal)
    return vectors / np.sqrt(np.sum(vectors * vectors, axis=-2, keepdims=True))


@_implements(np.linalg.eigh)
def _eigh(engine, a, UPLO="L"):
    a = _square_operand(engine, "eigh", a)
    result = np.linalg.eigh(a.value, UPLO=UPLO)
    w, q = result
    g, c = _eigen_expansion(w, q, _symmetric(a - a.value, UPLO.upper() == "L"))
    return type(result)(_with_value(_eigenvalues(w, g, c), w),
                        _with_value(_eigenvectors(q, g, c), q))


@_implements(np.linalg.eigvalsh)
def _eigvalsh(engine, a, UPLO="L"):
    a = _square_operand(engine, "eigvalsh", a)
    w, q = np.linalg.eigh(a.value, UPLO=UPLO)
    g, c = _eigen_expansion(w, q, _symmetric(a - a.value, UPLO.upper() == "L"))
    return _with_value(_eigenvalues(w, g, c), np.linalg.eigvalsh(a.value, UPLO=UPLO))


def _singular_values(engine, a, vectors=False):
    """Descending singular values (and with ``vectors`` U and V^T of the reduced
    SVD) from the eigen-expansion of the smaller Gram matrix, A^T A = V S^2 V^T
    (A A^T = U S^2 U^T for a wide A): exact where they are distinct and nonzero.
    The other side is A V S^-1 (A^T U S^-1); signs follow numpy's vectors."""
    a = _dual_array(engine, "linalg.svd", a)
    if a.ndim < 2:
        np.linalg.svd(a.value)                   # numpy's error for the shape
    m, n = a.shape[-2:]
    tall = m >= n
    gram = _mm(_transpose(a), a) if tall else _mm(a, _transpose(a))
    w, q = np.linalg.eigh(gram.value)
    g, c = _eigen_expansion(w, q, gram - gram.value)
    values = np.sqrt(_eigenvalues(w, g, c))[..., ::-1]
    if not vectors:
        return _with_value(values, np.linalg.svd(a.value, compute_uv=False))
    u0, s0, vt0 = np.linalg.svd(a.value, full_matrices=False)
    side = _eigenvectors(q, g, c)[..., ::-1]     # V (tall) or U (wide), descending
    numpys = np.swapaxes(vt0, -1, -2) if tall else u0
    side = side * np.sign(np.sum(numpys * side.value, axis=-2))[..., None, :]
    other = _mm(a if tall else _transpose(a), side) / values[..., None, :]
    u, v = (other, side) if tall else (side, other)
    return (_with_value(u, u0), _with_value(values, s0), _with_value(_transpose(v), vt0))


@_implements(np.linalg.svd)
def _svd(engine, a, full_matrices=True, compute_uv=True, hermitian=False):
    if hermitian:
        return _hermitian_svd(engine, a, compute_uv)
    if not compute_uv:
        return _singular_values(engine, a)
    shape = _value(a).shape
    if full_matrices and shape[-1] != shape[-2]:
        raise _unsupported("svd", " with full_matrices=True of a non-square matrix")
    return type(np.linalg.svd(np.eye(1)))(*_singular_values(engine, a, vectors=True))


def _hermitian_svd(engine, a, compute_uv):
    """numpy's svd(hermitian=True): eigh's eigenvalues by descending magnitude,
    s = |w|, U = Q and V^T = (Q sign(w))^T in that order (the order and the
    signs are constant near A0: a permutation matrix and a sign vector)."""
    a = _square_operand(engine, "svd", a)
    w, q = np.linalg.eigh(a)                     # the dual rule above (lower triangle)
    order = np.argsort(np.abs(w.value), axis=-1)[..., ::-1]
    n = a.shape[-1]
    permutation = (np.arange(n)[:, None] == order[..., None, :]).astype(np.float64)
    s = np.sum(abs(w)[..., :, None] * permutation, axis=-2)
    value = np.linalg.svd(a.value, compute_uv=compute_uv, hermitian=True)
    if not compute_uv:
        return _with_value(s, value)
    u = _mm(q, permutation)
    signs = np.sum(np.sign(w.value)[..., :, None] * permutation, axis=-2)
    return type(value)(_with_value(u, value[0]), _with_value(s, value[1]),
                       _with_value(_transpose(u * signs[..., None, :]), value[2]))


def _triangular_factor(engine, a, r0):
    """(Q, R) of a full-rank A with m >= n: R = D chol(A^T A)^T with D the signs
    of numpy's diagonal of R (``r0``), and Q = A R^-1."""
    gram = _mm(_transpose(a), a)
    r = _transpose(np.linalg.cholesky(gram)) * np.sign(np.diagonal(r0, 0, -2, -1))[..., :, None]
    return _mm(a, _inverse(r - r.value, np.linalg.inv(r.value))), r


@_implements(np.linalg.qr)
def _qr(engine, a, mode="reduced"):
    """QR as at the first order: modes 'reduced', 'r' and 'complete' of a wide A;
    a wide A = [X Y] is Q [R_X  Q^T Y] with X = Q R_X."""
    a = _dual_array(engine, "linalg.qr", a)
    m, n = a.shape[-2:]
    if mode not in ("reduced", "complete", "r") or (mode == "complete" and m > n):
        raise _unsupported("qr", f" with mode={mode!r}" + (" of a tall matrix" * (m > n)))
    result = np.linalg.qr(a.value, mode=mode)
    q0, r0 = np.linalg.qr(a.value) if mode == "r" else result
    if m >= n:
        q, r = _triangular_factor(engine, a, r0)
    else:
        q, r_square = _triangular_factor(engine, a[..., :m], r0[..., :m])
        r = np.concatenate([r_square, _mm(_transpose(q), a[..., m:])], axis=-1)
    r = _with_value(r, r0)
    return r if mode == "r" else type(result)(_with_value(q, q0), r)


@_implements(np.linalg.svdvals)
def _svdvals(engine, x, /):
    return _singular_values(engine, x)


@_implements(np.linalg.cond)
def _cond(engine, x, p=None):
    """As numpy writes it: a ratio of singular values, or norm(A) norm(inv(A))."""
    if p in (None, 2, -2):
        s = _singular_values(engine, x)
        return s[..., 0] / s[..., -1] if p != -2 else s[..., -1] / s[..., 0]
    return np.linalg.norm(x, p, axis=(-2, -1)) * np.linalg.norm(np.linalg.inv(x), p, axis=(-2, -1))


# ------------------------------------------------------------- not covered

def _unsupported(name, what=""):
    """The TypeError for LAPACK work this array does not cover: hessian's object
    arrays of Dual2s cannot run it either (numpy.linalg refuses object dtype)."""
    return TypeError(
        f"numpy.linalg.{name}{what} is not supported by hessian/hvp (the second order)")


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
