"""propagate: first-order (linear) propagation of input uncertainty, J Σ Jᵀ.

For y = f(x) with inputs of covariance Σ, the covariance of the outputs to
first order is J Σ Jᵀ, J = ∂f/∂x at x (the "delta method", what the
`uncertainties` package computes).  It is exact for an affine f and a good
approximation where f is close to linear over a few standard deviations;
it knows nothing of the curvature (no bias term, no skewness).

Conventions: x is a real number or a 1-D array of n inputs; the output
covariance has shape ``f(x).shape * 2`` (``(m, m)`` for m outputs), and a
scalar f gives its variance as a number.  Independent inputs may be given as
standard deviations ``std``: then J Σ Jᵀ = (J · std²) Jᵀ, Σ is never formed.
A sparse Jacobian (``sparsity=``) is multiplied as a scipy.sparse matrix; with
``std`` or a scipy.sparse ``cov`` the product stays sparse and
``sparse_output=True`` returns it.  Σ is checked for shape, symmetry (to a
relative 1e-10) and finite entries with non-negative variances; it is not
checked for positive semi-definiteness (that needs a factorisation).  Σ or
std may hold dual numbers (a derivative of the variance with respect to the
input uncertainty); their values are what is checked.
"""
import numpy as np

from dualnum.jacobian import value_and_jacobian

SYMMETRY_TOLERANCE = 1e-10


def propagate(f, x, cov=None, *, std=None, sparsity=None, sparse_output=False):
    """propagate(f, x, cov=None, *, std=None, sparsity=None, sparse_output=False) -> (f(x), J Σ Jᵀ)

    The value of ``f`` at ``x`` and, to first order, the covariance of
    ``f(x)`` when ``x`` is uncertain with covariance Σ: J Σ Jᵀ, with J the
    Jacobian of ``f`` at ``x``.  Valid where ``f`` is close to linear over a
    few standard deviations of ``x`` (small σ); see the Uncertainty
    propagation page.

    Parameters
    ----------
    f : callable
        As in :func:`dualnum.jacobian`: returns a number or an array.
    x : real or (n,) array_like
        The mean of the inputs.
    cov : (n, n) array_like or scipy.sparse matrix, optional
        The covariance Σ of the inputs (a variance for a scalar ``x``).
        Must be symmetric, finite, with non-negative diagonal.
    std : real or (n,) array_like, keyword-only, optional
        Standard deviations of independent inputs, instead of ``cov``:
        Σ = diag(std²), which is never formed.  Finite and non-negative.
    sparsity : (m, n) pattern, SparsityPattern or "auto", keyword-only, optional
        Passed to :func:`dualnum.jacobian`: J is computed and multiplied as
        a scipy.sparse matrix.
    sparse_output : bool, keyword-only, optional
        With ``sparsity``, return the covariance as a
        ``scipy.sparse.csr_array`` of shape ``(m, m)`` (sparse only if Σ is:
        given by ``std`` or as a scipy.sparse ``cov``).

    Returns
    -------
    value : float or ndarray
        f(x).
    covariance : float, ndarray or scipy.sparse.csr_array
        J Σ Jᵀ, of shape ``f(x).shape + f(x).shape``; a float (the
        variance) for a scalar f.

    Raises
    ------
    TypeError
        Neither or both of ``cov`` and ``std``; ``sparse_output`` without
        ``sparsity``.
    ValueError
        A covariance of the wrong shape, not symmetric, not finite or with a
        negative variance; a negative or non-finite ``std``; x of more than
        one dimension.

    Examples
    --------
    >>> import dualnum as dn
    >>> value, variance = dn.propagate(lambda v: v[0] * v[1], [2.0, 3.0], std=[0.1, 0.2])
    >>> value, round(variance, 12)     # (3 * 0.1)² + (2 * 0.2)²
    (6.0, 0.25)
    """
    if (cov is None) == (std is None):
        raise TypeError("propagate needs exactly one of cov= (a covariance matrix) "
                        "and std= (standard deviations of independent inputs)")
    if sparse_output and sparsity is None:
        raise TypeError("sparse_output=True needs a sparsity= pattern (or 'auto')")
    if np.ndim(x) > 1:
        raise ValueError(f"x must be a number or a 1-D array, got shape {np.shape(x)}: "
                         "flatten it (and its covariance) first")
    n = 1 if np.ndim(x) == 0 else np.shape(x)[0]
    if sparsity is not None:
        value, jac = value_and_jacobian(f, x, sparsity=sparsity, sparse_output=True)
    else:
        value, jac = value_and_jacobian(f, x)
    out_shape = np.shape(value)
    m = int(np.prod(out_shape))
    if sparsity is None:
        jac = np.reshape(jac, (m, n))
    if std is not None:
        covariance = _with_std(jac, _checked_std(std, n, np.ndim(x) == 0))
    else:
        covariance = _with_cov(jac, _checked_cov(cov, n))
    return value, _shaped(covariance, out_shape, sparse_output)


