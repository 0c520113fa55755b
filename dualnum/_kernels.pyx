"""Fused value-and-tangent kernels for dual arrays, and the rule lookup.

One pass over memory per elementwise operation: each element's value goes
through its rule from dualnum/_rules.pxd (the same table the scalar Dual
uses), and all k tangent directions of that element are scaled by the local
derivative while they are in cache.  The loops live in
dualnum/_loops.pxd; this module holds the table that finds a rule by name.
"""
cimport cython

from dualnum cimport _rules
from dualnum._rules cimport unary_rule, binary_rule

import numpy as np


# ------------------------------------------------------------ rule lookup

cdef class Rule:
    pass


# rules whose loops dualnum/_array.pyx runs with the rule inlined (see _loops.pxd)
cdef dict _FAST = {"negative": FAST_NEG, "exp": FAST_EXP, "log": FAST_LOG, "sin": FAST_SIN,
                   "cos": FAST_COS, "sqrt": FAST_SQRT, "tanh": FAST_TANH,
                   "add": FAST_ADD, "subtract": FAST_SUB, "multiply": FAST_MUL,
                   "divide": FAST_DIV, "power": FAST_POW}


UNARY_RULES = {}          # name -> Rule; every name numpy or dualnum uses for it
BINARY_RULES = {}


cdef _add_unary(names, unary_rule rule):
    cdef Rule r = Rule.__new__(Rule)
    r.unary = rule
    r.name = names.split()[0]
    r.fast = _FAST.get(r.name, FAST_NONE)
    for name in names.split():
        UNARY_RULES[name] = r


cdef _add_binary(names, binary_rule rule):
    cdef Rule r = Rule.__new__(Rule)
    r.binary = rule
    r.name = names.split()[0]
    r.fast = _FAST.get(r.name, FAST_NONE)
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
