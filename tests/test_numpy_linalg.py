"""numpy.linalg through dualnum's API (issue 15): dualnum/_linalg_rules.py,
_linalg_decompositions.py and _linalg_norms.py at the first order,
dualnum/_hessian_linalg.py at the second.

Every derivative is checked against central finite differences of numpy on
plain floats (and against closed forms where they are short): jacobian on
dense tangents, jacobian(sparsity="auto") on sparse ones, jvp and gradient;
hessian and hvp against differences of the gradient.  Matrices are random
with fixed seeds and well conditioned (shifted by a multiple of identity).
"""
import numpy as np
import pytest

import dualnum as dn

RNG = np.random.default_rng(15)
STEP = 1e-6


def general(shape, seed):
    """Well-conditioned square matrices (or stacks) with distinct real eigenvalues."""
    rng = np.random.default_rng(seed)
    n = shape[-1]
    return rng.uniform(-1.0, 1.0, shape) + np.diag(np.arange(1.0, n + 1.0) * 3.0)


def symmetric(shape, seed):
    a = general(shape, seed)
    return a + np.swapaxes(a, -1, -2)


def positive_definite(shape, seed):
    rng = np.random.default_rng(seed)
    b = rng.uniform(-1.0, 1.0, shape)
    return b @ np.swapaxes(b, -1, -2) + shape[-1] * np.eye(shape[-1])


def tall(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, shape)


def differences(f, x):
    """Central differences of f (numpy on floats): shape f(x).shape + x.shape."""
    columns = []
    for j in range(x.size):
        e = np.zeros(x.size)
        e[j] = STEP
        up = np.asarray(f(x + e.reshape(x.shape)), dtype=float)
        down = np.asarray(f(x - e.reshape(x.shape)), dtype=float)
        columns.append((up - down) / (2 * STEP))
    return np.moveaxis(np.array(columns), 0, -1).reshape(np.shape(f(x)) + x.shape)


def real_eigen(result):
    """eig/eigvals' result, checked real: numpy >= 2.5 returns it complex with zero
    imaginary parts (numpy < 2.5 as a real array); dualnum's arrays are real and
    take .imag and .real as numpy's."""
    assert not np.any(result.imag)
    return result.real


def close(got, want, rtol=1e-6):
    scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale)


def first_order(f, x, rtol=1e-6):
    """jacobian (dense and sparse tangents), jvp and, for scalars, gradient against differences."""
    want = differences(f, x)
    value, jac = dn.value_and_jacobian(f, x)
    assert np.array_equal(value, f(x))                      # numpy's own value
    close(jac, want, rtol)
    flat = lambda v: np.ravel(f(v.reshape(x.shape)))        # noqa: E731
    close(dn.jacobian(flat, x.ravel(), sparsity="auto"), want.reshape(-1, x.size), rtol)
    v = RNG.uniform(-1.0, 1.0, x.shape)
    _, tangent = dn.jvp(f, x, v)
    close(tangent, (want.reshape(-1, x.size) @ v.ravel()).reshape(np.shape(value)), rtol)
    if np.ndim(value) == 0:
        close(dn.gradient(f, x), want, rtol)
    return jac


def second_order(f, x, rtol=1e-5):
    """hessian and hvp of a scalar f against differences of its gradient (dense)."""
    hess = dn.hessian(f, x)
    want = differences(lambda y: dn.gradient(f, y), x)
    close(hess.reshape(x.size, x.size), want.reshape(x.size, x.size), rtol)
    v = RNG.uniform(-1.0, 1.0, x.shape)
    close(dn.hvp(f, x, v), (want.reshape(x.size, x.size) @ v.ravel()).reshape(x.shape), rtol)
    value, gradient, _ = dn.value_gradient_and_hessian(f, x)
    close(gradient, differences(f, x), rtol)
    return hess


def weighted(f, shape_seed=0):
    """A scalar of an array-valued f: a fixed random weighting of its entries."""
    def g(y):
        out = f(y)
        w = np.random.default_rng(shape_seed).uniform(0.5, 1.5, np.shape(getattr(out, "value", out)))
        return np.sum(out * w)
    return g


