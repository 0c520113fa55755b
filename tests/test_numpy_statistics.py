"""Statistics of dual arrays (dualnum/_functions_statistics.py) at both orders.

Every function and option against central finite differences of numpy on
floats, through jacobian (dense and sparse tangents), jvp, gradient,
hessian and hvp (tests/composition_checks.py); the conventions at kinks
against their closed forms; refused options by name.
"""
import warnings

import numpy as np
import pytest
import composition_checks as checks  # tests/, on pytest's pythonpath

import dualnum as dn


rng = np.random.default_rng(15)
VECTOR = rng.standard_normal(9)
MATRIX = rng.standard_normal(12)            # seen as 3 x 4
CUBE = rng.standard_normal(24)              # seen as 2 x 3 x 4
WEIGHTS = np.array([0.5, 1.0, 2.0, 0.25])


def m(a):
    return a.reshape(3, 4)


def c(a):
    return a.reshape(2, 3, 4)


def holes(a):
    """a with NaN where its value exceeds 0.8 (a fixed set near the point)."""
    return np.where(a > 0.8, np.nan, a)


CASES = {
    # moments
    "var": (lambda a: np.var(a), VECTOR),
    "var axis keepdims": (lambda a: np.var(m(a), axis=1, keepdims=True), MATRIX),
    "var axis tuple ddof": (lambda a: np.var(c(a), axis=(0, 2), ddof=1), CUBE),
    "var correction": (lambda a: np.var(m(a), axis=0, correction=1), MATRIX),
    "var mean=": (lambda a: np.var(m(a), axis=1, mean=np.mean(m(a), axis=1, keepdims=True)), MATRIX),
    "var where": (lambda a: np.var(m(a), axis=1, where=m(a) > -0.5), MATRIX),
    "std where broadcast": (lambda a: np.std(m(a), axis=0, where=np.array([[True], [False], [True]])),
                            MATRIX),
    "nanvar where": (lambda a: np.nanvar(holes(m(a)), where=m(a) > -1.0), MATRIX),
    "nansum where": (lambda a: np.nansum(holes(m(a)), axis=0, where=m(a) < 0.5), MATRIX),
    "nanmean where": (lambda a: np.nanmean(holes(m(a)), axis=1, where=m(a) < 0.5), MATRIX),
    "std": (lambda a: np.std(a), VECTOR),
    "std axis ddof": (lambda a: np.std(m(a), axis=0, ddof=1), MATRIX),
    "std keepdims negative axis": (lambda a: np.std(c(a), axis=-1, keepdims=True), CUBE),
    "average": (lambda a: np.average(a), VECTOR),
    "average axis": (lambda a: np.average(m(a), axis=0), MATRIX),
    "average weights": (lambda a: np.average(m(a), axis=1, weights=WEIGHTS), MATRIX),
    "average same-shape weights": (lambda a: np.average(m(a), weights=m(a) ** 2 + 1), MATRIX),
    "average dual weights keepdims": (
        lambda a: np.average(m(a)[:, :3], axis=1, weights=a[:3] ** 2 + 0.5, keepdims=True), MATRIX),
    "average axis tuple weights": (
        lambda a: np.average(c(a), axis=(2, 0), weights=np.arange(1.0, 9.0).reshape(4, 2)), CUBE),
    "average returned": (lambda a: np.concatenate(
        [np.ravel(r) for r in np.average(m(a), axis=1, weights=a[4:8] ** 2 + 1, returned=True)]),
        MATRIX),
    "average plain data dual weights": (lambda a: np.average([1.0, 2.0, 5.0], weights=a[:3] ** 2), VECTOR),
    "methods var std": (lambda a: m(a).var(axis=1, ddof=1) * m(a).std(axis=0)[:3], MATRIX),
    "method cumprod": (lambda a: m(a).cumprod(axis=1), MATRIX),
    "methods round conj": (lambda a: m(a).round(1) * m(a).conj() + m(a).conjugate() ** 2, MATRIX),
    "ptp": (lambda a: np.ptp(a), VECTOR),
    "ptp axis keepdims": (lambda a: np.ptp(m(a), axis=1, keepdims=True), MATRIX),
    # order statistics
    "median odd": (lambda a: np.median(a), VECTOR),
    "median even": (lambda a: np.median(a[:8]), VECTOR),
    "median axis": (lambda a: np.median(m(a), axis=0), MATRIX),
    "median axis tuple keepdims": (lambda a: np.median(c(a), axis=(0, 2), keepdims=True), CUBE),
    "quantile q array": (lambda a: np.quantile(a, np.array([0.0, 0.1, 0.5, 0.93, 1.0])), VECTOR),
    "quantile q 2-d axis": (lambda a: np.quantile(m(a), np.array([[0.2], [0.7]]), axis=1), MATRIX),
    "quantile keepdims": (lambda a: np.quantile(c(a), 0.3, axis=1, keepdims=True), CUBE),
    "percentile": (lambda a: np.percentile(a, [5.0, 50.0, 99.0]), VECTOR),
    "percentile axis": (lambda a: np.percentile(m(a), 40, axis=0), MATRIX),
    # nan functions
    "nansum": (lambda a: np.nansum(holes(a)), VECTOR),
    "nansum axis keepdims": (lambda a: np.nansum(holes(m(a)), axis=1, keepdims=True), MATRIX),
    "nanmean": (lambda a: np.nanmean(holes(m(a)), axis=0), MATRIX),
    "nanvar": (lambda a: np.nanvar(holes(m(a)), axis=1, ddof=1), MATRIX),
    "nanstd": (lambda a: np.nanstd(holes(a)), VECTOR),
    "nanmax": (lambda a: np.nanmax(holes(m(a)), axis=1), MATRIX),
    "nanmin keepdims": (lambda a: np.nanmin(holes(m(a)), axis=0, keepdims=True), MATRIX),
    "nanmedian": (lambda a: np.nanmedian(holes(m(a)), axis=1), MATRIX),
    "nanmedian all": (lambda a: np.nanmedian(holes(a)), VECTOR),
    "nanquantile": (lambda a: np.nanquantile(holes(m(a)), [0.2, 0.7], axis=0), MATRIX),
    "nanpercentile": (lambda a: np.nanpercentile(holes(a), 35, method="weibull"), VECTOR),
    "nancumsum": (lambda a: np.nancumsum(holes(m(a)), axis=1), MATRIX),
    "nancumprod": (lambda a: np.nancumprod(holes(a)), VECTOR),
    "cumprod": (lambda a: np.cumprod(a), VECTOR),
    "cumprod axis": (lambda a: np.cumprod(c(a), axis=1), CUBE),
    "cumprod with a zero": (lambda a: np.cumprod(a * np.array([1, 1, 0, 1, 1, 1, 1, 1, 1.0])), VECTOR),
    # covariance
    "cov": (lambda a: np.cov(m(a)), MATRIX),
    "cov 1-d": (lambda a: np.cov(a), VECTOR),
    "cov y": (lambda a: np.cov(a[:4], a[4:8] ** 2), MATRIX),
    "cov rowvar bias": (lambda a: np.cov(m(a), rowvar=False, bias=True), MATRIX),
    "cov ddof": (lambda a: np.cov(m(a), ddof=0), MATRIX),
    "cov fweights": (lambda a: np.cov(m(a), fweights=[1, 2, 1, 3]), MATRIX),
    "cov aweights ddof": (lambda a: np.cov(m(a), aweights=WEIGHTS, ddof=2), MATRIX),
    "cov both weights": (lambda a: np.cov(m(a), rowvar=False, fweights=[2, 1, 1], aweights=[1.0, 0.5, 3.0]),
                         MATRIX),
    "corrcoef": (lambda a: np.corrcoef(m(a)), MATRIX),
    "corrcoef y rowvar": (lambda a: np.corrcoef(m(a)[:, :2], m(a)[:, 2:] ** 3, rowvar=False), MATRIX),
}

