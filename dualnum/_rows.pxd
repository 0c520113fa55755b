# The sparse-row storage both array types build (first order: dualnum/_chains.pyx
# and _array.pyx; second order: dualnum/_hessian_array.pyx): float64 values and,
# per element, a row of w entries naming the variables it depends on (intp
# index, -1: unused) with their coefficients (first order: one weight each;
# second order: a gradient entry each and a w x w block of the local Hessian).
# Here: the limits both keep to and the helpers both allocate with.
cimport numpy as cnp

cdef enum:
    MAX_DIMS = 64                     # numpy's limit (32 before numpy 2)
    # a row wider than this (operands that depend on different variables meet,
    # their entries side by side) has its repeated variables merged
    COMPACT_WIDTH = 8
    # results with at least this many entries in all take one allocation, of
    # which their arrays are views (see view)
    ONE_BLOCK_ENTRIES = 16384


cdef inline cnp.ndarray contiguous(cnp.ndarray a):
    """a, or a C-contiguous copy of it (an ndarray)."""
    if cnp.PyArray_IS_C_CONTIGUOUS(a):
        return a
    return cnp.PyArray_FROM_OF(a, cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ENSUREARRAY)


cdef inline cnp.ndarray view(int nd, cnp.npy_intp* dims, int typenum, void* data, object block):
    """An array over ``data``, a part of the allocation ``block``, which it keeps
    alive.  glibc serves each block above its mmap threshold (128 KiB to 32
    MiB, adaptive) from fresh pages when several are alive at once, and
    faulting those pages in costs more than the loops (x * x at 30 000
    elements: 9 ns instead of 1.7 ns per element); one block per result
    behaves like numpy's one array per result, which glibc keeps recycling."""
    cdef cnp.ndarray a = cnp.PyArray_SimpleNewFromData(nd, dims, typenum, data)
    cnp.set_array_base(a, block)
    return a


# ------------------------------------------------ merging repeated variables
# Operands that depend on different variables put their rows side by side, so
# a row may name a variable twice; past COMPACT_WIDTH entries each order
# merges them.  Which entries merge is the same for both orders (below); the
# coefficients differ (first order: one weight per entry; second order: a
# gradient entry and a row and a column of the local Hessian), and each order
# merges its own with merge_entries, once per coefficient array.

cdef inline Py_ssize_t merge_plan(Py_ssize_t w, Py_ssize_t* ix, Py_ssize_t* into) noexcept nogil:
    """Plan the merge of one row of w entries (index ix, -1: unused): the
    variables are packed to the front in the order they first appear, and
    into[a] is the entry that entry a's coefficients go to (-1: unused).
    Rewrites ix so (-1 after the packed entries); returns how many variables
    the row names."""
    cdef Py_ssize_t a, b, n = 0
    for a in range(w):
        into[a] = -1
        if ix[a] < 0:
            continue
        for b in range(n):
            if ix[b] == ix[a]:
                into[a] = b
                break
        if into[a] < 0:              # a new variable: packed at n <= a (already read)
            ix[n] = ix[a]
            into[a] = n
            n += 1
    for a in range(n, w):
        ix[a] = -1
    return n


cdef inline void merge_entries(Py_ssize_t w, const Py_ssize_t* into, double* x,
                               Py_ssize_t stride) noexcept nogil:
    """Merge the coefficients x[a * stride] of one row as merge_plan planned,
    in place: the first entry of each variable is moved, the others added in
    their order, and every entry left over becomes 0.  In place is safe
    because into[a] <= a: an entry is read before anything is written to it."""
    cdef Py_ssize_t a, target, packed = 0
    cdef double v
    for a in range(w):
        target = into[a]
        v = x[a * stride]
        x[a * stride] = 0.0
        if target == packed:         # the variable's first entry (packed in order)
            x[target * stride] = v
            packed += 1
        elif target >= 0:
            x[target * stride] += v
