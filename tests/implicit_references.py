"""References for the implicit-differentiation tests (tests/test_scipy_implicit*.py),
none computed by the lift: central differences, and a cubic's root by numpy's
polynomial roots with its derivatives by mpmath's own root finder."""
import mpmath
import numpy as np


def central(f, x, h=1e-6):
    """Central differences of f (array-valued) in each entry of the 1-D point x, on the last axis."""
    x = np.asarray(x, dtype=np.float64)
    return np.stack([(np.asarray(f(x + h * e)) - np.asarray(f(x - h * e))) / (2 * h)
                     for e in np.eye(x.size)], axis=-1)


def cubic_root(p, q=1.0):
    """The real root of x**3 + p x - q (p > 0), by numpy's polynomial roots."""
    roots = np.roots([1.0, 0.0, p, -q])
    return float(roots[np.argmin(abs(roots.imag))].real)


def mp_cubic_derivative(n, p=1.0, q=1.0, dp=None):
    """The n-th derivative of the cubic's root in p, or with dp=(i, j) the mixed
    derivative of orders i in p and j in q, by mpmath at 40 digits."""
    with mpmath.workdps(40):
        x0 = cubic_root(p, q)

        def x_of(pp, qq=q):
            return mpmath.findroot(lambda x: x ** 3 + pp * x - qq, x0)

        if dp is None:
            return float(mpmath.diff(x_of, p, n))
        return float(mpmath.diff(x_of, (p, q), dp))
