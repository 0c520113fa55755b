# The vector kernels of the one-direction DualArray loops (dualnum/_simd.pyx).

cdef enum:
    # the functions with vector kernels; the order of dualnum/_simd_c/kernels.h
    SIMD_SIN, SIMD_COS, SIMD_EXP, SIMD_LOG

cdef int unary_k1(int kind, Py_ssize_t m, const double* v, const double* t,
                  double* ov, double* ot) noexcept nogil
cdef int unary_one(int kind, double x, double* f, double* g) noexcept nogil
