# The fused value-and-tangent loops over raw pointers, inline so that a call
# with a constant rule (dualnum/_array.pyx does this for the common rules) is
# compiled with the rule inlined: an indirect call per element costs several
# times a multiplication.
#
# Loops take C-contiguous data: values of m elements, tangents of m rows of k,
# or NULL for an operand that carries no tangent (a plain array or number).
# A binary operand with step 0 is a scalar read for every element.  Each
# returns the number of non-finite values produced from finite inputs.
cimport cython
from libc.math cimport isfinite

from dualnum._rules cimport unary_rule, binary_rule


cdef inline double _strong(double g, double t) noexcept nogil:
    # a zero tangent stays exactly zero even where the local derivative is inf/nan
    return 0.0 if t == 0.0 else g * t


cdef inline double _counted(binary_rule rule, double a, double b, double* ga, double* gb,
                           Py_ssize_t* bad) noexcept nogil:
    # the rule's value, counting a non-finite value from finite operands
    cdef double f = rule(a, b, ga, gb)
    if not isfinite(f) and isfinite(a) and isfinite(b):
        bad[0] += 1
    return f


cdef inline int _nonfinite(double x) noexcept nogil:
    # inf - inf and nan - nan are nan, x - x is 0 otherwise: a test the
    # compiler vectorises, unlike isfinite()
    return (x - x) != (x - x)


# ---- one direction (derivatives): a branch-free first pass the compiler can
# vectorise.  It assumes every value and local partial is finite, which makes
# the plain products exact; it reports whether that held, and where it did not
# the caller reruns the careful loop (strong zeros, counting non-finite
# results) over all elements, overwriting this pass.  One test per element
# covers all: a non-finite partial makes the tangent non-finite (inf * 0 is
# nan), and value + tangent is non-finite if either is (or, rarely, if the
# sum overflows, which only costs the rerun).

@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline bint _unary_finite_k1(unary_rule rule, Py_ssize_t m, const double* v, const double* t,
                                  double* out_v, double* out_t) noexcept nogil:
    cdef Py_ssize_t i
    cdef double f, g
    cdef int nonfinite = 0
    for i in range(m):
        f = rule(v[i], &g)
        out_v[i] = f
        out_t[i] = g * t[i]
        nonfinite |= _nonfinite(f + out_t[i])
    return nonfinite == 0


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline bint _binary_finite_k1_steps(binary_rule rule, Py_ssize_t m,
                                         const double* a, const double* ta, Py_ssize_t step_a,
                                         const double* b, const double* tb, Py_ssize_t step_b,
                                         double* out_v, double* out_t) noexcept nogil:
    cdef Py_ssize_t i
    cdef double f, ga, gb
    cdef int nonfinite = 0
    for i in range(m):
        f = rule(a[i * step_a], b[i * step_b], &ga, &gb)
        out_v[i] = f
        if ta != NULL and tb != NULL:       # loop-invariant: the compiler unswitches it
            out_t[i] = ga * ta[i * step_a] + gb * tb[i * step_b]
        elif ta != NULL:
            out_t[i] = ga * ta[i * step_a]
        else:
            out_t[i] = gb * tb[i * step_b]
        nonfinite |= _nonfinite(f + out_t[i])
    return nonfinite == 0


