"""gradient and value_and_gradient: scalar functions of many variables."""

from dualnum import _argnums, _forward, _nested_plan
from dualnum._plan import NESTED
from dualnum._points import as_complex_point, as_point, is_complex_point
from dualnum._read import is_plain_point, scalar_value


def value_and_gradient(f, x, argnums=None):
    """value_and_gradient(f, x, argnums=None) -> (f(x), ∇f(x))

    The value and the gradient together, as Newton's method and gradient
    descent need them, from ceil(n / 128) evaluations of ``f``.

    Parameters
    ----------
    f : callable
        Returns a real number.  It receives a :class:`dualnum.DualArray` of
        x's shape (a scalar :class:`dualnum.Dual` for a scalar x): numpy code
        (``np.sum(x ** 2)``) runs on its fused kernels, and indexing gives
        scalar duals, so scalar-style code (``x[0] * x[1]``) works too.  If
        f converts it to an ndarray (library code calling ``np.asarray``,
        ``scipy.optimize.rosen``), f is evaluated again on a numpy object
        array of dual numbers: slower, with a :class:`dualnum.SlowPathWarning`
        once per converting call.
    x : array_like
        The point, any shape; ints and float32 are promoted to float64.  With
        ``argnums``, the tuple of f's positional arguments.
    argnums : int or tuple of ints, optional
        Differentiate ``f(*x)`` with respect to these arguments; the result is
        one gradient (a tuple of them for a tuple ``argnums``), each with its
        argument's shape (a float for a scalar argument).

    Returns
    -------
    value : float
    gradient : ndarray
        float64, ``gradient.shape == x.shape``.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.value_and_gradient(lambda v: v[0] * v[1] + v[1], [2.0, 3.0])
    (9.0, array([3., 3.]))
    """
    if argnums is None and is_plain_point(x):
        # the point as_point takes as it is, without its frame: the per-call cost at small n
        value, grad = _forward.jacobian_passes(f, x, "gradient")
        return (value if type(value) is float else scalar_value(value)), grad
    if argnums is not None:
        g, point, split = _argnums.select(f, x, argnums)
        value, grad = value_and_gradient(g, point)
        return value, split(grad)
    try:
        point = as_point(x)
    except TypeError:
        if not is_complex_point(x):
            raise
        value, grad = _forward.complex_pass(f, as_complex_point(x))
        return scalar_value(value if value.ndim else complex(value)), grad
    if point is NESTED:               # a gradient inside another call's function
        value, grad = _nested_plan.jacobian_pass(f, x)
    else:
        value, grad = _forward.jacobian_passes(f, point, "gradient")
    return scalar_value(value), grad


def gradient(f, x, argnums=None):
    """gradient(f, x, argnums=None) -> ∇f(x)

    ``grad[i] = ∂f/∂x_i``: each entry is the partial derivative with every
    other variable held constant.  See :func:`value_and_gradient`.

    Examples
    --------
    >>> import dualnum as dn
    >>> dn.gradient(lambda v: v[0] ** 2 * v[1], [3.0, 2.0])
    array([12.,  9.])
    >>> dn.gradient(lambda x, y: x ** 2 * y, (3.0, 2.0), argnums=(0, 1))
    (12.0, 9.0)
    """
    return value_and_gradient(f, x, argnums)[1]
