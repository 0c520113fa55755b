"""The chunked forward passes: any chunk size gives the same derivatives."""
import numpy as np
import pytest

import dualnum as dn
from dualnum import _plan


@pytest.mark.parametrize("n", [0, 1, 2, 5, 127, 128, 129, 300])
@pytest.mark.parametrize("max_chunk", [1, 3, 64, 128])
def test_chunks_partition_the_directions(n, max_chunk):
    parts = _plan.chunks(n, max_chunk)
    covered = [i for start, size in parts for i in range(start, start + size)]
    assert covered == list(range(n))
    assert all(0 < size <= max_chunk for _, size in parts)
    # near-equal: every chunk but the last has the same size
    assert len({size for _, size in parts[:-1]}) <= 1


def _rosenbrock(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _rosenbrock_gradient(x):
    g = np.zeros_like(x)
    g[:-1] = -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    g[1:] += 200 * (x[1:] - x[:-1] ** 2)
    return g


def _bratu(u):
    n = len(u)
    padded = np.concatenate(([0.0], u, [0.0]))
    return (padded[:-2] - 2 * padded[1:-1] + padded[2:]) * (n + 1) ** 2 + dn.exp(u)


@pytest.mark.parametrize("max_chunk", [1, 2, 3, 7, 128])
def test_gradient_and_jacobian_do_not_depend_on_the_chunk_size(monkeypatch, max_chunk):
    monkeypatch.setattr(_plan, "MAX_CHUNK", max_chunk)
    x = np.array([(i % 7) / 7 - 0.3 for i in range(11)])
    np.testing.assert_allclose(dn.gradient(_rosenbrock, x), _rosenbrock_gradient(x), rtol=1e-13)
    n = len(x)
    expected = (np.diag(np.full(n, -2.0 * (n + 1) ** 2) + np.exp(x))
                + np.diag(np.full(n - 1, (n + 1) ** 2.0), 1)
                + np.diag(np.full(n - 1, (n + 1) ** 2.0), -1))
    np.testing.assert_allclose(dn.jacobian(_bratu, x), expected, rtol=1e-13)
    # a 2-D point: the Jacobian keeps the point's shape on its trailing axes
    grid = x[:10].reshape(2, 5)
    jac = dn.jacobian(lambda m: dn.sin(m) * 2, grid)
    assert jac.shape == (2, 5, 2, 5)
    np.testing.assert_allclose(jac.reshape(10, 10), np.diag(2 * np.cos(grid.reshape(-1))), rtol=1e-15)


def test_a_function_whose_output_shape_changes_between_passes_is_an_error(monkeypatch):
    monkeypatch.setattr(_plan, "MAX_CHUNK", 1)
    monkeypatch.setattr(_plan, "SPARSE_SEEDING", (10**12, 10**12))
    calls = []

    def unstable(x):
        calls.append(1)
        return x[:len(calls)]

    with pytest.raises(ValueError, match="different shapes"):
        dn.jacobian(unstable, [1.0, 2.0, 3.0])


def _counting(f):
    calls = []

    def counted(x):
        calls.append(1)
        return f(x)
    return counted, calls


def test_sparse_pass_falls_back_to_dense_chunks_past_the_budget(monkeypatch):
    """A matrix product needs dense derivatives of all n variables; past the
    budget the sparse pass stops and f is evaluated again in dense chunks."""
    n = 40
    monkeypatch.setattr(_plan, "SPARSE_SEEDING", (2, 10**12))
    monkeypatch.setattr(_plan, "MAX_CHUNK", 16)
    monkeypatch.setattr(_plan, "DENSE_BUDGET", 8 * n * n - 1)   # one n x n tangent too many
    rng = np.random.default_rng(5)
    a = rng.standard_normal((n, n))
    x = rng.standard_normal(n)
    quadratic, calls = _counting(lambda x: x @ a @ x)
    np.testing.assert_allclose(dn.gradient(quadratic, x), (a + a.T) @ x, rtol=1e-12)
    assert len(calls) == 1 + 3                     # the abandoned pass, then chunks 14/13/13
    # banded code never densifies: one sparse pass under the same budget
    banded, calls = _counting(_rosenbrock)
    np.testing.assert_allclose(dn.gradient(banded, x), _rosenbrock_gradient(x), rtol=1e-12)
    assert len(calls) == 1
    # within the budget the matrix product stays in the one sparse pass
    monkeypatch.setattr(_plan, "DENSE_BUDGET", 8 * n * n)
    quadratic, calls = _counting(lambda x: x @ a @ x)
    np.testing.assert_allclose(dn.gradient(quadratic, x), (a + a.T) @ x, rtol=1e-12)
    assert len(calls) == 1


def test_the_dense_budget_is_restored_after_the_sparse_pass(monkeypatch):
    from dualnum._array import set_dense_budget
    monkeypatch.setattr(_plan, "SPARSE_SEEDING", (2, 10**12))
    assert set_dense_budget(0) == 0                # no budget outside the API

    def failing(x):
        raise ZeroDivisionError("from f")

    with pytest.raises(ZeroDivisionError, match="from f"):
        dn.gradient(failing, np.ones(5))
    assert set_dense_budget(0) == 0
    dn.gradient(lambda x: np.sum(x @ np.ones((5, 5))), np.ones(5))
    assert set_dense_budget(0) == 0


def test_the_dense_budget_belongs_to_each_thread():
    import threading
    from dualnum._array import set_dense_budget
    seen = []

    def other_thread():
        seen.append(set_dense_budget(123))       # this thread starts without a budget
        seen.append(set_dense_budget(0))

    previous = set_dense_budget(456)
    try:
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        assert seen == [0, 123]
        assert set_dense_budget(456) == 456      # untouched by the other thread
    finally:
        set_dense_budget(previous)
