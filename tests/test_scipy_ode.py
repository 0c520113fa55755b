"""dualnum.scipy.solve_ivp: forward sensitivities through every method, against
closed forms (exponential decay) and central differences of scipy's plain
solve (Lotka-Volterra, Robertson), through derivative, gradient, jacobian and jvp."""
import warnings

import numpy as np
import pytest
import scipy.integrate

import dualnum as dn
from dualnum.scipy import solve_ivp

METHODS = ["RK23", "RK45", "DOP853", "Radau", "BDF", "LSODA"]
STIFF = ["Radau", "BDF", "LSODA"]
# tolerances each method reaches in reasonable time (RK23 is third order)
TIGHT = {"RK23": (1e-8, 1e-10), "RK45": (1e-10, 1e-12), "DOP853": (1e-11, 1e-13),
         "Radau": (1e-10, 1e-12), "BDF": (1e-10, 1e-12), "LSODA": (1e-10, 1e-12)}
AGREE = {"RK23": 1e-6, "RK45": 1e-8, "DOP853": 1e-9, "Radau": 1e-8, "BDF": 1e-6, "LSODA": 1e-7}


def decay(t, y, k):
    return -k * y


def decay_solve(k, y0, method, t_eval=(0.5, 1.0, 2.0), **kw):
    rtol, atol = TIGHT[method]
    return solve_ivp(decay, (0.0, 2.0), y0, method=method, t_eval=t_eval, args=(k,),
                     rtol=rtol, atol=atol, **kw)


# --------------------------------------------------------------------------- #
# exponential decay: y = y0 e^(-kt), dy/dk = -t y, dy/dy0 = e^(-kt)
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("method", METHODS)
def test_decay_derivative_in_k(method):
    t = np.array([0.5, 1.0, 2.0])
    d = dn.derivative(lambda k: decay_solve(k, [1.5], method).y[0], 0.7)
    np.testing.assert_allclose(d, -t * 1.5 * np.exp(-0.7 * t), rtol=AGREE[method])


@pytest.mark.parametrize("method", METHODS)
def test_decay_gradient_in_k_and_y0(method, seeding):
    def final(p):
        return decay_solve(p[0], [p[1]], method).y[0, -1]
    g = dn.gradient(final, [0.7, 1.5])
    np.testing.assert_allclose(g, [-2.0 * 1.5 * np.exp(-1.4), np.exp(-1.4)], rtol=AGREE[method])


@pytest.mark.parametrize("method", METHODS)
def test_decay_jacobian_in_y0(method, seeding):
    t = np.array([0.5, 1.0, 2.0])
    J = dn.jacobian(lambda y0: decay_solve(0.7, y0, method).y, [1.5, 2.0, 0.5])
    expected = np.einsum("ij,t->itj", np.eye(3), np.exp(-0.7 * t))
    np.testing.assert_allclose(J, expected, rtol=AGREE[method], atol=1e-12)


@pytest.mark.parametrize("method", ["RK45", "BDF"])
def test_decay_jvp_and_array_parameter(method):
    def final(p):            # k as an array argument, y0 plain
        return decay_solve(p, [1.0, 2.0], method).y[:, -1]
    k = np.array([0.7, 0.3])
    value, tangent = dn.jvp(final, k, [1.0, -2.0])
    np.testing.assert_allclose(value, [np.exp(-1.4), 2.0 * np.exp(-0.6)], rtol=AGREE[method])
    np.testing.assert_allclose(tangent, [-2.0 * np.exp(-1.4), 2.0 * 2.0 * 2.0 * np.exp(-0.6)],
                               rtol=AGREE[method])


def test_decay_y0_mixing_dual_and_real_entries():
    J = dn.jacobian(lambda p: decay_solve(0.7, [p[0], 1.0, p[1]], "RK45").y[:, -1], [1.5, 2.0])
    expected = np.exp(-1.4) * np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(J, expected, rtol=1e-8, atol=1e-14)


def test_decay_sparse_jacobian_of_independent_outputs():
    """jacobian with a sparsity pattern: the parameters arrive with sparse tangents."""
    def finals(p):
        return solve_ivp(decay, (0.0, 2.0), p[3:], args=(p[:3],), rtol=1e-10, atol=1e-12).y[:, -1]
    p = np.array([0.7, 0.3, 1.1, 1.0, 2.0, 0.5])
    pattern = np.hstack([np.eye(3), np.eye(3)]).astype(bool)
    J = dn.jacobian(finals, p, sparsity=pattern)
    k, y0 = p[:3], p[3:]
    expected = np.hstack([np.diag(-2.0 * y0 * np.exp(-2.0 * k)), np.diag(np.exp(-2.0 * k))])
    np.testing.assert_allclose(J, expected, rtol=1e-8, atol=1e-14)


