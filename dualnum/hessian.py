"""hessian, hvp and their value variants: second derivatives of scalar functions.

f is evaluated on second-order dual numbers (dualnum.Dual2), which carry the
gradient and the upper triangle of the Hessian, so H is symmetric by
construction.  Up to ONE_PASS variables take one evaluation; beyond, the
variables are split into blocks and each pair of blocks takes one
evaluation that yields its two diagonal blocks and the block between them.
hvp uses Dual2s that carry H v instead of H.  Inside another differentiation
call (Dual2s hold only floats), both become first derivatives nested through
dualnum.nesting.  A sparse Hessian (``sparsity=``) is the sum of the local
Hessians one pass records where f returns one sum of the compiled array
(dualnum/hessian_sparsity.py, which also detects patterns), else one hvp per
colour of a star colouring of the pattern (dualnum/sparsity.py; with
"auto", the dense pass).
"""
import numpy as np

from dualnum import _argnums, _hessian_array, _nested_plan
from dualnum._hessian_pass import hessian_pass, hvp_pass
from dualnum._number import ForeignNumber, new_tag
from dualnum._plan import NESTED
from dualnum._points import as_array, as_point, as_scalar, is_scalar
from dualnum._read import is_plain_point, read_hessian, read_hvp, real_partials, same_value
from dualnum._seed import dual2_seed, dual2_seed_along
from dualnum.gradient import gradient, value_and_gradient
from dualnum.jacobian import jacobian
from dualnum._object_arrays import DualObjects
from dualnum._slow_path import compiled_or_objects, converted
from dualnum.hessian_sparsity import (nearby_point, pattern_of, recorded_detection, recorded_hessian,
                                      recorded_pass, summed_hessian)
from dualnum.sparsity import analysed_pattern, stray_entries, transposed_positions

# A pass with m variables costs O(m**2) per operation and per element, and
# each Dual2 holds m + m(m+1)/2 doubles (m = 64: 17 KB).
ONE_PASS = 64
BLOCK = 32


def _blocks(n, size):
    return [list(range(start, min(start + size, n))) for start in range(0, n, size)]


def _hessian_of(f, point):
    """(value, gradient, Hessian) of f at a float64 array point: on the
    compiled array, or where f needs more of numpy (NotCompiled) on object
    arrays of Dual2s (the slow path, as for first order: dualnum/_slow_path.py)."""
    if not point.ndim:
        return _object_hessian(f, point)
    try:                   # compiled_or_objects, inlined: it is every call's path
        return hessian_pass(f, point)
    except _hessian_array.NotCompiled:
        pass
    except TypeError as error:
        if not converted(error, "hessian"):
            raise
    return _object_hessian(f, point)


def _object_hessian(f, point):
    """f on object arrays of Dual2s, in one pass or in pairs of variable blocks."""
    n = point.size
    shape = point.shape
    if n <= ONE_PASS:
        variables = [list(range(n))]
        passes = [variables[0]]
    else:
        variables = _blocks(n, BLOCK)
        passes = [variables[i] + variables[j]
                  for i in range(len(variables)) for j in range(i + 1, len(variables))]
    value, gradient, hessian = None, np.zeros(n), np.zeros((n, n))
    for chosen in passes:
        tag = new_tag()
        # DualObjects: ufuncs also reach the other blocks' variables, which stay floats
        seed = dual2_seed(point, chosen, tag).view(DualObjects)
        v, g, h = read_hessian(f(seed if shape else seed[()]), tag, len(chosen))
        if value is None:
            value = v
        else:
            same_value(value, v)
        gradient[chosen] = g
        hessian[np.ix_(chosen, chosen)] = h
    return value, gradient.reshape(shape), hessian.reshape(shape + shape)


