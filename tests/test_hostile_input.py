"""Hostile input to the array types: random shapes, dtypes, directions and
indices given to every entry point that builds an array (constructors,
unpickling, the private wrap helpers, and those of the second-order array of
hessian), then the built array used.  Only Python exceptions may come out,
never a signal: the compiled loops read raw memory, so each entry point must
check what it is given.

The hypothesis loop runs in a child process, so that a crash fails this test
(with the child's output) instead of ending the test run.
"""

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(r'''
    import pickle
    import sys
    import warnings

    import numpy as np
    from hypothesis import HealthCheck, given, settings, strategies as st

    import dualnum as dn
    from dualnum import DualArray
    from dualnum import _array as A
    from dualnum import _hessian_array as H

    warnings.simplefilter("ignore")
    SETTINGS = settings(max_examples=int(sys.argv[1]), deadline=None, database=None,
                        derandomize=True, suppress_health_check=list(HealthCheck))
    CHECKED = (TypeError, ValueError)          # what a bad argument may raise
    runs = {}

    DTYPES = [np.float64, np.float64, np.float64, np.intp, np.int32, np.float32, np.bool_,
              np.complex128, ">f8", object, "U3"]
    NUMBERS = st.sampled_from([0, 1, 2, 3, 5, -1, -2, 10 ** 9, -10 ** 9, 2 ** 62, -2 ** 63])
    TAGS = st.sampled_from([0, 7, 2 ** 64 - 1, -1, 2 ** 64, 1.5, "1"])

    def array(data, shape, dtype=np.float64, mutate=True):
        """An array of about the given shape and dtype (sometimes another shape or dtype)."""
        if mutate and data.draw(st.integers(0, 4)) == 0:
            shape = tuple(data.draw(st.lists(st.integers(0, 4), max_size=3)))
        if mutate and data.draw(st.integers(0, 4)) == 0:
            dtype = data.draw(st.sampled_from(DTYPES))
        size = int(np.prod(shape, dtype=np.int64))
        items = data.draw(st.lists(NUMBERS, min_size=size, max_size=size))
        a = np.array(items, dtype=np.int64).reshape(shape)
        if np.dtype(dtype).kind == "U":
            return a.astype(str)
        with np.errstate(all="ignore"):
            return a.astype(dtype) if np.dtype(dtype).kind != "O" else a.astype(object)

    def shape_w_k(data):
        shape = tuple(data.draw(st.lists(st.integers(0, 4), max_size=3)))
        return shape, data.draw(st.integers(0, 3)), data.draw(st.integers(0, 5))

    def index(data, shape, w, k):
        """An intp index of shape + (w,), mostly in [-1, k), sometimes anything."""
        a = array(data, shape + (w,), np.intp)
        if a.dtype == np.intp and a.size and data.draw(st.booleans()):
            a = np.clip(a, -1, max(k - 1, -1))
        return a

    def use(x):
        """Everything a built array may meet next: only Python exceptions."""
        for step in (lambda: x * 2.0, lambda: 1.0 - x, lambda: x * x, lambda: np.sin(x),
                     lambda: x.sum(), lambda: x[0], lambda: x[..., :1],
                     lambda: np.concatenate((x, x)) if getattr(x, "ndim", 0) else x,
                     lambda: pickle.loads(pickle.dumps(x)),
                     lambda: getattr(x, "tangent", None), lambda: x.T, lambda: x.reshape(-1)):
            try:
                y = step()
                if isinstance(y, DualArray):
                    y.tangent, y.value
            except Exception:
                pass

    def build(make):
        try:
            x = make()
        except CHECKED:
            return
        use(x)

    def count(name):
        runs[name] = runs.get(name, 0) + 1

    @SETTINGS
    @given(st.data())
    def fuzz_unpickle(data):
        count("_unpickle")
        shape, w, k = shape_w_k(data)
        value = array(data, shape)
        if data.draw(st.booleans()):
            dense, idx, weight = array(data, shape + (k,)), None, None
        else:
            dense, idx, weight = None, index(data, shape, w, k), array(data, shape + (w,))
        directions = k if data.draw(st.integers(0, 3)) else data.draw(NUMBERS)
        tag = data.draw(TAGS) if data.draw(st.integers(0, 3)) == 0 else 7
        build(lambda: A._unpickle(DualArray, value, dense, idx, weight, directions, tag))

    @SETTINGS
    @given(st.data())
    def fuzz_wrap(data):
        count("wrap")
        shape, w, k = shape_w_k(data)
        value = array(data, shape)
        which = data.draw(st.sampled_from(["wrap", "result", "wrap_sparse", "restructure"]))
        if which == "wrap":
            build(lambda: A.wrap(value, array(data, shape + (k,)), 3, data.draw(st.booleans())))
        elif which == "result":
            build(lambda: A.result(value, array(data, shape + (k,)), 3))
        elif which == "wrap_sparse":
            directions = k if data.draw(st.booleans()) else data.draw(NUMBERS)
            build(lambda: A.wrap_sparse(value, index(data, shape, w, k),
                                        array(data, shape + (w,)), directions, 3))
        else:
            x = DualArray(np.ones(shape), np.ones(shape + (k,)), 3)
            moved = array(data, shape + (k,))
            build(lambda: A.restructure(x, value, lambda t: moved))

    @SETTINGS
    @given(st.data())
    def fuzz_constructor(data):
        count("DualArray")
        shape, w, k = shape_w_k(data)
        value = array(data, shape)
        tangent = array(data, shape + (k,))
        if data.draw(st.booleans()):
            value = value.tolist()
        tag = data.draw(TAGS)
        build(lambda: DualArray(value, tangent, tag))
        build(lambda: DualArray.__new__(DualArray))
        build(lambda: A.DualArrayCore.__new__(data.draw(st.sampled_from([DualArray,
                                                                         A.DualArrayCore]))))

    @SETTINGS
    @given(st.data())
    def fuzz_second_order(data):
        count("Dual2Array")
        shape, w, n = shape_w_k(data)
        value = array(data, shape)
        idx = index(data, shape, w, n)
        grad = array(data, shape + (w,))
        curv = array(data, shape + (w, w))
        variables = n if data.draw(st.integers(0, 3)) else data.draw(NUMBERS)
        tag = data.draw(TAGS) if data.draw(st.integers(0, 3)) == 0 else 7
        which = data.draw(st.sampled_from(["_unpickle", "make", "linear", "seed"]))
        if which == "_unpickle":
            build(lambda: H._unpickle(value, idx, grad, curv, variables, tag))
        elif which == "make":
            build(lambda: H.make(value, idx, grad, curv, variables, 7))
        elif which == "seed":
            build(lambda: H.seed(value, 7))
            build(lambda: H.Dual2Array.__new__(H.Dual2Array))
        else:
            x = H.seed(np.ones(shape if shape else (1,)), 7)
            rows = int(np.prod(shape, dtype=np.int64))
            ptr = array(data, (rows + 1,), np.intp)
            if data.draw(st.booleans()) and ptr.dtype == np.intp and ptr.ndim == 1:
                ptr = np.sort(np.clip(ptr, 0, 3))
            src = array(data, (int(ptr.max()) if ptr.size and ptr.dtype == np.intp
                               and 0 <= ptr.max() < 10 else 2,), np.intp)
            coef = array(data, src.shape)
            build(lambda: H.linear(x, value, ptr, src, coef))

    for fuzz in (fuzz_unpickle, fuzz_wrap, fuzz_constructor, fuzz_second_order):
        fuzz()
    print("ran", sorted(runs.items()))
''')


def test_hostile_input_never_crashes(tmp_path):
    script = tmp_path / "fuzz.py"
    script.write_text(CHILD)
    child = subprocess.run([sys.executable, str(script), "300"], capture_output=True, text=True,
                           timeout=600)
    assert child.returncode == 0, (
        f"the fuzz loop ended with {child.returncode} (a negative number is a signal)\n"
        f"stdout:\n{child.stdout[-3000:]}\nstderr:\n{child.stderr[-5000:]}")
    ran = dict(eval(child.stdout.split("ran", 1)[1]))
    assert set(ran) == {"_unpickle", "wrap", "DualArray", "Dual2Array"}
    assert min(ran.values()) >= 300