def _is_plain(a):
    """True for a float ndarray (not dual numbers, not scipy.sparse)."""
    return isinstance(a, np.ndarray) and a.dtype.kind in "biuf"


def _as_numbers(a):
    """a as a float64 ndarray when it holds real numbers; dual numbers (a
    DualArray, a Dual, an object array) and scipy.sparse are kept as they are."""
    if hasattr(a, "tocsr") or type(a).__module__.startswith("dualnum"):
        return a
    array = np.asarray(a)
    return array if array.dtype == object else array.astype(np.float64)


def _checked_std(std, n, scalar_x):
    """std as an (n,) array (float or dual numbers), after the checks."""
    std = _as_numbers(std)
    expected = () if scalar_x else (n,)
    if np.shape(std) != expected:
        raise ValueError(f"std must have the shape of x, {expected}; got {np.shape(std)}")
    # comparisons read the values of dual numbers too; nan fails both
    if not np.all((std >= 0) & (std < np.inf)):
        raise ValueError("std must be finite and non-negative")
    return np.reshape(std, (n,))


def _checked_cov(cov, n):
    """cov as an (n, n) float ndarray, scipy.sparse matrix or array of dual numbers."""
    cov = _as_numbers(cov)
    if np.ndim(cov) == 0 and n == 1:                       # the variance of a scalar x
        cov = np.reshape(cov, (1, 1))
    if np.shape(cov) != (n, n):
        raise ValueError(f"cov must have shape ({n}, {n}) for {n} inputs; got {np.shape(cov)}")
    sparse = hasattr(cov, "tocsr")
    if sparse:
        cov = cov.tocsr()
    entries = cov.data if sparse else cov
    # comparisons read the values of dual numbers too; nan fails them
    if not np.all(np.abs(entries) < np.inf):
        raise ValueError("cov must be finite")
    if not np.all(cov.diagonal() >= 0 if sparse else np.diagonal(cov) >= 0):
        raise ValueError("cov must have non-negative variances on its diagonal")
    difference = abs(cov - cov.T).data if sparse else np.abs(cov - np.transpose(cov))
    asymmetry = np.max(difference) if np.size(difference) else 0.0
    scale = np.max(np.abs(entries)) if np.size(entries) else 0.0
    if asymmetry > SYMMETRY_TOLERANCE * scale:
        raise ValueError(f"cov must be symmetric: |cov - cov.T| reaches {_value(asymmetry):.3g} "
                         f"(largest entry {_value(scale):.3g})")
    return cov


def _value(number):
    """The float value of a real or dual number (for an error message)."""
    return float(getattr(number, "value", number))


def _with_std(jac, std):
    """(J · std²) Jᵀ: the columns of J scaled by the variances."""
    variance = std * std
    if hasattr(jac, "tocsr"):
        if _is_plain(variance):
            return (jac.multiply(variance[np.newaxis, :]).tocsr() @ jac.T).tocsr()
        jac = jac.toarray()                        # dual variances: numpy's dispatch
    return (jac * variance) @ np.transpose(jac)


def _with_cov(jac, cov):
    """J Σ Jᵀ; sparse when J and Σ are both scipy.sparse."""
    if hasattr(jac, "tocsr"):
        if hasattr(cov, "tocsr"):
            return (jac @ cov @ jac.T).tocsr()
        if _is_plain(cov):
            return jac @ np.transpose(jac @ cov)   # Σ symmetric: J (J Σ)ᵀ = J Σ Jᵀ
        jac = jac.toarray()                        # dual covariance: numpy's dispatch
    if hasattr(cov, "tocsr"):
        return jac @ (cov @ np.transpose(jac))
    return jac @ cov @ np.transpose(jac)


def _shaped(covariance, out_shape, sparse_output):
    """The covariance as the caller asked: scipy.sparse (m, m), or dense of
    shape out_shape * 2, or the variance of a scalar f."""
    if sparse_output:
        import scipy.sparse
        return scipy.sparse.csr_array(covariance)
    if hasattr(covariance, "toarray"):
        covariance = covariance.toarray()
    if out_shape == ():
        variance = covariance[0, 0]
        return float(variance) if _is_plain(covariance) else variance
    return np.reshape(covariance, out_shape + out_shape)
