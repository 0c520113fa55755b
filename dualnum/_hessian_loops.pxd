# cython: cdivision=True
# The per-element loops of dualnum/_hessian_array.pyx over raw pointers.
#
# An operand of m elements and width w is: values v[m], index ix[m * w]
# (-1: an unused entry), gradients g[m * w] and local Hessians h[m * w * w],
# all C-contiguous; an operand read with step 0 is one element for all.  The
# chain rule is that of dualnum.Dual2 per element, with strong zeros (a zero
# gradient entry stays zero even where the local derivative is inf or nan).
# The elementwise loops return how many values came out non-finite from
# finite arguments, for numpy's warning.
cimport cython
from libc.math cimport isfinite

from dualnum._jets cimport _strong, _strong2, jet_unary, jet_binary, jet_local_unary, local_partials
from dualnum._rows cimport merge_entries, merge_plan


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t unary_loop(jet_unary kernel, Py_ssize_t m, Py_ssize_t w,
                            const double* v, const double* g, const double* h,
                            double* ov, double* og, double* oh) noexcept nogil:
    """f(x) per element: g' = f' g, H' = f' H + f'' g g^T.  Returns how many
    values came out non-finite from finite arguments."""
    cdef Py_ssize_t e, i, j, bad = 0, ww = w * w
    cdef double f[3]
    for e in range(m):
        jet_local_unary(kernel, v[e], f)
        ov[e] = f[0]
        if not isfinite(f[0]) and isfinite(v[e]):
            bad += 1
        for i in range(w):
            og[e * w + i] = _strong(f[1], g[e * w + i])
        for i in range(w):
            for j in range(w):
                oh[e * ww + i * w + j] = (_strong(f[1], h[e * ww + i * w + j])
                                          + _strong2(f[2], g[e * w + i], g[e * w + j]))
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t one_sided_loop(jet_binary kernel, int op, bint a_varies,
                                      Py_ssize_t m, Py_ssize_t w,
                                const double* va, Py_ssize_t sa, const double* vb, Py_ssize_t sb,
                                const double* g, const double* h,
                                double* ov, double* og, double* oh) noexcept nogil:
    """f(a, b) where only a (a_varies) or only b carries derivatives (g, h)."""
    cdef Py_ssize_t e, i, j, bad = 0, ww = w * w
    cdef double p[6]
    cdef double f1, f2, a, b
    for e in range(m):
        a = va[e * sa]
        b = vb[e * sb]
        local_partials(kernel, op, a, b, a_varies, not a_varies, p)
        f1 = p[1] if a_varies else p[2]
        f2 = p[3] if a_varies else p[5]
        ov[e] = p[0]
        if not isfinite(p[0]) and isfinite(a) and isfinite(b):
            bad += 1
        for i in range(w):
            og[e * w + i] = _strong(f1, g[e * w + i])
        for i in range(w):
            for j in range(w):
                oh[e * ww + i * w + j] = (_strong(f1, h[e * ww + i * w + j])
                                          + _strong2(f2, g[e * w + i], g[e * w + j]))
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t shared_loop(jet_binary kernel, int op, Py_ssize_t m, Py_ssize_t w,
                             const double* va, const double* ga, const double* ha,
                             const double* vb, const double* gb, const double* hb,
                             double* ov, double* og, double* oh) noexcept nogil:
    """f(a, b) where a and b have the same variables entry by entry (x * sin(x))."""
    cdef Py_ssize_t e, i, j, k, bad = 0, ww = w * w
    cdef double p[6]
    cdef double gai, gbi, gaj, gbj
    for e in range(m):
        local_partials(kernel, op, va[e], vb[e], True, True, p)
        ov[e] = p[0]
        if not isfinite(p[0]) and isfinite(va[e]) and isfinite(vb[e]):
            bad += 1
        for i in range(w):
            og[e * w + i] = _strong(p[1], ga[e * w + i]) + _strong(p[2], gb[e * w + i])
        for i in range(w):
            gai = ga[e * w + i]
            gbi = gb[e * w + i]
            for j in range(w):
                gaj = ga[e * w + j]
                gbj = gb[e * w + j]
                k = e * ww + i * w + j
                oh[k] = (_strong(p[1], ha[k]) + _strong(p[2], hb[k]) + _strong2(p[3], gai, gaj)
                         + _strong2(p[4], gai, gbj) + _strong2(p[4], gbi, gaj)
                         + _strong2(p[5], gbi, gbj))
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t side_by_side_loop(jet_binary kernel, int op, Py_ssize_t m,
                                   const double* va, const Py_ssize_t* ia, const double* ga,
                                   const double* ha, Py_ssize_t wa, Py_ssize_t sa,
                                   const double* vb, const Py_ssize_t* ib, const double* gb,
                                   const double* hb, Py_ssize_t wb, Py_ssize_t sb,
                                   double* ov, Py_ssize_t* oi, double* og,
                                   double* oh) noexcept nogil:
    """f(a, b) for operands with their own variables: the result's row is a's
    entries then b's, and its local Hessian has the blocks
    [[f_a H_a + f_aa g_a g_a^T, f_ab g_a g_b^T], [f_ab g_b g_a^T, f_b H_b + f_bb g_b g_b^T]]."""
    cdef Py_ssize_t e, i, j, bad = 0, w = wa + wb, ww = w * w
    cdef Py_ssize_t ea, eb
    cdef double p[6]
    cdef double gi
    cdef double* row
    for e in range(m):
        ea = e * sa
        eb = e * sb
        local_partials(kernel, op, va[ea], vb[eb], True, True, p)
        ov[e] = p[0]
        if not isfinite(p[0]) and isfinite(va[ea]) and isfinite(vb[eb]):
            bad += 1
        for i in range(wa):
            oi[e * w + i] = ia[ea * wa + i]
            og[e * w + i] = _strong(p[1], ga[ea * wa + i])
        for i in range(wb):
            oi[e * w + wa + i] = ib[eb * wb + i]
            og[e * w + wa + i] = _strong(p[2], gb[eb * wb + i])
        for i in range(wa):
            row = oh + e * ww + i * w
            gi = ga[ea * wa + i]
            for j in range(wa):
                row[j] = (_strong(p[1], ha[ea * wa * wa + i * wa + j])
                          + _strong2(p[3], gi, ga[ea * wa + j]))
            for j in range(wb):
                row[wa + j] = _strong2(p[4], gi, gb[eb * wb + j])
        for i in range(wb):
            row = oh + e * ww + (wa + i) * w
            gi = gb[eb * wb + i]
            for j in range(wa):
                row[j] = _strong2(p[4], gi, ga[ea * wa + j])
            for j in range(wb):
                row[wa + j] = (_strong(p[2], hb[eb * wb * wb + i * wb + j])
                               + _strong2(p[5], gi, gb[eb * wb + j]))
    return bad


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t merge_rows(Py_ssize_t m, Py_ssize_t w, Py_ssize_t* idx, double* g, double* h,
                            Py_ssize_t* into) noexcept nogil:
    """Merge repeated variables within each row, in place, as the first order
    does (dualnum/_rows.pxd): a variable's gradient entries add up, and so do
    its rows and then its columns of the local Hessian.  ``into`` is scratch
    of w entries.  Returns the widest row's count."""
    cdef Py_ssize_t e, a, used, widest = 0, ww = w * w
    for e in range(m):
        used = merge_plan(w, idx + e * w, into)
        merge_entries(w, into, g + e * w, 1)
        for a in range(w):                         # rows: column a of each entry
            merge_entries(w, into, h + e * ww + a, w)
        for a in range(used):                      # columns, within the merged rows
            merge_entries(w, into, h + e * ww + a * w, 1)
        if used > widest:
            widest = used
    return widest


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t linear_rows(Py_ssize_t rows, const Py_ssize_t* ptr, const Py_ssize_t* src,
                             const double* coef, const Py_ssize_t* ix, const double* g,
                             const double* h, Py_ssize_t w, Py_ssize_t W, Py_ssize_t* union_,
                             Py_ssize_t* oi, double* og, double* oh,
                             Py_ssize_t* pos) noexcept nogil:
    """Row r of the result is sum_t coef[t] x[src[t]] for t in ptr[r]..ptr[r+1]:
    its entries are the union of its terms' variables.  With W == 0, only
    count (union_: scratch of n entries); otherwise write rows of width W into
    oi (filled with -1), og and oh (zeroed).  Returns the largest union."""
    cdef Py_ssize_t r, t, e, a, b, q, u, widest = 0, ia
    cdef Py_ssize_t* row
    cdef double c
    for r in range(rows):
        u = 0
        row = union_ if W == 0 else oi + r * W
        for t in range(ptr[r], ptr[r + 1]):
            e = src[t]
            c = coef[t]
            for a in range(w):
                ia = ix[e * w + a]
                pos[a] = -1
                if ia < 0:
                    continue
                for q in range(u):
                    if row[q] == ia:
                        pos[a] = q
                        break
                if pos[a] < 0:
                    row[u] = ia
                    pos[a] = u
                    u += 1
            if W == 0:
                continue
            for a in range(w):
                if pos[a] < 0:
                    continue
                og[r * W + pos[a]] += _strong(c, g[e * w + a])
                for b in range(w):
                    if pos[b] >= 0:
                        oh[(r * W + pos[a]) * W + pos[b]] += _strong(c, h[(e * w + a) * w + b])
        if u > widest:
            widest = u
    return widest
