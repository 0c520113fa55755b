# cython: cdivision=True
# (These are C kernels: IEEE division, where x/0 is inf or nan, is what the
# rules rely on at singular points; Python's ZeroDivisionError would be wrong
# here, and the Python-facing errors are raised by the callers in _core.pyx.)
#
# The rule table: every elementary function as a C kernel returning its value
# and writing its local derivative(s).  The scalar Dual type applies these
# kernels and the array kernels loop over them, so each rule is written once.
#
# Unary rules:  double f(double x, double* df)           -> f(x), df = f'(x)
# Binary rules: double f(double a, double b, double* da, double* db)
#
# Conventions at non-differentiable or singular points are fixed here and
# documented in the README: abs'(0) = 1, relu'(0) = 0, sqrt'(0) = cbrt'(0) = +inf,
# d/dx x**0 = 0 (also at x = 0), atan2 and hypot at the origin: nan partials,
# maximum/minimum (and fmax/fmin) at a tie: each partial 1/2; heaviside:
# d/dx = 0 everywhere, d/dh0 = 1 where x = 0.

from libc.math cimport (
    sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, asinh, acosh,
    atanh, exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt, fabs, erf,
    erfc, tgamma, lgamma, floor, ceil, trunc, copysign, fmod, hypot, pow,
    signbit, isnan, isinf, isfinite, NAN, INFINITY, M_PI, M_LN2, M_LN10, M_LOG2E,
)

# sin and cos of one argument in one call where the C library has it: about
# 1.3 times the cost of sin alone, where the two calls cost 2 times
cdef extern from *:
    """
    #if defined(__linux__) || defined(__FreeBSD__)
    extern void sincos(double, double *, double *);
    #define dualnum_sincos(x, s, c) sincos((x), (s), (c))
    #elif defined(__APPLE__)
    #define dualnum_sincos(x, s, c) __sincos((x), (s), (c))
    #else
    #define dualnum_sincos(x, s, c) (*(s) = sin(x), *(c) = cos(x))
    #endif
    """
    void dualnum_sincos(double x, double* s, double* c) noexcept nogil

from dualnum._special cimport sincospi

ctypedef double (*unary_rule)(double x, double* df) noexcept nogil
ctypedef double (*binary_rule)(double a, double b, double* da, double* db) noexcept nogil


cdef inline double _strong(double g, double t) noexcept nogil:
    """g * t, except that a zero tangent stays exactly zero even where the local
    derivative g is inf or nan (the strong-zero convention of the README)."""
    return 0.0 if t == 0.0 else g * t


# ---------------------------------------------------------------- helpers

cdef inline double digamma(double x) noexcept nogil:
    """psi(x) = d/dx log|Gamma(x)|: recurrence up to x >= 10, then the
    asymptotic series; reflection for negative x; nan at the poles."""
    cdef double result = 0.0, inv, inv2, s, c
    if isnan(x) or (x <= 0.0 and x == floor(x)):
        return NAN
    if isinf(x):
        return INFINITY if x > 0 else NAN
    if x < 0.0:
        # psi(x) = psi(1 - x) - pi cot(pi x), with cot(pi x) from an exact reduction
        sincospi(x, &s, &c)
        return digamma(1.0 - x) - M_PI * c / s
    while x < 10.0:
        result -= 1.0 / x
        x += 1.0
    inv = 1.0 / x
    inv2 = inv * inv
    return result + log(x) - 0.5 * inv - inv2 * (
        1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (
            1.0 / 240 - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))))


cdef inline double sigmoid_value(double x) noexcept nogil:
    # two branches so exp never overflows
    cdef double e
    if x >= 0.0:
        return 1.0 / (1.0 + exp(-x))
    e = exp(x)
    return e / (1.0 + e)


cdef inline double py_floordiv(double a, double b, double* mod) noexcept nogil:
    """Python's float floor division and modulo (sign of the divisor), b != 0."""
    cdef double m = fmod(a, b)
    cdef double div = (a - m) / b
    cdef double fdiv
    if m != 0.0:
        if (b < 0.0) != (m < 0.0):
            m += b
            div -= 1.0
    else:
        m = copysign(0.0, b)
    if div != 0.0:
        fdiv = floor(div)
        if div - fdiv > 0.5:
            fdiv += 1.0
    else:
        fdiv = copysign(0.0, a / b)
    mod[0] = m
    return fdiv


