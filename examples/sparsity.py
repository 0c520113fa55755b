"""The sparsity pattern of a Jacobian, and its column colouring.

The residual of the Bratu problem, Δu + λ eᵘ = 0 on an n × n grid (five-point
stencil, zero boundary), has a Jacobian with at most five nonzeros per row.
``dn.detect_sparsity`` finds that pattern from one evaluation and colours the
columns so that no two columns of one colour share a row: the whole Jacobian
then costs one forward pass per colour, not one per variable.
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

import dualnum as dn

N, LAMBDA = 6, 6.0  # grid points a side, the Bratu parameter


def shifted(grid, rows, cols):
    """grid moved by (rows, cols) cells, with the zero boundary moving in."""
    zeros_row = np.zeros((1, N))
    if rows:
        grid = np.concatenate([zeros_row, grid[:-1]] if rows > 0 else [grid[1:], zeros_row], axis=0)
    if cols:
        zeros_col = np.zeros((N, 1))
        grid = np.concatenate([zeros_col, grid[:, :-1]] if cols > 0 else [grid[:, 1:], zeros_col], axis=1)
    return grid


def bratu_residual(u):
    grid = u.reshape(N, N)
    neighbours = shifted(grid, 1, 0) + shifted(grid, -1, 0) + shifted(grid, 0, 1) + shifted(grid, 0, -1)
    h = 1.0 / (N + 1)
    return ((neighbours - 4.0 * grid) / h ** 2 + LAMBDA * np.exp(grid)).reshape(-1)


def jacobian_by_hand(u):
    """The five-point Laplacian divided by h², plus λ diag(eᵘ)."""
    one_d = np.eye(N, k=1) + np.eye(N, k=-1)
    laplacian = np.kron(np.eye(N), one_d) + np.kron(one_d, np.eye(N)) - 4.0 * np.eye(N * N)
    return laplacian * (N + 1) ** 2 + LAMBDA * np.diag(np.exp(u))


if __name__ == "__main__":
    u = np.random.default_rng(0).uniform(0.0, 0.5, N * N)
    pattern = dn.detect_sparsity(bratu_residual, u)
    print(pattern)
    expected = jacobian_by_hand(u) != 0
    found = np.zeros(pattern.shape, dtype=bool)
    found[pattern.rows, pattern.cols] = True
    assert (found == expected).all()
    # a valid colouring: within each row, the columns of one colour appear at most once
    assert pattern.owned.sum() == pattern.rows.size
    sparse = dn.jacobian(bratu_residual, u, sparsity=pattern)
    assert np.allclose(sparse, jacobian_by_hand(u), rtol=1e-14, atol=0)
    print(f"{N * N} variables, Jacobian from {pattern.colours} forward passes instead of {N * N}")

    colours = plt.get_cmap("tab10").colors[: pattern.colours]
    picture = np.full(pattern.shape, np.nan)
    picture[pattern.rows, pattern.cols] = pattern.colour[pattern.cols]
    compressed = np.where(pattern.owned, np.arange(pattern.colours), np.nan)
    fig, (full, packed) = plt.subplots(1, 2, figsize=(9, 5), layout="constrained",
                                       gridspec_kw={"width_ratios": [N * N, 4 * pattern.colours]})
    cmap = ListedColormap(colours)
    full.imshow(picture, cmap=cmap, vmin=-0.5, vmax=pattern.colours - 0.5, interpolation="nearest")
    full.set(title=f"Jacobian pattern ({pattern.rows.size} nonzeros),\neach entry in its column's colour",
             xlabel="column (variable)", ylabel="row (residual)")
    packed.imshow(compressed, cmap=cmap, vmin=-0.5, vmax=pattern.colours - 0.5, interpolation="nearest",
                  aspect=4)
    packed.set(title=f"compressed:\n{pattern.colours} columns", xlabel="colour",
               xticks=range(pattern.colours))
    packed.tick_params(labelleft=False)
