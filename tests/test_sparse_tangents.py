"""Sparse tangents of DualArray (dualnum/_array.pyx, _join_sparse in
dualnum/_functions_shape.py).

Every sparse-aware operation is compared with the same numpy operation on the
dense equivalent ``DualArray(value, dense_tangent, tag)``, whose tangent is
built here with plain numpy (np.add.at) from the (index, weight) entries, so
the reference never goes through the sparse code.  Rows generated below hold
distinct directions and dyadic weights, so results agree exactly; the 1e-15
tolerance only allows for a different summation order of repeated directions.
"""

import operator

import numpy as np
import pytest

import dualnum as dn
from dualnum import _kernels
from dualnum._array import seed_sparse, wrap_sparse
from dualnum._core import Dual, dual_from, dual_parts
from dualnum.dualarray import DualArray

TAG = 23
K = 7                           # directions of the generated arrays
TOL = dict(rtol=1e-15, atol=1e-15)


# --------------------------------------------------------------------------
# helpers


def scatter(index, weight, k):
    """Dense tangent of sparse entries with plain numpy: -1 entries are
    ignored, repeated directions add up."""
    index, weight = np.asarray(index), np.asarray(weight)
    w = index.shape[-1]
    rows, cols = index.reshape(-1, w), weight.reshape(-1, w)
    dense = np.zeros((rows.shape[0], k))
    r, c = np.nonzero(rows >= 0)
    np.add.at(dense, (r, rows[r, c]), cols[r, c])
    return dense.reshape(index.shape[:-1] + (k,))


def pair(value, w, seed, k=K, tag=TAG, index=None):
    """(sparse DualArray, dense equivalent).  Each row has w distinct
    directions, about a quarter of the entries unused (-1) and carrying a
    junk weight that must be ignored; weights are nonzero multiples of 1/8.
    ``index`` reuses a given index array object (shared directions)."""
    value = np.array(value, dtype=np.float64)
    rng = np.random.default_rng(seed)
    if index is None:
        rows = [rng.choice(k, size=w, replace=False) for _ in range(value.size)]
        index = np.array(rows, dtype=np.intp).reshape(value.shape + (w,))
        index[rng.random(index.shape) < 0.25] = -1
    weight = rng.integers(1, 17, size=index.shape) * rng.choice([-0.125, 0.125], size=index.shape)
    weight[index < 0] = 99.0
    dense = DualArray(value, scatter(index, weight, k), tag)
    return wrap_sparse(value.copy(), index, weight, k, tag), dense


def width(x):
    return x.sparse_tangent[0].shape[-1]


def check(result, expected, sparse=True):
    """result equals the dense computation `expected`: same type, tag and
    directions, values exactly, tangents to 1e-15; for an array, stored
    sparsely or densely as `sparse` says (checked before .tangent densifies)."""
    if type(expected) is Dual:
        assert type(result) is Dual, type(result)
        rv, rp, rtag = dual_parts(result)
        ev, ep, etag = dual_parts(expected)
        assert rtag == etag and rp.shape == ep.shape
        np.testing.assert_array_equal(rv, ev)
        np.testing.assert_allclose(rp, ep, **TOL)
        return
    assert type(result) is DualArray, type(result)
    assert (result.tag, result.directions) == (expected.tag, expected.directions)
    assert (result.sparse_tangent is not None) == sparse
    np.testing.assert_array_equal(result.value, expected.value)
    if sparse:                  # the stored entries themselves, then the conversion
        np.testing.assert_allclose(scatter(*result.sparse_tangent, result.directions),
                                   expected.tangent, **TOL)
    np.testing.assert_allclose(result.tangent, expected.tangent, **TOL)
    assert result.sparse_tangent is None          # reading .tangent converted it


# --------------------------------------------------------------------------
# storage: constructors and conversion


def test_wrap_sparse_keeps_arrays_and_converts_once():
    index = np.array([[0, 0, 2], [-1, 1, -1]], dtype=np.intp)
    weight = np.array([[1.0, 2.0, 3.0], [7.0, -0.5, 7.0]])
    x = wrap_sparse(np.array([1.0, 2.0]), index, weight, 4, TAG)
    assert x.sparse_tangent[0] is index and x.sparse_tangent[1] is weight   # no copies
    # repeated directions add up, -1 entries count for nothing
    np.testing.assert_array_equal(x.tangent, [[3.0, 0.0, 3.0, 0.0], [0.0, -0.5, 0.0, 0.0]])
    assert x.sparse_tangent is None
    np.testing.assert_array_equal(x.tangent, [[3.0, 0.0, 3.0, 0.0], [0.0, -0.5, 0.0, 0.0]])