def value_gradient_and_hessian(f, x, argnums=None, sparsity=None, sparse_output=False):
    """value_gradient_and_hessian(f, x, argnums=None, sparsity=None, sparse_output=False) -> (f(x), ∇f(x), ∇²f(x))

    All three from one evaluation of ``f`` on second-order dual numbers.

    Parameters
    ----------
    f : callable
        Returns a real number.  For an array point it receives a compiled
        array of second-order dual numbers of x's shape, on which arithmetic,
        the elementwise functions and most numpy functions run; indexing it
        gives scalar :class:`dualnum.Dual2` numbers (as f receives for a
        scalar x), so scalar-style code (``x[0] * x[1]``, loops) works too.
        If f uses something the array does not cover, f is evaluated again on
        a numpy object array of Dual2s (in one pass up to 64 variables, one
        pass per pair of 32-variable blocks beyond).
    x : real or array_like
        The point; ints and float32 are promoted to float64.  With
        ``argnums``, the tuple of f's positional arguments.
    argnums : int or tuple of ints, optional
        Differentiate ``f(*x)`` with respect to these arguments: the gradient
        comes split per argument as from :func:`gradient`; the Hessian has one
        row and column per scalar of the selected arguments, flattened and
        concatenated in argnums order.
    sparsity : (n, n) boolean array, scipy.sparse matrix, SparsityPattern or "auto", optional
        A symmetric pattern of where the Hessian of a 1-D x can be nonzero.
        A plain pattern is star-coloured (see :class:`SparsityPattern`,
        ``symmetric=True``): one Hessian-vector product per colour (3 for a
        tridiagonal Hessian, 2 for an arrowhead, whatever n), each entry read
        directly from them, so H is never formed densely; where f returns
        one sum (or element) of the compiled array, the first product's
        recorded local Hessians give all of H, and the call takes that one
        pass.  A nonzero outside the pattern raises ValueError where it
        lands in a (row, colour) slot no pattern entry owns (anywhere, in
        the one-pass case).  ``"auto"``: where f returns one sum (or
        element) of the compiled array, H is the sum of its rows' local
        Hessians, from one pass at O(rows) cost; a sparse H then holds every
        pair of variables those rows hold, zeros included, so its structure
        is the same at every point on the code path.  Otherwise H comes from
        the dense pass, and a sparse H has the pattern of
        :func:`detect_hessian_sparsity`.
    sparse_output : bool, optional
        With ``sparsity``, return H as a ``scipy.sparse.csr_array``.

    Returns
    -------
    value : float
    gradient : ndarray or float
        x's shape (a float for a scalar x).
    hessian : ndarray, scipy.sparse.csr_array or float
        Shape ``x.shape + x.shape``, exactly symmetric (a float for a scalar x).

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.value_gradient_and_hessian(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])
    (18.0, array([12.,  9.]), array([[4., 6.],
           [6., 0.]]))
    """  # noqa: E501  (the first line is the call)
    if sparsity is None and argnums is None and not sparse_output and is_plain_point(x) and x.ndim:
        # the point as_point takes as it is: the general path below without its
        # checks, as the per-call cost at small n is what they cost
        try:
            return _hessian_of(f, x)
        except ForeignNumber:
            return _nested_hessian(f, x)
    if sparsity is not None:
        if argnums is not None:
            raise TypeError("sparsity= cannot be combined with argnums=")
        return _sparse_hessian(f, x, sparsity, sparse_output)
    if sparse_output:
        raise TypeError("sparse_output=True needs a sparsity= pattern")
    if argnums is not None:
        g, point, split = _argnums.select(f, x, argnums)
        value, gradient, hess = value_gradient_and_hessian(g, point)
        return value, split(gradient), hess
    scalar = is_scalar(x)
    point = np.array(as_scalar(x)) if scalar else as_point(x)
    if point is NESTED:
        return _nested_hessian(f, x)
    try:
        found = _hessian_of(f, point)
    except ForeignNumber:     # f closes over another call's numbers
        return _nested_hessian(f, x)
    if scalar:
        value, grad, hess = found
        return value, float(grad), float(hess)
    return found


