"""The array modules import one way (issue 13): no module-level import circle
among them, and each numpy-function table is built where its handlers are."""
import re
from pathlib import Path

import numpy as np
import pytest

from dualnum import (_array_functions, _array_reductions, _functions_composite, _functions_fft,
                     _functions_interp,
                     _functions_linalg, _functions_moves, _functions_shape, _functions_values,
                     _hessian_array, _hessian_functions, _linalg_rules)
from dualnum._array import seed_sparse, wrap_sparse
from dualnum._core import Dual, dual_parts
from dualnum.dualarray import DualArray

PACKAGE = Path(__file__).resolve().parent.parent / "dualnum"
# the import layout is read from the source tree, which a wheel's tests (run from a
# directory holding only tests/) do not have
needs_sources = pytest.mark.skipif(not (PACKAGE / "__init__.py").exists(),
                                   reason="needs the source tree's dualnum/")
ARRAY_MODULES = ["_rows", "_chains", "_array", "_function_args", "_array_functions",
                 "_array_reductions", "_functions_shape", "_functions_linalg", "_linalg_rules",
                 "_linalg_decompositions", "_linalg_norms", "_array_methods",
                 "dualarray", "_hessian_array", "_hessian_functions", "_hessian_linalg",
                 "_functions_moves", "_functions_values", "_functions_composite",
                 "_functions_fft", "_complex_array", "_functions_interp",
                 "_hessian_decompositions", "_hessian_matrices"]
# module-level (unindented) imports and cimports of dualnum modules
IMPORT = re.compile(r"^(?:from dualnum(?:\.(\w+))? c?import ([\w, ()]+)|import dualnum\.(\w+))",
                    re.MULTILINE)


def imported(module):
    """The array modules that `module` imports or cimports at module level."""
    found = set()
    for suffix in (".py", ".pyx", ".pxd"):
        path = PACKAGE / (module + suffix)
        if not path.exists():
            continue
        for submodule, names, plain in IMPORT.findall(path.read_text()):
            if submodule or plain:
                found.add(submodule or plain)
            else:                                   # from dualnum import a, b
                found.update(name.strip() for name in names.strip("()").split(","))
    return found & set(ARRAY_MODULES) - {module}


@needs_sources
def test_the_array_modules_import_without_a_circle():
    graph = {module: imported(module) for module in ARRAY_MODULES}
    state = {}

    def visit(module, path):
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", f"import circle: {' -> '.join(path + [module])}"
        state[module] = "open"
        for other in sorted(graph[module]):
            visit(other, path + [module])
        state[module] = "done"

    for module in ARRAY_MODULES:
        visit(module, [])
    # the layering the redesign asks for, bottom to top
    assert graph["_rows"] == set()
    assert "_array" not in graph["_chains"]
    assert "dualarray" not in graph["_functions_shape"] | graph["_functions_linalg"]
    # the handlers and the Python methods take the first-order engine, as the
    # second-order handlers do: the compiled array imports them, not they it
    assert "_array" not in (graph["_functions_shape"] | graph["_functions_linalg"]
                            | graph["_array_methods"])
    assert graph["dualarray"] == {"_array"}
    assert graph["_array_functions"] <= {"_function_args"}
    assert graph["_array_reductions"] <= {"_function_args"}
    assert "_hessian_array" not in graph["_hessian_functions"]


@needs_sources
def test_no_array_module_imports_inside_a_function():
    """An indented import of another array module would be a circle the
    module-level graph above does not see (e.g. a lazy import of a table)."""
    indented = re.compile(r"^[ \t]+(?:from dualnum\.(\w+) c?import|import dualnum\.(\w+))",
                          re.MULTILINE)
    for module in ARRAY_MODULES:
        for suffix in (".py", ".pyx"):
            path = PACKAGE / (module + suffix)
            if path.exists():
                found = {a or b for a, b in indented.findall(path.read_text())}
                assert not found & set(ARRAY_MODULES), (module, found)


def test_dualarray_dispatches_on_the_tables_of_the_modules_that_define_them():
    table = DualArray._numpy_functions
    modules = (_functions_shape, _functions_linalg, _array_reductions, _linalg_rules, _functions_interp,
               _functions_composite, _functions_fft)
    for module in modules:
        assert module.FUNCTIONS
        for func, handler in module.FUNCTIONS.items():
            assert table[func] is handler
    # both orders' moves and queries, below each order's own handlers
    shared = (_functions_moves, _functions_values)
    own = set().union(*(module.FUNCTIONS for module in modules))
    for module in shared:
        for func, handler in module.FUNCTIONS.items():
            assert table[func] is handler or func in own
    assert set(table) == own.union(*(module.FUNCTIONS for module in shared))
    assert table[np.concatenate].__module__ == "dualnum._functions_shape"
    assert table[np.dot].__module__ == "dualnum._functions_linalg"


