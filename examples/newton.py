"""Newton's method with exact derivatives: solve cos(x) = x.

Each step needs f(x) and f'(x) together (``dn.value_and_derivative``). With an
exact derivative the error squares at every step (quadratic convergence) until
it reaches rounding: the figure plots it against the step on a log scale.
"""
import math

import matplotlib.pyplot as plt

import dualnum as dn

DOTTIE = 0.7390851332151607  # the root of cos(x) = x, to double precision


def newton(f, x, tol=1e-14, max_steps=50):
    """Find a root of f from x; returns the root and the iterates."""
    iterates = [x]
    for step in range(max_steps):
        value, slope = dn.value_and_derivative(f, x)
        assert math.isclose(slope, -math.sin(x) - 1.0, rel_tol=1e-15)  # f' by hand
        print(f"step {step}: x = {x:.16f}  f(x) = {value: .3e}")
        if abs(value) < tol:
            return x, iterates
        x = x - value / slope
        iterates.append(x)
    raise RuntimeError("Newton's method did not converge")


if __name__ == "__main__":
    root, iterates = newton(lambda x: dn.cos(x) - x, 1.0)
    print(f"root of cos(x) - x: {root!r}")
    assert abs(root - DOTTIE) <= 1e-15 and abs(math.cos(root) - root) < 1e-15

    # the error of each iterate; an exact zero (the root to the last bit) is drawn
    # at one ulp
    errors = [max(abs(x - DOTTIE), math.ulp(DOTTIE)) for x in iterates]
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.semilogy(range(len(errors)), errors, "o-", label="$|x_k - x^*|$")
    ax.axhline(math.ulp(DOTTIE), color="gray", ls=":",
               label="one ulp of $x^*$ (an exact root is drawn here)")
    ax.set(xlabel="Newton step $k$", ylabel="error", xticks=range(len(errors)),
           title="Newton's method on cos(x) = x: the error squares at each step")
    ax.legend()
