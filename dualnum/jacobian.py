"""jacobian, value_and_jacobian and jvp: vector-valued functions."""
import numpy as np

from dualnum import _argnums, _forward, _nested_plan
from dualnum._plan import NESTED
from dualnum._points import as_array, as_complex_point, as_point, is_complex_point
from dualnum.sparsity import auto_sparse_jacobian, sparse_jacobian


def value_and_jacobian(f, x, argnums=None, sparsity=None, sparse_output=False):
    """value_and_jacobian(f, x, argnums=None, sparsity=None, sparse_output=False) -> (f(x), J)

    ``J[i, j] = ∂f_i/∂x_j``; in general ``J.shape == f(x).shape + x.shape``
    (``(m, n)`` for f: Rⁿ → Rᵐ).  ``f`` is evaluated ceil(n / 128) times.

    Parameters
    ----------
    f : callable
        Returns a real number, a sequence or an ndarray (of dual numbers).  It
        receives a :class:`dualnum.DualArray` of x's shape, as in :func:`gradient`
        (or, if f converts it with ``np.asarray``, an object array of dual
        numbers, with a :class:`dualnum.SlowPathWarning`).
    x : array_like
        The point; with ``argnums``, the tuple of f's positional arguments.
    argnums : int or tuple of ints, optional
        As in :func:`gradient`: one Jacobian block per selected argument, of
        shape ``f(x).shape + argument.shape``.
    sparsity : (m, n) boolean array, scipy.sparse matrix, SparsityPattern or "auto", optional
        Where J may be nonzero, for a 1-D x (an f(x) of another shape is
        flattened: its m elements are the rows, and J keeps the shape
        ``f(x).shape + x.shape``).  ``"auto"`` finds it:
        f is evaluated once with every variable tracked sparsely (see
        :func:`dualnum.detect_sparsity`), which gives J directly.  Columns that share no
        row are seeded together (a greedy colouring), so f is evaluated once,
        on a :class:`dualnum.DualArray` with one direction per colour: 3 for a
        tridiagonal J of any size.  The pattern must include every entry that
        can be nonzero; an entry outside it that lands in an unused slot
        raises ValueError, one that collides with a pattern entry cannot be
        detected.
    sparse_output : bool, optional
        With ``sparsity``, return J as a ``scipy.sparse.csr_array`` (with
        ``"auto"``: of the traced entries, which may include explicit zeros).

    Examples
    --------
    >>> import dualnum as dn
    >>> value, J = dn.value_and_jacobian(lambda v: [v[0] * v[1], v[0] + v[1]], [2.0, 3.0])
    >>> J
    array([[3., 2.],
           [1., 1.]])
    """
    if sparsity is not None:
        if argnums is not None:
            raise TypeError("sparsity= cannot be combined with argnums=")
        if isinstance(sparsity, str):
            if sparsity != "auto":
                raise ValueError(f"sparsity must be a pattern or 'auto', got {sparsity!r}")
            return auto_sparse_jacobian(f, as_array(x), sparse_output)
        return sparse_jacobian(f, as_array(x), sparsity, sparse_output)
    if sparse_output:
        raise TypeError("sparse_output=True needs a sparsity= pattern")
    if argnums is not None:
        g, point, split = _argnums.select(f, x, argnums)
        value, jac = _forward.jacobian_passes(g, point)
        return value, split(jac)
    try:
        point = as_point(x)
    except TypeError:
        if not is_complex_point(x):
            raise
        return _complex_value(*_forward.complex_pass(f, as_complex_point(x)))
    if point is NESTED:               # a jacobian inside another call's function
        return _nested_plan.jacobian_pass(f, x)
    return _forward.jacobian_passes(f, point)


def jacobian(f, x, argnums=None, sparsity=None, sparse_output=False):
    """jacobian(f, x, argnums=None, sparsity=None, sparse_output=False) -> J with J[i, j] = ∂f_i/∂x_j

    See :func:`value_and_jacobian`.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.jacobian(lambda v: [v[0] ** 2, v[0] * v[1]], [1.0, 2.0])
    array([[2., 0.],
           [2., 1.]])
    """
    return value_and_jacobian(f, x, argnums, sparsity, sparse_output)[1]


def jvp(f, x, v):
    """jvp(f, x, v) -> (f(x), J(x) @ v)

    The Jacobian-vector product (the directional derivative of ``f`` along
    ``v``) in one evaluation of ``f``, without forming J.

    Parameters
    ----------
    f : callable
        As in :func:`jacobian`.
    x, v : real or array_like
        The point and the direction, of one shape.

    Returns
    -------
    value, tangent : float or ndarray
        f(x) and J @ v, both with f's output shape.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.jvp(lambda v: v[0] * v[1], [2.0, 3.0], [1.0, 1.0])
    (6.0, 5.0)
    """
    try:
        point = as_point(x)
    except TypeError:
        if not is_complex_point(x):
            raise
        point = as_complex_point(x)
        direction = as_complex_point(v, name="v")
        if direction.shape != point.shape:
            raise ValueError(
                f"v must have the shape of x, {point.shape}; got {direction.shape}") from None
        return _complex_value(*_forward.complex_pass(f, point, direction))
    direction = as_array(v, name="v")
    if point is NESTED:               # a jvp inside another call's function
        return _nested_plan.jvp_pass(f, x, direction)
    if direction.shape != point.shape:
        raise ValueError(
            f"v must have the shape of x, {point.shape}; got {direction.shape}")
    value, tangent = _forward.jvp_pass(f, point, direction)
    if np.ndim(value) == 0:
        if isinstance(value, complex) or np.iscomplexobj(tangent):
            return complex(value), complex(tangent)      # f from the reals to the complexes
        return float(value), float(tangent)
    return value, tangent


def _complex_value(value, derivative):
    """Python complex numbers for a scalar result at a complex point, else the arrays."""
    if np.ndim(value) == 0 and np.ndim(derivative) == 0:
        return complex(value), complex(derivative)
    return value, derivative