def test_repeated_directions_add_up_through_operations():
    # only here may the summation order differ from the dense computation
    index = np.array([[0, 0, 2], [1, 1, 1]], dtype=np.intp)
    x, dx = pair([0.75, -1.5], 3, seed=0, k=4, index=index)
    y, dy = pair([2.0, 0.5], 2, seed=1, k=4)
    check(np.sin(x) * y + x ** 2, np.sin(dx) * dy + dx ** 2)


def test_seed_sparse_is_the_identity_in_one_entry_per_element():
    point = np.arange(6.0).reshape(2, 3)
    x = seed_sparse(point, TAG)
    index, weight = x.sparse_tangent
    assert x.directions == 6 and x.tag == TAG and index.shape == (2, 3, 1)
    np.testing.assert_array_equal(index[..., 0], [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(weight, 1.0)
    np.testing.assert_array_equal(x.tangent, np.eye(6).reshape(2, 3, 6))
    assert not np.shares_memory(x.value, point)
    check(seed_sparse(np.array(2.5), TAG), dual_from(2.5, np.ones(1), TAG))  # 0-d: a Dual


@pytest.mark.parametrize("args, error", [
    ((np.zeros(2), np.zeros((2, 1), dtype=np.int32), np.zeros((2, 1)), 3, 0), TypeError),
    ((np.zeros(2), np.zeros((2, 1), dtype=np.intp), np.zeros((2, 1), np.float32), 3, 0), TypeError),
    ((np.zeros(2), [[0], [1]], np.zeros((2, 1)), 3, 0), TypeError),
    ((np.zeros(2), np.zeros((2, 1), dtype=np.intp), np.zeros((2, 2)), 3, 0), ValueError),
    ((np.zeros(2), np.zeros((3, 1), dtype=np.intp), np.zeros((3, 1)), 3, 0), ValueError),
    ((np.zeros(2), np.zeros(2, dtype=np.intp), np.zeros(2), 3, 0), ValueError),
], ids=["index_int32", "weight_float32", "index_list", "weight_shape", "rows", "no_entry_axis"])
def test_wrap_sparse_validates_arguments(args, error):
    with pytest.raises(error):
        wrap_sparse(*args)


@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_wrap_sparse_rejects_a_value_that_is_not_float64(dtype):
    # the loops read the value as float64 without a copy: an int64 value would be
    # reinterpreted bit for bit, a float32 one read past its end
    index, weight = np.zeros((3, 1), dtype=np.intp), np.ones((3, 1))
    with pytest.raises(TypeError):
        wrap_sparse(np.arange(3).astype(dtype), index, weight, 3, TAG)


# --------------------------------------------------------------------------
# unary functions: scale the weights, share the directions


def points(name):
    if name in {"arcsin", "asin", "arccos", "acos", "arctanh", "atanh"}:
        return [-0.9, -0.3, 0.0, 0.25, 0.5, 0.8]
    if name in {"arccosh", "acosh"}:
        return [1.1, 1.5, 2.0, 3.0, 10.0, 1.0001]
    if name in {"log", "log2", "log10", "sqrt"}:
        return [0.25, 0.7, 1.0, 2.0, 3.5, 100.0]
    if name == "log1p":
        return [-0.5, 0.0, 0.3, 1.0, 2.0, 9.0]
    if name in {"gamma", "lgamma"}:
        return [-2.5, -0.5, 0.5, 1.0, 2.25, 4.7]
    return [-2.5, -0.7, 0.0, 0.3, 1.1, 1.9]


def unary(name):
    f = getattr(np, name, None)            # numpy's ufunc, else dualnum's function
    return f if isinstance(f, np.ufunc) else getattr(dn, name)


@pytest.mark.parametrize("name", sorted(_kernels.UNARY_NAMES))
def test_unary_stays_sparse_and_matches_dense(name):
    x, dense = pair(np.reshape(points(name), (2, 3)), 3, seed=1)
    result = unary(name)(x)
    assert result.sparse_tangent[0] is x.sparse_tangent[0]
    check(result, unary(name)(dense))


@pytest.mark.parametrize("op", [operator.neg, operator.abs, np.square, np.reciprocal],
                         ids=["neg", "abs", "square", "reciprocal"])
def test_unary_operators_and_synonyms(op):
    x, dense = pair([[-1.5, 0.75, 2.0], [3.0, -0.25, 1.0]], 2, seed=2)
    check(op(x), op(dense))


# --------------------------------------------------------------------------
# binary functions and operators


def binary_values(name):
    # bases of powers positive, divisors nonzero
    power = name in {"power", "float_power", "pow"}
    a = [0.3, 0.9, 1.45, 2.5, 3.2] if power else [-2.3, -0.6, 1.45, 1.7, 3.2]
    return np.array(a), np.array([1.3, -0.8, 0.6, -1.9, 0.7])


def binary_case(kind, a, b):
    """(left, right, dense left, dense right) for one kind of operand pair."""
    if kind == "shared":                  # one index array object for both operands
        x, dx = pair(a, 3, seed=3)
        y, dy = pair(b, 3, seed=4, index=x.sparse_tangent[0])
        return x, y, dx, dy
    if kind == "different":
        x, dx = pair(a, 2, seed=5)
        y, dy = pair(b, 3, seed=6)
        return x, y, dx, dy
    if kind == "broadcast":               # (3,1) with (1,4)
        x, dx = pair(np.resize(a, (3, 1)), 2, seed=7)
        y, dy = pair(np.resize(b, (1, 4)), 3, seed=8)
        return x, y, dx, dy
    if kind == "sparse_const":
        x, dx = pair(a, 3, seed=9)
        return x, b, dx, b
    y, dy = pair(b, 3, seed=9)            # a stays the left operand: a power's base
    return a, y, a, dy


def check_entries(result, left, right, kind):
    """Width and sharing of the result's directions (before check() densifies it)."""
    if kind == "shared":
        assert result.sparse_tangent[0] is left.sparse_tangent[0]
    elif kind in ("different", "broadcast"):
        assert width(result) == width(left) + width(right)
    else:
        lead = left if isinstance(left, DualArray) else right
        assert result.sparse_tangent[0] is lead.sparse_tangent[0]


KINDS = ["shared", "different", "broadcast", "sparse_const", "const_sparse"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(_kernels.BINARY_NAMES))
def test_binary_ufunc_stays_sparse_and_matches_dense(name, kind):
    left, right, dl, dr = binary_case(kind, *binary_values(name))
    result = getattr(np, name)(left, right)
    check_entries(result, left, right, kind)
    check(result, getattr(np, name)(dl, dr))


OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv,
             operator.floordiv, operator.mod, operator.pow]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", OPERATORS, ids=lambda op: op.__name__)
def test_operators_stay_sparse_and_match_dense(op, kind):
    a, b = binary_values("power")       # positive bases, nonzero divisors
    left, right, dl, dr = binary_case(kind, a, b)
    result = op(left, right)
    check_entries(result, left, right, kind)
    check(result, op(dl, dr))


def test_function_of_x_times_x_shares_the_directions():
    x, dense = pair([0.5, -1.0, 2.0, 0.25], 2, seed=10)
    result = np.sin(x) * x + np.exp(x) / x
    assert result.sparse_tangent[0] is x.sparse_tangent[0]
    check(result, np.sin(dense) * dense + np.exp(dense) / dense)


CONSTANTS = {"float": 1.5, "int": 2, "np_float": np.float64(1.25), "np_int": np.int64(3),
             "ndarray": np.array([0.5, 2.0, 1.5, 3.0]), "int_ndarray": np.array([1, 2, 3, 4]),
             "constant_dual": Dual(0.75)}


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("const", list(CONSTANTS.values()), ids=list(CONSTANTS))
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.pow, np.arctan2], ids=lambda op: op.__name__)
def test_constant_operands(op, const, side):
    x, dense = pair([0.5, 1.25, 2.0, 0.75], 2, seed=11)
    if side == "left":
        result, expected = op(const, x), op(const, dense)
    else:
        result, expected = op(x, const), op(dense, const)
    assert result.sparse_tangent[0] is x.sparse_tangent[0]
    check(result, expected)


