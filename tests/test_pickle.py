"""Pickling and copying keep the value and every partial bit for bit."""

import copy
import math
import pickle
import struct

import numpy as np
import pytest

from dualnum import Dual, DualArray
from dualnum._array import seed_sparse

INF = math.inf
NAN = math.nan

SAMPLES = [
    Dual(2.0),
    Dual(2.0, 1.0),
    Dual(-0.0, -0.0),
    Dual(0.1, (0.2, 0.3)),
    Dual(1.0 / 3.0, (-0.0, 0.0, INF, -INF, NAN, 5e-324, -1.7976931348623157e308)),
    Dual(NAN, NAN),
    Dual(INF, (NAN, 1.0)),
    Dual(-INF),
    Dual(1e-310, [i / 7.0 for i in range(64)]),
]
IDS = [repr(i) for i in range(len(SAMPLES))]
PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))


def bits(x):
    """Bit pattern of a float, with every nan mapped to one pattern (a nan
    payload is not part of the contract, but the sign of zero is)."""
    if math.isnan(x):
        return "nan"
    return struct.pack("<d", x)


def assert_identical(a, b):
    assert type(a) is Dual and type(b) is Dual
    assert bits(a.value) == bits(b.value)
    assert len(a.partials) == len(b.partials)
    assert [bits(p) for p in a.partials] == [bits(p) for p in b.partials]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("d", SAMPLES, ids=IDS)
def test_pickle_round_trip(d, protocol):
    assert_identical(pickle.loads(pickle.dumps(d, protocol=protocol)), d)


@pytest.mark.parametrize("make_copy", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
@pytest.mark.parametrize("d", SAMPLES, ids=IDS)
def test_copy(d, make_copy):
    assert_identical(make_copy(d), d)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pickle_in_containers(protocol):
    a, b = SAMPLES[3], SAMPLES[4]
    data = {"list": [a, b, 1.5], "tuple": (b,), "dict": {"k": a}, "nested": [[a], {"x": (b, a)}]}
    back = pickle.loads(pickle.dumps(data, protocol=protocol))
    assert_identical(back["list"][0], a)
    assert_identical(back["list"][1], b)
    assert back["list"][2] == 1.5
    assert_identical(back["tuple"][0], b)
    assert_identical(back["dict"]["k"], a)
    assert_identical(back["nested"][0][0], a)
    assert_identical(back["nested"][1]["x"][0], b)
    assert_identical(back["nested"][1]["x"][1], a)


def test_pickle_keeps_shared_references():
    d = SAMPLES[4]
    back = pickle.loads(pickle.dumps([d, d]))
    assert back[0] is back[1]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pickle_numpy_object_array(protocol):
    arr = np.empty((2, 2), dtype=object)
    arr[0, 0], arr[0, 1], arr[1, 0], arr[1, 1] = SAMPLES[1], SAMPLES[2], SAMPLES[4], 3.0
    back = pickle.loads(pickle.dumps(arr, protocol=protocol))
    assert back.dtype == object and back.shape == (2, 2)
    assert_identical(back[0, 0], arr[0, 0])
    assert_identical(back[0, 1], arr[0, 1])
    assert_identical(back[1, 0], arr[1, 0])
    assert back[1, 1] == 3.0


@pytest.mark.parametrize("make_copy", [copy.copy, copy.deepcopy], ids=["copy", "deepcopy"])
def test_copy_numpy_object_array(make_copy):
    arr = np.array([SAMPLES[1], SAMPLES[4], SAMPLES[5]], dtype=object)
    back = make_copy(arr)
    for x, y in zip(back, arr):
        assert_identical(x, y)


def test_deepcopy_in_containers():
    data = {"a": [SAMPLES[4], (SAMPLES[6],)]}
    back = copy.deepcopy(data)
    assert_identical(back["a"][0], SAMPLES[4])
    assert_identical(back["a"][1][0], SAMPLES[6])


def test_unpickled_dual_still_computes():
    d = pickle.loads(pickle.dumps(Dual(3.0, (1.0, 2.0))))
    result = d * d + 1.0
    assert result.value == 10.0
    assert result.partials == (6.0, 12.0)


def test_unpickled_dual_hash_and_equality():
    d = Dual(0.25, (1.0, 0.0))
    back = pickle.loads(pickle.dumps(d))
    assert back == d and hash(back) == hash(d)


@pytest.mark.parametrize("sparse", [False, True])
def test_dual_array_pickles_and_copies_with_its_tangent(sparse):
    value = np.array([0.5, -1.5, 2.25])
    x = seed_sparse(value, 11) if sparse else DualArray(value, [[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]], 11)
    x = np.sin(x) * x                                    # not just a seed
    copies = (pickle.loads(pickle.dumps(x)), copy.deepcopy(x), copy.copy(x))
    assert (x.sparse_tangent is not None) == sparse       # the storage travels as it is
    assert all((y.sparse_tangent is not None) == sparse for y in copies)
    for y in copies:                 # (reading .tangent makes a sparse array dense)
        assert type(y) is DualArray and y.tag == 11 and y.directions == x.directions
        np.testing.assert_array_equal(y.value, x.value)
        np.testing.assert_array_equal(y.tangent, x.tangent)


def test_copying_a_dual_array_copies_its_data():
    # as for ndarray: copy.copy and .copy() give independent arrays
    x = DualArray([1.0, 2.0], [[1.0], [2.0]], 3)
    for y in (copy.copy(x), copy.deepcopy(x), x.copy()):
        y[0] = 5.0
        assert x.value[0] == 1.0 and x.tangent[0, 0] == 1.0
        assert y.value[0] == 5.0 and y.tangent[0, 0] == 0.0 and y.tag == 3
