"""Sparse Jacobians by column colouring.

Columns j and j' of a Jacobian that never share a nonzero row can be seeded
with the same direction: one forward pass then gives both, each in the rows
where only it is nonzero.  Greedy colouring of the column-intersection graph
assigns such shared directions, so a tridiagonal Jacobian takes 3 directions
whatever its size.  The pass runs on a DualArray with k = number of colours.
"""
import numpy as np

from dualnum import _kernels
from dualnum._core import Dual, dual_parts, extract, new_tag
from dualnum.dualarray import DualArray


def pattern_coordinates(sparsity, shape=None):
    """(rows, cols, (m, n)) of the nonzeros of a boolean array or scipy.sparse pattern."""
    if hasattr(sparsity, "tocoo"):                      # scipy.sparse matrix or array
        coo = sparsity.tocoo()
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


def sparse_jacobian(f, point, sparsity, sparse_output):
    """(f(point), J) from one pass with one direction per colour (point: 1-D float64)."""
    if point.ndim != 1:
        raise ValueError(f"a sparse Jacobian needs a 1-D point, got shape {point.shape}")
    n = point.shape[0]
    rows, cols, (m, n_pattern) = pattern_coordinates(sparsity)
    if n_pattern != n:
        raise ValueError(f"sparsity has {n_pattern} columns, x has {n} entries")
    colour = color_columns(rows, cols, m, n)
    k = int(colour.max()) + 1 if n else 1
    tangent = np.zeros((n, k))
    tangent[np.arange(n), colour] = 1.0
    tag = new_tag()
    value, compressed = _value_and_tangent(f(DualArray._wrap(point.copy(), tangent, tag)), tag, k)
    if value.shape != (m,):
        raise ValueError(f"sparsity has {m} rows, f returned shape {value.shape}")
    _check_pattern(compressed, rows, colour[cols], m, k)
    data = compressed[rows, colour[cols]]
    if sparse_output:
        import scipy.sparse
        return value, scipy.sparse.csr_array((data, (rows, cols)), shape=(m, n))
    jac = np.zeros((m, n))
    jac[rows, cols] = data
    return value, jac


def _value_and_tangent(result, tag, k):
    """f's result as (values, tangents of shape values.shape + (k,))."""
    if isinstance(result, DualArray):
        if result.tag != tag or result.directions != k:
            raise ValueError("the function returned a dual array not seeded by this call")
        return result.value, result.tangent
    if type(result) is Dual:
        value, partials, rtag = dual_parts(result)
        if partials.shape[0] and rtag != tag:
            raise ValueError("the function returned a dual number not seeded by this call")
        return np.asarray(value), partials if partials.shape[0] else np.zeros(k)
    value, partials = extract(result, tag, k)
    return np.asarray(value), partials


def _check_pattern(compressed, rows, row_colours, m, k):
    """A nonzero in a (row, colour) slot that no pattern entry owns means the
    function depends on a variable the pattern left out: the result would be wrong."""
    owned = np.zeros((m, k), dtype=bool)
    owned[rows, row_colours] = True
    stray = (compressed != 0) & ~owned
    if stray.any():
        i, c = np.argwhere(stray)[0]
        raise ValueError(
            f"the Jacobian has a nonzero outside the given sparsity pattern (row {i}); "
            "the pattern must include every entry that can be nonzero")
