"""numpy's sinc, sign, round/around and rint on scalar dual numbers (Dual, Jet,
Dual2, Nested) with the dual arrays' conventions: sinc exact at 0 (its series
where |pi x| < 1), sign and the roundings with derivative 0."""
import math

import mpmath as mp
import numpy as np
import pytest

import dualnum as dn


def sinc_derivative(x, n):
    """The n-th derivative of sin(pi x)/(pi x) in mpmath (its limit at 0)."""
    with mp.workdps(40):
        f = lambda t: mp.sinc(mp.pi * t)                          # noqa: E731
        return float(mp.diff(f, mp.mpf(x), n))


@pytest.mark.parametrize("x", [0.0, 1e-9, 0.2, -0.31, 0.5, 2.75])
def test_sinc_on_numbers(x):
    assert dn.Dual(x, 1.0).value == x
    value = float(np.sinc(x))
    d = np.sinc(dn.Dual(x, 1.0))
    assert math.isclose(d.value, value, rel_tol=1e-15)
    for n in range(1, 5):
        assert math.isclose(dn.derivative(np.sinc, x, n), sinc_derivative(x, n),
                            rel_tol=1e-9, abs_tol=1e-12), (x, n)
    second = sinc_derivative(x, 2)
    d2 = np.sinc(dn.Dual2(x, [1.0]))
    assert math.isclose(d2.hessian[0, 0], second, rel_tol=1e-9, abs_tol=1e-12)
    nested = dn.derivative(lambda t: dn.derivative(np.sinc, t), x)
    assert math.isclose(nested, second, rel_tol=1e-9, abs_tol=1e-12)
    # the same as on a dual array
    array = dn.derivative(np.sinc, np.array([x]))
    assert math.isclose(float(np.asarray(array).ravel()[0]), d.partials[0], rel_tol=1e-14,
                        abs_tol=1e-15)


def test_sinc_exact_at_zero():
    jet = np.sinc(dn.Jet([0.0, 1.0, 0.0, 0.0, 0.0]))
    assert jet.derivatives[0] == 1.0 and jet.derivatives[1] == 0.0
    assert math.isclose(jet.derivatives[2], -math.pi ** 2 / 3, rel_tol=1e-15)
    assert math.isclose(jet.derivatives[4], math.pi ** 4 / 5, rel_tol=1e-15)


@pytest.mark.parametrize("make", [lambda x: dn.Dual(x, 1.0), lambda x: dn.Jet([x, 1.0, 0.0]),
                                  lambda x: dn.Dual2(x, [1.0])], ids=["Dual", "Jet", "Dual2"])
@pytest.mark.parametrize("x", [-2.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.7, float("nan")])
def test_sign_round_rint_have_derivative_zero(make, x):
    for func, want in ((np.sign, np.sign(x)), (np.rint, np.rint(x)), (np.round, np.round(x)),
                       (np.around, np.around(x))):
        result = func(make(x))
        got = result.value
        assert got == want or (math.isnan(got) and math.isnan(want)), (func, x)
        first = dn.derivative(func, x) if not math.isnan(x) else 0.0
        assert first == 0.0
    rounded = np.round(make(1.23456), 2)
    assert rounded.value == np.round(1.23456, 2)


def test_on_nested_numbers():
    for func in (np.sign, np.rint, np.round, np.around):
        assert dn.derivative(lambda t: dn.derivative(lambda s: func(s * t) * s, 0.7), 1.3) == 0.0
    # d/dt of d/ds sinc(s t) at s = 0.3: sinc'(st) + st sinc''(st)
    s, t = 0.3, 1.2
    want = sinc_derivative(s * t, 1) + s * t * sinc_derivative(s * t, 2)
    got = dn.derivative(lambda u: dn.derivative(lambda v: np.sinc(v * u), s), t)
    assert math.isclose(got, want, rel_tol=1e-9)
