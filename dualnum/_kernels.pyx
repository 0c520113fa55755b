"""Fused value-and-tangent kernels for dual arrays.

One pass over memory per elementwise operation: each element's value goes
through its rule from dualnum/_rules.pxd (the same table the scalar Dual
uses), and all k tangent directions of that element are scaled by the local
derivative while they are in cache.  The GIL is released inside the loops.

Inputs are flat and already broadcast to one length: values of shape (m,),
tangents of shape (m, k), or None for an operand that carries no tangent (a
plain array or number).  They may be strided views; a binary operand of
length 1 is a scalar, read for every element (never copied out to m).
"""
cimport cython
from libc.math cimport isfinite, isnan

from dualnum cimport _rules
from dualnum._rules cimport unary_rule, binary_rule

import numpy as np


# ------------------------------------------------------------ rule lookup

cdef class _Rule:
    """A rule of the table, found by its numpy (or dualnum) name."""
    cdef unary_rule unary
    cdef binary_rule binary


cdef dict _UNARY = {}
cdef dict _BINARY = {}


cdef _add_unary(names, unary_rule rule):
    cdef _Rule r = _Rule.__new__(_Rule)
    r.unary = rule
    for name in names.split():
        _UNARY[name] = r


cdef _add_binary(names, binary_rule rule):
    cdef _Rule r = _Rule.__new__(_Rule)
    r.binary = rule
    for name in names.split():
        _BINARY[name] = r


_add_unary("sin", _rules.sin_rule)
_add_unary("cos", _rules.cos_rule)
_add_unary("tan", _rules.tan_rule)
_add_unary("arcsin asin", _rules.asin_rule)
_add_unary("arccos acos", _rules.acos_rule)
_add_unary("arctan atan", _rules.atan_rule)
_add_unary("sinh", _rules.sinh_rule)
_add_unary("cosh", _rules.cosh_rule)
_add_unary("tanh", _rules.tanh_rule)
_add_unary("arcsinh asinh", _rules.asinh_rule)
_add_unary("arccosh acosh", _rules.acosh_rule)
_add_unary("arctanh atanh", _rules.atanh_rule)
_add_unary("exp", _rules.exp_rule)
_add_unary("exp2", _rules.exp2_rule)
_add_unary("expm1", _rules.expm1_rule)
_add_unary("log", _rules.log_rule)
_add_unary("log2", _rules.log2_rule)
_add_unary("log10", _rules.log10_rule)
_add_unary("log1p", _rules.log1p_rule)
_add_unary("sqrt", _rules.sqrt_rule)
_add_unary("cbrt", _rules.cbrt_rule)
_add_unary("absolute fabs", _rules.fabs_rule)
_add_unary("erf", _rules.erf_rule)
_add_unary("erfc", _rules.erfc_rule)
_add_unary("gamma", _rules.gamma_rule)
_add_unary("lgamma", _rules.lgamma_rule)
_add_unary("floor", _rules.floor_rule)
_add_unary("ceil", _rules.ceil_rule)
_add_unary("trunc", _rules.trunc_rule)
_add_unary("degrees rad2deg", _rules.degrees_rule)
_add_unary("radians deg2rad", _rules.radians_rule)
_add_unary("sigmoid expit", _rules.sigmoid_rule)
_add_unary("softplus", _rules.softplus_rule)
_add_unary("relu", _rules.relu_rule)
_add_unary("negative", _rules.neg_rule)

_add_binary("add", _rules.add_rule)
_add_binary("subtract", _rules.sub_rule)
_add_binary("multiply", _rules.mul_rule)
_add_binary("divide true_divide", _rules.div_rule)
_add_binary("floor_divide", _rules.floordiv_rule)
_add_binary("remainder mod", _rules.mod_rule)
_add_binary("power float_power", _rules.pow_rule)
_add_binary("arctan2", _rules.atan2_rule)
_add_binary("hypot", _rules.hypot_rule)
_add_binary("copysign", _rules.copysign_rule)
_add_binary("fmod", _rules.fmod_rule)
_add_binary("logaddexp", _rules.logaddexp_rule)
_add_binary("maximum", _rules.maximum_rule)
_add_binary("minimum", _rules.minimum_rule)

UNARY_NAMES = frozenset(_UNARY)
BINARY_NAMES = frozenset(_BINARY)


# ---------------------------------------------------------------- kernels

