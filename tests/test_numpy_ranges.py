"""linspace, logspace, cumulative_sum/prod, angle and real_if_close of dual
numbers, at both orders, against central differences of numpy on floats."""
import numpy as np
import pytest

import dualnum as dn

X0 = np.array([0.3, 1.7, -0.4, 0.9])
WEIGHTS = np.arange(1.0, 41.0)


def central(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)])


def weighted(y):
    y = np.ravel(y)
    return np.sum(y * y * WEIGHTS[:y.size])


CASES = {
    "linspace of Duals": lambda v: weighted(np.linspace(v[0], v[1], 5)),
    "linspace of arrays, axis": lambda v: weighted(np.linspace(v[:2], v[2:] * 3.0, 4, axis=1)),
    "linspace without endpoint": lambda v: weighted(np.linspace(v[:2], 2.0, 3, endpoint=False)),
    "linspace retstep": lambda v: np.linspace(v[0], v[3], 7, retstep=True)[1] ** 3,
    "linspace of one sample": lambda v: weighted(np.linspace(v[1], v[2], 1)),
    "logspace": lambda v: weighted(np.logspace(v[0], v[1], 4, base=2.0)),
    "cumulative_sum": lambda v: weighted(np.cumulative_sum(v, include_initial=True)),
    "cumulative_prod": lambda v: weighted(np.cumulative_prod(v.reshape(2, 2), axis=0, include_initial=True)),
    "angle": lambda v: np.sum(np.angle(v) * v),
    "real_if_close": lambda v: weighted(np.real_if_close(v ** 2)),
}


@pytest.mark.parametrize("name", CASES)
def test_gradient_and_hessian(name):
    f = CASES[name]
    np.testing.assert_allclose(dn.gradient(f, X0), central(f, X0), rtol=1e-6, atol=1e-7)
    expected = central(lambda x: dn.gradient(f, x), X0, h=1e-5)
    np.testing.assert_allclose(dn.hessian(f, X0), expected, rtol=1e-5, atol=1e-6)


def test_linspace_values_are_numpys():
    start = dn.DualArray([0.3, -1.1], np.eye(2))
    for endpoint in (True, False):
        got = np.linspace(start, 1.7, 6, endpoint=endpoint, axis=-1)
        np.testing.assert_array_equal(got.value, np.linspace(start.value, 1.7, 6, endpoint=endpoint, axis=-1))
    # d/dstart of start + i (stop - start)/(n - 1) is 1 - i/(n - 1); stop itself last
    np.testing.assert_allclose(np.linspace(start, 1.7, 6, axis=-1).tangent[0, :, 0],
                               1 - np.arange(6) / 5, rtol=0, atol=1e-15)


def test_refused_options_are_named():
    x = dn.DualArray([0.3], [[1.0]])
    with pytest.raises(TypeError, match="dtype"):
        np.linspace(x, 1.0, 3, dtype=np.float32)
    with pytest.raises(TypeError, match="out"):
        np.cumulative_sum(x, out=np.zeros(1))
