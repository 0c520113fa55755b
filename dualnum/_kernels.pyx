"""Fused value-and-tangent kernels for dual arrays, and the rule lookup.

One pass over memory per elementwise operation: each element's value goes
through its rule from dualnum/_rules.pxd (the same table the scalar Dual
uses), and all k tangent directions of that element are scaled by the local
derivative while they are in cache.  The loops live in
dualnum/_loops.pxd; this module holds the table that finds a rule by name,
and the one rule numpy code gets outside it: the power at a constant
exponent 2 (x ** 2), which gives the power rule's numbers at a tenth of its
cost.
"""
cimport cython

from dualnum._rules cimport array_pow_rule
from dualnum._table cimport Row

import numpy as np

from dualnum._table import BY_SPELLING as _BY_SPELLING, SPECIAL_ROWS as _SPECIAL_ROWS


# ------------------------------------------------------------ rule lookup

cdef class Rule:
    pass


cdef Rule _rule_of(Row row):
    """The row's first-order rule, reported under its numpy name."""
    cdef Rule r = Rule.__new__(Rule)
    r.unary = row.first_unary
    r.binary = row.first_binary
    r.name = row.ufunc.__name__ if row.ufunc is not None else row.name
    r.fast = _FAST.get(r.name, FAST_NONE)
    if r.name == "power":
        r.binary = array_pow_rule       # numpy's values for x ** 2, x ** 0.5, x ** -1
    return r


cdef double _square_rule(double a, double b, double* da, double* db) noexcept nogil:
    # array_pow_rule at b == 2: a * a and 2 * pow(a, 1.0), which is 2 * a
    # (pow is exact where the power is a double); the partial in b, two pow
    # and a log per element there, is left 0: only a constant 2 comes here
    da[0] = 2.0 * a
    db[0] = 0.0
    return a * a


cdef Rule _power_of_constant_two():
    cdef Rule r = Rule.__new__(Rule)
    r.binary = _square_rule
    r.name = "power"                    # warns as np.power(x, 2) does
    r.fast = FAST_NONE
    return r


# x ** 2 with a constant exponent 2 (dualnum/_array.pyx swaps it in for the
# power rule): the same numbers at a tenth of the cost, numpy code squares a lot
SQUARE_BY_POWER = _power_of_constant_two()


# rules whose loops dualnum/_array.pyx runs with the rule inlined (see _loops.pxd)
cdef dict _FAST = {"negative": FAST_NEG, "exp": FAST_EXP, "log": FAST_LOG, "sin": FAST_SIN,
                   "cos": FAST_COS, "sqrt": FAST_SQRT, "tanh": FAST_TANH,
                   "add": FAST_ADD, "subtract": FAST_SUB, "multiply": FAST_MUL,
                   "divide": FAST_DIV, "power": FAST_POW}


UNARY_RULES = {}          # name -> Rule; every name numpy or dualnum uses for it
BINARY_RULES = {}

cdef dict _made = {}         # one Rule per row of the function table
for _name, _row in _BY_SPELLING.items():
    if _row.arity == 2 and not isinstance(getattr(np, _name, None), np.ufunc):
        continue             # (binary functions reach arrays only through numpy's ufuncs)
    _rule = _made.get(_row.name)
    if _rule is None:
        _rule = _made[_row.name] = _rule_of(_row)
    (UNARY_RULES if _row.arity == 1 else BINARY_RULES)[_name] = _rule

UNARY_NAMES = frozenset(UNARY_RULES)
BINARY_NAMES = frozenset(BINARY_RULES)

for _row in _SPECIAL_ROWS:  # scipy.special's: found by identity (dualnum/_scipy_dispatch.py)
    (UNARY_RULES if _row.arity == 1 else BINARY_RULES)[_row.name] = _rule_of(_row)


# ------------------------------------------- colouring for sparse Jacobians

