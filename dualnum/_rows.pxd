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
