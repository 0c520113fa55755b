"""Pickling and copying keep the value and every partial bit for bit."""

import copy
import math
import pickle
import struct

import numpy as np
import pytest

import dualnum as dn
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


# ------------------------------------------ malformed pickles (issue 12, item 13)
# The compiled loops read raw memory and trust shapes, dtypes and directions,
# so unpickling checks them: a bad state is a TypeError or ValueError, never a
# crash or a misread array.

class _Forged:
    """Pickles as the given reconstructor call, as a forged or corrupted file would."""

    def __init__(self, func, args):
        self.reduced = (func, args)

    def __reduce__(self):
        return self.reduced


def _loads_forged(func, args):
    return pickle.loads(pickle.dumps(_Forged(func, args)))


def _bad_dual_array_states():
    from dualnum._array import _unpickle
    v3, t31, w31 = np.ones(3), np.ones((3, 1)), np.ones((3, 1))
    return _unpickle, [
        ("long value, short tangent", (DualArray, np.ones(200_000), np.ones((1, 1)), None, None, 1, 0)),
        ("directions beyond the tangent", (DualArray, v3, t31, None, None, 10 ** 6, 0)),
        ("sparse index 10**9", (DualArray, v3, None, np.full((3, 1), 10 ** 9), w31, 3, 0)),
        ("sparse index -2", (DualArray, v3, None, np.full((3, 1), -2), w31, 3, 0)),
        ("int64 value", (DualArray, np.arange(3), t31, None, None, 1, 0)),
        ("float32 tangent", (DualArray, v3, t31.astype(np.float32), None, None, 1, 0)),
        ("float index", (DualArray, v3, None, np.zeros((3, 1)), w31, 3, 0)),
        ("weight shape", (DualArray, v3, None, np.zeros((3, 1), np.intp), np.ones((3, 2)), 3, 0)),
        ("no tangent", (DualArray, v3, None, None, None, 1, 0)),
        ("both tangents", (DualArray, v3, t31, np.zeros((3, 1), np.intp), w31, 1, 0)),
        ("list value", (DualArray, [1.0, 2.0, 3.0], t31, None, None, 1, 0)),
        ("negative directions", (DualArray, v3, None, np.full((3, 1), -1), w31, -5, 0)),
        ("negative tag", (DualArray, v3, t31, None, None, 1, -1)),
        ("not a DualArray class", (dict, v3, t31, None, None, 1, 0)),
        ("big-endian value", (DualArray, v3.astype(">f8"), t31, None, None, 1, 0)),
    ]


_UNPICKLE, _BAD_STATES = _bad_dual_array_states()


@pytest.mark.parametrize("args", [s[1] for s in _BAD_STATES], ids=[s[0] for s in _BAD_STATES])
def test_malformed_dual_array_pickle_raises(args):
    # the call pickle.loads makes (a pickle would bring big-endian data back native)
    with pytest.raises((TypeError, ValueError)):
        y = _UNPICKLE(*args)
        (y * 2.0).tangent                        # (only reached if it was accepted)


def test_forged_dual_array_pickle_raises():
    with pytest.raises(ValueError):
        _loads_forged(_UNPICKLE, _BAD_STATES[0][1])


def _bad_dual2_array_states():
    from dualnum._hessian_array import _unpickle
    v, i, g, c = np.ones(3), np.arange(3).reshape(3, 1), np.ones((3, 1)), np.zeros((3, 1, 1))
    return _unpickle, [
        ("index beyond n", (v, i * 10 ** 9, g, c, 3, 1)),
        ("index -2", (v, i - 2, g, c, 3, 1)),
        ("short grad", (v, i, g[:1], c, 3, 1)),
        ("short curv", (np.ones(300_000), np.zeros((300_000, 1), np.intp), np.ones((300_000, 1)),
                        c, 3, 1)),
        ("int64 value", (np.arange(3), i, g, c, 3, 1)),
        ("float index", (v, i.astype(float), g, c, 3, 1)),
        ("huge n", (v, i, g, c, 2 ** 40, 1)),
        ("negative n", (v, i, g, c, -1, 1)),
        ("negative tag", (v, i, g, c, 3, -1)),
        ("list value", ([1.0, 1.0, 1.0], i, g, c, 3, 1)),
    ]


_UNPICKLE2, _BAD_STATES2 = _bad_dual2_array_states()


@pytest.mark.parametrize("args", [s[1] for s in _BAD_STATES2], ids=[s[0] for s in _BAD_STATES2])
def test_malformed_dual2_array_pickle_raises(args):
    with pytest.raises((TypeError, ValueError)):
        y = _loads_forged(_UNPICKLE2, args)
        (y * 2.0).sum()                          # (only reached if it was accepted)


def test_dual2_array_pickles_with_its_derivatives():
    # inside hessian: the Hessian of sum(x_i^3) through a pickled copy is diag(6 x)
    x0 = np.array([0.5, -1.0, 2.0])

    def f(x):
        y = pickle.loads(pickle.dumps(x * x))
        assert type(y) is type(x)
        return (y * x).sum()

    np.testing.assert_array_equal(dn.hessian(f, x0), np.diag(6 * x0))
