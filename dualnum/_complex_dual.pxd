# Public declaration of the complex dual number (dualnum/_complex_dual.pyx).
cimport cython

from dualnum._complex cimport cplx
from dualnum._number cimport Number
from dualnum._table cimport Row


@cython.final
cdef class ComplexDual(Number):
    cdef cplx val                    # the complex value
    cdef cplx* d                     # the n complex partials; points at inline_d or into heap
    cdef Py_ssize_t n                # number of directions; 0 means a constant
    cdef readonly unsigned long long tag  # the differentiation call that seeded it (0: a constant)
    cdef bint holo                   # seeded at a complex point (else: a real path's intermediate)
    cdef cplx inline_d[1]
    # a real number of the call (the Dual that met a complex number): it makes
    # the real path's real results (.real, abs, ...); None in holomorphic mode
    cdef Number real_kind


# a binary row of (a, b), one a real Dual and the other a complex number or a
# ComplexDual (dualnum/_core.pyx's slow path); NotImplemented for other operands
cdef object complex_binary(Row row, object a, object b)