cdef inline bint _binary_finite_k1(binary_rule rule, Py_ssize_t m,
                                   const double* a, const double* ta, Py_ssize_t step_a,
                                   const double* b, const double* tb, Py_ssize_t step_b,
                                   double* out_v, double* out_t) noexcept nogil:
    # constant steps, so that each call compiles to contiguous (vector) loads;
    # a scalar operand is copied to a local, which the outputs cannot alias, so
    # that work on it alone (1 / b for x / 2) is hoisted out of the loop
    cdef double a0, b0
    if step_a == 1 and step_b == 1:
        return _binary_finite_k1_steps(rule, m, a, ta, 1, b, tb, 1, out_v, out_t)
    if step_a == 0:
        a0 = a[0]
        return _binary_finite_k1_steps(rule, m, &a0, ta, 0, b, tb, 1, out_v, out_t)
    b0 = b[0]
    return _binary_finite_k1_steps(rule, m, a, ta, 1, &b0, tb, 0, out_v, out_t)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t unary_loop(unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                                  const double* v, const double* t,
                                  double* out_v, double* out_t) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs."""
    cdef Py_ssize_t i, j, bad = 0
    cdef double f, g
    if k == 1 and _unary_finite_k1(rule, m, v, t, out_v, out_t):
        return 0
    if k == 1:                      # a derivative: no inner loop over directions
        for i in range(m):
            f = rule(v[i], &g)
            out_v[i] = f
            if not isfinite(f) and isfinite(v[i]):
                bad += 1
            out_t[i] = g * t[i] if isfinite(g) else _strong(g, t[i])
        return bad
    for i in range(m):
        f = rule(v[i], &g)
        out_v[i] = f
        if not isfinite(f) and isfinite(v[i]):
            bad += 1
        if isfinite(g):
            for j in range(k):
                out_t[i * k + j] = g * t[i * k + j]
        else:
            for j in range(k):
                out_t[i * k + j] = _strong(g, t[i * k + j])
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t binary_loop(binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                                   const double* a, const double* ta, Py_ssize_t step_a,
                                   const double* b, const double* tb, Py_ssize_t step_b,
                                   double* out_v, double* out_t) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs."""
    cdef Py_ssize_t i, j, ia, ib, bad = 0
    cdef const double* ra
    cdef const double* rb
    cdef double* ro
    cdef double ga, gb
    if k == 1 and _binary_finite_k1(rule, m, a, ta, step_a, b, tb, step_b, out_v, out_t):
        return 0
    for i in range(m):
        ia = i * step_a
        ib = i * step_b
        out_v[i] = _counted(rule, a[ia], b[ib], &ga, &gb, &bad)
        ra = ta + ia * k if ta != NULL else NULL
        rb = tb + ib * k if tb != NULL else NULL
        ro = out_t + i * k
        # exactly the scalar Dual's arithmetic (same results to the sign of zero):
        # plain products where the local partials are finite, strong zeros otherwise
        if ta != NULL and tb != NULL:
            if isfinite(ga) and isfinite(gb):
                for j in range(k):
                    ro[j] = ga * ra[j] + gb * rb[j]
            else:
                for j in range(k):
                    ro[j] = _strong(ga, ra[j]) + _strong(gb, rb[j])
        elif ta != NULL:
            if isfinite(ga):
                for j in range(k):
                    ro[j] = ga * ra[j]
            else:
                for j in range(k):
                    ro[j] = _strong(ga, ra[j])
        else:
            if isfinite(gb):
                for j in range(k):
                    ro[j] = gb * rb[j]
            else:
                for j in range(k):
                    ro[j] = _strong(gb, rb[j])
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t binary_concat_loop(
        binary_rule rule, Py_ssize_t m,
        const double* a, const double* wa, Py_ssize_t na, Py_ssize_t step_a,
        const double* b, const double* wb, Py_ssize_t nb, Py_ssize_t step_b,
        double* out_v, double* out_w) noexcept nogil:
    """The binary rule on sparse tangents: each output row is a's na weights
    scaled by the partial in a, then b's nb weights scaled by the partial in b
    (the entries' directions are concatenated the same way by the caller)."""
    cdef Py_ssize_t i, j, ia, ib, bad = 0, w = na + nb
    cdef double ga, gb
    for i in range(m):
        ia = i * step_a
        ib = i * step_b
        out_v[i] = _counted(rule, a[ia], b[ib], &ga, &gb, &bad)
        for j in range(na):
            out_w[i * w + j] = _strong(ga, wa[ia * na + j])
        for j in range(nb):
            out_w[i * w + na + j] = _strong(gb, wb[ib * nb + j])
    return bad