@pytest.mark.parametrize("shapes", [((1,), (5,)), ((5,), (1,)), ((1, 1), (2, 3)),
                                    ((2, 1, 3), (4, 1))], ids=str)
def test_broadcasting_size_one_and_ranks(shapes):
    rng = np.random.default_rng(12)
    x, dx = pair(rng.uniform(0.5, 2.0, shapes[0]), 2, seed=13)
    y, dy = pair(rng.uniform(0.5, 2.0, shapes[1]), 3, seed=14)
    product, power = x * y, x ** y
    assert width(product) == width(power) == 2 + 3
    check(product, dx * dy)
    check(power, dx ** dy)
    c = rng.uniform(0.5, 2.0, shapes[1])                  # sparse against a larger constant
    x, dx = pair(rng.uniform(0.5, 2.0, shapes[0]), 2, seed=15)
    check(np.hypot(x, c), np.hypot(dx, c))


def test_zero_dimensional_results_are_duals():
    x, dx = pair(1.5, 2, seed=16)
    y, dy = pair(0.5, 3, seed=17)
    for result, expected in [(x * y, dx * dy), (np.arctan2(x, y), np.arctan2(dx, dy)),
                             (x - 2.0, dx - 2.0), (np.sin(x), np.sin(dx))]:
        check(result, expected)
    z, dz = pair([2.0], 2, seed=18)
    check(z.reshape(()), dz.reshape(()))


