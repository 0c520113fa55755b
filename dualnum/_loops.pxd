# The fused value-and-tangent loops over raw pointers.  The loops are
# compiled once per common rule (the fused types UnaryOp and BinaryOp below;
# dualnum/_array.pyx picks the version), so that the rule is a direct call
# the C compiler inlines (and, in the one-direction loops, vectorises):
# through a function pointer, a call per element costs several times a
# multiplication, and whether an inline function taking the pointer gets
# inlined with it is up to the compiler's size limits, which a large module
# exceeds.
#
# Loops take C-contiguous data: values of m elements, tangents of m rows of k,
# or NULL for an operand that carries no tangent (a plain array or number).
# A binary operand with step 0 is a scalar read for every element.  Each
# returns the number of non-finite values produced from finite inputs.
cimport cython
from libc.math cimport isfinite

from dualnum cimport _rules
from dualnum._rules cimport _strong, unary_rule, binary_rule
from dualnum._simd cimport SIMD_COS, SIMD_EXP, SIMD_LOG, SIMD_SIN, unary_k1, unary_one


# ---- the rules the one-direction loops are compiled for, one version each;
# Any*: the rule passed as a function pointer
cdef struct NegOp:
    char unused
cdef struct ExpOp:
    char unused
cdef struct LogOp:
    char unused
cdef struct SinOp:
    char unused
cdef struct CosOp:
    char unused
cdef struct SqrtOp:
    char unused
cdef struct TanhOp:
    char unused
cdef struct AnyUnaryOp:
    char unused
cdef struct AddOp:
    char unused
cdef struct SubOp:
    char unused
cdef struct MulOp:
    char unused
cdef struct DivOp:
    char unused
cdef struct PowOp:
    char unused
cdef struct AnyBinaryOp:
    char unused

ctypedef fused UnaryOp:
    NegOp
    ExpOp
    LogOp
    SinOp
    CosOp
    SqrtOp
    TanhOp
    AnyUnaryOp

ctypedef fused BinaryOp:
    AddOp
    SubOp
    MulOp
    DivOp
    PowOp
    AnyBinaryOp


cdef inline double _unary_rule(UnaryOp* op, unary_rule rule, double x, double* g) noexcept nogil:
    if UnaryOp is NegOp:
        return _rules.neg_rule(x, g)
    elif UnaryOp is ExpOp:
        return _rules.exp_rule(x, g)
    elif UnaryOp is LogOp:
        return _rules.log_rule(x, g)
    elif UnaryOp is SinOp:
        return _rules.sin_rule(x, g)
    elif UnaryOp is CosOp:
        return _rules.cos_rule(x, g)
    elif UnaryOp is SqrtOp:
        return _rules.sqrt_rule(x, g)
    elif UnaryOp is TanhOp:
        return _rules.tanh_rule(x, g)
    else:
        return rule(x, g)


cdef inline double _binary_rule(BinaryOp* op, binary_rule rule, double a, double b,
                                double* ga, double* gb) noexcept nogil:
    if BinaryOp is AddOp:
        return _rules.add_rule(a, b, ga, gb)
    elif BinaryOp is SubOp:
        return _rules.sub_rule(a, b, ga, gb)
    elif BinaryOp is MulOp:
        return _rules.mul_rule(a, b, ga, gb)
    elif BinaryOp is DivOp:
        return _rules.div_rule(a, b, ga, gb)
    elif BinaryOp is PowOp:
        return _rules.array_pow_rule(a, b, ga, gb)
    else:
        return rule(a, b, ga, gb)


cdef inline double _counted(BinaryOp* op, binary_rule rule, double a, double b, double* ga, double* gb,
                           Py_ssize_t* bad) noexcept nogil:
    # the rule's value, counting a non-finite value from finite operands
    cdef double f = _binary_rule(op, rule, a, b, ga, gb)
    if not isfinite(f) and isfinite(a) and isfinite(b):
        bad[0] += 1
    return f


