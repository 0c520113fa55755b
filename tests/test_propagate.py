"""dn.propagate: first-order propagation J Σ Jᵀ, checked against the
`uncertainties` package on the same formulas, against Monte Carlo for a
nonlinear f with small σ, and across its own paths (std vs cov, sparse vs
dense), with derivatives of the propagated variance against finite differences."""
import numpy as np
import pytest
import scipy.sparse
import uncertainties
from uncertainties import umath

import dualnum as dn

X3 = np.array([1.3, 0.7, 2.1])
STD3 = np.array([0.05, 0.02, 0.1])
# a correlated covariance: STD3 with correlations 0.6, -0.3, 0.2
CORRELATION3 = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 1.0]])
COV3 = CORRELATION3 * np.outer(STD3, STD3)

# each formula is written once, with the elementary functions passed in
# (numpy's for dualnum, umath's for uncertainties)
FORMULAS = {
    "sum": lambda v, exp, log, sin: v[0] + v[1] - 2 * v[2],
    "product": lambda v, exp, log, sin: v[0] * v[1] * v[2],
    "quotient": lambda v, exp, log, sin: v[0] / (v[1] + v[2]),
    "exp log sin": lambda v, exp, log, sin: exp(v[0]) * log(v[2]) + sin(v[0] * v[1]),
    "power": lambda v, exp, log, sin: v[0] ** 2.5 / v[2] ** 0.5,
}


def _vector_formula(v, exp, log, sin):
    return [v[0] * v[1], exp(v[1] - v[2]) + v[0], sin(v[2]) * log(v[0] + v[1])]


def _numpy(formula):
    return lambda v: formula(v, np.exp, np.log, np.sin)


def _with_uncertainties(formula, cov):
    """(nominal values, covariance matrix) that `uncertainties` propagates."""
    inputs = uncertainties.correlated_values(X3, cov)
    out = formula(inputs, umath.exp, umath.log, umath.sin)
    outputs = out if isinstance(out, list) else [out]
    return (np.array([o.nominal_value for o in outputs]),
            np.array(uncertainties.covariance_matrix(outputs)))


@pytest.mark.parametrize("name", FORMULAS)
@pytest.mark.parametrize("correlated", [False, True], ids=["independent", "correlated"])
def test_scalar_formulas_match_uncertainties(name, correlated):
    formula = FORMULAS[name]
    cov = COV3 if correlated else np.diag(STD3**2)
    expected_value, expected_cov = _with_uncertainties(formula, cov)
    value, variance = dn.propagate(_numpy(formula), X3, cov)
    assert isinstance(variance, float)
    np.testing.assert_allclose(value, expected_value[0], rtol=1e-13)
    np.testing.assert_allclose(variance, expected_cov[0, 0], rtol=1e-12)
    if not correlated:
        _, from_std = dn.propagate(_numpy(formula), X3, std=STD3)
        np.testing.assert_allclose(from_std, expected_cov[0, 0], rtol=1e-12)


@pytest.mark.parametrize("correlated", [False, True], ids=["independent", "correlated"])
def test_vector_function_matches_uncertainties(correlated):
    cov = COV3 if correlated else np.diag(STD3**2)
    expected_value, expected_cov = _with_uncertainties(_vector_formula, cov)
    value, covariance = dn.propagate(lambda v: np.array(_numpy(_vector_formula)(v)), X3, cov)
    assert covariance.shape == (3, 3)
    np.testing.assert_allclose(value, expected_value, rtol=1e-13)
    np.testing.assert_allclose(covariance, expected_cov, rtol=1e-12, atol=1e-18)


def test_arrays_of_uncertainties_match():
    """unumpy arrays of independent inputs through an elementwise-plus-coupling f."""
    from uncertainties import unumpy
    x = np.linspace(0.5, 2.0, 12)
    std = np.linspace(0.01, 0.05, 12)

    def f(v, exp):
        return exp(-v) * v + 0.3 * np.roll(v, 1)

    expected = f(unumpy.uarray(x, std), unumpy.exp)
    value, covariance = dn.propagate(lambda v: f(v, np.exp), x, std=std)
    np.testing.assert_allclose(value, unumpy.nominal_values(expected), rtol=1e-13)
    np.testing.assert_allclose(covariance, np.array(uncertainties.covariance_matrix(expected)),
                               rtol=1e-12, atol=1e-18)


