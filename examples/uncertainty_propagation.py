"""Error bands of a fitted curve, by uncertainty propagation.

A decay y = a e^(-b t) + c is fitted to noisy data with scipy's ``curve_fit``,
which also estimates the covariance Σ of the parameters (a, b, c).  The
uncertainty of the fitted curve at each t follows to first order from
``dn.propagate``: J Σ Jᵀ with J the Jacobian of the curve with respect to the
parameters, from one forward pass.  A Monte Carlo run (parameters drawn from
N(p, Σ), the curve evaluated for each draw) gives the same bands, and its
histogram at one t matches the propagated Gaussian.
"""
import matplotlib.pyplot as plt
import numpy as np
from scipy.optimize import curve_fit

import dualnum as dn

TRUE = np.array([2.0, 0.7, 0.3])   # a, b, c
NOISE = 0.05
DRAWS = 20_000


def decay(t, a, b, c):
    return a * np.exp(-b * t) + c


if __name__ == "__main__":
    rng = np.random.default_rng(1)
    t_data = np.linspace(0.0, 5.0, 25)
    y_data = decay(t_data, *TRUE) + rng.normal(0.0, NOISE, t_data.size)
    fitted, parameter_cov = curve_fit(decay, t_data, y_data, p0=[1.0, 1.0, 0.0])

    t = np.linspace(0.0, 6.0, 121)
    curve, curve_cov = dn.propagate(lambda p: decay(t, p[0], p[1], p[2]), fitted, parameter_cov)
    band = np.sqrt(np.diag(curve_cov))

    draws = rng.multivariate_normal(fitted, parameter_cov, size=DRAWS)
    sampled = decay(t[:, None], draws[:, 0], draws[:, 1], draws[:, 2])    # (t, draw)
    sampled_band = sampled.std(axis=1)
    worst = np.max(np.abs(sampled_band / band - 1))
    print(f"fitted a, b, c = {np.round(fitted, 3)}, σ = {np.round(np.sqrt(np.diag(parameter_cov)), 3)}")
    print(f"propagated σ of the curve: {band.min():.4f} .. {band.max():.4f}")
    print(f"Monte Carlo ({DRAWS} draws) σ differs from it by at most {100 * worst:.1f}%")
    assert worst < 0.05                 # a few standard errors of a 20 000-draw σ

    fig, (curves, histogram) = plt.subplots(1, 2, figsize=(10, 4.2), layout="constrained")
    curves.plot(t_data, y_data, "k.", label="data")
    curves.plot(t, curve, color="C0", label="fit")
    curves.fill_between(t, curve - 2 * band, curve + 2 * band, color="C0", alpha=0.3,
                        label="±2σ, dn.propagate")
    curves.plot(t, curve - 2 * sampled_band, "C1--", lw=1, label="±2σ, Monte Carlo")
    curves.plot(t, curve + 2 * sampled_band, "C1--", lw=1)
    curves.set(xlabel="t", ylabel="y", title="fitted decay and its error band")
    curves.legend()

    at = np.searchsorted(t, 5.5)
    histogram.hist(sampled[at], bins=60, density=True, color="C1", alpha=0.6,
                   label=f"Monte Carlo, {DRAWS} draws")
    y = np.linspace(sampled[at].min(), sampled[at].max(), 200)
    gaussian = np.exp(-0.5 * ((y - curve[at]) / band[at]) ** 2) / (band[at] * np.sqrt(2 * np.pi))
    histogram.plot(y, gaussian, color="C0", label="N(f, J Σ Jᵀ), dn.propagate")
    histogram.set(xlabel=f"y({t[at]:.1f})", ylabel="density", title=f"the prediction at t = {t[at]:.1f}")
    histogram.legend()
    plt.show()
