"""dualnum.scipy.solve_ivp with real inputs: dualnum's ∂fun/∂y for BDF, Radau and
LSODA (sparse for large sparse systems) against hand-written Jacobians, the
user's jac passed through, and the errors for what is not covered."""
import numpy as np
import pytest
import scipy.integrate
import scipy.sparse

import dualnum as dn
from dualnum.scipy import solve_ivp
from dualnum.scipy._ode_jacobian import plain_jacobian

STIFF = ["Radau", "BDF", "LSODA"]


def robertson(t, y, k1, k2, k3):
    return [-k1 * y[0] + k3 * y[1] * y[2],
            k1 * y[0] - k2 * y[1] ** 2 - k3 * y[1] * y[2],
            k2 * y[1] ** 2]


def robertson_jac(t, y, k1, k2, k3):
    return np.array([[-k1, k3 * y[2], k3 * y[1]],
                     [k1, -2 * k2 * y[1] - k3 * y[2], -k3 * y[1]],
                     [0.0, 2 * k2 * y[1], 0.0]])


RATES = (0.04, 3e7, 1e4)


@pytest.mark.parametrize("method", STIFF)
def test_same_solve_as_with_a_hand_written_jac(method):
    """An exact Jacobian: the solver takes the very steps it takes with the hand-written one."""
    ours = solve_ivp(robertson, (0.0, 100.0), [1.0, 0.0, 0.0], method=method, args=RATES,
                     rtol=1e-6, atol=1e-10)
    hand = scipy.integrate.solve_ivp(robertson, (0.0, 100.0), [1.0, 0.0, 0.0], method=method,
                                     args=RATES, jac=robertson_jac, rtol=1e-6, atol=1e-10)
    assert ours.success and ours.njev > 0
    assert (ours.nfev, ours.njev, ours.nlu) == (hand.nfev, hand.njev, hand.nlu)
    np.testing.assert_allclose(ours.y, hand.y, rtol=1e-12, atol=1e-18)


def test_a_jac_of_the_user_is_used():
    calls = []

    def jac(t, y, *rates):
        calls.append(t)
        return robertson_jac(t, y, *rates)
    sol = solve_ivp(robertson, (0.0, 10.0), [1.0, 0.0, 0.0], method="BDF", args=RATES, jac=jac)
    assert sol.success and len(calls) == sol.njev > 0


def test_explicit_methods_get_no_jac():
    with pytest.warns(UserWarning, match="jac"):        # scipy's own warning: RK45 ignores jac
        scipy.integrate.solve_ivp(robertson, (0.0, 1e-3), [1.0, 0.0, 0.0], args=RATES,
                                  jac=robertson_jac)
    options = {}
    assert plain_jacobian(robertson, 0.0, [1.0, 0.0, 0.0], RATES, False, "RK45", options) is None


# --------------------------------------------------------------------------- #
# a large sparse system: u' = c u_xx - u³ on n points (tridiagonal Jacobian)
# --------------------------------------------------------------------------- #
N = 200


def reaction_diffusion(t, u, c):
    left = np.concatenate([[0.0], u[:-1]])
    right = np.concatenate([u[1:], [0.0]])
    return c * (N + 1) ** 2 * (left - 2 * u + right) - u ** 3


def reaction_diffusion_jac(t, u, c):
    d = c * (N + 1) ** 2
    return scipy.sparse.diags([np.full(N - 1, d), -2 * d - 3 * u ** 2, np.full(N - 1, d)],
                              [-1, 0, 1], format="csc")


U0 = np.sin(np.pi * np.linspace(0.0, 1.0, N + 2)[1:-1])


