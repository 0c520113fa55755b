"""Hessian sparsity patterns found for the user: what detect_hessian_sparsity
and ``hessian(f, x, sparsity="auto")`` (dualnum/hessian.py, which computes
the Hessians) make of the Hessians at two points.

The pattern must hold at other points on the same code path, so an entry that
vanishes at x only by coincidence (Rosenbrock's H[i, i+1] = -400 x_i at
x_i = 0; H[0, 1] = 4 x_0 x_1 of x_0² x_1² at 0) must be in it.  It is found
numerically: H at x, and H at a point x' near x, both from one dense pass
(dualnum.hessian), and the pattern is every entry nonzero in either.  On one
code path f is a composition of analytic functions, so an entry that is not
zero throughout a neighbourhood of x vanishes at a random x' with probability
0; x' moves each x_i by a random 2⁻²⁰ to 2⁻¹⁹ of max(|x_i|, 1), away from
zero (x_i = 0 moves to a small positive value), so x' stays on the side of
zero x is on.  The random numbers come from a fixed seed: the same f and x
give the same pattern.

What the pattern covers:

- the branches (``if``, ``np.where``, ``abs``, ``max``, ...) that f takes at
  x and at x'; at a point exactly on a kink the two may differ, and the
  union covers both sides that were seen, not every side.  A branch taken
  elsewhere may need entries the pattern lacks; ``hessian(..., sparsity=p)``
  refuses a nonzero that lands in a (row, colour) slot no entry owns, but not
  one hidden in an owned slot.
- nan and inf entries at x or x' (f outside its domain, a singular point)
  count as nonzero: they are kept, not guessed away.
- entries that are exactly zero at x and x' but not identically zero
  (polynomials of very high order at 0, whose values underflow) would be
  missed; this takes an order near 300 at 0.

Why not the index sets of dualnum's second-order array alone: they bound
the pattern (H_ij can be nonzero only if some element depends on both x_i
and x_j), but they also pair variables that meet only linearly, and they end
where f reduces its array to a number (a sum), after which a product of two
sums couples every variable of both; the numbers at two points see all of it.

Cost: two dense passes (O(n²) memory: n = 1000 is 8 MB each), once; reuse
the pattern (``hessian(f, y, sparsity=pattern)``, ``minimize(...,
hess_sparsity="auto")``) for the sparse Hessians that follow, one
Hessian-vector product per star colour each.
"""
import numpy as np

from dualnum.sparsity import SparsityPattern

# how far x' is from x, relative to max(|x_i|, 1): far enough that a
# coincidental zero becomes a clearly nonzero number, near enough to stay on
# x's branch unless x is within this distance of a kink
_NUDGE = 2.0 ** -20


def nearby_point(point):
    """x' of the module docstring: each entry moved by a random (fixed-seed)
    2⁻²⁰ to 2⁻¹⁹ of max(|x_i|, 1), away from zero."""
    u = np.random.default_rng(20050101).uniform(1.0, 2.0, point.shape)
    away = np.where(point < 0, -1.0, 1.0)
    return point + away * _NUDGE * u * np.maximum(np.abs(point), 1.0)


def pattern_of(hessians, n):
    """The union of the nonzero (or nan/inf) entries of the given Hessians
    (each exactly symmetric, so the union is)."""
    used = hessians[0] != 0                     # nan != 0 holds: kept
    for hess in hessians[1:]:
        used |= hess != 0
    rows, cols = np.divmod(np.flatnonzero(used), n)     # one scan of the n x n entries
    import scipy.sparse
    return SparsityPattern(scipy.sparse.coo_array((np.ones(rows.size, dtype=bool), (rows, cols)),
                                                  shape=(n, n)), symmetric=True)