@cython.boundscheck(False)
@cython.wraparound(False)
def color_columns(const Py_ssize_t[::1] col_ptr, const Py_ssize_t[::1] col_rows,
                  const Py_ssize_t[::1] row_ptr, const Py_ssize_t[::1] row_cols,
                  const Py_ssize_t[::1] order):
    """Greedy distance-1 colouring of the column-intersection graph.

    col_ptr/col_rows list each column's nonzero rows (CSC), row_ptr/row_cols
    each row's nonzero columns (CSR).  Columns are coloured in ``order``, each
    with the smallest colour no column sharing one of its rows has yet.
    """
    cdef Py_ssize_t n = col_ptr.shape[0] - 1
    cdef Py_ssize_t a, b, i, j, c, other
    colour_array = np.full(n, -1, dtype=np.intp)
    stamp_array = np.full(n + 1, -1, dtype=np.intp)  # stamp[c] == j: colour c is taken for j
    cdef Py_ssize_t[::1] colour = colour_array
    cdef Py_ssize_t[::1] stamp = stamp_array
    with nogil:
        for a in range(n):
            j = order[a]
            for b in range(col_ptr[j], col_ptr[j + 1]):
                i = col_rows[b]
                for c in range(row_ptr[i], row_ptr[i + 1]):
                    other = colour[row_cols[c]]
                    if other >= 0:
                        stamp[other] = j
            c = 0
            while stamp[c] == j:
                c += 1
            colour[j] = c
    return colour_array


# ------------------------------------------- star colouring for sparse Hessians

@cython.boundscheck(False)
@cython.wraparound(False)
def star_colour(const Py_ssize_t[::1] ptr, const Py_ssize_t[::1] adj,
                const Py_ssize_t[::1] order):
    """Greedy star colouring of a graph (Gebremedhin, Manne & Pothen 2005).

    ptr/adj list each vertex's neighbours (CSR of a symmetric pattern without
    its diagonal).  Vertices are coloured in ``order``, each with the smallest
    colour that keeps the colouring a star colouring of the coloured vertices:
    adjacent vertices differ, and no path on four vertices v-w-x-y takes only
    two colours.  Colouring v with colour(x), x a neighbour of its neighbour
    w, makes such a path when
      (i) x has a neighbour y other than w with colour(w): v-w-x-y, or
      (ii) v has a neighbour a other than w with colour(w): a-v-w-x,
    so those colours are forbidden; every new path of four vertices has v at
    one end or next to it, so the invariant holds vertex by vertex.
    """
    cdef Py_ssize_t n = ptr.shape[0] - 1
    cdef Py_ssize_t a, b, d, e, v, w, x, cw, cx, c, used = 0, forbidden
    cdef bint found
    colour_array = np.full(n, -1, dtype=np.intp)
    stamp_array = np.full(n + 1, -1, dtype=np.intp)   # stamp[c] == v: c is forbidden for v
    seen_array = np.full(n + 1, -1, dtype=np.intp)    # seen[c] == v: a neighbour of v has c
    twice_array = np.full(n + 1, -1, dtype=np.intp)   # twice[c] == v: two neighbours have c
    cdef Py_ssize_t[::1] colour = colour_array
    cdef Py_ssize_t[::1] stamp = stamp_array
    cdef Py_ssize_t[::1] seen = seen_array
    cdef Py_ssize_t[::1] twice = twice_array
    with nogil:
        for a in range(n):
            v = order[a]
            forbidden = 0
            for b in range(ptr[v], ptr[v + 1]):
                cw = colour[adj[b]]
                if cw < 0:
                    continue
                if seen[cw] == v:
                    twice[cw] = v
                seen[cw] = v
                if stamp[cw] != v:
                    stamp[cw] = v
                    forbidden += 1
            # once every colour in use is forbidden, v takes a new one anyway
            b = ptr[v]
            while forbidden < used and b < ptr[v + 1]:
                w = adj[b]
                b += 1
                cw = colour[w]
                if cw < 0:
                    continue
                for d in range(ptr[w], ptr[w + 1]):
                    x = adj[d]
                    cx = colour[x]
                    if x == v or cx < 0 or stamp[cx] == v:
                        continue
                    found = twice[cw] == v                             # (ii)
                    e = ptr[x]
                    while not found and e < ptr[x + 1]:                # (i)
                        found = adj[e] != w and colour[adj[e]] == cw
                        e += 1
                    if found:
                        stamp[cx] = v
                        forbidden += 1
            c = 0
            while stamp[c] == v:
                c += 1
            colour[v] = c
            if c == used:
                used += 1
    return colour_array
