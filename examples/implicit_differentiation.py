"""Sensitivity of an equilibrium: differentiate through a root finder.

A predator-prey model (Rosenzweig-MacArthur, in scaled units) with prey x and
predators y,

    x' = x (1 - x) - x y / (b + x),      y' = y (x / (b + x) - d),

has a coexistence equilibrium that ``dualnum.scipy.root`` finds for each
predator death rate d. Passing d in ``args`` makes the root differentiable:
``dn.derivative`` of the equilibrium in d is its sensitivity, by the implicit
function theorem, without differentiating the solver. This model has the
closed form x* = b d / (1 - d), y* = (1 - x*)(b + x*), so the script checks
the sensitivities against it, and draws the equilibrium with the tangent
lines the derivatives give.
"""
import matplotlib.pyplot as plt
import numpy as np

import dualnum as dn
import dualnum.scipy

B = 0.4                       # the half-saturation constant b


def rates(state, b, d):
    """The model's right-hand side: zero at an equilibrium."""
    x, y = state[0], state[1]
    return [x * (1 - x) - x * y / (b + x), y * (x / (b + x) - d)]


def equilibrium(d, b=B):
    """The coexistence equilibrium (x*, y*), as dual numbers when d or b is one."""
    return dualnum.scipy.root(rates, [0.3, 0.5], args=(b, d), tol=1e-13).x


def closed_form(d, b=B):
    x = b * d / (1 - d)
    return np.array([x, (1 - x) * (b + x)])


def closed_form_slope(d, b=B):
    """d/dd of the closed form, by hand."""
    x, dx = b * d / (1 - d), b / (1 - d) ** 2
    return np.array([dx, dx * ((1 - x) - (b + x))])


if __name__ == "__main__":
    d0 = 0.3
    value, slope = dn.value_and_derivative(equilibrium, d0)
    print(f"equilibrium at d = {d0}: x* = {value[0]:.12f}, y* = {value[1]:.12f}")
    print(f"d/dd (x*, y*) by dualnum:     {slope}")
    print(f"d/dd (x*, y*) by closed form: {closed_form_slope(d0)}")
    assert np.allclose(value, closed_form(d0), rtol=1e-12, atol=0)
    assert np.allclose(slope, closed_form_slope(d0), rtol=1e-10, atol=0)

    # both parameters at once, and the second derivatives of the predators
    grad = dn.gradient(lambda v: equilibrium(v[1], v[0])[1], [B, d0])
    hess = dn.hessian(lambda v: equilibrium(v[1], v[0])[1], [B, d0])
    print(f"gradient of y* in (b, d): {grad}")
    print(f"hessian of y* in (b, d):\n{hess}")

    deaths = np.linspace(0.1, 0.6, 41)
    curve = np.array([closed_form(d) for d in deaths])
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
    for k, (ax, name) in enumerate(zip(axes, ["prey $x^*$", "predators $y^*$"])):
        ax.plot(deaths, curve[:, k], color="0.6", lw=4, label="closed form")
        for d in (0.15, 0.3, 0.45):
            v, s = dn.value_and_derivative(equilibrium, d)
            span = np.array([d - 0.06, d + 0.06])
            ax.plot(span, v[k] + s[k] * (span - d), "C3-", lw=1.5)
            ax.plot(d, v[k], "C3o")
        ax.plot([], [], "C3-o", label="root and its derivative (dualnum)")
        ax.set_xlabel("predator death rate $d$")
        ax.set_title(f"equilibrium {name}")
        ax.legend(loc="best", fontsize=8)
    plt.show()
