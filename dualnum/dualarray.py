"""DualArray: a value ndarray plus a tangent ndarray with a trailing axis of k
directions, so numpy code runs on dual numbers at array speed.

Elementwise numpy ufuncs on a DualArray run fused loops (dualnum/_loops.pxd)
driven by the same rule table as the scalar Dual: one pass computes values and
all k tangents.  The class is built in dualnum/_array.pyx from its compiled
core (dualnum/_chains.pyx: storage; dualnum/_array.pyx: operators, ufuncs,
indexing, sum, sparse tangents) and what dualnum/_array_methods.py adds in
Python (shape methods, refused conversions); its numpy functions are those
of dualnum/_functions_shape.py and dualnum/_functions_linalg.py.  Every
DualArray carries the tag of the differentiation call that seeded it, like
the scalar Dual, so perturbations of different calls are never mixed silently.
"""
from dualnum._array import DualArray

__all__ = ["DualArray"]
