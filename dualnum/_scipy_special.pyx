# cython: freethreading_compatible = False
# cython: cdivision=True
"""scipy.special's functions as rows of the function table: their kernels.

Values come from scipy's own double-precision kernels where scipy's are the
accurate ones (erfinv, erfcinv, ndtri, ndtr, log_ndtr, logit, psi, betaln,
the Bessel functions).  They are bound at run time, from the capsules of
``scipy.special.cython_special.__pyx_capi__``, at the first dispatch of a
scipy.special ufunc: scipy stays optional and is no build dependency, and
nothing ties the build to one scipy's ABI (each capsule's signature string is
checked before its pointer is used; a missing or changed one raises an error
naming the function and the scipy version).  Until then the kernels return
nan, and nothing reaches them: the rows have no module function and are found
only through scipy's own ufuncs, by identity (dualnum/_scipy_dispatch.py), so
that a ufunc that merely shares a name (``np.frompyfunc``, numba) is not taken
for them.

Derivatives: each Taylor kernel writes the function's Taylor coefficients at
u_0 (from its closed-form derivatives, or from the ODE it satisfies) and
composes them with the input series (``_compose``), so Jet, Dual2, hessian's
array and nesting get every order from one C function of derivatives.

Conventions at edges (scipy's values throughout):

- xlogy(0, y) and xlog1py(0, y) are 0 for every y; with x held at 0 every
  derivative is 0, and a tangent in x gets the partial log(y) (-inf at y = 0);
- entr(0) = 0 with the limits from the right (entr' = +inf); entr(x < 0) is
  -inf with nan derivatives; rel_entr(0, y >= 0) = 0 with partial -inf in x
  (a one-sided limit) and 0 in y, nan above first order; inf outside the domain;
- psi at its poles (0, -1, ...): scipy's value, nan derivatives;
- log_ndtr' = phi / ndtr, from erfcx left of 0 (no cancellation of x**2/2:
  accurate far into the left tail), else exp(log phi - log_ndtr);
- jv, iv, kv are differentiated in x only: an order that carries a tangent
  raises a TypeError at dispatch (its partial is 0 here, never used);
- zeta(x, q) in x and q (scipy's domain x >= 1; in x for q > 0, nan
  derivatives in x where q < 0); the Riemann zeta(x): scipy's value
  everywhere, derivatives for x >= 0 (nan below, and at the pole 1).
"""
from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_IsValid
from libc.math cimport exp, fabs, isinf, log, log1p, isnan, pow, NAN, INFINITY

from dualnum._jets cimport (
    _degree, _digamma_taylor, _exp_series, jet_div, jet_lgamma, jet_log, jet_mul, jet_softplus,
)
from dualnum._rules cimport _strong, digamma, softplus_rule
from dualnum._special cimport DIRECT_SUM_FROM, bernoulli_over_factorial, hurwitz_zeta

ctypedef double (*d_d)(double, int) noexcept nogil
ctypedef double (*d_dd)(double, double, int) noexcept nogil


# ------------------------------------------------------ scipy's kernels

cdef enum:
    PSI, ERFINV, ERFCINV, NDTRI, NDTR, LOG_NDTR, ERFCX, LOGIT, J0, J1, Y0, Y1, I0, I1, K0, K1, ZETAC, N_ONE
cdef enum:
    BETALN, JV, YV, IV, KV, N_TWO
# cython_special's names, in the order of the enums above
_ONE_NAMES = ("psi", "erfinv", "erfcinv", "ndtri", "ndtr", "log_ndtr", "erfcx", "logit",
              "j0", "j1", "y0", "y1", "i0", "i1", "k0", "k1", "zetac")
_TWO_NAMES = ("betaln", "jv", "yv", "iv", "kv")
_ONE_SIGNATURE = b"double (double, int __pyx_skip_dispatch)"
_TWO_SIGNATURE = b"double (double, double, int __pyx_skip_dispatch)"


