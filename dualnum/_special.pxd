# cython: cdivision=True
# Special functions the Taylor kernels need and libm lacks.

from libc.math cimport cos, fabs, floor, isinf, isnan, pow, round, sin, INFINITY, NAN, M_PI


cdef inline void sincospi(double x, double* s, double* c) noexcept nogil:
    """sin(pi x) and cos(pi x) with x reduced exactly (pi x is never rounded):
    exact zeros at the integers and half-integers, full relative accuracy near them."""
    cdef double r = x - 2.0 * round(0.5 * x)     # in [-1, 1], exact
    cdef double q = round(2.0 * r)               # quarter turns, -2 .. 2
    cdef double t = M_PI * (r - 0.5 * q)         # in [-pi/4, pi/4]
    cdef double st = sin(t), ct = cos(t)
    cdef int k = (<int> q) & 3
    if k == 0:
        s[0], c[0] = st, ct
    elif k == 1:
        s[0], c[0] = ct, -st
    elif k == 2:
        s[0], c[0] = -st, -ct
    else:
        s[0], c[0] = -ct, st

cdef inline double bernoulli_over_factorial(int j) noexcept nogil:
    """B_2j / (2j)! for j = 1..12 (Bernoulli numbers over factorials)."""
    cdef double[12] table = [
        1.0 / 12.0, -1.0 / 720.0, 1.0 / 30240.0, -1.0 / 1209600.0, 1.0 / 47900160.0,
        -691.0 / 1307674368000.0, 1.0 / 74724249600.0, -3617.0 / 510.0 / 20922789888000.0,
        43867.0 / 798.0 / 6402373705728000.0, -174611.0 / 330.0 / 2432902008176640000.0,
        854513.0 / 138.0 / 1124000727777607680000.0,
        -236364091.0 / 2730.0 / 620448401733239439360000.0]
    return table[j - 1]


# above this s, zeta(s, x)'s terms (x + n)**-s for x >= 1 fall at least by half each
# while x + n < s + 21, so the sum may stop at a negligible term (hurwitz_zeta)
cdef enum:
    DIRECT_SUM_FROM = 40


cdef inline double hurwitz_zeta(double s, double x) noexcept nogil:
    """zeta(s, x) = sum over n >= 0 of (x + n)**-s, for real s > 1 (an integer
    s >= 2 for x < 0) and real x that is not a pole (0, -1, -2, ...: nan there,
    and nan below -1e6).

    Euler-Maclaurin: the sum is taken term by term until x + N >= s + 20, the
    tail is the integral, half the first tail term and 12 Bernoulli
    corrections; each correction shrinks by about ((s + 2j) / (2 pi (x + N)))**2,
    so the truncation error stays below 1e-17 relative for every s.
    For a large s (above DIRECT_SUM_FROM) and x >= 1 the terms fall at least
    geometrically (each at most half the one before), and the sum stops where
    a term is below 1e-17 of the total: the rest is below rounding, and a huge
    s (1e300) takes a few terms instead of s shifts.  zeta(inf, x) is its
    limit: 0 for x > 1, 1 at x = 1, inf for 0 < x < 1.
    (psi^(m)(x) = (-1)**(m+1) m! zeta(m+1, x) gives the polygamma functions.)"""
    cdef double total = 0.0, a_pow, factor, term
    cdef int j
    if isnan(x) or isnan(s) or (x <= 0.0 and x == floor(x)):
        return NAN
    if isinf(x) or x < -1e6:           # far left: not computed (the shift would take too long)
        return 0.0 if x > 0.0 else NAN
    if isinf(s):
        if s < 0.0 or x < 0.0:
            return NAN
        return 0.0 if x > 1.0 else (1.0 if x == 1.0 else INFINITY)
    while x < s + 20.0:
        term = pow(x, -s)              # x < 0: real for an integer s only (nan otherwise)
        total += term
        x += 1.0
        if s > DIRECT_SUM_FROM and x >= 2.0 and term <= 1e-17 * fabs(total):
            return total
    a_pow = pow(x, -s)
    total += x * a_pow / (s - 1) + 0.5 * a_pow
    factor = s * a_pow / x             # s (s+1) ... (s+2j-2) x**(-s-2j+1) for j = 1
    for j in range(1, 13):
        total += bernoulli_over_factorial(j) * factor
        factor *= (s + 2 * j - 1) * (s + 2 * j) / (x * x)
    return total
