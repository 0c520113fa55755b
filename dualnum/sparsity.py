"""Sparse Jacobians by column colouring.

Columns j and j' of a Jacobian that never share a nonzero row can be seeded
with the same direction: one forward pass then gives both, each in the rows
where only it is nonzero.  Greedy colouring of the column-intersection graph
assigns such shared directions, so a tridiagonal Jacobian takes 3 directions
whatever its size.  The pass runs on a DualArray with k = number of colours.

Without a given pattern, ``sparsity="auto"`` and :func:`detect_sparsity`
find it by running f once on all n directions stored sparsely (each element
of a DualArray tracks the variables it was computed from), which also gives
the Jacobian itself.

Hessians are symmetric, which a colouring can exploit: ``SparsityPattern(p,
symmetric=True)`` star-colours the pattern's adjacency graph (Gebremedhin,
Manne & Pothen, SIAM Review 2005: adjacent variables differ, and no path on
four variables takes only two colours), so an arrowhead needs 2 colours where
a column colouring needs n.  H V, V the n x colours seed, then holds every
H_ij directly: in row i at colour c(j) when j is the only variable of colour
c(j) that row i's pattern has, else in row j at colour c(i), which the star
property makes unique.  Each unordered pair is read from one place, so the
recovered H is exactly symmetric.  dualnum/hessian_sparsity.py finds Hessian
patterns.

An output of any shape S is read flattened: the pattern's rows are its
elements in C order (m = prod(S)), and a dense J comes back with shape
S + x.shape, as from the dense jacobian (a sparse one keeps the m rows).
"""
from typing import Any

import numpy as np

from dualnum import _kernels
from dualnum._array import seed_sparse
from dualnum._number import new_tag
from dualnum._points import as_array
from dualnum._forward import _object_jacobian
from dualnum._read import read, real_partials
from dualnum._slow_path import compiled_or_objects, converted, objects
from dualnum.dualarray import DualArray


def pattern_coordinates(sparsity, shape=None):
    """(rows, cols, (m, n)) of the nonzeros of a boolean array or scipy.sparse pattern."""
    if hasattr(sparsity, "tocoo"):                      # scipy.sparse matrix or array
        coo = sparsity.tocoo(copy=True)
        coo.sum_duplicates()                  # a repeated coordinate is one entry
        keep = coo.data != 0
        rows, cols, pattern_shape = coo.row[keep], coo.col[keep], coo.shape
    else:
        dense = np.asarray(sparsity)
        if dense.ndim != 2:
            raise ValueError(f"sparsity must be a 2-D pattern (m, n), got shape {dense.shape}")
        if dense.dtype.kind not in "biuf":
            raise TypeError(f"sparsity must be boolean or numeric, got dtype {dense.dtype}")
        rows, cols = np.nonzero(dense)
        pattern_shape = dense.shape
    if shape is not None and tuple(pattern_shape) != tuple(shape):
        raise ValueError(f"sparsity has shape {tuple(pattern_shape)}, the Jacobian has shape {tuple(shape)}")
    order = np.lexsort((cols, rows))
    return rows[order].astype(np.intp), cols[order].astype(np.intp), tuple(pattern_shape)


def color_columns(rows, cols, m, n):
    """Greedy colouring: colour[j] for every column, no two columns of a row alike.

    Columns are coloured in order of decreasing nonzero count (largest first),
    each with the smallest colour not used by a column it shares a row with
    (the loop runs in C: dualnum._kernels.color_columns).
    """
    by_column = np.argsort(cols, kind="stable")
    col_ptr = np.concatenate(([0], np.cumsum(np.bincount(cols, minlength=n)))).astype(np.intp)
    row_ptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=m)))).astype(np.intp)
    counts = np.diff(col_ptr)
    order = np.argsort(-counts, kind="stable").astype(np.intp)
    # rows/cols are sorted by row, so cols is already the CSR column list
    return _kernels.color_columns(col_ptr, np.ascontiguousarray(rows[by_column], dtype=np.intp),
                                  row_ptr, np.ascontiguousarray(cols, dtype=np.intp), order)


def transposed_positions(rows, cols, n):
    """For each nonzero (i, j) of a pattern sorted by row, then column, the
    position of (j, i); ValueError if the pattern is not symmetric."""
    keys = rows * n + cols
    wanted = cols * n + rows
    positions = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
    if keys.size and not np.array_equal(keys[positions], wanted):
        raise ValueError("a Hessian sparsity pattern must be symmetric (H[i, j] and H[j, i] both "
                         "in it, or neither); add the mirrored entries, e.g. pattern | pattern.T")
    return positions


