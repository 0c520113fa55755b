# The storage of a DualArray and the recorded-chain engine (dualnum/_chains.pyx),
# below the array operations of dualnum/_array.pyx, which cimport it.
cimport cython
cimport numpy as cnp
from cpython.pythread cimport PyThread_type_lock

from dualnum._core cimport Dual
from dualnum._kernels cimport Rule
from dualnum._rules cimport binary_rule, unary_rule

cdef class Run:
    cdef PyThread_type_lock lock
    cdef unsigned long thread
    cdef bint held
    cdef void done(self) noexcept
    cdef int wait(self) except -1


cdef class ArrayStorage


@cython.final
cdef class Pending:
    # an elementwise operation recorded on a pending array (see "recorded
    # chains" in dualnum/_chains.pyx)
    cdef Rule rule
    cdef bint binary
    cdef ArrayStorage a, b             # array operands; None where the operand is a scalar
    cdef double scalar_a, scalar_b
    cdef Dual dual_a, dual_b           # scalar operands with partials, else None
    cdef tuple shape
    cdef Py_ssize_t size
    cdef Py_ssize_t length             # operations of the chain it ends (an upper bound)
    cdef set inputs                    # ids of the stored arrays that chain reads
    cdef dict errstate                 # numpy's error handling when it was recorded
    cdef Run run                       # the thread running this chain now, or None


cdef class ArrayStorage:
    # the storage of a DualArray, stored or pending (dualnum._array.DualArrayCore
    # adds the operations)
    cdef cnp.ndarray _value           # None while pending
    cdef cnp.ndarray _dense           # value.shape + (k,), or None while sparse or pending
    cdef cnp.ndarray _index           # value.shape + (w,) intp directions, -1: no entry
    cdef cnp.ndarray _weight          # value.shape + (w,) float64
    cdef readonly Py_ssize_t directions
    cdef readonly unsigned long long tag
    # a recorded elementwise operation not yet run
    cdef Pending _pending
    cdef list _readers                # weak references to pending arrays that read this one
    cdef list _runs                   # chains running now that read this storage (Run)
    cdef bint _fresh                  # storage made here and never handed out
    cdef object __weakref__


cdef int force(ArrayStorage root) except -1


cdef inline int ready(ArrayStorage x) except -1:
    """Run x's chain if x is pending, so that its storage exists."""
    if x._pending is not None:
        force(x)
    return 0


cdef int expose(ArrayStorage x) except -1
cdef Pending plan(Rule rule, object a, object b, bint binary)
cdef bint attach(ArrayStorage r, Pending p) except -1
cdef tuple shape_of(ArrayStorage x)
cdef Py_ssize_t size_of(ArrayStorage x)
cdef bint contiguous_storage(ArrayStorage x)
cdef bint real_scalar(object x, double* value) except -1
cdef tuple empty(int ndim, cnp.npy_intp* shape, Py_ssize_t k)
cdef Py_ssize_t run_unary(int fast, unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                          const double* v, const double* t,
                          double* ov, double* ot) noexcept nogil
cdef Py_ssize_t run_binary(int fast, binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                           const double* a, const double* ta, Py_ssize_t step_a,
                           const double* b, const double* tb, Py_ssize_t step_b,
                           double* ov, double* ot) noexcept nogil
