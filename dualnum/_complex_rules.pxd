# cython: cdivision=True
# The complex column of the function table: for each holomorphic row, a C
# kernel that returns f(z) and writes f'(z) (dualnum/_complex.pxd's cplx).
#
# Values are numpy's complex128 values.  The elementary functions come from
# numpy's own C math library (npymath: npy_cexp, npy_clog, npy_cpow, ...,
# shipped with numpy for extensions and linked statically), which numpy's
# complex ufuncs call: so the values, branch cuts and signed zeros are
# numpy's on every platform, MSVC included (whose C library has no C99
# complex functions); Python's cmath would differ in the last bit and in
# its errors.  exp2, expm1, log2, log10 and log1p are numpy's formulas on
# top of those.  (square and reciprocal are z * z and 1 / z, as for the
# other number types: dualnum/_number.pyx.)
#
# Branch cuts are numpy's (the principal branches: log, sqrt and power on
# (-inf, 0], arcsin and arccos on the real axis outside [-1, 1], arctan and
# arcsinh on the imaginary axis outside [-i, i], arccosh on (-inf, 1],
# arctanh on the real axis outside [-1, 1]); the derivatives are those of
# the same branches, so on a cut they follow the side the signed zero of the
# imaginary part picks.  Singular points: sqrt'(0) = +inf (as the real rule),
# log'(0) and the poles of tan, tanh, arctan, arctanh give inf or nan parts.
from libc.math cimport atan2, cos, exp, expm1, hypot, log, sin, INFINITY, M_LN2, M_LN10, M_LOG2E, M_LOG10E

from dualnum._complex cimport cplx, cnum, cadd, csub, cmul, cdiv, cscale, cis_zero

cdef extern from *:
    """
    #include <numpy/npy_math.h>
    #ifndef DUALNUM_CPLX
    #define DUALNUM_CPLX
    typedef struct { double re, im; } dualnum_cplx;
    #endif
    #define DUALNUM_NPYMATH(name) \
        static dualnum_cplx dualnum_##name(dualnum_cplx z) { \
            npy_cdouble w = npy_##name(npy_cpack(z.re, z.im)); \
            dualnum_cplx r; r.re = npy_creal(w); r.im = npy_cimag(w); return r; }
    DUALNUM_NPYMATH(cexp) DUALNUM_NPYMATH(clog) DUALNUM_NPYMATH(csqrt)
    DUALNUM_NPYMATH(csin) DUALNUM_NPYMATH(ccos) DUALNUM_NPYMATH(ctan)
    DUALNUM_NPYMATH(csinh) DUALNUM_NPYMATH(ccosh) DUALNUM_NPYMATH(ctanh)
    DUALNUM_NPYMATH(casin) DUALNUM_NPYMATH(cacos) DUALNUM_NPYMATH(catan)
    DUALNUM_NPYMATH(casinh) DUALNUM_NPYMATH(cacosh) DUALNUM_NPYMATH(catanh)
    static dualnum_cplx dualnum_cpow(dualnum_cplx a, dualnum_cplx b) {
        npy_cdouble w = npy_cpow(npy_cpack(a.re, a.im), npy_cpack(b.re, b.im));
        dualnum_cplx r; r.re = npy_creal(w); r.im = npy_cimag(w); return r;
    }
    """
    # the same layout as cplx (two doubles)
    cplx npy_exp "dualnum_cexp"(cplx z) noexcept nogil
    cplx npy_log "dualnum_clog"(cplx z) noexcept nogil
    cplx npy_sqrt "dualnum_csqrt"(cplx z) noexcept nogil
    cplx npy_sin "dualnum_csin"(cplx z) noexcept nogil
    cplx npy_cos "dualnum_ccos"(cplx z) noexcept nogil
    cplx npy_tan "dualnum_ctan"(cplx z) noexcept nogil
    cplx npy_sinh "dualnum_csinh"(cplx z) noexcept nogil
    cplx npy_cosh "dualnum_ccosh"(cplx z) noexcept nogil
    cplx npy_tanh "dualnum_ctanh"(cplx z) noexcept nogil
    cplx npy_asin "dualnum_casin"(cplx z) noexcept nogil
    cplx npy_acos "dualnum_cacos"(cplx z) noexcept nogil
    cplx npy_atan "dualnum_catan"(cplx z) noexcept nogil
    cplx npy_asinh "dualnum_casinh"(cplx z) noexcept nogil
    cplx npy_acosh "dualnum_cacosh"(cplx z) noexcept nogil
    cplx npy_atanh "dualnum_catanh"(cplx z) noexcept nogil
    cplx npy_pow "dualnum_cpow"(cplx a, cplx b) noexcept nogil


cdef inline cplx _one() noexcept nogil:
    return cnum(1.0, 0.0)


cdef inline cplx _inverse(cplx z) noexcept nogil:
    return cdiv(_one(), z)


cdef inline cplx _one_minus_square(cplx z) noexcept nogil:
    return csub(_one(), cmul(z, z))


cdef inline cplx _one_plus_square(cplx z) noexcept nogil:
    return cadd(_one(), cmul(z, z))


# ----------------------------------------------------------------- unary

cdef inline cplx c_exp(cplx z, cplx* slope) noexcept nogil:
    cdef cplx w = npy_exp(z)
    slope[0] = w
    return w


cdef inline cplx c_exp2(cplx z, cplx* slope) noexcept nogil:
    cdef cplx w = npy_exp(cscale(M_LN2, z))        # numpy's: exp(z log 2)
    slope[0] = cscale(M_LN2, w)
    return w


cdef inline cplx c_expm1(cplx z, cplx* slope) noexcept nogil:
    # numpy's: the real part without cancellation near 0
    cdef double half = sin(z.im / 2.0)
    slope[0] = npy_exp(z)
    return cnum(expm1(z.re) * cos(z.im) - 2.0 * half * half, exp(z.re) * sin(z.im))


