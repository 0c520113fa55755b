"""Linear algebra on DualArray: products, einsum and trace (numpy.linalg: _linalg_rules.py).

Every value is numpy's own result on the ``.value`` arrays.  Tangents follow
the product rule d(A.B) = dA.B + A.dB applied on the trailing axis of k
directions; an operand without a tangent (an ndarray, a float, a constant
Dual) contributes no term.  Each handler takes the array's compiled primitives
as its first argument, ``engine`` (see dualnum/_functions_shape.py).
"""
import string

import numpy as np

from dualnum._function_args import function_table, reject_options

__all__ = ["FUNCTIONS", "matmul"]

# the np.linalg rules (dualnum/_linalg_rules.py) build on the helpers below

FUNCTIONS, _implements = function_table()


# ------------------------------------------------------------- helpers

def operands(engine, *items):
    """(tag, k, values, tangents) of operands that include at least one dual."""
    tag, k = engine.source(*items)
    parts = [engine.parts(x, tag, k) for x in items]
    return tag, k, [np.asarray(v, dtype=np.float64) for v, _ in parts], [t for _, t in parts]


def finish(engine, value, tangent, tag):
    """DualArray, or a scalar Dual for a 0-d result (dual_from needs a contiguous tangent)."""
    return engine.result(np.asarray(value, dtype=np.float64), np.ascontiguousarray(tangent), tag)


def zeros(value, k):
    return np.zeros(np.shape(value) + (k,))


def positive_axes(axes, ndim):
    """Axes as non-negative ints relative to the value, so the tangent axis is never hit."""
    return [int(a) % ndim if ndim else int(a) for a in axes]


# ------------------------------------------------------------- einsum

def _direction_letter(subscripts):
    """A subscript letter not used in the expression, for the tangent axis."""
    for letter in string.ascii_letters:
        if letter not in subscripts:
            return letter
    raise ValueError("numpy.einsum: no subscript letter left for the tangent directions")