def test_nonlinear_function_against_monte_carlo():
    """Small σ: the sample covariance of f over 4·10⁵ Gaussian draws agrees with J Σ Jᵀ
    within 5 standard errors of the sample covariance (the curvature bias, O(σ⁴),
    is far below that)."""
    x = np.array([0.8, 1.5])
    cov = np.array([[1.0e-4, 0.4e-4], [0.4e-4, 2.5e-4]])

    def f(v):
        return np.stack([np.exp(v[0]) * np.sin(v[1]), np.log(v[0] + v[1] ** 2), v[0] / v[1]])

    samples = np.random.default_rng(20261206).multivariate_normal(x, cov, size=400_000)
    outputs = f(samples.T)
    n = outputs.shape[1]
    sample_cov = np.cov(outputs)
    variances = np.diag(sample_cov)
    # standard error of a Gaussian sample covariance: sqrt((σ_a² σ_b² + σ_ab²) / n)
    standard_error = np.sqrt((np.outer(variances, variances) + sample_cov**2) / n)
    _, covariance = dn.propagate(f, x, cov)
    assert np.all(np.abs(covariance - sample_cov) <= 5 * standard_error)
    assert np.all(np.abs(covariance - sample_cov) > 0)      # not the sample itself


def test_scalar_input_closed_form():
    value, variance = dn.propagate(lambda t: np.sin(t) * t, 1.2, std=0.03)
    derivative = np.cos(1.2) * 1.2 + np.sin(1.2)
    assert value == np.sin(1.2) * 1.2
    np.testing.assert_allclose(variance, (derivative * 0.03) ** 2, rtol=1e-14)
    _, from_cov = dn.propagate(lambda t: np.sin(t) * t, 1.2, 0.03**2)
    np.testing.assert_allclose(from_cov, variance, rtol=1e-14)
    _, vector = dn.propagate(lambda t: np.array([t, t**2]), 2.0, std=0.1)
    np.testing.assert_allclose(vector, 0.01 * np.outer([1.0, 4.0], [1.0, 4.0]), rtol=1e-14)


def test_output_of_two_dimensions_keeps_its_shape():
    def f(v):
        return np.outer(v, v)

    value, covariance = dn.propagate(f, X3, COV3)
    assert value.shape == (3, 3) and covariance.shape == (3, 3, 3, 3)
    flat = dn.jacobian(f, X3).reshape(9, 3)
    np.testing.assert_allclose(covariance.reshape(9, 9), flat @ COV3 @ flat.T, rtol=1e-14)


def test_std_path_equals_diagonal_covariance_path():
    f = _numpy(_vector_formula)
    _, from_std = dn.propagate(lambda v: np.array(f(v)), X3, std=STD3)
    _, from_cov = dn.propagate(lambda v: np.array(f(v)), X3, np.diag(STD3**2))
    np.testing.assert_allclose(from_std, from_cov, rtol=1e-15, atol=1e-20)


def _chain(v):
    """A banded, nonlinear R^n -> R^n: each output couples three neighbours."""
    padded = np.concatenate((v[:1], v, v[-1:]))
    return np.exp(-padded[1:-1]) * padded[1:-1] + 0.5 * np.sin(padded[:-2] * padded[2:])


def _tridiagonal(n):
    return np.eye(n, dtype=bool) | np.eye(n, k=1, dtype=bool) | np.eye(n, k=-1, dtype=bool)


