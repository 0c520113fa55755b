"""divergence and curl: closed forms, the identities curl(grad φ) = 0 and
div(curl A) = 0 (checked numerically with nested calls), the trace and the
antisymmetric part of dualnum.jacobian, central differences, batched points
against single points, nesting, and the errors for wrong shapes."""
import math
import warnings

import numpy as np
import pytest

import dualnum as dn


def jacobian_by_differences(F, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    columns = [(np.asarray(F(x + h * e), dtype=float) - np.asarray(F(x - h * e), dtype=float)) / (2 * h)
               for e in np.eye(x.size)]
    return np.stack(columns, axis=-1)


def inverse_square(r):          # r / |r|³, divergence-free away from 0
    return r / np.sum(r * r, axis=-1, keepdims=True) ** 1.5


def field(r):                   # a generic smooth 3-D field, vectorised over leading axes
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    return np.stack([np.sin(y) * z + x ** 2, x * np.exp(z) - y * z, np.cos(x * y) + z ** 3], axis=-1)


POINTS = [np.array([0.3, -1.2, 0.8]), np.array([2.0, 0.5, -0.1]), np.array([-0.7, 0.9, 1.4])]


@pytest.mark.parametrize("x", POINTS)
def test_divergence_closed_forms_and_jacobian(x):
    assert abs(dn.divergence(inverse_square, x)) < 1e-14
    # div(r |r|²) = (n + 2) |r|²
    assert math.isclose(dn.divergence(lambda r: r * (r @ r), x), 5 * float(x @ x), rel_tol=1e-14)
    J = dn.jacobian(field, x)
    assert math.isclose(dn.divergence(field, x), float(np.trace(J)), rel_tol=1e-14)
    assert math.isclose(dn.divergence(field, x), float(np.trace(jacobian_by_differences(field, x))),
                        rel_tol=1e-7)
    assert type(dn.divergence(field, x)) is float


@pytest.mark.parametrize("x", POINTS)
def test_curl_closed_forms_and_jacobian(x):
    omega = np.array([0.5, -2.0, 1.5])
    # a rigid rotation ω × r has curl 2ω
    assert np.allclose(dn.curl(lambda r: _cross(omega, r), x),
                       2 * omega, rtol=1e-14, atol=1e-14)
    J = jacobian_by_differences(field, x)
    expected = [J[2, 1] - J[1, 2], J[0, 2] - J[2, 0], J[1, 0] - J[0, 1]]
    assert np.allclose(dn.curl(field, x), expected, rtol=1e-7, atol=1e-8)
    # 2-D: the scalar ∂F₂/∂x₁ − ∂F₁/∂x₂
    assert math.isclose(dn.curl(lambda r: [-r[1] * r[0], r[0] ** 2], x[:2]), 3 * x[0], rel_tol=1e-14)


def _cross(a, r):
    return [a[1] * r[2] - a[2] * r[1], a[2] * r[0] - a[0] * r[2], a[0] * r[1] - a[1] * r[0]]


def test_identities_with_nested_calls():
    def phi(r):
        return np.sin(r[0] * r[1]) * np.exp(r[2]) + r[0] ** 3 * r[2]

    for x in POINTS:
        # curl(grad φ) = 0 and div(curl A) = 0, each a derivative of a derivative
        assert np.allclose(dn.curl(lambda r: dn.gradient(phi, r), x), 0.0, atol=1e-12)
        assert abs(dn.divergence(lambda r: dn.curl(field, r), x)) < 1e-12
        # div(grad φ) is the Laplacian
        assert math.isclose(dn.divergence(lambda r: dn.gradient(phi, r), x), dn.laplacian(phi, x),
                            rel_tol=1e-12)


def test_batched_against_single_points():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 4, 3)) + 2.0
    div = dn.divergence(field, X, batch=True)
    curl = dn.curl(field, X, batch=True)
    assert div.shape == (5, 4) and curl.shape == (5, 4, 3)
    for i in range(5):
        for j in range(4):
            assert math.isclose(div[i, j], dn.divergence(field, X[i, j]), rel_tol=1e-14)
            assert np.allclose(curl[i, j], dn.curl(field, X[i, j]), rtol=1e-14, atol=1e-14)
    assert np.allclose(dn.divergence(inverse_square, X, batch=True), 0.0, atol=1e-13)
    # 2-D points
    P = X[..., :2]

    def rotation(r):
        return np.stack([-r[..., 1] * r[..., 0], r[..., 0] ** 2], axis=-1)

    assert np.allclose(dn.curl(rotation, P, batch=True), 3 * P[..., 0], rtol=1e-14)
    assert np.allclose(dn.divergence(rotation, P, batch=True), -P[..., 1], rtol=1e-14)