cdef double _unbound_one(double x, int skip) noexcept nogil:
    return NAN


cdef double _unbound_two(double a, double b, int skip) noexcept nogil:
    return NAN


cdef d_d _one[N_ONE]
cdef d_dd _two[N_TWO]
for _i in range(N_ONE):
    _one[_i] = _unbound_one
for _i in range(N_TWO):
    _two[_i] = _unbound_two


cdef void* _capsule(dict capi, str name, bytes signature, str version) except NULL:
    """The pointer of cython_special's double-precision ``name`` (fused versions
    are ``__pyx_fuse_<i>name``), checked against its signature string."""
    for spelling in [name] + [f"__pyx_fuse_{i}{name}" for i in range(4)]:
        capsule = capi.get(spelling)
        if capsule is not None and PyCapsule_IsValid(capsule, signature):
            return PyCapsule_GetPointer(capsule, signature)
    raise RuntimeError(
        f"dualnum cannot differentiate scipy.special.{name} with scipy {version}: "
        f"scipy.special.cython_special has no {name} of signature {signature.decode()!r} "
        "(please report this, with your scipy version)")


def bind_kernels(dict capi=None, str version=None):
    """Point the kernels at scipy's (dualnum/_scipy_dispatch.py calls it once):
    those of ``capi`` (default: cython_special's capsules), a RuntimeError
    naming the first one missing or changed (before any is rebound)."""
    import scipy
    from scipy.special import cython_special
    capi = cython_special.__pyx_capi__ if capi is None else capi
    version = scipy.__version__ if version is None else version
    one = [<size_t> _capsule(capi, name, _ONE_SIGNATURE, version) for name in _ONE_NAMES]
    two = [<size_t> _capsule(capi, name, _TWO_SIGNATURE, version) for name in _TWO_NAMES]
    for i in range(N_ONE):
        _one[i] = <d_d> <size_t> one[i]
    for i in range(N_TWO):
        _two[i] = <d_dd> <size_t> two[i]


# ------------------------------------------------------ series helpers

cdef void _compose(const double* c, const double* u, double* w, Py_ssize_t K,
                   double* p) noexcept nogil:
    """w = sum_j c_j (u - u_0)**j: f's Taylor coefficients c at u_0 composed
    with the input series u (Horner; p: K + 1 doubles).  Zero coefficients of
    u are skipped, so an infinite c_j reaches only the orders u moves in
    (strong zeros: a constant u gives c_0 and zeros)."""
    cdef Py_ssize_t k, i, j, du = _degree(u, K)
    cdef double acc
    if du == 0:
        w[0] = c[0]
        for k in range(1, K + 1):
            w[k] = 0.0
        return
    p[0] = c[K]
    for k in range(1, K + 1):
        p[k] = 0.0
    for j in range(K - 1, -1, -1):
        for k in range(K, 0, -1):           # p = c_j + (u - u_0) p, in place from the top
            acc = 0.0
            for i in range(1, min(k, du) + 1):
                if u[i] != 0.0 and p[k - i] != 0.0:
                    acc = acc + u[i] * p[k - i]
            p[k] = acc
        p[0] = c[j]
    for k in range(K + 1):
        w[k] = p[k]


cdef void _zeros(double* w, Py_ssize_t K) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(K + 1):
        w[k] = 0.0


cdef void _nan_above(double value, double* w, Py_ssize_t K) noexcept nogil:
    cdef Py_ssize_t k
    w[0] = value
    for k in range(1, K + 1):
        w[k] = NAN


cdef void _times(const double* u, const double* L, double* w, Py_ssize_t K) noexcept nogil:
    """w = u L, skipping u's zero coefficients (x held at 0 meets log 0)."""
    cdef Py_ssize_t k, i, du = _degree(u, K)
    cdef double acc
    for k in range(K + 1):
        acc = 0.0
        for i in range(min(k, du) + 1):
            if u[i] != 0.0:
                acc = acc + u[i] * L[k - i]
        w[k] = acc