cdef inline double _flag_nonfinite(double x, double flag) noexcept nogil:
    # 1 if x is inf or nan (inf - inf and nan - nan are nan, x - x is 0
    # otherwise), else flag: a select that GCC vectorises, where isfinite()
    # or an integer |= of the comparison keep the whole loop scalar
    cdef double z = x - x
    return 1.0 if z != z else flag


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
cdef inline bint _unary_finite_k1(UnaryOp* op, unary_rule rule, Py_ssize_t m,
                                  const double* v, const double* t,
                                  double* out_v, double* out_t) noexcept nogil:
    cdef Py_ssize_t i
    cdef double f, g, d, nonfinite = 0.0
    for i in range(m):
        f = _unary_rule(op, rule, v[i], &g)
        d = g * t[i]
        out_v[i] = f
        out_t[i] = d
        nonfinite = _flag_nonfinite(f + d, nonfinite)
    return nonfinite == 0.0


cdef inline int _vector_kind(UnaryOp* op) noexcept nogil:
    # the rules with vector kernels (dualnum/_simd.pyx), -1 for the others
    if UnaryOp is ExpOp:
        return SIMD_EXP
    elif UnaryOp is LogOp:
        return SIMD_LOG
    elif UnaryOp is SinOp:
        return SIMD_SIN
    elif UnaryOp is CosOp:
        return SIMD_COS
    else:
        return -1


cdef inline double _one_direction_rule(UnaryOp* op, unary_rule rule, double x, double* g) noexcept nogil:
    # the careful one-direction loop's rule: the vector kernel's lane where
    # the first pass used one, so that an element's value does not depend on
    # whether another element of its call was non-finite
    cdef double f
    if _vector_kind(op) >= 0 and unary_one(_vector_kind(op), x, &f, g) == 0:
        return f
    return _unary_rule(op, rule, x, g)


cdef inline bint _unary_fast_k1(UnaryOp* op, unary_rule rule, Py_ssize_t m,
                                const double* v, const double* t,
                                double* out_v, double* out_t) noexcept nogil:
    # the first pass: the vector kernel of the dispatch path where the rule
    # has one (it reports finiteness the same way), else the scalar rule
    cdef int vector = -1
    if _vector_kind(op) >= 0:
        vector = unary_k1(_vector_kind(op), m, v, t, out_v, out_t)
    if vector >= 0:
        return vector == 1
    return _unary_finite_k1(op, rule, m, v, t, out_v, out_t)


# which operands of a binary step carry tangents (NULL: a constant operand)
cdef struct BothTangents:
    char unused
cdef struct FirstTangent:
    char unused
cdef struct SecondTangent:
    char unused

ctypedef fused TangentKind:
    BothTangents
    FirstTangent
    SecondTangent


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline bint _binary_finite_k1_of(BinaryOp* op, TangentKind* kind, binary_rule rule, Py_ssize_t m,
                                      const double* a, const double* ta, Py_ssize_t step_a,
                                      const double* b, const double* tb, Py_ssize_t step_b,
                                      double* out_v, double* out_t) noexcept nogil:
    # the tangent expression is chosen at compile time: a branch inside the
    # loop, even a loop-invariant one, keeps GCC from vectorising it
    cdef Py_ssize_t i
    cdef double f, ga, gb, t, nonfinite = 0.0
    for i in range(m):
        f = _binary_rule(op, rule, a[i * step_a], b[i * step_b], &ga, &gb)
        if TangentKind is BothTangents:
            t = ga * ta[i * step_a] + gb * tb[i * step_b]
        elif TangentKind is FirstTangent:
            t = ga * ta[i * step_a]
        else:
            t = gb * tb[i * step_b]
        out_v[i] = f
        out_t[i] = t
        nonfinite = _flag_nonfinite(f + t, nonfinite)
    return nonfinite == 0.0


cdef inline bint _binary_finite_k1_steps(BinaryOp* op, binary_rule rule, Py_ssize_t m,
                                         const double* a, const double* ta, Py_ssize_t step_a,
                                         const double* b, const double* tb, Py_ssize_t step_b,
                                         double* out_v, double* out_t) noexcept nogil:
    if ta != NULL and tb != NULL:
        return _binary_finite_k1_of(op, <BothTangents*> NULL, rule, m, a, ta, step_a, b, tb, step_b,
                                    out_v, out_t)
    if ta != NULL:
        return _binary_finite_k1_of(op, <FirstTangent*> NULL, rule, m, a, ta, step_a, b, tb, step_b,
                                    out_v, out_t)
    return _binary_finite_k1_of(op, <SecondTangent*> NULL, rule, m, a, ta, step_a, b, tb, step_b,
                                out_v, out_t)