# --------------------------------------------------------------------------
# indexing, reductions, shape methods


V1 = [0.5, -1.0, 2.0, 0.25, 3.0, -0.75]
V2 = np.arange(-10.0, 10.0).reshape(4, 5) / 4.0
KEYS_1D = {"int": 2, "neg_int": -1, "np_int": np.int64(3), "slice": slice(1, 4),
           "step": slice(None, None, 2), "reverse": slice(None, None, -1), "empty": slice(3, 3),
           "ellipsis": Ellipsis, "newaxis": np.newaxis, "newaxis_after": (slice(None), np.newaxis),
           "fancy": [0, 2, 2], "fancy_neg": np.array([-1, 0]),
           "mask": np.array([True, False, True, True, False, False])}
KEYS_2D = {"pair": (1, 2), "neg_pair": (-1, -2), "row": 1, "neg_row": (-1,),
           "column": (slice(None), 3), "block": (slice(1, 3), slice(None, None, 2)),
           "ellipsis_last": (Ellipsis, 0), "ellipsis_first": (0, Ellipsis),
           "newaxis": (np.newaxis, 1), "fancy_pair": ([0, 3], [1, 4]),
           "fancy_rows": ([0, 2], slice(None)), "mask": V2 > 0.3,
           "row_mask": np.array([True, False, True, False]),
           "column_mask": (Ellipsis, V2[0] < -2.0)}
GETITEM = {**{f"1d-{name}": (V1, key) for name, key in KEYS_1D.items()},
           **{f"2d-{name}": (V2, key) for name, key in KEYS_2D.items()}}


@pytest.mark.parametrize("value, key", list(GETITEM.values()), ids=list(GETITEM))
def test_getitem(value, key):
    x, dense = pair(value, 3, seed=19)
    result, expected = x[key], dense[key]
    if type(expected) is Dual:                           # one element: k dense partials
        assert len(result.partials) == K
    check(result, expected)


def test_sum():
    for value in (V1, V2):
        x, dense = pair(value, 3, seed=20)
        check(x.sum(), dense.sum())
        x, dense = pair(value, 3, seed=20)
        check(np.sum(x), np.sum(dense))


@pytest.mark.parametrize("kwargs", [{"axis": 0}, {"axis": 1}, {"axis": -1, "keepdims": True},
                                    {"axis": (0, 1)}], ids=str)
def test_sum_over_axes_densifies_correctly(kwargs):
    x, dense = pair(V2, 3, seed=21)
    result = np.sum(x, **kwargs)
    check(result, np.sum(dense, **kwargs), sparse=False)


RESTRUCTURES = {
    "reshape": lambda a: a.reshape(6, 4), "reshape_tuple": lambda a: a.reshape((4, -1)),
    "flatten": lambda a: a.reshape(-1), "np_reshape": lambda a: np.reshape(a, (3, 8)),
    "T": lambda a: a.T, "transpose": lambda a: a.transpose(1, 0, 2),
    "transpose_tuple": lambda a: a.transpose((2, 0, 1)),
    "np_transpose": lambda a: np.transpose(a, (0, 2, 1)),
    "pos": lambda a: +a, "np_positive": np.positive, "then_ufunc": lambda a: np.exp(a.T) * a.T,
}