cdef inline cplx c_log(cplx z, cplx* slope) noexcept nogil:
    slope[0] = _inverse(z)
    return npy_log(z)


cdef inline cplx c_log2(cplx z, cplx* slope) noexcept nogil:
    slope[0] = _inverse(cscale(M_LN2, z))
    return cscale(M_LOG2E, npy_log(z))


cdef inline cplx c_log10(cplx z, cplx* slope) noexcept nogil:
    slope[0] = _inverse(cscale(M_LN10, z))
    return cscale(M_LOG10E, npy_log(z))


cdef inline cplx c_log1p(cplx z, cplx* slope) noexcept nogil:
    # numpy's: log|1 + z| + i arg(1 + z)
    slope[0] = _inverse(cnum(1.0 + z.re, z.im))
    return cnum(log(hypot(z.re + 1.0, z.im)), atan2(z.im, z.re + 1.0))


cdef inline cplx c_sqrt(cplx z, cplx* slope) noexcept nogil:
    cdef cplx w = npy_sqrt(z)
    # 1/(2 sqrt z); +inf at 0, as the real rule
    slope[0] = cnum(INFINITY, 0.0) if cis_zero(w) else cdiv(cnum(0.5, 0.0), w)
    return w


cdef inline cplx c_negative(cplx z, cplx* slope) noexcept nogil:
    slope[0] = cnum(-1.0, 0.0)
    return cnum(-z.re, -z.im)


cdef inline cplx c_sin(cplx z, cplx* slope) noexcept nogil:
    slope[0] = npy_cos(z)
    return npy_sin(z)


cdef inline cplx c_cos(cplx z, cplx* slope) noexcept nogil:
    slope[0] = cscale(-1.0, npy_sin(z))
    return npy_cos(z)


cdef inline cplx c_tan(cplx z, cplx* slope) noexcept nogil:
    cdef cplx w = npy_tan(z)
    slope[0] = _one_plus_square(w)
    return w


cdef inline cplx c_sinh(cplx z, cplx* slope) noexcept nogil:
    slope[0] = npy_cosh(z)
    return npy_sinh(z)


cdef inline cplx c_cosh(cplx z, cplx* slope) noexcept nogil:
    slope[0] = npy_sinh(z)
    return npy_cosh(z)


cdef inline cplx c_tanh(cplx z, cplx* slope) noexcept nogil:
    cdef cplx w = npy_tanh(z)
    slope[0] = _one_minus_square(w)
    return w


cdef inline cplx c_arcsin(cplx z, cplx* slope) noexcept nogil:
    # 1/sqrt(1 - z**2): 1 - z**2 is on sqrt's cut only where z is on arcsin's
    slope[0] = _inverse(npy_sqrt(_one_minus_square(z)))
    return npy_asin(z)


cdef inline cplx c_arccos(cplx z, cplx* slope) noexcept nogil:
    slope[0] = cscale(-1.0, _inverse(npy_sqrt(_one_minus_square(z))))
    return npy_acos(z)


cdef inline cplx c_arctan(cplx z, cplx* slope) noexcept nogil:
    slope[0] = _inverse(_one_plus_square(z))
    return npy_atan(z)


cdef inline cplx c_arcsinh(cplx z, cplx* slope) noexcept nogil:
    slope[0] = _inverse(npy_sqrt(_one_plus_square(z)))
    return npy_asinh(z)


cdef inline cplx c_arccosh(cplx z, cplx* slope) noexcept nogil:
    # 1/(sqrt(z - 1) sqrt(z + 1)), not 1/sqrt(z**2 - 1), whose cut would
    # also run along the imaginary axis
    slope[0] = _inverse(cmul(npy_sqrt(cnum(z.re - 1.0, z.im)), npy_sqrt(cnum(z.re + 1.0, z.im))))
    return npy_acosh(z)


cdef inline cplx c_arctanh(cplx z, cplx* slope) noexcept nogil:
    slope[0] = _inverse(_one_minus_square(z))
    return npy_atanh(z)


# ---------------------------------------------------------------- binary

cdef inline cplx c_add(cplx a, cplx b, cplx* da, cplx* db) noexcept nogil:
    da[0] = _one()
    db[0] = _one()
    return cadd(a, b)


cdef inline cplx c_subtract(cplx a, cplx b, cplx* da, cplx* db) noexcept nogil:
    da[0] = _one()
    db[0] = cnum(-1.0, 0.0)
    return csub(a, b)


cdef inline cplx c_multiply(cplx a, cplx b, cplx* da, cplx* db) noexcept nogil:
    da[0] = b
    db[0] = a
    return cmul(a, b)


cdef inline cplx c_divide(cplx a, cplx b, cplx* da, cplx* db) noexcept nogil:
    cdef cplx w = cdiv(a, b)
    da[0] = _inverse(b)
    db[0] = cscale(-1.0, cdiv(w, b))
    return w


cdef inline cplx c_power(cplx a, cplx b, cplx* da, cplx* db) noexcept nogil:
    cdef cplx w = npy_pow(a, b)
    # d/da = b a**(b - 1) (npy_pow: exact small integer powers, also at 0;
    # 0 for b = 0, also at a = 0, as the real rule's x**0);
    # d/db = log(a) a**b, taken as 0 where a**b is 0 (its limit at a = 0)
    da[0] = cnum(0.0, 0.0) if cis_zero(b) else cmul(b, npy_pow(a, cnum(b.re - 1.0, b.im)))
    db[0] = cnum(0.0, 0.0) if cis_zero(w) else cmul(npy_log(a), w)
    return w