# ------------------------------------------------------------ unary rules

cdef inline double sin_rule(double x, double* df) noexcept nogil:
    cdef double s, c
    dualnum_sincos(x, &s, &c)
    df[0] = c
    return s

cdef inline double cos_rule(double x, double* df) noexcept nogil:
    cdef double s, c
    dualnum_sincos(x, &s, &c)
    df[0] = -s
    return c

cdef inline double tan_rule(double x, double* df) noexcept nogil:
    cdef double t = tan(x)
    df[0] = 1.0 + t * t
    return t

cdef inline double asin_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / sqrt((1.0 - x) * (1.0 + x))
    return asin(x)

cdef inline double acos_rule(double x, double* df) noexcept nogil:
    df[0] = -1.0 / sqrt((1.0 - x) * (1.0 + x))
    return acos(x)

cdef inline double atan_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / (1.0 + x * x)
    return atan(x)

cdef inline double sinh_rule(double x, double* df) noexcept nogil:
    df[0] = cosh(x)
    return sinh(x)

cdef inline double cosh_rule(double x, double* df) noexcept nogil:
    df[0] = sinh(x)
    return cosh(x)

cdef inline double tanh_rule(double x, double* df) noexcept nogil:
    # sech(x)**2, not 1 - tanh(x)**2, which cancels to 0 for large |x|
    cdef double c = cosh(x)
    df[0] = 1.0 / (c * c)
    return tanh(x)

cdef inline double asinh_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / hypot(x, 1.0)      # hypot: no overflow of x*x
    return asinh(x)

cdef inline double acosh_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / (sqrt(x - 1.0) * sqrt(x + 1.0))
    return acosh(x)

cdef inline double atanh_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / ((1.0 - x) * (1.0 + x))
    return atanh(x)

cdef inline double exp_rule(double x, double* df) noexcept nogil:
    cdef double e = exp(x)
    df[0] = e
    return e

cdef inline double exp2_rule(double x, double* df) noexcept nogil:
    cdef double e = exp2(x)
    df[0] = M_LN2 * e
    return e

cdef inline double expm1_rule(double x, double* df) noexcept nogil:
    df[0] = exp(x)
    return expm1(x)

cdef inline double log_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / x
    return log(x)

cdef inline double log2_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / (x * M_LN2)
    return log2(x)

cdef inline double log10_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / (x * M_LN10)
    return log10(x)

cdef inline double log1p_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / (1.0 + x)
    return log1p(x)

cdef inline double sqrt_rule(double x, double* df) noexcept nogil:
    cdef double s = sqrt(x)
    # sqrt(-0.0) is -0.0; the convention is sqrt'(0) = +inf for both zeros,
    # which fabs gives without a branch (so that array loops vectorise)
    df[0] = 0.5 / fabs(s)
    return s

cdef inline double cbrt_rule(double x, double* df) noexcept nogil:
    cdef double c = cbrt(x)
    df[0] = 1.0 / (3.0 * c * c)
    return c

cdef inline double fabs_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 if x >= 0.0 else -1.0     # abs'(0) = 1, also at -0.0
    return fabs(x)

cdef inline double erf_rule(double x, double* df) noexcept nogil:
    df[0] = 1.1283791670955126 * exp(-x * x)
    return erf(x)

cdef inline double erfc_rule(double x, double* df) noexcept nogil:
    df[0] = -1.1283791670955126 * exp(-x * x)
    return erfc(x)

cdef inline double gamma_rule(double x, double* df) noexcept nogil:
    cdef double g = tgamma(x)
    df[0] = g * digamma(x)
    return g

cdef inline double lgamma_rule(double x, double* df) noexcept nogil:
    df[0] = digamma(x)
    return lgamma(x)

cdef inline double floor_rule(double x, double* df) noexcept nogil:
    df[0] = 0.0
    return floor(x)