@pytest.mark.parametrize("sparsity", ["auto", "pattern", "SparsityPattern"])
def test_sparse_path_equals_dense_path(sparsity):
    n = 40
    x = np.linspace(-1.0, 1.5, n)
    std = np.linspace(0.01, 0.04, n)
    band = np.diag(std**2) + np.diag(0.3 * std[1:] * std[:-1], 1) + np.diag(0.3 * std[1:] * std[:-1], -1)
    pattern = {"auto": "auto", "pattern": _tridiagonal(n),
               "SparsityPattern": dn.SparsityPattern(_tridiagonal(n))}[sparsity]
    jac = dn.jacobian(_chain, x)
    for given, options in ((band, {}), (None, {"std": std}), (scipy.sparse.csr_array(band), {})):
        expected = jac @ (np.diag(std**2) if given is None else band) @ jac.T
        value, dense = dn.propagate(_chain, x, given, **options)
        _, sparse_rows = dn.propagate(_chain, x, given, sparsity=pattern, **options)
        np.testing.assert_allclose(value, _chain(x), rtol=1e-15)
        np.testing.assert_allclose(dense, expected, rtol=1e-13, atol=1e-18)
        np.testing.assert_allclose(sparse_rows, expected, rtol=1e-13, atol=1e-18)
        assert isinstance(sparse_rows, np.ndarray)
    _, sparse = dn.propagate(_chain, x, std=std, sparsity=pattern, sparse_output=True)
    assert isinstance(sparse, scipy.sparse.csr_array) and sparse.shape == (n, n)
    assert sparse.nnz <= 5 * n                          # pentadiagonal: J D Jᵀ stays sparse
    np.testing.assert_allclose(sparse.toarray(), jac @ np.diag(std**2) @ jac.T, rtol=1e-13, atol=1e-18)