def test_the_second_order_table_is_built_in_its_module_and_takes_the_engine():
    assert _hessian_functions.FUNCTIONS[np.dot].__module__ == "dualnum._hessian_functions"
    assert {np.max, np.dot, np.matmul, np.concatenate, np.where} <= set(_hessian_functions.FUNCTIONS)
    # the handlers get the compiled array's primitives as their first argument
    x = _hessian_array.seed(np.array([1.0, 2.0, 3.0]), 7)
    engine = type("Engine", (_hessian_functions.RowPrimitives,), {
        "array": _hessian_array.Dual2Array, "make": staticmethod(_hessian_array.make),
        "linear": staticmethod(_hessian_array.linear),
        "components": staticmethod(_hessian_array.components),
        "sum_all": staticmethod(_hessian_array.sum_all)})()
    total = _array_reductions.FUNCTIONS[np.sum](engine, x * x)
    assert total.value == 14.0
    np.testing.assert_array_equal(total.gradient, [2.0, 4.0, 6.0])
    product = _hessian_functions.FUNCTIONS[np.dot](engine, x, x)     # a sum through the engine
    assert product.value == 14.0
    np.testing.assert_array_equal(product.gradient, [2.0, 4.0, 6.0])


def test_sum_mean_cumsum_and_diff_are_one_handler_for_both_orders():
    """The first-order and second-order arrays dispatch the linear reductions to
    the same handlers; each order's engine gives the same numbers as numpy on
    the values and the same derivatives as the other order."""
    for func in (np.sum, np.mean, np.cumsum, np.diff):
        assert _array_reductions.FUNCTIONS[func] is DualArray._numpy_functions[func]
    point = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    # f(x) = g(x**2) for each reduction g: first order (gradient of one output
    # element) against second order (the gradient of its Dual2) and numpy
    cases = [(np.sum, {"axis": 0}), (np.sum, {"axis": (0, 1), "keepdims": True}),
             (np.mean, {"axis": 1}), (np.mean, {}), (np.cumsum, {"axis": 1}), (np.cumsum, {}),
             (np.diff, {"axis": 0}), (np.diff, {"n": 2})]
    for func, kwargs in cases:
        first = func(DualArray(point, np.eye(6).reshape(2, 3, 6), 3) ** 2, **kwargs)
        second = func(_hessian_array.seed(point, 4) ** 2, **kwargs)
        want = func(point ** 2, **kwargs)
        if isinstance(first, Dual):                      # a full reduction: one number
            value, partials, _ = dual_parts(first)
            first_value, tangent = np.array(value), partials.reshape(1, 6)
            second_value, element = second.value, second
        else:
            first_value, tangent = first.value, first.tangent.reshape(-1, 6)
            second_value, element = second.value, second[(0,) * second.ndim]
        np.testing.assert_array_equal(first_value, want)
        np.testing.assert_allclose(np.ravel(second_value), np.ravel(want), rtol=1e-15)
        # d/dx_j of element e: 2 x_j times the coefficient with which e takes x_j
        coefficients = np.stack([np.ravel(func(np.eye(6)[j].reshape(2, 3), **kwargs))
                                 for j in range(6)], axis=-1)
        np.testing.assert_allclose(tangent, coefficients * 2 * point.ravel(), rtol=1e-15)
        np.testing.assert_allclose(element.gradient, tangent[0], rtol=1e-15)


# ------------------------------------------------------------ the shared moves
# Both orders' components are the value plus arrays with trailing axes; each
# move is checked against the same move done element by element.

def _random_parts(rng, shape, trailing):
    return (rng.normal(size=shape),) + tuple(rng.normal(size=shape + t) for t in trailing)


def _element(parts, position):
    return tuple(np.asarray(c[position]) for c in parts)


@pytest.mark.parametrize("trailing", [((2,),), ((3,), (3,), (3, 3))], ids=["order1", "order2"])
def test_choose_takes_every_component_of_an_element_from_one_operand(trailing):
    rng = np.random.default_rng(1)
    x, y = _random_parts(rng, (4, 5), trailing), _random_parts(rng, (4, 5), trailing)
    condition = rng.random((4, 5)) < 0.5
    chosen = _array_functions.choose(condition, x, y)
    for position in np.ndindex(4, 5):
        expected = _element(x if condition[position] else y, position)
        for got, want in zip(_element(chosen, position), expected):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("trailing", [((2,),), ((3,), (3,), (3, 3))], ids=["order1", "order2"])
