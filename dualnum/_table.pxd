# The function table: one Row per elementary function (and per arithmetic
# operator), the only place that lists them.  Every consumer -- the number
# types' methods and numpy dispatch, the module functions dualnum.sin & co.,
# both array types, nesting -- is built by looping over ROWS.
from dualnum._rules cimport unary_rule, binary_rule
from dualnum._jets cimport jet_unary, jet_binary
from dualnum._complex cimport complex_unary, complex_binary


cdef enum Check:
    NO_CHECK = 0          # never raises on floats (+, -, *, ...)
    CHECK_DIVISOR = 1     # floats raise ZeroDivisionError on a zero divisor
    CHECK_FINITE = 2      # a non-finite value may be a math domain or range error


cdef class Row:
    cdef readonly str name           # dualnum's spelling: error messages, the module function
    cdef readonly tuple names        # every spelling it answers to (numpy's, math's, aliases)
    cdef readonly tuple functions    # the spellings that are module functions (dualnum.<name>)
    cdef readonly int arity
    cdef readonly str doc
    cdef readonly object reference   # float function with math's values and errors, or None
    cdef readonly object ufunc       # numpy ufunc for float arrays, or None (the rule is mapped)
    cdef Check check
    cdef unary_rule first_unary      # first-order rule: value and f' (dualnum/_rules.pxd)
    cdef binary_rule first_binary
    cdef jet_unary taylor_unary      # Taylor kernel of any order (dualnum/_jets.pxd)
    cdef jet_binary taylor_binary
    cdef int arith                   # + - * / **: an ARITH_* of _jets.pxd (partials written out)
    # the complex column: f(z) and f'(z) of a holomorphic row at a complex
    # point (dualnum/_complex_rules.pxd), NULL where the row has none
    cdef complex_unary holomorphic_unary
    cdef complex_binary holomorphic_binary


cdef Row row(str name)               # the row a spelling names (KeyError if none)
