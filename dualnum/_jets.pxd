# cython: cdivision=True
# Truncated Taylor arithmetic ("jets"): kernels on coefficient arrays.
#
# A jet of order K is u[0..K], the Taylor coefficients u_k = f^(k)(x0) / k!
# of some quantity as a function of the seeded variable.  Every kernel writes
# the coefficients of the result to w[0..K] in O(K**2) operations (gamma and
# lgamma: O(K**3)), using the classical recurrences obtained by matching
# coefficients in an ODE the function satisfies (w = exp(u): w' = u' w, so
# k w_k = sum_{j=1..k} j u_j w_{k-j}; see Griewank & Walther, "Evaluating
# Derivatives", ch. 13).  The zeroth coefficient always comes from the
# first-order rule (dualnum/_rules.pxd), so values agree with floats and Duals
# bit for bit; piecewise-linear functions (abs, floor, maximum, fmod, ...) take
# their slopes from the same rules, so the conventions at kinks are the ones
# documented there.  At a singular point (sqrt or a fractional power at 0, the
# origin of atan2/hypot) the first derivative follows the rule and the higher
# coefficients are nan or an infinite one-sided limit.
#
# Kernels never raise; the callers (dualnum/_taylor.pyx) turn a non-finite
# value at a finite point into math's exception.  Scratch space: s holds
# JET_SCRATCH arrays of K + 1 doubles.  w must not alias u or v.

from libc.math cimport exp, fabs, floor, pow, sqrt, isfinite, NAN, M_LN2, M_LN10, M_PI
from dualnum._rules cimport (
    _strong, unary_rule, binary_rule, digamma, sigmoid_value, beyond_exact_integers,
    sin_rule, cos_rule, tan_rule, asin_rule, acos_rule, atan_rule, sinh_rule, cosh_rule,
    tanh_rule, asinh_rule, acosh_rule, atanh_rule, exp_rule, exp2_rule, expm1_rule,
    log_rule, log2_rule, log10_rule, log1p_rule, sqrt_rule, cbrt_rule, erf_rule,
    erfc_rule, gamma_rule, lgamma_rule, sigmoid_rule, softplus_rule, fabs_rule, relu_rule,
    floor_rule, ceil_rule, trunc_rule, degrees_rule, radians_rule, neg_rule,
    pow_rule, atan2_rule, hypot_rule, copysign_rule, fmod_rule, logaddexp_rule,
    maximum_rule, minimum_rule, floordiv_rule, mod_rule, div_rule, fmax_rule, fmin_rule,
    logaddexp2_rule, heaviside_rule,
)
from dualnum._special cimport hurwitz_zeta, sincospi

