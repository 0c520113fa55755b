"""numpy.linalg decompositions on DualArray: cholesky, eigh, eig, svd, qr.

Values are numpy's; tangents are the rules of M. B. Giles (2008) written as
batched matrix products over all k directions (``batched`` in
dualnum/_functions_linalg.py).  Results are numpy's named tuples.

Conventions:
- cholesky, eigh, eigvalsh and svd/pinv with hermitian=True read one
  triangle of A, as numpy (LAPACK) does: the tangent is that triangle mirrored.
- Eigenvalues are differentiable where they are distinct.  At a repeated
  eigenvalue (or singular value) none of the vectors is: the coupling terms
  1/(w_j - w_i) of tied pairs are dropped (taken as 0), so the tangents stay
  finite; the eigenvalue tangents are then diag(V^T dA V) for numpy's V, the
  derivative along perturbations that keep V's eigenvectors.
- eig and eigvals return real dual arrays where every eigenvalue is real,
  also on numpy >= 2.5, whose eig returns them as complex with zero imaginary
  parts (real_eig, dualnum/_functions_linalg.py).  Complex eigenvalues raise
  a TypeError: ComplexDualArray has no eig rule yet.
- Singular vectors of zero singular values and the extra columns of
  full_matrices / mode='complete' are not unique: refused by name.
"""
import numpy as np

from dualnum._function_args import function_table
from dualnum._functions_linalg import (
    EIG_RESULT, batched, each, finish, mirrored, operands, real_eig, real_eigvals, transposed,
    unbatched)

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


def _mirrored(at, lower=True):
    """Batched symmetric tangent from one triangle: what LAPACK reads of dA."""
    return mirrored(batched(at), lower)


def _gaps(w):
    """F_ij = 1/(w_j - w_i) off the diagonal, 0 on it and at ties (see the docstring)."""
    gap = w[..., None, :] - w[..., :, None]
    with np.errstate(divide="ignore"):
        return np.where(gap == 0.0, 0.0, 1.0 / np.where(gap == 0.0, 1.0, gap))


def _diagonal(m):
    return np.diagonal(m, axis1=-2, axis2=-1)


def _tangent_of_values(dw):
    """(..., k, n) eigenvalue tangents -> (..., n, k)."""
    return np.moveaxis(dw, -2, -1)


# ------------------------------------------------------------- cholesky

def _lower_half(m):
    """Phi(m): the strictly lower triangle plus half the diagonal."""
    return np.tril(m, -1) + 0.5 * _diagonal(m)[..., None] * np.eye(m.shape[-1])


@_implements(np.linalg.cholesky)
def cholesky(engine, a, /, *, upper=False):
    """A = L L^T; dL = L Phi(L^-1 dA L^-T) on the triangle numpy reads
    (the lower one, or the upper one for upper=True: then R = L^T)."""
    tag, k, (av,), (at,) = operands(engine, a)
    value = np.linalg.cholesky(av, upper=upper)
    lower = transposed(value) if upper else value
    li = np.linalg.inv(lower)
    da = _mirrored(at, lower=not upper)
    dl = each(lower) @ _lower_half(each(li) @ da @ each(transposed(li)))
    return finish(engine, value, unbatched(transposed(dl) if upper else dl), tag)


# ------------------------------------------------------------- symmetric eigenproblems

def _eigh_tangents(w, v, da):
    """(dw, dV) batched: dw = diag(V^T dA V), dV = V (F o V^T dA V)."""
    g = transposed(each(v)) @ da @ each(v)
    return _diagonal(g), each(v) @ (each(_gaps(w)) * g)


@_implements(np.linalg.eigh)
def eigh(engine, a, UPLO="L"):
    """Eigenvalues (ascending) and unit eigenvectors of a symmetric A."""
    tag, k, (av,), (at,) = operands(engine, a)
    result = np.linalg.eigh(av, UPLO=UPLO)
    w, v = result
    dw, dv = _eigh_tangents(w, v, _mirrored(at, lower=UPLO.upper() == "L"))
    return type(result)(finish(engine, w, _tangent_of_values(dw), tag),
                        finish(engine, v, unbatched(dv), tag))


@_implements(np.linalg.eigvalsh)
def eigvalsh(engine, a, UPLO="L"):
    """The eigenvalues of eigh; dw = diag(V^T dA V)."""
    tag, k, (av,), (at,) = operands(engine, a)
    value = np.linalg.eigvalsh(av, UPLO=UPLO)
    w, v = np.linalg.eigh(av, UPLO=UPLO)
    dw, _ = _eigh_tangents(w, v, _mirrored(at, lower=UPLO.upper() == "L"))
    return finish(engine, value, _tangent_of_values(dw), tag)


# ------------------------------------------------------------- general eigenproblems

def _eig_tangents(w, x, at):
    """(dw, dX) batched: with G = X^-1 dA X, dw = diag(G), and dX = X (F o G)
    kept at unit column norms (numpy's normalisation): dx -= x (x . dx)."""
    g = each(np.linalg.inv(x)) @ batched(at) @ each(x)
    dx = each(x) @ (each(_gaps(w)) * g)
    dx = dx - each(x) * np.sum(each(x) * dx, axis=-2, keepdims=True)
    return _diagonal(g), dx


@_implements(np.linalg.eig)
def eig(engine, a):
    """Eigenvalues and unit eigenvectors of a matrix with real eigenvalues."""
    tag, k, (av,), (at,) = operands(engine, a)
    w, x = real_eig("eig", av)
    dw, dx = _eig_tangents(w, x, at)
    return EIG_RESULT(finish(engine, w, _tangent_of_values(dw), tag),
                      finish(engine, x, unbatched(dx), tag))


