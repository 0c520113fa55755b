"""dualnum.scipy.solve_ivp under hessian and hvp: the second-order sensitivity
equations, against the closed form of exponential decay and central
differences of dualnum's gradients (themselves tested against scipy's plain
solve in test_scipy_ode.py)."""
import numpy as np
import pytest

import dualnum as dn
from dualnum.scipy import solve_ivp

METHODS = ["RK23", "RK45", "DOP853", "Radau", "BDF", "LSODA"]
TIGHT = {"RK23": (1e-8, 1e-10), "RK45": (1e-10, 1e-12), "DOP853": (1e-11, 1e-13),
         "Radau": (1e-10, 1e-12), "BDF": (1e-10, 1e-12), "LSODA": (1e-10, 1e-12)}
AGREE = {"RK23": 1e-5, "RK45": 1e-7, "DOP853": 1e-8, "Radau": 1e-7, "BDF": 1e-5, "LSODA": 1e-6}


def decay(t, y, k):
    return -k * y


def decay_hessian(k, y0, t):
    """Of y = y0 e^(-kt) in (k, y0)."""
    e = np.exp(-k * t)
    return np.array([[t * t * y0 * e, -t * e], [-t * e, 0.0]])


@pytest.mark.parametrize("method", METHODS)
def test_decay_hessian_in_k_and_y0(method):
    rtol, atol = TIGHT[method]

    def final(p):
        return solve_ivp(decay, (0.0, 2.0), [p[1]], method=method, args=(p[0],),
                         rtol=rtol, atol=atol).y[0, -1]
    H = dn.hessian(final, [0.7, 1.5])
    expected = decay_hessian(0.7, 1.5, 2.0)
    np.testing.assert_allclose(H, expected, rtol=AGREE[method], atol=AGREE[method] * np.abs(expected).max())


@pytest.mark.parametrize("method", ["RK45", "BDF"])
def test_decay_scalar_hessian_and_hvp_with_an_array_parameter(method):
    rtol, atol = TIGHT[method]
    t = np.array([0.5, 2.0])
    second = dn.hessian(lambda k: solve_ivp(decay, (0.0, 2.0), [1.5], method=method, args=(k,),
                                            t_eval=t, rtol=rtol, atol=atol).y[0, -1], 0.7)
    np.testing.assert_allclose(second, 4.0 * 1.5 * np.exp(-1.4), rtol=AGREE[method])

    def product_rate(p):           # y' = -q0 q1 y, q one array argument of fun
        return solve_ivp(lambda s, y, q: -q[0] * q[1] * y, (0.0, 2.0), [1.5], method=method,
                         args=(p,), rtol=rtol, atol=atol).y[0, -1]
    q0, q1, T = 0.7, 1.2, 2.0
    y = 1.5 * np.exp(-q0 * q1 * T)
    H = y * np.array([[T * T * q1 * q1, T * T * q0 * q1 - T],
                      [T * T * q0 * q1 - T, T * T * q0 * q0]])
    v = np.array([1.0, -2.0])
    _, _, product = dn.value_gradient_and_hvp(product_rate, [q0, q1], v)
    np.testing.assert_allclose(product, H @ v, rtol=AGREE[method])
    np.testing.assert_allclose(dn.hessian(product_rate, [q0, q1]), H, rtol=AGREE[method])


def lotka_volterra(t, y, a, b, c, d):
    return [a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]]


LV_RATES = np.array([1.5, 1.0, 1.0, 3.0])


def central_differences_of_gradient(gradient, p, relative_step):
    steps = relative_step * np.abs(p)
    return np.column_stack([(gradient(p + h * e) - gradient(p - h * e)) / (2 * h)
                            for h, e in zip(steps, np.eye(p.size))])


@pytest.mark.parametrize("method", ["RK45", "DOP853", "Radau", "BDF", "LSODA"])
def test_lotka_volterra_hessian_against_differences_of_gradients(method):
    rtol, atol = TIGHT[method]

    def prey(p):
        return solve_ivp(lotka_volterra, (0.0, 3.0), [10.0, 5.0], method=method, args=tuple(p),
                         rtol=rtol, atol=atol).y[0, -1]

    def reference_gradient(p):
        return dn.gradient(lambda q: solve_ivp(lotka_volterra, (0.0, 3.0), [10.0, 5.0], method="DOP853",
                                               args=tuple(q), rtol=1e-12, atol=1e-12).y[0, -1], p)
    H = dn.hessian(prey, LV_RATES)
    reference = central_differences_of_gradient(reference_gradient, LV_RATES, 1e-5)
    scale = np.abs(reference).max()
    np.testing.assert_allclose(H, reference, rtol=100 * AGREE[method], atol=100 * AGREE[method] * scale)
    assert np.array_equal(H, H.T)


