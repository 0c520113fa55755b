"""numpy.interp on both array orders, with x, fp or both dual (xp plain).

Written once as numpy's own formula on the segment holding each x,
``slope * (x - xp[j]) + fp[j]`` with ``slope = (fp[j+1] - fp[j]) / (xp[j+1] -
xp[j])``, in numpy calls on the operands, which dispatch to whichever order
they are (dualnum/_composition.py): the values are numpy's, the derivatives
those of the formula.

Conventions, as the result is piecewise linear in x:

* in x, the slope of the segment ``[xp[j], xp[j+1])`` holding x, so at an
  interior knot the slope on its right;
* at and beyond ``xp[-1]``, and below ``xp[0]``, the result is constant in x:
  ``fp[-1]``/``fp[0]`` carry fp's derivative, a given ``right``/``left`` has
  none (at ``xp[-1]`` itself numpy gives ``fp[-1]``, not ``right``);
* a NaN x gives NaN with derivative 0.

``period`` and dual ``xp``, ``left`` or ``right`` raise TypeError naming them.
"""
import numpy as np

from dualnum._composition import is_dual, plain, value_of
from dualnum._function_args import function_table

__all__ = ["FUNCTIONS"]

FUNCTIONS, _implements = function_table()


@_implements(np.interp)
def _interp(engine, x, xp, fp, left=None, right=None, period=None):
    engine.refuse("interp", {}, period=period)
    plain(engine, "interp", xp=xp, left=left, right=right)
    points, knots = value_of(engine, x), np.asarray(xp, dtype=np.float64)
    value = np.interp(points, knots, value_of(engine, fp), left, right)   # numpy checks the arguments
    fp = fp if is_dual(engine, fp) else np.asarray(fp, dtype=np.float64)
    last = fp[np.full(np.shape(points), -1)]              # fp[-1] at every point: an array
    if knots.shape[0] == 1:
        inside = last
    else:
        j = np.clip(np.searchsorted(knots, points, side="right") - 1, 0, knots.shape[0] - 2)
        with np.errstate(divide="ignore", invalid="ignore"):    # repeated knots: never selected
            slope = (fp[j + 1] - fp[j]) / (knots[j + 1] - knots[j])
        inside = slope * (x - knots[j]) + fp[j]
    below = fp[np.zeros(np.shape(points), dtype=np.intp)] if left is None else left
    beyond = last if right is None else right
    result = np.where(points > knots[-1], beyond, np.where(points >= knots[-1], last, inside))
    result = np.where(points < knots[0], below, result)
    # derivative 0 at a NaN x; a dual operand in every case, so a result that is
    # constant (a single knot, every x outside) is still a dual array
    zero = x * 0.0 if is_dual(engine, x) else last * 0.0
    result = np.where(np.isnan(points), zero + np.nan, result)
    return result.reshape(np.shape(value)) if np.ndim(value) else result.reshape(-1)[0]
