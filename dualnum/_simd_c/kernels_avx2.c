/* AVX2 + FMA: 4 doubles.  Only this translation unit is compiled for AVX2
 * (a target pragma, not a command-line flag), and dispatch.c calls it only
 * on a CPU that reports both. */
#if defined(DUALNUM_HAVE_SLEEF) && (defined(__x86_64__) || defined(_M_X64))
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx2,fma")
#endif
#include <immintrin.h>
#include "kernels.h"

typedef struct { __m256d x, y; } dn_pair_avx2;
extern dn_pair_avx2 Sleef_sincosd4_u10avx2(__m256d);
extern __m256d Sleef_expd4_u10avx2(__m256d);
extern __m256d Sleef_logd4_u10avx2(__m256d);

static int reduce_is_zero(__m256d x)
{
    double lanes[4];
    _mm256_storeu_pd(lanes, x);
    return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) == 0.0;
}

#define VEC __m256d
#define WIDTH 4
#define VLOAD _mm256_loadu_pd
#define VSTORE _mm256_storeu_pd
#define VSET1 _mm256_set1_pd
#define VADD _mm256_add_pd
#define VMUL _mm256_mul_pd
#define VDIV _mm256_div_pd
#define VREDUCE_IS_ZERO reduce_is_zero
#define SINCOS(x, s, c) { dn_pair_avx2 r = Sleef_sincosd4_u10avx2(x); s = r.x; c = r.y; }
#define EXP Sleef_expd4_u10avx2
#define LOG Sleef_logd4_u10avx2
#define TABLE dn_kernels_avx2
#include "kernels_body.h"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
typedef int dn_no_avx2_kernels;
#endif
