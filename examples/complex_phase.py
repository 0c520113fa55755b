"""Complex derivatives: the stretch of a conformal map.

The Joukowski map w = z + 1/z (the one of airfoil theory) is holomorphic off
z = 0.  ``dn.derivative`` at complex points gives w'(z) = 1 - 1/z**2 in one
pass; its modulus is how much the map stretches a small circle at z.  The
real path differentiates a real function through complex intermediates: the
phase of exp(i k x) grows at the rate k.
"""
import matplotlib.pyplot as plt
from matplotlib.colors import LogNorm
import numpy as np

import dualnum as dn


def joukowski(z):
    return z + 1 / z


x, y = np.meshgrid(np.linspace(-2, 2, 41), np.linspace(-2, 2, 41))
z = (x + 1j * y).ravel()
z = z[np.abs(z) > 0.5]                    # away from the pole at 0
slope = dn.derivative(joukowski, z)
print("largest error against 1 - 1/z**2:", np.max(np.abs(slope - (1 - 1 / z ** 2))))

k = 3.0
rate = dn.derivative(lambda t: np.angle(np.exp(1j * k * t)), 0.2)
print("d/dx angle(exp(i k x)) at x = 0.2:", rate)

fig, ax = plt.subplots(figsize=(5, 4))
# w' = 0 at z = +-1 (where the map folds the unit circle onto a slit)
dots = ax.scatter(z.real, z.imag, c=np.abs(slope), cmap="viridis", s=12,
                  norm=LogNorm(vmin=0.05, vmax=5))
fig.colorbar(dots, label="|w'(z)| (log scale)")
ax.set_xlabel("Re z")
ax.set_ylabel("Im z")
ax.set_title("stretch of w = z + 1/z")
plt.show()
