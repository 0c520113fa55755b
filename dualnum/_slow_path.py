"""The slow path: f evaluated again on numpy object arrays of dual numbers.

Both orders first evaluate f on a compiled array (a DualArray; hessian's
second-order array).  Some code cannot run there:

- first order: library code that converts its argument with ``np.asarray``
  (``scipy.optimize.rosen``, ``scipy.special.logsumexp``,
  ``np.polynomial.Polynomial(c)(x)``, ``np.vectorize(f)(x)``) meets
  DualArray.__array__, which raises TypeError rather than drop the
  derivative.  Only that TypeError takes the slow path (found by the
  innermost frame of its traceback); any other error of f propagates.  The
  slow path warns (SlowPathWarning) once per route to the conversion, naming
  the call that converted;
- second order: the array raises NotCompiled for whatever it does not cover
  (a conversion too), and hessian takes the slow path silently, as it always
  has (it is where the second order covers the rest of numpy).

On the slow path f receives a numpy object array of Dual (or Dual2) numbers:
every numpy function that has an object loop works, at the cost of Python
objects per element (dualnum/_object_arrays.py).
"""
import linecache
import sys
import warnings

import numpy as np

from dualnum._object_arrays import DualObjects, elements
from dualnum.dualarray import DualArray


class SlowPathWarning(RuntimeWarning):
    """f converted its argument to an ndarray (library code calling
    ``np.asarray``), so dualnum evaluated it again on a numpy object array of
    dual numbers: correct, but much slower than the compiled array.  Issued
    once per function and converting call; silence it with
    ``warnings.filterwarnings("ignore", category=dualnum.SlowPathWarning)``."""


_CONVERSION = DualArray.__array__.__code__
_warned: set[tuple[object, ...]] = set()      # routes to a conversion already reported


def objects(x):
    """A seeded DualArray as f's slow-path argument: an object array of its
    elements (a scalar Dual when 0-d; a scalar Dual stays as it is)."""
    if not isinstance(x, DualArray):
        return x
    out = elements(x)
    return out.view(DualObjects) if isinstance(out, np.ndarray) else out


def compiled_or_objects(compiled, on_objects, operation, *args, declined=()):
    """compiled(*args), or on_objects(*args) when f cannot run on the compiled
    array: it raised one of ``declined`` (hessian's NotCompiled) or converted
    its argument (a TypeError from DualArray.__array__, warned about once)."""
    try:
        return compiled(*args)
    except declined:
        pass
    except TypeError as error:
        if not converted(error, operation):
            raise
    return on_objects(*args)


def converted(error, operation):
    """True (after warning once) if the TypeError ``error`` is DualArray.__array__'s:
    f converted its argument, and ``operation`` takes the slow path.  The callers on
    the first order's hot path try the compiled array themselves and ask this in
    their except clause, which costs nothing until something raises."""
    route = _conversion_route(error)
    if route is None:
        return False
    _warn_once(route, operation)
    return True


def _conversion_route(error):
    """The frames of f's code down to the conversion (outermost first), or
    None when the TypeError was not raised by DualArray.__array__."""
    frames = []
    tb = error.__traceback__
    while tb is not None:
        frames.append((tb.tb_frame, tb.tb_lasti, tb.tb_lineno))
        tb = tb.tb_next
    if not frames or frames[-1][0].f_code is not _CONVERSION:
        return None
    below = [item for item in frames[:-1] if not _is_dualnum(item[0])]
    return below or None


def _is_dualnum(frame):
    name = frame.f_globals.get("__name__", "")
    return name == "dualnum" or name.startswith("dualnum.")


def _describe(frame):
    code = frame.f_code
    return f"{frame.f_globals.get('__name__', '?')}.{getattr(code, 'co_qualname', code.co_name)}"


def _call_text(frame, lasti, lineno):
    """The source of the call being made at instruction lasti (``np.asarray(x)``)."""
    try:
        positions = list(frame.f_code.co_positions())[lasti // 2]
    except (AttributeError, IndexError):             # Python < 3.11
        positions = (lineno, lineno, None, None)
    start, end, column, end_column = positions
    lines = [linecache.getline(frame.f_code.co_filename, n) for n in range(start or 0, (end or 0) + 1)]
    if not any(lines):
        return None
    if start == end and column is not None and end_column is not None:
        return lines[0].encode()[column:end_column].decode(errors="replace")
    return " ".join(line.strip() for line in lines)


def _warn_once(route, operation):
    key = tuple((frame.f_code, lasti) for frame, lasti, _ in route)
    if key in _warned:
        return
    frame, lasti, lineno = route[-1]
    text = _call_text(frame, lasti, lineno)
    call = f"`{text}` in {_describe(frame)}" if text else _describe(frame)
    path = " -> ".join(_describe(f) for f, _, _ in route)
    warnings.warn(
        f"{call} (line {lineno}) converts a DualArray to an ndarray, so {operation} "
        f"evaluates f again on a numpy object array of dual numbers, which is much slower "
        f"(reached through {path}); pass ndarray-free code to keep the compiled path, or "
        f"silence this with warnings.filterwarnings('ignore', category=dualnum.SlowPathWarning)",
        SlowPathWarning, stacklevel=_outside_dualnum())
    _warned.add(key)           # after warn: under an "error" filter it raises every time


def _outside_dualnum():
    """The stacklevel of warn's caller's first frame outside dualnum (the user's call)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and _is_dualnum(frame):
        frame, level = frame.f_back, level + 1
    return level