def star_colour(rows, cols, n):
    """Star colouring of a symmetric pattern's adjacency graph (its diagonal
    ignored): colour[j] for every variable, in dualnum._kernels.star_colour's
    greedy order of decreasing degree (the hub of an arrowhead first)."""
    off = rows != cols
    ptr = np.concatenate(([0], np.cumsum(np.bincount(rows[off], minlength=n)))).astype(np.intp)
    order = np.argsort(-np.diff(ptr), kind="stable").astype(np.intp)
    # rows/cols are sorted by row, so cols[off] lists each vertex's neighbours
    return _kernels.star_colour(ptr, np.ascontiguousarray(cols[off], dtype=np.intp), order)


def star_sources(rows, cols, colour, colours):
    """(source, owned): for each nonzero (i, j), its flat position in the
    compressed H V (n x colours) under direct recovery, the same for (i, j)
    and (j, i); owned[i, c]: row i's pattern has a variable of colour c."""
    n = colour.shape[0]
    count = np.bincount(rows * colours + colour[cols], minlength=n * colours)
    # each pair is read on its lower variable's row when the higher one is
    # alone with its colour there; else the star property makes the lower
    # one alone with its colour in the higher one's row
    low, high = np.minimum(rows, cols), np.maximum(rows, cols)
    on_low = low * colours + colour[high]
    source = np.where(count[on_low] == 1, on_low, high * colours + colour[low])
    return source, (count > 0).reshape(n, colours)


class SparsityPattern:
    """SparsityPattern(pattern, symmetric=False)

    A sparsity pattern analysed once — its nonzeros, a colouring and the
    seed — for repeated sparse derivatives on the same structure (Newton
    iterations): pass it as ``jacobian(..., sparsity=...)`` or, made with
    ``symmetric=True``, as ``hessian(..., sparsity=...)``.

    Parameters
    ----------
    pattern : (m, n) boolean array or scipy.sparse matrix
        True (nonzero) wherever the derivative can be nonzero.
    symmetric : bool, optional
        The pattern of a Hessian: square and symmetric (ValueError
        otherwise), its variables star-coloured (see
        dualnum/sparsity.py), so that the Hessian comes from ``colours``
        Hessian-vector products: 1 for a diagonal, 2 for an arrowhead, 3 for
        a tridiagonal band, n for a dense pattern.  False (the default)
        colours columns for a Jacobian: no two columns that share a row
        alike.

    Attributes
    ----------
    colours : int
        The number of directions one sparse derivative takes.
    colour : ndarray of intp
        The colour of each column (variable).

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> tridiagonal = np.eye(5, dtype=bool) | np.eye(5, k=1, dtype=bool) | np.eye(5, k=-1, dtype=bool)
    >>> dn.SparsityPattern(tridiagonal).colours
    3
    >>> arrowhead = np.eye(6, dtype=bool)
    >>> arrowhead[0, :] = arrowhead[:, 0] = True
    >>> dn.SparsityPattern(arrowhead).colours, dn.SparsityPattern(arrowhead, symmetric=True).colours
    (6, 2)
    """

    def __init__(self, pattern: Any, symmetric: bool = False) -> None:
        rows, cols, shape = pattern_coordinates(pattern)
        if symmetric:
            if shape[0] != shape[1]:
                raise ValueError(f"a symmetric (Hessian) pattern must be square, got shape {shape}")
            transposed_positions(rows, cols, shape[1])          # refuses an asymmetric one
        self._analyse(rows, cols, shape, bool(symmetric))

    @classmethod
    def _of_entries(cls, rows: Any, cols: Any, shape: tuple[int, int], symmetric: bool) -> "SparsityPattern":
        """The pattern of entries already sorted by row, then column, without
        repeats (intp arrays; symmetric ones with every mirror): what detection
        builds, without a second sort or check."""
        pattern = cls.__new__(cls)
        pattern._analyse(rows, cols, shape, symmetric)
        return pattern

    def _analyse(self, rows: Any, cols: Any, shape: tuple[int, int], symmetric: bool) -> None:
        self.rows, self.cols, self.shape = rows, cols, shape
        self.symmetric = symmetric
        m, n = self.shape
        if symmetric:
            self.colour = star_colour(self.rows, self.cols, n)
        else:
            self.colour = color_columns(self.rows, self.cols, m, n)
        self.colours = int(self.colour.max()) + 1 if n else 1
        self.seed = np.zeros((n, self.colours))
        self.seed[np.arange(n), self.colour] = 1.0
        self.slots = self.colour[self.cols]                   # colour of each nonzero
        if symmetric:
            # flat position in H V of each nonzero, and the (row, colour) slots in use
            self.source, self.owned = star_sources(self.rows, self.cols, self.colour, self.colours)
        else:
            self.owned = np.zeros((m, self.colours), dtype=bool)
            self.owned[self.rows, self.slots] = True
        # CSR structure of the output: the nonzeros are sorted by row, then column
        self.indptr = np.concatenate(([0], np.cumsum(np.bincount(self.rows, minlength=m))))

    def __repr__(self) -> str:
        kind = ", symmetric=True" if self.symmetric else ""
        return (f"SparsityPattern(shape={self.shape}, nonzeros={self.rows.size}, "
                f"colours={self.colours}{kind})")