def _split_subscripts(subscripts, count):
    """(input subscripts, output subscripts) with the implicit output made explicit."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        inputs, output = subscripts.split("->")
    else:
        inputs = subscripts
        letters = inputs.replace(".", "").replace(",", "")
        # numpy's implicit output: broadcast dims first, then letters used once, sorted
        output = ("..." if "..." in inputs else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1))
    inputs = inputs.split(",")
    if len(inputs) != count:
        raise ValueError(
            f"numpy.einsum: {len(inputs)} operand subscripts for {count} operands")
    return inputs, output


def _einsum_tangent(inputs, output, values, tangents, k, optimize=False):
    """Sum over dual operands of einsum with that operand replaced by its tangent."""
    z = _direction_letter(",".join(inputs) + output)
    total = None
    for i, tangent in enumerate(tangents):
        if tangent is None:
            continue
        spec = ",".join(s + z if j == i else s for j, s in enumerate(inputs)) + "->" + output + z
        term = np.einsum(spec, *[tangent if j == i else v for j, v in enumerate(values)],
                         optimize=optimize)
        total = term if total is None else total + term
    return total


@_implements(np.einsum)
def einsum(engine, subscripts, *arrays, out=None, dtype=None, order="K", casting="safe",
           optimize=False):
    """numpy.einsum in the subscripts-string form, product rule over every dual operand."""
    if not isinstance(subscripts, str):
        raise TypeError("numpy.einsum of a DualArray supports only the subscripts string form")
    reject_options("einsum", {}, out=out, dtype=dtype)
    if order != "K" or casting != "safe":
        raise TypeError("numpy.einsum of a DualArray does not support order= or casting=")
    tag, k, values, tangents = operands(engine, *arrays)
    value = np.einsum(subscripts, *values, optimize=optimize)
    inputs, output = _split_subscripts(subscripts, len(values))
    return finish(engine, value, _einsum_tangent(inputs, output, values, tangents, k, optimize), tag)


# ------------------------------------------------------------- products

def _contract(av, at, bv, bt, axes_a, axes_b):
    """Tangent of tensordot(a, b, (axes_a, axes_b)): dA.B + A.dB, direction axis last."""
    total = None
    if at is not None:
        # tensordot keeps dA's free axes in order, so the direction sits after a's free axes
        term = np.tensordot(at, bv, (axes_a, axes_b))
        total = np.moveaxis(term, np.ndim(av) - len(axes_a), -1)
    if bt is not None:
        term = np.tensordot(av, bt, (axes_a, axes_b))
        total = term if total is None else total + term
    return total


@_implements(np.tensordot)
def tensordot(engine, a, b, axes=2):
    """numpy.tensordot with an int or a pair of axis sequences."""
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = np.tensordot(av, bv, axes)
    if isinstance(axes, (int, np.integer)):
        axes_a = list(range(np.ndim(av) - axes, np.ndim(av)))
        axes_b = list(range(axes))
    else:
        axes_a, axes_b = ([x] if np.ndim(x) == 0 else list(x) for x in axes)
    axes_a, axes_b = positive_axes(axes_a, np.ndim(av)), positive_axes(axes_b, np.ndim(bv))
    return finish(engine, value, _contract(av, at, bv, bt, axes_a, axes_b), tag)


def _last_axis_product(engine, numpy_func, a, b, b_axis):
    """numpy_func contracting a's last axis with b's axis b_axis(b.ndim); a scalar
    operand makes it a plain product."""
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = numpy_func(av, bv)
    if av.ndim == 0 or bv.ndim == 0:
        axes_a, axes_b = [], []
    else:
        axes_a, axes_b = [av.ndim - 1], [b_axis(bv.ndim)]
    return finish(engine, value, _contract(av, at, bv, bt, axes_a, axes_b), tag)


@_implements(np.dot)
def dot(engine, a, b, out=None):
    """numpy.dot: last axis of a against the second-to-last (or only) axis of b."""
    reject_options("dot", {}, out=out)
    return _last_axis_product(engine, np.dot, a, b, lambda ndim: max(ndim - 2, 0))


@_implements(np.inner)
def inner(engine, a, b):
    """numpy.inner: last axes of a and b against each other."""
    return _last_axis_product(engine, np.inner, a, b, lambda ndim: ndim - 1)


@_implements(np.outer)
def outer(engine, a, b, out=None):
    """numpy.outer of the flattened operands."""
    reject_options("outer", {}, out=out)
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = np.outer(av, bv)
    flat = [t if t is None else t.reshape(-1, k) for t in (at, bt)]
    tangent = _einsum_tangent(["i", "j"], "ij", [av.ravel(), bv.ravel()], flat, k)
    return finish(engine, value, tangent, tag)


@_implements(np.vdot)
def vdot(engine, a, b):
    """numpy.vdot: dot product of the flattened operands (real, so no conjugate)."""
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = np.vdot(av, bv)
    flat = [t if t is None else t.reshape(-1, k) for t in (at, bt)]
    tangent = _einsum_tangent(["i", "i"], "", [av.ravel(), bv.ravel()], flat, k)
    return finish(engine, value, tangent, tag)


def left_product(m, t):
    """m @ t on the matrix axes of a tangent t (..., r, p, k): (..., n, p, k).

    The k directions fold into the columns, so this is one BLAS product."""
    folded = t.reshape(t.shape[:-2] + (t.shape[-2] * t.shape[-1],))
    out = np.matmul(m, folded)
    return out.reshape(out.shape[:-1] + t.shape[-2:])


def right_product(t, m):
    """t @ m on the matrix axes of a tangent t (..., n, r, k): (..., n, p, k).

    The direction axis moves before the contracted one (one copy) so that
    numpy hands the product to BLAS; a single matrix m makes it one call."""
    moved = np.ascontiguousarray(np.swapaxes(t, -1, -2))          # (..., n, k, r)
    if m.ndim == 2:
        rows = int(np.prod(moved.shape[:-1]))
        out = (moved.reshape(rows, m.shape[0]) @ m).reshape(moved.shape[:-1] + m.shape[-1:])
    else:
        out = np.matmul(moved, m[..., None, :, :])
    return np.swapaxes(out, -1, -2)


def matmul_tangent(av, at, bv, bt):
    """dA @ B + A @ dB with numpy's 1-D promotion rules."""
    a_vector, b_vector = av.ndim == 1, bv.ndim == 1
    if a_vector:                                 # (m,) -> (1, m)
        av = av[None, :]
        at = None if at is None else at[None]
    if b_vector:                                 # (m,) -> (m, 1)
        bv = bv[:, None]
        bt = None if bt is None else bt[:, None]
    total = None
    if at is not None:
        total = right_product(at, bv)
    if bt is not None:
        term = left_product(av, bt)
        total = term if total is None else total + term
    if b_vector:
        total = total[..., 0, :]
    if a_vector:
        total = total[..., 0, :] if b_vector else total[..., 0, :, :]
    return total


