"""The forward passes behind gradient, jacobian, jvp and derivative on arrays:
seed a DualArray with a chunk of directions, evaluate f once, read the tangents.

f receives a DualArray of the point's shape (a scalar Dual for a 0-d point),
so numpy code runs through the fused kernels and scalar-style code
(``x[0] * x[1]``) gets scalar Duals by indexing.
"""
import numpy as np

from dualnum._array import DenseTangentTooLarge, seed_block, seed_sparse, set_dense_budget
from dualnum._core import extract
from dualnum._number import new_tag
from dualnum.dualarray import DualArray

# Directions carried per evaluation of f with dense tangents.  An operation
# on a DualArray costs about a microsecond plus one pass over its
# (elements x chunk) tangents, so wide chunks mean fewer evaluations of f
# (measured with dense chunks at n = 3000: the Rosenbrock gradient took
# 280 / 232 / 107-115 / 97-111 / 118 ms with chunks of 64 / 128 / 256 / 512 /
# 1024, the Bratu Jacobian 173 / 175 / 157-166 / 114-123 / 137 ms); 256 keeps
# each array at 2 KiB per element.
MAX_CHUNK = 256

# Between these sizes f gets all n directions in one pass, stored sparsely
# (element i starts with the single entry "direction i"; see
# dualnum/_array.pyx): elementwise, sliced and banded code then costs O(n) per
# operation where dense chunks cost O(n²) in total.  Below, dense tangents
# have less overhead per operation (measured crossover on W3/W5: ~100).
SPARSE_SEEDING = (96, 10**12)

# Code that needs dense derivatives (a matrix product, a reduction over an
# axis) turns sparse tangents dense.  Past this many bytes for one array the
# sparse pass stops (DenseTangentTooLarge) and f is evaluated again with dense
# tangents in chunks, whose arrays stay (elements x MAX_CHUNK).
DENSE_BUDGET = 64 * 2**20


def chunks(n, max_chunk=None):
    """Split n directions into near-equal (start, size) chunks of at most max_chunk."""
    if n == 0:
        return []
    max_chunk = max_chunk or MAX_CHUNK
    passes = -(-n // max_chunk)
    size = -(-n // passes)
    return [(start, min(size, n - start)) for start in range(0, n, size)]


def seed(point, tangent, tag):
    """f's argument: ``point`` (float64, not modified) with ``tangent`` of shape
    point.shape + (k,); a 0-d point is passed as a scalar Dual."""
    x = DualArray._wrap(point.copy(), tangent, tag, True)     # fresh: f's operations may be recorded
    return x[()] if point.ndim == 0 else x


def split(result, tag, k):
    """f's result as (value, partials of shape value.shape + (k,)).

    The value is a float for a scalar result and a float64 array otherwise;
    results may be DualArrays, Duals, numbers, or sequences/arrays of them.
    """
    if isinstance(result, DualArray):
        if result.tag != tag:
            raise ValueError(
                "the function returned a dual array that was not seeded by this "
                "differentiation call (e.g. from a nested derivative that closes over an "
                "outer variable); nested differentiation is not supported in this version")
        if result.directions != k:
            raise ValueError(
                f"the function returned a dual array with {result.directions} directions, expected {k}")
        if result.ndim == 0:
            return float(result.value), result.tangent.reshape(k)
        return result.value, result.tangent
    if isinstance(result, (list, tuple)) and any(isinstance(item, DualArray) for item in result):
        pieces = [split(item, tag, k) for item in result]
        if len({np.shape(value) for value, _ in pieces}) > 1:
            raise ValueError("the function returned a ragged sequence of arrays")
        return (np.stack([np.asarray(value, dtype=np.float64) for value, _ in pieces]),
                np.stack([partials for _, partials in pieces]))
    return extract(result, tag, k)


def value_and_jacobian(f, point):
    """f(point) and J with J.shape == value.shape + point.shape (point: float64 array)."""
    n = point.size
    if n == 0:
        tag = new_tag()
        value, _ = split(f(seed(point, np.zeros(point.shape + (1,)), tag)), tag, 1)
        return value, np.zeros(np.shape(value) + point.shape)
    if SPARSE_SEEDING[0] <= n <= SPARSE_SEEDING[1]:
        tag = new_tag()
        previous = set_dense_budget(DENSE_BUDGET)
        too_dense = False
        try:
            result = f(seed_sparse(point, tag))
        except DenseTangentTooLarge:
            too_dense = True              # f needs dense derivatives: chunks below
        finally:
            set_dense_budget(previous)
        if not too_dense:
            value, partials = split(result, tag, n)
            return value, partials.reshape(partials.shape[:-1] + point.shape)
    if n <= MAX_CHUNK:                # one pass: the partials are the whole Jacobian
        tag = new_tag()
        value, partials = split(f(seed_block(point, 0, n, tag)), tag, n)
        return value, partials.reshape(partials.shape[:-1] + point.shape)
    value = jac = None
    for start, k in chunks(n):
        tag = new_tag()
        chunk_value, partials = split(f(seed_block(point, start, k, tag)), tag, k)
        if jac is None:
            value = chunk_value
            jac = np.empty(partials.shape[:-1] + (n,), dtype=partials.dtype)
        elif np.shape(chunk_value) != np.shape(value):
            raise ValueError(
                "the function returned results of different shapes on the same point "
                f"({np.shape(value)} and {np.shape(chunk_value)})")
        jac[..., start:start + k] = partials
    return value, jac.reshape(jac.shape[:-1] + point.shape)


def value_and_jvp(f, point, direction=None):
    """f(point) and J @ direction in one evaluation (both float64 arrays of one
    shape; no direction: all ones, the elementwise derivative)."""
    tag = new_tag()
    if direction is None:
        tangent = np.ones(point.shape + (1,))
    else:
        tangent = direction[..., np.newaxis].copy()
    value, partials = split(f(seed(point, tangent, tag)), tag, 1)
    if type(value) is float:
        return value, float(partials[0])
    if partials.ndim == 1 and not isinstance(value, np.ndarray):   # a number of an enclosing call
        return value, partials[0]
    return value, partials[..., 0]
