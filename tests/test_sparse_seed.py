"""seed_sparse (dualnum/_array.pyx), the argument of the sparse one-pass
gradient: a C-ordered float64 copy of the point whose element i carries the
single entry (direction i, weight 1).  A plain float64 ndarray is copied and
filled in C; every other point goes through np.array first.  Reference: the
identity built with numpy."""

import numpy as np
import pytest

import dualnum as dn
from dualnum._array import seed_sparse

TAG = 41


def identity_entries(shape):
    n = int(np.prod(shape))
    return np.arange(n, dtype=np.intp).reshape(shape + (1,)), np.ones(shape + (1,))


class Subclass(np.ndarray):
    """An ndarray subclass: the value is a plain ndarray all the same."""


POINTS = {
    "1-d": np.linspace(-1.0, 1.0, 7),
    "2-d": np.arange(12.0).reshape(3, 4),
    "fortran": np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    "strided view": np.arange(20.0)[::3],
    "int": np.arange(5),
    "float32": np.linspace(0, 1, 4, dtype=np.float32),
    "big-endian": np.arange(6.0).astype(">f8"),
    "subclass": np.arange(4.0).reshape(2, 2).view(Subclass),
    "empty": np.zeros((0, 3)),
    "special values": np.array([np.nan, np.inf, -0.0, -np.inf]),
}


@pytest.mark.parametrize("point", POINTS.values(), ids=POINTS.keys())
def test_identity_on_a_c_ordered_float64_copy(point):
    x = seed_sparse(point, TAG)
    expected_value = np.array(point, dtype=np.float64, order="C")
    assert type(x.value) is np.ndarray and x.value.flags.c_contiguous
    assert x.value.dtype == np.float64 and x.value.dtype.isnative
    assert np.array_equal(x.value, expected_value, equal_nan=True)
    assert np.array_equal(np.signbit(x.value), np.signbit(expected_value))
    assert not np.shares_memory(x.value, point)
    assert x.directions == point.size and x.tag == TAG
    index, weight = x.sparse_tangent
    expected_index, expected_weight = identity_entries(expected_value.shape)
    assert index.dtype == np.intp and weight.dtype == np.float64
    np.testing.assert_array_equal(index, expected_index)
    np.testing.assert_array_equal(weight, expected_weight)


def test_changing_the_point_afterwards_changes_nothing():
    point = np.linspace(0.0, 1.0, 5)
    x = seed_sparse(point, TAG)
    point[:] = 7.0
    np.testing.assert_array_equal(x.value, np.linspace(0.0, 1.0, 5))


def test_zero_dimensional_point_is_a_dual():
    d = seed_sparse(np.array(2.5), TAG)
    assert type(d) is dn.Dual and d.value == 2.5 and d.partials == (1.0,)


def test_gradient_through_the_sparse_plan_at_points_of_every_layout():
    # the sparse plan (n >= 96) at a strided, Fortran-ordered and integer point:
    # the gradient of sum(x**3 / 3) is x**2
    for point in (np.arange(400.0)[::2] / 50, np.asfortranarray(np.arange(200.0).reshape(10, 20)) / 50,
                  np.arange(150)):
        g = dn.gradient(lambda x: np.sum(x ** 3) / 3, point)
        np.testing.assert_allclose(g, np.asarray(point, dtype=np.float64) ** 2, rtol=1e-15)
