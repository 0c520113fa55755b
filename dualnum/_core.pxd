# Public declaration of the compiled dual-number type, so other Cython code
# can `from dualnum._core cimport Dual` and read its fields directly.
cimport cython

from dualnum._number cimport Number

cdef enum:
    INLINE_PARTIALS = 2    # partial counts up to this live inside the object (1: derivatives,
                           # 2: two-variable partials); measured: 4 costs W1 2% more instructions


@cython.final
@cython.no_gc                        # holds no references that could form cycles
cdef class Dual(Number):
    cdef double val                  # the value a
    cdef double* d                   # the n partials b_1..b_n; points at inline_d or into heap
    cdef Py_ssize_t n                # number of directions; 0 means a constant
    cdef unsigned long long tag      # which differentiation call seeded it (0: made by hand)
    cdef double inline_d[INLINE_PARTIALS]


# a Dual with n partials read from partials[0], partials[stride], ... (for the
# compiled DualArray core: one element of a dual array as a scalar)
cdef Dual make_dual(double value, const double* partials, Py_ssize_t stride,
                    Py_ssize_t n, unsigned long long tag)