@pytest.mark.parametrize("move", list(RESTRUCTURES.values()), ids=list(RESTRUCTURES))
def test_reshape_and_transpose_stay_sparse(move):
    x, dense = pair(np.arange(24.0).reshape(2, 3, 4) / 8.0, 3, seed=22)
    check(move(x), move(dense))


def test_positive_is_a_copy():
    x, _ = pair(V1, 3, seed=23)
    result = +x
    assert not np.shares_memory(result.value, x.value)
    assert not np.shares_memory(result.sparse_tangent[0], x.sparse_tangent[0])
    assert not np.shares_memory(result.sparse_tangent[1], x.sparse_tangent[1])


# --------------------------------------------------------------------------
# concatenate: rows padded to the widest, constants get only padding


def concat_case(name):
    """(items, dense items, axis); the sparse items have widths 2 and 4."""
    if name == "1d":
        x, dx = pair(V1, 2, seed=24)
        y, dy = pair(V1[:3], 4, seed=25)
        consts = [[0.0], [1.5, 2.5], np.array([4.0])]
        return ([consts[0], x, consts[1], y, consts[2]],
                [consts[0], dx, consts[1], dy, consts[2]], 0)
    shapes = {"axis0": ((2, 3), (1, 3), (3, 3), 0), "axis1": ((2, 3), (2, 2), (2, 1), 1),
              "axis_neg": ((2, 3), (2, 2), (2, 1), -1),
              "axis_none": ((2, 3), (5,), (3, 2), None)}[name]
    x, dx = pair(np.arange(6.0).reshape(shapes[0]) / 4.0, 2, seed=26)
    c = np.full(shapes[1], 0.5)
    y, dy = pair(np.arange(np.prod(shapes[2]), dtype=float).reshape(shapes[2]) - 2.0, 4, seed=27)
    return [x, c, y], [dx, c, dy], shapes[3]


@pytest.mark.parametrize("name", ["1d", "axis0", "axis1", "axis_neg", "axis_none"])
def test_concatenate_stays_sparse_with_padding(name):
    items, dense_items, axis = concat_case(name)
    result = np.concatenate(items, axis=axis)
    index, weight = result.sparse_tangent
    assert index.shape[-1] == 4
    # pieces laid out like the values: where a piece has no entry, -1 and weight 0
    own = [x.sparse_tangent[0].shape[-1] if isinstance(x, DualArray) else 0 for x in items]
    filled = np.concatenate([np.full(np.shape(x.value if isinstance(x, DualArray) else x), w)
                             for x, w in zip(items, own)], axis=axis)
    pad = np.arange(4) >= filled[..., np.newaxis]
    assert np.all(index[pad] == -1) and np.all(weight[pad] == 0.0)
    check(result, np.concatenate(dense_items, axis=axis))


def test_concatenate_with_a_dense_operand_is_dense():
    x, dx = pair(V1, 2, seed=28)
    _, d = pair(V1[:2], 3, seed=29)
    check(np.concatenate([x, d, [1.0]]), np.concatenate([dx, d, [1.0]]), sparse=False)


def test_concatenate_checks_tags():
    # as every other combination of dual operands does (the dense path checks it)
    with pytest.raises(ValueError):
        np.concatenate([pair(V1, 2, seed=30)[0], pair(V1, 2, seed=31, tag=TAG + 1)[0]])


def test_concatenate_checks_directions():
    # a piece with more directions has entries that index past the result's rows
    with pytest.raises(ValueError):
        np.concatenate([pair(V1, 2, seed=30)[0], pair(V1, 2, seed=32, k=K + 3)[0]])


# --------------------------------------------------------------------------
# sparse meets dense: everything densifies


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.truediv, np.hypot, np.power],
                         ids=lambda op: getattr(op, "__name__", str(op)))
def test_sparse_with_dense_array_or_dual_densifies(op):
    _, dense_array = pair([1.5, 0.25, 1.0, 2.0], 3, seed=34)
    dual = dual_from(1.5, np.linspace(-1.0, 1.0, K), TAG)      # a Dual with partials
    for other in (dense_array, dual):
        x, dx = pair([0.5, 1.25, 2.0, 0.75], 2, seed=33)      # fresh: the op densifies x
        check(op(x, other), op(dx, other), sparse=False)
        x, dx = pair([0.5, 1.25, 2.0, 0.75], 2, seed=33)
        check(op(other, x), op(other, dx), sparse=False)


# --------------------------------------------------------------------------
# compaction of wide rows