cdef inline bint _held_at_zero(const double* u, Py_ssize_t K) noexcept nogil:
    return u[0] == 0.0 and _degree(u, K) == 0


# ------------------------------------------------------ psi (digamma)

cdef double digamma_rule(double x, double* df) noexcept nogil:
    df[0] = hurwitz_zeta(2.0, x)                      # psi' = zeta(2, x): positive terms
    return _one[PSI](x, 0)


cdef void jet_digamma(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _digamma_taylor(u[0], s, K, s + 2 * (K + 1))
    s[0] = _one[PSI](u[0], 0)
    _compose(s, u, w, K, s + (K + 1))


# ------------------------------------ erfinv, erfcinv, ndtri: y' = A exp(B y**2)

cdef double _SQRT_PI_2 = 0.88622692545275801365      # sqrt(pi) / 2
cdef double _SQRT_2PI = 2.50662827463100050242
cdef double _LOG_SQRT_2PI = 0.91893853320467274178


cdef void _inverse_taylor(double y0, double A, double B, double* c, Py_ssize_t K,
                          double* s) noexcept nogil:
    """c_k of the y with y' = A exp(B y**2), y = y0 at the point: c_{k+1} =
    e_k / (k + 1) with e = A exp(q), q = B y**2 (s: 2 (K + 1) doubles)."""
    cdef double* q = s
    cdef double* e = s + (K + 1)
    cdef Py_ssize_t k, i
    cdef double acc
    c[0] = y0
    q[0] = B * y0 * y0
    e[0] = A * exp(q[0])
    for k in range(K):
        c[k + 1] = e[k] / (k + 1)
        acc = 0.0
        for i in range(k + 2):
            acc = acc + c[i] * c[k + 1 - i]
        q[k + 1] = B * acc
        acc = 0.0
        for i in range(1, k + 2):
            acc = acc + i * q[i] * e[k + 1 - i]
        e[k + 1] = acc / (k + 1)


cdef inline double _inverse_rule(double y, double A, double B, double* df) noexcept nogil:
    df[0] = A * exp(B * y * y)
    return y


cdef inline void _inverse_jet(double y0, double A, double B, const double* u, double* w,
                              Py_ssize_t K, double* s) noexcept nogil:
    _inverse_taylor(y0, A, B, s, K, s + 2 * (K + 1))
    _compose(s, u, w, K, s + (K + 1))


cdef double erfinv_rule(double x, double* df) noexcept nogil:
    return _inverse_rule(_one[ERFINV](x, 0), _SQRT_PI_2, 1.0, df)


cdef double erfcinv_rule(double x, double* df) noexcept nogil:
    return _inverse_rule(_one[ERFCINV](x, 0), -_SQRT_PI_2, 1.0, df)


cdef double ndtri_rule(double x, double* df) noexcept nogil:
    return _inverse_rule(_one[NDTRI](x, 0), _SQRT_2PI, 0.5, df)


cdef void jet_erfinv(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _inverse_jet(_one[ERFINV](u[0], 0), _SQRT_PI_2, 1.0, u, w, K, s)


cdef void jet_erfcinv(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _inverse_jet(_one[ERFCINV](u[0], 0), -_SQRT_PI_2, 1.0, u, w, K, s)


cdef void jet_ndtri(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _inverse_jet(_one[NDTRI](u[0], 0), _SQRT_2PI, 0.5, u, w, K, s)


# ------------------------------------------------------ ndtr, log_ndtr

cdef double ndtr_rule(double x, double* df) noexcept nogil:
    df[0] = exp(-0.5 * x * x - _LOG_SQRT_2PI)
    return _one[NDTR](x, 0)


cdef void jet_ndtr(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """ndtr' = phi, phi(x0 + t) = phi(x0) exp(-x0 t - t**2 / 2)."""
    cdef double* c = s
    cdef double* r = s + 2 * (K + 1)
    cdef double* e = s + 3 * (K + 1)
    cdef Py_ssize_t k
    for k in range(K + 1):
        r[k] = 0.0
    if K >= 1:
        r[1] = -u[0]
    if K >= 2:
        r[2] = -0.5
    c[0] = ndtr_rule(u[0], &e[0])
    _exp_series(r, e, K, e[0])
    for k in range(K):
        c[k + 1] = e[k] / (k + 1)
    _compose(c, u, w, K, s + (K + 1))


cdef double _SQRT_2_PI = 0.79788456080286535588      # sqrt(2 / pi)
cdef double _SQRT_HALF = 0.70710678118654752440


cdef double log_ndtr_rule(double x, double* df) noexcept nogil:
    cdef double value = _one[LOG_NDTR](x, 0)
    if x < 0.0:
        # phi / ndtr = sqrt(2/pi) / erfcx(-x/sqrt 2): no cancellation of x**2/2 in the tail
        df[0] = _SQRT_2_PI / _one[ERFCX](-x * _SQRT_HALF, 0)
    else:
        df[0] = exp(-0.5 * x * x - _LOG_SQRT_2PI - value)     # phi / ndtr, from logs
    return value


cdef void jet_log_ndtr(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """L' = exp(g), g = log phi - L: c_{k+1} = e_k / (k + 1), e = exp(g), e_0
    from the rule (g_0 itself is not needed: only g's derivatives are)."""
    cdef double* c = s
    cdef double* g = s + 2 * (K + 1)
    cdef double* e = s + 3 * (K + 1)
    cdef double x = u[0]
    cdef Py_ssize_t k, j
    cdef double acc
    c[0] = log_ndtr_rule(x, &e[0])
    g[0] = 0.0
    for k in range(K):
        c[k + 1] = e[k] / (k + 1)
        g[k + 1] = (-x if k == 0 else -0.5 if k == 1 else 0.0) - c[k + 1]
        acc = 0.0
        for j in range(1, k + 2):
            acc = acc + j * g[j] * e[k + 1 - j]
        e[k + 1] = acc / (k + 1)
    _compose(c, u, w, K, s + (K + 1))


# ------------------------------------------------------ logit, log_expit

cdef double logit_rule(double x, double* df) noexcept nogil:
    df[0] = 1.0 / (x * (1.0 - x))
    return _one[LOGIT](x, 0)


cdef void jet_logit(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """logit = log x - log(1 - x): c_k = ((-1)**(k+1) / x**k + 1 / (1 - x)**k) / k."""
    cdef double x = u[0], a = 1.0, b = 1.0, g
    cdef Py_ssize_t k
    s[0] = logit_rule(x, &g)
    for k in range(1, K + 1):
        a = a * (-1.0 / x)
        b = b / (1.0 - x)
        s[k] = (b - a) / k
    _compose(s, u, w, K, s + (K + 1))


cdef double log_expit_rule(double x, double* df) noexcept nogil:
    return -softplus_rule(-x, df)            # log expit x = -softplus(-x); d/dx = expit(-x)


cdef void jet_log_expit(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(K + 1):
        s[k] = -u[k]
    jet_softplus(s, w, K, s + (K + 1))
    for k in range(K + 1):
        w[k] = -w[k]


# ------------------------------------------------------ entr, xlogy, xlog1py, rel_entr

cdef double entr_rule(double x, double* df) noexcept nogil:
    if x > 0.0:
        df[0] = -(log(x) + 1.0)
        return -x * log(x)
    if x == 0.0:
        df[0] = INFINITY                    # the limit from the right
        return 0.0
    df[0] = NAN
    return NAN if isnan(x) else -INFINITY


cdef void jet_entr(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """entr^(k)(x) = (-1)**(k-1) (k-2)! / x**(k-1) for k >= 2 (right limits at 0)."""
    cdef double x = u[0], inv = 1.0 / x if x != 0.0 else INFINITY
    cdef double power = 1.0, g
    cdef Py_ssize_t k
    s[0] = entr_rule(x, &g)
    if K >= 1:
        s[1] = g
    for k in range(2, K + 1):
        power = power * inv
        s[k] = (-power if k % 2 == 0 else power) / (k * (k - 1.0)) if x >= 0.0 else NAN
    _compose(s, u, w, K, s + (K + 1))


cdef inline double _x_log(double a, double log_b) noexcept nogil:
    return 0.0 if a == 0.0 and not isnan(log_b) else a * log_b


cdef double xlogy_rule(double a, double b, double* da, double* db) noexcept nogil:
    da[0] = log(b)
    db[0] = 0.0 if a == 0.0 else a / b      # x held at 0: constant in y
    return _x_log(a, log(b))


cdef double xlog1py_rule(double a, double b, double* da, double* db) noexcept nogil:
    da[0] = log1p(b)
    db[0] = 0.0 if a == 0.0 else a / (1.0 + b)
    return _x_log(a, log1p(b))


cdef void jet_xlogy(const double* u, const double* v, double* w, Py_ssize_t K,
                    double* s) noexcept nogil:
    cdef double ga, gb
    if _held_at_zero(u, K):
        _zeros(w, K)
    else:
        jet_log(v, s, K, s + (K + 1))
        _times(u, s, w, K)
    w[0] = xlogy_rule(u[0], v[0], &ga, &gb)


cdef void jet_xlog1py(const double* u, const double* v, double* w, Py_ssize_t K,
                      double* s) noexcept nogil:
    cdef double ga, gb
    cdef Py_ssize_t k
    if _held_at_zero(u, K):
        _zeros(w, K)
    else:
        for k in range(K + 1):
            s[k] = v[k]
        s[0] = 1.0 + v[0]
        jet_log(s, s + (K + 1), K, s + 2 * (K + 1))
        _times(u, s + (K + 1), w, K)
    w[0] = xlog1py_rule(u[0], v[0], &ga, &gb)


cdef double rel_entr_rule(double a, double b, double* da, double* db) noexcept nogil:
    if a > 0.0 and b > 0.0:
        da[0] = log(a / b) + 1.0
        db[0] = -a / b
        return a * log(a / b)
    if a == 0.0 and b >= 0.0:
        da[0] = -INFINITY                   # the limit from the right
        db[0] = 0.0
        return 0.0
    da[0] = db[0] = NAN
    return NAN if isnan(a) or isnan(b) else INFINITY


cdef void jet_rel_entr(const double* u, const double* v, double* w, Py_ssize_t K,
                       double* s) noexcept nogil:
    cdef double ga, gb, value = rel_entr_rule(u[0], v[0], &ga, &gb)
    cdef Py_ssize_t k
    if u[0] > 0.0 and v[0] > 0.0:
        jet_log(u, s, K, s + 2 * (K + 1))
        jet_log(v, s + (K + 1), K, s + 2 * (K + 1))
        for k in range(K + 1):
            s[k] = s[k] - s[K + 1 + k]
        _times(u, s, w, K)
    elif _held_at_zero(u, K) and value == 0.0:
        _zeros(w, K)
    else:                                   # x moves off 0, or outside the domain
        _nan_above(value, w, K)
        if K >= 1:
            w[1] = _strong(ga, u[1]) + _strong(gb, v[1])
    w[0] = value


# ------------------------------------------------------ betaln

cdef double betaln_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double both = digamma(a + b)
    da[0] = digamma(a) - both
    db[0] = digamma(b) - both
    return _two[BETALN](a, b, 0)


cdef void jet_betaln(const double* u, const double* v, double* w, Py_ssize_t K,
                     double* s) noexcept nogil:
    """lgamma(u) + lgamma(v) - lgamma(u + v), valued by scipy's betaln."""
    cdef Py_ssize_t k
    cdef double ga, gb
    jet_lgamma(u, w, K, s)
    for k in range(K + 1):
        s[k] = u[k] + v[k]
    jet_lgamma(s, s + (K + 1), K, s + 2 * (K + 1))
    for k in range(K + 1):
        w[k] = w[k] - s[K + 1 + k]
    jet_lgamma(v, s, K, s + (K + 1))
    for k in range(K + 1):
        w[k] = w[k] + s[k]
    w[0] = betaln_rule(u[0], v[0], &ga, &gb)


# ------------------------------------------------------ Bessel functions

cdef enum Bessel:
    BESSEL_J, BESSEL_Y, BESSEL_I, BESSEL_K


cdef void _bessel_taylor(Bessel kind, double v, double x, double* c, Py_ssize_t K) noexcept nogil:
    """c_k = F_v^(k)(x) / k! for F = J, Y, I, K of real order v, from
    F^(k) = 2**-k sum_j C(k, j) s_j F_{v-k+2j}, s_j = (-1)**j for J and Y,
    1 for I, and (-1)**k for K (DLMF 10.6.7, 10.29.5)."""
    cdef d_dd f = _two[JV if kind == BESSEL_J else YV if kind == BESSEL_Y else
                       IV if kind == BESSEL_I else KV]
    cdef double total, binomial, term, scale = 1.0      # 2**-k / k!
    cdef Py_ssize_t k, j
    for k in range(K + 1):
        total = 0.0
        binomial = 1.0
        for j in range(k + 1):
            term = binomial * f(v - k + 2 * j, x, 0)
            total = total - term if kind <= BESSEL_Y and j % 2 == 1 else total + term
            binomial = binomial * (k - j) / (j + 1)
        c[k] = -total * scale if kind == BESSEL_K and k % 2 == 1 else total * scale
        scale = scale / (2.0 * (k + 1))


cdef inline double _bessel_rule(int which, Bessel kind, double n, double x, double* df) noexcept nogil:
    cdef double c[2]
    _bessel_taylor(kind, n, x, c, 1)
    df[0] = c[1]
    return _one[which](x, 0)


cdef inline void _bessel_jet(int which, Bessel kind, double n, const double* u, double* w,
                             Py_ssize_t K, double* s) noexcept nogil:
    _bessel_taylor(kind, n, u[0], s, K)
    s[0] = _one[which](u[0], 0)
    _compose(s, u, w, K, s + (K + 1))


cdef double j0_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(J0, BESSEL_J, 0.0, x, df)

cdef double j1_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(J1, BESSEL_J, 1.0, x, df)

cdef double y0_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(Y0, BESSEL_Y, 0.0, x, df)

cdef double y1_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(Y1, BESSEL_Y, 1.0, x, df)

cdef double i0_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(I0, BESSEL_I, 0.0, x, df)

cdef double i1_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(I1, BESSEL_I, 1.0, x, df)

cdef double k0_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(K0, BESSEL_K, 0.0, x, df)

cdef double k1_rule(double x, double* df) noexcept nogil:
    return _bessel_rule(K1, BESSEL_K, 1.0, x, df)

cdef void jet_j0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(J0, BESSEL_J, 0.0, u, w, K, s)

cdef void jet_j1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(J1, BESSEL_J, 1.0, u, w, K, s)

cdef void jet_y0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(Y0, BESSEL_Y, 0.0, u, w, K, s)

cdef void jet_y1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(Y1, BESSEL_Y, 1.0, u, w, K, s)

cdef void jet_i0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(I0, BESSEL_I, 0.0, u, w, K, s)

cdef void jet_i1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(I1, BESSEL_I, 1.0, u, w, K, s)

cdef void jet_k0(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(K0, BESSEL_K, 0.0, u, w, K, s)

cdef void jet_k1(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _bessel_jet(K1, BESSEL_K, 1.0, u, w, K, s)


# jv, iv, kv(v, x): in x only; the order is a constant (dispatch refuses one
# that carries a tangent), so its partial is 0
cdef inline double _order_rule(Bessel kind, double a, double b, double* da, double* db) noexcept nogil:
    cdef double c[2]
    _bessel_taylor(kind, a, b, c, 1)
    da[0] = 0.0
    db[0] = c[1]
    return c[0]


cdef inline void _order_jet(Bessel kind, const double* u, const double* v, double* w,
                            Py_ssize_t K, double* s) noexcept nogil:
    if _degree(u, K) > 0:
        _nan_above(NAN, w, K)
        return
    _bessel_taylor(kind, u[0], v[0], s, K)
    _compose(s, v, w, K, s + (K + 1))


cdef double jv_rule(double a, double b, double* da, double* db) noexcept nogil:
    return _order_rule(BESSEL_J, a, b, da, db)

cdef double iv_rule(double a, double b, double* da, double* db) noexcept nogil:
    return _order_rule(BESSEL_I, a, b, da, db)

cdef double kv_rule(double a, double b, double* da, double* db) noexcept nogil:
    return _order_rule(BESSEL_K, a, b, da, db)

cdef void jet_jv(const double* u, const double* v, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _order_jet(BESSEL_J, u, v, w, K, s)

cdef void jet_iv(const double* u, const double* v, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _order_jet(BESSEL_I, u, v, w, K, s)

cdef void jet_kv(const double* u, const double* v, double* w, Py_ssize_t K, double* s) noexcept nogil:
    _order_jet(BESSEL_K, u, v, w, K, s)


# ------------------------------------------------------ Hurwitz zeta(x, q)

cdef double _zeta(double x, double q) noexcept nogil:
    """scipy's domain: x >= 1 (inf at 1), nan below."""
    if isnan(x) or isnan(q) or x < 1.0:
        return NAN
    if x == 1.0:
        return INFINITY
    return hurwitz_zeta(x, q)


cdef void _power(const double* a, const double* u, double* w, Py_ssize_t K,
                 double* t) noexcept nogil:
    """w = a**-u = exp(-u log a) (t: K + 1 doubles)."""
    cdef Py_ssize_t k
    jet_log(a, t, K, t)
    jet_mul(u, t, t, K)
    for k in range(K + 1):
        t[k] = -t[k]
    _exp_series(t, w, K, pow(a[0], -u[0]))


cdef void _add_scaled(double* w, double c, const double* x, Py_ssize_t K) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(K + 1):
        w[k] = w[k] + c * x[k]


cdef bint _negligible(const double* term, const double* total, Py_ssize_t K) noexcept nogil:
    """Every coefficient of term is below 1e-17 of total's."""
    cdef Py_ssize_t k
    for k in range(K + 1):
        if fabs(term[k]) > 1e-17 * fabs(total[k]):
            return False
    return True


cdef void _zeta_series(const double* u, const double* v, double* w, Py_ssize_t K,
                       double* s) noexcept nogil:
    """w = zeta(u, v) by Euler-Maclaurin in Taylor arithmetic, as hurwitz_zeta
    (dualnum/_special.pxd) on numbers: the terms (v + n)**-u until v_0 + N >=
    u_0 + 20, the integral (v + N)**(1 - u) / (u - 1), half the first tail term
    and 12 Bernoulli corrections, whose derivatives in u and v shrink as fast.
    For a large u_0 the sum stops, as hurwitz_zeta's, where a term is below
    1e-17 of the sum in every coefficient.  s: 5 (K + 1) doubles."""
    cdef double* a = s
    cdef double* p = s + (K + 1)
    cdef double* f = s + 2 * (K + 1)
    cdef double* t = s + 3 * (K + 1)
    cdef double* r = s + 4 * (K + 1)
    cdef Py_ssize_t k
    cdef int j
    for k in range(K + 1):
        a[k] = v[k]
        w[k] = 0.0
    if isinf(u[0]) or isnan(u[0]):              # the callers' values say what it is there
        for k in range(K + 1):
            w[k] = NAN
        return
    while a[0] < u[0] + 20.0:
        _power(a, u, p, K, t)
        _add_scaled(w, 1.0, p, K)
        a[0] = a[0] + 1.0
        if u[0] > DIRECT_SUM_FROM and a[0] >= 2.0 and _negligible(p, w, K):
            return
    _power(a, u, p, K, t)
    jet_mul(a, p, f, K)                          # the integral a**(1 - u) / (u - 1)
    for k in range(K + 1):
        t[k] = u[k]
    t[0] = t[0] - 1.0
    jet_div(f, t, f, K)
    _add_scaled(w, 1.0, f, K)
    _add_scaled(w, 0.5, p, K)
    jet_mul(u, p, f, K)                          # u (u+1) ... (u+2j-2) a**(-u-2j+1), j = 1
    jet_div(f, a, f, K)
    for j in range(1, 13):
        _add_scaled(w, bernoulli_over_factorial(j), f, K)
        for k in range(K + 1):
            t[k] = u[k]
            r[k] = u[k]
        t[0] = t[0] + 2 * j - 1
        r[0] = r[0] + 2 * j
        jet_mul(f, t, f, K)
        jet_mul(f, r, f, K)
        jet_div(f, a, f, K)
        jet_div(f, a, f, K)


cdef double zeta_rule(double a, double b, double* da, double* db) noexcept nogil:
    cdef double u[2]
    cdef double v[2]
    cdef double w[2]
    cdef double s[10]
    u[0], u[1], v[0], v[1] = a, 1.0, b, 0.0
    _zeta_series(u, v, w, 1, s)
    da[0] = w[1] if _zeta(a, b) == _zeta(a, b) else NAN
    db[0] = -a * _zeta(a + 1.0, b)
    return _zeta(a, b)


cdef void jet_zeta(const double* u, const double* v, double* w, Py_ssize_t K,
                   double* s) noexcept nogil:
    """In q alone: d^k/dq^k zeta(x, q) / k! = (-1)**k C(x + k - 1, k) zeta(x + k, q)
    (scipy's own kernel is not reachable; these are exact sums); with x moving:
    Euler-Maclaurin in Taylor arithmetic (_zeta_series)."""
    cdef double x = u[0], binomial = 1.0, value = _zeta(u[0], v[0])
    cdef Py_ssize_t k
    if value != value or x == 1.0:
        _nan_above(value, w, K)
        return
    if _degree(u, K) > 0:
        _zeta_series(u, v, w, K, s)
        w[0] = value
        return
    for k in range(K + 1):
        s[k] = (-binomial if k % 2 == 1 else binomial) * _zeta(x + k, v[0])
        binomial = binomial * (x + k) / (k + 1)
    _compose(s, v, w, K, s + (K + 1))


# ------------------------------------------------------ Riemann zeta(x) = zeta(x, 1)

cdef double riemann_zeta_rule(double x, double* df) noexcept nogil:
    cdef double u[2]
    cdef double w[2]
    cdef double s[12]
    u[0], u[1] = x, 1.0
    jet_riemann_zeta(u, w, 1, s)
    df[0] = w[1]
    return w[0]


cdef void jet_riemann_zeta(const double* u, double* w, Py_ssize_t K, double* s) noexcept nogil:
    """Valued by scipy's zetac + 1 (every x); derivatives from _zeta_series at
    q = 1 for x >= 0 (below, its terms n**-x grow and cancel: nan there).
    s: 6 (K + 1) doubles."""
    cdef double value = _one[ZETAC](u[0], 0) + 1.0
    cdef Py_ssize_t k
    if u[0] == 1.0 or u[0] < 0.0 or value != value:
        _nan_above(value, w, K)
        return
    for k in range(K + 1):
        s[k] = 0.0
    s[0] = 1.0
    _zeta_series(u, s, w, K, s + (K + 1))
    w[0] = value
