"""hessian(f, x, sparsity=...): one Hessian-vector product per colour of a given pattern
(one in all where f returns one sum of the compiled array, whose local Hessians make H).

References: the analytic Hessian of the extended Rosenbrock function and the
dense hessian of the same f.
"""

import numpy as np
import pytest
import hessian_references as references  # tests/, on pytest's pythonpath
import scipy.sparse

import dualnum as dn

rosenbrock, rosenbrock_hessian = references.rosenbrock, references.rosenbrock_hessian


def tridiagonal(n):
    return np.eye(n, dtype=bool) | np.eye(n, k=1, dtype=bool) | np.eye(n, k=-1, dtype=bool)


def rosenbrock_in_two_sums(v):
    """Rosenbrock as a sum of two sums: no one sum of the compiled array holds
    all of H, so each star colour takes its Hessian-vector product."""
    return np.sum(100 * (v[1:] - v[:-1] ** 2) ** 2) + np.sum((1 - v[:-1]) ** 2)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 257])
@pytest.mark.parametrize("written", ["one sum", "two sums"])
def test_tridiagonal_rosenbrock_in_three_products(n, written):
    x = np.cos(np.arange(n, dtype=float))
    calls = []
    g = rosenbrock if written == "one sum" else rosenbrock_in_two_sums
    f = lambda v: calls.append(1) or g(v)
    value, grad, hess = dn.value_gradient_and_hessian(f, x, sparsity=tridiagonal(n))
    if written == "one sum":
        # the first product records the local Hessians of f's sum: all of H
        assert len(calls) == 1
    else:
        # one product per star colour: a path of 3 variables is a star (2 colours)
        assert len(calls) == {1: 1, 2: 2, 3: 2}.get(n, 3)
    np.testing.assert_allclose(hess, rosenbrock_hessian(x), rtol=1e-14, atol=1e-11)
    assert np.array_equal(hess, hess.T)
    assert value == g(x)
    np.testing.assert_allclose(grad, dn.gradient(rosenbrock, x), rtol=1e-14, atol=1e-12)


def test_sparse_output_and_patterns_of_every_kind():
    n = 2000
    x = np.linspace(-1.0, 1.5, n)
    s = scipy.sparse.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(n, n))
    for pattern in (s, s.tocsc(), dn.SparsityPattern(s), tridiagonal(n)):
        hess = dn.hessian(rosenbrock, x, sparsity=pattern, sparse_output=True)
        assert isinstance(hess, scipy.sparse.csr_array)
        assert hess.nnz == 3 * n - 2
        np.testing.assert_allclose(hess.toarray(), rosenbrock_hessian(x), rtol=1e-14, atol=1e-11)
        assert (hess != hess.T).nnz == 0


def test_a_wider_pattern_than_needed_and_object_path_functions():
    """Extra pattern entries come out zero; f that the compiled array declines
    (np.prod) goes through the object arrays and gives the same Hessian."""
    x = np.array([0.5, 1.5, -0.7, 2.0])
    f = lambda v: np.prod(v[:2]) + np.sum(np.sin(v) * v) + v[2] * v[3]
    dense = dn.hessian(f, x)
    full = np.ones((4, 4), dtype=bool)
    np.testing.assert_allclose(dn.hessian(f, x, sparsity=full), dense, rtol=1e-14, atol=1e-14)
    block = np.kron(np.eye(2), np.ones((2, 2))).astype(bool)
    np.testing.assert_allclose(dn.hessian(f, x, sparsity=block), dense, rtol=1e-14, atol=1e-14)


def test_errors():
    x = np.array([1.0, 2.0, 3.0])
    coupled = lambda v: v[0] * v[2] + np.sum(v ** 3)
    # an entry outside the pattern is found where it lands in a (row, colour)
    # slot no pattern entry owns: H[0, 3] here (star colours 1 0 1 2); with
    # tridiagonal(3) the 2 star colours put H[0, 2] in H[0, 0]'s slot, which no
    # check of 2 products can tell apart
    with pytest.raises(ValueError, match="outside the given sparsity pattern"):
        dn.hessian(lambda v: v[0] * v[3] + np.sum(v ** 3), np.arange(1.0, 5.0), sparsity=tridiagonal(4))
    with pytest.raises(ValueError, match="symmetric"):
        dn.hessian(coupled, x, sparsity=np.triu(np.ones((3, 3), dtype=bool)))
    with pytest.raises(ValueError, match="shape"):
        dn.hessian(coupled, x, sparsity=tridiagonal(4))
    with pytest.raises(ValueError, match="1-D"):
        dn.hessian(lambda m: np.sum(m ** 3), np.ones((2, 2)), sparsity=tridiagonal(4))
    # "auto" detects the pattern (tests/test_hessian_sparsity.py); other strings are refused
    np.testing.assert_allclose(dn.hessian(coupled, x, sparsity="auto"), dn.hessian(coupled, x),
                               rtol=1e-15)
    with pytest.raises(ValueError, match="pass 'auto', a symmetric pattern or a SparsityPattern"):
        dn.hessian(coupled, x, sparsity="detect")
    with pytest.raises(TypeError, match="argnums"):
        dn.hessian(lambda a, b: a * b, (1.0, 2.0), argnums=(0, 1), sparsity=tridiagonal(2))
    with pytest.raises(TypeError, match="sparsity"):
        dn.hessian(coupled, x, sparse_output=True)
