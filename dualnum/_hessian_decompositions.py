"""numpy.linalg decompositions on Dual2Array, the compiled second-order array
of hessian(): second-order expansions around the value (A = A0 + E, see
dualnum/_hessian_matrices.py), exact in the curvature:

    cholesky(A)  = L0 + L0 X,  X = Phi(F - Phi(F) Phi(F)^T),  F = L0^-1 E L0^-T
    eigh(A)      = (w0 + diag(G) + sum_j G_ij^2 / (w_i - w_j),  Q K),  G = Q^T E Q
                   (K: Rayleigh-Schroedinger to second order, see _eigenvectors)
    eig(A)       = (w0 + diag(G) + sum_j G_ij G_ji / (w_i - w_j),  X K / |X K|),
                   G = X^-1 E X, for real eigenvalues (complex: a TypeError), as
                   real arrays also where numpy >= 2.5 gives complex ones (real_eig)
    svd(A)       from eigh of the smaller Gram matrix A^T A (A A^T if wide);
                 hermitian=True as numpy: eigh's values ordered by magnitude
    qr(A)        = (A R^-1, R), R = D chol(A^T A)^T, D: the signs of numpy's R

Eigenvalue ties drop the 1/(w_i - w_j) terms of tied pairs, as at the first
order (dualnum/_linalg_decompositions.py); singular vectors need distinct
nonzero singular values.  qr's raw mode and svd's full_matrices of a
non-square A raise a TypeError naming them.
"""
import numpy as np

from dualnum._function_args import function_table
from dualnum._functions_linalg import EIG_RESULT, real_eig, real_eigvals
from dualnum._hessian_matrices import (
    _dual_array, _inverse, _mm, _square_operand, _symmetric, _transpose, _unsupported, _value,
    _with_value)

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


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


@_implements(np.linalg.eigvals)
def _eigvals(engine, a):
    """Real eigenvalues of a non-symmetric A (complex ones: a TypeError)."""
    a = _square_operand(engine, "eigvals", a)
    w, x = real_eig("eigvals", a.value)
    g, c = _eigen_expansion(w, x, a - a.value, left=np.linalg.inv(x))
    return _with_value(_eigenvalues(w, g, c, symmetric=False), real_eigvals(a.value, w))


@_implements(np.linalg.eig)
def _eig(engine, a):
    """Real eigenvalues and unit eigenvectors of a non-symmetric A."""
    a = _square_operand(engine, "eig", a)
    w, x = real_eig("eig", a.value)
    g, c = _eigen_expansion(w, x, a - a.value, left=np.linalg.inv(x))
    return EIG_RESULT(_eigenvalues(w, g, c, symmetric=False),
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
