# Public declaration of the Taylor-series type, so _core's function table can
# dispatch dualnum.sin(jet) & co. straight to the C kernels.
cimport cython
from dualnum._jets cimport jet_unary, jet_binary

cdef enum:
    JET_INLINE = 4          # coefficients inside the object: orders <= 3 need no second allocation


@cython.final
@cython.no_gc                        # holds only a bytes buffer: no reference cycles
cdef class Jet:
    cdef double* c                   # c[0..order]: Taylor coefficients f^(k)(x0) / k!
    cdef Py_ssize_t order
    cdef unsigned long long tag      # which differentiation call seeded it (0: made by hand)
    cdef bytes heap                  # storage past JET_INLINE coefficients
    cdef double inline_c[JET_INLINE]


cdef enum JetCheck:
    JET_NO_CHECK = 0
    JET_CHECK_DIVISOR = 1            # floats raise ZeroDivisionError on a zero divisor
    JET_CHECK_FINITE = 2             # a non-finite value may be a math domain/range error

cdef object jet_unary_call(Jet x, jet_unary kernel, object ref)
cdef object jet_binary_call(object a, object b, jet_binary kernel, JetCheck check, object ref)

cdef unsigned long long next_tag() noexcept
# evaluate a float reference so that it raises what math / float would
cdef int raise_like(object ref, tuple args) except -1
