# cython: cdivision=True
# Complex numbers in C for the complex dual numbers, written without C99's
# `double complex` (MSVC has no complex arithmetic in C, and Cython's own
# complex type cannot be built without the GIL): a struct of two doubles and
# the arithmetic numpy's complex128 loops use, so that values agree with
# numpy's to the last bit (the product without Annex G's inf/nan recovery,
# the quotient by Smith's method).  The transcendental kernels are in
# dualnum/_complex_rules.pxd.

cdef extern from *:
    """
    #ifndef DUALNUM_CPLX
    #define DUALNUM_CPLX
    typedef struct { double re, im; } dualnum_cplx;
    #endif
    """
    ctypedef struct cplx "dualnum_cplx":
        double re
        double im


cdef inline cplx cnum(double re, double im) noexcept nogil:
    cdef cplx z
    z.re = re
    z.im = im
    return z


cdef inline cplx cadd(cplx a, cplx b) noexcept nogil:
    return cnum(a.re + b.re, a.im + b.im)


cdef inline cplx csub(cplx a, cplx b) noexcept nogil:
    return cnum(a.re - b.re, a.im - b.im)


cdef inline cplx cmul(cplx a, cplx b) noexcept nogil:
    return cnum(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)


cdef inline cplx cscale(double s, cplx a) noexcept nogil:
    return cnum(s * a.re, s * a.im)


cdef inline cplx cdiv(cplx a, cplx b) noexcept nogil:
    """a / b by Smith's method, as numpy's complex division (x/0: inf or nan parts)."""
    cdef double ratio, scale
    cdef double abs_re = b.re if b.re >= 0.0 else -b.re
    cdef double abs_im = b.im if b.im >= 0.0 else -b.im
    if abs_re >= abs_im:
        if abs_re == 0.0 and abs_im == 0.0:
            return cnum(a.re / abs_re, a.im / abs_im)
        ratio = b.im / b.re
        scale = 1.0 / (b.re + b.im * ratio)
        return cnum((a.re + a.im * ratio) * scale, (a.im - a.re * ratio) * scale)
    ratio = b.re / b.im
    scale = 1.0 / (b.im + b.re * ratio)
    return cnum((a.re * ratio + a.im) * scale, (a.im * ratio - a.re) * scale)


cdef inline bint cis_zero(cplx a) noexcept nogil:
    return a.re == 0.0 and a.im == 0.0


cdef inline cplx cmul_strong(cplx g, cplx t) noexcept nogil:
    """g * t, except that a zero tangent stays exactly zero even where the local
    derivative g is inf or nan (the strong-zero convention of the real rules)."""
    if t.im == 0.0:                   # a real tangent (every seed): no inf * 0 of cmul
        return cnum(0.0, 0.0) if t.re == 0.0 else cscale(t.re, g)
    if t.re == 0.0:
        return cnum(-g.im * t.im, g.re * t.im)
    return cmul(g, t)


ctypedef cplx (*complex_unary)(cplx z, cplx* slope) noexcept nogil
ctypedef cplx (*complex_binary)(cplx a, cplx b, cplx* da, cplx* db) noexcept nogil
