"""Sparse Hessians: a detected pattern and its star colouring.

f(x) = Σᵢ₌₁ exp(x₀ xᵢ) + Σ xᵢ⁴ / 4 couples x₀ with every other variable and
nothing else: its Hessian is an arrowhead.  ``dn.detect_hessian_sparsity``
finds that pattern at x = 0, where the diagonal entries x₀² + 3 xᵢ² all
vanish (they are kept: the pattern must hold elsewhere), and star-colours
it: 2 colours, so every Hessian after costs 2 Hessian-vector products,
where a column colouring (as for Jacobians) would need one per variable.
"""
import matplotlib.pyplot as plt
import numpy as np

import dualnum as dn

N = 12


def arrowhead(x):
    return np.sum(np.exp(x[:1] * x[1:])) + np.sum(x ** 4) / 4


def hessian_by_hand(x):
    g = np.exp(x[0] * x[1:])                       # exp(x₀ xᵢ), i ≥ 1
    h = np.diag(3 * x ** 2)
    h[0, 0] += np.sum(x[1:] ** 2 * g)
    h[0, 1:] = h[1:, 0] = g * (1 + x[0] * x[1:])
    h[np.arange(1, N), np.arange(1, N)] += x[0] ** 2 * g
    return h


if __name__ == "__main__":
    pattern = dn.detect_hessian_sparsity(arrowhead, np.zeros(N))
    print(pattern)
    print("star colours of the variables:", pattern.colour)
    used = np.zeros((N, N), dtype=bool)
    used[pattern.rows, pattern.cols] = True
    print("a column colouring would need:", dn.SparsityPattern(used).colours)

    x = np.random.default_rng(0).normal(size=N)
    H = dn.hessian(arrowhead, x, sparsity=pattern)
    print("largest difference from the Hessian by hand:", np.max(np.abs(H - hessian_by_hand(x))))

    # the pattern, each entry in the colour of its column, and the two products
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 4))
    shown = np.full((N, N), np.nan)
    shown[pattern.rows, pattern.cols] = pattern.colour[pattern.cols]
    left.imshow(shown, cmap="coolwarm", vmin=0, vmax=1)
    left.set_title(f"arrowhead pattern: {pattern.colours} star colours")
    compressed = H @ pattern.seed                      # H V: what the 2 products give
    right.imshow(compressed, cmap="viridis", aspect=0.3)
    right.set_title("H V, one column per colour")
    right.set_xticks(range(pattern.colours))
    plt.tight_layout()
    plt.show()
