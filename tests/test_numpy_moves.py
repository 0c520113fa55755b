"""numpy functions that only move entries, queries on values and constructors
(dualnum/_functions_moves.py, dualnum/_functions_values.py), at both orders.

Each moving function is checked through the public API on a nonlinear
function of its result: values equal numpy's on the values bit for bit;
jacobian (dense, and sparse with sparsity="auto"), jvp, gradient, hessian
and hvp against central finite differences; hessian runs the compiled
second-order array (f is called once, on a Dual2Array).
"""
import warnings

import numpy as np
import pytest

import dualnum as dn
from dualnum import _hessian_array
from dualnum.dualarray import DualArray

X = np.array([0.3, -1.2, 0.8, 1.7, -0.4, 2.1, 0.05, -0.9, 1.1, 0.6, -1.6, 0.45])


def flat(result):
    """One float vector of a result: an array, or lists and tuples of them."""
    if isinstance(result, (list, tuple)):
        return np.concatenate([flat(r) for r in result]) if result else np.zeros(0)
    return result.reshape(-1) if hasattr(result, "reshape") else np.reshape(result, -1)


# name -> function of the 12-vector x that only moves entries (with the options users pass)
MOVES = {
    "split": lambda x: np.split(x, 3),
    "split_axis1": lambda x: np.split(x.reshape(2, 6), [1, 4], axis=1),
    "array_split": lambda x: np.array_split(x, 5),
    "hsplit": lambda x: np.hsplit(x.reshape(3, 4), 2),
    "vsplit": lambda x: np.vsplit(x.reshape(4, 3), [1]),
    "dsplit": lambda x: np.dsplit(x.reshape(1, 3, 4), 2),
    "tile": lambda x: np.tile(x.reshape(3, 4), (2, 1)),
    "repeat": lambda x: np.repeat(x, 2),
    "repeat_axis": lambda x: np.repeat(x.reshape(3, 4), [1, 0, 2], axis=0),
    "roll": lambda x: np.roll(x, 3),
    "roll_axes": lambda x: np.roll(x.reshape(3, 4), (1, -1), axis=(0, 1)),
    "flip": lambda x: np.flip(x.reshape(3, 4), axis=1),
    "flip_all": lambda x: np.flip(x.reshape(3, 4)),
    "fliplr": lambda x: np.fliplr(x.reshape(3, 4)),
    "flipud": lambda x: np.flipud(x.reshape(3, 4)),
    "rot90": lambda x: np.rot90(x.reshape(3, 4), k=3),
    "pad_constant": lambda x: np.pad(x.reshape(3, 4), ((1, 0), (2, 1)), constant_values=0.5),
    "pad_edge": lambda x: np.pad(x, 3, mode="edge"),
    "pad_reflect": lambda x: np.pad(x.reshape(3, 4), 2, mode="reflect"),
    "pad_symmetric": lambda x: np.pad(x, (2, 4), mode="symmetric"),
    "pad_wrap": lambda x: np.pad(x.reshape(3, 4), ((0, 2), (1, 1)), mode="wrap"),
    "pad_dual_constant": lambda x: np.pad(x[1:], 2, constant_values=x[0]),
    "pad_mean": lambda x: np.pad(x.reshape(3, 4), ((1, 0), (2, 1)), mode="mean"),
    "pad_mean_stat_length": lambda x: np.pad(x.reshape(3, 4), 2, mode="mean", stat_length=(1, 2)),
    "pad_linear_ramp": lambda x: np.pad(x, (2, 3), mode="linear_ramp", end_values=(1.0, -2.0)),
    "moveaxis": lambda x: np.moveaxis(x.reshape(2, 3, 2), 0, -1),
    "swapaxes": lambda x: np.swapaxes(x.reshape(2, 3, 2), 0, 2),
    "rollaxis": lambda x: np.rollaxis(x.reshape(2, 3, 2), 2),
    "atleast_2d": lambda x: np.atleast_2d(x),
    "atleast_3d": lambda x: np.atleast_3d(x.reshape(3, 4)),
    "atleast_2d_many": lambda x: np.atleast_2d(x[0], x[1:]),
    "column_stack": lambda x: np.column_stack([x[:6], x[6:], np.ones(6)]),
    "dstack": lambda x: np.dstack([x[:6], x[6:]]),
    "row_stack": lambda x: row_stack([x[:6], x[6:]]),
    "block": lambda x: np.block([[x[:4].reshape(2, 2), np.zeros((2, 1))], [x[4:10].reshape(2, 3)]]),
    "insert": lambda x: np.insert(x, [2, 5], 7.5),
    "insert_dual": lambda x: np.insert(x.reshape(3, 4), 1, x[:4] * x[4:8], axis=0),
    "delete": lambda x: np.delete(x, [0, 3, 4]),
    "delete_axis": lambda x: np.delete(x.reshape(3, 4), 1, axis=1),
    "meshgrid": lambda x: np.meshgrid(x[:3], x[3:7]),
    "meshgrid_ij_sparse": lambda x: np.meshgrid(x[:3], x[3:7], indexing="ij", sparse=True),
    "take_along_axis": lambda x: np.take_along_axis(x.reshape(3, 4), np.array([[0, 3], [1, 1], [2, 0]]),
                                                    axis=1),
    "choose": lambda x: np.choose([[0, 2, 1, 0], [2, 1, 0, 2]], [x[:4], -x[4:8], 3.0]),
    "choose_wrap": lambda x: np.choose(np.array([0, 3, -1, 1]), x.reshape(3, 4), mode="wrap"),
    "diag": lambda x: np.diag(x[:4], k=1),
    "diag_of_matrix": lambda x: np.diag(x.reshape(3, 4), k=-1),
    "diagonal": lambda x: np.diagonal(x.reshape(2, 3, 2), offset=1, axis1=1, axis2=2),
    "diagflat": lambda x: np.diagflat(x[:4].reshape(2, 2)),
    "triu": lambda x: np.triu(x.reshape(3, 4), k=1),
    "tril": lambda x: np.tril(x.reshape(3, 4)),
    "resize": lambda x: np.resize(x[:5], (3, 4)),
    "extract": lambda x: np.extract(np.arange(12) % 3 == 0, x),
    "compress": lambda x: np.compress([True, False, True], x.reshape(3, 4), axis=0),
    "broadcast_arrays": lambda x: np.broadcast_arrays(x[:4].reshape(4, 1), x[4:7]),
    "partition": lambda x: np.partition(x, 4),
    "partition_axis": lambda x: np.partition(x.reshape(3, 4), (1, 2), axis=1),
    "unique": lambda x: np.unique(np.concatenate([x[:6], x[2:8]])),
    "unique_axis": lambda x: np.unique(np.concatenate([x[:6], x[:6]]).reshape(4, 3), axis=0),
    "trim_zeros": lambda x: np.trim_zeros(np.concatenate([np.zeros(2), x[1:5], np.zeros(3)])),
    "trim_zeros_front": lambda x: np.trim_zeros(np.concatenate([np.zeros(2), x[:5], [0.0]]), "f"),
    "full_like": lambda x: np.full_like(x, x[3]) * x,
    "take": lambda x: np.take(x.reshape(3, 4), [2, 0], axis=1),
    "append": lambda x: np.append(x[:5], x[7:]),
    "hstack": lambda x: np.hstack([x[:5], x[7:]]),
    "vstack": lambda x: np.vstack([x[:6], x[6:]]),
    "squeeze": lambda x: np.squeeze(x.reshape(1, 12, 1), axis=2),
    "expand_dims": lambda x: np.expand_dims(x, (0, 2)),
    "broadcast_to": lambda x: np.broadcast_to(x[:4], (2, 4)),
    "copy": lambda x: np.copy(x),
    "atleast_1d": lambda x: np.atleast_1d(x[0], x[1:3]),
    "matrix_transpose": lambda x: np.matrix_transpose(x.reshape(2, 3, 2)),
    "permute_dims": lambda x: np.permute_dims(x.reshape(2, 3, 2), (1, 2, 0)),
    "unstack": lambda x: np.unstack(x.reshape(3, 4), axis=1),
    # empty pieces, dual numbers among plain ones
    "split_empty": lambda x: np.split(x, [0, 5]),
    "block_with_plain": lambda x: np.block([x[:1], 2.0, x[3:6]]),
    "insert_mixed": lambda x: np.insert(x, [1, 1, 4], [x[0], 7.0, x[2]]),
    "broadcast_with_plain": lambda x: np.broadcast_arrays(x[:1], x[:3].reshape(3, 1), np.ones(2)),
    "take_along_flat": lambda x: np.take_along_axis(x.reshape(3, 4), np.array([3, 0, 11]), axis=None),
    "delete_mask": lambda x: np.delete(x, np.arange(12) % 4 == 1),
    "rot90_axes": lambda x: np.rot90(x.reshape(3, 4), -1, axes=(1, 0)),
    "pad_pair_constants": lambda x: np.pad(x[:8].reshape(2, 4), 1, constant_values=((x[9], 1.0),
                                                                                   (-2.0, x[10]))),
}
MOVES = {name: f for name, f in MOVES.items()
         if not any(n in name for n in ("row_stack", "matrix_transpose", "permute_dims", "unstack"))
         or hasattr(np, name)}


