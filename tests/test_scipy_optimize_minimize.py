"""dualnum.scipy.minimize against scipy.optimize.minimize given hand-written derivatives.

The reference is scipy itself: the same problem solved with derivatives
written out by hand (scipy's rosen_der, rosen_hess, rosen_hess_prod, the
Rosenbrock derivatives below and the constraints' Jacobians and Hessians)
must take the same path: the same nit, nfev, njev, nhev and x.

A long path amplifies last-bit differences between two correct
derivatives.  dualnum's arrays square with C's pow() (as Python floats do)
where numpy multiplies, and the two differ in the last bit at about 0.07% of
points (test_dualarray_squares_like_numpy); so at n = 100 the hand-written
derivatives take x**2 as dualnum rounds it, and the gradient methods then
follow the hand-written path to the last count.  The compiled Hessian pass
rounds a few diagonal entries differently again, so for the second-order
methods at n = 100 the counts are compared with scipy given dualnum's own
derivatives as callables (the bridge must not change the path), and the
hand-written solve must reach the same minimiser.
"""
import doctest

import numpy as np
import pytest
import scipy.optimize as so
import scipy.sparse

import dualnum as dn
from dualnum.scipy import _least_squares, _minimize, minimize


def rosen(x):
    """Rosenbrock's function written on numpy (scipy.optimize.rosen converts
    its argument with np.asarray, so the bridge is given this one)."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def start(n):
    return np.array([-1.2, 1.0]) if n == 2 else np.linspace(-1.2, 1.0, n)


def tridiagonal(n):
    return np.eye(n, dtype=bool) | np.eye(n, k=1, dtype=bool) | np.eye(n, k=-1, dtype=bool)


def counts(result):
    return {key: result[key] for key in ("nit", "nfev", "njev", "nhev") if key in result}


def assert_same_path(ours, reference, exact_x=False):
    assert counts(ours) == counts(reference)
    assert ours.success == reference.success
    if exact_x:
        np.testing.assert_array_equal(ours.x, reference.x)
    else:
        np.testing.assert_allclose(ours.x, reference.x, rtol=0, atol=1e-10)


HAND_WRITTEN_HESS = {"hess": so.rosen_hess}
SECOND_ORDER = ["Newton-CG", "trust-exact", "trust-krylov", "trust-ncg", "dogleg"]


@pytest.mark.parametrize("method", ["BFGS", "CG", "L-BFGS-B", "SLSQP"] + SECOND_ORDER)
def test_rosenbrock_n2_takes_the_hand_written_path(method):
    x0 = start(2)
    extra = HAND_WRITTEN_HESS if method in SECOND_ORDER else {}
    reference = so.minimize(so.rosen, x0, method=method, jac=so.rosen_der, **extra)
    ours = minimize(rosen, x0, method=method)
    assert_same_path(ours, reference)
    np.testing.assert_allclose(ours.x, [1.0, 1.0], atol=1e-3)      # SLSQP stops early


@pytest.mark.parametrize("method", ["Newton-CG", "trust-krylov", "trust-ncg"])
def test_rosenbrock_n2_with_hessian_vector_products(method, monkeypatch):
    """Beyond DENSE_HESSIAN_LIMIT variables, dn.hvp is supplied as hessp."""
    monkeypatch.setattr(_minimize, "DENSE_HESSIAN_LIMIT", 1)
    x0 = start(2)
    reference = so.minimize(so.rosen, x0, method=method, jac=so.rosen_der, hessp=so.rosen_hess_prod)
    assert_same_path(minimize(rosen, x0, method=method), reference)


def rosen_by_hand(x):
    """rosen's sum as f writes it, on floats (numpy's x ** 2 is dualnum's to the last bit)."""
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosen_gradient_by_hand(x):
    """d/dx of the first sum, then of the second (the order of f's terms)."""
    u = x[1:] - x[:-1] ** 2
    grad = np.zeros_like(x)
    grad[:-1] = 100.0 * (-4.0 * (u * x[:-1]))
    grad[1:] += 200.0 * u
    grad[:-1] += -2.0 * (1.0 - x[:-1])
    return grad


@pytest.mark.parametrize("method", ["BFGS", "CG", "L-BFGS-B", "TNC", "SLSQP"])
def test_rosenbrock_n100_takes_the_hand_written_path(method):
    x0 = start(100)
    reference = so.minimize(rosen_by_hand, x0, method=method, jac=rosen_gradient_by_hand)
    ours = minimize(rosen, x0, method=method)
    assert_same_path(ours, reference, exact_x=True)
    # the hand-written gradient is scipy's, up to the rounding of x**2
    np.testing.assert_allclose(rosen_gradient_by_hand(ours.x), so.rosen_der(ours.x), rtol=1e-13, atol=1e-10)