cdef inline double _strong(double g, double t) noexcept nogil:
    # a zero tangent stays exactly zero even where the local derivative is inf/nan
    return 0.0 if t == 0.0 else g * t


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t _unary_loop(unary_rule rule, const double[:] v, const double[:, :] t,
                            double[::1] ov, double[:, ::1] ot) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs."""
    cdef Py_ssize_t i, j, k = t.shape[1], bad = 0
    cdef double f, g
    if k == 1:                      # a derivative: no inner loop over directions
        for i in range(v.shape[0]):
            f = rule(v[i], &g)
            ov[i] = f
            if not isfinite(f) and isfinite(v[i]):
                bad += 1
            ot[i, 0] = g * t[i, 0] if isfinite(g) else _strong(g, t[i, 0])
        return bad
    for i in range(v.shape[0]):
        f = rule(v[i], &g)
        ov[i] = f
        if not isfinite(f) and isfinite(v[i]):
            bad += 1
        if isfinite(g):
            for j in range(k):
                ot[i, j] = g * t[i, j]
        else:
            for j in range(k):
                ot[i, j] = _strong(g, t[i, j])
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t _binary_loop(binary_rule rule, const double[:] a, const double[:, :] ta,
                             bint has_ta, const double[:] b, const double[:, :] tb,
                             bint has_tb, double[::1] ov, double[:, ::1] ot) noexcept nogil:
    # an operand of length 1 is a scalar broadcast over the other: its step is 0
    cdef Py_ssize_t sa = 0 if a.shape[0] == 1 else 1, sb = 0 if b.shape[0] == 1 else 1
    cdef Py_ssize_t i, j, ia, ib, k = ot.shape[1], bad = 0
    cdef double f, ga, gb
    for i in range(ov.shape[0]):
        ia = i * sa
        ib = i * sb
        f = rule(a[ia], b[ib], &ga, &gb)
        ov[i] = f
        if not isfinite(f) and isfinite(a[ia]) and isfinite(b[ib]):
            bad += 1
        # exactly the scalar Dual's arithmetic (same results to the sign of zero):
        # plain products where the local partials are finite, strong zeros otherwise
        if has_ta and has_tb:
            if isfinite(ga) and isfinite(gb):
                for j in range(k):
                    ot[i, j] = ga * ta[ia, j] + gb * tb[ib, j]
            else:
                for j in range(k):
                    ot[i, j] = _strong(ga, ta[ia, j]) + _strong(gb, tb[ib, j])
        elif has_ta:
            for j in range(k):
                ot[i, j] = ga * ta[ia, j] if isfinite(ga) else _strong(ga, ta[ia, j])
        else:
            for j in range(k):
                ot[i, j] = gb * tb[ib, j] if isfinite(gb) else _strong(gb, tb[ib, j])
    return bad


def unary(str name, const double[:] value, const double[:, :] tangent):
    """(f(value), f'(value) * tangent, count of non-finite results from finite inputs)."""
    cdef _Rule r = _UNARY[name]
    cdef Py_ssize_t m = value.shape[0], k = tangent.shape[1], bad
    out_value = np.empty(m)
    out_tangent = np.empty((m, k))
    cdef double[::1] ov = out_value
    cdef double[:, ::1] ot = out_tangent
    with nogil:
        bad = _unary_loop(r.unary, value, tangent, ov, ot)
    return out_value, out_tangent, bad


def binary(str name, const double[:] a, a_tangent, const double[:] b, b_tangent, Py_ssize_t k):
    """f(a, b) and its tangent ∂f/∂a · a_tangent + ∂f/∂b · b_tangent (None: no tangent).

    a and b have one length, or one of them length 1 (a scalar, broadcast).
    """
    cdef _Rule r = _BINARY[name]
    cdef Py_ssize_t m = max(a.shape[0], b.shape[0]), bad
    if a.shape[0] != m and a.shape[0] != 1 or b.shape[0] != m and b.shape[0] != 1:
        raise ValueError(f"operand lengths {a.shape[0]} and {b.shape[0]} do not broadcast")
    cdef const double[:, :] ta = a_tangent if a_tangent is not None else _EMPTY
    cdef const double[:, :] tb = b_tangent if b_tangent is not None else _EMPTY
    cdef bint has_a = a_tangent is not None, has_b = b_tangent is not None
    out_value = np.empty(m)
    out_tangent = np.empty((m, k))
    cdef double[::1] ov = out_value
    cdef double[:, ::1] ot = out_tangent
    with nogil:
        bad = _binary_loop(r.binary, a, ta, has_a, b, tb, has_b, ov, ot)
    return out_value, out_tangent, bad


cdef object _EMPTY = np.empty((0, 0))


# ------------------------------------------- colouring for sparse Jacobians

@cython.boundscheck(False)
@cython.wraparound(False)
def color_columns(const Py_ssize_t[::1] col_ptr, const Py_ssize_t[::1] col_rows,
                  const Py_ssize_t[::1] row_ptr, const Py_ssize_t[::1] row_cols,
                  const Py_ssize_t[::1] order):
    """Greedy distance-1 colouring of the column-intersection graph.

    col_ptr/col_rows list each column's nonzero rows (CSC), row_ptr/row_cols
    each row's nonzero columns (CSR).  Columns are coloured in ``order``, each
    with the smallest colour no column sharing one of its rows has yet.
    """
    cdef Py_ssize_t n = col_ptr.shape[0] - 1
    cdef Py_ssize_t a, b, i, j, c, other
    colour_array = np.full(n, -1, dtype=np.intp)
    stamp_array = np.full(n + 1, -1, dtype=np.intp)  # stamp[c] == j: colour c is taken for j
    cdef Py_ssize_t[::1] colour = colour_array
    cdef Py_ssize_t[::1] stamp = stamp_array
    with nogil:
        for a in range(n):
            j = order[a]
            for b in range(col_ptr[j], col_ptr[j + 1]):
                i = col_rows[b]
                for c in range(row_ptr[i], row_ptr[i + 1]):
                    other = colour[row_cols[c]]
                    if other >= 0:
                        stamp[other] = j
            c = 0
            while stamp[c] == j:
                c += 1
            colour[j] = c
    return colour_array