@_implements(np.linalg.eigvals)
def eigvals(engine, a):
    """Real eigenvalues in numpy's order; dw = diag(X^-1 dA X)."""
    tag, k, (av,), (at,) = operands(engine, a)
    w, x = real_eig("eigvals", av)
    dw, _ = _eig_tangents(w, x, at)
    return finish(engine, real_eigvals(av, w), _tangent_of_values(dw), tag)


# ------------------------------------------------------------- singular values

def _svd_tangents(u, s, vt, da, vectors):
    """(ds, dU, dVt) batched for the reduced SVD A = U S V^T (Giles 2008, 3.2.7):
    dP = U^T dA V, ds = diag(dP), and with F_ij = 1/(s_j^2 - s_i^2)
    dU = U (F o (dP S + S dP^T)) + (I - U U^T) dA V S^-1, likewise dV with A^T."""
    v = transposed(vt)
    dp = transposed(each(u)) @ da @ each(v)
    ds = _diagonal(dp)
    if not vectors:
        return ds, None, None
    f = each(_gaps(s * s))
    srow = each(s[..., None, :])                 # right multiplication by S
    scol = each(s[..., :, None])                 # left multiplication by S
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = 1.0 / srow
    du = each(u) @ (f * (dp * srow + scol * transposed(dp)))
    du = du + (da @ each(v) - each(u) @ dp) * inverse
    dv = each(v) @ (f * (transposed(dp) * srow + scol * dp))
    dv = dv + (transposed(da) @ each(u) - each(v) @ transposed(dp)) * inverse
    return ds, du, transposed(dv)


@_implements(np.linalg.svd)
def svd(engine, a, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular values (descending) and, with compute_uv, U and V^T.

    full_matrices=True of a non-square matrix is refused with compute_uv
    (the extra columns are not unique): pass full_matrices=False."""
    tag, k, (av,), (at,) = operands(engine, a)
    da = _mirrored(at) if hermitian else batched(at)
    if not compute_uv:
        s = np.linalg.svd(av, compute_uv=False, hermitian=hermitian)
        u, _, vt = np.linalg.svd(av, full_matrices=False, hermitian=hermitian)
        ds, _, _ = _svd_tangents(u, s, vt, da, False)
        return finish(engine, s, _tangent_of_values(ds), tag)
    if full_matrices and av.shape[-1] != av.shape[-2]:
        raise TypeError(
            "numpy.linalg.svd of a non-square DualArray does not support full_matrices=True "
            "(the extra singular vectors are not unique): pass full_matrices=False")
    result = np.linalg.svd(av, full_matrices=full_matrices, hermitian=hermitian)
    u, s, vt = result
    ds, du, dvt = _svd_tangents(u, s, vt, da, True)
    return type(result)(finish(engine, u, unbatched(du), tag),
                        finish(engine, s, _tangent_of_values(ds), tag),
                        finish(engine, vt, unbatched(dvt), tag))


@_implements(np.linalg.svdvals)
def svdvals(engine, x, /):
    return svd(engine, x, compute_uv=False)


# ------------------------------------------------------------- qr

def _qr_tangents(q, r, da):
    """(dQ, dR) batched for A = Q R with m >= n (Q m x n, R n x n invertible):
    C = Q^T dA R^-1, Omega = tril(C, -1) - tril(C, -1)^T,
    dQ = Q Omega + (dA - Q Q^T dA) R^-1, dR = Q^T dA - Omega R."""
    ri = each(np.linalg.inv(r))
    qt_da = transposed(each(q)) @ da
    c = qt_da @ ri
    omega = np.tril(c, -1) - transposed(np.tril(c, -1))
    dq = each(q) @ omega + (da - each(q) @ qt_da) @ ri
    return dq, qt_da - omega @ each(r)


@_implements(np.linalg.qr)
def qr(engine, a, mode="reduced"):
    """QR of full-rank matrices, modes 'reduced', 'complete' (of m <= n only) and 'r'.

    A wide A = [X Y] (m < n) is Q [R_X  Q^T Y] with X = Q R_X square."""
    if mode not in ("reduced", "complete", "r"):
        raise TypeError(f"numpy.linalg.qr of a DualArray does not support mode={mode!r} "
                        "(Householder reflectors): use 'reduced', 'complete' or 'r'")
    tag, k, (av,), (at,) = operands(engine, a)
    m, n = av.shape[-2:]
    if mode == "complete" and m > n:
        raise TypeError("numpy.linalg.qr of a DualArray does not support mode='complete' of "
                        "a tall matrix (the extra columns of Q are not unique)")
    result = np.linalg.qr(av, mode=mode)
    q, r = np.linalg.qr(av) if mode == "r" else result
    da = batched(at)
    if m >= n:
        dq, dr = _qr_tangents(q, r, da)
    else:                                        # square part, then R's other columns
        dq, dr_square = _qr_tangents(q, r[..., :m], da[..., :m])
        rest = transposed(dq) @ each(av[..., m:]) + transposed(each(q)) @ da[..., m:]
        dr = np.concatenate([dr_square, rest], axis=-1)
    r_dual = finish(engine, r, unbatched(dr), tag)
    if mode == "r":
        return r_dual
    return type(result)(finish(engine, q, unbatched(dq), tag), r_dual)