@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_concatenate_and_stack_move_the_elements_with_their_components(trailing, axis):
    rng = np.random.default_rng(2)
    a, b = _random_parts(rng, (2, 3), trailing), _random_parts(rng, (2, 3), trailing)
    joined = _array_functions.concatenate([a, b], axis)
    # the elements in numpy's order of the joined values, found by their values
    order = np.concatenate([np.arange(6).reshape(2, 3), 6 + np.arange(6).reshape(2, 3)],
                           axis=axis).ravel()
    flat = [_array_functions.flatten(p) for p in (a, b)]
    for i, source in enumerate(order):
        operand, position = flat[source // 6], source % 6
        for got, want in zip(_element(_array_functions.flatten(joined), i),
                             _element(operand, position)):
            np.testing.assert_array_equal(got, want)
    if axis is not None:
        stacked = _array_functions.stack([a, b], axis)
        for got, want in zip(stacked, a):
            np.testing.assert_array_equal(np.take(got, 0, axis=axis % 3), want)


@pytest.mark.parametrize("trailing", [((2,),), ((3,), (3,), (3, 3))], ids=["order1", "order2"])
def test_take_along_picks_each_element_with_its_components(trailing):
    rng = np.random.default_rng(3)
    parts = _random_parts(rng, (3, 4), trailing)
    positions = np.argsort(parts[0], axis=1)
    picked = _array_functions.take_along(parts, positions, 1)
    for i, j in np.ndindex(3, 4):
        for got, want in zip(_element(picked, (i, j)), _element(parts, (i, positions[i, j]))):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("trailing", [((2,), (2,)), ((2,), (2,), (2, 2))], ids=["order1", "order2"])
def test_pad_rows_adds_unused_entries_and_keeps_the_used_ones(trailing):
    rng = np.random.default_rng(4)
    value, index, *rest = _random_parts(rng, (3,), trailing)
    index = rng.integers(-1, 5, size=index.shape)
    padded = _array_functions.pad_rows((value, index, *rest), 4)
    np.testing.assert_array_equal(padded[0], value)
    np.testing.assert_array_equal(padded[1][:, :2], index)
    assert (padded[1][:, 2:] == -1).all()
    for got, own in zip(padded[2:], rest):
        assert got.shape == (3,) + (4,) * (own.ndim - 1)
        used = (slice(None),) + (slice(0, 2),) * (own.ndim - 1)
        np.testing.assert_array_equal(got[used], own)
        assert np.count_nonzero(got) == np.count_nonzero(own)     # the padding is zeros
    assert _array_functions.pad_rows((value, index, *rest), 2)[1] is index


@pytest.mark.parametrize("trailing", [1, 2])
def test_shape_moves_keep_each_elements_trailing_axes(trailing):
    rng = np.random.default_rng(5)
    component = rng.normal(size=(2, 3, 4) + (3,) * trailing)
    moved = _array_functions.transposed((2, 0, 1))(component, trailing)
    reshaped = _array_functions.reshaped((6, 4))(component, trailing)
    for i, j, k in np.ndindex(2, 3, 4):
        np.testing.assert_array_equal(moved[k, i, j], component[i, j, k])
        np.testing.assert_array_equal(reshaped[i * 3 + j, k], component[i, j, k])


def test_diff_of_a_sparse_tangent_is_the_diff_of_the_dense_one():
    """diff is the order's own subtraction of neighbours: a sparse tangent
    stays sparse and holds the same derivatives as the dense tangent's diff."""
    point = np.array([[0.5, -1.0, 2.0, 4.0], [1.5, 0.25, -0.75, 3.0]])
    dense = DualArray(point, np.eye(8).reshape(2, 4, 8), 6)
    for kwargs in ({}, {"axis": 0}, {"n": 2}, {"n": 0}):
        sparse = np.diff(seed_sparse(point, 6) ** 3, **kwargs)
        want = np.diff(dense ** 3, **kwargs)
        assert sparse.sparse_tangent is not None
        np.testing.assert_array_equal(sparse.value, want.value)
        np.testing.assert_array_equal(sparse.tangent, want.tangent)
        np.testing.assert_array_equal(want.value, np.diff(point ** 3, **kwargs))
    with pytest.raises(ValueError, match="non-negative"):
        np.diff(dense, n=-1)


# ------------------------------------------------------------ merged rows
# Both orders merge a row's repeated variables with the same plan
# (dualnum/_rows.pxd): the variables packed in the order they first appear,
# their coefficients added up.  Checked on a product of two operands whose
# rows (5 entries each, with repeats) side by side pass COMPACT_WIDTH.

N_VARIABLES = 40
ROWS_X = np.array([[3, 7, 3, -1, 12], [0, 1, 2, 1, 0], [5, 5, 5, 5, 5]])
ROWS_Y = np.array([[7, 9, -1, 3, 9], [2, 30, 2, 31, 1], [6, 5, 7, 8, 6]])


def _first_appearance(rows):
    out = []
    for row in rows:
        seen = list(dict.fromkeys(v for v in row if v >= 0))
        out.append(seen + [-1] * (len(row) - len(seen)))
    return np.array(out)


def _dense(index, coefficients):
    """The coefficients of each row scattered (added) onto the n variables."""
    dense = np.zeros((len(index), N_VARIABLES))
    for r, row in enumerate(index):
        for a, v in enumerate(row):
            if v >= 0:
                dense[r, v] += coefficients[r, a]
    return dense


def test_first_order_rows_merge_in_order_of_first_appearance():
    rng = np.random.default_rng(7)
    vx, vy = rng.normal(size=3), rng.normal(size=3)
    wx, wy = rng.normal(size=ROWS_X.shape), rng.normal(size=ROWS_Y.shape)
    wx[ROWS_X < 0] = wy[ROWS_Y < 0] = 0.0
    x = wrap_sparse(vx, ROWS_X.astype(np.intp), wx, N_VARIABLES, 8)
    y = wrap_sparse(vy, ROWS_Y.astype(np.intp), wy, N_VARIABLES, 8)
    index, weight = (x * y).sparse_tangent
    rows = np.concatenate([ROWS_X, ROWS_Y], axis=1)
    want_index = _first_appearance(rows)[:, :index.shape[1]]
    np.testing.assert_array_equal(index, want_index)
    assert index.shape[1] == max(len(set(r) - {-1}) for r in rows.tolist())
    want = vy[:, None] * _dense(ROWS_X, wx) + vx[:, None] * _dense(ROWS_Y, wy)
    np.testing.assert_allclose(_dense(index, weight), want, rtol=1e-14)
    assert (weight[index < 0] == 0.0).all()


def test_second_order_rows_merge_with_the_same_plan():
    rng = np.random.default_rng(8)
    vx, vy = rng.normal(size=3), rng.normal(size=3)
    gx, gy = rng.normal(size=ROWS_X.shape), rng.normal(size=ROWS_Y.shape)
    hx, hy = rng.normal(size=ROWS_X.shape + (5,)), rng.normal(size=ROWS_Y.shape + (5,))
    hx, hy = hx + hx.transpose(0, 2, 1), hy + hy.transpose(0, 2, 1)
    for g, h, rows in ((gx, hx, ROWS_X), (gy, hy, ROWS_Y)):
        g[rows < 0] = 0.0
        h[rows < 0] = 0.0
        h.transpose(0, 2, 1)[rows < 0] = 0.0
    x = _hessian_array.make(vx, ROWS_X, gx, hx, N_VARIABLES, 9)
    y = _hessian_array.make(vy, ROWS_Y, gy, hy, N_VARIABLES, 9)
    product = x * y
    rows = np.concatenate([ROWS_X, ROWS_Y], axis=1)
    np.testing.assert_array_equal(product.index, _first_appearance(rows)[:, :product.index.shape[1]])

    def scattered(index, h):
        out = np.zeros((len(index), N_VARIABLES, N_VARIABLES))
        for r, row in enumerate(index):
            for a, i in enumerate(row):
                for b, j in enumerate(row):
                    if i >= 0 and j >= 0:
                        out[r, i, j] += h[r, a, b]
        return out

    # (x y)'' = y x'' + x y'' + x' y'^T + y' x'^T, from the dense local derivatives
    Gx, Gy = _dense(ROWS_X, gx), _dense(ROWS_Y, gy)
    want = (vy[:, None, None] * scattered(ROWS_X, hx) + vx[:, None, None] * scattered(ROWS_Y, hy)
            + Gx[:, :, None] * Gy[:, None, :] + Gy[:, :, None] * Gx[:, None, :])
    np.testing.assert_allclose(scattered(product.index, product.curv), want, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(_dense(product.index, product.grad), vy[:, None] * Gx + vx[:, None] * Gy,
                               rtol=1e-14)
    unused = product.index < 0
    assert (product.grad[unused] == 0.0).all() and (product.curv[unused] == 0.0).all()