def test_batched_fallback_point_by_point():
    X = np.array([[0.5, 1.0], [1.5, -0.5], [2.0, 0.25]])

    def F(r):                    # converts its argument: the batch runs point by point
        return np.asarray(r) ** 2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dn.SlowPathWarning)
        div = dn.divergence(F, X, batch=True)
    assert np.allclose(div, 2 * X.sum(axis=-1), rtol=1e-14)


def test_nested_in_a_parameter():
    x0 = np.array([0.4, 1.1, -0.6])

    def div(p):
        return dn.divergence(lambda r: r * p[0] ** 2 + np.sin(r) * p[1], x0)

    p0 = np.array([1.5, 0.3])
    h = 1e-6
    numeric = [(div(p0 + h * e) - div(p0 - h * e)) / (2 * h) for e in np.eye(2)]
    assert np.allclose(dn.gradient(div, p0), numeric, rtol=1e-7)
    assert np.allclose(dn.gradient(div, p0), [3 * 2 * p0[0], float(np.sum(np.cos(x0)))], rtol=1e-13)
    curl_sum = dn.derivative(lambda t: np.sum(dn.curl(lambda r: _cross([0.0, 0.0, t], r), x0)), 2.0)
    assert math.isclose(curl_sum, 2.0, rel_tol=1e-14)
    batched = dn.gradient(lambda p: dn.divergence(lambda r: r * p[0] ** 2, np.ones((2, 3)),
                                                  batch=True).sum(), [3.0])
    assert np.allclose(batched, [2 * 3 * 2 * 3.0])


def test_batched_nested_in_the_points():
    X0 = np.array([[0.5, 1.0], [1.5, -0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", dn.SlowPathWarning)
        div = dn.gradient(lambda X: dn.divergence(lambda r: r ** 3, X, batch=True).sum(), X0)
        curl = dn.gradient(lambda X: dn.curl(lambda r: r[..., ::-1] ** 3, X, batch=True).sum(), X0)
    assert np.allclose(div, 6 * X0, rtol=1e-13)
    assert np.allclose(curl, np.stack([6 * X0[:, 0], -6 * X0[:, 1]], axis=-1), rtol=1e-13)


def test_wrong_shapes():
    with pytest.raises(ValueError, match=r"a vector of 3 components, got the Jacobian shape \(2, 3\)"):
        dn.divergence(lambda r: r[:2], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"a vector of 3 components, got the Jacobian shape \(3,\)"):
        dn.divergence(lambda r: np.sum(r), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"a 1-D x, or points along the last axis with batch=True"):
        dn.divergence(lambda r: r, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"points of shape \(4, 3\) to vectors of the same shape"):
        dn.divergence(lambda r: np.sum(r, axis=-1), np.ones((4, 3)), batch=True)
    with pytest.raises(ValueError, match=r"curl is defined for 2 or 3 coordinates.*J - J.T"):
        dn.curl(lambda r: r, [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match=r"curl is defined for 2 or 3 coordinates"):
        dn.curl(lambda r: r, 1.0)
    with pytest.raises(ValueError, match=r"a vector of 2 components"):
        dn.curl(lambda r: [r[0], r[1], r[0]], [1.0, 2.0])