ctypedef void (*jet_unary)(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil
ctypedef void (*jet_binary)(const double* u, const double* v, double* w, Py_ssize_t K,
                            double* s) noexcept nogil

cdef enum:
    JET_SCRATCH = 8


# ------------------------------------------------------------ building blocks

cdef inline double _strong2(double g, double s, double t) noexcept nogil:
    """g * s * t with strong zeros, g * s first: a second-order term f'' g_i g_j,
    whose g_i g_j can overflow (|g| > 1.34e154) where the term does not
    (f'' = 0 for a product or a sum)."""
    return 0.0 if s == 0.0 or t == 0.0 else (g * s) * t


cdef inline Py_ssize_t _degree(const double* u, Py_ssize_t K) noexcept nogil:
    """The highest k <= K with u_k != 0 (0 for a constant).  Products skip the
    terms above it: a zero coefficient (x + h t has zeros from t**2 on) times
    one that overflowed stays 0, so an overflowing derivative is inf, not nan."""
    while K > 0 and u[K] == 0.0:
        K -= 1
    return K


cdef inline void _clipped_mul(const double* u, const double* v, double* w, Py_ssize_t K) noexcept nogil:
    """jet_mul for operands with trailing zero coefficients: the terms above
    each operand's degree are skipped (see _degree)."""
    cdef Py_ssize_t k, i
    cdef Py_ssize_t du = _degree(u, K), dv = _degree(v, K)
    cdef double acc
    for k in range(K, -1, -1):
        acc = 0.0
        for i in range(max(0, k - dv), min(k, du) + 1):
            acc = acc + u[i] * v[k - i]
        w[k] = acc


cdef inline void jet_mul(const double* u, const double* v, double* w, Py_ssize_t K) noexcept nogil:
    """w = u v (Cauchy product).  Computed from the top down, so w may alias u or v."""
    cdef Py_ssize_t k, i
    cdef double acc
    if u[K] == 0.0 or v[K] == 0.0:
        _clipped_mul(u, v, w, K)
        return
    for k in range(K, -1, -1):                 # dense operands (the common case)
        acc = 0.0
        for i in range(k + 1):
            acc = acc + u[i] * v[k - i]
        w[k] = acc


cdef inline void jet_div(const double* u, const double* v, double* w, Py_ssize_t K) noexcept nogil:
    """w = u / v: w_k = (u_k - sum_{i=1..k} v_i w_{k-i}) / v_0.  w may alias u, not v."""
    cdef Py_ssize_t k, i, dv = _degree(v, K)
    cdef double acc
    for k in range(K + 1):
        acc = u[k]
        for i in range(1, min(k, dv) + 1):
            acc = acc - v[i] * w[k - i]
        w[k] = acc / v[0]


cdef inline double _flow(const double* u, const double* a, Py_ssize_t k,
                          Py_ssize_t du) noexcept nogil:
    """(1/k) sum_{j=1..k} j u_j a_{k-j}: coefficient k of w when w' = a u'.
    du = _degree(u, K), computed once by the caller: the terms above it are 0."""
    cdef Py_ssize_t j
    cdef double acc = 0.0
    for j in range(1, min(k, du) + 1):
        acc = acc + j * u[j] * a[k - j]
    return acc / k


cdef inline void _quotient_flow(const double* u, const double* q, double* w,
                                Py_ssize_t K) noexcept nogil:
    """w_1..w_K of w' = u' / q (w_0 is set by the caller): from q w' = u',
    w_k = (u_k - (1/k) sum_{j=1..k-1} j w_j q_{k-j}) / q_0."""
    cdef Py_ssize_t k, j, dq = _degree(q, K)
    cdef double acc
    for k in range(1, K + 1):
        acc = 0.0
        for j in range(max(1, k - dq), k):
            acc = acc + j * w[j] * q[k - j]
        w[k] = (u[k] - acc / k) / q[0]


cdef inline void _square(const double* u, double* w, Py_ssize_t K) noexcept nogil:
    jet_mul(u, u, w, K)


cdef inline void _sqrt_series(const double* t, double* w, Py_ssize_t K, double w0) noexcept nogil:
    """w = sqrt(t) with w_0 given: w_k = (t_k - sum_{i=1..k-1} w_i w_{k-i}) / (2 w_0)."""
    cdef Py_ssize_t k, i
    cdef double acc
    w[0] = w0
    for k in range(1, K + 1):
        acc = t[k]
        for i in range(1, k):
            acc = acc - w[i] * w[k - i]
        w[k] = acc / (2.0 * w0)


cdef inline void _exp_series(const double* u, double* w, Py_ssize_t K, double w0) noexcept nogil:
    """w = exp(u) with w_0 given (exp(u_0) or a scaled variant)."""
    cdef Py_ssize_t k
    w[0] = w0
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = _flow(u, w, k, du)


cdef inline void _by_rule(unary_rule rule, const double* u, double* w, Py_ssize_t K) noexcept nogil:
    """A function that is linear near u_0 (abs, floor, degrees, relu, -): w_k = f'(u_0) u_k."""
    cdef double g
    cdef Py_ssize_t k
    w[0] = rule(u[0], &g)
    for k in range(1, K + 1):
        w[k] = _strong(g, u[k])


cdef inline void _by_binary_rule(binary_rule rule, const double* u, const double* v, double* w,
                                 Py_ssize_t K) noexcept nogil:
    """A binary function linear near (u_0, v_0) (maximum, fmod, copysign, //, %)."""
    cdef double ga, gb
    cdef Py_ssize_t k
    w[0] = rule(u[0], v[0], &ga, &gb)
    for k in range(1, K + 1):
        w[k] = _strong(ga, u[k]) + _strong(gb, v[k])


cdef inline void _singular(double value, double first, double* w, Py_ssize_t K) noexcept nogil:
    """The result at a singular point: the rule's value and first coefficient, nan above."""
    cdef Py_ssize_t k
    w[0] = value
    if K >= 1:
        w[1] = first
    for k in range(2, K + 1):
        w[k] = NAN


cdef inline bint _at_infinite_slope(double value, double g, const double* u, double* w,
                                    Py_ssize_t K) noexcept nogil:
    """Where the rule's derivative g is infinite (sqrt at 0, asin and acos at
    +-1, acosh at 1) and the argument is stationary (u_1 = 0, as x*x at 0),
    the recurrences divide 0 by 0: write the singular result instead, whose
    first coefficient is the strong zero Dual and Dual2 give (sqrt(x*x) at 0:
    0), nan above.  With u_1 != 0 the recurrences give the documented infinite
    one-sided limits.  Whether it wrote w."""
    if isfinite(g) or g != g or K == 0 or u[1] != 0.0:
        return False
    _singular(value, 0.0, w, K)
    return True


# ------------------------------------------------------------ unary kernels

cdef inline void jet_exp(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _exp_series(u, w, K, exp_rule(u[0], &g))


cdef inline void jet_expm1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _exp_series(u, w, K, exp_rule(u[0], &g))
    w[0] = expm1_rule(u[0], &g)


cdef inline void jet_exp2(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef Py_ssize_t k
    for k in range(K + 1):
        s[k] = u[k] * M_LN2
    _exp_series(s, w, K, exp2_rule(u[0], &g))


cdef inline void _log_of(const double* q, double* w, Py_ssize_t K, double w0) noexcept nogil:
    w[0] = w0
    _quotient_flow(q, q, w, K)


cdef inline void jet_log(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _log_of(u, w, K, log_rule(u[0], &g))


cdef inline void jet_log1p(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef Py_ssize_t k
    s[0] = 1.0 + u[0]
    for k in range(1, K + 1):
        s[k] = u[k]
    _log_of(s, w, K, log1p_rule(u[0], &g))


cdef inline void _scaled_log(const double* u, double* w, Py_ssize_t K, double w0,
                             double scale) noexcept nogil:
    cdef Py_ssize_t k
    _log_of(u, w, K, w0)
    for k in range(1, K + 1):
        w[k] = w[k] * scale


cdef inline void jet_log2(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _scaled_log(u, w, K, log2_rule(u[0], &g), 1.0 / M_LN2)


cdef inline void jet_log10(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _scaled_log(u, w, K, log10_rule(u[0], &g), 1.0 / M_LN10)


cdef inline void jet_sqrt(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef double w0 = sqrt_rule(u[0], &g)
    if not _at_infinite_slope(w0, g, u, w, K):
        _sqrt_series(u, w, K, w0)


cdef inline void _real_power(const double* u, double r, double w0, double* w,
                             Py_ssize_t K) noexcept nogil:
    """w = u**r for real r at u_0 != 0: from u w' = r u' w,
    w_k = sum_{j=1..k} ((r + 1) j - k) u_j w_{k-j} / (k u_0), with the factor
    written r j + (j - k) so that it is r exactly for j = k = 1, also above 2**53."""
    cdef Py_ssize_t k, j, du = _degree(u, K)
    cdef double acc
    w[0] = w0
    for k in range(1, K + 1):
        acc = 0.0
        for j in range(1, min(k, du) + 1):
            acc = acc + (r * j + (j - k)) * u[j] * w[k - j]
        w[k] = acc / (k * u[0])


cdef inline void jet_cbrt(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef double w0 = cbrt_rule(u[0], &g)
    if u[0] == 0.0:
        _singular(w0, _strong(g, u[1]) if K >= 1 else 0.0, w, K)
    else:
        _real_power(u, 1.0 / 3.0, w0, w, K)


cdef inline void _sincos(const double* u, double* sn, double* cs, Py_ssize_t K,
                         double sign) noexcept nogil:
    """sin/cos (sign -1) or sinh/cosh (sign +1) together, sn_0 and cs_0 set by the caller."""
    cdef Py_ssize_t k
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        sn[k] = _flow(u, cs, k, du)
        cs[k] = sign * _flow(u, sn, k, du)


cdef inline void jet_sin(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    w[0] = sin_rule(u[0], &g)
    s[0] = g                                   # cos u_0
    _sincos(u, w, s, K, -1.0)


cdef inline void jet_cos(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    w[0] = cos_rule(u[0], &g)
    s[0] = -g                                  # sin u_0
    _sincos(u, s, w, K, -1.0)


cdef inline void jet_sinh(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    w[0] = sinh_rule(u[0], &g)
    s[0] = g
    _sincos(u, w, s, K, 1.0)


cdef inline void jet_cosh(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    w[0] = cosh_rule(u[0], &g)
    s[0] = g
    _sincos(u, s, w, K, 1.0)


cdef inline void _tan_like(const double* u, double* w, double* p, Py_ssize_t K,
                           double sign) noexcept nogil:
    """w' = p u' with p = 1 + sign w**2 (tan: +1, tanh: -1); w_0 and p_0 set by the caller."""
    cdef Py_ssize_t k, i
    cdef double acc
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = _flow(u, p, k, du)
        acc = 0.0
        for i in range(k + 1):
            acc = acc + w[i] * w[k - i]
        p[k] = sign * acc


cdef inline void jet_tan(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    w[0] = tan_rule(u[0], &g)
    s[0] = g                                   # 1 + tan**2
    _tan_like(u, w, s, K, 1.0)


cdef inline void jet_tanh(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    w[0] = tanh_rule(u[0], &g)
    s[0] = g                                   # 1 - tanh**2, accurate for large |u_0|
    _tan_like(u, w, s, K, -1.0)


cdef inline void _one_minus_square(const double* u, double* t, Py_ssize_t K,
                                   double sign) noexcept nogil:
    """t = 1 - u**2 (sign -1) or u**2 - 1 (sign +1), t_0 as (1 - u_0)(1 + u_0) for accuracy."""
    cdef Py_ssize_t k
    _square(u, t, K)
    for k in range(1, K + 1):
        t[k] = sign * t[k]
    t[0] = -sign * (1.0 - u[0]) * (1.0 + u[0])


cdef inline void _arc(const double* u, double* w, Py_ssize_t K, double* s, double w0,
                      double sign, bint root) noexcept nogil:
    """w' = u' / q with q = 1 - u**2 (sign -1), u**2 - 1 (sign +1) or 1 + u**2
    (sign 0), under a square root if root."""
    cdef double* t = s
    cdef double* q = s + (K + 1)
    cdef Py_ssize_t k
    if sign == 0.0:
        _square(u, t, K)
        t[0] = 1.0 + u[0] * u[0]
    else:
        _one_minus_square(u, t, K, sign)
    if root:
        _sqrt_series(t, q, K, sqrt(t[0]))
    else:
        for k in range(K + 1):
            q[k] = t[k]
    w[0] = w0
    _quotient_flow(u, q, w, K)


cdef inline void jet_asin(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef double w0 = asin_rule(u[0], &g)
    if not _at_infinite_slope(w0, g, u, w, K):
        _arc(u, w, K, s, w0, -1.0, True)


cdef inline void jet_acos(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef Py_ssize_t k
    cdef double w0 = acos_rule(u[0], &g)
    if _at_infinite_slope(w0, g, u, w, K):
        return
    _arc(u, w, K, s, w0, -1.0, True)
    for k in range(1, K + 1):
        w[k] = -w[k]                           # acos = pi/2 - asin


cdef inline void jet_atan(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _arc(u, w, K, s, atan_rule(u[0], &g), 0.0, False)


cdef inline void jet_asinh(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _arc(u, w, K, s, asinh_rule(u[0], &g), 0.0, True)


cdef inline void jet_acosh(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    cdef double w0 = acosh_rule(u[0], &g)
    if not _at_infinite_slope(w0, g, u, w, K):
        _arc(u, w, K, s, w0, 1.0, True)


cdef inline void jet_atanh(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _arc(u, w, K, s, atanh_rule(u[0], &g), -1.0, False)


cdef inline void _erf_like(const double* u, double* w, Py_ssize_t K, double* s,
                           double w0, double factor) noexcept nogil:
    """w' = factor exp(-u**2) u' (erf: 2/sqrt(pi), erfc: -2/sqrt(pi))."""
    cdef double* t = s
    cdef double* e = s + (K + 1)
    cdef Py_ssize_t k
    _square(u, t, K)
    for k in range(K + 1):
        t[k] = -t[k]
    _exp_series(t, e, K, exp(t[0]))
    w[0] = w0
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = factor * _flow(u, e, k, du)


cdef inline void jet_erf(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _erf_like(u, w, K, s, erf_rule(u[0], &g), 1.1283791670955126)


cdef inline void jet_erfc(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef double g
    _erf_like(u, w, K, s, erfc_rule(u[0], &g), -1.1283791670955126)


cdef inline void _sigmoid_series(const double* u, double* w, double* p, Py_ssize_t K) noexcept nogil:
    """w = sigmoid(u) from w' = p u', p = w (1 - w); p_0 from the rule (accurate in the tails)."""
    cdef double g
    cdef Py_ssize_t k, i
    cdef double acc
    w[0] = sigmoid_rule(u[0], &g)
    p[0] = g
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = _flow(u, p, k, du)
        acc = w[k] * (1.0 - 2.0 * w[0])
        for i in range(1, k):
            acc = acc - w[i] * w[k - i]
        p[k] = acc


cdef inline void jet_sigmoid(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _sigmoid_series(u, w, s, K)


cdef inline void jet_softplus(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """softplus' = sigmoid."""
    cdef double g
    cdef Py_ssize_t k
    _sigmoid_series(u, s, s + (K + 1), K)
    w[0] = softplus_rule(u[0], &g)
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = _flow(u, s, k, du)


cdef inline void _digamma_taylor(double x, double* a, Py_ssize_t n, double* s) noexcept nogil:
    """a_m = psi^(m)(x) / m! = (-1)**(m+1) zeta(m+1, x) for m = 1..n, a_0 = psi(x).
    Left of 0, zeta's sum cancels terms of both signs (lgamma's 15th derivative
    at -2.5 lost 3 digits), so there the reflection psi(x) = psi(1 - x) -
    pi cot(pi x) gives a_m = -zeta(m+1, 1 - x) - pi cot_m, with cot_m the Taylor
    coefficients of cot(pi x + pi t) = cos / sin from an exact sincospi.
    s: scratch of 3 (n + 1) doubles."""
    cdef double* sn = s
    cdef double* cn = s + (n + 1)
    cdef double* cot = s + 2 * (n + 1)
    cdef double sp, cp, f = 1.0
    cdef Py_ssize_t m
    a[0] = digamma(x)
    if x < 0.0 and x != floor(x) and isfinite(x):
        sincospi(x, &sp, &cp)
        for m in range(n + 1):             # coefficient m has (pi t)**m / m!
            sn[m] = f * (sp if m % 4 == 0 else cp if m % 4 == 1 else -sp if m % 4 == 2 else -cp)
            cn[m] = f * (cp if m % 4 == 0 else -sp if m % 4 == 1 else -cp if m % 4 == 2 else sp)
            f = f * M_PI / (m + 1)
        jet_div(cn, sn, cot, n)
        for m in range(1, n + 1):
            a[m] = -hurwitz_zeta(m + 1, 1.0 - x) - M_PI * cot[m]
    else:
        for m in range(1, n + 1):
            a[m] = (1.0 if m % 2 == 1 else -1.0) * hurwitz_zeta(m + 1, x)


cdef inline void _digamma_series(const double* u, double* psi, Py_ssize_t n, double* s) noexcept nogil:
    """psi = digamma(u) to order n, by Horner on digamma's Taylor polynomial at
    u_0 (_digamma_taylor).  s: scratch of 5 (n + 1) doubles."""
    cdef double* delta = s
    cdef double* a = s + (n + 1)
    cdef Py_ssize_t k, m
    _digamma_taylor(u[0], a, n, s + 2 * (n + 1))
    delta[0] = 0.0
    for k in range(1, n + 1):
        delta[k] = u[k]
        psi[k] = 0.0
    psi[0] = a[n]
    for m in range(n - 1, -1, -1):
        jet_mul(psi, delta, psi, n)
        psi[0] = psi[0] + a[m]


cdef inline void jet_lgamma(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """lgamma' = digamma."""
    cdef double g
    cdef Py_ssize_t k
    w[0] = lgamma_rule(u[0], &g)
    if K == 0:
        return
    _digamma_series(u, s, K - 1, s + (K + 1))
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = _flow(u, s, k, du)


cdef inline void jet_gamma(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """gamma' = gamma digamma: w_k from the running product r = w psi."""
    cdef double g
    cdef double* psi = s
    cdef double* r = s + 2 * (K + 1)
    cdef Py_ssize_t k, i
    cdef double acc
    w[0] = gamma_rule(u[0], &g)
    if K == 0:
        return
    _digamma_series(u, psi, K - 1, s + (K + 1))
    r[0] = w[0] * psi[0]
    cdef Py_ssize_t du = _degree(u, K)
    for k in range(1, K + 1):
        w[k] = _flow(u, r, k, du)
        if k < K:
            acc = 0.0
            for i in range(k + 1):
                acc = acc + w[i] * psi[k - i]
            r[k] = acc


cdef inline void jet_fabs(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(fabs_rule, u, w, K)

cdef inline void jet_relu(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(relu_rule, u, w, K)

cdef inline void jet_floor(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(floor_rule, u, w, K)

cdef inline void jet_ceil(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(ceil_rule, u, w, K)

cdef inline void jet_trunc(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(trunc_rule, u, w, K)

cdef inline void jet_degrees(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(degrees_rule, u, w, K)

cdef inline void jet_radians(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(radians_rule, u, w, K)

cdef inline void jet_neg(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _by_rule(neg_rule, u, w, K)


# ------------------------------------------------------------ binary kernels

cdef inline void jet_add(const double* u, const double* v, double* w, Py_ssize_t K,
                         double* s) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(K + 1):
        w[k] = u[k] + v[k]


cdef inline void jet_sub(const double* u, const double* v, double* w, Py_ssize_t K,
                         double* s) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(K + 1):
        w[k] = u[k] - v[k]


cdef inline void jet_times(const double* u, const double* v, double* w, Py_ssize_t K,
                           double* s) noexcept nogil:
    jet_mul(u, v, w, K)


cdef inline void jet_divide(const double* u, const double* v, double* w, Py_ssize_t K,
                            double* s) noexcept nogil:
    cdef double ga, gb
    jet_div(u, v, w, K)
    w[0] = div_rule(u[0], v[0], &ga, &gb)


cdef inline bint _constant(const double* u, Py_ssize_t K) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(1, K + 1):
        if u[k] != 0.0:
            return False
    return True


cdef inline void _integer_power(const double* u, unsigned long long n, double* w, Py_ssize_t K,
                                double* s) noexcept nogil:
    """w = u**n for an integer n >= 1 by repeated squaring (exact zeros at u_0 = 0)."""
    cdef double* base = s
    cdef Py_ssize_t k
    cdef bint started = False
    for k in range(K + 1):
        base[k] = u[k]
    while True:
        if n & 1:
            if started:
                jet_mul(w, base, w, K)
            else:
                for k in range(K + 1):
                    w[k] = base[k]
                started = True
        n >>= 1
        if n == 0:
            return
        jet_mul(base, base, base, K)


cdef inline void jet_power(const double* u, double r, double* w, Py_ssize_t K,
                           double* s) noexcept nogil:
    """w = u**r for a constant r; x**0 = 1 with zero derivatives also at 0.

    Integer powers are products (repeated squaring, then one division for
    r < 0): the recurrence of _real_power divides by u_0 and, for a small
    u_0, amplifies rounding errors by 1/u_0 per order (measured: cos(t)**3
    near cos(t) = 0.07 lost a digit per order)."""
    cdef double ga = 0.0, gb
    cdef double w0 = pow(u[0], r)              # the rule's value, without its partials
    cdef double* p = s + (K + 1)
    cdef Py_ssize_t k
    if u[0] == 0.0:
        pow_rule(u[0], r, &ga, &gb)            # the first derivative at a singular point
    if r == 0.0:
        for k in range(K + 1):
            w[k] = 0.0
        w[0] = w0
    elif r == floor(r) and not beyond_exact_integers(r):     # an integer up to 2**53
        if r > 0.0:
            _integer_power(u, <unsigned long long> r, w, K, s + 2 * (K + 1))
        elif u[0] == 0.0:
            _singular(w0, _strong(ga, u[1]) if K >= 1 else 0.0, w, K)     # 0**negative
            return
        else:
            _integer_power(u, <unsigned long long> -r, p, K, s + 2 * (K + 1))
            for k in range(K + 1):
                s[k] = 0.0
            s[0] = 1.0
            jet_div(s, p, w, K)
        w[0] = w0
    elif u[0] != 0.0 or not isfinite(r):
        _real_power(u, r, w0, w, K)
    elif r > 0.0:
        # a fractional power at 0: coefficients below r vanish, the rule gives
        # the first derivative (inf for r < 1), the ones above r are not finite
        w[0] = w0
        for k in range(1, K + 1):
            w[k] = 0.0 if k < r else (_strong(ga, u[1]) if k == 1 else NAN)
    else:
        _singular(w0, _strong(ga, u[1]) if K >= 1 else 0.0, w, K)   # 0**negative


cdef inline void jet_pow(const double* u, const double* v, double* w, Py_ssize_t K,
                         double* s) noexcept nogil:
    """u**v: a constant exponent uses jet_power; u_0 > 0 gives exp(v log u)."""
    cdef double ga, gb, w0
    cdef Py_ssize_t k
    if _constant(v, K):
        jet_power(u, v[0], w, K, s)
        return
    w0 = pow_rule(u[0], v[0], &ga, &gb)
    if u[0] > 0.0:
        jet_log(u, s, K, s + (K + 1))
        jet_mul(s, v, s, K)
        _exp_series(s, w, K, w0)
    elif u[0] == 0.0 and v[0] > 0.0 and _constant(u, K):
        for k in range(K + 1):
            w[k] = 0.0                         # 0**v = 0 for every v near v_0 > 0
        w[0] = w0
    else:
        _singular(w0, (_strong(ga, u[1]) + _strong(gb, v[1])) if K >= 1 else 0.0, w, K)


cdef inline void jet_atan2(const double* u, const double* v, double* w, Py_ssize_t K,
                           double* s) noexcept nogil:
    """atan2(y = u, x = v): w' = (x y' - y x') / (x**2 + y**2), on inputs scaled by
    max(|x_0|, |y_0|) so the squares neither overflow nor underflow."""
    cdef double gy, gx
    cdef double w0 = atan2_rule(u[0], v[0], &gy, &gx)
    cdef double m = max(fabs(u[0]), fabs(v[0]))
    cdef Py_ssize_t k, n = K + 1
    cdef double* ys = s
    cdef double* xs = s + n
    cdef double* q = s + 2 * n
    cdef double* dy = s + 3 * n
    cdef double* dx = s + 4 * n
    cdef double* num = s + 5 * n
    cdef double* t = s + 6 * n
    if K == 0 or m == 0.0 or not isfinite(m):
        _singular(w0, (_strong(gy, u[1]) + _strong(gx, v[1])) if K >= 1 else 0.0, w, K)
        return
    for k in range(n):
        ys[k] = u[k] / m
        xs[k] = v[k] / m
    _square(xs, q, K - 1)
    _square(ys, t, K - 1)
    for k in range(K):
        q[k] = q[k] + t[k]
        dy[k] = (k + 1) * ys[k + 1]
        dx[k] = (k + 1) * xs[k + 1]
    jet_mul(xs, dy, num, K - 1)
    jet_mul(ys, dx, t, K - 1)
    for k in range(K):
        num[k] = num[k] - t[k]
    jet_div(num, q, num, K - 1)
    w[0] = w0
    for k in range(1, K + 1):
        w[k] = num[k - 1] / k


cdef inline void jet_hypot(const double* u, const double* v, double* w, Py_ssize_t K,
                           double* s) noexcept nogil:
    """hypot(a, b) = m sqrt((a/m)**2 + (b/m)**2) with m = max(|a_0|, |b_0|)."""
    cdef double ga, gb
    cdef double w0 = hypot_rule(u[0], v[0], &ga, &gb)
    cdef double m = max(fabs(u[0]), fabs(v[0]))
    cdef Py_ssize_t k, n = K + 1
    cdef double* a = s
    cdef double* b = s + n
    cdef double* t = s + 2 * n
    if m == 0.0 or not isfinite(m):
        _singular(w0, (_strong(ga, u[1]) + _strong(gb, v[1])) if K >= 1 else 0.0, w, K)
        return
    for k in range(n):
        a[k] = u[k] / m
        b[k] = v[k] / m
    _square(a, a, K)
    _square(b, b, K)
    for k in range(n):
        t[k] = a[k] + b[k]
    _sqrt_series(t, w, K, sqrt(t[0]))
    for k in range(1, n):
        w[k] = w[k] * m
    w[0] = w0


cdef inline void jet_logaddexp(const double* u, const double* v, double* w, Py_ssize_t K,
                               double* s) noexcept nogil:
    """log(exp(u - m) + exp(v - m)) + m with m = max(u_0, v_0)."""
    cdef double ga, gb
    cdef double w0 = logaddexp_rule(u[0], v[0], &ga, &gb)
    cdef double m = max(u[0], v[0])
    cdef Py_ssize_t k, n = K + 1
    cdef double* a = s
    cdef double* ea = s + n
    cdef double* eb = s + 2 * n
    if not isfinite(m) or not isfinite(w0):
        _by_binary_rule(logaddexp_rule, u, v, w, K)
        return
    for k in range(n):
        a[k] = u[k]
    a[0] = u[0] - m
    _exp_series(a, ea, K, exp(a[0]))
    for k in range(n):
        a[k] = v[k]
    a[0] = v[0] - m
    _exp_series(a, eb, K, exp(a[0]))
    for k in range(n):
        ea[k] = ea[k] + eb[k]
    _log_of(ea, w, K, w0)


cdef inline void jet_logaddexp2(const double* u, const double* v, double* w, Py_ssize_t K,
                                double* s) noexcept nogil:
    """logaddexp(u ln 2, v ln 2) / ln 2, with the rule's value."""
    cdef double ga, gb
    cdef Py_ssize_t k, n = K + 1
    cdef double* a = s + 3 * n               # jet_logaddexp uses the first three arrays
    cdef double* b = s + 4 * n
    for k in range(n):
        a[k] = u[k] * M_LN2
        b[k] = v[k] * M_LN2
    jet_logaddexp(a, b, w, K, s)
    for k in range(1, n):
        w[k] = w[k] / M_LN2
    w[0] = logaddexp2_rule(u[0], v[0], &ga, &gb)


cdef inline void jet_floordiv(const double* u, const double* v, double* w, Py_ssize_t K,
                              double* s) noexcept nogil:
    _by_binary_rule(floordiv_rule, u, v, w, K)

cdef inline void jet_mod(const double* u, const double* v, double* w, Py_ssize_t K,
                         double* s) noexcept nogil:
    _by_binary_rule(mod_rule, u, v, w, K)

cdef inline void jet_copysign(const double* u, const double* v, double* w, Py_ssize_t K,
                              double* s) noexcept nogil:
    _by_binary_rule(copysign_rule, u, v, w, K)

cdef inline void jet_fmod(const double* u, const double* v, double* w, Py_ssize_t K,
                          double* s) noexcept nogil:
    _by_binary_rule(fmod_rule, u, v, w, K)

cdef inline void jet_maximum(const double* u, const double* v, double* w, Py_ssize_t K,
                             double* s) noexcept nogil:
    _by_binary_rule(maximum_rule, u, v, w, K)

cdef inline void jet_minimum(const double* u, const double* v, double* w, Py_ssize_t K,
                             double* s) noexcept nogil:
    _by_binary_rule(minimum_rule, u, v, w, K)

cdef inline void jet_fmax(const double* u, const double* v, double* w, Py_ssize_t K,
                          double* s) noexcept nogil:
    _by_binary_rule(fmax_rule, u, v, w, K)

cdef inline void jet_fmin(const double* u, const double* v, double* w, Py_ssize_t K,
                          double* s) noexcept nogil:
    _by_binary_rule(fmin_rule, u, v, w, K)

cdef inline void jet_heaviside(const double* u, const double* v, double* w, Py_ssize_t K,
                               double* s) noexcept nogil:
    _by_binary_rule(heaviside_rule, u, v, w, K)


# ------------------------------------------------------------ local derivatives

cdef inline void jet_local_unary(jet_unary kernel, double x, double* f) noexcept nogil:
    """f[0..2] = f(x), f'(x), f''(x) from the order-2 jet of x + t."""
    cdef double u[3]
    cdef double w[3]
    cdef double s[3 * JET_SCRATCH]
    u[0], u[1], u[2] = x, 1.0, 0.0
    kernel(u, w, 2, s)
    f[0], f[1], f[2] = w[0], w[1], 2.0 * w[2]


cdef inline void jet_local_binary(jet_binary kernel, double a, double b, bint da, bint db,
                                  double* p) noexcept nogil:
    """p = f, f_a, f_b, f_aa, f_ab, f_bb at (a, b) from order-2 jets along (1, 0),
    (0, 1) and (1, 1); only the partials of the varying operands (da, db), the
    others are 0."""
    cdef double u[3]
    cdef double v[3]
    cdef double w[3]
    cdef double s[3 * JET_SCRATCH]
    cdef Py_ssize_t k
    for k in range(6):
        p[k] = 0.0
    u[0], u[1], u[2] = a, 0.0, 0.0
    v[0], v[1], v[2] = b, 0.0, 0.0
    if not (da or db):
        kernel(u, v, w, 2, s)
        p[0] = w[0]
    if da:
        u[1] = 1.0
        kernel(u, v, w, 2, s)
        p[0], p[1], p[3] = w[0], w[1], 2.0 * w[2]
    if db:
        u[1], v[1] = 0.0, 1.0
        kernel(u, v, w, 2, s)
        p[0], p[2], p[5] = w[0], w[1], 2.0 * w[2]
    if da and db:
        u[1] = 1.0
        kernel(u, v, w, 2, s)
        p[4] = w[2] - 0.5 * (p[3] + p[5])


# how local_partials computes a binary function's partials: 0 is its Taylor kernel
cdef enum:
    ARITH_ADD = 1
    ARITH_SUB = 2
    ARITH_MUL = 3
    ARITH_DIV = 4
    ARITH_POW = 5                   # the kernel, with x ** 2 written out


cdef inline void local_partials(jet_binary kernel, int op, double a, double b, bint da, bint db,
                                double* p) noexcept nogil:
    """p = f, f_a, f_b, f_aa, f_ab, f_bb at (a, b): arithmetic written out (exact,
    no kernel call; a / 0 follows C), anything else from the kernel."""
    if op == 0 or (op == ARITH_POW and (db or b != 2.0)):
        jet_local_binary(kernel, a, b, da, db, p)
        return
    p[3] = p[4] = p[5] = 0.0
    if op == ARITH_ADD:
        p[0], p[1], p[2] = a + b, 1.0, 1.0
    elif op == ARITH_SUB:
        p[0], p[1], p[2] = a - b, 1.0, -1.0
    elif op == ARITH_MUL:
        p[0], p[1], p[2], p[4] = a * b, b, a, 1.0
    elif op == ARITH_DIV:
        p[0] = a / b
        p[1], p[2] = 1.0 / b, -p[0] / b
        p[4], p[5] = -1.0 / (b * b), 2.0 * p[0] / (b * b)
    else:                                      # a ** 2 for a constant 2
        p[0], p[1], p[2], p[3] = a * a, 2.0 * a, 0.0, 2.0
