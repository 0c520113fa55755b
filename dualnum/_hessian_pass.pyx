# cython: freethreading_compatible = False
"""hessian's and hvp's pass on the compiled second-order array: seed the
variables (dualnum/_hessian_array.pyx), evaluate f once, read its result
(dualnum/_read.pyx).  Compiled, as W4 measures it at two variables; f's use of
numpy that the array does not cover raises NotCompiled, and dualnum/hessian.py
then evaluates f on object arrays of Dual2s."""

from dualnum._number cimport next_tag
from dualnum._read cimport read_hessian, read_hvp

from dualnum._hessian_array import release as _release, seed as _seed, seed_along as _seed_along


def hessian_pass(f, point):
    """(value, gradient, Hessian) of f at the float64 array ``point``."""
    cdef unsigned long long tag = next_tag()
    value, gradient, hessian = read_hessian(f(_seed(point, tag)), tag, point.size)
    if point.ndim == 1:           # read_hessian's shapes already: no reshapes per call
        return value, gradient, hessian
    shape = point.shape
    return value, gradient.reshape(shape), hessian.reshape(shape * 2)


def hvp_pass(f, point, direction):
    """(value, gradient, H v) of f at the float64 array ``point`` along the
    float64 ``direction`` of point's shape."""
    cdef unsigned long long tag = next_tag()
    seed = _seed_along(point, direction, tag)
    try:
        result = f(seed)
    finally:
        _release(tag)
    value, gradient, product = read_hvp(result, tag, point.size)
    shape = point.shape
    return value, gradient.reshape(shape), product.reshape(shape)
