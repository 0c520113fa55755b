"""The forward passes behind gradient and jacobian: seed a chunk of
directions, evaluate f once, extract the partials."""
import numpy as np

from dualnum._core import extract, new_tag, seed_chunk, seed_direction

# Directions carried per evaluation of f.  Every operation costs one Python
# call plus O(chunk) arithmetic, so wide chunks mean fewer evaluations of f;
# past ~256 partials per number the allocations and cache misses win (measured
# on the Rosenbrock gradient, n = 100 and 1000: 128 and 256 fastest, 512 twice
# and 1000 five times slower at n = 1000).
MAX_CHUNK = 128


def chunks(n, max_chunk=None):
    """Split n directions into near-equal (start, size) chunks of at most max_chunk."""
    if n == 0:
        return []
    max_chunk = max_chunk or MAX_CHUNK
    passes = -(-n // max_chunk)
    size = -(-n // passes)
    return [(start, min(size, n - start)) for start in range(0, n, size)]


def _call(f, seeds, shape):
    # a 0-d point is passed as the number itself, so scalar-style f works
    return f(seeds[0] if shape == () else seeds.reshape(shape))


def value_and_jacobian(f, point):
    """f(point) and J with J.shape == value.shape + point.shape (point: float64 array)."""
    flat = point.reshape(-1)
    n = flat.shape[0]
    if n == 0:
        tag = new_tag()
        value, _ = extract(_call(f, seed_direction(flat, flat, tag), point.shape), tag, 1)
        return value, np.zeros(np.shape(value) + point.shape)
    value = jac = None
    for start, k in chunks(n):
        tag = new_tag()
        result = _call(f, seed_chunk(flat, start, k, tag), point.shape)
        chunk_value, partials = extract(result, tag, k)
        if k == n:                    # one pass: the partials are the whole Jacobian
            return chunk_value, partials.reshape(partials.shape[:-1] + point.shape)
        if jac is None:
            value = chunk_value
            jac = np.empty(partials.shape[:-1] + (n,))
        elif np.shape(chunk_value) != np.shape(value):
            raise ValueError(
                "the function returned results of different shapes on the same point "
                f"({np.shape(value)} and {np.shape(chunk_value)})")
        jac[..., start:start + k] = partials
    return value, jac.reshape(jac.shape[:-1] + point.shape)


def value_and_jvp(f, point, direction):
    """f(point) and J @ direction in one evaluation (both float64 arrays of one shape)."""
    tag = new_tag()
    seeds = seed_direction(point.reshape(-1), direction.reshape(-1), tag)
    value, partials = extract(_call(f, seeds, point.shape), tag, 1)
    return value, partials[..., 0]
