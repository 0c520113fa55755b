"""numpy.linalg on DualArray: determinants, inverses, solves, powers and products.

Every value is numpy's own LAPACK-backed result on the values; the tangent
of all k directions comes from a few batched matrix products on the tangent
with its direction axis moved to a batch axis (see ``batched`` in
dualnum/_functions_linalg.py).  Stacked matrices (..., n, n) work as in numpy.
Rules: M. B. Giles, "An extended collection of matrix derivative results
for forward and reverse mode algorithmic differentiation" (2008).

Singular points: ``det`` uses the adjugate, so its tangent exists at a
singular matrix too; ``slogdet`` gives logabsdet = -inf there with a tangent
that is not finite; ``inv`` and ``solve`` raise numpy's LinAlgError.
``pinv`` differentiates the pseudo-inverse of constant rank: at a
rank-deficient matrix that is the derivative along perturbations that keep
the rank (pinv itself jumps along the others).  Decompositions are in
dualnum/_linalg_decompositions.py, norms in dualnum/_linalg_norms.py.
"""
import numpy as np

from dualnum._function_args import function_table, reject_options
from dualnum._functions_linalg import (
    batched, each, finish, left_product, matmul, matmul_tangent, mirrored, operands, outer,
    power_by_squaring, right_product, tensordot, trace, transposed, unbatched, zeros)
from dualnum._linalg_decompositions import FUNCTIONS as _DECOMPOSITIONS
from dualnum._linalg_norms import FUNCTIONS as _NORMS

__all__ = ["FUNCTIONS"]

_OWN, _implements = function_table()


# ------------------------------------------------------------- determinants

def _adjugate(a):
    """Adjugate of (stacks of) square matrices via the SVD, valid for singular ones too.

    With a = U S V^T, adj(a) = det(U) det(V) V adj(S) U^T and adj(S) = diag(prod_{j!=i} s_j).
    """
    u, s, vt = np.linalg.svd(a)
    n = s.shape[-1]
    others = np.where(np.eye(n, dtype=bool), 1.0, s[..., None, :]).prod(axis=-1)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    return sign[..., None, None] * np.einsum("...ji,...j,...kj->...ik", vt, others, u)


def _trace_with(m, at):
    """tr(m dA) for every direction: (..., k)."""
    return np.einsum("...ij,...jiz->...z", m, at)


@_implements(np.linalg.det)
def det(engine, a):
    """Determinant; d det = tr(adj(A) dA) = det tr(A^-1 dA), also at singular A."""
    tag, k, (av,), (at,) = operands(engine, a)
    value = np.linalg.det(av)                    # numpy checks squareness
    if av.shape[-1] == 0:                        # det of 0x0 is the constant 1
        return finish(engine, value, zeros(value, k), tag)
    return finish(engine, value, _trace_with(_adjugate(av), at), tag)


@_implements(np.linalg.slogdet)
def slogdet(engine, a):
    """(sign, logabsdet): the sign a plain array, d logabsdet = tr(adj(A) dA) / det."""
    tag, k, (av,), (at,) = operands(engine, a)
    result = np.linalg.slogdet(av)
    sign, logabsdet = result
    if av.shape[-1] == 0:
        tangent = zeros(logabsdet, k)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):   # singular: not finite
            tangent = _trace_with(_adjugate(av), at) / np.linalg.det(av)[..., None]
    return type(result)(sign, finish(engine, logabsdet, tangent, tag))


# ------------------------------------------------------------- inverses and solves

@_implements(np.linalg.inv)
def inv(engine, a):
    """Inverse; d inv = -A^-1 dA A^-1.  numpy raises LinAlgError for singular A."""
    tag, k, (av,), (at,) = operands(engine, a)
    value = np.linalg.inv(av)
    return finish(engine, value, _inverse_tangent(value, at), tag)


def _inverse_tangent(inverse, at):
    return -right_product(left_product(inverse, at), inverse)


def _solve_tangent(av, at, bv, bt, x, k):
    """dx = A^-1 (db - dA x), with x a vector (b 1-D) or a stack of matrices."""
    vector = bv.ndim == 1
    rhs = zeros(x, k)
    if bt is not None:
        rhs = rhs + bt
    if at is not None:
        rhs = rhs - (right_product(at, x[..., None])[..., 0, :] if vector
                     else right_product(at, x))
    if vector:
        return np.linalg.solve(av, rhs)          # (..., n, k): the k directions as columns
    folded = rhs.reshape(rhs.shape[:-2] + (-1,))  # (..., n, m*k) to solve all at once
    return np.linalg.solve(av, folded).reshape(rhs.shape)


