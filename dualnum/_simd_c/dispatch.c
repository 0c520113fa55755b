/* Which kernels this build has (kernels.h) and what the running CPU
 * supports: read from the CPU at run time (cpuid and the OS's register
 * state, via __builtin_cpu_supports or MSVC's __cpuid / _xgetbv), never from
 * the flags this file was compiled with. */
#include "kernels.h"

#if defined(_MSC_VER) && (defined(_M_X64))
#include <intrin.h>
#include <immintrin.h>
#endif

#ifdef DUALNUM_HAVE_SLEEF
#if defined(__x86_64__) || defined(_M_X64)
extern const dn_k1_kernel dn_kernels_sse2[DN_NKINDS];
extern const dn_k1_kernel dn_kernels_avx2[DN_NKINDS];
extern const dn_k1_kernel dn_kernels_avx512[DN_NKINDS];
#define DN_BASELINE_TABLE dn_kernels_sse2
#define DN_X86 1
#elif defined(__aarch64__) || defined(_M_ARM64)
extern const dn_k1_kernel dn_kernels_neon[DN_NKINDS];
#define DN_BASELINE_TABLE dn_kernels_neon
#endif
#endif

const dn_k1_kernel *dn_kernels(int path)
{
    switch (path) {
#ifdef DN_BASELINE_TABLE
    case DN_BASELINE: return DN_BASELINE_TABLE;
#endif
#ifdef DN_X86
    case DN_AVX2: return dn_kernels_avx2;
    case DN_AVX512: return dn_kernels_avx512;
#endif
    default: return NULL;
    }
}

#if defined(_MSC_VER) && defined(_M_X64)
static int msvc_supports(int path)
{
    int r[4];
    unsigned long long xcr0;
    __cpuid(r, 1);
    /* OSXSAVE, AVX and FMA; then the OS saves the YMM (and for AVX-512 the
       opmask and ZMM) state */
    if (!(r[2] & (1 << 27)) || !(r[2] & (1 << 28)) || !(r[2] & (1 << 12)))
        return 0;
    xcr0 = _xgetbv(0);
    if ((xcr0 & 0x6) != 0x6)
        return 0;
    __cpuidex(r, 7, 0);
    if (path == DN_AVX2)
        return (r[1] & (1 << 5)) != 0;
    return (r[1] & (1 << 16)) != 0 && (xcr0 & 0xe6) == 0xe6;
}
#endif

int dn_cpu_supports(int path)
{
    if (path == DN_SCALAR || path == DN_BASELINE)
        return 1;          /* SSE2 on x86-64, AdvSIMD on arm64: always there */
#if defined(_MSC_VER) && defined(_M_X64)
    return msvc_supports(path);
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
    __builtin_cpu_init();
    if (path == DN_AVX2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (path == DN_AVX512)
        return __builtin_cpu_supports("avx512f");
    return 0;
#else
    return 0;
#endif
}
