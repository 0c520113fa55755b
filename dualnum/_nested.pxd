# The nested number (dualnum/_nested.pyx): a dual number of one differentiation
# call whose value and partials are numbers of enclosing calls.
from dualnum._number cimport Number
from dualnum._table cimport Row


cdef class Nested(Number):
    cdef readonly object value       # a float, or a number of enclosing calls (Dual, Nested)
    cdef readonly list partials      # one per direction of this call, numbers as the value
    cdef readonly unsigned long long tag
    cdef double innermost            # the float at the bottom of the value


# the row applied to (a, b), numbers of two differentiation calls (or one of
# them a real number): Dual's operators call it when Duals of two calls meet
cdef object nested_binary(Row row, object a, object b)