@_implements(np.linalg.solve)
def solve(engine, a, b):
    """x = A^-1 b; dx = A^-1 (db - dA x).  numpy raises LinAlgError for singular A."""
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = np.linalg.solve(av, bv)
    return finish(engine, value, _solve_tangent(av, at, bv, bt, value, k), tag)


def _pinv_tangent(av, at, p):
    """Batched dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P (constant rank)."""
    a, p, da = each(av), each(p), batched(at)
    dat = transposed(da)
    left = np.eye(av.shape[-2]) - a @ p                  # I - A P
    right = np.eye(av.shape[-1]) - p @ a                 # I - P A
    pt = transposed(p)
    return -p @ da @ p + p @ pt @ dat @ left + right @ dat @ pt @ p


@_implements(np.linalg.pinv)
def pinv(engine, a, rcond=None, hermitian=False, **kwargs):
    """Moore-Penrose pseudo-inverse (rcond, rtol and hermitian pass to numpy, which
    decides the rank)."""
    tag, k, (av,), (at,) = operands(engine, a)
    if hermitian:                                # numpy reads the lower triangle only
        av, at = mirrored(av), unbatched(mirrored(batched(at)))
    value = np.linalg.pinv(av, rcond=rcond, hermitian=hermitian, **kwargs)
    return finish(engine, value, unbatched(_pinv_tangent(av, at, value)), tag)


@_implements(np.linalg.lstsq)
def lstsq(engine, a, b, rcond=None):
    """(x, residuals, rank, s) as numpy returns them: x and residuals dual, rank and
    the singular values s of a plain; dx = dP b + P db with P = pinv(A) of full rank."""
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    x, residuals, rank, s = np.linalg.lstsq(av, bv, rcond=rcond)
    column = bv.ndim == 1                        # b and x as matrices (m, p), (n, p)
    b2, x2 = (bv[:, None], x[:, None]) if column else (bv, x)
    db = zeros(b2, k) if bt is None else (bt[:, None] if column else bt)
    p = np.linalg.pinv(av)
    dx = left_product(p, db)
    if at is not None:
        dx = dx + unbatched(_pinv_tangent(av, at, p) @ b2)
    if np.size(residuals):
        # sum((b - A x)^2, axis 0), for full rank m > n: A^T r = 0 drops the A dx term
        change = db if at is None else db - right_product(at, x2)
        residuals = finish(engine, residuals, 2.0 * np.einsum("ij,ijz->jz", b2 - av @ x2, change),
                           tag)
    return finish(engine, x, dx[:, 0] if column else dx, tag), residuals, rank, s


@_implements(np.linalg.tensorinv)
def tensorinv(engine, a, ind=2):
    """numpy.tensorinv: inv of a reshaped to a square matrix, as numpy computes it."""
    value = np.linalg.tensorinv(_value(engine, a), ind)  # numpy's checks of ind and shapes
    rows = int(np.prod(np.shape(_value(engine, a))[:ind]))
    return np.linalg.inv(a.reshape(rows, -1)).reshape(value.shape)


@_implements(np.linalg.tensorsolve)
def tensorsolve(engine, a, b, axes=None):
    """numpy.tensorsolve: solve with a reshaped to a square matrix, as numpy computes it."""
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = np.linalg.tensorsolve(av, bv, axes)  # numpy's checks
    if axes is not None:                         # numpy moves these axes of a to the end
        order = [i for i in range(av.ndim) if i not in [ax % av.ndim for ax in axes]]
        order += [ax % av.ndim for ax in axes]
        av = av.transpose(order)
        at = None if at is None else at.transpose(order + [av.ndim])
    rows = bv.size
    square = av.reshape(rows, -1)
    flat_at = None if at is None else at.reshape(rows, rows, k)
    flat_bt = None if bt is None else bt.reshape(rows, k)
    tangent = _solve_tangent(square, flat_at, bv.reshape(-1), flat_bt, value.reshape(-1), k)
    return finish(engine, value, tangent.reshape(value.shape + (k,)), tag)


def _value(engine, x):
    """The value of an operand, without touching a DualArray's (maybe sparse) tangent."""
    return x.value if isinstance(x, engine.array) else np.asarray(x, dtype=np.float64)


# ------------------------------------------------------------- powers and chains

def _product(left, right):
    """(value, tangent) of left @ right for (value, tangent) pairs (tangent None: constant)."""
    (lv, lt), (rv, rt) = left, right
    if lt is None and rt is None:
        return lv @ rv, None
    return lv @ rv, matmul_tangent(lv, lt, rv, rt)


