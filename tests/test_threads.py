"""Dual numbers and the API are safe to use from several threads at once."""
import math
import threading

import numpy as np

import dualnum as dn


def test_concurrent_derivatives_and_gradients_agree_with_serial_ones():
    points = [0.1 * i for i in range(200)]
    f = lambda x: dn.sin(x) * dn.exp(-x * x / 2)
    expected = [math.cos(x) * math.exp(-x * x / 2) - x * math.sin(x) * math.exp(-x * x / 2) for x in points]
    shared = dn.Dual(0.5, (1.0, 2.0))           # one immutable dual read by every thread
    errors = []

    def work(offset):
        try:
            for i in range(len(points)):
                j = (i + offset) % len(points)
                assert math.isclose(dn.derivative(f, points[j]), expected[j], rel_tol=1e-13, abs_tol=1e-15)
                g = dn.gradient(lambda v: v[0] * v[1] + v[1], np.array([points[j], 2.0]))
                np.testing.assert_allclose(g, [2.0, points[j] + 1.0], rtol=1e-15)
                assert (shared * shared).partials == (1.0, 2.0)
        except Exception as exc:                  # reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 37,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


# ---------------------------------------------------------------------------
# stress: eight threads at once, every result bit for bit the one-thread result

from dualnum import _array  # noqa: E402

THREADS = 8
CHAIN_POINTS = 100_000          # recorded (see "recorded chains" in dualnum/_chains.pyx)


def _rosenbrock(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def _w2(x):
    return np.sin(x) * np.exp(-x * x / 2) + np.log(1 + x * x) / np.sqrt(1 + x * x)


def _hessian_f(x):
    return np.sum(np.exp(x[:-1] * x[1:])) + dn.sin(x[0]) * x[-1] ** 3


def _fresh(points, seed):
    """A DualArray whose operations are recorded (its storage never handed out)."""
    tangent = np.random.default_rng(seed).uniform(-1, 1, points.shape + (1,))
    return _array.wrap(points.copy(), tangent, 7, True)


def _shared_chains(points):
    """Pending arrays that read x directly and through pending intermediates."""
    x = _fresh(points, 0)
    g = x * 1.0
    y = g
    for _ in range(6):
        y = np.sin(y) + g
    z = np.exp(-g * g) * x
    with np.errstate(invalid="ignore"):          # nan from finite inputs: run step by step
        v = np.sqrt(g - 1.0) * x + g
    return x, g, {"y": y, "z": z, "w": y * z, "v": v}


def _own_chain(points, seed):
    """A chain this thread records, then changes its input, then reads."""
    x = _fresh(points, seed)
    y = np.tanh(x * x) - np.cos(x) / (1.0 + x * x)
    x[::3] = 0.0
    x.value[:] = -1.0
    return y.value.copy(), y.tangent.copy()


def _tasks(seed):
    rng = np.random.default_rng(seed)
    p120, p6 = rng.uniform(-1, 1, 120), rng.uniform(-1, 1, 6)
    big = np.linspace(-3, 3, CHAIN_POINTS) + 0.001 * seed
    return {
        "gradient": lambda: dn.gradient(_rosenbrock, p120),
        "hessian": lambda: dn.hessian(_hessian_f, p6),
        "derivative": lambda: dn.value_and_derivative(_w2, big),
        "chain": lambda: _own_chain(big, seed),
    }


def _assert_same(got, want, what):
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            _assert_same(g, w, what)
        return
    assert np.array_equal(got, want, equal_nan=True), what
    assert np.array_equal(np.signbit(got), np.signbit(want)), what


def test_eight_threads_over_gradients_hessians_and_recorded_chains_with_mutation():
    points = np.linspace(0.2, 2.0, CHAIN_POINTS)
    _, _, chains = _shared_chains(points)                       # one thread, nothing changed
    expected_shared = {name: (c.value.copy(), c.tangent.copy()) for name, c in chains.items()}
    expected = {i: {name: task() for name, task in _tasks(i).items()} for i in range(THREADS)}
    for _ in range(3):
        x, g, chains = _shared_chains(points)
        barrier = threading.Barrier(THREADS)
        got, errors = {}, []

        def work(i):
            try:
                barrier.wait()
                if i == 0:                  # changes the inputs the others' chains read
                    x[::2] = 5.0
                    g.tangent[:] = np.nan
                    x.value[:] = np.inf
                    got[i] = {}
                    return
                name = sorted(chains)[i % len(chains)]
                shared = chains[name]
                got[i] = {"shared " + name: (shared.value.copy(), shared.tangent.copy())}
                for task_name, task in _tasks(i).items():
                    got[i][task_name] = task()
            except Exception as exc:        # reported in the main thread
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[0]
        for i in range(1, THREADS):
            for what, result in got[i].items():
                want = (expected_shared[what.split()[1]] if what.startswith("shared")
                        else expected[i][what])
                _assert_same(result, want, f"thread {i}: {what}")
