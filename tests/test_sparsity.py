"""Sparse Jacobians: column colouring and the one-pass compressed Jacobian."""
import numpy as np
import pytest
import scipy.sparse

import dualnum as dn
from dualnum.sparsity import color_columns, pattern_coordinates


def _banded(n, width):
    offsets = range(-width, width + 1)
    return sum(np.eye(n, k=k, dtype=bool) for k in offsets).astype(bool)


def _assert_valid_colouring(pattern):
    rows, cols, (m, n) = pattern_coordinates(pattern)
    colour = color_columns(rows, cols, m, n)
    assert colour.shape == (n,) and (colour >= 0).all()
    for i in range(m):
        row_colours = colour[np.nonzero(pattern[i])[0]]
        assert len(set(row_colours.tolist())) == len(row_colours), f"row {i} repeats a colour"
    return colour


@pytest.mark.parametrize("n", [1, 2, 5, 50, 400])
def test_tridiagonal_needs_three_colours_whatever_n(n):
    colour = _assert_valid_colouring(_banded(n, 1))
    assert colour.max() + 1 == min(n, 3)


def test_diagonal_and_dense_patterns():
    assert _assert_valid_colouring(np.eye(7, dtype=bool)).max() == 0
    assert _assert_valid_colouring(np.ones((3, 7), dtype=bool)).max() == 6
    # an empty column gets a colour too (it is never read)
    pattern = np.eye(4, dtype=bool)
    pattern[:, 2] = False
    _assert_valid_colouring(pattern)


@pytest.mark.parametrize("seed", range(8))
def test_random_patterns_are_coloured_validly(seed):
    rng = np.random.default_rng(seed)
    _assert_valid_colouring(rng.random((30, 40)) < 0.1)


def _bratu(u):
    n = len(u)
    padded = np.concatenate(([0.0], u, [0.0]))
    return (padded[:-2] - 2 * padded[1:-1] + padded[2:]) * (n + 1) ** 2 + np.exp(u)


def _bratu_jacobian(u):
    n = len(u)
    return ((-2 * np.eye(n) + np.eye(n, k=1) + np.eye(n, k=-1)) * (n + 1) ** 2
            + np.diag(np.exp(u)))


@pytest.mark.parametrize("n", [1, 3, 10, 200])
@pytest.mark.parametrize("as_scipy", [False, True])
def test_bratu_sparse_jacobian_equals_the_analytic_one(n, as_scipy):
    u = (np.arange(n) % 7) / 7 - 0.3
    pattern = _banded(n, 1)
    if as_scipy:
        pattern = scipy.sparse.csr_array(pattern)
    np.testing.assert_allclose(dn.jacobian(_bratu, u, sparsity=pattern), _bratu_jacobian(u), rtol=1e-14)
    value, jac = dn.value_and_jacobian(_bratu, u, sparsity=pattern, sparse_output=True)
    np.testing.assert_array_equal(value, _bratu(u))
    assert scipy.sparse.issparse(jac) and jac.shape == (n, n)
    np.testing.assert_allclose(jac.toarray(), _bratu_jacobian(u), rtol=1e-14)


def test_sparse_equals_dense_for_a_random_nonlinear_map():
    rng = np.random.default_rng(3)
    a = np.where(rng.random((25, 30)) < 0.15, rng.normal(size=(25, 30)), 0.0)
    f = lambda x: np.sin(a @ x) + (a != 0) @ (x * x)
    x = rng.normal(size=30)
    dense = dn.jacobian(f, x)
    np.testing.assert_allclose(dn.jacobian(f, x, sparsity=a != 0), dense, rtol=1e-13, atol=1e-15)


def test_wider_band_and_a_scalar_style_function():
    n = 12
    f = lambda x: [x[max(i - 2, 0)] * x[i] + dn.sin(x[min(i + 2, n - 1)]) for i in range(n)]
    x = np.linspace(0.1, 1.2, n)
    np.testing.assert_allclose(dn.jacobian(f, x, sparsity=_banded(n, 2)), dn.jacobian(f, x), rtol=1e-15)


def test_a_pattern_that_misses_a_nonzero_is_an_error_where_detectable():
    # columns 1 and 2 share row 1, so they get different colours (2 -> 0, 1 -> 1);
    # row 0 owns colour 0 only (column 0), so F_0's stray dependence on x_1 lands
    # in the unowned slot (row 0, colour 1) and is reported
    pattern = np.array([[1, 0, 0], [0, 1, 1], [0, 0, 1]], dtype=bool)
    f = lambda x: np.stack([x[0] * x[1], x[1] + x[2], x[2] * 2.0])
    with pytest.raises(ValueError, match="outside the given sparsity pattern"):
        dn.jacobian(f, np.array([1.0, 2.0, 3.0]), sparsity=pattern)
    # with the dependence in the pattern it is fine
    full = pattern.copy()
    full[0, 1] = True
    np.testing.assert_allclose(dn.jacobian(f, np.array([1.0, 2.0, 3.0]), sparsity=full),
                               [[2.0, 1.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 2.0]])


@pytest.mark.parametrize("call, error", [
    (lambda: dn.jacobian(_bratu, np.ones(4), sparsity=np.ones((4, 5), dtype=bool)), ValueError),
    (lambda: dn.jacobian(_bratu, np.ones(4), sparsity=np.ones((5, 4), dtype=bool)), ValueError),
    (lambda: dn.jacobian(_bratu, np.ones(4), sparsity=np.ones(4, dtype=bool)), ValueError),
    (lambda: dn.jacobian(_bratu, np.ones(4), sparsity=np.array([["a"] * 4] * 4)), TypeError),
    (lambda: dn.jacobian(lambda x: x, np.ones((2, 2)), sparsity=np.eye(4, dtype=bool)), ValueError),
    (lambda: dn.jacobian(lambda x, y: x * y, (np.ones(2), np.ones(2)), argnums=0,
                         sparsity=np.eye(2, dtype=bool)), TypeError),
    (lambda: dn.jacobian(_bratu, np.ones(4), sparse_output=True), TypeError),
])
def test_bad_sparsity_arguments(call, error):
    with pytest.raises(error):
        call()


