# cython: freethreading_compatible = False
"""The API's seeds: the variables of one pass of f, built in C from the
number types' declarations (Jets for derivative(f, x, n), Dual2s for the
object-array passes of hessian and hvp).  dualnum/_read.pyx reads f's result.
"""

from libc.math cimport ldexp

from dualnum._number cimport next_tag
from dualnum._second cimport Dual2, dual2_new
from dualnum._taylor cimport Jet, jet_new

import math

import numpy as np


# ------------------------------------------------------------ Taylor series

# the largest order of derivative(f, x, n) and derivatives: a jet of order K
# costs O(K**2) per operation (at this limit, seconds), and above it the size
# of a jet in bytes could overflow
cdef enum:
    JET_MAX_ORDER = 100_000

MAX_ORDER = JET_MAX_ORDER


def order_too_high(order):
    """The error for an order above MAX_ORDER."""
    return ValueError(f"n = {order} is above the largest supported order, {MAX_ORDER}")


def step_exponent(Py_ssize_t order):
    """log2 of the step h of the seed x + h t.  Coefficient k is then
    f^(k) h**k / k!: with h = 1 it underflows past k ~ 170 for entire
    functions (exp: 1/k!); h ~ order/e keeps it near f^(k) / sqrt(2 pi k),
    in range whenever the derivative itself is.  A power of two keeps the
    rescaling exact; orders up to 150 use h = 1."""
    return 0 if order <= 150 else round(math.log2(order / math.e))


cdef inline Jet _jet_seed(double x, Py_ssize_t order, unsigned long long tag, int exponent):
    cdef Jet r = jet_new(order, tag)
    cdef Py_ssize_t k
    r.c[0] = x
    for k in range(1, order + 1):
        r.c[k] = ldexp(1.0, exponent) if k == 1 else 0.0
    return r


def jet_seed(double x, Py_ssize_t order, unsigned long long tag, int exponent=0):
    """The jet of the variable at x: x + h t with h = 2**exponent
    (coefficients x, h, 0, ..., 0)."""
    if order < 0:
        raise ValueError(f"the order must be >= 0, got {order}")
    return _jet_seed(x, order, tag, exponent)


def fresh_jet_seed(double x, Py_ssize_t order):
    """The seed of derivative(f, x, n=order) at a float x, with a new tag:
    the scalar hot path (order >= 1); nan and inf propagate, as on floats."""
    if order > JET_MAX_ORDER:
        raise order_too_high(order)
    return _jet_seed(x, order, next_tag(), 0 if order <= 150 else step_exponent(order))


def jet_seed_array(object point, Py_ssize_t order, unsigned long long tag, int exponent=0):
    """Object array of jets x_i + h t (every element seeded: an elementwise f)."""
    cdef double[::1] flat = np.ascontiguousarray(point, dtype=np.float64).reshape(-1)
    cdef Py_ssize_t i
    out = np.empty(flat.shape[0], dtype=object)
    for i in range(flat.shape[0]):
        out[i] = jet_seed(flat[i], order, tag, exponent)
    return out.reshape(np.shape(point))


# ------------------------------------------------------------ second-order dual numbers

def dual2_seed(object point, object variables, unsigned long long tag):
    """Object array of point's shape: the flat positions in ``variables`` become
    Dual2s with unit gradients (direction i for variables[i]); the rest stay floats."""
    cdef double[::1] flat = np.ascontiguousarray(point, dtype=np.float64).reshape(-1)
    cdef Py_ssize_t n = len(variables), i, k, m = flat.shape[0]
    cdef Dual2 d
    out = np.empty(m, dtype=object)
    for i in range(m):
        out[i] = flat[i]
    for i in range(n):
        d = dual2_new(flat[variables[i]], n, tag)
        for k in range(n + n * (n + 1) // 2):       # the gradient, then the Hessian's triangle
            d.d[k] = 0.0
        d.d[i] = 1.0
        out[variables[i]] = d
    return out.reshape(np.shape(point))


def dual2_seed_along(object point, object direction, unsigned long long tag):
    """Object array of point's shape for hvp: element i carries e_i (the
    gradient's directions) and v_i (the direction of H v)."""
    cdef double[::1] flat = np.ascontiguousarray(point, dtype=np.float64).reshape(-1)
    cdef double[::1] v = np.ascontiguousarray(direction, dtype=np.float64).reshape(-1)
    cdef Py_ssize_t n = flat.shape[0], i, k
    cdef Dual2 d
    out = np.empty(n, dtype=object)
    for i in range(n):
        d = dual2_new(flat[i], n, tag, True)
        for k in range(2 * n + 1):
            d.d[k] = 0.0
        d.d[i] = 1.0
        d.d[n] = v[i]
        out[i] = d
    return out.reshape(np.shape(point))
