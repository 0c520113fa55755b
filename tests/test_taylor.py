"""Higher derivatives in Taylor mode: dualnum.Jet, derivative(f, x, n) and derivatives.

References are Taylor coefficients computed by mpmath at 50 digits
(mpmath.taylor), independent of the recurrences in dualnum/_jets.pxd.
"""
import copy
import math
import pickle
from fractions import Fraction

import mpmath
import numpy as np
import pytest

import dualnum as dn
from dualnum import Jet

mpmath.mp.dps = 50
ORDER = 20


def mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def mp_lgamma(x):
    return mpmath.log(abs(mpmath.gamma(x)))


# dualnum function, mpmath reference, points (ordinary and near edges)
UNARY = [
    ("sin", dn.sin, mpmath.sin, [0.0, 0.7, -2.5, 40.0]),
    ("cos", dn.cos, mpmath.cos, [0.0, 0.7, -2.5, 40.0]),
    ("tan", dn.tan, mpmath.tan, [0.0, 0.7, -1.2]),
    ("asin", dn.asin, mpmath.asin, [0.0, 0.3, -0.9]),
    ("acos", dn.acos, mpmath.acos, [0.0, 0.3, -0.9]),
    ("atan", dn.atan, mpmath.atan, [0.0, 0.5, -3.0, 50.0]),
    ("sinh", dn.sinh, mpmath.sinh, [0.0, 0.5, -3.0]),
    ("cosh", dn.cosh, mpmath.cosh, [0.0, 0.5, -3.0]),
    ("tanh", dn.tanh, mpmath.tanh, [0.0, 0.5, -3.0, 12.0]),
    ("asinh", dn.asinh, mpmath.asinh, [0.0, 0.5, -3.0]),
    ("acosh", dn.acosh, mpmath.acosh, [1.5, 3.0, 100.0]),
    ("atanh", dn.atanh, mpmath.atanh, [0.0, 0.5, -0.9]),
    ("exp", dn.exp, mpmath.exp, [0.0, 1.0, -5.0, 30.0]),
    ("exp2", dn.exp2, lambda x: mpmath.power(2, x), [0.0, 1.5, -4.0]),
    ("expm1", dn.expm1, mpmath.expm1, [0.0, 1e-8, -3.0]),
    ("log", dn.log, mpmath.log, [0.5, 1.0, 7.0, 1e5]),
    ("log2", dn.log2, lambda x: mpmath.log(x, 2), [0.5, 3.0]),
    ("log10", dn.log10, mpmath.log10, [0.5, 3.0]),
    ("log1p", dn.log1p, mpmath.log1p, [0.0, 1e-8, -0.5, 4.0]),
    ("sqrt", dn.sqrt, mpmath.sqrt, [0.25, 2.0, 1e4]),
    ("cbrt", dn.cbrt, lambda x: mpmath.sign(x) * mpmath.cbrt(abs(x)), [0.5, 8.0, -2.0]),
    ("erf", dn.erf, mpmath.erf, [0.0, 0.5, -2.0, 4.0]),
    ("erfc", dn.erfc, mpmath.erfc, [0.0, 0.5, -2.0, 4.0]),
    ("gamma", dn.gamma, mpmath.gamma, [0.5, 2.5, 7.0, -1.5, -3.3]),
    ("lgamma", dn.lgamma, mp_lgamma, [0.5, 2.5, 30.0, -1.5, -3.3]),
    ("sigmoid", dn.sigmoid, mp_sigmoid, [0.0, 1.5, -4.0, 30.0]),
    ("softplus", dn.softplus, lambda x: mpmath.log(1 + mpmath.exp(x)), [0.0, 1.5, -4.0, 30.0]),
    ("degrees", dn.degrees, lambda x: x * 180 / mpmath.pi, [0.3]),
    ("radians", dn.radians, lambda x: x * mpmath.pi / 180, [30.0]),
]

