"""Runtime dispatch of the vector kernels (SLEEF) of the one-direction loops.

The DualArray's fused loops for sin, cos, exp and log with one tangent
direction (dualnum/_loops.pxd) call :func:`unary_k1`, which runs the
kernels of the path chosen once, at import, from what the running CPU
reports (never from the flags of the build machine):

``avx512``  AVX-512F, 8 doubles a vector (x86-64)
``avx2``    AVX2 and FMA, 4 doubles (x86-64)
``baseline`` SSE2 on x86-64, AdvSIMD (NEON) on arm64, 2 doubles
``scalar``  no vector kernels: the scalar rules of dualnum/_rules.pxd (libm);
            the only path of a build without SLEEF

The environment variable ``DUALNUM_SIMD`` (read at import) forces a path;
``import dualnum`` refuses a path the CPU or the build lacks.  The kernels
are SLEEF's 1-ulp (u10) functions: values and derivatives are within the
bounds of docs/performance.md, and may differ from numpy's by that much.
Non-finite results are not the kernels' business: where any value or
tangent of a call is inf or nan, the loop reruns its careful loop over the
call, element by element through the same kernel (:func:`unary_one`: an
element's result does not depend on the call it is in), with strong zeros
and counting non-finite values from finite inputs, so the conventions of
the scalar Dual hold on every path.  (The kernels give inf and nan where
the scalar rules do: log(0) = -inf, log(-1) = nan, exp(inf) = inf, sin(inf)
= nan, and the derivatives are the same formulas.)
"""
import os

cdef extern from "kernels.h":
    ctypedef int (*dn_k1_kernel)(Py_ssize_t m, const double* v, const double* t,
                                 double* ov, double* ot) noexcept nogil
    enum:
        DN_SIN, DN_COS, DN_EXP, DN_LOG
        DN_SCALAR, DN_BASELINE, DN_AVX2, DN_AVX512, DN_NPATHS
    const dn_k1_kernel* dn_kernels(int path)
    int dn_cpu_supports(int path)

# the kernel table of _simd.pxd must follow kernels.h
assert (SIMD_SIN, SIMD_COS, SIMD_EXP, SIMD_LOG) == (DN_SIN, DN_COS, DN_EXP, DN_LOG)

PATHS = ("scalar", "baseline", "avx2", "avx512")      # narrowest first, as kernels.h
ENVIRONMENT_VARIABLE = "DUALNUM_SIMD"

cdef const dn_k1_kernel* _table = NULL
cdef int _path = DN_SCALAR


cdef int unary_k1(int kind, Py_ssize_t m, const double* v, const double* t,
                  double* ov, double* ot) noexcept nogil:
    """Run the active path's kernel: 1 if every result is finite, 0 if not
    (the caller reruns its scalar loop), -1 if the path has no kernels."""
    if _table == NULL:
        return -1
    return _table[kind](m, v, t, ov, ot)


cdef int unary_one(int kind, double x, double* f, double* g) noexcept nogil:
    """One element through the active path's kernel (the lanes of a vector
    are independent: the value a whole array gets there): 0, or -1 if the
    path has no kernels."""
    cdef double one = 1.0
    if _table == NULL:
        return -1
    _table[kind](1, &x, &one, f, g)
    return 0


def compiled():
    """The paths this build has kernels for, narrowest first ("scalar" always)."""
    return tuple(name for i, name in enumerate(PATHS) if i == DN_SCALAR or dn_kernels(i) != NULL)


def available():
    """The paths this build has and the running CPU supports, narrowest first."""
    return tuple(name for name in compiled() if dn_cpu_supports(PATHS.index(name)))


def active():
    """The name of the path the loops run now."""
    return PATHS[_path]


def use(name):
    """Switch to path ``name`` (for tests and benchmarks; not thread-safe
    against loops running at the same time).  Returns the previous path."""
    global _table, _path
    if name not in PATHS:
        raise ValueError(f"unknown SIMD path {name!r}; choose one of {', '.join(PATHS)}")
    if name not in compiled():
        raise RuntimeError(
            f"this build of dualnum has no {name!r} kernels (SLEEF was not found when it was "
            f"built, or the path is not of this architecture); unset {ENVIRONMENT_VARIABLE} or "
            f"choose one of {', '.join(compiled())}")
    if name not in available():
        raise RuntimeError(
            f"this CPU does not support the {name!r} SIMD path; unset {ENVIRONMENT_VARIABLE} or "
            f"choose one of {', '.join(available())}")
    previous = active()
    _path = PATHS.index(name)
    _table = dn_kernels(_path)
    return previous


def _select_at_import():
    forced = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    if forced in ("", "auto"):
        use(available()[-1])       # the widest
        return
    try:
        use(forced)
    except (ValueError, RuntimeError) as error:
        raise ImportError(f"{ENVIRONMENT_VARIABLE}={forced}: {error}") from None


_select_at_import()
