"""Fused value-and-tangent kernels for dual arrays, and the rule lookup.

One pass over memory per elementwise operation: each element's value goes
through its rule from dualnum/_rules.pxd (the same table the scalar Dual
uses), and all k tangent directions of that element are scaled by the local
derivative while they are in cache.  The compiled DualArray core
(dualnum/_array.pyx) calls these loops with the GIL released on large arrays.

Loops take raw pointers to C-contiguous data: values of m elements, tangents
of m rows of k, or NULL for an operand that carries no tangent (a plain array
or number).  A binary operand with step 0 is a scalar read for every element.
"""
cimport cython
from libc.math cimport isfinite

from dualnum cimport _rules
from dualnum._rules cimport unary_rule, binary_rule

import numpy as np


# ------------------------------------------------------------ rule lookup

cdef class Rule:
    pass


UNARY_RULES = {}          # name -> Rule; every name numpy or dualnum uses for it
BINARY_RULES = {}


cdef _add_unary(names, unary_rule rule):
    cdef Rule r = Rule.__new__(Rule)
    r.unary = rule
    r.name = names.split()[0]
    for name in names.split():
        UNARY_RULES[name] = r


cdef _add_binary(names, binary_rule rule):
    cdef Rule r = Rule.__new__(Rule)
    r.binary = rule
    r.name = names.split()[0]
    for name in names.split():
        BINARY_RULES[name] = r


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

UNARY_NAMES = frozenset(UNARY_RULES)
BINARY_NAMES = frozenset(BINARY_RULES)


# ---------------------------------------------------------------- kernels

cdef inline double _strong(double g, double t) noexcept nogil:
    # a zero tangent stays exactly zero even where the local derivative is inf/nan
    return 0.0 if t == 0.0 else g * t


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t unary_loop(unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                           const double* v, const double* t,
                           double* out_v, double* out_t) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs."""
    cdef Py_ssize_t i, j, bad = 0
    cdef double f, g
    if k == 1:                      # a derivative: no inner loop over directions
        for i in range(m):
            f = rule(v[i], &g)
            out_v[i] = f
            if not isfinite(f) and isfinite(v[i]):
                bad += 1
            out_t[i] = g * t[i] if isfinite(g) else _strong(g, t[i])
        return bad
    for i in range(m):
        f = rule(v[i], &g)
        out_v[i] = f
        if not isfinite(f) and isfinite(v[i]):
            bad += 1
        if isfinite(g):
            for j in range(k):
                out_t[i * k + j] = g * t[i * k + j]
        else:
            for j in range(k):
                out_t[i * k + j] = _strong(g, t[i * k + j])
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t binary_loop(binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                            const double* a, const double* ta, Py_ssize_t step_a,
                            const double* b, const double* tb, Py_ssize_t step_b,
                            double* out_v, double* out_t) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs."""
    cdef Py_ssize_t i, j, ia, ib, bad = 0
    cdef const double* ra
    cdef const double* rb
    cdef double* ro
    cdef double f, ga, gb
    for i in range(m):
        ia = i * step_a
        ib = i * step_b
        f = rule(a[ia], b[ib], &ga, &gb)
        out_v[i] = f
        if not isfinite(f) and isfinite(a[ia]) and isfinite(b[ib]):
            bad += 1
        ra = ta + ia * k if ta != NULL else NULL
        rb = tb + ib * k if tb != NULL else NULL
        ro = out_t + i * k
        # exactly the scalar Dual's arithmetic (same results to the sign of zero):
        # plain products where the local partials are finite, strong zeros otherwise
        if ta != NULL and tb != NULL:
            if isfinite(ga) and isfinite(gb):
                for j in range(k):
                    ro[j] = ga * ra[j] + gb * rb[j]
            else:
                for j in range(k):
                    ro[j] = _strong(ga, ra[j]) + _strong(gb, rb[j])
        elif ta != NULL:
            if isfinite(ga):
                for j in range(k):
                    ro[j] = ga * ra[j]
            else:
                for j in range(k):
                    ro[j] = _strong(ga, ra[j])
        else:
            if isfinite(gb):
                for j in range(k):
                    ro[j] = gb * rb[j]
            else:
                for j in range(k):
                    ro[j] = _strong(gb, rb[j])
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef Py_ssize_t binary_concat_loop(binary_rule rule, Py_ssize_t m,
                                   const double* a, const double* wa, Py_ssize_t na, Py_ssize_t step_a,
                                   const double* b, const double* wb, Py_ssize_t nb, Py_ssize_t step_b,
                                   double* out_v, double* out_w) noexcept nogil:
    """The binary rule on sparse tangents: each output row is a's na weights
    scaled by the partial in a, then b's nb weights scaled by the partial in b
    (the entries' directions are concatenated the same way by the caller)."""
    cdef Py_ssize_t i, j, ia, ib, bad = 0, w = na + nb
    cdef double f, ga, gb
    for i in range(m):
        ia = i * step_a
        ib = i * step_b
        f = rule(a[ia], b[ib], &ga, &gb)
        out_v[i] = f
        if not isfinite(f) and isfinite(a[ia]) and isfinite(b[ib]):
            bad += 1
        for j in range(na):
            out_w[i * w + j] = _strong(ga, wa[ia * na + j])
        for j in range(nb):
            out_w[i * w + na + j] = _strong(gb, wb[ib * nb + j])
    return bad


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