def row_stack(tup):
    with warnings.catch_warnings():         # numpy 2 deprecates it for vstack
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.row_stack(tup)


def scalar_of(move):
    """A nonlinear scalar function of the moved entries: curvature couples them."""
    def f(x):
        y = flat(move(x))
        weights = np.cos(np.arange(y.size) + 0.5)
        return np.sum(weights * np.sin(y)) + np.sum(y * y) * np.sum(weights * y)
    return f


def vector_of(move):
    return lambda x: np.sin(flat(move(x))) * flat(move(x))


def central(f, x, step=1e-6):
    """Central differences of f (any shape) at x, the x axis last."""
    columns = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = step
        columns.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * step))
    return np.stack(columns, axis=-1)


def counted(f):
    calls = []

    def wrapper(x):
        calls.append(type(x))
        return f(x)
    return wrapper, calls


def values(result):
    """The values of a result of dual arrays, as flat does."""
    if isinstance(result, (list, tuple)):
        return flat([values(r) for r in result])
    return np.reshape(result.value, -1)


@pytest.mark.parametrize("name", sorted(MOVES))
def test_values_equal_numpy(name):
    move = MOVES[name]
    tangent = np.random.default_rng(1).normal(size=(12, 3))
    np.testing.assert_array_equal(values(move(DualArray(X, tangent))), flat(move(X)))
    np.testing.assert_array_equal(values(move(_hessian_array.seed(X, 5))), flat(move(X)))


