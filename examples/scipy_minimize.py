"""scipy's minimize with dualnum's derivatives: Rosenbrock's valley.

``dualnum.scipy.minimize`` is ``scipy.optimize.minimize`` with the gradient
(and, for Newton-type methods, the Hessian) computed exactly by dualnum from
the function alone.  Against scipy's finite differences, BFGS takes as many
iterations as with the hand-written gradient and far fewer evaluations of f
(a finite-difference gradient costs n + 1 of them, and dualnum's value and
gradient come from one).  The figure draws the paths of BFGS and of
trust-exact (which also gets dualnum's Hessian) through the valley.
"""
import matplotlib.pyplot as plt
import numpy as np
import scipy.optimize

from dualnum.scipy import minimize


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def path_of(solve):
    """The iterates of a solve, from its callback."""
    points = [START.copy()]
    result = solve(lambda xk: points.append(xk.copy()))
    return result, np.array(points)


START = np.array([-1.2, 1.0])

if __name__ == "__main__":
    evaluations = []

    def counted(x):
        evaluations.append(1)
        return rosen(x)

    ours, bfgs_path = path_of(lambda cb: minimize(counted, START, method="BFGS", callback=cb))
    by_hand = scipy.optimize.minimize(scipy.optimize.rosen, START, method="BFGS",
                                      jac=scipy.optimize.rosen_der)
    finite = scipy.optimize.minimize(scipy.optimize.rosen, START, method="BFGS")
    print("BFGS on Rosenbrock from (-1.2, 1):")
    print(f"  hand-written gradient:  nit {by_hand.nit}, nfev {by_hand.nfev}, njev {by_hand.njev}")
    print(f"  dualnum.scipy.minimize: nit {ours.nit}, nfev {ours.nfev}, njev {ours.njev}, "
          f"f evaluated {len(evaluations)} times (value and gradient together)")
    print(f"  finite differences:     nit {finite.nit}, nfev {finite.nfev} (gradients included)")
    assert (ours.nit, ours.nfev, ours.njev) == (by_hand.nit, by_hand.nfev, by_hand.njev)
    assert len(evaluations) < finite.nfev and np.allclose(ours.x, 1.0, atol=1e-5)

    newton, newton_path = path_of(lambda cb: minimize(rosen, START, method="trust-exact", callback=cb))
    print(f"trust-exact with dualnum's Hessian: nit {newton.nit}, x = {newton.x}")

    grid = np.linspace(-1.6, 1.6, 300), np.linspace(-0.6, 1.6, 300)
    X, Y = np.meshgrid(*grid)
    Z = 100.0 * (Y - X ** 2) ** 2 + (1.0 - X) ** 2
    fig, ax = plt.subplots(figsize=(7, 4.8), layout="constrained")
    ax.contour(X, Y, np.log10(Z + 1e-3), levels=25, cmap="Greys", linewidths=0.7)
    ax.plot(*bfgs_path.T, "o-", ms=3, label=f"BFGS ({ours.nit} iterations)")
    ax.plot(*newton_path.T, "s-", ms=3, label=f"trust-exact ({newton.nit} iterations)")
    ax.plot(1.0, 1.0, "k*", ms=12, label="minimum (1, 1)")
    ax.set(xlabel="$x_0$", ylabel="$x_1$", title="Rosenbrock's valley: dualnum.scipy.minimize")
    ax.legend(loc="lower right")
