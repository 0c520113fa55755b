/* arm64's baseline (AdvSIMD, which every arm64 CPU has): 2 doubles. */
#if defined(DUALNUM_HAVE_SLEEF) && (defined(__aarch64__) || defined(_M_ARM64))
#include <arm_neon.h>
#include "kernels.h"

typedef struct { float64x2_t x, y; } dn_pair_neon;
extern dn_pair_neon Sleef_sincosd2_u10advsimd(float64x2_t);
extern float64x2_t Sleef_expd2_u10advsimd(float64x2_t);
extern float64x2_t Sleef_logd2_u10advsimd(float64x2_t);

static int reduce_is_zero(float64x2_t x)
{
    return vgetq_lane_f64(x, 0) + vgetq_lane_f64(x, 1) == 0.0;
}

#define VEC float64x2_t
#define WIDTH 2
#define VLOAD vld1q_f64
#define VSTORE vst1q_f64
#define VSET1 vdupq_n_f64
#define VADD vaddq_f64
#define VMUL vmulq_f64
#define VDIV vdivq_f64
#define VREDUCE_IS_ZERO reduce_is_zero
#define SINCOS(x, s, c) { dn_pair_neon r = Sleef_sincosd2_u10advsimd(x); s = r.x; c = r.y; }
#define EXP Sleef_expd2_u10advsimd
#define LOG Sleef_logd2_u10advsimd
#define TABLE dn_kernels_neon
#include "kernels_body.h"
#else
typedef int dn_no_neon_kernels;
#endif