# --------------------------------------------------------------------------- #
# first order: every function and option
# --------------------------------------------------------------------------- #
A3, S3, P3, T = general((3, 3), 1), symmetric((3, 3), 2), positive_definite((3, 3), 3), tall((4, 3), 4)
STACK = general((2, 3, 3), 5)
SSTACK = symmetric((2, 3, 3), 6)
B3 = np.random.default_rng(7).uniform(-1.0, 1.0, 3)

FIRST = {
    "det": (np.linalg.det, A3),
    "det stacked": (np.linalg.det, STACK),
    "slogdet": (lambda a: np.linalg.slogdet(a)[1], STACK),
    "slogdet negative": (lambda a: np.linalg.slogdet(a)[1], -A3),
    "inv": (np.linalg.inv, STACK),
    "solve vector": (lambda a: np.linalg.solve(a, B3), A3),
    "solve b dual": (lambda b: np.linalg.solve(A3, b), B3),
    "solve both": (lambda y: np.linalg.solve(y[:, :3], y[:, 3]), np.column_stack([A3, B3])),
    "solve stacked": (lambda a: np.linalg.solve(a, STACK[::-1]), STACK),
    "lstsq x": (lambda a: np.linalg.lstsq(a, np.arange(4.0))[0], T),
    "lstsq x of b": (lambda b: np.linalg.lstsq(T, b)[0], np.arange(4.0)),
    "lstsq matrix b": (lambda a: np.linalg.lstsq(a, T[:, :2] + 1.0)[0], T),
    "lstsq residuals": (lambda a: np.linalg.lstsq(a, np.arange(4.0))[1], T),
    "lstsq wide": (lambda a: np.linalg.lstsq(a, np.arange(3.0))[0], T.T),
    "pinv tall": (np.linalg.pinv, T),
    "pinv wide": (np.linalg.pinv, T.T),
    "pinv stacked": (np.linalg.pinv, STACK),
    "pinv hermitian": (lambda a: np.linalg.pinv(a, hermitian=True), S3),
    "pinv hermitian of the lower triangle": (lambda a: np.linalg.pinv(a, hermitian=True),
                                             S3 + np.triu(A3, 1)),
    "cholesky": (np.linalg.cholesky, P3),
    "cholesky upper": (lambda a: np.linalg.cholesky(a, upper=True), P3),
    "cholesky stacked": (np.linalg.cholesky, positive_definite((2, 3, 3), 8)),
    "eigh values": (lambda a: np.linalg.eigh(a)[0], SSTACK),
    "eigh vectors": (lambda a: np.linalg.eigh(a)[1], SSTACK),
    "eigh UPLO=U": (lambda a: np.linalg.eigh(a, UPLO="U").eigenvectors, S3 + np.triu(A3)),
    "eigvalsh": (np.linalg.eigvalsh, SSTACK),
    "eigvalsh UPLO=U": (lambda a: np.linalg.eigvalsh(a, "U"), S3 + np.tril(A3)),
    "eig values": (lambda a: real_eigen(np.linalg.eig(a)[0]), A3),
    "eig vectors": (lambda a: real_eigen(np.linalg.eig(a)[1]), STACK),
    "eigvals": (lambda a: real_eigen(np.linalg.eigvals(a)), STACK),
    "svd values": (lambda a: np.linalg.svd(a, compute_uv=False), T),
    "svd u": (lambda a: np.linalg.svd(a, full_matrices=False)[0], T),
    "svd s": (lambda a: np.linalg.svd(a, full_matrices=False).S, T.T),
    "svd vh": (lambda a: np.linalg.svd(a, full_matrices=False)[2], T),
    "svd square full": (lambda a: np.linalg.svd(a)[0], STACK),
    "svd wide vh": (lambda a: np.linalg.svd(a, full_matrices=False)[2], T.T),
    "svd hermitian": (lambda a: np.linalg.svd(a, hermitian=True)[2], S3),
    "svd hermitian indefinite": (lambda a: np.linalg.svd(a, hermitian=True)[0],
                                 np.diag([-3.0, 1.0, 5.0]) + 0.1 * S3),
    "svdvals": (np.linalg.svdvals, STACK),
    "qr q": (lambda a: np.linalg.qr(a)[0], T),
    "qr r": (lambda a: np.linalg.qr(a).R, T),
    "qr wide q": (lambda a: np.linalg.qr(a)[0], T.T),
    "qr wide r": (lambda a: np.linalg.qr(a)[1], T.T),
    "qr complete wide": (lambda a: np.linalg.qr(a, mode="complete")[1], T.T),
    "qr mode r": (lambda a: np.linalg.qr(a, mode="r"), STACK),
    "matrix_power 0": (lambda a: np.linalg.matrix_power(a, 0), A3),
    "matrix_power 1": (lambda a: np.linalg.matrix_power(a, 1), A3),
    "matrix_power 6": (lambda a: np.linalg.matrix_power(a, 6), STACK / 6),
    "matrix_power -2": (lambda a: np.linalg.matrix_power(a, -2), STACK),
    "multi_dot": (lambda a: np.linalg.multi_dot([a, A3, a.T, a]), A3),
    "multi_dot vectors": (lambda a: np.linalg.multi_dot([a[0], A3, a, a[:, 1]]), A3),
    "matrix_rank": (lambda a: a * np.linalg.matrix_rank(a), T),
    "trace": (lambda a: np.trace(a, offset=1, axis1=2, axis2=1), STACK),
    "linalg.trace": (lambda a: np.linalg.trace(a, offset=-1), STACK),
    "linalg.diagonal": (lambda a: np.linalg.diagonal(a, offset=1), STACK),
    "linalg.matrix_transpose": (np.linalg.matrix_transpose, STACK),
    "linalg.matmul": (lambda a: np.linalg.matmul(a, STACK), STACK),
    "linalg.outer": (lambda a: np.linalg.outer(a[0], a[1]), A3),
    "linalg.tensordot": (lambda a: np.linalg.tensordot(a, A3, axes=1), STACK),
    "linalg.vecdot": (lambda a: np.linalg.vecdot(a, B3), STACK),
    "linalg.vecdot axis": (lambda a: np.linalg.vecdot(a, a[::-1], axis=0), T),
    "linalg.cross": (lambda a: np.linalg.cross(a, B3), STACK),
    "linalg.cross axis": (lambda a: np.linalg.cross(a, a[::-1], axis=0), A3),
    "tensorinv": (lambda a: np.linalg.tensorinv(a.reshape(2, 2, 4)), general((4, 4), 9)),
    "tensorsolve": (lambda a: np.linalg.tensorsolve(a.reshape(2, 2, 4), np.ones((2, 2))),
                    general((4, 4), 10)),
    "tensorsolve axes": (lambda a: np.linalg.tensorsolve(a.reshape(2, 4, 2), np.ones((2, 2)),
                                                         axes=(1,)), general((4, 4), 11)),
}