METHODS = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation",
           "interpolated_inverted_cdf", "hazen", "weibull", "linear", "median_unbiased",
           "normal_unbiased", "lower", "higher", "midpoint", "nearest"]


def test_nanprod_against_differences():
    checks.check(lambda a: np.nanprod(holes(m(a)), axis=1), MATRIX)
    checks.check(lambda a: np.nanprod(holes(a), keepdims=True), VECTOR)


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_differences(name):
    f, x = CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)       # nan functions of slices with NaN
        checks.check(f, x)


@pytest.mark.parametrize("method", METHODS)
def test_every_quantile_method(method):
    # q values on and between the ranks of 7 and 8 elements, and the ends
    q = np.array([0.0, 0.05, 1 / 7, 0.25, 0.5, 4 / 7, 0.75, 0.999, 1.0])
    for x in (VECTOR[:7], VECTOR[:8]):
        checks.check(lambda a: np.quantile(a, q, method=method), x)
        checks.check(lambda a: np.nanquantile(holes(a), q, method=method), x)
        checks.check(lambda a: np.percentile(a.reshape(-1, 1) * a[:2], 100 * q, axis=0,
                                             method=method), x)


@pytest.mark.parametrize("method", METHODS)
def test_quantile_values_are_numpys(method):
    q = np.linspace(0.0, 1.0, 23)
    for x in (VECTOR, MATRIX.reshape(3, 4)):
        d = dn.DualArray(x, np.ones(x.shape + (1,)))
        np.testing.assert_array_equal(np.quantile(d, q, axis=0, method=method).value,
                                      np.quantile(x, q, axis=0, method=method))
        np.testing.assert_array_equal(np.percentile(d, 100 * q, method=method).value,
                                      np.percentile(x, 100 * q, method=method))


