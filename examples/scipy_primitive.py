"""A scipy black box joins the chain rule through dualnum.primitive.

``scipy.special.j0`` (the Bessel function J₀) is compiled code dualnum cannot
look into; ``dn.primitive`` gives it its derivative, J₀' = -J₁, and from then on
j0 works inside any expression. The figure checks the derivative dualnum
computes against scipy's own formula for Bessel derivatives
(``scipy.special.jvp``).  For second derivatives the derivative must be
differentiable too: J_n' = (J_{n-1} - J_{n+1}) / 2 written with primitives
(``bessel``) gives J₀'' from ``dn.derivative(..., n=2)``.
"""
import matplotlib.pyplot as plt
import numpy as np
import scipy.special as sp

import dualnum as dn

# J0' = -J1: give dualnum the derivative, and j0 works inside any expression
j0 = dn.primitive(sp.j0, lambda x: -sp.j1(x))


def bessel(n):
    """J_n as a primitive whose derivative, (J_{n-1} - J_{n+1}) / 2, is made of
    primitives in turn (J_{-1} = -J_1), so it has derivatives of every order."""
    return dn.primitive(lambda x: sp.jv(n, x),
                        lambda x: (bessel(n - 1)(x) - bessel(n + 1)(x)) / 2)

if __name__ == "__main__":
    x = 2.0
    d = dn.derivative(lambda t: dn.exp(-t) * j0(t * t), x)
    by_hand = float(-sp.j0(x * x) * dn.exp(-x) - 2 * x * sp.j1(x * x) * dn.exp(-x))
    print(f"d/dx exp(-x) J0(x^2) at 2: {d!r} (chain rule by hand: {by_hand!r})")
    assert abs(d - by_hand) <= 1e-15

    t = np.linspace(0.0, 20.0, 401)
    slope = dn.derivative(j0, t)                      # elementwise, in one pass
    assert np.allclose(slope, sp.jvp(0, t), rtol=0, atol=1e-14)
    damped = lambda t: dn.exp(-t / 8) * j0(t)
    damped_slope = dn.derivative(damped, t)
    h = 1e-6                                          # against central differences
    differences = (damped(t + h) - damped(t - h)) / (2 * h)
    assert np.allclose(damped_slope, differences, rtol=0, atol=1e-8)
    curvature = dn.derivative(bessel(0), t, 2)        # J0'', one pass on Taylor series
    assert np.allclose(curvature, sp.jvp(0, t, 2), rtol=0, atol=1e-14)

    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(t, sp.j0(t), label="$J_0(t)$ (scipy.special.j0)")
    ax.plot(t, slope, label="$J_0'(t)$ from dn.derivative")
    ax.plot(t[::10], sp.jvp(0, t[::10]), "o", ms=4, mfc="none", color="black",
            label="scipy.special.jvp(0, t)")
    ax.plot(t, curvature, ls=":", label="$J_0''(t)$ from dn.derivative(..., n=2)")
    ax.plot(t, damped_slope, ls="--",
            label=r"$\frac{d}{dt}\,e^{-t/8} J_0(t)$ (chain rule)")
    ax.axhline(0.0, color="gray", lw=0.5)
    ax.set(xlabel="$t$",
           title="A scipy.special black box, differentiated through dn.primitive")
    ax.legend(loc="upper right", fontsize="small")
