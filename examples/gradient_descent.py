"""Gradient descent on the Rosenbrock function, written with numpy."""
import numpy as np

import dualnum as dn


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


if __name__ == "__main__":
    x = np.array([-1.2, 1.0])
    for step in range(20001):
        value, grad = dn.value_and_gradient(rosenbrock, x)
        if step % 5000 == 0:
            print(f"step {step:5d}: f = {value:.3e}  x = {x}")
        x = x - 1e-3 * grad
    print(f"minimum found near {x} (exact: [1. 1.])")
