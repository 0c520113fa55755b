# Public declaration of the second-order dual number, so _core's function
# table can dispatch dualnum.sin(d2) & co. straight to C.
cimport cython
from dualnum._number cimport Number
from dualnum._table cimport Row

cdef enum:
    DUAL2_INLINE = 5        # gradient + packed Hessian inside the object for n <= 2


@cython.final
@cython.no_gc                        # holds only a bytes buffer: no reference cycles
cdef class Dual2(Number):
    cdef double val                  # the value
    cdef Py_ssize_t n                # number of variables; 0 is a constant
    cdef bint along                  # False: d holds n gradient entries, then the upper
                                     # triangle of the Hessian row by row (n (n + 1) / 2);
                                     # True (hvp): the gradient, the derivative along a
                                     # direction v, then H v (2 n + 1 entries)
    cdef double* d
    cdef unsigned long long tag
    cdef double inline_d[DUAL2_INLINE]


cdef Dual2 dual2_new(double val, Py_ssize_t n, unsigned long long tag, bint along=*)
cdef object dual2_unary_call(Dual2 x, Row row)
cdef object dual2_binary_call(object a, object b, Row row)
