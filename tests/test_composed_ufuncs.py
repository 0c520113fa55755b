"""modf, frexp, ldexp, divmod and numpy 2.2's vecdot/matvec/vecmat, the ufuncs
written with rows of the function table, at both orders, against central
differences and numpy's values."""
import numpy as np
import pytest

import dualnum as dn
from dualnum import _hessian_array

X0 = np.array([2.7, -1.3, 0.4, -0.05])

CASES = {
    "modf": lambda v: np.sum(np.modf(v)[0] ** 2 + np.modf(v)[1] * v),
    "frexp": lambda v: np.sum(np.frexp(v)[0] ** 3 * np.frexp(v)[1]),
    "ldexp": lambda v: np.sum(np.ldexp(v, [1, -2, 3, 0]) ** 2),
    "divmod": lambda v: np.sum(np.divmod(v, 0.7)[1] ** 2 + np.divmod(v, 0.7)[0] * v),
}
if hasattr(np, "matvec"):
    CASES.update({
        "vecdot": lambda v: np.sum(np.vecdot(np.outer(v, v[::-1]), v) ** 2),
        "matvec": lambda v: np.sum(np.matvec(np.outer(v, np.sin(v)), v) ** 2),
        "vecmat": lambda v: np.sum(np.vecmat(v, np.outer(np.cos(v), v)) ** 2),
    })


def central(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)])


@pytest.mark.parametrize("name", CASES)
def test_gradient_and_compiled_hessian(name):
    f = CASES[name]
    np.testing.assert_allclose(dn.gradient(f, X0), central(f, X0), rtol=1e-7, atol=1e-9)
    seen = []
    dn.hessian(lambda v: (seen.append(type(v)), f(v))[1], X0)
    assert seen == [_hessian_array.Dual2Array]                # no object-array fallback
    np.testing.assert_allclose(dn.hessian(f, X0), central(lambda x: dn.gradient(f, x), X0, h=1e-5),
                               rtol=1e-6, atol=1e-6)


def test_values_are_numpys_also_at_the_edges():
    x = dn.DualArray([np.inf, -np.inf, np.nan, 0.0, -0.0, 2.5, 5e-324], np.eye(7))
    for ufunc in (np.modf, np.frexp):
        for got, want in zip(ufunc(x), ufunc(x.value)):
            np.testing.assert_array_equal(getattr(got, "value", got), want)
    # the fraction of an infinity is a constant 0; elsewhere d frac/dx = 1
    np.testing.assert_array_equal(np.diag(np.modf(x)[0].tangent), [0, 0, 1, 1, 1, 1, 1])
    np.testing.assert_array_equal(np.ldexp(x, 3).value, np.ldexp(x.value, 3))


def test_a_dual_exponent_is_refused_by_name():
    x = dn.DualArray([1.0, 2.0], np.eye(2))
    with pytest.raises(TypeError, match="exponent"):
        np.ldexp(1.5, x)