@_implements(np.linalg.matrix_power)
def matrix_power(engine, a, n):
    """A^n by repeated squaring on (value, tangent) pairs; a negative n inverts first.
    The value is numpy's; n = 0 gives the identity with a zero tangent."""
    tag, k, (av,), (at,) = operands(engine, a)
    value = np.linalg.matrix_power(av, n)        # numpy's checks of n and the shape
    if n < 0:
        inverse = np.linalg.inv(av)
        av, at, n = inverse, _inverse_tangent(inverse, at), -n
    if n == 0:
        return finish(engine, value, zeros(value, k), tag)
    # log2(n) rounds, each all directions at once
    power = power_by_squaring((av, at), n, _product)
    return finish(engine, value, power[1], tag)


@_implements(np.linalg.multi_dot)
def multi_dot(engine, arrays, *, out=None):
    """The chain product, left to right on (value, tangent) pairs; the value is numpy's
    (which may order the products differently); the first and last may be 1-D."""
    reject_options("linalg.multi_dot", {}, out=out)
    arrays = list(arrays)
    tag, k, values, tangents = operands(engine, *arrays)
    value = np.linalg.multi_dot(values)
    pair = (values[0], tangents[0])
    for item in zip(values[1:], tangents[1:]):
        pair = _product(pair, item)
    tangent = pair[1] if pair[1] is not None else zeros(value, k)
    return finish(engine, value, tangent, tag)


# ------------------------------------------------------------- numpy 2's array-API names

@_implements(np.linalg.matmul)
def linalg_matmul(engine, x1, x2):
    return matmul(engine, x1, x2)


@_implements(np.linalg.outer)
def linalg_outer(engine, x1, x2):
    """numpy.linalg.outer: 1-D operands only (numpy checks)."""
    np.linalg.outer(_value(engine, x1), _value(engine, x2))
    return outer(engine, x1, x2)


@_implements(np.linalg.tensordot)
def linalg_tensordot(engine, x1, x2, /, *, axes=2):
    return tensordot(engine, x1, x2, axes)


@_implements(np.linalg.vecdot)
def vecdot(engine, x1, x2, /, *, axis=-1):
    """sum(x1 * x2, axis) with numpy's broadcasting (real, so no conjugate)."""
    tag, k, (v1, v2), (t1, t2) = operands(engine, x1, x2)
    value = np.linalg.vecdot(v1, v2, axis=axis)
    ndim = len(np.broadcast_shapes(v1.shape, v2.shape))
    reduced = (axis % ndim) - ndim - 1           # the axis counted from a tangent's end
    total = zeros(value, k)
    for own, other in ((t1, v2), (t2, v1)):
        if own is not None:
            total = total + np.sum(own * other[..., None], axis=reduced)
    return finish(engine, value, total, tag)


@_implements(np.linalg.cross)
def cross(engine, x1, x2, /, *, axis=-1):
    """Cross product of 3-vectors: d(x1 x x2) = dx1 x x2 + x1 x dx2."""
    tag, k, (v1, v2), (t1, t2) = operands(engine, x1, x2)
    value = np.linalg.cross(v1, v2, axis=axis)  # numpy checks the length 3
    ndim = len(np.broadcast_shapes(v1.shape, v2.shape))
    moved = (axis % ndim) - ndim - 1
    total = zeros(value, k)
    for own, other, sign in ((t1, v2, 1.0), (t2, v1, -1.0)):
        if own is not None:                      # x1 x dx2 = -(dx2 x x1)
            total = total + sign * np.cross(own, other[..., None], axisa=moved, axisb=moved,
                                            axisc=moved)
    return finish(engine, value, total, tag)


@_implements(np.linalg.matrix_transpose)
def matrix_transpose(engine, x, /):
    """Swaps the last two axes of value and tangent (sparse tangents stay sparse)."""
    value = np.linalg.matrix_transpose(_value(engine, x))
    return engine.restructure(x, value, lambda t: np.swapaxes(t, -2, -3))


@_implements(np.linalg.diagonal)
def diagonal(engine, x, /, *, offset=0):
    """The diagonals of the last two axes (sparse tangents stay sparse)."""
    value = np.linalg.diagonal(_value(engine, x), offset=offset)
    return engine.restructure(
        x, value, lambda t: np.moveaxis(np.diagonal(t, offset, -3, -2), -1, -2))


@_implements(np.linalg.trace)
def linalg_trace(engine, x, /, *, offset=0, dtype=None):
    """numpy.linalg.trace: the trace over the last two axes."""
    reject_options("linalg.trace", {}, dtype=dtype)
    return trace(engine, x, offset, -2, -1)


FUNCTIONS = {**_OWN, **_DECOMPOSITIONS, **_NORMS}