def _sparse_hessian(f, x, sparsity, sparse_output):
    """(value, gradient, H) from one recorded pass where f returns one sum of
    the compiled array, else from one Hessian-vector product per colour: H V,
    V the pattern's seed, holds every entry of H where the colouring puts it
    (star colouring: dualnum/sparsity.py; "auto": dualnum/hessian_sparsity.py)."""
    point = as_array(x)
    if point.ndim != 1:
        raise ValueError(f"a sparse Hessian needs a 1-D point, got shape {point.shape}")
    if isinstance(sparsity, str):
        if sparsity != "auto":
            raise ValueError(f"sparsity={sparsity!r}: pass 'auto', a symmetric pattern or a SparsityPattern")
        return _auto_sparse_hessian(f, point, sparse_output)
    # a plain pattern is a Hessian's: star-coloured; an analysed one keeps its colouring
    pattern = analysed_pattern(sparsity, symmetric=True)
    n = point.shape[0]
    if pattern.shape != (n, n):
        raise ValueError(f"sparsity must have shape ({n}, {n}), got {pattern.shape}")
    compressed = np.empty((n, pattern.colours))       # at least one colour, also for n = 0
    # the first colour's pass records the local Hessians: where f returns one
    # sum of the compiled array, they are all of H and the other passes are saved
    first = recorded_pass(f, point, pattern.seed[:, 0])
    if first is not None and first[3] is not None:
        return first[0], first[1], _on_pattern(summed_hessian(*first[3], n), pattern, n, sparse_output)
    for c in range(pattern.colours):
        if c == 0 and first is not None:
            value, gradient, product = first[:3]
        else:
            value, gradient, product = value_gradient_and_hvp(f, point, pattern.seed[:, c])
        compressed[:, c] = real_partials(product, "hessian")
    return value, gradient, _recovered(compressed, pattern, n, sparse_output)


def _on_pattern(entries, pattern, n, sparse_output):
    """H from its summed entries (rows, cols, data), placed on the pattern's;
    an entry outside the pattern must be 0 (or nan: nan in, nan out)."""
    rows, cols, data = entries
    keys = pattern.rows.astype(np.int64) * n + pattern.cols
    found = rows.astype(np.int64) * n + cols
    at = np.minimum(np.searchsorted(keys, found), max(keys.size - 1, 0))
    inside = keys[at] == found if keys.size else np.zeros(found.shape, dtype=bool)
    stray = ~inside & (data != 0) & ~np.isnan(data)
    if stray.any():
        _refuse_outside(rows[stray][0])
    placed = np.zeros(keys.size)
    placed[at[inside]] = data[inside]
    return _assembled(placed, pattern.rows, pattern.cols, n, sparse_output)


def _recovered(compressed, pattern, n, sparse_output):
    """H from H V (one column per colour), checked against the pattern."""
    stray = stray_entries(compressed, pattern)
    if n and stray.any():
        _refuse_outside(np.argwhere(stray)[0][0])
    if pattern.symmetric:
        data = compressed.reshape(-1)[pattern.source]     # each pair from one place: symmetric
    else:
        # a column colouring: H[i, j] and H[j, i] come from different
        # products, so average them for exact symmetry
        data = compressed[pattern.rows, pattern.slots]
        data = (data + data[transposed_positions(pattern.rows, pattern.cols, n)]) / 2
    return _assembled(data, pattern.rows, pattern.cols, n, sparse_output)


def _refuse_outside(row):
    raise ValueError(f"the Hessian has a nonzero outside the given sparsity pattern (row {row}); "
                     "the pattern must include every entry that can be nonzero")


def _assembled(data, rows, cols, n, sparse_output):
    """The Hessian from its entries at (rows, cols), sorted by row, then
    column: CSR or dense."""
    if sparse_output:
        import scipy.sparse
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
        return scipy.sparse.csr_array((data, cols, indptr), shape=(n, n))
    hess = np.zeros((n, n))
    hess[rows, cols] = data
    return hess


