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


def bratu_residual(u):
    grid = u.reshape(N, N)
    # the zero boundary around the grid (np.pad does not take a DualArray)
    rows = np.concatenate([np.zeros((1, N)), grid, np.zeros((1, N))], axis=0)
    padded = np.concatenate([np.zeros((N + 2, 1)), rows, np.zeros((N + 2, 1))], axis=1)
    neighbours = (padded[:-2, 1:-1] + padded[2:, 1:-1]
                  + padded[1:-1, :-2] + padded[1:-1, 2:])
    laplacian = (neighbours - 4.0 * grid) * (N + 1) ** 2
    return (laplacian + LAMBDA * np.exp(grid)).reshape(-1)


def jacobian_by_hand(u):
    """The five-point Laplacian divided by h², plus λ diag(eᵘ)."""
    one_d = np.eye(N, k=1) + np.eye(N, k=-1)
    stencil = np.kron(np.eye(N), one_d) + np.kron(one_d, np.eye(N)) - 4 * np.eye(N * N)
    return stencil * (N + 1) ** 2 + LAMBDA * np.diag(np.exp(u))


if __name__ == "__main__":
    u = np.random.default_rng(0).uniform(0.0, 0.5, N * N)
    pattern = dn.detect_sparsity(bratu_residual, u)
    print(pattern)
    found = np.zeros(pattern.shape, dtype=bool)
    found[pattern.rows, pattern.cols] = True
    assert (found == (jacobian_by_hand(u) != 0)).all()
    # a valid colouring: no row meets two columns of one colour
    assert pattern.owned.sum() == pattern.rows.size
    sparse = dn.jacobian(bratu_residual, u, sparsity=pattern)
    assert np.allclose(sparse, jacobian_by_hand(u), rtol=1e-14, atol=0)
    print(f"{N * N} variables: the Jacobian from {pattern.colours} forward passes,"
          f" not {N * N}")

    cmap = ListedColormap(plt.get_cmap("tab10").colors[: pattern.colours])
    colour_range = {"cmap": cmap, "vmin": -0.5, "vmax": pattern.colours - 0.5}
    entries = np.full(pattern.shape, np.nan)      # each nonzero in its column's colour
    entries[pattern.rows, pattern.cols] = pattern.colour[pattern.cols]
    compressed = np.where(pattern.owned, np.arange(pattern.colours), np.nan)
    fig, (full, packed) = plt.subplots(1, 2, figsize=(8, 5.2), layout="constrained",
                                       width_ratios=[3, 1])
    full.imshow(entries, interpolation="nearest", **colour_range)
    full.set(title=f"Jacobian pattern ({pattern.rows.size} nonzeros),\n"
                   "each entry in its column's colour",
             xlabel="column (variable)", ylabel="row (residual)")
    packed.imshow(compressed, interpolation="nearest", aspect="auto", **colour_range)
    packed.set(title="compressed Jacobian:\none column per colour", xlabel="colour",
               xticks=range(pattern.colours))
    packed.tick_params(labelleft=False)