@pytest.mark.parametrize("call, message", [
    (lambda: dn.propagate(np.sin, 1.0), "exactly one of cov= .* and std="),
    (lambda: dn.propagate(np.sin, 1.0, 0.1, std=0.1), "exactly one of cov= .* and std="),
])
def test_cov_or_std_is_required(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_sparse_output_needs_sparsity():
    with pytest.raises(TypeError, match="sparse_output=True needs a sparsity="):
        dn.propagate(np.sin, X3, std=STD3, sparse_output=True)


@pytest.mark.parametrize("cov, message", [
    (np.eye(2), r"cov must have shape \(3, 3\) for 3 inputs; got \(2, 2\)"),
    (np.ones(3), r"cov must have shape \(3, 3\)"),
    (COV3 + np.triu(np.full((3, 3), 1e-6), 1), "cov must be symmetric"),
    (np.where(np.eye(3, dtype=bool), np.nan, 0.0), "cov must be finite"),
    (np.diag([1.0, np.inf, 1.0]), "cov must be finite"),
    (np.diag([1.0, -1e-3, 1.0]), "non-negative variances"),
    (scipy.sparse.csr_array(np.diag([1.0, -1e-3, 1.0])), "non-negative variances"),
    (scipy.sparse.csr_array(COV3 + np.triu(np.full((3, 3), 1e-6), 1)), "cov must be symmetric"),
])
def test_invalid_covariance_is_refused(cov, message):
    with pytest.raises(ValueError, match=message):
        dn.propagate(np.sum, X3, cov)


def test_a_covariance_of_dual_numbers_is_checked_on_its_values():
    def variance(rho):                  # rho enters the upper triangle only
        upper = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        return dn.propagate(np.sum, X3, COV3 * (1 - upper) + rho * upper)[1]

    with pytest.raises(ValueError, match="cov must be symmetric: .* reaches 0.1"):
        dn.derivative(variance, COV3[0, 1] + 0.1)
    with pytest.raises(ValueError, match="std must be finite and non-negative"):
        dn.gradient(lambda s: dn.propagate(np.sum, X3, std=s)[1], -STD3)


def test_symmetry_is_checked_to_a_relative_tolerance():
    rounded = COV3 * (1 + 1e-14 * np.triu(np.ones((3, 3)), 1))     # rounding-level asymmetry
    _, variance = dn.propagate(np.sum, X3, rounded)
    np.testing.assert_allclose(variance, COV3.sum(), rtol=1e-12)


@pytest.mark.parametrize("std, message", [
    ([0.1, -0.1, 0.1], "std must be finite and non-negative"),
    ([0.1, np.nan, 0.1], "std must be finite and non-negative"),
    ([0.1, np.inf, 0.1], "std must be finite and non-negative"),
    ([0.1, 0.1], r"std must have the shape of x, \(3,\); got \(2,\)"),
])
def test_invalid_std_is_refused(std, message):
    with pytest.raises(ValueError, match=message):
        dn.propagate(np.sum, X3, std=std)


def test_point_of_two_dimensions_is_refused():
    with pytest.raises(ValueError, match="x must be a number or a 1-D array, got shape"):
        dn.propagate(np.sum, np.ones((2, 2)), std=np.ones((2, 2)))


# derivatives of the propagated covariance (nesting), against finite differences

def _vector_f(v):
    return np.array(_numpy(_vector_formula)(v))


def _central(g, point, step=1e-6):
    """Central differences of g along each coordinate: shape g(point).shape + point.shape."""
    point = np.asarray(point, dtype=float)
    columns = []
    for j in range(point.size):
        e = np.zeros_like(point)
        e.flat[j] = step
        columns.append((np.asarray(g(point + e)) - np.asarray(g(point - e))) / (2 * step))
    return np.stack(columns, axis=-1)


def _variance_of_std(s):
    return dn.propagate(_vector_f, X3, std=s)[1][1, 1]


def _covariance_of_std(s):
    return dn.propagate(_vector_f, X3, std=s)[1]


def test_gradient_and_hessian_with_respect_to_std():
    jac = dn.jacobian(_vector_f, X3)
    gradient = dn.gradient(_variance_of_std, STD3)
    np.testing.assert_allclose(gradient, 2 * jac[1] ** 2 * STD3, rtol=1e-13)  # closed form
    np.testing.assert_allclose(gradient, _central(_variance_of_std, STD3), rtol=1e-7)
    hessian = dn.hessian(_variance_of_std, STD3)
    np.testing.assert_allclose(hessian, _central(lambda s: dn.gradient(_variance_of_std, s), STD3),
                               rtol=1e-6, atol=1e-12)
    hvp = dn.hvp(_variance_of_std, STD3, np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(hvp, hessian @ [1.0, -2.0, 0.5], rtol=1e-13)


@pytest.mark.parametrize("sparsity", [None, "auto"])
def test_jacobian_and_jvp_of_the_covariance_with_respect_to_std(sparsity):
    def diagonal(s):
        return np.diagonal(_covariance_of_std(s))

    expected = _central(diagonal, STD3)
    np.testing.assert_allclose(dn.jacobian(diagonal, STD3, sparsity=sparsity), expected,
                               rtol=1e-7, atol=1e-12)
    full = dn.jacobian(_covariance_of_std, STD3)
    np.testing.assert_allclose(full, _central(_covariance_of_std, STD3), rtol=1e-7, atol=1e-12)
    direction = np.array([0.3, -1.0, 2.0])
    _, tangent = dn.jvp(_covariance_of_std, STD3, direction)
    np.testing.assert_allclose(tangent, full @ direction, rtol=1e-13, atol=1e-18)


def test_gradient_with_respect_to_the_point_and_a_correlation():
    def variance_at(point):
        return dn.propagate(_vector_f, point, COV3)[1][2, 2]

    np.testing.assert_allclose(dn.gradient(variance_at, X3), _central(variance_at, X3),
                               rtol=1e-6, atol=1e-12)

    def variance_with_correlation(rho):
        off_diagonal = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
        cov = COV3 * (1 - off_diagonal) + rho * STD3[0] * STD3[1] * off_diagonal
        return dn.propagate(_vector_f, X3, cov)[1][0, 0]

    slope = dn.derivative(variance_with_correlation, 0.6)
    jac = dn.jacobian(_vector_f, X3)
    np.testing.assert_allclose(slope, 2 * jac[0, 0] * jac[0, 1] * STD3[0] * STD3[1], rtol=1e-13)


def test_derivatives_through_the_sparse_path():
    """A sparse J (real point) with σ or Σ of dual numbers: the same derivatives as dense."""
    n = 12
    x = np.linspace(-1.0, 1.5, n)
    std = np.linspace(0.01, 0.04, n)

    def variance(s, sparsity):
        return dn.propagate(_chain, x, std=s, sparsity=sparsity)[1][3, 4]

    sparse = dn.gradient(lambda s: variance(s, "auto"), std)
    np.testing.assert_allclose(sparse, dn.gradient(lambda s: variance(s, None), std), rtol=1e-14)
    np.testing.assert_allclose(sparse, _central(lambda s: variance(s, None), std), rtol=1e-6, atol=1e-12)

    def scaled(t, sparsity):
        return dn.propagate(_chain, x, t * np.diag(std**2), sparsity=sparsity)[1][5, 5]

    np.testing.assert_allclose(dn.derivative(lambda t: scaled(t, _tridiagonal(n)), 2.0),
                               scaled(1.0, None), rtol=1e-13)       # linear in t