# Patterns passed as dense ndarrays in every call (a Newton loop) are analysed
# once per content: the last few analyses are kept with a private copy of the
# array each came from, and reused when a new array has the same shape, dtype
# and bytes.  Comparing contents (O(m n), ~1 byte per entry) is far cheaper than
# np.nonzero plus a colouring, and, unlike a key by identity, stays right when
# the caller edits the array in place between calls.  Arrays past
# _CACHED_BYTES are not kept (at most 4 x 8 MiB of copies held).
_CACHED_PATTERNS = 4
_CACHED_BYTES = 8 * 2**20
_analysed = ()                    # ((copy, symmetric, SparsityPattern), ...), newest first


def _same_contents(kept, array):
    """kept (a C-contiguous copy) and array hold the same shape, dtype and entries."""
    if kept.shape != array.shape or kept.dtype != array.dtype:
        return False
    if array.flags.c_contiguous and array.nbytes % 8 == 0:
        # compare the bytes as 8-byte words: 8x fewer elements than the entries of a bool array
        return np.array_equal(kept.reshape(-1).view(np.uint64), array.reshape(-1).view(np.uint64))
    return np.array_equal(kept, array)


def analysed_pattern(sparsity, symmetric=False):
    """sparsity as a SparsityPattern: one as it is, a dense ndarray from the
    cache of recent analyses when its contents match, anything else analysed
    now (which raises the pattern's errors)."""
    global _analysed
    if isinstance(sparsity, SparsityPattern):
        return sparsity
    if type(sparsity) is not np.ndarray or sparsity.dtype == object:
        return SparsityPattern(sparsity, symmetric=symmetric)
    entries = _analysed               # one read of the global: other threads may replace it
    for kept, kept_symmetric, pattern in entries:
        if kept_symmetric == symmetric and _same_contents(kept, sparsity):
            return pattern
    pattern = SparsityPattern(sparsity, symmetric=symmetric)
    if sparsity.nbytes <= _CACHED_BYTES:
        _analysed = ((np.array(sparsity, order="C"), symmetric, pattern),) + entries[:_CACHED_PATTERNS - 1]
    return pattern


def stray_entries(compressed, pattern):
    """Where a compressed derivative is nonzero in a (row, colour) slot no
    pattern entry owns.  nan is not counted: at a point with nan entries the
    derivatives are nan (nan in, nan out), which says nothing about the pattern."""
    return (compressed != 0) & ~np.isnan(compressed) & ~pattern.owned


def sparse_jacobian(f, point, sparsity, sparse_output):
    """(f(point), J) from one pass with one direction per colour (point: 1-D float64)."""
    if point.ndim != 1:
        raise ValueError(f"a sparse Jacobian needs a 1-D point, got shape {point.shape}")
    pattern = analysed_pattern(sparsity)
    m, n = pattern.shape
    if n != point.shape[0]:
        raise ValueError(f"sparsity has {n} columns, x has {point.shape[0]} entries")
    tag = new_tag()

    def seeded():                     # fresh for the slow path: f may have written into the first
        return DualArray._wrap(point.copy(), pattern.seed.copy(), tag, True)

    try:                              # inline, not through compiled_or_objects: a hot path
        result = f(seeded())
    except TypeError as error:
        if not converted(error, "jacobian"):
            raise
        result = f(objects(seeded()))
    value, compressed = read(result, tag, pattern.colours)
    value = np.asarray(value)
    if value.size != m:
        raise ValueError(f"sparsity has {m} rows, f returned shape {value.shape}")
    compressed = real_partials(compressed).reshape(m, pattern.colours)
    stray = stray_entries(compressed, pattern)
    if stray.any():
        # a derivative in a (row, colour) slot no pattern entry owns: f depends on
        # a variable the pattern left out, so the result would be wrong
        raise ValueError(
            f"the Jacobian has a nonzero outside the given sparsity pattern (row "
            f"{np.argwhere(stray)[0][0]}); the pattern must include every entry that can be nonzero")
    data = compressed[pattern.rows, pattern.slots]
    if sparse_output:
        import scipy.sparse
        return value, scipy.sparse.csr_array((data, pattern.cols, pattern.indptr), shape=(m, n))
    jac = np.zeros((m, n))
    jac[pattern.rows, pattern.cols] = data
    return value, jac.reshape(value.shape + (n,))


