/* AVX-512F: 8 doubles; compiled for AVX-512F in this translation unit only. */
#if defined(DUALNUM_HAVE_SLEEF) && (defined(__x86_64__) || defined(_M_X64))
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#elif defined(__GNUC__)
#pragma GCC target("avx512f")
#endif
#include <immintrin.h>
#include "kernels.h"

typedef struct { __m512d x, y; } dn_pair_avx512;
extern dn_pair_avx512 Sleef_sincosd8_u10avx512f(__m512d);
extern __m512d Sleef_expd8_u10avx512f(__m512d);
extern __m512d Sleef_logd8_u10avx512f(__m512d);

static int reduce_is_zero(__m512d x)
{
    double lanes[8];
    _mm512_storeu_pd(lanes, x);
    return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
           + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7])) == 0.0;
}

#define VEC __m512d
#define WIDTH 8
#define VLOAD _mm512_loadu_pd
#define VSTORE _mm512_storeu_pd
#define VSET1 _mm512_set1_pd
#define VADD _mm512_add_pd
#define VMUL _mm512_mul_pd
#define VDIV _mm512_div_pd
#define VREDUCE_IS_ZERO reduce_is_zero
#define SINCOS(x, s, c) { dn_pair_avx512 r = Sleef_sincosd8_u10avx512f(x); s = r.x; c = r.y; }
#define EXP Sleef_expd8_u10avx512f
#define LOG Sleef_logd8_u10avx512f
#define TABLE dn_kernels_avx512
#include "kernels_body.h"
#if defined(__clang__)
#pragma clang attribute pop
#endif
#else
typedef int dn_no_avx512_kernels;
#endif