@pytest.mark.parametrize("method, sparse", [("BDF", True), ("Radau", True), ("LSODA", False)])
def test_large_sparse_systems_get_a_sparse_jac(method, sparse):
    jac = plain_jacobian(reaction_diffusion, 0.0, U0, (0.1,), False, method, {})
    J = jac(0.0, U0, 0.1)
    assert scipy.sparse.issparse(J) == sparse
    np.testing.assert_allclose(J.toarray() if sparse else J,
                               reaction_diffusion_jac(0.0, U0, 0.1).toarray(), rtol=1e-13)
    ours = solve_ivp(reaction_diffusion, (0.0, 1.0), U0, method=method, args=(0.1,), rtol=1e-6, atol=1e-9)
    hand = scipy.integrate.solve_ivp(
        reaction_diffusion, (0.0, 1.0), U0, method=method, args=(0.1,), rtol=1e-6, atol=1e-9,
        jac=reaction_diffusion_jac if sparse else lambda t, u, c: reaction_diffusion_jac(t, u, c).toarray())
    assert (ours.nfev, ours.njev, ours.nlu) == (hand.nfev, hand.njev, hand.nlu)
    np.testing.assert_allclose(ours.y, hand.y, rtol=1e-12, atol=1e-15)


def test_a_given_jac_sparsity_is_the_pattern():
    pattern = reaction_diffusion_jac(0.0, U0, 0.1) != 0
    options = {"jac_sparsity": pattern}
    jac = plain_jacobian(reaction_diffusion, 0.0, U0, (0.1,), False, "BDF", options)
    assert "jac_sparsity" not in options           # used by dualnum, not passed to scipy's estimate
    assert scipy.sparse.issparse(jac(0.0, U0, 0.1))


def test_sensitivities_of_a_large_sparse_system():
    """d u(1)/dc against central differences; the augmented Jacobian is sparse (block diagonal)."""
    def final(c):
        return solve_ivp(reaction_diffusion, (0.0, 0.2), U0, method="BDF", args=(c,),
                         rtol=1e-9, atol=1e-12).y[:, -1]

    def plain(c):
        return scipy.integrate.solve_ivp(reaction_diffusion, (0.0, 0.2), U0, method="BDF", args=(c,),
                                         jac=reaction_diffusion_jac, rtol=1e-12, atol=1e-15).y[:, -1]
    h = 1e-5
    reference = (plain(0.1 + h) - plain(0.1 - h)) / (2 * h)
    np.testing.assert_allclose(dn.derivative(final, 0.1), reference, rtol=1e-5,
                               atol=1e-5 * np.abs(reference).max())


# --------------------------------------------------------------------------- #
# what is not covered says so
# --------------------------------------------------------------------------- #
def decay(t, y, k):
    return -k * y


def decay_final(k):
    return solve_ivp(decay, (0.0, 1.0), [1.0], args=(k,)).y[0, -1]


def test_taylor_numbers_above_the_second_order_are_refused():
    with pytest.raises(NotImplementedError, match="Taylor numbers of order 3"):
        dn.derivative(decay_final, 0.7, n=3)


def test_events_at_the_second_order_are_refused():
    def half(t, y, k):
        return y[0] - 0.5
    with pytest.raises(NotImplementedError, match="events with second-order numbers"):
        dn.hessian(lambda k: solve_ivp(decay, (0.0, 1.0), [1.0], args=(k,), events=half).y[0, -1], 0.7)


def test_three_nested_calls_are_refused():
    with pytest.raises(NotImplementedError, match="second-order sensitivities only.*more than two nested"):
        dn.derivative(lambda b: dn.derivative(lambda a: dn.derivative(
            lambda k: decay_final(k * a * b), 0.7), 1.0), 1.0)


def test_hessian_numbers_with_another_calls_are_refused():
    def inner(k, y0):
        return solve_ivp(decay, (0.0, 1.0), [y0], args=(k,)).y[0, -1]
    with pytest.raises(NotImplementedError, match="numbers of hessian, hvp or derivative.n=2. together with"):
        dn.hessian(lambda p: dn.derivative(lambda k: inner(k, p[0]), 0.7), [1.0])


@pytest.mark.parametrize("name, call", [
    ("t_span", lambda T: solve_ivp(decay, (0.0, T), [1.0], args=(0.5,)).y[0, -1]),
    ("t_eval", lambda T: solve_ivp(decay, (0.0, 2.0), [1.0], args=(0.5,), t_eval=[T]).y[0, -1]),
])
def test_dual_times_are_refused(name, call):
    with pytest.raises(TypeError, match=f"{name} holds dual numbers.*pass real times"):
        dn.derivative(call, 1.0)


