"""dualnum.scipy.least_squares against scipy.optimize.least_squares given
hand-written Jacobians (dense for a curve fit, scipy.sparse for a banded
residual at n = 1000): the same nfev, njev and x."""
import numpy as np
import pytest
import scipy.optimize as so
import scipy.sparse

import dualnum as dn
from dualnum.scipy import _least_squares, least_squares

T = np.linspace(0.0, 3.0, 40)
DATA = 2.5 * np.exp(-1.3 * T) + 0.5 * np.sin(2.0 * T) + 0.01 * np.cos(17.0 * T)
START = np.array([1.0, 1.0, 1.0, 1.5])


def model_residuals(p, t=T, data=DATA):
    return p[0] * np.exp(-p[1] * t) + p[2] * np.sin(p[3] * t) - data


def model_jacobian(p, t=T, data=DATA):
    decay = np.exp(-p[1] * t)
    return np.stack([decay, -p[0] * t * decay, np.sin(p[3] * t), p[2] * t * np.cos(p[3] * t)], axis=1)


def same_solve(ours, reference, atol=1e-10):
    assert (ours.nfev, ours.njev, ours.status) == (reference.nfev, reference.njev, reference.status)
    np.testing.assert_allclose(ours.x, reference.x, rtol=0, atol=atol)


@pytest.mark.parametrize("method", ["trf", "dogbox", "lm"])
def test_curve_fit_takes_the_hand_written_path(method):
    reference = so.least_squares(model_residuals, START, jac=model_jacobian, method=method)
    ours = least_squares(model_residuals, START, method=method)
    same_solve(ours, reference)
    assert isinstance(ours.jac, np.ndarray)
    np.testing.assert_allclose(ours.jac, model_jacobian(ours.x), rtol=1e-13, atol=1e-14)


@pytest.mark.parametrize("jac", ["2-point", "3-point", "cs"])
def test_every_finite_difference_choice_is_replaced(jac):
    reference = so.least_squares(model_residuals, START, jac=model_jacobian)
    same_solve(least_squares(model_residuals, START, jac=jac), reference)


def test_args_kwargs_loss_and_bounds():
    def residuals(p, t, data=None):
        return model_residuals(p, t, data)

    def jacobian(p, t, data=None):
        return model_jacobian(p, t, data)

    options = dict(bounds=([0.0, 0.0, 0.0, 1.0], [5.0, 5.0, 5.0, 3.0]), loss="soft_l1", f_scale=0.1,
                   args=(T,), kwargs={"data": DATA})
    reference = so.least_squares(residuals, START, jac=jacobian, **options)
    same_solve(least_squares(residuals, START, **options), reference)


def test_residuals_and_jacobian_at_one_point_cost_one_evaluation():
    evaluations = []

    def residuals(p):
        assert isinstance(p, dn.DualArray)
        evaluations.append(p.value.copy())
        return model_residuals(p)

    result = least_squares(residuals, START)
    assert len({tuple(p) for p in evaluations}) == len(evaluations) == result.nfev
    assert result.njev <= result.nfev


def test_a_callable_jac_passes_through():
    calls = []

    def jacobian(p):
        calls.append(p)
        return model_jacobian(p)

    result = least_squares(model_residuals, START, jac=jacobian)
    assert len(calls) == result.njev
    same_solve(result, so.least_squares(model_residuals, START, jac=model_jacobian), atol=0)


# --------------------------------------------------------------------------- #
# sparse Jacobians
# --------------------------------------------------------------------------- #
def banded(x):
    """A tridiagonal system (Broyden's, scipy's example of jac_sparsity)."""
    padded = np.concatenate((np.zeros(1), x, np.zeros(1)))
    return (3.0 - 2.0 * x) * x - padded[:-2] - 2.0 * padded[2:] + 1.0


def banded_jacobian(x):
    n = x.size
    return scipy.sparse.csr_array(scipy.sparse.diags_array(
        [-np.ones(n - 1), 3.0 - 4.0 * x, -2.0 * np.ones(n - 1)], offsets=[-1, 0, 1]))