def test_std_at_zero_spread_has_derivative_zero():
    # all equal: std(x + t v) = |t| std(v), whose slopes ±std(v) have midpoint 0
    x = np.full(5, 1.5)
    for f in (np.std, lambda a: np.std(a.reshape(5, 1) * np.ones(3), axis=0),
              lambda a: np.nanstd(np.where(np.arange(5) == 2, np.nan, a))):
        assert np.all(np.asarray(dn.jacobian(lambda a: np.ravel(f(a)) * np.ones(1), x)) == 0.0)
        assert np.all(dn.hessian(lambda a: np.sum(f(a)), x) == 0.0)


def test_median_between_equal_elements_averages_their_derivatives():
    # [3, 1, 2, 2]: the middle pair is the two 2s, ranked in array order
    x = np.array([3.0, 1.0, 2.0, 2.0])
    assert np.array_equal(dn.gradient(np.median, x), [0.0, 0.0, 0.5, 0.5])
    # a tie at one rank: the stable sort gives the rank to the first of them
    assert np.array_equal(dn.gradient(lambda a: np.quantile(a, 0.0), np.array([1.0, 1.0, 2.0])),
                          [1.0, 0.0, 0.0])


def test_ties_give_the_same_derivatives_at_both_orders():
    # median between equal elements, quantile at a tied rank, ptp at tied extremes
    for f, x, want in (
            (np.median, [3.0, 1.0, 2.0, 2.0], [0.0, 0.0, 0.5, 0.5]),
            (lambda a: np.quantile(a, 0.0), [1.0, 1.0, 2.0], [1.0, 0.0, 0.0]),
            (np.ptp, [1.0, 3.0, 3.0, 0.0, 0.0], [0.0, 1.0, 0.0, -1.0, 0.0])):
        x = np.array(x)
        assert np.array_equal(dn.gradient(f, x), want)
        assert np.array_equal(dn.value_gradient_and_hessian(f, x)[1], want)
        assert np.array_equal(dn.value_gradient_and_hvp(f, x, np.ones_like(x))[1], want)