@pytest.mark.parametrize("name", list(FIRST))
def test_first_order_against_differences(name):
    f, x = FIRST[name]
    first_order(f, x)


VECTOR_ORDS = [None, 2, 1, -1, np.inf, -np.inf, 0, 3, 0.5, -2]
MATRIX_ORDS = [None, "fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VECTOR_ORDS)
@pytest.mark.parametrize("axis, keepdims", [(1, False), (0, True), (-1, True)])
def test_vector_norms(ord, axis, keepdims):
    first_order(lambda a: np.linalg.norm(a, ord=ord, axis=axis, keepdims=keepdims), T)
    if axis == 1:
        first_order(lambda a: np.linalg.norm(a, ord=ord), T[0])          # axis None, 1-D
        first_order(lambda a: np.linalg.vector_norm(a, ord=ord, axis=(0, 2),
                                                    keepdims=keepdims), STACK)


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("axis, keepdims", [((1, 2), False), ((2, 0), True)])
def test_matrix_norms(ord, axis, keepdims):
    first_order(lambda a: np.linalg.norm(a, ord=ord, axis=axis, keepdims=keepdims), STACK)
    if axis == (1, 2):
        first_order(lambda a: np.linalg.norm(a, ord=ord), T)               # axis None, 2-D
        if ord is not None:
            first_order(lambda a: np.linalg.matrix_norm(a, ord=ord, keepdims=keepdims), STACK)


def test_norm_of_all_elements():
    first_order(np.linalg.norm, STACK)
    first_order(lambda a: np.linalg.vector_norm(a, ord=3), STACK)


@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, "fro", "nuc", np.inf, -np.inf])
def test_cond(p):
    first_order(lambda a: np.linalg.cond(a, p), STACK)


