/* Which kernels this build has (kernels.h) and what the running CPU
 * supports: read from the CPU at run time (cpuid, and xgetbv for the
 * register state the OS saves), never from the flags this file was
 * compiled with. */
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

/* x86-64: the CPU's feature bits (cpuid) and the register state the OS
   saves (xgetbv), read directly.  Not __builtin_cpu_supports: Apple clang
   lowers it to a reference to ___cpu_model, which macOS's runtime does not
   define, so the extension would fail to import there. */
#if defined(_MSC_VER) && defined(_M_X64)
#define DN_CPUID_X86 1
static void dn_cpuid(int leaf, int r[4]) { __cpuidex(r, leaf, 0); }
static unsigned long long dn_xcr0(void) { return _xgetbv(0); }
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define DN_CPUID_X86 1
static void dn_cpuid(int leaf, int r[4])
{
    unsigned int a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(leaf), "c"(0));
    r[0] = (int) a; r[1] = (int) b; r[2] = (int) c; r[3] = (int) d;
}
static unsigned long long dn_xcr0(void)
{
    unsigned int a, d;
    /* xgetbv with ecx = 0, as bytes: older assemblers lack the mnemonic */
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(a), "=d"(d) : "c"(0));
    return ((unsigned long long) d << 32) | a;
}
#endif

#ifdef DN_CPUID_X86
static int x86_supports(int path)
{
    int r[4];
    unsigned long long xcr0;
    dn_cpuid(0, r);
    if (r[0] < 7)
        return 0;                      /* no leaf 7: no AVX2, no AVX-512 */
    dn_cpuid(1, r);
    /* OSXSAVE, AVX and FMA; then the OS saves the XMM and YMM (and for
       AVX-512 the opmask and ZMM) state */
    if (!(r[2] & (1 << 27)) || !(r[2] & (1 << 28)) || !(r[2] & (1 << 12)))
        return 0;
    xcr0 = dn_xcr0();
    if ((xcr0 & 0x6) != 0x6)
        return 0;
    dn_cpuid(7, r);
    if (path == DN_AVX2)
        return (r[1] & (1 << 5)) != 0;
    return (r[1] & (1 << 16)) != 0 && (xcr0 & 0xe6) == 0xe6;
}
#endif

int dn_cpu_supports(int path)
{
    if (path == DN_SCALAR || path == DN_BASELINE)
        return 1;          /* SSE2 on x86-64, AdvSIMD on arm64: always there */
#ifdef DN_CPUID_X86
    return x86_supports(path);
#else
    return 0;
#endif
}
