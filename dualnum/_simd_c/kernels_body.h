/* The body of one instruction set's kernels (see kernels.h), included by
 * kernels_<isa>.c after it defines:
 *   VEC, WIDTH        the vector type and its number of doubles
 *   VLOAD(p), VSTORE(p, x), VSET1(a), VADD, VMUL, VDIV, VREDUCE_IS_ZERO(x)
 *   SINCOS(x, s, c), EXP(x), LOG(x)   SLEEF's 1-ulp (u10) functions
 *   TABLE             the name of the table to define
 *
 * The computation is the macro's variadic argument (its commas are not the
 * macro's).
 * The finiteness test is branch-free: (f + g) * 0 is 0 for finite f and g,
 * nan otherwise, and a sum of those is 0 only if all were 0.  The last
 * m % WIDTH elements go through the same vector function in a buffer padded
 * with 1.0 (finite everywhere), so an element's result never depends on
 * its position in the array.
 */

#define DN_KERNEL(name, ...)                                                  \
static int name(ptrdiff_t m, const double *v, const double *t,                \
                double *ov, double *ot)                                       \
{                                                                             \
    const VEC zero = VSET1(0.0);                                              \
    VEC check = zero;                                                         \
    ptrdiff_t i = 0, j;                                                       \
    for (; i + WIDTH <= m; i += WIDTH) {                                      \
        VEC x = VLOAD(v + i), dt = VLOAD(t + i), f, g;                        \
        __VA_ARGS__                                                           \
        g = VMUL(g, dt);                                                      \
        VSTORE(ov + i, f);                                                    \
        VSTORE(ot + i, g);                                                    \
        check = VADD(check, VMUL(VADD(f, g), zero));                          \
    }                                                                         \
    if (i < m) {                                                              \
        double bx[WIDTH], bt[WIDTH];                                          \
        VEC x, dt, f, g;                                                      \
        for (j = 0; j < WIDTH; j++) {                                         \
            bx[j] = i + j < m ? v[i + j] : 1.0;                               \
            bt[j] = i + j < m ? t[i + j] : 1.0;                               \
        }                                                                     \
        x = VLOAD(bx);                                                        \
        dt = VLOAD(bt);                                                       \
        __VA_ARGS__                                                           \
        g = VMUL(g, dt);                                                      \
        check = VADD(check, VMUL(VADD(f, g), zero));                          \
        VSTORE(bx, f);                                                        \
        VSTORE(bt, g);                                                        \
        for (j = 0; i + j < m; j++) {                                         \
            ov[i + j] = bx[j];                                                \
            ot[i + j] = bt[j];                                                \
        }                                                                     \
    }                                                                         \
    return VREDUCE_IS_ZERO(check);                                            \
}

/* sin' = cos, cos' = -sin (times -1.0, not 0 - sin: -0.0 at sin = +0.0, as
   the scalar rule), exp' = exp, log' = 1 / x */
DN_KERNEL(k1_sin, { VEC s, c; SINCOS(x, s, c); f = s; g = c; })
DN_KERNEL(k1_cos, { VEC s, c; SINCOS(x, s, c); f = c; g = VMUL(s, VSET1(-1.0)); })
DN_KERNEL(k1_exp, { f = EXP(x); g = f; })
DN_KERNEL(k1_log, { f = LOG(x); g = VDIV(VSET1(1.0), x); })

const dn_k1_kernel TABLE[DN_NKINDS] = {k1_sin, k1_cos, k1_exp, k1_log};