class _DenseObjects:
    """(value, J) from the slow path (f converted its argument): nothing traced."""

    def __init__(self, found: tuple[Any, Any]) -> None:
        self.value, self.partials = found


def _traced_jacobian(f, point):
    """(value, rows, cols, data, structural) of J from one evaluation of f on
    all directions stored sparsely (point: 1-D; rows: of the flattened value,
    which keeps its shape).  Entries are structural (every
    variable each output was computed from, including partials that happen to
    be 0 here) unless f's operations needed dense tangents; then they are the
    nonzeros at this point and ``structural`` is False."""
    n = point.shape[0]
    tag = new_tag()
    result = compiled_or_objects(f, lambda _: _DenseObjects(_object_jacobian(f, point)),
                                 "jacobian", seed_sparse(point, tag))
    if isinstance(result, _DenseObjects):        # the slow path: the nonzeros at this point
        return _nonzeros(np.asarray(result.value), result.partials, n)
    if isinstance(result, DualArray) and result.sparse_tangent is not None and result.tag == tag:
        value = np.asarray(result.value)
        index, weight = result.sparse_tangent
        rows = np.repeat(np.arange(value.size, dtype=np.intp), index.shape[-1])
        cols, data = index.reshape(-1), weight.reshape(-1)
        used = cols >= 0
        return value, rows[used], cols[used], data[used], True
    value, partials = read(result, tag, n)
    return _nonzeros(np.asarray(value), partials, n)


def _nonzeros(value, partials, n):
    partials = real_partials(partials).reshape(value.size, n)
    rows, cols = np.nonzero(partials)
    return value, rows, cols, partials[rows, cols], False


def auto_sparse_jacobian(f, point, sparse_output):
    """(f(point), J) from one traced pass (``jacobian(..., sparsity="auto")``)."""
    if point.ndim != 1:
        raise ValueError(f"a sparse Jacobian needs a 1-D point, got shape {point.shape}")
    value, rows, cols, data, _ = _traced_jacobian(f, point)
    shape = (value.size, point.shape[0])
    if sparse_output:
        import scipy.sparse
        jac = scipy.sparse.csr_array((data, (rows, cols)), shape=shape)   # repeats add up
        jac.sum_duplicates()
        return value, jac
    jac = np.zeros(shape)
    np.add.at(jac, (rows, cols), data)
    return value, jac.reshape(value.shape + point.shape)


def detect_sparsity(f, x):
    """detect_sparsity(f, x) -> SparsityPattern

    The Jacobian sparsity pattern of ``f`` (Rⁿ → Rᵐ; an output of another
    shape has its m elements as rows, in C order) found by evaluating it
    once with every variable tracked: entry (i, j) is in the pattern when
    output i was computed from x_j, even if ∂f_i/∂x_j happens to be 0 at
    ``x``.  Reuse the result as ``jacobian(f, x, sparsity=pattern)`` at other
    points on the same structure (Newton iterations): each of those Jacobians
    then costs one pass with one direction per colour.

    The pattern is that of the code path taken at ``x``: a branch on values
    (``if``, ``np.where``'s condition) that selects other variables elsewhere
    is not seen.  Tracking covers elementwise functions, operators, slicing
    and fancy indexing, ``concatenate`` and full sums of arrays.  Single
    elements (``x[0] * x[1]``: scalar duals) and other operations (matrix
    products, reductions over an axis, ``stack``, ...) carry dense
    derivatives and make this raise ValueError: pass an explicit pattern then.

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> F = lambda u: u[:-1] * u[1:] + np.exp(u[:-1])
    >>> dn.detect_sparsity(F, np.ones(6)).colours
    2
    """
    point = as_array(x)
    if point.ndim != 1:
        raise ValueError(f"detect_sparsity needs a 1-D point, got shape {point.shape}")
    value, rows, cols, _, structural = _traced_jacobian(f, point)
    if not structural:
        raise ValueError(
            "f uses an operation that needs dense derivatives (e.g. a matrix product or a "
            "reduction over an axis) or converts its argument with np.asarray, so its sparsity "
            "cannot be traced; pass an explicit pattern")
    import scipy.sparse
    pattern = scipy.sparse.coo_array((np.ones(rows.shape[0], dtype=bool), (rows, cols)),
                                     shape=(value.size, point.shape[0]))
    return SparsityPattern(pattern)
