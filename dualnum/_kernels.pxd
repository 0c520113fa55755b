# The fused value-and-tangent loops and the rule lookup, shared with the
# compiled DualArray core (dualnum/_array.pyx).
from dualnum._rules cimport unary_rule, binary_rule


cdef class Rule:
    """A rule of the table with the numpy (or dualnum) name it reports under."""
    cdef unary_rule unary
    cdef binary_rule binary
    cdef readonly str name


cdef Py_ssize_t unary_loop(unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                           const double* v, const double* t,
                           double* out_v, double* out_t) noexcept nogil

cdef Py_ssize_t binary_loop(binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                            const double* a, const double* ta, Py_ssize_t step_a,
                            const double* b, const double* tb, Py_ssize_t step_b,
                            double* out_v, double* out_t) noexcept nogil

cdef Py_ssize_t binary_concat_loop(binary_rule rule, Py_ssize_t m,
                                   const double* a, const double* wa, Py_ssize_t na, Py_ssize_t step_a,
                                   const double* b, const double* wb, Py_ssize_t nb, Py_ssize_t step_b,
                                   double* out_v, double* out_w) noexcept nogil