def test_closed_forms():
    # d det = det A^-T, d logabsdet = A^-T, d inv_ij / dA_kl = -inv_ik inv_lj
    inverse = np.linalg.inv(A3)
    close(dn.gradient(np.linalg.det, A3), np.linalg.det(A3) * inverse.T)
    close(dn.gradient(lambda a: np.linalg.slogdet(a)[1], A3), inverse.T)
    close(dn.jacobian(np.linalg.inv, A3), -np.einsum("ik,lj->ijkl", inverse, inverse))
    # d eigvalsh = q_i q_i^T (the symmetric part of the read triangle)
    w, q = np.linalg.eigh(S3)
    grad = dn.jacobian(np.linalg.eigvalsh, S3)
    want = np.einsum("ki,li->ikl", q, q)
    want = np.tril(2 * want) - want * np.eye(3)                  # the lower triangle counts twice
    close(grad, want)


def test_results_keep_numpys_types():
    x = dn.DualArray(SSTACK, np.ones(SSTACK.shape + (1,)))
    assert type(np.linalg.eigh(x)).__name__ == "EighResult"
    assert type(np.linalg.svd(x)).__name__ == "SVDResult"
    assert type(np.linalg.qr(x)).__name__ == "QRResult"
    sign, logabsdet = np.linalg.slogdet(x)
    assert type(sign) is np.ndarray and np.array_equal(sign, np.linalg.slogdet(SSTACK)[0])
    _, _, rank, s = np.linalg.lstsq(dn.DualArray(T, np.ones(T.shape + (1,))), np.ones(4))
    assert rank == 3 and np.array_equal(s, np.linalg.lstsq(T, np.ones(4))[3])
    assert np.linalg.matrix_rank(x).tolist() == [3, 3]


# --------------------------------------------------------------------------- #
# edge cases: singular matrices, ties, kinks, refused options
# --------------------------------------------------------------------------- #
SINGULAR = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])


def test_singular_matrix():
    # det: the adjugate (cofactors), finite; inv and solve: numpy's LinAlgError
    close(dn.gradient(np.linalg.det, SINGULAR), differences(np.linalg.det, SINGULAR))
    with pytest.raises(np.linalg.LinAlgError):
        dn.jacobian(np.linalg.inv, SINGULAR)
    with pytest.raises(np.linalg.LinAlgError):
        dn.hessian(np.linalg.det, SINGULAR)
    # slogdet: logabsdet = -inf, a tangent that is not finite
    _, tangent = dn.jvp(lambda a: np.linalg.slogdet(a)[1], SINGULAR, np.eye(3))
    assert np.linalg.slogdet(SINGULAR)[1] == -np.inf and not np.isfinite(tangent)


def test_pinv_rank_deficient_keeps_the_rank():
    # A = B C of rank 2: along perturbations of B (rank kept) pinv is differentiable
    rng = np.random.default_rng(12)
    b, c = rng.uniform(-1, 1, (4, 2)), rng.uniform(-1, 1, (2, 3))
    first_order(lambda y: np.linalg.pinv(y @ c), b)


def test_repeated_eigenvalues():
    # at a tie the eigenvectors have no derivative: the tied couplings are dropped,
    # so tangents stay finite; the eigenvalue tangents are diag(V^T dA V)
    direction = symmetric((3, 3), 13)
    w, v = dn.jvp(lambda a: np.linalg.eigh(a)[0], np.eye(3), direction)
    _, vectors = dn.jvp(lambda a: np.linalg.eigh(a)[1], np.eye(3), direction)
    assert np.all(np.isfinite(vectors))
    q = np.linalg.eigh(np.eye(3))[1]
    close(v, np.diagonal(q.T @ direction @ q))
    # distinct eigenvalues of a stack beside a tie are exact
    first_order(np.linalg.eigvalsh, np.diag([1.0, 2.0, 4.0]))


@pytest.mark.parametrize("ord", [None, 2, 1, np.inf, -np.inf, 3, 0.5])
def test_vector_norm_kink_at_zero_is_zero(ord):
    assert np.array_equal(dn.gradient(lambda v: np.linalg.norm(v, ord=ord), np.zeros(3)),
                          np.zeros(3))