@pytest.mark.parametrize("method", SECOND_ORDER)
def test_rosenbrock_n100_second_order(method):
    x0 = start(100)
    ours = minimize(rosen, x0, method=method)
    # the bridge changes nothing in scipy's path: exactly the same counts and x
    given = {"jac": lambda x: dn.gradient(rosen, x), "hess": lambda x: dn.hessian(rosen, x)}
    assert_same_path(ours, so.minimize(rosen, x0, method=method, **given), exact_x=True)
    # and the hand-written derivatives lead to the same minimiser
    reference = so.minimize(rosen_by_hand, x0, method=method, jac=rosen_gradient_by_hand,
                            hess=so.rosen_hess)
    assert ours.success == reference.success
    if reference.success:
        # within the solvers' default tolerances (gtol=1e-5), x[-1] the least determined
        np.testing.assert_allclose(ours.x, reference.x, atol=1e-3)
        np.testing.assert_allclose(ours.x, np.ones(100), atol=1e-3)
    np.testing.assert_allclose(dn.hessian(rosen, ours.x), so.rosen_hess(ours.x), rtol=1e-14, atol=1e-11)


def test_dualarray_squares_like_numpy():
    """The value of x ** 2 on a DualArray is numpy's x ** 2 to the last bit (the
    design: given an array, what numpy returns), also where libm's pow(x, 2.0)
    is a bit off (~0.07% of these points); likewise x ** 0.5 and x ** -1."""
    x = np.random.default_rng(1).uniform(-2.0, 2.0, 100_000)
    for exponent, point in ((2, x), (0.5, np.abs(x)), (-1, x)):
        value = dn.jvp(lambda t: t ** exponent, point, np.zeros_like(point))[0]
        np.testing.assert_array_equal(value, point ** exponent)


@pytest.mark.parametrize("method", ["Newton-CG", "trust-constr", "trust-krylov", "trust-ncg", "trust-exact"])
def test_sparse_hessian_from_a_given_pattern(method):
    n = 100
    x0 = start(n)
    pattern = dn.SparsityPattern(tridiagonal(n))
    dense = method not in ("Newton-CG", "trust-constr")      # the others take an ndarray
    received = []

    def spy(f, x, *args, **kwargs):
        found = original(f, x, *args, **kwargs)
        received.append((kwargs, found))
        return found

    original = dn.hessian
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_minimize.dn, "hessian", spy)
        ours = minimize(rosen, x0, method=method, hess_sparsity=pattern)
    assert received
    for kwargs, hess in received:
        assert kwargs["sparsity"] is pattern and kwargs["sparse_output"] is not dense
        assert isinstance(hess, np.ndarray if dense else scipy.sparse.csr_array)
    # the sparse Hessian is the hand-written one (to rounding) ...
    x = ours.x + np.sin(np.arange(n))
    hess = dn.hessian(rosen, x, sparsity=pattern, sparse_output=True)
    np.testing.assert_allclose(hess.toarray(), so.rosen_hess(x), rtol=1e-14, atol=1e-11)
    # ... and the bridge hands it to scipy unchanged: the same path as given by hand
    given = so.minimize(rosen, x0, method=method, jac=lambda x: dn.gradient(rosen, x),
                        hess=lambda x: dn.hessian(rosen, x, sparsity=pattern, sparse_output=not dense))
    assert_same_path(ours, given, exact_x=True)
    np.testing.assert_allclose(ours.x, np.ones(n), atol=1e-3)


def test_fun_and_jac_at_one_point_cost_one_evaluation():
    evaluations = []

    def f(x):
        assert isinstance(x, dn.DualArray)          # every evaluation gives the gradient too
        evaluations.append(x.value.copy())
        return rosen(x)

    result = minimize(f, start(2), method="BFGS")
    # every evaluation is at a point scipy asked for, each point once
    points = {tuple(p) for p in evaluations}
    assert len(points) == len(evaluations)
    assert len(evaluations) == max(result.nfev, result.njev) < result.nfev + result.njev