cdef inline double ceil_rule(double x, double* df) noexcept nogil:
    df[0] = 0.0
    return ceil(x)

cdef inline double trunc_rule(double x, double* df) noexcept nogil:
    df[0] = 0.0
    return trunc(x)

cdef inline double degrees_rule(double x, double* df) noexcept nogil:
    df[0] = 180.0 / M_PI
    return x * (180.0 / M_PI)

cdef inline double radians_rule(double x, double* df) noexcept nogil:
    df[0] = M_PI / 180.0
    return x * (M_PI / 180.0)

cdef inline double sigmoid_rule(double x, double* df) noexcept nogil:
    # s(x) s(-x), not s (1 - s), which cancels to 0 for large x
    cdef double s = sigmoid_value(x)
    df[0] = s * sigmoid_value(-x)
    return s

cdef inline double softplus_rule(double x, double* df) noexcept nogil:
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact for large |x|
    df[0] = sigmoid_value(x)
    return (x if x > 0.0 else 0.0) + log1p(exp(-fabs(x)))

cdef inline double relu_rule(double x, double* df) noexcept nogil:
    if x > 0.0:
        df[0] = 1.0
        return x
    df[0] = 0.0                               # relu'(0) = 0
    return 0.0 if x <= 0.0 else x             # nan stays nan

cdef inline double neg_rule(double x, double* df) noexcept nogil:
    df[0] = -1.0
    return -x


# ----------------------------------------------------------- binary rules

cdef inline double add_rule(double a, double b, double* da, double* db) noexcept nogil:
    da[0] = 1.0
    db[0] = 1.0
    return a + b

cdef inline double sub_rule(double a, double b, double* da, double* db) noexcept nogil:
    da[0] = 1.0
    db[0] = -1.0
    return a - b

cdef inline double mul_rule(double a, double b, double* da, double* db) noexcept nogil:
    da[0] = b
    db[0] = a
    return a * b

cdef inline double div_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double q = a / b
    da[0] = 1.0 / b
    # -q * (1/b) saves a division; for a subnormal b, 1/b overflows: divide then
    db[0] = -q * da[0] if isfinite(da[0]) else -q / b
    return q

cdef inline double floordiv_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double m
    da[0] = 0.0
    db[0] = 0.0
    return py_floordiv(a, b, &m)

cdef inline double mod_rule(double a, double b, double* da, double* db) noexcept nogil:
    # a % b = a - b * (a // b), and a // b is locally constant
    cdef double m
    da[0] = 1.0
    db[0] = -py_floordiv(a, b, &m)
    return m

cdef inline bint beyond_exact_integers(double b) noexcept nogil:
    """|b| > 2**53: every such float is an even integer, and b - 1 (odd) rounds
    to an even float, so pow(a, b - 1) has the wrong sign at a negative a."""
    return fabs(b) > 9007199254740992.0

cdef inline double pow_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double p = pow(a, b)
    # d/da a**b = b a**(b-1); the b == 0 case is 0 everywhere, also at a == 0;
    # beyond 2**53, a**(b-1) is an odd power: a's sign
    if beyond_exact_integers(b) and isfinite(b):
        da[0] = b * copysign(pow(a, b - 1.0), a)
    else:
        da[0] = 0.0 if b == 0.0 else b * pow(a, b - 1.0)
    # d/db a**b = a**b log(a); for a == 0 and b > 0 the limit is 0;
    # a negative base has no real logarithm
    if a > 0.0:
        db[0] = p * log(a)
    elif a == 0.0 and b > 0.0:
        db[0] = 0.0
    else:
        db[0] = NAN
    return p

cdef inline double array_pow_rule(double a, double b, double* da, double* db) noexcept nogil:
    """pow_rule with numpy's values for arrays: numpy's float power takes a * a,
    sqrt(a) and 1 / a for the exponents 2, 0.5 and -1 (correctly rounded, where
    libm's pow is off by a bit at ~0.1% of points), so that a dual array's
    x ** 2 is numpy's x ** 2 to the last bit.  (numpy does so for a scalar
    exponent; an array of such exponents meets pow there and a * a here.)"""
    cdef double p = pow_rule(a, b, da, db)
    if b == 2.0:
        return a * a
    if b == 0.5:
        return sqrt(a)
    if b == -1.0:
        return 1.0 / a
    return p