def test_detected_sparsity_at_n1000():
    n = 1000
    x0 = -np.ones(n)
    reference = so.least_squares(banded, x0, jac=banded_jacobian)
    evaluations = []

    def counted(x):
        evaluations.append(1)
        return banded(x)

    ours = least_squares(counted, x0)
    assert isinstance(ours.jac, scipy.sparse.csr_array)
    same_solve(ours, reference, atol=1e-12)
    assert len(evaluations) == ours.nfev + 1          # the detection pass, then one per point
    np.testing.assert_allclose(ours.jac.toarray(), banded_jacobian(ours.x).toarray(), rtol=1e-14)
    assert scipy.sparse.linalg.norm(ours.jac - banded_jacobian(ours.x)) < 1e-12


@pytest.mark.parametrize("kind, method", [("dense", "trf"), ("sparse", "trf"), ("pattern", "trf"),
                                          ("sparse", "dogbox")])
def test_given_sparsity(kind, method):
    n = 300
    x0 = -np.ones(n)
    structure = banded_jacobian(x0) != 0
    given = {"dense": structure.toarray(), "sparse": structure,
             "pattern": dn.SparsityPattern(structure)}[kind]
    reference = so.least_squares(banded, x0, jac=banded_jacobian, method=method)
    ours = least_squares(banded, x0, jac_sparsity=given, method=method)
    assert isinstance(ours.jac, scipy.sparse.csr_array)
    same_solve(ours, reference, atol=1e-12)


def test_small_or_dense_jacobians_stay_dense():
    x0 = -np.ones(50)                            # below SPARSE_FROM variables
    assert isinstance(least_squares(banded, x0).jac, np.ndarray)
    x0 = -np.ones(200)
    assert isinstance(least_squares(banded, x0, detect_sparsity=False).jac, np.ndarray)
    n = 120
    mixing = np.eye(n) + np.cos(np.arange(n)[:, None] * np.arange(n)) / n     # a dense Jacobian

    def dense(x):
        return mixing @ x + x ** 3 - 1.0

    reference = so.least_squares(dense, np.zeros(n), jac=lambda x: mixing + np.diag(3.0 * x ** 2))
    ours = least_squares(dense, np.zeros(n))
    assert isinstance(ours.jac, np.ndarray)
    same_solve(ours, reference, atol=1e-8)      # xtol=1e-8; the two Jacobians round differently


def test_detection_declines_many_nonzeros(monkeypatch):
    monkeypatch.setattr(_least_squares, "SPARSE_DENSITY", 0.001)    # 3 per row of 200 is 1.5%
    assert isinstance(least_squares(banded, -np.ones(200)).jac, np.ndarray)


def test_no_detection_where_sparse_is_refused():
    x0 = -np.ones(200)
    assert isinstance(least_squares(banded, x0, method="lm").jac, np.ndarray)
    assert isinstance(least_squares(banded, x0, tr_solver="exact").jac, np.ndarray)


def test_sparsity_errors():
    x0 = -np.ones(200)
    structure = banded_jacobian(x0) != 0
    with pytest.raises(ValueError, match="method='lm' does not support jac_sparsity.*'trf' or 'dogbox'"):
        least_squares(banded, x0, method="lm", jac_sparsity=structure)
    with pytest.raises(ValueError, match="tr_solver='exact' is incompatible with jac_sparsity"):
        least_squares(banded, x0, tr_solver="exact", jac_sparsity=structure)
    missing = structure.tolil()
    missing[0, 1] = False                     # the pattern leaves out d r_0 / d x_1
    with pytest.raises(ValueError, match="nonzero outside the given sparsity pattern"):
        least_squares(banded, x0, jac_sparsity=missing)


# --------------------------------------- dual numbers in args: the fit's sensitivities

DECAY_T = np.linspace(0.0, 2.0, 30)
DECAY_DATA = 2.0 * np.exp(-1.3 * DECAY_T) + 0.01 * np.random.default_rng(0).standard_normal(30)
# rho'(z) of scipy's losses, by hand, for the reference solves of the optimality condition
LOSS_SLOPES = {
    "linear": lambda z: np.ones_like(z),
    "soft_l1": lambda z: (1.0 + z) ** -0.5,
    "huber": lambda z: np.where(z <= 1.0, 1.0, z ** -0.5),
    "cauchy": lambda z: 1.0 / (1.0 + z),
    "arctan": lambda z: 1.0 / (1.0 + z * z),
}