def robertson(t, y, k1, k2, k3):
    return [-k1 * y[0] + k3 * y[1] * y[2],
            k1 * y[0] - k2 * y[1] ** 2 - k3 * y[1] * y[2],
            k2 * y[1] ** 2]


ROBERTSON_RATES = np.array([0.04, 3e7, 1e4])


@pytest.fixture(scope="module")
def robertson_reference():
    def gradient(k):
        return dn.gradient(lambda q: solve_ivp(robertson, (0.0, 4.0), [1.0, 0.0, 0.0], method="Radau",
                                               args=tuple(q), rtol=1e-10, atol=1e-15).y[0, -1], k)
    return central_differences_of_gradient(gradient, ROBERTSON_RATES, 1e-4)


@pytest.mark.parametrize("method", ["Radau", "BDF"])
def test_robertson_hessian(method, robertson_reference):
    def first_species(k):
        return solve_ivp(robertson, (0.0, 4.0), [1.0, 0.0, 0.0], method=method, args=tuple(k),
                         rtol=1e-8, atol=1e-12).y[0, -1]
    H = dn.hessian(first_species, ROBERTSON_RATES)
    np.testing.assert_allclose(H, robertson_reference, rtol=1e-5)


def test_dense_output_at_the_second_order():
    times = np.array([0.3, 1.1, 1.9])

    def at(p, t):
        return solve_ivp(decay, (0.0, 2.0), [p[1]], args=(p[0],), dense_output=True,
                         rtol=1e-10, atol=1e-12).sol(t)[0]
    for t in times:
        np.testing.assert_allclose(dn.hessian(lambda p: at(p, t), [0.7, 1.5]), decay_hessian(0.7, 1.5, t),
                                   rtol=1e-5, atol=1e-7)


def test_fun_beyond_the_second_order_array_runs_on_dual2_objects():
    def fun(t, y, k):
        return -k * np.vectorize(lambda v: v)(y)      # np.vectorize: object arrays only
    H = dn.hessian(lambda p: solve_ivp(fun, (0.0, 2.0), [p[1]], args=(p[0],),
                                       rtol=1e-10, atol=1e-12).y[0, -1], [0.7, 1.5])
    np.testing.assert_allclose(H, decay_hessian(0.7, 1.5, 2.0), rtol=1e-7, atol=1e-9)


# --------------------------------------------------------------------------- #
# nested calls: the second-order sensitivities give the mixed derivatives
# --------------------------------------------------------------------------- #
def decay_at_2(k, y0=1.5, method="RK45"):
    rtol, atol = TIGHT[method]
    return solve_ivp(decay, (0.0, 2.0), [y0], method=method, args=(k,), rtol=rtol, atol=atol).y[0, -1]


@pytest.mark.parametrize("method", ["RK45", "Radau", "BDF", "LSODA"])
def test_derivative_of_a_derivative(method):
    y = 1.5 * np.exp(-1.4)
    second = dn.derivative(lambda k0: dn.derivative(lambda k: decay_at_2(k, method=method), k0), 0.7)
    np.testing.assert_allclose(second, 4.0 * y, rtol=AGREE[method])
    # y(k a) at a = 1: d/da d/dk = -t y + a k t² y
    mixed = dn.derivative(lambda a: dn.derivative(lambda k: decay_at_2(k * a, method=method), 0.7), 1.0)
    np.testing.assert_allclose(mixed, (-2.0 + 0.7 * 4.0) * y, rtol=AGREE[method])


@pytest.mark.parametrize("method", ["RK45", "BDF"])
def test_second_derivative_through_taylor_numbers(method):
    y = 1.5 * np.exp(-1.4)
    np.testing.assert_allclose(dn.derivative(lambda k: decay_at_2(k, method=method), 0.7, n=2), 4.0 * y,
                               rtol=AGREE[method])
    np.testing.assert_allclose(dn.derivatives(lambda k: decay_at_2(k, method=method), 0.7, 2),
                               [y, -2.0 * y, 4.0 * y], rtol=AGREE[method])


def test_gradient_inside_jacobian_and_duals_of_two_calls():
    expected = decay_hessian(0.7, 1.5, 2.0)
    J = dn.jacobian(lambda p: dn.gradient(lambda q: decay_at_2(q[0], q[1]), p), [0.7, 1.5])
    np.testing.assert_allclose(J, expected, rtol=1e-7, atol=1e-12)
    # k from the inner call, y0 closed over from the outer one
    mixed = dn.derivative(lambda y0: dn.derivative(lambda k: decay_at_2(k, y0), 0.7), 1.5)
    np.testing.assert_allclose(mixed, expected[0, 1], rtol=1e-7)