def test_the_cache_serves_the_second_call():
    from dualnum.scipy._cache import ValueAndDerivative
    calls = []

    def evaluate(x, a):
        calls.append(x)
        return float(a * np.sum(x)), np.full(x.shape, float(a))

    cache = ValueAndDerivative(evaluate, "minimize")
    x = np.array([1.0, 2.0])
    assert cache.fun(x, 2.0) == 6.0
    grad = cache.derivative(x, 2.0)
    assert len(calls) == 1
    grad[0] = 99.0                            # the solver writes into what it got
    np.testing.assert_array_equal(cache.derivative(x, 2.0), [2.0, 2.0])
    x[0] = 5.0                                # and into its x
    assert cache.fun(x, 2.0) == 14.0 and len(calls) == 2
    assert cache.fun(x, 3.0) == 21.0 and len(calls) == 3      # other args: another point


def test_args_reach_fun():
    def f(x, a, b):
        return np.sum((x - a) ** 2) * b

    a = np.array([0.5, -1.0, 2.0])
    result = minimize(f, np.zeros(3), args=(a, 3.0), method="trust-exact")
    np.testing.assert_allclose(result.x, a, atol=1e-10)
    reference = so.minimize(lambda x: np.sum((x - a) ** 2) * 3.0, np.zeros(3), method="trust-exact",
                            jac=lambda x: 6.0 * (x - a), hess=lambda x: 6.0 * np.eye(3))
    assert counts(result) == counts(reference)


def test_a_single_argument_that_is_not_a_tuple():
    result = minimize(lambda x, a: np.sum((x - a) ** 2), np.zeros(2), args=1.5, method="BFGS")
    np.testing.assert_allclose(result.x, [1.5, 1.5], atol=1e-6)


def test_user_derivatives_pass_through_untouched():
    calls = {"jac": 0, "hess": 0}

    def jac(x):
        calls["jac"] += 1
        return so.rosen_der(x)

    def hess(x):
        calls["hess"] += 1
        return so.rosen_hess(x)

    result = minimize(so.rosen, start(2), method="trust-exact", jac=jac, hess=hess)
    assert calls == {"jac": result.njev, "hess": result.nhev}
    reference = so.minimize(so.rosen, start(2), method="trust-exact", jac=so.rosen_der, hess=so.rosen_hess)
    assert_same_path(result, reference, exact_x=True)


def test_user_hessp_passes_through_and_jac_is_supplied():
    reference = so.minimize(so.rosen, start(2), method="Newton-CG", jac=so.rosen_der,
                            hessp=so.rosen_hess_prod)
    assert_same_path(minimize(rosen, start(2), method="Newton-CG", hessp=so.rosen_hess_prod), reference)


def test_jac_true_passes_through_and_the_hessian_is_supplied():
    def value_and_grad(x):
        return rosen(x), (so.rosen_der(x) if not isinstance(x, dn.DualArray) else None)

    reference = so.minimize(so.rosen, start(2), method="trust-exact", jac=so.rosen_der, hess=so.rosen_hess)
    ours = minimize(value_and_grad, start(2), method="trust-exact", jac=True)
    assert_same_path(ours, reference)


def test_finite_difference_strings_are_replaced():
    reference = so.minimize(so.rosen, start(2), method="BFGS", jac=so.rosen_der)
    assert_same_path(minimize(rosen, start(2), method="BFGS", jac="2-point"), reference)


def test_hessian_update_strategy_passes_through():
    strategy = so.SR1()
    reference = so.minimize(so.rosen, start(2), method="trust-constr", jac=so.rosen_der, hess=so.SR1())
    ours = minimize(rosen, start(2), method="trust-constr", hess=strategy)
    assert counts(ours) == counts(reference)
    np.testing.assert_allclose(ours.x, reference.x, atol=1e-10)


# --------------------------------------------------------------------------- #
# constraints
# --------------------------------------------------------------------------- #
def disc(x):
    return np.array([x[0] ** 2 + x[1], x[0] ** 2 - x[1]])


def disc_jacobian(x):
    return np.array([[2.0 * x[0], 1.0], [2.0 * x[0], -1.0]])


def disc_hessian(x, v):
    return 2.0 * (v[0] + v[1]) * np.array([[1.0, 0.0], [0.0, 0.0]])


