# Public declaration of the Taylor-series type, so other Cython code can read
# its coefficients directly.
cimport cython

from dualnum._number cimport Number
from dualnum._table cimport Row

cdef enum:
    JET_INLINE = 4          # coefficients inside the object: orders <= 3 need no second allocation


@cython.final
@cython.no_gc                        # holds only a bytes buffer: no reference cycles
cdef class Jet(Number):
    cdef double* c                   # c[0..order]: Taylor coefficients f^(k)(x0) / k!
    cdef Py_ssize_t order
    cdef unsigned long long tag      # which differentiation call seeded it (0: made by hand)
    cdef double inline_c[JET_INLINE]


cdef Jet jet_new(Py_ssize_t order, unsigned long long tag)
cdef object jet_unary_call(Jet x, Row row)
cdef object jet_binary_call(object a, object b, Row row)