# composites that exercise every binary kernel with two non-constant series
COMPOSITE = [
    ("pow jet**jet", lambda t: (t + 2.0) ** (dn.sin(t) + 1.5),
     lambda t: (t + 2) ** (mpmath.sin(t) + mpmath.mpf(1.5)), [0.3, -1.2]),
    ("pow jet**int", lambda t: (t - 0.5) ** 7, lambda t: (t - mpmath.mpf(0.5)) ** 7, [0.3, 2.0]),
    ("pow jet**-int", lambda t: (t + 3.0) ** -3, lambda t: (t + 3) ** -3, [0.3, -1.0]),
    ("pow small base", lambda t: dn.cos(t) ** 3, lambda t: mpmath.cos(t) ** 3, [1.5]),
    ("pow jet**real", lambda t: (t + 3.0) ** 2.7, lambda t: (t + 3) ** mpmath.mpf(2.7), [0.3, -1.0]),
    ("pow real**jet", lambda t: 1.7 ** (t * t), lambda t: mpmath.mpf(1.7) ** (t * t), [0.3, -1.0]),
    ("atan2", lambda t: dn.atan2(dn.sin(t) + 2.0, t * t - 1.0),
     lambda t: mpmath.atan2(mpmath.sin(t) + 2, t * t - 1), [0.3, -2.0, 1e-3]),
    # (operands scaled near the overflow limit; hypot rescales them)
    ("hypot", lambda t: dn.hypot(dn.sin(t) * 1e200 + 2e200, 3e200 * t),
     lambda t: mpmath.sqrt((mpmath.sin(t) * 1e200 + 2e200) ** 2 + (3e200 * t) ** 2),
     [0.3, -2.0]),
    ("logaddexp", lambda t: dn.logaddexp(t * t, 3.0 * t),
     lambda t: mpmath.log(mpmath.exp(t * t) + mpmath.exp(3 * t)), [0.3, -2.0, 40.0]),
    ("division", lambda t: dn.sin(t) / (t * t + 1.0), lambda t: mpmath.sin(t) / (t * t + 1),
     [0.3, -2.0]),
    ("Fike-Alonso", lambda t: dn.exp(t) / dn.sqrt(dn.sin(t) ** 3 + dn.cos(t) ** 3),
     lambda t: mpmath.exp(t) / mpmath.sqrt(mpmath.sin(t) ** 3 + mpmath.cos(t) ** 3),
     [1.5, 0.2]),
    ("log base", lambda t: dn.log(t * t + 1.0, 3.0), lambda t: mpmath.log(t * t + 1, 3), [0.3]),
    ("rational", lambda t: (1 - t) / (2 + t) - 3 / t, lambda t: (1 - t) / (2 + t) - 3 / t,
     [0.7, -4.0]),
]


def reference_derivatives(mp_f, x, order=ORDER):
    coefficients = mpmath.taylor(mp_f, mpmath.mpf(x), order)
    return [float(c * mpmath.factorial(k)) for k, c in enumerate(coefficients)]


def assert_derivatives_close(got, want, rtol=1e-12):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    # compare each Taylor coefficient against the size of the coefficients
    # up to that order (a coefficient that is 0 by symmetry has no scale of its own)
    factorials = np.array([math.factorial(k) for k in range(len(want))], dtype=float)
    c_got, c_want = got / factorials, want / factorials
    scale = np.maximum.accumulate(np.abs(c_want))
    np.testing.assert_array_less(np.abs(c_got - c_want), rtol * scale + 1e-300)


@pytest.mark.parametrize("name, f, mp_f, points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_derivatives_to_order_20(name, f, mp_f, points):
    for x in points:
        want = reference_derivatives(mp_f, x)
        assert_derivatives_close(dn.derivatives(f, x, ORDER), want,
                                 rtol=5e-11 if name in ("gamma", "lgamma") else 1e-12)


@pytest.mark.parametrize("name, f, mp_f, points", COMPOSITE, ids=[c[0] for c in COMPOSITE])
def test_binary_kernels_through_composites(name, f, mp_f, points):
    for x in points:
        assert_derivatives_close(dn.derivatives(f, x, ORDER), reference_derivatives(mp_f, x),
                                 rtol=1e-11)


def test_fike_alonso_published_values():
    g = lambda x: dn.exp(x) / dn.sqrt(dn.sin(x) ** 3 + dn.cos(x) ** 3)
    published = [4.0534278938986207, 9.4630736815966034, 32.167904513688941]
    for n, value in enumerate(published, start=1):
        assert dn.derivative(g, 1.5, n=n) == pytest.approx(value, rel=1e-14)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7])