# --------------------------------------------------------------------------- #
# the augmented system's Jacobian (sensitivities with the implicit methods)
# --------------------------------------------------------------------------- #
def augmented(fun, y0, args):
    from dualnum.scipy._ode_parameters import Parameters
    from dualnum.scipy._sensitivities import SensitivitySystem
    return SensitivitySystem(fun, Parameters(y0, args), False)


def central_differences_of_rhs(system, t, z):
    steps = 1e-6 * np.maximum(np.abs(z), 1e-6)
    return np.column_stack([(system.rhs(t, z + h * e) - system.rhs(t, z - h * e)) / (2 * h)
                            for h, e in zip(steps, np.eye(z.size))])


@pytest.mark.parametrize("method", STIFF)
def test_augmented_jacobian_is_exact_block_lower_triangular(method):
    from dualnum.scipy._augmented_jacobian import augmented_jacobian
    rates = tuple(dn.Dual(k, np.eye(3)[i]) for i, k in enumerate(RATES))
    system = augmented(robertson, [1.0, 0.0, 0.0], rates)
    z = np.concatenate([[0.9, 2e-5, 0.1], np.random.default_rng(1).standard_normal(9)])
    J = augmented_jacobian(system, 0.0, method, None, None)(0.0, z)
    reference = central_differences_of_rhs(system, 0.0, z)
    np.testing.assert_allclose(J, reference, rtol=1e-6, atol=1e-6 * np.abs(reference).max())
    assert np.any(J[3:, :3] != 0) and np.all(J[:3, 3:] == 0)       # the lower blocks are there


def test_augmented_jacobian_of_a_large_sparse_system_is_sparse_and_exact():
    from dualnum.scipy._augmented_jacobian import augmented_jacobian
    system = augmented(reaction_diffusion, U0, (dn.Dual(0.1, 1.0),))
    z = np.concatenate([U0, 0.1 * U0])
    J = augmented_jacobian(system, 0.0, "BDF", None, None)(0.0, z)
    assert scipy.sparse.issparse(J)
    reference = central_differences_of_rhs(system, 0.0, z)
    np.testing.assert_allclose(J.toarray(), reference, rtol=1e-6, atol=1e-6 * np.abs(reference).max())


def test_fun_without_object_loops_gets_the_block_diagonal_jacobian():
    """np.linalg.solve has no object loop: the lower blocks are left out, the solve still converges."""
    from scipy.linalg import expm
    M = np.array([[2.0, 0.5], [0.0, 1.0]])

    def fun(t, y, k):
        return np.linalg.solve(M, -k * y)
    A = -np.linalg.inv(M)                       # y(1) = expm(k A) y0, dy(1)/dk = A expm(k A) y0
    for method in STIFF:
        d = dn.derivative(lambda k: solve_ivp(fun, (0.0, 1.0), [1.0, 2.0], method=method, args=(k,),
                                              rtol=1e-10, atol=1e-12).y[:, -1], 0.7)
        np.testing.assert_allclose(d, A @ expm(0.7 * A) @ [1.0, 2.0], rtol=1e-7)


def test_complex_states_keep_scipys_estimate():
    sol = solve_ivp(lambda t, y: -1j * y, (0.0, 1.0), [1.0 + 0j], method="BDF", rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(sol.y[0, -1], np.exp(-1j), rtol=1e-6)
    assert plain_jacobian(lambda t, y: -1j * y, 0.0, [1.0 + 0j], (), False, "BDF", {}) is None


@pytest.mark.parametrize("method", STIFF)
def test_a_users_jac_matrix_with_sensitivities(method):
    A = np.array([[-1.0, 0.5], [0.0, -2.0]])          # y' = k A y: y(1) = expm(k A) y0

    def final(k):
        return solve_ivp(lambda t, y, k: k * (A @ y), (0.0, 1.0), [1.0, 2.0], method=method, args=(k,),
                         jac=0.7 * A, rtol=1e-10, atol=1e-12).y[:, -1]
    from scipy.linalg import expm
    np.testing.assert_allclose(dn.derivative(final, 0.7), A @ expm(0.7 * A) @ [1.0, 2.0], rtol=1e-7)