def matmul(engine, a, b):
    """numpy.matmul (a @ b): 1-D, 2-D and broadcast stacks of matrices.

    numpy.matmul is a ufunc, so DualArray.__array_ufunc__ calls this directly.
    """
    tag, k, (av, bv), (at, bt) = operands(engine, a, b)
    value = np.matmul(av, bv)                    # numpy's shape errors come from here
    return finish(engine, value, matmul_tangent(av, at, bv, bt), tag)


# ------------------------------------------------------------- trace

@_implements(np.trace)
def trace(engine, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """numpy.trace: the tangent is the trace of the tangent over the same axes."""
    reject_options("trace", {}, dtype=dtype, out=out)
    tag, k, (av,), (at,) = operands(engine, a)
    value = np.trace(av, offset, axis1, axis2)
    axis1, axis2 = positive_axes([axis1, axis2], av.ndim)
    # remaining axes keep their order, so the direction axis stays last
    return finish(engine, value, np.trace(at, offset, axis1, axis2), tag)


# ------------------------------------------------------------- batched directions

def batched(tangent):
    """A matrix tangent (..., n, m, k) as a stack (..., k, n, m): the k
    directions become a batch axis, so one numpy matmul serves them all."""
    return np.moveaxis(tangent, -1, -3)


def unbatched(stack):
    """Inverse of :func:`batched`: (..., k, n, m) -> (..., n, m, k)."""
    return np.moveaxis(stack, -3, -1)


def each(matrix):
    """A value matrix (..., n, m) broadcast against a batched tangent (..., k, n, m)."""
    return matrix[..., None, :, :]


def transposed(matrices):
    return np.swapaxes(matrices, -1, -2)



def mirrored(m, lower=True):
    """The symmetric matrices numpy's hermitian routines (LAPACK) see: one triangle of m mirrored."""
    if lower:
        return np.tril(m) + transposed(np.tril(m, -1))
    return np.triu(m) + transposed(np.triu(m, 1))


def real_eig(name, a):
    """numpy's eig of the float matrix ``a`` as real arrays (w, X), for the
    eig/eigvals rules of both orders.

    numpy >= 2.5 returns eig and eigvals as complex arrays even when every
    eigenvalue is real (imaginary parts exactly 0); numpy < 2.5 returned real
    arrays then.  Either way the real parts are returned.  Truly complex
    eigenvalues raise a TypeError: ComplexDualArray has no eig rule yet."""
    w, x = np.linalg.eig(a)
    return real_part(name, w), real_part(name, x)


def real_eigvals(a, w):
    """numpy's eigvals of ``a`` as a real array (see real_eig): eig's real
    eigenvalues ``w`` where eigvals (the same LAPACK call without vectors)
    does not give the same numbers."""
    value = real_part("eigvals", np.linalg.eigvals(a))
    return value if np.array_equal(value, w) else w


# the named tuple numpy's eig returns (numpy.linalg's EigResult)
EIG_RESULT = type(np.linalg.eig(np.eye(1)))


def real_part(name, values):
    """``values`` of numpy's eig/eigvals as a real array (see real_eig)."""
    if not np.iscomplexobj(values):
        return values
    if np.any(values.imag != 0.0):
        raise TypeError(
            f"numpy.linalg.{name} of a dual array with complex eigenvalues: dualnum "
            "differentiates eig and eigvals only where every eigenvalue is real "
            "(ComplexDualArray has no eig rule yet); for a symmetric matrix use eigh")
    return values.real


def power_by_squaring(base, n, multiply):
    """base^n for an integer n >= 1 in log2(n) rounds of ``multiply`` (both orders use it)."""
    power, square = None, base
    while True:
        if n & 1:
            power = square if power is None else multiply(power, square)
        n >>= 1
        if not n:
            return power
        square = multiply(square, square)