@pytest.mark.parametrize("ord", ["fro", "nuc", 2, -2, 1, np.inf])
def test_matrix_norm_kink_at_zero_is_zero(ord):
    assert np.array_equal(dn.gradient(lambda a: np.linalg.norm(a, ord=ord), np.zeros((2, 2))),
                          np.zeros((2, 2)))


def test_norm_ties_follow_the_first():
    # |x|_inf at a tie: the first of the tied maxima, as max does
    grad = dn.gradient(lambda v: np.linalg.norm(v, ord=np.inf), np.array([1.0, -2.0, 2.0]))
    assert np.array_equal(grad, [0.0, -1.0, 0.0])
    grad = dn.gradient(lambda a: np.linalg.norm(a, ord=1), np.array([[1.0, 1.0], [1.0, 1.0]]))
    assert np.array_equal(grad, [[1.0, 0.0], [1.0, 0.0]])


@pytest.mark.parametrize("call, name", [
    (lambda a: np.linalg.qr(a, mode="raw"), "mode='raw'"),
    (lambda a: np.linalg.qr(a[:, :2], mode="complete"), "mode='complete'"),
    (lambda a: np.linalg.svd(a[:, :2]), "full_matrices=True"),
    (lambda a: np.linalg.eigvals(a - a.T), "complex"),
    (lambda a: np.linalg.eig(a - a.T), "complex"),
    (lambda a: np.linalg.multi_dot([a, a], out=np.empty((3, 3))), "out"),
    (lambda a: np.linalg.trace(a, dtype=float), "dtype"),
])
def test_refused_options_are_named(call, name):
    with pytest.raises(TypeError, match=name.replace("(", r"\(")):
        call(dn.DualArray(A3, np.ones((3, 3, 1))))


def _complex_like_numpy_25(func):
    """func (numpy's eig or eigvals) returning complex arrays, as numpy >= 2.5 does
    for real eigenvalues too (zero imaginary parts)."""
    def complex_results(a):
        result = func(a)
        if isinstance(result, tuple):
            return type(result)(*(np.asarray(r, dtype=complex) for r in result))
        return np.asarray(result, dtype=complex)
    return complex_results


@pytest.mark.parametrize("complex_results", [False, True])
def test_eig_gives_real_dual_arrays_whatever_numpy_returns(monkeypatch, complex_results):
    eig, eigvals = np.linalg.eig, np.linalg.eigvals     # the public functions, which dispatch
    if complex_results:         # numpy >= 2.5's results inside dualnum's rules, on any numpy
        monkeypatch.setattr(np.linalg, "eig", _complex_like_numpy_25(eig))
        monkeypatch.setattr(np.linalg, "eigvals", _complex_like_numpy_25(eigvals))
    x = dn.DualArray(STACK, np.ones(STACK.shape + (1,)))
    result = eig(x)
    assert type(result).__name__ == "EigResult"
    want_w, want_v = (real_eigen(r) for r in eig(STACK))
    for got, want in ((result[0], want_w), (result[1], want_v), (eigvals(x), want_w)):
        assert type(got) is dn.DualArray and got.value.dtype == np.float64
        np.testing.assert_array_equal(got.value, want)
        assert got.real is got and not np.any(got.imag) and got.imag.shape == want.shape
    # closed form: dw = diag(X^-1 dA X), dA all ones
    g = np.linalg.inv(want_v) @ np.ones((3, 3)) @ want_v
    close(result[0].tangent[..., 0], np.diagonal(g, axis1=-2, axis2=-1), rtol=1e-12)
    close(eigvals(x).tangent[..., 0], np.diagonal(g, axis1=-2, axis2=-1), rtol=1e-12)
    first_order(lambda a: real_eigen(eig(a)[1]), STACK)
    second_order(weighted(lambda a: real_eigen(eigvals(a)) ** 3 + real_eigen(eig(a)[1])), A3)