def test_derivative_of_every_order_agrees_with_derivatives(n):
    f = lambda x: dn.sin(x) * dn.exp(-x * x) + x ** 4
    all_orders = dn.derivatives(f, 0.8, 7)
    got = dn.derivative(f, 0.8, n=n)
    assert type(got) is float
    assert got == pytest.approx(all_orders[n], rel=1e-14, abs=1e-14)
    if n == 1:
        # the first-order dual path and the Taylor path agree
        assert dn.derivative(f, 0.8) == pytest.approx(all_orders[1], rel=1e-15)


def test_polynomials_are_exact_also_at_zero():
    assert dn.derivatives(lambda x: x ** 5, 0.0, 7).tolist() == [0, 0, 0, 0, 0, 120, 0, 0]
    assert dn.derivatives(lambda x: 3 * x ** 2 - x + 1, 2.0, 4).tolist() == [11, 11, 6, 0, 0]
    assert dn.derivatives(lambda x: x ** 0, 0.0, 3).tolist() == [1, 0, 0, 0]


def test_high_orders_keep_their_scale():
    # 1/k! leaves the floats past k ~ 170: the seed's step keeps it in range
    assert dn.derivative(dn.exp, 0.0, n=200) == pytest.approx(1.0, rel=1e-12)
    assert dn.derivative(dn.sin, 0.0, n=201) == pytest.approx(1.0, rel=1e-12)
    assert dn.derivative(dn.exp, 2.0, n=160) == pytest.approx(math.exp(2.0), rel=1e-12)
    assert dn.derivative(lambda x: 1 / (1 - x), 0.0, n=100) == pytest.approx(
        float(math.factorial(100)), rel=1e-12)


# ----------------------------------------------------------- singular points

def test_conventions_at_singular_points():
    # the first derivative follows the first-order rules; higher ones are not finite
    # (sqrt: the one-sided limits at 0+)
    assert dn.derivatives(dn.sqrt, 0.0, 3).tolist() == [0.0, math.inf, -math.inf, math.inf]
    d = dn.derivatives(lambda x: x ** 2.5, 0.0, 4)
    assert d[:3].tolist() == [0.0, 0.0, 0.0] and np.isnan(d[3:]).all()
    d = dn.derivatives(lambda x: dn.atan2(x, 0.0 * x), 0.0, 2)
    assert np.isnan(d[1:]).all()
    # kinks: abs'(0) = 1, relu'(0) = 0, and the higher derivatives of a linear piece are 0
    assert dn.derivatives(abs, 0.0, 3).tolist() == [0.0, 1.0, 0.0, 0.0]
    assert dn.derivatives(dn.relu, 0.0, 2).tolist() == [0.0, 0.0, 0.0]
    assert dn.derivatives(lambda x: dn.maximum(x, 2.0 - x), 1.0, 2).tolist() == [1.0, 0.0, 0.0]
    assert dn.derivatives(lambda x: dn.maximum(x * x, 0.0), 3.0, 3).tolist() == [9, 6, 2, 0]