def decay_residuals(p, t, data):
    return p[0] * np.exp(-p[1] * t) - data


def fit_by_its_optimality_condition(data, loss, f_scale):
    """The fitted (a, b) as the root of sum rho'(z) r dr/dp = 0, all by hand."""
    def gradient(p):
        decay = np.exp(-p[1] * DECAY_T)
        r = p[0] * decay - data
        weight = LOSS_SLOPES[loss]((r / f_scale) ** 2)
        return [np.sum(weight * r * decay), np.sum(weight * r * -p[0] * DECAY_T * decay)]

    solution = so.root(gradient, [2.0, 1.3], method="lm", options={"xtol": 1e-15, "ftol": 1e-15})
    return solution.x


@pytest.mark.parametrize("loss, f_scale", [("linear", 1.0), ("soft_l1", 0.01), ("huber", 0.01),
                                           ("cauchy", 0.02), ("arctan", 0.01)])
def test_the_fit_differentiates_in_its_data(loss, f_scale):
    """d(fitted parameters)/d(data) through the optimality condition of scipy's cost,
    against central differences of a tight solve of that condition written by hand."""
    def fitted(data):
        return least_squares(decay_residuals, [1.0, 1.0], args=(DECAY_T, data), loss=loss,
                             f_scale=f_scale).x

    step = 1e-6                 # the losses curve on the scale f_scale = 0.01: O(step**2) stays small
    reference = np.stack([(fit_by_its_optimality_condition(DECAY_DATA + step * e, loss, f_scale)
                           - fit_by_its_optimality_condition(DECAY_DATA - step * e, loss, f_scale))
                          / (2 * step) for e in np.eye(DECAY_DATA.size)], axis=-1)
    np.testing.assert_allclose(dn.jacobian(fitted, DECAY_DATA), reference, rtol=1e-6, atol=1e-8)


def test_the_fit_in_kwargs_and_under_hessian():
    # p * scale = 2 is fitted exactly: p = 2 / scale, dp/dscale = -2 / scale**2
    slope = dn.derivative(lambda s: least_squares(lambda p, scale=1.0: p * scale - 2.0, [0.0],
                                                  kwargs={"scale": s}).x[0], 2.0)
    assert slope == pytest.approx(-0.5, rel=1e-10)

    def spread(head):                       # the first six data points vary
        data = np.concatenate([head, DECAY_DATA[6:]])
        fit = least_squares(decay_residuals, [1.0, 1.0], args=(DECAY_T, data)).x
        return fit[0] * fit[1]

    head, step = DECAY_DATA[:6], 1e-5
    hessian = dn.hessian(spread, head)
    columns = [(dn.gradient(spread, head + step * e) - dn.gradient(spread, head - step * e)) / (2 * step)
               for e in np.eye(6)]
    np.testing.assert_allclose(hessian, np.array(columns), rtol=1e-5, atol=1e-7)


def test_dual_numbers_the_fit_cannot_take_are_refused():
    with pytest.raises(NotImplementedError, match=r"least_squares: dual numbers in x0"):
        dn.derivative(lambda s: least_squares(model_residuals, START * s).x[1], 1.0)
    with pytest.raises(NotImplementedError, match=r"least_squares: the function returned dual numbers"):
        dn.derivative(lambda s: least_squares(lambda p: model_residuals(p) * s, START).x[1], 1.0)
    with pytest.raises(NotImplementedError, match=r"least_squares: the minimiser lies on a bound"):
        dn.derivative(lambda s: least_squares(lambda p, s: p - s, [0.0], args=(s,),
                                              bounds=(0.0, 0.5)).x[0], 1.0)
    with pytest.raises(NotImplementedError, match=r"needs one of scipy's named losses"):
        dn.derivative(lambda s: least_squares(lambda p, s: p - s, [0.0], args=(s,),
                                              loss=lambda z: np.stack([z, np.ones_like(z),
                                                                       np.zeros_like(z)])).x[0], 1.0)
