# The rule lookup shared with the compiled DualArray core (dualnum/_array.pyx).
from dualnum._rules cimport unary_rule, binary_rule


cdef enum:
    # rules the array core runs through loops compiled with the rule inlined
    FAST_NONE, FAST_NEG, FAST_EXP, FAST_LOG, FAST_SIN, FAST_COS, FAST_SQRT, FAST_TANH,
    FAST_ADD, FAST_SUB, FAST_MUL, FAST_DIV, FAST_POW


cdef class Rule:
    """A rule of the table with the numpy (or dualnum) name it reports under."""
    cdef unary_rule unary
    cdef binary_rule binary
    cdef readonly str name
    cdef int fast                     # a FAST_* code, FAST_NONE for the generic loop