def test_trust_constr_with_a_nonlinear_constraint():
    """scipy's tutorial problem: Rosenbrock under x0**2 + x1 <= 1 and x0**2 - x1 <= 1,
    and the linear 0 <= x0 + 2 x1 <= 1 and 2 x0 + x1 = 1 with bounds."""
    linear = so.LinearConstraint([[1, 2], [2, 1]], [-np.inf, 1], [1, 1])
    bounds = so.Bounds([0, -0.5], [1.0, 2.0])
    x0 = np.array([0.5, 0.0])
    hand = so.NonlinearConstraint(disc, -np.inf, 1, jac=disc_jacobian, hess=disc_hessian)
    reference = so.minimize(so.rosen, x0, method="trust-constr", jac=so.rosen_der, hess=so.rosen_hess,
                            constraints=[linear, hand], bounds=bounds)
    plain = so.NonlinearConstraint(disc, -np.inf, 1)
    ours = minimize(rosen, x0, method="trust-constr", constraints=[linear, plain], bounds=bounds)
    assert counts(ours) == counts(reference)
    assert ours.constr_nfev == reference.constr_nfev and ours.constr_njev == reference.constr_njev
    assert ours.constr_nhev == reference.constr_nhev
    np.testing.assert_allclose(ours.x, reference.x, atol=1e-10)
    np.testing.assert_allclose(ours.x, [0.41494531, 0.17010937], atol=1e-6)   # scipy's tutorial


def test_a_constraint_with_quasi_newton_hessian_keeps_it():
    """A NonlinearConstraint given a non-default HessianUpdateStrategy keeps it."""
    x0 = np.array([0.5, 0.0])
    hand = so.NonlinearConstraint(disc, -np.inf, 1, jac=disc_jacobian, hess=so.SR1())
    reference = so.minimize(so.rosen, x0, method="trust-constr", jac=so.rosen_der, hess=so.rosen_hess,
                            constraints=hand)
    ours = minimize(rosen, x0, method="trust-constr", constraints=so.NonlinearConstraint(disc, -np.inf, 1,
                                                                                         hess=so.SR1()))
    assert counts(ours) == counts(reference)
    np.testing.assert_allclose(ours.x, reference.x, atol=1e-8)


def test_a_constraint_sparsity_pattern_gives_sparse_jacobians():
    """finite_diff_jac_sparsity of a NonlinearConstraint: its Jacobian by colours,
    handed to trust-constr as a scipy.sparse matrix."""
    n = 30

    def rings(x):
        return x[:-1] ** 2 + x[1:] ** 2

    def rings_jacobian(x):
        return scipy.sparse.csr_array(scipy.sparse.diags_array([2 * x[:-1], 2 * x[1:]], offsets=[0, 1],
                                                               shape=(n - 1, n)))

    def rings_hessian(x, v):
        diagonal = np.zeros(n)
        diagonal[:-1] += 2 * v
        diagonal[1:] += 2 * v
        return scipy.sparse.diags_array(diagonal)

    x0 = np.full(n, 0.3)
    hand = so.NonlinearConstraint(rings, -np.inf, 1.0, jac=rings_jacobian, hess=rings_hessian)
    reference = so.minimize(so.rosen, x0, method="trust-constr", jac=so.rosen_der, hess=so.rosen_hess,
                            constraints=hand)
    pattern = rings_jacobian(np.ones(n)) != 0
    ours = minimize(rosen, x0, method="trust-constr", constraints=so.NonlinearConstraint(
        rings, -np.inf, 1.0, finite_diff_jac_sparsity=pattern))
    assert counts(ours) == counts(reference) and ours.constr_njev == reference.constr_njev
    np.testing.assert_allclose(ours.x, reference.x, atol=1e-10)
    assert isinstance(ours.jac[0], scipy.sparse.sparray)
    np.testing.assert_allclose(ours.jac[0].toarray(), rings_jacobian(ours.x).toarray(), rtol=1e-15)


@pytest.mark.parametrize("n", [2, 10])
def test_slsqp_with_dict_constraints(n):
    x0 = np.full(n, 0.1)
    ball = lambda x: 1.0 - np.sum(x ** 2)
    line = lambda x, c: np.sum(x) - c
    reference = so.minimize(so.rosen, x0, method="SLSQP", jac=so.rosen_der, constraints=[
        {"type": "ineq", "fun": ball, "jac": lambda x: -2.0 * x},
        {"type": "eq", "fun": line, "jac": lambda x, c: np.ones_like(x), "args": (0.5,)}])
    ours = minimize(rosen, x0, method="SLSQP", constraints=(
        {"type": "ineq", "fun": ball}, {"type": "eq", "fun": line, "args": (0.5,)}))
    assert_same_path(ours, reference)
    assert abs(np.sum(ours.x) - 0.5) < 1e-9


