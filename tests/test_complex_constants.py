"""Complex constants meeting Dual2 (hessian, hvp) and Jet (derivative of order
n): dualnum/_complex_constants.py.  Real where the result's imaginary part is
identically zero (a zero imaginary part of the constant for + - * /, or a
product with a number whose value and derivatives are all 0), a TypeError
naming the cause otherwise.  References: closed forms.
"""
import numpy as np
import pytest

import dualnum as dn

X = np.array([0.7, -1.3])
POINTS = [0.7, -1.3, 2.5]


def with_zero_imaginary_parts(x0, x1):
    """(2 x0 - 0.5) x1 / 4 + 3 / x0 + 1.5 - x1, every constant complex with imaginary part 0,
    on either side of + - * /, as Python and numpy complex numbers."""
    return ((x0 * (2.0 + 0j) - np.complex128(0.5)) * x1 / (4.0 + 0j) + (3.0 + 0j) / x0
            + (1.5 + 0j) - x1)


def test_hessian_with_complex_constants_of_imaginary_part_zero_is_the_real_one():
    value, gradient, hessian = dn.value_gradient_and_hessian(
        lambda x: with_zero_imaginary_parts(x[0], x[1]), X)
    x0, x1 = X
    assert isinstance(value, float)
    assert value == pytest.approx((2 * x0 - 0.5) * x1 / 4 + 3 / x0 + 1.5 - x1, rel=1e-15)
    np.testing.assert_allclose(gradient, [x1 / 2 - 3 / x0 ** 2, (2 * x0 - 0.5) / 4 - 1], rtol=1e-14)
    want = np.array([[6 / x0 ** 3, 0.5], [0.5, 0.0]])
    np.testing.assert_allclose(hessian, want, rtol=1e-14, atol=1e-15)
    v = np.array([0.3, -2.0])
    np.testing.assert_allclose(dn.hvp(lambda x: with_zero_imaginary_parts(x[0], x[1]), X, v),
                               want @ v, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("t", POINTS)
def test_taylor_series_with_complex_constants_of_imaginary_part_zero(t):
    # g = 0.5 t^2 - 0.125 t + 3 / t + 1.5 - t
    g = lambda s: with_zero_imaginary_parts(s, s)                   # noqa: E731
    assert dn.derivative(g, t, n=2) == pytest.approx(1 + 6 / t ** 3, rel=1e-14)
    assert dn.derivative(g, t, n=3) == pytest.approx(-18 / t ** 4, rel=1e-14)
    assert dn.derivative(g, t, n=4) == pytest.approx(72 / t ** 5, rel=1e-14)


def test_a_complex_constant_times_an_identically_zero_number_is_real_zero():
    # scipy 1.18's logsumexp on an object array: sgn * exp(imag(a_max) * 1j)
    def f(x):
        phase = np.exp(np.imag(x[0]) * 1j) * np.exp(1j * np.imag(x[1]))
        return x[0] ** 2 * x[1] * phase
    x0, x1 = X
    np.testing.assert_allclose(dn.hessian(f, X), [[2 * x1, 2 * x0], [2 * x0, 0.0]], rtol=1e-15)
    for t in POINTS:
        assert dn.derivative(lambda s: s ** 3 * np.exp(np.imag(s) * 1j), t, n=3) == 6.0
        assert dn.derivative(lambda s: s ** 4 * np.exp(np.imag(s) * 1j), t, n=2) == pytest.approx(
            12 * t ** 2, rel=1e-15)


REFUSED = {
    "x * 1j": lambda x: x * 1j, "1j * x": lambda x: 1j * x, "x + 2j": lambda x: x + 2j,
    "(1+1j) - x": lambda x: (1 + 1j) - x, "x / 1j": lambda x: x / 1j, "1j / x": lambda x: 1j / x,
    "imag(x) / 1j": lambda x: np.imag(x) / 1j,                    # only * of a zero is exempt
    "imag(x) * inf j": lambda x: np.imag(x) * complex(0.0, np.inf),   # 0 * inf is not 0
    "np.multiply": lambda x: np.multiply(x, np.complex128(0.5j)),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_complex_results_are_refused_naming_the_cause(name):
    f = REFUSED[name]
    calls = {"Dual2": lambda: dn.hessian(lambda v: f(v[0]), X),
             "Jet": lambda: dn.derivative(f, 0.7, n=3)}
    for kind, call in calls.items():
        with pytest.raises(TypeError, match=rf"is a complex {kind}, which dualnum does not have "
                                            r"\(complex numbers are first order"):
            call()