def _dense_for_detection(f, point):
    """(value, gradient, H) from the dense pass, with real entries to detect on."""
    found = value_gradient_and_hessian(f, point)
    if np.asarray(found[2]).dtype.kind != "f":
        # dual numbers of an enclosing call (nesting) in H
        raise TypeError("detect_hessian_sparsity and hessian with sparsity='auto' are not nestable "
                        "in this version of dualnum: f returned dual numbers of an enclosing "
                        "differentiation call (it closes over one); use hessian without sparsity= "
                        "inside other calls")
    return found


def detect_hessian_sparsity(f, x):
    """detect_hessian_sparsity(f, x) -> SparsityPattern

    The sparsity pattern of the Hessian of the scalar function ``f`` at the
    1-D point ``x``, safe to reuse at other points on the same code path, as
    a star-coloured :class:`SparsityPattern` (``symmetric=True``).

    An entry is in the pattern when it is nonzero at ``x`` or at a point
    near ``x`` (each x_i moved by about 10⁻⁶ max(abs(x_i), 1) away from zero,
    with fixed-seed random factors), so entries that vanish at ``x`` only by
    coincidence (``x_0**2 * x_1**2`` at 0: H[0, 1] = 4 x_0 x_1) are in it:
    on one code path they vanish at the nearby point with probability 0.
    nan and inf entries count as nonzero.  The pattern is that of the
    branches f takes at the two points; see :doc:`sparse-hessians` for what
    it covers.  Any f that :func:`hessian` takes works, also on the
    object-array path.  The cost is two passes of the size of a
    Hessian-vector product where f returns one sum of the compiled array
    (the local Hessians of its rows are then all of H), else two dense
    Hessians (O(n²) memory).

    Parameters
    ----------
    f : callable
        Returns a real number; receives what :func:`hessian` passes.
    x : array_like
        The point, 1-D.

    Returns
    -------
    SparsityPattern
        Square and symmetric; ``colours`` Hessian-vector products give a
        Hessian with it (``hessian(f, y, sparsity=pattern)``).

    Raises
    ------
    ValueError
        For a point that is not 1-D.
    TypeError
        Inside another differentiation call (f closes over its dual
        numbers): sparse Hessians are not nestable; use :func:`hessian`
        without ``sparsity=`` there.

    Examples
    --------
    >>> import numpy as np, dualnum as dn
    >>> rosenbrock = lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    >>> pattern = dn.detect_hessian_sparsity(rosenbrock, np.zeros(6))   # H[i, i+1] = 0 here
    >>> pattern.rows.size, pattern.colours                  # the whole band, 3 colours
    (16, 3)
    """
    point = as_array(x)
    if point.ndim != 1:
        raise ValueError(f"detect_hessian_sparsity needs a 1-D point, got shape {point.shape}")
    pattern = recorded_detection(f, point)
    if pattern is None:
        hessians = [_dense_for_detection(f, y)[2] for y in (point, nearby_point(point))]
        pattern = pattern_of(hessians, point.shape[0])
    return pattern


def _auto_sparse_hessian(f, point, sparse_output):
    """(value, gradient, H) for ``sparsity="auto"``: from one recorded pass
    where f returns one sum of the compiled array (its entries on every pair
    of variables the sum's rows hold); else the dense pass at x gives H, and
    a sparse result has the detected pattern (coincidental zeros stored as
    explicit zeros).  Either way a sparse H's structure is the same at other
    points on the code path."""
    n = point.shape[0]
    found = recorded_hessian(f, point)
    if found is not None:
        value, gradient, rows, cols, data = found
        return value, gradient, _assembled(data, rows, cols, n, sparse_output)
    value, gradient, hess = _dense_for_detection(f, point)
    if not sparse_output:
        return value, gradient, hess
    pattern = pattern_of([hess, _dense_for_detection(f, nearby_point(point))[2]], n)
    return value, gradient, _assembled(hess[pattern.rows, pattern.cols], pattern.rows, pattern.cols, n, True)


