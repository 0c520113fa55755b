"""scipy.special's functions differentiated as they are: a probit likelihood.

A probit model's log-likelihood is a sum of ``scipy.special.log_ndtr`` terms,
which are steep far in the left tail of the normal distribution, where
``ndtr`` itself underflows.  dualnum differentiates scipy's own ufuncs: the
gradient and the Hessian of the log-likelihood below come from one
evaluation each, and Newton's method fits the model.  The figure shows
log_ndtr's derivative against its asymptote -x in the tail, and its third
derivative from ``dn.derivative(..., n=3)`` against mpmath.
"""
import matplotlib.pyplot as plt
import mpmath as mp
import numpy as np
import scipy.special as sp

import dualnum as dn

rng = np.random.default_rng(0)
features = np.column_stack([np.ones(200), rng.normal(size=200)])
truth = np.array([-0.5, 1.5])
labels = (features @ truth + rng.normal(size=200) > 0).astype(float)
signs = 2.0 * labels - 1.0


def log_likelihood(beta):
    """sum log Phi(+-x.beta): log_ndtr stays finite where ndtr underflows."""
    return np.sum(sp.log_ndtr(signs * (features @ beta)))


beta = np.zeros(2)
for _ in range(8):                                       # Newton's method
    gradient = dn.gradient(log_likelihood, beta)
    beta = beta - np.linalg.solve(dn.hessian(log_likelihood, beta), gradient)
gradient = dn.gradient(log_likelihood, beta)
print(f"probit fit after 8 Newton steps: beta = {beta}, |gradient| = {np.linalg.norm(gradient):.1e}")
assert np.linalg.norm(gradient) < 1e-10

# the slope of log_ndtr far in the left tail, against mpmath
for x in (-10.0, -40.0):
    with mp.workdps(40):
        want = float(mp.npdf(x) / mp.ncdf(x))
    print(f"d/dx log_ndtr({x:g}) = {dn.derivative(sp.log_ndtr, x)!r} (mpmath: {want!r})")
    assert abs(dn.derivative(sp.log_ndtr, x) - want) <= 1e-13 * want

t = np.linspace(-30.0, 5.0, 351)
slope = dn.derivative(sp.log_ndtr, t)
third = np.array([dn.derivative(sp.log_ndtr, x, 3) for x in t[::25]])
with mp.workdps(30):
    third_mp = [float(mp.diff(lambda s: mp.log(mp.ncdf(s)), x, 3)) for x in t[::25]]
assert np.allclose(third, third_mp, rtol=1e-6, atol=1e-12)

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
ax.plot(t, slope, label="d/dx log_ndtr(x), dn.derivative")
ax.plot(t, -t, ls=":", color="gray", label="-x (the left-tail asymptote)")
ax.plot(t[::25], 10 * third, "o", mfc="none", label="10 x third derivative (dualnum)")
ax.plot(t[::25], 10 * np.array(third_mp), "+", color="black", label="10 x third derivative (mpmath)")
ax.set(xlabel="$x$", title="scipy.special.log_ndtr, differentiated as it is")
ax.legend(fontsize="small")
