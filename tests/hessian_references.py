"""References shared by the Hessian tests (loaded by path: with
--import-mode=importlib the tests directory is not importable).

BIVARIATE: name, dualnum form f(x, y), mpmath form, point.  Together they use
every elementary function and every binary one with two varying operands.
The extended Rosenbrock function and its Hessian derived by hand.
"""
import mpmath
import numpy as np

import dualnum as dn

mpmath.mp.dps = 40

BIVARIATE = [
    ("trig", lambda x, y: dn.sin(x * y) + dn.cos(x - y) * dn.tan(y / 3),
     lambda x, y: mpmath.sin(x * y) + mpmath.cos(x - y) * mpmath.tan(y / 3), (0.7, -0.4)),
    ("inverse trig", lambda x, y: dn.asin(x * y) + dn.acos(x / 2) * dn.atan(x + y),
     lambda x, y: mpmath.asin(x * y) + mpmath.acos(x / 2) * mpmath.atan(x + y), (0.6, 0.5)),
    ("hyperbolic", lambda x, y: dn.sinh(x) * dn.cosh(y) + dn.tanh(x * y),
     lambda x, y: mpmath.sinh(x) * mpmath.cosh(y) + mpmath.tanh(x * y), (0.3, -1.1)),
    ("inverse hyperbolic", lambda x, y: dn.asinh(x * y) + dn.acosh(2 + x * x) * dn.atanh(y / 2),
     lambda x, y: mpmath.asinh(x * y) + mpmath.acosh(2 + x * x) * mpmath.atanh(y / 2),
     (0.4, 0.9)),
    ("exp and logs", lambda x, y: dn.exp(x * y) + dn.exp2(x) * dn.expm1(y) + dn.log(x + y)
     + dn.log2(x) * dn.log10(y) + dn.log1p(x * y),
     lambda x, y: mpmath.exp(x * y) + mpmath.power(2, x) * mpmath.expm1(y) + mpmath.log(x + y)
     + mpmath.log(x, 2) * mpmath.log10(y) + mpmath.log1p(x * y), (1.3, 0.8)),
    ("roots", lambda x, y: dn.sqrt(x * y) + dn.cbrt(x - y) + (x * y) ** 2.5,
     lambda x, y: mpmath.sqrt(x * y) + mpmath.cbrt(x - y) + (x * y) ** mpmath.mpf(2.5),
     (2.0, 0.7)),
    ("special", lambda x, y: dn.erf(x * y) + dn.erfc(x - y) + dn.gamma(x + y) + dn.lgamma(x * y),
     lambda x, y: mpmath.erf(x * y) + mpmath.erfc(x - y) + mpmath.gamma(x + y)
     + mpmath.loggamma(x * y), (1.2, 1.7)),
    ("ml", lambda x, y: dn.sigmoid(x * y) + dn.softplus(x - y) * dn.logaddexp(x, y),
     lambda x, y: 1 / (1 + mpmath.exp(-x * y))
     + mpmath.log(1 + mpmath.exp(x - y)) * mpmath.log(mpmath.exp(x) + mpmath.exp(y)), (0.5, -0.3)),
    ("binary", lambda x, y: dn.atan2(y, x) * dn.hypot(x, y) + x ** y + dn.pow(y, 3.0) / x,
     lambda x, y: mpmath.atan2(y, x) * mpmath.hypot(x, y) + x ** y + y ** 3 / x, (1.4, 0.6)),
    ("piecewise", lambda x, y: dn.fmod(x * y, 1.0) + abs(x - 3 * y) + dn.maximum(x, y) ** 2
     + dn.copysign(x * x, -y) + dn.floor(x) * y,
     lambda x, y: mpmath.fmod(x * y, 1) + abs(x - 3 * y) + max(x, y) ** 2 - x * x
     + mpmath.floor(x) * y, (1.7, 0.9)),
    ("rational", lambda x, y: (x - y) / (x * x + 1) - 2 / y + 3 % (x + 5),
     lambda x, y: (x - y) / (x * x + 1) - 2 / y + 3, (0.4, 1.5)),
]


def mp_hessian(f, x, y):
    point = (mpmath.mpf(x), mpmath.mpf(y))
    h = [[float(mpmath.diff(f, point, (2, 0))), float(mpmath.diff(f, point, (1, 1)))],
         [0.0, float(mpmath.diff(f, point, (0, 2)))]]
    h[1][0] = h[0][1]
    grad = [float(mpmath.diff(f, point, (1, 0))), float(mpmath.diff(f, point, (0, 1)))]
    return float(f(*point)), np.array(grad), np.array(h)


def rosenbrock(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def rosenbrock_hessian(x):
    n = len(x)
    h = np.zeros((n, n))
    for i in range(n - 1):
        h[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        h[i + 1, i + 1] += 200
        h[i, i + 1] = h[i + 1, i] = -400 * x[i]
    return h
