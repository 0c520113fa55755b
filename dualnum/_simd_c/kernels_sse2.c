/* The x86-64 baseline (SSE2, which every x86-64 CPU has): 2 doubles. */
#if defined(DUALNUM_HAVE_SLEEF) && (defined(__x86_64__) || defined(_M_X64))
#include <emmintrin.h>
#include "kernels.h"

typedef struct { __m128d x, y; } dn_pair_sse2;
extern dn_pair_sse2 Sleef_sincosd2_u10sse2(__m128d);
extern __m128d Sleef_expd2_u10sse2(__m128d);
extern __m128d Sleef_logd2_u10sse2(__m128d);

static int reduce_is_zero(__m128d x)
{
    double lanes[2];
    _mm_storeu_pd(lanes, x);
    return lanes[0] + lanes[1] == 0.0;
}

#define VEC __m128d
#define WIDTH 2
#define VLOAD _mm_loadu_pd
#define VSTORE _mm_storeu_pd
#define VSET1 _mm_set1_pd
#define VADD _mm_add_pd
#define VMUL _mm_mul_pd
#define VDIV _mm_div_pd
#define VREDUCE_IS_ZERO reduce_is_zero
#define SINCOS(x, s, c) { dn_pair_sse2 r = Sleef_sincosd2_u10sse2(x); s = r.x; c = r.y; }
#define EXP Sleef_expd2_u10sse2
#define LOG Sleef_logd2_u10sse2
#define TABLE dn_kernels_sse2
#include "kernels_body.h"
#else
typedef int dn_no_sse2_kernels;   /* (ISO C: no empty translation unit) */
#endif
