"""Tangent lines and Taylor polynomials of rising order.

``dn.value_and_derivative`` gives a tangent line; ``dn.derivatives`` gives every
derivative up to order n from one evaluation on a truncated Taylor series
(``dn.Jet``), which is all a Taylor polynomial needs. The function,
f(x) = e^(-x/3) sin x, is the imaginary part of e^(cx) with c = -1/3 + i, so
its k-th derivative, the imaginary part of c^k e^(cx), checks dualnum's.
"""
import math

import matplotlib.pyplot as plt
import numpy as np

import dualnum as dn

C = complex(-1.0 / 3.0, 1.0)


def f(x):
    return dn.exp(-x / 3.0) * dn.sin(x)


def derivative_by_hand(x, k):
    """The k-th derivative of f: Im(c^k e^(cx))."""
    return (C ** k * np.exp(C * x)).imag


if __name__ == "__main__":
    x = np.linspace(-1.0, 7.0, 401)
    fig, (tangents, taylor) = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True,
                                           layout="constrained")
    tangents.plot(x, f(x), color="black", lw=2, label=r"$f(x) = e^{-x/3} \sin x$")
    for a in (0.5, 2.0, 3.5, 5.0):
        value, slope = dn.value_and_derivative(f, a)
        assert math.isclose(slope, derivative_by_hand(a, 1), rel_tol=1e-14)
        near = np.linspace(a - 1.0, a + 1.0, 3)
        tangents.plot(near, value + slope * (near - a), lw=1.2)
        tangents.plot(a, value, "o", color="black", ms=4)
    tangents.set(xlabel="$x$", ylim=(-1.0, 1.2),
                 title="tangent lines $f(a) + f'(a)(x - a)$")
    tangents.legend(loc="upper right")

    a, order = 2.0, 9
    series = dn.derivatives(f, a, order)  # f(a), f'(a), ..., f⁽⁹⁾(a): one pass
    by_hand = [derivative_by_hand(a, k) for k in range(order + 1)]
    assert np.allclose(series, by_hand, rtol=1e-13, atol=1e-14)
    print(f"f and its derivatives at {a}, orders 0 to {order}:")
    print(np.array2string(np.asarray(series), precision=4))
    taylor.plot(x, f(x), color="black", lw=2, label="$f$")
    for n in (1, 3, 5, 9):
        terms = [series[k] / math.factorial(k) * (x - a) ** k for k in range(n + 1)]
        polynomial = sum(terms)
        taylor.plot(x, polynomial, lw=1.2, label=f"order {n}")
    taylor.plot(a, series[0], "o", color="black", ms=4)
    taylor.set(xlabel="$x$",
               title=f"Taylor polynomials at $a = {a}$ from dn.derivatives")
    taylor.legend(loc="upper right")