def test_wide_rows_merge_repeated_directions():
    # s <- s[1:] + s[:-1] doubles the width (2, 4, 8, 16 entries); past 8 the
    # repeated directions merge: element e holds binomial weights on e..e+4
    n = 40
    x = seed_sparse(np.linspace(0.1, 4.0, n), TAG)
    dense = DualArray(x.value, np.eye(n), TAG)
    s, d = x, dense
    for _ in range(4):
        s, d = s[1:] + s[:-1], d[1:] + d[:-1]
    index, weight = s.sparse_tangent
    assert index.shape == (n - 4, 5)
    assert all(len(set(row)) == 5 for row in index.tolist())
    band = np.zeros((n - 4, n))
    for i in range(n - 4):
        band[i, i:i + 5] = [1.0, 4.0, 6.0, 4.0, 1.0]
    np.testing.assert_array_equal(d.tangent, band)       # the reference itself
    check(s, d)


def test_sliding_window_sum_of_many_slices():
    n, m = 40, 28
    x = seed_sparse(np.linspace(-2.0, 2.0, n), TAG)
    acc = x[0:m]
    for i in range(1, 12):
        acc = acc + np.sin(x[i:i + m])
    assert acc.sparse_tangent is not None and width(acc) == 12
    expected = np.zeros((m, n))
    for i in range(12):                                  # analytic: d sin(x_j) = cos(x_j)
        j = np.arange(m) + i
        expected[np.arange(m), j] = 1.0 if i == 0 else np.cos(x.value[j])
    np.testing.assert_allclose(acc.tangent, expected, **TOL)


@pytest.mark.parametrize("case", ["merged_5_of_8", "distinct_10_of_10"])
def test_full_rows_come_back_dense(case):
    if case == "merged_5_of_8":          # as above with k = 8: rows of 5 entries, 2 * 5 >= 8
        x = seed_sparse(np.linspace(0.1, 4.0, 8), TAG)
        s, d = x, DualArray(x.value, np.eye(8), TAG)
        for _ in range(4):
            s, d = s[1:] + s[:-1], d[1:] + d[:-1]
    else:                                # 5 + 5 distinct entries of k = 10
        x, dx = pair(np.arange(4.0), 5, seed=35, k=10, index=np.tile(np.arange(5), (4, 1)))
        y, dy = pair(np.arange(4.0) + 0.5, 5, seed=36, k=10,
                     index=np.tile(np.arange(5, 10), (4, 1)))
        s, d = x * y, dx * dy
    check(s, d, sparse=False)


# --------------------------------------------------------------------------
# strong zeros, warnings, mismatches


def test_sqrt_at_zero_has_strong_zeros():
    index = np.array([[0, 1], [1, -1], [2, -1]], dtype=np.intp)
    weight = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 0.0]])
    result = np.sqrt(wrap_sparse(np.array([0.0, 0.0, 4.0]), index, weight, 3, TAG))
    np.testing.assert_array_equal(result.sparse_tangent[1],
                                  [[0.0, 0.0], [np.inf, 0.0], [0.25, 0.0]])
    np.testing.assert_array_equal(result.tangent, [[0, 0, 0], [0, np.inf, 0], [0, 0, 0.25]])


@pytest.mark.warns_at_operation
@pytest.mark.parametrize("call, message", [
    (np.log, "invalid value"), (dn.gamma, "invalid value"),
    (lambda a: a / 0.0, "divide by zero"),
    (lambda a: np.power(a, a[::-1] + 0.25), "invalid value"),
], ids=["log", "gamma", "divide", "power"])
def test_non_finite_results_warn_like_numpy(call, message):
    x, dense = pair([-1.0, 2.0, 0.5], 2, seed=37)
    with pytest.warns(RuntimeWarning, match=message):
        result = call(x)
    with pytest.warns(RuntimeWarning, match=message):
        expected = call(dense)
    check(result, expected)
    with np.errstate(all="ignore"):      # numpy's error state rules: no warning (an error here)
        call(pair([-1.0, 2.0, 0.5], 2, seed=37)[0])


def test_non_finite_result_raises_under_errstate_raise():
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        np.log(pair([-1.0, 2.0], 2, seed=38)[0])