@pytest.mark.parametrize("method", ["RK45", "DOP853", "Radau", "BDF", "LSODA"])
def test_dense_output_against_closed_form(method):
    times = np.array([0.3, 1.1, 1.9])
    value, J = dn.value_and_jacobian(
        lambda p: decay_solve(p[0], [p[1]], method, t_eval=None, dense_output=True).sol(times)[0],
        [0.7, 1.5])
    np.testing.assert_allclose(value, 1.5 * np.exp(-0.7 * times), rtol=1e-6)
    expected = np.column_stack([-times * 1.5 * np.exp(-0.7 * times), np.exp(-0.7 * times)])
    np.testing.assert_allclose(J, expected, rtol=1e-5)        # interpolant's accuracy
    scalar = dn.derivative(lambda k: decay_solve(k, [1.5], method, dense_output=True).sol(1.1)[0], 0.7)
    np.testing.assert_allclose(scalar, -1.1 * 1.5 * np.exp(-0.77), rtol=1e-5)


@pytest.mark.parametrize("method", ["RK45", "BDF"])
def test_events_move_with_the_parameters(method):
    """y0 e^(-k t) = c at t_e = log(y0 / c) / k: dt_e/dk = -t_e / k, dt_e/dy0 = 1 / (k y0);
    the state there is c whatever the parameters."""
    def half(t, y, k):
        return y[0] - 0.5
    half.terminal = True

    def event(p):
        sol = decay_solve(p[0], [p[1]], method, t_eval=None, events=half)
        return [sol.t_events[0][0], sol.y_events[0][0, 0]]
    k, y0 = 0.7, 1.5
    t_e = np.log(y0 / 0.5) / k
    J = dn.jacobian(event, [k, y0])
    np.testing.assert_allclose(J[0], [-t_e / k, 1.0 / (k * y0)], rtol=1e-7)
    np.testing.assert_allclose(J[1], [0.0, 0.0], atol=1e-8)


# --------------------------------------------------------------------------- #
# Lotka-Volterra and Robertson against central differences of scipy's solve
# --------------------------------------------------------------------------- #
def lotka_volterra(t, y, a, b, c, d):
    return [a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]]


LV_RATES = np.array([1.5, 1.0, 1.0, 3.0])
LV_TIMES = np.linspace(0.0, 4.0, 5)


def central_differences(plain, p, relative_step):
    steps = relative_step * np.abs(p)
    columns = [(plain(p + h * e) - plain(p - h * e)) / (2 * h) for h, e in zip(steps, np.eye(p.size))]
    return np.stack(columns, axis=-1)


def lv_plain(p):
    return scipy.integrate.solve_ivp(lotka_volterra, (0.0, 4.0), [10.0, 5.0], method="DOP853",
                                     t_eval=LV_TIMES, args=tuple(p), rtol=1e-13, atol=1e-13).y


@pytest.mark.parametrize("method", METHODS)
def test_lotka_volterra_against_central_differences(method):
    rtol, atol = TIGHT[method]

    def trajectory(p):
        return solve_ivp(lotka_volterra, (0.0, 4.0), [10.0, 5.0], method=method, t_eval=LV_TIMES,
                         args=tuple(p), rtol=rtol, atol=atol).y
    J = dn.jacobian(trajectory, LV_RATES)
    reference = central_differences(lv_plain, LV_RATES, 1e-5)
    scale = np.max(np.abs(reference))        # entries near a zero crossing: absolute
    np.testing.assert_allclose(J, reference, rtol=100 * AGREE[method], atol=100 * AGREE[method] * scale)


def test_lotka_volterra_initial_state_and_rates_together():
    def final(p):
        return solve_ivp(lotka_volterra, (0.0, 4.0), p[4:], method="DOP853", args=tuple(p[:4]),
                         rtol=1e-11, atol=1e-11).y[:, -1]
    p = np.concatenate([LV_RATES, [10.0, 5.0]])

    def plain(q):
        return scipy.integrate.solve_ivp(lotka_volterra, (0.0, 4.0), q[4:], method="DOP853",
                                         args=tuple(q[:4]), rtol=1e-13, atol=1e-13).y[:, -1]
    np.testing.assert_allclose(dn.jacobian(final, p), central_differences(plain, p, 1e-5),
                               rtol=1e-5, atol=1e-6)


