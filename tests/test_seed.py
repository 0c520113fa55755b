"""The API's seeds (dualnum/_seed.pyx): the variables of one pass, against
their definitions (x + h t for a Taylor series, unit gradients for Dual2s)."""

import numpy as np
import pytest

from dualnum import _seed
from dualnum._number import new_tag


@pytest.mark.parametrize("order,exponent", [(0, 0), (1, 0), (3, 2), (7, -3)])
def test_jet_seed_is_x_plus_h_t(order, exponent):
    tag = new_tag()
    jet = _seed.jet_seed(1.25, order, tag, exponent)
    want = [1.25, 2.0 ** exponent] + [0.0] * (order - 1)
    assert jet.coefficients == tuple(want[:order + 1])
    # the seed's tag: it combines with a jet of the same call, and a jet of
    # another call is refused
    assert (jet * _seed.jet_seed(2.0, order, tag)).value == 2.5
    if order:
        with pytest.raises(ValueError, match="not supported"):
            jet * _seed.jet_seed(2.0, order, new_tag())


def test_jet_seed_refuses_negative_orders_and_fresh_seeds_their_limit():
    with pytest.raises(ValueError, match="order must be >= 0"):
        _seed.jet_seed(1.0, -1, new_tag())
    with pytest.raises(ValueError, match="largest supported order"):
        _seed.fresh_jet_seed(1.0, _seed.MAX_ORDER + 1)
    # a fresh seed above order 150 has step 2**step_exponent(order)
    jet = _seed.fresh_jet_seed(0.5, 400)
    assert jet.coefficients[:2] == (0.5, 2.0 ** _seed.step_exponent(400))
    assert _seed.step_exponent(400) == round(np.log2(400 / np.e))


def test_jet_seed_array_seeds_every_element():
    out = _seed.jet_seed_array(np.array([[1.0, 2.0], [3.0, 4.0]]), 2, new_tag())
    assert out.shape == (2, 2)
    assert [j.coefficients for j in out.ravel()] == [(x, 1.0, 0.0) for x in (1.0, 2.0, 3.0, 4.0)]


def test_dual2_seed_seeds_the_chosen_variables():
    out = _seed.dual2_seed(np.array([1.0, 2.0, 3.0]), [0, 2], new_tag())
    assert out[1] == 2.0 and type(out[1]) is float          # not chosen: a float
    assert out[0].value == 1.0 and out[0].gradient == (1.0, 0.0)
    assert out[2].value == 3.0 and out[2].gradient == (0.0, 1.0)
    for d in (out[0], out[2]):
        np.testing.assert_array_equal(d.hessian, np.zeros((2, 2)))


def test_dual2_seed_along_carries_the_direction():
    out = _seed.dual2_seed_along(np.array([1.0, 2.0]), np.array([0.5, -1.5]), new_tag())
    assert out[0].gradient == (1.0, 0.0) and out[0].hvp == (0.5, (0.0, 0.0))
    assert out[1].gradient == (0.0, 1.0) and out[1].hvp == (-1.5, (0.0, 0.0))