@pytest.mark.parametrize("f, x", [
    (lambda x: dn.floor(x * 3.0), 0.4), (lambda x: dn.ceil(x), 0.4), (lambda x: dn.trunc(x), -0.4),
    (lambda x: x // 0.3, 1.0), (lambda x: round(x), 1.2)])
def test_step_functions_have_zero_derivatives(f, x):
    d = dn.derivatives(f, x, 3)
    assert d[1:].tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("f, ref", [
    (lambda x: dn.fmod(x * x, 1.5), lambda x: x * x), (lambda x: (x * x) % 1.5, lambda x: x * x),
    (lambda x: dn.copysign(x * x, -1.0), lambda x: -x * x),
    (lambda x: dn.minimum(x ** 3, 10.0), lambda x: x ** 3)])
def test_piecewise_functions_follow_the_active_piece(f, ref):
    np.testing.assert_allclose(dn.derivatives(f, 1.3, 4)[1:], dn.derivatives(ref, 1.3, 4)[1:],
                               rtol=1e-14)


# ----------------------------------------------------------- errors like math

@pytest.mark.parametrize("f", [
    lambda x: dn.log(x - 2.0), lambda x: dn.sqrt(x - 2.0), lambda x: dn.asin(x + 1.0),
    lambda x: (x - 2.0) ** 0.5, lambda x: dn.gamma(x - 1.0)])
def test_domain_errors_raise_like_math(f):
    with pytest.raises(ValueError):
        dn.derivative(f, 1.0, n=3)


def test_division_by_zero_raises():
    with pytest.raises(ZeroDivisionError):
        dn.derivative(lambda x: x / (x - 1.0), 1.0, n=2)
    with pytest.raises(ZeroDivisionError):
        dn.derivative(lambda x: 1.0 / (x * 0.0), 1.0, n=2)


def test_overflow_raises_like_math():
    with pytest.raises(OverflowError):
        dn.derivative(lambda x: dn.exp(x * 1000.0), 1.0, n=2)


def test_non_finite_points():
    # nan in, nan out (issue 12, item 19); sin(inf) raises like math.sin(inf)
    assert math.isnan(dn.derivative(dn.sin, math.nan, n=2))
    out = dn.derivatives(dn.sin, [0.0, math.nan], 2)
    np.testing.assert_array_equal(out[:, 0], [0.0, 1.0, 0.0])
    assert np.isnan(out[:, 1]).all()
    with pytest.raises(ValueError):
        dn.derivative(dn.sin, math.inf, n=2)


def test_negative_order_and_bad_results():
    with pytest.raises(ValueError):
        dn.derivatives(dn.sin, 1.0, -1)
    with pytest.raises(TypeError, match="returned a str"):
        dn.derivative(lambda x: "x", 1.0, n=2)
    with pytest.raises(TypeError, match="ragged"):
        dn.derivative(lambda x: [x, [x, x]], 1.0, n=2)


def test_no_silent_float_conversion():
    j = Jet([1.0, 2.0, 3.0])
    for convert in (float, int, complex, math.sin):
        with pytest.raises(TypeError, match="dualnum"):
            convert(j)


# ----------------------------------------------------------- nesting is refused, never wrong

def test_mixing_jets_of_different_calls_by_hand_raises():
    # (the API nests such calls through first-order derivatives: test_nesting.py)
    outer = dn._seed.jet_seed(1.0, 2, 10**6)
    with pytest.raises(ValueError, match="not supported"):
        dn.sin(outer) + dn._seed.jet_seed(1.0, 2, 10**6 + 1)
    with pytest.raises(ValueError, match="not supported"):
        outer * dn.Dual(1.0, 1.0)
    with pytest.raises(ValueError, match="orders 2 and 3"):
        Jet([1.0, 1.0, 0.0]) * Jet([1.0, 1.0, 0.0, 0.0])
    with pytest.raises(TypeError, match="nested"):
        dn.derivative(dn.sin, Jet([1.0, 1.0]), n=2)


# ----------------------------------------------------------- arrays and result shapes

def test_elementwise_numpy_function_on_an_array():
    x = np.array([[0.1, 0.5], [-1.0, 2.0]])
    got = dn.derivatives(lambda v: np.sin(v) * np.exp(v) + v ** 2, x, 5)
    assert got.shape == (6, 2, 2)
    for index in np.ndindex(x.shape):
        want = reference_derivatives(lambda t: mpmath.sin(t) * mpmath.exp(t) + t ** 2, x[index], 5)
        np.testing.assert_allclose(got[(slice(None),) + index], want, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(dn.derivative(lambda v: dn.exp(2.0 * v), [0.0, 1.0], n=3),
                               8 * np.exp([0.0, 2.0]), rtol=1e-14)


def test_vector_and_constant_results():
    got = dn.derivatives(lambda x: [x ** 3, 2.0, dn.exp(x)], 1.0, 3)
    np.testing.assert_allclose(got, [[1, 2, math.e], [3, 0, math.e], [6, 0, math.e],
                                     [6, 0, math.e]], rtol=1e-15)
    assert dn.derivative(lambda x: 5.0, 1.0, n=4) == 0.0
    assert dn.derivatives(lambda x: np.array([1.0, 2.0]), 1.0, 2).shape == (3, 2)


def test_numpy_ufuncs_and_object_arrays_of_jets():
    j = Jet([0.5, 1.0, 0.0, 0.0])
    assert np.sin(j).coefficients == dn.sin(j).coefficients
    assert (np.float64(2.0) * j).coefficients == (2.0 * j).coefficients
    arr = np.array([j, j * 2.0], dtype=object)
    total = np.sum(np.exp(arr))
    assert isinstance(total, Jet)
    with pytest.raises(TypeError, match="numpy.isnat"):
        np.isnat(j)


# ----------------------------------------------------------- the Jet type

def test_jet_type_basics():
    j = Jet([2.0, 1.0, 0.5])
    assert j.value == 2.0 and j.order == 2
    assert j.coefficients == (2.0, 1.0, 0.5) and j.derivatives == (2.0, 1.0, 1.0)
    assert repr(j) == "Jet([2.0, 1.0, 0.5])"
    assert eval(repr(j), {"Jet": Jet}).coefficients == j.coefficients
    assert j == 2.0 and j < 3 and hash(j) == hash(2.0) and bool(j)
    assert copy.copy(j) is j and copy.deepcopy(j) is j
    back = pickle.loads(pickle.dumps(dn.derivative(lambda x: x, 1.0) and dn.exp(j)))
    assert back.coefficients == dn.exp(j).coefficients
    with pytest.raises(TypeError, match="immutable"):
        j.__init__([1.0])
    with pytest.raises(ValueError, match="at least one"):
        Jet([])
    with pytest.raises(TypeError, match="position 1"):
        Jet([1.0, "a"])
    big = Jet(list(range(30)))
    assert big.coefficients == tuple(float(k) for k in range(30))


def test_pickled_jets_keep_their_tag():
    x = dn._seed.jet_seed(1.0, 2, 123456)
    y = pickle.loads(pickle.dumps(x))
    assert (x * y).coefficients == (1.0, 2.0, 1.0)          # same tag: combines


# ------------------------------------------- gamma and lgamma left of zero
# Reference: mpmath's polygamma at 50 digits; gamma's derivatives from
# Gamma' = Gamma psi (Leibniz: G_{k+1} = sum_i C(k, i) G_i psi^(k-i)).
# Points: half-integers (where zeta's sum cancelled exactly-equal terms of
# both signs), generic points, and points 1e-6 from a pole on either side.
NEGATIVE_POINTS = [-0.5, -1.5, -2.5, -3.5, -4.5, -10.5, -0.3, -3.7, -7.1,
                   -1.0 + 1e-6, -2.0 - 1e-6, -1e-6]
HIGH_ORDER = 25
GAMMA_RTOL = 1e-11          # relative, at every order 1..25


def _mp_gamma_derivatives(x, n):
    with mpmath.workdps(50):
        x = mpmath.mpf(x)
        psi = [mpmath.polygamma(m, x) for m in range(n)]
        g = [mpmath.gamma(x)]
        for k in range(n):
            g.append(mpmath.fsum(mpmath.binomial(k, i) * g[i] * psi[k - i] for i in range(k + 1)))
        return [float(v) for v in g], [float(v) for v in psi]


@pytest.mark.parametrize("x", NEGATIVE_POINTS)
def test_gamma_and_lgamma_at_negative_points_high_orders(x):
    gamma_want, psi = _mp_gamma_derivatives(x, HIGH_ORDER)
    lgamma_got = dn.derivatives(dn.lgamma, x, HIGH_ORDER)
    np.testing.assert_allclose(lgamma_got[1:], psi, rtol=GAMMA_RTOL, atol=0)
    gamma_got = dn.derivatives(dn.gamma, x, HIGH_ORDER)
    if x == -0.5:
        # the poles at 0 and -1 cancel exactly in gamma's odd derivatives at
        # -0.5 (order 25: 1e-11 of its neighbours), which Taylor arithmetic
        # gets to rounding at the scale of the series (the reflection through
        # sin(pi x) gives the same): odd Taylor coefficients to 1e-14 of their
        # neighbours, a known limit; even orders to GAMMA_RTOL
        np.testing.assert_allclose(gamma_got[2::2], gamma_want[2::2], rtol=GAMMA_RTOL, atol=0)
        c_got = [v / math.factorial(k) for k, v in enumerate(gamma_got)]
        c_want = [v / math.factorial(k) for k, v in enumerate(gamma_want)]
        for k in range(1, HIGH_ORDER + 1, 2):
            scale = max(abs(c_want[k - 1]), abs(c_want[k + 1]) if k < HIGH_ORDER else 0.0)
            assert abs(c_got[k] - c_want[k]) <= 1e-14 * scale
        return
    np.testing.assert_allclose(gamma_got[1:], gamma_want[1:], rtol=GAMMA_RTOL, atol=0)


def test_lgamma_issue_values():
    # the issue's numbers: order 15 at -2.5 was -616.565 (polygamma(14, -2.5) = -616.333),
    # order 25 was -1.49e15 against -1.56e10
    with mpmath.workdps(30):
        for k in (15, 25):
            assert dn.derivatives(dn.lgamma, -2.5, k)[k] == pytest.approx(
                float(mpmath.polygamma(k - 1, -2.5)), rel=GAMMA_RTOL)


# ------------------------------------------ overflow at high orders: +-inf
# The exact n-th derivative (Fraction arithmetic) overflows; the result must
# be the infinity of its sign, not nan (0 * inf in the series arithmetic).
def _exact_reciprocal_derivative(n, a, x):
    """d^n/dx^n 1 / (a - x) = n! / (a - x)**(n + 1), as a float (inf on overflow)."""
    exact = Fraction(math.factorial(n)) / (Fraction(a) - Fraction(x)) ** (n + 1)
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


@pytest.mark.parametrize("f, a, x, n", [
    (lambda x: 1 / (1 - x), 1.0, 0.5, 151),
    (lambda x: 1 / (2 - x), 2.0, 0.5, 200),
    (lambda x: -1 / (x - 1), 1.0, 0.5, 151),
    (lambda x: 1 / (1 - x), 1.0, 0.999, 120),          # n <= 150: h = 1
    (lambda x: 1 / (1 - x), 1.0, -0.5, 151),          # finite: 7.6e237
    (lambda x: 1 / (1 - x), 1.0, 1.5, 160),           # n! / (-0.5)**161: -inf
])
def test_overflowing_high_order_is_inf(f, a, x, n):
    want = _exact_reciprocal_derivative(n, a, x)
    got = dn.derivative(f, x, n=n)
    if math.isinf(want):
        assert got == want
    else:
        assert got == pytest.approx(want, rel=1e-12)
    assert dn.derivatives(f, x, n)[n] == got


def test_overflowing_log_and_exp_series_are_inf():
    # log(1 - x): -(n-1)! / (1 - x)**n, -inf at 0.5 for n = 160
    assert dn.derivative(lambda x: dn.log(1 - x), 0.5, n=160) == -math.inf
    # exp(x) / (1 - x): all derivatives positive, overflowing
    assert dn.derivative(lambda x: dn.exp(x) / (1 - x), 0.5, n=160) == math.inf