def test_a_precomputed_pattern_is_reused_across_points():
    n = 30
    pattern = dn.SparsityPattern(scipy.sparse.csr_array(_banded(n, 1)))
    assert pattern.colours == 3 and pattern.shape == (n, n)
    assert "colours=3" in repr(pattern)
    for shift in (0.0, 0.25, -0.5):
        u = np.linspace(-1, 1, n) + shift
        np.testing.assert_allclose(dn.jacobian(_bratu, u, sparsity=pattern), _bratu_jacobian(u), rtol=1e-14)
        sparse = dn.jacobian(_bratu, u, sparsity=pattern, sparse_output=True)
        np.testing.assert_allclose(sparse.toarray(), _bratu_jacobian(u), rtol=1e-14)
    with pytest.raises(ValueError, match="columns"):
        dn.jacobian(_bratu, np.ones(n + 1), sparsity=pattern)


# --------------------------------------------------------------------------
# automatic sparsity: one traced pass with every variable tracked sparsely


@pytest.mark.parametrize("n", [1, 3, 10, 200])
def test_auto_sparsity_gives_the_analytic_bratu_jacobian(n):
    u = (np.arange(n) % 7) / 7 - 0.3
    np.testing.assert_allclose(dn.jacobian(_bratu, u, sparsity="auto"), _bratu_jacobian(u), rtol=1e-14)
    value, jac = dn.value_and_jacobian(_bratu, u, sparsity="auto", sparse_output=True)
    np.testing.assert_array_equal(value, _bratu(u))
    assert isinstance(jac, scipy.sparse.csr_array) and jac.shape == (n, n)
    # structural entries: the tridiagonal band exactly (the diagonal's two terms merged)
    assert jac.nnz == 3 * n - 2
    np.testing.assert_allclose(jac.toarray(), _bratu_jacobian(u), rtol=1e-14)


def test_detected_bratu_pattern_is_the_band_and_is_reused():
    n = 40
    pattern = dn.detect_sparsity(_bratu, np.zeros(n))
    assert pattern.shape == (n, n) and pattern.colours == 3
    dense = np.zeros((n, n), dtype=bool)
    dense[pattern.rows, pattern.cols] = True
    np.testing.assert_array_equal(dense, _banded(n, 1))
    u = np.linspace(-1, 1, n)
    np.testing.assert_allclose(dn.jacobian(_bratu, u, sparsity=pattern), _bratu_jacobian(u), rtol=1e-14)


def test_detection_is_structural_not_numerical():
    # d/dx1 (x0 * x1) is x0 = 0 at this point, but x1 is still in row 0's pattern
    # (slices, not x[0]: scalar Duals carry dense partials, which detection refuses)
    f = lambda x: np.concatenate([x[:1] * x[1:2], x[2:] ** 2])
    pattern = dn.detect_sparsity(f, np.array([0.0, 1.0, 2.0]))
    assert sorted(zip(pattern.rows.tolist(), pattern.cols.tolist())) == [(0, 0), (0, 1), (1, 2)]


def test_auto_sparsity_agrees_with_dense_on_a_random_elementwise_map():
    rng = np.random.default_rng(5)
    x = rng.normal(size=60)
    f = lambda x: np.sin(x[3:]) * x[:-3] - np.exp(x[1:-2] / 4) + np.concatenate((x[:2], np.ones(55)))
    np.testing.assert_allclose(dn.jacobian(f, x, sparsity="auto"), dn.jacobian(f, x), rtol=1e-15)


def test_auto_sparsity_after_a_dense_operation_is_still_correct():
    # a matrix product needs dense tangents: the Jacobian is right, detection refuses
    rng = np.random.default_rng(6)
    a = rng.normal(size=(5, 8))
    f = lambda x: np.tanh(a @ x)
    x = rng.normal(size=8)
    np.testing.assert_allclose(dn.jacobian(f, x, sparsity="auto"), dn.jacobian(f, x), rtol=1e-15)
    with pytest.raises(ValueError, match="explicit pattern"):
        dn.detect_sparsity(f, x)


@pytest.mark.parametrize("call, error", [
    (lambda: dn.jacobian(_bratu, np.ones(4), sparsity="automatic"), ValueError),
    (lambda: dn.jacobian(_bratu, np.ones((2, 2)), sparsity="auto"), ValueError),
    (lambda: dn.detect_sparsity(_bratu, np.ones((2, 2))), ValueError),
    (lambda: dn.detect_sparsity(lambda x: x.sum(), np.ones(3)), ValueError),
    (lambda: dn.detect_sparsity(lambda x: np.stack([x[0] * x[1], x[2]]), np.ones(3)), ValueError),
])
def test_bad_auto_sparsity_arguments(call, error):
    with pytest.raises(error):
        call()


def test_repeated_coordinates_in_a_scipy_pattern_count_once():
    coo = scipy.sparse.coo_array((np.ones(4, dtype=bool), ([0, 0, 1, 1], [0, 0, 1, 1])), shape=(2, 2))
    assert dn.SparsityPattern(coo).rows.shape == (2,)
    jac = dn.jacobian(lambda x: x ** 2, [1.0, 2.0], sparsity=coo, sparse_output=True)
    np.testing.assert_array_equal(jac.toarray(), [[2.0, 0.0], [0.0, 4.0]])