# choices made on the values, or products: not x -> M x + c; or computed
# entries (pad's mean and ramp), equal to M x + c up to rounding
NOT_AFFINE = {"partition", "partition_axis", "unique", "unique_axis", "trim_zeros",
              "trim_zeros_front", "full_like", "insert_dual", "pad_mean", "pad_mean_stat_length",
              "pad_linear_ramp"}


@pytest.mark.parametrize("name", sorted(set(MOVES) - NOT_AFFINE))
def test_gathered_entries_are_the_moved_ones(name):
    """A move is x -> M x + c (c: the constants it puts in): its derivative
    along x itself, M x, must be f(x) - f(0) exactly, entry by entry."""
    move = lambda x: flat(MOVES[name](x))
    want = move(X) - move(np.zeros_like(X))
    np.testing.assert_array_equal(dn.jvp(move, X, X)[1], want)
    np.testing.assert_array_equal(dn.jacobian(move, X, sparsity="auto") @ X, want)
    # the second order: the gradient of w . f(x) is M^T w
    weights = np.cos(np.arange(want.size))
    _, grad, hess = dn.value_gradient_and_hessian(lambda x: move(x) @ weights, X)
    np.testing.assert_allclose(grad @ X, want @ weights, rtol=1e-13, atol=1e-13)
    np.testing.assert_array_equal(hess, np.zeros((12, 12)))