def _nested_hessian(f, x):
    """Inside another call (the point or f holds its dual numbers): the
    jacobian of the gradient, through dualnum.nesting."""
    value, grad = value_and_gradient(f, x)
    hess = jacobian(lambda y: gradient(f, y), x)
    # the two mixed partials come from different operation orders: average
    # them so that H stays exactly symmetric, as on the Dual2 path
    n = int(np.prod(np.shape(grad)))
    flat = np.reshape(hess, (n, n))
    return value, grad, np.reshape((flat + flat.T) / 2, np.shape(hess))


def hessian(f, x, argnums=None, sparsity=None, sparse_output=False):
    """hessian(f, x, argnums=None, sparsity=None, sparse_output=False) -> ∇²f(x)

    ``H[i, j] = ∂²f/∂x_i∂x_j``, exactly symmetric.  See
    :func:`value_gradient_and_hessian`.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.hessian(lambda v: dn.sin(v[0]) * v[1], [0.5, 2.0])
    array([[-0.95885108,  0.87758256],
           [ 0.87758256,  0.        ]])
    """
    return value_gradient_and_hessian(f, x, argnums, sparsity, sparse_output)[2]


def value_gradient_and_hvp(f, x, v):
    """value_gradient_and_hvp(f, x, v) -> (f(x), ∇f(x), ∇²f(x) v)

    The Hessian-vector product without forming the Hessian, from one
    evaluation of ``f``.  At an array point f receives the compiled array of
    :func:`hessian`, whose elements carry the local Hessians of the few
    variables they depend on; its sums and elements are second-order numbers
    that carry the gradient, the derivative along ``v`` and H v (2n + 1
    numbers).  Where that array declines (see :func:`hessian`), f runs on an
    object array of such numbers, O(n) work per operation.

    Parameters
    ----------
    f : callable
        Returns a real number; receives what :func:`hessian` passes.
    x : array_like
        The point.
    v : array_like
        The direction, with x's shape.

    Returns
    -------
    value : float
    gradient, hvp : ndarray
        Both with x's shape.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.value_gradient_and_hvp(lambda p: p[0] ** 2 * p[1], [3.0, 2.0], [1.0, 0.0])
    (18.0, array([12.,  9.]), array([4., 6.]))
    """
    point = as_point(x)
    direction = as_array(v, name="v")
    if point is NESTED:
        return _nested_hvp(f, x, direction)
    if direction.shape != point.shape:
        raise ValueError(f"v must have x's shape {point.shape}, got {direction.shape}")
    try:
        return _hvp_of(f, point, direction)
    except ForeignNumber:
        return _nested_hvp(f, point, direction)


def _hvp_of(f, point, direction):
    if not point.ndim:
        return _object_hvp(f, point, direction)
    return compiled_or_objects(hvp_pass, _object_hvp, "hvp", f, point, direction,
                               declined=_hessian_array.NotCompiled)


def _object_hvp(f, point, direction):
    tag = new_tag()
    seed = dual2_seed_along(point, direction, tag).view(DualObjects)
    value, gradient, product = read_hvp(f(seed if point.shape else seed[()]), tag, point.size)
    return value, gradient.reshape(point.shape), product.reshape(point.shape)


def _nested_hvp(f, x, v):
    """Inside another call: H v as the derivative of the gradient along v."""
    value, grad = value_and_gradient(f, x)
    _, product = _nested_plan.jvp_pass(lambda y: gradient(f, y), x, v)
    return value, grad, product


def hvp(f, x, v):
    """hvp(f, x, v) -> ∇²f(x) v

    ``(H v)[i] = sum_j ∂²f/∂x_i∂x_j v[j]``, without forming H; see
    :func:`value_gradient_and_hvp`.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.hvp(lambda p: dn.exp(p[0] * p[1]), [0.0, 1.0], [1.0, 1.0])
    array([2., 1.])
    """
    return value_gradient_and_hvp(f, x, v)[2]
