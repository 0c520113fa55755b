"""Hessian sparsity patterns found for the user, for detect_hessian_sparsity
and ``hessian(f, x, sparsity="auto")`` (dualnum/hessian.py, which falls back
on its dense pass): the recorded passes, and what is made of the Hessians at
two points.

The pattern must hold at other points on the same code path, so an entry that
vanishes at x only by coincidence (Rosenbrock's H[i, i+1] = -400 x_i at
x_i = 0; H[0, 1] = 4 x_0 x_1 of x_0² x_1² at 0) must be in it.  It is found
numerically: the entries nonzero in H at x or in H at a point x' near x.  On
one code path f is a composition of analytic functions, so an entry that is
not zero throughout a neighbourhood of x vanishes at a random x' with
probability 0; x' moves each x_i by a random 2⁻²⁰ to 2⁻¹⁹ of max(|x_i|, 1),
away from zero (x_i = 0 moves to a small positive value), so x' stays on the
side of zero x is on.  The random numbers come from a fixed seed: the same f
and x give the same pattern.

Where the two Hessians come from:

- f's result is one sum or one element of the compiled second-order array
  (``np.sum(expression)``, the common case): H is exactly the sum of the
  local Hessians of that sum's rows (each row: the variables it depends on,
  ``index``, and their second derivatives, ``curv``), which a pass records
  (``_hessian_array.record``).  One hvp-sized pass per point, O(rows w²), no
  n x n matrix: ``coupled_pairs`` reads the pairs of a pass, and
  ``summed_hessian`` sums H itself (``sparsity="auto"`` takes one pass at x,
  keeping every pair the rows hold, zero or not: a superset of the pattern,
  the same at every point on the path).
- anything else (a sum of two sums, a product of sums, a scalar operation on
  elements, a function the array declines): after the reduction to a
  number, scalar operations couple variables that no row records, so H
  comes from the dense pass (O(n²) memory, n = 1000: 8 MB) and ``pattern_of``
  takes the union of the two.

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

Why numbers and not the rows' index sets alone: the index sets bound the
pattern (H_ij can be nonzero only if some row depends on both x_i and x_j)
but also pair variables that meet only linearly (x_0 x_1 has no diagonal).

Reuse the pattern (``hessian(f, y, sparsity=pattern)``, ``minimize(...,
hess_sparsity="auto")``): each sparse Hessian after costs one
Hessian-vector product per star colour.
"""
import numpy as np

from dualnum import _hessian_array
from dualnum._number import ForeignNumber, new_tag
from dualnum._read import read_hvp, real_partials
from dualnum.sparsity import SparsityPattern

# how far x' is from x, relative to max(|x_i|, 1): far enough that a
# coincidental zero becomes a clearly nonzero number, near enough to stay on
# x's branch unless x is within this distance of a kink
_NUDGE = 2.0 ** -20


_FACTORS = np.empty(0)          # the first n random factors of the fixed seed, any n so far


def nearby_point(point):
    """x' of the module docstring: each entry moved by a random (fixed-seed)
    2⁻²⁰ to 2⁻¹⁹ of max(|x_i|, 1), away from zero."""
    global _FACTORS
    n = point.shape[0]
    factors = _FACTORS
    if factors.size < n:       # a generator draws its doubles in order: a prefix is the same
        factors = _FACTORS = np.random.default_rng(20050101).uniform(1.0, 2.0, max(n, 2 * factors.size))
    away = np.where(point < 0, -1.0, 1.0)
    return point + away * _NUDGE * factors[:n] * np.maximum(np.abs(point), 1.0)


def pattern_of(hessians, n):
    """The union of the nonzero (or nan/inf) entries of the given dense
    Hessians."""
    used = hessians[0] != 0                     # nan != 0 holds: kept
    for hess in hessians[1:]:
        used |= hess != 0
    rows, cols = np.divmod(np.flatnonzero(used), n)     # one scan of the n x n entries
    return pattern_of_pairs(rows, cols, n)


