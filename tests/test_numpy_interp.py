"""numpy.interp with x, fp or both dual, at both orders, against central differences."""
import numpy as np
import pytest

import dualnum as dn

KNOTS = np.array([-1.0, 0.0, 0.5, 2.0])
POINTS = np.array([-1.5, -0.4, 0.2, 0.9, 1.7, 2.5])      # below, inside each segment, beyond
TABLE = np.array([0.3, -0.8, 1.2, 0.7])


def central(f, x, h=1e-6):
    x = np.asarray(x, dtype=np.float64)
    columns = [(np.asarray(f(x + h * e)) - np.asarray(f(x - h * e))) / (2 * h) for e in np.eye(x.size)]
    return np.stack(columns, axis=-1)


CASES = {
    "x": lambda v: np.interp(v[:6], KNOTS, TABLE),
    "fp": lambda v: np.interp(POINTS, KNOTS, v[6:]),
    "both": lambda v: np.interp(v[:6], KNOTS, v[6:]),
    "left-right": lambda v: np.interp(v[:6], KNOTS, v[6:], left=-3.0, right=5.0),
    "single knot": lambda v: np.interp(v[:6], [0.5], v[6:7]),
}
V0 = np.concatenate([POINTS, TABLE])


@pytest.mark.parametrize("name", CASES)
def test_jacobian(name):
    f = CASES[name]
    np.testing.assert_allclose(dn.jacobian(f, V0), central(f, V0), rtol=1e-7, atol=1e-8)
    np.testing.assert_array_equal(dn.value_and_jacobian(f, V0)[0], f(V0))   # numpy's values
    sparse = dn.jacobian(f, V0, sparsity="auto")
    np.testing.assert_allclose(sparse, central(f, V0), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("name", CASES)
def test_hessian(name):
    def g(v):
        return np.sum(CASES[name](v) ** 2 * np.arange(1.0, 7.0))
    expected = central(lambda v: dn.gradient(g, v), V0, h=1e-5)
    np.testing.assert_allclose(dn.hessian(g, V0), expected, rtol=1e-6, atol=1e-6)


def test_the_cross_derivative_of_x_and_fp():
    # in segment [0, 0.5): interp = fp1 + (fp2 - fp1) (x - 0)/0.5, so d2/dx dfp2 = 2 and d2/dx dfp1 = -2
    def f(v):
        return np.interp(v[0], KNOTS, v[1:])
    h = dn.hessian(f, np.array([0.2, *TABLE]))
    np.testing.assert_allclose(h[0, 1:], [0.0, -2.0, 2.0, 0.0], rtol=0, atol=1e-14)


def test_nan_x_and_the_knot_itself():
    x = dn.DualArray([np.nan, 2.0, 0.5], np.eye(3))
    result = np.interp(x, KNOTS, TABLE, right=9.0)
    np.testing.assert_array_equal(result.value, np.interp(x.value, KNOTS, TABLE, right=9.0))
    # nan: derivative 0; at xp[-1] numpy gives fp[-1] (not right), constant in x; 0.5: right segment
    np.testing.assert_array_equal(result.tangent, np.diag([0.0, 0.0, (0.7 - 1.2) / 1.5]))


def test_refused_arguments_are_named():
    x = dn.DualArray([0.1], [[1.0]])
    for keyword in ("left", "right"):
        with pytest.raises(TypeError, match=f"'{keyword}'"):
            np.interp(x, KNOTS, TABLE, **{keyword: x[0]})
    with pytest.raises(TypeError, match="'xp'"):
        np.interp(x, dn.DualArray(KNOTS, np.ones((4, 1))), TABLE)
    with pytest.raises(TypeError, match="period"):
        np.interp(x, KNOTS, TABLE, period=2.0)