def test_mismatched_tags_and_directions_raise():
    x, _ = pair(V1, 2, seed=39)
    other_tag = pair(V1, 2, seed=40, tag=TAG + 1)[0]
    shared_other_tag = pair(V1, 2, seed=41, tag=TAG + 1, index=x.sparse_tangent[0])[0]
    more = pair(V1, 2, seed=42, k=K + 1)[0]
    for bad in [more, dual_from(1.0, np.ones(K + 1), TAG)]:
        with pytest.raises(ValueError):
            x * bad
        with pytest.raises(ValueError):
            np.arctan2(bad, x)
    # another call's numbers nest elementwise (tests/test_nesting.py has the values)
    for other in [other_tag, shared_other_tag, DualArray(V1, np.ones((6, K)), TAG + 1)]:
        assert (x * other).dtype == object and np.arctan2(other, x).dtype == object
    with pytest.raises(ValueError):
        x[0] = dual_from(1.0, np.ones(K), TAG + 1)


# --------------------------------------------------------------------------
# assignment


def test_assigning_into_a_slice_leaves_the_original_alone():
    x, dense = pair(V1, 3, seed=43)
    index, weight = (a.copy() for a in x.sparse_tangent)
    y = x[1:]
    y[0] = 5.0
    y[2] = dual_from(1.0, np.arange(K, dtype=float), TAG)
    np.testing.assert_array_equal(x.value, dense.value)
    np.testing.assert_array_equal(x.sparse_tangent[0], index)
    np.testing.assert_array_equal(x.sparse_tangent[1], weight)
    np.testing.assert_array_equal(x.tangent, dense.tangent)
    expected = DualArray(dense.value[1:], dense.tangent[1:], TAG)
    expected[0] = 5.0
    expected[2] = dual_from(1.0, np.arange(K, dtype=float), TAG)
    check(y, expected, sparse=False)


@pytest.mark.parametrize("move", [lambda a: a.reshape(2, 3), lambda a: a.T,
                                  lambda a: a[np.newaxis]], ids=["reshape", "T", "newaxis"])
def test_assigning_into_a_restructured_array_keeps_the_original_consistent(move):
    # the original's value and tangent must change together (as for a dense
    # array) or not at all (as for a slice of a sparse one)
    x, dense = pair(V1, 3, seed=44)
    view = move(x)
    view[(0,) * view.ndim] = 5.0
    row = x.tangent[0]
    unchanged = x.value[0] == dense.value[0] and np.array_equal(row, dense.tangent[0])
    assigned = x.value[0] == 5.0 and not row.any()
    assert unchanged or assigned, (x.value[0], row)
    np.testing.assert_array_equal(x.tangent[1:], dense.tangent[1:])


@pytest.mark.parametrize("key, item", [
    (Ellipsis, "sparse"), (Ellipsis, 2.0), (slice(2, 4), "sparse_slice"), (0, 5.0),
    (1, dual_from(1.0, np.linspace(0.0, 1.0, K), TAG)), (np.array([True, False] * 3), -1.0)],
    ids=["all_sparse", "all_float", "slice_sparse", "int_float", "int_dual", "mask_float"])
def test_setitem_densifies_and_is_correct(key, item):
    x, dense = pair(V1, 3, seed=45)
    if isinstance(item, str):
        shape = np.shape(dense.value[key])
        item, item_dense = pair(np.full(shape, 0.5), 2, seed=46)
        dense[key] = item_dense
    else:
        dense[key] = item
    x[key] = item
    check(x, dense, sparse=False)


def test_in_place_operator_on_a_sparse_array():
    x, dense = pair(V1, 3, seed=47)
    x += np.sin(x)
    dense += np.sin(dense)
    check(x, dense, sparse=False)


# --------------------------------------------------------------------------
# end to end: a banded residual, against its analytic Jacobian


def residual(v):
    # runs on a plain ndarray and on a DualArray alike
    padded = np.concatenate(([0.0], v, [0.0]))
    return (padded[:-2] - 2.0 * padded[1:-1] + padded[2:]) * 4.0 + np.exp(v) * v


def test_banded_residual_matches_analytic_jacobian():
    u = 0.3 * np.sin(np.arange(1, 31) * 0.7)
    r = residual(seed_sparse(u, TAG))
    assert r.sparse_tangent is not None
    jac = np.diag(-8.0 + np.exp(u) * (1.0 + u)) + 4.0 * (np.eye(30, k=1) + np.eye(30, k=-1))
    np.testing.assert_allclose(r.value, residual(u), **TOL)
    np.testing.assert_allclose(r.tangent, jac, rtol=1e-14, atol=1e-14)