def robertson(t, y, k1, k2, k3):
    return [-k1 * y[0] + k3 * y[1] * y[2],
            k1 * y[0] - k2 * y[1] ** 2 - k3 * y[1] * y[2],
            k2 * y[1] ** 2]


ROBERTSON_RATES = np.array([0.04, 3e7, 1e4])


def robertson_plain(k):
    return scipy.integrate.solve_ivp(robertson, (0.0, 40.0), [1.0, 0.0, 0.0], method="Radau",
                                     args=tuple(k), rtol=1e-12, atol=1e-16).y[:, -1]


@pytest.fixture(scope="module")
def robertson_reference():
    return central_differences(robertson_plain, ROBERTSON_RATES, 1e-5)


@pytest.mark.parametrize("method", STIFF)
def test_robertson_rate_sensitivities(method, robertson_reference):
    def final(k):
        return solve_ivp(robertson, (0.0, 40.0), [1.0, 0.0, 0.0], method=method, args=tuple(k),
                         rtol=1e-8, atol=1e-12).y[:, -1]
    J = dn.jacobian(final, ROBERTSON_RATES)
    np.testing.assert_allclose(J, robertson_reference, rtol=1e-5)


@pytest.mark.parametrize("method", STIFF)
def test_robertson_with_a_vectorized_fun(method, robertson_reference):
    def vectorized(t, y, k):         # y: (3, columns)
        return np.stack([-k[0] * y[0] + k[2] * y[1] * y[2],
                         k[0] * y[0] - k[1] * y[1] ** 2 - k[2] * y[1] * y[2],
                         k[1] * y[1] ** 2])

    def final(k):
        return solve_ivp(vectorized, (0.0, 40.0), [1.0, 0.0, 0.0], method=method, args=(k,),
                         vectorized=True, rtol=1e-8, atol=1e-12).y[:, -1]
    np.testing.assert_allclose(dn.jacobian(final, ROBERTSON_RATES), robertson_reference, rtol=1e-5)


@pytest.mark.parametrize("method", ["RK45", "BDF"])
def test_fun_converting_its_state_takes_the_slow_path(method):
    def library_style(t, y, k):
        return -k * np.asarray(y)           # meets DualArray.__array__: object arrays of duals

    def final(k):
        return solve_ivp(library_style, (0.0, 2.0), [1.5], method=method, args=(k,),
                         rtol=TIGHT[method][0], atol=TIGHT[method][1]).y[0, -1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dn.SlowPathWarning)    # warned once per process
        d = dn.derivative(final, 0.7)
    np.testing.assert_allclose(d, -2.0 * 1.5 * np.exp(-1.4), rtol=AGREE[method])


def oscillator(t, y, w):
    return [y[1], -w ** 2 * y[0]]


def test_repeated_events_and_the_result_object():
    """y = cos(w t) crosses zero at w t_e = pi/2 + j pi: dt_e/dw = -t_e / w; there
    y' = -w sin(w t_e) = -w (-1)^j, so dy'_e/dw = -(-1)^j."""
    def zero(t, y, w):
        return y[0]
    w = 1.3

    def events(p):
        sol = solve_ivp(oscillator, (0.0, 8.0), [1.0, 0.0], args=[p], events=[zero],
                        method="DOP853", rtol=1e-11, atol=1e-12)
        assert isinstance(sol, scipy.integrate._ivp.ivp.OdeResult) and sol.success
        assert sol.t.dtype == np.float64
        return [sol.t_events[0], sol.y_events[0][:, 1]]
    (t_e, y1_e), (dt, dy1) = dn.jvp(lambda p: events(p[0]), np.array([w]), np.array([1.0]))
    j = np.arange(t_e.size)
    np.testing.assert_allclose(t_e, (np.pi / 2 + j * np.pi) / w, rtol=1e-9)
    np.testing.assert_allclose(dt, -t_e / w, rtol=1e-7)
    np.testing.assert_allclose(dy1, -(-1.0) ** j, rtol=1e-7)


@pytest.mark.parametrize("method", [scipy.integrate.Radau, scipy.integrate.BDF])
def test_a_solver_class_as_method(method):
    t = 2.0

    def final(w):
        return solve_ivp(oscillator, (0.0, t), [1.0, 0.0], method=method, args=(w,),
                         rtol=1e-10, atol=1e-12).y[0, -1]
    np.testing.assert_allclose(dn.derivative(final, 1.3), -t * np.sin(1.3 * t), rtol=1e-6)


def test_args_must_be_a_sequence():
    with pytest.raises(TypeError, match="args` should be a tuple"):
        solve_ivp(decay, (0.0, 1.0), [1.0], args=0.5)