def test_slices_with_nan():
    x = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]])
    d = dn.DualArray(x, np.ones(x.shape + (1,)))
    for f in (lambda a: np.median(a, axis=1), lambda a: np.quantile(a, 0.3, axis=1)):
        got = f(d)
        np.testing.assert_array_equal(got.value, f(x))
        # a line holding a NaN gives the NaN element, with its derivative
        assert np.array_equal(got.tangent[:, 0], [1.0, 1.0])
    with pytest.warns(RuntimeWarning, match="All-NaN"):
        got = np.nanmax(dn.DualArray(x[:, 1:2], np.ones((2, 1, 1))), axis=1)
    np.testing.assert_array_equal(got.value, [np.nan, 5.0])


def test_values_of_nan_reductions_are_numpys():
    x = holes(MATRIX.reshape(3, 4))
    d = dn.DualArray(x, np.ones(x.shape + (2,)))
    for f in (np.nansum, np.nanmean, np.nanvar, np.nanstd, np.nanmax, np.nanmin, np.nanmedian,
              np.nanprod):
        for axis in (None, 0, 1):
            np.testing.assert_allclose(np.asarray(f(d, axis=axis).value), f(x, axis=axis),
                                       rtol=1e-14)


@pytest.mark.parametrize("call, option", [
    (lambda a: np.var(a, out=np.empty(())), "out"),
    (lambda a: np.std(a, dtype=np.float32), "dtype"),
    (lambda a: np.var(a, where=a), "where"),
    (lambda a: np.nanmax(a, where=np.array([True, False, True])), "where"),
    (lambda a: np.nansum(a, initial=1.0), "initial"),
    (lambda a: np.median(a, out=np.empty(())), "out"),
    (lambda a: np.quantile(a, 0.5, weights=np.ones(3), method="inverted_cdf"), "weights"),
    (lambda a: np.quantile(a, a[0]), "q"),
    (lambda a: np.nanpercentile(a, 50, interpolation="linear"), "interpolation"),
    (lambda a: np.percentile(a, a), "q"),
    (lambda a: np.cov(a, aweights=a), "aweights"),
    (lambda a: np.cov(a, dtype=np.float32), "dtype"),
    (lambda a: np.cumprod(a, dtype=np.float32), "dtype"),
])
def test_refused_options_are_named(call, option):
    checks.assert_refused(call, option)


def test_numpy_errors_stay_numpys():
    d = dn.DualArray([1.0, 2.0, 4.0], np.eye(3))
    with pytest.raises(ValueError, match="Quantiles"):
        np.quantile(d, 1.5)
    with pytest.raises(ValueError, match="Percentiles"):
        np.percentile(d, -1)
    with pytest.raises(ValueError, match="not a valid method"):
        np.quantile(d, 0.5, method="cubic")
    with pytest.raises(ZeroDivisionError):
        np.average(d, weights=[1.0, -1.0, 0.0])
    with pytest.raises(TypeError, match="Axis must be specified"):
        np.average(d.reshape(1, 3), weights=[1.0, 1.0, 1.0])


def test_one_element_broadcast_against_a_plain_array_at_second_order():
    # dualnum/_hessian_array.pyx: a one-element dual array (shape (1,) or (1, 1))
    # meeting a larger plain array repeats its row in every element (it read
    # past the row before); average(..., returned=True) broadcasts its scale so
    def f(a):
        return np.sum((a[1:2] ** 2).reshape(1, 1) + np.zeros((3, 1))) + np.sum(a[2:3] ** 3 * np.arange(4.0))
    x = np.array([1.0, 2.0, 3.0])
    value, gradient, hessian = dn.value_gradient_and_hessian(f, x)
    np.testing.assert_allclose(gradient, [0.0, 3 * 2 * 2.0, 6 * 3 * 9.0], rtol=1e-15)
    np.testing.assert_allclose(hessian, np.diag([0.0, 3 * 2.0, 6 * 6 * 3.0]), rtol=1e-15)