@pytest.mark.parametrize("api", [dn.jacobian, dn.hessian])
def test_complex_eigenvalues_are_refused_naming_the_cause(api):
    rotation = np.array([[0.5, -1.0], [1.0, 0.5]])
    assert np.all(np.linalg.eigvals(rotation).imag != 0)       # numpy: a complex pair
    for name, func in (("eigvals", np.linalg.eigvals), ("eig", lambda a: np.linalg.eig(a)[0])):
        with pytest.raises(TypeError, match=rf"numpy.linalg.{name} .*complex eigenvalues.*"
                                            r"ComplexDualArray has no eig rule.*use eigh"):
            api(lambda a: np.sum(func(a)), rotation)


def test_shape_errors_are_numpys():
    x = dn.DualArray(T, np.ones(T.shape + (1,)))
    for func in (np.linalg.det, np.linalg.inv, np.linalg.cholesky, np.linalg.eigh):
        with pytest.raises(np.linalg.LinAlgError):
            func(x)
    with pytest.raises(ValueError):
        np.linalg.norm(x, ord="nuc", axis=0)


# --------------------------------------------------------------------------- #
# second order: hessian and hvp
# --------------------------------------------------------------------------- #
INDEFINITE = np.diag([-3.0, 1.0, 5.0]) + 0.1 * S3           # eigenvalues of both signs
SECOND = {
    "det": (np.linalg.det, A3),
    "det stacked": (lambda a: np.sum(np.linalg.det(a) ** 2), STACK),
    "slogdet": (lambda a: np.linalg.slogdet(a)[1], -A3),
    "slogdet stacked": (lambda a: np.sum(np.linalg.slogdet(a)[1]), STACK),
    "inv": (weighted(np.linalg.inv), A3),
    "inv stacked": (weighted(np.linalg.inv), STACK),
    "solve vector": (weighted(lambda a: np.linalg.solve(a, B3)), A3),
    "solve b dual": (weighted(lambda b: np.linalg.solve(A3, b * b)), B3),
    "solve both": (weighted(lambda y: np.linalg.solve(y[:, :3], y[:, 3])),
                   np.column_stack([A3, B3])),
    "solve matrix": (weighted(lambda a: np.linalg.solve(a, STACK[::-1])), STACK),
    "matrix_power 3": (weighted(lambda a: np.linalg.matrix_power(a, 3)), A3 / 3),
    "matrix_power -2": (weighted(lambda a: np.linalg.matrix_power(a, -2)), STACK),
    "matrix_power 0": (lambda a: np.sum(np.linalg.matrix_power(a, 0) * a), A3),
    "multi_dot": (weighted(lambda a: np.linalg.multi_dot([a, A3, a])), A3),
    "multi_dot vectors": (lambda a: np.linalg.multi_dot([a[0], a, a[:, 1]]), A3),
    "cholesky": (weighted(np.linalg.cholesky), P3),
    "cholesky upper": (weighted(lambda a: np.linalg.cholesky(a, upper=True)), P3),
    "eigvalsh": (weighted(np.linalg.eigvalsh), SSTACK),
    "eigvalsh UPLO=U": (weighted(lambda a: np.linalg.eigvalsh(a, UPLO="U")), S3 + np.tril(A3)),
    "norm": (np.linalg.norm, T),
    "norm fro": (lambda a: np.linalg.norm(a, "fro"), T),
    "norm axis": (weighted(lambda a: np.linalg.norm(a, axis=1)), T),
    "norm axis pair keepdims": (weighted(lambda a: np.linalg.norm(a, axis=(0, 2), keepdims=True)),
                                STACK),
    "norm 1": (lambda a: np.linalg.norm(a[0] * a[1], ord=1), T),
    "norm inf": (weighted(lambda a: np.linalg.norm(a * a, ord=np.inf, axis=0)), T),
    "norm 3": (weighted(lambda a: np.linalg.norm(a, ord=3, axis=1)), T),
    "norm 0": (lambda a: np.linalg.norm(a, ord=0) * np.sum(a * a), T[0]),
    "norm -inf": (weighted(lambda a: np.linalg.norm(a, ord=-np.inf, axis=1)), T),
    "svdvals": (weighted(np.linalg.svdvals), STACK),
    "svd values of a tall matrix": (lambda a: np.sum(np.linalg.svd(a, compute_uv=False) ** 3), T),
    "svdvals of a wide matrix": (weighted(np.linalg.svdvals), T.T),
    "cond": (lambda a: np.sum(np.linalg.cond(a)), STACK),
    "cond -2": (lambda a: np.linalg.cond(a, -2), A3),
    "cond 1": (lambda a: np.linalg.cond(a, 1), A3),
    "cond fro": (lambda a: np.sum(np.linalg.cond(a, "fro")), STACK),
    "linalg.matmul": (weighted(lambda a: np.linalg.matmul(a, a)), STACK),
    "linalg.matmul vectors": (lambda a: np.linalg.matmul(a[0, 0], a[1, 1]) ** 2, STACK),
    "linalg.outer": (weighted(lambda a: np.linalg.outer(a[0], a[1] ** 2)), T),
    "linalg.vecdot": (weighted(lambda a: np.linalg.vecdot(a, a[::-1], axis=0) ** 2), T),
    "linalg.matrix_transpose": (lambda a: np.sum(np.linalg.matrix_transpose(a) * a * a), STACK),
    "trace": (lambda a: np.sum(np.trace(a, 1, 2, 0) ** 2) * np.sum(np.trace(a, -1, 1, 2)), STACK),
    "linalg.trace": (lambda a: np.sum(np.linalg.trace(a, offset=1) ** 3), STACK),
    "pinv tall": (weighted(np.linalg.pinv), T),
    "pinv wide": (weighted(lambda a: np.linalg.pinv(a) ** 2), T.T),
    "pinv stacked": (weighted(np.linalg.pinv), STACK),
    "pinv hermitian": (weighted(lambda a: np.linalg.pinv(a, hermitian=True)), S3 + np.triu(A3, 1)),
    "lstsq x": (weighted(lambda a: np.linalg.lstsq(a, np.arange(4.0))[0] ** 2), T),
    "lstsq x of b": (weighted(lambda b: np.linalg.lstsq(T, b * b)[0]), np.arange(4.0)),
    "lstsq residuals": (lambda a: np.sum(np.linalg.lstsq(a, T[:, :2] + 1.0)[1]), T),
    "lstsq wide": (weighted(lambda a: np.linalg.lstsq(a, np.arange(3.0))[0] ** 2), T.T),
    "tensorinv": (weighted(lambda a: np.linalg.tensorinv(a.reshape(2, 2, 4))), general((4, 4), 9)),
    "eigh values": (weighted(lambda a: np.linalg.eigh(a)[0] ** 3), SSTACK),
    "eigh vectors": (weighted(lambda a: np.linalg.eigh(a).eigenvectors), SSTACK),
    "eigh UPLO=U": (weighted(lambda a: np.linalg.eigh(a, UPLO="U")[1] ** 3), S3 + np.tril(A3)),
    "svd u": (weighted(lambda a: np.linalg.svd(a, full_matrices=False)[0]), T),
    "svd s": (weighted(lambda a: np.linalg.svd(a, full_matrices=False)[1] ** 3), T),
    "svd vh": (weighted(lambda a: np.linalg.svd(a, full_matrices=False)[2]), T),
    "svd wide u": (weighted(lambda a: np.linalg.svd(a, full_matrices=False).U), T.T),
    "svd wide vh": (weighted(lambda a: np.linalg.svd(a, full_matrices=False).Vh), T.T),
    "svd stacked": (weighted(lambda a: np.linalg.svd(a)[0] * np.linalg.svd(a)[2]), STACK),
    "eigvals": (weighted(lambda a: real_eigen(np.linalg.eigvals(a)) ** 3), A3),
    "eig values": (weighted(lambda a: real_eigen(np.linalg.eig(a)[0]) ** 3), A3),
    "svd hermitian": (weighted(lambda a: np.linalg.svd(a, hermitian=True)[0] ** 3
                               + np.linalg.svd(a, hermitian=True)[2]), INDEFINITE),
    "svd hermitian values": (weighted(lambda a: np.linalg.svd(a, hermitian=True)[1] ** 3),
                             INDEFINITE + np.triu(A3, 1)),
    "svdvals hermitian": (weighted(lambda a: np.linalg.svd(a, compute_uv=False, hermitian=True)
                                   ** 3), INDEFINITE),
    "eig vectors": (weighted(lambda a: real_eigen(np.linalg.eig(a).eigenvectors)), STACK),
    "eigvals stacked": (weighted(lambda a: real_eigen(np.linalg.eigvals(a)) ** 3), STACK),
    "qr q": (weighted(lambda a: np.linalg.qr(a)[0]), T),
    "qr r": (weighted(lambda a: np.linalg.qr(a).R ** 2), T),
    "qr wide q": (weighted(lambda a: np.linalg.qr(a)[0] ** 3), T.T),
    "qr wide r": (weighted(lambda a: np.linalg.qr(a, mode="complete")[1] ** 2), T.T),
    "qr mode r stacked": (weighted(lambda a: np.linalg.qr(a, mode="r") ** 2), STACK),
    "linalg.diagonal": (weighted(lambda a: np.linalg.diagonal(a, offset=1) ** 3), STACK),
    "linalg.diagonal wide": (weighted(lambda a: np.linalg.diagonal(a, offset=-1) ** 3), T.T),
    "linalg.cross": (weighted(lambda a: np.linalg.cross(a, a[::-1] ** 2)), STACK),
    "linalg.cross axis": (weighted(lambda a: np.linalg.cross(B3[:, None], a * a, axis=0)), A3),
    "tensorsolve axes": (weighted(lambda a: np.linalg.tensorsolve(
        a.reshape(2, 4, 2), np.ones((2, 2)), axes=(1,))), general((4, 4), 11)),
    "tensorsolve b": (weighted(lambda b: np.linalg.tensorsolve(
        general((4, 4), 10).reshape(2, 2, 4), b * b)), np.ones((2, 2)) + np.eye(2)),
}


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("axis, keepdims", [((1, 2), False), ((2, 0), True)])
def test_second_order_matrix_norms(ord, axis, keepdims):
    second_order(weighted(lambda a: np.linalg.norm(a, ord=ord, axis=axis, keepdims=keepdims) ** 2),
                 STACK)
    if axis == (1, 2):
        second_order(lambda a: np.linalg.norm(a, ord=ord), T)


    if ord is not None:
        second_order(weighted(lambda a: np.linalg.matrix_norm(a, ord=ord, keepdims=keepdims) ** 2),
                     STACK)


