# Running a recorded chain of elementwise operations on dual arrays block by
# block, so that a chain on arrays larger than the cache keeps its
# intermediate values and tangents in cache instead of writing each one out to
# memory and reading it back (dualnum/_chains.pyx records the chains and
# passes the functions that run one operation on one block).
from dualnum._rules cimport binary_rule, unary_rule

ctypedef Py_ssize_t (*unary_runner)(int fast, unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                                    const double* v, const double* t,
                                    double* ov, double* ot) noexcept nogil
ctypedef Py_ssize_t (*binary_runner)(int fast, binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                                     const double* a, const double* ta, Py_ssize_t step_a,
                                     const double* b, const double* tb, Py_ssize_t step_b,
                                     double* ov, double* ot) noexcept nogil


cdef struct Source:
    # where one operand of a step reads from
    int step                # >= 0: the block an earlier step wrote; -1: the pointers below
    const double* value     # a whole array (step 1), or one scalar (step 0)
    const double* tangent   # rows of k; NULL for an operand without tangent
    Py_ssize_t stride       # 1 for an array or a step's block, 0 for a scalar


cdef struct Step:
    int fast
    unary_rule unary        # NULL for a binary step
    binary_rule binary
    Source a, b
    Py_ssize_t bad          # non-finite values from finite inputs, summed over blocks


cdef inline void _block_of(Source* s, double* scratch, Py_ssize_t block, Py_ssize_t k,
                           Py_ssize_t start, const double** v, const double** t) noexcept nogil:
    if s.step >= 0:
        v[0] = scratch + s.step * block * (k + 1)
        t[0] = v[0] + block
    else:
        v[0] = s.value + start * s.stride
        t[0] = NULL if s.tangent == NULL else s.tangent + start * s.stride * k


cdef inline void run_blocks(Step* steps, int n, Py_ssize_t start, Py_ssize_t end, Py_ssize_t k,
                            Py_ssize_t block, double* scratch, double* out_v, double* out_t,
                            unary_runner run_unary, binary_runner run_binary) noexcept nogil:
    """Run n steps over the elements start to end (excluded), ``block``
    elements at a time (a part of a chain's range starts at a multiple of
    block, so that its blocks are those of the whole range).  Step i < n - 1
    writes its block to scratch (block * (k + 1) doubles per step: values,
    then tangent rows); the last step writes to out_v / out_t.  The runners
    return the number of non-finite values from finite inputs.  Nothing else
    is read or written: the caller keeps what the Sources point to unchanged
    (_run_chain in dualnum/_chains.pyx says how)."""
    cdef Py_ssize_t length
    cdef int i
    cdef Step* s
    cdef const double* va
    cdef const double* ta
    cdef const double* vb
    cdef const double* tb
    cdef double* ov
    cdef double* ot
    while start < end:
        length = block if end - start > block else end - start
        for i in range(n):
            s = &steps[i]
            if i == n - 1:
                ov = out_v + start
                ot = out_t + start * k
            else:
                ov = scratch + i * block * (k + 1)
                ot = ov + block
            _block_of(&s.a, scratch, block, k, start, &va, &ta)
            if s.unary != NULL:
                s.bad += run_unary(s.fast, s.unary, length, k, va, ta, ov, ot)
            else:
                _block_of(&s.b, scratch, block, k, start, &vb, &tb)
                s.bad += run_binary(s.fast, s.binary, length, k,
                                    va, ta, s.a.stride, vb, tb, s.b.stride, ov, ot)
        start += block