def coupled_pairs(m, index, curv):
    """(rows, cols): the variables paired by a nonzero (or nan/inf) entry of
    the m local Hessians ``curv`` ((m, w, w) in any shape) over the variables
    ``index`` ((m, w), -1 unused) of the compiled array's rows."""
    w = index.size // m if m else 0
    if not w:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    index = np.asarray(index).reshape(m, w)
    element, a, b = np.nonzero(np.asarray(curv).reshape(m, w, w) != 0)
    rows, cols = index[element, a], index[element, b]
    used = (rows >= 0) & (cols >= 0)
    return rows[used], cols[used]


def pattern_of_pairs(rows, cols, n):
    """The star-coloured SparsityPattern of the pairs and their mirrors."""
    return SparsityPattern._of_entries(*symmetric_entries(rows, cols, n), (n, n), True)


def symmetric_entries(rows, cols, n):
    """(rows, cols) of the distinct pairs and their mirrors, sorted by row,
    then column."""
    lower, upper = np.minimum(rows, cols), np.maximum(rows, cols)
    return _mirrored(_distinct(_keys(lower, upper, n)), n)


def summed_hessian(m, index, curv, n):
    """(rows, cols, data): H as the sum of the m local Hessians (m, index,
    curv) of f's result, on every pair of variables one of them holds (so
    entries that are 0 here are kept: the same pairs at every point on the
    code path), sorted by row, then column, exactly symmetric (the loop is
    _hessian_array.summed_hessian's)."""
    indptr, cols, data = _hessian_array.summed_hessian(m, index, curv, n)
    return np.repeat(np.arange(n, dtype=np.intp), np.diff(indptr)), cols, data


def _keys(rows, cols, n):
    """One int64 per pair, ordered as (row, column): row bits above column bits."""
    return (rows.astype(np.int64) << _bits(n)) | cols


def _bits(n):
    return max(int(n - 1).bit_length(), 1)


def _mirrored(keys, n):
    """(rows, cols) of the distinct upper keys and their mirrors, sorted by
    row, then column."""
    bits = _bits(n)
    rows, cols = keys >> bits, keys & ((1 << bits) - 1)
    off = rows != cols
    keys = np.sort(np.concatenate((keys, (cols[off] << bits) | rows[off])))
    return (keys >> bits).astype(np.intp), (keys & ((1 << bits) - 1)).astype(np.intp)


def _distinct(keys):
    """The sorted distinct keys (np.unique, without its hashing: faster here)."""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if keys.size else keys


def recorded_pass(f, point, direction):
    """(value, gradient, H v, records) from one hvp pass on the compiled
    array; records is (m, index, curv), the rows whose local Hessians make
    f's result (the module docstring), or None where they are not all of H:
    f returned something other than one sum or element of the array (a
    product of two sums, a constant).  None where the array declined f (then
    hessian's other paths take it: objects, nesting)."""
    tag = new_tag()
    seed = _hessian_array.seed_along(point, direction, tag)
    _hessian_array.record(tag)
    try:
        result = f(seed)
    except (_hessian_array.NotCompiled, ForeignNumber):
        return None
    finally:
        _hessian_array.release(tag)
        records = _hessian_array.recorded(tag)
    value, gradient, product = read_hvp(result, tag, point.size)
    summed = next(((m, index, curv) for made, m, index, curv in records if made is result), None)
    return value, gradient, real_partials(product, "hessian"), summed


def recorded_detection(f, point):
    """The pattern from recorded passes at x' and x, or None (see recorded_pass)."""
    zero = np.zeros(point.shape[0])
    found = []
    for y in (nearby_point(point), point):
        passed = recorded_pass(f, y, zero)
        if passed is None or passed[3] is None:
            return None
        found.append(passed)
    (rows, cols), (rows_x, cols_x) = (coupled_pairs(*passed[3]) for passed in found)
    return pattern_of_pairs(np.concatenate((rows, rows_x)), np.concatenate((cols, cols_x)),
                            point.shape[0])


def recorded_hessian(f, point):
    """(value, gradient, rows, cols, data) for "auto" from one recorded pass
    at x: H is the sum of the local Hessians of f's result, on every pair of
    variables they hold (pairs that are 0 here are kept, so the structure is
    the same at every point on the code path); None where the pass is not
    recorded (then the dense pass)."""
    here = recorded_pass(f, point, np.zeros(point.shape[0]))
    if here is None or here[3] is None:
        return None
    return (here[0], here[1], *summed_hessian(*here[3], point.shape[0]))
