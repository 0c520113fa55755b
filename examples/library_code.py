"""Differentiating library code you cannot edit.

``scipy.optimize.rosen``, ``scipy.special.logsumexp`` and
``np.polynomial.Polynomial`` convert their argument with ``np.asarray``
before computing, which would drop a derivative.  dualnum notices the
conversion, evaluates the function again on an object array of dual numbers,
and warns once per route that this path is slow (``dn.SlowPathWarning``,
naming the call that converted).  The numbers are exact; the cost is that of
Python objects.  Each result below is checked against the library's own
derivative (``rosen_der``, ``softmax``, ``Polynomial.deriv``), and the figure
shows the gradient of ``logsumexp`` (a softmax) as one input moves.
"""
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
import scipy.optimize
import scipy.special

import dualnum as dn

x = np.array([1.2, -0.7, 0.4, 2.0])


def best_time(call, repeats=50):
    """The best of a few runs of call(), in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", dn.SlowPathWarning)
    g_rosen = dn.gradient(scipy.optimize.rosen, x)
print("the warning, once:", str(caught[0].message).splitlines()[0])

with warnings.catch_warnings():
    warnings.simplefilter("ignore", dn.SlowPathWarning)   # read once; silenced from here on
    g_lse = dn.gradient(scipy.special.logsumexp, x)
    poly = np.polynomial.Polynomial([1.0, -2.0, 0.5, 3.0])
    d_poly = dn.derivative(poly, 0.3)
    slow = best_time(lambda: dn.gradient(scipy.optimize.rosen, x))


def rosen_on_arrays(v):
    """rosen's sum without the conversion: the compiled path."""
    return np.sum(100.0 * (v[1:] - v[:-1] ** 2) ** 2 + (1 - v[:-1]) ** 2)


compiled = best_time(lambda: dn.gradient(rosen_on_arrays, x))

for name, ours, theirs in [("rosen", g_rosen, scipy.optimize.rosen_der(x)),
                           ("logsumexp", g_lse, scipy.special.softmax(x)),
                           ("Polynomial", d_poly, poly.deriv()(0.3))]:
    print(f"{name:>10}: largest difference from the library's derivative "
          f"{np.max(np.abs(ours - theirs)):.1e}")
    assert np.allclose(ours, theirs, rtol=1e-13, atol=1e-13)
print(f"rosen at n = 4, best of 50: slow path {slow * 1e6:.0f} us, the same sum written "
      f"with numpy on the DualArray {compiled * 1e6:.0f} us")

# the gradient of logsumexp is softmax: watch it as the first input sweeps
sweep = np.linspace(-3.0, 3.0, 61)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", dn.SlowPathWarning)
    weights = np.array([dn.gradient(scipy.special.logsumexp, np.r_[s, x[1:]]) for s in sweep])
fig, ax = plt.subplots(figsize=(6, 3.5))
for i in range(len(x)):
    ax.plot(sweep, weights[:, i], label=f"d logsumexp / dx{i}")
ax.set_xlabel("x0")
ax.set_ylabel("gradient entry")
ax.set_title("dn.gradient(scipy.special.logsumexp, x): the softmax of x")
ax.legend(fontsize="small")
fig.tight_layout()
plt.show()
