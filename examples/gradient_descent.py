"""Gradient descent on the Rosenbrock function, written with numpy.

Each step takes the value and the gradient from one evaluation
(``dn.value_and_gradient``); the figure draws the path over the contours of the
loss.
"""
import matplotlib.pyplot as plt
import numpy as np

import dualnum as dn


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def rosenbrock_gradient(x, y):
    """The gradient written out by hand, to check dualnum's against."""
    return np.array([-400.0 * x * (y - x * x) - 2.0 * (1.0 - x), 200.0 * (y - x * x)])


if __name__ == "__main__":
    x = np.array([-1.2, 1.0])
    path = [x]
    for step in range(20001):
        value, grad = dn.value_and_gradient(rosenbrock, x)
        assert np.allclose(grad, rosenbrock_gradient(*x), rtol=1e-13, atol=1e-13)
        if step % 5000 == 0:
            print(f"step {step:5d}: f = {value:.3e}  x = {x}")
        x = x - 1e-3 * grad
        path.append(x)
    print(f"minimum found near {x} (exact: [1. 1.])")
    assert np.allclose(x, [1.0, 1.0], atol=1e-2)

    path = np.array(path)
    u, v = np.meshgrid(np.linspace(-1.5, 1.5, 301), np.linspace(-0.5, 1.6, 211))
    loss = 100.0 * (v - u * u) ** 2 + (1.0 - u) ** 2
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    contours = ax.contour(u, v, loss, levels=np.logspace(-1, 3, 13), norm="log")
    fig.colorbar(contours, ax=ax, label="loss (log scale)")
    ax.plot(*path.T, color="tab:red", lw=1.5, label="gradient descent, step 1e-3")
    ax.plot(*path[::2000].T, "o", color="tab:red", ms=4, label="every 2000th step")
    ax.plot(1.0, 1.0, "*", color="black", ms=12, label="minimum (1, 1)")
    ax.set(xlabel="$x_0$", ylabel="$x_1$",
           title="Gradient descent on the Rosenbrock function")
    ax.legend(loc="upper center", framealpha=0.95)