@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_second_order_vector_norms(ord):
    second_order(weighted(lambda a: np.linalg.norm(a * a, ord=ord, axis=0, keepdims=True)), T)
    second_order(weighted(lambda a: np.linalg.vector_norm(a * a, ord=ord, axis=(0, 2))), STACK)
    second_order(lambda a: np.linalg.vector_norm(a * a, ord=ord, keepdims=True)[0, 0], T)


@pytest.mark.parametrize("name", list(SECOND))
def test_second_order_against_differences_of_the_gradient(name):
    f, x = SECOND[name]
    second_order(f, x)


def test_second_order_closed_form_of_logdet():
    # d2 log det / dA_ij dA_kl = -inv_jk inv_li
    inverse = np.linalg.inv(A3)
    hess = dn.hessian(lambda a: np.linalg.slogdet(a)[1], A3)
    close(hess, -np.einsum("jk,li->ijkl", inverse, inverse))


def test_second_order_value_is_numpys():
    value, _, _ = dn.value_gradient_and_hessian(np.linalg.det, A3)
    assert value == np.linalg.det(A3)


@pytest.mark.parametrize("f, name", [
    (lambda a: np.sum(np.linalg.svd(a[:2])[1]), "svd"),                   # full_matrices
    (lambda a: np.sum(np.linalg.eig(np.stack([a[0, :2], a[0, 1::-1] * [-1.0, 1.0]]))[1]),
     "eig"),                                                              # complex
    (lambda a: np.sum(np.linalg.eigvals(np.stack([a[0, :2], a[0, 1::-1] * [-1.0, 1.0]]))),
     "eigvals"),                                                          # complex
    (lambda a: np.sum(np.linalg.qr(a, mode="raw")[0]), "qr"),
    (lambda a: np.sum(np.linalg.qr(a[:, :2], mode="complete")[0]), "qr"),
    (lambda a: np.sum(np.linalg.pinv(a[:, :1] * a[0])), "pinv"),         # rank deficient
])
def test_second_order_not_covered_is_a_typeerror_naming_it(f, name):
    with pytest.raises(TypeError, match=f"numpy.linalg.{name}"):
        dn.hessian(f, S3)