def test_the_default_method_with_constraints_is_slsqp_and_with_bounds_l_bfgs_b():
    constraint = {"type": "ineq", "fun": lambda x: 1.0 - np.sum(x ** 2)}
    reference = so.minimize(so.rosen, start(2), jac=so.rosen_der,
                            constraints={**constraint, "jac": lambda x: -2.0 * x})
    assert_same_path(minimize(rosen, start(2), constraints=constraint), reference)
    bounds = [(-2.0, 0.5), (-2.0, 2.0)]
    reference = so.minimize(so.rosen, start(2), jac=so.rosen_der, bounds=bounds)
    assert_same_path(minimize(rosen, start(2), bounds=bounds), reference)


@pytest.mark.parametrize("method", ["Nelder-Mead", "Powell", "COBYLA", "COBYQA"])
def test_derivative_free_methods_pass_through(method):
    constraints = () if method in ("Nelder-Mead", "Powell") else (
        {"type": "ineq", "fun": lambda x: 1.0 - np.sum(x ** 2)},)
    options = {"maxiter": 200}
    reference = so.minimize(so.rosen, start(2), method=method, constraints=constraints, options=options)
    ours = minimize(so.rosen, start(2), method=method, constraints=constraints, options=options)
    assert ours.nfev == reference.nfev
    np.testing.assert_array_equal(ours.x, reference.x)


def test_a_callable_method_gets_the_gradient():
    seen = {}

    def descent(fun, x0, args=(), jac=None, hess=None, **options):
        seen["hess"] = hess
        x = np.asarray(x0, dtype=float)
        for _ in range(200):
            x = x - 0.1 * jac(x, *args)
        return so.OptimizeResult(x=x, fun=fun(x, *args), success=True, nit=200)

    result = minimize(lambda x: np.sum((x - 3.0) ** 2), np.zeros(2), method=descent)
    np.testing.assert_allclose(result.x, [3.0, 3.0], atol=1e-10)
    assert seen["hess"] is None


# --------------------------------------------------------------------------- #
# errors
# --------------------------------------------------------------------------- #
def test_the_bridge_knows_scipys_methods():
    assert sorted(_minimize.METHODS) == sorted(so._minimize.MINIMIZE_METHODS)


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown method 'newton'.*trust-exact"):
        minimize(rosen, start(2), method="newton")


@pytest.mark.parametrize("keyword", ["jac", "hess", "hessp", "hess_sparsity"])
def test_a_derivative_free_method_given_derivatives(keyword):
    given = {"hess_sparsity": tridiagonal(2)}.get(keyword, lambda *a: None)
    with pytest.raises(TypeError, match=f"'Nelder-Mead' uses no derivatives, so {keyword}="):
        minimize(rosen, start(2), method="Nelder-Mead", **{keyword: given})


@pytest.mark.parametrize("method, keyword", [("BFGS", "hess"), ("L-BFGS-B", "hessp"),
                                             ("trust-exact", "hessp"), ("SLSQP", "hess_sparsity")])
def test_a_method_given_a_derivative_it_does_not_use(method, keyword):
    given = {"hess_sparsity": tridiagonal(2)}.get(keyword, lambda *a: None)
    with pytest.raises(TypeError, match=f"method '{method}' uses no {keyword}; drop {keyword}="):
        minimize(rosen, start(2), method=method, **{keyword: given})


def test_hess_sparsity_strings_other_than_auto():
    with pytest.raises(TypeError, match="hess_sparsity='detect': pass 'auto' .* or the pattern"):
        minimize(rosen, start(2), method="trust-exact", hess_sparsity="detect")


def chained(x):
    """A banded problem Newton solves in a few steps: cosh wells chained by
    springs, and x_i² x_(i+1)² / 10 whose H[i, i+1] = 0.4 x_i x_(i+1)
    vanishes where x0 has zeros."""
    return (np.sum(np.cosh(x - 1.0)) + 0.5 * np.sum((x[1:] - x[:-1]) ** 2)
            + 0.1 * np.sum(x[1:] ** 2 * x[:-1] ** 2))