cdef inline bint _binary_finite_k1(BinaryOp* op, binary_rule rule, Py_ssize_t m,
                                   const double* a, const double* ta, Py_ssize_t step_a,
                                   const double* b, const double* tb, Py_ssize_t step_b,
                                   double* out_v, double* out_t) noexcept nogil:
    # constant steps, so that each call compiles to contiguous (vector) loads;
    # a scalar operand is copied to a local, which the outputs cannot alias, so
    # that work on it alone (1 / b for x / 2) is hoisted out of the loop
    cdef double a0, b0
    if step_a == 1 and step_b == 1:
        return _binary_finite_k1_steps(op, rule, m, a, ta, 1, b, tb, 1, out_v, out_t)
    if step_a == 0:
        a0 = a[0]
        return _binary_finite_k1_steps(op, rule, m, &a0, ta, 0, b, tb, 1, out_v, out_t)
    b0 = b[0]
    return _binary_finite_k1_steps(op, rule, m, a, ta, 1, &b0, tb, 0, out_v, out_t)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t unary_loop(UnaryOp* op, unary_rule rule, Py_ssize_t m, Py_ssize_t k,
                                  const double* v, const double* t,
                                  double* out_v, double* out_t) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs.
    ``op``: a NULL pointer whose type picks the compiled version (the rule's,
    or AnyUnaryOp for ``rule`` through its pointer; ``rule`` must be the
    same rule either way)."""
    cdef Py_ssize_t i, j, bad = 0
    cdef double f, g
    if k == 1 and _unary_fast_k1(op, rule, m, v, t, out_v, out_t):
        return 0
    if k == 1:                      # a derivative: no inner loop over directions
        for i in range(m):
            f = _one_direction_rule(op, rule, v[i], &g)
            out_v[i] = f
            if not isfinite(f) and isfinite(v[i]):
                bad += 1
            out_t[i] = g * t[i] if isfinite(g) else _strong(g, t[i])
        return bad
    for i in range(m):
        f = _unary_rule(op, rule, v[i], &g)
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
cdef inline Py_ssize_t binary_loop(BinaryOp* op, binary_rule rule, Py_ssize_t m, Py_ssize_t k,
                                   const double* a, const double* ta, Py_ssize_t step_a,
                                   const double* b, const double* tb, Py_ssize_t step_b,
                                   double* out_v, double* out_t) noexcept nogil:
    """Returns the number of non-finite values produced from finite inputs."""
    cdef Py_ssize_t i, j, ia, ib, bad = 0
    cdef const double* ra
    cdef const double* rb
    cdef double* ro
    cdef double ga, gb
    if k == 1 and _binary_finite_k1(op, rule, m, a, ta, step_a, b, tb, step_b, out_v, out_t):
        return 0
    for i in range(m):
        ia = i * step_a
        ib = i * step_b
        out_v[i] = _counted(op, rule, a[ia], b[ib], &ga, &gb, &bad)
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
        BinaryOp* op, binary_rule rule, Py_ssize_t m,
        const double* a, const double* wa, Py_ssize_t na, Py_ssize_t step_a,
        const double* b, const double* wb, Py_ssize_t nb, Py_ssize_t step_b,
        double* out_v, double* out_w) noexcept nogil:
    """The binary rule on sparse tangents: each output row is a's na weights
    scaled by the partial in a, then b's nb weights scaled by the partial in b
    (the entries' directions are concatenated the same way by the caller).
    ``op`` picks the compiled version as in unary_loop."""
    cdef Py_ssize_t i, j, ia, ib, bad = 0, w = na + nb
    cdef double ga, gb
    for i in range(m):
        ia = i * step_a
        ib = i * step_b
        out_v[i] = _counted(op, rule, a[ia], b[ib], &ga, &gb, &bad)
        for j in range(na):
            out_w[i * w + j] = _strong(ga, wa[ia * na + j])
        for j in range(nb):
            out_w[i * w + na + j] = _strong(gb, wb[ib * nb + j])
    return bad