cdef inline double atan2_rule(double y, double x, double* dy, double* dx) noexcept nogil:
    # (x, -y) / r**2 with r = hypot(x, y) divided out twice: x*x + y*y would
    # overflow or underflow for |x|, |y| near 1e+-200; r = 0 gives nan partials
    cdef double r = hypot(x, y)
    dy[0] = (x / r) / r
    dx[0] = (-y / r) / r
    return atan2(y, x)

cdef inline double hypot_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double h = hypot(a, b)             # 0 at the origin: nan partials
    da[0] = a / h
    db[0] = b / h
    return h

cdef inline double copysign_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double sa = 1.0 if a >= 0.0 else -1.0
    da[0] = -sa if signbit(b) else sa
    db[0] = 0.0
    return copysign(a, b)

cdef inline double fmod_rule(double a, double b, double* da, double* db) noexcept nogil:
    da[0] = 1.0
    db[0] = -trunc(a / b)
    return fmod(a, b)

cdef inline double logaddexp_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double hi = a if a > b else b
    cdef double r
    if isinf(hi) and a == b:                # both -inf or both +inf
        da[0] = 0.5
        db[0] = 0.5
        return hi
    r = hi + log1p(exp(-fabs(a - b)))
    da[0] = sigmoid_value(a - b)
    db[0] = sigmoid_value(b - a)
    return r

cdef inline double maximum_rule(double a, double b, double* da, double* db) noexcept nogil:
    if a > b:
        da[0] = 1.0
        db[0] = 0.0
        return a
    if b > a:
        da[0] = 0.0
        db[0] = 1.0
        return b
    if a == b:                              # tie: the mean of both tangents
        da[0] = 0.5
        db[0] = 0.5
        return a
    da[0] = NAN                             # a nan operand propagates
    db[0] = NAN
    return NAN

cdef inline double minimum_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double r = maximum_rule(-a, -b, da, db)
    return -r

cdef inline bint _one_nan(double a, double b, double* da, double* db) noexcept nogil:
    """fmax/fmin where exactly one operand is nan: the other is the result (slope 1)."""
    if isnan(a) == isnan(b):
        return False
    da[0] = 0.0 if isnan(a) else 1.0
    db[0] = 1.0 - da[0]
    return True

cdef inline double fmax_rule(double a, double b, double* da, double* db) noexcept nogil:
    # as maximum, but a nan operand is ignored (both nan: nan)
    if _one_nan(a, b, da, db):
        return b if isnan(a) else a
    return maximum_rule(a, b, da, db)

cdef inline double fmin_rule(double a, double b, double* da, double* db) noexcept nogil:
    if _one_nan(a, b, da, db):
        return b if isnan(a) else a
    return minimum_rule(a, b, da, db)

cdef inline double logaddexp2_rule(double a, double b, double* da, double* db) noexcept nogil:
    # numpy's formula (so values agree with np.logaddexp2): a tie is a + 1
    cdef double d = a - b
    if a == b:                              # also both +inf or both -inf
        da[0] = 0.5
        db[0] = 0.5
        return a + 1.0
    da[0] = sigmoid_value(d * M_LN2)
    db[0] = sigmoid_value(-d * M_LN2)
    if d > 0.0:
        return a + M_LOG2E * log1p(exp2(-d))
    if d <= 0.0:
        return b + M_LOG2E * log1p(exp2(d))
    return d                                # a nan operand

cdef inline double heaviside_rule(double x, double h0, double* da, double* db) noexcept nogil:
    # numpy's step: 0 below 0, h0 at 0, 1 above, nan at nan; flat in x, and
    # the value is h0 exactly where x == 0
    da[0] = 0.0
    db[0] = 1.0 if x == 0.0 else 0.0
    if isnan(x):
        return x
    if x == 0.0:
        return h0
    return 0.0 if x < 0.0 else 1.0