@pytest.mark.parametrize("name", sorted(MOVES))
def test_first_order_against_finite_differences(name):
    vector, scalar = vector_of(MOVES[name]), scalar_of(MOVES[name])
    want = central(vector, X)
    np.testing.assert_allclose(dn.jacobian(vector, X), want, rtol=1e-7, atol=1e-7)
    seen = []
    sparse = dn.jacobian(lambda x: seen.append(x.sparse_tangent is not None) or vector(x), X,
                         sparsity="auto")
    assert any(seen)                        # a pass on sparse tangents
    np.testing.assert_allclose(sparse, want, rtol=1e-7, atol=1e-7)
    v = np.sin(np.arange(12.0))
    value, product = dn.jvp(vector, X, v)
    # one direction: sin through the vector kernels (dualnum/_simd.pyx), within
    # 1 ulp of sin as numpy's is: the product with x within 2 ulps of numpy's
    np.testing.assert_array_max_ulp(value, vector(X), maxulp=2)
    np.testing.assert_allclose(product, want @ v, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(dn.gradient(scalar, X), central(scalar, X), rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("name", sorted(MOVES))
def test_second_order_against_finite_differences(name):
    scalar = scalar_of(MOVES[name])
    wrapper, calls = counted(scalar)
    hess = dn.hessian(wrapper, X)
    assert calls == [_hessian_array.Dual2Array]         # compiled: no object-array pass
    want = central(lambda x: dn.gradient(scalar, x), X)
    np.testing.assert_allclose(hess, want, rtol=1e-6, atol=1e-6)
    v = np.cos(np.arange(12.0))
    np.testing.assert_allclose(dn.hvp(scalar, X, v), want @ v, rtol=1e-6, atol=1e-6)


def test_moves_of_sparse_tangents_stay_sparse():
    seen = []

    def f(x):
        y = np.pad(np.roll(x, 2), 1, mode="reflect")
        seen.append(y.sparse_tangent is not None)
        return y * y
    dn.jacobian(f, X, sparsity="auto")
    assert seen[0]


# ------------------------------------------------------------ queries on values

Y = np.array([[0.5, -1.0, 2.0, 0.0], [2.0, 0.25, -0.75, 2.0], [0.0, 1.5, 0.5, -1.0]])
# name -> function of one or two arrays (a 3 x 4 and its sorted flattening)
QUERIES = {
    "argmax": lambda a: np.argmax(a, axis=1), "argmin": lambda a: np.argmin(a),
    "argmax_keepdims": lambda a: np.argmax(a, axis=0, keepdims=True),
    "nanargmax": lambda a: np.nanargmax(a, axis=0), "nanargmin": lambda a: np.nanargmin(a),
    "argsort": lambda a: np.argsort(a, axis=0, kind="stable"),
    "argpartition": lambda a: np.argpartition(a.reshape(-1), 3),
    "nonzero": lambda a: np.nonzero(a), "flatnonzero": lambda a: np.flatnonzero(a),
    "argwhere": lambda a: np.argwhere(a), "count_nonzero": lambda a: np.count_nonzero(a, axis=1),
    "isclose": lambda a: np.isclose(a, a[::-1], atol=0.3), "allclose": lambda a: np.allclose(a, a + 1e-12),
    "array_equal": lambda a: np.array_equal(a, a), "array_equiv": lambda a: np.array_equiv(a, a[0]),
    "searchsorted": lambda a: np.searchsorted(np.sort(a.reshape(-1)), a[0], side="right"),
    "digitize": lambda a: np.digitize(a, [-0.5, 0.5, 1.0], right=True),
    "lexsort": lambda a: np.lexsort((a[0], a[1])),
    "isin": lambda a: np.isin(a, a[0]),
    "histogram": lambda a: np.histogram(a, bins=3, weights=np.ones(a.shape)),
    "histogram_range": lambda a: np.histogram(a, bins=[-1, 0, 1, 2.5], density=True),
    "histogram2d": lambda a: np.histogram2d(a[0], a[1], bins=2),
    "histogram_bin_edges": lambda a: np.histogram_bin_edges(a, bins=4),
    "iscomplexobj": lambda a: np.iscomplexobj(a), "isrealobj": lambda a: np.isrealobj(a),
    "iscomplex": lambda a: np.iscomplex(a), "isreal": lambda a: np.isreal(a),
    "isneginf": lambda a: np.isneginf(a), "isposinf": lambda a: np.isposinf(a),
    "result_type": lambda a: np.result_type(a, np.float32),
    "may_share_memory": lambda a: np.may_share_memory(a, np.zeros(2)),
    "shares_memory": lambda a: np.shares_memory(a, np.zeros(2)),
    "can_cast": lambda a: np.can_cast(a, np.float32),
    "min_scalar_type": lambda a: np.min_scalar_type(a),
    "histogramdd": lambda a: np.histogramdd(a.T, bins=2)[0],
    "all": lambda a: np.all(a, axis=0), "any": lambda a: np.any(a, axis=1, keepdims=True),
}


def same(got, want):
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            same(g, w)
        return
    assert type(got) is type(want)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_give_numpy_on_the_values(name):
    query = QUERIES[name]
    want = query(Y)
    same(query(DualArray(Y, np.ones(Y.shape + (2,)))), want)
    same(query(_hessian_array.seed(Y, 3)), want)


def test_queries_inside_the_api_leave_the_derivative_alone():
    def f(x):
        order = np.argsort(x)
        return np.sum(x[order] * np.arange(x.size)) * x[np.argmax(x)]
    want = central(f, X)
    np.testing.assert_allclose(dn.gradient(f, X), want, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(dn.hessian(f, X), central(lambda x: dn.gradient(f, x), X),
                               rtol=1e-6, atol=1e-6)


def test_bincount_counts_with_plain_weights_and_refuses_dual_weights():
    x = DualArray(Y, np.ones(Y.shape + (2,)))
    bins = np.array([0, 2, 2, 1])
    np.testing.assert_array_equal(np.bincount(bins, weights=Y[0]), np.bincount(bins, Y[0]))
    with pytest.raises(TypeError, match="weights"):
        np.bincount(bins, x[0])
    with pytest.raises(TypeError, match="weights"):
        np.histogram(Y, weights=x)
    with pytest.raises(TypeError, match="weights"):
        np.histogram(Y, 3, None, False, x)
    with pytest.raises(TypeError, match="weights"):
        np.histogram2d(Y[0], Y[1], weights=x[0])
    with pytest.raises(_hessian_array.NotCompiled, match="weights"):
        np.histogram(Y, weights=_hessian_array.seed(Y, 3))


# ------------------------------------------------------------ constructors

def shifted(x):
    """out[1:] = x[:-1] ** 2 into an array made like x, plus the other constructors."""
    out = np.zeros_like(x)
    out[1:] = x[:-1] ** 2
    ones = np.ones_like(x)
    ones[0] = x[-1] * x[0]
    empty = np.empty_like(x)
    empty[:] = x
    return np.sum(out * x) + np.sum(ones * x) + np.sum(empty * np.full_like(x, 2.0))


def test_zeros_like_and_the_others_with_assignment_at_both_orders():
    want = central(shifted, X)
    np.testing.assert_allclose(dn.gradient(shifted, X), want, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(dn.jacobian(lambda x: shifted(x) * x, X, sparsity="auto"),
                               central(lambda x: shifted(x) * x, X), rtol=1e-7, atol=1e-7)
    wrapper, calls = counted(shifted)
    np.testing.assert_allclose(dn.hessian(wrapper, X), central(lambda x: dn.gradient(shifted, x), X),
                               rtol=1e-6, atol=1e-6)
    assert calls == [_hessian_array.Dual2Array]         # assignment is compiled


def assigned(x):
    """Assignment into the second-order array with each kind of key and item."""
    m = x.reshape(3, 4)
    y = np.zeros_like(m)
    y[0] = m[1] * m[2]                          # a row, rows wider than y's
    y[1:, ::2] = m[1:, 1::2] ** 2               # slices
    y[[2, 1], [3, 1]] = x[0] * x[5] * x[7]      # fancy index, a scalar of three variables
    y[m > 1.0] += 1.5                           # boolean mask, plain item
    z = np.ones_like(x)
    z[...] = x[::-1]                            # Ellipsis
    z[4] = 2.0                                  # a plain number
    return np.sum(np.sin(y) * y) + np.sum(z * z * x)


def test_assignment_at_the_second_order_against_finite_differences():
    wrapper, calls = counted(assigned)
    hess = dn.hessian(wrapper, X)
    assert calls == [_hessian_array.Dual2Array]
    np.testing.assert_allclose(dn.gradient(assigned, X), central(assigned, X), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(hess, central(lambda x: dn.gradient(assigned, x), X),
                               rtol=1e-6, atol=1e-6)
    v = np.cos(np.arange(12.0))
    np.testing.assert_allclose(dn.hvp(assigned, X, v), hess @ v, rtol=1e-12, atol=1e-12)
    with pytest.raises(TypeError, match="index"):
        x = _hessian_array.seed(X, 1)
        x[x[0]] = 1.0


@pytest.mark.parametrize("make", [np.zeros_like, np.ones_like, np.empty_like,
                                  lambda a: np.full_like(a, 3.5)])
def test_like_constructors_give_constant_arrays_of_the_same_order(make):
    x = DualArray(Y, np.ones(Y.shape + (2,)), 9)
    result = make(x)
    assert isinstance(result, DualArray) and result.tag == 9 and result.directions == 2
    np.testing.assert_array_equal(result.tangent, np.zeros(Y.shape + (2,)))
    if make is not np.empty_like:
        np.testing.assert_array_equal(result.value, make(Y))
    second = make(_hessian_array.seed(Y, 4))
    assert type(second) is _hessian_array.Dual2Array and second.shape == Y.shape
    np.testing.assert_array_equal(second.grad, np.zeros_like(second.grad))


def test_nep35_like_gives_constant_dual_arrays():
    x = DualArray(X, np.eye(12), 11)
    for result, want in [(np.zeros(3, like=x), np.zeros(3)), (np.ones((2, 2), like=x), np.ones((2, 2))),
                         (np.full(4, 2.5, like=x), np.full(4, 2.5)), (np.eye(3, k=1, like=x), np.eye(3, k=1)),
                         (np.identity(2, like=x), np.identity(2)), (np.arange(0.0, 1.0, 0.25, like=x),
                                                                    np.arange(0.0, 1.0, 0.25)),
                         (np.asarray([1.0, 2.0], like=x), np.array([1.0, 2.0])),
                         (np.fromiter(iter([1.0, 4.0]), float, like=x), np.array([1.0, 4.0])),
                         (np.fromfunction(lambda i, j: i + j, (2, 3), like=x),
                          np.fromfunction(lambda i, j: i + j, (2, 3)))]:
        assert isinstance(result, DualArray) and result.tag == 11
        np.testing.assert_array_equal(result.value, want)
        np.testing.assert_array_equal(result.tangent, np.zeros(want.shape + (12,)))
    # indices stay plain
    assert type(np.arange(3, like=x)) is np.ndarray


def test_nep35_like_for_every_constructor(tmp_path):
    x, second = DualArray(X, np.eye(12), 11), _hessian_array.seed(X, 5)
    path = tmp_path / "numbers.txt"
    path.write_text("1.5 2.5\n3.5 4.5\n")
    data = np.array([1.5, -2.0])
    calls = {
        "ascontiguousarray": lambda like: np.ascontiguousarray([[1.0, 2.0]], like=like),
        "asanyarray": lambda like: np.asanyarray([3.0], like=like),
        "asfortranarray": lambda like: np.asfortranarray([[1.0], [2.0]], like=like),
        "require": lambda like: np.require([1.0, 2.0], requirements="C", like=like),
        "tri": lambda like: np.tri(3, 2, k=-1, like=like),
        "frombuffer": lambda like: np.frombuffer(data.tobytes(), like=like),
        "fromstring": lambda like: np.fromstring("1.0 2.0 3.5", sep=" ", like=like),
        "fromfile": lambda like: np.fromfile(path, sep=" ", like=like),
        "loadtxt": lambda like: np.loadtxt(path, like=like),
        "genfromtxt": lambda like: np.genfromtxt(path, like=like),
    }
    for name, call in calls.items():
        want = call(None)
        for like in (x, second):
            result = call(like)
            assert type(result) is type(like), name
            np.testing.assert_array_equal(result.value, want)
        assert np.all(call(x).tangent == 0)
        assert np.all(call(second).grad == 0)
    empty = np.empty((2, 3), like=x)
    assert isinstance(empty, DualArray) and empty.shape == (2, 3) and np.all(empty.tangent == 0)


def test_nep35_like_keeps_the_derivative_of_dual_entries():
    def f(x):
        a = np.array([x[0] * x[1], 2.0, x[2]], like=x)
        b = np.full(2, x[3], like=x)
        return np.sum(a * a) + np.sum(b ** 3) + np.sum(np.asarray([x[4], 1.0], like=x) ** 2)
    np.testing.assert_allclose(dn.gradient(f, X), central(f, X), rtol=1e-7, atol=1e-7)
    wrapper, calls = counted(f)
    hess = dn.hessian(wrapper, X)
    assert calls == [_hessian_array.Dual2Array]
    np.testing.assert_allclose(hess, central(lambda x: dn.gradient(f, x), X), rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------ refused options

@pytest.mark.parametrize("call, option", [
    (lambda x: np.pad(x, 1, mode="median"), "median"),
    (lambda x: np.pad(x, 1, mode="minimum"), "minimum"),
    (lambda x: np.pad(x, 1, mode="maximum"), "maximum"),
    (lambda x: np.pad(x, 1, mode=lambda *args: None), "mode"),
    (lambda x: np.pad(x, 1, mode="reflect", reflect_type="odd"), "reflect_type"),
    (lambda x: np.compress([True], x, out=np.zeros(1)), "out"),
    (lambda x: np.zeros_like(x, dtype=int), "dtype"),
    (lambda x: np.partition(x, 1, order="a"), "order"),
    (lambda x: np.array([x[0], 1.0], dtype=np.float32, like=x), "dtype"),
])
def test_refused_options_name_the_option(call, option):
    with pytest.raises(TypeError, match=option):
        call(DualArray(X, np.eye(12)))
    with pytest.raises(_hessian_array.NotCompiled, match=option):
        call(_hessian_array.seed(X, 2))


def test_refused_pad_mode_falls_back_at_the_second_order():
    def f(x):
        return np.sum(np.pad(x, 2, mode="maximum") ** 3)
    wrapper, calls = counted(f)
    hess = dn.hessian(wrapper, X[:4])
    assert calls[0] is _hessian_array.Dual2Array and len(calls) == 2
    np.testing.assert_allclose(hess, central(lambda x: central(f, x, 1e-4), X[:4], 1e-4),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("call, argument", [
    (lambda x: np.roll(x, x[0]), "shift"),
    (lambda x: np.take_along_axis(x, x, axis=0), "indices"),
    (lambda x: np.insert(x, x[0], 1.0), "obj"),
    (lambda x: np.copyto(np.zeros(12), x), "copyto"),       # a float array cannot hold it
    (lambda x: np.pad(x, 1, mode="linear_ramp", end_values=x[0]), "end_values"),
])
def test_a_dual_where_numpy_wants_a_plain_argument_is_refused(call, argument):
    with pytest.raises(TypeError, match=argument):
        call(DualArray(X, np.eye(12)))


def writes(x):
    """numpy's in-place writes into arrays computed from x."""
    y = x * 1.0
    np.put(y, [0, 2, -1], x[3:6] ** 2, mode="wrap")
    np.place(y, np.arange(12) % 5 == 4, [7.0, x[0]])
    m = x.reshape(3, 4) * 2.0
    np.put_along_axis(m, np.array([[1], [0], [3]]), x[:3].reshape(3, 1) * x[4], axis=1)
    np.putmask(m, np.eye(3, 4) > 0, x[8:11] ** 2)
    np.fill_diagonal(m, x[6] * 0.5, wrap=True)
    z = np.zeros_like(y)
    np.copyto(z, x[::-1] * x[2], where=np.arange(12) % 3 != 0)
    return np.sum(np.sin(y) * y) + np.sum(m * m * x.reshape(3, 4)) + np.sum(z * x)


def test_in_place_writes_carry_derivatives():
    want = central(writes, X)
    np.testing.assert_allclose(dn.gradient(writes, X), want, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(dn.jacobian(lambda x: writes(x) * x, X, sparsity="auto"),
                               central(lambda x: writes(x) * x, X), rtol=1e-7, atol=1e-7)
    wrapper, calls = counted(writes)
    np.testing.assert_allclose(dn.hessian(wrapper, X), central(lambda x: dn.gradient(writes, x), X),
                               rtol=1e-6, atol=1e-6)
    assert calls == [_hessian_array.Dual2Array]


def test_unique_returns_numpy_extras_and_the_first_occurrence():
    x = DualArray(np.array([2.0, 1.0, 2.0, 3.0, 1.0]), np.eye(5))
    unique, index, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                               return_counts=True)
    for got, want in zip((unique.value, index, inverse, counts),
                         np.unique(x.value, return_index=True, return_inverse=True, return_counts=True)):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(unique.tangent, np.eye(5)[index])
    unique, counts = np.unique(x, return_counts=True)
    np.testing.assert_array_equal(counts, [2, 2, 1])


def through_a_view(x):
    y = x * 1.0
    r = y.reshape(3, 4)
    r[1] = x[4:8] ** 2                  # rows as wide as y's: written through the view
    return np.sum(y * np.sin(y))


def wider_through_a_view(x):
    y = x * 1.0
    r = y.reshape(3, 4)
    r[0, 0] = x[0] * x[1]               # wider rows than y's, which r shares
    return np.sum(y * np.sin(y)) + np.sum(y.flatten() * 2.0) + np.sum((+y) ** 2)


@pytest.mark.parametrize("f", [through_a_view, wider_through_a_view])
def test_assignment_through_views_follows_numpy(f):
    """Writing into a view writes into its base: the second-order array, whose
    operations also share the arrays they leave unchanged, leaves that to a
    pass on Dual2s."""
    wrapper, calls = counted(f)
    hess = dn.hessian(wrapper, X)
    assert calls[0] is _hessian_array.Dual2Array and len(calls) == 2
    np.testing.assert_allclose(dn.gradient(f, X), central(f, X), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(hess, central(lambda x: dn.gradient(f, x), X), rtol=1e-6, atol=1e-6)


def test_assignment_leaves_the_arrays_an_operation_shared():
    x = _hessian_array.seed(X, 1)
    for copy in (x.flatten(), +x, x * 2.0, np.positive(x)):
        copy[0] = x[1] * x[2]
        copy[3] = 4.0
        assert copy[0].value == X[1] * X[2] and copy[3].value == 4.0
        np.testing.assert_array_equal(x.value, X)
        np.testing.assert_array_equal(x.index, np.arange(12).reshape(12, 1))
        np.testing.assert_array_equal(x.grad, np.ones((12, 1)))
        np.testing.assert_array_equal(x.curv, np.zeros((12, 1, 1)))
