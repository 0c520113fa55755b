"""ODE sensitivities: y and dy/dk of y' = -k y through dualnum.scipy.solve_ivp.

``dualnum.scipy.solve_ivp`` takes the decay rate k as a dual number in
``args`` and integrates the sensitivity equation s' = -k s - y, s(0) = 0,
with y. The dense output ``sol.sol(t)`` then carries dy/dk at any t, which
``dn.value_and_derivative`` reads. The script checks both against the closed
form y = y0 e^(-kt), dy/dk = -t y, and draws them over t.
"""
import matplotlib.pyplot as plt
import numpy as np

import dualnum as dn
from dualnum.scipy import solve_ivp

Y0, K = 2.0, 0.8
TIMES = np.linspace(0.0, 6.0, 121)


def decay(t, y, k):
    return -k * y


def solution(k):
    """y at TIMES, from the dense output of one solve."""
    sol = solve_ivp(decay, (0.0, 6.0), [Y0], args=(k,), dense_output=True, rtol=1e-10, atol=1e-12)
    return sol.sol(TIMES)[0]


if __name__ == "__main__":
    y, dy_dk = dn.value_and_derivative(solution, K)
    exact_y = Y0 * np.exp(-K * TIMES)
    exact_dy_dk = -TIMES * exact_y
    print(f"largest error of y:     {np.max(np.abs(y - exact_y)):.2e}")
    print(f"largest error of dy/dk: {np.max(np.abs(dy_dk - exact_dy_dk)):.2e}")
    print(f"dy/dk is most negative at t = {TIMES[np.argmin(dy_dk)]:.2f} (1/k = {1 / K:.2f})")
    assert np.allclose(y, exact_y, rtol=1e-7) and np.allclose(dy_dk, exact_dy_dk, rtol=1e-6, atol=1e-9)

    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(TIMES, y, label="$y(t)$, solve_ivp")
    ax.plot(TIMES, dy_dk, label=r"$\partial y / \partial k$, sensitivities")
    ax.plot(TIMES[::10], exact_dy_dk[::10], "k.", label=r"$-t\,y_0 e^{-kt}$ (closed form)")
    ax.axhline(0.0, color="gray", lw=0.5)
    ax.set(xlabel="t", title=f"y' = -k y, y(0) = {Y0:g}, k = {K:g}: the solution and its sensitivity to k")
    ax.legend()
