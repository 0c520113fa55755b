"""A scipy black box joins the chain rule through dualnum.primitive.

``scipy.special.ellipk`` (the complete elliptic integral K) is compiled code
dualnum has no row for; ``dn.primitive`` gives it its derivative,
K'(m) = (E(m) - (1 - m) K(m)) / (2 m (1 - m)) with E = ``scipy.special.ellipe``,
and from then on K works inside any expression.  A pendulum released at the
angle theta swings with the period T = 4 K(sin^2(theta / 2)) (in units of
sqrt(L / g)); the chain rule through the black box gives dT/dtheta, checked
against central differences.  For second derivatives the derivative must be
differentiable too: K and E written as primitives of each other, with
E'(m) = (E - K) / (2 m), have derivatives of every order, checked here
against central differences of the first derivative.
"""
import matplotlib.pyplot as plt
import numpy as np
import scipy.special as sp

import dualnum as dn


def k_slope(m):
    """K'(m) on floats: the derivative given to the first-order primitive."""
    return (sp.ellipe(m) - (1 - m) * sp.ellipk(m)) / (2 * m * (1 - m))


ellipk_first_order = dn.primitive(sp.ellipk, k_slope)

# every order: each derivative is made of the two primitives themselves
ellipe = dn.primitive(sp.ellipe, lambda m: (ellipe(m) - ellipk(m)) / (2 * m))
ellipk = dn.primitive(sp.ellipk, lambda m: (ellipe(m) - (1 - m) * ellipk(m)) / (2 * m * (1 - m)))


def period(theta):
    """A pendulum's period, in units of sqrt(L / g), for the amplitude theta."""
    return 4 * ellipk(np.sin(theta / 2) ** 2)


if __name__ == "__main__":
    theta = np.linspace(0.05, 3.0, 300)
    slope = dn.derivative(period, theta)                 # elementwise, in one pass
    h = 1e-6                                             # against central differences
    differences = (period(theta + h) - period(theta - h)) / (2 * h)
    assert np.allclose(slope, differences, rtol=1e-7, atol=0)
    assert np.array_equal(dn.derivative(ellipk_first_order, 0.5), k_slope(0.5))

    curvature = dn.derivative(period, theta, 2)          # one pass on Taylor series
    slope_differences = (dn.derivative(period, theta + h)
                         - dn.derivative(period, theta - h)) / (2 * h)
    assert np.allclose(curvature, slope_differences, rtol=1e-6, atol=0)
    print(f"T(1) = {period(1.0):.12f}, T'(1) = {dn.derivative(period, 1.0):.12f}, "
          f"T''(1) = {dn.derivative(period, 1.0, 2):.12f}")

    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(theta, period(theta), label=r"$T(\theta) = 4K(\sin^2(\theta/2))$")
    ax.plot(theta, slope, label=r"$T'(\theta)$ from dn.derivative")
    ax.plot(theta[::15], differences[::15], "o", ms=4, mfc="none", color="black",
            label="central differences")
    ax.plot(theta, curvature, ls=":", label=r"$T''(\theta)$ from dn.derivative(..., n=2)")
    ax.axhline(2 * np.pi, color="gray", lw=0.5, ls="--", label=r"small swings: $2\pi$")
    ax.set(xlabel=r"amplitude $\theta$ (radians)", ylim=(0, 30),
           title="A scipy.special black box, differentiated through dn.primitive")
    ax.legend(loc="upper left", fontsize="small")
    plt.show()
