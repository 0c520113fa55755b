/* The vector kernels of the one-direction (k = 1) DualArray loops.
 *
 * A kernel computes, for m elements, the value f(v[i]) into ov[i] and the
 * tangent f'(v[i]) * t[i] into ot[i], reading each element before writing it
 * (ov may be v, ot may be t).  It returns 1 if every value and tangent is
 * finite, else 0: then the caller reruns its careful scalar loop (strong
 * zeros, counting non-finite results) over all elements, overwriting these.
 *
 * One table of kernels per instruction set, each compiled in its own
 * translation unit for that set only (kernels_<isa>.c); dispatch.c picks
 * one at import from what the CPU reports.  Without SLEEF (DUALNUM_HAVE_SLEEF
 * undefined) no table exists and the loops keep their scalar rules.
 */
#ifndef DUALNUM_SIMD_KERNELS_H
#define DUALNUM_SIMD_KERNELS_H

#include <stddef.h>

/* the functions, in table order */
enum { DN_SIN, DN_COS, DN_EXP, DN_LOG, DN_NKINDS };

/* the dispatch paths, narrowest first; DN_SCALAR: no vector kernels (the
   rules of dualnum/_rules.pxd, one libm call per element) */
enum { DN_SCALAR, DN_BASELINE, DN_AVX2, DN_AVX512, DN_NPATHS };

typedef int (*dn_k1_kernel)(ptrdiff_t m, const double *v, const double *t,
                            double *ov, double *ot);

/* the kernels of a path, or NULL if this build has none for it */
const dn_k1_kernel *dn_kernels(int path);
/* 1 if the CPU (and the OS, for the wider registers) supports the path */
int dn_cpu_supports(int path);

#endif
