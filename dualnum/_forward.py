"""The forward passes behind gradient and jacobian: seed a chunk of
directions, evaluate f once, extract the partials."""
import numpy as np

from dualnum._core import extract, new_tag, seed_chunk, seed_direction

# Directions carried per evaluation of f.  Every operation costs one Python
# call plus O(chunk) arithmetic, so wide chunks mean fewer evaluations of f;
# the cap bounds the memory of the seeded array (n elements x chunk partials).
MAX_CHUNK = 64


def chunks(n, max_chunk=MAX_CHUNK):
    """Split n directions into near-equal chunks of at most max_chunk."""
    passes = max(1, -(-n // max_chunk))
    size = -(-n // passes) if n else 0
    return [(start, min(size, n - start)) for start in range(0, n, size)] if n else []


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
        if jac is None:
            value = chunk_value
            jac = np.empty(np.shape(value) + (n,))
        elif np.shape(chunk_value) != np.shape(value):
            raise ValueError(
                "the function returned results of different shapes on the same point "
                f"({np.shape(value)} and {np.shape(chunk_value)})")
        jac[..., start:start + k] = partials
    return value, jac.reshape(np.shape(value) + point.shape)


def value_and_jvp(f, point, direction):
    """f(point) and J @ direction in one evaluation (both float64 arrays of one shape)."""
    tag = new_tag()
    seeds = seed_direction(point.reshape(-1), direction.reshape(-1), tag)
    value, partials = extract(_call(f, seeds, point.shape), tag, 1)
    return value, partials[..., 0]
