"""Hessian sparsity patterns found for the user: detect_hessian_sparsity and
``hessian(f, x, sparsity="auto")``.

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

from dualnum._points import as_array
from dualnum.hessian import value_gradient_and_hessian
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


def _dense(f, point):
    found = value_gradient_and_hessian(f, point)
    if np.asarray(found[2]).dtype.kind != "f":
        # dual numbers of an enclosing call (nesting) in H
        raise TypeError("detect_hessian_sparsity and hessian with sparsity='auto' are not nestable "
                        "in this version of dualnum: f returned dual numbers of an enclosing "
                        "differentiation call (it closes over one); use hessian without sparsity= "
                        "inside other calls")
    return found


def _pattern(hessians, n):
    """The union of the nonzero (or nan/inf) entries of the given Hessians
    (each exactly symmetric, so the union is)."""
    used = hessians[0] != 0                     # nan != 0 holds: kept
    for hess in hessians[1:]:
        used |= hess != 0
    rows, cols = np.divmod(np.flatnonzero(used), n)     # one scan of the n x n entries
    import scipy.sparse
    return SparsityPattern(scipy.sparse.coo_array((np.ones(rows.size, dtype=bool), (rows, cols)),
                                                  shape=(n, n)), symmetric=True)


def _point(x, who):
    point = as_array(x)
    if point.ndim != 1:
        raise ValueError(f"{who} needs a 1-D point, got shape {point.shape}")
    return point


def detect_hessian_sparsity(f, x):
    """detect_hessian_sparsity(f, x) -> SparsityPattern

    The sparsity pattern of the Hessian of the scalar function ``f`` at the
    1-D point ``x``, safe to reuse at other points on the same code path, as
    a star-coloured :class:`SparsityPattern` (``symmetric=True``).

    An entry is in the pattern when it is nonzero at ``x`` or at a point
    near ``x`` (each x_i moved by about 10⁻⁶ max(|x_i|, 1) away from zero,
    with fixed-seed random factors), so entries that vanish at ``x`` only by
    coincidence (``x_0**2 * x_1**2`` at 0: H[0, 1] = 4 x_0 x_1) are in it:
    on one code path they vanish at the nearby point with probability 0.
    nan and inf entries count as nonzero.  The pattern is that of the
    branches f takes at the two points; see dualnum/hessian_sparsity.py for
    what it covers.  Any f that :func:`hessian` takes works, also on the
    object-array path; the cost is two dense Hessians (O(n²) memory), once.

    Parameters
    ----------
    f : callable
        Returns a real number; receives what :func:`hessian` passes.
    x : array_like
        The point, 1-D.

    Returns
    -------
    SparsityPattern
        Square and symmetric; ``colours`` Hessian-vector products give a
        Hessian with it (``hessian(f, y, sparsity=pattern)``).

    Raises
    ------
    ValueError
        For a point that is not 1-D.
    TypeError
        Inside another differentiation call (f closes over its dual
        numbers): sparse Hessians are not nestable; use :func:`hessian`
        without ``sparsity=`` there.

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> rosenbrock = lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    >>> pattern = dn.detect_hessian_sparsity(rosenbrock, np.zeros(6))   # H[i, i+1] = 0 here
    >>> pattern.rows.size, pattern.colours                  # the whole band, 3 colours
    (16, 3)
    """
    point = _point(x, "detect_hessian_sparsity")
    n = point.shape[0]
    return _pattern([_dense(f, point)[2], _dense(f, nearby_point(point))[2]], n)


def auto_sparse_hessian(f, point, sparse_output):
    """(value, gradient, H) for ``sparsity="auto"``: the dense pass at x gives
    H; a sparse result has the detected pattern (coincidental zeros stored as
    explicit zeros), so its structure is the same at other points on the
    code path.  A dense result needs no pattern: it is that pass alone."""
    value, gradient, hess = _dense(f, point)
    if not sparse_output:
        return value, gradient, hess
    pattern = _pattern([hess, _dense(f, nearby_point(point))[2]], point.shape[0])
    import scipy.sparse
    data = hess[pattern.rows, pattern.cols]
    return value, gradient, scipy.sparse.csr_array((data, pattern.cols, pattern.indptr),
                                                   shape=pattern.shape)