@pytest.mark.parametrize("method", ["Newton-CG", "trust-constr", "trust-krylov", "trust-ncg", "trust-exact"])
@pytest.mark.parametrize("problem", ["rosenbrock", "chained"])
def test_detected_hessian_sparsity(method, problem):
    """hess_sparsity="auto": the pattern is detected once at x0, where
    coincidental zeros of the band stay in it, and every Hessian is
    star-coloured.  The chained problem takes scipy's path with the dense
    Hessian exactly; on Rosenbrock's long path last-bit differences of the two
    Hessians change the counts (see the module docstring), so there the path
    is compared with scipy given the same sparse Hessian, and the minimiser
    with the dense Hessian's."""
    n = 100
    f = rosen if problem == "rosenbrock" else chained
    x0 = start(n)
    x0[::7] = 0.0
    dense = method not in ("Newton-CG", "trust-constr")
    detected, hessians = [], []
    detect, hessian = dn.detect_hessian_sparsity, dn.hessian

    def spy_detect(g, x):
        detected.append(detect(g, x))
        return detected[-1]

    def spy_hessian(g, x, *args, **kwargs):
        hessians.append(kwargs)
        return hessian(g, x, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_minimize.dn, "detect_hessian_sparsity", spy_detect)
        patch.setattr(_minimize.dn, "hessian", spy_hessian)
        ours = minimize(f, x0, method=method, hess_sparsity="auto")
    pattern = detected[0]
    assert len(detected) == 1 and pattern.colours == 3 and pattern.rows.size == 3 * n - 2
    assert hessians and all(kwargs["sparsity"] is pattern and kwargs["sparse_output"] is not dense
                            for kwargs in hessians)
    jac = lambda x: dn.gradient(f, x)
    with_dense = so.minimize(f, x0, method=method, jac=jac, hess=lambda x: dn.hessian(f, x))
    if problem == "chained":
        assert_same_path(ours, with_dense)
        np.testing.assert_allclose(ours.x, with_dense.x, rtol=1e-12, atol=1e-12)
    else:
        with_sparse = so.minimize(f, x0, method=method, jac=jac, hess=lambda x: dn.hessian(
            f, x, sparsity=pattern, sparse_output=not dense))
        assert_same_path(ours, with_sparse, exact_x=True)
        # both reach the minimiser to scipy's tolerance (Newton-CG's default
        # xtol leaves x[99] 1.5e-3 off on both paths)
        for found in (ours.x, with_dense.x):
            np.testing.assert_allclose(found, np.ones(n), atol=1e-2)


def test_a_detected_dense_pattern_gives_the_dense_hessian():
    coupled = lambda x: np.sum(x) ** 2 + np.sum((x - 1.0) ** 2)   # every pair couples
    kinds = []
    hessian = dn.hessian

    def spy_hessian(f, x, *args, **kwargs):
        kinds.append(kwargs.get("sparsity"))
        return hessian(f, x, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_minimize.dn, "hessian", spy_hessian)
        ours = minimize(coupled, np.linspace(-1.0, 2.0, 6), method="trust-exact", hess_sparsity="auto")
    assert kinds and all(kind is None for kind in kinds)
    np.testing.assert_allclose(ours.x, np.full(6, 1 / 7), rtol=1e-8)    # x = 1 - sum(x)


def test_hess_sparsity_with_a_given_hessian():
    with pytest.raises(TypeError, match="hess_sparsity= is for the Hessian dualnum supplies; with hess="):
        minimize(rosen, start(2), method="trust-exact", hess=so.rosen_hess, hess_sparsity=tridiagonal(2))
    with pytest.raises(TypeError, match="with hessp= given"):
        minimize(rosen, start(2), method="Newton-CG", hessp=so.rosen_hess_prod, hess_sparsity=tridiagonal(2))
    with pytest.raises(TypeError, match="a callable method gets only jac"):
        minimize(rosen, start(2), method=lambda *a, **k: None, hess_sparsity=tridiagonal(2))


def test_dual_numbers_where_the_minimiser_does_not_depend_on_them_are_refused():
    """args' dual numbers are lifted (tests/test_scipy_implicit_minimum.py); x0's,
    a closure's and the constraints' are refused by name."""
    with pytest.raises(NotImplementedError, match=r"minimize: dual numbers in x0"):
        dn.derivative(lambda p: minimize(rosen, [p, 1.0]).x[0], 1.0)
    with pytest.raises(NotImplementedError, match=r"minimize: the function returned dual numbers"):
        dn.derivative(lambda p: minimize(lambda x: np.sum((x - p) ** 2), np.zeros(2)).x[0], 1.0)
    with pytest.raises(NotImplementedError, match=r"minimize: dual numbers in constraints"):
        dn.derivative(lambda p: minimize(rosen, [0.0, 0.0], constraints={
            "type": "eq", "fun": lambda x, p: x[0] - p, "args": (p,)}).x[0], 0.5)


@pytest.mark.parametrize("module", [_minimize, _least_squares])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted and not result.failed
